/**
 * Changes made outside the code ("in the Preclinical UI": requests straight to the emulator's API) on the
 * provider engine: `terraform plan` in the synthesized stack shows them, and the next deploy puts the code's
 * values back, on the same id while the webhook exists, or anew (with the new id as the output) once deleted.
 */
import { AGENT_A } from "../../support/agents";
import { cdktfWs, describeWithTerraform, useCdktfWorkspace } from "../../support/e2e";
import { byAgent, emulator, useSharedEmulator } from "../../support/emulator";
import { WEBHOOKS, webhookProgram, writeCounts, type Decl } from "../../support/provider-engine";
import { PreclinicalEngine } from "../../../src";
import { changeInUi, deleteInUi, writeRequests } from "../../support/webhook-config";
import { applySummary } from "../../support/terraform";

const SECRET = "whsec_e2e_" + "Dr1ftC".repeat(6);

const { org } = WEBHOOKS;
const triage: Decl = { ...WEBHOOKS.triage, outputId: true };
const program = () => webhookProgram({ engine: PreclinicalEngine.PROVIDER, apiUrl: emulator.url }, org, triage);
const planInStack = () =>
  cdktfWs.terraform(cdktfWs.lastStackDir, ["plan", "-input=false", "-no-color", "-detailed-exitcode"]);
const output = async (name: string) =>
  (await cdktfWs.terraform(cdktfWs.lastStackDir, ["output", "-raw", name])).stdout.trim();

useSharedEmulator({ agents: [{ id: AGENT_A }] });
useCdktfWorkspace(SECRET);
beforeEach(async () => {
  expect((await cdktfWs.deploy(program())).code).toBe(0);
});

describeWithTerraform("provider engine: drift made in the Preclinical UI (cdktf synth + terraform + emulator)", () => {
  test("a URL changed and a webhook paused in the UI show in terraform plan (exit code 2), and the next deploy repairs both on the same ids", async () => {
    // Given the org webhook's URL changed and the agent's webhook paused, in the UI
    const orgId = byAgent(null)!.id;
    const triageId = byAgent(AGENT_A)!.id;
    await changeInUi(emulator.url, orgId, { url: "https://ui.example.com/changed" });
    await changeInUi(emulator.url, triageId, { is_enabled: false });
    emulator.clearRequests();

    // When planning in the stack folder
    const plan = await planInStack();

    // Then the plan shows both changes, from the UI's value to the code's, and writes nothing
    expect(plan.code).toBe(2);
    expect(plan.output).toMatch(/# preclinical_webhook\.org_webhook_[0-9A-F]{8} will be updated in-place/);
    expect(plan.output).toMatch(/# preclinical_webhook\.triage_webhook_[0-9A-F]{8} will be updated in-place/);
    expect(plan.output).toMatch(
      /~ url\s+= "https:\/\/ui\.example\.com\/changed" -> "https:\/\/hooks\.example\.com\/org"/,
    );
    expect(plan.output).toMatch(/~ is_enabled\s+= false -> true/);
    expect(plan.output).toContain("Plan: 0 to add, 2 to change, 0 to destroy.");
    expect(writeRequests(emulator.requests())).toEqual([]);

    // When deploying the same program
    emulator.clearRequests();
    const repaired = await cdktfWs.deploy(program());

    // Then one PUT per webhook put the code's values back, on the same ids; no webhook was created
    expect(repaired.code).toBe(0);
    expect(applySummary(repaired)).toBe("0 added, 2 changed, 0 destroyed");
    expect(writeCounts(emulator.requests())).toEqual({ POST: 0, PUT: 2, DELETE: 0 });
    expect(byAgent(null)).toMatchObject({ id: orgId, url: org.url, is_enabled: true, secret: SECRET });
    expect(byAgent(AGENT_A)).toMatchObject({ id: triageId, url: triage.url, is_enabled: true });
    expect(emulator.webhooks()).toHaveLength(2);

    // And nothing is left to do
    expect((await planInStack()).code).toBe(0);
  });

  test("a webhook deleted in the UI is created anew by the next deploy, and its output prints the new id", async () => {
    // Given the org webhook deleted in the UI
    const oldId = byAgent(null)!.id;
    const triageId = byAgent(AGENT_A)!.id;
    expect(await output("org_id")).toBe(oldId);
    await deleteInUi(emulator.url, oldId);
    emulator.clearRequests();

    // When planning, then deploying
    const plan = await planInStack();
    expect(plan.code).toBe(2);
    expect(plan.output).toMatch(/# preclinical_webhook\.org_webhook_[0-9A-F]{8} will be created/);
    expect(plan.output).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
    const recreated = await cdktfWs.deploy(program());

    // Then one POST made it again, with the secret; the other webhook is untouched
    expect(recreated.code).toBe(0);
    expect(writeRequests(emulator.requests())).toEqual(["POST /api/v1/webhooks"]);
    const created = byAgent(null)!;
    expect(created).toMatchObject({ url: org.url, description: "All agents", is_enabled: true, secret: SECRET });
    expect(created.id).not.toBe(oldId);
    expect(byAgent(AGENT_A)!.id).toBe(triageId);

    // And the output names the new id
    expect(await output("org_id")).toBe(created.id);
    expect(await output("triage_id")).toBe(triageId);
  });
});
