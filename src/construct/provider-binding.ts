/**
 * A hand-written cdktf binding of the `preclinical/preclinical` provider, as the generated provider packages
 * are written: the provider block and the `preclinical_webhook` and `preclinical_webhook_test` resources.
 */
import type { Construct } from "constructs";
import {
  TerraformProvider,
  TerraformResource,
  booleanToTerraform,
  hashMapper,
  numberToTerraform,
  stringToTerraform,
  type IResolvable,
  type TerraformResourceLifecycle,
} from "cdktf";
import { PROVIDER_NAMESPACE, PROVIDER_TYPE, PROVIDER_VERSION } from "../provider/install";

export interface PreclinicalProviderConfig {
  readonly alias?: string;
  readonly apiUrl?: string;
  readonly apiKeyEnvVar?: string;
  readonly requestTimeoutMs?: number;
  readonly deadlineMs?: number;
}

/** The `provider "preclinical"` block. */
export class PreclinicalProviderBlock extends TerraformProvider {
  private readonly config: PreclinicalProviderConfig;
  private providerAlias: string | undefined;

  constructor(scope: Construct, id: string, config: PreclinicalProviderConfig = {}) {
    super(scope, id, {
      terraformResourceType: PROVIDER_TYPE,
      terraformGeneratorMetadata: { providerName: PROVIDER_TYPE, providerVersion: PROVIDER_VERSION },
      terraformProviderSource: `${PROVIDER_NAMESPACE}/${PROVIDER_TYPE}`,
    });
    this.config = config;
    this.providerAlias = config.alias;
  }

  public get alias(): string | undefined {
    return this.providerAlias;
  }

  public set alias(value: string | undefined) {
    this.providerAlias = value;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return {
      api_url: stringToTerraform(this.config.apiUrl),
      api_key_env_var: stringToTerraform(this.config.apiKeyEnvVar),
      request_timeout_ms: numberToTerraform(this.config.requestTimeoutMs),
      deadline_ms: numberToTerraform(this.config.deadlineMs),
      alias: stringToTerraform(this.providerAlias),
    };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return this.synthesizeAttributes();
  }
}

export interface PreclinicalWebhookResourceConfig {
  readonly provider: TerraformProvider;
  readonly url: string;
  readonly description?: string;
  readonly agentId?: string;
  readonly isEnabled?: boolean | IResolvable;
  readonly secret?: string;
  readonly secretVersion?: string;
  readonly adoptExisting?: boolean;
  readonly lifecycle?: TerraformResourceLifecycle;
}

/** The `preclinical_webhook` resource. */
export class PreclinicalWebhookResource extends TerraformResource {
  public static readonly tfResourceType = "preclinical_webhook";
  private readonly config: PreclinicalWebhookResourceConfig;

  constructor(scope: Construct, id: string, config: PreclinicalWebhookResourceConfig) {
    super(scope, id, {
      terraformResourceType: PreclinicalWebhookResource.tfResourceType,
      terraformGeneratorMetadata: { providerName: PROVIDER_TYPE, providerVersion: PROVIDER_VERSION },
      provider: config.provider,
      lifecycle: config.lifecycle,
    });
    this.config = config;
  }

  /** The webhook's id, as the API returns it. */
  public get id(): string {
    return this.getStringAttribute("id");
  }

  /** When the webhook was created (ISO-8601). */
  public get createdAt(): string {
    return this.getStringAttribute("created_at");
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    return {
      url: stringToTerraform(c.url),
      description: stringToTerraform(c.description),
      agent_id: stringToTerraform(c.agentId),
      is_enabled: booleanToTerraform(c.isEnabled),
      secret: stringToTerraform(c.secret),
      secret_version: stringToTerraform(c.secretVersion),
      adopt_existing: booleanToTerraform(c.adoptExisting),
    };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return this.synthesizeAttributes();
  }
}

export interface PreclinicalWebhookTestResourceConfig {
  readonly provider: TerraformProvider;
  readonly webhookId: string;
  readonly triggers?: Record<string, string>;
  readonly webhookEnabled?: boolean | IResolvable;
}

/** The `preclinical_webhook_test` resource: a delivery test of one webhook, run on create. */
export class PreclinicalWebhookTestResource extends TerraformResource {
  public static readonly tfResourceType = "preclinical_webhook_test";
  private readonly config: PreclinicalWebhookTestResourceConfig;

  constructor(scope: Construct, id: string, config: PreclinicalWebhookTestResourceConfig) {
    super(scope, id, {
      terraformResourceType: PreclinicalWebhookTestResource.tfResourceType,
      terraformGeneratorMetadata: { providerName: PROVIDER_TYPE, providerVersion: PROVIDER_VERSION },
      provider: config.provider,
    });
    this.config = config;
  }

  /** Whether the test delivery succeeded (null when the webhook is disabled and was not tested). */
  public get success(): IResolvable {
    return this.getBooleanAttribute("success");
  }

  /** The receiver's HTTP status (null when it could not be reached, or nothing was tested). */
  public get httpStatus(): number {
    return this.getNumberAttribute("http_status");
  }

  /** When the test ran (ISO-8601). */
  public get testedAt(): string {
    return this.getStringAttribute("tested_at");
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    const c = this.config;
    return {
      webhook_id: stringToTerraform(c.webhookId),
      triggers: hashMapper(stringToTerraform)(c.triggers),
      webhook_enabled: booleanToTerraform(c.webhookEnabled),
    };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return this.synthesizeAttributes();
  }
}
