/** An API failure as a diagnostic, for every resource and data source of the provider. */
import { ClientErrorCodes, isAgentNotFound, isApiError, isPreclinicalError } from "../../api/errors";
import { messages } from "../../messages";
import { DiagnosticsError, error, type Diagnostic } from "../protocol/definition";

/**
 * An API failure as a diagnostic: a rejected key, an unknown agent and a refused field get their own
 * advice; anything else says what failed and that running again is safe. Client messages are redacted.
 */
export function apiFailure(
  summary: string,
  what: string,
  err: unknown,
  session: { readonly apiKeyEnvVar: string },
  agentId?: string | null,
): DiagnosticsError {
  if (err instanceof DiagnosticsError) return err;
  let diagnostic: Diagnostic;
  if (isApiError(err) && err.status === 401) diagnostic = error(summary, messages.unauthorized(session.apiKeyEnvVar));
  else if (isApiError(err) && err.status === 403) diagnostic = error(summary, messages.forbidden(session.apiKeyEnvVar));
  else if (isAgentNotFound(err)) {
    const named = err.path.startsWith("/agents/") ? decodeURIComponent(err.path.slice("/agents/".length)) : agentId;
    diagnostic = error(summary, messages.agentUnknown(named ?? "(unnamed)"), "agent_id");
  } else if (isPreclinicalError(err) && err.code === ClientErrorCodes.CANCELLED) {
    diagnostic = error(summary, err.message);
  } else {
    const reason = err instanceof Error ? err.message : String(err);
    diagnostic = error(summary, messages.apiCallFailed(what, reason), fieldOf(err));
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
