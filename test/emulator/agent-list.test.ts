/**
 * The emulator's lists as the service documents them: GET /agents in pages of at most 100 with `total`, its
 * `provider` filter, the agents' fields; GET /webhooks paged when asked (or whole, with pagedWebhookList:
 * false or setPagedWebhookList(false)) and filtered by `agent_id`; agents seeded with names, providers,
 * descriptions and inactive ones, in process and through the control endpoint.
 */
import { ErrorCodes } from "../../src/api/assumptions";
import { EMULATOR_DEFAULT_API_KEY, PreclinicalEmulator } from "../../src/emulator";
import { AgentListSchema, WebhookListSchema } from "../../src/api/schemas";
import { AGENT_A, AGENT_B, numberedAgents } from "../support/agents";
import { emulator, useSharedEmulator } from "../support/emulator";
import { call, control, expectError } from "../support/emulator-http";

const AGENTS = numberedAgents(250);
useSharedEmulator({ agents: AGENTS });

const names = (answer: { json: { agents: { name: string }[] } }) => answer.json.agents.map((a) => a.name);

describe("GET /agents", () => {
  test("answers pages of at most 100 agents, oldest first, each with `total`", async () => {
    const first = await call("GET", "/agents?limit=100&offset=0");
    expect(first.status).toBe(200);
    expect(AgentListSchema.parse(first.json).agents).toHaveLength(100);
    expect(first.json.total).toBe(250);
    expect(names(first).slice(0, 2)).toEqual(["Agent 001", "Agent 002"]);

    const last = await call("GET", "/agents?limit=100&offset=200");
    expect(names(last)).toHaveLength(50);
    expect(names(last).at(-1)).toBe("Agent 250");
    expect((await call("GET", "/agents?limit=100&offset=250")).json).toEqual({ agents: [], total: 250 });
  });

  test("serves a limit above 100, or none, as 100, and a smaller one as asked", async () => {
    expect(names(await call("GET", "/agents?limit=500"))).toHaveLength(100);
    expect(names(await call("GET", "/agents"))).toHaveLength(100);
    expect(names(await call("GET", "/agents?limit=3&offset=10"))).toEqual(["Agent 011", "Agent 012", "Agent 013"]);
  });

  test.each(["limit=0", "limit=-1", "limit=x", "offset=-5", "offset=1.5", "limit=1e2"])(
    "refuses %s with 400 INVALID_FIELD_VALUE",
    async (query) => {
      expectError(await call("GET", `/agents?${query}`), 400, ErrorCodes.INVALID_FIELD_VALUE);
    },
  );

  test("filters by provider, with `total` counting the filtered list", async () => {
    const answer = await call("GET", "/agents?provider=livekit&limit=100");
    expect(answer.json.total).toBe(25);
    expect(names(answer).slice(0, 2)).toEqual(["Agent 010", "Agent 020"]);
    expect((await call("GET", "/agents?provider=nobody")).json).toEqual({ agents: [], total: 0 });
  });

  test("lists agents seeded through the control endpoint with their description and inactive flag", async () => {
    const added = await control("POST", "/agents", {
      agents: [
        { id: AGENT_A, name: "Healthcare Assistant", provider: "retell", description: "Front desk", is_active: false },
        { id: AGENT_B, name: "Healthcare Assistant" },
      ],
    });
    expect(added.status).toBe(201);
    const retell = await call("GET", "/agents?provider=retell");
    expect(retell.json.agents).toEqual([
      expect.objectContaining({
        id: AGENT_A,
        name: "Healthcare Assistant",
        description: "Front desk",
        is_active: false,
      }),
    ]);
    expect((await call("GET", `/agents/${AGENT_B}`)).json).toMatchObject({ description: null, is_active: true });
    expect(emulator.agents()).toHaveLength(252);
    expectError(await control("POST", "/agents", { agents: [{ name: "no id" }] }), 400, ErrorCodes.INVALID_FIELD_VALUE);
  });
});

describe("GET /webhooks", () => {
  const seed = (count: number) =>
    AGENTS.slice(0, count).map((a, i) =>
      emulator.seedWebhook("default", { url: `https://hooks.example.com/${i}`, agent_id: a.id }),
    );

  test("answers the whole list when no paging is asked for, and pages of at most 100 when it is", async () => {
    seed(120);
    const whole = await call("GET", "/webhooks");
    expect(WebhookListSchema.parse(whole.json).webhooks).toHaveLength(120);
    expect(whole.json.total).toBe(120);
    const second = await call("GET", "/webhooks?limit=100&offset=100");
    expect(second.json.webhooks).toHaveLength(20);
    expect(second.json.total).toBe(120);
  });

  test("answers the whole list, asked for pages or not, when started with pagedWebhookList: false, and pages again after setPagedWebhookList(true)", async () => {
    const unpaged = await PreclinicalEmulator.start({ agents: AGENTS, pagedWebhookList: false });
    try {
      AGENTS.slice(0, 120).forEach((a, i) =>
        unpaged.seedWebhook("default", { url: `https://hooks.example.com/${i}`, agent_id: a.id }),
      );
      const answer = await fetch(`${unpaged.url}/webhooks?limit=100&offset=0`, {
        headers: { authorization: `Bearer ${EMULATOR_DEFAULT_API_KEY}` },
      });
      const body = (await answer.json()) as { webhooks: unknown[]; total: number };
      expect(body.webhooks).toHaveLength(120);
      expect(body.total).toBe(120);
      unpaged.setPagedWebhookList(true);
      const paged = await fetch(`${unpaged.url}/webhooks?limit=100&offset=100`, {
        headers: { authorization: `Bearer ${EMULATOR_DEFAULT_API_KEY}` },
      });
      expect(((await paged.json()) as { webhooks: unknown[] }).webhooks).toHaveLength(20);
    } finally {
      await unpaged.close();
    }
  });

  test("filters by agent_id", async () => {
    const [, hook] = seed(3);
    const answer = await call("GET", `/webhooks?agent_id=${AGENTS[1].id}&limit=100&offset=0`);
    expect(answer.json).toEqual({ webhooks: [expect.objectContaining({ id: hook.id })], total: 1 });
  });
});
