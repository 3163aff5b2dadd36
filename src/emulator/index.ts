export { API_BASE_PATH, EMULATOR_DEFAULT_API_KEY, PreclinicalEmulator } from "./server";
export type {
  ApiAgent,
  ApiWebhook,
  CreatedWebhook,
  EmulatorAgent,
  EmulatorOptions,
  RequestLogEntry,
  SeedWebhookInput,
  StoredWebhook,
} from "./types";
export { EmulatorError } from "./http";
export type { FaultKind, FaultSpec } from "./faults";
export type { RateLimitSpec } from "./rate-limit";
export type { TestRunDelivery } from "./test-runs";
export { isLoopbackHost, NON_LOOPBACK_MESSAGE, type TestRunInput } from "./delivery";
export { WebhookReceiver, type ReceivedDelivery } from "./receiver";
