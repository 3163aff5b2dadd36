/**
 * Request and response bodies of the Preclinical webhooks API as zod schemas.
 *
 * The public types are inferred from these schemas so that they cannot drift apart. Response schemas are
 * tolerant (unknown fields pass through, fields the API documents as sometimes absent are optional);
 * request schemas are strict, because a typo in a request is our bug.
 *
 * They are written with zod/mini, zod's tree-shakable form: the provisioner CLI bundles them, and full zod
 * slows every provisioner start (BENCHMARKS.md, "What changed", 2). Messages come from zod's English locale.
 */
import * as z from "zod/mini";
import { en } from "zod/locales";

z.config(en());

const optionalNullable = <T extends z.core.SomeType>(schema: T) => z.optional(z.nullable(schema));

/** A webhook as the API returns it. The signing secret is never returned. */
export const WebhookSchema = z.looseObject({
  id: z.string(),
  url: z.string(),
  /** null (or absent) when the webhook has no description. */
  description: optionalNullable(z.string()),
  /** null (or absent) for the organization-level webhook. */
  agent_id: optionalNullable(z.string()),
  is_enabled: z.boolean(),
  last_triggered_at: optionalNullable(z.string()),
  consecutive_failures: z.optional(z.number()),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Webhook = z.infer<typeof WebhookSchema>;

/** `GET /webhooks`. `total` is documented but tolerated when absent. */
export const WebhookListSchema = z.looseObject({
  webhooks: z.array(WebhookSchema),
  total: z.optional(z.number()),
});
export type WebhookList = z.infer<typeof WebhookListSchema>;

/** `POST /webhooks`. */
export const CreateWebhookRequestSchema = z.strictObject({
  url: z.string(),
  secret: z.optional(z.string()),
  description: optionalNullable(z.string()),
  agent_id: optionalNullable(z.string()),
  is_enabled: z.optional(z.boolean()),
});
export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequestSchema>;

/** `PUT /webhooks/{id}`: a partial update; `agent_id` cannot be changed. */
export const UpdateWebhookRequestSchema = z.strictObject({
  url: z.optional(z.string()),
  secret: z.optional(z.string()),
  description: optionalNullable(z.string()),
  is_enabled: z.optional(z.boolean()),
});
export type UpdateWebhookRequest = z.infer<typeof UpdateWebhookRequestSchema>;

/**
 * `POST /webhooks/{id}/test`: a failed delivery is `success: false`, not an API error. Documented as
 * `{success, message, http_status}`; `http_status` is null or absent when the receiver gave no answer (it
 * could not be reached), and `message` is tolerated when absent or null.
 */
export const TestDeliveryResultSchema = z.looseObject({
  success: z.boolean(),
  message: optionalNullable(z.string()),
  http_status: optionalNullable(z.number()),
});
export type TestDeliveryResult = z.infer<typeof TestDeliveryResultSchema>;

/** `GET /agents/{id}`. */
export const AgentSchema = z.looseObject({
  id: z.string(),
  provider: z.string(),
  name: z.string(),
  description: optionalNullable(z.string()),
  is_active: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
});
export type Agent = z.infer<typeof AgentSchema>;

/** `GET /agents`: a page of the organization's agents; `total` is documented but tolerated when absent. */
export const AgentListSchema = z.looseObject({
  agents: z.array(AgentSchema),
  total: z.optional(z.number()),
});
export type AgentList = z.infer<typeof AgentListSchema>;

/** The error body: `{"error": "...", "code": "..."}`, sometimes with `details`. */
export const ApiErrorBodySchema = z.looseObject({
  error: z.string(),
  code: z.optional(z.string()),
  details: z.optional(z.unknown()),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;

/** A schema of this module: what the client and the emulator accept to parse with. */
export type ApiSchema<T> = z.ZodMiniType<T>;
