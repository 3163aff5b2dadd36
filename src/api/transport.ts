/**
 * The transport under the API client: one request with its attempts, per-attempt timeouts, the overall
 * deadline, retries with backoff and `Retry-After`, and cancellation. What an answer means (a parsed body or
 * a PreclinicalError) is responses.ts's; the webhook operations are client.ts's.
 */
import type { Dispatcher } from "undici";
import { createAgent } from "./undici";
import { DEFAULT_API_KEY_ENV_VAR, DEFAULT_API_URL } from "./assumptions";
import { ClientErrorCodes, PreclinicalError, PreclinicalNetworkError, redact, type RequestContext } from "./errors";
import { DEFAULT_RETRY_POLICY, backoffDelayMs, parseRetryAfter, type RetryPolicy } from "./retry";
import { canonicalApiUrl } from "./rules";
import type { ApiSchema } from "./schemas";
import {
  UNREACHABLE_CODES,
  apiErrorOf,
  describeNetworkFailure,
  parseResponse,
  type AttemptLimit,
  type RawResponse,
} from "./responses";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../version";

/** How the client reaches the API. */
export interface PreclinicalClientOptions {
  /** The API key (`sk_live_...`). It is sent as a Bearer token and never appears in errors or logs. */
  readonly apiKey: string;
  /**
   * The API base URL, up to and including `/api/v1`.
   * @default "https://app.preclinical.dev/api/v1"
   */
  readonly baseUrl?: string;
  /**
   * The longest one attempt may take, in milliseconds, from connecting to the last byte of the body.
   * @default 10000
   */
  readonly requestTimeoutMs?: number;
  /**
   * The longest one request may take with all its retries and waits, in milliseconds. (A method that makes
   * two requests, such as a create resolved by reading the scope back, can take twice as long.)
   * @default 60000
   */
  readonly deadlineMs?: number;
  /**
   * Overrides of the retry policy.
   * @default - DEFAULT_RETRY_POLICY
   */
  readonly retry?: Partial<RetryPolicy>;
  /**
   * Receives one line per attempt and per retry decision (method, path, status, delay). Never headers or
   * bodies.
   * @default - no debug output
   */
  readonly debug?: (line: string) => void;
  /**
   * Cancels every request of this client when aborted (Terraform's StopProvider on Ctrl-C): in-flight
   * attempts end at once and no retry starts.
   * @default - never cancelled
   */
  readonly signal?: AbortSignal;
}

/**
 * Which failures of a request may be retried:
 * - `always`: every retryable status and network error (reads, PUT, DELETE; and create, which resolves a
 *   duplicate by reading the scope back);
 * - `notApplied`: only answers that prove the server did nothing (429, a refused connection).
 */
export type RetryMode = "always" | "notApplied";

export interface SendOptions<T> {
  readonly query?: Record<string, string>;
  readonly body?: unknown;
  readonly schema?: ApiSchema<T>;
  readonly retryMode?: RetryMode;
  /** Secrets in the request (a webhook secret) that must never appear in an error. */
  readonly secrets?: readonly (string | undefined)[];
}

/** The least time an attempt is started with; less than that left before the deadline ends the retries. */
const MIN_ATTEMPT_MS = 250;

/** Failures that prove a request was never sent: the API was unreachable, or no connection was made in time. */
const NOT_APPLIED_NETWORK_CODES = new Set([...UNREACHABLE_CODES, "UND_ERR_CONNECT_TIMEOUT"]);

/** Sends requests to one API base URL with one key, over one pool of keep-alive connections. */
export class Transport {
  public readonly baseUrl: string;
  /** Receives one line per attempt and retry decision; see PreclinicalClientOptions.debug. */
  public readonly debug: (line: string) => void;
  private readonly apiKey: string;
  private readonly requestTimeoutMs: number;
  private readonly deadlineMs: number;
  private readonly policy: RetryPolicy;
  private readonly dispatcher: Dispatcher;
  private readonly signal: AbortSignal | undefined;
  private closing: Promise<void> | undefined;
  private readonly userAgent = `${PACKAGE_NAME}/${PACKAGE_VERSION} node/${process.versions.node}`;

  constructor(options: PreclinicalClientOptions) {
    if (!options.apiKey || options.apiKey.trim() === "") {
      throw new PreclinicalError(
        ClientErrorCodes.INVALID_CONFIGURATION,
        "No Preclinical API key was given (it is empty). Create one in the Preclinical settings and pass it as " +
          "`apiKey`; the provider and the provisioners read it from the environment variable their settings name " +
          `(${DEFAULT_API_KEY_ENV_VAR} by default).`,
      );
    }
    this.baseUrl = normalizeBaseUrl(options.baseUrl ?? DEFAULT_API_URL);
    this.apiKey = options.apiKey;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
    this.deadlineMs = options.deadlineMs ?? 60_000;
    this.policy = { ...DEFAULT_RETRY_POLICY, ...options.retry };
    this.debug = options.debug ?? (() => undefined);
    this.signal = options.signal;
    // One connection pool per client: requests of one process reuse keep-alive connections.
    this.dispatcher = createAgent({ keepAliveTimeout: 10_000, connections: 8 });
  }

  /** Closes the pooled connections. Closing twice is harmless (undici's own close would throw). */
  public close(): Promise<void> {
    this.closing ??= this.dispatcher.close();
    return this.closing;
  }

  /**
   * One request with retries. undici's RetryAgent does not fit here, for three reasons: a create must know
   * whether an earlier attempt may have been applied (to resolve a later ALREADY_EXISTS by reading the scope
   * back), which the retry handler does not expose; the deadline spans all attempts and waits, and each
   * attempt's timeout is cut to what is left of it; and a test delivery may be retried only on answers that
   * prove nothing was sent (429, a refused connection). The policy itself is plain data (./retry.ts).
   */
  public async send<T>(method: string, path: string, options: SendOptions<T>): Promise<T> {
    const started = Date.now();
    const secrets = [this.apiKey, ...(options.secrets ?? [])];
    const retryMode = options.retryMode ?? "always";
    let uncertain = false;
    // Attempts that count toward maxAttempts: all but the rate-limited ones, when the policy says so.
    let counted = 0;
    for (let attempt = 1; ; attempt++) {
      const ctx: RequestContext = { method, path, attempts: attempt };
      counted++;
      const remaining = this.deadlineMs - (Date.now() - started);
      // The attempt's own limit: requestTimeoutMs, or what the deadline leaves when that is less.
      const limit: AttemptLimit =
        remaining < this.requestTimeoutMs
          ? { ms: Math.max(1, Math.round(remaining)), name: "what the deadlineMs left" }
          : { ms: this.requestTimeoutMs, name: "requestTimeoutMs" };
      let response: RawResponse;
      try {
        this.throwIfCancelled(ctx);
        response = await this.attempt(method, path, options, limit.ms);
      } catch (err) {
        if (err instanceof PreclinicalError) throw err;
        this.throwIfCancelled(ctx);
        const failure = describeNetworkFailure(err, limit);
        const notApplied = NOT_APPLIED_NETWORK_CODES.has(failure.cause);
        uncertain ||= !notApplied && method !== "GET";
        const retryable = this.policy.retryNetworkErrors && (retryMode === "always" || notApplied);
        const reason = redact(failure.reason, secrets);
        const error = new PreclinicalNetworkError(failure.code, ctx, reason, { cause: err });
        await this.waitForRetry(ctx, counted, retryable, undefined, started, `${reason}`, error);
        continue;
      }

      if (response.status >= 200 && response.status < 300) {
        this.debug(`${method} ${path}: ${response.status} (${this.attemptLabel(attempt, counted)})`);
        return parseResponse(ctx, response, options.schema, secrets, this.baseUrl, this.debug);
      }

      const error = apiErrorOf(ctx, response, secrets, uncertain);
      const retryable =
        this.policy.statusCodes.includes(response.status) && (retryMode === "always" || response.status === 429);
      uncertain ||= response.status >= 500 && method !== "GET";
      if (response.status === 429 && this.policy.rateLimitUntilDeadline) counted--;
      await this.waitForRetry(
        ctx,
        counted,
        retryable,
        parseRetryAfter(response.retryAfter),
        started,
        `${response.status}`,
        error,
      );
    }
  }

  /**
   * Waits before the next attempt, or throws `error` when the policy or the deadline says stop. `counted`:
   * the attempts so far that count toward maxAttempts.
   */
  private async waitForRetry(
    ctx: RequestContext,
    counted: number,
    retryable: boolean,
    retryAfterMs: number | undefined,
    started: number,
    what: string,
    error: PreclinicalError,
  ): Promise<void> {
    const label = `${ctx.method} ${ctx.path}: ${what} (${this.attemptLabel(ctx.attempts, counted)})`;
    if (!retryable || counted >= this.policy.maxAttempts) {
      this.debug(`${label}, giving up`);
      throw error;
    }
    const delay = backoffDelayMs(this.policy, ctx.attempts, retryAfterMs);
    const elapsed = Date.now() - started;
    // The next attempt must still have a fair share of time, not a sliver that can only time out.
    const minAttemptMs = Math.min(this.requestTimeoutMs, MIN_ATTEMPT_MS);
    if (elapsed + delay + minAttemptMs > this.deadlineMs) {
      this.debug(`${label}, giving up: the next attempt would pass the ${this.deadlineMs} ms deadline`);
      throw new PreclinicalNetworkError(
        ClientErrorCodes.DEADLINE_EXCEEDED,
        ctx,
        `the ${this.deadlineMs} ms deadline leaves too little time for another attempt ` +
          `(last failure: ${error.message})`,
        { cause: error },
      );
    }
    this.debug(`${label}, retrying in ${delay} ms`);
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, delay);
      this.signal?.addEventListener("abort", done, { once: true });
    });
    this.throwIfCancelled(ctx);
  }

  /** "attempt 2/5", or "attempt 2/5, and 3 rate-limited" when answers 429 were not counted. */
  private attemptLabel(attempts: number, counted: number): string {
    const uncounted = attempts - counted;
    return `attempt ${counted}/${this.policy.maxAttempts}${uncounted > 0 ? `, and ${uncounted} rate-limited` : ""}`;
  }

  /** Throws CANCELLED once the client's signal is aborted. */
  private throwIfCancelled(ctx: RequestContext): void {
    if (this.signal?.aborted) {
      throw new PreclinicalNetworkError(
        ClientErrorCodes.CANCELLED,
        ctx,
        "cancelled: Terraform asked the provider to stop (Ctrl-C or a pipeline timeout). The request may or may " +
          "not have reached the API; run plan again to see where things stand.",
      );
    }
  }

  private async attempt<T>(method: string, path: string, options: SendOptions<T>, timeoutMs: number) {
    const url = new URL(this.baseUrl + path);
    for (const [key, value] of Object.entries(options.query ?? {})) url.searchParams.set(key, value);
    const headers: Record<string, string> = {
      authorization: `Bearer ${this.apiKey}`,
      accept: "application/json",
      "user-agent": this.userAgent,
    };
    let body: string | undefined;
    if (options.body !== undefined) {
      body = JSON.stringify(options.body);
      headers["content-type"] = "application/json";
    }
    const res = await this.dispatcher.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method: method as Dispatcher.HttpMethod,
      headers,
      body,
      signal: this.signal
        ? AbortSignal.any([AbortSignal.timeout(Math.max(1, timeoutMs)), this.signal])
        : AbortSignal.timeout(Math.max(1, timeoutMs)),
    });
    const text = await res.body.text();
    const header = (name: string) => {
      const value = res.headers[name];
      return Array.isArray(value) ? value[0] : value;
    };
    return { status: res.statusCode, text, retryAfter: header("retry-after"), contentType: header("content-type") };
  }
}

function normalizeBaseUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new PreclinicalError(
      ClientErrorCodes.INVALID_CONFIGURATION,
      `The Preclinical API URL ${JSON.stringify(raw)} is not an absolute URL. Use e.g. ${DEFAULT_API_URL}.`,
    );
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    throw new PreclinicalError(
      ClientErrorCodes.INVALID_CONFIGURATION,
      `The Preclinical API URL ${JSON.stringify(raw)} must use https (or http for a local emulator).`,
    );
  }
  return canonicalApiUrl(url.toString());
}
