/** What a configured provider hands its resources: the API client and the shared view of the organization. */
import type { PreclinicalClient } from "../../api/client";
import {
  ClientErrorCodes,
  PreclinicalNetworkError,
  PreclinicalResponseError,
  isAgentNotFound,
  isApiError,
  isPreclinicalError,
} from "../../api/errors";
import { COMMANDS, messages, type UserCommands } from "../../messages";
import { DiagnosticsError, error, type Diagnostic } from "../protocol/definition";
import { WebhookDirectory } from "./directory";

export interface Session {
  readonly client: PreclinicalClient;
  readonly directory: WebhookDirectory;
  /** The name of the environment variable the key came from, for messages. */
  readonly apiKeyEnvVar: string;
  /** The commands the user runs (cdktf or terraform), for advice. */
  readonly commands: UserCommands;
}

/** Where the provider's configuration points, known without the API key. */
export interface Organization {
  /** The API URL, canonical (rules.ts canonicalApiUrl): as the client sends requests and state records it. */
  readonly apiUrl: string;
  /**
   * Whether the configuration names the API URL. Terraform's implied configuration of a provider block that
   * left the configuration with its last resource names nothing, and would mean the default URL.
   */
  readonly apiUrlConfigured: boolean;
  /** The commands the user runs (cdktf or terraform), for advice. */
  readonly commands?: UserCommands;
}

export function createSession(
  client: PreclinicalClient,
  apiKeyEnvVar: string,
  commands: UserCommands = COMMANDS.either,
): Session {
  return { client, directory: new WebhookDirectory(() => client), apiKeyEnvVar, commands };
}

/**
 * The request a failure is about, as a diagnostic's title names it: "GET /agents/{id} failed". Ids in the
 * path are shown as {id} (the detail has the whole path); undefined when no request failed.
 */
export function failedOperation(err: unknown): string | undefined {
  if (!isApiError(err) && !(err instanceof PreclinicalNetworkError) && !(err instanceof PreclinicalResponseError))
    return undefined;
  const path = err.path.split("?")[0].replace(/^\/(webhooks|agents)\/[^/]+/, "/$1/{id}");
  return `${err.method} ${path} failed`;
}

/**
 * An API failure as a diagnostic: a rejected key, an unknown agent and a refused field get their own
 * advice; anything else says what failed and that running again is safe. Client messages are redacted.
 */
export function apiFailure(
  summary: string,
  what: string,
  err: unknown,
  session: Session,
  agentId?: string | null,
): DiagnosticsError {
  if (err instanceof DiagnosticsError) return err;
  // The title names the request that failed, when one did (not when the user stopped it); `summary` says
  // what was being done otherwise.
  const cancelled = isPreclinicalError(err) && err.code === ClientErrorCodes.CANCELLED;
  const title = (!cancelled && failedOperation(err)) || summary;
  const { baseUrl: apiUrl } = session.client;
  const { commands } = session;
  let diagnostic: Diagnostic;
  if (isApiError(err) && err.status === 401) {
    diagnostic = error(title, messages.unauthorized(session.apiKeyEnvVar, apiUrl, commands));
  } else if (isApiError(err) && err.status === 403) diagnostic = error(title, messages.forbidden(session.apiKeyEnvVar));
  else if (isAgentNotFound(err)) {
    const named = err.path.startsWith("/agents/") ? decodeURIComponent(err.path.slice("/agents/".length)) : agentId;
    diagnostic = error(title, messages.agentUnknown(named ?? "(unnamed)"), "agent_id");
  } else if (cancelled) {
    diagnostic = error(title, err.message);
  } else {
    const reason = err instanceof Error ? err.message : String(err);
    const unreachable = err instanceof PreclinicalNetworkError;
    diagnostic = error(title, messages.apiCallFailed(what, reason, { apiUrl, unreachable, commands }), fieldOf(err));
  }
  return new DiagnosticsError([diagnostic]);
}

/** The attribute an API validation error names in its details, when it names one we have. */
function fieldOf(err: unknown): string | undefined {
  if (!isApiError(err) || typeof err.details !== "object" || err.details === null) return undefined;
  const field = (err.details as { field?: unknown }).field;
  return typeof field === "string" && ["url", "description", "agent_id", "is_enabled", "secret"].includes(field)
    ? field
    : undefined;
}
