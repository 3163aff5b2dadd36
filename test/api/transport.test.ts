/** How the client sends a request: retries, timeouts, answers that are not the API's, secrets, pooling. */
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { PreclinicalApiError, PreclinicalNetworkError, PreclinicalResponseError } from "../../src/api";
import { client, useApiClients } from "../support/api-client";
import { apiRequests, emulator, KEY } from "../support/emulator";
import { SECRET } from "../support/inputs";
import { closedPort } from "../support/net";

useApiClients();

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

  test("answers 429 do not count toward maxAttempts: the client comes back until the limit lets it through", async () => {
    emulator.injectFault({ path: "/webhooks", times: 4, fault: { kind: "status", status: 429, retryAfter: "0" } });
    emulator.injectFault({ path: "/webhooks", fault: { kind: "status", status: 503 } });
    const lines: string[] = [];
    const hooks = await client({
      retry: { maxAttempts: 2, baseDelayMs: 1 },
      debug: (l) => lines.push(l),
    }).listWebhooks();
    expect(hooks).toEqual([]);
    expect(apiRequests().map((r) => r.status)).toEqual([429, 429, 429, 429, 503, 200]);
    expect(lines[4]).toMatch(/^GET \/webhooks: 503 \(attempt 1\/2, and 4 rate-limited\), retrying in \d+ ms$/);
    expect(lines[5]).toBe("GET /webhooks: 200 (attempt 2/2, and 4 rate-limited)");
  });

  test("with rateLimitUntilDeadline off, answers 429 count like any other", async () => {
    emulator.injectFault({ path: "/webhooks", times: 5, fault: { kind: "status", status: 429, retryAfter: "0" } });
    const err = await client({ retry: { maxAttempts: 3, baseDelayMs: 1, rateLimitUntilDeadline: false } })
      .listWebhooks()
      .catch((e) => e);
    expect(err.message).toMatch(/^GET \/webhooks failed: 429 .+\(after 3 attempts\)$/);
    expect(apiRequests()).toHaveLength(3);
  });

  test("rate-limited retries still end at the deadline", async () => {
    emulator.injectFault({ path: "/webhooks", times: 100, fault: { kind: "status", status: 429, retryAfter: "0" } });
    const started = Date.now();
    const err = await client({ deadlineMs: 600, retry: { baseDelayMs: 50, maxDelayMs: 100 } })
      .listWebhooks()
      .catch((e) => e);
    expect(err).toBeInstanceOf(PreclinicalNetworkError);
    expect(err.message).toMatch(/deadline/);
    expect(Date.now() - started).toBeLessThan(1500);
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
    const port = await closedPort();
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
      error: `secret ${SECRET} rejected for key ${KEY}`,
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
      expect(text).not.toContain(KEY);
    }
    expect(err.message).toContain("[REDACTED]");
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
    const api = client({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1` });
    try {
      for (let i = 0; i < 6; i++) await api.listWebhooks();
      // undici's pool may open a second socket while the first is being released; never one per request.
      expect(connections).toBeLessThanOrEqual(2);
      expect(agents).toHaveLength(6);
      expect(agents[0]).toMatch(/^cdktf-preclinical-webhooks\/\d+\.\d+\.\d+ node\//);
    } finally {
      await api.close();
      await new Promise((r) => server.close(r));
    }
  });
});

describe("closing", () => {
  test("closing a client twice is harmless, as closing it in a finally and again in cleanup does", async () => {
    const api = client();
    await api.listWebhooks();
    await api.close();
    await expect(api.close()).resolves.not.toThrow();
  });
});
