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

/**
 * 5. Paging. `GET /agents` pages with `limit`/`offset`, at most PAGE_LIMIT a page, and answers `total`, the
 * length of the (filtered) list; the webhook list, whose paging is undocumented, is assumed to page the
 * same way, so the client asks it for pages too, and a server that ignores the parameters and sends the
 * whole list at once is read as one page. Lists come in a stable order (oldest first assumed; the client
 * tolerates any). A request without `limit` is assumed to get PAGE_LIMIT items (the client always sends
 * one). The client reads a list page by page (paging.ts), offset = the items read so far, until it holds
 * `total` distinct ids, or, when the answer has no `total`, until a page shorter than asked ends it. It
 * refuses (API_CONTRACT_VIOLATION, and nothing read from the list is used) a list that ends before its
 * `total`, holds more distinct ids than its `total`, brings a page with nothing new (the server ignores
 * `offset`: an endless answer), or runs past MAX_PAGES. An id repeated across pages (the list shifted under
 * an insert) is kept once. A delete while a list is read can shift an item past the pages read, which no
 * `total` shows: readers of the lists fall back to per-id requests where a missing item would matter (an
 * agent id not in the agents list is asked for with `GET /agents/{id}`). The `agent_id`-filtered webhook
 * list holds at most one webhook (the scope rule) and is read as one page; what its `total` counts is not
 * documented, so it is not consulted.
 */
export const PAGE_LIMIT = 100;
/** A list longer than MAX_PAGES pages (100,000 items) is taken for an endless answer. */
export const MAX_PAGES = 1000;

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
