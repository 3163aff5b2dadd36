/**
 * What a configured provider hands every resource and data source: the API client, the shared agents
 * list, and the name of the variable the key came from (for messages). The webhook room's Session adds its
 * own shared webhook list to it.
 */
import type { PreclinicalClient } from "../../api/client";
import { AgentDirectory } from "./agents";

export interface OrganizationView {
  readonly client: PreclinicalClient;
  readonly agents: AgentDirectory;
  /** The name of the environment variable the key came from, for messages. */
  readonly apiKeyEnvVar: string;
}

export function organizationView(client: PreclinicalClient, apiKeyEnvVar: string): OrganizationView {
  return { client, agents: new AgentDirectory(() => client), apiKeyEnvVar };
}
