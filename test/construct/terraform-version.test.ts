/**
 * terraform_data (the provisioner engine) needs Terraform 1.4+. The check runs `terraform version` once per
 * stack and process, not once per resource as cdktf's DataResource does. A fake `terraform` on the PATH
 * counts its invocations.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { messages } from "../../src/messages";

const repo = path.resolve(__dirname, "..", "..");

/** Synthesizes `webhooks` webhooks in each of `stacks` stacks, with validations, in a child process. */
function synthWithFakeTerraform(version: string | undefined, stacks: number, webhooks: number) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fake-terraform-"));
  const log = path.join(dir, "calls.log");
  if (version !== undefined) {
    fs.writeFileSync(path.join(dir, "terraform"), `#!/bin/sh\necho "$@" >> "${log}"\necho "Terraform ${version}"\n`, {
      mode: 0o755,
    });
  }
  const script = `
    const { App, TerraformStack } = require("cdktf");
    const { PreclinicalConnection, PreclinicalEngine, PreclinicalWebhook } = require(${JSON.stringify(path.join(repo, "dist", "src"))});
    const app = new App({ outdir: ${JSON.stringify(path.join(dir, "out"))} });
    for (let s = 0; s < ${stacks}; s++) {
      const stack = new TerraformStack(app, "stack" + s);
      new PreclinicalConnection(stack, PreclinicalConnection.DEFAULT_ID, { engine: PreclinicalEngine.PROVISIONERS });
      for (let i = 0; i < ${webhooks}; i++) new PreclinicalWebhook(stack, "hook" + i, { url: "https://hooks.example.com/" + i, agentId: "00000000-0000-4000-8000-" + String(s * 1000 + i).padStart(12, "0") });
    }
    app.synth();
  `;
  let error = "";
  try {
    // Only the fake folder and node's own folder on the PATH: no real terraform is found.
    execFileSync(process.execPath, ["-e", script], {
      cwd: repo,
      env: { ...process.env, PATH: `${dir}:${path.dirname(process.execPath)}` },
      stdio: "pipe",
    });
  } catch (err) {
    error = String((err as { stderr?: Buffer }).stderr ?? err);
  }
  const calls = fs.existsSync(log) ? fs.readFileSync(log, "utf8").trim().split("\n").length : 0;
  fs.rmSync(dir, { recursive: true, force: true });
  return { calls, error };
}

describe("the Terraform version check", () => {
  test("runs terraform version once for two stacks of 20 webhooks (cdktf's DataResource would run it 82 times)", () => {
    const { calls, error } = synthWithFakeTerraform("v1.11.4", 2, 20);
    expect(error).toBe("");
    expect(calls).toBe(1);
  });

  test("fails synthesis on a Terraform older than 1.4, saying what to do", () => {
    const { error } = synthWithFakeTerraform("v1.3.9", 1, 1);
    expect(error).toContain(messages.terraformTooOld("1.3.9"));
  });

  test("fails synthesis without terraform on the PATH, saying what to do", () => {
    const { error } = synthWithFakeTerraform(undefined, 1, 1);
    expect(error).toContain("Synthesizing terraform_data resources needs Terraform 1.4 or later on the PATH");
  });
});
