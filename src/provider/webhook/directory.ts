/**
 * The organization's webhooks as one provider process sees them (its agents: ../organization/agents.ts). A
 * refresh of any number of
 * webhooks costs one `GET /webhooks`: concurrent reads share one answer. The process's own writes are
 * applied to that answer (a list fetched while a write was in flight included), so an apply of many
 * webhooks does not fetch it again after each write; a write whose outcome is unknown drops it. Where the
 * list cannot serve (the API pages it), reads go per id.
 */
import type { PreclinicalClient } from "../../api/client";
import { scopeHolder } from "../../api/scope";
import { ClientErrorCodes, isNotFound, isPreclinicalError } from "../../api/errors";
import type { Webhook } from "../../api/schemas";

/** The list could not serve: read per id. */
const NO_LIST = null;

export class WebhookDirectory {
  private list: Promise<Webhook[] | typeof NO_LIST> | undefined;

  constructor(private readonly client: () => PreclinicalClient) {}

  /** The webhook with this id, or undefined when it no longer exists. */
  public async byId(id: string): Promise<Webhook | undefined> {
    const all = await this.all();
    if (all !== NO_LIST) return indexOf(all).byId.get(id);
    try {
      return await this.client().getWebhook(id);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** The webhook that holds a scope (null: the organization-level one). */
  public async holderOf(agentId: string | null): Promise<Webhook | undefined> {
    const all = await this.all();
    if (all === NO_LIST) return this.client().findScopeWebhook(agentId);
    // The scope's own webhooks, which scopeHolder still checks (more than one is the API breaking its rule).
    return scopeHolder(indexOf(all).byScope.get(scopeKey(agentId)) ?? [], agentId);
  }

  /** Every webhook of the organization. Where the shared list cannot serve, the API is asked again, and says why. */
  public async everything(): Promise<Webhook[]> {
    const all = await this.all();
    return all !== NO_LIST ? [...all] : this.client().listWebhooks();
  }

  /** A webhook this process created or updated, as the API answered. */
  public wrote(webhook: Webhook): void {
    this.patch((all) => {
      // A create's answer has no delivery counters (a new webhook has had no delivery), and an update's may
      // leave them out: keep what the list said, so readers of the counters never see them vanish.
      const before = all.find((w) => w.id === webhook.id);
      const counters = {
        consecutive_failures: before?.consecutive_failures ?? 0,
        last_triggered_at: before?.last_triggered_at ?? null,
      };
      return [...all.filter((w) => w.id !== webhook.id), { ...counters, ...definedFields(webhook) }];
    });
  }

  /** A webhook this process deleted (or found already deleted). */
  public deleted(id: string): void {
    this.patch((all) => all.filter((w) => w.id !== id));
  }

  /** After a write whose outcome is unknown: the next read asks the API again. */
  public invalidate(): void {
    this.list = undefined;
  }

  private patch(change: (all: Webhook[]) => Webhook[]): void {
    const list = this.list;
    if (!list) return; // a list fetched later includes the write
    // One in flight now is patched when it lands; if it fails, it is not kept, as in all().
    const patched: Promise<Webhook[] | typeof NO_LIST> = list.then(
      (all) => (all === NO_LIST ? NO_LIST : change(all)),
      (err: unknown) => {
        if (this.list === patched) this.list = undefined;
        throw err;
      },
    );
    this.list = patched;
  }

  private all(): Promise<Webhook[] | typeof NO_LIST> {
    if (!this.list) {
      const request = this.client()
        .listWebhooks()
        .catch((err: unknown) => {
          if (isPreclinicalError(err) && err.code === ClientErrorCodes.API_CONTRACT_VIOLATION) return NO_LIST;
          // A failed list is not kept: the next caller tries again.
          if (this.list === request) this.list = undefined;
          throw err;
        });
      this.list = request;
    }
    return this.list;
  }
}

/** A list's webhooks by id and by scope, made once per list (each write makes a new list). */
interface ListIndex {
  byId: Map<string, Webhook>;
  byScope: Map<string | null, Webhook[]>;
}

const indexes = new WeakMap<readonly Webhook[], ListIndex>();

function scopeKey(agentId: string | null | undefined): string | null {
  return agentId?.toLowerCase() ?? null;
}

/** A plan reads every webhook of a stack from one list: by index, not by a search of the list per read. */
function indexOf(all: readonly Webhook[]): ListIndex {
  let index = indexes.get(all);
  if (!index) {
    index = { byId: new Map(), byScope: new Map() };
    for (const webhook of all) {
      if (!index.byId.has(webhook.id)) index.byId.set(webhook.id, webhook);
      const key = scopeKey(webhook.agent_id);
      const inScope = index.byScope.get(key);
      if (inScope) inScope.push(webhook);
      else index.byScope.set(key, [webhook]);
    }
    indexes.set(all, index);
  }
  return index;
}

function definedFields<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, field]) => field !== undefined)) as T;
}
