/**
 * The messages the construct (synth time), the provisioner CLI (apply time) and the provider (diagnostics)
 * show a user, as small factory functions: what happened, why, and what to do. No factory takes a secret:
 * none can print one.
 * Over 300 lines on purpose: one catalogue of every message a user meets, in three sections (synth and plan
 * time, the provisioner CLI, the provider), so that their wording is read and reviewed side by side and the
 * architecture keeps one messages room. A message is a line or two; the file grows by lines, not by logic.
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

/** The end of every failure of the importer. */
const NOTHING_WRITTEN = "Nothing was written.";

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
  verifyDeliveryNeedsProvider: (path: string) =>
    `${path}: \`verifyDelivery\` needs the provider engine, and this webhook's connection uses provisioners, which ` +
    "run only when a resource is created or destroyed and cannot report a test's outcome. Drop `verifyDelivery`, " +
    "or set `engine: PreclinicalEngine.PROVIDER` on its PreclinicalConnection; to test a delivery by hand, " +
    "POST /webhooks/{id}/test.",
  verifyDeliveryDisabled: () =>
    "`verifyDelivery` is set, but `isEnabled` is false: a disabled webhook is not tested (Preclinical delivers " +
    "nothing to it). Its delivery is tested once it is enabled.",
  needsVerifyDelivery: (path: string) =>
    `${path}: \`deliveryTestResource\` exists only with \`verifyDelivery: true\`. Set it on the PreclinicalWebhook.`,
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

  readsThroughProvider: (path: string) =>
    `${path}: an agent or list read by name is read at plan time by the native provider, and this connection ` +
    "uses the provisioner engine, which runs no custom provider. Give it a connection on the provider engine " +
    "(the default), or give webhooks of the provisioner engine the agent's id (a UUID, from the Preclinical UI).",
  agentTokenOnProvisioners: (path: string, agentPath: string) =>
    `${path}: \`agentId\` comes from ${agentPath}, which the native provider reads at plan time, and this ` +
    "webhook's connection uses the provisioner engine, where no custom provider runs and the webhook's scope " +
    "must be known when the stack is synthesized. Pass the agent's id as a literal (a UUID, from the " +
    "Preclinical UI), or use the provider engine (the default).",
  agentTokenOtherOrganization: (path: string, agentPath: string) =>
    `${path}: \`agentId\` comes from ${agentPath}, which reads the agents of another organization (another ` +
    "connection, API URL or API key variable) than this webhook's. Give both the same `connection`.",

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

  scopeHeld: (agentId: string | null, holder: { id: string; url: string }, agentName?: string) =>
    `The ${describeScope(agentId, agentName)} already holds webhook ${holder.id} (${holder.url}), which this resource does ` +
    "not manage, and the API allows one webhook per scope. It was made in the UI, by another configuration, or " +
    "by an apply of this one that stopped before saving its state (a runner killed mid-apply): the API keeps " +
    "no mark of who made a webhook, so the provider cannot tell which. If it is this resource's, import it: " +
    `\`terraform import <address> ${holder.id}\`, with the address named on the "with" line above (an import ` +
    `block with id = "${holder.id}" does the same; in cdktf, \`webhookResource.importFrom("${holder.id}")\` on ` +
    "the PreclinicalWebhook, for one deploy), or set adopt_existing = true (`adoptExisting: true`), which also " +
    `sets it to this configuration. If it is not, delete webhook ${holder.id} in the Preclinical UI, or declare ` +
    "another agent. If another resource of this configuration holds it and is being renamed, move its state " +
    "instead (a moved block, or terraform state mv).",
  willAdopt: (agentId: string | null, holder: { id: string; url: string }, agentName?: string) =>
    `adopt_existing is set and the ${describeScope(agentId, agentName)} holds webhook ${holder.id} (${holder.url}): apply ` +
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
  agentIdOrName: (given: "both" | "neither", id = "id", what = "a preclinical_agent") =>
    (given === "both" ? `Both \`${id}\` and \`name\` are set` : `Neither \`${id}\` nor \`name\` is set`) +
    `: ${what} finds its agent by exactly one of them. Give \`name\` (as the Preclinical UI shows ` +
    `it) or \`${id}\` (the agent's UUID).`,
  agentNameRule: () => "`name` is empty. Give the agent's name as the Preclinical UI shows it, or give `id`.",
  agentNameUnknown: (name: string, closest: readonly string[]) =>
    `No agent of the organization of this API key is named ${q(name)} (names match exactly, case and spaces ` +
    "included). " +
    (closest.length > 0
      ? `The closest names it has: ${closest.map(q).join(", ")}. `
      : "The organization has no agents. ") +
    "Fix the name, or check that the API key belongs to the organization of that agent.",
  agentNameAmbiguous: (name: string, ids: readonly string[]) =>
    `${ids.length} agents of the organization are named ${q(name)}: ${ids.join(", ")}. A name must pick one ` +
    "agent: give the `id` of the one you mean instead of `name` (on a PreclinicalWebhook, pass that id as " +
    "`agentId`), or rename the others in the Preclinical UI.",
  agentInactive: (name: string, id: string) =>
    `Agent ${q(name)} (${id}) is inactive: Preclinical runs no tests for it, so a webhook for it receives ` +
    "nothing until it is activated again in the Preclinical UI.",
  agentIdNotFound: (id: string) =>
    `No agent with id ${id} exists in the organization of this API key. Check the id in the Preclinical UI ` +
    "(or find the agent by `name`), and that the API key belongs to the same organization.",
  deliveriesFailing: (w: {
    id: string;
    url: string;
    failures: number;
    lastTriggeredAt: string | null;
    enabled: boolean;
  }) =>
    `Webhook ${w.id} (${w.url}) failed its last ${w.failures === 1 ? "delivery" : `${w.failures} deliveries`} ` +
    `(consecutive_failures = ${w.failures}; last delivery attempt ${w.lastTriggeredAt ?? "not recorded"}): test-run ` +
    "notifications are not arriving. Check that the receiver is up, reachable from the internet and answers a " +
    "POST with 2xx, and that it accepts the signing secret; then check it with a delivery test " +
    "(a preclinical_webhook_test resource, or verifyDelivery: true on the PreclinicalWebhook). The count resets at " +
    "the next successful delivery. This is a warning: nothing in the plan changes because of it." +
    (w.enabled ? "" : " The webhook is disabled now, so nothing is delivered until it is enabled."),
  deliveryTestFailed: (t: { id: string; url: string | undefined; httpStatus: number | null; message: string }) =>
    `The test delivery to webhook ${t.id}${t.url === undefined ? "" : ` (${t.url})`} failed: ` +
    (t.httpStatus === null
      ? `the receiver could not be reached (${t.message || "no reason given"}). `
      : // The API's message is quoted when it says more than the status.
        `the receiver answered HTTP ${t.httpStatus}` +
        `${t.message && !t.message.includes(String(t.httpStatus)) ? ` (${t.message})` : ""}. `) +
    "The webhook itself is unchanged: same id, and the settings this apply gave it. " +
    (t.httpStatus === null
      ? "Check that the URL is right and that the receiver is up and reachable from the internet. "
      : t.httpStatus === 401 || t.httpStatus === 403
        ? "The receiver refused the delivery: check that it accepts the webhook's signing secret. "
        : "The receiver must answer a POST with 2xx: check its logs, and that the URL's path is the one it serves. ") +
    "Then run terraform apply (cdktf deploy) again: the test runs again, until it passes.",
  deliveryTestGone: (id: string) =>
    `Webhook ${id} does not exist (it was deleted outside Terraform after this plan), so it cannot be tested. ` +
    "Run terraform apply again: the webhook is created anew and then tested.",
  deliveryTestSkipped: (id: string | undefined) =>
    `The delivery of webhook ${id ?? "(known after apply)"} is not tested: the webhook is disabled ` +
    "(webhook_enabled = false), and Preclinical delivers nothing to it. The test runs when it is enabled again.",
  webhookIdRule: (value: string) =>
    `\`webhook_id\` must be a webhook id (a UUID), got ${value}. Use the id of a preclinical_webhook, e.g. ` +
    "preclinical_webhook.<name>.id.",
  webhookTestNoImport: () =>
    "A preclinical_webhook_test is an event, not an object of the API: there is nothing to import. Declare it " +
    "and apply: the apply runs the test.",
  createUncertain: (agentId: string | null, reason: string, commands: UserCommands = COMMANDS.either) =>
    `Could not confirm the create of the webhook: ${reason}\nThe request may have reached the API. Run ` +
    `${commands.plan}: if it reports the ${describeScope(agentId)} held by a webhook with this URL, that is the ` +
    `one this apply created; import it (id "${importIdOf(agentId)}") or set adopt_existing = true ` +
    `(\`adoptExisting: true\`), and run ${commands.apply} again.`,

  // -------------------------------------------------------------------------------------------------------
  // The importer (preclinical-import): it writes nothing when it fails, and every failure says so
  // -------------------------------------------------------------------------------------------------------

  importNeedsApiKey: (envName: string) =>
    `The environment variable ${envName} is not set. Export the API key of the organization to import as ` +
    `${envName} (or name another variable with --api-key-env-var) and run preclinical-import again. ${NOTHING_WRITTEN}`,
  importUnauthorized: (envName: string) =>
    `The Preclinical API rejected the API key in ${envName} (401). Check that the key is current and was copied ` +
    `whole (keys start with sk_live_), then run preclinical-import again. ${NOTHING_WRITTEN}`,
  importForbidden: (envName: string) =>
    `The API key in ${envName} may not read webhooks (403). Use a key with webhook permissions. ${NOTHING_WRITTEN}`,
  importUnreachable: (apiUrl: string, reason: string) =>
    `Could not reach the Preclinical API at ${apiUrl}: ${reason} Check --api-url (or PRECLINICAL_API_URL; unset ` +
    `means ${DEFAULT_API_URL}) and the network, then run preclinical-import again. ${NOTHING_WRITTEN}`,
  importApiFailed: (reason: string) =>
    `Could not read the organization's webhooks: ${reason}\n${NOTHING_WRITTEN} Run preclinical-import again once ` +
    "the cause is fixed.",
  importAgentIdRule: (value: string) =>
    `\`--agent\` must be ${RULE_TEXT.agentId}, got ${q(value)}. Copy the agent's id from the Preclinical UI.`,
  importUnknownAgents: (agents: readonly { id: string; name?: string }[]) =>
    agents
      .map(({ id, name }) =>
        name === undefined
          ? `--agent ${id}: no agent with this id exists in the organization of this API key.`
          : `--agent ${id}: agent ${q(name)} has no webhook, so there is nothing to import for it.`,
      )
      .join("\n") +
    `\nCheck the agent ids in the Preclinical UI, or leave --agent out to import every webhook. ${NOTHING_WRITTEN}`,
  importNoOrgWebhook: () =>
    "--org-only: the organization of this API key has no organization-level webhook, so there is nothing to " +
    `import. Leave --org-only out to import the agents' webhooks. ${NOTHING_WRITTEN}`,
  importNothing: () =>
    "The organization of this API key holds no webhooks, so there is nothing to import. Check that the key is " +
    `the one of the organization you meant, or declare new webhooks with PreclinicalWebhook. ${NOTHING_WRITTEN}`,
  importNothingDeclarable: (count: number) =>
    `None of the ${count} webhook(s) to import can be declared with this library as they are (see the warnings ` +
    `above). Change them in the Preclinical UI, then run preclinical-import again. ${NOTHING_WRITTEN}`,
  importNotDeclared: (id: string, agentId: string | null, problems: readonly string[]) =>
    `Webhook ${id} (${describeScope(agentId)}) is left out of the generated code: ${problems.join("; ")}. Code ` +
    "with these values would fail synthesis. Change the webhook in the Preclinical UI and run preclinical-import " +
    "again, or declare it by hand with values the library accepts and import it by its id: the first deploy then " +
    "updates it in place.",
  importValueRefused: (field: string, shown: string, rule: string) =>
    `its ${field} is ${shown}, and the library asks for ${rule}`,
  importUnpairedSurrogate: (field: string) =>
    `its ${field} holds an unpaired UTF-16 surrogate, which a Terraform string cannot hold`,
  importAgentNameUnknown: (agentId: string, reason: string) =>
    `The name of agent ${agentId} could not be read (${reason}), so the construct id and resource name of its ` +
    "webhook are made from the agent's id. The webhook is imported all the same.",
  importOutputExists: (paths: readonly string[]) =>
    `${paths.join(", ")} already ${paths.length === 1 ? "exists" : "exist"}. ${NOTHING_WRITTEN} Pass --force to ` +
    "overwrite, or --out to write elsewhere.",
  importFailed: (reason: string) => `${reason} ${NOTHING_WRITTEN}`,
  importWrote: (paths: readonly string[], count: number, next: string) =>
    `Wrote ${paths.join(", ")}: ${count} webhook(s) to import. ${next} The plan should show "${count} to import" ` +
    "and nothing to add, change or destroy.",
};
