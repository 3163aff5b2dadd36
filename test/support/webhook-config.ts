/**
 * Hand-written `main.tf.json` configurations of the `preclinical` provider for the end-to-end tests in
 * test/provider/e2e: the provider block (pointed at the emulator, small timeouts), a sensitive, ephemeral
 * variable for the webhook secret, `preclinical_webhook` resources, an `<name>_id` output per resource,
 * import blocks and `preclinical_webhook_test` resources. Also the workspace those tests use (webhookWorkspace; ./e2e.ts's useHclWorkspace gives each test
 * a fresh one), and helpers to count requests and to change webhooks "in the UI".
 */
import { KEY } from "./emulator";
import { HclWorkspace } from "./hcl-workspace";

/** One `preclinical_webhook` as written in the configuration; `secret: true` reads it from var.webhook_secret. */
export interface WebhookDecl {
  readonly url: string;
  readonly description?: string;
  readonly agent_id?: string;
  readonly is_enabled?: boolean;
  readonly secret?: boolean;
  readonly secret_version?: string;
  readonly adopt_existing?: boolean;
}

export interface WebhookConfigOptions {
  readonly apiUrl: string;
  /** Resource name -> attributes; empty: the provider block alone. */
  readonly webhooks?: Record<string, WebhookDecl>;
  /** Extra provider attributes (api_key_env_var, ...). */
  readonly provider?: Record<string, unknown>;
  /** `import` blocks: resource name -> import id. */
  readonly imports?: Record<string, string>;
  /**
   * Webhooks (by resource name) that get a `preclinical_webhook_test` of the same name, written as the README
   * advises: triggered by the webhook's url, secret_version (when it has one) and is_enabled, and told whether
   * the webhook is enabled.
   */
  readonly tests?: readonly string[];
}

/** The variable that carries the webhook secret (TF_VAR_webhook_secret). */
export const SECRET_VARIABLE = "webhook_secret";

export function webhookConfig({
  apiUrl,
  webhooks = {},
  provider = {},
  imports = {},
  tests = [],
}: WebhookConfigOptions): Record<string, unknown> {
  const config: Record<string, unknown> = {
    provider: { preclinical: { api_url: apiUrl, request_timeout_ms: 2000, deadline_ms: 4000, ...provider } },
  };
  const decls = Object.entries(webhooks);
  if (decls.some(([, d]) => d.secret)) {
    // Ephemeral as well as sensitive: Terraform itself writes the values of non-ephemeral root variables,
    // sensitive ones included, into saved plan files (`plan -out`); a write-only attribute takes ephemeral values.
    config.variable = { [SECRET_VARIABLE]: { type: "string", sensitive: true, ephemeral: true } };
  }
  if (decls.length > 0) {
    config.resource = {
      preclinical_webhook: Object.fromEntries(
        decls.map(([name, { secret, ...attributes }]) => [
          name,
          { ...attributes, ...(secret && { secret: `\${var.${SECRET_VARIABLE}}` }) },
        ]),
      ),
    };
    config.output = Object.fromEntries(
      decls.map(([name]) => [`${name}_id`, { value: `\${preclinical_webhook.${name}.id}` }]),
    );
  }
  if (tests.length > 0) {
    const attribute = (name: string, attr: string) => `\${preclinical_webhook.${name}.${attr}}`;
    (config.resource as Record<string, unknown>).preclinical_webhook_test = Object.fromEntries(
      tests.map((name) => [
        name,
        {
          webhook_id: attribute(name, "id"),
          triggers: {
            url: attribute(name, "url"),
            ...(webhooks[name]?.secret_version !== undefined && { secret_version: attribute(name, "secret_version") }),
            is_enabled: `\${tostring(preclinical_webhook.${name}.is_enabled)}`,
          },
          webhook_enabled: attribute(name, "is_enabled"),
        },
      ]),
    );
  }
  const importBlocks = Object.entries(imports).map(([name, id]) => ({ to: `preclinical_webhook.${name}`, id }));
  if (importBlocks.length > 0) config.import = importBlocks;
  return config;
}

/** A workspace with the emulator's API key and a webhook secret in its environment. */
export function webhookWorkspace(secret: string, apiKey: string = KEY): HclWorkspace {
  return new HclWorkspace({ PRECLINICAL_API_KEY: apiKey, TF_VAR_webhook_secret: secret });
}

/** The webhook-collection list requests (`GET /api/v1/webhooks`, any query) of a request log. */
export function listRequests(log: readonly { method: string; path: string }[]): number {
  return log.filter((r) => r.method === "GET" && r.path === "/api/v1/webhooks").length;
}

/** The write requests (POST, PUT, DELETE) of a request log, as "METHOD path". */
export function writeRequests(log: readonly { method: string; path: string }[]): string[] {
  return log.filter((r) => ["POST", "PUT", "DELETE"].includes(r.method)).map((r) => `${r.method} ${r.path}`);
}

/** A change made "in the Preclinical UI": a PUT straight to the API, outside Terraform (it shows in the request log). */
export async function changeInUi(
  apiUrl: string,
  id: string,
  patch: Record<string, unknown>,
  apiKey = KEY,
): Promise<void> {
  await sendInUi("PUT", `${apiUrl}/webhooks/${id}`, apiKey, patch);
}

/** A webhook deleted "in the Preclinical UI". */
export async function deleteInUi(apiUrl: string, id: string, apiKey = KEY): Promise<void> {
  await sendInUi("DELETE", `${apiUrl}/webhooks/${id}`, apiKey);
}

async function sendInUi(method: string, url: string, apiKey: string, body?: unknown): Promise<void> {
  const response = await fetch(url, {
    method,
    headers: { authorization: `Bearer ${apiKey}`, ...(body !== undefined && { "content-type": "application/json" }) },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${method} ${url} in the "UI" failed: ${response.status} ${await response.text()}`);
}

/** Terraform's output or a message with its wrapping undone (box characters dropped, whitespace runs as one space). */
export function flat(text: string): string {
  return text.replace(/[│╷╵]/g, " ").replace(/\s+/g, " ").trim();
}
