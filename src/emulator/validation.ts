/**
 * Validation of webhook request bodies, shared by create, update and seeding, and of the paging
 * parameters of the lists. Shapes come from the shared request schemas; the field bounds from
 * ../api/rules.ts (apiAccepts); the page size from ../api/assumptions.ts.
 */
import { safeParse, type core } from "zod/mini";
import { ErrorCodes, PAGE_LIMIT, PUT_ACCEPTS_NULL_DESCRIPTION } from "../api/assumptions";
import { API_RULE_TEXT, apiAccepts } from "../api/rules";
import {
  CreateWebhookRequestSchema,
  UpdateWebhookRequestSchema,
  type CreateWebhookRequest,
  type UpdateWebhookRequest,
} from "../api/schemas";
import { EmulatorError, invalidField } from "./http";

/** Validates a POST /webhooks body. */
export function parseCreateInput(body: Record<string, unknown>): CreateWebhookRequest {
  if (body.url === undefined || body.url === null) {
    throw new EmulatorError(400, ErrorCodes.MISSING_REQUIRED_FIELD, "url is required", { field: "url" });
  }
  const input = parseWithSchema(CreateWebhookRequestSchema, body);
  checkFieldRules(input);
  return input;
}

/** Validates a PUT /webhooks/{id} body: a non-empty partial update that does not touch agent_id. */
export function parseUpdateInput(body: Record<string, unknown>): UpdateWebhookRequest {
  if ("agent_id" in body) throw invalidField("agent_id", "agent_id cannot be changed");
  if (Object.keys(body).length === 0) {
    throw invalidField("body", "the update is empty: give at least one of url, secret, description, is_enabled");
  }
  if (!PUT_ACCEPTS_NULL_DESCRIPTION && body.description === null) {
    throw invalidField("description", "description cannot be null");
  }
  const input = parseWithSchema(UpdateWebhookRequestSchema, body);
  checkFieldRules(input);
  return input;
}

/**
 * The page of `items` that `limit` (1 or more; more than PAGE_LIMIT is served as PAGE_LIMIT, and none
 * means PAGE_LIMIT) and `offset` (0 or more; default 0) ask for. Other values are INVALID_FIELD_VALUE.
 */
export function pageOf<T>(items: readonly T[], query: URLSearchParams): T[] {
  const limit = Math.min(count(query, "limit", 1) ?? PAGE_LIMIT, PAGE_LIMIT);
  const offset = count(query, "offset", 0) ?? 0;
  return items.slice(offset, offset + limit);
}

function count(query: URLSearchParams, name: string, least: number): number | undefined {
  const text = query.get(name);
  if (text === null) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(value) || value < least) {
    throw invalidField(name, `${name} must be an integer of at least ${least}, got ${JSON.stringify(text)}`);
  }
  return value;
}

/**
 * Applies a strict schema: wrong JSON types and unknown fields are INVALID_FIELD_VALUE naming the field
 * (nested fields as "a.b").
 */
export function parseWithSchema<S extends core.$ZodType>(schema: S, body: Record<string, unknown>): core.output<S> {
  const result = safeParse(schema, body);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const path = issue.path.map(String);
  if (issue.code === "unrecognized_keys") {
    throw invalidField([...path, String(issue.keys[0])].join("."), `unknown field: ${issue.keys.join(", ")}`);
  }
  const field = path.length > 0 ? path.join(".") : "body";
  throw invalidField(field, `${field}: ${issue.message}`);
}

/**
 * The rules beyond JSON types, for whichever of the fields are present: what the API is assumed to accept
 * (apiAccepts in ../api/rules.ts), a wider set than the library lets a user declare.
 */
function checkFieldRules(input: { url?: string; description?: string | null; secret?: string }): void {
  for (const field of ["url", "description", "secret"] as const) {
    const value = input[field];
    if (typeof value === "string" && !apiAccepts[field](value)) {
      throw invalidField(field, `${field} must be ${API_RULE_TEXT[field]}`);
    }
  }
}
