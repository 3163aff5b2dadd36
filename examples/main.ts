/**
 * An example cdktf app: the Preclinical webhooks of one organization, declared in code.
 *
 * - The organization-level webhook receives every agent's test runs; two agents have their own: one found by
 *   its name at plan time (PreclinicalAgent.fromName), one by its id.
 * - The signing secret comes from a sensitive Terraform variable (TF_VAR_webhook_secret in a pipeline).
 * - The API URL is read at synth time from PRECLINICAL_API_URL (default: the production API), and the
 *   API key at plan and apply time from PRECLINICAL_API_KEY, which is never written into the stack.
 * - The webhooks use the native provider (the default engine): `cdktf diff` shows changes made in the
 *   Preclinical UI, and the organization webhook's id is an output.
 * - The triage agent's webhook verifies its delivery: the deploy fails unless Preclinical's test event
 *   reaches its URL (TF_VAR_triage_url).
 *
 * In your own project, import from "cdktf-preclinical-webhooks" instead of "../src".
 */
import { App, TerraformOutput, TerraformStack, TerraformVariable } from "cdktf";
import type { Construct } from "constructs";
import { PreclinicalAgent, PreclinicalWebhook } from "../src";

/** The agents of this example, as the Preclinical UI shows them. */
export const EXAMPLE_AGENTS = {
  triage: "6ba7b810-9dad-11d1-80b4-00c04fd430c8",
  intake: "9b2c7e4a-1f3d-4c5b-8a6e-2d7f0c1b3a59",
} as const;
export const TRIAGE_AGENT_NAME = "Triage bot";

export class PreclinicalWebhooksStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);

    const secret = new TerraformVariable(this, "webhook_secret", {
      type: "string",
      sensitive: true,
      description: "The secret Preclinical signs webhook deliveries with (16 to 256 characters).",
    });
    const triageUrl = new TerraformVariable(this, "triage_url", {
      type: "string",
      default: "https://hooks.example.com/preclinical/triage",
      description: "Where Preclinical POSTs the triage agent's test runs.",
    });
    const triageEnabled = new TerraformVariable(this, "triage_enabled", {
      type: "bool",
      default: true,
      description: "Set to false to pause deliveries for the triage agent, e.g. during maintenance.",
    });

    const organization = new PreclinicalWebhook(this, "organization", {
      url: "https://hooks.example.com/preclinical",
      secret: secret.stringValue,
      description: "Every agent's test runs",
    });
    new TerraformOutput(this, "organization_webhook_id", {
      value: organization.webhookId,
      description: "The id of the organization-level webhook, as the Preclinical UI shows it.",
    });
    new PreclinicalWebhook(this, "triage", {
      url: triageUrl.stringValue,
      secret: secret.stringValue,
      // Found by name when the plan runs: a reviewer reads which agent, and a wrong name fails the plan.
      agentId: PreclinicalAgent.fromName(this, "triage-agent", TRIAGE_AGENT_NAME).agentId,
      isEnabled: triageEnabled.booleanValue,
      description: "Triage agent: pages the on-call clinician on failures",
      // A deploy succeeds only if Preclinical's test event reaches this URL (tested again when it changes).
      verifyDelivery: true,
    });
    new PreclinicalWebhook(this, "intake", {
      url: "https://hooks.example.com/preclinical/intake",
      secret: secret.stringValue,
      agentId: EXAMPLE_AGENTS.intake,
    });
  }
}

if (require.main === module) {
  const app = new App();
  new PreclinicalWebhooksStack(app, "preclinical-webhooks");
  app.synth();
}
