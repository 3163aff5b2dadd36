/**
 * Part of the provider's section of `npm run bench`: the provider's own HTTP/2 server
 * (src/provider/protocol/http2/) beside node:http2 (PRECLINICAL_PROVIDER_HTTP2=node), the same provider
 * otherwise, alternating, against one emulator: a create and a no-op plan, the wall time of the terraform
 * command and the CPU time (user + system) of all its provider processes together, from
 * scripts/profile-hook.ts's record of each process at its exit.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EMULATOR_DEFAULT_API_KEY, PreclinicalEmulator } from "../src/emulator";
import { HTTP2_ENV, type Http2Kind } from "../src/provider/protocol/transports";
import { HclWorkspace } from "../test/support/hcl-workspace";
import type { Stat } from "./bench-provider";
import { PROFILE_HOOK } from "./provider-start";
import { agent, webhooks } from "./stacks";

type StatOf = (values: number[]) => Stat;
type Fmt = (s: Stat, digits?: number) => string;

const KINDS: readonly Http2Kind[] = ["provider", "node"];

interface Sample {
  wallMs: number[];
  cpuMs: number[];
}

/** One terraform command with every provider process recorded; its wall ms and its providers' CPU ms. */
async function measured(ws: HclWorkspace, args: string[], kind: Http2Kind): Promise<[number, number]> {
  const record = path.join(ws.dir, `profile-${process.hrtime.bigint()}.jsonl`);
  const started = process.hrtime.bigint();
  const result = await ws.terraform([...args, "-input=false", "-no-color"], {
    [HTTP2_ENV]: kind,
    NODE_OPTIONS: `--require ${PROFILE_HOOK}`,
    PRECLINICAL_PROFILE_OUT: record,
  });
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.code !== 0) throw new Error(`terraform ${args[0]} failed or planned changes:\n${result.output}`);
  const lines = fs.readFileSync(record, "utf8").split("\n").filter(Boolean);
  const cpuMs = lines.reduce((sum, line) => sum + (JSON.parse(line) as { exit: { cpuMs: number } }).exit.cpuMs, 0);
  fs.rmSync(record);
  return [wallMs, cpuMs];
}

async function benchOne(operation: "create" | "plan", count: number, runs: number, stat: StatOf, cacheHome: string) {
  const emulator = await PreclinicalEmulator.start({
    agents: Array.from({ length: count - 1 }, (_, i) => ({ id: agent(i + 1) })),
  });
  const env = { PRECLINICAL_API_KEY: EMULATOR_DEFAULT_API_KEY, XDG_CACHE_HOME: cacheHome };
  const samples: Record<Http2Kind, Sample> = { provider: { wallMs: [], cpuMs: [] }, node: { wallMs: [], cpuMs: [] } };
  const planSpace = operation === "plan" ? new HclWorkspace(env) : undefined;
  try {
    if (planSpace) {
      const applied = await planSpace.apply(webhooks(emulator.url, count));
      if (applied.code !== 0) throw new Error(applied.output);
    }
    for (let r = 0; r < runs; r++) {
      for (let k = 0; k < KINDS.length; k++) {
        const kind = KINDS[(k + r) % KINDS.length];
        let ws = planSpace;
        if (!ws) {
          emulator.reset();
          ws = new HclWorkspace(env);
          ws.write(webhooks(emulator.url, count));
          await ws.init();
        }
        try {
          const args = operation === "plan" ? ["plan", "-detailed-exitcode"] : ["apply", "-auto-approve"];
          const [wallMs, cpuMs] = await measured(ws, args, kind);
          samples[kind].wallMs.push(wallMs);
          samples[kind].cpuMs.push(cpuMs);
        } finally {
          if (!planSpace) ws.cleanup();
        }
      }
    }
  } finally {
    planSpace?.cleanup();
    await emulator.close();
  }
  const of = (kind: Http2Kind) => ({ wallMs: stat(samples[kind].wallMs), cpuMs: stat(samples[kind].cpuMs) });
  return { operation, count, provider: of("provider"), node: of("node") };
}

export async function benchHttp2(stat: StatOf, opts: { quick: boolean; log: (l: string) => void }) {
  const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), "preclinical-bench-http2-"));
  const cases: ["create" | "plan", number][] = opts.quick
    ? [
        ["create", 50],
        ["plan", 50],
      ]
    : [
        ["create", 50],
        ["create", 200],
        ["plan", 200],
        ["plan", 1000],
      ];
  try {
    const rows = [];
    for (const [operation, count] of cases) {
      const row = await benchOne(operation, count, opts.quick ? 2 : operation === "create" ? 3 : 5, stat, cacheHome);
      opts.log(
        `HTTP/2 ${operation} ${count}: own ${row.provider.wallMs.median.toFixed(0)} ms (CPU ${row.provider.cpuMs.median.toFixed(0)}), ` +
          `node:http2 ${row.node.wallMs.median.toFixed(0)} ms (CPU ${row.node.cpuMs.median.toFixed(0)})`,
      );
      rows.push(row);
    }
    return rows;
  } finally {
    fs.rmSync(cacheHome, { recursive: true, force: true });
  }
}

export type Http2Results = Awaited<ReturnType<typeof benchHttp2>>;

export function renderHttp2(rows: Http2Results, fmt: Fmt): string[] {
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  return [
    `### The provider's HTTP/2 server beside node:http2 (${rows[0].provider.wallMs.runs} runs of a create, ${rows[rows.length - 1].provider.wallMs.runs} of a plan, alternating)`,
    "",
    "The same provider on its own HTTP/2 server (the default) and on node:http2 (`PRECLINICAL_PROVIDER_HTTP2=node`):",
    "the terraform command's wall ms, and the CPU ms (user + system) of all its provider processes together;",
    "medians (range). The plans are no-op plans after an apply, against a webhook list paged by 100.",
    "",
    "| command | N | wall, own | wall, node:http2 | provider CPU, own | provider CPU, node:http2 | CPU own / node |",
    "|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.operation === "plan" ? "no-op plan" : "create"} | ${r.count} | ${fmt(r.provider.wallMs)} | ${fmt(r.node.wallMs)} | ` +
        `${fmt(r.provider.cpuMs)} | ${fmt(r.node.cpuMs)} | ${ratio(r.provider.cpuMs.median, r.node.cpuMs.median)} |`,
    ),
    "",
  ];
}
