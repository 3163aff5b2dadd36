/** The schema of `preclinical_webhook`: what a configuration writes and the state keeps. */
import { RULE_TEXT } from "../../api/rules";
import type { BlockSchema } from "../protocol/definition";

export const WEBHOOK_TYPE = "preclinical_webhook";

export const WEBHOOK_SCHEMA: BlockSchema = {
  // 1: api_url recorded. State of version 0 has none until its next read (resource.ts).
  version: 1,
  description:
    "A Preclinical webhook: where Preclinical POSTs when a test run completes, for the whole organization or for " +
    "one agent. Changes made outside Terraform show in the plan and the next apply puts them back.",
  attributes: {
    id: { type: "string", computed: true, description: "The webhook's id, as the API and the Preclinical UI show it." },
    url: {
      type: "string",
      required: true,
      description: `Where Preclinical POSTs: ${RULE_TEXT.url}.`,
    },
    description: {
      type: "string",
      optional: true,
      description: `Free text, ${RULE_TEXT.description}.`,
    },
    agent_id: {
      type: "string",
      optional: true,
      description:
        "The agent (a UUID) whose test runs this webhook receives; unset for the organization-level webhook. " +
        "Changing it replaces the webhook.",
    },
    is_enabled: {
      type: "bool",
      optional: true,
      computed: true,
      description: "Whether Preclinical delivers to this webhook. Defaults to true.",
    },
    secret: {
      type: "string",
      optional: true,
      sensitive: true,
      writeOnly: true,
      description:
        `The signing secret, ${RULE_TEXT.secret}. Write-only (Terraform 1.11+): ` +
        "never stored in the plan or the state. Sent on create, and again whenever secret_version changes.",
    },
    secret_version: {
      type: "string",
      optional: true,
      description: "Any text; changing it sends `secret` to the API again (a rotation, in place).",
    },
    adopt_existing: {
      type: "bool",
      optional: true,
      writeOnly: true,
      description:
        "On create, take over the webhook that already holds this scope (made in the UI, say) and set it to this " +
        "configuration, instead of failing the plan. Write-only (Terraform 1.11+): it matters only on create, so " +
        "it is never stored, and setting or dropping it later changes nothing.",
    },
    created_at: { type: "string", computed: true, description: "When the webhook was created (ISO-8601)." },
    api_url: {
      type: "string",
      computed: true,
      description:
        "The API URL the webhook was created or imported through: the organization it lives in. A plan whose " +
        "provider points at another API URL fails before any request, rather than planning a second webhook there.",
    },
  },
};
