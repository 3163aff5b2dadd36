/**
 * What PreclinicalAgent.fromName, PreclinicalAgents and PreclinicalWebhooks synthesize, and what they refuse:
 * data sources on the provider block of their connection, an agentId token any provider-engine webhook takes,
 * typed list attributes; the provisioner engine and another organization refused with a message.
 */
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { PreclinicalAgent, PreclinicalAgents, PreclinicalWebhook, PreclinicalWebhooks } from "../../src";
import { messages } from "../../src/messages";
import { AGENT_A } from "../support/agents";
import { HOOK_URL } from "../support/inputs";
import { EU, provider, provisionerConnection } from "../support/provider-synth";
import { bareStack, synth, type Json } from "../support/synth";

const dataBlock = (json: Json, type: string): [string, Json] => {
  const entries = Object.entries((json.data?.[type] ?? {}) as Json);
  expect(entries).toHaveLength(1);
  return entries[0] as [string, Json];
};

describe("PreclinicalAgent.fromName", () => {
  test("reads the agent with a preclinical_agent data source on its connection's provider block", () => {
    const stack = bareStack();
    const connection = provider(stack);
    PreclinicalAgent.fromName(stack, "Triage", "Healthcare Assistant", { connection });
    const json = synth(stack);
    const [, body] = dataBlock(json, "preclinical_agent");
    expect(body.name).toBe("Healthcare Assistant");
    expect(body.id).toBeUndefined();
    // The stack's default organization is Terraform's unaliased provider block; others are aliased.
    const alias = json.provider.preclinical[0].alias;
    expect(body.provider).toBe(alias ? `preclinical.${alias}` : "preclinical");
  });

  test("its agentId is one token that a PreclinicalWebhook takes as agent_id, with the UUID precondition", () => {
    const stack = bareStack();
    const connection = provider(stack);
    const agent = PreclinicalAgent.fromName(stack, "Triage", "Healthcare Assistant", { connection });
    expect(agent.agentId).toBe(agent.agentId);
    const hook = new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, agentId: agent.agentId, connection });
    const json = synth(stack);
    const [name] = dataBlock(json, "preclinical_agent");
    const body = json.resource.preclinical_webhook[hook.webhookResource.friendlyUniqueId];
    expect(body.agent_id).toBe(`\${data.preclinical_agent.${name}.id}`);
    expect(body.lifecycle.precondition).toEqual([
      expect.objectContaining({ condition: expect.stringContaining(`data.preclinical_agent.${name}.id`) }),
    ]);
  });

  test("the default connection serves both when neither names one", () => {
    const stack = new TerraformStack(Testing.app(), "stack");
    const agent = PreclinicalAgent.fromName(stack, "Triage", "Healthcare Assistant");
    new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, agentId: agent.agentId });
    const json = synth(stack);
    expect(json.provider.preclinical).toHaveLength(1);
    expect(json.resource.preclinical_webhook).toBeDefined();
  });

  test("exposes the agent's other attributes as tokens for outputs", () => {
    const stack = bareStack();
    const agent = PreclinicalAgent.fromName(stack, "Triage", "Intake", { connection: provider(stack) });
    new TerraformOutput(stack, "platform", { value: agent.agentProvider });
    new TerraformOutput(stack, "active", { value: agent.isActive });
    new TerraformOutput(stack, "name", { value: agent.agentName });
    const json = synth(stack);
    const [name] = dataBlock(json, "preclinical_agent");
    expect(json.output.platform.value).toBe(`\${data.preclinical_agent.${name}.agent_provider}`);
    expect(json.output.active.value).toBe(`\${data.preclinical_agent.${name}.is_active}`);
    expect(json.output.name.value).toBe(`\${data.preclinical_agent.${name}.name}`);
  });

  test.each([
    ["neither a name nor an id", {}, messages.agentIdOrName("neither", "agentId", "a PreclinicalAgent")],
    ["both", { name: "Intake", agentId: AGENT_A }, messages.agentIdOrName("both", "agentId", "a PreclinicalAgent")],
    ["an empty name", { name: "" }, messages.agentNameRule()],
  ])("refuses %s at synth time", (_, props, message) => {
    const stack = bareStack();
    expect(() => new PreclinicalAgent(stack, "A", { ...props, connection: provider(stack) })).toThrow(message);
  });

  test("refuses a connection on the provisioner engine: the provider reads the agent", () => {
    const stack = bareStack();
    expect(() => PreclinicalAgent.fromName(stack, "A", "Intake", { connection: provisionerConnection(stack) })).toThrow(
      messages.readsThroughProvider("stack/A"),
    );
  });

  test("a provisioner-engine webhook refuses an agentId from a PreclinicalAgent, saying what to do", () => {
    const stack = bareStack();
    const agent = PreclinicalAgent.fromName(stack, "A", "Intake", { connection: provider(stack) });
    expect(
      () =>
        new PreclinicalWebhook(stack, "Hook", {
          url: HOOK_URL,
          agentId: agent.agentId,
          connection: provisionerConnection(stack),
        }),
    ).toThrow(messages.agentTokenOnProvisioners("stack/Hook", "stack/A"));
  });

  test("a webhook of another organization refuses the agent's id", () => {
    const stack = bareStack();
    const agent = PreclinicalAgent.fromName(stack, "A", "Intake", { connection: provider(stack) });
    const eu = provider(stack, "Eu", { apiUrl: EU });
    expect(
      () => new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, agentId: agent.agentId, connection: eu }),
    ).toThrow(messages.agentTokenOtherOrganization("stack/Hook", "stack/A"));
  });

  test("two webhooks that take one agent's id claim one scope: synthesis fails naming both", () => {
    const stack = bareStack();
    const connection = provider(stack);
    const agent = PreclinicalAgent.fromName(stack, "A", "Intake", { connection });
    new PreclinicalWebhook(stack, "One", { url: HOOK_URL, agentId: agent.agentId, connection });
    new PreclinicalWebhook(stack, "Two", { url: HOOK_URL, agentId: agent.agentId, connection });
    expect(() => Testing.synth(stack, true)).toThrow("Two webhooks claim the scope of the agent of stack/A");
  });
});

describe("PreclinicalAgents and PreclinicalWebhooks", () => {
  test("PreclinicalAgents synthesizes preclinical_agents with its filter; its list is typed", () => {
    const stack = bareStack();
    const agents = new PreclinicalAgents(stack, "Agents", { agentProvider: "livekit", connection: provider(stack) });
    new TerraformOutput(stack, "first", { value: agents.agents.get(0).name });
    new TerraformOutput(stack, "active", { value: agents.agents.get(1).isActive });
    new TerraformOutput(stack, "count", { value: agents.count });
    const json = synth(stack);
    const [name, body] = dataBlock(json, "preclinical_agents");
    expect(body.agent_provider).toBe("livekit");
    expect(json.output.first.value).toBe(`\${data.preclinical_agents.${name}.agents[0].name}`);
    expect(json.output.active.value).toBe(`\${data.preclinical_agents.${name}.agents[1].is_active}`);
    expect(json.output.count.value).toBe(`\${length(data.preclinical_agents.${name}.agents)}`);
  });

  test("PreclinicalWebhooks filters by a PreclinicalAgent's id; its items carry every field", () => {
    const stack = bareStack();
    const connection = provider(stack);
    const agent = PreclinicalAgent.fromName(stack, "A", "Intake", { connection });
    const hooks = new PreclinicalWebhooks(stack, "Hooks", { agentId: agent.agentId, connection });
    const first = hooks.webhooks.get(0);
    new TerraformOutput(stack, "failures", { value: first.consecutiveFailures });
    new TerraformOutput(stack, "last", { value: first.lastTriggeredAt });
    const json = synth(stack);
    const [agentName] = dataBlock(json, "preclinical_agent");
    const [name, body] = dataBlock(json, "preclinical_webhooks");
    expect(body.agent_id).toBe(`\${data.preclinical_agent.${agentName}.id}`);
    expect(json.output.failures.value).toBe(`\${data.preclinical_webhooks.${name}.webhooks[0].consecutive_failures}`);
    expect(json.output.last.value).toBe(`\${data.preclinical_webhooks.${name}.webhooks[0].last_triggered_at}`);
  });

  test("PreclinicalWebhooks refuses an agentId that is no UUID, and a provisioner-engine connection", () => {
    const stack = bareStack();
    expect(() => new PreclinicalWebhooks(stack, "H", { agentId: "triage", connection: provider(stack) })).toThrow(
      messages.agentIdRule('"triage"'),
    );
    expect(() => new PreclinicalAgents(stack, "A", { connection: provisionerConnection(stack) })).toThrow(
      messages.readsThroughProvider("stack/A"),
    );
  });
});
