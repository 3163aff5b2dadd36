export {
  PreclinicalConnection,
  PreclinicalEngine,
  ProvisionerResourceType,
  type PreclinicalConnectionProps,
  type ConnectionSettings,
} from "./connection";
export { PreclinicalWebhook } from "./webhook";
export type { PreclinicalWebhookProps } from "./webhook-props";
export { PreclinicalAgent, type PreclinicalAgentOptions, type PreclinicalAgentProps } from "./agent";
export {
  PreclinicalAgents,
  PreclinicalWebhooks,
  type PreclinicalAgentsProps,
  type PreclinicalWebhooksProps,
} from "./lists";
export {
  PreclinicalAgentDataSource,
  PreclinicalAgentList,
  PreclinicalAgentListItem,
  PreclinicalAgentsDataSource,
  PreclinicalWebhookList,
  PreclinicalWebhookListItem,
  PreclinicalWebhooksDataSource,
  type AgentDataSourceConfig,
  type AgentsDataSourceConfig,
  type WebhooksDataSourceConfig,
} from "./data-source-binding";
