/**
 * Synthesizes stacks of PreclinicalWebhook on the provisioner engine and reads the synthesized JSON: the
 * block of a resource, its local-exec provisioners, the stack's ledger, and the secret fingerprint the
 * construct should have written. Synthesis only, no Terraform. Shared by the test/construct/webhook-* tests.
 */
import * as crypto from "node:crypto";
import { TerraformStack, Testing, type App, type TerraformResource } from "cdktf";
import { PreclinicalWebhook, type PreclinicalWebhookProps } from "../../src";
import { onProvisioners } from "./engines";
import { HOOK_URL } from "./inputs";

export type Json = Record<string, any>;

/** One `local-exec` provisioner as synthesized. */
export interface LocalExec {
  readonly command: string;
  readonly when: "create" | "destroy";
  readonly environment: Record<string, string>;
}

// test/setup.ts clears PRECLINICAL_API_URL before each test and restores it after.

/** A stack whose webhooks use the provisioner engine. */
export function newStack(app: App = Testing.app(), id = "stack"): TerraformStack {
  return onProvisioners(bareStack(app, id));
}

/** A stack with no default connection, for tests that bring their own (provisioner) connection. */
export function bareStack(app: App = Testing.app(), id = "stack"): TerraformStack {
  return new TerraformStack(app, id);
}

export function synth(stack: TerraformStack, runValidations = false): Json {
  return JSON.parse(Testing.synth(stack, runValidations)) as Json;
}

/** A stack with one webhook "Hook" made from `props`. */
export function oneWebhook(props: Partial<PreclinicalWebhookProps> = {}): {
  stack: TerraformStack;
  hook: PreclinicalWebhook;
  json: Json;
} {
  const stack = newStack();
  const hook = new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, ...props });
  return { stack, hook, json: synth(stack) };
}

/** The synthesized block of `resource`. */
export function block(json: Json, resource: TerraformResource): Json {
  const found = json.resource?.[resource.terraformResourceType]?.[resource.friendlyUniqueId];
  if (!found) throw new Error(`${resource.terraformResourceType}.${resource.friendlyUniqueId} is not in the stack`);
  return found as Json;
}

export function provisioners(resource: Json): LocalExec[] {
  return (resource.provisioner as Json[]).map((p) => p["local-exec"] as LocalExec);
}

/** The one local-exec provisioner of `resource` that runs `command`. */
export function localExec(resource: Json, command: string): LocalExec {
  const found = provisioners(resource).filter((p) => p.command.endsWith(` ${command}`));
  expect(found).toHaveLength(1);
  return found[0];
}

/** Every [type, logical id, block] of the stack. */
export function allResources(json: Json): [string, string, Json][] {
  return Object.entries((json.resource ?? {}) as Json).flatMap(([type, byId]) =>
    Object.entries(byId as Json).map(([id, body]) => [type, id, body as Json] as [string, string, Json]),
  );
}

/** The stack's ledger block(s): logical ids start with the ledger construct's id. */
export function ledgers(json: Json): Json[] {
  return allResources(json)
    .filter(([, id]) => id.startsWith("PreclinicalLedger_"))
    .map(([, , body]) => body);
}

/** The fingerprint of a literal secret: 16 hex digits of sha256(salt + construct path + ":" + secret). */
export function fingerprint(constructPath: string, secret: string): string {
  return crypto
    .createHash("sha256")
    .update("preclinical-webhook-secret:v1:" + constructPath + ":" + secret)
    .digest("hex")
    .slice(0, 16);
}
