/**
 * What the Preclinical API documentation leaves open, decided once. The client and the emulator both read
 * these, so a changed assumption is a one-line change here.
 */

/** The documented production base URL. */
export const DEFAULT_API_URL = "https://app.preclinical.dev/api/v1";

/** The environment variable that holds the API key unless a connection or provider names another. */
export const DEFAULT_API_KEY_ENV_VAR = "PRECLINICAL_API_KEY";

/** 1. Delete answers 204 with an empty body; a webhook that is already gone answers 404 NOT_FOUND. */
export const DELETE_SUCCESS_STATUS = 204;

/** 2. The scope rule counts disabled webhooks too. */
export const SCOPE_RULE_COUNTS_DISABLED = true;

/**
 * 3. URL and length rules beyond "a valid URL" are undocumented; these are the bounds assumed of the API and
 * enforced by the library, counted in user-perceived characters (grapheme clusters), as Terraform's length()
 * counts them, so that synth, plan and the emulator agree. The library's rules are stricter still
 * (rules.ts); the emulator holds requests only to what the API is assumed to accept (apiAccepts there).
 */
export const MAX_URL_LENGTH = 2048;
export const MAX_DESCRIPTION_LENGTH = 1000;
export const MIN_SECRET_LENGTH = 16;
export const MAX_SECRET_LENGTH = 256;

const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });

/** The user-perceived characters of a text. */
export function graphemes(text: string): string[] {
  return Array.from(segmenter.segment(text), (s) => s.segment);
}

/** A text's length in user-perceived characters: the unit of every length bound above. */
export function countCharacters(text: string): number {
  return graphemes(text).length;
}

/** 4. PUT accepts `null` for `description`; an empty PUT body is a 400 INVALID_FIELD_VALUE. */
export const PUT_ACCEPTS_NULL_DESCRIPTION = true;

// 5. The webhook list is not paged and comes oldest first. The client tolerates any order, and refuses an
//    organization-wide list whose `total` says it holds more than it returned (listWebhooks in client.ts).

/**
 * 6. Delivery health: a test delivery (POST /webhooks/{id}/test) does not count toward `last_triggered_at` and
 * `consecutive_failures`, and nothing is auto-disabled after failures.
 */
export const TEST_DELIVERIES_COUNT = false;

/**
 * 7. Which webhook serves an agent's test run: its agent-level webhook, else the organization-level one. A
 * disabled agent-level webhook still overrides (the agent's notifications are paused, not rerouted), as the
 * scope rule counts disabled webhooks; a disabled webhook is delivered nothing.
 */
export const DISABLED_AGENT_WEBHOOK_OVERRIDES = true;

/** API error codes the client decides on (never on the status alone). */
export const ErrorCodes = {
  MISSING_REQUIRED_FIELD: "MISSING_REQUIRED_FIELD",
  INVALID_FIELD_VALUE: "INVALID_FIELD_VALUE",
  ALREADY_EXISTS: "ALREADY_EXISTS",
  NOT_FOUND: "NOT_FOUND",
  AGENT_NOT_FOUND: "AGENT_NOT_FOUND",
  UNAUTHORIZED: "UNAUTHORIZED",
  FORBIDDEN: "FORBIDDEN",
  RATE_LIMITED: "RATE_LIMITED",
  INTERNAL_ERROR: "INTERNAL_ERROR",
} as const;
