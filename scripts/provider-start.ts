/**
 * One provider start, as the benchmark (bench-provider.ts) and the profile (profile-provider.ts) both time it:
 * spawned with Terraform's handshake variables and the profile hook (profile-hook.ts), which ends it at its
 * handshake line and records its CPU time; and the warm-up that leaves a code cache for the starts that use one.
 */
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { EMULATOR_DEFAULT_API_KEY } from "../src/emulator";
import { createServerCertificate } from "../src/provider/protocol/certificate";
import { HANDSHAKE } from "../src/provider/protocol/server";
import { HclWorkspace } from "../test/support/hcl-workspace";
import { webhooks } from "./stacks";

/** The hook that counts a provider process's calls and CPU (profile-hook.ts, compiled beside this file). */
export const PROFILE_HOOK = path.join(__dirname, "profile-hook.js");

/** What Terraform gives a provider it starts: the magic cookie, the protocol versions and its certificate. */
export function handshakeEnv(): Record<string, string> {
  return {
    [HANDSHAKE.cookieKey]: HANDSHAKE.cookieValue,
    PLUGIN_PROTOCOL_VERSIONS: "5,6",
    PLUGIN_CLIENT_CERT: createServerCertificate().certPem,
  };
}

/**
 * One start that the hook ends at the handshake line (node -e 0, which never writes to stdout, at its exit):
 * wall time from spawn, the CPU time to that mark, and what it printed on stderr. `wrapper` runs node under
 * another program (valgrind, for the profile's instruction counts).
 */
export function startOnce(
  args: string[],
  env: Record<string, string>,
  wrapper: string[] = [],
): Promise<{ wallMs: number; cpuMs: number; stderr: string }> {
  const record = path.join(os.tmpdir(), `preclinical-start-${process.pid}-${process.hrtime.bigint()}.jsonl`);
  const started = process.hrtime.bigint();
  const elapsedMs = () => Number(process.hrtime.bigint() - started) / 1e6;
  return new Promise((resolve, reject) => {
    const [command, ...rest] = wrapper.length ? wrapper : [process.execPath];
    const child = spawn(command, [...rest, ...(wrapper.length ? [process.execPath] : []), ...args], {
      env: {
        ...process.env,
        ...env,
        NODE_OPTIONS: `--require ${PROFILE_HOOK}`,
        PRECLINICAL_PROFILE_OUT: record,
        PRECLINICAL_PROFILE_EXIT_AT_HANDSHAKE: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let wallMs = 0;
    let stderr = "";
    child.stdout.once("data", () => (wallMs = elapsedMs()));
    child.stderr.on("data", (d) => (stderr += d));
    child.once("error", reject);
    child.once("close", () => {
      try {
        const [line] = fs.readFileSync(record, "utf8").split("\n");
        const mark = JSON.parse(line) as { handshake?: { cpuMs: number }; exit: { cpuMs: number } };
        resolve({ wallMs: wallMs || elapsedMs(), cpuMs: (mark.handshake ?? mark.exit).cpuMs, stderr });
      } catch (err) {
        reject(new Error(`no record of ${args.join(" ")} (${(err as Error).message}):\n${stderr}`));
      } finally {
        fs.rmSync(record, { force: true });
      }
    });
  });
}

/**
 * A validate through terraform ends its provider processes with Shutdown (exit 0): they write the code cache,
 * under the V8 flags that `env` leads them to (the cache is only accepted by starts under the same flags).
 */
export async function warmCodeCache(cacheHome: string, env: Record<string, string> = {}): Promise<void> {
  const ws = new HclWorkspace({ PRECLINICAL_API_KEY: EMULATOR_DEFAULT_API_KEY, XDG_CACHE_HOME: cacheHome, ...env });
  try {
    ws.write(webhooks("http://127.0.0.1:1/api/v1", 1));
    await ws.init();
    const result = await ws.terraform(["validate", "-no-color"]);
    if (result.code !== 0) throw new Error(result.output);
  } finally {
    ws.cleanup();
  }
}
