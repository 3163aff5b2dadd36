/**
 * The `preclinical_agent` and `preclinical_agents` data sources without Terraform, over a real client and the
 * emulator: what each validates, reads and answers (one, none, several, inactive), and what it costs.
 */
import { messages } from "../../src/messages";
import { agentDataSource, validateAgentConfig } from "../../src/provider/agent/agent-data-source";
import { agentsDataSource } from "../../src/provider/agent/agents-data-source";
import { DiagnosticsError } from "../../src/provider/protocol/definition";
import { UNKNOWN, type ObjectValue } from "../../src/provider/protocol/values";
import { AGENT_A, AGENT_B, AGENT_C, UNKNOWN_AGENT, numberedAgentId } from "../support/agents";
import { useWebhookEmulator } from "../support/webhook-resource";

const env = useWebhookEmulator();
const ASSISTANT = AGENT_C;
const [INTAKE_1, INTAKE_2, RETIRED] = [numberedAgentId(1), numberedAgentId(2), numberedAgentId(3)];

beforeAll(() => {
  env.emulator.addAgent({ id: ASSISTANT, name: "Healthcare Assistant", provider: "retell", description: "Front desk" });
  env.emulator.addAgent({ id: INTAKE_1, name: "Intake" });
  env.emulator.addAgent({ id: INTAKE_2, name: "Intake", provider: "livekit" });
  env.emulator.addAgent({ id: RETIRED, name: "Retired bot", is_active: false });
});

const config = (fields: ObjectValue): ObjectValue => ({
  id: null,
  name: null,
  agent_provider: null,
  description: null,
  is_active: null,
  ...fields,
});
const readAgent = (fields: ObjectValue, session = env.newSession()) =>
  agentDataSource(() => session).read(config(fields));
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error("expected the read to fail");
    },
    (err: unknown) => {
      expect(err).toBeInstanceOf(DiagnosticsError);
      return (err as DiagnosticsError).diagnostics;
    },
  );

describe("preclinical_agent: validation", () => {
  test.each<[string, ObjectValue, string]>([
    ["neither id nor name", {}, messages.agentIdOrName("neither")],
    ["both id and name", { id: AGENT_A, name: "Triage bot" }, messages.agentIdOrName("both")],
    ["both, one known only after apply", { id: UNKNOWN, name: "Triage bot" }, messages.agentIdOrName("both")],
    ["an id that is not a UUID", { id: "triage" }, messages.agentIdRule('"triage"', "id")],
    ["an empty name", { name: "" }, messages.agentNameRule()],
  ])("refuses %s", (_, fields, detail) => {
    expect(validateAgentConfig(config(fields))).toEqual([expect.objectContaining({ severity: "error", detail })]);
  });

  test.each<[string, ObjectValue]>([
    ["a name", { name: "Triage bot" }],
    ["an id", { id: AGENT_A }],
    ["a name known only after apply", { name: UNKNOWN }],
  ])("accepts %s", (_, fields) => {
    expect(validateAgentConfig(config(fields))).toEqual([]);
  });
});

describe("preclinical_agent: read", () => {
  test("finds the one agent of an exact name, with every attribute, from one list request", async () => {
    const result = await readAgent({ name: "Healthcare Assistant" });
    expect(result).toEqual({
      state: {
        id: ASSISTANT,
        name: "Healthcare Assistant",
        agent_provider: "retell",
        description: "Front desk",
        is_active: true,
      },
      diagnostics: [],
    });
    expect(env.requestLines()).toEqual(["GET /agents"]);
  });

  test("a name that matches nothing fails naming the name and the closest names, at most five", async () => {
    const [diagnostic] = await failure(readAgent({ name: "Healthcare Asistant" }));
    expect(diagnostic).toMatchObject({ severity: "error", attribute: "name" });
    expect(diagnostic.detail).toContain('No agent of the organization of this API key is named "Healthcare Asistant"');
    const suggested = /The closest names it has: (.*)\. Fix/.exec(diagnostic.detail)?.[1].split(", ");
    expect(suggested?.[0]).toBe('"Healthcare Assistant"');
    expect(suggested?.length).toBe(5);
  });

  test("a name that several agents share fails listing their ids and asking for the id", async () => {
    const [diagnostic] = await failure(readAgent({ name: "Intake" }));
    expect(diagnostic).toMatchObject({ severity: "error", attribute: "name" });
    expect(diagnostic.detail).toBe(messages.agentNameAmbiguous("Intake", [INTAKE_1, INTAKE_2]));
    expect(diagnostic.detail).toContain("give the `id` of the one you mean");
  });

  test("an inactive agent is found, with a warning", async () => {
    const result = await readAgent({ name: "Retired bot" });
    expect(result.state).toMatchObject({ id: RETIRED, is_active: false });
    expect(result.diagnostics).toEqual([
      expect.objectContaining({
        severity: "warning",
        detail: messages.agentInactive("Retired bot", RETIRED),
        attribute: "name",
      }),
    ]);
  });

  test("finds an agent by id, keeping the configuration's spelling of it", async () => {
    const result = await readAgent({ id: ASSISTANT.toUpperCase() });
    expect(result.state).toMatchObject({ id: ASSISTANT.toUpperCase(), name: "Healthcare Assistant" });
  });

  test("an id the organization does not have fails naming it, after the list and one GET", async () => {
    const [diagnostic] = await failure(readAgent({ id: UNKNOWN_AGENT }));
    expect(diagnostic).toMatchObject({ detail: messages.agentIdNotFound(UNKNOWN_AGENT), attribute: "id" });
    expect(env.requestLines()).toEqual(["GET /agents", `GET /agents/${UNKNOWN_AGENT}`]);
  });

  test("reads of one process share one agents list", async () => {
    const session = env.newSession();
    await Promise.all([
      readAgent({ name: "Triage bot" }, session),
      readAgent({ id: AGENT_B }, session),
      readAgent({ name: "Healthcare Assistant" }, session),
      agentsDataSource(() => session).read({ agent_provider: null, agents: null }),
    ]);
    expect(env.requestLines()).toEqual(["GET /agents"]);
  });

  test("a rejected API key fails naming its variable", async () => {
    const [diagnostic] = await failure(readAgent({ name: "Intake" }, env.newSession("sk_live_" + "Q".repeat(40))));
    expect(diagnostic.summary).toBe("GET /agents failed");
    expect(diagnostic.detail).toBe(messages.unauthorized("PRECLINICAL_API_KEY", env.emulator.url));
  });
});

describe("preclinical_agents", () => {
  const read = (agent_provider: string | null) =>
    agentsDataSource(() => env.newSession()).read({ agent_provider, agents: null });

  test("lists every agent with the API's fields, sorted by name, then id", async () => {
    const { state } = await read(null);
    const agents = state.agents as ObjectValue[];
    expect(agents.map((a) => [a.name, a.id])).toEqual([
      [`Agent ${AGENT_B.slice(0, 8)}`, AGENT_B],
      ["Healthcare Assistant", ASSISTANT],
      ["Intake", INTAKE_1],
      ["Intake", INTAKE_2],
      ["Retired bot", RETIRED],
      ["Triage bot", AGENT_A],
    ]);
    expect(agents[1]).toEqual({
      id: ASSISTANT,
      name: "Healthcare Assistant",
      provider: "retell",
      description: "Front desk",
      is_active: true,
    });
    expect(state.agent_provider).toBeNull();
  });

  test("filters by agent_provider, exactly", async () => {
    const { state } = await read("livekit");
    expect((state.agents as ObjectValue[]).map((a) => a.id)).toEqual([INTAKE_2]);
    expect(state.agent_provider).toBe("livekit");
    expect((await read("LiveKit")).state.agents).toEqual([]);
  });
});
