/**
 * The `preclinical_webhook` resource without Terraform, for the unit tests in test/provider/webhook-*.test.ts:
 * full webhook objects as Terraform hands them to the resource, and the resource over a real
 * PreclinicalClient that talks to a real emulator on a random port.
 */
import { PreclinicalClient } from "../../src/api/client";
import { PreclinicalEmulator, type SeedWebhookInput, type StoredWebhook } from "../../src/emulator";
import type { ClientInfo, ResourceDefinition } from "../../src/provider/protocol/definition";
import type { ObjectValue, Value } from "../../src/provider/protocol/values";
import { webhookResource } from "../../src/provider/webhook/resource";
import { createSession, type Session } from "../../src/provider/webhook/session";
import { KEY, emulator as shared, useSharedEmulator } from "./emulator";

export const URL_1 = "https://hooks.example.com/one";
export const URL_2 = "https://hooks.example.com/two";

/** A Terraform that keeps write-only attributes out of plan and state. */
export const TF_1_11: ClientInfo = { terraformVersion: "1.11.4", writeOnlyAttributesAllowed: true };

export type Attrs = Partial<
  Record<
    | "id"
    | "url"
    | "description"
    | "agent_id"
    | "is_enabled"
    | "secret"
    | "secret_version"
    | "adopt_existing"
    | "created_at"
    | "api_url",
    Value
  >
>;

/** A full webhook object: every attribute present, null unless given (url: URL_1). */
export const webhook = (attrs: Attrs = {}): ObjectValue => ({
  id: null,
  url: URL_1,
  description: null,
  agent_id: null,
  is_enabled: null,
  secret: null,
  secret_version: null,
  adopt_existing: null,
  created_at: null,
  api_url: null,
  ...attrs,
});

/** The state the resource keeps for a stored webhook of the shared emulator (what read would give). */
export const stateOf = (stored: StoredWebhook, attrs: Attrs = {}): ObjectValue =>
  webhook({
    api_url: shared.url,
    id: stored.id,
    url: stored.url,
    description: stored.description,
    agent_id: stored.agent_id,
    is_enabled: stored.is_enabled,
    created_at: stored.created_at,
    ...attrs,
  });

export interface WebhookEmulator {
  /** The emulator, which knows AGENT_A and AGENT_B (./emulator.ts); it starts in `beforeAll`, so read this inside a test. */
  readonly emulator: PreclinicalEmulator;
  /** A session over a new client of the emulator, or of another API URL (closed after the test). */
  newSession(apiKey?: string, baseUrl?: string): Session;
  /** The resource over `session` (a new one by default). */
  resourceWith(session?: Session): ResourceDefinition;
  /** A webhook "made in the UI" in the default organization (url: URL_1 unless given). */
  seed(input?: Partial<SeedWebhookInput>): StoredWebhook;
  /** The requests the emulator has seen, as "METHOD path" without the /api/v1 prefix. */
  requestLines(): string[];
  /** The webhook the emulator holds under `id`. */
  stored(id: string): StoredWebhook | undefined;
}

/**
 * Registers the hooks of a test file that drives the resource against an emulator: one emulator for the
 * file (./emulator.ts), emptied after each test; the clients a test made, closed after it.
 */
export function useWebhookEmulator(): WebhookEmulator {
  const clients: PreclinicalClient[] = [];
  const emulator = (): PreclinicalEmulator => {
    if (!shared) throw new Error("the emulator starts in beforeAll: use it inside a test or a hook");
    return shared;
  };

  useSharedEmulator();
  afterEach(async () => {
    await Promise.all(clients.splice(0).map((c) => c.close()));
  });

  function newSession(apiKey = KEY, baseUrl = emulator().url): Session {
    const client = new PreclinicalClient({
      apiKey,
      baseUrl,
      requestTimeoutMs: 2000,
      deadlineMs: 5000,
      retry: { baseDelayMs: 1, maxDelayMs: 10 },
    });
    clients.push(client);
    return createSession(client, "PRECLINICAL_API_KEY");
  }

  return {
    get emulator() {
      return emulator();
    },
    newSession,
    resourceWith: (session = newSession()) => webhookResource(() => session),
    seed: (input = {}) => emulator().seedWebhook("default", { url: input.url ?? URL_1, ...input }),
    requestLines: () =>
      emulator()
        .requests()
        .map((r) => `${r.method} ${r.path.replace("/api/v1", "")}`),
    stored: (id) =>
      emulator()
        .webhooks()
        .find((w) => w.id === id),
  };
}
