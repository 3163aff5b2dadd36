/**
 * The two Terraform resource types that can carry provisioners, behind one small interface, and the
 * provisioner CLI shipped with the stack as a TerraformAsset.
 */
import * as path from "node:path";
import { Construct } from "constructs";
import { execFileSync } from "node:child_process";
import {
  AssetType,
  TerraformAsset,
  TerraformProvider,
  TerraformResource,
  TerraformStack,
  anyToHclTerraform,
  anyToTerraform,
  hashMapper,
  hashMapperHcl,
  type ITerraformDependable,
  type Precondition,
  type LocalExecProvisioner,
  type TerraformResourceLifecycle,
} from "cdktf";
import type { IValidation } from "constructs";
import type * as NullProviderModule from "@cdktf/provider-null/lib/provider";
import type * as NullResourceModule from "@cdktf/provider-null/lib/resource";
import { Env, type ProvisionerCommand } from "../provisioner/protocol";
import { bundlePath } from "../bundles";
import { messages } from "../messages";
import { ProvisionerResourceType, type ConnectionSettings } from "./settings";
import { escapeTemplate } from "./hcl";

const CLI_FILE = path.join("provisioner", "preclinical-provisioner.cjs");

/** Where the bundled CLI lives: dist/provisioner/. */
export function cliBundlePath(): string {
  return bundlePath(CLI_FILE, "The bundled provisioner CLI", "synthesize again");
}

/** The stack's copy of the provisioner CLI, created on first use; its path is relative to the stack folder. */
export function cliAsset(scope: Construct): TerraformAsset {
  const stack = TerraformStack.of(scope);
  const id = "PreclinicalProvisionerCli";
  // Only this function creates a child with this id: no `instanceof`, which fails across two copies of cdktf.
  const existing = stack.node.tryFindChild(id) as TerraformAsset | undefined;
  return existing ?? new TerraformAsset(stack, id, { path: cliBundlePath(), type: AssetType.FILE });
}

/** One provisioner run: which command, when, with which values. */
export interface ProvisionerRun {
  readonly command: ProvisionerCommand;
  readonly when: "create" | "destroy";
  readonly environment: Record<string, string>;
}

export interface CarrierProps {
  /** A map of strings, or a Lazy that produces one. */
  readonly triggers: unknown;
  readonly runs: readonly ProvisionerRun[];
  readonly dependsOn?: ITerraformDependable[];
  readonly preconditions?: Precondition[];
}

/** A resource whose only job is to run provisioners when its triggers change. */
export function carrierResource(
  scope: Construct,
  id: string,
  settings: ConnectionSettings,
  props: CarrierProps,
): TerraformResource {
  const asset = cliAsset(scope);
  const provisioners = props.runs.map((run) => ({
    type: "local-exec" as const,
    // The command text is fixed; every value, the CLI's path included, arrives through the environment.
    command: `"$${Env.NODE}" "$${Env.CLI}" ${run.command}`,
    when: run.when,
    environment: { ...run.environment, [Env.NODE]: escapeTemplate(settings.nodeExecutable), [Env.CLI]: asset.path },
  }));
  const lifecycle = props.preconditions?.length ? { precondition: props.preconditions } : undefined;
  if (settings.resourceType === ProvisionerResourceType.NULL_RESOURCE) {
    const { NullResource } = ensureNullProvider(scope);
    return new NullResource(scope, id, {
      triggers: props.triggers as Record<string, string>,
      provisioners,
      dependsOn: props.dependsOn,
      lifecycle,
    });
  }
  requireTerraformData(scope);
  return new TerraformData(scope, id, {
    triggersReplace: props.triggers,
    provisioners,
    dependsOn: props.dependsOn,
    lifecycle,
  });
}

/**
 * A `terraform_data` resource, through cdktf's public TerraformResource. cdktf's own DataResource adds a
 * validation to every instance that runs `terraform version` at synth (about 0.1 s each: most of the synth
 * time of a stack of webhooks, see BENCHMARKS.md); this class leaves that check to one per stack.
 */
class TerraformData extends TerraformResource {
  private readonly triggersReplace: unknown;

  constructor(
    scope: Construct,
    id: string,
    config: {
      triggersReplace: unknown;
      provisioners: LocalExecProvisioner[];
      dependsOn?: ITerraformDependable[];
      lifecycle?: TerraformResourceLifecycle;
    },
  ) {
    super(scope, id, {
      terraformResourceType: "terraform_data",
      terraformGeneratorMetadata: { providerName: "terraform" },
      provisioners: config.provisioners,
      dependsOn: config.dependsOn,
      lifecycle: config.lifecycle,
    });
    this.triggersReplace = config.triggersReplace;
  }

  protected synthesizeAttributes(): Record<string, unknown> {
    return { triggers_replace: hashMapper(anyToTerraform)(this.triggersReplace) };
  }

  protected synthesizeHclAttributes(): Record<string, unknown> {
    return { triggers_replace: hashMapperHcl(anyToHclTerraform)(this.triggersReplace) };
  }
}

const MIN_TERRAFORM = [1, 4] as const;
const stacksChecked = new WeakSet<TerraformStack>();
let terraformVersionCheck: string[] | undefined;

/** `terraform_data` needs Terraform 1.4+: checked once per stack, with `terraform version` run once per process. */
function requireTerraformData(scope: Construct): void {
  const stack = TerraformStack.of(scope);
  if (stacksChecked.has(stack)) return;
  stacksChecked.add(stack);
  const validation: IValidation = { validate: () => (terraformVersionCheck ??= checkTerraformVersion()) };
  stack.node.addValidation(validation);
}

function checkTerraformVersion(): string[] {
  let output: string;
  try {
    output = execFileSync("terraform", ["version"], {
      encoding: "utf8",
      stdio: "pipe",
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    });
  } catch (err) {
    return [messages.terraformMissing(err instanceof Error ? err.message : String(err))];
  }
  const match = /(\d+)\.(\d+)\.(\d+)/.exec(output);
  if (!match)
    return [messages.terraformMissing(`could not read a version from ${JSON.stringify(output.slice(0, 80))}`)];
  const [major, minor] = [Number(match[1]), Number(match[2])];
  const ok = major > MIN_TERRAFORM[0] || (major === MIN_TERRAFORM[0] && minor >= MIN_TERRAFORM[1]);
  return ok ? [] : [messages.terraformTooOld(match[0])];
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

const stacksWithNullProvider = new WeakSet<TerraformStack>();

/** The null provider's classes, from the app's own @cdktf/provider-null (an optional peer dependency). */
function nullProviderClasses() {
  try {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { NullProvider } = require("@cdktf/provider-null/lib/provider") as typeof NullProviderModule;
    const { Resource: NullResource } = require("@cdktf/provider-null/lib/resource") as typeof NullResourceModule;
    /* eslint-enable @typescript-eslint/no-require-imports */
    return { NullProvider, NullResource };
  } catch (err) {
    throw new Error(messages.nullProviderMissing(err instanceof Error ? err.message : String(err)));
  }
}

/**
 * A null provider block for the stack: ours, unless the stack has one of its own when it is synthesized
 * (declared before or after the first webhook), in which case ours writes nothing. Providers are recognised
 * by cdktf's own check and their type, never `instanceof`, which fails across two copies of a package.
 */
function ensureNullProvider(scope: Construct) {
  const classes = nullProviderClasses();
  const stack = TerraformStack.of(scope);
  if (stacksWithNullProvider.has(stack)) return classes;
  stacksWithNullProvider.add(stack);
  const ours = new classes.NullProvider(stack, "PreclinicalNullProvider");
  const othersIn = () =>
    stack.node
      .findAll()
      .some((c) => c !== ours && TerraformProvider.isTerraformProvider(c) && c.terraformResourceType === "null");
  const toTerraform = ours.toTerraform.bind(ours);
  const toHclTerraform = ours.toHclTerraform.bind(ours);
  ours.toTerraform = () => (othersIn() ? {} : toTerraform());
  ours.toHclTerraform = () => (othersIn() ? {} : toHclTerraform());
  return classes;
}
