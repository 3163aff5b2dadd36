/**
 * Where the provider's time goes: `node dist/scripts/profile-provider.js [--count 200] [--instructions]
 * [--json FILE]` (after `npm run build`). Not part of `npm test` or `npm run bench`; it prints markdown.
 *
 * 1. Start-up: the provider from spawn to its handshake line, without a code cache and with a warm one,
 *    next to `node -e 0`: wall time, CPU time (user + system, which the load of a shared machine does not
 *    inflate as it does wall time) and, with --instructions, instructions counted by valgrind's callgrind.
 * 2. A create of N webhooks from an empty state with `terraform apply`, next to the curl stack and N bare
 *    terraform_data: per provider process the gRPC calls Terraform made and the API requests they caused
 *    (scripts/profile-hook.ts watches each process), the CPU time of terraform, of the provider processes
 *    and of the emulator (this process), and a V8 CPU profile of every provider process (in a second run),
 *    whose self time is named through the bundle's source map (scripts/cpu-profile.ts): by package and
 *    function, over the whole run and before the handshake alone.
 */
import { execFile, execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EMULATOR_DEFAULT_API_KEY, PreclinicalEmulator } from "../src/emulator";
import { providerBundlePath } from "../src/provider/install";
import { HclWorkspace } from "../test/support/hcl-workspace";
import { attribute, categoryOf, readProfile, SourceMapIndex, sum, top, type Attribution } from "./cpu-profile";
import { PROFILE_HOOK, handshakeEnv, startOnce, warmCodeCache } from "./provider-start";
import { agent, bareData, curlStack, webhooks } from "./stacks";

const argValue = (name: string) =>
  process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined;
const count = Number(argValue("--count") ?? 200);
const repo = path.resolve(__dirname, "..", "..");
const work = fs.mkdtempSync(path.join(os.tmpdir(), "preclinical-profile-"));
const env = { PRECLINICAL_API_KEY: EMULATOR_DEFAULT_API_KEY };

interface Mark {
  wallMs: number;
  cpuMs: number;
  hrtimeUs: number;
}

/** One line of scripts/profile-hook.ts. */
interface ProcessRecord {
  pid: number;
  end: string;
  startHrtimeUs: number;
  handshake?: Mark;
  exit: Mark;
  calls: Record<string, number>;
  requests: Record<string, number>;
  maxRssKb: number;
}

const readRecords = (file: string): ProcessRecord[] =>
  fs.existsSync(file)
    ? fs
        .readFileSync(file, "utf8")
        .split("\n")
        .filter(Boolean)
        .map((l) => JSON.parse(l) as ProcessRecord)
    : [];

const median = (values: number[]) => {
  const s = [...values].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const out: string[] = [];
const print = (line = "") => {
  out.push(line);
  process.stderr.write(`${line}\n`);
};

/** The source map of the provider bundle, checked to belong to the executable in dist. */
function sourceMap(): { map: SourceMapIndex; bundleSource: string } {
  const dir = path.join(work, "bundle");
  const mapFile = path.join(work, "provider.map");
  execFileSync(process.execPath, ["scripts/bundle-cli.mjs", "--outdir", dir, "--sourcemap", mapFile], { cwd: repo });
  const built = fs.readFileSync(path.join(dir, "provider", "terraform-provider-preclinical.cjs"));
  if (!built.equals(fs.readFileSync(providerBundlePath())))
    throw new Error("dist/provider is not the current build: run npm run build first.");
  // The executable's second line: var PROVIDER_SOURCE="...";var PROVIDER_SOURCE_SHA=...
  const line = built.toString("utf8").split("\n")[1];
  const bundleSource = JSON.parse(line.slice("var PROVIDER_SOURCE=".length, line.indexOf(";var PROVIDER_SOURCE_SHA=")));
  return { map: new SourceMapIndex(JSON.parse(fs.readFileSync(mapFile, "utf8"))), bundleSource };
}

// ---------------------------------------------------------------------------------------------------------
// 1. Start-up
// ---------------------------------------------------------------------------------------------------------

const handshake = handshakeEnv();

async function startup(rounds: number, instructions: boolean) {
  const cacheHome = path.join(work, "cache");
  await warmCodeCache(cacheHome);
  const kinds = {
    "provider, no code cache": {
      args: [providerBundlePath()],
      env: { ...handshake, PRECLINICAL_PROVIDER_CODE_CACHE: "off" },
    },
    "provider, warm code cache": { args: [providerBundlePath()], env: { ...handshake, XDG_CACHE_HOME: cacheHome } },
    "node -e 0": { args: ["-e", "0"], env: {} },
  };
  const samples = Object.fromEntries(Object.keys(kinds).map((k) => [k, { wall: [] as number[], cpu: [] as number[] }]));
  for (let r = 0; r < rounds; r++) {
    for (const [name, kind] of Object.entries(kinds)) {
      const s = await startOnce(kind.args, kind.env);
      samples[name].wall.push(s.wallMs);
      samples[name].cpu.push(s.cpuMs);
    }
  }
  const counted: Record<string, number> = {};
  if (instructions) {
    for (const [name, kind] of Object.entries(kinds)) {
      const s = await startOnce(kind.args, kind.env, [
        "valgrind",
        "--tool=callgrind",
        "--callgrind-out-file=/dev/null",
      ]);
      counted[name] = Number(/Collected : (\d+)/.exec(s.stderr)?.[1] ?? NaN);
    }
  }
  const node = samples["node -e 0"];
  print(`## Start-up to the handshake line (${rounds} runs each, alternating; medians)`);
  print();
  print(`| | wall ms | CPU ms | ${instructions ? "instructions (M) | " : ""}CPU / node -e 0 |`);
  print(`|---|---|---|${instructions ? "---|" : ""}---|`);
  for (const name of Object.keys(kinds)) {
    const s = samples[name];
    const ins = instructions ? ` ${(counted[name] / 1e6).toFixed(0)} |` : "";
    print(
      `| ${name} | ${median(s.wall).toFixed(0)} | ${median(s.cpu).toFixed(0)} |${ins} ${(median(s.cpu) / median(node.cpu)).toFixed(2)}× |`,
    );
  }
  print();
  return { samples, instructions: counted };
}

// ---------------------------------------------------------------------------------------------------------
// 2. Create of N
// ---------------------------------------------------------------------------------------------------------

interface RunFigures {
  wallMs: number;
  /** terraform and everything it waited for (providers, local-execs), from /usr/bin/time. */
  treeCpuMs: number;
  emulatorCpuMs: number;
  processes: ProcessRecord[];
  requests: Record<string, number>;
  profiles: Map<number, string>;
}

function timedTerraform(dir: string, args: string[], extraEnv: Record<string, string>) {
  const timeFile = path.join(work, `time-${process.hrtime.bigint()}`);
  return new Promise<{ wallMs: number; cpuMs: number; output: string; code: number }>((resolve) => {
    const started = process.hrtime.bigint();
    execFile(
      "/usr/bin/time",
      ["-f", "%U %S", "-o", timeFile, "terraform", ...args],
      {
        cwd: dir,
        env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", ...env, ...extraEnv },
        maxBuffer: 256 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
        const [user, system] = fs.readFileSync(timeFile, "utf8").trim().split("\n").pop()!.split(" ").map(Number);
        resolve({ wallMs, cpuMs: (user + system) * 1000, output: `${stdout}\n${stderr}`, code: error ? 1 : 0 });
      },
    );
  });
}

async function createRun(
  emulator: PreclinicalEmulator,
  config: Record<string, unknown>,
  options: { cacheHome: string; cpuProf: boolean },
): Promise<RunFigures> {
  emulator.reset();
  const ws = new HclWorkspace(env);
  const records = path.join(work, `procs-${process.hrtime.bigint()}.jsonl`);
  const profDir = fs.mkdtempSync(path.join(work, "prof-"));
  try {
    ws.write(config);
    await ws.init();
    emulator.clearRequests();
    const cpuBefore = process.cpuUsage();
    const run = await timedTerraform(ws.dir, ["apply", "-auto-approve", "-input=false", "-no-color"], {
      XDG_CACHE_HOME: options.cacheHome,
      PRECLINICAL_PROFILE_OUT: records,
      NODE_OPTIONS: `--require ${PROFILE_HOOK}`,
      ...(options.cpuProf && { PRECLINICAL_PROFILE_CPU_DIR: profDir }),
    });
    const cpu = process.cpuUsage(cpuBefore);
    if (run.code !== 0) throw new Error(run.output);
    const requests: Record<string, number> = {};
    for (const r of emulator.requests()) {
      const route = `${r.method} ${r.path.replace(/^\/api\/v1/, "").replace(/[0-9a-f-]{36}/gi, "{id}")}`;
      requests[route] = (requests[route] ?? 0) + 1;
    }
    const profiles = new Map<number, string>();
    for (const f of fs.readdirSync(profDir)) {
      const pid = /^(\d+)\.cpuprofile$/.exec(f)?.[1];
      if (pid) profiles.set(Number(pid), path.join(profDir, f));
    }
    return {
      wallMs: run.wallMs,
      treeCpuMs: run.cpuMs,
      emulatorCpuMs: (cpu.user + cpu.system) / 1000,
      processes: readRecords(records).sort((a, b) => a.startHrtimeUs - b.startHrtimeUs),
      requests,
      profiles,
    };
  } finally {
    ws.cleanup();
  }
}

const role = (p: ProcessRecord) =>
  p.calls.ApplyResourceChange
    ? "apply"
    : p.calls.PlanResourceChange
      ? "plan"
      : p.calls.ValidateResourceConfig
        ? "validate"
        : p.calls.GetProviderSchema
          ? "schema"
          : Object.keys(p.calls).join("+") || "(no calls)";

const list = (r: Record<string, number>) =>
  Object.entries(r)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ") || "-";

function attributionRows(a: Attribution, n: number, what: "category" | "function") {
  const map = what === "category" ? a.byCategory : a.byFunction;
  for (const [name, ms, share] of top(map, a.totalMs, n))
    print(`| ${name.replace(/\|/g, "\\|")} | ${ms.toFixed(0)} | ${(share * 100).toFixed(0)}% |`);
}

async function creates(emulator: PreclinicalEmulator, cacheHome: string) {
  const { map, bundleSource } = sourceMap();
  const provider = await createRun(emulator, webhooks(emulator.url, count), { cacheHome, cpuProf: false });
  if (emulator.webhooks().length !== count) throw new Error(`created ${emulator.webhooks().length} of ${count}`);
  const curl = await createRun(emulator, curlStack(emulator.url, count), { cacheHome, cpuProf: false });
  const bare = await createRun(emulator, bareData(count), { cacheHome, cpuProf: false });
  const profiled = await createRun(emulator, webhooks(emulator.url, count), { cacheHome, cpuProf: true });

  const providerCpu = provider.processes.reduce((s, p) => s + p.exit.cpuMs, 0);
  print(`## Create of ${count} webhooks from an empty state (\`terraform apply\`, code cache warm)`);
  print();
  print("| stack | wall ms | terraform CPU ms | provider processes CPU ms | emulator CPU ms | API requests |");
  print("|---|---|---|---|---|---|");
  print(
    `| provider | ${provider.wallMs.toFixed(0)} | ${(provider.treeCpuMs - providerCpu).toFixed(0)} | ${providerCpu.toFixed(0)} | ${provider.emulatorCpuMs.toFixed(0)} | ${list(provider.requests)} |`,
  );
  print(
    `| curl (terraform + sh + curl) | ${curl.wallMs.toFixed(0)} | ${curl.treeCpuMs.toFixed(0)} | - | ${curl.emulatorCpuMs.toFixed(0)} | ${list(curl.requests)} |`,
  );
  print(`| bare terraform_data | ${bare.wallMs.toFixed(0)} | ${bare.treeCpuMs.toFixed(0)} | - | - | - |`);
  print();
  print("Per provider process, in start order (the hook's records):");
  print();
  print("| # | role | gRPC calls | API requests | CPU ms to handshake | CPU ms total | lifetime ms | max RSS MB |");
  print("|---|---|---|---|---|---|---|---|");
  provider.processes.forEach((p, i) =>
    print(
      `| ${i + 1} | ${role(p)} | ${list(p.calls)} | ${list(p.requests)} | ${p.handshake?.cpuMs.toFixed(0) ?? "-"} | ${p.exit.cpuMs.toFixed(0)} | ${p.exit.wallMs.toFixed(0)} | ${(p.maxRssKb / 1024).toFixed(0)} |`,
    ),
  );
  print();

  // The CPU profile run: self time by package, over each process and before the handshake.
  const byProcess = profiled.processes.map((p) => {
    const file = profiled.profiles.get(p.pid);
    if (!file) return undefined;
    const profile = readProfile(file);
    return {
      record: p,
      whole: attribute(profile, map),
      beforeHandshake: attribute(profile, map, -Infinity, p.handshake?.hrtimeUs ?? Infinity),
      afterHandshake: attribute(profile, map, p.handshake?.hrtimeUs ?? Infinity, Infinity),
    };
  });
  const found = byProcess.filter((x): x is NonNullable<typeof x> => x !== undefined);
  const all = sum(found.map((x) => x.whole));
  const start = sum(found.map((x) => x.beforeHandshake));
  print(
    `CPU profile (a second run, sampled every 250 µs, ${found.length} processes, ${all.totalMs.toFixed(0)} ms sampled, of which ${start.totalMs.toFixed(0)} ms before the handshakes), self time by where the code comes from:`,
  );
  print();
  print("| all processes, whole run | ms | share |");
  print("|---|---|---|");
  attributionRows(all, 14, "category");
  print();
  print("| before the handshake (all processes) | ms | share |");
  print("|---|---|---|");
  attributionRows(start, 10, "category");
  print();
  print("| before the handshake (all processes): top functions | ms | share |");
  print("|---|---|---|");
  attributionRows(start, 25, "function");
  print();
  print("Each process after its handshake, by package (the five largest):");
  print();
  print("| role | ms sampled | largest |");
  print("|---|---|---|");
  for (const x of found) {
    const rows = top(x.afterHandshake.byCategory, x.afterHandshake.totalMs, 5);
    print(
      `| ${role(x.record)} | ${x.afterHandshake.totalMs.toFixed(0)} | ${rows.map(([k, ms]) => `${k} ${ms.toFixed(0)}`).join(", ")} |`,
    );
  }
  print();
  const apply = found.find((x) => role(x.record) === "apply");
  if (apply) {
    print("| the apply process after its handshake: top functions | ms | share |");
    print("|---|---|---|");
    attributionRows(apply.afterHandshake, 25, "function");
    print();
  }
  const bytes = new Map<string, number>();
  for (const [file, n] of map.bytesPerSource(bundleSource)) {
    const c = categoryOf(file);
    bytes.set(c, (bytes.get(c) ?? 0) + n);
  }
  const totalBytes = [...bytes.values()].reduce((a, b) => a + b, 0);
  print(`What the bundle holds (${(bundleSource.length / 1024).toFixed(0)} KiB minified), by package:`);
  print();
  print("| package | KiB | share |");
  print("|---|---|---|");
  for (const [name, n, share] of top(bytes, totalBytes, 12))
    print(`| ${name} | ${(n / 1024).toFixed(0)} | ${(share * 100).toFixed(0)}% |`);
  print();
  return { provider, curl, bare, profiled: { processes: profiled.processes, all, start } };
}

async function main(): Promise<void> {
  const emulator = await PreclinicalEmulator.start({
    agents: Array.from({ length: count + 1 }, (_, i) => ({ id: agent(i) })),
  });
  try {
    print(
      `Profile of ${count} webhooks, ${new Date().toISOString()}, load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    print();
    const started = await startup(process.argv.includes("--quick") ? 3 : 11, process.argv.includes("--instructions"));
    const created = await creates(emulator, path.join(work, "cache"));
    print(
      `Load average at the end: ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")}`,
    );
    const json = argValue("--json");
    if (json) {
      const plain = (a: Attribution) => ({
        totalMs: a.totalMs,
        byCategory: Object.fromEntries(a.byCategory),
        byFunction: Object.fromEntries(top(a.byFunction, a.totalMs, 40).map(([k, v]) => [k, v])),
      });
      fs.writeFileSync(
        json,
        JSON.stringify(
          {
            count,
            startup: started,
            create: {
              provider: { ...created.provider, profiles: undefined },
              curl: { ...created.curl, profiles: undefined },
              bare: { ...created.bare, profiles: undefined },
              profile: { all: plain(created.profiled.all), beforeHandshake: plain(created.profiled.start) },
            },
          },
          null,
          2,
        ),
      );
    }
    process.stdout.write(`${out.join("\n")}\n`);
  } finally {
    await emulator.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

void main();
