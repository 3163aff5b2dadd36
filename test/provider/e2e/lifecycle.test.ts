/**
 * The `preclinical_webhook` lifecycle as a plain-Terraform user meets it: hand-written main.tf.json, the real
 * terraform binary, the bundled provider and the emulator. Every step counts the API requests it causes.
 */
import { AGENT_A, AGENT_B, AGENT_C } from "../../support/agents";
import { describeWithTerraform, hclWs, useHclWorkspace } from "../../support/e2e";
import { apiRequests, byAgent, emulator, useSharedEmulator } from "../../support/emulator";
import { applySummary } from "../../support/terraform";
import { SECRET } from "../../support/inputs";
import { deleteInUi, listRequests, webhookConfig, writeRequests, type WebhookDecl } from "../../support/webhook-config";

const AGENTS = [
  AGENT_A,
  AGENT_B,
  AGENT_C,
  "6ba7b813-9dad-11d1-80b4-00c04fd430c8",
  "6ba7b814-9dad-11d1-80b4-00c04fd430c8",
];
const OTHER_SECRET = "whsec_other_" + "Pm4rT8".repeat(6);

const org: WebhookDecl = { url: "https://hooks.example.com/org", description: "All agents", secret: true };
const triage: WebhookDecl = { url: "https://hooks.example.com/triage", agent_id: AGENT_A, is_enabled: false };
const config = (webhooks: Record<string, WebhookDecl>) => webhookConfig({ apiUrl: emulator.url, webhooks });

useSharedEmulator({ agents: AGENTS.map((id) => ({ id })) });
useHclWorkspace(SECRET);

describeWithTerraform("preclinical_webhook lifecycle (terraform + bundled provider + emulator)", () => {
  test("a first apply creates exactly the declared webhooks, with their fields, in two POSTs; outputs carry the API's ids", async () => {
    // When the configuration declares an org-level webhook with a secret and a paused agent-level one
    const result = await hclWs.apply(config({ org, triage }));

    // Then the emulator holds exactly those two, as declared
    expect(result.code).toBe(0);
    expect(result.output).toContain("Resources: 2 added, 0 changed, 0 destroyed.");
    expect(emulator.webhooks()).toHaveLength(2);
    expect(byAgent(null)).toMatchObject({ url: org.url, description: "All agents", is_enabled: true, secret: SECRET });
    expect(byAgent(AGENT_A)).toMatchObject({ url: triage.url, description: null, is_enabled: false, secret: null });
    expect(writeRequests(apiRequests())).toEqual(["POST /api/v1/webhooks", "POST /api/v1/webhooks"]);
    // And the plan's checks read the agents and the webhooks once for the whole apply: the apply's own plan of
    // the same creates trusts them (checked-creates.ts), and its POSTs enforce the rules again
    expect(
      apiRequests()
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual(["GET /api/v1/agents", "GET /api/v1/webhooks", "POST /api/v1/webhooks", "POST /api/v1/webhooks"]);
    // And terraform output shows the ids the API gave
    expect(await hclWs.output("org_id")).toBe(byAgent(null)!.id);
    expect(await hclWs.output("triage_id")).toBe(byAgent(AGENT_A)!.id);
  });

  test("with five webhooks a second plan shows no changes and a second apply writes nothing, listing webhooks once per command", async () => {
    // Given five agent-level webhooks, applied
    const five = Object.fromEntries(
      AGENTS.map((agent_id, i) => [`agent_${i}`, { url: `https://hooks.example.com/${i}`, agent_id }]),
    );
    expect((await hclWs.apply(config(five))).code).toBe(0);
    expect(emulator.webhooks()).toHaveLength(5);

    // When planning again
    emulator.clearRequests();
    const plan = await hclWs.plan();
    // Then there is nothing to do, and the refresh of five webhooks cost one list request
    expect(plan.code).toBe(0);
    expect(plan.output).toContain("No changes.");
    expect(listRequests(apiRequests())).toBe(1);
    expect(apiRequests()).toHaveLength(1);

    // When applying again
    emulator.clearRequests();
    const apply = await hclWs.apply();
    // Then nothing is written, and again one list request serves the whole refresh
    expect(apply.code).toBe(0);
    expect(applySummary(apply)).toBe("no changes");
    expect(writeRequests(apiRequests())).toEqual([]);
    expect(listRequests(apiRequests())).toBeLessThanOrEqual(1);
    expect(apiRequests().filter((r) => r.method === "GET" && r.path.startsWith("/api/v1/webhooks/"))).toEqual([]);

    // And a plan that adds an org-level sixth checks its scope against that same one list
    emulator.clearRequests();
    const sixth = await hclWs.plan(config({ ...five, org }));
    expect(sixth.code).toBe(2);
    expect(sixth.output).toContain("Plan: 1 to add, 0 to change, 0 to destroy.");
    expect(apiRequests().map((r) => `${r.method} ${r.path}`)).toEqual(["GET /api/v1/webhooks"]);
  });

  test("changing url, description or is_enabled updates the same webhook in place, one PUT per webhook", async () => {
    expect((await hclWs.apply(config({ org, triage }))).code).toBe(0);
    const ids = emulator
      .webhooks()
      .map((w) => w.id)
      .sort();
    const [orgId, triageId] = [byAgent(null)!.id, byAgent(AGENT_A)!.id];
    const v2 = "https://hooks.example.com/org-v2";

    // The secret variable changes too, without secret_version: PUTs that carry only the changed fields leave
    // the stored secret, and every field not changed, as they were.
    const steps: Array<[string, Record<string, WebhookDecl>, string[], () => void]> = [
      [
        "url of one, is_enabled of the other",
        { org: { ...org, url: v2 }, triage: { ...triage, is_enabled: true } },
        [orgId, triageId],
        () => {
          expect(byAgent(null)).toMatchObject({ url: v2, description: "All agents", is_enabled: true });
          expect(byAgent(AGENT_A)).toMatchObject({ url: triage.url, description: null, is_enabled: true });
        },
      ],
      [
        "description",
        { org: { ...org, url: v2, description: "Renamed" }, triage: { ...triage, is_enabled: true } },
        [orgId],
        () => expect(byAgent(null)).toMatchObject({ url: v2, description: "Renamed", is_enabled: true }),
      ],
    ];
    for (const [step, webhooks, updated, check] of steps) {
      emulator.clearRequests();
      const result = await hclWs.apply(config(webhooks), { TF_VAR_webhook_secret: OTHER_SECRET });
      expect({ step, code: result.code, summary: applySummary(result) }).toEqual({
        step,
        code: 0,
        summary: `0 added, ${updated.length} changed, 0 destroyed`,
      });
      check();
      expect({ step, writes: writeRequests(apiRequests()).sort() }).toEqual({
        step,
        writes: updated.map((id) => `PUT /api/v1/webhooks/${id}`).sort(),
      });
      expect(
        emulator
          .webhooks()
          .map((w) => w.id)
          .sort(),
      ).toEqual(ids);
      expect(byAgent(null)!.secret).toBe(SECRET);
    }
  });

  test("changing agent_id plans a replacement, and apply deletes the old webhook and creates one in the new scope", async () => {
    expect((await hclWs.apply(config({ triage }))).code).toBe(0);
    const oldId = byAgent(AGENT_A)!.id;
    const moved = { triage: { ...triage, agent_id: AGENT_B } };

    const plan = await hclWs.plan(config(moved));
    expect(plan.code).toBe(2);
    expect(plan.output).toContain("preclinical_webhook.triage must be replaced");
    expect(plan.output).toContain('-/+ resource "preclinical_webhook" "triage"');
    expect(plan.output).toMatch(new RegExp(`~ agent_id\\s+= "${AGENT_A}" -> "${AGENT_B}" # forces replacement`));

    emulator.clearRequests();
    const apply = await hclWs.apply();
    expect(apply.code).toBe(0);
    expect(applySummary(apply)).toBe("1 added, 0 changed, 1 destroyed");
    expect(writeRequests(apiRequests())).toEqual([`DELETE /api/v1/webhooks/${oldId}`, "POST /api/v1/webhooks"]);
    expect(byAgent(AGENT_A)).toBeUndefined();
    expect(byAgent(AGENT_B)).toMatchObject({ url: triage.url, is_enabled: false });
    expect(await hclWs.output("triage_id")).toBe(byAgent(AGENT_B)!.id);
  });

  test("removing a resource from the configuration deletes its webhook and leaves the others alone", async () => {
    expect((await hclWs.apply(config({ org, triage }))).code).toBe(0);
    const orgBefore = byAgent(null)!;
    const triageId = byAgent(AGENT_A)!.id;
    emulator.clearRequests();

    const result = await hclWs.apply(config({ org }));
    expect(result.code).toBe(0);
    expect(applySummary(result)).toBe("0 added, 0 changed, 1 destroyed");
    expect(writeRequests(apiRequests())).toEqual([`DELETE /api/v1/webhooks/${triageId}`]);
    expect(emulator.webhooks()).toEqual([orgBefore]);
  });

  test("destroy deletes every webhook of the configuration, takes one already deleted in the UI as done, and leaves others alone", async () => {
    const foreign = emulator.seedWebhook("default", { url: "https://ui.example.com/other", agent_id: AGENT_B });
    expect((await hclWs.apply(config({ org, triage }))).code).toBe(0);
    const [orgId, triageId] = [byAgent(null)!.id, byAgent(AGENT_A)!.id];
    await deleteInUi(emulator.url, triageId);
    emulator.clearRequests();

    // Without a refresh terraform still believes in both: the DELETE of the one gone is answered 404, which is what destroy wanted
    const result = await hclWs.terraform(["destroy", "-auto-approve", "-input=false", "-no-color", "-refresh=false"]);
    expect(result.code).toBe(0);
    expect(result.output).toContain("Resources: 2 destroyed.");
    const deletes = apiRequests("DELETE")
      .map((r) => `${r.path} ${r.status}`)
      .sort();
    expect(deletes).toEqual([`/api/v1/webhooks/${orgId} 204`, `/api/v1/webhooks/${triageId} 404`].sort());
    expect(writeRequests(apiRequests())).toHaveLength(2);
    expect(emulator.webhooks().map((w) => w.id)).toEqual([foreign.id]);
  });
});
