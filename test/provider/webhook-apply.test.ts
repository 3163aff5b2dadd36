/**
 * The `preclinical_webhook` resource's apply without Terraform: creates (adoption, a lost answer), minimal
 * PUTs, secret rotation by secret_version, and deletes. A real PreclinicalClient talks to a real emulator
 * on a random port.
 */
import { messages } from "../../src/messages";
import { UNKNOWN, type ObjectValue } from "../../src/provider/protocol/values";
import { AGENT_A } from "../support/agents";
import { URL_1, URL_2, stateOf, useWebhookEmulator, webhook } from "../support/webhook-resource";
import { SECRET, SECRET_2 } from "../support/inputs";

const env = useWebhookEmulator();
const { newSession, resourceWith, seed, requestLines, stored } = env;

describe("apply", () => {
  test("creates with the secret from the configuration and keeps the secret out of the new state", async () => {
    const planned = webhook({
      description: "d",
      is_enabled: true,
      id: UNKNOWN,
      created_at: UNKNOWN,
      secret_version: "1",
      api_url: env.emulator.url,
    });
    const result = await resourceWith().apply({
      prior: null,
      planned,
      config: webhook({ description: "d", secret: SECRET, secret_version: "1" }),
    });
    const [created] = env.emulator.webhooks();
    expect(result.state).toEqual({ ...planned, id: created.id, created_at: created.created_at });
    expect(created).toMatchObject({ url: URL_1, description: "d", is_enabled: true, agent_id: null, secret: SECRET });
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  test("adopts the holder of the scope with adopt_existing: one PUT to it, no POST, its id in the state", async () => {
    const holder = seed({ agent_id: AGENT_A, url: "https://ui.example.com/old", is_enabled: false });
    const planned = webhook({
      agent_id: AGENT_A,
      adopt_existing: true,
      is_enabled: true,
      id: UNKNOWN,
      created_at: UNKNOWN,
    });
    const result = await resourceWith().apply({
      prior: null,
      planned,
      config: webhook({ agent_id: AGENT_A, adopt_existing: true }),
    });
    expect(result.state?.id).toBe(holder.id);
    expect(env.emulator.webhooks()).toHaveLength(1);
    expect(stored(holder.id)).toMatchObject({ url: URL_1, is_enabled: true });
    expect(requestLines().filter((l) => !l.startsWith("GET"))).toEqual([`PUT /webhooks/${holder.id}`]);
  });

  test("updates only the fields that changed: one PUT, and a field changed elsewhere but not in the plan is left alone", async () => {
    const hook = seed({ description: "changed in the UI", secret: SECRET });
    // The prior state says "old"; the plan keeps "old": description is not part of this change.
    const prior = stateOf(hook, { description: "old" });
    const planned = { ...prior, url: URL_2 };
    const session = newSession();
    const put = jest.spyOn(session.client, "updateWebhook");
    env.emulator.clearRequests();
    const result = await resourceWith(session).apply({
      prior,
      planned,
      config: webhook({ url: URL_2, description: "old", secret: SECRET_2 }),
    });
    expect(result.state).toEqual(planned);
    expect(put.mock.calls).toEqual([[hook.id, { url: URL_2 }]]);
    expect(requestLines()).toEqual([`PUT /webhooks/${hook.id}`]);
    expect(stored(hook.id)).toMatchObject({ url: URL_2, description: "changed in the UI", secret: SECRET });
  });

  test("sends a cleared description as null and a changed is_enabled alone", async () => {
    const hook = seed({ description: "to clear" });
    const prior = stateOf(hook);
    const session = newSession();
    const put = jest.spyOn(session.client, "updateWebhook");
    await resourceWith(session).apply({
      prior,
      planned: { ...prior, description: null, is_enabled: false },
      config: webhook({ is_enabled: false }),
    });
    expect(put.mock.calls).toEqual([[hook.id, { description: null, is_enabled: false }]]);
    expect(stored(hook.id)).toMatchObject({ description: null, is_enabled: false });
  });

  test("sends nothing when nothing changed, even with a secret in the configuration", async () => {
    const hook = seed({ secret: SECRET });
    const prior = stateOf(hook, { secret_version: "1" });
    env.emulator.clearRequests();
    const result = await resourceWith().apply({
      prior,
      planned: { ...prior },
      config: webhook({ secret: SECRET_2, secret_version: "1" }),
    });
    expect(result.state).toEqual(prior);
    expect(env.emulator.requests()).toEqual([]);
    expect(stored(hook.id)?.secret).toBe(SECRET);
  });

  test("sends the secret only when secret_version changes", async () => {
    const hook = seed({ secret: SECRET });
    const prior = stateOf(hook, { secret_version: "1" });
    const session = newSession();
    const put = jest.spyOn(session.client, "updateWebhook");

    // A URL change with the same secret_version: the secret stays out of the PUT.
    await resourceWith(session).apply({
      prior,
      planned: { ...prior, url: URL_2 },
      config: webhook({ url: URL_2, secret: SECRET_2, secret_version: "1" }),
    });
    expect(put.mock.calls[0][1]).toEqual({ url: URL_2 });
    expect(stored(hook.id)?.secret).toBe(SECRET);

    // secret_version moves: the secret is sent, and only it.
    const prior2 = { ...prior, url: URL_2 };
    const result = await resourceWith(session).apply({
      prior: prior2,
      planned: { ...prior2, secret_version: "2" },
      config: webhook({ url: URL_2, secret: SECRET_2, secret_version: "2" }),
    });
    expect(put.mock.calls[1][1]).toEqual({ secret: SECRET_2 });
    expect(stored(hook.id)?.secret).toBe(SECRET_2);
    expect(result.state).toMatchObject({ secret: null, secret_version: "2" });
    expect(put).toHaveBeenCalledTimes(2);
  });

  test("fails an update of a webhook deleted since the plan with advice to plan again", async () => {
    const hook = seed();
    const prior = stateOf(hook);
    env.emulator.reset();
    const apply = resourceWith().apply({ prior, planned: { ...prior, url: URL_2 }, config: webhook({ url: URL_2 }) });
    await expect(apply).rejects.toMatchObject({
      diagnostics: [expect.objectContaining({ detail: messages.goneSincePlan(String(hook.id)) })],
    });
  });

  test("resolves a create whose first answer was lost and whose retry met ALREADY_EXISTS by reading the scope back", async () => {
    env.emulator.injectFault({ method: "POST", path: "/webhooks", fault: { kind: "applyThenDrop" } });
    const planned = webhook({ agent_id: AGENT_A, is_enabled: true, id: UNKNOWN, created_at: UNKNOWN });
    const result = await resourceWith().apply({ prior: null, planned, config: webhook({ agent_id: AGENT_A }) });
    expect(env.emulator.webhooks()).toHaveLength(1);
    expect(result.state?.id).toBe(env.emulator.webhooks()[0].id);
    expect(
      env.emulator
        .requests()
        .filter((r) => r.method === "POST")
        .map((r) => r.status),
    ).toEqual(["dropped", 409]);
  });

  test("names the holder when another party took the scope between this process's plan and its POST", async () => {
    // Given: this process planned the create while the scope was free (the list it read then stays cached)
    const session = newSession();
    const resource = resourceWith(session);
    const config = webhook({ agent_id: AGENT_A });
    const planned = webhook({ agent_id: AGENT_A, is_enabled: true, id: UNKNOWN, created_at: UNKNOWN });
    const plan = await resource.plan({ prior: null, proposed: config, config });
    expect((plan.diagnostics ?? []).filter((d) => d.severity === "error")).toEqual([]);
    // When: another stack creates the scope's webhook, then this apply POSTs
    const holder = seed({ agent_id: AGENT_A, url: "https://other-stack.example.com/hook" });
    const apply = resource.apply({ prior: null, planned, config });
    // Then: the 409 is explained with the holder's id and the agent, as the plan would have
    await expect(apply).rejects.toMatchObject({
      diagnostics: [
        expect.objectContaining({ detail: messages.scopeHeld(AGENT_A, holder, "Triage bot"), attribute: "agent_id" }),
      ],
    });
  });

  // BUG: a create whose first attempt was applied but answered nothing (connection lost), and whose retries
  // then all failed (500s here; a deadline does the same), fails the apply with apiCallFailed's "Nothing else
  // was changed ... run terraform apply again; it picks up where this run stopped" (resource.ts create() ->
  // session.ts apiFailure). But the webhook WAS created and is in no state, so the next plan fails with
  // scopeHeld ("already holds webhook <id> ... which this resource does not manage"): the next apply does not
  // pick up, the user must import or set adopt_existing. Fix: when the create failed after an uncertain
  // attempt (PreclinicalApiError.afterUncertainAttempt, or a network error/timeout on POST), read the scope
  // back once more (client.findScopeWebhook) and, when it holds a webhook like the one asked for
  // (sameAsRequested in client.ts), return it as created; otherwise say in the diagnostic that the webhook may
  // have been created and how to adopt it, instead of "Nothing else was changed".
  test("leaves no unmanaged webhook that blocks the next plan when a lost create's retries all fail", async () => {
    env.emulator.injectFault({ method: "POST", path: "/webhooks", fault: { kind: "applyThenDrop" } });
    env.emulator.injectFault({ method: "POST", path: "/webhooks", times: 4, fault: { kind: "status", status: 500 } });
    const config = webhook({ agent_id: AGENT_A });
    const planned = webhook({ agent_id: AGENT_A, is_enabled: true, id: UNKNOWN, created_at: UNKNOWN });
    let created: ObjectValue | null = null;
    let failure: unknown;
    try {
      created = (await resourceWith().apply({ prior: null, planned, config })).state;
    } catch (err) {
      failure = err;
    }
    expect(env.emulator.webhooks()).toHaveLength(1); // the first attempt was applied
    if (failure === undefined) {
      expect(created?.id).toBe(env.emulator.webhooks()[0].id);
    } else {
      // The failed apply promised that running it again picks up where it stopped: the next plan must not fail.
      const next = await resourceWith().plan({ prior: null, proposed: config, config });
      expect((next.diagnostics ?? []).filter((d) => d.severity === "error")).toEqual([]);
    }
  });

  test("deletes a webhook", async () => {
    const hook = seed();
    const result = await resourceWith().apply({ prior: stateOf(hook), planned: null, config: null });
    expect(result.state).toBeNull();
    expect(env.emulator.webhooks()).toEqual([]);
  });

  test("succeeds in deleting a webhook that is already deleted", async () => {
    const hook = seed();
    env.emulator.reset();
    const result = await resourceWith().apply({ prior: stateOf(hook), planned: null, config: null });
    expect(result).toEqual({ state: null });
    expect(env.emulator.requests().map((r) => [r.method, r.status])).toEqual([["DELETE", 404]]);
  });
});
