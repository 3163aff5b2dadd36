/**
 * The `preclinical` provider: its configuration (API URL, the NAME of the variable holding the key,
 * timeouts), the webhook resource, its delivery test and the data sources. The key is read from the
 * environment when Terraform configures the provider, which it does only when a resource or data source needs
 * it (so a plan without webhooks needs no key), and it never enters configuration, state or logs.
 */
import type * as ApiClient from "../api/client";
import { DEFAULT_API_KEY_ENV_VAR, DEFAULT_API_URL } from "../api/assumptions";
import { MAX_TIMEOUT_MS, canonicalApiUrl, rules, validTimeoutMs } from "../api/rules";
import { commandsOf, messages, type UserCommands } from "../messages";
import {
  DiagnosticsError,
  error,
  type BlockSchema,
  type Diagnostic,
  type ProviderDefinition,
} from "./protocol/definition";
import type { Logger } from "./protocol/logger";
import { isPackageIncomplete } from "./package-error";
import { UNKNOWN, known, type ObjectValue } from "./protocol/values";
import { AGENT_TYPE, agentDataSource } from "./agent/agent-data-source";
import { AGENTS_TYPE, agentsDataSource } from "./agent/agents-data-source";
import { WEBHOOK_TYPE } from "./webhook/schema";
import { webhookResource } from "./webhook/resource";
import { WEBHOOK_TEST_TYPE, webhookTestResource } from "./webhook/webhook-test";
import { checkedCreates } from "./webhook/checked-creates";
import { createSession, type Organization, type Session } from "./webhook/session";
import { WEBHOOKS_TYPE, webhooksDataSource } from "./webhook/webhooks-data-source";

export const PROVIDER_SCHEMA: BlockSchema = {
  version: 0,
  description: "Manages Preclinical webhooks through the Preclinical API.",
  attributes: {
    api_url: {
      type: "string",
      optional: true,
      description: `The API base URL, up to and including /api/v1. Defaults to ${DEFAULT_API_URL}.`,
    },
    api_key_env_var: {
      type: "string",
      optional: true,
      description:
        `The environment variable that holds the API key on the machine that runs terraform (default ` +
        `${DEFAULT_API_KEY_ENV_VAR}). The key itself is never part of the configuration or the state.`,
    },
    request_timeout_ms: {
      type: "number",
      optional: true,
      description: `The longest one API attempt may take, in milliseconds (1 to ${MAX_TIMEOUT_MS}). Defaults to 10000.`,
    },
    deadline_ms: {
      type: "number",
      optional: true,
      description:
        "The longest one API request may take with its retries, in milliseconds " +
        `(1 to ${MAX_TIMEOUT_MS}). Defaults to 60000.`,
    },
  },
};

export function preclinicalProvider(log: Logger, env: NodeJS.ProcessEnv = process.env): ProviderDefinition {
  const stopping = new AbortController();
  const commands = commandsOf(env);
  let settings: ObjectValue | undefined;
  /** One session per API URL: the configured one, and those of webhooks recorded elsewhere (resource.ts). */
  const sessions = new Map<string, Session>();

  const configured = (): ObjectValue => {
    if (!settings) {
      throw new DiagnosticsError([
        error("Provider not configured", "Terraform called the resource before configuring the provider; run again."),
      ]);
    }
    return settings;
  };

  const organization = (): Organization => {
    const apiUrl = known<string>(configured().api_url);
    return { apiUrl: canonicalApiUrl(apiUrl ?? DEFAULT_API_URL), apiUrlConfigured: apiUrl !== undefined, commands };
  };

  const sessionAt = (apiUrl: string = organization().apiUrl): Session => {
    const existing = sessions.get(apiUrl);
    if (existing) return existing;
    const config = configured();
    const apiKeyEnvVar = keyVariableOf(config);
    const apiKey = env[apiKeyEnvVar];
    if (!apiKey || apiKey.trim() === "") throw new DiagnosticsError([missingKey(apiKeyEnvVar, commands)]);
    log.addSecret(apiKey);
    const { PreclinicalClient } = apiClientModule();
    const client = new PreclinicalClient({
      apiKey,
      baseUrl: apiUrl,
      requestTimeoutMs: known<number>(config.request_timeout_ms),
      deadlineMs: known<number>(config.deadline_ms),
      debug: (line) => log.debug(line),
      signal: stopping.signal,
    });
    const session = createSession(client, apiKeyEnvVar, commands, checkedCreates(client.baseUrl, apiKey, env));
    sessions.set(apiUrl, session);
    return session;
  };

  return {
    typeName: "preclinical",
    schema: PROVIDER_SCHEMA,
    resources: {
      [WEBHOOK_TYPE]: webhookResource(sessionAt, organization),
      [WEBHOOK_TEST_TYPE]: webhookTestResource(() => sessionAt()),
    },
    dataSources: {
      [AGENT_TYPE]: agentDataSource(() => sessionAt()),
      [AGENTS_TYPE]: agentsDataSource(() => sessionAt()),
      [WEBHOOKS_TYPE]: webhooksDataSource(() => sessionAt()),
    },
    validate: validateProviderConfig,
    async configure(config) {
      const diagnostics = validateProviderConfig(config);
      if (diagnostics.some((d) => d.severity === "error")) return diagnostics;
      settings = config;
      // Terraform configures the provider once per run, and only when a resource needs it: a missing key is
      // said here once, not once per webhook.
      const apiKeyEnvVar = keyVariableOf(config);
      if (!env[apiKeyEnvVar]?.trim()) return [...diagnostics, missingKey(apiKeyEnvVar, commands)];
      return diagnostics;
    },
    async stop() {
      log.debug("stop requested: cancelling requests in flight");
      stopping.abort();
    },
  };
}

const keyVariableOf = (config: ObjectValue) => known<string>(config.api_key_env_var) ?? DEFAULT_API_KEY_ENV_VAR;

let apiClient: { module: typeof ApiClient } | { failure: unknown } | undefined;

/**
 * The API client, loaded on the first API call: undici and the schemas cost start-up time that the schema and
 * validate calls of Terraform's other provider processes need not pay. A load that failed fails every call the
 * same way: the bundle runs a module's body once, so a second require would return it half made.
 */
function apiClientModule(): typeof ApiClient {
  if (!apiClient) {
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      apiClient = { module: require("../api/client") as typeof ApiClient };
    } catch (failure) {
      apiClient = { failure };
    }
  }
  if ("module" in apiClient) return apiClient.module;
  if (isPackageIncomplete(apiClient.failure))
    throw new DiagnosticsError([
      error("The Preclinical provider is installed incompletely", apiClient.failure.message),
    ]);
  throw apiClient.failure;
}

const missingKey = (apiKeyEnvVar: string, commands: UserCommands) =>
  error("No Preclinical API key", messages.missingApiKey(apiKeyEnvVar, commands));

function validateProviderConfig(config: ObjectValue): Diagnostic[] {
  const out: Diagnostic[] = [];
  // The organization must be known to plan: an unknown URL must not quietly mean the default one.
  for (const name of ["api_url", "api_key_env_var"]) {
    if (config[name] === UNKNOWN)
      out.push(error("Value known only after apply", messages.providerSettingUnknown(name), name));
  }
  const apiUrl = known<string>(config.api_url);
  if (apiUrl !== undefined && !rules.apiUrl(apiUrl)) {
    out.push(error("Invalid attribute value", messages.apiUrlRule(apiUrl, "api_url"), "api_url"));
  }
  const envVar = known<string>(config.api_key_env_var);
  if (envVar !== undefined && !rules.apiKeyEnvVar(envVar)) {
    out.push(error("Invalid attribute value", messages.apiKeyEnvVarRule(envVar, "api_key_env_var"), "api_key_env_var"));
  }
  for (const name of ["request_timeout_ms", "deadline_ms"]) {
    const value = known<number>(config[name]);
    if (value !== undefined && !validTimeoutMs(value)) {
      out.push(error("Invalid attribute value", messages.timeoutRule(name, value), name));
    }
  }
  return out;
}
