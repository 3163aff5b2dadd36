/**
 * Jest fixtures of the end-to-end tests: `describeWithTerraform`, a fresh workspace per test of either kind
 * (useCdktfWorkspace: a cdktf Workspace, ./terraform.ts; useHclWorkspace: an HclWorkspace with a hand-written
 * main.tf.json, ./hcl-workspace.ts), and the leak check. Kept apart from those two files, which scripts use
 * outside jest.
 */
import * as fs from "node:fs";
import { KEY } from "./emulator";
import type { HclWorkspace } from "./hcl-workspace";
import { PostgresServer } from "./postgres";
import { Workspace, terraformAvailable } from "./terraform";
import { webhookWorkspace } from "./webhook-config";

/** `describe` that runs only where terraform exists (and fails loudly in CI where it does not). */
export const describeWithTerraform: jest.Describe = terraformAvailable() ? describe : describe.skip;

/**
 * The test's cdktf workspace, made by the beforeEach that useCdktfWorkspace registers. It is a live binding, as
 * ./emulator.ts's `emulator` is: importers always see the current test's workspace.
 */
export let cdktfWs: Workspace;

/**
 * Gives each test of the file (or the file: `perFile`) a fresh cdktf Workspace (`cdktfWs`) with the API key,
 * the webhook secret (TF_VAR_webhook_secret, unless `secret` is undefined) and `env` in its environment, and
 * removes it after the test. Call it once, at the top level of a test file.
 */
export function useCdktfWorkspace(
  secret?: string,
  apiKey: string = KEY,
  env: Record<string, string> = {},
  { perFile = false }: WorkspaceScope = {},
): void {
  const [before, after] = perFile ? [beforeAll, afterAll] : [beforeEach, afterEach];
  before(() => {
    cdktfWs = new Workspace({
      PRECLINICAL_API_KEY: apiKey,
      ...(secret !== undefined && { TF_VAR_webhook_secret: secret }),
      ...env,
    });
  });
  after(() => cdktfWs.cleanup());
}

export interface WorkspaceScope {
  /**
   * One workspace for the whole file (made before its first test, removed after its last), for files whose
   * tests are one story in order; with useSharedEmulator's `resetAfterEach: false`. Default: one per test.
   */
  readonly perFile?: boolean;
}

/**
 * The test's plain-Terraform workspace, made by the beforeEach that useHclWorkspace registers. It is a live
 * binding, as ./emulator.ts's `emulator` is: importers always see the current test's workspace.
 */
export let hclWs: HclWorkspace;

/**
 * Gives each test of the file (or the file: `perFile`) a fresh webhookWorkspace(secret, apiKey) (`hclWs`,
 * ./webhook-config.ts), and removes it after the test. Call it once, at the top level of a test file.
 */
export function useHclWorkspace(secret: string, apiKey: string = KEY, { perFile = false }: WorkspaceScope = {}): void {
  const [before, after] = perFile ? [beforeAll, afterAll] : [beforeEach, afterEach];
  before(() => {
    hclWs = webhookWorkspace(secret, apiKey);
  });
  after(() => hclWs.cleanup());
}

/**
 * The test file's PostgreSQL server, started by the beforeAll that usePostgres registers. It is a live
 * binding, as ./emulator.ts's `emulator` is.
 */
export let postgres: PostgresServer;

/** Starts one PostgreSQL server for the file's tests (./postgres.ts) and stops it after the last. */
export function usePostgres(): void {
  beforeAll(async () => {
    postgres = await PostgresServer.start();
  }, 60_000);
  afterAll(() => postgres?.stop());
}

/**
 * No file of `workspace` (synthesized JSON, state, backups, ...) and nothing terraform printed in it holds
 * any of `values`: one assertion per artifact and value, which shows where a value leaked.
 */
export function expectNoLeaks(
  workspace: Pick<Workspace | HclWorkspace, "files" | "log">,
  values: readonly string[],
  /** More artifacts to search, as [name, text]: rows of a remote state, say. */
  more: readonly (readonly [string, string])[] = [],
): void {
  const artifacts = [
    ...workspace.files().map((f) => [f, fs.readFileSync(f, "utf8")]),
    ["terraform output", workspace.log.join("\n")],
    ...more,
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
