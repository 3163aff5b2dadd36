/**
 * Delivery health on refresh, without Terraform: the read of a webhook whose deliveries fail warns, naming the
 * webhook, its URL, the count, the last delivery and what to do; a healthy one says nothing; and the state is
 * the same either way, so the counters can never show as a change. (test/provider/e2e/delivery.test.ts shows
 * it in terraform's own output.)
 */
import { deliveryHealth, FAILING_DELIVERIES_SUMMARY } from "../../src/provider/webhook/health";
import { URL_2, stateOf, useWebhookEmulator, webhook } from "../support/webhook-resource";
import { AGENT_A } from "../support/agents";
import { flat } from "../support/webhook-config";

const env = useWebhookEmulator();
const { resourceWith, seed } = env;
const LAST = "2025-06-01T12:00:00.000Z";

describe("read and delivery health", () => {
  test("a webhook with consecutive failures reads as a warning on its url, and the same state as a healthy one", async () => {
    const hook = seed();
    const resource = resourceWith();
    const healthy = await resource.read(stateOf(hook));

    env.emulator.setDeliveryHealth(hook.id, { consecutive_failures: 3, last_triggered_at: LAST });
    const failing = await resourceWith().read(stateOf(hook));

    expect(healthy.diagnostics).toEqual([]);
    expect(failing.state).toEqual(healthy.state);
    expect(failing.diagnostics).toEqual([
      {
        severity: "warning",
        summary: `${FAILING_DELIVERIES_SUMMARY} (webhook ${hook.id})`,
        detail: expect.any(String),
        attribute: "url",
      },
    ]);
    const detail = flat(failing.diagnostics![0].detail);
    expect(detail).toContain(`Webhook ${hook.id} (${hook.url}) failed its last 3 deliveries`);
    expect(detail).toContain(`last delivery attempt ${LAST}`);
    expect(detail).toMatch(/Check that the receiver is up.+preclinical_webhook_test.+verifyDelivery: true/);
    expect(detail).toContain("The count resets at the next successful delivery.");
  });

  test("one failure reads in the singular; a disabled webhook says so; no recorded attempt says so", () => {
    const base = { ...seed(), consecutive_failures: 1, last_triggered_at: null, is_enabled: false };
    const [diagnostic] = deliveryHealth(base);
    expect(flat(diagnostic.detail)).toContain(
      "failed its last delivery (consecutive_failures = 1; last delivery attempt not recorded)",
    );
    expect(diagnostic.detail).toContain("The webhook is disabled now");
  });

  test("a webhook without the counters (the API leaves them out) reads as healthy", () => {
    const { consecutive_failures: _, last_triggered_at: __, ...bare } = seed();
    expect(deliveryHealth(bare)).toEqual([]);
  });
});

describe("the counters in the shared webhook list", () => {
  test("a webhook this process creates lists with no failures, and one it updates keeps the counters the list had", async () => {
    const failing = seed({ agent_id: AGENT_A });
    env.emulator.setDeliveryHealth(failing.id, { consecutive_failures: 2, last_triggered_at: LAST });
    const session = env.newSession();
    const resource = resourceWith(session);
    await resource.read(stateOf(failing)); // the process reads the list

    const created = await resource.apply({ prior: null, planned: webhook({ is_enabled: true }), config: webhook() });
    await resource.apply({
      prior: stateOf(failing),
      planned: stateOf(failing, { url: URL_2 }),
      config: webhook({ url: URL_2, agent_id: AGENT_A }),
    });

    expect(await session.directory.byId(String(created.state!.id))).toMatchObject({
      consecutive_failures: 0,
      last_triggered_at: null,
    });
    expect(await session.directory.byId(failing.id)).toMatchObject({
      url: URL_2,
      consecutive_failures: 2,
      last_triggered_at: LAST,
    });
  });
});
