/**
 * PreclinicalWebhook: a Preclinical webhook declared in a cdktf program. Synth time only: it validates the
 * props and hands the webhook to its connection's engine: the native provider (./provider-engine.ts) or
 * provisioners (./provisioner-engine.ts). Neither engine knows the other; both take a WebhookSpec.
 */
import { Construct, type IConstruct, type IValidation } from "constructs";
import { Annotations, Token, type IResolvable, type TerraformResource } from "cdktf";
import { describeScope } from "../api/scope";
import { messages } from "../messages";
import { scopeKey, type LedgerEntry } from "../provisioner/protocol";
import { agentOfToken, sameOrganization } from "./agent";
import { PreclinicalConnection, resolveConnection } from "./connection";
import { PreclinicalEngine, type WebhookSpec } from "./engine";
import { PreclinicalLedger } from "./ledger";
import { declareDeliveryTest, declareWithProvider } from "./provider-engine";
import type { PreclinicalWebhookResource, PreclinicalWebhookTestResource } from "./provider-binding";
import { declareWithProvisioners, type ProvisionerResources } from "./provisioner-engine";
import type { ConnectionSettings } from "./settings";
import { literal } from "./hcl";
import { checkPipelineInputs } from "./pipeline-input";
import { secretFingerprint } from "./secret";
import { namingConstruct, preconditions, tokenPreconditions, validateLiterals } from "./validation";

/** The props of a PreclinicalWebhook. */
export interface PreclinicalWebhookProps {
  /**
   * The URL Preclinical POSTs to when a test run completes.
   *
   * An absolute https URL (plain http only for localhost, 127.x.x.x and [::1]), at most 2048 characters,
   * without credentials, whitespace or control characters.
   */
  readonly url: string;
  /**
   * The secret Preclinical signs deliveries with. Pass it through a sensitive TerraformVariable: then it
   * never appears in cdk.tf.json, the state or any output. A literal string works but is a synth warning.
   *
   * 16 to 256 characters. Terraform notices a change through a fingerprint (the first 16 hex digits of a
   * salted SHA-256), which is all of it that the state holds. Removing the prop leaves the secret the
   * webhook has as it is: the API offers no way to clear it.
   * @default - no secret is sent
   */
  readonly secret?: string;
  /**
   * Any text; changing it sends the secret again. Replaces the fingerprint that otherwise tells Terraform the
   * secret changed. Set it when the secret comes from an ephemeral variable (Terraform 1.10+), which keeps
   * the secret out of saved plan files (`cdktf diff` saves one): no fingerprint can be computed from an
   * ephemeral value.
   * @default - a salted fingerprint of the secret
   */
  readonly secretVersion?: string;
  /**
   * A free-text description, sent verbatim (Terraform template sequences such as `${` are escaped for you).
   *
   * At most 1000 characters; no control characters but tab, newline and carriage return.
   * @default - no description (null)
   */
  readonly description?: string;
  /**
   * The agent whose test runs this webhook receives. An agent-level webhook overrides the
   * organization-level one for that agent. Changing it deletes the old scope's webhook and creates one in
   * the new scope.
   * @default - the organization-level webhook
   */
  readonly agentId?: string;
  /**
   * Whether Preclinical delivers to this webhook.
   * @default true
   */
  readonly isEnabled?: boolean | IResolvable;
  /**
   * Take over a webhook that already holds this scope but was not created by this stack (one made in the
   * UI, say), and converge it to these props. Without it, such a webhook fails the plan (provider engine)
   * or the deploy (provisioner engine), naming its id.
   * @default false
   */
  readonly adoptExisting?: boolean;
  /**
   * Test the delivery on deploy: after the webhook is created or changed, Preclinical sends it a test event, and
   * a delivery that fails (the receiver answers an error, or cannot be reached) fails the deploy, naming the
   * webhook, its URL and the receiver's status. The webhook itself is kept as it is, and the next deploy tests
   * again. It tests again whenever the URL, the secret (its version) or the enabled state changes, or the
   * webhook is created anew; not for a description. A disabled webhook is not tested (a warning says so).
   * Provider engine only.
   * @default false
   */
  readonly verifyDelivery?: boolean;
  /**
   * The organization to manage the webhook in.
   * @default - the stack's default connection (PreclinicalConnection.defaultFor)
   */
  readonly connection?: PreclinicalConnection;
  /**
   * The API base URL for this webhook only. Cannot be combined with `connection`.
   * @default - the connection's apiUrl
   */
  readonly apiUrl?: string;
  /**
   * The name of the environment variable holding the API key for this webhook only. Cannot be combined with
   * `connection`.
   * @default - the connection's apiKeyEnvVar ("PRECLINICAL_API_KEY")
   */
  readonly apiKeyEnvVar?: string;
}

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
    this.connectionSettings = namingConstruct(this, () => {
      const settings = connectionOf(this, props);
      validateLiterals(props);
      return settings;
    });
    checkAgentToken(this, props.agentId);
    this.agentId = props.agentId;
    const settings = this.connectionSettings;
    const path = this.node.path;

    if (props.secret !== undefined && !Token.isUnresolved(props.secret)) {
      Annotations.of(this).addWarning(messages.literalSecret());
    }

    const spec: WebhookSpec = {
      path,
      settings,
      url: literal(props.url)!,
      description: literal(props.description),
      agentId: literal(props.agentId),
      isEnabled: props.isEnabled ?? true,
      secret: literal(props.secret),
      secretFingerprint:
        props.secret === undefined
          ? undefined
          : (literal(props.secretVersion) ?? secretFingerprint(path, props.secret)),
      adoptExisting: props.adoptExisting ?? false,
    };
    const agentChecks =
      props.agentId && Token.isUnresolved(props.agentId) ? [preconditions.agentId(props.agentId)] : [];
    if (settings.engine === PreclinicalEngine.PROVIDER) {
      this.resource = declareWithProvider(this, spec, [...agentChecks, ...tokenPreconditions(props)]);
      PreclinicalLedger.declareProviderScope(this, path, this._ledgerEntry());
      if (props.verifyDelivery) {
        this.deliveryTest = declareDeliveryTest(this, this.resource, spec);
        if (spec.isEnabled === false) Annotations.of(this).addWarning(messages.verifyDeliveryDisabled());
      }
    } else {
      if (props.verifyDelivery) throw new Error(messages.verifyDeliveryNeedsProvider(path));
      this.provisioned = declareWithProvisioners(
        this,
        spec,
        { agentId: agentChecks, fields: tokenPreconditions(props) },
        this._ledgerEntry(),
      );
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

/**
 * An `agentId` from a PreclinicalAgent: read by the provider at plan time, so only a provider-engine webhook
 * of the same organization can take it.
 */
function checkAgentToken(webhook: PreclinicalWebhook, agentId: string | undefined): void {
  const agent = agentOfToken(webhook, agentId);
  if (!agent) return;
  if (webhook.connectionSettings.engine !== PreclinicalEngine.PROVIDER) {
    throw new Error(messages.agentTokenOnProvisioners(webhook.node.path, agent.node.path));
  }
  if (!sameOrganization(agent.connectionSettings, webhook.connectionSettings)) {
    throw new Error(messages.agentTokenOtherOrganization(webhook.node.path, agent.node.path));
  }
}

function connectionOf(webhook: Construct, props: PreclinicalWebhookProps): ConnectionSettings {
  if (props.connection && (props.apiUrl !== undefined || props.apiKeyEnvVar !== undefined)) {
    throw new Error(messages.connectionWithOwnSettings(webhook.node.path));
  }
  if (props.connection) return props.connection.settings;
  // A webhook with its own API URL does not depend on the stack's default (nor on PRECLINICAL_API_URL).
  if (props.apiUrl !== undefined) {
    const resourceType = PreclinicalLedger.resourceTypeOf(webhook);
    return resolveConnection({ apiUrl: props.apiUrl, apiKeyEnvVar: props.apiKeyEnvVar, resourceType });
  }
  const base = PreclinicalConnection.defaultFor(webhook).settings;
  return props.apiKeyEnvVar === undefined ? base : resolveConnection({ apiKeyEnvVar: props.apiKeyEnvVar }, base);
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
