/**
 * The retry policy of the API client, as plain data with documented defaults, and the pure functions that
 * apply it. Kept apart from the transport so it can be read, configured and tested on its own.
 */

/** Which failures are retried, how often, and how long to wait in between. */
export interface RetryPolicy {
  /**
   * Attempts in all, the first included: `maxAttempts: 5` means at most 4 retries.
   * @default 5
   */
  readonly maxAttempts: number;
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
 * How long to wait before attempt `attempt + 1` (attempt counts from 1). `Retry-After`, when present, wins,
 * capped at `maxRetryAfterMs`; otherwise exponential backoff with full jitter.
 */
export function backoffDelayMs(
  policy: RetryPolicy,
  attempt: number,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxRetryAfterMs);
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(random() * ceiling);
}
