/**
 * The provider engine: a webhook is one `preclinical_webhook` resource of the native provider, with one
 * provider block per connection. At synthesis the provider is laid out in the stack folder as an implied
 * local mirror, with a lock file entry, so `cdktf deploy`, `cdktf diff` and `terraform` run there find it
 * with no CLI configuration, on this machine or on a runner that gets only the stack folder.
 */
import * as crypto from "node:crypto";
import * as path from "node:path";
import type { Construct } from "constructs";
import { Fn, TerraformStack } from "cdktf";
// No public alternative: TerraformAsset writes only under assets/<id>/<hash>/, and Terraform looks for a
// provider mirror at terraform.d/plugins/ in its working folder.
import { addCustomSynthesis } from "cdktf/lib/synthesize/synthesizer";
import { installProvider, writeLockFile } from "../provider/install";
import {
  PreclinicalProviderBlock,
  PreclinicalWebhookResource,
  PreclinicalWebhookTestResource,
} from "./provider-binding";
import { isDefaultOrganization, type ConnectionSettings } from "./settings";
import type { WebhookSpec } from "./engine";

/** The provider block of each connection of a stack, keyed by what identifies the organization. */
const blocks = new WeakMap<TerraformStack, Map<string, PreclinicalProviderBlock>>();

function connectionKey(settings: ConnectionSettings): string {
  return JSON.stringify([settings.apiUrl, settings.apiKeyEnvVar, settings.requestTimeoutMs, settings.deadlineMs]);
}

/**
 * The provider block of a connection, created on first use. The block of the default organization (what a
 * connection that sets nothing means: PRECLINICAL_API_URL at synth time, the default key variable) is
 * Terraform's default `provider "preclinical"`; every other block has an alias derived from what identifies
 * its organization, and its webhooks name it. The order of the code never decides which organization an
 * address means. When the last webhook of the default organization leaves the program, its block goes too
 * and Terraform deletes the webhook through an implied, empty default configuration: the provider then
 * reaches it at the API URL recorded in its state, never at the default one. A webhook of an aliased block
 * that is gone fails the plan (Terraform names the missing provider configuration); and a webhook whose
 * block now points elsewhere fails the plan, naming both URLs (the provider's api_url check).
 */
export function providerFor(scope: Construct, settings: ConnectionSettings): PreclinicalProviderBlock {
  const stack = TerraformStack.of(scope);
  const perStack = blocks.get(stack) ?? new Map<string, PreclinicalProviderBlock>();
  blocks.set(stack, perStack);
  const key = connectionKey(settings);
  const existing = perStack.get(key);
  if (existing) return existing;
  const alias = isDefaultOrganization(settings)
    ? undefined
    : `org_${crypto.createHash("sha256").update(key).digest("hex").slice(0, 10)}`;
  const block = new PreclinicalProviderBlock(stack, `PreclinicalProvider_${alias ?? "default"}`, {
    alias,
    apiUrl: settings.apiUrl,
    apiKeyEnvVar: settings.apiKeyEnvVar,
    requestTimeoutMs: settings.requestTimeoutMs,
    deadlineMs: settings.deadlineMs,
  });
  if (perStack.size === 0) {
    addCustomSynthesis(block, {
      onSynthesize(session) {
        const dir = path.join(session.outdir, session.manifest.forStack(stack).workingDirectory);
        installProvider(dir);
        writeLockFile(dir);
      },
    });
  }
  perStack.set(key, block);
  return block;
}

/** Declares a webhook on the provider engine. */
export function declareWithProvider(scope: Construct, spec: WebhookSpec): PreclinicalWebhookResource {
  const preconditions = [...spec.preconditions.scope, ...spec.preconditions.fields];
  return new PreclinicalWebhookResource(scope, "webhook", {
    provider: providerFor(scope, spec.settings),
    url: spec.url,
    description: spec.description,
    agentId: spec.agentId,
    isEnabled: spec.isEnabled,
    secret: spec.secret,
    secretVersion: spec.secretFingerprint,
    adoptExisting: spec.adoptExisting || undefined,
    lifecycle: preconditions.length ? { precondition: preconditions } : undefined,
  });
}

/**
 * Declares the delivery test of a webhook on the provider engine (`verifyDelivery`): it tests again exactly when
 * the delivery could change (the URL, the secret's version, the enabled state, or a new webhook id), not when
 * only the description does; a disabled webhook is not tested, and the plan warns.
 */
export function declareDeliveryTest(
  scope: Construct,
  webhook: PreclinicalWebhookResource,
  spec: WebhookSpec,
): PreclinicalWebhookTestResource {
  const isEnabled = typeof spec.isEnabled === "boolean" ? String(spec.isEnabled) : Fn.tostring(spec.isEnabled);
  return new PreclinicalWebhookTestResource(scope, "delivery_test", {
    provider: providerFor(scope, spec.settings),
    webhookId: webhook.id,
    triggers: {
      url: spec.url,
      ...(spec.secretFingerprint !== undefined && { secret_version: spec.secretFingerprint }),
      is_enabled: isEnabled,
    },
    webhookEnabled: spec.isEnabled,
  });
}
