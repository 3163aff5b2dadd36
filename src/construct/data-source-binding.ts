/**
 * A hand-written cdktf binding of the provider's data sources, as the generated provider packages write
 * theirs: `preclinical_agent`, `preclinical_agents` and `preclinical_webhooks`, whose lists of objects are
 * ComplexLists with a typed reference per element (`list.get(0).name`).
 */
import type { Construct } from "constructs";
import {
  ComplexList,
  ComplexObject,
  TerraformDataSource,
  stringToTerraform,
  type IInterpolatingParent,
  type IResolvable,
  type ITerraformDependable,
  type TerraformProvider,
} from "cdktf";
import { PROVIDER_TYPE, PROVIDER_VERSION } from "../provider/install";

const metadata = { providerName: PROVIDER_TYPE, providerVersion: PROVIDER_VERSION };

export interface AgentDataSourceConfig {
  readonly provider: TerraformProvider;
  readonly agentId?: string;
  readonly name?: string;
}

/** `data "preclinical_agent"`. */
export class PreclinicalAgentDataSource extends TerraformDataSource {
  public static readonly tfResourceType = "preclinical_agent";

  constructor(
    scope: Construct,
    id: string,
    private readonly config: AgentDataSourceConfig,
  ) {
    super(scope, id, {
      terraformResourceType: PreclinicalAgentDataSource.tfResourceType,
      terraformGeneratorMetadata: metadata,
      provider: config.provider,
    });
  }

  public get id(): string {
    return this.getStringAttribute("id");
  }

  public get name(): string {
    return this.getStringAttribute("name");
  }

  public get agentProvider(): string {
    return this.getStringAttribute("agent_provider");
  }

  public get description(): string {
    return this.getStringAttribute("description");
  }

  public get isActive(): IResolvable {
    return this.getBooleanAttribute("is_active");
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { id: stringToTerraform(this.config.agentId), name: stringToTerraform(this.config.name) };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return this.synthesizeAttributes();
  }
}

/** One agent of a `preclinical_agents` list: each attribute a token. */
export class PreclinicalAgentListItem extends ComplexObject {
  constructor(parent: IInterpolatingParent, attribute: string, index: number, fromSet: boolean) {
    super(parent, attribute, fromSet, index);
  }

  /** The agent's id (a UUID). */
  public get id(): string {
    return this.getStringAttribute("id");
  }

  /** The agent's name. */
  public get name(): string {
    return this.getStringAttribute("name");
  }

  /** The voice platform it runs on (vapi, livekit, ...). */
  public get provider(): string {
    return this.getStringAttribute("provider");
  }

  /** Its description, or null. */
  public get description(): string {
    return this.getStringAttribute("description");
  }

  /** Whether it is active. */
  public get isActive(): IResolvable {
    return this.getBooleanAttribute("is_active");
  }
}

/** The `agents` list of `preclinical_agents`. */
export class PreclinicalAgentList extends ComplexList {
  constructor(parent: IInterpolatingParent, attribute: string, wrapsSet: boolean) {
    super(parent, attribute, wrapsSet);
  }

  /** The agent at `index` (0 first). */
  public get(index: number): PreclinicalAgentListItem {
    return new PreclinicalAgentListItem(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}

export interface AgentsDataSourceConfig {
  readonly provider: TerraformProvider;
  readonly dependsOn?: ITerraformDependable[];
  readonly agentProvider?: string;
}

/** `data "preclinical_agents"`. */
export class PreclinicalAgentsDataSource extends TerraformDataSource {
  public static readonly tfResourceType = "preclinical_agents";
  private readonly list = new PreclinicalAgentList(this, "agents", false);

  constructor(
    scope: Construct,
    id: string,
    private readonly config: AgentsDataSourceConfig,
  ) {
    super(scope, id, {
      terraformResourceType: PreclinicalAgentsDataSource.tfResourceType,
      terraformGeneratorMetadata: metadata,
      provider: config.provider,
      dependsOn: config.dependsOn,
    });
  }

  public get agents(): PreclinicalAgentList {
    return this.list;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { agent_provider: stringToTerraform(this.config.agentProvider) };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return this.synthesizeAttributes();
  }
}

/** One webhook of a `preclinical_webhooks` list: each attribute a token. */
export class PreclinicalWebhookListItem extends ComplexObject {
  constructor(parent: IInterpolatingParent, attribute: string, index: number, fromSet: boolean) {
    super(parent, attribute, fromSet, index);
  }

  /** The webhook's id. */
  public get id(): string {
    return this.getStringAttribute("id");
  }

  /** Where Preclinical POSTs. */
  public get url(): string {
    return this.getStringAttribute("url");
  }

  /** Its description, or null. */
  public get description(): string {
    return this.getStringAttribute("description");
  }

  /** Its agent's id, or null for the organization-level webhook. */
  public get agentId(): string {
    return this.getStringAttribute("agent_id");
  }

  /** Whether Preclinical delivers to it. */
  public get isEnabled(): IResolvable {
    return this.getBooleanAttribute("is_enabled");
  }

  /** When a delivery was last attempted (ISO-8601), or null. */
  public get lastTriggeredAt(): string {
    return this.getStringAttribute("last_triggered_at");
  }

  /** Failed deliveries since the last success. */
  public get consecutiveFailures(): number {
    return this.getNumberAttribute("consecutive_failures");
  }

  /** When it was created (ISO-8601). */
  public get createdAt(): string {
    return this.getStringAttribute("created_at");
  }

  /** When it was last changed (ISO-8601). */
  public get updatedAt(): string {
    return this.getStringAttribute("updated_at");
  }
}

/** The `webhooks` list of `preclinical_webhooks`. */
export class PreclinicalWebhookList extends ComplexList {
  constructor(parent: IInterpolatingParent, attribute: string, wrapsSet: boolean) {
    super(parent, attribute, wrapsSet);
  }

  /** The webhook at `index` (0 first: the oldest). */
  public get(index: number): PreclinicalWebhookListItem {
    return new PreclinicalWebhookListItem(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}

export interface WebhooksDataSourceConfig {
  readonly provider: TerraformProvider;
  readonly dependsOn?: ITerraformDependable[];
  readonly agentId?: string;
}

/** `data "preclinical_webhooks"`. */
export class PreclinicalWebhooksDataSource extends TerraformDataSource {
  public static readonly tfResourceType = "preclinical_webhooks";
  private readonly list = new PreclinicalWebhookList(this, "webhooks", false);

  constructor(
    scope: Construct,
    id: string,
    private readonly config: WebhooksDataSourceConfig,
  ) {
    super(scope, id, {
      terraformResourceType: PreclinicalWebhooksDataSource.tfResourceType,
      terraformGeneratorMetadata: metadata,
      provider: config.provider,
      dependsOn: config.dependsOn,
    });
  }

  public get webhooks(): PreclinicalWebhookList {
    return this.list;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { agent_id: stringToTerraform(this.config.agentId) };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return this.synthesizeAttributes();
  }
}
