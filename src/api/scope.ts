/**
 * The scope rule (one webhook per organization, one per agent) as the API operations, the provider and the
 * provisioners apply it to a list of webhooks, and the name every message gives a scope.
 */
import { ClientErrorCodes, PreclinicalError } from "./errors";
import type { CreateWebhookRequest, Webhook } from "./schemas";

/**
 * "organization-level scope" or "scope of agent <id>", as every message names a scope; with the agent's
 * name when it is known: `scope of agent <id> ("Healthcare Assistant")`.
 */
export function describeScope(agentId: string | null | undefined, agentName?: string): string {
  if (!agentId) return "organization-level scope";
  return agentName === undefined
    ? `scope of agent ${agentId}`
    : `scope of agent ${agentId} (${JSON.stringify(agentName)})`;
}

/**
 * The webhook of `webhooks` that holds a scope (agent ids compare case-insensitively, as UUIDs do). Throws
 * when the list breaks the one-webhook-per-scope rule.
 */
export function scopeHolder(webhooks: readonly Webhook[], agentId: string | null): Webhook | undefined {
  const wanted = agentId?.toLowerCase() ?? null;
  const inScope = webhooks.filter((w) => (w.agent_id?.toLowerCase() ?? null) === wanted);
  if (inScope.length > 1) {
    throw new PreclinicalError(
      ClientErrorCodes.API_CONTRACT_VIOLATION,
      `The ${describeScope(agentId)} holds ${inScope.length} webhooks (${inScope.map((w) => w.id).join(", ")}), ` +
        "but the API allows one per scope. Delete the extra ones in the Preclinical UI, then run again.",
    );
  }
  return inScope[0];
}

/** Whether a webhook found in a scope is the one a create asked for (a create whose answer was lost). */
export function sameAsRequested(existing: Webhook, asked: CreateWebhookRequest): boolean {
  return (
    existing.url === asked.url &&
    (existing.description ?? null) === (asked.description ?? null) &&
    existing.is_enabled === (asked.is_enabled ?? true)
  );
}
