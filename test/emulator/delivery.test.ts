/**
 * Deliveries to a real receiver on a random loopback port: the test endpoint's test event, and the
 * `test_run_completed` event of a test run completed through the emulator, with the delivery counters.
 */
import { TestDeliveryResultSchema, WebhookSchema } from "../../src/api/schemas";
import { NON_LOOPBACK_MESSAGE, WebhookReceiver } from "../../src/emulator";
import { AGENT_A, AGENT_B, UNKNOWN_AGENT, UNKNOWN_WEBHOOK_ID } from "../support/agents";
import { emulator, useSharedEmulator } from "../support/emulator";
import { call, control, createWebhook, expectError } from "../support/emulator-http";
import { closedPort } from "../support/net";

useSharedEmulator();

let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await WebhookReceiver.start();
});
beforeEach(() => receiver.reset());
afterAll(() => receiver.close());

const health = async (id: string) => {
  const { last_triggered_at, consecutive_failures } = WebhookSchema.parse((await call("GET", `/webhooks/${id}`)).json);
  return { last_triggered_at, consecutive_failures };
};

describe("POST /webhooks/{id}/test", () => {
  test("delivers the test payload to a loopback receiver and reports its 200 as a success", async () => {
    const hook = await createWebhook({ url: receiver.url(), agent_id: AGENT_A });

    const answer = await call("POST", `/webhooks/${hook.id}/test`);

    expect(answer.status).toBe(200);
    expect(TestDeliveryResultSchema.parse(answer.json)).toMatchObject({ success: true, http_status: 200 });
    expect(answer.json.message).toEqual(expect.any(String));
    const [delivery] = receiver.received();
    expect(receiver.received()).toHaveLength(1);
    expect(delivery).toMatchObject({ method: "POST", path: "/hook" });
    expect(delivery.headers["content-type"]).toBe("application/json");
    expect(delivery.body).toMatchObject({
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
  });

  test("reports a receiver's 500 as success false with the status, and leaves the delivery counters alone", async () => {
    const hook = await createWebhook({ url: receiver.url() });
    receiver.status = 500;

    const answer = await call("POST", `/webhooks/${hook.id}/test`);

    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ success: false, http_status: 500, message: expect.stringContaining("500") });
    // Test deliveries do not count (assumption 6 in src/api/assumptions.ts).
    expect(await health(hook.id)).toEqual({ last_triggered_at: null, consecutive_failures: 0 });
  });

  test("answers 200 with success false, no http_status and the connection failure when nothing listens", async () => {
    const port = await closedPort();
    const hook = await createWebhook({ url: `http://127.0.0.1:${port}/hook` });

    const answer = await call("POST", `/webhooks/${hook.id}/test`);

    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ success: false, http_status: null });
    expect(answer.json.message).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
  });

  test("sends nothing to a non-loopback host and answers why", async () => {
    const hook = await createWebhook({ url: "https://hooks.example.com/preclinical" });

    const answer = await call("POST", `/webhooks/${hook.id}/test`);

    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ success: false, message: NON_LOOPBACK_MESSAGE, http_status: null });
    expect(receiver.received()).toEqual([]);
  });
});

describe("a completed test run (POST /_emulator/test-runs)", () => {
  test("is delivered as test_run_completed to the agent's own webhook, not the organization's", async () => {
    const org = await createWebhook({ url: receiver.url("/org") });
    const own = await createWebhook({ url: receiver.url("/a"), agent_id: AGENT_A });

    const answer = await control("POST", "/test-runs", { agent_id: AGENT_A, passed_count: 3, failed_count: 1 });

    expect(answer.status).toBe(200);
    expect(answer.json).toMatchObject({ webhook_id: own.id, delivered: true, success: true, http_status: 200 });
    expect(receiver.received("/org")).toEqual([]);
    const [delivery] = receiver.received("/a");
    expect(delivery.body).toEqual({
      event: "test_run_completed",
      timestamp: expect.any(String),
      test_run: {
        id: expect.any(String),
        test_run_id: expect.any(String),
        name: expect.any(String),
        agent_id: AGENT_A,
        agent_name: expect.any(String),
        status: "completed",
        pass_rate: 75,
        passed_count: 3,
        failed_count: 1,
        error_count: 0,
        total_scenarios: 4,
        started_at: expect.any(String),
        completed_at: expect.any(String),
        duration_seconds: expect.any(Number),
      },
      results_url: expect.stringMatching(/^https:\/\/.+\/test-runs\//),
    });
    expect(await health(own.id)).toEqual({ last_triggered_at: expect.any(String), consecutive_failures: 0 });
    expect(await health(org.id)).toEqual({ last_triggered_at: null, consecutive_failures: 0 });
  });

  test("goes to the organization-level webhook for an agent without one of its own", async () => {
    const org = await createWebhook({ url: receiver.url("/org") });

    const result = await emulator.completeTestRun(AGENT_B, { status: "failed" });

    expect(result).toMatchObject({ webhook_id: org.id, delivered: true, success: true });
    expect(receiver.received("/org").map((d) => (d.body as any).test_run.status)).toEqual(["failed"]);
  });

  test("counts failed deliveries in consecutive_failures and resets them at the next success", async () => {
    const hook = await createWebhook({ url: receiver.url() });
    receiver.status = 503;

    await emulator.completeTestRun(AGENT_A);
    const second = await emulator.completeTestRun(AGENT_A);
    const failing = await health(hook.id);

    expect(second).toMatchObject({ delivered: true, success: false, http_status: 503 });
    expect(failing).toEqual({ last_triggered_at: expect.any(String), consecutive_failures: 2 });

    receiver.status = 204;
    expect(await emulator.completeTestRun(AGENT_A)).toMatchObject({ success: true, http_status: 204 });
    const healthy = await health(hook.id);
    expect(healthy.consecutive_failures).toBe(0);
    expect(Date.parse(healthy.last_triggered_at!)).toBeGreaterThanOrEqual(Date.parse(failing.last_triggered_at!));
  });

  test("counts an unreachable receiver as a failure", async () => {
    const hook = await createWebhook({ url: `http://127.0.0.1:${await closedPort()}/hook` });

    const result = await emulator.completeTestRun(AGENT_A);

    expect(result).toMatchObject({ delivered: true, success: false, http_status: null });
    expect(result.message).toContain("ECONNREFUSED");
    expect((await health(hook.id)).consecutive_failures).toBe(1);
  });

  test("delivers nothing when no webhook serves the agent, or when the serving one is disabled", async () => {
    expect(await emulator.completeTestRun(AGENT_A)).toMatchObject({ webhook_id: null, delivered: false });

    await createWebhook({ url: receiver.url("/org") });
    const paused = await createWebhook({ url: receiver.url("/a"), agent_id: AGENT_A, is_enabled: false });
    const result = await emulator.completeTestRun(AGENT_A);

    // A disabled agent-level webhook still overrides (assumption 7): the agent's runs are paused, not rerouted.
    expect(result).toMatchObject({ webhook_id: paused.id, delivered: false, success: false });
    expect(receiver.received()).toEqual([]);
    expect(await health(paused.id)).toEqual({ last_triggered_at: null, consecutive_failures: 0 });
  });

  test("never sends to a non-loopback host, and counts that as a failed delivery", async () => {
    const hook = await createWebhook({ url: "https://hooks.example.com/preclinical" });

    const result = await emulator.completeTestRun(AGENT_A);

    expect(result).toMatchObject({ delivered: true, success: false, message: NON_LOOPBACK_MESSAGE });
    expect((await health(hook.id)).consecutive_failures).toBe(1);
  });

  test("refuses an unknown agent and an invalid body", async () => {
    expectError(await control("POST", "/test-runs", { agent_id: UNKNOWN_AGENT }), 404, "AGENT_NOT_FOUND");
    expectError(await control("POST", "/test-runs", { agent: AGENT_A }), 400, "INVALID_FIELD_VALUE");
    expectError(await control("POST", "/test-runs", { agent_id: AGENT_A, status: "done" }), 400, "INVALID_FIELD_VALUE");
  });
});

describe("seeding delivery health (PUT /_emulator/webhooks/{id}/health)", () => {
  test("sets the counters the API then answers, with last_triggered_at now unless given", async () => {
    const hook = await createWebhook({ url: receiver.url() });

    const seeded = await control("PUT", `/webhooks/${hook.id}/health`, { consecutive_failures: 4 });
    const at = "2025-06-01T12:00:00.000Z";
    emulator.setDeliveryHealth(hook.id, { consecutive_failures: 5, last_triggered_at: at });

    expect(seeded.status).toBe(200);
    expect(seeded.json).toMatchObject({ id: hook.id, consecutive_failures: 4, last_triggered_at: expect.any(String) });
    expect(await health(hook.id)).toEqual({ last_triggered_at: at, consecutive_failures: 5 });
    expectError(
      await control("PUT", `/webhooks/${hook.id}/health`, { consecutive_failures: -1 }),
      400,
      "INVALID_FIELD_VALUE",
    );
    expectError(
      await control("PUT", `/webhooks/${UNKNOWN_WEBHOOK_ID}/health`, { consecutive_failures: 1 }),
      404,
      "NOT_FOUND",
    );
  });
});
