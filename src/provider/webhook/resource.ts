/**
 * `preclinical_webhook`: plan, create, read, update, delete and import of one webhook through the API.
 * Knows nothing about gRPC; values arrive as plain objects (../protocol/values).
 * One file per resource, as terraform-plugin-framework keeps one type per resource: its schema lives in
 * ./schema.ts, its plan-time checks and its lifecycle here, at about 300 lines.
 */
import { ClientErrorCodes, isAlreadyExists, isApiError, isNotFound, isPreclinicalError } from "../../api/errors";
import { sameAsRequested } from "../../api/scope";
import type { CreateWebhookRequest, UpdateWebhookRequest, Webhook } from "../../api/schemas";
import { UUID_PATTERN } from "../../api/rules";
import { importIdOf, messages } from "../../messages";
import {
  DiagnosticsError,
  error,
  warning,
  type ApplyRequest,
  type Diagnostic,
  type PlanRequest,
  type PlanResult,
  type ResourceDefinition,
  type StateResult,
} from "../protocol/definition";
import { UNKNOWN, known, type ObjectValue } from "../protocol/values";
import { homeUrl } from "./organization";
import { deliveryHealth } from "./health";
import { WEBHOOK_SCHEMA } from "./schema";
import { apiFailure } from "../organization/failures";
import { type Organization, type Session } from "./session";
import { validateWebhook } from "./validate";

const DEFAULT_IS_ENABLED = true;

/**
 * `session(apiUrl)`: the session of an API URL, by default the configured one; `organization`: where the
 * provider points (by default, the session's URL, as named in the configuration).
 */
export function webhookResource(
  session: (apiUrl?: string) => Session,
  organization: () => Organization = () => ({ apiUrl: session().client.baseUrl, apiUrlConfigured: true }),
): ResourceDefinition {
  // A webhook in state is reached through the organization it lives in (./organization.ts); reads and
  // deletes may follow it there from a provider configuration that names no api_url.
  const home = (state: ObjectValue, mayFollow: boolean) => session(homeUrl(state, organization(), mayFollow));
  return {
    schema: WEBHOOK_SCHEMA,
    validate: validateWebhook,
    plan: async (request) => plan(session, organization(), request),
    // async, so that a missing session (no API key) rejects rather than throws.
    apply: async (request) => apply(request.prior ? home(request.prior, request.planned === null) : session(), request),
    read: async (state) => read(home(state, true), state),
    import: async (id) => importWebhook(session(), id),
  };
}

async function plan(
  session: () => Session,
  organization: Organization,
  { prior, proposed, config }: PlanRequest,
): Promise<PlanResult> {
  if (proposed === null || config === null) return { planned: null };
  // A webhook of another organization fails here, before any request (the read has already, unless refresh
  // was skipped); a new one (and a replacement) is created where the provider points.
  if (prior !== null) homeUrl(prior, organization, false);
  // Write-only (secret, adopt_existing): never planned or stored, so no change of theirs is a diff; their values
  // reach apply in the configuration.
  const planned: ObjectValue = { ...proposed, secret: null, adopt_existing: null, api_url: organization.apiUrl };
  // The proposal carries the prior value of an optional+computed attribute; the default must win, or a
  // webhook paused in the UI would never show as drift.
  if (config.is_enabled === null) planned.is_enabled = DEFAULT_IS_ENABLED;

  // Agent ids compare as UUIDs: a change of case alone is not a new scope.
  const replace = prior !== null && !sameAgent(prior.agent_id, planned.agent_id);
  if (prior !== null && !replace) {
    return { planned: { ...planned, id: prior.id, created_at: prior.created_at } };
  }
  if (replace) {
    // Terraform plans the create of the replacement next, with a null prior: the checks run there.
    return { planned: { ...planned, id: UNKNOWN, created_at: UNKNOWN }, requiresReplace: ["agent_id"] };
  }
  const diagnostics = await createChecks(session(), planned, config.adopt_existing === true);
  return { planned: { ...planned, id: UNKNOWN, created_at: UNKNOWN }, diagnostics };
}

/** Plan-time checks of a create, so that the plan fails before any write: the agent exists, the scope is free. */
async function createChecks(session: Session, planned: ObjectValue, adopt: boolean): Promise<Diagnostic[]> {
  if (planned.agent_id === UNKNOWN) return [];
  const agentId = known<string>(planned.agent_id) ?? null;
  const summary = "Cannot create the Preclinical webhook";
  // Checked by this command's plan already: the apply's POST enforces both rules again (./checked-creates.ts).
  if (!adopt && session.checked.has(agentId)) return [];
  try {
    // Read from the organization's agents list, shared by every webhook the process plans.
    const agent = agentId !== null ? await session.agents.byId(agentId) : undefined;
    if (agentId !== null && !agent) return [error(summary, messages.agentUnknown(agentId), "agent_id")];
    const holder = await session.directory.holderOf(agentId);
    if (!holder) {
      if (!adopt) session.checked.add(agentId);
      return [];
    }
    if (adopt) return [warning("Existing webhook will be adopted", messages.willAdopt(agentId, holder, agent?.name))];
    return [error(summary, messages.scopeHeld(agentId, holder, agent?.name), agentId ? "agent_id" : undefined)];
  } catch (err) {
    throw apiFailure("Cannot check the webhook's scope", "check the scope at plan time", err, session, agentId);
  }
}

async function apply(session: Session, request: ApplyRequest): Promise<StateResult> {
  try {
    return await applyChange(session, request);
  } catch (err) {
    // The write may or may not have landed: the shared list no longer tells.
    session.directory.invalidate();
    throw err;
  }
}

async function applyChange(session: Session, { prior, planned, config }: ApplyRequest): Promise<StateResult> {
  const secret = known<string>(config?.secret);
  if (planned === null) {
    if (prior) await remove(session, String(prior.id));
    return { state: null };
  }
  if (prior === null) {
    // What was asked is what the API now holds (the next refresh shows otherwise); the API adds id and time.
    const created = await create(session, planned, secret, config?.adopt_existing === true);
    session.directory.wrote(created);
    return {
      state: {
        ...planned,
        secret: null,
        id: created.id,
        created_at: created.created_at,
        api_url: session.client.baseUrl,
      },
    };
  }
  return { state: await update(session, prior, planned, secret) };
}

async function create(
  session: Session,
  planned: ObjectValue,
  secret: string | undefined,
  adopt: boolean,
): Promise<Webhook> {
  const agentId = known<string>(planned.agent_id) ?? null;
  const summary = "Could not create the Preclinical webhook";
  try {
    if (adopt) {
      const holder = await session.directory.holderOf(agentId);
      if (holder) {
        return await session.client.updateWebhook(holder.id, {
          url: String(planned.url),
          description: known<string>(planned.description) ?? null,
          is_enabled: planned.is_enabled as boolean,
          ...(secret !== undefined && { secret }),
        });
      }
    }
    const body: CreateWebhookRequest = {
      url: String(planned.url),
      is_enabled: planned.is_enabled as boolean,
      ...(known(planned.description) !== undefined && { description: String(planned.description) }),
      ...(agentId !== null && { agent_id: agentId }),
      ...(secret !== undefined && { secret }),
    };
    try {
      return await session.client.createWebhook(body);
    } catch (err) {
      if (!mayHaveBeenApplied(err)) throw err;
      // The POST may have landed though no answer said so: the scope tells, when it can be read.
      let holder: Webhook | undefined;
      try {
        session.directory.invalidate(); // the plan's list predates the POST
        holder = await session.directory.holderOf(agentId);
      } catch {
        throw new DiagnosticsError([
          error(summary, messages.createUncertain(agentId, (err as Error).message, session.commands)),
        ]);
      }
      if (holder && sameAsRequested(holder, body)) return holder;
      throw err;
    }
  } catch (err) {
    if (isAlreadyExists(err)) {
      // Taken since the plan checked (or since the plan of this command, which the apply trusts:
      // ./checked-creates.ts): name the holder and its agent, as the plan would have. The process's list, if
      // any, is the plan's, from before the holder was made: read the scope anew.
      session.directory.invalidate();
      const holder = await session.directory.holderOf(agentId).catch(() => undefined);
      if (holder) {
        const agent = agentId !== null ? await session.agents.byId(agentId).catch(() => undefined) : undefined;
        throw new DiagnosticsError([
          error(summary, messages.scopeHeld(agentId, holder, agent?.name), agentId ? "agent_id" : undefined),
        ]);
      }
    }
    throw apiFailure(summary, "create the webhook", err, session, agentId);
  }
}

/** Whether a failed create may still have created the webhook: no answer, a server error, a cancel. */
function mayHaveBeenApplied(err: unknown): boolean {
  if (isApiError(err)) return err.status >= 500 || err.status === 408;
  if (!isPreclinicalError(err)) return false;
  return err.code !== ClientErrorCodes.INVALID_CONFIGURATION && err.code !== ClientErrorCodes.API_CONTRACT_VIOLATION;
}

/** PUT of the fields that changed; the secret only when secret_version changed. */
async function update(
  session: Session,
  prior: ObjectValue,
  planned: ObjectValue,
  secret: string | undefined,
): Promise<ObjectValue> {
  const id = String(prior.id);
  const changes: UpdateWebhookRequest = {
    ...(planned.url !== prior.url && { url: String(planned.url) }),
    ...(planned.description !== prior.description && { description: known<string>(planned.description) ?? null }),
    ...(planned.is_enabled !== prior.is_enabled && { is_enabled: planned.is_enabled as boolean }),
    ...(planned.secret_version !== prior.secret_version && secret !== undefined && { secret }),
  };
  if (Object.keys(changes).length === 0) return { ...planned };
  try {
    session.directory.wrote(await session.client.updateWebhook(id, changes));
  } catch (err) {
    if (isNotFound(err))
      throw new DiagnosticsError([
        error("Could not update the Preclinical webhook", messages.goneSincePlan(id, session.commands)),
      ]);
    throw apiFailure("Could not update the Preclinical webhook", `update webhook ${id}`, err, session);
  }
  return { ...planned };
}

async function remove(session: Session, id: string): Promise<void> {
  try {
    await session.client.deleteWebhook(id);
    session.directory.deleted(id);
  } catch (err) {
    if (isNotFound(err)) return session.directory.deleted(id); // already gone: what delete wanted
    throw apiFailure("Could not delete the Preclinical webhook", `delete webhook ${id}`, err, session);
  }
}

async function read(session: Session, state: ObjectValue): Promise<StateResult> {
  const id = String(state.id);
  let webhook: Webhook | undefined;
  try {
    webhook = await session.directory.byId(id);
  } catch (err) {
    throw apiFailure("Could not read the Preclinical webhook", `read webhook ${id}`, err, session);
  }
  // Deleted outside Terraform: no state, so the plan creates it anew.
  if (!webhook) return { state: null };
  const fromApi = stateOf(webhook, state, session);
  // Agent ids compare as UUIDs: keep the configuration's spelling when only the case differs.
  if (sameAgent(state.agent_id, fromApi.agent_id)) fromApi.agent_id = state.agent_id;
  return { state: fromApi, diagnostics: deliveryHealth(webhook) };
}

async function importWebhook(session: Session, id: string): Promise<StateResult> {
  const summary = "Cannot import the Preclinical webhook";
  const scope = parseImportId(id);
  try {
    if (scope === undefined) {
      const webhook = await session.directory.byId(id);
      if (!webhook) throw new DiagnosticsError([error(summary, messages.importNoSuchWebhook(id))]);
      return { state: stateOf(webhook, null, session) };
    }
    const holder = await session.directory.holderOf(scope);
    if (!holder) throw new DiagnosticsError([error(summary, messages.importNothingInScope(scope, session.commands))]);
    return { state: stateOf(holder, null, session) };
  } catch (err) {
    throw apiFailure(summary, `import ${id}`, err, session);
  }
}

/** "organization" or "agent/<uuid>" names a scope (null: the organization's); a UUID is a webhook id. */
function parseImportId(id: string): string | null | undefined {
  if (id === importIdOf(null)) return null;
  const agent = /^agent\/(.*)$/.exec(id);
  if (agent && UUID_PATTERN.test(agent[1])) return agent[1];
  if (!agent && UUID_PATTERN.test(id)) return undefined;
  throw new DiagnosticsError([error("Cannot import the Preclinical webhook", messages.importIdRule(id))]);
}

/**
 * The state of a webhook as the API holds it through `session`, with what only the configuration knows taken
 * from `own`. Read through the organization it lives in, it records that organization's URL (state from
 * before api_url was kept records it from its first read on).
 */
function stateOf(webhook: Webhook, own: ObjectValue | null, session: Session): ObjectValue {
  return {
    id: webhook.id,
    url: webhook.url,
    description: webhook.description ?? null,
    agent_id: webhook.agent_id ?? null,
    is_enabled: webhook.is_enabled,
    secret: null,
    secret_version: own?.secret_version ?? null,
    adopt_existing: null,
    created_at: webhook.created_at,
    api_url: session.client.baseUrl,
  };
}

function sameAgent(a: unknown, b: unknown): boolean {
  if (typeof a === "string" && typeof b === "string") return a.toLowerCase() === b.toLowerCase();
  return a === b;
}
