/**
 * A webhook stays in the organization it was created in: with webhooks applied through one API URL, a
 * provider pointed at another (a second emulator: another organization, or staging to production) fails
 * plan and apply before any request, naming both URLs, instead of planning the webhooks anew there and
 * leaving the first ones behind. Plain Terraform, the bundled provider, two emulators.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PreclinicalEmulator } from "../../../src/emulator";
import { AGENT_A } from "../../support/agents";
import { describeWithTerraform, hclWs, useHclWorkspace } from "../../support/e2e";
import { apiRequests, emulator, useSharedEmulator } from "../../support/emulator";
import { SECRET } from "../../support/inputs";
import { flat, webhookConfig, writeRequests, type WebhookDecl } from "../../support/webhook-config";

const webhooks: Record<string, WebhookDecl> = {
  org: { url: "https://hooks.example.com/org", secret: true, secret_version: "1" },
  triage: { url: "https://hooks.example.com/triage", agent_id: AGENT_A },
};

/** The second organization, at its own URL. */
let other: PreclinicalEmulator;
beforeAll(async () => {
  other = await PreclinicalEmulator.start({ agents: [{ id: AGENT_A }] });
});
afterEach(() => other.reset());
afterAll(() => other.close());

useSharedEmulator({ agents: [{ id: AGENT_A }] });
useHclWorkspace(SECRET);

describeWithTerraform(
  "a webhook and the organization it lives in (terraform + bundled provider + two emulators)",
  () => {
    test("pointing the provider at another API URL fails plan and apply before any request, naming both URLs; pointing it back plans no changes", async () => {
      // Given two webhooks applied through the first API URL
      expect((await hclWs.apply(webhookConfig({ apiUrl: emulator.url, webhooks }))).code).toBe(0);
      const before = emulator.webhooks();
      emulator.clearRequests();

      // When the provider points at the second organization's URL
      hclWs.write(webhookConfig({ apiUrl: other.url, webhooks }));
      const plan = await hclWs.plan();
      const unrefreshed = await hclWs.terraform(["plan", "-refresh=false", "-input=false", "-no-color"]);
      const apply = await hclWs.apply();

      // Then the plan (also without refresh) and the apply fail, saying where each webhook lives and what to do
      for (const result of [plan, unrefreshed, apply]) {
        expect(result.code).toBe(1);
        const text = flat(result.output);
        expect(text).toContain("Error: Webhook lives in another organization");
        for (const hook of before) {
          expect(text).toContain(`Webhook ${hook.id}`);
        }
        expect(text).toContain(`lives in the organization at ${emulator.url}`);
        expect(text).toContain(`this provider now points at ${other.url}`);
        expect(text).toContain(`point the connection back at ${emulator.url}`);
        expect(text).toContain("terraform state rm");
        expect(text).not.toContain("will be created");
      }
      // And neither organization was asked anything, nor written to: the webhooks stay where they are
      expect(other.requests()).toEqual([]);
      expect(writeRequests(apiRequests())).toEqual([]);
      expect(emulator.webhooks()).toEqual(before);
      expect(other.webhooks()).toEqual([]);

      // When the provider points back at the first URL, there is nothing to do
      const back = await hclWs.plan(webhookConfig({ apiUrl: emulator.url, webhooks }));
      expect(back.code).toBe(0);
    });

    test("state written before api_url was recorded is upgraded and records the URL at its next refresh, then guards it", async () => {
      // Given webhooks applied, and their state rewritten as the previous provider version wrote it
      expect((await hclWs.apply(webhookConfig({ apiUrl: emulator.url, webhooks }))).code).toBe(0);
      const statePath = path.join(hclWs.dir, "terraform.tfstate");
      const state = JSON.parse(fs.readFileSync(statePath, "utf8"));
      for (const resource of state.resources) {
        for (const instance of resource.instances) {
          instance.schema_version = 0;
          delete instance.attributes.api_url;
        }
      }
      state.serial += 1;
      fs.writeFileSync(statePath, JSON.stringify(state));

      // When applying the same configuration
      const apply = await hclWs.apply();

      // Then nothing changes, and the state now records the URL the webhooks were read through
      expect(apply.code).toBe(0);
      expect(apply.output).toContain("No changes.");
      const resources = (await hclWs.state()).values?.root_module?.resources ?? [];
      expect(resources.map((r) => r.values.api_url)).toEqual([emulator.url, emulator.url]);

      // And from then on another URL fails the plan
      const moved = await hclWs.plan(webhookConfig({ apiUrl: other.url, webhooks }));
      expect(moved.code).toBe(1);
      expect(flat(moved.output)).toContain("Error: Webhook lives in another organization");
      expect(other.requests()).toEqual([]);
    });
  },
);
