/**
 * Delivery health as a refresh sees it: a webhook whose last deliveries failed (`consecutive_failures > 0`)
 * is a warning in the plan and the apply, never a change. The counters stay out of the state, so they can
 * never make a diff or an "objects have changed outside of Terraform" note.
 */
import type { Webhook } from "../../api/schemas";
import { messages } from "../../messages";
import { warning, type Diagnostic } from "../protocol/definition";

export const FAILING_DELIVERIES_SUMMARY = "Preclinical webhook deliveries are failing";

/** The warnings a refreshed webhook gives: none when it is healthy (or the API does not say). */
export function deliveryHealth(webhook: Webhook): Diagnostic[] {
  const failures = webhook.consecutive_failures ?? 0;
  if (!(failures > 0)) return [];
  const detail = messages.deliveriesFailing({
    id: webhook.id,
    url: webhook.url,
    failures,
    lastTriggeredAt: webhook.last_triggered_at ?? null,
    enabled: webhook.is_enabled,
  });
  // The attribute path makes Terraform name the resource ("with preclinical_webhook.<name>") and its url line.
  // Terraform folds warnings with one summary into the first ("and one more similar warning elsewhere"): the
  // id in the summary keeps each failing webhook visible.
  return [warning(`${FAILING_DELIVERIES_SUMMARY} (webhook ${webhook.id})`, detail, "url")];
}
