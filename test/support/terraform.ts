/**
 * Runs real cdktf synthesis and the real terraform binary against a stack, for end-to-end tests.
 * Each Workspace has its own folder and an absolute local state path (or the backend it is given, such as a
 * PgBackend), so successive deploys of changed programs share one state, as successive `cdktf deploy` runs of
 * a pipeline do.
 */
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { App, LocalBackend, TerraformStack } from "cdktf";
import type { Construct } from "constructs";

/** Whether terraform is on the PATH. In CI its absence is a failure, never a silent skip. */
export function terraformAvailable(): boolean {
  try {
    execFileSync("terraform", ["version"], { stdio: "ignore", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
    return true;
  } catch {
    if (process.env.CI === "true") {
      throw new Error(
        "The end-to-end tests need the terraform binary (1.11 or later) on the PATH, and CI=true forbids skipping " +
          "them. Install Terraform on the CI machine (see .ci/run) and run again.",
      );
    }
    console.warn("terraform is not on the PATH: end-to-end tests are skipped (they fail instead when CI=true).");
    return false;
  }
}

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout and stderr together, as a pipeline log shows them. */
  readonly output: string;
}

export type Program = (stack: TerraformStack) => void;

/** Declares a stack's backend; the default is a LocalBackend at the workspace's `statePath`. */
export type Backend = (stack: TerraformStack) => void;

export class Workspace {
  public readonly dir: string;
  public readonly statePath: string;
  /** Every line terraform printed in this workspace, for leak checks. */
  public readonly log: string[] = [];
  private synths = 0;
  /** The stack folder of the latest synthesis. */
  public lastStackDir = "";

  /**
   * `oneOutdir`: every synthesis writes into the same output folder, as successive `cdktf synth` runs write
   * into cdktf.out (what an earlier synthesis laid out there, such as the provider, stays). By default each
   * synthesis gets a fresh folder, as a pipeline that checks out afresh does.
   */
  constructor(
    private readonly env: Record<string, string>,
    private readonly stackName = "webhooks",
    private readonly oneOutdir = false,
    private readonly backend?: Backend,
  ) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "preclinical-e2e-"));
    this.statePath = path.join(this.dir, "terraform.tfstate");
  }

  /** Synthesizes `program` into a fresh folder; returns the stack folder. */
  public synth(program: Program): string {
    const outdir = path.join(this.dir, this.oneOutdir ? "cdktf.out" : `synth-${++this.synths}`);
    const app = new App({ outdir });
    const stack = new TerraformStack(app, this.stackName);
    if (this.backend) this.backend(stack);
    else new LocalBackend(stack, { path: this.statePath });
    program(stack);
    app.synth();
    this.lastStackDir = path.join(outdir, "stacks", this.stackName);
    return this.lastStackDir;
  }

  public terraform(stackDir: string, args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
    return runTerraform(stackDir, args, { ...this.env, ...extraEnv }, this.log);
  }

  /** `terraform init` then `terraform apply`, as `cdktf deploy` does. */
  public async deploy(program: Program, extraEnv: Record<string, string> = {}): Promise<RunResult> {
    const stackDir = this.synth(program);
    const init = await this.terraform(stackDir, ["init", "-input=false", "-no-color"], extraEnv);
    if (init.code !== 0) throw new Error(`terraform init failed:\n${init.output}`);
    return this.terraform(stackDir, ["apply", "-auto-approve", "-input=false", "-no-color"], extraEnv);
  }

  /** `terraform init` then `terraform plan`. */
  public async plan(program: Program, extraEnv: Record<string, string> = {}): Promise<RunResult> {
    const stackDir = this.synth(program);
    const init = await this.terraform(stackDir, ["init", "-input=false", "-no-color"], extraEnv);
    if (init.code !== 0) throw new Error(`terraform init failed:\n${init.output}`);
    return this.terraform(stackDir, ["plan", "-input=false", "-no-color"], extraEnv);
  }

  /** `terraform destroy` of the program's stack, as `cdktf destroy` does. */
  public async destroy(program: Program, extraEnv: Record<string, string> = {}): Promise<RunResult> {
    const stackDir = this.synth(program);
    const init = await this.terraform(stackDir, ["init", "-input=false", "-no-color"], extraEnv);
    if (init.code !== 0) throw new Error(`terraform init failed:\n${init.output}`);
    return this.terraform(stackDir, ["destroy", "-auto-approve", "-input=false", "-no-color"], extraEnv);
  }

  /**
   * Every file the workspace holds (synthesized JSON, state, backups, lock files), for leak checks; not the
   * bundled provider and provisioner code (assets, terraform.d) nor terraform's own cache (.terraform).
   */
  public files(): string[] {
    // terraform.d holds the provider executable the provider engine installs: code, not output.
    return filesBelow(this.dir, ["assets", ".terraform", "terraform.d"]);
  }

  public cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Every file below `dir`, depth first, not looking into folders named in `skip`. */
export function filesBelow(dir: string, skip: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (folder: string) => {
    for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
      const full = path.join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!skip.includes(entry.name)) walk(full);
      } else out.push(full);
    }
  };
  walk(dir);
  return out;
}

/** Runs terraform in `cwd` as a pipeline would (no color, no checkpoint), recording the command and output in `log`. */
export function runTerraform(
  cwd: string,
  args: string[],
  env: Record<string, string>,
  log: string[],
): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(
      "terraform",
      args,
      {
        cwd,
        env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", NO_COLOR: "1", ...env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        const result = { code, stdout, stderr, output: `${stdout}\n${stderr}` };
        log.push(`$ terraform ${args.join(" ")}`, result.output);
        resolve(result);
      },
    );
  });
}

/** Asserts-friendly summary of an apply: "N added, N changed, N destroyed". */
export function applySummary(result: RunResult): string {
  if (/No changes\./.test(result.output)) return "no changes";
  const match = /(\d+) added, (\d+) changed, (\d+) destroyed/.exec(result.output);
  return match ? match[0] : "unknown";
}

export type { Construct };
