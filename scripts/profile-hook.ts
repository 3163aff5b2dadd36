/**
 * Loaded into every provider process of a profiled run (`NODE_OPTIONS=--require dist/scripts/profile-hook.js`,
 * set by scripts/profile-provider.ts), never into a user's: it watches the process from outside the provider's
 * code and appends one JSON line per process to $PRECLINICAL_PROFILE_OUT at exit:
 * - the CPU time (user + system) and wall time at the handshake line (the first write to stdout) and at exit;
 * - the gRPC calls Terraform made, by method (from the provider's diagnostics channel, src/provider/protocol/grpc.ts);
 * - the API requests made, by method and path (ids as {id}), from undici's diagnostics channel.
 * With PRECLINICAL_PROFILE_CPU_DIR set, it also records a V8 CPU profile of the whole process into that folder as
 * <pid>.cpuprofile (Node 20 refuses --cpu-prof in NODE_OPTIONS; the inspector does the same from here).
 * With PRECLINICAL_PROFILE_EXIT_AT_HANDSHAKE=1 the process ends right after its handshake line, without exit
 * handlers (so a code cache is not written): a start-up measurement of exactly that span.
 */
import * as diagnostics from "node:diagnostics_channel";
import * as fs from "node:fs";
import * as inspector from "node:inspector";
import * as path from "node:path";
import { performance } from "node:perf_hooks";
import { CALL_CHANNEL_NAME } from "../src/provider/protocol/grpc";

interface Mark {
  /** Since the process started (performance.timeOrigin). */
  wallMs: number;
  cpuMs: number;
  /** process.hrtime in microseconds: the clock of V8's CPU profile. */
  hrtimeUs: number;
}

const out = process.env.PRECLINICAL_PROFILE_OUT;
const exitAtHandshake = process.env.PRECLINICAL_PROFILE_EXIT_AT_HANDSHAKE === "1";

const mark = (): Mark => {
  const cpu = process.cpuUsage();
  return {
    wallMs: performance.now(),
    cpuMs: (cpu.user + cpu.system) / 1000,
    hrtimeUs: Number(process.hrtime.bigint() / 1000n),
  };
};

/** CPU milliseconds per thread name (Linux: /proc/self/task), where the main thread's share is told apart. */
function threadCpu(): Record<string, number> | undefined {
  try {
    const out: Record<string, number> = {};
    for (const tid of fs.readdirSync("/proc/self/task")) {
      const name = fs.readFileSync(`/proc/self/task/${tid}/comm`, "utf8").trim();
      const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // utime and stime, fields 14 and 15 of stat, in clock ticks (100 per second on Linux)
      const ms = ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
      const key = tid === String(process.pid) ? "main" : name;
      out[key] = (out[key] ?? 0) + ms;
    }
    return out;
  } catch {
    return undefined;
  }
}

/** Node's last step of process.exit, after the exit handlers (lib/internal/process/per_thread.js). */
interface ProcessInternals {
  reallyExit(code: number): void;
}
const reallyExit = (process as unknown as ProcessInternals).reallyExit;

const cpuDir = process.env.PRECLINICAL_PROFILE_CPU_DIR;
let session: inspector.Session | undefined;
if (cpuDir) {
  session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.setSamplingInterval", { interval: 250 });
  session.post("Profiler.start");
}

/** Stops the profiler and writes its profile (the inspector answers a session of the main thread at once). */
function writeCpuProfile(): void {
  session?.post("Profiler.stop", (err, result) => {
    if (!err) fs.writeFileSync(path.join(cpuDir!, `${process.pid}.cpuprofile`), JSON.stringify(result.profile));
  });
  session = undefined;
}

if (out) {
  let handshake: Mark | undefined;
  const calls: Record<string, number> = {};
  const requests: Record<string, number> = {};
  let firstCall: string | undefined;

  const stdoutWrite = process.stdout.write.bind(process.stdout) as (chunk: unknown, ...rest: unknown[]) => boolean;
  process.stdout.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (!handshake) {
      handshake = mark();
      if (exitAtHandshake) {
        const written = stdoutWrite(chunk, ...rest);
        record("handshake");
        // The exit handlers that would remove the socket's folder do not run: remove it here.
        const socket = String(chunk).split("|")[3];
        if (socket?.startsWith("/")) fs.rmSync(path.dirname(socket), { recursive: true, force: true });
        // No exit handlers, so the span measured ends at the handshake.
        reallyExit.call(process, 0);
        return written;
      }
    }
    return stdoutWrite(chunk, ...rest);
  }) as typeof process.stdout.write;

  // gRPC calls: every stream the provider's gRPC layer serves, named by the method of its :path.
  diagnostics.channel(CALL_CHANNEL_NAME).subscribe((message) => {
    const call =
      String((message as { path: string }).path)
        .split("/")
        .pop() || "(no path)";
    calls[call] = (calls[call] ?? 0) + 1;
    firstCall ??= call;
  });
  // API requests: every request undici creates (each attempt of a retried one too).
  diagnostics.channel("undici:request:create").subscribe((message) => {
    const { request } = message as { request: { method: string; path: string } };
    const route = `${request.method} ${request.path
      .replace(/\?.*$/, "")
      .replace(/^\/api\/v1/, "")
      .replace(/[0-9a-f-]{36}/gi, "{id}")}`;
    requests[route] = (requests[route] ?? 0) + 1;
  });

  let recorded = false;
  const record = (end: string) => {
    if (recorded) return;
    recorded = true;
    const line = {
      pid: process.pid,
      end,
      startHrtimeUs: Math.round(Number(process.hrtime.bigint() / 1000n) - performance.now() * 1000),
      handshake,
      exit: mark(),
      firstCall,
      calls,
      requests,
      maxRssKb: process.resourceUsage().maxRSS,
      threads: threadCpu(),
    };
    fs.appendFileSync(out, `${JSON.stringify(line)}\n`);
    writeCpuProfile();
  };
  // Recorded as late as possible: after the exit handlers (the launcher writes its code cache in one).
  // process.exit runs them and then reallyExit; an exit because nothing is left to do runs them only.
  let exitCalled = false;
  const exit = process.exit.bind(process);
  process.exit = ((code?: number) => {
    exitCalled = true;
    return exit(code);
  }) as typeof process.exit;
  process.once("exit", () => {
    if (!exitCalled) record("exit");
  });
  (process as unknown as ProcessInternals).reallyExit = (code: number) => {
    record("exit");
    reallyExit.call(process, code);
  };
}
