/** What a configured provider hands the webhook resource and data source: the organization, and its webhook list. */
import type { PreclinicalClient } from "../../api/client";
import { organizationView, type OrganizationView } from "../organization/view";
import { WebhookDirectory } from "./directory";

export { apiFailure } from "../organization/failures";

export interface Session extends OrganizationView {
  readonly directory: WebhookDirectory;
}

export function createSession(client: PreclinicalClient, apiKeyEnvVar: string): Session {
  return { ...organizationView(client, apiKeyEnvVar), directory: new WebhookDirectory(() => client) };
}
