/**
 * Two teams, two stacks (two state files) on the provider engine against one Preclinical organization, with
 * disjoint agents: neither deploy touches the other's webhooks, and a scope the other stack already holds
 * fails the plan with the holder's id before anything is written.
 */
import { PreclinicalEmulator } from "../../../src/emulator";
import { describeWithTerraform } from "../../support/e2e";
import { KEY } from "../../support/emulator";
import { webhookProgram, type Decl } from "../../support/provider-engine";
import { PreclinicalEngine } from "../../../src";
import { flat, writeRequests } from "../../support/webhook-config";
import { Workspace, applySummary } from "../../support/terraform";

const agent = (team: string, i: number) => `00000000-0000-4000-8000-${team}0000000000${i}`;
const A1 = agent("a", 1);
const A2 = agent("a", 2);
const B1 = agent("b", 1);
const B2 = agent("b", 2);
const SECRET = "whsec_e2e_" + "Tw0Stk".repeat(6);

let emulator: PreclinicalEmulator;
let teamA: Workspace;
let teamB: Workspace;

const aHooks: Decl[] = [
  { id: "org", url: "https://a.example.com/org", withSecret: true },
  { id: "a1", url: "https://a.example.com/1", agentId: A1 },
  { id: "a2", url: "https://a.example.com/2", agentId: A2, description: "team A" },
];
const bHooks: Decl[] = [
  { id: "b1", url: "https://b.example.com/1", agentId: B1, withSecret: true },
  { id: "b2", url: "https://b.example.com/2", agentId: B2, isEnabled: false },
];
const program = (decls: Decl[]) =>
  webhookProgram({ engine: PreclinicalEngine.PROVIDER, apiUrl: emulator.url }, ...decls);

/** The write requests of a deploy that name one of `ids`. */
const writesOn = (ids: string[]) =>
  writeRequests(emulator.requests()).filter((w) => ids.some((id) => w.endsWith(`/${id}`)));
const idsOf = (agents: (string | null)[]) =>
  emulator
    .webhooks()
    .filter((w) => agents.includes(w.agent_id))
    .map((w) => w.id);

beforeAll(async () => {
  emulator = await PreclinicalEmulator.start({ agents: [A1, A2, B1, B2].map((id) => ({ id })) });
});
afterAll(() => emulator.close());
beforeEach(async () => {
  emulator.reset();
  const env = { PRECLINICAL_API_KEY: KEY, TF_VAR_webhook_secret: SECRET };
  teamA = new Workspace(env, "team-a");
  teamB = new Workspace(env, "team-b");
});
afterEach(() => {
  teamA.cleanup();
  teamB.cleanup();
});

describeWithTerraform("provider engine: two stacks in one organization (cdktf synth + terraform + emulator)", () => {
  test("each team's deploy creates its own webhooks and never writes to the other's; later deploys of both write nothing", async () => {
    // When team A deploys, then team B
    const a = await teamA.deploy(program(aHooks));
    expect(a.code).toBe(0);
    expect(writeRequests(emulator.requests())).toEqual(Array(3).fill("POST /api/v1/webhooks"));
    const aIds = idsOf([null, A1, A2]);

    emulator.clearRequests();
    const b = await teamB.deploy(program(bHooks));

    // Then B created its two webhooks and wrote nothing to A's
    expect(b.code).toBe(0);
    expect(applySummary(b)).toBe("2 added, 0 changed, 0 destroyed");
    expect(writeRequests(emulator.requests())).toEqual(Array(2).fill("POST /api/v1/webhooks"));
    expect(writesOn(aIds)).toEqual([]);
    const bIds = idsOf([B1, B2]);
    expect(emulator.webhooks()).toHaveLength(5);

    // When each deploys again, A after B's changes, then B
    for (const [team, ws, decls] of [
      ["A", teamA, aHooks],
      ["B", teamB, bHooks],
    ] as const) {
      emulator.clearRequests();
      const again = await ws.deploy(program(decls));
      // Then neither sees the other's webhooks as its own: no change, no write
      expect({ team, summary: applySummary(again), writes: writeRequests(emulator.requests()) }).toEqual({
        team,
        summary: "no changes",
        writes: [],
      });
    }

    // When team A removes a webhook
    const [a2Id] = idsOf([A2]);
    emulator.clearRequests();
    const removed = await teamA.deploy(program(aHooks.filter((d) => d.id !== "a2")));

    // Then only that one is deleted
    expect(removed.code).toBe(0);
    expect(writeRequests(emulator.requests())).toEqual([`DELETE /api/v1/webhooks/${a2Id}`]);
    expect(writesOn(bIds)).toEqual([]);
    expect(idsOf([B1, B2])).toEqual(bIds);
  });

  test("an agent of team A's declared in team B's stack fails B's plan naming A's webhook, and nothing is written", async () => {
    // Given both stacks deployed
    expect((await teamA.deploy(program(aHooks))).code).toBe(0);
    expect((await teamB.deploy(program(bHooks))).code).toBe(0);
    const before = emulator.webhooks();
    const [holder] = idsOf([A1]);

    // When team B also declares A's agent
    emulator.clearRequests();
    const clash = await teamB.deploy(
      program([...bHooks, { id: "stolen", url: "https://b.example.com/stolen", agentId: A1 }]),
    );

    // Then B's plan fails naming A's webhook, and no write reaches the API
    expect(clash.code).not.toBe(0);
    expect(flat(clash.output)).toContain(
      `The scope of agent ${A1} ("Agent ${A1.slice(0, 8)}") already holds webhook ${holder} (https://a.example.com/1)`,
    );
    expect(clash.output).not.toContain("Creating...");
    expect(writeRequests(emulator.requests())).toEqual([]);
    expect(emulator.webhooks()).toEqual(before);

    // And team A's stack is still in step with the API
    emulator.clearRequests();
    const a = await teamA.deploy(program(aHooks));
    expect(applySummary(a)).toBe("no changes");
    expect(writeRequests(emulator.requests())).toEqual([]);
  });
});
