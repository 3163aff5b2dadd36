/**
 * PreclinicalAgent: an agent of the organization found by name (or id) at plan time, through the
 * provider's `preclinical_agent` data source, so that code names agents as people know them. Its `agentId`
 * is a token that any PreclinicalWebhook on the provider engine takes as `agentId`; the plan-time checks of
 * the webhook (unknown agent, held scope) run on the value the data source read.
 */
import { Construct, type IConstruct } from "constructs";
import { Token, type IResolvable } from "cdktf";
import { messages } from "../messages";
import { PreclinicalConnection } from "./connection";
import { PreclinicalAgentDataSource } from "./data-source-binding";
import { providerFor } from "./provider-engine";
import { PreclinicalEngine, type ConnectionSettings } from "./settings";
import { checkLiteral } from "./validation";

/** The options of PreclinicalAgent.fromName. */
export interface PreclinicalAgentOptions {
  /**
   * The organization whose agents are searched; a webhook that takes this agent's id must use the same one.
   * @default - the stack's default connection (PreclinicalConnection.defaultFor)
   */
  readonly connection?: PreclinicalConnection;
}

/** The props of a PreclinicalAgent: exactly one of `name` and `agentId`. */
export interface PreclinicalAgentProps extends PreclinicalAgentOptions {
  /**
   * The agent's name, as the Preclinical UI shows it, matched exactly. No match fails the plan naming the
   * closest names; several agents of that name fail it listing their ids.
   * @default - none: give `agentId`
   */
  readonly name?: string;
  /**
   * The agent's id (a UUID): the agent is read to check that it exists and to learn its name.
   * @default - none: give `name`
   */
  readonly agentId?: string;
}

/** An agent of the organization, read by `terraform plan`. */
export class PreclinicalAgent extends Construct {
  /** The agent named `name` (exactly, as the Preclinical UI shows it) in the organization of `options.connection`. */
  public static fromName(
    scope: Construct,
    id: string,
    name: string,
    options: PreclinicalAgentOptions = {},
  ): PreclinicalAgent {
    return new PreclinicalAgent(scope, id, { ...options, name });
  }

  /** The connection the agent is read through. */
  public readonly connectionSettings: ConnectionSettings;
  /** The `preclinical_agent` data source. */
  public readonly dataSource: PreclinicalAgentDataSource;
  /** One token for the id, so that a webhook can recognise it (every read of an attribute makes a new one). */
  private readonly idToken: string;

  constructor(scope: Construct, id: string, props: PreclinicalAgentProps) {
    super(scope, id);
    const given = [props.name, props.agentId].filter((v) => v !== undefined).length;
    if (given !== 1) {
      throw new Error(
        `${this.node.path}: ${messages.agentIdOrName(given === 0 ? "neither" : "both", "agentId", "a PreclinicalAgent")}`,
      );
    }
    if (props.name !== undefined && !Token.isUnresolved(props.name) && props.name === "") {
      throw new Error(`${this.node.path}: ${messages.agentNameRule()}`);
    }
    if (props.agentId !== undefined) checkLiteral("agentId", props.agentId, messages.agentIdRule);
    this.connectionSettings = readingSettings(this, props.connection);
    this.dataSource = new PreclinicalAgentDataSource(this, "agent", {
      provider: providerFor(this, this.connectionSettings),
      name: props.name,
      agentId: props.agentId,
    });
    this.idToken = this.dataSource.id;
    const tokens = agentTokens.get(this.node.root) ?? new Map<string, PreclinicalAgent>();
    tokens.set(this.idToken, this);
    agentTokens.set(this.node.root, tokens);
  }

  /** The agent's id (a token): pass it as a PreclinicalWebhook's `agentId`. */
  public get agentId(): string {
    return this.idToken;
  }

  /** The agent's name (a token). */
  public get agentName(): string {
    return this.dataSource.name;
  }

  /** The voice platform it runs on (a token: vapi, livekit, ...). */
  public get agentProvider(): string {
    return this.dataSource.agentProvider;
  }

  /** Its description (a token; null when it has none). */
  public get agentDescription(): string {
    return this.dataSource.description;
  }

  /** Whether it is active (a token). An inactive agent is a plan warning. */
  public get isActive(): IResolvable {
    return this.dataSource.isActive;
  }
}

/** The settings of `connection` (default: the stack's), which must use the provider: it reads at plan time. */
export function readingSettings(scope: Construct, connection: PreclinicalConnection | undefined): ConnectionSettings {
  const settings = (connection ?? PreclinicalConnection.defaultFor(scope)).settings;
  if (settings.engine !== PreclinicalEngine.PROVIDER) throw new Error(messages.readsThroughProvider(scope.node.path));
  return settings;
}

/** Whether two connections reach the same organization: the same API URL and the same key variable. */
export function sameOrganization(a: ConnectionSettings, b: ConnectionSettings): boolean {
  return a.apiUrl === b.apiUrl && a.apiKeyEnvVar === b.apiKeyEnvVar;
}

/** Per App (construct tree root): the agents behind the `agentId` tokens handed out, by token. */
const agentTokens = new WeakMap<IConstruct, Map<string, PreclinicalAgent>>();

/** The PreclinicalAgent of `scope`'s App whose `agentId` token `value` is, if it is one. */
export function agentOfToken(scope: IConstruct, value: string | undefined): PreclinicalAgent | undefined {
  if (value === undefined || !Token.isUnresolved(value)) return undefined;
  return agentTokens.get(scope.node.root)?.get(value);
}
