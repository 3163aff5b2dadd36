/**
 * The `preclinical_webhooks` data source without Terraform, over a real client and the emulator: every field
 * but the secret, oldest first, the agent_id filter, and one shared list per process.
 */
import { messages } from "../../src/messages";
import { UNKNOWN, type ObjectValue } from "../../src/provider/protocol/values";
import { webhooksDataSource } from "../../src/provider/webhook/webhooks-data-source";
import { AGENT_A, AGENT_B } from "../support/agents";
import { SECRET } from "../support/inputs";
import { stateOf, useWebhookEmulator, webhook } from "../support/webhook-resource";

const env = useWebhookEmulator();
const read = (agent_id: string | null, session = env.newSession()) =>
  webhooksDataSource(() => session).read({ agent_id, webhooks: null });

describe("preclinical_webhooks", () => {
  test("lists every webhook, oldest first, with every field the API returns and never the secret", async () => {
    const org = env.seed({ url: "https://hooks.example.com/org", description: "All agents", secret: SECRET });
    await new Promise((r) => setTimeout(r, 5)); // a later created_at
    const triage = env.seed({ url: "https://hooks.example.com/a", agent_id: AGENT_A, is_enabled: false });
    const { state } = await read(null);
    expect(state).toEqual({
      agent_id: null,
      webhooks: [
        {
          id: org.id,
          url: org.url,
          description: "All agents",
          agent_id: null,
          is_enabled: true,
          last_triggered_at: null,
          consecutive_failures: 0,
          created_at: org.created_at,
          updated_at: org.updated_at,
        },
        expect.objectContaining({ id: triage.id, agent_id: AGENT_A, is_enabled: false, description: null }),
      ],
    });
    expect(JSON.stringify(state)).not.toContain(SECRET);
  });

  test("filters by agent_id, comparing ids as UUIDs, and answers an empty list for an agent without one", async () => {
    env.seed({ url: "https://hooks.example.com/org" });
    const triage = env.seed({ url: "https://hooks.example.com/a", agent_id: AGENT_A });
    const { state } = await read(AGENT_A.toUpperCase());
    expect((state.webhooks as ObjectValue[]).map((w) => w.id)).toEqual([triage.id]);
    expect(state.agent_id).toBe(AGENT_A.toUpperCase());
    expect((await read(AGENT_B)).state.webhooks).toEqual([]);
  });

  test("shares the process's webhook list with the resource's refresh: one request for both", async () => {
    const stored = env.seed({ agent_id: AGENT_A });
    const session = env.newSession();
    await env.resourceWith(session).read(stateOf(stored));
    await read(AGENT_A, session);
    await read(null, session);
    expect(env.requestLines()).toEqual(["GET /webhooks"]);
  });

  test("shows a webhook this process created, without reading the list again", async () => {
    const session = env.newSession();
    await read(null, session);
    const planned = webhook({ agent_id: AGENT_B, is_enabled: true, id: UNKNOWN, created_at: UNKNOWN });
    await env.resourceWith(session).apply({ prior: null, planned, config: webhook({ agent_id: AGENT_B }) });
    const { state } = await read(null, session);
    expect((state.webhooks as ObjectValue[]).map((w) => w.agent_id)).toEqual([AGENT_B]);
    expect(env.requestLines()).toEqual(["GET /webhooks", "POST /webhooks"]);
  });

  test("validates agent_id as a UUID", () => {
    const source = webhooksDataSource(() => env.newSession());
    expect(
      source.validate(
        { agent_id: "triage", webhooks: null },
        { terraformVersion: "", writeOnlyAttributesAllowed: true },
      ),
    ).toEqual([
      expect.objectContaining({ detail: messages.agentIdRule('"triage"', "agent_id"), attribute: "agent_id" }),
    ]);
  });
});
