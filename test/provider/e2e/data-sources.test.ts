/**
 * The data sources as a plain-Terraform user meets them: hand-written main.tf.json, the real terraform binary,
 * the bundled provider and one emulator with 251 agents (three pages of GET /agents). A webhook whose agent_id
 * comes from data.preclinical_agent by name: its create and its no-op plan; a wrong name failing the plan
 * with suggestions and no write; the agents list across pages; the webhook list filtered by agent (read after
 * the webhook, during the apply that creates it: Terraform defers a data source whose dependency changes). One
 * workspace for the file, whose steps build on each other; every step counts the requests it causes.
 */
import { PreclinicalEmulator } from "../../../src/emulator";
import { AGENT_A, numberedAgents } from "../../support/agents";
import { describeWithTerraform } from "../../support/e2e";
import { applySummary } from "../../support/terraform";
import { type HclWorkspace } from "../../support/hcl-workspace";
import { flat, webhookConfig, webhookWorkspace, writeRequests } from "../../support/webhook-config";

const SECRET = "whsec_e2e_" + "D4taSr".repeat(6);
const AGENTS = [...numberedAgents(250), { id: AGENT_A, name: "Healthcare Assistant", provider: "retell" }];

let emulator: PreclinicalEmulator;
let ws: HclWorkspace;
beforeAll(async () => {
  emulator = await PreclinicalEmulator.start({ agents: AGENTS });
  ws = webhookWorkspace(SECRET);
});
afterAll(async () => {
  ws.cleanup();
  await emulator.close();
});

/** The configuration: the agent found by `name`, its webhook, the lists and outputs of them. */
function config(name: string): Record<string, unknown> {
  return {
    ...webhookConfig({
      apiUrl: emulator.url,
      webhooks: {
        assistant: { url: "https://hooks.example.com/assistant", agent_id: "${data.preclinical_agent.assistant.id}" },
      },
    }),
    data: {
      preclinical_agent: { assistant: { name } },
      preclinical_agents: { all: {}, livekit: { agent_provider: "livekit" } },
      // After the webhook: read during the apply that creates it, at plan time once it is unchanged.
      preclinical_webhooks: {
        assistant: {
          agent_id: "${data.preclinical_agent.assistant.id}",
          depends_on: ["preclinical_webhook.assistant"],
        },
        all: { depends_on: ["preclinical_webhook.assistant"] },
      },
    },
    output: {
      assistant_id: { value: "${preclinical_webhook.assistant.id}" },
      agent_count: { value: "${length(data.preclinical_agents.all.agents)}" },
      livekit_count: { value: "${length(data.preclinical_agents.livekit.agents)}" },
      last_agent: { value: "${data.preclinical_agents.all.agents[250].name}" },
      assistant_hooks: { value: "${jsonencode(data.preclinical_webhooks.assistant.webhooks[*].id)}" },
      all_hooks: { value: "${length(data.preclinical_webhooks.all.webhooks)}" },
    },
  };
}

/** The requests of the last command as "METHOD path?query", counted. */
function requests(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const r of emulator.requests()) {
    const line = `${r.method} ${r.path.replace("/api/v1", "")}${r.query ? `?${r.query}` : ""}`;
    counts[line] = (counts[line] ?? 0) + 1;
  }
  return counts;
}

describeWithTerraform("data sources (terraform + bundled provider + emulator)", () => {
  test("a webhook whose agent_id comes from preclinical_agent by name is created, checked against the agents list", async () => {
    emulator.seedWebhook("default", { url: "https://ui.example.com/org" }); // an organization-level one, from the UI
    emulator.clearRequests();
    const result = await ws.apply(config("Healthcare Assistant"));

    expect(result.code).toBe(0);
    expect(applySummary(result)).toBe("1 added, 0 changed, 0 destroyed");
    const created = emulator.webhooks().find((w) => w.agent_id === AGENT_A);
    expect(created).toMatchObject({ url: "https://hooks.example.com/assistant", secret: null });
    expect(await ws.output("assistant_id")).toBe(created!.id);
    expect(writeRequests(emulator.requests())).toEqual(["POST /api/v1/webhooks"]);
    // The agents list is read page by page, once for the apply: by the plan's process, whose checks the
    // apply's re-plan of the same create trusts (checked-creates.ts); never one GET /agents/{id}. The webhook
    // list, once per process, serves the scope check and, patched with the create, the lists read after it.
    expect(requests()).toEqual({
      "GET /agents?limit=100&offset=0": 1,
      "GET /agents?limit=100&offset=100": 1,
      "GET /agents?limit=100&offset=200": 1,
      "GET /webhooks?limit=100&offset=0": 2,
      "POST /webhooks": 1,
    });
  });

  test("a second plan shows no changes, at three agent pages and one webhook list", async () => {
    emulator.clearRequests();
    const plan = await ws.plan();
    expect(plan.code).toBe(0);
    expect(plan.output).toContain("No changes.");
    expect(requests()).toEqual({
      "GET /agents?limit=100&offset=0": 1,
      "GET /agents?limit=100&offset=100": 1,
      "GET /agents?limit=100&offset=200": 1,
      "GET /webhooks?limit=100&offset=0": 1,
    });
  });

  test("the agents list holds every agent across its pages, sorted by name, and filters by provider", async () => {
    expect(await ws.output("agent_count")).toBe("251");
    expect(await ws.output("livekit_count")).toBe("25");
    // Sorted by name: "Agent 001" ... "Agent 250", then "Healthcare Assistant".
    expect(await ws.output("last_agent")).toBe("Healthcare Assistant");
  });

  test("the webhook list filtered by the agent holds its webhook only; unfiltered, the organization's too", async () => {
    const created = emulator.webhooks().find((w) => w.agent_id === AGENT_A)!;
    expect(JSON.parse(await ws.output("assistant_hooks"))).toEqual([created.id]);
    expect(await ws.output("all_hooks")).toBe("2");
  });

  test("a scope held in the UI fails the plan of a webhook whose agent comes by name, naming the agent", async () => {
    const [seven] = AGENTS.slice(6, 7);
    const held = emulator.seedWebhook("default", { url: "https://ui.example.com/seven", agent_id: seven.id });
    const clash = config("Healthcare Assistant") as { data: Record<string, Record<string, unknown>>; resource: any };
    clash.data.preclinical_agent.seven = { name: seven.name };
    clash.resource.preclinical_webhook.seven = {
      url: "https://hooks.example.com/seven",
      agent_id: "${data.preclinical_agent.seven.id}",
    };
    emulator.clearRequests();
    const plan = await ws.plan(clash);
    expect(plan.code).toBe(1);
    expect(flat(plan.output)).toContain(
      `The scope of agent ${seven.id} ("${seven.name}") already holds webhook ${held.id} (https://ui.example.com/seven)`,
    );
    expect(writeRequests(emulator.requests())).toEqual([]);
  });

  test("a wrong name fails the plan naming it and the closest names, and nothing is written", async () => {
    emulator.clearRequests();
    const plan = await ws.plan(config("Healthcare Asistant"));
    expect(plan.code).toBe(1);
    const output = flat(plan.output);
    expect(output).toContain("Error: Cannot find the Preclinical agent with data.preclinical_agent.assistant");
    expect(output).toContain('No agent of the organization of this API key is named "Healthcare Asistant"');
    expect(output).toMatch(/The closest names it has: "Healthcare Assistant", "Agent \d{3}"/);
    expect(writeRequests(emulator.requests())).toEqual([]);
    // And the webhook is untouched
    expect(emulator.webhooks().filter((w) => w.agent_id === AGENT_A)).toHaveLength(1);
  });
});
