/** An API failure as a diagnostic, for every resource and data source of the provider. */
import {
  ClientErrorCodes,
  PreclinicalNetworkError,
  PreclinicalResponseError,
  isAgentNotFound,
  isApiError,
  isPreclinicalError,
} from "../../api/errors";
import { messages } from "../../messages";
import { DiagnosticsError, error, type Diagnostic } from "../protocol/definition";
import type { OrganizationView } from "./view";

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
 * advice; anything else says what failed and that running again is safe. The title names the request that
 * failed, when one did (not when the user stopped it); `summary` says what was being done otherwise. A
 * network failure shows the API URL the provider reaches. Client messages are redacted.
 */
export function apiFailure(
  summary: string,
  what: string,
  err: unknown,
  session: Pick<OrganizationView, "apiKeyEnvVar" | "client" | "commands">,
  agentId?: string | null,
): DiagnosticsError {
  if (err instanceof DiagnosticsError) return err;
  const cancelled = isPreclinicalError(err) && err.code === ClientErrorCodes.CANCELLED;
  const title = (!cancelled && failedOperation(err)) || summary;
  const { apiKeyEnvVar, commands } = session;
  const apiUrl = session.client.baseUrl;
  let diagnostic: Diagnostic;
  if (isApiError(err) && err.status === 401) {
    diagnostic = error(title, messages.unauthorized(apiKeyEnvVar, apiUrl, commands));
  } else if (isApiError(err) && err.status === 403) diagnostic = error(title, messages.forbidden(apiKeyEnvVar));
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
