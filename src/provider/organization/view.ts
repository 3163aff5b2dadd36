/**
 * What a configured provider hands every resource and data source: the API client, the shared agents
 * list, and the name of the variable the key came from (for messages). The webhook room's Session adds its
 * own shared webhook list to it.
 */
import type { PreclinicalClient } from "../../api/client";
import { COMMANDS, type UserCommands } from "../../messages";
import { AgentDirectory } from "./agents";

export interface OrganizationView {
  readonly client: PreclinicalClient;
  readonly agents: AgentDirectory;
  /** The name of the environment variable the key came from, for messages. */
  readonly apiKeyEnvVar: string;
  /** The commands the user runs (cdktf or terraform), for advice. */
  readonly commands: UserCommands;
}

export function organizationView(
  client: PreclinicalClient,
  apiKeyEnvVar: string,
  commands: UserCommands = COMMANDS.either,
): OrganizationView {
  return { client, agents: new AgentDirectory(() => client), apiKeyEnvVar, commands };
}
