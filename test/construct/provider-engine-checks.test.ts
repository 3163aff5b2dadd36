/**
 * What synthesis checks and refuses on the provider engine: values known only at plan time become the
 * provisioner engine's preconditions, each engine's accessors fail on the other with a message, one webhook
 * per scope, and a mixed stack keeps each engine to its own resources. Synthesis only, no Terraform.
 */
import { TerraformOutput, TerraformStack, TerraformVariable, Testing } from "cdktf";
import "cdktf/lib/testing/adapters/jest";
import { DEFAULT_API_URL } from "../../src/api/assumptions";
import { PreclinicalConnection, PreclinicalEngine, PreclinicalWebhook, type PreclinicalWebhookProps } from "../../src";
import { messages } from "../../src/messages";
import { decodeLedgerEntry, scopeKey } from "../../src/provisioner/protocol";
import { thrown } from "../support/thrown";
import { AGENT_A } from "../support/agents";
import { HOOK_URL, SECRET } from "../support/inputs";
import {
  EU,
  allPreconditions,
  ledgerOf,
  oneProviderWebhook,
  provider,
  provisionerConnection,
} from "../support/provider-synth";
import { bareStack, synth } from "../support/synth";

Testing.setupJest();

describe("values known only at plan time", () => {
  test.each([
    ["url", "string", (v: TerraformVariable) => ({ url: v.stringValue }), messages.urlRule('"${var.v}"')],
    ["agentId", "string", (v: TerraformVariable) => ({ agentId: v.stringValue }), messages.agentIdRule('"${var.v}"')],
    [
      "description",
      "string",
      (v: TerraformVariable) => ({ description: v.stringValue }),
      messages.descriptionRule('"${var.v}"'),
    ],
    [
      "isEnabled",
      "bool",
      (v: TerraformVariable) => ({ isEnabled: v.booleanValue }),
      messages.isEnabledRule('"${tostring(var.v)}"'),
    ],
  ])("a token for %s gets the same precondition as on the provisioner engine", (_prop, type, props, message) => {
    const preconditionsOn = (engine: PreclinicalEngine) => {
      const stack = bareStack();
      const connection = new PreclinicalConnection(stack, "Conn", { engine });
      const v = new TerraformVariable(stack, "v", { type });
      new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, connection, ...props(v) });
      return allPreconditions(synth(stack));
    };

    const onProvider = preconditionsOn(PreclinicalEngine.PROVIDER);
    expect(onProvider.map((p) => p.error_message)).toEqual([message]);
    expect(onProvider).toEqual(preconditionsOn(PreclinicalEngine.PROVISIONERS));
  });
});

describe("engine-only accessors", () => {
  test("webhookId and createdAt are Terraform references to the preclinical_webhook", () => {
    const stack = bareStack();
    const hook = new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, connection: provider(stack) });
    new TerraformOutput(stack, "id", { value: hook.webhookId });
    new TerraformOutput(stack, "created", { value: hook.createdAt });
    const json = synth(stack);

    const id = hook.webhookResource.friendlyUniqueId;
    expect(json.resource.preclinical_webhook[id]).toBeDefined();
    expect(json.output.id.value).toBe(`\${preclinical_webhook.${id}.id}`);
    expect(json.output.created.value).toBe(`\${preclinical_webhook.${id}.created_at}`);
  });

  test.each(["webhookId", "createdAt", "webhookResource"] as const)(
    "%s on the provisioner engine throws, naming the provider engine",
    (what) => {
      const stack = bareStack();
      const hook = new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, connection: provisionerConnection(stack) });

      const error = thrown(() => hook[what]);
      expect(error.message).toBe(messages.needsEngine("stack/Hook", what, PreclinicalEngine.PROVIDER));
      expect(error.message).toContain("PreclinicalEngine.PROVIDER");
    },
  );

  test.each(["scopeResource", "configResource"] as const)(
    "%s on the provider engine throws, naming the provisioner engine",
    (what) => {
      const stack = bareStack();
      const hook = new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, connection: provider(stack) });

      expect(thrown(() => hook[what]).message).toBe(
        messages.needsEngine("stack/Hook", what, PreclinicalEngine.PROVISIONERS),
      );
    },
  );
});

describe("one webhook per scope", () => {
  type Build = (stack: TerraformStack) => [PreclinicalWebhookProps, PreclinicalWebhookProps];
  test.each<[string, Build, string]>([
    [
      "two provider webhooks on one connection",
      (s) => {
        const c = provider(s);
        return [
          { url: HOOK_URL, connection: c },
          { url: HOOK_URL, connection: c },
        ];
      },
      "organization-level scope",
    ],
    [
      "provider connections that differ only in timeouts",
      (s) => [
        { url: HOOK_URL, agentId: AGENT_A, connection: provider(s, "Fast", { requestTimeoutMs: 1000 }) },
        { url: HOOK_URL, agentId: AGENT_A, connection: provider(s, "Slow", { requestTimeoutMs: 9000 }) },
      ],
      `scope of agent ${AGENT_A}`,
    ],
    [
      "a provisioner webhook, then a provider webhook",
      (s) => [
        { url: HOOK_URL, agentId: AGENT_A, connection: provisionerConnection(s) },
        { url: HOOK_URL, agentId: AGENT_A, connection: provider(s) },
      ],
      `scope of agent ${AGENT_A}`,
    ],
    [
      "a provider webhook, then a provisioner webhook",
      (s) => [
        { url: HOOK_URL, connection: provider(s, "Conn", { apiUrl: EU }) },
        { url: HOOK_URL, connection: provisionerConnection(s, "Legacy", { apiUrl: `${EU}/` }) },
      ],
      "organization-level scope",
    ],
  ])("%s claiming one scope fail synthesis naming both paths", (_name, build, scope) => {
    const stack = bareStack();
    const [first, second] = build(stack);
    new PreclinicalWebhook(stack, "First", first);
    new PreclinicalWebhook(stack, "Second", second);

    expect(thrown(() => Testing.synth(stack, true)).message).toContain(
      messages.duplicateScope(scope, "stack/First", "stack/Second"),
    );
  });
});

describe("the engines keep to their own resources", () => {
  test("a provider-engine stack has no provisioner resources, ledger, null provider or CLI asset", () => {
    const { stack, json } = oneProviderWebhook({ agentId: AGENT_A, secret: SECRET });

    expect(Object.keys(json.resource)).toEqual(["preclinical_webhook"]);
    expect(Object.keys(json.provider)).toEqual(["preclinical"]);
    expect(stack.node.tryFindChild("PreclinicalLedger")).toBeUndefined();
    expect(stack.node.tryFindChild("PreclinicalProvisionerCli")).toBeUndefined();
  });

  test("a provisioner-engine stack has no preclinical_webhook, provider block or required provider", () => {
    const stack = bareStack();
    new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, connection: provisionerConnection(stack) });
    const json = synth(stack);

    expect(json.resource.preclinical_webhook).toBeUndefined();
    expect(json.provider?.preclinical).toBeUndefined();
    expect(json.terraform?.required_providers?.preclinical).toBeUndefined();
  });

  test("in a stack with both, only the provisioner webhook is recorded in the ledger", () => {
    const stack = bareStack();
    const legacy = new PreclinicalWebhook(stack, "Legacy", {
      url: HOOK_URL,
      agentId: AGENT_A,
      connection: provisionerConnection(stack),
    });
    const native = new PreclinicalWebhook(stack, "Native", { url: HOOK_URL, connection: provider(stack) });
    const json = synth(stack);

    const ledger = ledgerOf(json);
    expect(Object.keys(ledger.triggers_replace)).toEqual([legacy.node.path]);
    expect(Object.keys(json.resource.preclinical_webhook)).toEqual([native.webhookResource.friendlyUniqueId]);
  });

  test("a scope moved to the provider engine stays declared to the ledger, so its reconcile does not delete it", () => {
    const stack = bareStack();
    new PreclinicalWebhook(stack, "Legacy", {
      url: HOOK_URL,
      agentId: AGENT_A,
      connection: provisionerConnection(stack),
    });
    new PreclinicalWebhook(stack, "Moved", { url: HOOK_URL, connection: provider(stack) });
    const json = synth(stack);

    const ledger = ledgerOf(json);
    const current = JSON.parse(ledger.provisioner[0]["local-exec"].environment.PRECLINICAL_LEDGER_CURRENT) as Record<
      string,
      string
    >;
    const declared = Object.values(current).map((entry) => scopeKey(decodeLedgerEntry(entry)));
    expect(declared).toContain(
      scopeKey({ apiUrl: DEFAULT_API_URL, apiKeyEnvVar: "PRECLINICAL_API_KEY", agentId: null }),
    );
  });
});
