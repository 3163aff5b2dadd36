import { ErrorCodes } from "../../src/api/assumptions";
import { WebhookListSchema } from "../../src/api/schemas";
import type { FaultKind } from "../../src/emulator";
import { AGENT_A } from "../support/agents";
import { emulator, KEY, useSharedEmulator } from "../support/emulator";
import { call, control, createWebhook, expectError } from "../support/emulator-http";
import { HOOK_URL } from "../support/inputs";

useSharedEmulator();

describe("faults", () => {
  async function postWebhook(): Promise<Response> {
    return fetch(`${emulator.url}/webhooks`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ url: HOOK_URL }),
    });
  }

  test("a status fault answers the matching request once with its status, Retry-After and a JSON error", async () => {
    emulator.injectFault({
      path: "/webhooks",
      fault: { kind: "status", status: 429, retryAfter: "Wed, 21 Oct 2037 07:28:00 GMT" },
    });

    const faulted = await call("GET", "/webhooks");
    const next = await call("GET", "/webhooks");

    expectError(faulted, 429, ErrorCodes.RATE_LIMITED);
    expect(faulted.headers.get("retry-after")).toBe("Wed, 21 Oct 2037 07:28:00 GMT");
    expect(next.status).toBe(200);
    expect(emulator.requests().map((r) => [r.status, r.faulted])).toEqual([
      [429, "status"],
      [200, undefined],
    ]);
  });

  test("a status fault with a body sends it verbatim and applies nothing", async () => {
    emulator.injectFault({
      method: "post",
      path: "/webhooks",
      fault: { kind: "status", status: 503, body: "upstream down" },
    });

    const answer = await call("POST", "/webhooks", { body: { url: HOOK_URL } });

    expect(answer.status).toBe(503);
    expect(answer.text).toBe("upstream down");
    expect(emulator.webhooks()).toEqual([]);
  });

  test("faults hit only matching requests, in queue order and `times` often", async () => {
    emulator.injectFault({ method: "POST", path: "/webhooks", times: 2, fault: { kind: "status", status: 500 } });
    emulator.injectFault({ path: /^\/agents\/[^/]+$/, fault: { kind: "status", status: 502 } });
    emulator.injectFault({ method: "POST", path: "/webhooks", fault: { kind: "status", status: 503 } });

    const statuses = [
      (await call("GET", "/webhooks")).status,
      (await call("POST", "/webhooks", { body: { url: HOOK_URL } })).status,
      (await call("GET", `/agents/${AGENT_A}`)).status,
      (await call("GET", `/agents/${AGENT_A}`)).status,
      (await call("POST", "/webhooks", { body: { url: HOOK_URL } })).status,
      (await call("POST", "/webhooks", { body: { url: HOOK_URL } })).status,
      (await call("POST", "/webhooks", { body: { url: HOOK_URL } })).status,
    ];

    expect(statuses).toEqual([200, 500, 502, 200, 500, 503, 201]);
  });

  test("a delay fault answers normally after the delay", async () => {
    emulator.injectFault({ path: "/webhooks", fault: { kind: "delay", ms: 300 } });
    const started = Date.now();

    const answer = await call("POST", "/webhooks", { body: { url: HOOK_URL } });

    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(answer.status).toBe(201);
    expect(emulator.requests()[0]).toMatchObject({ status: 201, faulted: "delay" });
  });

  test("a request held by a delay fault is logged as pending, in arrival order", async () => {
    emulator.injectFault({ method: "GET", fault: { kind: "delay", ms: 400 } });

    const held = call("GET", "/webhooks");
    await new Promise((resolve) => setTimeout(resolve, 100));
    await call("POST", "/webhooks", { body: { url: HOOK_URL } });

    expect(emulator.requests().map((r) => [r.method, r.status])).toEqual([
      ["GET", "pending"],
      ["POST", 201],
    ]);
    expect((await held).status).toBe(200);
    expect(emulator.requests().map((r) => r.status)).toEqual([200, 201]);
  });

  test("a create held by a delay fault is dropped and never applied when the emulator is reset meanwhile", async () => {
    emulator.injectFault({ method: "POST", fault: { kind: "delay", ms: 300 } });
    const held = expect(postWebhook()).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 100));

    emulator.reset();
    await held;
    await new Promise((resolve) => setTimeout(resolve, 400));

    expect(emulator.webhooks()).toEqual([]);
  });

  test("a drop fault fails the connection of a create and nothing is created", async () => {
    emulator.injectFault({ method: "POST", fault: { kind: "drop" } });

    await expect(postWebhook()).rejects.toThrow();

    expect(emulator.webhooks()).toEqual([]);
    expect(emulator.requests()).toEqual([expect.objectContaining({ status: "dropped", faulted: "drop" })]);
    expect((await call("GET", "/webhooks")).status).toBe(200); // and the emulator keeps serving
  });

  test("an applyThenDrop fault fails the connection of a create, but the webhook exists", async () => {
    emulator.injectFault({ method: "POST", path: "/webhooks", fault: { kind: "applyThenDrop" } });

    await expect(postWebhook()).rejects.toThrow();

    expect(emulator.webhooks()).toEqual([expect.objectContaining({ url: HOOK_URL })]);
    expect(emulator.requests()).toEqual([expect.objectContaining({ status: "dropped", faulted: "applyThenDrop" })]);
    expect((await call("POST", "/webhooks", { body: { url: HOOK_URL } })).status).toBe(409);
  });

  test.each([
    [undefined, 500, ErrorCodes.INTERNAL_ERROR],
    [503, 503, ErrorCodes.INTERNAL_ERROR],
    [429, 429, ErrorCodes.RATE_LIMITED],
  ])("an applyThenFail fault with status %s creates the webhook yet answers %i", async (status, expected, code) => {
    const fault: FaultKind = status === undefined ? { kind: "applyThenFail" } : { kind: "applyThenFail", status };
    emulator.injectFault({ path: "/webhooks", fault });

    const answer = await call("POST", "/webhooks", { body: { url: HOOK_URL } });

    expectError(answer, expected, code);
    expect(emulator.webhooks()).toHaveLength(1);
  });

  test("an applyThenDrop fault on a delete deletes the webhook although the client sees no answer", async () => {
    const hook = await createWebhook();
    emulator.injectFault({ method: "DELETE", fault: { kind: "applyThenDrop" } });

    await expect(
      fetch(`${emulator.url}/webhooks/${hook.id}`, { method: "DELETE", headers: { authorization: `Bearer ${KEY}` } }),
    ).rejects.toThrow();

    expect(emulator.webhooks()).toEqual([]);
  });

  test("a notJson fault answers 200 text/html", async () => {
    emulator.injectFault({ fault: { kind: "notJson" } });

    const answer = await call("GET", "/webhooks");

    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^text\/html/);
    expect(answer.text).toBe("<html>oops</html>");
  });

  test("a badSchema fault answers 200 with JSON the schemas reject", async () => {
    emulator.injectFault({ fault: { kind: "badSchema" } });

    const answer = await call("GET", "/webhooks");

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ unexpected: true });
    expect(WebhookListSchema.safeParse(answer.json).success).toBe(false);
  });

  test("cleared faults hit nothing", async () => {
    emulator.injectFault({ times: 5, fault: { kind: "status", status: 500 } });
    emulator.clearFaults();

    expect((await call("GET", "/webhooks")).status).toBe(200);
  });

  test("a pending fault leaves control requests alone and waits for the API", async () => {
    emulator.injectFault({ fault: { kind: "drop" } });

    expect((await control("GET", "/state")).status).toBe(200);
    await expect(call("GET", "/webhooks")).rejects.toThrow();
    expect(emulator.requests().map((r) => r.status)).toEqual(["dropped"]);
  });

  test.each([
    ["a negative delay", { fault: { kind: "delay", ms: -1 } }],
    ["zero times", { times: 0, fault: { kind: "drop" } }],
    ["an impossible status", { fault: { kind: "status", status: 42 } }],
    ["an unknown kind", { fault: { kind: "explode" } }],
  ])("injecting %s throws a RangeError", (_, spec) => {
    expect(() => emulator.injectFault(spec as never)).toThrow(RangeError);
  });
});
