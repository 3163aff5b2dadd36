/**
 * `preclinical_webhook_test` without Terraform: plan, apply, read, delete and import of a delivery test,
 * against a real emulator that delivers to a real receiver on a random loopback port.
 */
import { WebhookReceiver } from "../../src/emulator";
import { DiagnosticsError, type Diagnostic } from "../../src/provider/protocol/definition";
import { UNKNOWN, type ObjectValue, type Value } from "../../src/provider/protocol/values";
import { webhookTestResource } from "../../src/provider/webhook/webhook-test";
import { UNKNOWN_WEBHOOK_ID } from "../support/agents";
import { closedPort } from "../support/net";
import { flat } from "../support/webhook-config";
import { TF_1_11, useWebhookEmulator } from "../support/webhook-resource";

const env = useWebhookEmulator();
const resource = () => webhookTestResource(() => env.newSession());

let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await WebhookReceiver.start();
});
beforeEach(() => receiver.reset());
afterAll(() => receiver.close());

/** A full test object: every attribute present, null unless given. */
const test_ = (attrs: Record<string, Value> = {}): ObjectValue => ({
  webhook_id: null,
  triggers: null,
  webhook_enabled: null,
  success: null,
  http_status: null,
  message: null,
  tested_at: null,
  ...attrs,
});

const RESULTS_UNKNOWN: Record<string, Value> = {
  success: UNKNOWN,
  http_status: UNKNOWN,
  message: UNKNOWN,
  tested_at: UNKNOWN,
};

async function failure(run: () => Promise<unknown>): Promise<Diagnostic[]> {
  const err = await run().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(DiagnosticsError);
  return [...(err as DiagnosticsError).diagnostics];
}

describe("plan", () => {
  test("a new test leaves its results unknown, and asks the API nothing", async () => {
    const proposed = test_({ webhook_id: UNKNOWN, triggers: { url: receiver.url() } });
    const result = await resource().plan({ prior: null, proposed, config: proposed });
    expect(result).toEqual({ planned: { ...proposed, ...RESULTS_UNKNOWN } });
    expect(env.requestLines()).toEqual([]);
  });

  test("the same arguments keep the prior test; a change of any argument replaces it, naming which", async () => {
    const prior = test_({
      webhook_id: UNKNOWN_WEBHOOK_ID,
      triggers: { url: "https://a.example.com", secret_version: "1" },
      success: true,
      http_status: 200,
      message: "ok",
      tested_at: "2025-06-01T12:00:00.000Z",
    });
    const plan = (changes: Record<string, Value>) => {
      const proposed = { ...prior, ...changes };
      return resource().plan({ prior, proposed, config: proposed });
    };

    expect(await plan({ triggers: { secret_version: "1", url: "https://a.example.com" } })).toEqual({ planned: prior });
    expect((await plan({ triggers: { url: "https://b.example.com", secret_version: "1" } })).requiresReplace).toEqual([
      "triggers",
    ]);
    expect((await plan({ triggers: { url: "https://a.example.com" } })).requiresReplace).toEqual(["triggers"]);
    expect((await plan({ triggers: UNKNOWN })).requiresReplace).toEqual(["triggers"]);
    const replaced = await plan({ webhook_id: UNKNOWN, webhook_enabled: true });
    expect(replaced).toEqual({
      planned: { ...prior, webhook_id: UNKNOWN, webhook_enabled: true, ...RESULTS_UNKNOWN },
      requiresReplace: ["webhook_id", "webhook_enabled"],
    });
    // Terraform shows no warning of the replacement's own (null prior) plan: this one says it is not tested.
    const disabled = await plan({ webhook_enabled: false });
    expect(disabled).toEqual({
      planned: {
        ...prior,
        webhook_enabled: false,
        success: null,
        http_status: null,
        tested_at: null,
        message: "not tested: the webhook is disabled",
      },
      requiresReplace: ["webhook_enabled"],
      diagnostics: [expect.objectContaining({ severity: "warning", summary: "Webhook delivery not tested" })],
    });
  });

  test("a test of a disabled webhook is planned as not run, with a warning", async () => {
    const proposed = test_({ webhook_id: UNKNOWN_WEBHOOK_ID, webhook_enabled: false });
    const result = await resource().plan({ prior: null, proposed, config: proposed });
    expect(result.planned).toEqual({ ...proposed, message: "not tested: the webhook is disabled" });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        severity: "warning",
        summary: "Webhook delivery not tested",
        attribute: "webhook_enabled",
      }),
    ]);
    expect(result.diagnostics![0].detail).toContain(`The delivery of webhook ${UNKNOWN_WEBHOOK_ID} is not tested`);
  });
});

describe("apply", () => {
  test("a create asks for one test delivery and records what the receiver answered", async () => {
    const hook = env.seed({ url: receiver.url("/org") });
    const planned = test_({ webhook_id: hook.id, ...RESULTS_UNKNOWN });
    const before = Date.now();

    const result = await resource().apply({ prior: null, planned, config: planned });

    expect(result.state).toEqual({
      ...planned,
      success: true,
      http_status: 200,
      message: expect.any(String),
      tested_at: expect.any(String),
    });
    expect(Date.parse(String(result.state!.tested_at))).toBeGreaterThanOrEqual(before - 1000);
    expect(env.requestLines()).toEqual([`POST /webhooks/${hook.id}/test`]);
    expect(receiver.received("/org").map((d) => (d.body as { event: string }).event)).toEqual(["test"]);
  });

  test("a receiver's 500 fails the create, naming the webhook, its URL, the status and what to do", async () => {
    const hook = env.seed({ url: receiver.url("/org") });
    receiver.status = 500;
    const planned = test_({ webhook_id: hook.id, ...RESULTS_UNKNOWN });

    const [diagnostic, ...rest] = await failure(() => resource().apply({ prior: null, planned, config: planned }));

    expect(rest).toEqual([]);
    expect(diagnostic).toMatchObject({
      severity: "error",
      summary: "Webhook delivery test failed",
      attribute: "webhook_id",
    });
    expect(flat(diagnostic.detail)).toContain(
      `The test delivery to webhook ${hook.id} (${receiver.url("/org")}) failed: the receiver answered HTTP 500`,
    );
    expect(diagnostic.detail).toContain("The webhook itself is unchanged: same id");
    expect(diagnostic.detail).toContain("Then run terraform apply (cdktf deploy) again");
    // The URL comes from the webhook list: the test endpoint does not say it.
    expect(env.requestLines()).toEqual([`POST /webhooks/${hook.id}/test`, "GET /webhooks"]);
    expect(env.stored(hook.id)).toMatchObject({ id: hook.id, url: receiver.url("/org") });
  });

  test.each([401, 403])("a receiver's %i says to check the signing secret", async (status) => {
    const hook = env.seed({ url: receiver.url() });
    receiver.status = status;
    const planned = test_({ webhook_id: hook.id, ...RESULTS_UNKNOWN });
    const [diagnostic] = await failure(() => resource().apply({ prior: null, planned, config: planned }));
    expect(diagnostic.detail).toContain(`answered HTTP ${status}`);
    expect(diagnostic.detail).toContain("check that it accepts the webhook's signing secret");
  });

  test("an unreachable receiver fails the create, naming the connection failure", async () => {
    const port = await closedPort();
    const hook = env.seed({ url: `http://127.0.0.1:${port}/hook` });
    const planned = test_({ webhook_id: hook.id, ...RESULTS_UNKNOWN });

    const [diagnostic] = await failure(() => resource().apply({ prior: null, planned, config: planned }));

    expect(flat(diagnostic.detail)).toContain("failed: the receiver could not be reached (");
    expect(diagnostic.detail).toContain(`ECONNREFUSED 127.0.0.1:${port}`);
    expect(diagnostic.detail).toContain("Check that the URL is right and that the receiver is up");
  });

  test("a webhook deleted since the plan fails the create, saying the next apply creates it anew", async () => {
    const planned = test_({ webhook_id: UNKNOWN_WEBHOOK_ID, ...RESULTS_UNKNOWN });
    const [diagnostic] = await failure(() => resource().apply({ prior: null, planned, config: planned }));
    expect(diagnostic.detail).toContain(`Webhook ${UNKNOWN_WEBHOOK_ID} does not exist`);
  });

  test("an API that cannot be reached fails with the client's reason, not as a failed delivery", async () => {
    const hook = env.seed({ url: receiver.url() });
    env.emulator.injectFault({
      method: "POST",
      path: `/webhooks/${hook.id}/test`,
      fault: { kind: "status", status: 503 },
    });
    const planned = test_({ webhook_id: hook.id, ...RESULTS_UNKNOWN });
    const [diagnostic] = await failure(() => resource().apply({ prior: null, planned, config: planned }));
    expect(diagnostic.summary).toBe("POST /webhooks/{id}/test failed");
    expect(diagnostic.detail).toContain("503");
    expect(receiver.received()).toEqual([]);
  });

  test("a disabled webhook is not tested: no API call, a state that says so, and a warning unless the plan gave it", async () => {
    const known = test_({
      webhook_id: UNKNOWN_WEBHOOK_ID,
      webhook_enabled: false,
      message: "not tested: the webhook is disabled",
    });
    const learntAtApply = test_({ webhook_id: UNKNOWN_WEBHOOK_ID, webhook_enabled: false, ...RESULTS_UNKNOWN });

    const planWarned = await resource().apply({ prior: null, planned: known, config: known });
    const applyWarns = await resource().apply({ prior: null, planned: learntAtApply, config: learntAtApply });

    expect(planWarned).toEqual({ state: known, diagnostics: [] });
    expect(applyWarns.state).toEqual(known);
    expect(applyWarns.diagnostics).toEqual([expect.objectContaining({ severity: "warning" })]);
    expect(env.requestLines()).toEqual([]);
  });

  test("destroying a test, reading it and importing one call nothing", async () => {
    const state = test_({ webhook_id: UNKNOWN_WEBHOOK_ID, success: true, http_status: 200, message: "ok" });
    const r = resource();
    expect(await r.apply({ prior: state, planned: null, config: null })).toEqual({ state: null });
    expect(await r.read(state)).toEqual({ state });
    const [diagnostic] = await failure(() => r.import(UNKNOWN_WEBHOOK_ID));
    expect(diagnostic.detail).toContain("there is nothing to import");
    expect(env.requestLines()).toEqual([]);
  });
});

describe("validate", () => {
  test("a webhook_id that is not a UUID is refused; an unknown one waits for apply", () => {
    expect(resource().validate(test_({ webhook_id: "org" }), TF_1_11)).toEqual([
      expect.objectContaining({ severity: "error", attribute: "webhook_id" }),
    ]);
    expect(resource().validate(test_({ webhook_id: UNKNOWN }), TF_1_11)).toEqual([]);
    expect(resource().validate(test_({ webhook_id: UNKNOWN_WEBHOOK_ID }), TF_1_11)).toEqual([]);
  });
});
