/**
 * Request and response bodies of the Preclinical webhooks API as zod schemas.
 *
 * The public types are inferred from these schemas so that they cannot drift apart. Response schemas are
 * tolerant (unknown fields pass through, fields the API documents as sometimes absent are optional);
 * request schemas are strict, because a typo in a request is our bug.
 */
import { z } from "zod";

/** A UUID in its canonical textual form (any version, any case). */
export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

const isoDate = z.string();

/** A webhook as the API returns it. The signing secret is never returned. */
export const WebhookSchema = z.looseObject({
  id: z.string(),
  url: z.string(),
  description: z.string().nullable().optional().transform((v) => v ?? null),
  agent_id: z.string().nullable().optional().transform((v) => v ?? null),
  is_enabled: z.boolean(),
  last_triggered_at: isoDate.nullable().optional(),
  consecutive_failures: z.number().optional(),
  created_at: isoDate,
  updated_at: isoDate,
});
export type Webhook = z.infer<typeof WebhookSchema>;

/** `GET /webhooks`. `total` is documented but tolerated when absent. */
export const WebhookListSchema = z.looseObject({
  webhooks: z.array(WebhookSchema),
  total: z.number().optional(),
});
export type WebhookList = z.infer<typeof WebhookListSchema>;

/** `POST /webhooks`. */
export const CreateWebhookRequestSchema = z.strictObject({
  url: z.string(),
  secret: z.string().optional(),
  description: z.string().nullable().optional(),
  agent_id: z.string().nullable().optional(),
  is_enabled: z.boolean().optional(),
});
export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequestSchema>;

/** `PUT /webhooks/{id}`: a partial update; `agent_id` cannot be changed. */
export const UpdateWebhookRequestSchema = z.strictObject({
  url: z.string().optional(),
  secret: z.string().optional(),
  description: z.string().nullable().optional(),
  is_enabled: z.boolean().optional(),
});
export type UpdateWebhookRequest = z.infer<typeof UpdateWebhookRequestSchema>;

/** `POST /webhooks/{id}/test`: a failed delivery is `success: false`, not an API error. */
export const TestDeliveryResultSchema = z.looseObject({
  success: z.boolean(),
  message: z.string(),
  http_status: z.number().nullable().optional(),
});
export type TestDeliveryResult = z.infer<typeof TestDeliveryResultSchema>;

/** `GET /agents/{id}`. */
export const AgentSchema = z.looseObject({
  id: z.string(),
  provider: z.string(),
  name: z.string(),
  description: z.string().nullable().optional(),
  is_active: z.boolean(),
  created_at: isoDate,
  updated_at: isoDate,
});
export type Agent = z.infer<typeof AgentSchema>;

/** The error body: `{"error": "...", "code": "..."}`, sometimes with `details`. */
export const ApiErrorBodySchema = z.looseObject({
  error: z.string(),
  code: z.string().optional(),
  details: z.unknown().optional(),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBodySchema>;
