/**
 * Rate limiting per API key, as a rate-limited API does it: a token bucket per key, refilled at
 * `requestsPerSecond`; a request that finds the bucket empty is answered 429 with `Retry-After` (whole
 * seconds until the bucket holds a token again, at least 1) and changes nothing. Off unless configured.
 */
import { ErrorCodes } from "../api/assumptions";
import { EmulatorError, errorResponse, type EmulatorResponse } from "./http";

export interface RateLimitSpec {
  /** Requests per second that one API key may send, sustained. */
  readonly requestsPerSecond: number;
  /**
   * Requests one key may send at once after a quiet spell (the bucket's size).
   * @default - requestsPerSecond, rounded up
   */
  readonly burst?: number;
}

/** Throws if `spec` is not a limit the emulator can apply. */
export function validateRateLimit(spec: RateLimitSpec): void {
  if (!(Number.isFinite(spec.requestsPerSecond) && spec.requestsPerSecond > 0)) {
    throw new RangeError(
      `invalid rate limit: requestsPerSecond must be a number above 0, got ${spec.requestsPerSecond}`,
    );
  }
  if (spec.burst !== undefined && !(Number.isInteger(spec.burst) && spec.burst >= 1)) {
    throw new RangeError(`invalid rate limit: burst must be a whole number of at least 1, got ${spec.burst}`);
  }
}

interface Bucket {
  tokens: number;
  /** When `tokens` was last brought up to date (ms, monotonic). */
  at: number;
}

export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly burst: number;

  constructor(
    readonly spec: RateLimitSpec,
    private readonly now: () => number = () => performance.now(),
  ) {
    validateRateLimit(spec);
    this.burst = spec.burst ?? Math.ceil(spec.requestsPerSecond);
  }

  /** Takes one request's token from `key`'s bucket: undefined when it may go ahead, else the Retry-After in seconds. */
  take(key: string): number | undefined {
    const now = this.now();
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, at: now };
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.spec.requestsPerSecond);
    bucket.at = now;
    this.buckets.set(key, bucket);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return undefined;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.spec.requestsPerSecond));
  }
}

/** The answer to a request over the limit: 429 RATE_LIMITED with Retry-After. */
export function rateLimitedResponse(spec: RateLimitSpec, retryAfterSeconds: number): EmulatorResponse {
  return errorResponse(
    new EmulatorError(
      429,
      ErrorCodes.RATE_LIMITED,
      `rate limit exceeded: at most ${spec.requestsPerSecond} requests per second per API key; ` +
        `retry after ${retryAfterSeconds} s`,
      undefined,
      { "retry-after": String(retryAfterSeconds) },
    ),
  );
}
