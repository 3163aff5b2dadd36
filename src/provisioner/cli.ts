/**
 * The provisioner CLI: the apply-time half of PreclinicalWebhook. Terraform provisioners run it with every
 * value in PRECLINICAL_* environment variables (see ./protocol.ts). It prints one line per outcome on
 * stdout; on failure it prints a message that says what to do on stderr and exits 1. It never prints the API
 * key or a webhook secret, not even in debug output.
 */
import { PreclinicalClient } from "../api/client";
import { PreclinicalError, isAgentNotFound, isApiError, isNotFound, redact } from "../api/errors";
import { describeScope } from "../api/scope";
import { messages } from "../messages";
import {
  DEFAULT_API_KEY_ENV_VAR,
  Env,
  PLAN_TIME_AGENT,
  ProvisionerCommand,
  decodeLedgerEntry,
  scopeKey,
  type LedgerEntry,
} from "./protocol";

export interface ProvisionerIo {
  readonly out: (line: string) => void;
  readonly err: (line: string) => void;
}

type Environment = Readonly<Record<string, string | undefined>>;

/** A failure whose message is already written for the user; `retryAdvice` adds "run the deploy again". */
class UserFacingError extends Error {
  constructor(
    message: string,
    readonly retryAdvice = false,
  ) {
    super(message);
  }
}

/** Runs one command; resolves to the process exit code. */
export async function runProvisioner(args: readonly string[], env: Environment, io: ProvisionerIo): Promise<number> {
  const command = args[0] as ProvisionerCommand | undefined;
  const handlers: Record<ProvisionerCommand, (ctx: Context) => Promise<void>> = {
    [ProvisionerCommand.CLAIM]: claim,
    [ProvisionerCommand.CONVERGE]: converge,
    [ProvisionerCommand.DELETE]: deleteScope,
    [ProvisionerCommand.RECONCILE]: reconcile,
  };
  if (!command || !Object.hasOwn(handlers, command)) {
    io.err(messages.usage());
    return 2;
  }
  // Known before anything can fail, so that every line printed, errors included, is masked.
  const secrets = [env[Env.SECRET], env[apiKeyEnvVarOf(env)], env[DEFAULT_API_KEY_ENV_VAR]];
  const ctx = new Context(env, io, secrets);
  try {
    ctx.addSecrets(ledgerKeys(env));
    await handlers[command](ctx);
    return 0;
  } catch (err) {
    const advice = !(err instanceof UserFacingError) || err.retryAdvice ? `\n${messages.convergeNext()}` : "";
    ctx.io.err(`preclinical: ${err instanceof Error ? err.message : String(err)}${advice}`);
    return 1;
  } finally {
    await ctx.close();
  }
}

/** The name of the variable that holds this webhook's API key. */
function apiKeyEnvVarOf(env: Environment): string {
  return env[Env.API_KEY_ENV_VAR] || DEFAULT_API_KEY_ENV_VAR;
}

/** The API keys named by the ledgers (a reconcile may use several organizations' keys). */
function ledgerKeys(env: Environment): (string | undefined)[] {
  const names = new Set<string>();
  for (const name of [Env.LEDGER_PREVIOUS, Env.LEDGER_CURRENT]) {
    const text = env[name];
    if (text !== undefined) for (const entry of Object.values(parseLedger(name, text))) names.add(entry.apiKeyEnvVar);
  }
  return [...names].map((name) => env[name]);
}

/** Per-process state: one API client per (API URL, key variable), reused across a reconcile's deletes. */
class Context {
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
      if (!apiKey) throw new UserFacingError(messages.missingApiKey(entry.apiKeyEnvVar));
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
  if (isApiError(err) && err.status === 401) return new UserFacingError(messages.unauthorized(entry.apiKeyEnvVar));
  if (isApiError(err) && err.status === 403) return new UserFacingError(messages.forbidden(entry.apiKeyEnvVar));
  const reason = err instanceof PreclinicalError || err instanceof Error ? err.message : String(err);
  return new UserFacingError(messages.failedFor(path, what, reason), true);
}

async function withExplanation<T>(entry: LedgerEntry, path: string, what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw explain(err, entry, path, what);
  }
}

async function claim(ctx: Context): Promise<void> {
  const entry = ctx.entry();
  const scope = describeScope(entry.agentId);
  const existing = await withExplanation(entry, ctx.path, `check the ${scope}`, () =>
    ctx.client(entry).findScopeWebhook(entry.agentId),
  );
  if (!existing) {
    ctx.io.out(`preclinical: ${ctx.path}: the ${scope} is free`);
  } else if (ctx.env[Env.ADOPT_EXISTING] === "true") {
    ctx.io.out(`preclinical: ${ctx.path}: adopting webhook ${existing.id} that already holds the ${scope}`);
  } else {
    throw new UserFacingError(
      messages.scopeTakenByOther(entry.agentId, existing.id, withoutQuery(existing.url), ctx.path),
    );
  }
}

/** A URL as messages show another party's webhook: its query string may carry a token, so it is left out. */
function withoutQuery(url: string): string {
  const cut = url.search(/[?#]/);
  return cut < 0 ? url : `${url.slice(0, cut)}?…`;
}

async function converge(ctx: Context): Promise<void> {
  const entry = ctx.entry();
  const client = ctx.client(entry);
  const url = ctx.required(Env.URL);
  const description = ctx.env[Env.DESCRIPTION];
  const enabledText = ctx.required(Env.IS_ENABLED);
  if (enabledText !== "true" && enabledText !== "false")
    throw new UserFacingError(messages.isEnabledRule(JSON.stringify(enabledText)));
  const isEnabled = enabledText === "true";
  const secret = ctx.env[Env.SECRET];
  await withExplanation(entry, ctx.path, `apply the webhook in the ${describeScope(entry.agentId)}`, async () => {
    const existing = await client.findScopeWebhook(entry.agentId);
    if (existing) {
      const updated = await client.updateWebhook(existing.id, {
        url,
        description: description ?? null,
        is_enabled: isEnabled,
        ...(secret !== undefined ? { secret } : {}),
      });
      ctx.io.out(`preclinical: ${ctx.path}: updated webhook ${updated.id} in place`);
    } else {
      const created = await client.createWebhook({
        url,
        is_enabled: isEnabled,
        ...(description !== undefined ? { description } : {}),
        ...(secret !== undefined ? { secret } : {}),
        ...(entry.agentId ? { agent_id: entry.agentId } : {}),
      });
      ctx.io.out(`preclinical: ${ctx.path}: created webhook ${created.id}`);
    }
  });
}

/** Deletes the webhook of one scope. A scope that is already empty is success. */
async function deleteEntry(ctx: Context, entry: LedgerEntry, path: string): Promise<void> {
  const scope = describeScope(entry.agentId);
  await withExplanation(entry, path, `delete the webhook of the ${scope}`, async () => {
    const client = ctx.client(entry);
    const existing = await client.findScopeWebhook(entry.agentId);
    if (!existing) {
      ctx.io.out(`preclinical: ${path}: the ${scope} holds no webhook; nothing to delete`);
      return;
    }
    try {
      await client.deleteWebhook(existing.id);
      ctx.io.out(`preclinical: ${path}: deleted webhook ${existing.id}`);
    } catch (err) {
      if (!isNotFound(err)) throw err;
      ctx.io.out(`preclinical: ${path}: webhook ${existing.id} was already deleted`);
    }
  });
}

async function deleteScope(ctx: Context): Promise<void> {
  await deleteEntry(ctx, ctx.entry(), ctx.path);
}

function parseLedger(name: string, text: string): Record<string, LedgerEntry> {
  const unreadable = (what: string, err: unknown) =>
    new UserFacingError(
      `${name} ${what} cannot be read by this version (${err instanceof Error ? err.message : String(err)}). ` +
        "Synthesize the stack again with the current library version, then deploy.",
    );
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

/**
 * Deletes the scopes of constructs that the previous ledger recorded and the current configuration no
 * longer declares. A scope still declared by any current construct (a renamed construct, say) is kept.
 */
async function reconcile(ctx: Context): Promise<void> {
  const previous = parseLedger(Env.LEDGER_PREVIOUS, ctx.required(Env.LEDGER_PREVIOUS));
  const current = parseLedger(Env.LEDGER_CURRENT, ctx.required(Env.LEDGER_CURRENT));
  const declared = new Set(Object.values(current).map(scopeKey));
  // Organizations with a construct whose agent is known only at plan time: its scope cannot be matched.
  const planTimeOrgs = new Set(
    Object.values(current)
      .filter((e) => e.agentId === PLAN_TIME_AGENT)
      .map((e) => scopeKey({ ...e, agentId: null })),
  );
  const failures: string[] = [];
  for (const [path, entry] of Object.entries(previous)) {
    if (path in current) continue;
    if (declared.has(scopeKey(entry))) {
      ctx.io.out(`preclinical: ${path}: removed, but its ${describeScope(entry.agentId)} is still declared; kept`);
      continue;
    }
    if (entry.agentId !== null && planTimeOrgs.has(scopeKey({ ...entry, agentId: null }))) {
      ctx.io.out(`preclinical: ${messages.keptForPlanTimeAgent(path, describeScope(entry.agentId))}`);
      continue;
    }
    try {
      await deleteEntry(ctx, entry, path);
    } catch (err) {
      failures.push(err instanceof Error ? err.message : String(err));
    }
  }
  if (failures.length > 0)
    throw new UserFacingError([...failures, messages.reconcileFailed(failures.length)].join("\n"), true);
}
