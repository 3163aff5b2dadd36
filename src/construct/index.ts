export {
  PreclinicalConnection,
  PreclinicalEngine,
  ProvisionerResourceType,
  type PreclinicalConnectionProps,
  type ConnectionSettings,
} from "./connection";
export { PreclinicalWebhook, type PreclinicalWebhookProps } from "./webhook";
