/**
 * The typed Preclinical API client: one method per documented operation, with zod-checked bodies, and the
 * scope rule where an operation needs it (a create whose answer was lost is resolved by reading its scope
 * back). How a request is sent and retried is transport.ts's; what an answer means, responses.ts's.
 *
 * Every request to the Preclinical API goes through this client, so tests can point it at the emulator and
 * count what it sends.
 */
import { PAGE_LIMIT } from "./assumptions";
import { readAllPages } from "./paging";
import {
  AgentListSchema,
  AgentSchema,
  CreateWebhookRequestSchema,
  TestDeliveryResultSchema,
  UpdateWebhookRequestSchema,
  WebhookListSchema,
  WebhookSchema,
  type Agent,
  type CreateWebhookRequest,
  type TestDeliveryResult,
  type UpdateWebhookRequest,
  type Webhook,
} from "./schemas";
import { sameAsRequested, scopeHolder } from "./scope";
import { isAlreadyExists } from "./errors";
import { Transport, type PreclinicalClientOptions, type SendOptions } from "./transport";

export class PreclinicalClient {
  public readonly baseUrl: string;
  private readonly transport: Transport;

  constructor(options: PreclinicalClientOptions) {
    this.transport = new Transport(options);
    this.baseUrl = this.transport.baseUrl;
  }

  /**
   * Lists the organization's webhooks, every page of them (assumptions.ts, 5), or only the one of an agent.
   * A partial organization-wide list would make an occupied scope look free, or a webhook to delete look
   * gone: pages that do not make one list are refused rather than acted on.
   */
  public async listWebhooks(filter: { agentId?: string } = {}): Promise<Webhook[]> {
    if (filter.agentId) {
      // At most one webhook (the scope rule): one page, whose `total` is not documented for a filter.
      const query = { agent_id: filter.agentId, ...pageQuery(PAGE_LIMIT, 0) };
      return (await this.send("GET", "/webhooks", { query, schema: WebhookListSchema })).webhooks;
    }
    return readAllPages("GET /webhooks", async (limit, offset) => {
      const page = await this.send("GET", "/webhooks", { query: pageQuery(limit, offset), schema: WebhookListSchema });
      return { items: page.webhooks, total: page.total };
    });
  }

  /** Lists the organization's agents, every page of them, or those of one `provider` (e.g. "vapi"). */
  public listAgents(filter: { provider?: string } = {}): Promise<Agent[]> {
    return readAllPages("GET /agents", async (limit, offset) => {
      const query = {
        ...(filter.provider !== undefined && { provider: filter.provider }),
        ...pageQuery(limit, offset),
      };
      const page = await this.send("GET", "/agents", { query, schema: AgentListSchema });
      return { items: page.agents, total: page.total };
    });
  }

  /** Reads one webhook. Throws NOT_FOUND for an unknown id or another organization's webhook. */
  public getWebhook(id: string): Promise<Webhook> {
    return this.send("GET", `/webhooks/${encodeURIComponent(id)}`, { schema: WebhookSchema });
  }

  /**
   * Creates a webhook. A retry of a create whose first answer was lost, answered ALREADY_EXISTS, is resolved
   * by reading the scope back: when that webhook is the one asked for, it is returned as created.
   */
  public async createWebhook(input: CreateWebhookRequest): Promise<Webhook> {
    const body = CreateWebhookRequestSchema.parse(input);
    try {
      return await this.send("POST", "/webhooks", { body, schema: WebhookSchema, secrets: [body.secret] });
    } catch (err) {
      if (isAlreadyExists(err) && err.afterUncertainAttempt) {
        const existing = await this.findScopeWebhook(body.agent_id ?? null);
        if (existing && sameAsRequested(existing, body)) {
          this.transport.debug(`POST /webhooks: an earlier attempt had created ${existing.id}; using it`);
          return existing;
        }
      }
      throw err;
    }
  }

  /** Changes some fields of a webhook; `updated_at` moves. */
  public updateWebhook(id: string, input: UpdateWebhookRequest): Promise<Webhook> {
    const body = UpdateWebhookRequestSchema.parse(input);
    return this.send("PUT", `/webhooks/${encodeURIComponent(id)}`, {
      body,
      schema: WebhookSchema,
      secrets: [body.secret],
    });
  }

  /** Deletes a webhook. Throws NOT_FOUND when it is already gone. */
  public async deleteWebhook(id: string): Promise<void> {
    await this.send("DELETE", `/webhooks/${encodeURIComponent(id)}`, {});
  }

  /**
   * Asks Preclinical to send a test delivery to the webhook's URL. A failed delivery is `success: false`
   * (`http_status` null or absent when the receiver could not be reached), not an error. Retried only when
   * the request provably never arrived: a second attempt would be a second delivery.
   */
  public testWebhook(id: string): Promise<TestDeliveryResult> {
    return this.send("POST", `/webhooks/${encodeURIComponent(id)}/test`, {
      schema: TestDeliveryResultSchema,
      retryMode: "notApplied",
    });
  }

  /** Reads an agent. Throws an error that `isAgentNotFound` recognises for an unknown agent. */
  public getAgent(id: string): Promise<Agent> {
    return this.send("GET", `/agents/${encodeURIComponent(id)}`, { schema: AgentSchema });
  }

  /**
   * The webhook that holds a scope: the organization-level one (`agentId` null) or an agent's. Filters
   * locally as well, so a server that ignores the `agent_id` filter is still read correctly.
   */
  public async findScopeWebhook(agentId: string | null): Promise<Webhook | undefined> {
    return scopeHolder(await this.listWebhooks(agentId ? { agentId } : {}), agentId);
  }

  /** Closes the pooled connections. */
  public close(): Promise<void> {
    return this.transport.close();
  }

  private send<T>(method: string, path: string, options: SendOptions<T>): Promise<T> {
    return this.transport.send(method, path, options);
  }
}

function pageQuery(limit: number, offset: number): Record<string, string> {
  return { limit: String(limit), offset: String(offset) };
}
