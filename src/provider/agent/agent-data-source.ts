/**
 * `data "preclinical_agent"`: one agent of the organization, found by its exact name or by its id, so that
 * code names agents as people know them. The organization's agents list is read once per provider
 * process and shared (../organization/agents.ts).
 */
import { rules } from "../../api/rules";
import type { Agent } from "../../api/schemas";
import { messages, quote } from "../../messages";
import { apiFailure } from "../organization/failures";
import type { OrganizationView } from "../organization/view";
import {
  DiagnosticsError,
  error,
  warning,
  type BlockSchema,
  type DataSourceDefinition,
  type Diagnostic,
} from "../protocol/definition";
import { known, type ObjectValue } from "../protocol/values";
import { matchName } from "./matching";

export const AGENT_TYPE = "preclinical_agent";

export const AGENT_SCHEMA: BlockSchema = {
  version: 0,
  description:
    "One agent of the organization, found by its exact `name` or by its `id` (give one of them), for a " +
    "preclinical_webhook's agent_id. A name that matches no agent, or several, fails the plan.",
  attributes: {
    id: {
      type: "string",
      optional: true,
      computed: true,
      description: "The agent's id (a UUID). Give it, or `name`, not both.",
    },
    name: {
      type: "string",
      optional: true,
      computed: true,
      description: "The agent's name, as the Preclinical UI shows it; matched exactly. Give it, or `id`, not both.",
    },
    agent_provider: {
      type: "string",
      computed: true,
      description: "The voice platform the agent runs on (the API's `provider`, e.g. vapi, livekit).",
    },
    description: { type: "string", computed: true, description: "The agent's description, or null." },
    is_active: {
      type: "bool",
      computed: true,
      description: "Whether the agent is active. An inactive agent is a plan warning: it runs no tests.",
    },
  },
};

export function agentDataSource(organization: () => OrganizationView): DataSourceDefinition {
  return {
    schema: AGENT_SCHEMA,
    validate: validateAgentConfig,
    read: async (config) => readAgent(organization(), config),
  };
}

export function validateAgentConfig(config: ObjectValue): Diagnostic[] {
  const id = config.id;
  const name = config.name;
  if (id === null && name === null) return [error("Missing agent", messages.agentIdOrName("neither"))];
  if (id !== null && name !== null) return [error("Conflicting arguments", messages.agentIdOrName("both"), "name")];
  const givenId = known<string>(id);
  if (givenId !== undefined && !rules.agentId(givenId)) {
    return [error("Invalid attribute value", messages.agentIdRule(quote(givenId), "id"), "id")];
  }
  if (known<string>(name) === "") return [error("Invalid attribute value", messages.agentNameRule(), "name")];
  return [];
}

async function readAgent(organization: OrganizationView, config: ObjectValue) {
  const id = known<string>(config.id);
  const name = known<string>(config.name);
  const summary = "Cannot find the Preclinical agent";
  let agent: Agent;
  try {
    if (id !== undefined) {
      const found = await organization.agents.byId(id);
      if (!found) throw new DiagnosticsError([error(summary, messages.agentIdNotFound(id), "id")]);
      agent = found;
    } else {
      const match = matchName(await organization.agents.all(), name ?? "");
      if (match.kind === "none") {
        throw new DiagnosticsError([error(summary, messages.agentNameUnknown(name ?? "", match.closest), "name")]);
      }
      if (match.kind === "several") {
        const ids = match.agents.map((a) => a.id);
        throw new DiagnosticsError([error(summary, messages.agentNameAmbiguous(name ?? "", ids), "name")]);
      }
      agent = match.agent;
    }
  } catch (err) {
    throw apiFailure(summary, "read the organization's agents", err, organization);
  }
  const diagnostics = agent.is_active
    ? []
    : [warning("Inactive Preclinical agent", messages.agentInactive(agent.name, agent.id), id ? "id" : "name")];
  return {
    state: {
      // The configuration's spelling of the id is kept (UUIDs compare case-insensitively).
      id: id ?? agent.id,
      name: agent.name,
      agent_provider: agent.provider,
      description: agent.description ?? null,
      is_active: agent.is_active,
    },
    diagnostics,
  };
}
