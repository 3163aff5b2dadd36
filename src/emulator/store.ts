/** The emulator's state: agents and the webhooks of every organization, with the API's rules. */
import { randomUUID } from "node:crypto";
import { DISABLED_AGENT_WEBHOOK_OVERRIDES, ErrorCodes, SCOPE_RULE_COUNTS_DISABLED } from "../api/assumptions";
import type { CreateWebhookRequest, UpdateWebhookRequest } from "../api/schemas";
import { EmulatorError, notFound } from "./http";
import type { ApiAgent, ApiWebhook, CreatedWebhook, EmulatorAgent, EmulatorOptions, StoredWebhook } from "./types";

type UnknownAgentAnswer = NonNullable<EmulatorOptions["unknownAgent"]>;

export class EmulatorStore {
  /** In insertion order, which is creation order: the agents list is oldest first. */
  private readonly agents = new Map<string, ApiAgent>();
  /** In insertion order, which is creation order: lists are oldest first. */
  private webhooksById = new Map<string, StoredWebhook>();

  constructor(
    private readonly unknownAgent: UnknownAgentAnswer,
    /** Accept every agent id: one not seen before is registered on first use. */
    private readonly anyAgent = false,
  ) {}

  addAgent(agent: EmulatorAgent): ApiAgent {
    const now = isoNow();
    const stored: ApiAgent = {
      id: agent.id,
      provider: agent.provider ?? "vapi",
      name: agent.name ?? `Agent ${agent.id.slice(0, 8)}`,
      description: agent.description ?? null,
      is_active: agent.is_active ?? true,
      created_at: now,
      updated_at: now,
    };
    this.agents.delete(agent.id); // added again: a new agent, last in the list
    this.agents.set(agent.id, stored);
    return stored;
  }

  /** The agents, oldest first, or those of one provider. */
  listAgents(provider?: string): ApiAgent[] {
    return [...this.agents.values()].filter((agent) => provider === undefined || agent.provider === provider);
  }

  getAgent(id: string): ApiAgent {
    const agent = this.agents.get(id) ?? (this.anyAgent ? this.addAgent({ id }) : undefined);
    if (!agent) throw notFound(`agent ${id} not found`, ErrorCodes.AGENT_NOT_FOUND);
    return agent;
  }

  createWebhook(organization: string, input: CreateWebhookRequest): StoredWebhook {
    const agentId = input.agent_id ?? null;
    if (agentId !== null && this.anyAgent && !this.agents.has(agentId)) this.addAgent({ id: agentId });
    if (agentId !== null && !this.agents.has(agentId)) {
      throw new EmulatorError(this.unknownAgent.status, this.unknownAgent.code, `agent ${agentId} not found`, {
        field: "agent_id",
      });
    }
    const isEnabled = input.is_enabled ?? true;
    this.assertScopeFree(organization, agentId, isEnabled);
    const now = isoNow();
    const webhook: StoredWebhook = {
      id: randomUUID(),
      url: input.url,
      description: input.description ?? null,
      agent_id: agentId,
      is_enabled: isEnabled,
      last_triggered_at: null,
      consecutive_failures: 0,
      created_at: now,
      updated_at: now,
      organization,
      secret: input.secret ?? null,
    };
    this.webhooksById.set(webhook.id, webhook);
    return webhook;
  }

  listWebhooks(organization?: string, agentId?: string): StoredWebhook[] {
    return [...this.webhooksById.values()].filter(
      (webhook) =>
        (organization === undefined || webhook.organization === organization) &&
        (agentId === undefined || webhook.agent_id === agentId),
    );
  }

  /** Another organization's webhook is NOT_FOUND, exactly like a missing one. */
  getWebhook(organization: string, id: string): StoredWebhook {
    const webhook = this.findWebhook(organization, id);
    if (!webhook) throw notFound(`webhook ${id} not found`);
    return webhook;
  }

  findWebhook(organization: string, id: string): StoredWebhook | undefined {
    const webhook = this.webhooksById.get(id);
    return webhook?.organization === organization ? webhook : undefined;
  }

  updateWebhook(organization: string, id: string, patch: UpdateWebhookRequest): StoredWebhook {
    const current = this.getWebhook(organization, id);
    if (patch.is_enabled === true && !current.is_enabled) {
      this.assertScopeFree(organization, current.agent_id, true, current.id);
    }
    return this.replace(current, {
      ...definedFields(patch),
      updated_at: nextTimestamp(current.updated_at),
    });
  }

  deleteWebhook(organization: string, id: string): void {
    this.getWebhook(organization, id);
    this.webhooksById.delete(id);
  }

  /** The webhook that receives an agent's test runs: the agent's own, else the organization-level one. */
  servingWebhook(organization: string, agentId: string): StoredWebhook | undefined {
    const inScope = (scope: string | null) =>
      this.listWebhooks(organization).find(
        (w) =>
          (scope === null ? w.agent_id === null : w.agent_id?.toLowerCase() === scope) &&
          (w.is_enabled || DISABLED_AGENT_WEBHOOK_OVERRIDES || scope === null),
      );
    return inScope(agentId.toLowerCase()) ?? inScope(null);
  }

  /** Sets the delivery counters, as a run of failed (or successful) deliveries would have. */
  setDeliveryHealth(
    organization: string,
    id: string,
    health: Pick<StoredWebhook, "consecutive_failures" | "last_triggered_at">,
  ): StoredWebhook {
    return this.replace(this.getWebhook(organization, id), health);
  }

  recordDelivery(webhook: StoredWebhook, success: boolean): StoredWebhook {
    return this.replace(webhook, {
      last_triggered_at: isoNow(),
      consecutive_failures: success ? 0 : webhook.consecutive_failures + 1,
    });
  }

  clearWebhooks(): void {
    this.webhooksById = new Map();
  }

  private replace(webhook: StoredWebhook, changes: Partial<StoredWebhook>): StoredWebhook {
    const updated = { ...webhook, ...changes };
    this.webhooksById.set(webhook.id, updated);
    return updated;
  }

  /** The scope rule: one organization-level webhook (agent_id null) and one webhook per agent. */
  private assertScopeFree(organization: string, agentId: string | null, enabled: boolean, exceptId?: string): void {
    if (!enabled && !SCOPE_RULE_COUNTS_DISABLED) return;
    const existing = this.listWebhooks(organization).find(
      (webhook) =>
        webhook.id !== exceptId && webhook.agent_id === agentId && (webhook.is_enabled || SCOPE_RULE_COUNTS_DISABLED),
    );
    if (!existing) return;
    const scope = agentId === null ? "the organization" : `agent ${agentId}`;
    throw new EmulatorError(409, ErrorCodes.ALREADY_EXISTS, `a webhook already exists for ${scope}`, {
      existing_id: existing.id,
    });
  }
}

/** The fields GET and PUT answer: everything documented, never the secret. */
export function toApiWebhook(webhook: StoredWebhook): ApiWebhook {
  return {
    ...toCreatedWebhook(webhook),
    last_triggered_at: webhook.last_triggered_at,
    consecutive_failures: webhook.consecutive_failures,
  };
}

/** The fields POST /webhooks answers. */
export function toCreatedWebhook(webhook: StoredWebhook): CreatedWebhook {
  return {
    id: webhook.id,
    url: webhook.url,
    description: webhook.description,
    agent_id: webhook.agent_id,
    is_enabled: webhook.is_enabled,
    created_at: webhook.created_at,
    updated_at: webhook.updated_at,
  };
}

function isoNow(): string {
  return new Date(Date.now()).toISOString();
}

/** Now, but at least one millisecond after `previous`, so that updated_at strictly moves forward. */
function nextTimestamp(previous: string): string {
  return new Date(Math.max(Date.now(), Date.parse(previous) + 1)).toISOString();
}

function definedFields<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as Partial<T>;
}
