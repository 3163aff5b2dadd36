/**
 * The stack's ledger: one resource whose triggers are the map of construct path to scope. When a webhook is
 * removed from the program, Terraform drops its resources without running their destroy provisioners; the
 * ledger's map changes, so the ledger is replaced, and its destroy provisioner (default replacement order:
 * destroy first, with `self` = the old map) deletes the scopes of paths that are no longer declared. The
 * current paths reach it as literal text, the only other thing a destroy provisioner may read.
 */
import { Construct } from "constructs";
import { Lazy, TerraformStack, Token } from "cdktf";
import {
  Env,
  LEDGER_ID,
  PLAN_TIME_AGENT,
  ProvisionerCommand,
  encodeLedgerEntry,
  type LedgerEntry,
} from "../provisioner/protocol";
import type { ConnectionSettings } from "./settings";
import { carrierResource, selfTriggersJson } from "./resources";
import { messages } from "../messages";
import { escapeTemplate } from "./hcl";

/** Recognises a ledger as cdktf recognises its objects: by a global symbol, not `instanceof` (two copies). */
const LEDGER_SYMBOL = Symbol.for("cdktf-preclinical-webhooks.PreclinicalLedger");

function isLedger(x: unknown): x is PreclinicalLedger {
  return typeof x === "object" && x !== null && LEDGER_SYMBOL in x;
}

/** The scopes of each stack's provider-engine webhooks: the ledger must count them as still declared. */
const providerScopes = new WeakMap<TerraformStack, Map<string, LedgerEntry>>();

export class PreclinicalLedger extends Construct {
  public static readonly ID = LEDGER_ID;

  /**
   * Records a scope that a provider-engine webhook of the stack manages. A webhook moved from provisioners to
   * the provider leaves the ledger's map; without this, the ledger's reconcile would delete its webhook in
   * the same apply that adopts or imports it. Read at synthesis, so the order of the code does not matter.
   */
  public static declareProviderScope(scope: Construct, path: string, entry: LedgerEntry): void {
    const stack = TerraformStack.of(scope);
    const scopes = providerScopes.get(stack) ?? new Map<string, LedgerEntry>();
    scopes.set(path, entry);
    providerScopes.set(stack, scopes);
  }

  /** The resource type of the stack's ledger, if the stack has one yet (one type per stack). */
  public static resourceTypeOf(scope: Construct): ConnectionSettings["resourceType"] | undefined {
    const existing = TerraformStack.of(scope).node.tryFindChild(PreclinicalLedger.ID);
    return isLedger(existing) ? existing.resourceType : undefined;
  }

  /** The ledger of the stack that contains `scope`, created on first use with the first webhook's settings. */
  public static of(scope: Construct, settings: ConnectionSettings): PreclinicalLedger {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(PreclinicalLedger.ID);
    if (!isLedger(existing)) return new PreclinicalLedger(stack, PreclinicalLedger.ID, settings);
    // One ledger, one resource type: with two, which one it had would depend on the order of the code.
    if (existing.resourceType !== settings.resourceType) {
      throw new Error(messages.mixedResourceTypes(existing.resourceType, settings.resourceType));
    }
    return existing;
  }

  private readonly resourceType: ConnectionSettings["resourceType"];

  private readonly entries = new Map<string, LedgerEntry>();

  private constructor(scope: Construct, id: string, settings: ConnectionSettings) {
    super(scope, id);
    Object.defineProperty(this, LEDGER_SYMBOL, { value: true });
    this.resourceType = settings.resourceType;
    carrierResource(this, "ledger", settings, {
      triggers: Lazy.anyValue({ produce: () => this.triggerMap() }),
      runs: [
        {
          command: ProvisionerCommand.RECONCILE,
          when: "destroy",
          environment: {
            [Env.LEDGER_PREVIOUS]: selfTriggersJson(settings.resourceType),
            [Env.LEDGER_CURRENT]: Lazy.stringValue({ produce: () => this.currentText() }),
          },
        },
      ],
    });
  }

  /** Records that the construct at `path` manages the scope `entry`. */
  public record(path: string, entry: LedgerEntry): void {
    this.entries.set(path, entry);
  }

  private sorted(): [string, LedgerEntry][] {
    return [...this.entries.entries()].sort(([a], [b]) => a.localeCompare(b));
  }

  private triggerMap(): Record<string, string> {
    // The agent id may be a token (its `${` must stay); the path and the API URL are literals and are escaped.
    return Object.fromEntries(
      this.sorted().map(([path, entry]) => [
        escapeTemplate(path),
        encodeLedgerEntry({ ...entry, apiUrl: escapeTemplate(entry.apiUrl) }),
      ]),
    );
  }

  /** The current map as literal text: tokens are not allowed in a destroy provisioner, so they are masked. */
  private currentText(): string {
    const elsewhere = [...(providerScopes.get(TerraformStack.of(this))?.entries() ?? [])];
    const all = [...this.sorted(), ...elsewhere.sort(([a], [b]) => a.localeCompare(b))];
    const literal = all.map(([path, entry]) => {
      const agentId = entry.agentId !== null && Token.isUnresolved(entry.agentId) ? PLAN_TIME_AGENT : entry.agentId;
      return [path, encodeLedgerEntry({ ...entry, agentId })];
    });
    return escapeTemplate(JSON.stringify(Object.fromEntries(literal)));
  }
}
