/** The settings a connection resolves to, apart from the construct, so that every module can use them. */
import { DEFAULT_API_KEY_ENV_VAR, DEFAULT_API_URL } from "../api/assumptions";
import { normalizeApiUrl } from "../provisioner/protocol";
import { PreclinicalEngine } from "./engine";

export { PreclinicalEngine };

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
