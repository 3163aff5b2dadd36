/**
 * HTTP helpers for the emulator's tests: calls to the API and control endpoints of an emulator (by default
 * the test file's shared one, see ./emulator.ts), and the checks every file makes of an error answer.
 */
import { ApiErrorBodySchema } from "../../src/api/schemas";
import { KEY, emulator } from "./emulator";
import { HOOK_URL } from "./inputs";

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body, or undefined when it is empty or not JSON. */
  readonly json: any;
}

export interface CallOptions {
  readonly body?: unknown;
  /** Sent verbatim instead of JSON.stringify(body). */
  readonly rawBody?: string;
  /** The API key; null sends no Authorization header. */
  readonly key?: string | null;
}

/** Calls `path` relative to /api/v1 of `target` (default: the shared emulator). */
export async function call(
  method: string,
  path: string,
  options: CallOptions = {},
  target = emulator,
): Promise<Answer> {
  const key = options.key === undefined ? KEY : options.key;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(`${target.url}${path}`, { method, headers, body });
  return toAnswer(response);
}

/** Calls a control endpoint (no auth). */
export async function control(method: string, path: string, body?: unknown, target = emulator): Promise<Answer> {
  const response = await fetch(`${new URL(target.url).origin}/_emulator${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return toAnswer(response);
}

async function toAnswer(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Expects an error answer: this status and code, and a non-empty message. */
export function expectError(answer: Answer, status: number, code: string): void {
  expect({ status: answer.status, code: answer.json?.code }).toEqual({ status, code });
  expect(ApiErrorBodySchema.parse(answer.json).error.length).toBeGreaterThan(0);
}

/** Creates a webhook through the API, expects 201 and returns the answered webhook. */
export async function createWebhook(
  body: Record<string, unknown> = { url: HOOK_URL },
  target = emulator,
): Promise<any> {
  const answer = await call("POST", "/webhooks", { body }, target);
  expect(answer.status).toBe(201);
  return answer.json;
}
