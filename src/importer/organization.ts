/**
 * What preclinical-import reads: the organization's webhooks (one list), the part of them asked for, the
 * names of their agents (one read per distinct agent), and whether this library can declare each webhook as
 * the API returns it. Everything is read before anything is written.
 */
import type { PreclinicalClient } from "../api/client";
import { isAgentNotFound, isPreclinicalError } from "../api/errors";
import { RULE_TEXT, UUID_PATTERN, rules } from "../api/rules";
import { scopeHolder } from "../api/scope";
import type { Webhook } from "../api/schemas";
import { messages, quote } from "../messages";
import { assignNames, type Names } from "./naming";
import { representable } from "./quote";

/** A failure whose message is written for the user: the command prints it and writes nothing. */
export class ImportError extends Error {}

/** How a webhook's agent is known. */
export type AgentName = { readonly name: string } | { readonly unknown: string };

/** Why the library cannot declare a webhook's value as it is: the field, the value, the rule it breaks. */
export interface Refusal {
  readonly field: "url" | "description" | "agent_id" | "id";
  readonly value: string;
  /** What the value would have to be, after "is not"; undefined for a string Terraform cannot hold. */
  readonly rule?: string;
}

/** One webhook to import, with everything the generated code says about it. */
export interface ImportedWebhook extends Names {
  readonly id: string;
  readonly url: string;
  readonly description: string | null;
  readonly agentId: string | null;
  readonly isEnabled: boolean;
  /** The agent's name, or why it is unknown; undefined for the organization-level webhook. */
  readonly agent?: AgentName;
  /** What keeps the library from declaring it as it is: empty when the generated code declares it. */
  readonly refusals: readonly Refusal[];
}

export interface Selection {
  /** Only these agents' webhooks. */
  readonly agents?: readonly string[];
  /** Only the organization-level webhook. */
  readonly orgOnly?: boolean;
}

/** The agent reads that run at once: the client's pool holds 8 connections. */
const AGENT_READS_AT_ONCE = 8;

/**
 * The webhooks to import, sorted by construct id (the organization-level one first), and the warnings to
 * show. Throws ImportError when there is nothing to import or an asked-for agent has no webhook.
 */
export async function readOrganization(
  client: PreclinicalClient,
  selection: Selection,
): Promise<{ webhooks: ImportedWebhook[]; warnings: string[] }> {
  const all = await client.listWebhooks();
  // Two webhooks in one scope break the API's rule and could not both be declared: the client's check says so.
  for (const agentId of new Set(all.map((w) => w.agent_id?.toLowerCase() ?? null))) scopeHolder(all, agentId);
  const chosen = await select(client, all, selection);

  const agentIds = [...new Set(chosen.flatMap((w) => (w.agent_id ? [w.agent_id] : [])))];
  const names = await agentNames(client, agentIds);
  const warnings = [...names].flatMap(([id, agent]) =>
    "unknown" in agent ? [messages.importAgentNameUnknown(id, agent.unknown)] : [],
  );
  const assigned = assignNames(
    chosen.map((w) => {
      const agent = w.agent_id ? names.get(w.agent_id) : undefined;
      return {
        agentId: w.agent_id ?? null,
        webhookId: w.id,
        agentName: agent && "name" in agent ? agent.name : undefined,
      };
    }),
  );
  const webhooks = chosen.map((w, i): ImportedWebhook => ({
    id: w.id,
    url: w.url,
    description: w.description ?? null,
    agentId: w.agent_id ?? null,
    isEnabled: w.is_enabled,
    ...(w.agent_id && { agent: names.get(w.agent_id) }),
    refusals: refusalsOf(w),
    ...assigned[i],
  }));
  for (const w of webhooks) {
    if (w.refusals.length > 0)
      warnings.push(messages.importNotDeclared(w.id, w.agentId, w.refusals.map(explain(quote))));
  }
  if (webhooks.every((w) => w.refusals.length > 0))
    throw new ImportError(messages.importNothingDeclarable(webhooks.length));
  webhooks.sort((a, b) => order(a) - order(b) || (a.constructId < b.constructId ? -1 : 1));
  return { webhooks, warnings };
}

const order = (w: ImportedWebhook) => (w.agentId === null ? 0 : 1);

/** A refusal in words, with values shown by `show` (quoted for a terminal, or for a comment). */
export const explain =
  (show: (value: string) => string) =>
  (r: Refusal): string =>
    r.rule === undefined
      ? messages.importUnpairedSurrogate(r.field)
      : messages.importValueRefused(r.field, show(r.value), r.rule);

/** The part of the organization asked for; an asked-for agent without a webhook is a failure. */
async function select(client: PreclinicalClient, all: Webhook[], selection: Selection): Promise<Webhook[]> {
  if (selection.orgOnly) {
    const org = all.filter((w) => !w.agent_id);
    if (org.length === 0) throw new ImportError(messages.importNoOrgWebhook());
    return org;
  }
  if (!selection.agents || selection.agents.length === 0) {
    if (all.length === 0) throw new ImportError(messages.importNothing());
    return all;
  }
  const wanted = new Set(selection.agents.map((id) => id.toLowerCase()));
  const missing = [...wanted].filter((id) => !all.some((w) => w.agent_id?.toLowerCase() === id));
  if (missing.length > 0) {
    const found = await agentNames(client, missing);
    const agents = missing.map((id) => {
      const agent = found.get(id)!;
      return "name" in agent ? { id, name: agent.name } : { id };
    });
    throw new ImportError(messages.importUnknownAgents(agents));
  }
  return all.filter((w) => w.agent_id && wanted.has(w.agent_id.toLowerCase()));
}

/**
 * Each agent's name, read with GET /agents/{id}, a few at a time. An agent that cannot be read (deleted
 * since its webhook was made, a key that may not read agents, an API failure) is `unknown`, with the reason.
 */
async function agentNames(client: PreclinicalClient, ids: readonly string[]): Promise<Map<string, AgentName>> {
  const out = new Map<string, AgentName>();
  let next = 0;
  const worker = async () => {
    while (next < ids.length) {
      const id = ids[next++];
      try {
        out.set(id, { name: (await client.getAgent(id)).name });
      } catch (err) {
        if (!isPreclinicalError(err)) throw err;
        out.set(id, { unknown: isAgentNotFound(err) ? "no such agent: deleted since?" : err.message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(AGENT_READS_AT_ONCE, ids.length) }, worker));
  return out;
}

/** What keeps this library from declaring the webhook exactly as the API returns it. */
function refusalsOf(w: Webhook): Refusal[] {
  const out: Refusal[] = [];
  const check = (
    field: Refusal["field"],
    value: string | null | undefined,
    ok: (v: string) => boolean,
    rule: string,
  ) => {
    if (value === null || value === undefined) return;
    if (!representable(value)) out.push({ field, value });
    else if (!ok(value)) out.push({ field, value, rule });
  };
  check("id", w.id, (v) => UUID_PATTERN.test(v), "a UUID, which an import needs");
  check("url", w.url, rules.url, RULE_TEXT.url);
  check("description", w.description, rules.description, RULE_TEXT.description);
  check("agent_id", w.agent_id, rules.agentId, RULE_TEXT.agentId);
  return out;
}
