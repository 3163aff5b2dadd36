/**
 * The provisioner engine: a webhook is two resources whose provisioners run the bundled CLI (../provisioner)
 * at apply time, and the stack's ledger deletes the webhooks of removed constructs.
 * - `scope`, keyed only by the scope (API, key variable, agent). Its create provisioner claims the scope
 *   (fails when a webhook this stack did not create holds it, unless `adoptExisting`); its destroy
 *   provisioner deletes the scope's webhook. It is replaced only when the scope changes.
 * - `config`, keyed by every declared field. Its create provisioner converges the scope's webhook to the
 *   declared fields: PUT when the scope holds one (an in-place update, same id), POST otherwise. Any change
 *   replaces it, which is how an update reaches the API: Terraform runs no provisioner on an update.
 */
import type { Construct } from "constructs";
import { Fn, type TerraformResource } from "cdktf";
import { Env, ProvisionerCommand, Trigger, type LedgerEntry } from "../provisioner/protocol";
import type { WebhookSpec } from "./engine";
import { PreclinicalLedger } from "./ledger";
import { carrierResource, selfTrigger } from "./resources";
import { escapeTemplate } from "./hcl";

const ORGANIZATION_SCOPE = "";

export interface ProvisionerResources {
  readonly scopeResource: TerraformResource;
  readonly configResource: TerraformResource;
}

/** Declares a webhook on the provisioner engine and records its scope in the stack's ledger. */
export function declareWithProvisioners(
  scope: Construct,
  spec: WebhookSpec,
  ledgerEntry: LedgerEntry,
): ProvisionerResources {
  const settings = spec.settings;
  const apiUrl = escapeTemplate(settings.apiUrl);
  const scopeTriggers: Record<string, string> = {
    [Trigger.API_URL]: apiUrl,
    [Trigger.API_KEY_ENV_VAR]: settings.apiKeyEnvVar,
    [Trigger.AGENT_ID]: spec.agentId ?? ORGANIZATION_SCOPE,
  };
  const connectionEnv = {
    [Env.API_URL]: apiUrl,
    [Env.API_KEY_ENV_VAR]: settings.apiKeyEnvVar,
    [Env.PATH]: escapeTemplate(spec.path),
    ...(settings.requestTimeoutMs ? { [Env.REQUEST_TIMEOUT_MS]: String(settings.requestTimeoutMs) } : {}),
    ...(settings.deadlineMs ? { [Env.DEADLINE_MS]: String(settings.deadlineMs) } : {}),
  };

  const scopeResource = carrierResource(scope, "scope", settings, {
    triggers: scopeTriggers,
    preconditions: spec.preconditions.scope,
    runs: [
      {
        command: ProvisionerCommand.CLAIM,
        when: "create",
        environment: {
          ...connectionEnv,
          [Env.AGENT_ID]: scopeTriggers[Trigger.AGENT_ID],
          [Env.ADOPT_EXISTING]: String(spec.adoptExisting),
        },
      },
      {
        // A destroy provisioner may read only `self`: the scope comes from the state, not the program.
        command: ProvisionerCommand.DELETE,
        when: "destroy",
        environment: {
          ...connectionEnv,
          [Env.API_URL]: selfTrigger(settings.resourceType, Trigger.API_URL),
          [Env.API_KEY_ENV_VAR]: selfTrigger(settings.resourceType, Trigger.API_KEY_ENV_VAR),
          [Env.AGENT_ID]: selfTrigger(settings.resourceType, Trigger.AGENT_ID),
        },
      },
    ],
  });

  const isEnabled = enabledText(spec.isEnabled);
  const configTriggers: Record<string, string> = {
    ...scopeTriggers,
    [Trigger.URL]: spec.url,
    ...(spec.description !== undefined ? { [Trigger.DESCRIPTION]: spec.description } : {}),
    [Trigger.IS_ENABLED]: isEnabled,
    ...(spec.secretFingerprint !== undefined ? { [Trigger.SECRET_FINGERPRINT]: spec.secretFingerprint } : {}),
  };
  const configResource = carrierResource(scope, "config", settings, {
    triggers: configTriggers,
    dependsOn: [scopeResource],
    preconditions: spec.preconditions.fields,
    runs: [
      {
        command: ProvisionerCommand.CONVERGE,
        when: "create",
        environment: {
          ...connectionEnv,
          [Env.AGENT_ID]: scopeTriggers[Trigger.AGENT_ID],
          [Env.URL]: spec.url,
          [Env.IS_ENABLED]: isEnabled,
          ...(spec.description !== undefined ? { [Env.DESCRIPTION]: spec.description } : {}),
          ...(spec.secret !== undefined ? { [Env.SECRET]: spec.secret } : {}),
        },
      },
    ],
  });

  PreclinicalLedger.of(scope, settings).record(spec.path, ledgerEntry);
  return { scopeResource, configResource };
}

function enabledText(value: WebhookSpec["isEnabled"]): string {
  if (typeof value === "boolean") return String(value);
  return Fn.tostring(value);
}
