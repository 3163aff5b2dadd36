/**
 * The lifecycle of PreclinicalWebhook on the provider engine (one `preclinical_webhook` per webhook), with
 * real cdktf synthesis and the real terraform binary against the emulator. Every step counts the writes
 * (POST, PUT, DELETE) it causes.
 */
import { TerraformOutput } from "cdktf";
import { PreclinicalWebhook, PreclinicalEngine } from "../../../src";
import { AGENT_A, AGENT_B } from "../../support/agents";
import { cdktfWs, describeWithTerraform, useCdktfWorkspace } from "../../support/e2e";
import { byAgent, emulator, useSharedEmulator } from "../../support/emulator";
import { WEBHOOKS, webhookProgram, writeCounts, type Decl } from "../../support/provider-engine";
import { writeRequests } from "../../support/webhook-config";
import { applySummary } from "../../support/terraform";

const SECRET = "whsec_e2e_" + "Pr0vLc".repeat(6);
const ROTATED = "whsec_rotated_" + "R0tat3".repeat(6);

const { org, triage } = WEBHOOKS;

const program = (...decls: Decl[]) =>
  webhookProgram({ engine: PreclinicalEngine.PROVIDER, apiUrl: emulator.url }, ...decls);
const writes = () => writeCounts(emulator.requests());
const ids = () =>
  emulator
    .webhooks()
    .map((w) => w.id)
    .sort();
const output = async (name: string) =>
  (await cdktfWs.terraform(cdktfWs.lastStackDir, ["output", "-raw", name])).stdout.trim();

useSharedEmulator({ agents: [{ id: AGENT_A }, { id: AGENT_B }] });
useCdktfWorkspace(SECRET);

describeWithTerraform("provider engine: lifecycle (cdktf synth + terraform + emulator)", () => {
  test("a first deploy creates exactly the declared webhooks, with their fields and the secret from a sensitive variable, and outputs webhookId and createdAt", async () => {
    const result = await cdktfWs.deploy((stack) => {
      program(org, { ...triage, isEnabled: false })(stack);
      const hook = stack.node.findChild("triage") as PreclinicalWebhook;
      new TerraformOutput(stack, "triage_created_at", { value: hook.createdAt });
    });

    expect(result.code).toBe(0);
    expect(applySummary(result)).toBe("2 added, 0 changed, 0 destroyed");
    expect(writes()).toEqual({ POST: 2, PUT: 0, DELETE: 0 });
    const hooks = emulator.webhooks();
    expect(hooks).toHaveLength(2);
    expect(byAgent(null)).toMatchObject({ url: org.url, description: "All agents", is_enabled: true, secret: SECRET });
    expect(byAgent(AGENT_A)).toMatchObject({ url: triage.url, description: null, is_enabled: false, secret: null });
    expect(await output("org_id")).toBe(byAgent(null)!.id);
    expect(await output("triage_created_at")).toBe(byAgent(AGENT_A)!.created_at);
  });

  test("a second deploy of the same program says No changes and writes nothing", async () => {
    expect((await cdktfWs.deploy(program(org, triage))).code).toBe(0);
    emulator.clearRequests();

    const again = await cdktfWs.deploy(program(org, triage));

    expect(again.code).toBe(0);
    expect(again.output).toContain("No changes.");
    expect(writes()).toEqual({ POST: 0, PUT: 0, DELETE: 0 });
  });

  test("changing url, description or isEnabled updates the same webhook in place with one PUT, and leaves its secret", async () => {
    expect((await cdktfWs.deploy(program(org, triage))).code).toBe(0);
    const before = ids();
    const orgId = byAgent(null)!.id;
    const triageId = byAgent(AGENT_A)!.id;

    const steps: Array<[string, Decl[], string, Record<string, unknown>]> = [
      [
        "url",
        [{ ...org, url: "https://hooks.example.com/org-v2" }, triage],
        orgId,
        { url: "https://hooks.example.com/org-v2" },
      ],
      [
        "description",
        [{ ...org, url: "https://hooks.example.com/org-v2", description: "Renamed" }, triage],
        orgId,
        { description: "Renamed" },
      ],
      [
        "isEnabled",
        [
          { ...org, url: "https://hooks.example.com/org-v2", description: "Renamed" },
          { ...triage, isEnabled: false },
        ],
        triageId,
        { is_enabled: false },
      ],
    ];
    for (const [field, decls, id, expected] of steps) {
      emulator.clearRequests();
      const result = await cdktfWs.deploy(program(...decls));
      expect({ field, code: result.code, summary: applySummary(result) }).toEqual({
        field,
        code: 0,
        summary: "0 added, 1 changed, 0 destroyed",
      });
      expect({ field, writes: writeRequests(emulator.requests()) }).toEqual({
        field,
        writes: [`PUT /api/v1/webhooks/${id}`],
      });
      expect(emulator.webhooks().find((w) => w.id === id)).toMatchObject(expected);
      expect(ids()).toEqual(before);
    }
    expect(byAgent(null)!.secret).toBe(SECRET);
  });

  test("changing only TF_VAR_webhook_secret changes the fingerprint in secret_version, and one PUT sends the new secret", async () => {
    expect((await cdktfWs.deploy(program(org, triage))).code).toBe(0);
    const orgId = byAgent(null)!.id;
    emulator.clearRequests();

    const rotated = await cdktfWs.deploy(program(org, triage), { TF_VAR_webhook_secret: ROTATED });

    expect(rotated.code).toBe(0);
    expect(rotated.output).toMatch(/~ secret_version\s+= "[0-9a-f]{16}" -> "[0-9a-f]{16}"/);
    expect(applySummary(rotated)).toBe("0 added, 1 changed, 0 destroyed");
    expect(writeRequests(emulator.requests())).toEqual([`PUT /api/v1/webhooks/${orgId}`]);
    expect(byAgent(null)).toMatchObject({ id: orgId, secret: ROTATED });

    // And the rotated secret, deployed again, is no change
    emulator.clearRequests();
    const again = await cdktfWs.deploy(program(org, triage), { TF_VAR_webhook_secret: ROTATED });
    expect(again.output).toContain("No changes.");
    expect(writes()).toEqual({ POST: 0, PUT: 0, DELETE: 0 });
  });

  test("changing agentId deletes the old scope's webhook and creates one in the new scope", async () => {
    expect((await cdktfWs.deploy(program(triage))).code).toBe(0);
    const oldId = byAgent(AGENT_A)!.id;
    emulator.clearRequests();

    const moved = await cdktfWs.deploy(program({ ...triage, agentId: AGENT_B }));

    expect(moved.code).toBe(0);
    expect(moved.output).toMatch(/must be replaced/);
    expect(writeRequests(emulator.requests())).toEqual([`DELETE /api/v1/webhooks/${oldId}`, "POST /api/v1/webhooks"]);
    expect(byAgent(AGENT_A)).toBeUndefined();
    expect(byAgent(AGENT_B)).toMatchObject({ url: triage.url });
    expect(byAgent(AGENT_B)!.id).not.toBe(oldId);
    expect(emulator.webhooks()).toHaveLength(1);
  });

  test("removing a webhook from the code deletes it with one DELETE; removing the last one too, while the connection stays", async () => {
    expect((await cdktfWs.deploy(program(org, triage))).code).toBe(0);
    const orgBefore = byAgent(null)!;
    const triageId = byAgent(AGENT_A)!.id;
    emulator.clearRequests();

    const removed = await cdktfWs.deploy(program(org));
    expect(removed.code).toBe(0);
    expect(writeRequests(emulator.requests())).toEqual([`DELETE /api/v1/webhooks/${triageId}`]);
    expect(emulator.webhooks()).toEqual([orgBefore]);

    emulator.clearRequests();
    const last = await cdktfWs.deploy(program()); // the connection alone
    expect(last.code).toBe(0);
    expect(writeRequests(emulator.requests())).toEqual([`DELETE /api/v1/webhooks/${orgBefore.id}`]);
    expect(emulator.webhooks()).toHaveLength(0);
  });

  test("destroy deletes every webhook of the stack, and leaves a webhook it does not manage alone", async () => {
    const foreign = emulator.seedWebhook("default", { url: "https://ui.example.com/other", agent_id: AGENT_B });
    expect((await cdktfWs.deploy(program(org, triage))).code).toBe(0);
    emulator.clearRequests();

    const destroyed = await cdktfWs.destroy(program(org, triage));

    expect(destroyed.code).toBe(0);
    expect(writes()).toEqual({ POST: 0, PUT: 0, DELETE: 2 });
    expect(emulator.webhooks().map((w) => w.id)).toEqual([foreign.id]);
  });
});
