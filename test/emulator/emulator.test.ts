import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import {
  Agent as HttpAgent,
  createServer,
  request as httpRequest,
  type IncomingHttpHeaders,
  type Server,
} from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { createInterface } from "node:readline";
import {
  ErrorCodes,
  MAX_DESCRIPTION_LENGTH,
  MAX_SECRET_LENGTH,
  MAX_URL_LENGTH,
  MIN_SECRET_LENGTH,
} from "../../src/api/assumptions";
import {
  AgentSchema,
  ApiErrorBodySchema,
  TestDeliveryResultSchema,
  WebhookListSchema,
  WebhookSchema,
} from "../../src/api/schemas";
import { parseCommandLine } from "../../src/emulator/bin";
import {
  EMULATOR_DEFAULT_API_KEY,
  EmulatorError,
  NON_LOOPBACK_MESSAGE,
  PreclinicalEmulator,
  type FaultKind,
} from "../../src/emulator";

const KEY = EMULATOR_DEFAULT_API_KEY;
const AGENT = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
const OTHER_AGENT = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";
const UNKNOWN_AGENT = "6ba7b812-9dad-11d1-80b4-00c04fd430c8";
const MISSING_ID = "11111111-2222-4333-8444-555555555555";
const SECRET = "whsec_" + "Zq9".repeat(10);
const HOOK_URL = "https://hooks.example.com/preclinical";

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** The parsed body, or undefined when it is empty or not JSON. */
  readonly json: any;
}

interface CallOptions {
  readonly body?: unknown;
  /** Sent verbatim instead of JSON.stringify(body). */
  readonly rawBody?: string;
  /** The API key; null sends no Authorization header. */
  readonly key?: string | null;
}

let emulator: PreclinicalEmulator;

/** Calls `path` relative to /api/v1 of `target` (default: the shared emulator). */
async function call(method: string, path: string, options: CallOptions = {}, target = emulator): Promise<Answer> {
  const key = options.key === undefined ? KEY : options.key;
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  const response = await fetch(`${target.url}${path}`, { method, headers, body });
  return toAnswer(response);
}

/** Calls a control endpoint (no auth). */
async function control(method: string, path: string, body?: unknown, target = emulator): Promise<Answer> {
  const response = await fetch(`${new URL(target.url).origin}/_emulator${path}`, {
    method,
    headers: { "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return toAnswer(response);
}

async function toAnswer(response: Response): Promise<Answer> {
  const text = await response.text();
  let json: unknown;
  try {
    json = text === "" ? undefined : JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

function expectError(answer: Answer, status: number, code: string): void {
  expect({ status: answer.status, code: answer.json?.code }).toEqual({ status, code });
  expect(ApiErrorBodySchema.parse(answer.json).error.length).toBeGreaterThan(0);
}

async function createWebhook(body: Record<string, unknown> = { url: HOOK_URL }, target = emulator): Promise<any> {
  const answer = await call("POST", "/webhooks", { body }, target);
  expect(answer.status).toBe(201);
  return answer.json;
}

/** Starts an extra emulator for one test and closes it afterwards. */
async function withEmulator<T>(
  options: Parameters<typeof PreclinicalEmulator.start>[0],
  run: (e: PreclinicalEmulator) => Promise<T>,
): Promise<T> {
  const other = await PreclinicalEmulator.start(options);
  try {
    return await run(other);
  } finally {
    await other.close();
  }
}

beforeAll(async () => {
  emulator = await PreclinicalEmulator.start({ agents: [{ id: AGENT, name: "Triage bot" }, { id: OTHER_AGENT }] });
});
afterEach(() => emulator.reset());
afterAll(() => emulator.close());

describe("startup", () => {
  test("the default key has the documented shape and the URL ends with /api/v1 on a random loopback port", () => {
    expect(EMULATOR_DEFAULT_API_KEY).toMatch(/^sk_test_[A-Za-z0-9]{40}$/);
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(new URL(emulator.url).port).not.toBe("0");
  });
});

describe("authentication", () => {
  test.each([
    ["no Authorization header", null],
    ["an unknown key", "sk_live_" + "x".repeat(40)],
    ["an empty bearer token", ""],
  ])("given %s, when listing webhooks, then the answer is 401 UNAUTHORIZED and logged", async (_, key) => {
    const answer = await call("GET", "/webhooks", { key });

    expectError(answer, 401, ErrorCodes.UNAUTHORIZED);
    expect(emulator.requests()).toEqual([
      expect.objectContaining({ method: "GET", path: "/api/v1/webhooks", status: 401 }),
    ]);
    expect(emulator.requests()[0].organization).toBeUndefined();
  });

  test("given a non-Bearer scheme with the right key, when calling, then it is 401", async () => {
    const response = await fetch(`${emulator.url}/webhooks`, { headers: { authorization: `Basic ${KEY}` } });
    expect(response.status).toBe(401);
  });

  test("given a valid key, when calling, then the log names the organization", async () => {
    await call("GET", "/webhooks");
    expect(emulator.requests()[0]).toMatchObject({ status: 200, organization: "default", query: "" });
  });
});

describe("webhook lifecycle", () => {
  test("given nothing, when a webhook is created, read, listed, updated and deleted, then each answer is as documented", async () => {
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

  test("given webhooks for the organization and two agents, when listing, then they come oldest first and ?agent_id filters exactly", async () => {
    const org = await createWebhook({ url: HOOK_URL });
    const first = await createWebhook({ url: HOOK_URL, agent_id: AGENT });
    const second = await createWebhook({ url: HOOK_URL, agent_id: OTHER_AGENT });

    const all = await call("GET", "/webhooks");
    const filtered = await call("GET", `/webhooks?agent_id=${OTHER_AGENT}`);
    const upper = await call("GET", `/webhooks?agent_id=${OTHER_AGENT.toUpperCase()}`);

    expect(all.json.webhooks.map((w: any) => w.id)).toEqual([org.id, first.id, second.id]);
    expect(all.json.total).toBe(3);
    expect(filtered.json).toEqual({ webhooks: [expect.objectContaining({ id: second.id })], total: 1 });
    expect(upper.json).toEqual({ webhooks: [], total: 0 });
  });

  test("given a created webhook, when it is updated in the same millisecond, then updated_at still moves forward", async () => {
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

  test("given a webhook, when updating url and secret, then the new url is stored and the secret kept out of the answer", async () => {
    const created = await createWebhook();
    const newSecret = "n".repeat(MIN_SECRET_LENGTH);

    const updated = await call("PUT", `/webhooks/${created.id}`, {
      body: { url: "http://127.0.0.1:9/hook", secret: newSecret },
    });

    expect(updated.json.url).toBe("http://127.0.0.1:9/hook");
    expect(updated.text).not.toContain(newSecret);
    expect(emulator.webhooks()[0]).toMatchObject({ url: "http://127.0.0.1:9/hook", secret: newSecret });
  });

  test("given a deleted webhook, when it is deleted, read, updated or tested again, then each is 404 NOT_FOUND", async () => {
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

describe("validation on create", () => {
  test.each([
    ["no url", { description: "x" }, ErrorCodes.MISSING_REQUIRED_FIELD, "url"],
    ["a null url", { url: null }, ErrorCodes.MISSING_REQUIRED_FIELD, "url"],
    ["an unparseable url", { url: "not a url" }, ErrorCodes.INVALID_FIELD_VALUE, "url"],
    ["a non-http(s) url", { url: "ftp://files.example.com/hook" }, ErrorCodes.INVALID_FIELD_VALUE, "url"],
    [
      "an over-long url",
      { url: `https://example.com/${"a".repeat(MAX_URL_LENGTH)}` },
      ErrorCodes.INVALID_FIELD_VALUE,
      "url",
    ],
    ["a url that is a number", { url: 42 }, ErrorCodes.INVALID_FIELD_VALUE, "url"],
    [
      "an over-long description",
      { url: HOOK_URL, description: "d".repeat(MAX_DESCRIPTION_LENGTH + 1) },
      ErrorCodes.INVALID_FIELD_VALUE,
      "description",
    ],
    [
      "an over-long secret",
      { url: HOOK_URL, secret: "s".repeat(MAX_SECRET_LENGTH + 1) },
      ErrorCodes.INVALID_FIELD_VALUE,
      "secret",
    ],
    [
      "a too short secret",
      { url: HOOK_URL, secret: "s".repeat(MIN_SECRET_LENGTH - 1) },
      ErrorCodes.INVALID_FIELD_VALUE,
      "secret",
    ],
    ["a string is_enabled", { url: HOOK_URL, is_enabled: "yes" }, ErrorCodes.INVALID_FIELD_VALUE, "is_enabled"],
    ["a numeric agent_id", { url: HOOK_URL, agent_id: 7 }, ErrorCodes.INVALID_FIELD_VALUE, "agent_id"],
    ["an unknown field", { url: HOOK_URL, colour: "red" }, ErrorCodes.INVALID_FIELD_VALUE, "colour"],
  ])("given %s, when creating, then it is 400 %s naming the field", async (_, body, code, field) => {
    const answer = await call("POST", "/webhooks", { body });

    expectError(answer, 400, code);
    expect(answer.json.details).toMatchObject({ field });
    expect(emulator.webhooks()).toEqual([]);
  });

  test.each([
    ["not JSON", "{url: nope"],
    ["a JSON array", "[]"],
    ["empty", ""],
  ])("given a body that is %s, when creating, then it is 400 INVALID_FIELD_VALUE for the body", async (_, rawBody) => {
    const answer = await call("POST", "/webhooks", { rawBody });

    expectError(answer, 400, ErrorCodes.INVALID_FIELD_VALUE);
    expect(answer.json.details).toEqual({ field: "body" });
  });

  test("given the longest allowed values, when creating, then it is accepted", async () => {
    const url = `https://example.com/${"a".repeat(MAX_URL_LENGTH - "https://example.com/".length)}`;
    const body = { url, description: "d".repeat(MAX_DESCRIPTION_LENGTH), secret: "s".repeat(MAX_SECRET_LENGTH) };

    expect((await call("POST", "/webhooks", { body })).status).toBe(201);
  });
});

describe("validation on update", () => {
  let id: string;
  beforeEach(async () => {
    id = (await createWebhook({ url: HOOK_URL, agent_id: AGENT })).id;
  });

  test.each([
    ["agent_id", { agent_id: OTHER_AGENT }, "agent_id"],
    ["agent_id null", { agent_id: null }, "agent_id"],
    ["an empty body", {}, "body"],
    ["a bad url", { url: "mailto:ops@example.com" }, "url"],
    ["an over-long description", { description: "d".repeat(MAX_DESCRIPTION_LENGTH + 1) }, "description"],
    ["an over-long secret", { secret: "s".repeat(MAX_SECRET_LENGTH + 1) }, "secret"],
    ["a null is_enabled", { is_enabled: null }, "is_enabled"],
    ["an unknown field", { enabled: true }, "enabled"],
  ])(
    "given %s, when updating, then it is 400 INVALID_FIELD_VALUE naming the field and nothing changes",
    async (_, body, field) => {
      const before = emulator.webhooks();

      const answer = await call("PUT", `/webhooks/${id}`, { body });

      expectError(answer, 400, ErrorCodes.INVALID_FIELD_VALUE);
      expect(answer.json.details).toMatchObject({ field });
      expect(emulator.webhooks()).toEqual(before);
    },
  );

  test("given agent_id in the body, when updating, then the message says it cannot be changed", async () => {
    const answer = await call("PUT", `/webhooks/${id}`, { body: { agent_id: OTHER_AGENT } });
    expect(answer.json.error).toBe("agent_id cannot be changed");
  });

  test("given a body that is not JSON, when updating, then it is 400 INVALID_FIELD_VALUE", async () => {
    expectError(await call("PUT", `/webhooks/${id}`, { rawBody: "nope" }), 400, ErrorCodes.INVALID_FIELD_VALUE);
  });
});

describe("scope rule", () => {
  test("given an organization-level webhook, when another one is created, then it is 409 ALREADY_EXISTS with the existing id", async () => {
    const existing = await createWebhook({ url: HOOK_URL });

    const answer = await call("POST", "/webhooks", { body: { url: "https://other.example.com/" } });

    expectError(answer, 409, ErrorCodes.ALREADY_EXISTS);
    expect(answer.json.details).toEqual({ existing_id: existing.id });
    expect(emulator.webhooks()).toHaveLength(1);
  });

  test("given an agent-level webhook, when another one for the same agent is created, then it is 409 with the existing id", async () => {
    const existing = await createWebhook({ url: HOOK_URL, agent_id: AGENT });

    const answer = await call("POST", "/webhooks", { body: { url: HOOK_URL, agent_id: AGENT } });

    expectError(answer, 409, ErrorCodes.ALREADY_EXISTS);
    expect(answer.json.details).toEqual({ existing_id: existing.id });
  });

  test.each([
    ["organization-level", {}],
    ["agent-level", { agent_id: AGENT }],
  ])(
    "given a disabled %s webhook, when another one for that scope is created, then it is still 409",
    async (_, scope) => {
      const existing = await createWebhook({ url: HOOK_URL, is_enabled: false, ...scope });

      const answer = await call("POST", "/webhooks", { body: { url: HOOK_URL, ...scope } });

      expectError(answer, 409, ErrorCodes.ALREADY_EXISTS);
      expect(answer.json.details.existing_id).toBe(existing.id);
    },
  );

  test("given an organization-level webhook, when webhooks for two different agents are created, then all three coexist", async () => {
    await createWebhook({ url: HOOK_URL });
    await createWebhook({ url: HOOK_URL, agent_id: AGENT });
    await createWebhook({ url: HOOK_URL, agent_id: OTHER_AGENT, description: null });

    expect(emulator.webhooks().map((w) => w.agent_id)).toEqual([null, AGENT, OTHER_AGENT]);
  });

  test("given a webhook that was deleted, when its scope is created again, then it succeeds", async () => {
    const first = await createWebhook({ url: HOOK_URL, agent_id: AGENT });
    await call("DELETE", `/webhooks/${first.id}`);

    expect((await call("POST", "/webhooks", { body: { url: HOOK_URL, agent_id: AGENT } })).status).toBe(201);
  });
});

describe("agents", () => {
  test("given a known agent, when it is read, then it has the documented fields", async () => {
    const answer = await call("GET", `/agents/${AGENT}`);

    expect(answer.status).toBe(200);
    expect(AgentSchema.parse(answer.json)).toEqual({
      id: AGENT,
      provider: "vapi",
      name: "Triage bot",
      description: null,
      is_active: true,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
  });

  test("given an unknown agent, when it is read, then it is 404 AGENT_NOT_FOUND", async () => {
    expectError(await call("GET", `/agents/${UNKNOWN_AGENT}`), 404, ErrorCodes.AGENT_NOT_FOUND);
  });

  test("given the default options, when creating a webhook for an unknown agent, then it is 404 NOT_FOUND", async () => {
    const answer = await call("POST", "/webhooks", { body: { url: HOOK_URL, agent_id: UNKNOWN_AGENT } });

    expectError(answer, 404, ErrorCodes.NOT_FOUND);
    expect(emulator.webhooks()).toEqual([]);
  });

  test("given unknownAgent 400 AGENT_NOT_FOUND, when creating a webhook for an unknown agent, then it is answered that way", async () => {
    await withEmulator({ unknownAgent: { status: 400, code: "AGENT_NOT_FOUND" } }, async (other) => {
      const answer = await call("POST", "/webhooks", { body: { url: HOOK_URL, agent_id: UNKNOWN_AGENT } }, other);
      expectError(answer, 400, ErrorCodes.AGENT_NOT_FOUND);
    });
  });

  test("given an agent added later, when creating a webhook for it, then it is accepted", async () => {
    const late = "6ba7b813-9dad-11d1-80b4-00c04fd430c8";
    emulator.addAgent({ id: late, name: "Late", provider: "retell" });

    expect((await call("POST", "/webhooks", { body: { url: HOOK_URL, agent_id: late } })).status).toBe(201);
    expect((await call("GET", `/agents/${late}`)).json).toMatchObject({ name: "Late", provider: "retell" });
  });
});

describe("secrets", () => {
  test("given a webhook with a secret, when it goes through every endpoint, then the secret is in no answer, not in the log, only in the state view", async () => {
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

  test("given a webhook without a secret, when viewing state, then secret is null and has_secret false", async () => {
    await createWebhook();
    expect(emulator.webhooks()[0].secret).toBeNull();
    expect((await control("GET", "/state")).json.webhooks[0].has_secret).toBe(false);
  });
});

describe("test delivery", () => {
  let receiver: Server;
  let receiverUrl: string;
  let received: { headers: IncomingHttpHeaders; body: any }[];
  let receiverStatus: number;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let text = "";
      req.setEncoding("utf8");
      req.on("data", (chunk: string) => (text += chunk));
      req.on("end", () => {
        received.push({ headers: req.headers, body: JSON.parse(text) });
        res.writeHead(receiverStatus).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  });
  beforeEach(() => {
    received = [];
    receiverStatus = 200;
  });
  afterAll(async () => {
    receiver.closeAllConnections();
    await new Promise((resolve) => receiver.close(resolve));
  });

  test("given a webhook on a loopback receiver that answers 200, when tested, then the test payload arrives and the result is a success", async () => {
    const hook = await createWebhook({ url: receiverUrl, agent_id: AGENT });

    const answer = await call("POST", `/webhooks/${hook.id}/test`);

    expect(answer.status).toBe(200);
    expect(TestDeliveryResultSchema.parse(answer.json)).toMatchObject({ success: true, http_status: 200 });
    expect(received).toHaveLength(1);
    expect(received[0].headers["content-type"]).toBe("application/json");
    expect(received[0].body).toMatchObject({
      event: "test",
      is_test: true,
      timestamp: expect.any(String),
      results_url: expect.stringMatching(/^https:\/\//),
      test_run: expect.objectContaining({
        status: "completed",
        pass_rate: expect.any(Number),
        total_scenarios: expect.any(Number),
      }),
    });
    const stored = (await call("GET", `/webhooks/${hook.id}`)).json;
    expect(stored.last_triggered_at).toEqual(expect.any(String));
    expect(stored.consecutive_failures).toBe(0);
  });

  test("given a loopback receiver that answers 500 twice, when tested twice, then both are failures and consecutive_failures counts them", async () => {
    const hook = await createWebhook({ url: receiverUrl });
    receiverStatus = 500;

    await call("POST", `/webhooks/${hook.id}/test`);
    const answer = await call("POST", `/webhooks/${hook.id}/test`);

    expect(answer.json).toMatchObject({ success: false, http_status: 500 });
    expect((await call("GET", `/webhooks/${hook.id}`)).json.consecutive_failures).toBe(2);

    receiverStatus = 204;
    expect((await call("POST", `/webhooks/${hook.id}/test`)).json).toMatchObject({ success: true, http_status: 204 });
    expect((await call("GET", `/webhooks/${hook.id}`)).json.consecutive_failures).toBe(0);
  });

  test("given a loopback URL where nothing listens, when tested, then it is a 200 answer with success false and no http_status", async () => {
    const dead = createServer();
    await new Promise<void>((resolve) => dead.listen(0, "127.0.0.1", resolve));
    const port = (dead.address() as AddressInfo).port;
    await new Promise((resolve) => dead.close(resolve));
    const hook = await createWebhook({ url: `http://127.0.0.1:${port}/hook` });

    const answer = await call("POST", `/webhooks/${hook.id}/test`);

    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ success: false, http_status: null });
  });

  test("given a webhook on a non-loopback host, when tested, then nothing is sent and the answer says why", async () => {
    const hook = await createWebhook({ url: "https://hooks.example.com/preclinical" });

    const answer = await call("POST", `/webhooks/${hook.id}/test`);

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ success: false, message: NON_LOOPBACK_MESSAGE, http_status: null });
    expect(received).toEqual([]);
    const stored = (await call("GET", `/webhooks/${hook.id}`)).json;
    expect(stored).toMatchObject({ last_triggered_at: expect.any(String), consecutive_failures: 1 });
  });
});

describe("routing", () => {
  test.each([
    ["GET", "/nowhere"],
    ["GET", ""],
    ["GET", "/webhooks/"],
    ["POST", "/webhooks/x/test/again"],
  ])("given an unknown path, when calling %s %s, then it is 404 NOT_FOUND", async (method, path) => {
    expectError(await call(method, path), 404, ErrorCodes.NOT_FOUND);
  });

  test("given a path outside /api/v1, when calling it, then it is 404 NOT_FOUND and not logged", async () => {
    const response = await fetch(`${new URL(emulator.url).origin}/health`);
    expect(response.status).toBe(404);
    expect(emulator.requests()).toEqual([]);
  });

  test.each([
    ["DELETE", "/webhooks"],
    ["PATCH", `/webhooks/${MISSING_ID}`],
    ["GET", `/webhooks/${MISSING_ID}/test`],
    ["POST", `/agents/${AGENT}`],
  ])("given a known path, when calling it with %s, then it is 405 with a JSON error body", async (method, path) => {
    const answer = await call(method, path);

    expect(answer.status).toBe(405);
    expect(ApiErrorBodySchema.parse(answer.json).code).toBe("METHOD_NOT_ALLOWED");
    expect(answer.headers.get("allow")).toBeTruthy();
  });

  test("given a query string, when calling, then the log keeps path and query apart", async () => {
    await call("GET", `/webhooks?agent_id=${AGENT}`);
    expect(emulator.requests()[0]).toMatchObject({ path: "/api/v1/webhooks", query: `agent_id=${AGENT}` });
    expect(Date.parse(emulator.requests()[0].at)).not.toBeNaN();
  });
});

describe("organizations", () => {
  const keys = { sk_test_alpha: "alpha", sk_test_beta: "beta" };

  test("given a webhook of organization alpha, when beta reads, updates, deletes or tests it, then each is 404 and beta lists nothing", async () => {
    await withEmulator({ organizations: keys, agents: [{ id: AGENT }] }, async (other) => {
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
      expect((await call("GET", `/agents/${AGENT}`, beta, other)).status).toBe(200);
      expect(other.webhooks("alpha").map((w) => w.id)).toEqual([mine.id]);
      expect(other.webhooks("beta")).toHaveLength(1);
      expect(other.webhooks()).toHaveLength(2);
      // The default key is not accepted once organizations are given.
      expect((await call("GET", "/webhooks", {}, other)).status).toBe(401);
    });
  });
});

describe("faults", () => {
  async function postWebhook(): Promise<Response> {
    return fetch(`${emulator.url}/webhooks`, {
      method: "POST",
      headers: { authorization: `Bearer ${KEY}`, "content-type": "application/json" },
      body: JSON.stringify({ url: HOOK_URL }),
    });
  }

  test("given a status fault with Retry-After, when the matching request comes, then it gets that status, header and a JSON error, once", async () => {
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

  test("given a status fault with a body, when the request comes, then the body is sent verbatim and nothing is applied", async () => {
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

  test("given faults for several requests, when requests come, then only matching ones get them, in queue order and `times` often", async () => {
    emulator.injectFault({ method: "POST", path: "/webhooks", times: 2, fault: { kind: "status", status: 500 } });
    emulator.injectFault({ path: /^\/agents\/[^/]+$/, fault: { kind: "status", status: 502 } });
    emulator.injectFault({ method: "POST", path: "/webhooks", fault: { kind: "status", status: 503 } });

    const statuses = [
      (await call("GET", "/webhooks")).status,
      (await call("POST", "/webhooks", { body: { url: HOOK_URL } })).status,
      (await call("GET", `/agents/${AGENT}`)).status,
      (await call("GET", `/agents/${AGENT}`)).status,
      (await call("POST", "/webhooks", { body: { url: HOOK_URL } })).status,
      (await call("POST", "/webhooks", { body: { url: HOOK_URL } })).status,
      (await call("POST", "/webhooks", { body: { url: HOOK_URL } })).status,
    ];

    expect(statuses).toEqual([200, 500, 502, 200, 500, 503, 201]);
  });

  test("given a delay fault, when the request comes, then it is answered normally after the delay", async () => {
    emulator.injectFault({ path: "/webhooks", fault: { kind: "delay", ms: 300 } });
    const started = Date.now();

    const answer = await call("POST", "/webhooks", { body: { url: HOOK_URL } });

    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(answer.status).toBe(201);
    expect(emulator.requests()[0]).toMatchObject({ status: 201, faulted: "delay" });
  });

  test("given a request held by a delay fault, when the log is read meanwhile, then it is there as pending, in arrival order", async () => {
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

  test("given a create held by a delay fault, when the emulator is reset meanwhile, then it is dropped and never applied", async () => {
    emulator.injectFault({ method: "POST", fault: { kind: "delay", ms: 300 } });
    const held = expect(postWebhook()).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 100));

    emulator.reset();
    await held;
    await new Promise((resolve) => setTimeout(resolve, 400));

    expect(emulator.webhooks()).toEqual([]);
  });

  test("given a drop fault, when a create comes, then the connection fails and nothing is created", async () => {
    emulator.injectFault({ method: "POST", fault: { kind: "drop" } });

    await expect(postWebhook()).rejects.toThrow();

    expect(emulator.webhooks()).toEqual([]);
    expect(emulator.requests()).toEqual([expect.objectContaining({ status: "dropped", faulted: "drop" })]);
    expect((await call("GET", "/webhooks")).status).toBe(200); // and the emulator keeps serving
  });

  test("given an applyThenDrop fault, when a create comes, then the connection fails but the webhook exists", async () => {
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
  ])(
    "given an applyThenFail fault with status %s, when a create comes, then it answers %i but the webhook exists",
    async (status, expected, code) => {
      const fault: FaultKind = status === undefined ? { kind: "applyThenFail" } : { kind: "applyThenFail", status };
      emulator.injectFault({ path: "/webhooks", fault });

      const answer = await call("POST", "/webhooks", { body: { url: HOOK_URL } });

      expectError(answer, expected, code);
      expect(emulator.webhooks()).toHaveLength(1);
    },
  );

  test("given an applyThenDrop fault on a delete, when it comes, then the webhook is gone although the client saw no answer", async () => {
    const hook = await createWebhook();
    emulator.injectFault({ method: "DELETE", fault: { kind: "applyThenDrop" } });

    await expect(
      fetch(`${emulator.url}/webhooks/${hook.id}`, { method: "DELETE", headers: { authorization: `Bearer ${KEY}` } }),
    ).rejects.toThrow();

    expect(emulator.webhooks()).toEqual([]);
  });

  test("given a notJson fault, when the request comes, then it is 200 text/html", async () => {
    emulator.injectFault({ fault: { kind: "notJson" } });

    const answer = await call("GET", "/webhooks");

    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toMatch(/^text\/html/);
    expect(answer.text).toBe("<html>oops</html>");
  });

  test("given a badSchema fault, when the request comes, then it is 200 with JSON the schemas reject", async () => {
    emulator.injectFault({ fault: { kind: "badSchema" } });

    const answer = await call("GET", "/webhooks");

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ unexpected: true });
    expect(WebhookListSchema.safeParse(answer.json).success).toBe(false);
  });

  test("given faults that were cleared, when requests come, then none is faulted", async () => {
    emulator.injectFault({ times: 5, fault: { kind: "status", status: 500 } });
    emulator.clearFaults();

    expect((await call("GET", "/webhooks")).status).toBe(200);
  });

  test("given a pending fault, when a control request comes, then it is not faulted and the fault waits for the API", async () => {
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
  ])("given %s, when injecting it, then it throws", (_, spec) => {
    expect(() => emulator.injectFault(spec as never)).toThrow(RangeError);
  });
});

describe("seeding and state", () => {
  test("given a seeded webhook, when the API lists it, then it is there, but the seeding was not logged", async () => {
    const seeded = emulator.seedWebhook("default", {
      url: HOOK_URL,
      agent_id: AGENT,
      secret: SECRET,
      is_enabled: false,
    });

    const listed = await call("GET", "/webhooks");

    expect(listed.json.webhooks).toEqual([
      expect.objectContaining({ id: seeded.id, agent_id: AGENT, is_enabled: false }),
    ]);
    expect(seeded).toMatchObject({ organization: "default", secret: SECRET });
    expect(emulator.requests()).toHaveLength(1);
  });

  test("given a fault, when seeding, then the seeding bypasses it", () => {
    emulator.injectFault({ fault: { kind: "drop" } });
    expect(emulator.seedWebhook("default", { url: HOOK_URL }).url).toBe(HOOK_URL);
  });

  test("given a taken scope, an invalid url or an unknown organization, when seeding, then it throws the API's error", () => {
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
    expect(codeOf(() => emulator.seedWebhook("default", { url: "nope", agent_id: AGENT }))).toBe(
      ErrorCodes.INVALID_FIELD_VALUE,
    );
    expect(codeOf(() => emulator.seedWebhook("default", { url: HOOK_URL, agent_id: UNKNOWN_AGENT }))).toBe(
      ErrorCodes.NOT_FOUND,
    );
    expect(codeOf(() => emulator.seedWebhook("nobody", { url: HOOK_URL, agent_id: AGENT }))).toBe(ErrorCodes.NOT_FOUND);
  });

  test("given state, faults and a log, when reset, then all are gone but agents stay", async () => {
    await createWebhook();
    emulator.injectFault({ fault: { kind: "status", status: 500 } });

    emulator.reset();

    expect(emulator.webhooks()).toEqual([]);
    expect(emulator.requests()).toEqual([]);
    expect((await call("GET", `/agents/${AGENT}`)).status).toBe(200);
  });

  test("given a log, when clearRequests is called, then only the log is emptied", async () => {
    await createWebhook();
    emulator.clearRequests();
    expect(emulator.requests()).toEqual([]);
    expect(emulator.webhooks()).toHaveLength(1);
  });

  test("given a state view, when it is mutated, then the emulator is not", async () => {
    await createWebhook();
    const view = emulator.webhooks();
    view[0].organization = "someone else";
    view.pop();
    expect(emulator.webhooks()[0].organization).toBe("default");
  });
});

describe("control endpoints", () => {
  test("given an agent posted to /_emulator/agents, when the API reads it, then it is known", async () => {
    const late = "6ba7b814-9dad-11d1-80b4-00c04fd430c8";

    const added = await control("POST", "/agents", { id: late, name: "Via control" });

    expect(added.status).toBe(201);
    expect((await call("GET", `/agents/${late}`)).json).toMatchObject({
      id: late,
      name: "Via control",
      provider: "vapi",
    });
  });

  test("given a webhook posted to /_emulator/webhooks, when the state is read, then it shows without its secret", async () => {
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

  test("given a fault posted to /_emulator/faults, when the API is called, then it is faulted; after DELETE it is not", async () => {
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

  test("given an invalid fault, when posted, then it is 400 INVALID_FIELD_VALUE naming the field", async () => {
    const answer = await control("POST", "/faults", { fault: { kind: "delay" } });

    expectError(answer, 400, ErrorCodes.INVALID_FIELD_VALUE);
    expect(answer.json.details.field).toMatch(/^fault/);
  });

  test("given API requests, when /_emulator/state is read, then it lists them and control requests are not logged", async () => {
    await call("GET", "/webhooks");
    await control("GET", "/state");

    const state = await control("GET", "/state");

    expect(state.json.requests).toEqual([
      expect.objectContaining({ method: "GET", path: "/api/v1/webhooks", status: 200 }),
    ]);
  });

  test("given state, when /_emulator/reset is posted, then webhooks and log are gone", async () => {
    await createWebhook();

    expect((await control("POST", "/reset")).status).toBe(204);

    expect(await control("GET", "/state").then((a) => a.json)).toEqual({ webhooks: [], requests: [] });
  });

  test("given an unknown control path or method, when called, then it is 404 or 405", async () => {
    expect((await control("GET", "/nothing")).status).toBe(404);
    expect((await control("GET", "/reset")).status).toBe(405);
  });
});

describe("connections", () => {
  test("given a keep-alive agent, when making three requests, then they share one socket", async () => {
    const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
    const reused: boolean[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        await new Promise<void>((resolve, reject) => {
          const req = httpRequest(
            `${emulator.url}/webhooks`,
            { agent, headers: { authorization: `Bearer ${KEY}` } },
            (res) => {
              res.resume();
              res.on("end", resolve);
            },
          );
          req.on("error", reject);
          req.end();
          reused.push(req.reusedSocket);
        });
      }
    } finally {
      agent.destroy();
    }
    expect(reused).toEqual([false, true, true]);
  });

  test("given an open keep-alive connection, when the emulator closes, then close resolves promptly", async () => {
    const other = await PreclinicalEmulator.start();
    expect((await call("GET", "/webhooks", {}, other)).status).toBe(200);

    const started = Date.now();
    await other.close();

    expect(Date.now() - started).toBeLessThan(1000);
    await expect(fetch(`${other.url}/webhooks`)).rejects.toThrow();
  });

  test("given a request delayed by a fault, when the emulator closes meanwhile, then close resolves promptly", async () => {
    const other = await PreclinicalEmulator.start();
    other.injectFault({ fault: { kind: "delay", ms: 30_000 } });
    const failed = expect(call("GET", "/webhooks", {}, other)).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 100));

    const started = Date.now();
    await other.close();

    expect(Date.now() - started).toBeLessThan(1000);
    await failed;
  });
});

describe("command line", () => {
  test("given keys with and without organizations and agents, when parsed, then options follow them", () => {
    expect(
      parseCommandLine(["--port", "8080", "--host", "::1", "--api-key", "k1", "--api-key=k2=acme", "--agent", AGENT]),
    ).toEqual({
      port: 8080,
      host: "::1",
      organizations: { k1: "default", k2: "acme" },
      agents: [{ id: AGENT }],
      anyAgent: false,
    });
    expect(parseCommandLine([])).toMatchObject({
      port: 0,
      host: "127.0.0.1",
      organizations: { [KEY]: "default" },
      agents: [],
      anyAgent: true,
    });
    expect(parseCommandLine(["--help"])).toMatchObject({ help: true });
    expect(() => parseCommandLine(["--port", "x"])).toThrow(/--port/);
    expect(() => parseCommandLine(["--bogus"])).toThrow();
  });
});

describe("agents", () => {
  test("given an emulator that accepts any agent, an unknown agent id is registered on first use, by GET and by create", async () => {
    const open = await PreclinicalEmulator.start({ anyAgent: true });
    try {
      const headers = { authorization: `Bearer ${KEY}`, "content-type": "application/json" };
      expect((await fetch(`${open.url}/agents/${AGENT}`, { headers })).status).toBe(200);
      const other = "9b2c7e4a-1f3d-4c5b-8a6e-2d7f0c1b3a59";
      const created = await fetch(`${open.url}/webhooks`, {
        method: "POST",
        headers,
        body: JSON.stringify({ url: "https://hooks.example.com/x", agent_id: other }),
      });
      expect(created.status).toBe(201);
    } finally {
      await open.close();
    }
  });
});

describe("the compiled bin", () => {
  const root = join(__dirname, "..", "..");
  const bin = join(root, "dist", "src", "emulator", "bin.js");

  /** Compiles the project when dist is missing or older than the emulator's sources. */
  beforeAll(() => {
    const sourceDir = join(root, "src", "emulator");
    const newestSource = Math.max(...readdirSync(sourceDir).map((file) => statSync(join(sourceDir, file)).mtimeMs));
    if (existsSync(bin) && statSync(bin).mtimeMs >= newestSource) return;
    try {
      execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], {
        cwd: root,
        stdio: "pipe",
      });
    } catch {
      // Type errors elsewhere in the project still emit JavaScript; the existence check below decides.
    }
    expect(existsSync(bin)).toBe(true);
  }, 120_000);

  test.each(["SIGTERM", "SIGINT"] as const)(
    "given the bin on port 0, when it prints its URL, serves a request and gets %s, then it exits with code 0",
    async (signal) => {
      const child = spawn(process.execPath, [bin, "--port", "0", "--api-key", "sk_test_bin=acme", "--agent", AGENT], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      try {
        const lines = createInterface({ input: child.stdout! });
        // The banner is four lines, possibly in one chunk: collect them all as they come.
        const banner: string[] = [];
        const [line, ...rest] = (await Promise.race([
          new Promise<string[]>((resolve) =>
            lines.on("line", (l) => {
              banner.push(l);
              if (banner.length === 4) resolve(banner);
            }),
          ),
          exited.then((code) => Promise.reject(new Error(`bin exited early with ${code}`))),
        ])) as string[];
        const match = /^Preclinical emulator listening on (http:\/\/127\.0\.0\.1:\d+\/api\/v1)$/.exec(line);
        // The lines after it name the key and how agents are treated.
        expect(rest.join("\n")).toContain("API key: sk_test_bin");
        expect(rest.join("\n")).toContain(`Agents: ${AGENT} (others are refused`);
        expect(match).not.toBeNull();
        const url = match![1];

        const agent = await fetch(`${url}/agents/${AGENT}`, { headers: { authorization: "Bearer sk_test_bin" } });
        expect(agent.status).toBe(200);
        const state: any = await fetch(`${new URL(url).origin}/_emulator/state`).then((r) => r.json());
        expect(state.requests).toEqual([expect.objectContaining({ organization: "acme", status: 200 })]);

        child.kill(signal);
        expect(await exited).toBe(0);
        await expect(fetch(`${url}/webhooks`)).rejects.toThrow();
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
    },
    60_000,
  );

  test("--help says what the emulator is, its options and how to deploy against it, and exits 0", () => {
    const out = execFileSync(process.execPath, [bin, "--help"], { encoding: "utf8" });
    expect(out).toContain("usage: preclinical-emulator");
    expect(out).toContain("without any, every agent id is accepted");
    expect(out).toContain("PRECLINICAL_API_URL");
  });
});
