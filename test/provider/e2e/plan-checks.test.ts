/**
 * What fails at plan time, before any write: invalid values (offline, with the construct's messages and no
 * API request at all), a missing API key, an agent the organization does not have, and a scope that a
 * webhook made in the UI already holds (unless adopt_existing takes it over).
 */
import { COMMANDS, messages, quote } from "../../../src/messages";
import { MAX_DESCRIPTION_LENGTH } from "../../../src/api/assumptions";
import { AGENT_A, AGENT_C, UNKNOWN_AGENT } from "../../support/agents";
import { describeWithTerraform, hclWs, useHclWorkspace } from "../../support/e2e";
import { apiRequests, emulator, useSharedEmulator } from "../../support/emulator";
import { flat, webhookConfig, writeRequests, type WebhookDecl } from "../../support/webhook-config";

const SECRET = "whsec_e2e_" + "Pl4nCk".repeat(6);

const config = (webhooks: Record<string, WebhookDecl>, provider?: Record<string, unknown>) =>
  webhookConfig({ apiUrl: emulator.url, webhooks, provider });

useSharedEmulator({ agents: [{ id: AGENT_A }] });
useHclWorkspace(SECRET);

describeWithTerraform("plan-time checks (terraform + bundled provider + emulator)", () => {
  test("an invalid url, agent_id, description or secret fails the plan offline with the construct's messages and no API request", async () => {
    const longDescription = "d".repeat(MAX_DESCRIPTION_LENGTH + 1);
    const shortSecret = "too-short";
    const result = await hclWs.plan(
      config({
        bad_url: { url: "ftp://hooks.example.com/x" },
        bad_agent: { url: "https://hooks.example.com/a", agent_id: "agent-1" },
        long_description: { url: "https://hooks.example.com/d", agent_id: AGENT_A, description: longDescription },
        version_alone: {
          url: "https://hooks.example.com/v",
          agent_id: AGENT_C,
          secret_version: "1",
        },
      }),
    );

    expect(result.code).toBe(1);
    const output = flat(result.output);
    expect(output).toContain(flat(messages.urlRule(quote("ftp://hooks.example.com/x"))));
    expect(output).toContain(flat(messages.agentIdRule(quote("agent-1"), "agent_id")));
    expect(output).toContain(flat(messages.descriptionRule(quote(longDescription))));
    expect(output).toContain(flat(messages.secretVersionWithoutSecret()));
    // Each diagnostic points at the attribute's line in main.tf.json
    expect(output).toMatch(
      /with preclinical_webhook\.bad_url, on main\.tf\.json line \d+, in resource\.preclinical_webhook\.bad_url: \d+: "url": "ftp:/,
    );
    expect(output).toMatch(
      /with preclinical_webhook\.bad_agent, on main\.tf\.json line \d+, in resource\.preclinical_webhook\.bad_agent: \d+: "agent_id": "agent-1"/,
    );
    expect(apiRequests()).toEqual([]);

    // A secret from a variable is known only once the plan runs: still refused before the agent is looked up
    const secret = await hclWs.plan(
      config({ short_secret: { url: "https://hooks.example.com/s", agent_id: AGENT_A, secret: true } }),
      {
        TF_VAR_webhook_secret: shortSecret,
      },
    );
    expect(secret.code).toBe(1);
    expect(flat(secret.output)).toContain(flat(messages.secretRule()));
    expect(secret.output).not.toContain(shortSecret);
    expect(apiRequests()).toEqual([]);
  });

  test("invalid provider settings fail the plan offline with the construct's messages and no API request", async () => {
    const settings = { api_url: "http://api.example.com/api/v1", request_timeout_ms: 0, api_key_env_var: "1BAD" };
    const result = await hclWs.plan(
      webhookConfig({
        apiUrl: emulator.url,
        provider: settings,
        webhooks: { org: { url: "https://hooks.example.com/o" } },
      }),
    );

    expect(result.code).toBe(1);
    const output = flat(result.output);
    expect(output).toContain(flat(messages.apiUrlRule("http://api.example.com/api/v1", "api_url")));
    expect(output).toContain(flat(messages.timeoutRule("request_timeout_ms", 0)));
    expect(output).toContain(flat(messages.apiKeyEnvVarRule("1BAD", "api_key_env_var")));
    expect(output).toContain('with provider["registry.terraform.io/preclinical/preclinical"]');
    expect(apiRequests()).toEqual([]);
  });

  test("without the API key variable the plan fails once, naming the variable and terraform apply, and makes no request", async () => {
    const webhooks = {
      org: { url: "https://hooks.example.com/org" },
      triage: { url: "https://hooks.example.com/triage", agent_id: AGENT_A },
    };

    const missing = await hclWs.plan(config(webhooks), { PRECLINICAL_API_KEY: "" });
    expect(missing.code).toBe(1);
    expect(flat(missing.output)).toContain(flat(messages.missingApiKey("PRECLINICAL_API_KEY", COMMANDS.terraform)));
    expect(missing.output.split("Error: No Preclinical API key")).toHaveLength(2);

    // A key variable of another name is the one named
    const custom = await hclWs.plan(config(webhooks, { api_key_env_var: "ACME_PRECLINICAL_KEY" }));
    expect(custom.code).toBe(1);
    expect(flat(custom.output)).toContain(flat(messages.missingApiKey("ACME_PRECLINICAL_KEY", COMMANDS.terraform)));
    expect(apiRequests()).toEqual([]);
  });

  test("an agent the organization does not have fails the plan at agent_id, naming the agent, before any write", async () => {
    const result = await hclWs.apply(
      config({ triage: { url: "https://hooks.example.com/t", agent_id: UNKNOWN_AGENT } }),
    );

    expect(result.code).toBe(1);
    const output = flat(result.output);
    expect(output).toContain("Error: Cannot create the Preclinical webhook");
    expect(output).toContain(flat(messages.agentUnknown(UNKNOWN_AGENT)));
    expect(output).toContain(`with preclinical_webhook.triage`);
    expect(output).toMatch(new RegExp(`\\d+: "agent_id": "${UNKNOWN_AGENT}"`));
    expect(result.output).not.toContain("Creating...");
    expect(writeRequests(apiRequests())).toEqual([]);
    expect(emulator.webhooks()).toEqual([]);
  });

  test("a scope held by a webhook made in the UI fails the plan naming it, with import and adopt_existing as the ways out", async () => {
    const held = emulator.seedWebhook("default", { url: "https://ui.example.com/by-hand", agent_id: AGENT_A });

    const result = await hclWs.apply(config({ triage: { url: "https://hooks.example.com/t", agent_id: AGENT_A } }));

    expect(result.code).toBe(1);
    const output = flat(result.output);
    expect(output).toContain(flat(messages.scopeHeld(AGENT_A, held, `Agent ${AGENT_A.slice(0, 8)}`)));
    expect(output).toContain(held.id);
    expect(output).toContain(`terraform import <address> ${held.id}`);
    expect(output).toContain(`webhookResource.importFrom("${held.id}")`);
    expect(output).toContain("adopt_existing = true");
    expect(writeRequests(apiRequests())).toEqual([]);
    expect(emulator.webhooks()).toEqual([held]);
  });

  test("with adopt_existing the plan warns that the UI's webhook will be adopted, and apply converges it on the same id", async () => {
    // Given the org-level scope held by a paused webhook made in the UI
    const held = emulator.seedWebhook("default", {
      url: "https://ui.example.com/by-hand",
      description: "from the UI",
      is_enabled: false,
    });
    const adopting = {
      org: { url: "https://hooks.example.com/org", description: "All agents", secret: true, adopt_existing: true },
    };

    // When planning with adopt_existing
    const plan = await hclWs.plan(config(adopting));
    expect(plan.code).toBe(2);
    expect(flat(plan.output)).toContain("Warning: Existing webhook will be adopted");
    expect(flat(plan.output)).toContain(flat(messages.willAdopt(null, held)));

    // When applying
    emulator.clearRequests();
    const apply = await hclWs.apply();

    // Then the UI's webhook is set to the configuration, same id, with the secret, and no webhook was created
    expect(apply.code).toBe(0);
    expect(apiRequests("POST")).toEqual([]);
    expect(writeRequests(apiRequests())).toEqual([`PUT /api/v1/webhooks/${held.id}`]);
    expect(emulator.webhooks()).toHaveLength(1);
    expect(emulator.webhooks()[0]).toMatchObject({
      id: held.id,
      url: "https://hooks.example.com/org",
      description: "All agents",
      is_enabled: true,
      secret: SECRET,
    });
    expect(await hclWs.output("org_id")).toBe(held.id);

    // And the next plan has nothing to do
    emulator.clearRequests();
    expect((await hclWs.plan()).code).toBe(0);
    expect(writeRequests(apiRequests())).toEqual([]);
  });
});
