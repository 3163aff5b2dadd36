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

  missingApiKey: (envName: string) =>
    `The environment variable ${envName} is not set on the machine that runs terraform. Export the Preclinical ` +
    `API key as ${envName} (in CI, from the pipeline's secret store) and run the deploy again.`,
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
  unauthorized: (envName: string) =>
    `The Preclinical API rejected the API key in ${envName} (401). Check that the key is current and was copied ` +
    "whole (keys start with sk_live_), then run the deploy again.",
  forbidden: (envName: string) =>
    `The API key in ${envName} may not manage webhooks (403). Use a key with webhook permissions.`,
  failedFor: (path: string, what: string, reason: string) => `${path}: could not ${what}: ${reason}`,
  convergeNext: () => "Nothing was lost: fix the cause and run the deploy again; it picks up where this one stopped.",
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
  goneSincePlan: (id: string) =>
    `Webhook ${id} was deleted outside Terraform after this plan was made, so it cannot be updated. Run ` +
    "terraform plan again: it plans to create the webhook anew.",
  writeOnlyNeedsTerraform: (version: string) =>
    "`secret` is a write-only attribute, which needs Terraform 1.11 or later " +
    `(this is ${version || "an older version"}); ` +
    "an older Terraform would store the secret in the plan and the state. Upgrade Terraform, or remove `secret`.",
  secretVersionWithoutSecret: (name = "secret_version") =>
    `\`${name}\` is set but \`secret\` is not: ${name} only says when to send the secret again. Set ` +
    `\`secret\` (from a sensitive variable) or remove \`${name}\`.`,
  importIdRule: (id: string) =>
    `Cannot import ${q(id)}: give a webhook id (a UUID, as the Preclinical UI shows it), "organization" for the ` +
    'organization-level webhook, or "agent/<agent id>" for an agent\'s webhook.',
  importNothingInScope: (agentId: string | null) =>
    `No webhook holds the ${describeScope(agentId)}, so there is nothing to import. Remove the import and let ` +
    "terraform apply create the webhook.",
  importNoSuchWebhook: (id: string) =>
    `No webhook ${id} exists in the organization of this API key. Check the id in the Preclinical UI and that the ` +
    "API key belongs to the same organization.",
  apiCallFailed: (what: string, reason: string) =>
    `Could not ${what}: ${reason}\nNothing else was changed. Fix the cause and run terraform apply again; it ` +
    "picks up where this run stopped.",
  providerSettingUnknown: (name: string) =>
    `The provider's \`${name}\` depends on a value known only after apply, but it names the organization that ` +
    "every plan reads and checks. Use a literal or a variable for it.",
  createUncertain: (agentId: string | null, reason: string) =>
    `Could not confirm the create of the webhook: ${reason}\nThe request may have reached the API. Run terraform ` +
    `plan: if it reports the ${describeScope(agentId)} held by a webhook with this URL, that is the one this ` +
    `apply created; import it (id "${importIdOf(agentId)}") or set adopt_existing = true, and apply again.`,

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
