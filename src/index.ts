/**
 * cdktf-preclinical-webhooks: Preclinical webhooks as infrastructure code.
 *
 * The main entry holds the constructs only, within what jsii can express, so that the library can later be
 * published for Python, Java, C# and Go. The API client, the emulator, the drift check and the provider's
 * installer are TypeScript subpaths: `cdktf-preclinical-webhooks/api`, `/emulator`, `/drift` and `/provider`.
 * Each name is exported from the file that defines it; the entry points are the only files that re-export.
 */
export { PreclinicalConnection, type PreclinicalConnectionProps } from "./construct/connection";
export { PreclinicalEngine, ProvisionerResourceType, type ConnectionSettings } from "./construct/settings";
export { PreclinicalWebhook } from "./construct/webhook";
export type { PreclinicalWebhookProps } from "./construct/webhook-props";
export { PreclinicalAgent, type PreclinicalAgentOptions, type PreclinicalAgentProps } from "./construct/agent";
export {
  PreclinicalAgents,
  PreclinicalWebhooks,
  type PreclinicalAgentsProps,
  type PreclinicalWebhooksProps,
} from "./construct/lists";
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
} from "./construct/data-source-binding";
