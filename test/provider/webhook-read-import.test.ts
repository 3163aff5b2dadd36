/**
 * The `preclinical_webhook` resource's read and import without Terraform, and the webhook list that the
 * reads of one run share (and that the resource's own writes keep current). A real PreclinicalClient talks
 * to a real emulator on a random port.
 */
import { messages } from "../../src/messages";
import { DiagnosticsError } from "../../src/provider/protocol/definition";
import { UNKNOWN, type ObjectValue } from "../../src/provider/protocol/values";
import { AGENT_A, AGENT_B, UNKNOWN_WEBHOOK_ID } from "../support/agents";
import { URL_1, URL_2, stateOf, useWebhookEmulator, webhook } from "../support/webhook-resource";
import { SECRET } from "../support/inputs";

const env = useWebhookEmulator();
const { resourceWith, seed, requestLines } = env;

describe("read and the shared webhook list", () => {
  test("reads a webhook as the API holds it, keeping secret_version from the state, and the write-only secret and adopt_existing null", async () => {
    const hook = seed({ agent_id: AGENT_A, description: "ui text", is_enabled: false, secret: SECRET });
    const state = webhook({
      id: hook.id,
      url: URL_2,
      agent_id: AGENT_A.toUpperCase(),
      secret_version: "7",
      adopt_existing: true,
      is_enabled: true,
    });
    const result = await resourceWith().read(state);
    expect(result.state).toEqual({
      id: hook.id,
      url: URL_1,
      description: "ui text",
      agent_id: AGENT_A.toUpperCase(), // the configuration's spelling of the same UUID
      is_enabled: false,
      secret: null,
      secret_version: "7",
      adopt_existing: null,
      created_at: hook.created_at,
      api_url: env.emulator.url, // recorded from the first read of state that had none
    });
  });

  test("reads a webhook deleted in the emulator as state null", async () => {
    const hook = seed();
    env.emulator.reset();
    const result = await resourceWith().read(stateOf(hook));
    expect(result.state).toBeNull();
  });

  test("serves N concurrent reads with exactly one GET /webhooks", async () => {
    const hooks = [
      seed(),
      ...Array.from({ length: 1 }, () => seed({ agent_id: AGENT_A })),
      seed({ agent_id: AGENT_B }),
    ];
    const resource = resourceWith();
    const results = await Promise.all(
      Array.from({ length: 12 }, (_, i) => resource.read(stateOf(hooks[i % hooks.length]))),
    );
    expect(results.map((r) => r.state?.id)).toEqual(Array.from({ length: 12 }, (_, i) => hooks[i % hooks.length].id));
    expect(requestLines()).toEqual(["GET /webhooks"]);
  });

  test("asks for the list again after a failed list, not keeping the failure", async () => {
    const hook = seed();
    env.emulator.injectFault({ method: "GET", path: "/webhooks", times: 5, fault: { kind: "status", status: 500 } });
    const resource = resourceWith();
    await expect(resource.read(stateOf(hook))).rejects.toBeInstanceOf(DiagnosticsError);
    const result = await resource.read(stateOf(hook));
    expect(result.state?.id).toBe(hook.id);
  });

  test("applies its own update to the shared list, so a read after the write sees it without listing again", async () => {
    const hook = seed();
    const resource = resourceWith();
    await resource.read(stateOf(hook));
    await resource.apply({
      prior: stateOf(hook),
      planned: stateOf(hook, { url: URL_2 }),
      config: webhook({ url: URL_2 }),
    });
    const after = await resource.read(stateOf(hook));
    expect(after.state?.url).toBe(URL_2);
    expect(requestLines()).toEqual(["GET /webhooks", `PUT /webhooks/${hook.id}`]);
  });

  test("applies its own delete to the shared list, so the deleted webhook reads as gone", async () => {
    const hook = seed();
    const resource = resourceWith();
    await resource.read(stateOf(hook));
    await resource.apply({ prior: stateOf(hook), planned: null, config: null });
    expect((await resource.read(stateOf(hook))).state).toBeNull();
    expect(requestLines()).toEqual(["GET /webhooks", `DELETE /webhooks/${hook.id}`]);
  });

  test("drops the shared list after a write that failed, so the next read asks the API", async () => {
    const hook = seed();
    const resource = resourceWith();
    await resource.read(stateOf(hook));
    env.emulator.injectFault({
      method: "PUT",
      path: `/webhooks/${hook.id}`,
      times: 5,
      fault: { kind: "applyThenFail", status: 500 },
    });
    await expect(
      resource.apply({ prior: stateOf(hook), planned: stateOf(hook, { url: URL_2 }), config: webhook({ url: URL_2 }) }),
    ).rejects.toBeInstanceOf(DiagnosticsError);
    const after = await resource.read(stateOf(hook));
    expect(after.state?.url).toBe(URL_2);
    expect(requestLines().filter((line) => line === "GET /webhooks")).toHaveLength(2);
  });

  test("finds a webhook it created in the shared list, without listing again", async () => {
    const resource = resourceWith();
    const other = seed({ agent_id: AGENT_A });
    await resource.read(stateOf(other));
    const planned = webhook({ id: UNKNOWN, created_at: UNKNOWN, is_enabled: true });
    const created = await resource.apply({ prior: null, planned, config: webhook() });
    const read = await resource.read(created.state as ObjectValue);
    expect(read.state?.id).toBe(created.state?.id);
  });

  // A list fetched while the POST was held does not hold the new webhook; the write is applied to it.
  test("does not serve, after a write, a list fetched while the write was in flight", async () => {
    const resource = resourceWith();
    const other = seed({ agent_id: AGENT_A });
    env.emulator.injectFault({ method: "POST", path: "/webhooks", fault: { kind: "delay", ms: 400 } });
    const planned = webhook({ id: UNKNOWN, created_at: UNKNOWN, is_enabled: true });
    const creating = resource.apply({ prior: null, planned, config: webhook() });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await resource.read(stateOf(other)); // lists while the POST is held
    const created = await creating;
    const read = await resource.read(created.state as ObjectValue);
    expect(read.state?.id).toBe(created.state?.id);
  });
});

describe("import", () => {
  test("imports by webhook id, by agent scope and by organization scope", async () => {
    const org = seed();
    const agent = seed({ agent_id: AGENT_A });
    const resource = resourceWith();
    expect((await resource.import(org.id)).state).toEqual(stateOf(org));
    expect((await resource.import(`agent/${AGENT_A}`)).state).toEqual(stateOf(agent));
    expect((await resource.import("organization")).state).toEqual(stateOf(org));
  });

  test("refuses an import id that is neither a UUID nor a scope, and an empty scope, with what to write instead", async () => {
    const resource = resourceWith();
    await expect(resource.import("hook-1")).rejects.toMatchObject({
      diagnostics: [expect.objectContaining({ detail: messages.importIdRule("hook-1") })],
    });
    await expect(resource.import(`agent/${AGENT_A}`)).rejects.toMatchObject({
      diagnostics: [expect.objectContaining({ detail: messages.importNothingInScope(AGENT_A) })],
    });
    await expect(resource.import(UNKNOWN_WEBHOOK_ID)).rejects.toMatchObject({
      diagnostics: [expect.objectContaining({ detail: messages.importNoSuchWebhook(UNKNOWN_WEBHOOK_ID) })],
    });
  });
});
