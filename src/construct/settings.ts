/** The settings a connection resolves to, apart from the construct, so that every module can use them. */
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
