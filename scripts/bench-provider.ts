/**
 * The provider's section of `npm run bench` (`--provider-only` runs it alone): plain `*.tf.json`, no cdktf,
 * so the figures are the provider's own, against the same emulator in the same run and alternating which
 * side goes first:
 * - start-up to the handshake line, on a first start (no code cache) and with the code cache, next to
 *   `node -e 0`: wall time and CPU time (user + system, from scripts/profile-hook.ts, which ends each start
 *   at its handshake);
 * - a create of N webhooks (`terraform apply` from an empty state) next to the curl stack and N bare
 *   terraform_data, with the API requests it made; N = 50 once more on a fresh runner (an empty cache folder);
 * - a no-op `terraform plan` of N webhooks next to one of N bare terraform_data, with its API requests, the
 *   provider's also against a webhook list sent whole (the documented API) rather than paged (assumption 5);
 * - the teardown: how long each provider process of a create takes to exit after Terraform's Shutdown, as
 *   shipped and with V8's default flags (scripts/v8-defaults-hook.ts), from Terraform's debug log;
 * - the provider's own HTTP/2 server beside node:http2 (scripts/bench-http2.ts).
 * Each N has an emulator of its own that knows the N - 1 agents its webhooks name (webhook 0 is the
 * organization's): an organization with the agents it uses, no more.
 */

import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EMULATOR_DEFAULT_API_KEY, PreclinicalEmulator } from "../src/emulator";
import { providerBundlePath } from "../src/provider/install";
import { HclWorkspace } from "../test/support/hcl-workspace";
import { benchHttp2 } from "./bench-http2";
import { handshakeEnv, startOnce, warmCodeCache } from "./provider-start";
import { agent, bareData, curlStack, webhooks } from "./stacks";

export interface Stat {
  median: number;
  min: number;
  max: number;
  runs: number;
}

type StatOf = (values: number[]) => Stat;
type Kind = "provider" | "curl" | "bare";
/** The provider's no-op plan once more, against a webhook list the emulator sends whole. */
type PlanKind = Kind | "providerWholeList";

const API_KEY = EMULATOR_DEFAULT_API_KEY;
const loadAverage = () => os.loadavg().map((l) => Number(l.toFixed(2)));

async function benchStartup(stat: StatOf, rounds: number, cacheHome: string) {
  await warmCodeCache(cacheHome);
  const handshake = handshakeEnv();
  const kinds = {
    node: { args: ["-e", "0"], env: {} },
    firstStart: { args: [providerBundlePath()], env: { ...handshake, PRECLINICAL_PROVIDER_CODE_CACHE: "off" } },
    codeCache: { args: [providerBundlePath()], env: { ...handshake, XDG_CACHE_HOME: cacheHome } },
  };
  type Sample = { wallMs: number; cpuMs: number };
  const samples: Record<keyof typeof kinds, Sample[]> = { node: [], firstStart: [], codeCache: [] };
  for (let r = 0; r < rounds; r++) {
    const order = Object.keys(kinds) as (keyof typeof kinds)[];
    for (let k = 0; k < order.length; k++) {
      const name = order[(k + r) % order.length];
      samples[name].push(await startOnce(kinds[name].args, kinds[name].env));
    }
  }
  const of = (name: keyof typeof kinds) => ({
    wallMs: stat(samples[name].map((s) => s.wallMs)),
    cpuMs: stat(samples[name].map((s) => s.cpuMs)),
  });
  return { node: of("node"), firstStart: of("firstStart"), codeCache: of("codeCache") };
}

function stackOf(kind: Kind, emulatorUrl: string, count: number): Record<string, unknown> {
  return kind === "provider"
    ? webhooks(emulatorUrl, count)
    : kind === "curl"
      ? curlStack(emulatorUrl, count)
      : bareData(count);
}

/** The emulator's requests as "METHOD /path" (no query, ids as {id}) with their counts. */
function requestCounts(emulator: PreclinicalEmulator): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of emulator.requests()) {
    const route = `${r.method} ${r.path.replace(/^\/api\/v1/, "").replace(/[0-9a-f-]{36}/gi, "{id}")}`;
    out[route] = (out[route] ?? 0) + 1;
  }
  return out;
}

async function timedTerraform(ws: HclWorkspace, args: string[], env: Record<string, string> = {}): Promise<number> {
  const started = process.hrtime.bigint();
  const result = await ws.terraform([...args, "-input=false", "-no-color"], env);
  // A no-op plan with -detailed-exitcode exits 0; 2 (changes) would mean the plan is not a no-op.
  if (result.code !== 0) throw new Error(`terraform ${args[0]} failed or planned changes:\n${result.output}`);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

/** Creates of `count` from an empty state, each kind `runs` times; returns the times and the provider's requests. */
async function benchCreate(
  count: number,
  runs: number,
  stat: StatOf,
  cache: { home: string; fresh?: boolean },
  kinds: Kind[],
) {
  const emulator = await PreclinicalEmulator.start({
    agents: Array.from({ length: count - 1 }, (_, i) => ({ id: agent(i + 1) })),
  });
  const samples: Record<Kind, number[]> = { provider: [], curl: [], bare: [] };
  let requests: Record<string, number> = {};
  try {
    for (let r = 0; r < runs; r++) {
      for (let k = 0; k < kinds.length; k++) {
        const kind = kinds[(k + r) % kinds.length];
        emulator.reset();
        const cacheHome = cache.fresh ? fs.mkdtempSync(path.join(os.tmpdir(), "preclinical-bench-fresh-")) : cache.home;
        const ws = new HclWorkspace({ PRECLINICAL_API_KEY: API_KEY, XDG_CACHE_HOME: cacheHome });
        try {
          ws.write(stackOf(kind, emulator.url, count));
          await ws.init();
          emulator.clearRequests();
          samples[kind].push(await timedTerraform(ws, ["apply", "-auto-approve"]));
          if (kind !== "bare" && emulator.webhooks().length !== count)
            throw new Error(`${kind} created ${emulator.webhooks().length} of ${count}`);
          if (kind === "provider") requests = requestCounts(emulator);
        } finally {
          ws.cleanup();
          if (cache.fresh) fs.rmSync(cacheHome, { recursive: true, force: true });
        }
      }
    }
  } finally {
    await emulator.close();
  }
  const times = Object.fromEntries(kinds.map((k) => [k, stat(samples[k])])) as Partial<Record<Kind, Stat>>;
  return { count, ...times, requests };
}

/**
 * No-op plans of `count` after an apply, the three stacks rotating. The curl stack is applied first and its
 * webhooks cleared before the provider's apply (they would hold the provider's scopes); its plan, like the
 * bare one, never asks the API.
 */
async function benchPlan(count: number, rounds: number, stat: StatOf, cacheHome: string) {
  const emulator = await PreclinicalEmulator.start({
    agents: Array.from({ length: count - 1 }, (_, i) => ({ id: agent(i + 1) })),
  });
  const env = { PRECLINICAL_API_KEY: API_KEY, XDG_CACHE_HOME: cacheHome };
  const kinds: Kind[] = ["provider", "curl", "bare"];
  const spaces = Object.fromEntries(kinds.map((k) => [k, new HclWorkspace(env)])) as Record<Kind, HclWorkspace>;
  try {
    for (const kind of ["curl", "bare", "provider"] as const) {
      emulator.reset();
      const applied = await spaces[kind].apply(stackOf(kind, emulator.url, count));
      if (applied.code !== 0) throw new Error(applied.output);
    }
    const samples: Record<PlanKind, number[]> = { provider: [], providerWholeList: [], curl: [], bare: [] };
    const requests: Record<"provider" | "providerWholeList", Record<string, number>> = {
      provider: {},
      providerWholeList: {},
    };
    const plan = ["plan", "-detailed-exitcode"];
    const planKinds: PlanKind[] = [...kinds, "providerWholeList"];
    for (let r = 0; r < rounds; r++) {
      for (let k = 0; k < planKinds.length; k++) {
        const kind = planKinds[(k + r) % planKinds.length];
        emulator.setPagedWebhookList(kind !== "providerWholeList");
        emulator.clearRequests();
        samples[kind].push(await timedTerraform(spaces[kind === "providerWholeList" ? "provider" : kind], plan));
        if (kind === "provider" || kind === "providerWholeList") requests[kind] = requestCounts(emulator);
      }
    }
    return {
      count,
      provider: stat(samples.provider),
      providerWholeList: stat(samples.providerWholeList),
      curl: stat(samples.curl),
      bare: stat(samples.bare),
      requests: requests.provider,
      wholeListRequests: requests.providerWholeList,
    };
  } finally {
    for (const ws of Object.values(spaces)) ws.cleanup();
    await emulator.close();
  }
}

/** Shutdown to exit of each provider process in a debug log: the provider's line, then Terraform's. */
function teardownsMs(log: string): number[] {
  // hclog's time: 2026-12-03T17:01:40.168Z in UTC, 2026-12-03T18:01:40.168+0100 elsewhere.
  const at = (line: string) => Date.parse(line.split(" ", 1)[0].replace(/([+-]\d\d)(\d\d)$/, "$1:$2"));
  const out: number[] = [];
  let shutdown: number | undefined;
  for (const line of log.split("\n")) {
    if (line.includes("shutdown requested by Terraform")) shutdown = at(line);
    else if (line.includes("plugin process exited") && shutdown !== undefined) {
      out.push(at(line) - shutdown);
      shutdown = undefined;
    }
  }
  return out;
}

/**
 * Creates of `count` under TF_LOG=debug, as shipped and with V8's default flags, alternating: the apply's
 * wall time and each provider process's Shutdown-to-exit time, split into the processes that spoke to the
 * API (the plan's and the apply's: the last two of the four) and those that did not.
 */
async function benchTeardown(count: number, runs: number, stat: StatOf, cacheHome: string) {
  const emulator = await PreclinicalEmulator.start({
    agents: Array.from({ length: count - 1 }, (_, i) => ({ id: agent(i + 1) })),
  });
  // Each variant has a code cache of its own: V8 rejects one made under other flags.
  const defaultsHome = fs.mkdtempSync(path.join(os.tmpdir(), "preclinical-bench-cache-v8-defaults-"));
  const defaultsEnv = { NODE_OPTIONS: `--require ${path.join(__dirname, "v8-defaults-hook.js")}` };
  await warmCodeCache(defaultsHome, defaultsEnv);
  const variants = {
    shipped: { XDG_CACHE_HOME: cacheHome },
    v8Defaults: { ...defaultsEnv, XDG_CACHE_HOME: defaultsHome },
  };
  type Variant = keyof typeof variants;
  const samples = Object.fromEntries(
    Object.keys(variants).map((v) => [v, { applyMs: [] as number[], apiMs: [] as number[], otherMs: [] as number[] }]),
  ) as Record<Variant, { applyMs: number[]; apiMs: number[]; otherMs: number[] }>;
  try {
    for (let r = 0; r < runs; r++) {
      const order = Object.keys(variants) as Variant[];
      for (let k = 0; k < order.length; k++) {
        const variant = order[(k + r) % order.length];
        emulator.reset();
        const ws = new HclWorkspace({ PRECLINICAL_API_KEY: API_KEY });
        const log = path.join(ws.dir, "terraform-debug.log");
        try {
          ws.write(webhooks(emulator.url, count));
          await ws.init();
          const env = { ...variants[variant], TF_LOG: "debug", TF_LOG_PATH: log };
          samples[variant].applyMs.push(await timedTerraform(ws, ["apply", "-auto-approve"], env));
          const teardowns = teardownsMs(fs.readFileSync(log, "utf8"));
          if (teardowns.length !== 4) throw new Error(`expected 4 provider processes, found ${teardowns.length}`);
          samples[variant].otherMs.push(...teardowns.slice(0, 2));
          samples[variant].apiMs.push(...teardowns.slice(2));
        } finally {
          ws.cleanup();
        }
      }
    }
  } finally {
    await emulator.close();
    fs.rmSync(defaultsHome, { recursive: true, force: true });
  }
  const of = (v: Variant) => ({
    applyMs: stat(samples[v].applyMs),
    apiMs: stat(samples[v].apiMs),
    otherMs: stat(samples[v].otherMs),
  });
  return { count, shipped: of("shipped"), v8Defaults: of("v8Defaults") };
}

export async function benchProvider(
  stat: StatOf,
  opts: { quick: boolean; log: (l: string) => void; counts?: number[] },
) {
  const counts = opts.counts ?? (opts.quick ? [10, 50] : [10, 50, 200, 1000]);
  const loadBefore = loadAverage();
  const cacheHome = fs.mkdtempSync(path.join(os.tmpdir(), "preclinical-bench-cache-"));
  try {
    const startup = await benchStartup(stat, opts.quick ? 5 : 21, cacheHome);
    opts.log(
      `start-up: node ${startup.node.wallMs.median.toFixed(0)} ms, first start ${startup.firstStart.wallMs.median.toFixed(0)} ms, with code cache ${startup.codeCache.wallMs.median.toFixed(0)} ms`,
    );
    const creates = [];
    for (const count of counts) {
      const runs = opts.quick || count >= 1000 ? 1 : 3;
      const row = await benchCreate(count, runs, stat, { home: cacheHome }, ["provider", "curl", "bare"]);
      opts.log(
        `create ${count}: provider ${row.provider!.median.toFixed(0)} ms, curl ${row.curl!.median.toFixed(0)} ms, bare ${row.bare!.median.toFixed(0)} ms, ${JSON.stringify(row.requests)}`,
      );
      creates.push(row);
    }
    const freshCount = 50;
    const fresh = await benchCreate(freshCount, opts.quick ? 1 : 3, stat, { home: cacheHome, fresh: true }, [
      "provider",
    ]);
    opts.log(`create ${freshCount} on a fresh runner: ${fresh.provider!.median.toFixed(0)} ms`);
    const plans = [];
    for (const count of counts) {
      const row = await benchPlan(count, opts.quick ? 3 : count >= 1000 ? 3 : 5, stat, cacheHome);
      opts.log(
        `no-op plan ${count}: provider ${row.provider.median.toFixed(0)} ms, bare ${row.bare.median.toFixed(0)} ms, ${JSON.stringify(row.requests)}`,
      );
      plans.push(row);
    }
    const teardowns = [];
    for (const count of [10, 50]) {
      const row = await benchTeardown(count, opts.quick ? 2 : 5, stat, cacheHome);
      opts.log(
        `teardown (create ${count}, TF_LOG=debug): shipped ${row.shipped.apiMs.median.toFixed(0)} ms, V8 defaults ${row.v8Defaults.apiMs.median.toFixed(0)} ms`,
      );
      teardowns.push(row);
    }
    const http2 = await benchHttp2(stat, opts);
    return { loadBefore, loadAfter: loadAverage(), startup, creates, fresh, plans, teardowns, http2 };
  } finally {
    fs.rmSync(cacheHome, { recursive: true, force: true });
  }
}

export type ProviderResults = Awaited<ReturnType<typeof benchProvider>>;

export { renderProvider } from "./bench-provider-render";
