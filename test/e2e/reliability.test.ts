/**
 * A bad day, with the real terraform binary: 20 webhooks created, updated and removed while the emulator
 * fails 30% of the requests with every kind of fault (429 with and without Retry-After, 500/502/503, dropped
 * connections, answers slower than the timeout, "applied, then failed"). Each phase converges in one apply
 * or fails cleanly and converges on the next; the API then holds exactly what was declared, and a webhook
 * the stack does not manage is untouched.
 */
import { PreclinicalEngine } from "../../src";
import { runChaos } from "../support/chaos";
import { describeWithTerraform } from "../support/e2e";

describeWithTerraform("fault-injected deploys (real terraform against the emulator)", () => {
  test.each([PreclinicalEngine.PROVIDER, PreclinicalEngine.PROVISIONERS])(
    "on the %s engine, 20 webhooks converge through 30% faults, none duplicated, missing or wrongly deleted",
    async (engine) => {
      const report = await runChaos({ webhooks: 20, rate: 0.3, seed: 20261127, engine });
      console.log(
        report.phases
          .map(
            (p) =>
              `${p.phase}: applies ${p.applies.join(",")}; ${p.requests} requests, faulted ${JSON.stringify(p.faulted)}; ${p.seconds.toFixed(1)} s`,
          )
          .join("\n"),
      );
      for (const phase of report.phases) {
        expect({
          phase: phase.phase,
          converged: phase.applies[phase.applies.length - 1] === 0,
          problems: phase.problems,
        }).toEqual({
          phase: phase.phase,
          converged: true,
          problems: [],
        });
        expect(Object.values(phase.faulted).reduce((a, b) => a + b, 0)).toBeGreaterThan(0); // faults did happen
      }
    },
    540_000,
  );
});
