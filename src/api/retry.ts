/**
 * The retry policy of the API client, as plain data with documented defaults, and the pure functions that
 * apply it. Kept apart from the transport so it can be read, configured and tested on its own.
 */

/** Which failures are retried, how often, and how long to wait in between. */
export interface RetryPolicy {
  /**
   * Attempts in all, the first included: `maxAttempts: 5` means at most 4 retries. Attempts answered 429
   * do not count when `rateLimitUntilDeadline` is set.
   * @default 5
   */
  readonly maxAttempts: number;
  /**
   * Whether a 429 (rate limited) is retried for as long as the deadline allows, without counting toward
   * `maxAttempts`: the API did nothing and said when to come back. Many pipelines sharing one API key can
   * keep a limit busy for longer than five attempts last; the deadline still bounds the wait.
   * @default true
   */
  readonly rateLimitUntilDeadline: boolean;
  /**
   * HTTP statuses that are retried.
   * @default [408, 429, 500, 502, 503, 504]
   */
  readonly statusCodes: readonly number[];
  /**
   * Whether a refused, reset or dropped connection, or an attempt that timed out, is retried.
   * @default true
   */
  readonly retryNetworkErrors: boolean;
  /**
   * The first backoff in milliseconds; attempt n waits a random time up to `baseDelayMs * 2^(n-1)`
   * ("full jitter"), never more than `maxDelayMs`.
   * @default 200
   */
  readonly baseDelayMs: number;
  /**
   * The longest backoff between two attempts, in milliseconds.
   * @default 5000
   */
  readonly maxDelayMs: number;
  /**
   * The longest `Retry-After` the client honours, in milliseconds; a longer one is capped to this.
   * @default 30000
   */
  readonly maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = Object.freeze({
  maxAttempts: 5,
  rateLimitUntilDeadline: true,
  statusCodes: Object.freeze([408, 429, 500, 502, 503, 504]),
  retryNetworkErrors: true,
  baseDelayMs: 200,
  maxDelayMs: 5000,
  maxRetryAfterMs: 30000,
});

/**
 * Parses a `Retry-After` header: delay-seconds or an HTTP date. Returns milliseconds from `now`, or
 * undefined when the header is absent or unreadable. A date in the past means "now" (0).
 */
export function parseRetryAfter(header: string | undefined | null, now: number = Date.now()): number | undefined {
  if (header === undefined || header === null) return undefined;
  const value = header.trim();
  if (value === "") return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
  if (!/[a-z]/i.test(value)) return undefined; // HTTP dates name the day and month; "-1" is no date
  const date = Date.parse(value);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/**
 * How long to wait before attempt `attempt + 1` (attempt counts from 1): exponential backoff with full
 * jitter. `Retry-After`, when present, is the least wait (capped at `maxRetryAfterMs`), and the jitter comes
 * on top of it: clients that were all told "1 second" must not all come back in the same millisecond, or
 * they meet the limit again together.
 */
export function backoffDelayMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  const jitter = Math.round(random() * ceiling);
  return retryAfterMs === undefined ? jitter : Math.min(retryAfterMs, policy.maxRetryAfterMs) + jitter;
}
