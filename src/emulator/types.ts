/** Public types of the emulator (re-exported by server.ts and index.ts). */
import type { FaultKind } from "./faults";
import type { RateLimitSpec } from "./rate-limit";

/** An agent every organization of the emulator knows (fields named as the API names them). */
export interface EmulatorAgent {
  readonly id: string;
  /** Defaults to "Agent <first 8 characters of id>". */
  readonly name?: string;
  /** Defaults to "vapi". */
  readonly provider?: string;
  /** Defaults to null. */
  readonly description?: string | null;
  /** Defaults to true. */
  readonly is_active?: boolean;
}

export interface EmulatorOptions {
  /** Default "127.0.0.1". */
  readonly host?: string;
  /** Default 0 (a random free port). */
  readonly port?: number;
  /** API key -> organization name; default { [EMULATOR_DEFAULT_API_KEY]: "default" }. */
  readonly organizations?: Record<string, string>;
  /** Agents known to every organization; default none. */
  readonly agents?: EmulatorAgent[];
  /** Accept every agent id, registering it on first use (the bin's default when no --agent is given); default false. */
  readonly anyAgent?: boolean;
  /** How an unknown agent_id on create is answered; default { status: 404, code: "NOT_FOUND" }. */
  readonly unknownAgent?: { status: 400 | 404; code: "NOT_FOUND" | "AGENT_NOT_FOUND" };
  /** Requests per second per API key, answered 429 with Retry-After beyond it; default no limit. */
  readonly rateLimit?: RateLimitSpec;
  /**
   * Whether GET /webhooks pages when asked to (`limit`/`offset`), as assumption 5 (src/api/assumptions.ts)
   * allows for; false answers the whole list whatever is asked, as the API documents it (no paging).
   * Default true.
   */
  readonly pagedWebhookList?: boolean;
}

/** An agent as GET /agents and GET /agents/{id} answer it. */
export interface ApiAgent {
  readonly id: string;
  readonly provider: string;
  readonly name: string;
  readonly description: string | null;
  readonly is_active: boolean;
  readonly created_at: string;
  readonly updated_at: string;
}

/** A webhook as GET answers it: every documented field, never the secret. */
export interface ApiWebhook {
  readonly id: string;
  readonly url: string;
  readonly description: string | null;
  readonly agent_id: string | null;
  readonly is_enabled: boolean;
  readonly last_triggered_at: string | null;
  readonly consecutive_failures: number;
  readonly created_at: string;
  readonly updated_at: string;
}

/** A webhook as POST /webhooks answers it. */
export type CreatedWebhook = Omit<ApiWebhook, "last_triggered_at" | "consecutive_failures">;

/** The emulator's state of one webhook, secret included (a test tool only; never sent by the API). */
export interface StoredWebhook extends ApiWebhook {
  organization: string;
  secret: string | null;
}

/** What `seedWebhook` (a webhook "made in the UI") accepts. */
export interface SeedWebhookInput {
  readonly url: string;
  readonly agent_id?: string | null;
  readonly description?: string | null;
  readonly is_enabled?: boolean;
  readonly secret?: string;
}

/** One request to an /api/v1 path. */
export interface RequestLogEntry {
  readonly method: string;
  /** The full path, e.g. "/api/v1/webhooks". */
  readonly path: string;
  /** The query string without "?" ("" if none); a `secret` parameter is redacted. */
  readonly query: string;
  /** The answered status; "dropped" if the socket was destroyed unanswered; "pending" while in flight. */
  readonly status: number | "dropped" | "pending";
  /** The organization of the API key, if the key was valid. */
  readonly organization?: string;
  readonly faulted?: FaultKind["kind"];
  /** True when the rate limit refused it (status 429, nothing applied). */
  readonly rateLimited?: boolean;
  /** When the request arrived (ISO-8601). */
  readonly at: string;
}
