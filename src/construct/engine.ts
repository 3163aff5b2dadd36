/**
 * What the two engines take: a webhook whose props were checked once, at the top of the PreclinicalWebhook
 * constructor (./webhook-props.ts). Neither engine checks a prop again.
 */
import type { IResolvable, Precondition } from "cdktf";
import type { ConnectionSettings } from "./settings";

/** A webhook as the engines take it: validated, literals already escaped for Terraform templates. */
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
  /** Whether a delivery test follows each change; only ever true on the provider engine. */
  readonly verifyDelivery: boolean;
  /**
   * The checks of the values only known at plan time, as Terraform preconditions with the rules' messages:
   * those of the scope (a token `agentId`) and those of the other fields.
   */
  readonly preconditions: { readonly scope: Precondition[]; readonly fields: Precondition[] };
}
