/**
 * The typed Preclinical API client: one method per documented operation, zod-checked bodies, retries with
 * backoff and `Retry-After`, a per-attempt timeout and an overall deadline, and connection reuse.
 *
 * All network I/O of the library goes through `PreclinicalClient.send`, so tests can point the client at
 * the emulator and count what it sends.
 */
import type { Dispatcher } from "undici";
import { createAgent } from "./transport";
import { DEFAULT_API_URL, DELETE_SUCCESS_STATUS } from "./assumptions";
import {
  ClientErrorCodes,
  PreclinicalApiError,
  PreclinicalError,
  PreclinicalNetworkError,
  PreclinicalResponseError,
  isAlreadyExists,
  redact,
  type RequestContext,
} from "./errors";
import { DEFAULT_RETRY_POLICY, backoffDelayMs, parseRetryAfter, type RetryPolicy } from "./retry";
import {
  AgentSchema,
  ApiErrorBodySchema,
  CreateWebhookRequestSchema,
  TestDeliveryResultSchema,
  UpdateWebhookRequestSchema,
  WebhookListSchema,
  WebhookSchema,
  type Agent,
  type ApiErrorBody,
  type ApiSchema,
  type CreateWebhookRequest,
  type TestDeliveryResult,
  type UpdateWebhookRequest,
  type Webhook,
} from "./schemas";
import { PACKAGE_NAME, PACKAGE_VERSION } from "../version";
import { sameAsRequested, scopeHolder } from "./scope";

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
type RetryMode = "always" | "notApplied";

interface SendOptions<T> {
  readonly query?: Record<string, string>;
  readonly body?: unknown;
  readonly schema?: ApiSchema<T>;
  readonly retryMode?: RetryMode;
  /** Secrets in the request (a webhook secret) that must never appear in an error. */
  readonly secrets?: readonly (string | undefined)[];
}

interface RawResponse {
  readonly status: number;
  readonly text: string;
  readonly retryAfter: string | undefined;
  readonly contentType: string | undefined;
}

/** The least time an attempt is started with; less than that left before the deadline ends the retries. */
const MIN_ATTEMPT_MS = 250;

const NOT_APPLIED_NETWORK_CODES = new Set(["ECONNREFUSED", "UND_ERR_CONNECT_TIMEOUT", "ENOTFOUND", "EAI_AGAIN"]);

export class PreclinicalClient {
  public readonly baseUrl: string;
  private readonly apiKey: string;
  private readonly requestTimeoutMs: number;
  private readonly deadlineMs: number;
  private readonly policy: RetryPolicy;
  private readonly debug: (line: string) => void;
  private readonly dispatcher: Dispatcher;
  private readonly signal: AbortSignal | undefined;
  private readonly userAgent = `${PACKAGE_NAME}/${PACKAGE_VERSION} node/${process.versions.node}`;

  constructor(options: PreclinicalClientOptions) {
    if (!options.apiKey || options.apiKey.trim() === "") {
      throw new PreclinicalError(
        ClientErrorCodes.INVALID_CONFIGURATION,
        "No Preclinical API key was given (it is empty). Create one in the Preclinical settings and pass it as " +
          "`apiKey`; the provisioner reads it from the environment variable its connection names " +
          "(PRECLINICAL_API_KEY by default).",
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

  /** Lists the organization's webhooks, or only the one of an agent. */
  public async listWebhooks(filter: { agentId?: string } = {}): Promise<Webhook[]> {
    const query = filter.agentId ? { agent_id: filter.agentId } : undefined;
    const list = await this.send("GET", "/webhooks", { query, schema: WebhookListSchema });
    // The list is documented without paging. A partial organization-wide list would make an occupied scope
    // look free, or a webhook to delete look gone: refuse it rather than act on it. (A filtered list holds at
    // most one webhook, and what its `total` counts is not documented.)
    if (!query && list.total !== undefined && list.total > list.webhooks.length) {
      throw new PreclinicalError(
        ClientErrorCodes.API_CONTRACT_VIOLATION,
        `GET /webhooks returned ${list.webhooks.length} of ${list.total} webhooks: the API now pages this list, ` +
          "which this library version does not read. Nothing was changed; upgrade cdktf-preclinical-webhooks.",
      );
    }
    return list.webhooks;
  }

  /** Reads one webhook. Throws NOT_FOUND for an unknown id or another organization's webhook. */
  public getWebhook(id: string): Promise<Webhook> {
    return this.send("GET", `/webhooks/${encodeURIComponent(id)}`, { schema: WebhookSchema });
  }

  /**
   * Creates a webhook. A retry of a create whose first answer was lost, answered ALREADY_EXISTS, is resolved
   * by reading the scope back: when that webhook is the one asked for, it is returned as created.
   */
  public async createWebhook(input: CreateWebhookRequest): Promise<Webhook> {
    const body = CreateWebhookRequestSchema.parse(input);
    try {
      return await this.send("POST", "/webhooks", { body, schema: WebhookSchema, secrets: [body.secret] });
    } catch (err) {
      if (isAlreadyExists(err) && err.afterUncertainAttempt) {
        const existing = await this.findScopeWebhook(body.agent_id ?? null);
        if (existing && sameAsRequested(existing, body)) {
          this.debug(`POST /webhooks: an earlier attempt had created ${existing.id}; using it`);
          return existing;
        }
      }
      throw err;
    }
  }

  /** Changes some fields of a webhook; `updated_at` moves. */
  public updateWebhook(id: string, input: UpdateWebhookRequest): Promise<Webhook> {
    const body = UpdateWebhookRequestSchema.parse(input);
    return this.send("PUT", `/webhooks/${encodeURIComponent(id)}`, {
      body,
      schema: WebhookSchema,
      secrets: [body.secret],
    });
  }

  /** Deletes a webhook. Throws NOT_FOUND when it is already gone. */
  public async deleteWebhook(id: string): Promise<void> {
    await this.send("DELETE", `/webhooks/${encodeURIComponent(id)}`, {});
  }

  /** Asks Preclinical to send a test delivery. A failed delivery is `success: false`, not an error. */
  public testWebhook(id: string): Promise<TestDeliveryResult> {
    return this.send("POST", `/webhooks/${encodeURIComponent(id)}/test`, {
      schema: TestDeliveryResultSchema,
      retryMode: "notApplied",
    });
  }

  /** Reads an agent. Throws an error that `isAgentNotFound` recognises for an unknown agent. */
  public getAgent(id: string): Promise<Agent> {
    return this.send("GET", `/agents/${encodeURIComponent(id)}`, { schema: AgentSchema });
  }

  /**
   * The webhook that holds a scope: the organization-level one (`agentId` null) or an agent's. Filters
   * locally as well, so a server that ignores the `agent_id` filter is still read correctly.
   */
  public async findScopeWebhook(agentId: string | null): Promise<Webhook | undefined> {
    return scopeHolder(await this.listWebhooks(agentId ? { agentId } : {}), agentId);
  }

  /** Closes the pooled connections. */
  public close(): Promise<void> {
    return this.dispatcher.close();
  }

  /**
   * One request with retries. undici's RetryAgent does not fit here, for three reasons: a create must know
   * whether an earlier attempt may have been applied (to resolve a later ALREADY_EXISTS by reading the scope
   * back), which the retry handler does not expose; the deadline spans all attempts and waits, and each
   * attempt's timeout is cut to what is left of it; and a test delivery may be retried only on answers that
   * prove nothing was sent (429, a refused connection). The policy itself is plain data (./retry.ts).
   */
  private async send<T>(method: string, path: string, options: SendOptions<T>): Promise<T> {
    const started = Date.now();
    const secrets = [this.apiKey, ...(options.secrets ?? [])];
    const retryMode = options.retryMode ?? "always";
    let uncertain = false;
    for (let attempt = 1; ; attempt++) {
      const ctx: RequestContext = { method, path, attempts: attempt };
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
        await this.waitForRetry(ctx, retryable, undefined, started, `${reason}`, error);
        continue;
      }

      if (response.status >= 200 && response.status < 300) {
        this.debug(`${method} ${path}: ${response.status} (attempt ${attempt}/${this.policy.maxAttempts})`);
        return this.parse(ctx, response, options.schema, secrets);
      }

      const error = this.apiError(ctx, response, secrets, uncertain);
      const retryable =
        this.policy.statusCodes.includes(response.status) && (retryMode === "always" || response.status === 429);
      uncertain ||= response.status >= 500 && method !== "GET";
      await this.waitForRetry(
        ctx,
        retryable,
        parseRetryAfter(response.retryAfter),
        started,
        `${response.status}`,
        error,
      );
    }
  }

  /** Waits before the next attempt, or throws `error` when the policy or the deadline says stop. */
  private async waitForRetry(
    ctx: RequestContext,
    retryable: boolean,
    retryAfterMs: number | undefined,
    started: number,
    what: string,
    error: PreclinicalError,
  ): Promise<void> {
    const label = `${ctx.method} ${ctx.path}: ${what} (attempt ${ctx.attempts}/${this.policy.maxAttempts})`;
    if (!retryable || ctx.attempts >= this.policy.maxAttempts) {
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
        `the ${this.deadlineMs} ms deadline leaves too little time for another attempt (last failure: ${error.message})`,
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

  private parse<T>(
    ctx: RequestContext,
    response: RawResponse,
    schema: ApiSchema<T> | undefined,
    secrets: readonly (string | undefined)[],
  ): T {
    if (!schema) {
      if (ctx.method === "DELETE" && response.status !== DELETE_SUCCESS_STATUS) {
        this.debug(`${ctx.method} ${ctx.path}: answered ${response.status} instead of ${DELETE_SUCCESS_STATUS}`);
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
        )}). Check that the API URL ${this.baseUrl} points at the Preclinical API and ends in /api/v1.`,
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
        `a body that does not match the documented schema (${summary}). Check that the API URL ${this.baseUrl} ` +
          "points at the Preclinical API; if it does, the API has changed and this library needs an update.",
        parsed.error.issues,
      );
    }
    return parsed.data;
  }

  private apiError(
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
}

/** The start of a body, quoted, for messages. Callers redact before calling. */
function excerpt(text: string, max = 80): string {
  return JSON.stringify(text.length > max ? `${text.slice(0, max)}…` : text);
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
  return url.toString().replace(/\/+$/, "");
}

/** How long one attempt may take, and which setting set that. */
interface AttemptLimit {
  readonly ms: number;
  readonly name: "requestTimeoutMs" | "what the deadlineMs left";
}

function describeNetworkFailure(err: unknown, limit: AttemptLimit) {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string } };
  if (e?.name === "TimeoutError" || e?.name === "AbortError") {
    return {
      code: ClientErrorCodes.TIMEOUT,
      cause: "TIMEOUT",
      reason: `no answer within ${limit.ms} ms (${limit.name}). The API is slow or unreachable; try again later.`,
    };
  }
  const cause = e?.code ?? e?.cause?.code ?? "UNKNOWN";
  const hint =
    cause === "ECONNREFUSED" || cause === "ENOTFOUND" || cause === "EAI_AGAIN"
      ? "the API cannot be reached. Check the API URL and the runner's network access."
      : "the connection was lost. It is safe to run again.";
  return { code: ClientErrorCodes.NETWORK_ERROR, cause, reason: `${cause} (${e?.message ?? "no message"}): ${hint}` };
}
