/**
 * The contract between the construct (synth time) and the provisioner CLI (apply time): the commands, the
 * environment variables that carry every value, and the ledger's entry format. Both sides import this
 * module, so they cannot disagree.
 */

/** What a provisioner asks the CLI to do. */
export enum ProvisionerCommand {
  /** Create time of the scope resource: check that the scope is free (or adoptable) before taking it. */
  CLAIM = "claim",
  /** Create time of the config resource: PUT the declared fields to the scope's webhook, or POST it. */
  CONVERGE = "converge",
  /** Destroy time of the scope resource: delete the scope's webhook; success when it is already gone. */
  DELETE = "delete",
  /** Destroy time of the stack's ledger: delete the scopes of constructs no longer declared. */
  RECONCILE = "reconcile",
}

/** Environment variables the construct sets on provisioners; values never go into the command text. */
export const Env = {
  /** The API base URL. */
  API_URL: "PRECLINICAL_API_URL",
  /**
   * The NAME of the variable that holds the API key on the runner (the key itself is never in config). The
   * value keeps its first name: deployed stacks' provisioners pass it.
   */
  API_KEY_ENV_VAR: "PRECLINICAL_API_KEY_ENV",
  /** The construct path, for messages. */
  PATH: "PRECLINICAL_CONSTRUCT_PATH",
  /** The agent id, or the empty string for the organization-level scope. */
  AGENT_ID: "PRECLINICAL_AGENT_ID",
  URL: "PRECLINICAL_WEBHOOK_URL",
  /** Present only when a description is declared; absent means "no description" (sent as null). */
  DESCRIPTION: "PRECLINICAL_WEBHOOK_DESCRIPTION",
  /** "true" or "false". */
  IS_ENABLED: "PRECLINICAL_WEBHOOK_IS_ENABLED",
  /** Present only when a secret is declared. */
  SECRET: "PRECLINICAL_WEBHOOK_SECRET",
  /** "true" when the construct may take over a webhook it did not create. */
  ADOPT_EXISTING: "PRECLINICAL_ADOPT_EXISTING",
  /** Client timeouts in milliseconds (optional). */
  REQUEST_TIMEOUT_MS: "PRECLINICAL_REQUEST_TIMEOUT_MS",
  DEADLINE_MS: "PRECLINICAL_DEADLINE_MS",
  /** The ledger as last applied (JSON map of construct path to entry), from the resource's own state. */
  LEDGER_PREVIOUS: "PRECLINICAL_LEDGER_PREVIOUS",
  /** The ledger as now declared (JSON map of construct path to entry), literal text of the configuration. */
  LEDGER_CURRENT: "PRECLINICAL_LEDGER_CURRENT",
  /** "1" prints one line per API attempt to stderr (never headers, bodies or secrets). */
  DEBUG: "PRECLINICAL_DEBUG",
  /** The bundled CLI's path relative to the stack folder. */
  CLI: "PRECLINICAL_CLI",
  /** The Node.js executable that runs the CLI. */
  NODE: "PRECLINICAL_NODE",
} as const;

/**
 * The keys of a webhook's triggers, as they read in a plan and in the state. The construct writes them; the
 * drift check reads them back from `terraform show -json`.
 */
export const Trigger = {
  API_URL: "api_url",
  /** Keeps its first name: it is a trigger key in deployed state, and a new one would replace resources. */
  API_KEY_ENV_VAR: "api_key_env",
  AGENT_ID: "agent_id",
  URL: "url",
  DESCRIPTION: "description",
  IS_ENABLED: "is_enabled",
  SECRET_FINGERPRINT: "secret_fingerprint",
} as const;

/** The resource id of the stack's ledger (its Terraform address contains it). */
export const LEDGER_ID = "PreclinicalLedger";

/** An API base URL as every key and comparison uses it: without trailing slashes. */
export function normalizeApiUrl(url: string): string {
  return url.replace(/\/+$/, "");
}

/**
 * Stands for an agent id that is only known at plan time, in the literal text of the current ledger (a
 * destroy provisioner can read no variable). Reconcile then cannot tell whether that construct declares a
 * removed scope, and keeps every agent-level scope of its organization.
 */
export const PLAN_TIME_AGENT = "(known at plan time)";

/** One webhook scope as the ledger records it: which API, which key, which scope. */
export interface LedgerEntry {
  readonly apiUrl: string;
  readonly apiKeyEnvVar: string;
  /** The agent id, or null for the organization-level scope. */
  readonly agentId: string | null;
}

/**
 * Ledger values are strings (null_resource triggers are a map of strings): one JSON object each. The key
 * variable is stored under `apiKeyEnv`, its name in the first releases: the ledger sits in every deployed
 * stack's state, and a new key name would change every ledger's triggers, so that plans would replace it.
 */
export function encodeLedgerEntry(entry: LedgerEntry): string {
  return JSON.stringify({ apiUrl: entry.apiUrl, apiKeyEnv: entry.apiKeyEnvVar, agentId: entry.agentId });
}

export function decodeLedgerEntry(text: string): LedgerEntry {
  const raw = JSON.parse(text) as { apiUrl?: unknown; apiKeyEnv?: unknown; agentId?: string | null };
  if (typeof raw.apiUrl !== "string" || typeof raw.apiKeyEnv !== "string") {
    throw new Error(`ledger entry ${JSON.stringify(text)} lacks apiUrl or apiKeyEnv`);
  }
  return { apiUrl: raw.apiUrl, apiKeyEnvVar: raw.apiKeyEnv, agentId: raw.agentId ?? null };
}

/**
 * The identity of a scope: one organization-level webhook per (API, key), one per agent. Agent ids compare
 * case-insensitively, as UUIDs do.
 */
export function scopeKey(entry: LedgerEntry): string {
  return `${normalizeApiUrl(entry.apiUrl)} ${entry.apiKeyEnvVar} ${entry.agentId?.toLowerCase() ?? "organization"}`;
}
