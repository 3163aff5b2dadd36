/**
 * The two Terraform resource types that can carry provisioners, behind one small interface, and the
 * provisioner CLI shipped with the stack as a TerraformAsset.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { Construct } from "constructs";
import { AssetType, DataResource, TerraformAsset, TerraformStack, type ITerraformDependable, type Precondition, type TerraformResource } from "cdktf";
import { NullProvider } from "@cdktf/provider-null/lib/provider";
import { Resource as NullResource } from "@cdktf/provider-null/lib/resource";
import { Env, type ProvisionerCommand } from "../provisioner/protocol";
import { ProvisionerResourceType, type ConnectionSettings } from "./settings";

const CLI_FILE = path.join("provisioner", "preclinical-provisioner.cjs");

/** Where the bundled CLI lives: dist/provisioner/, found from dist/src/construct (built) or src/construct (tests). */
export function cliBundlePath(): string {
  const candidates = [path.resolve(__dirname, "..", "..", CLI_FILE), path.resolve(__dirname, "..", "..", "dist", CLI_FILE)];
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) {
    throw new Error(
      `The bundled provisioner CLI was not found (looked at ${candidates.join(" and ")}). ` +
        "Run `npm run build` in the cdktf-preclinical-webhooks package, then synthesize again.",
    );
  }
  return found;
}

/** The stack's copy of the provisioner CLI, created on first use; its path is relative to the stack folder. */
export function cliAsset(scope: Construct): TerraformAsset {
  const stack = TerraformStack.of(scope);
  const id = "PreclinicalProvisionerCli";
  const existing = stack.node.tryFindChild(id);
  return existing instanceof TerraformAsset ? existing : new TerraformAsset(stack, id, { path: cliBundlePath(), type: AssetType.FILE });
}

/** One provisioner run: which command, when, with which values. */
export interface ProvisionerRun {
  readonly command: ProvisionerCommand;
  readonly when: "create" | "destroy";
  readonly environment: Record<string, string>;
}

export interface CarrierProps {
  readonly triggers: Record<string, string> | unknown;
  readonly runs: readonly ProvisionerRun[];
  readonly dependsOn?: ITerraformDependable[];
  readonly preconditions?: Precondition[];
}

/** A resource whose only job is to run provisioners when its triggers change. */
export function carrierResource(scope: Construct, id: string, settings: ConnectionSettings, props: CarrierProps): TerraformResource {
  const asset = cliAsset(scope);
  const provisioners = props.runs.map((run) => ({
    type: "local-exec" as const,
    // The command text is fixed; every value, the CLI's path included, arrives through the environment.
    command: `"$${Env.NODE}" "$${Env.CLI}" ${run.command}`,
    when: run.when,
    environment: { ...run.environment, [Env.NODE]: settings.nodeExecutable, [Env.CLI]: asset.path },
  }));
  const lifecycle = props.preconditions?.length ? { precondition: props.preconditions } : undefined;
  if (settings.resourceType === ProvisionerResourceType.NULL_RESOURCE) {
    ensureNullProvider(scope);
    return new NullResource(scope, id, {
      triggers: props.triggers as Record<string, string>,
      provisioners,
      dependsOn: props.dependsOn,
      lifecycle,
    });
  }
  return new DataResource(scope, id, {
    triggersReplace: props.triggers as Record<string, string>,
    provisioners,
    dependsOn: props.dependsOn,
    lifecycle,
  });
}

/** How a destroy-time provisioner reads one of its resource's own triggers. */
export function selfTrigger(type: ProvisionerResourceType, key: string): string {
  return `\${self.${triggersAttribute(type)}["${key}"]}`;
}

/** All of a resource's own triggers as JSON, for a destroy-time provisioner. */
export function selfTriggersJson(type: ProvisionerResourceType): string {
  return `\${jsonencode(self.${triggersAttribute(type)})}`;
}

function triggersAttribute(type: ProvisionerResourceType): string {
  return type === ProvisionerResourceType.NULL_RESOURCE ? "triggers" : "triggers_replace";
}

function ensureNullProvider(scope: Construct): void {
  const stack = TerraformStack.of(scope);
  const hasOne = stack.node.findAll().some((c) => c instanceof NullProvider);
  if (!hasOne) new NullProvider(stack, "PreclinicalNullProvider");
}
