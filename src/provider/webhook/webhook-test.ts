/**
 * `preclinical_webhook_test`: a delivery test of one webhook, run on create. Its create asks the API for a
 * test delivery (POST /webhooks/{id}/test) and fails the apply, with a null state, when the delivery fails,
 * so the next apply tests again; the webhook itself is another resource and stays as it is. Any change of
 * `webhook_id`, `triggers` or `webhook_enabled` replaces it: a new test. Reading it makes no API call (a test
 * is an event, not an object of the API) and destroying it calls nothing.
 */
import { isNotFound } from "../../api/errors";
import { UUID_PATTERN } from "../../api/rules";
import type { TestDeliveryResult } from "../../api/schemas";
import { messages, quote } from "../../messages";
import {
  DiagnosticsError,
  error,
  warning,
  type ApplyRequest,
  type BlockSchema,
  type Diagnostic,
  type PlanRequest,
  type PlanResult,
  type ResourceDefinition,
  type StateResult,
} from "../protocol/definition";
import { UNKNOWN, isList, known, mapOf, type ObjectValue, type Value } from "../protocol/values";
import { apiFailure } from "../organization/failures";
import { type Session } from "./session";

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

/** The attributes whose change runs the test again. */
const REPLACING = ["webhook_id", "triggers", "webhook_enabled"] as const;
const RESULTS = ["success", "http_status", "message", "tested_at"] as const;

const FAILED = "Webhook delivery test failed";

export function webhookTestResource(session: () => Session): ResourceDefinition {
  return {
    schema: WEBHOOK_TEST_SCHEMA,
    validate,
    plan: async (request) => plan(request),
    apply: async (request) => apply(session, request),
    read: async (state) => ({ state }),
    import: async () => {
      throw new DiagnosticsError([error("Cannot import a webhook test", messages.webhookTestNoImport())]);
    },
  };
}

function validate(config: ObjectValue): Diagnostic[] {
  const id = known<string>(config.webhook_id);
  if (id !== undefined && !UUID_PATTERN.test(id)) {
    return [error("Invalid attribute value", messages.webhookIdRule(quote(id)), "webhook_id")];
  }
  return [];
}

function plan({ prior, proposed }: PlanRequest): PlanResult {
  if (proposed === null) return { planned: null };
  if (prior !== null) {
    const changed = REPLACING.filter((name) => !sameValue(prior[name], proposed[name]));
    if (changed.length === 0) return { planned: prior };
    // Terraform plans the create of the replacement next, with a null prior, but does not show that call's
    // warnings: a replacement that will not be tested says so here.
    if (proposed.webhook_enabled === false) {
      return { planned: skipped(proposed), requiresReplace: changed, diagnostics: [skipWarning(proposed)] };
    }
    return { planned: withResults(proposed, UNKNOWN), requiresReplace: changed };
  }
  if (proposed.webhook_enabled === false) {
    return {
      planned: skipped(proposed),
      diagnostics: [skipWarning(proposed)],
    };
  }
  return { planned: withResults(proposed, UNKNOWN) };
}

async function apply(session: () => Session, { prior, planned }: ApplyRequest): Promise<StateResult> {
  if (planned === null) return { state: null }; // destroying a test calls nothing
  if (prior !== null) return { state: planned }; // every change replaces: nothing to update
  if (planned.webhook_enabled === false) {
    // The plan warned already when it knew; a message left unknown means it learnt only now.
    return { state: skipped(planned), diagnostics: planned.message === UNKNOWN ? [skipWarning(planned)] : [] };
  }
  const id = String(planned.webhook_id);
  const current = session();
  let result: TestDeliveryResult;
  try {
    result = await current.client.testWebhook(id);
  } catch (err) {
    if (isNotFound(err)) throw new DiagnosticsError([error(FAILED, messages.deliveryTestGone(id), "webhook_id")]);
    throw apiFailure("Could not test the Preclinical webhook", `test webhook ${id}`, err, current);
  }
  const outcome = {
    success: result.success,
    http_status: result.http_status ?? null,
    message: result.message ?? "",
    tested_at: new Date().toISOString(),
  };
  if (!result.success) {
    // A null state: nothing is saved, so the next apply runs the test again.
    const url = await current.directory.byId(id).then(
      (webhook) => webhook?.url,
      () => undefined,
    );
    throw new DiagnosticsError([
      error(
        FAILED,
        messages.deliveryTestFailed({ id, url, httpStatus: outcome.http_status, message: outcome.message }),
        "webhook_id",
      ),
    ]);
  }
  return { state: { ...planned, ...outcome } };
}

function withResults(object: ObjectValue, value: typeof UNKNOWN | null): ObjectValue {
  return { ...object, ...Object.fromEntries(RESULTS.map((name) => [name, value])) };
}

/** The state of a test not run because the webhook is disabled. */
function skipped(object: ObjectValue): ObjectValue {
  return { ...withResults(object, null), message: "not tested: the webhook is disabled" };
}

function skipWarning(object: ObjectValue): Diagnostic {
  return warning(
    "Webhook delivery not tested",
    messages.deliveryTestSkipped(known<string>(object.webhook_id)),
    "webhook_enabled",
  );
}

/** Whether two attribute values are the same: primitives by value, maps and lists element by element. */
function sameValue(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === UNKNOWN || b === UNKNOWN || a === null || b === null) return false;
  if (typeof a !== "object" || typeof b !== "object" || isList(a) !== isList(b)) return false;
  const [x, y] = [Object.entries(a), Object.entries(b)];
  const other = new Map(y);
  return x.length === y.length && x.every(([key, value]) => other.has(key) && sameValue(value, other.get(key)!));
}
