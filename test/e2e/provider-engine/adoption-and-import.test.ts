/**
 * Webhooks made in the Preclinical UI, met by a cdktf program on the provider engine: a held scope fails the
 * plan with the holder's id before any write; `adoptExisting: true` takes the holder over (same id, no
 * POST); `hook.webhookResource.importFrom(...)` imports it through an import block. A renamed construct keeps
 * its webhook through a moved block (`moveFromId`).
 */
import { PreclinicalWebhook, PreclinicalEngine } from "../../../src";
import { AGENT_A } from "../../support/agents";
import { cdktfWs, describeWithTerraform, useCdktfWorkspace } from "../../support/e2e";
import { byAgent, emulator, useSharedEmulator } from "../../support/emulator";
import { WEBHOOKS, webhookProgram, writeCounts, type Decl } from "../../support/provider-engine";
import { flat, writeRequests } from "../../support/webhook-config";
import { applySummary } from "../../support/terraform";

const SECRET = "whsec_e2e_" + "Ad0pt1".repeat(6);

const { org, triage } = WEBHOOKS;

const program = (...decls: Decl[]) =>
  webhookProgram({ engine: PreclinicalEngine.PROVIDER, apiUrl: emulator.url }, ...decls);
const output = async (name: string) =>
  (await cdktfWs.terraform(cdktfWs.lastStackDir, ["output", "-raw", name])).stdout.trim();

useSharedEmulator({ agents: [{ id: AGENT_A }] });
useCdktfWorkspace(SECRET);

describeWithTerraform(
  "provider engine: adopting, importing and moving existing webhooks (cdktf synth + terraform + emulator)",
  () => {
    test("a scope held by a webhook made in the UI fails the deploy at plan, naming the holder's id, with no write; adoptExisting then takes it over on the same id, and dropping it later changes nothing", async () => {
      // Given webhooks made in the UI in both scopes the program declares
      const uiOrg = emulator.seedWebhook("default", {
        url: "https://ui.example.com/org",
        description: "from the UI",
        is_enabled: false,
      });
      const uiTriage = emulator.seedWebhook("default", { url: "https://ui.example.com/triage", agent_id: AGENT_A });

      // When deploying without adoptExisting
      const refused = await cdktfWs.deploy(program(org, triage));

      // Then the plan fails for each, naming its holder, and nothing is written
      expect(refused.code).not.toBe(0);
      const text = flat(refused.output);
      expect(text).toContain(`The organization-level scope already holds webhook ${uiOrg.id} (${uiOrg.url})`);
      expect(text).toContain(`already holds webhook ${uiTriage.id} (${uiTriage.url})`);
      expect(text).toContain("adopt_existing = true");
      expect(refused.output).not.toMatch(/Apply complete|Creating\.\.\./);
      expect(writeRequests(emulator.requests())).toEqual([]);
      expect(emulator.webhooks()).toEqual([uiOrg, uiTriage]);

      // When deploying with adoptExisting on both
      emulator.clearRequests();
      const adopted = await cdktfWs.deploy(
        program({ ...org, adoptExisting: true }, { ...triage, adoptExisting: true }),
      );

      // Then the plan warned which webhooks it takes over, and the apply converged them in place: same ids, no POST
      expect(adopted.code).toBe(0);
      expect(flat(adopted.output)).toContain(`holds webhook ${uiOrg.id}`);
      expect(writeCounts(emulator.requests())).toEqual({ POST: 0, PUT: 2, DELETE: 0 });
      expect(emulator.webhooks()).toHaveLength(2);
      expect(byAgent(null)).toMatchObject({
        id: uiOrg.id,
        url: org.url,
        description: "All agents",
        is_enabled: true,
        secret: SECRET,
      });
      expect(byAgent(AGENT_A)).toMatchObject({ id: uiTriage.id, url: triage.url, description: null, is_enabled: true });
      expect(await output("org_id")).toBe(uiOrg.id);

      // And the next deploy has nothing to do, with adoptExisting kept, dropped, or set on one again: it only
      // matters on create (a write-only attribute, never stored), so it is never a change
      emulator.clearRequests();
      for (const decls of [
        [
          { ...org, adoptExisting: true },
          { ...triage, adoptExisting: true },
        ],
        [org, triage],
        [org, { ...triage, adoptExisting: true }],
      ]) {
        const again = await cdktfWs.deploy(program(...decls));
        expect(again.code).toBe(0);
        expect(again.output).toContain("No changes.");
        expect(again.output).not.toContain("adopt_existing");
      }
      expect(writeRequests(emulator.requests())).toEqual([]);
    }, 180_000); // five deploys and plans in one story

    test("importFrom('organization') and importFrom(<webhook id>) import UI webhooks with no POST; a later deploy without importFrom is a no-op", async () => {
      // Given webhooks made in the UI: the org one differs from the code in its description and has no secret
      const uiOrg = emulator.seedWebhook("default", { url: org.url, description: "from the UI" });
      const uiTriage = emulator.seedWebhook("default", { url: triage.url, agent_id: AGENT_A });

      // When deploying a program whose webhooks import them
      const imported = await cdktfWs.deploy(
        program({ ...org, importFrom: "organization" }, { ...triage, importFrom: uiTriage.id }),
      );

      // Then both are imported; only the org one changes (description, and the secret through secret_version)
      expect(imported.code).toBe(0);
      expect(imported.output).toContain("Plan: 2 to import, 0 to add, 1 to change, 0 to destroy.");
      expect(writeRequests(emulator.requests())).toEqual([`PUT /api/v1/webhooks/${uiOrg.id}`]);
      expect(byAgent(null)).toMatchObject({ id: uiOrg.id, url: org.url, description: "All agents", secret: SECRET });
      expect(byAgent(AGENT_A)).toEqual(uiTriage);
      expect(await output("org_id")).toBe(uiOrg.id);

      // When deploying the program without importFrom
      emulator.clearRequests();
      const after = await cdktfWs.deploy(program(org, triage));

      // Then there is nothing left to do
      expect(after.code).toBe(0);
      expect(applySummary(after)).toBe("no changes");
      expect(writeRequests(emulator.requests())).toEqual([]);
      expect(emulator.webhooks().map((w) => w.id)).toEqual([uiOrg.id, uiTriage.id]);
    });

    test("renaming a construct with moveFromId(<old address>) on the new resource keeps its webhook: same id, no write", async () => {
      // Given a deployed webhook, and its address as `terraform state list` shows it
      expect((await cdktfWs.deploy(program(triage))).code).toBe(0);
      const id = byAgent(AGENT_A)!.id;
      const oldAddress = (await cdktfWs.terraform(cdktfWs.lastStackDir, ["state", "list"])).stdout.trim();
      expect(oldAddress).toMatch(/^preclinical_webhook\.triage_webhook_[0-9A-F]{8}$/);
      emulator.clearRequests();

      // When the construct is renamed, its resource moved from the old address
      const renamed = await cdktfWs.deploy((stack) => {
        program({ ...triage, id: "triage-renamed" })(stack);
        const hook = stack.node.findChild("triage-renamed") as PreclinicalWebhook;
        hook.webhookResource.moveFromId(oldAddress);
      });

      // Then the webhook is the same one, and nothing was written
      expect(renamed.code).toBe(0);
      expect(renamed.output).toMatch(/has moved to preclinical_webhook\.triage-renamed_webhook_[0-9A-F]{8}/);
      expect(writeRequests(emulator.requests())).toEqual([]);
      expect(emulator.webhooks().map((w) => w.id)).toEqual([id]);
    });

    // A rename with adoptExisting (the provisioner engine's way) cannot keep the id here: the old address is
    // destroyed in the same apply, so the scope is empty when the new one looks for a webhook to adopt. The plan
    // says so; moving the state (the test above) is the way that keeps the id.
    test("renaming a construct with adoptExisting leaves one webhook in the scope, and the plan warns that a rename creates it anew", async () => {
      expect((await cdktfWs.deploy(program(triage))).code).toBe(0);
      const id = byAgent(AGENT_A)!.id;

      const renamed = await cdktfWs.deploy(program({ ...triage, id: "triage-renamed", adoptExisting: true }));

      expect(renamed.code).toBe(0);
      expect(flat(renamed.output)).toContain(`holds webhook ${id}`);
      expect(flat(renamed.output)).toContain("for a rename, move the state instead");
      expect(emulator.webhooks().filter((w) => w.agent_id === AGENT_A)).toEqual([
        expect.objectContaining({ url: triage.url }),
      ]);
    });

    test("importFrom('agent/<uuid>') of a scope that holds nothing fails the deploy with no write", async () => {
      const failed = await cdktfWs.deploy(program({ ...triage, importFrom: `agent/${AGENT_A}` }));

      expect(failed.code).not.toBe(0);
      expect(flat(failed.output)).toContain("Cannot import the Preclinical webhook");
      expect(writeRequests(emulator.requests())).toEqual([]);
      expect(emulator.webhooks()).toHaveLength(0);
    });
  },
);
