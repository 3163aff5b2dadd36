/**
 * The bundled CLI (dist/provisioner/preclinical-provisioner.cjs) run as its own process, the way
 * Terraform's local-exec provisioner runs it, against the emulator.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { Env } from "../../src/provisioner/protocol";
import { CONSTRUCT_PATH, env } from "../support/provisioner";
import { HOOK_URL, SECRET } from "../support/inputs";
import { byAgent, KEY, useSharedEmulator } from "../support/emulator";

const ROOT = resolve(__dirname, "../..");
const BUNDLE = join(ROOT, "dist/provisioner/preclinical-provisioner.cjs");

useSharedEmulator();

describe("the bundled CLI", () => {
  const execFileAsync = promisify(execFile);
  let cwd: string;

  beforeAll(async () => {
    if (!existsSync(BUNDLE)) await execFileAsync("npm", ["run", "build"], { cwd: ROOT });
    cwd = mkdtempSync(join(tmpdir(), "preclinical-cli-"));
  }, 120_000);
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  test("converge runs from a folder without node_modules, exits 0, creates the webhook and prints neither secret nor key", async () => {
    // Given a clean environment: PATH and the provisioner's variables only (no NODE_PATH)
    const childEnv = { PATH: process.env.PATH ?? "", ...env({ [Env.SECRET]: SECRET }) } as Record<string, string>;
    // When Terraform's local-exec would run it
    const { stdout, stderr } = await execFileAsync(process.execPath, [BUNDLE, "converge"], {
      cwd,
      env: childEnv,
      timeout: 15_000,
    });
    // Then (execFile rejects on a non-zero exit code)
    const created = byAgent(null)!;
    expect(created).toMatchObject({ url: HOOK_URL, secret: SECRET });
    expect(stdout.split("\n")).toContain(`preclinical: ${CONSTRUCT_PATH}: created webhook ${created.id}`);
    expect(stderr).toBe("");
    for (const text of [stdout, stderr]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(KEY);
    }
  });
});
