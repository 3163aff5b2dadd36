/**
 * A missing TF_VAR_webhook_secret does not hang a pipeline: `cdktf deploy --auto-approve` (the real cdktf CLI,
 * which runs terraform in a pseudo-terminal, where Terraform would wait at its prompt until the job is
 * killed) fails within seconds with a message naming the variable, whether the pipeline sets CI (the
 * library's synth-time check) or TF_INPUT=0 (Terraform's own). The example app, against the emulator.
 */
import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeWithTerraform } from "../support/e2e";
import { KEY, emulator, useSharedEmulator } from "../support/emulator";
import { flat } from "../support/webhook-config";

const repo = path.resolve(__dirname, "..", "..");
const cdktf = path.join(repo, "node_modules", ".bin", "cdktf");
/** Far below a pipeline's job timeout, far above the few seconds these runs take. */
const PROMPT_LIMIT_MS = 60_000;

let work: string;
useSharedEmulator();
beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "preclinical-input-"));
  fs.writeFileSync(
    path.join(work, "cdktf.json"),
    JSON.stringify({
      language: "typescript",
      app: `node ${JSON.stringify(path.join(repo, "dist", "examples", "main.js"))}`,
      sendCrashReports: "false",
    }),
  );
  fs.writeFileSync(path.join(work, "terraformrc"), "");
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/** `cdktf deploy --auto-approve` without TF_VAR_webhook_secret; killed (code "killed") if it outlives the limit. */
function deployWithout(env: Record<string, string>): Promise<{ code: number | string; output: string; ms: number }> {
  const started = Date.now();
  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    PRECLINICAL_API_URL: emulator.url,
    PRECLINICAL_API_KEY: KEY,
    CHECKPOINT_DISABLE: "1",
    TF_CLI_CONFIG_FILE: path.join(work, "terraformrc"),
    FORCE_COLOR: "0",
    ...env,
  };
  delete childEnv.TF_VAR_webhook_secret;
  // test/setup.ts sets TF_INPUT=0 for the tests; here it is what the pipeline chose, or unset.
  if (env.TF_INPUT === undefined) delete childEnv.TF_INPUT;
  return new Promise((resolve) => {
    execFile(
      cdktf,
      ["deploy", "--auto-approve", "--output", path.join(work, "cdktf.out")],
      { cwd: work, env: childEnv, timeout: PROMPT_LIMIT_MS, maxBuffer: 16 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const code = error ? (error.killed ? "killed" : Number(error.code ?? 1)) : 0;
        resolve({ code, output: flat(`${stdout}\n${stderr}`), ms: Date.now() - started });
      },
    );
  });
}

describeWithTerraform("a pipeline without TF_VAR_webhook_secret (cdktf CLI + terraform + emulator)", () => {
  test("with CI set, cdktf deploy fails at synthesis, naming the variable, the webhooks that read it and TF_INPUT=0", async () => {
    const { code, output, ms } = await deployWithout({ CI: "true" });

    expect({ code, ms: ms < PROMPT_LIMIT_MS }).toEqual({ code: 1, ms: true });
    expect(output).toContain(
      "Terraform variable `webhook_secret`, read by preclinical-webhooks/organization (`secret`)",
    );
    expect(output).toContain("Set TF_VAR_webhook_secret");
    expect(output).toContain("set TF_INPUT=0");
    expect(emulator.requests()).toEqual([]);
  });

  test("with TF_INPUT=0, terraform fails at once with its own message naming the variable", async () => {
    const { code, output, ms } = await deployWithout({ TF_INPUT: "0" });

    expect({ code, ms: ms < PROMPT_LIMIT_MS }).toEqual({ code: 1, ms: true });
    expect(output).toContain("No value for required variable");
    expect(output).toContain('The root module input variable "webhook_secret" is not set');
    expect(emulator.webhooks()).toEqual([]);
  });
});
