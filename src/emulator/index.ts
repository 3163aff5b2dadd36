export {
  API_BASE_PATH,
  EMULATOR_DEFAULT_API_KEY,
  EmulatorError,
  PreclinicalEmulator,
  type ApiAgent,
  type ApiWebhook,
  type CreatedWebhook,
  type EmulatorAgent,
  type EmulatorOptions,
  type FaultKind,
  type FaultSpec,
  type RateLimitSpec,
  type RequestLogEntry,
  type SeedWebhookInput,
  type StoredWebhook,
  type TestRunDelivery,
  type TestRunInput,
} from "./server";
export { isLoopbackHost, NON_LOOPBACK_MESSAGE } from "./delivery";
export { WebhookReceiver, type ReceivedDelivery } from "./receiver";
