/**
 * HTTP plumbing of the emulator: the one place where error bodies are shaped and responses are written.
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { ErrorCodes } from "../api/assumptions";

/** Not an API error code: the emulator's answer to a method the path does not support. */
export const METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED";

const MAX_BODY_BYTES = 1024 * 1024;

/**
 * An error answered as `{"error": message, "code": code}` (+ `details`). Handlers throw it; the server
 * turns it into a response. `seedWebhook` throws it too, so tests can read `code`.
 */
export class EmulatorError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = "EmulatorError";
  }
}

/** A response that has not been written yet, so that a fault can still replace it. */
export interface EmulatorResponse {
  readonly status: number;
  /** Written as JSON unless `rawBody` is given. */
  readonly body?: unknown;
  readonly rawBody?: string;
  readonly contentType?: string;
  readonly headers?: Record<string, string>;
}

export function jsonResponse(status: number, body: unknown): EmulatorResponse {
  return { status, body };
}

export function emptyResponse(status: number): EmulatorResponse {
  return { status };
}

export function errorResponse(error: EmulatorError): EmulatorResponse {
  const body: Record<string, unknown> = { error: error.message, code: error.code };
  if (error.details !== undefined) body.details = error.details;
  return { status: error.status, body, headers: error.headers };
}

export function invalidField(field: string, message: string): EmulatorError {
  return new EmulatorError(400, ErrorCodes.INVALID_FIELD_VALUE, message, { field });
}

export function notFound(message: string, code: string = ErrorCodes.NOT_FOUND): EmulatorError {
  return new EmulatorError(404, code, message);
}

/** Writes `response` unless the socket is already gone. */
export function writeResponse(res: ServerResponse, response: EmulatorResponse): void {
  if (res.destroyed || res.writableEnded) return;
  const text = bodyText(response);
  const headers: Record<string, string | number> = { ...response.headers };
  if (text !== undefined) {
    headers["content-type"] = response.contentType ?? "application/json; charset=utf-8";
    headers["content-length"] = Buffer.byteLength(text);
  }
  res.writeHead(response.status, headers);
  res.end(text);
}

function bodyText(response: EmulatorResponse): string | undefined {
  if (response.rawBody !== undefined) return response.rawBody;
  if (response.body === undefined) return undefined;
  return JSON.stringify(response.body);
}

/** Reads the whole request body as UTF-8 text. */
export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    size += buffer.length;
    if (size > MAX_BODY_BYTES) throw invalidField("body", `request body exceeds ${MAX_BODY_BYTES} bytes`);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses a request body that must be a JSON object. */
export function parseJsonObject(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw invalidField("body", "request body is not valid JSON");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw invalidField("body", "request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

/** A handler of one method on one path pattern; `params` are the pattern's capture groups. */
export type Handler<C> = (context: C, params: string[]) => EmulatorResponse | Promise<EmulatorResponse>;

export interface Route<C> {
  readonly pattern: RegExp;
  readonly methods: Readonly<Record<string, Handler<C>>>;
}

/** Finds the handler for `method` and `path`, or throws 404 (no such path) / 405 (no such method). */
export function matchRoute<C>(
  routes: readonly Route<C>[],
  method: string,
  path: string,
): { handler: Handler<C>; params: string[] } {
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    const handler = route.methods[method];
    if (!handler) {
      const allowed = Object.keys(route.methods).join(", ");
      throw new EmulatorError(405, METHOD_NOT_ALLOWED, `method ${method} is not allowed on ${path}`, undefined, {
        allow: allowed,
      });
    }
    return { handler, params: match.slice(1).map(decodePathSegment) };
  }
  throw notFound(`no such path: ${path}`);
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Runs a handler, turning thrown errors into error responses. */
export async function runHandler(run: () => EmulatorResponse | Promise<EmulatorResponse>): Promise<EmulatorResponse> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof EmulatorError) return errorResponse(error);
    const message = error instanceof Error ? error.message : String(error);
    return errorResponse(new EmulatorError(500, ErrorCodes.INTERNAL_ERROR, `emulator bug: ${message}`));
  }
}
