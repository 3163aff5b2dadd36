/**
 * Control endpoints under /_emulator: not part of the real API, so that a separate process (the bin) can
 * be driven by tests. They need no auth and are not logged.
 */
import * as z from "zod/mini";
import { emptyResponse, invalidField, jsonResponse, parseJsonObject, type Route } from "./http";
import type { TestRunInput } from "./delivery";
import { FaultSpecSchema, type FaultSpec } from "./faults";
import { toApiWebhook } from "./store";
import type { TestRunDelivery } from "./test-runs";
import type { ApiAgent, EmulatorAgent, RequestLogEntry, SeedWebhookInput, StoredWebhook } from "./types";
import { parseWithSchema } from "./validation";

export const CONTROL_BASE_PATH = "/_emulator";

/** What the control endpoints drive: the test-tool methods of the emulator (./server.ts) that serves them. */
export interface EmulatorControls {
  webhooks(): StoredWebhook[];
  requests(): RequestLogEntry[];
  injectFault(spec: FaultSpec): void;
  clearFaults(): void;
  reset(): void;
  addAgent(agent: EmulatorAgent): ApiAgent;
  completeTestRun(agentId: string, run?: TestRunInput, organization?: string): Promise<TestRunDelivery>;
  setDeliveryHealth(
    id: string,
    health: { consecutive_failures: number; last_triggered_at?: string | null },
    organization?: string,
  ): StoredWebhook;
  seedWebhook(organization: string, input: SeedWebhookInput): StoredWebhook;
}

export interface ControlContext {
  readonly emulator: EmulatorControls;
  readonly body: string;
}

const AgentBodySchema = z.strictObject({
  id: z.string().check(z.minLength(1)),
  name: z.optional(z.string()),
  provider: z.optional(z.string()),
  description: z.optional(z.nullable(z.string())),
  is_active: z.optional(z.boolean()),
});

const AgentsBodySchema = z.strictObject({ agents: z.array(AgentBodySchema) });

const TestRunBodySchema = z.strictObject({
  agent_id: z.string().check(z.minLength(1)),
  organization: z.optional(z.string()),
  status: z.optional(z.enum(["completed", "failed", "canceled"])),
  name: z.optional(z.string()),
  passed_count: z.optional(z.number().check(z.int(), z.nonnegative())),
  failed_count: z.optional(z.number().check(z.int(), z.nonnegative())),
  error_count: z.optional(z.number().check(z.int(), z.nonnegative())),
});

const HealthBodySchema = z.strictObject({
  organization: z.optional(z.string()),
  consecutive_failures: z.number().check(z.int(), z.nonnegative()),
  last_triggered_at: z.optional(z.nullable(z.iso.datetime())),
});

/** A webhook in the control view: the API fields, its organization and whether it has a secret. */
export function toControlWebhook(webhook: StoredWebhook): Record<string, unknown> {
  return { ...toApiWebhook(webhook), organization: webhook.organization, has_secret: webhook.secret !== null };
}

export const CONTROL_ROUTES: readonly Route<ControlContext>[] = [
  {
    pattern: /^\/state$/,
    methods: {
      GET: ({ emulator }) =>
        jsonResponse(200, { webhooks: emulator.webhooks().map(toControlWebhook), requests: emulator.requests() }),
    },
  },
  {
    pattern: /^\/faults$/,
    methods: {
      POST: ({ emulator, body }) => {
        const spec = parseWithSchema(FaultSpecSchema, parseJsonObject(body));
        emulator.injectFault(spec);
        return jsonResponse(201, spec);
      },
      DELETE: ({ emulator }) => {
        emulator.clearFaults();
        return emptyResponse(204);
      },
    },
  },
  {
    pattern: /^\/reset$/,
    methods: {
      POST: ({ emulator }) => {
        emulator.reset();
        return emptyResponse(204);
      },
    },
  },
  {
    pattern: /^\/agents$/,
    methods: {
      // One agent, or { "agents": [...] } for many at once.
      POST: ({ emulator, body }) => {
        const parsed = parseJsonObject(body);
        const many = Array.isArray(parsed.agents);
        const agents = parseWithSchema(many ? AgentsBodySchema : AgentBodySchema, parsed);
        const added = ("agents" in agents ? agents.agents : [agents]).map((a) => emulator.addAgent(a));
        return jsonResponse(201, many ? { agents: added } : added[0]);
      },
    },
  },
  {
    // "Complete a test run for agent X": delivered to the webhook that serves the agent.
    pattern: /^\/test-runs$/,
    methods: {
      POST: async ({ emulator, body }) => {
        const { agent_id, organization, ...run } = parseWithSchema(TestRunBodySchema, parseJsonObject(body));
        return jsonResponse(200, await emulator.completeTestRun(agent_id, run, organization));
      },
    },
  },
  {
    // Seeds a failing (or healthy) webhook: its delivery counters, as deliveries would have left them.
    pattern: /^\/webhooks\/([^/]+)\/health$/,
    methods: {
      PUT: ({ emulator, body }, [id]) => {
        const { organization, ...health } = parseWithSchema(HealthBodySchema, parseJsonObject(body));
        return jsonResponse(200, toControlWebhook(emulator.setDeliveryHealth(id, health, organization)));
      },
    },
  },
  {
    pattern: /^\/webhooks$/,
    methods: {
      POST: ({ emulator, body }) => {
        const { organization, ...input } = parseJsonObject(body);
        if (typeof organization !== "string") throw invalidField("organization", "organization must be a string");
        // seedWebhook validates the input exactly as POST /webhooks does.
        const webhook = emulator.seedWebhook(organization, input as unknown as SeedWebhookInput);
        return jsonResponse(201, toControlWebhook(webhook));
      },
    },
  },
];
