/**
 * The props of a PreclinicalWebhook, and their one check: at the top of the constructor, `describeWebhook`
 * resolves the connection, checks every literal against its rule (../api/rules.ts, through ./validation.ts),
 * turns the values only known at plan time into preconditions, and hands back the WebhookSpec that the
 * chosen engine takes (./engine.ts). An error names the construct by its path.
 */
import { Annotations, Token, type IResolvable, type Precondition } from "cdktf";
import type { Construct } from "constructs";
import { messages } from "../messages";
import { agentOfToken, sameOrganization } from "./agent";
import { PreclinicalConnection, resolveConnection } from "./connection";
import type { WebhookSpec } from "./engine";
import { literal } from "./hcl";
import { PreclinicalLedger } from "./ledger";
import { secretFingerprint } from "./secret";
import { PreclinicalEngine, type ConnectionSettings } from "./settings";
import { checkLiteral, namingConstruct, preconditions } from "./validation";

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

/**
 * Checks a webhook's props, once: the connection, the literals and the engine's limits throw (naming the
 * construct); a literal secret and a delivery test of a disabled webhook are warnings. What is only known at
 * plan time becomes a precondition of the spec.
 */
export function describeWebhook(webhook: Construct, props: PreclinicalWebhookProps): WebhookSpec {
  const settings = namingConstruct(webhook, () => {
    const resolved = connectionOf(webhook, props);
    validateLiterals(props);
    return resolved;
  });
  checkAgentToken(webhook, settings, props.agentId);
  const path = webhook.node.path;
  if (props.secret !== undefined && !Token.isUnresolved(props.secret)) {
    Annotations.of(webhook).addWarning(messages.literalSecret());
  }
  const isEnabled = props.isEnabled ?? true;
  const verifyDelivery = Boolean(props.verifyDelivery);
  if (verifyDelivery && settings.engine !== PreclinicalEngine.PROVIDER) {
    throw new Error(messages.verifyDeliveryNeedsProvider(path));
  }
  if (verifyDelivery && isEnabled === false) Annotations.of(webhook).addWarning(messages.verifyDeliveryDisabled());
  return {
    path,
    settings,
    url: literal(props.url)!,
    description: literal(props.description),
    agentId: literal(props.agentId),
    isEnabled,
    secret: literal(props.secret),
    secretFingerprint:
      props.secret === undefined ? undefined : (literal(props.secretVersion) ?? secretFingerprint(path, props.secret)),
    adoptExisting: props.adoptExisting ?? false,
    verifyDelivery,
    preconditions: {
      scope: props.agentId && Token.isUnresolved(props.agentId) ? [preconditions.agentId(props.agentId)] : [],
      fields: tokenPreconditions(props),
    },
  };
}

/** Checks the literal props against their rules; throws the first broken rule's message. */
function validateLiterals(props: PreclinicalWebhookProps): void {
  if (props.url === undefined || props.url === null) throw new Error(messages.urlRule(undefined));
  checkLiteral("url", props.url, messages.urlRule);
  if (props.agentId !== undefined) checkLiteral("agentId", props.agentId, messages.agentIdRule);
  if (props.description !== undefined) checkLiteral("description", props.description, messages.descriptionRule);
  if (props.secret !== undefined) checkLiteral("secret", props.secret, () => messages.secretRule());
  if (props.secretVersion !== undefined && props.secret === undefined)
    throw new Error(messages.secretVersionWithoutSecret("secretVersion"));
}

/** Preconditions for the props only known at plan time: Terraform checks them before the webhook is applied. */
function tokenPreconditions(props: PreclinicalWebhookProps): Precondition[] {
  const checks: Precondition[] = [];
  if (props.isEnabled !== undefined && typeof props.isEnabled !== "boolean")
    checks.push(preconditions.isEnabled(props.isEnabled));
  if (Token.isUnresolved(props.url)) checks.push(preconditions.url(props.url));
  if (props.description !== undefined && Token.isUnresolved(props.description)) {
    checks.push(preconditions.description(props.description));
  }
  if (props.secret !== undefined && Token.isUnresolved(props.secret)) checks.push(preconditions.secret(props.secret));
  return checks;
}

/**
 * An `agentId` from a PreclinicalAgent: read by the provider at plan time, so only a provider-engine webhook
 * of the same organization can take it.
 */
function checkAgentToken(webhook: Construct, settings: ConnectionSettings, agentId: string | undefined): void {
  const agent = agentOfToken(webhook, agentId);
  if (!agent) return;
  if (settings.engine !== PreclinicalEngine.PROVIDER) {
    throw new Error(messages.agentTokenOnProvisioners(webhook.node.path, agent.node.path));
  }
  if (!sameOrganization(agent.connectionSettings, settings)) {
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
