/**
 * API requests per create of N agent-level webhooks, counted by the emulator's request log (counts do not
 * depend on machine load): a plain `*.tf.json` of N `preclinical_webhook`s on an organization of N agents,
 * `terraform apply` from an empty state, then a no-op `terraform plan`. With `--before-bundle PATH` the same
 * run also measures another build of the provider (e.g. the one before the shared agents list), side by
 * side; `--by-name` adds a row where every agent_id comes from a `preclinical_agent` data source by name.
 *
 *   node dist/scripts/bench-requests.js [--counts 50,200] [--before-bundle PATH] [--json FILE]
 *
 * Prints a Markdown table; the record in bench/before-after.md is kept by hand from its output.
 */
import * as fs from "node:fs";
import { EMULATOR_DEFAULT_API_KEY, PreclinicalEmulator, type RequestLogEntry } from "../src/emulator";
import { PROVIDER_HOSTS, providerExecutablePath } from "../src/provider/install";
import { HclWorkspace, terraformPlatform } from "../test/support/hcl-workspace";

const argValue = (name: string): string | undefined =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;

const agentId = (i: number) => `b0000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

/** What the requests of one command were: list pages of agents, single agents, webhook lists, writes. */
export interface RequestCounts {
  total: number;
  agentPages: number;
  agentGets: number;
  webhookLists: number;
  writes: number;
}

function counted(log: readonly RequestLogEntry[]): RequestCounts {
  const get = (test: (path: string) => boolean) => log.filter((r) => r.method === "GET" && test(r.path)).length;
  return {
    total: log.length,
    agentPages: get((p) => p === "/api/v1/agents"),
    agentGets: get((p) => p.startsWith("/api/v1/agents/")),
    webhookLists: get((p) => p === "/api/v1/webhooks"),
    writes: log.filter((r) => r.method !== "GET").length,
  };
}

/** N agent webhooks, agent ids literal or from one preclinical_agent data source each (by name). */
function config(apiUrl: string, count: number, byName: boolean): Record<string, unknown> {
  const hooks: Record<string, unknown> = {};
  const agents: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    hooks[`hook_${i}`] = {
      url: `https://hooks.example.com/${i}`,
      agent_id: byName ? `\${data.preclinical_agent.agent_${i}.id}` : agentId(i),
    };
    agents[`agent_${i}`] = { name: `Agent ${i}` };
  }
  return {
    provider: { preclinical: { api_url: apiUrl } },
    ...(byName && { data: { preclinical_agent: agents } }),
    resource: { preclinical_webhook: hooks },
  };
}

export interface Row {
  build: string;
  count: number;
  byName: boolean;
  create: RequestCounts;
  noop: RequestCounts;
}

async function measure(build: string, bundle: string | undefined, count: number, byName: boolean): Promise<Row> {
  const emulator = await PreclinicalEmulator.start({
    agents: Array.from({ length: count }, (_, i) => ({ id: agentId(i), name: `Agent ${i}` })),
  });
  const ws = new HclWorkspace({ PRECLINICAL_API_KEY: EMULATOR_DEFAULT_API_KEY });
  try {
    if (bundle) {
      // Another build of the provider in place of this one (the workspace has no lock file yet).
      const executable = providerExecutablePath(ws.dir, PROVIDER_HOSTS[0], terraformPlatform());
      fs.copyFileSync(bundle, executable);
      fs.chmodSync(executable, 0o755);
    }
    ws.write(config(emulator.url, count, byName));
    await ws.init();
    emulator.clearRequests();
    const applied = await ws.terraform(["apply", "-auto-approve", "-input=false", "-no-color"]);
    if (applied.code !== 0) throw new Error(applied.output);
    if (emulator.webhooks().length !== count) throw new Error(`created ${emulator.webhooks().length} of ${count}`);
    const create = counted(emulator.requests());
    emulator.clearRequests();
    const plan = await ws.terraform(["plan", "-input=false", "-no-color", "-detailed-exitcode"]);
    if (plan.code !== 0) throw new Error(`the plan after the create is not a no-op:\n${plan.output}`);
    return { build, count, byName, create, noop: counted(emulator.requests()) };
  } finally {
    ws.cleanup();
    await emulator.close();
  }
}

export function renderRows(rows: readonly Row[]): string {
  const cells = (c: RequestCounts) => `${c.total} | ${c.agentPages} | ${c.agentGets} | ${c.webhookLists} | ${c.writes}`;
  return [
    "| build | webhooks (= agents) | agent ids | create: requests | GET /agents pages | GET /agents/{id} | GET /webhooks | writes | no-op plan: requests |",
    "|---|---|---|---|---|---|---|---|---|",
    ...rows.map(
      (r) =>
        `| ${r.build} | ${r.count} | ${r.byName ? "preclinical_agent by name" : "literal"} | ${cells(r.create)} | ${r.noop.total} |`,
    ),
  ].join("\n");
}

async function main(): Promise<void> {
  const counts = (argValue("--counts") ?? "50,200").split(",").map(Number);
  const before = argValue("--before-bundle");
  const rows: Row[] = [];
  for (const count of counts) {
    if (before) rows.push(await measure("before", before, count, false));
    rows.push(await measure("after", undefined, count, false));
    if (process.argv.includes("--by-name")) rows.push(await measure("after", undefined, count, true));
  }
  const json = argValue("--json");
  if (json) fs.writeFileSync(json, JSON.stringify({ date: new Date().toISOString(), rows }, null, 2));
  process.stdout.write(`${renderRows(rows)}\n`);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  });
}
