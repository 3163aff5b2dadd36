/**
 * Moving a deployed stack from the provisioner engine to the provider engine, in one step: the same program
 * with `engine: PreclinicalEngine.PROVIDER` on the connection and `adoptExisting: true` on each webhook.
 * The provider takes over the webhooks the provisioners made: same ids, no POST, no DELETE, no duplicate.
 */
import { AGENT_A, AGENT_B } from "../../support/agents";
import { cdktfWs, describeWithTerraform, useCdktfWorkspace } from "../../support/e2e";
import { emulator, useSharedEmulator } from "../../support/emulator";
import { webhookProgram, writeCounts, type Decl } from "../../support/provider-engine";
import { PreclinicalEngine } from "../../../src";
import { flat, writeRequests } from "../../support/webhook-config";
import { applySummary } from "../../support/terraform";

const SECRET = "whsec_e2e_" + "M1gr4t".repeat(6);

const webhooks: Decl[] = [
  { id: "org", url: "https://hooks.example.com/org", description: "All agents", withSecret: true },
  { id: "triage", url: "https://hooks.example.com/triage", agentId: AGENT_A, withSecret: true },
  { id: "billing", url: "https://hooks.example.com/billing", agentId: AGENT_B, isEnabled: false },
];
const program = (engine: PreclinicalEngine, decls: Decl[]) =>
  webhookProgram({ engine, apiUrl: emulator.url }, ...decls);
const adopting = webhooks.map((d) => ({ ...d, adoptExisting: true }));
/** What the API holds, without the timestamps a PUT renews. */
const snapshot = () => emulator.webhooks().map(({ updated_at: _, ...w }) => w);

useSharedEmulator({ agents: [{ id: AGENT_A }, { id: AGENT_B }] });
useCdktfWorkspace(SECRET);

describeWithTerraform(
  "provider engine: migrating a stack from the provisioner engine (cdktf synth + terraform + emulator)",
  () => {
    test("switching the engine to PROVIDER fails at plan without adoptExisting; with adoptExisting on each webhook it keeps every id, with no POST and no DELETE; dropping adoptExisting then writes nothing", async () => {
      // Given a stack deployed with the provisioner engine: an org webhook and two agent webhooks, with a secret
      const provisioned = await cdktfWs.deploy(program(PreclinicalEngine.PROVISIONERS, webhooks));
      expect(provisioned.code).toBe(0);
      expect(provisioned.output).toContain("Provisioning with 'local-exec'");
      const before = snapshot();
      expect(before).toHaveLength(3);
      expect(before.filter((w) => w.secret === SECRET)).toHaveLength(2);

      // When the engine is switched without adoptExisting
      emulator.clearRequests();
      const refused = await cdktfWs.deploy(program(PreclinicalEngine.PROVIDER, webhooks));

      // Then the plan fails, naming each scope's holder, before anything is written or destroyed
      expect(refused.code).not.toBe(0);
      for (const held of before) expect(flat(refused.output)).toContain(`already holds webhook ${held.id}`);
      expect(writeRequests(emulator.requests())).toEqual([]);
      expect(refused.output).not.toContain("Destroying...");

      // When the same program is deployed with the provider engine, each webhook adopting its scope's holder
      emulator.clearRequests();
      const migrated = await cdktfWs.deploy(program(PreclinicalEngine.PROVIDER, adopting));

      // Then every webhook keeps its id and fields; nothing was created or deleted
      expect(migrated.code).toBe(0);
      expect(migrated.output).not.toContain("Provisioning with 'local-exec'");
      expect(writeCounts(emulator.requests())).toMatchObject({ POST: 0, DELETE: 0 });
      expect(snapshot()).toEqual(before);

      // When adoptExisting is dropped
      emulator.clearRequests();
      const settled = await cdktfWs.deploy(program(PreclinicalEngine.PROVIDER, webhooks));

      // Then the API sees no write, and the stack is in a steady state
      expect(settled.code).toBe(0);
      expect(writeRequests(emulator.requests())).toEqual([]);
      expect(snapshot()).toEqual(before);
      emulator.clearRequests();
      const steady = await cdktfWs.deploy(program(PreclinicalEngine.PROVIDER, webhooks));
      expect(applySummary(steady)).toBe("no changes");
      expect(writeRequests(emulator.requests())).toEqual([]);
    });
  },
);
