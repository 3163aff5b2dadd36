/**
 * A stack whose webhooks name no connection, as the Quick Start writes it: the organization comes from
 * PRECLINICAL_API_URL at synth time. Pointing it at another organization (a second emulator) fails the plan
 * before any request instead of planning the webhooks anew there; removing the last webhook deletes it in
 * the organization it lives in, although its provider block leaves the configuration with it. Real cdktf
 * synthesis into one output folder (as successive `cdktf synth` runs use cdktf.out), the real terraform
 * binary, two emulators.
 */
import type { TerraformStack } from "cdktf";
import { PreclinicalWebhook } from "../../../src";
import { PreclinicalEmulator } from "../../../src/emulator";
import { AGENT_A } from "../../support/agents";
import { describeWithTerraform } from "../../support/e2e";
import { KEY, emulator, useSharedEmulator } from "../../support/emulator";
import { writeCounts } from "../../support/provider-engine";
import { flat } from "../../support/webhook-config";
import { Workspace, applySummary } from "../../support/terraform";

/** The program, synthesized with PRECLINICAL_API_URL set to `apiUrl`; `hooks: false` declares none. */
const program =
  (apiUrl: string, hooks = true) =>
  (stack: TerraformStack) => {
    const saved = process.env.PRECLINICAL_API_URL;
    process.env.PRECLINICAL_API_URL = apiUrl;
    try {
      if (!hooks) return;
      new PreclinicalWebhook(stack, "org", { url: "https://hooks.example.com/org" });
      new PreclinicalWebhook(stack, "triage", { url: "https://hooks.example.com/triage", agentId: AGENT_A });
    } finally {
      if (saved === undefined) delete process.env.PRECLINICAL_API_URL;
      else process.env.PRECLINICAL_API_URL = saved;
    }
  };

/** The second organization. */
let other: PreclinicalEmulator;
let ws: Workspace;
beforeAll(async () => {
  other = await PreclinicalEmulator.start({ agents: [{ id: AGENT_A }] });
});
afterAll(() => other.close());
useSharedEmulator({ agents: [{ id: AGENT_A }] });
beforeEach(() => {
  ws = new Workspace({ PRECLINICAL_API_KEY: KEY }, "webhooks", true);
});
afterEach(() => {
  ws.cleanup();
  other.reset();
});

describeWithTerraform(
  "provider engine: the organization of a stack's webhooks (cdktf synth + terraform + two emulators)",
  () => {
    test("PRECLINICAL_API_URL pointed at another organization fails plan and deploy before any request, naming both URLs; pointed back, nothing changes", async () => {
      // Given two webhooks deployed to the first organization
      expect((await ws.deploy(program(emulator.url))).code).toBe(0);
      const before = emulator.webhooks();
      emulator.clearRequests();

      // When the next synthesis points the stack at the second one
      const plan = await ws.plan(program(other.url));
      const deploy = await ws.deploy(program(other.url));

      // Then both fail, saying where the webhooks live and how to keep or move them; neither side was asked
      for (const result of [plan, deploy]) {
        expect(result.code).not.toBe(0);
        const text = flat(result.output);
        expect(text).toContain("Error: Webhook lives in another organization");
        expect(text).toContain(`lives in the organization at ${emulator.url}`);
        expect(text).toContain(`this provider now points at ${other.url}`);
        expect(text).toContain("PRECLINICAL_API_URL when you run cdktf synth or deploy");
        expect(text).not.toContain("will be created");
      }
      expect(other.requests()).toEqual([]);
      expect(writeCounts(emulator.requests())).toEqual({ POST: 0, PUT: 0, DELETE: 0 });
      expect(emulator.webhooks()).toEqual(before);

      // When it points back, the deploy has nothing to do
      const back = await ws.deploy(program(emulator.url));
      expect(back.code).toBe(0);
      expect(back.output).toContain("No changes.");
    });

    test("removing the last webhooks of a stack with no explicit connection deletes them in their organization", async () => {
      // Given two webhooks deployed through the stack's default connection
      expect((await ws.deploy(program(emulator.url))).code).toBe(0);
      expect(emulator.webhooks()).toHaveLength(2);

      // When the program declares none any more (and PRECLINICAL_API_URL names the other organization, which
      // no longer matters: no webhook is declared)
      const removed = await ws.deploy(program(other.url, false));

      // Then both are deleted where they live, through Terraform's implied default provider configuration
      expect(removed.code).toBe(0);
      expect(applySummary(removed)).toBe("0 added, 0 changed, 2 destroyed");
      expect(emulator.webhooks()).toEqual([]);
      expect(writeCounts(emulator.requests())).toMatchObject({ DELETE: 2 });
      expect(other.requests()).toEqual([]);
    });
  },
);
