import {
  ErrorCodes,
  MAX_DESCRIPTION_LENGTH,
  MAX_SECRET_LENGTH,
  MAX_URL_LENGTH,
  MIN_SECRET_LENGTH,
} from "../../src/api/assumptions";
import { AGENT_A, AGENT_B } from "../support/agents";
import { emulator, useSharedEmulator } from "../support/emulator";
import { call, createWebhook, expectError } from "../support/emulator-http";
import { HOOK_URL } from "../support/inputs";

useSharedEmulator();

describe("POST /webhooks", () => {
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
  ])("refuses %s with 400, naming the field", async (_, body, code, field) => {
    const answer = await call("POST", "/webhooks", { body });

    expectError(answer, 400, code);
    expect(answer.json.details).toMatchObject({ field });
    expect(emulator.webhooks()).toEqual([]);
  });

  test.each([
    ["not JSON", "{url: nope"],
    ["a JSON array", "[]"],
    ["empty", ""],
  ])("refuses a body that is %s with 400 INVALID_FIELD_VALUE for the body", async (_, rawBody) => {
    const answer = await call("POST", "/webhooks", { rawBody });

    expectError(answer, 400, ErrorCodes.INVALID_FIELD_VALUE);
    expect(answer.json.details).toEqual({ field: "body" });
  });

  test("accepts the longest allowed values", async () => {
    const url = `https://example.com/${"a".repeat(MAX_URL_LENGTH - "https://example.com/".length)}`;
    const body = { url, description: "d".repeat(MAX_DESCRIPTION_LENGTH), secret: "s".repeat(MAX_SECRET_LENGTH) };

    expect((await call("POST", "/webhooks", { body })).status).toBe(201);
  });
});

describe("PUT /webhooks/{id}", () => {
  let id: string;
  beforeEach(async () => {
    id = (await createWebhook({ url: HOOK_URL, agent_id: AGENT_A })).id;
  });

  test.each([
    ["agent_id", { agent_id: AGENT_B }, "agent_id"],
    ["agent_id null", { agent_id: null }, "agent_id"],
    ["an empty body", {}, "body"],
    ["a bad url", { url: "mailto:ops@example.com" }, "url"],
    ["an over-long description", { description: "d".repeat(MAX_DESCRIPTION_LENGTH + 1) }, "description"],
    ["an over-long secret", { secret: "s".repeat(MAX_SECRET_LENGTH + 1) }, "secret"],
    ["a null is_enabled", { is_enabled: null }, "is_enabled"],
    ["an unknown field", { enabled: true }, "enabled"],
  ])("refuses %s with 400 INVALID_FIELD_VALUE naming the field, and changes nothing", async (_, body, field) => {
    const before = emulator.webhooks();

    const answer = await call("PUT", `/webhooks/${id}`, { body });

    expectError(answer, 400, ErrorCodes.INVALID_FIELD_VALUE);
    expect(answer.json.details).toMatchObject({ field });
    expect(emulator.webhooks()).toEqual(before);
  });

  test("refuses agent_id with the message that it cannot be changed", async () => {
    const answer = await call("PUT", `/webhooks/${id}`, { body: { agent_id: AGENT_B } });
    expect(answer.json.error).toBe("agent_id cannot be changed");
  });

  test("refuses a body that is not JSON with 400 INVALID_FIELD_VALUE", async () => {
    expectError(await call("PUT", `/webhooks/${id}`, { rawBody: "nope" }), 400, ErrorCodes.INVALID_FIELD_VALUE);
  });
});

describe("the scope rule", () => {
  test("refuses a second organization-level webhook with 409 ALREADY_EXISTS and the existing id", async () => {
    const existing = await createWebhook({ url: HOOK_URL });

    const answer = await call("POST", "/webhooks", { body: { url: "https://other.example.com/" } });

    expectError(answer, 409, ErrorCodes.ALREADY_EXISTS);
    expect(answer.json.details).toEqual({ existing_id: existing.id });
    expect(emulator.webhooks()).toHaveLength(1);
  });

  test("refuses a second webhook for the same agent with 409 and the existing id", async () => {
    const existing = await createWebhook({ url: HOOK_URL, agent_id: AGENT_A });

    const answer = await call("POST", "/webhooks", { body: { url: HOOK_URL, agent_id: AGENT_A } });

    expectError(answer, 409, ErrorCodes.ALREADY_EXISTS);
    expect(answer.json.details).toEqual({ existing_id: existing.id });
  });

  test.each([
    ["organization-level", {}],
    ["agent-level", { agent_id: AGENT_A }],
  ])("counts a disabled %s webhook as taking its scope: another one is still 409", async (_, scope) => {
    const existing = await createWebhook({ url: HOOK_URL, is_enabled: false, ...scope });

    const answer = await call("POST", "/webhooks", { body: { url: HOOK_URL, ...scope } });

    expectError(answer, 409, ErrorCodes.ALREADY_EXISTS);
    expect(answer.json.details.existing_id).toBe(existing.id);
  });

  test("lets an organization-level webhook and webhooks for two different agents coexist", async () => {
    await createWebhook({ url: HOOK_URL });
    await createWebhook({ url: HOOK_URL, agent_id: AGENT_A });
    await createWebhook({ url: HOOK_URL, agent_id: AGENT_B, description: null });

    expect(emulator.webhooks().map((w) => w.agent_id)).toEqual([null, AGENT_A, AGENT_B]);
  });

  test("frees the scope of a deleted webhook", async () => {
    const first = await createWebhook({ url: HOOK_URL, agent_id: AGENT_A });
    await call("DELETE", `/webhooks/${first.id}`);

    expect((await call("POST", "/webhooks", { body: { url: HOOK_URL, agent_id: AGENT_A } })).status).toBe(201);
  });
});
