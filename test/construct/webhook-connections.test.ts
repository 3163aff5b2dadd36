/**
 * Where the provisioners of a PreclinicalWebhook send their requests: the defaults, PRECLINICAL_API_URL at
 * synth time, apiUrl and apiKeyEnvVar on one webhook, and a PreclinicalConnection shared by several.
 * Synthesis only, no Terraform.
 */
import { TerraformVariable } from "cdktf";
import { DEFAULT_API_URL } from "../../src/api/assumptions";
import { PreclinicalConnection, PreclinicalEngine, PreclinicalWebhook } from "../../src";
import { AGENT_A, AGENT_B } from "../support/agents";
import { HOOK_URL } from "../support/inputs";
import { bareStack, block, localExec, newStack, oneWebhook, synth } from "../support/synth";
import { thrown } from "../support/thrown";

describe("defaults", () => {
  test("a webhook is enabled, uses the production API and the PRECLINICAL_API_KEY variable, adopts nothing and runs node from the PATH", () => {
    const { hook, json } = oneWebhook();
    const config = block(json, hook.configResource);

    expect(config.triggers_replace).toMatchObject({
      is_enabled: "true",
      api_url: "https://app.preclinical.dev/api/v1",
      api_key_env: "PRECLINICAL_API_KEY",
    });
    expect(localExec(block(json, hook.scopeResource), "claim").environment).toMatchObject({
      PRECLINICAL_ADOPT_EXISTING: "false",
      PRECLINICAL_NODE: "node",
    });
    expect(localExec(config, "converge").environment).not.toHaveProperty("PRECLINICAL_REQUEST_TIMEOUT_MS");
  });

  test("PRECLINICAL_API_URL at synth time overrides the default API URL (trailing slash dropped)", () => {
    // Given: the variable set for this test only (afterEach restores it)
    process.env.PRECLINICAL_API_URL = "http://localhost:4010/api/v1/";

    const { hook, json } = oneWebhook();

    expect(block(json, hook.scopeResource).triggers_replace.api_url).toBe("http://localhost:4010/api/v1");
    expect(localExec(block(json, hook.configResource), "converge").environment.PRECLINICAL_API_URL).toBe(
      "http://localhost:4010/api/v1",
    );
  });

  test("an empty PRECLINICAL_API_URL means the default", () => {
    process.env.PRECLINICAL_API_URL = "";
    const { hook, json } = oneWebhook();
    expect(block(json, hook.scopeResource).triggers_replace.api_url).toBe(DEFAULT_API_URL);
  });

  test("a webhook with its own apiUrl does not depend on PRECLINICAL_API_URL", () => {
    process.env.PRECLINICAL_API_URL = "not-a-url";
    // A stack on provisioners without a default connection (which would read PRECLINICAL_API_URL).
    const stack = bareStack();
    new PreclinicalConnection(stack, "Other", {
      engine: PreclinicalEngine.PROVISIONERS,
      apiUrl: "https://x.preclinical.dev/api/v1",
    });

    const hook = new PreclinicalWebhook(stack, "Hook", {
      url: HOOK_URL,
      apiUrl: "https://eu.preclinical.dev/api/v1",
      apiKeyEnvVar: "EU_KEY",
    });

    expect(block(synth(stack), hook.scopeResource).triggers_replace.api_url).toBe("https://eu.preclinical.dev/api/v1");
  });

  test("an invalid PRECLINICAL_API_URL is reported as the environment variable", () => {
    process.env.PRECLINICAL_API_URL = "not-a-url";

    const error = thrown(() => new PreclinicalWebhook(newStack(), "Hook", { url: HOOK_URL }));

    expect(error.message).toContain("PRECLINICAL_API_URL");
    expect(error.message).toContain('"not-a-url"');
  });
});

describe("connections", () => {
  test("apiUrl and apiKeyEnvVar on one webhook apply to it alone", () => {
    const stack = newStack();
    const custom = new PreclinicalWebhook(stack, "Custom", {
      url: HOOK_URL,
      apiUrl: "https://eu.preclinical.dev/api/v1",
      apiKeyEnvVar: "EU_KEY",
    });
    const plain = new PreclinicalWebhook(stack, "Plain", { url: HOOK_URL });
    const json = synth(stack);

    expect(block(json, custom.scopeResource).triggers_replace).toEqual({
      api_url: "https://eu.preclinical.dev/api/v1",
      api_key_env: "EU_KEY",
      agent_id: "",
    });
    expect(localExec(block(json, custom.configResource), "converge").environment).toMatchObject({
      PRECLINICAL_API_URL: "https://eu.preclinical.dev/api/v1",
      PRECLINICAL_API_KEY_ENV: "EU_KEY",
    });
    expect(block(json, plain.scopeResource).triggers_replace).toEqual({
      api_url: DEFAULT_API_URL,
      api_key_env: "PRECLINICAL_API_KEY",
      agent_id: "",
    });
  });

  test("a PreclinicalConnection is shared by the webhooks that name it", () => {
    const stack = bareStack();
    const connection = new PreclinicalConnection(stack, "Staging", {
      apiUrl: "https://staging.preclinical.dev/api/v1",
      apiKeyEnvVar: "STAGING_KEY",
      requestTimeoutMs: 5000,
      deadlineMs: 30000,
      nodeExecutable: "/opt/node20/bin/node",
    });
    const a = new PreclinicalWebhook(stack, "A", { url: HOOK_URL, agentId: AGENT_A, connection });
    const b = new PreclinicalWebhook(stack, "B", { url: HOOK_URL, agentId: AGENT_B, connection });
    const json = synth(stack);

    for (const hook of [a, b]) {
      expect(block(json, hook.scopeResource).triggers_replace).toMatchObject({
        api_url: "https://staging.preclinical.dev/api/v1",
        api_key_env: "STAGING_KEY",
      });
      expect(localExec(block(json, hook.configResource), "converge").environment).toMatchObject({
        PRECLINICAL_API_URL: "https://staging.preclinical.dev/api/v1",
        PRECLINICAL_API_KEY_ENV: "STAGING_KEY",
        PRECLINICAL_REQUEST_TIMEOUT_MS: "5000",
        PRECLINICAL_DEADLINE_MS: "30000",
        PRECLINICAL_NODE: "/opt/node20/bin/node",
      });
    }
    // No default connection was made for webhooks that named one.
    expect(stack.node.tryFindChild(PreclinicalConnection.DEFAULT_ID)).toBeUndefined();
  });

  test.each([
    ["apiUrl", { apiUrl: "https://eu.preclinical.dev/api/v1" }],
    ["apiKeyEnvVar", { apiKeyEnvVar: "EU_KEY" }],
  ])("`connection` combined with `%s` is a clear error naming the webhook", (_prop, extra) => {
    const stack = newStack();
    const connection = new PreclinicalConnection(stack, "Conn");

    const error = thrown(() => new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, connection, ...extra }));

    expect(error.message).toBe(
      "stack/Hook: `connection` cannot be combined with `apiUrl` or `apiKeyEnvVar`. Set those on the " +
        "PreclinicalConnection, or drop `connection`.",
    );
  });

  test.each(["apiUrl", "apiKeyEnvVar"])(
    "`%s` from a TerraformVariable is rejected with a message that does not show a raw token",
    (prop) => {
      const stack = newStack();
      const variable = new TerraformVariable(stack, "value", { type: "string" });

      const error = thrown(
        () => new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, [prop]: variable.stringValue }),
      );

      expect(error.message).toContain(`\`${prop}\``);
      expect(error.message).not.toContain("TfToken");
    },
  );

  test("two organizations (different key variables) in one stack may each have an organization-level webhook", () => {
    const stack = newStack();
    const prod = new PreclinicalConnection(stack, "Prod", {
      apiKeyEnvVar: "PROD_KEY",
      engine: PreclinicalEngine.PROVISIONERS,
    });
    const lab = new PreclinicalConnection(stack, "Lab", {
      apiKeyEnvVar: "LAB_KEY",
      engine: PreclinicalEngine.PROVISIONERS,
    });
    const a = new PreclinicalWebhook(stack, "ProdHook", { url: HOOK_URL, connection: prod });
    const b = new PreclinicalWebhook(stack, "LabHook", { url: HOOK_URL, connection: lab });

    const json = synth(stack);

    expect([...a.node.validate(), ...b.node.validate()]).toEqual([]); // no scope conflict
    expect(block(json, a.scopeResource).triggers_replace).toEqual({
      api_url: DEFAULT_API_URL,
      api_key_env: "PROD_KEY",
      agent_id: "",
    });
    expect(block(json, b.scopeResource).triggers_replace).toEqual({
      api_url: DEFAULT_API_URL,
      api_key_env: "LAB_KEY",
      agent_id: "",
    });
  });
});
