/**
 * `verifyDelivery` on a PreclinicalWebhook: what it synthesizes (a preclinical_webhook_test of the webhook, with
 * triggers that change exactly when the delivery could), how a disabled webhook is handled, and what the
 * provisioner engine says. Synthesis only; test/e2e/provider-engine/verify-delivery.test.ts deploys it.
 */
import { TerraformVariable } from "cdktf";
import { PreclinicalWebhook } from "../../src";
import { messages } from "../../src/messages";
import { HOOK_URL, SECRET, SECRET_2 } from "../support/inputs";
import { oneProviderWebhook, provider, provisionerConnection } from "../support/provider-synth";
import { bareStack, block, synth, type Json } from "../support/synth";
import type { PreclinicalWebhookProps } from "../../src";

/** The webhook's test block, as synthesized. */
function deliveryTestOf(props: Partial<PreclinicalWebhookProps> = {}): {
  test: Json;
  hook: PreclinicalWebhook;
  json: Json;
} {
  const { hook, json } = oneProviderWebhook({ verifyDelivery: true, ...props });
  return { test: block(json, hook.deliveryTestResource), hook, json };
}

const warningsOf = (hook: PreclinicalWebhook) =>
  hook.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data);

describe("verifyDelivery on the provider engine", () => {
  test("adds a preclinical_webhook_test of the webhook's id, on the webhook's provider, triggered by URL, secret version and enabled state", () => {
    const { test, hook, json } = deliveryTestOf({ secret: SECRET, secretVersion: "v1" });
    const webhookBody = block(json, hook.webhookResource);

    expect(test).toEqual({
      webhook_id: `\${preclinical_webhook.${hook.webhookResource.friendlyUniqueId}.id}`,
      triggers: { url: HOOK_URL, secret_version: "v1", is_enabled: "true" },
      webhook_enabled: true,
      provider: webhookBody.provider,
    });
    expect(warningsOf(hook)).toEqual([messages.literalSecret()]);
  });

  test("is off by default, and deliveryTestResource then says how to turn it on", () => {
    const { hook, json } = oneProviderWebhook();
    expect(json.resource.preclinical_webhook_test).toBeUndefined();
    expect(() => hook.deliveryTestResource).toThrow(messages.needsVerifyDelivery(hook.node.path));
  });

  test("a description changes no trigger; a URL, a secret, a secret version or the enabled state does", () => {
    const triggers = (props: Partial<PreclinicalWebhookProps>) => deliveryTestOf(props).test.triggers as Json;
    const base = triggers({ secret: SECRET, description: "one" });

    expect(triggers({ secret: SECRET, description: "two" })).toEqual(base);
    const changed = [
      triggers({ secret: SECRET, url: "https://hooks.example.com/other" }),
      triggers({ secret: SECRET_2 }),
      triggers({ secret: SECRET, secretVersion: "2" }),
      triggers({ secret: SECRET, isEnabled: false }),
    ];
    for (const other of changed) expect(other).not.toEqual(base);
    // Without a secret there is no version to trigger on.
    expect(Object.keys(triggers({})).sort()).toEqual(["is_enabled", "url"]);
  });

  test("a webhook disabled by a literal is not tested: the resource is told so, and synthesis warns", () => {
    const { test, hook } = deliveryTestOf({ isEnabled: false });
    expect(test).toMatchObject({ webhook_enabled: false, triggers: { is_enabled: "false" } });
    expect(warningsOf(hook)).toEqual([messages.verifyDeliveryDisabled()]);
  });

  test("an enabled state from a variable reaches the test as the same token, so it is decided at plan time", () => {
    const stack = bareStack();
    const enabled = new TerraformVariable(stack, "enabled", { type: "bool" });
    const hook = new PreclinicalWebhook(stack, "Hook", {
      url: HOOK_URL,
      isEnabled: enabled.booleanValue,
      verifyDelivery: true,
      connection: provider(stack),
    });
    const test = block(synth(stack), hook.deliveryTestResource);
    expect(test).toMatchObject({
      webhook_enabled: "${var.enabled}",
      triggers: { is_enabled: "${tostring(var.enabled)}" },
    });
    expect(warningsOf(hook)).toEqual([]);
  });
});

describe("verifyDelivery on the provisioner engine", () => {
  test("is refused at synth, saying why and what to do", () => {
    const stack = bareStack();
    const connection = provisionerConnection(stack);
    expect(() => new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, verifyDelivery: true, connection })).toThrow(
      messages.verifyDeliveryNeedsProvider("stack/Hook"),
    );
  });
});
