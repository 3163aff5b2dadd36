/**
 * Many pipelines, one organization: plain-Terraform stacks through our provider, each with its own state on
 * the `pg` backend of one PostgreSQL server, deployed at the same moment against an emulator that allows
 * 10 requests per second per API key (429 with Retry-After beyond). Figures for RELIABILITY.md come from
 * the same scenario in scripts/reliability.ts.
 */
import { describeWithTerraform, postgres, usePostgres } from "../../support/e2e";
import { KEY, emulator, useSharedEmulator } from "../../support/emulator";
import {
  audit,
  deployAtOnce,
  secretsFound,
  stackAgent,
  stackRunner,
  stackSecret,
  stackWebhooks,
  stateIds,
  type Stack,
} from "../../support/many-stacks";
import { applySummary } from "../../support/terraform";
import { flat, type WebhookDecl } from "../../support/webhook-config";

// Several terraform runs at once per test, on 2 cores shared with the rest of the suite.
jest.setTimeout(180_000);

const RATE_LIMIT = 10;
useSharedEmulator({ anyAgent: true, rateLimit: { requestsPerSecond: RATE_LIMIT } });
usePostgres();

// Terraform waits up to this long for a state lock; every pipeline on a shared backend should set one.
const LOCK_TIMEOUT = "-lock-timeout=120s";

const stacks: Stack[] = [];
function stack(index: number, webhooks: Record<string, WebhookDecl>): Stack {
  const s = stackRunner({ emulator, server: postgres, index, webhooks });
  stacks.push(s);
  return s;
}
afterEach(() => stacks.splice(0).forEach((s) => s.ws.cleanup()));

/**
 * Deploys each stack once with no webhook, one after the other: its state then exists, as it does for a
 * stack that pipelines have deployed before. (A stack's first deploy takes a lock on the whole database:
 * see the second test.)
 */
async function existing(indexes: number[]): Promise<void> {
  for (const index of indexes) {
    const [{ result }] = await deployAtOnce([stack(index, {})]);
    expect({ index, code: result.code, output: result.code === 0 ? "" : result.output }).toEqual({
      index,
      code: 0,
      output: "",
    });
  }
  emulator.clearRequests();
}

const expectAllSucceeded = (deploys: { stack: Stack; result: { code: number; output: string } }[]) =>
  expect(
    deploys.map((d) => ({ stack: d.stack.index, code: d.result.code, output: d.result.code ? d.result.output : "" })),
  ).toEqual(deploys.map((d) => ({ stack: d.stack.index, code: 0, output: "" })));

describeWithTerraform("many stacks, one organization, one pg backend, a rate-limited API (real terraform)", () => {
  test("eight stacks deployed at once each converge in one deploy: every webhook exactly as declared, none duplicated or lost, no secret in the database", async () => {
    const indexes = [0, 1, 2, 3, 4, 5, 6, 7];
    await existing(indexes);

    // When eight pipelines deploy their stacks' four webhooks each at the same moment
    const mine = indexes.map((i) => stack(i, stackWebhooks(i, 4)));
    const deploys = await deployAtOnce(mine, [LOCK_TIMEOUT]);

    // Then every deploy succeeded the first time, through the API's 429s
    expectAllSucceeded(deploys);
    for (const d of deploys) expect(applySummary(d.result)).toBe("4 added, 0 changed, 0 destroyed");
    const requests = emulator.requests();
    expect(requests.filter((r) => r.rateLimited).length).toBeGreaterThan(0);
    expect(requests.filter((r) => r.method === "POST" && !r.rateLimited)).toHaveLength(32);

    // And the API holds exactly the 32 declared webhooks, each with its stack's secret
    expect(audit(emulator, mine)).toEqual({ declared: 32, exact: 32, duplicates: 0, lost: [], unexpected: 0 });
    // And each stack's state in the database names its own webhooks
    for (const s of mine) {
      const ids = await stateIds(postgres, s);
      const expected = Object.fromEntries(
        Object.keys(s.webhooks).map((name, i) => [
          name,
          emulator.webhooks().find((w) => w.agent_id === stackAgent(s.index, i))?.id,
        ]),
      );
      expect({ stack: s.index, ids }).toEqual({ stack: s.index, ids: expected });
    }
    // And no secret, API key or database password is in the states table, the folders or the output
    const values = { "API key": KEY, "database password": postgres.password };
    for (const i of indexes) Object.assign(values, { [`stack ${i}'s secret`]: stackSecret(i) });
    expect(await secretsFound(postgres, mine, values)).toEqual([]);
  }, 180_000);

  test("the first deploys of new stacks in one database take turns (Terraform's database-wide creation lock); with -lock-timeout each converges in one deploy", async () => {
    const fresh = [stack(20, stackWebhooks(20, 2)), stack(21, stackWebhooks(21, 2))];

    const deploys = await deployAtOnce(fresh, [LOCK_TIMEOUT]);

    expectAllSucceeded(deploys);
    expect(audit(emulator, fresh)).toEqual({ declared: 4, exact: 4, duplicates: 0, lost: [], unexpected: 0 });
    // Without the timeout, a new stack's deploy fails at once while another new stack's first deploy runs
    const [first, second] = [stack(22, stackWebhooks(22, 1)), stack(23, stackWebhooks(23, 1))];
    for (const s of [first, second]) expect((await s.ws.terraform(["init", "-input=false", "-no-color"])).code).toBe(0);
    emulator.injectFault({ method: "POST", path: "/webhooks", fault: { kind: "delay", ms: 2000 } });
    const firstApply = first.ws.terraform(["apply", "-auto-approve", "-input=false", "-no-color"]);
    while (!emulator.requests().some((r) => r.method === "POST" && r.status === "pending")) {
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    const refused = await second.ws.terraform(["apply", "-auto-approve", "-input=false", "-no-color"]);
    expect(refused.code).toBe(1);
    expect(flat(refused.output)).toContain(
      "Error acquiring the state lock Error message: Already locked for workspace creation: default",
    );
    expect((await firstApply).code).toBe(0);
  }, 120_000);

  test("two stacks claiming one agent at once: both plans pass, exactly one apply wins, and the other's names the holder", async () => {
    await existing([30, 31]);
    const shared = stackAgent(99, 0);
    const claim = (index: number): Record<string, WebhookDecl> => ({
      own: { url: `https://team-${index}.example.com/own`, agent_id: stackAgent(index, 0) },
      claimed: { url: `https://team-${index}.example.com/claimed`, agent_id: shared },
    });
    const rivals = [stack(30, claim(30)), stack(31, claim(31))];
    // Two pipelines that planned at once: both plans find the scope free, and the creates decide. Each create
    // is held 4 s, so that a plan slowed by a loaded runner still reads the list before the other's create
    // lands (else that plan fails the whole deploy, the own webhook included: plan-checks.test.ts's case).
    for (const s of rivals) expect((await s.ws.terraform(["init", "-input=false", "-no-color"])).code).toBe(0);
    emulator.injectFault({ method: "POST", path: "/webhooks", fault: { kind: "delay", ms: 4000 }, times: 4 });

    const deploys = await deployAtOnce(rivals, [LOCK_TIMEOUT]);

    // One webhook holds the agent's scope, and it is the winner's
    const held = emulator.webhooks().filter((w) => w.agent_id === shared);
    expect(held).toHaveLength(1);
    const winner = deploys.find((d) => held[0].url === d.stack.webhooks.claimed.url)!;
    const loser = deploys.find((d) => d !== winner)!;
    expect(winner.result.code).toBe(0);
    expect((await stateIds(postgres, winner.stack)).claimed).toBe(held[0].id);
    // The loser fails naming the holder, keeps no claim in its state, and its own webhook is still created
    expect(loser.result.code).toBe(1);
    // The message names the agent by id and, when the agents list has it, by name.
    expect(flat(loser.result.output)).toMatch(
      new RegExp(`The scope of agent ${shared}( \\("[^"]*"\\))? already holds webhook ${held[0].id}`),
    );
    const loserIds = await stateIds(postgres, loser.stack);
    expect(loserIds.claimed).toBeUndefined();
    expect(loserIds.own).toBe(emulator.webhooks().find((w) => w.agent_id === stackAgent(loser.stack.index, 0))?.id);
    expect(emulator.webhooks()).toHaveLength(3);
  }, 120_000);
});
