/**
 * Which organization a webhook in state lives in. Each webhook records the API URL it was created or imported
 * through (`api_url`); a plan, read or apply through a provider that now points at another URL fails before
 * any request. Asking the other organization would find nothing, plan a second webhook there and leave the
 * first one behind, unmanaged and unmentioned.
 */
import { messages } from "../../messages";
import { DiagnosticsError, error } from "../protocol/definition";
import { known, type ObjectValue } from "../protocol/values";
import type { Organization } from "./session";

/**
 * The API URL to reach the webhook of `state` through. State written before api_url was recorded (null) is
 * taken to live where the provider points. With `mayFollow` (a read, a delete), a webhook recorded elsewhere
 * is reached at its own URL when the provider's configuration names no api_url: that is Terraform's implied
 * configuration of a provider block that left with its last webhook, and its default URL would be another
 * organization's. Anything else recorded elsewhere throws the diagnostic that names both URLs.
 */
export function homeUrl(state: ObjectValue, organization: Organization, mayFollow: boolean): string {
  const recorded = known<string>(state.api_url);
  if (recorded === undefined || recorded === organization.apiUrl) return organization.apiUrl;
  if (mayFollow && !organization.apiUrlConfigured) return recorded;
  throw new DiagnosticsError([
    error(
      "Webhook lives in another organization",
      messages.organizationMoved({
        id: String(state.id),
        agentId: known<string>(state.agent_id) ?? null,
        recorded,
        current: organization.apiUrl,
        configured: organization.apiUrlConfigured,
        commands: organization.commands,
      }),
    ),
  ]);
}
