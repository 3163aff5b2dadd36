export {
  API_BASE_PATH,
  EMULATOR_DEFAULT_API_KEY,
  EmulatorError,
  PreclinicalEmulator,
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
} from "./server";
export { isLoopbackHost, NON_LOOPBACK_MESSAGE } from "./delivery";
