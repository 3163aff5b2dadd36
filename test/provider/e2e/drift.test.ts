/**
 * Changes made outside Terraform ("in the Preclinical UI": requests straight to the emulator's API) show in
 * `terraform plan` as drift, and the next apply puts the configuration back: in place on the same id, or by
 * creating the webhook anew when it was deleted.
 */
import { AGENT_A } from "../../support/agents";
import { describeWithTerraform, hclWs, useHclWorkspace } from "../../support/e2e";
import { apiRequests, byAgent, emulator, useSharedEmulator } from "../../support/emulator";
import { applySummary } from "../../support/terraform";
import {
  changeInUi,
  deleteInUi,
  listRequests,
  webhookConfig,
  writeRequests,
  type WebhookDecl,
} from "../../support/webhook-config";

const SECRET = "whsec_e2e_" + "Dr1ftX".repeat(6);

const org: WebhookDecl = { url: "https://hooks.example.com/org", description: "All agents", secret: true };
const triage: WebhookDecl = { url: "https://hooks.example.com/triage", agent_id: AGENT_A };
const config = () => webhookConfig({ apiUrl: emulator.url, webhooks: { org, triage } });

useSharedEmulator({ agents: [{ id: AGENT_A }] });
useHclWorkspace(SECRET);
beforeEach(async () => {
  expect((await hclWs.apply(config())).code).toBe(0);
});

describeWithTerraform("drift made in the Preclinical UI (terraform + bundled provider + emulator)", () => {
  test("a URL changed, a description cleared and a webhook paused in the UI show in the plan, and apply puts them back on the same ids", async () => {
    // Given the org webhook's URL changed and description cleared, and the agent's webhook paused, in the UI
    const [orgId, triageId] = [byAgent(null)!.id, byAgent(AGENT_A)!.id];
    await changeInUi(emulator.url, orgId, { url: "https://ui.example.com/changed", description: null });
    await changeInUi(emulator.url, triageId, { is_enabled: false });
    emulator.clearRequests();

    // When planning
    const plan = await hclWs.plan();

    // Then the plan shows both changes, from the UI's value to the configured one, and nothing else
    expect(plan.code).toBe(2);
    expect(plan.output).toContain("preclinical_webhook.org will be updated in-place");
    expect(plan.output).toMatch(
      /~ url\s+= "https:\/\/ui\.example\.com\/changed" -> "https:\/\/hooks\.example\.com\/org"/,
    );
    expect(plan.output).toMatch(/\+ description\s+= "All agents"/);
    expect(plan.output).toContain("preclinical_webhook.triage will be updated in-place");
    expect(plan.output).toMatch(/~ is_enabled\s+= false -> true/);
    expect(plan.output).toContain("Plan: 0 to add, 2 to change, 0 to destroy.");
    expect(writeRequests(apiRequests())).toEqual([]);
    expect(listRequests(apiRequests())).toBe(1);

    // When applying
    emulator.clearRequests();
    const apply = await hclWs.apply();

    // Then one PUT per webhook repaired it, on the same ids, and the secret was not touched
    expect(apply.code).toBe(0);
    expect(applySummary(apply)).toBe("0 added, 2 changed, 0 destroyed");
    expect(writeRequests(apiRequests()).sort()).toEqual(
      [`PUT /api/v1/webhooks/${orgId}`, `PUT /api/v1/webhooks/${triageId}`].sort(),
    );
    expect(byAgent(null)).toMatchObject({
      id: orgId,
      url: org.url,
      description: "All agents",
      is_enabled: true,
      secret: SECRET,
    });
    expect(byAgent(AGENT_A)).toMatchObject({ id: triageId, url: triage.url, is_enabled: true });
    expect(emulator.webhooks()).toHaveLength(2);

    // And the next plan has nothing left to do
    expect((await hclWs.plan()).code).toBe(0);
  });

  test("a webhook deleted in the UI is planned for creation, and apply creates it anew with a new id in the output", async () => {
    // Given the agent's webhook deleted in the UI
    const oldId = byAgent(AGENT_A)!.id;
    const orgId = byAgent(null)!.id;
    await deleteInUi(emulator.url, oldId);
    emulator.clearRequests();

    // When planning
    const plan = await hclWs.plan();

    // Then terraform sees it gone and will create it; the other webhook is unchanged
    expect(plan.code).toBe(2);
    expect(plan.output).toContain("preclinical_webhook.triage will be created");
    expect(plan.output).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
    expect(plan.output).not.toContain("preclinical_webhook.org will be");

    // When applying
    emulator.clearRequests();
    const apply = await hclWs.apply();

    // Then one POST made a new webhook for the agent, and the output names its new id
    expect(apply.code).toBe(0);
    expect(writeRequests(apiRequests())).toEqual(["POST /api/v1/webhooks"]);
    const recreated = byAgent(AGENT_A)!;
    expect(recreated).toMatchObject({ url: triage.url, is_enabled: true });
    expect(recreated.id).not.toBe(oldId);
    expect(await hclWs.output("triage_id")).toBe(recreated.id);
    expect(byAgent(null)!.id).toBe(orgId);
  });
});
