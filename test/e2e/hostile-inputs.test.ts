/**
 * Strings that look like shell or Terraform syntax, with the real terraform binary: each reaches the API
 * exactly as written, and nothing is executed. Values travel only through the provisioner's environment.
 */
import * as fs from "node:fs";
import type { TerraformStack } from "cdktf";
import { PreclinicalConnection, PreclinicalEngine, PreclinicalWebhook } from "../../src";
import { cdktfWs, describeWithTerraform, useCdktfWorkspace } from "../support/e2e";
import { emulator, KEY, useSharedEmulator } from "../support/emulator";
import { HOSTILE_DESCRIPTIONS, HOSTILE_URLS, MARK } from "../support/inputs";

const agent = (i: number) => `00000000-0000-4000-9000-${String(i).padStart(12, "0")}`;
const cases = [
  ...HOSTILE_DESCRIPTIONS.map((description) => ({ url: "https://hooks.example.com/safe", description })),
  ...HOSTILE_URLS.map((url) => ({ url, description: "hostile url" })),
];

useSharedEmulator({ agents: cases.map((_, i) => ({ id: agent(i) })) });
beforeAll(() => fs.rmSync(MARK, { force: true }));
afterAll(() => fs.rmSync(MARK, { force: true }));
// No secret: the program declares no webhook_secret variable.
useCdktfWorkspace();

describeWithTerraform("hostile inputs (real terraform against the emulator)", () => {
  test(`${cases.length} shell- and template-like values reach the API verbatim, and none executes`, async () => {
    const program = (stack: TerraformStack) => {
      const connection = new PreclinicalConnection(stack, "preclinical", {
        engine: PreclinicalEngine.PROVISIONERS,
        apiUrl: emulator.url,
      });
      cases.forEach((c, i) => new PreclinicalWebhook(stack, `hostile-${i}`, { ...c, agentId: agent(i), connection }));
    };
    const result = await cdktfWs.deploy(program);
    expect(result.code).toBe(0);

    const stored = emulator.webhooks();
    const received = cases.map((_, i) => {
      const w = stored.find((s) => s.agent_id === agent(i));
      return { url: w?.url, description: w?.description };
    });
    expect(received).toEqual(cases);
    expect(fs.existsSync(MARK)).toBe(false);
    expect(result.output).not.toContain(KEY);

    // And a second deploy sees no change: what Terraform stored equals what the program declares.
    emulator.clearRequests();
    const again = await cdktfWs.deploy(program);
    expect(again.output).toContain("No changes.");
    expect(emulator.requests()).toHaveLength(0);
  });
});
