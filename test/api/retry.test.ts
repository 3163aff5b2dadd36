import { DEFAULT_RETRY_POLICY, backoffDelayMs, parseRetryAfter } from "../../src/api";

describe("parseRetryAfter", () => {
  const now = Date.parse("2026-11-27T10:00:00Z");
  test.each([
    ["3", 3000],
    ["0", 0],
    ["1.5", 1500],
    [" 2 ", 2000],
    ["Fri, 27 Nov 2026 10:00:05 GMT", 5000],
    ["Fri, 27 Nov 2026 09:59:00 GMT", 0],
  ])("%j is %i ms", (header, ms) => {
    expect(parseRetryAfter(header, now)).toBe(ms);
  });

  test.each([undefined, null, "", "soon", "-1"])("%j is no hint", (header) => {
    expect(parseRetryAfter(header, now)).toBeUndefined();
  });
});

describe("backoffDelayMs", () => {
  test("grows exponentially up to maxDelayMs, with full jitter below the ceiling", () => {
    const top = () => 1; // the largest jitter draw
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelayMs(DEFAULT_RETRY_POLICY, n, undefined, top))).toEqual([
      200, 400, 800, 1600, 3200, 5000, 5000, 5000,
    ]);
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 3, undefined, () => 0.5)).toBe(400);
  });

  test("Retry-After is the least wait, capped at maxRetryAfterMs, with the backoff's jitter on top", () => {
    const none = () => 0;
    const top = () => 1;
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 1, 7000, none)).toBe(7000);
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 1, 7000, top)).toBe(7200);
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 3, 1000, () => 0.5)).toBe(1400);
    expect(backoffDelayMs(DEFAULT_RETRY_POLICY, 1, 3_600_000, none)).toBe(DEFAULT_RETRY_POLICY.maxRetryAfterMs);
  });
});
