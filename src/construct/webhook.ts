/**
 * PreclinicalWebhook: a Preclinical webhook declared in a cdktf program. Synth time only: it checks the props
 * once (./webhook-props.ts) and hands the WebhookSpec they describe to its connection's engine: the native
 * provider (./provider-engine.ts) or provisioners (./provisioner-engine.ts). Neither engine knows the other.
 */
import { Construct, type IConstruct, type IValidation } from "constructs";
import { Token, type TerraformResource } from "cdktf";
import { describeScope } from "../api/scope";
import { messages } from "../messages";
import { scopeKey, type LedgerEntry } from "../provisioner/protocol";
import { agentOfToken } from "./agent";
import { PreclinicalLedger } from "./ledger";
import { checkPipelineInputs } from "./pipeline-input";
import { declareDeliveryTest, declareWithProvider } from "./provider-engine";
import type { PreclinicalWebhookResource, PreclinicalWebhookTestResource } from "./provider-binding";
import { declareWithProvisioners, type ProvisionerResources } from "./provisioner-engine";
import { PreclinicalEngine, type ConnectionSettings } from "./settings";
import { describeWebhook, type PreclinicalWebhookProps } from "./webhook-props";

/** A Preclinical webhook, created, updated and deleted through the Preclinical API by `cdktf deploy`. */
export class PreclinicalWebhook extends Construct {
  /** The resolved connection of this webhook. */
  public readonly connectionSettings: ConnectionSettings;
  private readonly agentId: string | undefined;
  private readonly provisioned?: ProvisionerResources;
  private readonly resource?: PreclinicalWebhookResource;
  private readonly deliveryTest?: PreclinicalWebhookTestResource;

  constructor(scope: Construct, id: string, props: PreclinicalWebhookProps) {
    super(scope, id);
    const spec = describeWebhook(this, props);
    this.connectionSettings = spec.settings;
    this.agentId = props.agentId;
    if (spec.settings.engine === PreclinicalEngine.PROVIDER) {
      this.resource = declareWithProvider(this, spec);
      PreclinicalLedger.declareProviderScope(this, spec.path, this._ledgerEntry());
      if (spec.verifyDelivery) this.deliveryTest = declareDeliveryTest(this, this.resource, spec);
    } else {
      this.provisioned = declareWithProvisioners(this, spec, this._ledgerEntry());
    }
    register(this);
    this.node.addValidation(new UniqueScopeValidation(this));
    const { url, description, agentId, isEnabled, secret, secretVersion } = props;
    checkPipelineInputs(this, { url, description, agentId, isEnabled, secret, secretVersion });
  }

  /**
   * The webhook's id, as the API and the Preclinical UI show it: a Terraform value (token) for outputs and
   * other resources. After a webhook deleted outside the code is created anew, the new id. Provider engine only.
   */
  public get webhookId(): string {
    return this.providerResource("webhookId").id;
  }

  /** When the webhook was created (ISO-8601), as a token. Provider engine only. */
  public get createdAt(): string {
    return this.providerResource("createdAt").createdAt;
  }

  /** The resource keyed by the scope; its destroy provisioner deletes the webhook. Provisioner engine only. */
  public get scopeResource(): TerraformResource {
    return this.provisionerResources("scopeResource").scopeResource;
  }

  /** The resource keyed by the declared fields; its provisioner converges the webhook. Provisioner engine only. */
  public get configResource(): TerraformResource {
    return this.provisionerResources("configResource").configResource;
  }

  /** The `preclinical_webhook` resource. Provider engine only. */
  public get webhookResource(): TerraformResource {
    return this.providerResource("webhookResource");
  }

  /**
   * The `preclinical_webhook_test` resource that `verifyDelivery` adds, e.g. for its `httpStatus` in an output.
   * Fails synthesis without `verifyDelivery`.
   */
  public get deliveryTestResource(): TerraformResource {
    if (!this.deliveryTest) throw new Error(messages.needsVerifyDelivery(this.node.path));
    return this.deliveryTest;
  }

  private providerResource(what: string): PreclinicalWebhookResource {
    if (!this.resource) throw new Error(messages.needsEngine(this.node.path, what, PreclinicalEngine.PROVIDER));
    return this.resource;
  }

  private provisionerResources(what: string): ProvisionerResources {
    if (!this.provisioned) throw new Error(messages.needsEngine(this.node.path, what, PreclinicalEngine.PROVISIONERS));
    return this.provisioned;
  }

  /**
   * The scope this webhook manages, as the ledger records it.
   * @internal
   */
  public _ledgerEntry(): LedgerEntry {
    return {
      apiUrl: this.connectionSettings.apiUrl,
      apiKeyEnvVar: this.connectionSettings.apiKeyEnvVar,
      agentId: this.agentId ?? null,
    };
  }

  /**
   * The scope key, or undefined when the agent id is only known at plan time. An id from a PreclinicalAgent
   * is keyed by that agent: two webhooks that take it claim one scope.
   * @internal
   */
  public _scopeKey(): string | undefined {
    const entry = this._ledgerEntry();
    const agent = agentOfToken(this, entry.agentId ?? undefined);
    if (agent) return scopeKey({ ...entry, agentId: agent.node.path });
    return entry.agentId !== null && Token.isUnresolved(entry.agentId) ? undefined : scopeKey(entry);
  }

  /**
   * The scope as messages name it: an id from a PreclinicalAgent by that agent's path.
   * @internal
   */
  public _scopeName(): string {
    const agentId = this._ledgerEntry().agentId;
    const agent = agentOfToken(this, agentId ?? undefined);
    return agent ? `scope of the agent of ${agent.node.path}` : describeScope(agentId);
  }
}

/** The webhooks of each App (construct tree root), in the order they were created. */
const webhooksByRoot = new WeakMap<IConstruct, PreclinicalWebhook[]>();
/** The first webhook of each scope key, per root; rebuilt only when webhooks were added since. */
const firstByScope = new WeakMap<IConstruct, { size: number; first: Map<string, PreclinicalWebhook> }>();

function register(webhook: PreclinicalWebhook): void {
  const root = webhook.node.root;
  const list = webhooksByRoot.get(root) ?? [];
  list.push(webhook);
  webhooksByRoot.set(root, list);
}

/**
 * Fails synthesis when two webhooks of one App claim the same scope. The scope index is built once per
 * App (not once per webhook), so checking N webhooks costs O(N).
 */
class UniqueScopeValidation implements IValidation {
  constructor(private readonly webhook: PreclinicalWebhook) {}

  public validate(): string[] {
    const key = this.webhook._scopeKey();
    if (key === undefined) return [];
    const first = scopeIndex(this.webhook.node.root).get(key);
    if (!first || first === this.webhook) return [];
    return [messages.duplicateScope(this.webhook._scopeName(), first.node.path, this.webhook.node.path)];
  }
}

function scopeIndex(root: IConstruct): Map<string, PreclinicalWebhook> {
  const webhooks = webhooksByRoot.get(root) ?? [];
  const cached = firstByScope.get(root);
  if (cached && cached.size === webhooks.length) return cached.first;
  const first = new Map<string, PreclinicalWebhook>();
  for (const webhook of webhooks) {
    const key = webhook._scopeKey();
    if (key !== undefined && !first.has(key)) first.set(key, webhook);
  }
  firstByScope.set(root, { size: webhooks.length, first });
  return first;
}
