/** The schemas of the provider block and of `preclinical_webhook`: what a configuration writes and the state keeps. */
import { DEFAULT_API_KEY_ENV_VAR, DEFAULT_API_URL } from "../../api/assumptions";
import { MAX_TIMEOUT_MS, RULE_TEXT } from "../../api/rules";
import type { BlockSchema } from "../protocol/definition";
import { mapOf } from "../protocol/values";

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

export const WEBHOOK_TEST_TYPE = "preclinical_webhook_test";

/** A delivery test: what runs it again (every argument) and what it found (every computed attribute). */
export const WEBHOOK_TEST_SCHEMA: BlockSchema = {
  version: 0,
  description:
    "A delivery test of a Preclinical webhook: its create asks Preclinical to send the test event to the webhook's " +
    "URL and fails the apply when the delivery fails (the webhook itself is untouched, and the next apply tests " +
    "again). A change of any argument runs the test again; reading it calls nothing, and neither does destroying it.",
  attributes: {
    webhook_id: {
      type: "string",
      required: true,
      description: "The id of the webhook to test, e.g. preclinical_webhook.<name>.id. Changing it tests again.",
    },
    triggers: {
      type: mapOf("string"),
      optional: true,
      description:
        "Any values; a change of any of them runs the test again. Give it what the delivery depends on: the " +
        "webhook's url, secret_version and is_enabled (not its description).",
    },
    webhook_enabled: {
      type: "bool",
      optional: true,
      description:
        "Whether the webhook is enabled (set it to preclinical_webhook.<name>.is_enabled). When false, nothing is " +
        "tested and the plan warns instead; enabling it again runs the test. Defaults to true.",
    },
    success: { type: "bool", computed: true, description: "Whether the test delivery succeeded (null: not tested)." },
    http_status: {
      type: "number",
      computed: true,
      description: "The HTTP status the receiver answered the test delivery with; null when it could not be reached.",
    },
    message: { type: "string", computed: true, description: "What Preclinical said about the test delivery." },
    tested_at: { type: "string", computed: true, description: "When the test ran (ISO-8601); null: not tested." },
  },
};

export const PROVIDER_SCHEMA: BlockSchema = {
  version: 0,
  description: "Manages Preclinical webhooks through the Preclinical API.",
  attributes: {
    api_url: {
      type: "string",
      optional: true,
      description: `The API base URL, up to and including /api/v1. Defaults to ${DEFAULT_API_URL}.`,
    },
    api_key_env_var: {
      type: "string",
      optional: true,
      description:
        `The environment variable that holds the API key on the machine that runs terraform (default ` +
        `${DEFAULT_API_KEY_ENV_VAR}). The key itself is never part of the configuration or the state.`,
    },
    request_timeout_ms: {
      type: "number",
      optional: true,
      description: `The longest one API attempt may take, in milliseconds (1 to ${MAX_TIMEOUT_MS}). Defaults to 10000.`,
    },
    deadline_ms: {
      type: "number",
      optional: true,
      description:
        "The longest one API request may take with its retries, in milliseconds " +
        `(1 to ${MAX_TIMEOUT_MS}). Defaults to 60000.`,
    },
  },
};
