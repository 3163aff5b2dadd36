import { ErrorCodes } from "../../src/api/assumptions";
import { EmulatorError } from "../../src/emulator";
import { AGENT_A, UNKNOWN_AGENT } from "../support/agents";
import { emulator, useSharedEmulator } from "../support/emulator";
import { call, control, createWebhook, expectError } from "../support/emulator-http";
import { HOOK_URL, SECRET } from "../support/inputs";

useSharedEmulator();

describe("seeding and state methods", () => {
  test("seedWebhook adds a webhook the API lists, without logging the seeding", async () => {
    const seeded = emulator.seedWebhook("default", {
      url: HOOK_URL,
      agent_id: AGENT_A,
      secret: SECRET,
      is_enabled: false,
    });

    const listed = await call("GET", "/webhooks");

    expect(listed.json.webhooks).toEqual([
      expect.objectContaining({ id: seeded.id, agent_id: AGENT_A, is_enabled: false }),
    ]);
    expect(seeded).toMatchObject({ organization: "default", secret: SECRET });
    expect(emulator.requests()).toHaveLength(1);
  });

  test("seedWebhook bypasses a pending fault", () => {
    emulator.injectFault({ fault: { kind: "drop" } });
    expect(emulator.seedWebhook("default", { url: HOOK_URL }).url).toBe(HOOK_URL);
  });

  test("seedWebhook throws the API's error for a taken scope, an invalid url, an unknown agent or organization", () => {
    emulator.seedWebhook("default", { url: HOOK_URL });
    const codeOf = (run: () => unknown): string | undefined => {
      try {
        run();
        return undefined;
      } catch (error) {
        return error instanceof EmulatorError ? error.code : "not an EmulatorError";
      }
    };

    expect(codeOf(() => emulator.seedWebhook("default", { url: "https://x.example.com" }))).toBe(
      ErrorCodes.ALREADY_EXISTS,
    );
    expect(codeOf(() => emulator.seedWebhook("default", { url: "nope", agent_id: AGENT_A }))).toBe(
      ErrorCodes.INVALID_FIELD_VALUE,
    );
    expect(codeOf(() => emulator.seedWebhook("default", { url: HOOK_URL, agent_id: UNKNOWN_AGENT }))).toBe(
      ErrorCodes.NOT_FOUND,
    );
    expect(codeOf(() => emulator.seedWebhook("nobody", { url: HOOK_URL, agent_id: AGENT_A }))).toBe(
      ErrorCodes.NOT_FOUND,
    );
  });

  test("reset drops webhooks, faults and the log, but keeps agents", async () => {
    await createWebhook();
    emulator.injectFault({ fault: { kind: "status", status: 500 } });

    emulator.reset();

    expect(emulator.webhooks()).toEqual([]);
    expect(emulator.requests()).toEqual([]);
    expect((await call("GET", `/agents/${AGENT_A}`)).status).toBe(200);
  });

  test("clearRequests empties only the log", async () => {
    await createWebhook();
    emulator.clearRequests();
    expect(emulator.requests()).toEqual([]);
    expect(emulator.webhooks()).toHaveLength(1);
  });

  test("mutating a state view leaves the emulator unchanged", async () => {
    await createWebhook();
    const view = emulator.webhooks();
    view[0].organization = "someone else";
    view.pop();
    expect(emulator.webhooks()[0].organization).toBe("default");
  });
});

describe("control endpoints", () => {
  test("POST /_emulator/agents adds an agent the API knows", async () => {
    const late = "6ba7b814-9dad-11d1-80b4-00c04fd430c8";

    const added = await control("POST", "/agents", { id: late, name: "Via control" });

    expect(added.status).toBe(201);
    expect((await call("GET", `/agents/${late}`)).json).toMatchObject({
      id: late,
      name: "Via control",
      provider: "vapi",
    });
  });

  test("POST /_emulator/webhooks seeds a webhook the state shows without its secret", async () => {
    const seeded = await control("POST", "/webhooks", {
      organization: "default",
      url: HOOK_URL,
      secret: SECRET,
      description: "UI",
    });

    expect(seeded.status).toBe(201);
    expect(seeded.text).not.toContain(SECRET);
    const state = await control("GET", "/state");
    expect(state.json.webhooks).toEqual([
      expect.objectContaining({
        id: seeded.json.id,
        organization: "default",
        has_secret: true,
        description: "UI",
        last_triggered_at: null,
      }),
    ]);
    expect(state.text).not.toContain(SECRET);
    expect((await control("POST", "/webhooks", { organization: "default", url: HOOK_URL })).json.code).toBe(
      ErrorCodes.ALREADY_EXISTS,
    );
    expect((await control("POST", "/webhooks", { url: HOOK_URL })).json.details).toEqual({ field: "organization" });
  });

  test("POST /_emulator/faults faults the API until DELETE /_emulator/faults clears it", async () => {
    const posted = await control("POST", "/faults", {
      method: "GET",
      path: "/webhooks",
      times: 2,
      fault: { kind: "status", status: 429, retryAfter: "1" },
    });
    expect(posted.status).toBe(201);

    const faulted = await call("GET", "/webhooks");
    expect(await control("DELETE", "/faults")).toMatchObject({ status: 204 });
    const after = await call("GET", "/webhooks");

    expect([faulted.status, faulted.headers.get("retry-after"), after.status]).toEqual([429, "1", 200]);
  });

  test("POST /_emulator/faults refuses an invalid fault with 400 INVALID_FIELD_VALUE naming the field", async () => {
    const answer = await control("POST", "/faults", { fault: { kind: "delay" } });

    expectError(answer, 400, ErrorCodes.INVALID_FIELD_VALUE);
    expect(answer.json.details.field).toMatch(/^fault/);
  });

  test("GET /_emulator/state lists API requests and leaves control requests out", async () => {
    await call("GET", "/webhooks");
    await control("GET", "/state");

    const state = await control("GET", "/state");

    expect(state.json.requests).toEqual([
      expect.objectContaining({ method: "GET", path: "/api/v1/webhooks", status: 200 }),
    ]);
  });

  test("POST /_emulator/reset drops webhooks and the log", async () => {
    await createWebhook();

    expect((await control("POST", "/reset")).status).toBe(204);

    expect(await control("GET", "/state").then((a) => a.json)).toEqual({ webhooks: [], requests: [] });
  });

  test("an unknown control path is 404 and a wrong method 405", async () => {
    expect((await control("GET", "/nothing")).status).toBe(404);
    expect((await control("GET", "/reset")).status).toBe(405);
  });
});
