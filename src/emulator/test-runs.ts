/**
 * Test runs that complete: the emulator's stand-in for Preclinical finishing a test of an agent. The run is
 * delivered as the service delivers it, to the webhook that serves the agent (its own, else the
 * organization's), and the delivery moves that webhook's `last_triggered_at` and `consecutive_failures`.
 */
import { deliver, testRunCompletedPayload, type DeliveryOutcome, type TestRunInput } from "./delivery";
import type { EmulatorStore } from "./store";

/** What completing a test run came to. */
export interface TestRunDelivery extends DeliveryOutcome {
  /** The webhook that serves the agent, or null when none does. */
  readonly webhook_id: string | null;
  /** Whether a delivery was attempted (false: no webhook serves the agent, or it is disabled). */
  readonly delivered: boolean;
  /** The body that was (or would have been) POSTed. */
  readonly payload: Record<string, unknown>;
}

export async function completeTestRun(
  store: EmulatorStore,
  organization: string,
  agentId: string,
  run: TestRunInput = {},
): Promise<TestRunDelivery> {
  const payload = testRunCompletedPayload(store.getAgent(agentId), run);
  const webhook = store.servingWebhook(organization, agentId);
  if (!webhook) {
    const message = `no webhook serves agent ${agentId}: nothing was delivered`;
    return { webhook_id: null, delivered: false, success: false, message, http_status: null, payload };
  }
  if (!webhook.is_enabled) {
    const message = `webhook ${webhook.id} is disabled: nothing was delivered`;
    return { webhook_id: webhook.id, delivered: false, success: false, message, http_status: null, payload };
  }
  const outcome = await deliver(webhook.url, payload);
  // The webhook may have changed or gone while the delivery was in flight.
  const current = store.findWebhook(organization, webhook.id);
  if (current) store.recordDelivery(current, outcome.success);
  return { webhook_id: webhook.id, delivered: true, ...outcome, payload };
}
