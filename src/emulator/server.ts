/**
 * A local emulator of the Preclinical webhooks API, on node:http only; where the API documentation is
 * silent it follows ../api/assumptions.ts, as the client does, and it accepts what the API is assumed to
 * accept (apiAccepts in ../api/rules.ts), more than the library lets a program declare. Besides the API under /api/v1 it has fault
 * injection, a request log and control endpoints under /_emulator for tests.
 * About 330 lines: the emulator's one class, its test-tool methods and the request path they share state with
 * (faults, rate limit, request log, held delays); the routes (./api.ts, ./control.ts), the store, the faults
 * and the deliveries are files of their own.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ErrorCodes } from "../api/assumptions";
import { API_ROUTES } from "./api";
import { CONTROL_BASE_PATH, CONTROL_ROUTES, type EmulatorControls } from "./control";
import { FaultQueue, faultResponse, type ChaosSpec, type FaultKind, type FaultSpec } from "./faults";
import {
  EmulatorError,
  errorResponse,
  matchRoute,
  notFound,
  readBody,
  runHandler,
  writeResponse,
  type EmulatorResponse,
  type Route,
} from "./http";
import { RateLimiter, rateLimitedResponse, type RateLimitSpec } from "./rate-limit";
import { EmulatorStore } from "./store";
import type { TestRunInput } from "./delivery";
import { completeTestRun, type TestRunDelivery } from "./test-runs";
import type {
  ApiAgent,
  EmulatorAgent,
  EmulatorOptions,
  RequestLogEntry,
  SeedWebhookInput,
  StoredWebhook,
} from "./types";
import { parseCreateInput } from "./validation";

/** The API key the emulator accepts unless `organizations` says otherwise (organization "default"). */
export const EMULATOR_DEFAULT_API_KEY = "sk_test_EmulatorDefaultKey0123456789abcdefghijkl";

export const API_BASE_PATH = "/api/v1";

const DEFAULT_ORGANIZATION = "default";
const DROP = "drop";
type Outcome = EmulatorResponse | typeof DROP;
type LogEntry = { -readonly [K in keyof RequestLogEntry]: RequestLogEntry[K] };

export class PreclinicalEmulator implements EmulatorControls {
  private readonly organizationsByKey: ReadonlyMap<string, string>;
  private readonly store: EmulatorStore;
  private readonly faults = new FaultQueue();
  private rateLimiter?: RateLimiter;
  private log: LogEntry[] = [];
  /** Requests held by a delay fault: the timer and how to cancel the wait. */
  private readonly delays = new Map<NodeJS.Timeout, () => void>();
  private pagedWebhookList = true;

  private constructor(
    private readonly server: Server,
    /** The base URL of the API, e.g. http://127.0.0.1:41234/api/v1. */
    readonly url: string,
    options: EmulatorOptions,
  ) {
    const organizations = options.organizations ?? { [EMULATOR_DEFAULT_API_KEY]: DEFAULT_ORGANIZATION };
    this.organizationsByKey = new Map(Object.entries(organizations));
    this.store = new EmulatorStore(
      options.unknownAgent ?? { status: 404, code: ErrorCodes.NOT_FOUND },
      options.anyAgent,
    );
    for (const agent of options.agents ?? []) this.addAgent(agent);
    this.setRateLimit(options.rateLimit);
    this.setPagedWebhookList(options.pagedWebhookList ?? true);
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      this.handle(req, res).catch(() => res.destroy());
    });
  }

  static async start(options: EmulatorOptions = {}): Promise<PreclinicalEmulator> {
    const host = options.host ?? "127.0.0.1";
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(options.port ?? 0, host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    const { port } = server.address() as AddressInfo;
    const urlHost = host.includes(":") ? `[${host}]` : host;
    return new PreclinicalEmulator(server, `http://${urlHost}:${port}${API_BASE_PATH}`, options);
  }

  /** Stops listening and destroys every open socket, idle keep-alive ones included. */
  async close(): Promise<void> {
    this.cancelDelays();
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  /** Adds an agent to every organization (again: replaces it, last in the list); returns it as the API shows it. */
  addAgent(agent: EmulatorAgent): ApiAgent {
    return this.store.addAgent(agent);
  }

  /** The known agents as GET /agents lists them, oldest first. */
  agents(): ApiAgent[] {
    return this.store.listAgents();
  }

  /** The next `spec.times` (default 1) requests matching method/path get the fault; specs queue in order. */
  injectFault(spec: FaultSpec): void {
    this.faults.add(spec);
  }

  /** Gives a seeded random share of the requests a fault (queued faults still come first); undefined stops it. */
  setChaos(spec: ChaosSpec | undefined): void {
    this.faults.setChaos(spec);
  }

  /**
   * Limits the requests per second of each API key (429 with Retry-After beyond it, nothing applied), or
   * lifts the limit (undefined). Every key starts with a full bucket.
   */
  setRateLimit(spec: RateLimitSpec | undefined): void {
    this.rateLimiter = spec ? new RateLimiter(spec) : undefined;
  }

  /** Whether GET /webhooks pages when asked to, from the next request on (EmulatorOptions.pagedWebhookList). */
  setPagedWebhookList(paged: boolean): void {
    this.pagedWebhookList = paged;
  }

  /** Drops queued faults and stops chaos. */
  clearFaults(): void {
    this.faults.clear();
  }

  /** Every request to an /api/v1 path, in order of arrival; `status` is "pending" until it is answered. */
  requests(): RequestLogEntry[] {
    return this.log.map((entry) => ({ ...entry }));
  }

  clearRequests(): void {
    this.log = [];
  }

  /** The stored webhooks (oldest first), secrets included: a test tool only. */
  webhooks(organization?: string): StoredWebhook[] {
    return this.store.listWebhooks(organization).map((webhook) => ({ ...webhook }));
  }

  /**
   * Creates a webhook as if made in the UI: validated like POST /webhooks (throws EmulatorError), but
   * bypassing faults and the request log.
   */
  seedWebhook(organization: string, input: SeedWebhookInput): StoredWebhook {
    if (![...this.organizationsByKey.values()].includes(organization)) {
      throw new EmulatorError(404, ErrorCodes.NOT_FOUND, `unknown organization: ${organization}`, {
        field: "organization",
      });
    }
    const request = parseCreateInput({ ...input } as Record<string, unknown>);
    return { ...this.store.createWebhook(organization, request) };
  }

  /**
   * Completes a test run of `agentId`: POSTs the `test_run_completed` event to the webhook that serves the
   * agent (its own, else the organization's; loopback URLs only) and records the delivery in that webhook's
   * `last_triggered_at` and `consecutive_failures`. Throws EmulatorError for an unknown agent.
   */
  completeTestRun(
    agentId: string,
    run: TestRunInput = {},
    organization = DEFAULT_ORGANIZATION,
  ): Promise<TestRunDelivery> {
    return completeTestRun(this.store, organization, agentId, run);
  }

  /** Sets a webhook's delivery counters, e.g. to seed a failing webhook; throws EmulatorError for an unknown id. */
  setDeliveryHealth(
    id: string,
    health: { consecutive_failures: number; last_triggered_at?: string | null },
    organization = DEFAULT_ORGANIZATION,
  ): StoredWebhook {
    const lastTriggeredAt =
      health.last_triggered_at === undefined ? new Date().toISOString() : health.last_triggered_at;
    return {
      ...this.store.setDeliveryHealth(organization, id, {
        consecutive_failures: health.consecutive_failures,
        last_triggered_at: lastTriggeredAt,
      }),
    };
  }

  /**
   * Drops webhooks, faults and the request log (agents and the rate limit stay, every key's bucket full
   * again). Requests still held by a delay fault are dropped, so that they cannot change the state after
   * the reset.
   */
  reset(): void {
    this.cancelDelays();
    this.store.clearWebhooks();
    this.faults.clear();
    this.setRateLimit(this.rateLimiter?.spec);
    this.log = [];
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://emulator.invalid");
    if (isUnder(url.pathname, CONTROL_BASE_PATH)) {
      const path = url.pathname.slice(CONTROL_BASE_PATH.length);
      writeResponse(res, await this.route(CONTROL_ROUTES, req, path, (body) => ({ emulator: this, body })));
    } else if (isUnder(url.pathname, API_BASE_PATH)) {
      await this.handleApi(req, res, url);
    } else {
      writeResponse(res, errorResponse(notFound(`no such path: ${url.pathname}`)));
    }
  }

  private async handleApi(req: IncomingMessage, res: ServerResponse, url: URL): Promise<void> {
    const method = req.method ?? "GET";
    const apiPath = url.pathname.slice(API_BASE_PATH.length);
    const key = bearerToken(req.headers.authorization);
    const organization = key === undefined ? undefined : this.organizationsByKey.get(key);
    const entry: LogEntry = {
      method,
      path: url.pathname,
      query: redactedQuery(url.searchParams),
      status: "pending",
      ...(organization !== undefined && { organization }),
      at: new Date().toISOString(),
    };
    this.log.push(entry);
    // Over the rate limit: refused before anything else, so that no queued fault is spent on it.
    const retryAfter = this.rateLimiter?.take(key ?? "");
    if (retryAfter !== undefined) {
      entry.status = 429;
      entry.rateLimited = true;
      writeResponse(res, rateLimitedResponse(this.rateLimiter!.spec, retryAfter));
      return;
    }
    const fault = this.faults.take(method, apiPath);
    if (fault !== undefined) entry.faulted = fault.kind;
    const outcome = await this.answerWithFault(fault, () => this.answerApi(req, url, organization));
    entry.status = outcome === DROP ? "dropped" : outcome.status;
    if (outcome === DROP) res.destroy();
    else writeResponse(res, outcome);
  }

  /** The real handling of an API request, which may change the state. */
  private answerApi(req: IncomingMessage, url: URL, organization: string | undefined): Promise<EmulatorResponse> {
    if (organization === undefined) {
      return Promise.resolve(
        errorResponse(new EmulatorError(401, ErrorCodes.UNAUTHORIZED, "missing or invalid API key")),
      );
    }
    const apiPath = url.pathname.slice(API_BASE_PATH.length);
    return this.route(API_ROUTES, req, apiPath, (body) => ({
      store: this.store,
      organization,
      query: url.searchParams,
      body,
      pagedWebhookList: this.pagedWebhookList,
    }));
  }

  /** Acts out `fault` around the real handling (`answer`), which changes state when it runs. */
  private async answerWithFault(
    fault: FaultKind | undefined,
    answer: () => Promise<EmulatorResponse>,
  ): Promise<Outcome> {
    if (fault === undefined) return answer();
    switch (fault.kind) {
      case "delay":
        return (await this.sleep(fault.ms)) ? answer() : DROP;
      case "drop":
        return DROP;
      case "applyThenDrop":
        await answer();
        return DROP;
      case "applyThenFail":
        await answer();
        return faultResponse(fault);
      default:
        return faultResponse(fault);
    }
  }

  private route<C>(
    routes: readonly Route<C>[],
    req: IncomingMessage,
    path: string,
    context: (body: string) => C,
  ): Promise<EmulatorResponse> {
    return runHandler(async () => {
      const { handler, params } = matchRoute(routes, req.method ?? "GET", path);
      return handler(context(await readBody(req)), params);
    });
  }

  /** Resolves true after `ms`, or false if reset() or close() cancels the wait first. */
  private sleep(ms: number): Promise<boolean> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.delays.delete(timer);
        resolve(true);
      }, ms);
      this.delays.set(timer, () => resolve(false));
    });
  }

  private cancelDelays(): void {
    for (const [timer, cancel] of this.delays) {
      clearTimeout(timer);
      cancel();
    }
    this.delays.clear();
  }
}

/** The API key of an Authorization header ("Bearer <key>"), if it has one. */
function bearerToken(header: string | undefined): string | undefined {
  return /^Bearer +(\S+) *$/i.exec(header ?? "")?.[1];
}

function isUnder(path: string, base: string): boolean {
  return path === base || path.startsWith(`${base}/`);
}

function redactedQuery(query: URLSearchParams): string {
  const copy = new URLSearchParams(query);
  if (copy.has("secret")) copy.set("secret", "[redacted]");
  return copy.toString();
}
