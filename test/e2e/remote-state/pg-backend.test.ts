/**
 * Remote state with locking, real: cdktf stacks declared with `PgBackend` keep their state in a PostgreSQL
 * server that this file starts on loopback (test/support/postgres.ts says where it comes from and why), and
 * Terraform's own advisory lock keeps two deploys of one stack from running at once.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { PgBackend } from "cdktf";
import { describeWithTerraform, expectNoLeaks, postgres, usePostgres } from "../../support/e2e";
import { KEY, apiRequests, emulator, useSharedEmulator } from "../../support/emulator";
import { WEBHOOKS, webhookProgram, writeCounts, type Decl } from "../../support/provider-engine";
import { PreclinicalEngine } from "../../../src";
import { Workspace, applySummary, type RunResult } from "../../support/terraform";

// Several terraform runs at once per test, on 2 cores shared with the rest of the suite.
jest.setTimeout(180_000);

const SECRET = "whsec_e2e_" + "PgB4ck".repeat(6);

useSharedEmulator();
usePostgres();

/** Runners (fresh folders, as CI gives each job) of one stack whose state is in `schema`. */
const runners: Workspace[] = [];
function runner(schema: string): Workspace {
  const ws = new Workspace(
    { PRECLINICAL_API_KEY: KEY, TF_VAR_webhook_secret: SECRET, ...postgres.env() },
    "webhooks",
    false,
    (stack) => new PgBackend(stack, { connStr: postgres.connectionString(), schemaName: schema }),
  );
  runners.push(ws);
  return ws;
}
afterEach(() => runners.splice(0).forEach((ws) => ws.cleanup()));

const program = (...decls: Decl[]) =>
  webhookProgram({ engine: PreclinicalEngine.PROVIDER, apiUrl: emulator.url, requestTimeoutMs: 5000 }, ...decls);
const V1 = [WEBHOOKS.org];
const V2 = [{ ...WEBHOOKS.org, url: "https://hooks.example.com/org/v2" }, WEBHOOKS.triage];

/** Waits until the emulator holds a request of `method` unanswered (a delay fault): its deploy holds the lock. */
async function untilPending(method: string): Promise<void> {
  const started = Date.now();
  while (!apiRequests(method).some((r) => r.status === "pending")) {
    if (Date.now() - started > 30_000) throw new Error(`no ${method} reached the API`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Synthesizes `decls` in `ws` and runs `terraform init`: a runner ready to apply. */
async function ready(ws: Workspace, decls: Decl[]): Promise<string> {
  const stackDir = ws.synth(program(...decls));
  const init = await ws.terraform(stackDir, ["init", "-input=false", "-no-color"]);
  if (init.code !== 0) throw new Error(`terraform init failed:\n${init.output}`);
  return stackDir;
}

const APPLY = ["apply", "-auto-approve", "-input=false", "-no-color"];

/**
 * Two runners apply V2 of a stack deployed at V1; the second starts once the first holds the state lock
 * (its create is held by the API), with `secondEnv`. Both are synthesized and initialized beforehand, so
 * that the second reaches the lock while the first still holds it. Returns the results and which ended first.
 */
async function twoAtOnce(schema: string, secondEnv: Record<string, string>): Promise<[RunResult, RunResult, string[]]> {
  expect((await runner(schema).deploy(program(...V1))).code).toBe(0);
  const [a, b] = [runner(schema), runner(schema)];
  const [aDir, bDir] = [await ready(a, V2), await ready(b, V2)];
  emulator.clearRequests();
  // The first runner's create is held 3 s by the API (its attempts may take 5 s): it holds the lock all that time.
  emulator.injectFault({ method: "POST", path: "/webhooks", fault: { kind: "delay", ms: 3000 } });
  const order: string[] = [];
  const first = a.terraform(aDir, APPLY).then((r) => (order.push("first"), r));
  await untilPending("POST");
  const second = b.terraform(bDir, APPLY, secondEnv).then((r) => (order.push("second"), r));
  return [await first, await second, order];
}

describeWithTerraform("remote state on the pg backend (cdktf PgBackend, real PostgreSQL, real terraform)", () => {
  test("the state lives in PostgreSQL: a runner with a fresh folder finds nothing to do, and no secret, API key or database password is in the states table, the files or the output", async () => {
    // Given a stack deployed by one runner
    const first = runner("one_stack");
    const deployed = await first.deploy(program(...V2));
    expect(applySummary(deployed)).toBe("2 added, 0 changed, 0 destroyed");

    // Then its state is one row of the database, naming the API's webhooks, and no local state file exists
    const rows = await postgres.states();
    expect(rows.map((r) => [r.schema, r.name])).toEqual([["one_stack", "default"]]);
    const state = JSON.parse(rows[0].data) as {
      resources: { type: string; instances: { attributes: { id: string } }[] }[];
    };
    const ids = state.resources
      .filter((r) => r.type === "preclinical_webhook")
      .map((r) => r.instances[0].attributes.id);
    expect(ids.sort()).toEqual(
      emulator
        .webhooks()
        .map((w) => w.id)
        .sort(),
    );
    expect(fs.existsSync(path.join(first.lastStackDir, "terraform.tfstate"))).toBe(false);
    expect(fs.existsSync(first.statePath)).toBe(false);

    // When another runner, with nothing but the code, plans the same stack
    emulator.clearRequests();
    const second = runner("one_stack");
    const plan = await second.plan(program(...V2));

    // Then it reads the state from the database: no changes, nothing written
    expect(plan.code).toBe(0);
    expect(plan.output).toContain("No changes.");
    expect(writeCounts(emulator.requests())).toEqual({ POST: 0, PUT: 0, DELETE: 0 });

    // And the webhook secret, the API key and the database password are nowhere: the states table, the
    // synthesized files, the backend settings terraform keeps in .terraform, and all output
    const stateRows = rows.map((r) => [`states row ${r.schema}/${r.name}`, r.data] as const);
    for (const ws of [first, second]) expectNoLeaks(ws, [SECRET, KEY, postgres.password], stateRows);
    expect(emulator.webhooks().find((w) => w.agent_id === null)?.secret).toBe(SECRET);
  });

  test("two deploys of one stack at once: the second waits for the lock (-lock-timeout), then finds nothing to do; nothing is created twice", async () => {
    const [first, second, order] = await twoAtOnce("waiting", { TF_CLI_ARGS_apply: "-lock-timeout=60s" });

    expect({ code: first.code, summary: applySummary(first) }).toEqual({
      code: 0,
      summary: "1 added, 1 changed, 0 destroyed",
    });
    expect({
      code: second.code,
      summary: applySummary(second),
      output: second.code === 0 ? "" : second.output,
    }).toEqual({
      code: 0,
      summary: "no changes",
      output: "",
    });
    // The second started while the first held the lock (its create was still held by the API) and found
    // nothing to do: it planned only after the first had saved the state, so it waited for the lock.
    expect(order).toEqual(["first", "second"]);
    // One create and one update in all: the second deploy read the state the first saved.
    expect(writeCounts(emulator.requests())).toEqual({ POST: 1, PUT: 1, DELETE: 0 });
    expect(emulator.webhooks().map((w) => [w.agent_id, w.url])).toEqual([
      [null, "https://hooks.example.com/org/v2"],
      [WEBHOOKS.triage.agentId, WEBHOOKS.triage.url],
    ]);
  });

  test("without a lock timeout the second deploy fails at once with Terraform's lock message and writes nothing; run again, it finds nothing to do", async () => {
    const [first, second, order] = await twoAtOnce("not_waiting", {});

    expect(first.code).toBe(0);
    expect(second.code).toBe(1);
    expect(order).toEqual(["second", "first"]);
    expect(second.output).toContain("Error acquiring the state lock");
    expect(second.output).toContain("Workspace is already locked: default");
    expect(second.output).not.toContain("preclinical_webhook");
    expect(writeCounts(emulator.requests())).toEqual({ POST: 1, PUT: 1, DELETE: 0 });

    const again = await runner("not_waiting").deploy(program(...V2));
    expect(applySummary(again)).toBe("no changes");
    expect(emulator.webhooks()).toHaveLength(2);
  });
});
