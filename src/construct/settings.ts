/**
 * The settings a connection resolves to (which engine, which organization), apart from the construct, so that
 * every module can use them.
 */
import { DEFAULT_API_KEY_ENV_VAR, DEFAULT_API_URL } from "../api/assumptions";
import { normalizeApiUrl } from "../provisioner/protocol";

/** How webhooks reach the API at deploy time. */
export enum PreclinicalEngine {
  /**
   * The native provider `preclinical/preclinical`, installed into the stack folder at synthesis: drift shows
   * in `cdktf diff`, the webhook id is a Terraform value, webhooks can be imported.
   */
  PROVIDER = "provider",
  /**
   * `terraform_data` (or `null_resource`) provisioners that run a bundled Node CLI: for places that allow no
   * custom provider. Terraform cannot read webhooks through them: no drift in the plan, no id.
   */
  PROVISIONERS = "provisioners",
}

/** The Terraform resource type that carries a webhook's provisioners. */
export enum ProvisionerResourceType {
  /** `terraform_data`, built into Terraform 1.4+: needs no provider download, works air-gapped. */
  TERRAFORM_DATA = "terraform_data",
  /** `null_resource` from the hashicorp/null provider, for pipelines that standardised on it. */
  NULL_RESOURCE = "null_resource",
}

/** The resolved settings of a connection. */
export interface ConnectionSettings {
  readonly engine: PreclinicalEngine;
  readonly apiUrl: string;
  readonly apiKeyEnvVar: string;
  readonly resourceType: ProvisionerResourceType;
  readonly requestTimeoutMs?: number;
  readonly deadlineMs?: number;
  readonly nodeExecutable: string;
}

/** The API URL of a connection that sets none: PRECLINICAL_API_URL at synth time, else the production API. */
export function defaultApiUrl(): string {
  return process.env.PRECLINICAL_API_URL || DEFAULT_API_URL;
}

/** Whether settings are those of a connection that sets nothing but its engine: the stack's default one's. */
export function isDefaultOrganization(settings: ConnectionSettings): boolean {
  return (
    settings.apiUrl === normalizeApiUrl(defaultApiUrl()) &&
    settings.apiKeyEnvVar === DEFAULT_API_KEY_ENV_VAR &&
    settings.requestTimeoutMs === undefined &&
    settings.deadlineMs === undefined
  );
}
