/** Test helpers for the two engines of PreclinicalWebhook. */
import type { TerraformStack } from "cdktf";
import { PreclinicalConnection, PreclinicalEngine } from "../../src";

/** Declares the stack's default connection on the provisioner engine: its webhooks without a connection use it. */
export function onProvisioners(stack: TerraformStack): TerraformStack {
  new PreclinicalConnection(stack, PreclinicalConnection.DEFAULT_ID, { engine: PreclinicalEngine.PROVISIONERS });
  return stack;
}
