/**
 * Connection settings that reach the synthesized stack: the Node executable, one resource type per stack,
 * and the plan-time checks of an `isEnabled` token and of a secret from a non-sensitive variable.
 */
import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import { PreclinicalConnection, PreclinicalEngine, PreclinicalWebhook, ProvisionerResourceType } from "../../src";
import { messages } from "../../src/messages";
import { onProvisioners } from "../support/engines";
import { HOOK_URL } from "../support/inputs";

function synthJson(stack: TerraformStack) {
  return JSON.parse(Testing.synth(stack));
}

/** A stack whose webhooks use the provisioner engine, which this file tests. */
const newStack = () => onProvisioners(new TerraformStack(Testing.app(), "stack"));

describe("nodeExecutable", () => {
  test("is escaped for Terraform templates like every literal", () => {
    const stack = newStack();
    const connection = new PreclinicalConnection(stack, "c", { nodeExecutable: "/opt/${tools}/node" });
    const hook = new PreclinicalWebhook(stack, "hook", { url: HOOK_URL, connection });
    const config = synthJson(stack).resource.terraform_data[hook.configResource.friendlyUniqueId];
    expect(config.provisioner[0]["local-exec"].environment.PRECLINICAL_NODE).toBe("/opt/$${tools}/node");
  });

  test.each(["", "  ", "node\n--inspect"])("%j is refused with a message that names the prop", (value) => {
    expect(() => new PreclinicalConnection(newStack(), "c", { nodeExecutable: value })).toThrow(
      messages.nodeExecutableRule(value),
    );
  });
});

describe("one resource type per stack", () => {
  test("two connections that disagree fail at once, naming both types", () => {
    const stack = newStack();
    new PreclinicalConnection(stack, "a", { resourceType: ProvisionerResourceType.TERRAFORM_DATA });
    expect(
      () => new PreclinicalConnection(stack, "b", { resourceType: ProvisionerResourceType.NULL_RESOURCE }),
    ).toThrow(messages.mixedResourceTypes("terraform_data", "null_resource"));
  });
});

describe("plan-time checks", () => {
  test("an isEnabled token gets a precondition that accepts only true and false", () => {
    const stack = newStack();
    const enabled = new TerraformVariable(stack, "enabled", { type: "bool" });
    const hook = new PreclinicalWebhook(stack, "hook", { url: HOOK_URL, isEnabled: enabled.booleanValue });
    const config = synthJson(stack).resource.terraform_data[hook.configResource.friendlyUniqueId];
    expect(config.lifecycle.precondition).toEqual([
      {
        condition: '${contains(["true", "false"], tostring(var.enabled))}',
        error_message: messages.isEnabledRule('"${tostring(var.enabled)}"'),
      },
    ]);
  });

  test("the secret fingerprint marks its input sensitive first, so nonsensitive() is valid on Terraform 1.4 to 1.6", () => {
    const stack = newStack();
    const secret = new TerraformVariable(stack, "secret", { type: "string" }); // not declared sensitive
    const hook = new PreclinicalWebhook(stack, "hook", { url: HOOK_URL, secret: secret.stringValue });
    const config = synthJson(stack).resource.terraform_data[hook.configResource.friendlyUniqueId];
    expect(config.triggers_replace.secret_fingerprint).toBe(
      '${nonsensitive(substr(sha256(sensitive(join("", ["preclinical-webhook-secret:v1:stack/hook:", var.secret]))), 0, 16))}',
    );
  });
});

describe("a stack on null_resource", () => {
  test("webhooks without a connection, or with their own apiUrl, follow the stack's resource type", () => {
    const stack = new TerraformStack(Testing.app(), "stack");
    new PreclinicalConnection(stack, "c", { resourceType: ProvisionerResourceType.NULL_RESOURCE });
    const plain = new PreclinicalWebhook(stack, "plain", { url: HOOK_URL });
    const own = new PreclinicalWebhook(stack, "own", {
      url: HOOK_URL,
      agentId: "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
      apiUrl: "https://eu.preclinical.dev/api/v1",
    });
    const json = synthJson(stack);
    for (const hook of [plain, own]) {
      expect(json.resource.null_resource[hook.configResource.friendlyUniqueId]).toBeDefined();
    }
    expect(json.resource.terraform_data).toBeUndefined();
  });
});

describe("two copies of the library in one app", () => {
  test("a default connection made by another copy is recognised (by a global symbol), not made twice", () => {
    const stack = new TerraformStack(Testing.app(), "stack");
    let Other: typeof PreclinicalConnection | undefined;
    jest.isolateModules(() => {
      // A second copy of the library's modules (and of what they load), as two installs of it would give.
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- isolateModules needs a synchronous load
      Other = (require("../../src/construct/connection") as typeof import("../../src/construct/connection"))
        .PreclinicalConnection;
    });
    expect(Other).not.toBe(PreclinicalConnection);
    const theirs = new Other!(stack, PreclinicalConnection.DEFAULT_ID, { engine: PreclinicalEngine.PROVISIONERS });

    expect(PreclinicalConnection.isPreclinicalConnection(theirs)).toBe(true);
    expect(PreclinicalConnection.defaultFor(stack)).toBe(theirs);
  });
});
