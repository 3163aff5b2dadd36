/**
 * The provisioner CLI: the apply-time half of PreclinicalWebhook. Terraform provisioners run it with every
 * value in PRECLINICAL_* environment variables (see ./protocol.ts). It prints one line per outcome on
 * stdout; on failure it prints a message that says what to do on stderr and exits 1 (2 for an unknown
 * command). It never prints the API key or a webhook secret, not even in debug output.
 */
import { DEFAULT_API_KEY_ENV_VAR } from "../api/assumptions";
import { isNotFound } from "../api/errors";
import { describeScope } from "../api/scope";
import { commandsOf, messages } from "../messages";
import { Env, PLAN_TIME_AGENT, ProvisionerCommand, scopeKey, type LedgerEntry } from "./protocol";
import {
  Context,
  UserFacingError,
  apiKeyEnvVarOf,
  ledgerKeys,
  parseLedger,
  withExplanation,
  type Environment,
  type ProvisionerIo,
} from "./context";

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
    const advice =
      !(err instanceof UserFacingError) || err.retryAdvice ? `\n${messages.convergeNext(commandsOf(env))}` : "";
    ctx.io.err(`preclinical: ${err instanceof Error ? err.message : String(err)}${advice}`);
    return 1;
  } finally {
    await ctx.close();
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

/**
 * Deletes the scopes of constructs that the previous ledger recorded and the current configuration no
 * longer declares. A scope still declared by any current construct (a renamed construct, say) is kept, and
 * so is every agent scope of an organization where a current construct's agent is known only at plan time.
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
