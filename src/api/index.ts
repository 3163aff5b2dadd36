/**
 * `cdktf-preclinical-webhooks/api`: the typed Preclinical API client, its errors and retry policy, the
 * request and response schemas, the field rules, and the assumptions made where the API documentation is
 * silent. A deliberate list: internals (the transport, the scope helpers) stay out.
 */
export { PreclinicalClient } from "./client";
export type { PreclinicalClientOptions } from "./transport";
export {
  ClientErrorCodes,
  PreclinicalApiError,
  PreclinicalError,
  PreclinicalNetworkError,
  PreclinicalResponseError,
  isAgentNotFound,
  isAlreadyExists,
  isApiError,
  isNotFound,
  isPreclinicalError,
  redact,
  type RequestContext,
} from "./errors";
export { DEFAULT_RETRY_POLICY, backoffDelayMs, parseRetryAfter, type RetryPolicy } from "./retry";
export {
  AgentListSchema,
  AgentSchema,
  ApiErrorBodySchema,
  CreateWebhookRequestSchema,
  TestDeliveryResultSchema,
  UpdateWebhookRequestSchema,
  WebhookListSchema,
  WebhookSchema,
  type Agent,
  type AgentList,
  type ApiErrorBody,
  type CreateWebhookRequest,
  type TestDeliveryResult,
  type UpdateWebhookRequest,
  type Webhook,
  type WebhookList,
} from "./schemas";
export {
  DEFAULT_API_KEY_ENV_VAR,
  DEFAULT_API_URL,
  DELETE_SUCCESS_STATUS,
  ErrorCodes,
  MAX_DESCRIPTION_LENGTH,
  MAX_PAGES,
  MAX_SECRET_LENGTH,
  MAX_URL_LENGTH,
  MIN_SECRET_LENGTH,
  PAGE_LIMIT,
  PUT_ACCEPTS_NULL_DESCRIPTION,
  SCOPE_RULE_COUNTS_DISABLED,
  countCharacters,
} from "./assumptions";
export {
  API_RULE_TEXT,
  DESCRIPTION_PATTERN,
  ENV_NAME_PATTERN,
  FIELD_RULES,
  MAX_TIMEOUT_MS,
  RULE_TEXT,
  SECRET_PATTERN,
  UUID_PATTERN,
  WEBHOOK_URL_PATTERN,
  apiAccepts,
  rules,
  validTimeoutMs,
  type FieldRule,
  type Rule,
} from "./rules";

/** @deprecated The same as DEFAULT_API_KEY_ENV_VAR, under its name in 0.1.0. */
export { DEFAULT_API_KEY_ENV_VAR as DEFAULT_API_KEY_ENV } from "./assumptions";
