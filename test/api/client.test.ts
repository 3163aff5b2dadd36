/** The client's operations against the emulator: what each sends, returns and throws. */
import {
  PreclinicalApiError,
  PreclinicalClient,
  PreclinicalResponseError,
  isAgentNotFound,
  isAlreadyExists,
  isNotFound,
} from "../../src/api";
import { AGENT_A, AGENT_B, UNKNOWN_AGENT, UNKNOWN_AGENT_ANSWERS, UNKNOWN_WEBHOOK_ID } from "../support/agents";
import { client, useApiClients, withJsonServer } from "../support/api-client";
import { apiRequests, emulator, withEmulator } from "../support/emulator";
import { SECRET } from "../support/inputs";

useApiClients();

describe("operations", () => {
  test("create, get, list with and without the agent filter, update, test delivery and delete all work", async () => {
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
    await withEmulator({ organizations: { sk_test_a: "a", sk_test_b: "b" } }, async (other) => {
      const a = client({ apiKey: "sk_test_a", baseUrl: other.url });
      const b = client({ apiKey: "sk_test_b", baseUrl: other.url });
      const mine = await a.createWebhook({ url: "https://hooks.example.com/a" });
      expect(isNotFound(await b.getWebhook(mine.id).catch((e) => e))).toBe(true);
      expect(await b.listWebhooks()).toEqual([]);
    });
  });

  test.each(UNKNOWN_AGENT_ANSWERS)(
    "an unknown agent answered %i %s is recognised as agent-not-found",
    async (status, code) => {
      await withEmulator({ unknownAgent: { status, code } }, async (other) => {
        const api = client({ baseUrl: other.url });
        const err = await api.createWebhook({ url: "https://hooks.example.com/a", agent_id: AGENT_A }).catch((e) => e);
        expect(isAgentNotFound(err)).toBe(true);
        expect(err.status).toBe(status);
      });
    },
  );

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

describe("a test delivery's answer", () => {
  test.each([
    ["as documented", { success: false, message: "HTTP 500", http_status: 500 }],
    ["with http_status null (unreachable)", { success: false, message: "ECONNREFUSED", http_status: null }],
    ["without http_status (unreachable)", { success: false, message: "ECONNREFUSED" }],
    ["without a message", { success: true, http_status: 204 }],
    ["with a null message and fields of its own", { success: true, message: null, http_status: 200, ms: 12 }],
  ])("is read %s", async (_, body) => {
    await withJsonServer(
      () => body,
      async (api) => {
        expect(await api.testWebhook(UNKNOWN_WEBHOOK_ID)).toEqual(body);
      },
    );
  });

  test.each([
    ["without success", { message: "ok", http_status: 200 }],
    ["with http_status as text", { success: false, message: "x", http_status: "500" }],
  ])("is refused %s, naming the field", async (_, body) => {
    await withJsonServer(
      () => body,
      async (api) => {
        const err = await api.testWebhook(UNKNOWN_WEBHOOK_ID).catch((e) => e);
        expect(err).toBeInstanceOf(PreclinicalResponseError);
        expect(err.message).toMatch(/does not match the documented schema \((success|http_status):/);
      },
    );
  });
});
