/**
 * What a PreclinicalWebhook on the provider engine synthesizes into cdk.tf.json: one `preclinical_webhook`
 * per webhook and one `provider "preclinical"` block per connection. Synthesis only, no Terraform. (What it
 * checks and refuses: provider-engine-checks.test.ts; what a full synth writes into the stack folder:
 * provider-engine-install.test.ts.)
 */
import { TerraformStack, TerraformVariable, Testing } from "cdktf";
import "cdktf/lib/testing/adapters/jest";
import { DEFAULT_API_URL } from "../../src/api/assumptions";
import { PreclinicalWebhook } from "../../src";
import { PreclinicalWebhookResource } from "../../src/construct/provider-binding";
import { messages } from "../../src/messages";
import { version as PACKAGE_VERSION } from "../../package.json";
import { AGENT_A } from "../support/agents";
import { HOOK_URL, SECRET } from "../support/inputs";
import { EU, oneProviderWebhook, provider, providerBlocks } from "../support/provider-synth";
import { bareStack, fingerprint, synth } from "../support/synth";

Testing.setupJest();

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
    const stack = bareStack();
    const connection = provider(stack);
    new PreclinicalWebhook(stack, "Org", { url: HOOK_URL, connection });
    new PreclinicalWebhook(stack, "Agent", { url: HOOK_URL, agentId: AGENT_A, connection });

    expect(Object.keys(synth(stack).resource.preclinical_webhook)).toHaveLength(2);
  });

  test("a secret from a variable is sent as the variable, with a fingerprint expression as its version", () => {
    const stack = bareStack();
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
    const { hook, body } = oneProviderWebhook({ secret: SECRET });

    expect(hook.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data)).toEqual([
      messages.literalSecret(),
    ]);
    expect(body.secret).toBe(SECRET);
    expect(body.secret_version).toBe(fingerprint("stack/Hook", SECRET));
  });

  test("literal ${ and %{ in url, description and a literal secret are escaped; the fingerprint is of the text as written", () => {
    const secret = "abc${def}%{ghi}-0123456789";
    const { body } = oneProviderWebhook({
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

/** Every block but the default organization's is aliased by what identifies its organization. */
const ALIAS = expect.stringMatching(/^org_[0-9a-f]{10}$/);

describe("provider blocks", () => {
  test("a connection's settings become the provider block, and the provider is required at the package's version", () => {
    const stack = bareStack();
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

  test("two connections to different API URLs get two blocks, the default organization's unaliased, and each webhook uses its own", () => {
    const stack = bareStack();
    const us = new PreclinicalWebhook(stack, "Us", { url: HOOK_URL, connection: provider(stack, "UsConn") });
    const eu = new PreclinicalWebhook(stack, "Eu", {
      url: HOOK_URL,
      connection: provider(stack, "EuConn", { apiUrl: EU }),
    });
    const json = synth(stack);

    const blocks = providerBlocks(json);
    expect(blocks.map((b) => b.api_url).sort()).toEqual([DEFAULT_API_URL, EU].sort());
    expect(blocks.find((b) => b.api_url === DEFAULT_API_URL)?.alias).toBeUndefined();
    expect(blocks.find((b) => b.api_url === EU)?.alias).toMatch(/^org_[0-9a-f]{10}$/);
    const blockOf = (hook: PreclinicalWebhook) => {
      const ref = json.resource.preclinical_webhook[hook.webhookResource.friendlyUniqueId].provider as string;
      return blocks.find((b) => (b.alias ? `preclinical.${b.alias}` : "preclinical") === ref);
    };
    expect(blockOf(us)?.api_url).toBe(DEFAULT_API_URL);
    expect(blockOf(eu)?.api_url).toBe(EU);
  });

  test("two connections with the same settings share one block", () => {
    const stack = bareStack();
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

  // Terraform deletes the webhooks of a removed default block through an implied, empty configuration (the
  // provider then follows each to the api_url in its state); a removed aliased block has no such stand-in.
  test("webhooks that name no connection, and a connection that sets nothing, share Terraform's default (unaliased) block", () => {
    const stack = bareStack();
    const org = new PreclinicalWebhook(stack, "Org", { url: HOOK_URL });
    const agent = new PreclinicalWebhook(stack, "Agent", {
      url: HOOK_URL,
      agentId: AGENT_A,
      connection: provider(stack, "Plain"),
    });
    const json = synth(stack);

    expect(providerBlocks(json)).toEqual([{ api_url: DEFAULT_API_URL, api_key_env_var: "PRECLINICAL_API_KEY" }]);
    for (const hook of [org, agent]) {
      expect(json.resource.preclinical_webhook[hook.webhookResource.friendlyUniqueId].provider).toBe("preclinical");
    }
  });

  test("an explicit connection with no webhooks still has its block, so removing the last webhook destroys it", () => {
    const stack = bareStack();
    provider(stack, "Conn", { apiUrl: EU });

    expect(providerBlocks(synth(stack))).toEqual([
      { alias: ALIAS, api_url: EU, api_key_env_var: "PRECLINICAL_API_KEY" },
    ]);
  });

  // With an unaliased block, the order of the code would decide which organization `provider "preclinical"`
  // means, and a webhook removed with its connection would be destroyed through another organization's block.
  test("which organization each provider address means does not depend on the order of the connections", () => {
    const addresses = (order: string[]) => {
      const stack = bareStack();
      for (const apiUrl of order) provider(stack, apiUrl.replace(/\W/g, "_"), { apiUrl });
      return providerBlocks(synth(stack))
        .map((b) => `${b.alias ?? "(default)"} -> ${b.api_url}`)
        .sort();
    };

    expect(addresses([DEFAULT_API_URL, EU])).toEqual(addresses([EU, DEFAULT_API_URL]));
  });
});
