import { ErrorCodes } from "../../src/api/assumptions";
import { AGENT_A } from "../support/agents";
import { emulator, KEY, useSharedEmulator, withEmulator } from "../support/emulator";
import { call, expectError } from "../support/emulator-http";
import { HOOK_URL } from "../support/inputs";

useSharedEmulator();

describe("authentication", () => {
  test.each([
    ["no Authorization header", null],
    ["an unknown key", "sk_live_" + "x".repeat(40)],
    ["an empty bearer token", ""],
  ])("answers 401 UNAUTHORIZED to a request with %s and logs it without an organization", async (_, key) => {
    const answer = await call("GET", "/webhooks", { key });

    expectError(answer, 401, ErrorCodes.UNAUTHORIZED);
    expect(emulator.requests()).toEqual([
      expect.objectContaining({ method: "GET", path: "/api/v1/webhooks", status: 401 }),
    ]);
    expect(emulator.requests()[0].organization).toBeUndefined();
  });

  test("answers 401 to a non-Bearer scheme, even with the right key", async () => {
    const response = await fetch(`${emulator.url}/webhooks`, { headers: { authorization: `Basic ${KEY}` } });
    expect(response.status).toBe(401);
  });

  test("logs the organization of a valid key", async () => {
    await call("GET", "/webhooks");
    expect(emulator.requests()[0]).toMatchObject({ status: 200, organization: "default", query: "" });
  });
});

describe("organizations", () => {
  const keys = { sk_test_alpha: "alpha", sk_test_beta: "beta" };

  test("keep webhooks apart (404 and an empty list for another organization), share agents and disable the default key", async () => {
    await withEmulator({ organizations: keys, agents: [{ id: AGENT_A }] }, async (other) => {
      const mine = (await call("POST", "/webhooks", { key: "sk_test_alpha", body: { url: HOOK_URL } }, other)).json;
      const beta = { key: "sk_test_beta" };

      expectError(await call("GET", `/webhooks/${mine.id}`, beta, other), 404, ErrorCodes.NOT_FOUND);
      expectError(
        await call("PUT", `/webhooks/${mine.id}`, { ...beta, body: { is_enabled: false } }, other),
        404,
        ErrorCodes.NOT_FOUND,
      );
      expectError(await call("DELETE", `/webhooks/${mine.id}`, beta, other), 404, ErrorCodes.NOT_FOUND);
      expectError(await call("POST", `/webhooks/${mine.id}/test`, beta, other), 404, ErrorCodes.NOT_FOUND);
      expect((await call("GET", "/webhooks", beta, other)).json).toEqual({ webhooks: [], total: 0 });
      // The same scope is free in the other organization, and both share the agents.
      expect((await call("POST", "/webhooks", { ...beta, body: { url: HOOK_URL } }, other)).status).toBe(201);
      expect((await call("GET", `/agents/${AGENT_A}`, beta, other)).status).toBe(200);
      expect(other.webhooks("alpha").map((w) => w.id)).toEqual([mine.id]);
      expect(other.webhooks("beta")).toHaveLength(1);
      expect(other.webhooks()).toHaveLength(2);
      // The default key is not accepted once organizations are given.
      expect((await call("GET", "/webhooks", {}, other)).status).toBe(401);
    });
  });
});
