/**
 * A PreclinicalConnection with ProvisionerResourceType.NULL_RESOURCE: its webhooks synthesize null_resource
 * (with one null provider) instead of terraform_data. Synthesis only, no Terraform.
 */
import { Testing } from "cdktf";
import "cdktf/lib/testing/adapters/jest";
import { NullProvider } from "@cdktf/provider-null/lib/provider";
import { Resource as NullResource } from "@cdktf/provider-null/lib/resource";
import { DEFAULT_API_URL } from "../../src/api/assumptions";
import { PreclinicalConnection, PreclinicalWebhook, ProvisionerResourceType } from "../../src";
import { AGENT_A } from "../support/agents";
import { HOOK_URL } from "../support/inputs";
import { bareStack, block, ledgers, localExec, type Json } from "../support/synth";

Testing.setupJest();

describe("ProvisionerResourceType.NULL_RESOURCE", () => {
  function nullStack() {
    const stack = bareStack();
    const connection = new PreclinicalConnection(stack, "Conn", {
      resourceType: ProvisionerResourceType.NULL_RESOURCE,
    });
    const hook = new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, agentId: AGENT_A, connection });
    new PreclinicalWebhook(stack, "Org", { url: HOOK_URL, connection });
    return { stack, hook, text: Testing.synth(stack) };
  }

  test("emits null_resource with triggers, and one null provider", () => {
    const { hook, text } = nullStack();
    const json = JSON.parse(text) as Json;

    expect(text).toHaveProvider(NullProvider);
    expect(json.provider.null).toHaveLength(1);
    expect(json.terraform.required_providers).toHaveProperty("null");
    expect(text).toHaveResourceWithProperties(NullResource, {
      triggers: { api_url: DEFAULT_API_URL, api_key_env: "PRECLINICAL_API_KEY", agent_id: AGENT_A },
    });
    expect(json.resource).not.toHaveProperty("terraform_data");
    const scope = block(json, hook.scopeResource);
    expect(scope).not.toHaveProperty("triggers_replace");
    expect(block(json, hook.configResource).depends_on).toEqual([
      `null_resource.${hook.scopeResource.friendlyUniqueId}`,
    ]);
  });

  test.each([
    ["before", true],
    ["after", false],
  ])("a null provider of the app's own, declared %s the first webhook, is the only provider.null block", (_, first) => {
    const stack = bareStack();
    if (first) new NullProvider(stack, "mine", { alias: undefined });
    const connection = new PreclinicalConnection(stack, "Conn", {
      resourceType: ProvisionerResourceType.NULL_RESOURCE,
    });
    new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, connection });
    if (!first) new NullProvider(stack, "mine", { alias: undefined });
    const json = JSON.parse(Testing.synth(stack)) as Json;

    expect(json.provider.null).toHaveLength(1);
    expect(Object.keys(json.terraform.required_providers)).toContain("null");
  });

  test("destroy provisioners read self.triggers", () => {
    const { hook, text } = nullStack();
    const json = JSON.parse(text) as Json;

    expect(localExec(block(json, hook.scopeResource), "delete").environment).toMatchObject({
      PRECLINICAL_API_URL: '${self.triggers["api_url"]}',
      PRECLINICAL_API_KEY_ENV: '${self.triggers["api_key_env"]}',
      PRECLINICAL_AGENT_ID: '${self.triggers["agent_id"]}',
    });
    const [ledger] = ledgers(json);
    expect(localExec(ledger, "reconcile").environment.PRECLINICAL_LEDGER_PREVIOUS).toBe("${jsonencode(self.triggers)}");
  });
});
