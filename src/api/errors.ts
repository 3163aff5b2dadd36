/**
 * The error hierarchy of the API client. Every error has a stable machine `code` and a message that stands
 * alone ("PUT /webhooks/{id} failed: 404 NOT_FOUND Webhook not found"). Messages never contain the API key
 * or a webhook secret: the client redacts both from anything the server echoes back.
 */
import type { core } from "zod/mini";
import { ErrorCodes } from "./assumptions";

/** Base class of every error the client throws. */
export class PreclinicalError extends Error {
  /** A stable machine code: the API's `code` for API errors, otherwise one of the client's own codes. */
  public readonly code: string;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Where a request went, for error context. The path never carries a secret. */
export interface RequestContext {
  readonly method: string;
  readonly path: string;
  /** How many attempts were made before giving up (1 when no retry happened). */
  readonly attempts: number;
}

/** The API answered with an error status. `code` is the API's error code (or `HTTP_<status>` without one). */
export class PreclinicalApiError extends PreclinicalError {
  public readonly status: number;
  public readonly method: string;
  public readonly path: string;
  public readonly attempts: number;
  /** The API's own message (redacted). */
  public readonly apiMessage: string;
  /** The API's `details` object, when it sent one. */
  public readonly details: unknown;
  /** True when an earlier attempt of the same request may have been applied by the server. */
  public readonly afterUncertainAttempt: boolean;

  constructor(
    ctx: RequestContext & {
      status: number;
      code: string;
      apiMessage: string;
      details?: unknown;
      afterUncertainAttempt?: boolean;
    },
  ) {
    const tries = ctx.attempts > 1 ? ` (after ${ctx.attempts} attempts)` : "";
    super(ctx.code, `${ctx.method} ${ctx.path} failed: ${ctx.status} ${ctx.code} ${ctx.apiMessage}${tries}`);
    this.status = ctx.status;
    this.method = ctx.method;
    this.path = ctx.path;
    this.attempts = ctx.attempts;
    this.apiMessage = ctx.apiMessage;
    this.details = ctx.details;
    this.afterUncertainAttempt = ctx.afterUncertainAttempt ?? false;
  }
}

/** Client codes for failures that are not API error answers. */
export const ClientErrorCodes = {
  /** The connection failed or was reset, and retries did not help. */
  NETWORK_ERROR: "NETWORK_ERROR",
  /** One attempt took longer than `requestTimeoutMs`, and retries did not help. */
  TIMEOUT: "TIMEOUT",
  /** The overall `deadlineMs` passed before the request succeeded. */
  DEADLINE_EXCEEDED: "DEADLINE_EXCEEDED",
  /** The API answered 2xx with a body that is not JSON or does not match the documented schema. */
  INVALID_RESPONSE: "INVALID_RESPONSE",
  /** The client was configured wrongly (no API key, a base URL that is not a URL). */
  INVALID_CONFIGURATION: "INVALID_CONFIGURATION",
  /** The caller cancelled the request (the provider was asked to stop). */
  CANCELLED: "CANCELLED",
  /** The API broke one of its documented rules (two webhooks in one scope). */
  API_CONTRACT_VIOLATION: "API_CONTRACT_VIOLATION",
} as const;

/** The request never got an API answer: connection refused or reset, timeout, deadline. */
export class PreclinicalNetworkError extends PreclinicalError {
  public readonly method: string;
  public readonly path: string;
  public readonly attempts: number;

  constructor(code: string, ctx: RequestContext, reason: string, options?: { cause?: unknown }) {
    const tries = ctx.attempts > 1 ? ` after ${ctx.attempts} attempts` : "";
    super(code, `${ctx.method} ${ctx.path} failed${tries}: ${reason}`, options);
    this.method = ctx.method;
    this.path = ctx.path;
    this.attempts = ctx.attempts;
  }
}

/** The API answered 2xx but the body is not what the documentation describes. Keeps zod's issues. */
export class PreclinicalResponseError extends PreclinicalError {
  public readonly method: string;
  public readonly path: string;
  public readonly status: number;
  public readonly issues: readonly core.$ZodIssue[];

  constructor(ctx: RequestContext & { status: number }, reason: string, issues: readonly core.$ZodIssue[] = []) {
    super(ClientErrorCodes.INVALID_RESPONSE, `${ctx.method} ${ctx.path} returned ${ctx.status} with ${reason}`);
    this.method = ctx.method;
    this.path = ctx.path;
    this.status = ctx.status;
    this.issues = issues;
  }
}

export function isPreclinicalError(err: unknown): err is PreclinicalError {
  return err instanceof PreclinicalError;
}

export function isApiError(err: unknown): err is PreclinicalApiError {
  return err instanceof PreclinicalApiError;
}

/** A webhook (or other object) that does not exist, or belongs to another organization. */
export function isNotFound(err: unknown): err is PreclinicalApiError {
  return isApiError(err) && err.code === ErrorCodes.NOT_FOUND;
}

/** The scope (organization-level, or one agent) already holds a webhook. */
export function isAlreadyExists(err: unknown): err is PreclinicalApiError {
  return isApiError(err) && err.code === ErrorCodes.ALREADY_EXISTS;
}

/**
 * An unknown agent. The documentation allows 400 or 404 with `NOT_FOUND` or `AGENT_NOT_FOUND` for an unknown
 * `agent_id` on create: all four combinations count, as does either code from `GET /agents/{id}`.
 */
export function isAgentNotFound(err: unknown): err is PreclinicalApiError {
  if (!isApiError(err) || (err.status !== 400 && err.status !== 404)) return false;
  if (err.code === ErrorCodes.AGENT_NOT_FOUND) return true;
  const aboutAgent = (err.method === "POST" && err.path === "/webhooks") || err.path.startsWith("/agents/");
  return err.code === ErrorCodes.NOT_FOUND && aboutAgent;
}

/** Replaces every occurrence of each secret in `text` with `[REDACTED]`. Empty secrets are ignored. */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret) out = out.split(secret).join("[REDACTED]");
  }
  return out;
}
