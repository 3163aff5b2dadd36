/**
 * The messages the construct (synth time), the provisioner CLI (apply time) and the provider (diagnostics)
 * show a user, as small factory functions: what happened, why, and what to do. No factory takes a secret:
 * none can print one.
 */
import { DEFAULT_API_KEY_ENV_VAR, DEFAULT_API_URL, countCharacters, graphemes } from "./api/assumptions";
import { RULE_TEXT } from "./api/rules";
import { describeScope } from "./api/scope";

/** A user value as messages quote it: JSON-quoted, control characters visible, long ones shortened. */
export function quote(value: string): string {
  const length = countCharacters(value);
  const shown = length > 120 ? `${graphemes(value).slice(0, 100).join("")}… (${length} characters)` : value;
  // JSON.stringify escapes C0 controls only; DEL and the C1 controls must be visible too.
  return JSON.stringify(shown).replace(
    /[\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}

const q = quote;

/** The commands a user runs to plan and to apply, as advice names them. */
export interface UserCommands {
  readonly plan: string;
  readonly apply: string;
}

/**
 * The commands by what the user ran. `either` where it cannot be known (synth time, a provisioner); the
 * provider tells cdktf from plain terraform by the user agent cdktf-cli hands terraform (provider.ts).
 */
export const COMMANDS = {
  cdktf: { plan: "cdktf diff", apply: "cdktf deploy" },
  cdktn: { plan: "cdktn diff", apply: "cdktn deploy" },
  terraform: { plan: "terraform plan", apply: "terraform apply" },
  either: { plan: "cdktf diff (or terraform plan)", apply: "cdktf deploy (or terraform apply)" },
} as const satisfies Record<string, UserCommands>;

/**
 * What the user ran, for advice: cdktf-cli (and CDK Terrain's) hands terraform, and terraform its providers,
 * TF_APPEND_USER_AGENT naming itself ("cdktf/0.21.0 ..."); without it, plain terraform.
 */
export function commandsOf(env: NodeJS.ProcessEnv): UserCommands {
  const agent = env.TF_APPEND_USER_AGENT ?? "";
  if (/\bcdktn\//i.test(agent)) return COMMANDS.cdktn;
  if (/\bcdktf\//i.test(agent)) return COMMANDS.cdktf;
  return COMMANDS.terraform;
}

/** Where the provider reaches the API, and where that URL is set, for messages about reaching it. */
const apiUrlSources =
  "PRECLINICAL_API_URL when you run cdktf synth or deploy, the connection's `apiUrl`, or the provider's api_url";

/** The id that `terraform import` takes for a scope: "organization" or "agent/<uuid>". */
export function importIdOf(agentId: string | null): string {
  return agentId ? `agent/${agentId}` : "organization";
}

// ---------------------------------------------------------------------------------------------------------
// Synth and plan time
// ---------------------------------------------------------------------------------------------------------

export const messages = {
  urlRule: (value: string | undefined) =>
    `\`url\` must be ${RULE_TEXT.url}, got ${value ?? "an empty value"}. ` +
    'Fix the URL, e.g. "https://hooks.example.com/preclinical".',
  agentIdRule: (value: string | undefined, name = "agentId") =>
    `\`${name}\` must be ${RULE_TEXT.agentId}, got ${value ?? "an empty value"}. ` +
    `Copy the agent's id from the Preclinical UI, or leave \`${name}\` out for the organization-level webhook.`,
  descriptionRule: (value: string | undefined) =>
    `\`description\` must be ${RULE_TEXT.description}, got ${value ?? "an empty value"}. ` +
    "Shorten it or remove the control characters.",
  isEnabledRule: (value: string) =>
    `\`isEnabled\` must be true or false, got ${value}. Pass a bool (a TerraformVariable of type "bool").`,
  nodeExecutableRule: (value: string) => `\`nodeExecutable\` must be ${RULE_TEXT.nodeExecutable}, got ${q(value)}.`,
  mixedResourceTypes: (first: string, second: string) =>
    `The connections and webhooks of one stack must use one \`resourceType\`, got ${first} and ${second}: the ` +
    "stack's ledger, which deletes removed webhooks, is one resource of one type. Give every webhook of the " +
    "stack a `connection` with the same `resourceType`.",
  secretRule: () =>
    `\`secret\` must be ${RULE_TEXT.secret} (its value is not shown). ` +
    "Use a random value, e.g. `openssl rand -hex 32`, and pass it through a sensitive Terraform variable.",
  apiUrlRule: (value: string, name = "apiUrl") =>
    `\`${name}\` must be ${RULE_TEXT.apiUrl}, got ${q(value)}. Use "${DEFAULT_API_URL}" or leave it unset.`,
  apiUrlFromEnvironment: (value: string) =>
    `The PRECLINICAL_API_URL environment variable at synth time must be ${RULE_TEXT.apiUrl}, got ${q(value)}. ` +
    `Fix or unset it (unset means "${DEFAULT_API_URL}").`,
  mustBeLiteral: (prop: string) =>
    `\`${prop}\` must be a literal string known at synth time, not a Terraform variable or attribute: it ` +
    "identifies the organization in scope checks and in the stack's ledger. For per-environment API URLs, set " +
    "PRECLINICAL_API_URL when you run cdktf synth or deploy.",
  apiKeyEnvVarRule: (value: string, name = "apiKeyEnvVar") =>
    `\`${name}\` must be ${RULE_TEXT.apiKeyEnvVar}, got ${q(value)}. The default is "${DEFAULT_API_KEY_ENV_VAR}".`,
  timeoutRule: (prop: string, value: number) => `\`${prop}\` must be ${RULE_TEXT.timeoutMs}, got ${value}.`,
  duplicateScope: (scope: string, first: string, second: string) =>
    `Two webhooks claim the ${scope}: ${first} and ${second}. The API allows one webhook per scope: remove one ` +
    "of them, or point one at another agent (`agentId`) or organization (`connection`).",
  connectionWithOwnSettings: (path: string) =>
    `${path}: \`connection\` cannot be combined with \`apiUrl\` or \`apiKeyEnvVar\`. Set those on the ` +
    "PreclinicalConnection, or drop `connection`.",
  provisionerOnlyProp: (prop: string) =>
    `\`${prop}\` is a setting of the provisioner engine, and this connection uses the provider engine, which ` +
    `runs no provisioners. Drop \`${prop}\`, or set \`engine: PreclinicalEngine.PROVISIONERS\`.`,
  needsEngine: (path: string, what: string, engine: string) =>
    `${path}: \`${what}\` exists only on the ${engine} engine, and this webhook's connection uses the other. ` +
    (engine === "provider"
      ? "Set `engine: PreclinicalEngine.PROVIDER` on its PreclinicalConnection: provisioners cannot read the " +
        "webhook back from the API."
      : "It belongs to the provisioner engine's resources; on the provider engine use `webhookResource`."),
  variableWouldPrompt: (name: string, readers: readonly string[]) =>
    `Terraform variable \`${name}\`, read by ${readers.join(", ")}, has no default, and TF_VAR_${name} is not ` +
    "set. In this pipeline (CI is set) cdktf deploy would stop at Terraform's prompt for it and wait until the " +
    `job is killed. Set TF_VAR_${name} (from the pipeline's secret store for a secret). If the value comes from ` +
    "a -var-file or --var instead, set TF_INPUT=0: Terraform then fails at once when it has no value, and this " +
    "check is skipped.",
  literalSecret: () =>
    "`secret` is a literal string, so it is written in plain text into cdk.tf.json. Pass it through a sensitive " +
    'TerraformVariable (new TerraformVariable(stack, "webhook_secret", { type: "string", sensitive: true })).',
  bundleMissing: (what: string, looked: readonly string[], then: string) =>
    `${what} was not found (looked at ${looked.join(" and ")}). Run \`npm run build\` in the ` +
    `cdktf-preclinical-webhooks package, then ${then}.`,
  nullProviderMissing: (reason: string) =>
    "`ProvisionerResourceType.NULL_RESOURCE` needs the @cdktf/provider-null package in your app (an optional " +
    "peer dependency: 10.x for cdktf 0.20, 11.x for cdktf 0.21), and it could not be loaded: " +
    `${reason}. Install it (npm i @cdktf/provider-null), or use the default TERRAFORM_DATA.`,
  terraformMissing: (reason: string) =>
    `Synthesizing terraform_data resources needs Terraform 1.4 or later on the PATH, and \`terraform version\` ` +
    `failed: ${reason}. Install Terraform, or use ProvisionerResourceType.NULL_RESOURCE.`,
  terraformTooOld: (version: string) =>
    `Terraform ${version} is too old for terraform_data (built in since 1.4). Upgrade Terraform, or use ` +
    "ProvisionerResourceType.NULL_RESOURCE.",

  // -------------------------------------------------------------------------------------------------------
  // Apply time (the provisioner CLI)
  // -------------------------------------------------------------------------------------------------------

  atConstruct: (path: string, message: string) => `${path}: ${message}`,
  missingApiKey: (envName: string, commands: UserCommands = COMMANDS.either) =>
    `The environment variable ${envName} is not set on the machine that runs terraform. Export the Preclinical ` +
    `API key as ${envName} (in CI, from the pipeline's secret store) and run ${commands.apply} again.`,
  ledgerUnreadable: (what: string, reason: string) =>
    `${what} cannot be read by this version (${reason}). Synthesize the stack again with the current library ` +
    "version, then deploy.",
  missingEnv: (name: string) =>
    `The provisioner was started without ${name}. The synthesized stack is incomplete: run cdktf synth again ` +
    "with this version of the library.",
  scopeTakenByOther: (agentId: string | null, id: string, url: string, path: string) =>
    `The ${describeScope(agentId)} already holds webhook ${id} (${url}), which this construct has not claimed ` +
    "(it was made in the UI, by another stack, or by a construct of this stack since renamed). To manage it " +
    `here, set \`adoptExisting: true\` on ${path} and deploy again; to start ` +
    `afresh, delete webhook ${id} in the Preclinical UI and deploy again.`,
  agentNotFound: (agentId: string, path: string) =>
    `Agent ${agentId} (\`agentId\` of ${path}) does not exist in the organization of this API key. Check the ` +
    "agent id in the Preclinical UI and that the API key belongs to the same organization.",
  unauthorized: (envName: string, apiUrl?: string, commands: UserCommands = COMMANDS.either) =>
    `The Preclinical API${apiUrl ? ` at ${apiUrl}` : ""} rejected the API key in ${envName} (401). Check that ` +
    "the key is current, was copied whole (keys start with sk_live_) and belongs to the organization at that " +
    `URL, then run ${commands.apply} again.`,
  forbidden: (envName: string) =>
    `The API key in ${envName} may not manage webhooks (403). Use a key with webhook permissions.`,
  failedFor: (path: string, what: string, reason: string) => `${path}: could not ${what}: ${reason}`,
  convergeNext: (commands: UserCommands = COMMANDS.either) =>
    `Nothing was lost: fix the cause and run ${commands.apply} again; it picks up where this one stopped.`,
  reconcileFailed: (count: number) =>
    `${count} webhook(s) of removed constructs could not be deleted. They are still recorded, so the next ` +
    "deploy tries again once the cause is fixed.",
  keptForPlanTimeAgent: (path: string, scope: string) =>
    `${path}: removed, but its ${scope} was not deleted: another construct of this stack names its agent only ` +
    "at plan time, so it may still declare this scope. If the webhook is no longer wanted, delete it in the " +
    "Preclinical UI.",
  usage: () =>
    "usage: preclinical-provisioner <claim|converge|delete|reconcile>\n" +
    "Run by Terraform provisioners that the PreclinicalWebhook construct synthesizes; every value comes from " +
    "PRECLINICAL_* environment variables.",

  // -------------------------------------------------------------------------------------------------------
  // The Terraform provider (plan and apply time; messages are diagnostics, so they name attributes)
  // -------------------------------------------------------------------------------------------------------

  scopeHeld: (agentId: string | null, holder: { id: string; url: string }) =>
    `The ${describeScope(agentId)} already holds webhook ${holder.id} (${holder.url}), which this resource does ` +
    "not manage, and the API allows one webhook per scope. To manage it here, import it (`terraform import " +
    `<address> ${importIdOf(agentId)}\`, or an import block with id = "${importIdOf(agentId)}") or set ` +
    `adopt_existing = true (\`adoptExisting: true\` on a PreclinicalWebhook); to start afresh, delete webhook ` +
    `${holder.id} in the Preclinical UI. If another resource of this configuration holds it and is being ` +
    "renamed, move its state instead (a moved block, or terraform state mv).",
  willAdopt: (agentId: string | null, holder: { id: string; url: string }) =>
    `adopt_existing is set and the ${describeScope(agentId)} holds webhook ${holder.id} (${holder.url}): apply ` +
    "will take it over and set it to this configuration (same id) instead of creating a webhook. If a resource " +
    "of this configuration that holds it is destroyed in the same apply (a rename), the webhook is deleted " +
    "and created anew with a new id: for a rename, move the state instead.",
  agentUnknown: (agentId: string) =>
    `Agent ${agentId} does not exist in the organization of this API key. Check the agent id in the Preclinical ` +
    "UI and that the API key belongs to the same organization.",
  goneSincePlan: (id: string, commands: UserCommands = COMMANDS.either) =>
    `Webhook ${id} was deleted outside Terraform after this plan was made, so it cannot be updated. Run ` +
    `${commands.plan} again: it plans to create the webhook anew.`,
  writeOnlyNeedsTerraform: (version: string, attribute: "secret" | "adopt_existing" = "secret") =>
    `\`${attribute}\` is a write-only attribute, which needs Terraform 1.11 or later ` +
    `(this is ${version || "an older version"}); ` +
    (attribute === "secret"
      ? "an older Terraform would store the secret in the plan and the state. Upgrade Terraform, or remove `secret`."
      : "an older Terraform cannot plan it. Upgrade Terraform, or remove `adopt_existing` and import the webhook " +
        "instead."),
  secretVersionWithoutSecret: (name = "secret_version") =>
    `\`${name}\` is set but \`secret\` is not: ${name} only says when to send the secret again. Set ` +
    `\`secret\` (from a sensitive variable) or remove \`${name}\`.`,
  importIdRule: (id: string) =>
    `Cannot import ${q(id)}: give a webhook id (a UUID, as the Preclinical UI shows it), "organization" for the ` +
    'organization-level webhook, or "agent/<agent id>" for an agent\'s webhook.',
  importNothingInScope: (agentId: string | null, commands: UserCommands = COMMANDS.either) =>
    `No webhook holds the ${describeScope(agentId)}, so there is nothing to import. Remove the import and let ` +
    `${commands.apply} create the webhook.`,
  importNoSuchWebhook: (id: string) =>
    `No webhook ${id} exists in the organization of this API key. Check the id in the Preclinical UI and that the ` +
    "API key belongs to the same organization.",
  apiCallFailed: (
    what: string,
    reason: string,
    m: { apiUrl?: string; unreachable?: boolean; commands?: UserCommands } = {},
  ) =>
    `Could not ${what}: ${reason}\n` +
    (m.apiUrl && m.unreachable
      ? `The provider reaches the Preclinical API at ${m.apiUrl} (set by ${apiUrlSources}): check that URL and ` +
        "that this machine can reach it.\n"
      : "") +
    `Nothing else was changed. Fix the cause and run ${(m.commands ?? COMMANDS.either).apply} again; it picks ` +
    "up where this run stopped.",
  organizationMoved: (m: {
    id: string;
    agentId: string | null;
    recorded: string;
    current: string;
    configured: boolean;
    commands?: UserCommands;
  }) =>
    `Webhook ${m.id} (the ${describeScope(m.agentId)}) lives in the organization at ${m.recorded}, where it was ` +
    `created or imported, and this provider now points at ${m.current}` +
    `${m.configured ? "" : " (its configuration names no api_url, so the default)"}. Nothing was read or ` +
    `written: at ${m.current} the webhook would not be found, and a second one would be created there while ` +
    `${m.id} stayed behind, unmanaged.\n` +
    `To keep it where it is, point the connection back at ${m.recorded} (${apiUrlSources}) and run again.\n` +
    `To move it to ${m.current}, either delete it first: with the old URL, remove the webhook from the code (or ` +
    "run cdktf destroy, or terraform destroy) and deploy; then switch the URL and deploy, which creates it in " +
    "the new organization. Or forget it here: `terraform state rm <the address above>` in the stack folder " +
    `(cdktf.out/stacks/<stack>), then ${(m.commands ?? COMMANDS.either).apply} creates it at ${m.current}; ` +
    `delete ${m.id} in the old organization's UI if it is no longer wanted.`,
  providerSettingUnknown: (name: string) =>
    `The provider's \`${name}\` depends on a value known only after apply, but it names the organization that ` +
    "every plan reads and checks. Use a literal or a variable for it.",
  createUncertain: (agentId: string | null, reason: string, commands: UserCommands = COMMANDS.either) =>
    `Could not confirm the create of the webhook: ${reason}\nThe request may have reached the API. Run ` +
    `${commands.plan}: if it reports the ${describeScope(agentId)} held by a webhook with this URL, that is the ` +
    `one this apply created; import it (id "${importIdOf(agentId)}") or set adopt_existing = true ` +
    `(\`adoptExisting: true\`), and run ${commands.apply} again.`,
};
