/**
 * The organization as data: PreclinicalAgents (its agents, optionally of one platform) and
 * PreclinicalWebhooks (its webhooks, optionally the one of an agent), read by `terraform plan` through the
 * provider's list data sources. Their lists are typed: `agents.agents.get(0).name`, or
 * `agents.agents.allWithMapKey("id")` for a for_each over them.
 */
import { Construct } from "constructs";
import { Fn, Token, type ITerraformDependable } from "cdktf";
import { messages } from "../messages";
import { agentOfToken, readingSettings, sameOrganization } from "./agent";
import type { PreclinicalConnection } from "./connection";
import {
  PreclinicalAgentsDataSource,
  PreclinicalWebhooksDataSource,
  type PreclinicalAgentList,
  type PreclinicalWebhookList,
} from "./data-source-binding";
import { providerFor } from "./provider-engine";
import { checkLiteral } from "./validation";

/** The props of PreclinicalAgents. */
export interface PreclinicalAgentsProps {
  /**
   * Only the agents on this voice platform (the API's `provider`: vapi, livekit, ...), matched exactly.
   * @default - every agent
   */
  readonly agentProvider?: string;
  /**
   * The organization whose agents are listed.
   * @default - the stack's default connection (PreclinicalConnection.defaultFor)
   */
  readonly connection?: PreclinicalConnection;
  /**
   * Read the list only after these (while they have changes pending, Terraform reads it during the apply).
   * @default - read at plan time
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** The organization's agents, sorted by name, then id. */
export class PreclinicalAgents extends Construct {
  /** The `preclinical_agents` data source. */
  public readonly dataSource: PreclinicalAgentsDataSource;

  constructor(scope: Construct, id: string, props: PreclinicalAgentsProps = {}) {
    super(scope, id);
    this.dataSource = new PreclinicalAgentsDataSource(this, "agents", {
      provider: providerFor(this, readingSettings(this, props.connection)),
      agentProvider: props.agentProvider,
      dependsOn: props.dependsOn,
    });
  }

  /** The agents: `.get(i)` for one (id, name, provider, description, isActive), `allWithMapKey("id")` to iterate. */
  public get agents(): PreclinicalAgentList {
    return this.dataSource.agents;
  }

  /** How many agents the list holds (a token). */
  public get count(): number {
    return Token.asNumber(Fn.lengthOf(this.dataSource.agents));
  }
}

/** The props of PreclinicalWebhooks. */
export interface PreclinicalWebhooksProps {
  /**
   * Only the webhook of this agent: a UUID, or a PreclinicalAgent's `agentId`.
   * @default - every webhook of the organization, the organization-level one included
   */
  readonly agentId?: string;
  /**
   * The organization whose webhooks are listed.
   * @default - the stack's default connection (PreclinicalConnection.defaultFor)
   */
  readonly connection?: PreclinicalConnection;
  /**
   * Read the list only after these, e.g. `[hook.webhookResource]` to list the webhooks a deploy creates:
   * while they have changes pending, Terraform reads the list during the apply, after them.
   * @default - read at plan time
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** The organization's webhooks, oldest first: every field the API returns but the secret. */
export class PreclinicalWebhooks extends Construct {
  /** The `preclinical_webhooks` data source. */
  public readonly dataSource: PreclinicalWebhooksDataSource;

  constructor(scope: Construct, id: string, props: PreclinicalWebhooksProps = {}) {
    super(scope, id);
    if (props.agentId !== undefined) checkLiteral("agentId", props.agentId, messages.agentIdRule);
    const settings = readingSettings(this, props.connection);
    const agent = agentOfToken(this, props.agentId);
    if (agent && !sameOrganization(agent.connectionSettings, settings)) {
      throw new Error(messages.agentTokenOtherOrganization(this.node.path, agent.node.path));
    }
    this.dataSource = new PreclinicalWebhooksDataSource(this, "webhooks", {
      provider: providerFor(this, settings),
      agentId: props.agentId,
      dependsOn: props.dependsOn,
    });
  }

  /** The webhooks: `.get(i)` for one (id, url, agentId, isEnabled, consecutiveFailures, ...), oldest first. */
  public get webhooks(): PreclinicalWebhookList {
    return this.dataSource.webhooks;
  }

  /** How many webhooks the list holds (a token). */
  public get count(): number {
    return Token.asNumber(Fn.lengthOf(this.dataSource.webhooks));
  }
}
