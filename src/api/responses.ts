/**
 * What an answer means: a 2xx body checked against its schema, or an error answer turned into a
 * PreclinicalApiError, or a failed connection described with what to do. Every text quoted from an answer is
 * masked for the request's secrets before it is quoted or cut.
 */
import { DELETE_SUCCESS_STATUS } from "./assumptions";
import { ClientErrorCodes, PreclinicalApiError, PreclinicalResponseError, redact, type RequestContext } from "./errors";
import { ApiErrorBodySchema, type ApiErrorBody, type ApiSchema } from "./schemas";

/** An answer as the transport read it. */
export interface RawResponse {
  readonly status: number;
  readonly text: string;
  readonly retryAfter: string | undefined;
  readonly contentType: string | undefined;
}

/** The body of a 2xx answer, checked against `schema` (undefined when the operation expects none). */
export function parseResponse<T>(
  ctx: RequestContext,
  response: RawResponse,
  schema: ApiSchema<T> | undefined,
  secrets: readonly (string | undefined)[],
  baseUrl: string,
  debug: (line: string) => void,
): T {
  if (!schema) {
    if (ctx.method === "DELETE" && response.status !== DELETE_SUCCESS_STATUS) {
      debug(`${ctx.method} ${ctx.path}: answered ${response.status} instead of ${DELETE_SUCCESS_STATUS}`);
    }
    return undefined as T;
  }
  let json: unknown;
  try {
    json = JSON.parse(response.text);
  } catch {
    throw new PreclinicalResponseError(
      { ...ctx, status: response.status },
      `a body that is not JSON (content-type ${response.contentType ?? "none"}, starts ${excerpt(
        redact(response.text, secrets),
      )}). Check that the API URL ${baseUrl} points at the Preclinical API and ends in /api/v1.`,
    );
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const summary = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join(".") || "(body)"}: ${i.message}`)
      .join("; ");
    throw new PreclinicalResponseError(
      { ...ctx, status: response.status },
      `a body that does not match the documented schema (${summary}). Check that the API URL ${baseUrl} ` +
        "points at the Preclinical API; if it does, the API has changed and this library needs an update.",
      parsed.error.issues,
    );
  }
  return parsed.data;
}

/** The error an answer other than 2xx stands for. */
export function apiErrorOf(
  ctx: RequestContext,
  response: RawResponse,
  secrets: readonly (string | undefined)[],
  uncertain: boolean,
) {
  let body: ApiErrorBody | undefined;
  try {
    const parsed = ApiErrorBodySchema.safeParse(JSON.parse(response.text));
    if (parsed.success) body = parsed.data;
  } catch {
    // Not JSON: a proxy or load balancer answered. Fall through to the status text.
  }
  // Mask first, then quote and cut: a secret must not survive in escaped or truncated form.
  const fallback =
    response.text.trim() === "" ? "(empty body)" : `(non-API body: ${excerpt(redact(response.text, secrets))})`;
  return new PreclinicalApiError({
    ...ctx,
    status: response.status,
    code: body?.code ?? `HTTP_${response.status}`,
    apiMessage: redact(body?.error ?? fallback, secrets),
    details: body?.details,
    afterUncertainAttempt: uncertain,
  });
}

/** The start of a body, quoted, for messages. Callers redact before calling. */
function excerpt(text: string, max = 80): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
}

/** Connection failures that mean the API was never reached: the runner's network or the API URL is wrong. */
export const UNREACHABLE_CODES: ReadonlySet<string> = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN"]);

/** How long one attempt may take, and which setting set that. */
export interface AttemptLimit {
  readonly ms: number;
  readonly name: "requestTimeoutMs" | "what the deadlineMs left";
}

export function describeNetworkFailure(err: unknown, limit: AttemptLimit) {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") {
    return {
      code: ClientErrorCodes.TIMEOUT,
      cause: "TIMEOUT",
      reason: `no answer within ${limit.ms} ms (${limit.name}). The API is slow or unreachable; try again later.`,
    };
  }
  const cause = e?.code ?? e?.cause?.code ?? "UNKNOWN";
  const hint = UNREACHABLE_CODES.has(cause)
    ? "the API cannot be reached. Check the API URL and the runner's network access."
    : "the connection was lost. It is safe to run again.";
  return { code: ClientErrorCodes.NETWORK_ERROR, cause, reason: `${cause} (${e?.message ?? "no message"}): ${hint}` };
}
