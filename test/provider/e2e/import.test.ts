/**
 * Bringing webhooks made in the Preclinical UI under management: `terraform import` by webhook id, by
 * "organization" and by "agent/<uuid>", `import` blocks in the configuration, and the refusals of an id that
 * is none of those or names a scope that holds nothing.
 */
import { COMMANDS, importIdOf, messages } from "../../../src/messages";
import { AGENT_A, AGENT_B, UNKNOWN_WEBHOOK_ID } from "../../support/agents";
import { describeWithTerraform, hclWs, useHclWorkspace } from "../../support/e2e";
import { emulator, useSharedEmulator } from "../../support/emulator";
import { flat, webhookConfig, writeRequests, type WebhookDecl } from "../../support/webhook-config";

const SECRET = "whsec_e2e_" + "1mp0rT".repeat(6);

const config = (webhooks: Record<string, WebhookDecl>, imports?: Record<string, string>) =>
  webhookConfig({ apiUrl: emulator.url, webhooks, imports });
const importCli = (name: string, id: string) =>
  hclWs.terraform(["import", "-input=false", "-no-color", `preclinical_webhook.${name}`, id]);
const stateIds = async () =>
  Object.fromEntries(((await hclWs.state()).values?.root_module?.resources ?? []).map((r) => [r.address, r.values.id]));

useSharedEmulator({ agents: [{ id: AGENT_A }, { id: AGENT_B }] });
useHclWorkspace(SECRET);

describeWithTerraform("importing webhooks made in the UI (terraform + bundled provider + emulator)", () => {
  test("terraform import by id, by organization and by agent/<uuid> adopts each webhook; the matching configuration plans only secret_version", async () => {
    // Given three webhooks made in the UI
    const org = emulator.seedWebhook("default", { url: "https://ui.example.com/org", description: "made by hand" });
    const paused = emulator.seedWebhook("default", {
      url: "https://ui.example.com/a",
      agent_id: AGENT_A,
      is_enabled: false,
    });
    const other = emulator.seedWebhook("default", { url: "https://ui.example.com/b", agent_id: AGENT_B });
    // And a configuration that matches them; the org one also sets a secret with its secret_version
    hclWs.write(
      config({
        org: { url: org.url, description: "made by hand", secret: true, secret_version: "v1" },
        paused: { url: paused.url, agent_id: AGENT_A, is_enabled: false },
        other: { url: other.url, agent_id: AGENT_B },
      }),
    );
    await hclWs.init();

    // When importing each by one of the three accepted forms
    for (const [name, id] of [
      ["org", importIdOf(null)],
      ["paused", importIdOf(AGENT_A)],
      ["other", other.id],
    ]) {
      const result = await importCli(name, id);
      expect({ name, code: result.code, output: result.output }).toEqual({
        name,
        code: 0,
        output: expect.stringContaining("Import successful!"),
      });
    }

    // Then the state holds the UI's ids
    expect(await stateIds()).toEqual({
      "preclinical_webhook.org": org.id,
      "preclinical_webhook.paused": paused.id,
      "preclinical_webhook.other": other.id,
    });
    // And the plan has one change only: secret_version (and so the secret) for the org webhook
    emulator.clearRequests();
    const plan = await hclWs.plan();
    expect(plan.code).toBe(2);
    expect(plan.output).toContain("Plan: 0 to add, 1 to change, 0 to destroy.");
    expect(plan.output).toContain("preclinical_webhook.org will be updated in-place");
    expect(plan.output).toMatch(/\+ secret_version\s+= "v1"/);
    expect(plan.output).not.toMatch(/~ (url|description|is_enabled|agent_id)\b/);
    expect(writeRequests(emulator.requests())).toEqual([]);

    // When applying: one PUT sends the secret, on the same id; the next plan is clean
    emulator.clearRequests();
    expect((await hclWs.apply()).code).toBe(0);
    expect(writeRequests(emulator.requests())).toEqual([`PUT /api/v1/webhooks/${org.id}`]);
    expect(emulator.webhooks().find((w) => w.id === org.id)).toMatchObject({
      url: org.url,
      description: "made by hand",
      secret: SECRET,
    });
    expect((await hclWs.plan()).code).toBe(0);
  });

  test("import blocks plan the imports and apply performs them without a write", async () => {
    // Given an org-level and an agent-level webhook made in the UI, and import blocks naming their scopes
    const org = emulator.seedWebhook("default", { url: "https://ui.example.com/org" });
    const agent = emulator.seedWebhook("default", {
      url: "https://ui.example.com/a",
      agent_id: AGENT_A,
      description: "triage",
    });
    const webhooks = { org: { url: org.url }, triage: { url: agent.url, agent_id: AGENT_A, description: "triage" } };
    const imports = { org: "organization", triage: `agent/${AGENT_A}` };

    // When planning
    const plan = await hclWs.plan(config(webhooks, imports));
    // Then terraform plans two imports and nothing else
    expect(plan.code).toBe(2);
    expect(plan.output).toContain("preclinical_webhook.org will be imported");
    expect(plan.output).toContain("preclinical_webhook.triage will be imported");
    expect(plan.output).toContain("Plan: 2 to import, 0 to add, 0 to change, 0 to destroy.");

    // When applying
    emulator.clearRequests();
    const apply = await hclWs.apply();
    // Then both are imported with the UI's ids, and nothing was written
    expect(apply.code).toBe(0);
    expect(apply.output).toContain("Resources: 2 imported, 0 added, 0 changed, 0 destroyed.");
    expect(writeRequests(emulator.requests())).toEqual([]);
    expect(await hclWs.output("org_id")).toBe(org.id);
    expect(await hclWs.output("triage_id")).toBe(agent.id);
    expect(emulator.webhooks()).toHaveLength(2);
  });

  test("an import id of no accepted form, an unknown webhook id and an empty scope are refused with what to do", async () => {
    hclWs.write(config({ x: { url: "https://hooks.example.com/x", agent_id: AGENT_B } }));
    await hclWs.init();

    const cases: Array<[string, string]> = [
      ["not-a-webhook", messages.importIdRule("not-a-webhook")],
      [UNKNOWN_WEBHOOK_ID, messages.importNoSuchWebhook(UNKNOWN_WEBHOOK_ID)],
      [`agent/${AGENT_B}`, messages.importNothingInScope(AGENT_B, COMMANDS.terraform)],
    ];
    for (const [id, message] of cases) {
      const result = await importCli("x", id);
      expect({ id, code: result.code }).toEqual({ id, code: 1 });
      expect({ id, output: flat(result.output) }).toEqual({ id, output: expect.stringContaining(flat(message)) });
    }
    expect(await stateIds()).toEqual({});
    expect(writeRequests(emulator.requests())).toEqual([]);
  });
});
