/** What a configured provider hands the webhook resource and data source: the organization, and its webhook list. */
import type { PreclinicalClient } from "../../api/client";
import { COMMANDS, type UserCommands } from "../../messages";
import { organizationView, type OrganizationView } from "../organization/view";
import { WebhookDirectory } from "./directory";

export interface Session extends OrganizationView {
  readonly directory: WebhookDirectory;
}

/** Where the provider's configuration points, known without the API key. */
export interface Organization {
  /** The API URL, canonical (rules.ts canonicalApiUrl): as the client sends requests and state records it. */
  readonly apiUrl: string;
  /**
   * Whether the configuration names the API URL. Terraform's implied configuration of a provider block that
   * left the configuration with its last resource names nothing, and would mean the default URL.
   */
  readonly apiUrlConfigured: boolean;
  /** The commands the user runs (cdktf or terraform), for advice. */
  readonly commands?: UserCommands;
}

export function createSession(
  client: PreclinicalClient,
  apiKeyEnvVar: string,
  commands: UserCommands = COMMANDS.either,
): Session {
  return { ...organizationView(client, apiKeyEnvVar, commands), directory: new WebhookDirectory(() => client) };
}
