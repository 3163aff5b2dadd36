/**
 * A runner killed mid-apply: terraform and its provider get SIGKILL after some creates have landed and
 * before the state was saved (its state is on the pg backend of a real PostgreSQL). The next deploy, from
 * a fresh runner, must never create a second webhook: for each webhook it cannot prove is its own it fails
 * the plan naming the webhook and the command that takes it over, and that command, run as printed, lets
 * the deploy after it converge on the very same webhooks.
 */
import { spawn } from "node:child_process";
import { describeWithTerraform, postgres, usePostgres } from "../../support/e2e";
import { emulator, useSharedEmulator } from "../../support/emulator";
import { audit, deployAtOnce, stackAgent, stackRunner, stateIds, type Stack } from "../../support/many-stacks";
import { applySummary } from "../../support/terraform";
import { flat, writeRequests, type WebhookDecl } from "../../support/webhook-config";

// Several terraform runs at once per test, on 2 cores shared with the rest of the suite.
jest.setTimeout(180_000);

useSharedEmulator({ anyAgent: true });
usePostgres();

const INDEX = 40;
const WEBHOOKS: Record<string, WebhookDecl> = {
  org: { url: "https://hooks.example.com/org", description: "All agents", secret: true },
  ...Object.fromEntries(
    [1, 2, 3].map((i) => [
      `hook_${i}`,
      { url: `https://hooks.example.com/${i}`, agent_id: stackAgent(INDEX, i), secret: true },
    ]),
  ),
};

const stacks: Stack[] = [];
const runner = () => {
  const s = stackRunner({ emulator, server: postgres, index: INDEX, webhooks: WEBHOOKS });
  stacks.push(s);
  return s;
};
afterEach(() => stacks.splice(0).forEach((s) => s.ws.cleanup()));

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Starts `terraform apply` in its own process group and SIGKILLs the group once `landed` creates landed and the next is held. */
async function applyKilledAfter(stack: Stack, landed: number): Promise<void> {
  const init = await stack.ws.terraform(["init", "-input=false", "-no-color"]);
  expect(init.code).toBe(0);
  // The first `landed` creates go through; the next is held by the API until the test ends (reset drops it).
  emulator.injectFault({ method: "POST", path: "/webhooks", times: landed, fault: { kind: "delay", ms: 0 } });
  emulator.injectFault({ method: "POST", path: "/webhooks", fault: { kind: "delay", ms: 600_000 } });
  const child = spawn("terraform", ["apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=1"], {
    cwd: stack.ws.dir,
    detached: true, // a process group: the runner's terraform and the provider it started
    stdio: "ignore",
    env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", ...stack.ws.env },
  });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const started = Date.now();
  const posts = () => emulator.requests().filter((r) => r.method === "POST");
  while (!(posts().filter((r) => r.status === 201).length === landed && posts().some((r) => r.status === "pending"))) {
    if (Date.now() - started > 60_000) throw new Error("the creates never reached the API");
    await sleep(25);
  }
  process.kill(-child.pid!, "SIGKILL");
  await exited;
}

describeWithTerraform("a runner killed mid-apply (pg backend, real terraform, SIGKILL)", () => {
  test("the next deploy creates nothing twice: its plan fails once per webhook it cannot prove is its own, naming it and the import that resolves it; that import, run as printed, converges", async () => {
    // Given a runner killed after two of four creates landed, before it saved the state
    await applyKilledAfter(runner(), 2);
    const orphans = emulator.webhooks();
    expect(orphans).toHaveLength(2);
    expect(await stateIds(postgres, stacks[0])).toEqual({});

    // When the next pipeline run deploys the same code from a fresh runner
    emulator.clearRequests();
    const next = runner();
    // (no -lock-timeout: the killed runner's lock went with its database session, nothing to force-unlock)
    const [{ result }] = await deployAtOnce([next]);

    // Then its plan fails, once per orphan, naming the webhook, the resource and the import that takes it over
    expect(result.code).toBe(1);
    expect(result.output).not.toContain("Error acquiring the state lock");
    const errors = flat(result.output)
      .split("Error: ")
      .filter((e) => e.startsWith("Cannot create the Preclinical webhook"));
    expect(errors).toHaveLength(2);
    const fixes = orphans.map((orphan) => {
      const error = errors.find((e) => e.includes(`already holds webhook ${orphan.id}`));
      expect({ orphan: orphan.id, error }).toEqual({ orphan: orphan.id, error: expect.any(String) });
      expect(error).toContain(`terraform import <address> ${orphan.id}`);
      expect(error).toContain("adopt_existing = true");
      expect(error).toContain("a runner killed mid-apply");
      const address = /with (preclinical_webhook\.\w+),/.exec(error!)![1];
      return { orphan, address, command: ["import", "-input=false", "-no-color", address, orphan.id] };
    });
    // And nothing was written: no create, update or delete, no second webhook in any scope
    expect(writeRequests(emulator.requests())).toEqual([]);
    expect(emulator.webhooks()).toEqual(orphans);

    // When the user runs the import the message names, with the address from its "with" line
    for (const { command } of fixes) {
      const imported = await next.ws.terraform(command);
      expect({ command, code: imported.code, output: imported.code ? imported.output : "" }).toEqual({
        command,
        code: 0,
        output: "",
      });
    }
    const [{ result: converged }] = await deployAtOnce([next], ["-lock-timeout=60s"]);

    // Then the deploy creates only the two that never landed, and keeps the orphans' ids
    expect({ code: converged.code, summary: applySummary(converged) }).toEqual({
      code: 0,
      summary: "2 added, 0 changed, 0 destroyed",
    });
    expect(audit(emulator, [next])).toEqual({ declared: 4, exact: 4, duplicates: 0, lost: [], unexpected: 0 });
    const ids = await stateIds(postgres, next);
    for (const { orphan, address } of fixes) expect(ids[address.replace("preclinical_webhook.", "")]).toBe(orphan.id);
  }, 120_000);
});
