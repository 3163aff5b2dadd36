/**
 * `data "preclinical_webhooks"`: the organization's webhooks, or the one of an agent, with every field the
 * API returns but the secret (which no endpoint returns), oldest first. Served from the webhook list the
 * process shares with the resources' refresh (./directory.ts).
 */
import { rules } from "../../api/rules";
import { messages, quote } from "../../messages";
import { oldestFirst } from "../organization/order";
import { error, type BlockSchema, type DataSourceDefinition } from "../protocol/definition";
import { known, listOf, objectOf, type ObjectValue } from "../protocol/values";
import { apiFailure } from "../organization/failures";
import { type Session } from "./session";

export const WEBHOOKS_TYPE = "preclinical_webhooks";

export const WEBHOOK_OBJECT = objectOf({
  id: "string",
  url: "string",
  description: "string",
  agent_id: "string",
  is_enabled: "bool",
  last_triggered_at: "string",
  consecutive_failures: "number",
  created_at: "string",
  updated_at: "string",
});

export const WEBHOOKS_SCHEMA: BlockSchema = {
  version: 0,
  description:
    "The organization's webhooks, or the one of an agent, oldest first: every field the API returns but the " +
    "secret, which the API never returns.",
  attributes: {
    agent_id: {
      type: "string",
      optional: true,
      description:
        "Only the webhook of this agent (a UUID); unset: every webhook, the organization-level one included.",
    },
    webhooks: {
      type: listOf(WEBHOOK_OBJECT),
      computed: true,
      description:
        "The webhooks: id, url, description, agent_id (null for the organization-level one), is_enabled, " +
        "last_triggered_at (null before the first delivery), consecutive_failures, created_at, updated_at.",
    },
  },
};

export function webhooksDataSource(session: () => Session): DataSourceDefinition {
  return {
    schema: WEBHOOKS_SCHEMA,
    validate: (config) => {
      const agentId = known<string>(config.agent_id);
      return agentId !== undefined && !rules.agentId(agentId)
        ? [error("Invalid attribute value", messages.agentIdRule(quote(agentId), "agent_id"), "agent_id")]
        : [];
    },
    read: async (config) => {
      const current = session();
      const agentId = known<string>(config.agent_id)?.toLowerCase();
      try {
        const webhooks = (await current.directory.everything())
          .filter((w) => agentId === undefined || w.agent_id?.toLowerCase() === agentId)
          .sort(oldestFirst)
          .map((w): ObjectValue => ({
            id: w.id,
            url: w.url,
            description: w.description ?? null,
            agent_id: w.agent_id ?? null,
            is_enabled: w.is_enabled,
            last_triggered_at: w.last_triggered_at ?? null,
            consecutive_failures: w.consecutive_failures ?? null,
            created_at: w.created_at,
            updated_at: w.updated_at,
          }));
        return { state: { agent_id: config.agent_id, webhooks } };
      } catch (err) {
        throw apiFailure("Cannot list the Preclinical webhooks", "list the organization's webhooks", err, current);
      }
    },
  };
}
