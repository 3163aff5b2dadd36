/**
 * How the webhooks of a stack reach the Preclinical API: which base URL, which environment variable holds
 * the API key at apply time, and which Terraform resource type carries the provisioners.
 */
import { Construct } from "constructs";
import { TerraformStack, Token } from "cdktf";
import { DEFAULT_API_KEY_ENV_VAR } from "../api/assumptions";
import { messages } from "../messages";
import { normalizeApiUrl } from "../provisioner/protocol";
import { PreclinicalLedger } from "./ledger";
import { PreclinicalEngine, ProvisionerResourceType, defaultApiUrl, type ConnectionSettings } from "./settings";
import { providerFor } from "./provider-engine";
import { namingConstruct } from "./validation";
import { rules, validTimeoutMs } from "../api/rules";

const CONNECTION_SYMBOL = Symbol.for("cdktf-preclinical-webhooks.PreclinicalConnection");

/** The engine of a connection that names none (nor `resourceType` or `nodeExecutable`, which imply provisioners). */
export const DEFAULT_ENGINE = PreclinicalEngine.PROVIDER;

/** Settings shared by the webhooks of one Preclinical organization. */
export interface PreclinicalConnectionProps {
  /**
   * How the webhooks reach the API: the native provider, or provisioners (for places that allow no custom
   * provider). See the README's "Engines".
   * @default - PROVISIONERS when `resourceType` or `nodeExecutable` is set, else PROVIDER
   */
  readonly engine?: PreclinicalEngine;
  /**
   * The API base URL, up to and including `/api/v1`. Read at synth time.
   * @default - the PRECLINICAL_API_URL environment variable at synth time, else "https://app.preclinical.dev/api/v1"
   */
  readonly apiUrl?: string;
  /**
   * The name of the environment variable that holds the API key on the machine that runs `terraform apply`.
   * The key itself never enters the configuration or the state.
   * @default "PRECLINICAL_API_KEY"
   */
  readonly apiKeyEnvVar?: string;
  /**
   * The Terraform resource type that carries the provisioners (the provisioner engine only).
   * @default ProvisionerResourceType.TERRAFORM_DATA
   */
  readonly resourceType?: ProvisionerResourceType;
  /**
   * The longest one API attempt may take at apply time, in milliseconds (1 to 600000).
   * @default 10000
   */
  readonly requestTimeoutMs?: number;
  /**
   * The longest one API request may take with its retries at apply time, in milliseconds (1 to 600000). A
   * provisioner makes one to three requests (a reconcile, two per removed webhook), each with this deadline.
   * @default 60000
   */
  readonly deadlineMs?: number;
  /**
   * The Node.js executable that runs the provisioner CLI on the runner (Node 20 or later).
   * @default "node"
   */
  readonly nodeExecutable?: string;
}

/**
 * A Preclinical organization, as reached by one API URL and one API key variable. Webhooks that name no
 * connection use their stack's default one, created on first use.
 */
export class PreclinicalConnection extends Construct {
  /** The id under which a stack's default connection is created. */
  public static readonly DEFAULT_ID = "PreclinicalDefaultConnection";

  /**
   * Whether `x` is a PreclinicalConnection, recognised by a global symbol as cdktf recognises its own objects:
   * `instanceof` fails when an app holds two copies of this library.
   */
  public static isPreclinicalConnection(x: unknown): x is PreclinicalConnection {
    return typeof x === "object" && x !== null && CONNECTION_SYMBOL in x;
  }

  /** The default connection of the stack that contains `scope`, created on first use. */
  public static defaultFor(scope: Construct): PreclinicalConnection {
    const stack = TerraformStack.of(scope);
    const existing = stack.node.tryFindChild(PreclinicalConnection.DEFAULT_ID);
    if (PreclinicalConnection.isPreclinicalConnection(existing)) return existing;
    // One resource type per stack: the default takes that of the stack's ledger, if it has one yet; a ledger's
    // resource type also puts the default connection on the provisioner engine.
    const resourceType = PreclinicalLedger.resourceTypeOf(stack);
    return new PreclinicalConnection(stack, PreclinicalConnection.DEFAULT_ID, { resourceType });
  }

  public readonly settings: ConnectionSettings;

  constructor(scope: Construct, id: string, props: PreclinicalConnectionProps = {}) {
    super(scope, id);
    Object.defineProperty(this, CONNECTION_SYMBOL, { value: true });
    // The default connection's errors name the webhook that made it (PreclinicalWebhook names its own path).
    this.settings =
      id === PreclinicalConnection.DEFAULT_ID
        ? resolveConnection(props)
        : namingConstruct(this, () => resolveConnection(props));
    // The stack's ledger (provisioners) or provider block (provider) exists as long as a connection does, so
    // that removing the last webhook from the program still deletes it.
    if (this.settings.engine === PreclinicalEngine.PROVIDER) providerFor(this, this.settings);
    else PreclinicalLedger.of(this, this.settings);
  }
}

/** Validates and fills in connection props; also used for a webhook's own `apiUrl`/`apiKeyEnvVar`. */
export function resolveConnection(props: PreclinicalConnectionProps, base?: ConnectionSettings): ConnectionSettings {
  const fromEnvironment = props.apiUrl === undefined && base === undefined && !!process.env.PRECLINICAL_API_URL;
  const apiUrl = props.apiUrl ?? base?.apiUrl ?? defaultApiUrl();
  const apiKeyEnvVar = props.apiKeyEnvVar ?? base?.apiKeyEnvVar ?? DEFAULT_API_KEY_ENV_VAR;
  // Both must be literals: they identify the organization in scope checks and in the stack's ledger.
  if (Token.isUnresolved(apiUrl)) throw new Error(messages.mustBeLiteral("apiUrl"));
  if (!rules.apiUrl(apiUrl)) {
    throw new Error(fromEnvironment ? messages.apiUrlFromEnvironment(apiUrl) : messages.apiUrlRule(apiUrl));
  }
  if (Token.isUnresolved(apiKeyEnvVar)) throw new Error(messages.mustBeLiteral("apiKeyEnvVar"));
  if (!rules.apiKeyEnvVar(apiKeyEnvVar)) throw new Error(messages.apiKeyEnvVarRule(apiKeyEnvVar));
  const nodeExecutable = props.nodeExecutable ?? base?.nodeExecutable ?? "node";
  if (Token.isUnresolved(nodeExecutable) || !rules.nodeExecutable(nodeExecutable)) {
    throw new Error(messages.nodeExecutableRule(nodeExecutable));
  }
  for (const [prop, value] of [
    ["requestTimeoutMs", props.requestTimeoutMs],
    ["deadlineMs", props.deadlineMs],
  ] as const) {
    if (value !== undefined && !validTimeoutMs(value)) {
      throw new Error(messages.timeoutRule(prop, value));
    }
  }
  // resourceType and nodeExecutable exist only for provisioners: setting one chooses that engine.
  const provisionerOnly = (["resourceType", "nodeExecutable"] as const).filter((prop) => props[prop] !== undefined);
  const engine =
    props.engine ?? base?.engine ?? (provisionerOnly.length > 0 ? PreclinicalEngine.PROVISIONERS : DEFAULT_ENGINE);
  if (engine === PreclinicalEngine.PROVIDER && provisionerOnly.length > 0) {
    throw new Error(messages.provisionerOnlyProp(provisionerOnly[0]));
  }
  return {
    engine,
    apiUrl: normalizeApiUrl(apiUrl),
    apiKeyEnvVar,
    resourceType: props.resourceType ?? base?.resourceType ?? ProvisionerResourceType.TERRAFORM_DATA,
    requestTimeoutMs: props.requestTimeoutMs ?? base?.requestTimeoutMs,
    deadlineMs: props.deadlineMs ?? base?.deadlineMs,
    nodeExecutable,
  };
}
