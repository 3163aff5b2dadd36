import { ErrorCodes } from "../../src/api/assumptions";
import { RateLimiter } from "../../src/emulator/rate-limit";
import { emulator, KEY, useSharedEmulator, withEmulator } from "../support/emulator";
import { call, expectError } from "../support/emulator-http";
import { HOOK_URL } from "../support/inputs";

useSharedEmulator();

describe("the rate limit", () => {
  test("a token bucket per key: a burst goes through, the next waits for the refill, other keys are not slowed", () => {
    let now = 0;
    const limiter = new RateLimiter({ requestsPerSecond: 2, burst: 3 }, () => now);

    const burst = [limiter.take("a"), limiter.take("a"), limiter.take("a")];
    const over = limiter.take("a");
    const otherKey = limiter.take("b");
    now = 499;
    const tooSoon = limiter.take("a");
    now = 500;
    const refilled = limiter.take("a");

    expect(burst).toEqual([undefined, undefined, undefined]);
    // Half a second to the next token at 2 per second: Retry-After is whole seconds, at least 1.
    expect(over).toBe(1);
    expect(otherKey).toBeUndefined();
    expect(tooSoon).toBe(1);
    expect(refilled).toBeUndefined();
  });

  test("Retry-After says how many whole seconds the next token takes at a slow rate", () => {
    let now = 0;
    const limiter = new RateLimiter({ requestsPerSecond: 0.25 }, () => now);
    expect(limiter.take("a")).toBeUndefined();
    expect(limiter.take("a")).toBe(4);
    now = 1500;
    expect(limiter.take("a")).toBe(3);
  });

  test("refuses a rate or burst it cannot apply", () => {
    for (const spec of [
      { requestsPerSecond: 0 },
      { requestsPerSecond: Number.NaN },
      { requestsPerSecond: 1, burst: 0.5 },
    ]) {
      expect(() => new RateLimiter(spec)).toThrow(/invalid rate limit/);
    }
  });

  test("over the limit a request is answered 429 RATE_LIMITED with Retry-After, applies nothing and is logged as rate-limited", async () => {
    await withEmulator({ rateLimit: { requestsPerSecond: 1, burst: 2 } }, async (limited) => {
      const post = () => call("POST", "/webhooks", { body: { url: HOOK_URL } }, limited);
      const first = await call("GET", "/webhooks", {}, limited);
      const second = await call("GET", "/webhooks", {}, limited);
      const refused = await post();

      expect([first.status, second.status]).toEqual([200, 200]);
      expectError(refused, 429, ErrorCodes.RATE_LIMITED);
      expect(refused.headers.get("retry-after")).toBe("1");
      expect(refused.json.error).toContain("at most 1 requests per second per API key");
      expect(limited.webhooks()).toEqual([]);
      expect(limited.requests().map((r) => [r.method, r.status, r.rateLimited])).toEqual([
        ["GET", 200, undefined],
        ["GET", 200, undefined],
        ["POST", 429, true],
      ]);

      // After Retry-After the same request goes through.
      await new Promise((resolve) => setTimeout(resolve, 1000));
      expect((await post()).status).toBe(201);
      expect(limited.webhooks()).toHaveLength(1);
    });
  });

  test("a refused request spends no queued fault, and each API key has its own bucket", async () => {
    await withEmulator({ organizations: { [KEY]: "default", sk_other: "other" } }, async (limited) => {
      limited.setRateLimit({ requestsPerSecond: 1 });
      limited.injectFault({ path: "/webhooks", fault: { kind: "status", status: 503 } });
      const statuses = [
        (await call("GET", "/agents/x", {}, limited)).status,
        (await call("GET", "/webhooks", {}, limited)).status,
        (await call("GET", "/webhooks", { key: "sk_other" }, limited)).status,
      ];
      expect(statuses).toEqual([404, 429, 503]);
    });
  });

  test("setRateLimit(undefined) lifts the limit; the shared emulator has none", async () => {
    const answers = await Promise.all(Array.from({ length: 30 }, () => call("GET", "/webhooks")));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    emulator.setRateLimit({ requestsPerSecond: 1 });
    expect((await call("GET", "/webhooks")).status).toBe(200);
    expect((await call("GET", "/webhooks")).status).toBe(429);
    emulator.setRateLimit(undefined);
    expect((await call("GET", "/webhooks")).status).toBe(200);
  });
});
