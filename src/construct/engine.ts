/** What the two engines share: which one a connection uses, and the webhook as both of them take it. */
import type { IResolvable } from "cdktf";
import type { ConnectionSettings } from "./settings";

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

/** A webhook's values as the engines take them: literals already escaped for Terraform templates. */
export interface WebhookSpec {
  readonly path: string;
  readonly settings: ConnectionSettings;
  readonly url: string;
  readonly description?: string;
  readonly agentId?: string;
  /** A literal boolean, or a token. */
  readonly isEnabled: boolean | IResolvable;
  readonly secret?: string;
  /** The salted fingerprint of the secret: what tells Terraform that the secret changed. */
  readonly secretFingerprint?: string;
  readonly adoptExisting: boolean;
}
