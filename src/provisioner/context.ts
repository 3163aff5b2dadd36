/**
 * What every provisioner command works with: its environment, its output with every secret masked, one API
 * client per organization, and API failures turned into messages that say what to do.
 */
import { DEFAULT_API_KEY_ENV_VAR } from "../api/assumptions";
import { PreclinicalClient } from "../api/client";
import { PreclinicalError, isAgentNotFound, isApiError, redact } from "../api/errors";
import { commandsOf, messages } from "../messages";
import { Env, decodeLedgerEntry, type LedgerEntry } from "./protocol";

export interface ProvisionerIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

export type Environment = Readonly<Record<string, string | undefined>>;

/** A failure whose message is already written for the user; `retryAdvice` adds "run cdktf deploy again". */
export class UserFacingError extends Error {
  constructor(
    message: string,
    readonly retryAdvice = false,
  ) {
    super(message);
  }
}

/** The name of the variable that holds this webhook's API key. */
export function apiKeyEnvVarOf(env: Environment): string {
  return env[Env.API_KEY_ENV_VAR] || DEFAULT_API_KEY_ENV_VAR;
}

/** The API keys named by the ledgers (a reconcile may use several organizations' keys). */
export function ledgerKeys(env: Environment): (string | undefined)[] {
  const names = new Set<string>();
  for (const name of [Env.LEDGER_PREVIOUS, Env.LEDGER_CURRENT]) {
    const text = env[name];
    if (text !== undefined) for (const entry of Object.values(parseLedger(name, text))) names.add(entry.apiKeyEnvVar);
  }
  return [...names].map((name) => env[name]);
}

/** Per-process state: one API client per (API URL, key variable), reused across a reconcile's deletes. */
export class Context {
  private readonly clients = new Map<string, PreclinicalClient>();

  private readonly secrets: string[] = [];
  /** The caller's output, with every secret this process knows masked from every line. */
  readonly io: ProvisionerIo;

  constructor(
    readonly env: Environment,
    io: ProvisionerIo,
    secrets: readonly (string | undefined)[],
  ) {
    this.addSecrets(secrets);
    this.io = { out: (line) => io.out(this.mask(line)), err: (line) => io.err(this.mask(line)) };
  }

  addSecrets(values: readonly (string | undefined)[]): void {
    for (const value of values) if (value) this.secrets.push(value);
  }

  /** The text with every secret this process knows replaced by [REDACTED]. */
  mask(text: string): string {
    return redact(text, this.secrets);
  }

  required(name: string): string {
    const value = this.env[name];
    if (value === undefined) throw new UserFacingError(messages.missingEnv(name));
    return value;
  }

  get path(): string {
    return this.env[Env.PATH] ?? "PreclinicalWebhook";
  }

  /** The webhook's own connection, from the environment. */
  entry(): LedgerEntry {
    return {
      apiUrl: this.required(Env.API_URL),
      apiKeyEnvVar: apiKeyEnvVarOf(this.env),
      agentId: this.env[Env.AGENT_ID] || null,
    };
  }

  client(entry: LedgerEntry): PreclinicalClient {
    const id = `${entry.apiUrl} ${entry.apiKeyEnvVar}`;
    let client = this.clients.get(id);
    if (!client) {
      const apiKey = this.env[entry.apiKeyEnvVar];
      if (!apiKey) throw new UserFacingError(messages.missingApiKey(entry.apiKeyEnvVar, commandsOf(this.env)));
      const debug =
        this.env[Env.DEBUG] === "1" ? (line: string) => this.io.err(`preclinical debug: ${line}`) : undefined;
      client = new PreclinicalClient({
        apiKey,
        baseUrl: entry.apiUrl,
        requestTimeoutMs: optionalNumber(this.env[Env.REQUEST_TIMEOUT_MS]),
        deadlineMs: optionalNumber(this.env[Env.DEADLINE_MS]),
        debug,
      });
      this.clients.set(id, client);
    }
    return client;
  }

  async close(): Promise<void> {
    await Promise.all([...this.clients.values()].map((c) => c.close()));
  }
}

function optionalNumber(text: string | undefined): number | undefined {
  return text ? Number(text) : undefined;
}

/** Turns an API failure into a message that says what to do; other errors keep their own message. */
function explain(err: unknown, entry: LedgerEntry, path: string, what: string): Error {
  if (err instanceof UserFacingError) return err;
  if (isAgentNotFound(err) && entry.agentId) return new UserFacingError(messages.agentNotFound(entry.agentId, path));
  if (isApiError(err) && err.status === 401)
    // The CLI's own environment, as terraform passed it: it tells cdktf from plain terraform.
    return new UserFacingError(messages.unauthorized(entry.apiKeyEnvVar, entry.apiUrl, commandsOf(process.env)));
  if (isApiError(err) && err.status === 403) return new UserFacingError(messages.forbidden(entry.apiKeyEnvVar));
  const reason = err instanceof PreclinicalError || err instanceof Error ? err.message : String(err);
  return new UserFacingError(messages.failedFor(path, what, reason), true);
}

export async function withExplanation<T>(
  entry: LedgerEntry,
  path: string,
  what: string,
  fn: () => Promise<T>,
): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw explain(err, entry, path, what);
  }
}

export function parseLedger(name: string, text: string): Record<string, LedgerEntry> {
  const unreadable = (what: string, err: unknown) =>
    new UserFacingError(messages.ledgerUnreadable(`${name} ${what}`, err instanceof Error ? err.message : String(err)));
  let raw: Record<string, string>;
  try {
    raw = JSON.parse(text) as Record<string, string>;
  } catch (err) {
    throw unreadable("as a whole", err);
  }
  return Object.fromEntries(
    Object.entries(raw).map(([path, value]) => {
      try {
        return [path, decodeLedgerEntry(value)];
      } catch (err) {
        throw unreadable(`entry for ${path}`, err);
      }
    }),
  );
}
