/**
 * `data "preclinical_agents"`: the organization's agents, optionally of one provider, in a stable order
 * (by name, then id). Served from the agents list each provider process reads once (../organization).
 */
import { apiFailure } from "../organization/failures";
import { byNameThenId } from "../organization/order";
import type { OrganizationView } from "../organization/view";
import type { BlockSchema, DataSourceDefinition } from "../protocol/definition";
import { known, listOf, objectOf, type ObjectValue } from "../protocol/values";

export const AGENTS_TYPE = "preclinical_agents";

/** One element of `agents`: the API's fields, under the API's names. */
export const AGENT_OBJECT = objectOf({
  id: "string",
  name: "string",
  provider: "string",
  description: "string",
  is_active: "bool",
});

export const AGENTS_SCHEMA: BlockSchema = {
  version: 0,
  description: "The organization's agents, or those on one voice platform, sorted by name, then id.",
  attributes: {
    agent_provider: {
      type: "string",
      optional: true,
      description: "Only the agents on this platform (the API's `provider`, e.g. vapi, livekit); matched exactly.",
    },
    agents: {
      type: listOf(AGENT_OBJECT),
      computed: true,
      description: "The agents: id, name, provider, description (or null), is_active.",
    },
  },
};

export function agentsDataSource(organization: () => OrganizationView): DataSourceDefinition {
  return {
    schema: AGENTS_SCHEMA,
    validate: () => [],
    read: async (config) => {
      const view = organization();
      const provider = known<string>(config.agent_provider);
      try {
        const agents = (await view.agents.all())
          .filter((agent) => provider === undefined || agent.provider === provider)
          .sort(byNameThenId)
          .map((agent): ObjectValue => ({
            id: agent.id,
            name: agent.name,
            provider: agent.provider,
            description: agent.description ?? null,
            is_active: agent.is_active,
          }));
        return { state: { agent_provider: config.agent_provider, agents } };
      } catch (err) {
        throw apiFailure("Cannot list the Preclinical agents", "list the organization's agents", err, view);
      }
    },
  };
}
