/**
 * Agents by name in a cdktf program, with real synthesis and the real terraform binary against the emulator:
 * a PreclinicalWebhook whose agentId comes from PreclinicalAgent.fromName is created and then planned as no
 * change; a wrong name fails the plan with suggestions and writes nothing; the list constructs read 251 agents
 * across pages and the webhook of the agent. One emulator and one workspace for the file; the steps build on
 * each other, and each counts the requests it causes.
 */
import { TerraformOutput, type TerraformStack } from "cdktf";
import {
  PreclinicalAgent,
  PreclinicalAgents,
  PreclinicalConnection,
  PreclinicalEngine,
  PreclinicalWebhook,
  PreclinicalWebhooks,
} from "../../../src";
import { PreclinicalEmulator } from "../../../src/emulator";
import { AGENT_A, numberedAgents } from "../../support/agents";
import { describeWithTerraform } from "../../support/e2e";
import { KEY } from "../../support/emulator";
import { writeCounts } from "../../support/provider-engine";
import { flat } from "../../support/webhook-config";
import { Workspace, applySummary } from "../../support/terraform";

const AGENTS = [...numberedAgents(250), { id: AGENT_A, name: "Healthcare Assistant", provider: "retell" }];

let emulator: PreclinicalEmulator;
let ws: Workspace;
beforeAll(async () => {
  emulator = await PreclinicalEmulator.start({ agents: AGENTS });
  ws = new Workspace({ PRECLINICAL_API_KEY: KEY });
});
afterAll(async () => {
  ws.cleanup();
  await emulator.close();
});

/** The program: the agent found by `name`, its webhook, and the two lists, with outputs. */
const program = (name: string) => (stack: TerraformStack) => {
  const connection = new PreclinicalConnection(stack, "preclinical", {
    engine: PreclinicalEngine.PROVIDER,
    apiUrl: emulator.url,
    requestTimeoutMs: 2000,
    deadlineMs: 10000,
  });
  const assistant = PreclinicalAgent.fromName(stack, "assistant-agent", name, { connection });
  const hook = new PreclinicalWebhook(stack, "assistant", {
    url: "https://hooks.example.com/assistant",
    agentId: assistant.agentId,
    connection,
  });
  const agents = new PreclinicalAgents(stack, "agents", { connection });
  const hooks = new PreclinicalWebhooks(stack, "assistant-hooks", {
    agentId: assistant.agentId,
    connection,
    dependsOn: [hook.webhookResource], // read after the webhook is created
  });
  new TerraformOutput(stack, "webhook_id", { value: hook.webhookId });
  new TerraformOutput(stack, "agent_count", { value: agents.count });
  new TerraformOutput(stack, "listed_id", { value: hooks.webhooks.get(0).id });
};
const agentRequests = () => emulator.requests().filter((r) => r.path.startsWith("/api/v1/agents"));
const output = async (name: string) => (await ws.terraform(ws.lastStackDir, ["output", "-raw", name])).stdout.trim();

describeWithTerraform("provider engine: agents by name (cdktf synth + terraform + emulator)", () => {
  test("a webhook whose agentId comes from PreclinicalAgent.fromName is created for that agent", async () => {
    const result = await ws.deploy(program("Healthcare Assistant"));

    expect(result.code).toBe(0);
    expect(applySummary(result)).toBe("1 added, 0 changed, 0 destroyed");
    const created = emulator.webhooks();
    expect(created).toEqual([
      expect.objectContaining({ agent_id: AGENT_A, url: "https://hooks.example.com/assistant" }),
    ]);
    expect(writeCounts(emulator.requests())).toEqual({ POST: 1, PUT: 0, DELETE: 0 });
    // The plan's process reads the agents, three pages, never one GET per agent; the apply's re-plan of the
    // same create trusts its checks (src/provider/webhook/checked-creates.ts)
    expect(
      agentRequests()
        .map((r) => r.query)
        .sort(),
    ).toEqual(["limit=100&offset=0", "limit=100&offset=100", "limit=100&offset=200"]);
    expect(await output("webhook_id")).toBe(created[0].id);
    expect(await output("listed_id")).toBe(created[0].id);
    expect(await output("agent_count")).toBe("251");
  });

  test("deploying it again changes nothing and writes nothing", async () => {
    emulator.clearRequests();
    const result = await ws.deploy(program("Healthcare Assistant"));
    expect(result.code).toBe(0);
    expect(applySummary(result)).toBe("no changes");
    expect(writeCounts(emulator.requests())).toEqual({ POST: 0, PUT: 0, DELETE: 0 });
    expect(agentRequests()).toHaveLength(3);
  });

  test("a wrong name fails the plan with the closest names and writes nothing", async () => {
    emulator.clearRequests();
    const plan = await ws.plan(program("Healthcare assistant"));
    expect(plan.code).toBe(1);
    const text = flat(plan.output);
    expect(text).toContain('No agent of the organization of this API key is named "Healthcare assistant"');
    expect(text).toContain('The closest names it has: "Healthcare Assistant"');
    expect(writeCounts(emulator.requests())).toEqual({ POST: 0, PUT: 0, DELETE: 0 });
    expect(emulator.webhooks()).toHaveLength(1);
  });
});
