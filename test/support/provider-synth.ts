/**
 * Synthesizes stacks of PreclinicalWebhook on the provider engine and reads what they hold: the webhook's
 * resource body, the `preclinical` provider blocks, every precondition, and the ledger a mixed stack keeps.
 * Shared by the test/construct/provider-engine*.test.ts files; ./synth.ts does the synthesis.
 */
import { TerraformStack } from "cdktf";
import {
  PreclinicalConnection,
  PreclinicalEngine,
  PreclinicalWebhook,
  type PreclinicalConnectionProps,
  type PreclinicalWebhookProps,
} from "../../src";
import { HOOK_URL } from "./inputs";
import { bareStack, synth, type Json } from "./synth";

/** An API URL other than the default, for a second organization. */
export const EU = "https://eu.preclinical.dev/api/v1";

/** A connection on the provider engine. */
export const provider = (stack: TerraformStack, id = "Conn", props: PreclinicalConnectionProps = {}) =>
  new PreclinicalConnection(stack, id, { engine: PreclinicalEngine.PROVIDER, ...props });

/** A connection on the provisioner engine, for mixed stacks. */
export const provisionerConnection = (
  stack: TerraformStack,
  id = "LegacyConn",
  props: PreclinicalConnectionProps = {},
) => new PreclinicalConnection(stack, id, { engine: PreclinicalEngine.PROVISIONERS, ...props });

/** A stack with one provider-engine webhook "Hook", synthesized, and the body of its preclinical_webhook. */
export function oneProviderWebhook(props: Partial<PreclinicalWebhookProps> = {}) {
  const stack = bareStack();
  const hook = new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, connection: provider(stack), ...props });
  const json = synth(stack);
  return { stack, hook, json, body: json.resource.preclinical_webhook[hook.webhookResource.friendlyUniqueId] as Json };
}

/** The stack's provider "preclinical" blocks. */
export const providerBlocks = (json: Json): Json[] => (json.provider?.preclinical ?? []) as Json[];

/** Every precondition of every resource of the stack, in a stable order. */
export function allPreconditions(json: Json): Json[] {
  return Object.values((json.resource ?? {}) as Json)
    .flatMap((byId) => Object.values(byId as Json) as Json[])
    .flatMap((body) => (body.lifecycle?.precondition ?? []) as Json[])
    .sort((a, b) => String(a.error_message).localeCompare(String(b.error_message)));
}

/** The stack's ledger block: its logical id starts with the ledger construct's id. */
export function ledgerOf(json: Json): Json {
  const found = Object.entries(json.resource.terraform_data as Json).filter(([id]) =>
    id.startsWith("PreclinicalLedger_"),
  );
  expect(found).toHaveLength(1);
  return found[0][1] as Json;
}
