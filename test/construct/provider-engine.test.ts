/**
 * What a PreclinicalWebhook on the provider engine synthesizes into cdk.tf.json: one `preclinical_webhook`
 * per webhook, one `provider "preclinical"` block per connection, the same plan-time checks as the
 * provisioner engine, and none of the provisioner engine's resources. Synthesis only, no Terraform.
 * (What a full synth writes into the stack folder: provider-engine-install.test.ts.)
 */
import { TerraformOutput, TerraformStack, TerraformVariable, Testing } from "cdktf";
import "cdktf/lib/testing/adapters/jest";
import { DEFAULT_API_URL } from "../../src/api/assumptions";
import {
  PreclinicalConnection,
  PreclinicalEngine,
  PreclinicalWebhook,
  type PreclinicalConnectionProps,
  type PreclinicalWebhookProps,
} from "../../src/construct";
import { PreclinicalWebhookResource } from "../../src/construct/provider-binding";
import { messages } from "../../src/messages";
import { decodeLedgerEntry, scopeKey } from "../../src/provisioner/protocol";
import { version as PACKAGE_VERSION } from "../../package.json";
import { thrown } from "../support/thrown";
import { AGENT_A } from "../support/agents";
import { HOOK_URL, SECRET } from "../support/inputs";
import { fingerprint } from "../support/synth";

Testing.setupJest();

const EU = "https://eu.preclinical.dev/api/v1";

type Json = Record<string, any>;

const newStack = () => new TerraformStack(Testing.app(), "stack");
const synth = (stack: TerraformStack, runValidations = false): Json =>
  JSON.parse(Testing.synth(stack, runValidations)) as Json;
const provider = (stack: TerraformStack, id = "Conn", props: PreclinicalConnectionProps = {}) =>
  new PreclinicalConnection(stack, id, { engine: PreclinicalEngine.PROVIDER, ...props });
const provisioners = (stack: TerraformStack, id = "LegacyConn", props: PreclinicalConnectionProps = {}) =>
  new PreclinicalConnection(stack, id, { engine: PreclinicalEngine.PROVISIONERS, ...props });

/** A stack with one provider-engine webhook "Hook". */
function oneWebhook(props: Partial<PreclinicalWebhookProps> = {}) {
  const stack = newStack();
  const hook = new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, connection: provider(stack), ...props });
  const json = synth(stack);
  return { stack, hook, json, body: json.resource.preclinical_webhook[hook.webhookResource.friendlyUniqueId] as Json };
}

/** The stack's provider "preclinical" blocks. */
const providerBlocks = (json: Json): Json[] => (json.provider?.preclinical ?? []) as Json[];

/** Every precondition of every resource of the stack, in a stable order. */
function allPreconditions(json: Json): Json[] {
  return Object.values((json.resource ?? {}) as Json)
    .flatMap((byId) => Object.values(byId as Json) as Json[])
    .flatMap((body) => (body.lifecycle?.precondition ?? []) as Json[])
    .sort((a, b) => String(a.error_message).localeCompare(String(b.error_message)));
}

/** The stack's ledger block: its logical id starts with the ledger construct's id. */
function ledgerOf(json: Json): Json {
  const found = Object.entries(json.resource.terraform_data as Json).filter(([id]) =>
    id.startsWith("PreclinicalLedger_"),
  );
  expect(found).toHaveLength(1);
  return found[0][1] as Json;
}

describe("the preclinical_webhook resource", () => {
  test("a webhook synthesizes one preclinical_webhook with its url, description, agent, enabled flag and adoption", () => {
    const synthesized = Testing.synthScope((stack) => {
      new PreclinicalWebhook(stack, "Hook", {
        url: HOOK_URL,
        description: "Nightly runs",
        agentId: AGENT_A,
        isEnabled: false,
        adoptExisting: true,
        connection: provider(stack as TerraformStack),
      });
    });

    expect(synthesized).toHaveResourceWithProperties(PreclinicalWebhookResource, {
      url: HOOK_URL,
      description: "Nightly runs",
      agent_id: AGENT_A,
      is_enabled: false,
      adopt_existing: true,
    });
    expect(Object.keys(JSON.parse(synthesized).resource.preclinical_webhook)).toHaveLength(1);
  });

  test("each webhook is its own resource", () => {
    const stack = newStack();
    const connection = provider(stack);
    new PreclinicalWebhook(stack, "Org", { url: HOOK_URL, connection });
    new PreclinicalWebhook(stack, "Agent", { url: HOOK_URL, agentId: AGENT_A, connection });

    expect(Object.keys(synth(stack).resource.preclinical_webhook)).toHaveLength(2);
  });

  test("a secret from a variable is sent as the variable, with a fingerprint expression as its version", () => {
    const stack = newStack();
    const secret = new TerraformVariable(stack, "webhook_secret", { type: "string", sensitive: true });
    const hook = new PreclinicalWebhook(stack, "Hook", {
      url: HOOK_URL,
      secret: secret.stringValue,
      connection: provider(stack),
    });
    const body = synth(stack).resource.preclinical_webhook[hook.webhookResource.friendlyUniqueId];

    expect(body.secret).toBe("${var.webhook_secret}");
    expect(body.secret_version).toBe(
      '${nonsensitive(substr(sha256(sensitive(join("", ["preclinical-webhook-secret:v1:stack/Hook:", var.webhook_secret]))), 0, 16))}',
    );
    expect(hook.node.metadata.filter((m) => m.type === "@cdktf/warn")).toEqual([]);
  });

  test("a literal secret is still a synth warning, and its version is the same salted fingerprint as on provisioners", () => {
    const { hook, body } = oneWebhook({ secret: SECRET });

    expect(hook.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data)).toEqual([
      messages.literalSecret(),
    ]);
    expect(body.secret).toBe(SECRET);
    expect(body.secret_version).toBe(fingerprint("stack/Hook", SECRET));
  });

  test("literal ${ and %{ in url, description and a literal secret are escaped; the fingerprint is of the text as written", () => {
    const secret = "abc${def}%{ghi}-0123456789";
    const { body } = oneWebhook({
      url: "https://hooks.example.com/x?a=${b}&c=%{d}",
      description: "Cost ${x} %{if true}",
      secret,
    });

    expect(body.url).toBe("https://hooks.example.com/x?a=$${b}&c=%%{d}");
    expect(body.description).toBe("Cost $${x} %%{if true}");
    expect(body.secret).toBe("abc$${def}%%{ghi}-0123456789");
    expect(body.secret_version).toBe(fingerprint("stack/Hook", secret));
  });
});

/** Every block is aliased by what identifies its organization. */
const ALIAS = expect.stringMatching(/^org_[0-9a-f]{10}$/);

describe("provider blocks", () => {
  test("a connection's settings become the provider block, and the provider is required at the package's version", () => {
    const stack = newStack();
    new PreclinicalWebhook(stack, "Hook", {
      url: HOOK_URL,
      connection: provider(stack, "Conn", {
        apiUrl: EU,
        apiKeyEnvVar: "EU_KEY",
        requestTimeoutMs: 5000,
        deadlineMs: 30000,
      }),
    });
    const tuned = synth(stack);

    expect(providerBlocks(tuned)).toEqual([
      { alias: ALIAS, api_url: EU, api_key_env_var: "EU_KEY", request_timeout_ms: 5000, deadline_ms: 30000 },
    ]);
    expect(tuned.terraform.required_providers.preclinical).toEqual({
      source: "preclinical/preclinical",
      version: PACKAGE_VERSION,
    });
  });

  test("two connections to different API URLs get two blocks, each aliased, and each webhook uses its own", () => {
    const stack = newStack();
    const us = new PreclinicalWebhook(stack, "Us", { url: HOOK_URL, connection: provider(stack, "UsConn") });
    const eu = new PreclinicalWebhook(stack, "Eu", {
      url: HOOK_URL,
      connection: provider(stack, "EuConn", { apiUrl: EU }),
    });
    const json = synth(stack);

    const blocks = providerBlocks(json);
    expect(blocks.map((b) => b.api_url).sort()).toEqual([DEFAULT_API_URL, EU].sort());
    for (const block of blocks) expect(block.alias).toMatch(/^org_[0-9a-f]{10}$/);
    const blockOf = (hook: PreclinicalWebhook) => {
      const ref = json.resource.preclinical_webhook[hook.webhookResource.friendlyUniqueId].provider as string;
      return blocks.find((b) => (b.alias ? `preclinical.${b.alias}` : "preclinical") === ref);
    };
    expect(blockOf(us)?.api_url).toBe(DEFAULT_API_URL);
    expect(blockOf(eu)?.api_url).toBe(EU);
  });

  test("two connections with the same settings share one block", () => {
    const stack = newStack();
    new PreclinicalWebhook(stack, "A", { url: HOOK_URL, connection: provider(stack, "A1", { apiUrl: EU }) });
    new PreclinicalWebhook(stack, "B", {
      url: HOOK_URL,
      agentId: AGENT_A,
      connection: provider(stack, "B1", { apiUrl: `${EU}/` }),
    });

    expect(providerBlocks(synth(stack))).toEqual([
      { alias: ALIAS, api_url: EU, api_key_env_var: "PRECLINICAL_API_KEY" },
    ]);
  });

  test("an explicit connection with no webhooks still has its block, so removing the last webhook destroys it", () => {
    const stack = newStack();
    provider(stack, "Conn", { apiUrl: EU });

    expect(providerBlocks(synth(stack))).toEqual([
      { alias: ALIAS, api_url: EU, api_key_env_var: "PRECLINICAL_API_KEY" },
    ]);
  });

  // With an unaliased block, the order of the code would decide which organization `provider "preclinical"`
  // means, and a webhook removed with its connection would be destroyed through another organization's block.
  test("which organization each provider address means does not depend on the order of the connections", () => {
    const addresses = (order: string[]) => {
      const stack = newStack();
      for (const apiUrl of order) provider(stack, apiUrl.replace(/\W/g, "_"), { apiUrl });
      return providerBlocks(synth(stack))
        .map((b) => `${b.alias ?? "(default)"} -> ${b.api_url}`)
        .sort();
    };

    expect(addresses([DEFAULT_API_URL, EU])).toEqual(addresses([EU, DEFAULT_API_URL]));
  });
});

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
      const stack = newStack();
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
    const stack = newStack();
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
      const stack = newStack();
      const hook = new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, connection: provisioners(stack) });

      const error = thrown(() => hook[what]);
      expect(error.message).toBe(messages.needsEngine("stack/Hook", what, PreclinicalEngine.PROVIDER));
      expect(error.message).toContain("PreclinicalEngine.PROVIDER");
    },
  );

  test.each(["scopeResource", "configResource"] as const)(
    "%s on the provider engine throws, naming the provisioner engine",
    (what) => {
      const stack = newStack();
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
        { url: HOOK_URL, agentId: AGENT_A, connection: provisioners(s) },
        { url: HOOK_URL, agentId: AGENT_A, connection: provider(s) },
      ],
      `scope of agent ${AGENT_A}`,
    ],
    [
      "a provider webhook, then a provisioner webhook",
      (s) => [
        { url: HOOK_URL, connection: provider(s, "Conn", { apiUrl: EU }) },
        { url: HOOK_URL, connection: provisioners(s, "Legacy", { apiUrl: `${EU}/` }) },
      ],
      "organization-level scope",
    ],
  ])("%s claiming one scope fail synthesis naming both paths", (_name, build, scope) => {
    const stack = newStack();
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
    const { stack, json } = oneWebhook({ agentId: AGENT_A, secret: SECRET });

    expect(Object.keys(json.resource)).toEqual(["preclinical_webhook"]);
    expect(Object.keys(json.provider)).toEqual(["preclinical"]);
    expect(stack.node.tryFindChild("PreclinicalLedger")).toBeUndefined();
    expect(stack.node.tryFindChild("PreclinicalProvisionerCli")).toBeUndefined();
  });

  test("a provisioner-engine stack has no preclinical_webhook, provider block or required provider", () => {
    const stack = newStack();
    new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, connection: provisioners(stack) });
    const json = synth(stack);

    expect(json.resource.preclinical_webhook).toBeUndefined();
    expect(json.provider?.preclinical).toBeUndefined();
    expect(json.terraform?.required_providers?.preclinical).toBeUndefined();
  });

  test("in a stack with both, only the provisioner webhook is recorded in the ledger", () => {
    const stack = newStack();
    const legacy = new PreclinicalWebhook(stack, "Legacy", {
      url: HOOK_URL,
      agentId: AGENT_A,
      connection: provisioners(stack),
    });
    const native = new PreclinicalWebhook(stack, "Native", { url: HOOK_URL, connection: provider(stack) });
    const json = synth(stack);

    const ledger = ledgerOf(json);
    expect(Object.keys(ledger.triggers_replace)).toEqual([legacy.node.path]);
    expect(Object.keys(json.resource.preclinical_webhook)).toEqual([native.webhookResource.friendlyUniqueId]);
  });

  test("a scope moved to the provider engine stays declared to the ledger, so its reconcile does not delete it", () => {
    const stack = newStack();
    new PreclinicalWebhook(stack, "Legacy", { url: HOOK_URL, agentId: AGENT_A, connection: provisioners(stack) });
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
