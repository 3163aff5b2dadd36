import { ErrorCodes, MIN_SECRET_LENGTH } from "../../src/api/assumptions";
import { ApiErrorBodySchema, WebhookListSchema, WebhookSchema } from "../../src/api/schemas";
import { AGENT_A, AGENT_B, UNKNOWN_WEBHOOK_ID } from "../support/agents";
import { emulator, useSharedEmulator } from "../support/emulator";
import { call, control, createWebhook, expectError } from "../support/emulator-http";
import { HOOK_URL, SECRET } from "../support/inputs";

useSharedEmulator();

describe("the webhooks API", () => {
  test("answers create, read, list, update and delete as documented", async () => {
    // When it is created
    const created = await call("POST", "/webhooks", {
      body: { url: HOOK_URL, description: "All agents", secret: SECRET },
    });
    // Then 201 answers the object without last_triggered_at/consecutive_failures
    expect(created.status).toBe(201);
    expect(Object.keys(created.json).sort()).toEqual(
      ["agent_id", "created_at", "description", "id", "is_enabled", "updated_at", "url"].sort(),
    );
    expect(created.json).toMatchObject({ url: HOOK_URL, description: "All agents", agent_id: null, is_enabled: true });
    expect(created.json.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.json.created_at).toBe(created.json.updated_at);
    expect(new Date(created.json.created_at).toISOString()).toBe(created.json.created_at);
    const id = created.json.id as string;

    // When it is read
    const got = await call("GET", `/webhooks/${id}`);
    expect(got.status).toBe(200);
    expect(WebhookSchema.parse(got.json)).toMatchObject({ id, last_triggered_at: null, consecutive_failures: 0 });

    // When it is listed
    const listed = await call("GET", "/webhooks");
    expect(listed.status).toBe(200);
    expect(WebhookListSchema.parse(listed.json)).toEqual({ webhooks: [got.json], total: 1 });

    // When it is updated
    const updated = await call("PUT", `/webhooks/${id}`, { body: { is_enabled: false, description: null } });
    expect(updated.status).toBe(200);
    expect(updated.json).toMatchObject({
      id,
      url: HOOK_URL,
      is_enabled: false,
      description: null,
      consecutive_failures: 0,
    });
    expect(updated.json.created_at).toBe(created.json.created_at);

    // When it is deleted
    const deleted = await call("DELETE", `/webhooks/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe("");
    expect(emulator.webhooks()).toEqual([]);
  });

  test("lists webhooks oldest first and filters exactly by ?agent_id", async () => {
    const org = await createWebhook({ url: HOOK_URL });
    const first = await createWebhook({ url: HOOK_URL, agent_id: AGENT_A });
    const second = await createWebhook({ url: HOOK_URL, agent_id: AGENT_B });

    const all = await call("GET", "/webhooks");
    const filtered = await call("GET", `/webhooks?agent_id=${AGENT_B}`);
    const upper = await call("GET", `/webhooks?agent_id=${AGENT_B.toUpperCase()}`);

    expect(all.json.webhooks.map((w: any) => w.id)).toEqual([org.id, first.id, second.id]);
    expect(all.json.total).toBe(3);
    expect(filtered.json).toEqual({ webhooks: [expect.objectContaining({ id: second.id })], total: 1 });
    expect(upper.json).toEqual({ webhooks: [], total: 0 });
  });

  test("moves updated_at forward on updates within the same millisecond", async () => {
    const frozen = Date.parse("2030-01-01T00:00:00.000Z");
    const now = jest.spyOn(Date, "now").mockReturnValue(frozen);
    try {
      const created = await createWebhook();
      const first = await call("PUT", `/webhooks/${created.id}`, { body: { description: "one" } });
      const second = await call("PUT", `/webhooks/${created.id}`, { body: { description: "two" } });

      expect(created.updated_at).toBe("2030-01-01T00:00:00.000Z");
      expect(first.json.updated_at).toBe("2030-01-01T00:00:00.001Z");
      expect(second.json.updated_at).toBe("2030-01-01T00:00:00.002Z");
    } finally {
      now.mockRestore();
    }
  });

  test("stores a new url and secret on update and keeps the secret out of the answer", async () => {
    const created = await createWebhook();
    const newSecret = "n".repeat(MIN_SECRET_LENGTH);

    const updated = await call("PUT", `/webhooks/${created.id}`, {
      body: { url: "http://127.0.0.1:9/hook", secret: newSecret },
    });

    expect(updated.json.url).toBe("http://127.0.0.1:9/hook");
    expect(updated.text).not.toContain(newSecret);
    expect(emulator.webhooks()[0]).toMatchObject({ url: "http://127.0.0.1:9/hook", secret: newSecret });
  });

  test("answers 404 NOT_FOUND to delete, read, update and test of a deleted webhook", async () => {
    const created = await createWebhook();
    expect((await call("DELETE", `/webhooks/${created.id}`)).status).toBe(204);

    expectError(await call("DELETE", `/webhooks/${created.id}`), 404, ErrorCodes.NOT_FOUND);
    expectError(await call("GET", `/webhooks/${created.id}`), 404, ErrorCodes.NOT_FOUND);
    expectError(
      await call("PUT", `/webhooks/${created.id}`, { body: { is_enabled: true } }),
      404,
      ErrorCodes.NOT_FOUND,
    );
    expectError(await call("POST", `/webhooks/${created.id}/test`), 404, ErrorCodes.NOT_FOUND);
  });
});

describe("a webhook's secret", () => {
  test("stays out of every answer and the log; only the state view holds it", async () => {
    const created = await call("POST", "/webhooks", { body: { url: HOOK_URL, secret: SECRET } });
    const id = created.json.id;
    const answers = [
      created,
      await call("GET", "/webhooks"),
      await call("GET", `/webhooks/${id}`),
      await call("PUT", `/webhooks/${id}`, { body: { secret: SECRET, description: "rotated" } }),
      await call("POST", `/webhooks/${id}/test`),
      await call("POST", "/webhooks", { body: { url: HOOK_URL, secret: SECRET } }), // 409
      await control("GET", "/state"),
    ];

    for (const answer of answers) expect(answer.text).not.toContain(SECRET);
    expect(JSON.stringify(emulator.requests())).not.toContain(SECRET);
    expect(answers[6].json.webhooks[0]).toMatchObject({ id, has_secret: true });
    expect(emulator.webhooks()[0].secret).toBe(SECRET);
  });

  test("is null, and has_secret false in the state, when none was given", async () => {
    await createWebhook();
    expect(emulator.webhooks()[0].secret).toBeNull();
    expect((await control("GET", "/state")).json.webhooks[0].has_secret).toBe(false);
  });
});

describe("the router", () => {
  test.each([
    ["GET", "/nowhere"],
    ["GET", ""],
    ["GET", "/webhooks/"],
    ["POST", "/webhooks/x/test/again"],
  ])("answers %s %s with 404 NOT_FOUND", async (method, path) => {
    expectError(await call(method, path), 404, ErrorCodes.NOT_FOUND);
  });

  test("answers a path outside /api/v1 with 404 and does not log it", async () => {
    const response = await fetch(`${new URL(emulator.url).origin}/health`);
    expect(response.status).toBe(404);
    expect(emulator.requests()).toEqual([]);
  });

  test.each([
    ["DELETE", "/webhooks"],
    ["PATCH", `/webhooks/${UNKNOWN_WEBHOOK_ID}`],
    ["GET", `/webhooks/${UNKNOWN_WEBHOOK_ID}/test`],
    ["POST", `/agents/${AGENT_A}`],
  ])("answers %s %s with 405, an Allow header and a JSON error body", async (method, path) => {
    const answer = await call(method, path);

    expect(answer.status).toBe(405);
    expect(ApiErrorBodySchema.parse(answer.json).code).toBe("METHOD_NOT_ALLOWED");
    expect(answer.headers.get("allow")).toBeTruthy();
  });

  test("logs path and query apart", async () => {
    await call("GET", `/webhooks?agent_id=${AGENT_A}`);
    expect(emulator.requests()[0]).toMatchObject({ path: "/api/v1/webhooks", query: `agent_id=${AGENT_A}` });
    expect(Date.parse(emulator.requests()[0].at)).not.toBeNaN();
  });
});
