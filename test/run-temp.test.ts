/**
 * The suite's own temporary folder (test/support/run-temp.ts): every test runs under it, and a provider
 * socket folder left in it fails the run.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

import { leftoverSocketFolders, teardownRunTemp } from "./support/run-temp";

test("the tests, and what they start, use the run's own temporary folder", () => {
  const runDir = process.env.PRECLINICAL_TEST_TMPDIR;
  expect(runDir).toBeDefined();
  expect(os.tmpdir()).toBe(runDir);
  expect(fs.statSync(runDir!).isDirectory()).toBe(true);
  // Open as a temporary folder is (a test's PostgreSQL runs as another user under root)
  expect(fs.statSync(runDir!).mode & 0o1777).toBe(0o1777);
});

test("a provider socket folder left in the run's folder fails the run, naming it; the folder goes either way", async () => {
  const saved = process.env.PRECLINICAL_TEST_TMPDIR;
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "run-"));
  try {
    fs.mkdirSync(path.join(scratch, "preclinical-provider-e2e-x"));
    fs.writeFileSync(path.join(scratch, "preclinical-plugin-file"), "");
    expect(leftoverSocketFolders(scratch)).toEqual([]);
    const left = fs.mkdtempSync(path.join(scratch, "preclinical-plugin-"));
    expect(leftoverSocketFolders(scratch)).toEqual([left]);

    process.env.PRECLINICAL_TEST_TMPDIR = scratch;
    await expect(teardownRunTemp()).rejects.toThrow(
      `left 1 provider socket folder(s) in its temporary folder: ${left}`,
    );
    expect(fs.existsSync(scratch)).toBe(false);

    fs.mkdirSync(scratch);
    await expect(teardownRunTemp()).resolves.toBeUndefined();
    expect(fs.existsSync(scratch)).toBe(false);
  } finally {
    process.env.PRECLINICAL_TEST_TMPDIR = saved;
    fs.rmSync(scratch, { recursive: true, force: true });
  }
});
