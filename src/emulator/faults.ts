/** Fault injection: queued faults for the next matching /api/v1 requests, and seeded random ones (chaos). */
import * as z from "zod/mini";
import { ErrorCodes } from "../api/assumptions";
import { emptyResponse, EmulatorError, errorResponse, jsonResponse, type EmulatorResponse } from "./http";

export type FaultKind =
  /**
   * Answer with this status (4xx and 5xx with a JSON error body {error, code}, unless `body` is given);
   * `retryAfter` sets Retry-After verbatim.
   */
  | { kind: "status"; status: number; retryAfter?: string; body?: string }
  /** Wait `ms`, then handle normally. */
  | { kind: "delay"; ms: number }
  /** Destroy the socket without answering; the change is NOT applied. */
  | { kind: "drop" }
  /** Apply the change, then destroy the socket without answering. */
  | { kind: "applyThenDrop" }
  /** Apply the change, then answer `status` (default 500). */
  | { kind: "applyThenFail"; status?: number }
  /** 200 with body "<html>oops</html>" and content-type text/html. */
  | { kind: "notJson" }
  /** 200 with JSON {"unexpected": true}. */
  | { kind: "badSchema" };

export interface FaultSpec {
  /** Matches the request method case-insensitively; any method if absent. */
  readonly method?: string;
  /** The path after /api/v1: a string is a prefix (e.g. "/webhooks"), a RegExp is tested against it. */
  readonly path?: string | RegExp;
  /** How many matching requests get the fault; default 1. */
  readonly times?: number;
  readonly fault: FaultKind;
}

const statusCode = z.int().check(z.gte(200), z.lte(599));

const FaultKindSchema = z.discriminatedUnion("kind", [
  z.strictObject({
    kind: z.literal("status"),
    status: statusCode,
    retryAfter: z.optional(z.string()),
    body: z.optional(z.string()),
  }),
  z.strictObject({ kind: z.literal("delay"), ms: z.int().check(z.gte(0)) }),
  z.strictObject({ kind: z.literal("drop") }),
  z.strictObject({ kind: z.literal("applyThenDrop") }),
  z.strictObject({ kind: z.literal("applyThenFail"), status: z.optional(statusCode) }),
  z.strictObject({ kind: z.literal("notJson") }),
  z.strictObject({ kind: z.literal("badSchema") }),
]);

/** A fault spec as JSON (the control endpoint): `path` can only be a string prefix. */
export const FaultSpecSchema = z.strictObject({
  method: z.optional(z.string()),
  path: z.optional(z.string()),
  times: z.optional(z.int().check(z.positive())),
  fault: FaultKindSchema,
});

/** Throws if `spec` is not a fault the emulator can act out. */
export function validateFaultSpec(spec: FaultSpec): void {
  const { path, ...rest } = spec;
  const result = FaultSpecSchema.safeParse(rest);
  if (!result.success) throw new RangeError(`invalid fault spec: ${z.prettifyError(result.error)}`);
  if (path !== undefined && typeof path !== "string" && !(path instanceof RegExp)) {
    throw new RangeError("invalid fault spec: path must be a string prefix or a RegExp");
  }
}

/**
 * Random faults for soak tests: each request that no queued fault matches gets one of `faults` with
 * probability `rate`, drawn from a seeded generator so that a run can be repeated.
 */
export interface ChaosSpec {
  /** The share of requests that get a fault, from 0 to 1. */
  readonly rate: number;
  /** The faults to draw from, uniformly. */
  readonly faults: readonly FaultKind[];
  /** The seed of the generator. */
  readonly seed: number;
}

/** mulberry32: a small seeded generator, good enough to spread faults. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface QueuedFault {
  readonly spec: FaultSpec;
  remaining: number;
}

export class FaultQueue {
  private queue: QueuedFault[] = [];
  private chaos?: { spec: ChaosSpec; random: () => number };

  /** Turns random faults on (or off, with undefined). */
  setChaos(spec: ChaosSpec | undefined): void {
    if (spec) {
      if (!(spec.rate >= 0 && spec.rate <= 1) || spec.faults.length === 0) {
        throw new RangeError("invalid chaos spec: rate must be 0 to 1 and faults must not be empty");
      }
      spec.faults.forEach((fault) => validateFaultSpec({ fault }));
    }
    this.chaos = spec ? { spec, random: seededRandom(spec.seed) } : undefined;
  }

  add(spec: FaultSpec): void {
    validateFaultSpec(spec);
    this.queue.push({ spec, remaining: spec.times ?? 1 });
  }

  /** Drops queued faults and turns chaos off. */
  clear(): void {
    this.queue = [];
    this.chaos = undefined;
  }

  /** The fault of the first queued spec matching the request, consuming one of its `times`. */
  take(method: string, apiPath: string): FaultKind | undefined {
    const entry = this.queue.find((queued) => matches(queued.spec, method, apiPath));
    if (!entry) return this.chaosFault();
    entry.remaining -= 1;
    if (entry.remaining <= 0) this.queue = this.queue.filter((queued) => queued !== entry);
    return entry.spec.fault;
  }

  private chaosFault(): FaultKind | undefined {
    if (!this.chaos || this.chaos.random() >= this.chaos.spec.rate) return undefined;
    const { faults } = this.chaos.spec;
    return faults[Math.floor(this.chaos.random() * faults.length)];
  }
}

function matches(spec: FaultSpec, method: string, apiPath: string): boolean {
  if (spec.method !== undefined && spec.method.toUpperCase() !== method.toUpperCase()) return false;
  if (spec.path === undefined) return true;
  if (typeof spec.path === "string") return apiPath.startsWith(spec.path);
  spec.path.lastIndex = 0; // a global/sticky RegExp must not remember the previous request
  return spec.path.test(apiPath);
}

/** The answer of a fault that replaces the real response (status, applyThenFail, notJson, badSchema). */
export function faultResponse(fault: FaultKind): EmulatorResponse {
  switch (fault.kind) {
    case "status":
      return statusFaultResponse(fault.status, fault.retryAfter, fault.body);
    case "applyThenFail":
      return statusFaultResponse(fault.status ?? 500);
    case "notJson":
      return { status: 200, rawBody: "<html>oops</html>", contentType: "text/html; charset=utf-8" };
    case "badSchema":
      return jsonResponse(200, { unexpected: true });
    default:
      throw new Error(`fault ${fault.kind} has no response of its own`);
  }
}

function statusFaultResponse(status: number, retryAfter?: string, body?: string): EmulatorResponse {
  const headers: Record<string, string> = retryAfter === undefined ? {} : { "retry-after": retryAfter };
  if (body !== undefined) return { status, rawBody: body, contentType: contentTypeOf(body), headers };
  if (status < 400) return { ...emptyResponse(status), headers };
  return errorResponse(
    new EmulatorError(status, codeForStatus(status), `injected fault: HTTP ${status}`, undefined, headers),
  );
}

function contentTypeOf(body: string): string {
  try {
    JSON.parse(body);
    return "application/json; charset=utf-8";
  } catch {
    return "text/plain; charset=utf-8";
  }
}

/** The API's error code for a status; any status not listed answers INTERNAL_ERROR. */
function codeForStatus(status: number): string {
  const codes: Record<number, string> = {
    400: ErrorCodes.INVALID_FIELD_VALUE,
    401: ErrorCodes.UNAUTHORIZED,
    403: ErrorCodes.FORBIDDEN,
    404: ErrorCodes.NOT_FOUND,
    409: ErrorCodes.ALREADY_EXISTS,
    429: ErrorCodes.RATE_LIMITED,
  };
  return codes[status] ?? ErrorCodes.INTERNAL_ERROR;
}
