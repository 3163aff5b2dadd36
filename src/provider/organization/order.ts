/**
 * The stable orders in which the data sources list what the API returns, the same on every machine and
 * run (code-point order, never the locale's): agents by name, then id; webhooks oldest first, then by id.
 */
import type { Agent, Webhook } from "../../api/schemas";

export function byNameThenId(a: Agent, b: Agent): number {
  return compare(a.name, b.name) || compare(a.id, b.id);
}

export function oldestFirst(a: Webhook, b: Webhook): number {
  return compare(a.created_at, b.created_at) || compare(a.id, b.id);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
