/** Jest helpers for the end-to-end tests (kept apart from ./terraform.ts, which scripts use outside jest). */
import * as fs from "node:fs";
import { EMULATOR_DEFAULT_API_KEY } from "../../src/emulator";
import { Workspace, terraformAvailable } from "./terraform";

/** `describe` that runs only where terraform exists (and fails loudly in CI where it does not). */
export const describeWithTerraform: jest.Describe = terraformAvailable() ? describe : describe.skip;

/**
 * The test's workspace, made by the beforeEach that useWorkspace registers. It is a live binding, as
 * ./emulator.ts's `emulator` is: importers always see the current test's workspace.
 */
export let ws: Workspace;

/**
 * Gives each test of the file a fresh Workspace (`ws`) with the API key and the webhook secret
 * (TF_VAR_webhook_secret) in its environment, and removes it after the test. Call it once, at the top level
 * of a test file.
 */
export function useWorkspace(secret: string, apiKey: string = EMULATOR_DEFAULT_API_KEY): void {
  beforeEach(() => {
    ws = new Workspace({ PRECLINICAL_API_KEY: apiKey, TF_VAR_webhook_secret: secret });
  });
  afterEach(() => ws.cleanup());
}

/**
 * No file of `workspace` (synthesized JSON, state, backups, ...) and nothing terraform printed in it holds
 * any of `values`: one assertion per artifact and value, which shows where a value leaked.
 */
export function expectNoLeaks(workspace: Workspace, values: readonly string[]): void {
  const artifacts = [
    ...workspace.files().map((f) => [f, fs.readFileSync(f, "utf8")]),
    ["terraform output", workspace.log.join("\n")],
  ];
  for (const [name, text] of artifacts) {
    for (const value of values) {
      const at = text.indexOf(value);
      expect({ name, leaked: at >= 0 ? text.slice(Math.max(0, at - 300), at + 100) : false }).toEqual({
        name,
        leaked: false,
      });
    }
  }
}
