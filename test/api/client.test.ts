import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import {
  PreclinicalClient,
  type PreclinicalClientOptions,
  isAgentNotFound,
  isAlreadyExists,
  isNotFound,
  PreclinicalApiError,
  PreclinicalNetworkError,
  PreclinicalResponseError,
} from "../../src/api";
import { EMULATOR_DEFAULT_API_KEY, PreclinicalEmulator } from "../../src/emulator";
import { AGENT_A, AGENT_B, UNKNOWN_AGENT } from "../support/agents";

const SECRET = "whsec_" + "s3cr3t".repeat(8);

let emulator: PreclinicalEmulator;
const clients: PreclinicalClient[] = [];

/** A client against the emulator with fast retries, so retry tests take milliseconds. */
function client(overrides: Partial<PreclinicalClientOptions> = {}): PreclinicalClient {
  const c = new PreclinicalClient({
    apiKey: EMULATOR_DEFAULT_API_KEY,
    baseUrl: emulator.url,
    retry: { baseDelayMs: 5, maxDelayMs: 20 },
    ...overrides,
  });
  clients.push(c);
  return c;
}

function apiRequests(method?: string) {
  return emulator.requests().filter((r) => method === undefined || r.method === method);
}

beforeAll(async () => {
  emulator = await PreclinicalEmulator.start({ agents: [{ id: AGENT_A }, { id: AGENT_B }] });
});
afterEach(async () => {
  emulator.reset();
  await Promise.all(clients.splice(0).map((c) => c.close()));
});
afterAll(() => emulator.close());

describe("operations", () => {
  test("create, get, list with and without the agent filter, update, test delivery, delete", async () => {
    const api = client();
    const org = await api.createWebhook({
      url: "https://hooks.example.com/org",
      description: "All agents",
      secret: SECRET,
    });
    const agent = await api.createWebhook({ url: "https://hooks.example.com/a", agent_id: AGENT_A, is_enabled: false });

    expect(org).toMatchObject({
      url: "https://hooks.example.com/org",
      description: "All agents",
      agent_id: null,
      is_enabled: true,
    });
    expect(agent).toMatchObject({ agent_id: AGENT_A, is_enabled: false, description: null });
    expect(JSON.stringify([org, agent])).not.toContain(SECRET);
    expect(emulator.webhooks().find((w) => w.id === org.id)?.secret).toBe(SECRET);

    expect(await api.getWebhook(org.id)).toMatchObject({ id: org.id, url: org.url });
    expect((await api.listWebhooks()).map((w) => w.id).sort()).toEqual([org.id, agent.id].sort());
    expect((await api.listWebhooks({ agentId: AGENT_A })).map((w) => w.id)).toEqual([agent.id]);
    expect((await api.findScopeWebhook(null))?.id).toBe(org.id);
    expect((await api.findScopeWebhook(AGENT_A))?.id).toBe(agent.id);
    expect(await api.findScopeWebhook(AGENT_B)).toBeUndefined();

    const updated = await api.updateWebhook(agent.id, {
      url: "https://hooks.example.com/b",
      is_enabled: true,
      description: null,
    });
    expect(updated).toMatchObject({ id: agent.id, url: "https://hooks.example.com/b", is_enabled: true });
    expect(Date.parse(updated.updated_at)).toBeGreaterThan(Date.parse(agent.updated_at));

    const delivery = await api.testWebhook(org.id);
    expect(delivery.success).toBe(false); // the emulator delivers to loopback hosts only
    expect(typeof delivery.message).toBe("string");

    await api.deleteWebhook(org.id);
    expect(emulator.webhooks().map((w) => w.id)).toEqual([agent.id]);
  });

  test("getAgent reads a known agent and recognises an unknown one", async () => {
    const api = client();
    expect(await api.getAgent(AGENT_A)).toMatchObject({ id: AGENT_A, is_active: true });
    const err = await api.getAgent(UNKNOWN_AGENT).catch((e) => e);
    expect(isAgentNotFound(err)).toBe(true);
  });
});

describe("documented errors", () => {
  test("an invalid url is INVALID_FIELD_VALUE with a message that stands alone", async () => {
    const err = await client()
      .createWebhook({ url: "not a url" })
      .catch((e) => e);
    expect(err).toBeInstanceOf(PreclinicalApiError);
    expect(err.code).toBe("INVALID_FIELD_VALUE");
    expect(err.message).toMatch(/^POST \/webhooks failed: 400 INVALID_FIELD_VALUE .+/);
    expect(apiRequests("POST")).toHaveLength(1); // a 400 is not retried
  });

  test("a taken scope is ALREADY_EXISTS, sent once and not resolved away", async () => {
    emulator.seedWebhook("default", { url: "https://ui.example.com/made-by-hand" });
    const err = await client()
      .createWebhook({ url: "https://hooks.example.com/org" })
      .catch((e) => e);
    expect(isAlreadyExists(err)).toBe(true);
    expect(err.status).toBe(409);
    expect(apiRequests("POST")).toHaveLength(1);
  });

  test.each(["get", "update", "delete", "test"] as const)("%s of an unknown webhook is NOT_FOUND", async (op) => {
    const api = client();
    const id = "11111111-2222-3333-4444-555555555555";
    const call = {
      get: () => api.getWebhook(id),
      update: () => api.updateWebhook(id, { is_enabled: false }),
      delete: () => api.deleteWebhook(id),
      test: () => api.testWebhook(id),
    }[op];
    const err = await call().catch((e) => e);
    expect(isNotFound(err)).toBe(true);
    expect(err.status).toBe(404);
    expect(err.message).toContain(`/webhooks/${id}`);
  });

  test("another organization's webhook is NOT_FOUND", async () => {
    const other = await PreclinicalEmulator.start({ organizations: { sk_test_a: "a", sk_test_b: "b" } });
    try {
      const a = new PreclinicalClient({ apiKey: "sk_test_a", baseUrl: other.url });
      const b = new PreclinicalClient({ apiKey: "sk_test_b", baseUrl: other.url });
      clients.push(a, b);
      const mine = await a.createWebhook({ url: "https://hooks.example.com/a" });
      expect(isNotFound(await b.getWebhook(mine.id).catch((e) => e))).toBe(true);
      expect(await b.listWebhooks()).toEqual([]);
    } finally {
      await other.close();
    }
  });

  test.each([
    [400, "NOT_FOUND"],
    [404, "NOT_FOUND"],
    [400, "AGENT_NOT_FOUND"],
    [404, "AGENT_NOT_FOUND"],
  ] as const)("an unknown agent answered %i %s is recognised as agent-not-found", async (status, code) => {
    const other = await PreclinicalEmulator.start({ unknownAgent: { status, code } });
    try {
      const api = new PreclinicalClient({ apiKey: EMULATOR_DEFAULT_API_KEY, baseUrl: other.url });
      clients.push(api);
      const err = await api.createWebhook({ url: "https://hooks.example.com/a", agent_id: AGENT_A }).catch((e) => e);
      expect(isAgentNotFound(err)).toBe(true);
      expect(err.status).toBe(status);
    } finally {
      await other.close();
    }
  });

  test("a bad API key is 401 UNAUTHORIZED, not retried, and the key is not in the message", async () => {
    const badKey = "sk_live_" + "x".repeat(40);
    const err = await client({ apiKey: badKey })
      .listWebhooks()
      .catch((e) => e);
    expect(err).toBeInstanceOf(PreclinicalApiError);
    expect(err.status).toBe(401);
    expect(err.message).not.toContain(badKey);
    expect(apiRequests()).toHaveLength(1);
  });

  test("a missing API key fails before any request with a message that says what to do", () => {
    expect(() => new PreclinicalClient({ apiKey: "" })).toThrow(
      /No Preclinical API key was given.+PRECLINICAL_API_KEY/,
    );
  });
});

describe("retries", () => {
  test("two 503s then success is three requests and one webhook", async () => {
    emulator.injectFault({ method: "POST", path: "/webhooks", times: 2, fault: { kind: "status", status: 503 } });
    const lines: string[] = [];
    const hook = await client({ debug: (l) => lines.push(l) }).createWebhook({ url: "https://hooks.example.com/org" });
    expect(apiRequests("POST").map((r) => r.status)).toEqual([503, 503, 201]);
    expect(emulator.webhooks().map((w) => w.id)).toEqual([hook.id]);
    expect(lines.filter((l) => l.includes("retrying in"))).toHaveLength(2);
  });

  test("a 429 with Retry-After in seconds waits at least that long", async () => {
    emulator.injectFault({ path: "/webhooks", fault: { kind: "status", status: 429, retryAfter: "1" } });
    const started = Date.now();
    await client().listWebhooks();
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
    expect(apiRequests().map((r) => r.status)).toEqual([429, 200]);
  });

  test("a 429 with Retry-After as an HTTP date waits until then", async () => {
    const at = new Date(Date.now() + 2000).toUTCString(); // HTTP dates have whole seconds: 1 to 2 s from now
    emulator.injectFault({ path: "/webhooks", fault: { kind: "status", status: 429, retryAfter: at } });
    const started = Date.now();
    await client().listWebhooks();
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(apiRequests()).toHaveLength(2);
  });

  test("a Retry-After longer than maxRetryAfterMs is capped", async () => {
    emulator.injectFault({ path: "/webhooks", fault: { kind: "status", status: 429, retryAfter: "3600" } });
    const started = Date.now();
    await client({ retry: { maxRetryAfterMs: 50 } }).listWebhooks();
    expect(Date.now() - started).toBeLessThan(2000);
    expect(apiRequests()).toHaveLength(2);
  });

  test("retries stop after maxAttempts with the last answer and the number of attempts", async () => {
    emulator.injectFault({ path: "/webhooks", times: 10, fault: { kind: "status", status: 500 } });
    const err = await client({ retry: { maxAttempts: 3, baseDelayMs: 1 } })
      .listWebhooks()
      .catch((e) => e);
    expect(err).toBeInstanceOf(PreclinicalApiError);
    expect(err.message).toMatch(/^GET \/webhooks failed: 500 .+\(after 3 attempts\)$/);
    expect(apiRequests()).toHaveLength(3);
  });

  test("a dropped connection on a read is retried", async () => {
    emulator.injectFault({ method: "GET", path: "/webhooks", fault: { kind: "drop" } });
    expect(await client().listWebhooks()).toEqual([]);
    expect(apiRequests().map((r) => r.status)).toEqual(["dropped", 200]);
  });

  test("a test delivery is not repeated after a 500, since the delivery may have gone out", async () => {
    const hook = emulator.seedWebhook("default", { url: "https://hooks.example.com/org" });
    emulator.injectFault({ method: "POST", path: `/webhooks/${hook.id}/test`, fault: { kind: "status", status: 500 } });
    const err = await client()
      .testWebhook(hook.id)
      .catch((e) => e);
    expect(err.status).toBe(500);
    expect(apiRequests("POST")).toHaveLength(1);
  });
});

describe("a create whose answer was lost", () => {
  test.each([
    ["the connection dropped after the server applied it", { kind: "applyThenDrop" } as const],
    ["the server applied it and then answered 500", { kind: "applyThenFail", status: 500 } as const],
  ])("when %s, the retry resolves ALREADY_EXISTS by reading the scope back: exactly one webhook", async (_, fault) => {
    emulator.injectFault({ method: "POST", path: "/webhooks", fault });
    const hook = await client().createWebhook({
      url: "https://hooks.example.com/a",
      agent_id: AGENT_A,
      description: "d",
      secret: SECRET,
    });
    const stored = emulator.webhooks();
    expect(stored).toHaveLength(1);
    expect(hook.id).toBe(stored[0].id);
    expect(stored[0]).toMatchObject({ url: "https://hooks.example.com/a", agent_id: AGENT_A, secret: SECRET });
    expect(apiRequests("POST")).toHaveLength(2);
  });

  test("when the scope then holds a different webhook, the conflict is reported, not hidden", async () => {
    // The first attempt fails with a 503 (not applied), and meanwhile somebody creates another webhook.
    emulator.injectFault({ method: "POST", path: "/webhooks", fault: { kind: "status", status: 503 } });
    const api = client({
      debug: (line) => {
        if (line.includes("retrying")) emulator.seedWebhook("default", { url: "https://ui.example.com/other" });
      },
    });
    const err = await api.createWebhook({ url: "https://hooks.example.com/org" }).catch((e) => e);
    expect(isAlreadyExists(err)).toBe(true);
    expect(emulator.webhooks().map((w) => w.url)).toEqual(["https://ui.example.com/other"]);
  });
});

describe("timeouts", () => {
  test("an attempt slower than requestTimeoutMs times out, and is retried", async () => {
    emulator.injectFault({ path: "/webhooks", fault: { kind: "delay", ms: 1500 } });
    const started = Date.now();
    expect(await client({ requestTimeoutMs: 300 }).listWebhooks()).toEqual([]);
    expect(Date.now() - started).toBeLessThan(1400);
    expect(apiRequests()).toHaveLength(2);
  });

  test("a timed-out attempt names the limit that cut it", async () => {
    emulator.injectFault({ path: "/webhooks", times: 10, fault: { kind: "delay", ms: 1000 } });
    const err = await client({ requestTimeoutMs: 200, retry: { maxAttempts: 1 } })
      .listWebhooks()
      .catch((e) => e);
    expect(err.code).toBe("TIMEOUT");
    expect(err.message).toContain("no answer within 200 ms (requestTimeoutMs)");
  });

  test("retries stop when the deadline leaves less than a fair attempt, instead of starting a sliver", async () => {
    // Each attempt answers 503 at once and backoff waits up to 20 ms; with a 400 ms deadline the retries stop
    // once fewer than 250 ms would remain for the next attempt, before the deadline, saying why.
    const api = client({ deadlineMs: 400, retry: { maxAttempts: 100 } });
    await api.listWebhooks(); // warm: the first connection's setup is not what this test measures
    emulator.clearRequests();
    emulator.injectFault({ path: "/webhooks", times: 1000, fault: { kind: "status", status: 503 } });
    const started = Date.now();
    const err = await api.listWebhooks().catch((e) => e);
    expect(Date.now() - started).toBeLessThan(400);
    expect(err.code).toBe("DEADLINE_EXCEEDED");
    expect(err.message).toContain("the 400 ms deadline leaves too little time for another attempt");
    expect(err.message).toContain("503");
  });

  test("the overall deadline bounds all attempts together", async () => {
    emulator.injectFault({ path: "/webhooks", times: 100, fault: { kind: "delay", ms: 1000 } });
    const started = Date.now();
    const err = await client({ requestTimeoutMs: 200, deadlineMs: 700, retry: { maxAttempts: 100 } })
      .listWebhooks()
      .catch((e) => e);
    const elapsed = Date.now() - started;
    expect(err).toBeInstanceOf(PreclinicalNetworkError);
    expect(["TIMEOUT", "DEADLINE_EXCEEDED"]).toContain(err.code);
    expect(elapsed).toBeLessThan(1500);
  });

  test("an unreachable API fails within the deadline and says to check the URL", async () => {
    const dead = createServer();
    await new Promise<void>((r) => dead.listen(0, "127.0.0.1", r));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((r) => dead.close(r)); // nothing listens on this port now
    const started = Date.now();
    const err = await client({ baseUrl: `http://127.0.0.1:${port}/api/v1`, deadlineMs: 2000 })
      .listWebhooks()
      .catch((e) => e);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(err.code).toMatch(/NETWORK_ERROR|DEADLINE_EXCEEDED/);
    expect(err.message).toMatch(/ECONNREFUSED/);
    expect(err.message).toMatch(/Check the API URL/);
  });
});

describe("responses that are not the API's", () => {
  test("a body that is not JSON fails with INVALID_RESPONSE and a hint about the URL", async () => {
    emulator.injectFault({ path: "/webhooks", fault: { kind: "notJson" } });
    const err = await client()
      .listWebhooks()
      .catch((e) => e);
    expect(err).toBeInstanceOf(PreclinicalResponseError);
    expect(err.message).toMatch(/not JSON.+ends in \/api\/v1/);
  });

  test("a body that fails the schema keeps zod's issues", async () => {
    emulator.injectFault({ path: "/webhooks", fault: { kind: "badSchema" } });
    const err = await client()
      .listWebhooks()
      .catch((e) => e);
    expect(err).toBeInstanceOf(PreclinicalResponseError);
    expect(err.issues.length).toBeGreaterThan(0);
    expect(err.message).toMatch(/webhooks: /);
  });
});

describe("secrets", () => {
  test("a secret or key echoed by the server never reaches an error message", async () => {
    const echoed = JSON.stringify({
      error: `secret ${SECRET} rejected for key ${EMULATOR_DEFAULT_API_KEY}`,
      code: "INVALID_FIELD_VALUE",
    });
    emulator.injectFault({ method: "POST", path: "/webhooks", fault: { kind: "status", status: 400, body: echoed } });
    const lines: string[] = [];
    const err = await client({ debug: (l) => lines.push(l) })
      .createWebhook({ url: "https://hooks.example.com/org", secret: SECRET })
      .catch((e) => e);
    expect(err.code).toBe("INVALID_FIELD_VALUE");
    for (const text of [err.message, err.apiMessage, JSON.stringify(err), ...lines]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(EMULATOR_DEFAULT_API_KEY);
    }
    expect(err.message).toContain("[REDACTED]");
  });
});

describe("a paged webhook list", () => {
  test("is refused, not read as complete: an occupied scope must not look free", async () => {
    const server = createServer((_req, res) => {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ webhooks: [], total: 150 }));
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const api = client({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1` });
      const err = await api.findScopeWebhook(null).catch((e) => e);
      expect(err.code).toBe("API_CONTRACT_VIOLATION");
      expect(err.message).toContain("GET /webhooks returned 0 of 150 webhooks");
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.close()));
      await new Promise((r) => server.close(r));
    }
  });
});

describe("transport", () => {
  test("requests of one client reuse pooled connections and name the package in User-Agent", async () => {
    let connections = 0;
    const agents: string[] = [];
    const server = createServer((req, res) => {
      agents.push(String(req.headers["user-agent"]));
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ webhooks: [], total: 0 }));
    });
    server.on("connection", () => connections++);
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const api = client({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1` });
      for (let i = 0; i < 6; i++) await api.listWebhooks();
      // undici's pool may open a second socket while the first is being released; never one per request.
      expect(connections).toBeLessThanOrEqual(2);
      expect(agents).toHaveLength(6);
      expect(agents[0]).toMatch(/^cdktf-preclinical-webhooks\/\d+\.\d+\.\d+ node\//);
    } finally {
      await Promise.all(clients.splice(0).map((c) => c.close()));
      await new Promise((r) => server.close(r));
    }
  });
});
