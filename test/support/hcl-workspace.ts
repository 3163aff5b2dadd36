/**
 * A folder with the bundled provider installed as an implied local mirror and a hand-written
 * `main.tf.json`, driven with the real terraform binary: the provider as a plain-Terraform user meets it.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { installProvider } from "../../src/provider/install";
import { filesBelow, runTerraform, type RunResult } from "./terraform";

export type { RunResult };

/** This machine's platform in Terraform's spelling (linux_amd64, darwin_arm64, ...). */
export function terraformPlatform(): string {
  const arch = process.arch === "x64" ? "amd64" : process.arch;
  return `${process.platform}_${arch}`;
}

/** The `terraform` block every configuration needs to find the provider. */
export const REQUIRED_PROVIDERS = { required_providers: { preclinical: { source: "preclinical/preclinical" } } };

export class HclWorkspace {
  public readonly dir: string;
  /** Every command and everything terraform printed, for leak checks. */
  public readonly log: string[] = [];
  private initialized = false;

  constructor(public readonly env: Record<string, string>) {
    this.dir = fs.mkdtempSync(path.join(os.tmpdir(), "preclinical-provider-e2e-"));
    installProvider(this.dir, { platforms: [terraformPlatform()], hosts: ["registry.terraform.io"] });
  }

  /** Writes the configuration (`terraform` block added when absent). */
  public write(config: Record<string, unknown>): void {
    const withTerraform = { terraform: REQUIRED_PROVIDERS, ...config };
    fs.writeFileSync(path.join(this.dir, "main.tf.json"), `${JSON.stringify(withTerraform, null, 2)}\n`);
  }

  public terraform(args: string[], extraEnv: Record<string, string> = {}): Promise<RunResult> {
    return runTerraform(this.dir, args, { ...this.env, ...extraEnv }, this.log);
  }

  /** `terraform init`, once per workspace. */
  public async init(): Promise<void> {
    if (this.initialized) return;
    const result = await this.terraform(["init", "-input=false", "-no-color"]);
    if (result.code !== 0) throw new Error(`terraform init failed:\n${result.output}`);
    this.initialized = true;
  }

  public async apply(config?: Record<string, unknown>, extraEnv: Record<string, string> = {}): Promise<RunResult> {
    if (config) this.write(config);
    await this.init();
    return this.terraform(["apply", "-auto-approve", "-input=false", "-no-color"], extraEnv);
  }

  /** `terraform plan -detailed-exitcode`: code 0 no changes, 2 changes, 1 error. */
  public async plan(config?: Record<string, unknown>, extraEnv: Record<string, string> = {}): Promise<RunResult> {
    if (config) this.write(config);
    await this.init();
    return this.terraform(["plan", "-input=false", "-no-color", "-detailed-exitcode"], extraEnv);
  }

  public async destroy(extraEnv: Record<string, string> = {}): Promise<RunResult> {
    await this.init();
    return this.terraform(["destroy", "-auto-approve", "-input=false", "-no-color"], extraEnv);
  }

  /** `terraform output -raw <name>`. */
  public async output(name: string): Promise<string> {
    const result = await this.terraform(["output", "-raw", name]);
    if (result.code !== 0) throw new Error(`terraform output ${name} failed:\n${result.output}`);
    return result.stdout.trim();
  }

  /** The state as `terraform show -json` prints it. */
  public async state(): Promise<{
    values?: { root_module?: { resources?: { address: string; values: Record<string, unknown> }[] } };
  }> {
    const result = await this.terraform(["show", "-json"]);
    return JSON.parse(result.stdout);
  }

  /** Every file of the workspace but the provider executables (state, backups, plans, the lock file). */
  public files(): string[] {
    return filesBelow(this.dir, ["terraform.d", "providers"]);
  }

  public cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/** "N added, N changed, N destroyed", or "no changes". */
