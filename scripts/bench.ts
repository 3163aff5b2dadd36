/**
 * `npm run bench`: what a deploy costs, side by side with the plainest alternative (terraform_data plus curl
 * in a local-exec). Prints a table and writes BENCHMARKS.md. Not part of `npm test`.
 *
 *   node dist/scripts/bench.js [--quick] [--json FILE] [--synth-counts 10,100,1000] [--deploy-counts 10,25,50]
 *     [--provider-counts 10,50,200,1000]
 *
 * --quick runs fewer rounds and does not write BENCHMARKS.md; --json also saves the raw figures;
 * --render FILE rewrites BENCHMARKS.md from figures saved with --json, measuring nothing;
 * --provider-only measures only the native provider's section (6) and replaces that section of BENCHMARKS.md
 * (with --render FILE, from figures saved by --provider-only --json instead); --verify-only does the same
 * for the delivery verification section (7); --provider-counts sets section 6's sizes (create and no-op
 * plan; the goals of issue 19 are judged at 50, 200 and the largest), and a run with it writes no file.
 *
 * Every figure is the median of several runs, with the range (min-max) as its spread.
 */
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DataResource, type TerraformStack } from "cdktf";
import { PreclinicalConnection, PreclinicalEngine, PreclinicalWebhook } from "../src";
import { EMULATOR_DEFAULT_API_KEY, PreclinicalEmulator } from "../src/emulator";
import { Workspace, type Program } from "../test/support/terraform";
import { benchProvider, renderProvider, type ProviderResults } from "./bench-provider";
import { VERIFY_HEADING, benchVerify, renderVerify, type VerifyResults } from "./bench-verify";

const argValue = (name: string): string | undefined =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
const counts = (name: string, fallback: number[]) => argValue(name)?.split(",").map(Number) ?? fallback;
const quick = process.argv.includes("--quick");
const providerCounts = argValue("--provider-counts")?.split(",").map(Number);
const jsonOut = argValue("--json");
const repo = path.resolve(__dirname, "..", "..");
const agent = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

interface Stat {
  median: number;
  min: number;
  max: number;
  runs: number;
}

function stat(values: number[]): Stat {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: values.length };
}

const fmt = (s: Stat, digits = 0, unit = "") =>
  `${s.median.toFixed(digits)}${unit} (${s.min.toFixed(digits)}-${s.max.toFixed(digits)})`;

function log(line: string): void {
  process.stderr.write(`${line}\n`);
}

// ---------------------------------------------------------------------------------------------------------
// 1. Synthesis
// ---------------------------------------------------------------------------------------------------------

type SynthKind = "provider" | "provisioners" | "bare";

function synthOnce(kind: SynthKind, count: number): { ms: number; maxRssMb: number } {
  const out = execFileSync("node", [path.join(repo, "dist", "scripts", "bench-synth.js"), kind, String(count)], {
    encoding: "utf8",
    env: { ...process.env, PRECLINICAL_API_URL: "" },
  });
  return JSON.parse(out);
}

function benchSynth(counts: number[], runs: number) {
  return counts.map((count) => {
    // The bare side at N = 1000 takes minutes per run (cdktf runs `terraform version` per DataResource).
    runs = count >= 1000 ? Math.min(runs, 3) : runs;
    const samples: Record<SynthKind, { ms: number; maxRssMb: number }[]> = { provider: [], provisioners: [], bare: [] };
    const kinds: SynthKind[] = ["provider", "provisioners", "bare"];
    for (let r = 0; r < runs; r++) {
      // Rotate which goes first, so none always runs on a warmer machine.
      for (let k = 0; k < kinds.length; k++) {
        const kind = kinds[(k + r) % kinds.length];
        samples[kind].push(synthOnce(kind, count));
      }
    }
    const result = {
      count,
      providerMs: stat(samples.provider.map((s) => s.ms)),
      preclinicalMs: stat(samples.provisioners.map((s) => s.ms)),
      bareMs: stat(samples.bare.map((s) => s.ms)),
      providerRssMb: stat(samples.provider.map((s) => s.maxRssMb)),
      preclinicalRssMb: stat(samples.provisioners.map((s) => s.maxRssMb)),
      bareRssMb: stat(samples.bare.map((s) => s.maxRssMb)),
    };
    log(
      `synth ${count}: provider ${fmt(result.providerMs)} ms, provisioners ${fmt(result.preclinicalMs)} ms, bare ${fmt(result.bareMs)} ms`,
    );
    return result;
  });
}

// ---------------------------------------------------------------------------------------------------------
// 2. Deploy, against hand-written terraform_data + curl
// ---------------------------------------------------------------------------------------------------------

function preclinicalProgram(emulatorUrl: string, count: number, engine: PreclinicalEngine): Program {
  return (stack: TerraformStack) => {
    const connection = new PreclinicalConnection(stack, "preclinical", { engine, apiUrl: emulatorUrl });
    for (let i = 0; i < count; i++) {
      new PreclinicalWebhook(stack, `hook-${i}`, {
        url: `https://hooks.example.com/${i}`,
        agentId: i === 0 ? undefined : agent(i),
        connection,
      });
    }
  };
}

/** The ten-minute alternative: POST with curl at create time, nothing else (no update, no delete, no checks). */
function curlProgram(emulatorUrl: string, count: number): Program {
  return (stack: TerraformStack) => {
    for (let i = 0; i < count; i++) {
      const body = JSON.stringify({
        url: `https://hooks.example.com/${i}`,
        ...(i === 0 ? {} : { agent_id: agent(i) }),
      });
      new DataResource(stack, `hook-${i}`, {
        triggersReplace: { body },
        provisioners: [
          {
            type: "local-exec",
            command:
              'curl -sS -f -X POST -H "Authorization: Bearer $PRECLINICAL_API_KEY" -H "content-type: application/json" ' +
              '--data "$BODY" "$API_URL/webhooks" > /dev/null',
            environment: { BODY: body, API_URL: emulatorUrl },
          },
        ],
      });
    }
  };
}

async function timedApply(ws: Workspace, program: Program): Promise<{ seconds: number; output: string }> {
  const stackDir = ws.synth(program);
  const init = await ws.terraform(stackDir, ["init", "-input=false", "-no-color"]);
  if (init.code !== 0) throw new Error(init.output);
  const started = Date.now();
  const apply = await ws.terraform(stackDir, ["apply", "-auto-approve", "-input=false", "-no-color"]);
  const seconds = (Date.now() - started) / 1000;
  if (apply.code !== 0) throw new Error(`apply failed:\n${apply.output}`);
  return { seconds, output: apply.output };
}

async function benchDeploy(emulator: PreclinicalEmulator, counts: number[], runs: number) {
  const env = { PRECLINICAL_API_KEY: EMULATOR_DEFAULT_API_KEY };
  const results = [];
  for (const count of counts) {
    type Kind = "provider" | "preclinical" | "curl";
    const samples: Record<Kind, number[]> = { provider: [], preclinical: [], curl: [] };
    const kinds: Kind[] = ["provider", "preclinical", "curl"];
    for (let r = 0; r < runs; r++) {
      for (let k = 0; k < kinds.length; k++) {
        const kind = kinds[(k + r) % kinds.length];
        emulator.reset();
        const ws = new Workspace(env);
        try {
          const program =
            kind === "curl"
              ? curlProgram(emulator.url, count)
              : preclinicalProgram(
                  emulator.url,
                  count,
                  kind === "provider" ? PreclinicalEngine.PROVIDER : PreclinicalEngine.PROVISIONERS,
                );
          samples[kind].push((await timedApply(ws, program)).seconds);
          if (emulator.webhooks().length !== count)
            throw new Error(`${kind} created ${emulator.webhooks().length} of ${count}`);
        } finally {
          ws.cleanup();
        }
      }
    }
    const result = {
      count,
      providerS: stat(samples.provider),
      preclinicalS: stat(samples.preclinical),
      curlS: stat(samples.curl),
    };
    log(
      `deploy ${count}: provider ${fmt(result.providerS, 2)} s, provisioners ${fmt(result.preclinicalS, 2)} s, curl ${fmt(result.curlS, 2)} s`,
    );
    results.push(result);
  }
  return results;
}

// ---------------------------------------------------------------------------------------------------------
// 3. Requests and processes per operation
// ---------------------------------------------------------------------------------------------------------

async function benchOperations(emulator: PreclinicalEmulator, count: number, engine: PreclinicalEngine) {
  emulator.reset();
  const ws = new Workspace({ PRECLINICAL_API_KEY: EMULATOR_DEFAULT_API_KEY });
  const program =
    (version: number, agentOffset = 0): Program =>
    (stack) => {
      const connection = new PreclinicalConnection(stack, "preclinical", { engine, apiUrl: emulator.url });
      for (let i = 0; version > 0 && i < count; i++) {
        new PreclinicalWebhook(stack, `hook-${i}`, {
          url: `https://hooks.example.com/v${version}/${i}`,
          agentId: agent(i + 1 + agentOffset),
          connection,
        });
      }
    };
  const steps: [string, Program][] = [
    ["create", program(1)],
    ["no-op", program(1)],
    ["update (url)", program(2)],
    ["scope change (agentId)", program(2, count)],
    ["delete (removed from code)", program(0)],
  ];
  const rows = [];
  try {
    for (const [name, prog] of steps) {
      emulator.clearRequests();
      const result = await ws.deploy(prog);
      if (result.code !== 0) throw new Error(`${name} failed:\n${result.output}`);
      const processes = (result.output.match(/Provisioning with 'local-exec'/g) ?? []).length;
      const byMethod: Record<string, number> = {};
      for (const r of emulator.requests()) byMethod[r.method] = (byMethod[r.method] ?? 0) + 1;
      const requests = emulator.requests().length;
      rows.push({ engine, operation: name, webhooks: count, requests, byMethod, processes });
      log(`${name}: ${requests} requests ${JSON.stringify(byMethod)}, ${processes} provisioner processes`);
    }
  } finally {
    ws.cleanup();
  }
  return rows;
}

// ---------------------------------------------------------------------------------------------------------
// 4. CLI cold start
// ---------------------------------------------------------------------------------------------------------

function benchColdStart(runs: number) {
  const cli = path.join(repo, "dist", "provisioner", "preclinical-provisioner.cjs");
  const time = (args: string[]) => {
    const started = process.hrtime.bigint();
    spawnSync("node", args, { stdio: "ignore" });
    return Number(process.hrtime.bigint() - started) / 1e6;
  };
  const cliMs: number[] = [];
  const nodeMs: number[] = [];
  for (let r = 0; r < runs; r++) {
    cliMs.push(time([cli])); // no command: loads the whole bundle, prints usage, exits
    nodeMs.push(time(["-e", "0"]));
  }
  const result = { cliMs: stat(cliMs), nodeMs: stat(nodeMs), bundleKb: fs.statSync(cli).size / 1024 };
  log(`cold start: CLI ${fmt(result.cliMs)} ms, node -e 0 ${fmt(result.nodeMs)} ms`);
  return result;
}

// ---------------------------------------------------------------------------------------------------------

function machine(): string {
  const cpus = os.cpus();
  const terraform = execFileSync("terraform", ["version"], {
    encoding: "utf8",
    env: { ...process.env, CHECKPOINT_DISABLE: "1" },
  }).split("\n")[0];
  return `${cpus.length} × ${cpus[0]?.model.trim()}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}, Node ${process.version}, ${terraform}`;
}

async function main(): Promise<void> {
  if (process.argv.includes("--provider-only")) return sectionOnly(PROVIDER_SECTION);
  if (process.argv.includes("--verify-only")) return sectionOnly(VERIFY_SECTION);
  const saved = argValue("--render");
  if (saved) {
    // Re-render BENCHMARKS.md from saved figures (e.g. after editing bench/before-after.md), without measuring.
    const md = render(JSON.parse(fs.readFileSync(saved, "utf8")) as Results);
    fs.writeFileSync(path.join(repo, "BENCHMARKS.md"), md + beforeAfter());
    process.stdout.write(md);
    return;
  }
  const synthRuns = quick ? 3 : 5;
  const deployRuns = quick ? 1 : 3;
  const emulator = await PreclinicalEmulator.start({
    agents: Array.from({ length: 201 }, (_, i) => ({ id: agent(i) })),
  });
  try {
    const results = {
      date: new Date().toISOString(),
      machine: machine(),
      synth: benchSynth(counts("--synth-counts", [10, 100, 1000]), synthRuns),
      deploy: await benchDeploy(emulator, counts("--deploy-counts", quick ? [10] : [10, 25, 50]), deployRuns),
      operations: [
        ...(await benchOperations(emulator, 10, PreclinicalEngine.PROVIDER)),
        ...(await benchOperations(emulator, 10, PreclinicalEngine.PROVISIONERS)),
      ],
      coldStart: benchColdStart(quick ? 5 : 21),
      provider: await benchProvider(stat, { quick, log, counts: providerCounts }),
      verify: await benchVerify(emulator, stat, { quick, log }),
    };
    if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(results, null, 2));
    const md = render(results);
    process.stdout.write(md);
    if (!quick && !argValue("--synth-counts") && !argValue("--deploy-counts") && !providerCounts)
      fs.writeFileSync(path.join(repo, "BENCHMARKS.md"), md + beforeAfter());
  } finally {
    await emulator.close();
  }
}

type Results = {
  date: string;
  machine: string;
  synth: ReturnType<typeof benchSynth>;
  deploy: Awaited<ReturnType<typeof benchDeploy>>;
  operations: Awaited<ReturnType<typeof benchOperations>>;
  coldStart: ReturnType<typeof benchColdStart>;
  provider?: ProviderResults;
  verify?: VerifyResults;
};

/** A section that `--provider-only` or `--verify-only` measures alone. */
interface Section<T> {
  number: number;
  /** Where --json saves the figures, beside date and machine. */
  key: "provider" | "verify";
  heading: string;
  measure: (emulator: PreclinicalEmulator) => Promise<T>;
  render: (figures: T) => string;
}

const PROVIDER_SECTION: Section<ProviderResults> = {
  number: 6,
  key: "provider",
  heading: "\n## 6. The native provider",
  // Each size has an emulator of its own (scripts/bench-provider.ts), with the agents its webhooks name.
  measure: () => benchProvider(stat, { quick, log, counts: providerCounts }),
  render: (figures) => renderProvider(figures, fmt),
};

const VERIFY_SECTION: Section<VerifyResults> = {
  number: 7,
  key: "verify",
  heading: VERIFY_HEADING,
  measure: (emulator) => benchVerify(emulator, stat, { quick, log }),
  render: (figures) => renderVerify(figures, fmt),
};

/**
 * Measures one section alone (or renders it from figures saved by the same flag with --json) and puts it in
 * place of the one in BENCHMARKS.md, or before the sections after it (unless --quick).
 */
async function sectionOnly<T>(section: Section<T>): Promise<void> {
  const emulator = await PreclinicalEmulator.start({
    agents: Array.from({ length: 201 }, (_, i) => ({ id: agent(i) })),
  });
  try {
    const saved = argValue("--render");
    const figures: { date: string; machine: string } & Record<Section<T>["key"], T> = saved
      ? JSON.parse(fs.readFileSync(saved, "utf8"))
      : { date: new Date().toISOString(), machine: machine(), [section.key]: await section.measure(emulator) };
    if (jsonOut) fs.writeFileSync(jsonOut, JSON.stringify(figures, null, 2));
    const text = `${section.render(figures[section.key]).trimEnd()}\n\nSection ${section.number} measured on ${figures.date.slice(0, 10)}, on ${figures.machine}.\n`;
    process.stdout.write(text);
    if (quick || (section.key === "provider" && providerCounts && !saved)) return;
    const file = path.join(repo, "BENCHMARKS.md");
    const md = fs.readFileSync(file, "utf8");
    // The section runs to the next heading; a missing one goes before the first later section.
    const start = md.indexOf(section.heading);
    const headings = [...md.matchAll(/\n## (\d+\.)?/g)];
    const next = headings.find((h) =>
      start >= 0 ? h.index > start : !h[1] || Number.parseInt(h[1], 10) > section.number,
    );
    const end = next?.index ?? md.length;
    const before = md.slice(0, start >= 0 ? start : end);
    fs.writeFileSync(file, `${before.trimEnd()}\n${text}${md.slice(end)}`);
  } finally {
    await emulator.close();
  }
}

function render(r: Results): string {
  const synthRows = r.synth.map(
    (s) =>
      `| ${s.count} | ${fmt(s.providerMs)} | ${fmt(s.preclinicalMs)} | ${fmt(s.bareMs)} | ${(s.providerMs.median / s.count).toFixed(2)} | ${fmt(s.providerRssMb)} | ${fmt(s.preclinicalRssMb)} | ${fmt(s.bareRssMb)} |`,
  );
  const deployRows = r.deploy.map(
    (d) =>
      `| ${d.count} | ${fmt(d.providerS, 2)} | ${fmt(d.preclinicalS, 2)} | ${fmt(d.curlS, 2)} | ${(d.providerS.median / d.curlS.median).toFixed(2)}× | ${(d.preclinicalS.median / d.curlS.median).toFixed(2)}× |`,
  );
  const opRows = r.operations.map(
    (o) =>
      `| ${o.engine} | ${o.operation} | ${o.requests} | ${(o.requests / o.webhooks).toFixed(1)} | ${
        Object.entries(o.byMethod)
          .map(([m, n]) => `${m} ${n}`)
          .join(", ") || "-"
      } | ${o.processes} | ${(o.processes / o.webhooks).toFixed(1)} |`,
  );
  return `# Benchmarks

Measured by \`npm run bench\` (scripts/bench.ts) on ${r.date.slice(0, 10)}, on ${r.machine}. Each figure is the
median with its range (min-max) over the runs given; the emulator runs in the benchmark's process on
loopback, so API latency is near zero and the figures show the tool's own cost.

## 1. Synthesis (${r.synth[0].preclinicalMs.runs} runs each, rotating the order)

Time to build the construct tree and write the stack folder, and peak memory (max RSS) of the synthesizing
process, for N \`PreclinicalWebhook\`s on each engine against N bare cdktf \`DataResource\`s. The provider
engine also writes the provider into the stack folder (eight copies of one file: four platforms, two
registry hosts) and the lock file.

| N | provider engine ms | provisioner engine ms | bare DataResource ms | provider ms per webhook | provider peak MB | provisioners peak MB | bare peak MB |
|---|---|---|---|---|---|---|---|
${synthRows.join("\n")}

## 2. Deploy (${r.deploy[0].preclinicalS.runs} runs each, rotating the order)

Wall time of \`terraform apply\` creating N webhooks from an empty state: PreclinicalWebhook on each
engine against hand-written \`terraform_data\` resources whose local-exec POSTs with \`curl\` (no update,
no delete, no checks), against the same emulator in the same run.

| N | provider engine s | provisioner engine s | terraform_data + curl s | provider / curl | provisioners / curl |
|---|---|---|---|---|---|
${deployRows.join("\n")}

## 3. API requests and provisioner processes per operation (${r.operations[0].webhooks} webhooks)

Counted by the emulator and from terraform's output. On the provider engine the API requests include the
plan's refresh (one list) and its checks (the agents list, 100 agents a page, once per provider process),
which run again in the apply's own plan.

| engine | operation | API requests | per webhook | by method | provisioner processes | per webhook |
|---|---|---|---|---|---|---|
${opRows.join("\n")}

## 4. Provisioner CLI cold start (${r.coldStart.cliMs.runs} runs)

| | ms |
|---|---|
| bundled CLI (${r.coldStart.bundleKb.toFixed(0)} KiB): loading the bundle, printing usage, exiting (no request, so no WebAssembly compile) | ${fmt(r.coldStart.cliMs)} |
| \`node -e 0\` | ${fmt(r.coldStart.nodeMs)} |

## 5. Growth

On the provider engine, synthesis costs ${r.synth.map((s) => `${(s.providerMs.median / s.count).toFixed(2)} ms`).join(", ")} per webhook at N = ${r.synth.map((s) => s.count).join(", ")};
deploy costs ${r.deploy.map((d) => `${((d.providerS.median / d.count) * 1000).toFixed(0)} ms`).join(", ")} per webhook at N = ${r.deploy.map((d) => d.count).join(", ")} (provisioner engine: ${r.deploy.map((d) => `${((d.preclinicalS.median / d.count) * 1000).toFixed(0)} ms`).join(", ")}).
A flat or falling cost per webhook means linear growth.
${r.provider ? renderProvider(r.provider, fmt) : ""}${r.verify ? renderVerify(r.verify, fmt) : ""}`;
}

/** The before/after record of optimizations, kept by hand in bench/before-after.md (figures from this script). */
function beforeAfter(): string {
  const file = path.join(repo, "bench", "before-after.md");
  return fs.existsSync(file) ? `\n${fs.readFileSync(file, "utf8")}` : "";
}

void main();
