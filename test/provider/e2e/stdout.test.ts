/**
 * The provider executable's stdout belongs to go-plugin: it must carry the handshake line and nothing else,
 * for as long as the process lives. Checked on the executable run by hand, and on every provider process
 * that terraform starts during an apply and a destroy (through a wrapper that copies their stdout to files).
 */
import { spawn, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PreclinicalEmulator } from "../../../src/emulator";
import { providerBundlePath, providerExecutablePath } from "../../../src/provider/install";
import { HANDSHAKE } from "../../../src/provider/protocol/server";
import { AGENT_A } from "../../support/agents";
import { describeWithTerraform } from "../../support/e2e";
import { terraformPlatform } from "../../support/hcl-workspace";
import { webhookConfig, webhookWorkspace } from "../../support/webhook-config";

const SECRET = "whsec_e2e_" + "St0dOt".repeat(6);
/** "1|6|unix|<socket>|grpc|<base64 DER certificate, or nothing without PLUGIN_CLIENT_CERT>" */
/** A socket file in a folder of its own, or (Linux, under Terraform's mutual TLS) an abstract socket's name. */
const HANDSHAKE_LINE = /^1\|6\|unix\|(\/[^|]+\/plugin\.sock|@preclinical-plugin-[0-9a-f-]+)\|grpc\|[A-Za-z0-9+/]*\n$/;

/** Runs the bundled executable with `env`; resolves with what it printed once it exits or `settleMs` pass. */
function runProvider(
  env: Record<string, string>,
  settleMs: number,
): Promise<{ stdout: string; stderr: string; code: number | null }> {
  return new Promise((resolve) => {
    const child: ChildProcess = spawn(process.execPath, [providerBundlePath()], {
      env: { PATH: process.env.PATH ?? "", ...env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGTERM"), settleMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ stdout, stderr, code });
    });
  });
}

describe("the provider executable's stdout", () => {
  test("run by hand without Terraform's cookie, it explains itself on stderr, prints nothing on stdout and exits 1", async () => {
    const result = await runProvider({}, 10_000);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe("");
    expect(result.stderr).toContain("This program is the Preclinical Terraform provider");
  });

  test("started with the cookie, it prints exactly one handshake line and nothing more while it serves", async () => {
    // (killed by SIGTERM after 1.5 s, it keeps its socket folder: that goes in a folder of the test's own)
    const socketDir = fs.mkdtempSync(path.join(os.tmpdir(), "provider-stdout-"));
    try {
      const env = {
        [HANDSHAKE.cookieKey]: HANDSHAKE.cookieValue,
        PLUGIN_PROTOCOL_VERSIONS: "5,6",
        PLUGIN_UNIX_SOCKET_DIR: socketDir,
      };
      const result = await runProvider(env, 1500);
      expect(result.stdout).toMatch(HANDSHAKE_LINE);
      expect(result.stdout).toContain(`|unix|${socketDir}/`);
      // stderr carries go-hclog JSON lines only
      for (const line of result.stderr.split("\n").filter(Boolean)) expect(JSON.parse(line)).toHaveProperty("@message");
    } finally {
      fs.rmSync(socketDir, { recursive: true, force: true });
    }
  });
});

describeWithTerraform("the provider's stdout under terraform (terraform + bundled provider + emulator)", () => {
  let emulator: PreclinicalEmulator;
  beforeAll(async () => {
    emulator = await PreclinicalEmulator.start({ agents: [{ id: AGENT_A }] });
  });
  afterAll(() => emulator.close());

  test("every provider process of an apply and a destroy writes the handshake line and nothing else to stdout", async () => {
    const ws = webhookWorkspace(SECRET);
    try {
      // Given the installed executable replaced by a wrapper that copies the real provider's stdout to a file per process
      const captures = path.join(ws.dir, "stdout-captures");
      fs.mkdirSync(captures);
      const wrapper = providerExecutablePath(ws.dir, "registry.terraform.io", terraformPlatform());
      fs.writeFileSync(
        wrapper,
        [
          `#!${process.execPath}`,
          'const { spawn } = require("node:child_process");',
          'const fs = require("node:fs");',
          `const child = spawn(${JSON.stringify(process.execPath)}, [${JSON.stringify(providerBundlePath())}], { stdio: ["inherit", "pipe", "inherit"] });`,
          `const file = ${JSON.stringify(captures)} + "/" + child.pid;`,
          'fs.writeFileSync(file, "");',
          'child.stdout.on("data", (d) => { fs.appendFileSync(file, d); process.stdout.write(d); });',
          'for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));',
          'child.on("exit", (code) => process.exit(code ?? 1));',
          "",
        ].join("\n"),
        { mode: 0o755 },
      );
      const config = webhookConfig({
        apiUrl: emulator.url,
        webhooks: {
          org: { url: "https://hooks.example.com/org", secret: true },
          triage: { url: "https://hooks.example.com/t", agent_id: AGENT_A },
        },
      });

      // When applying and destroying through it
      expect((await ws.apply(config)).code).toBe(0);
      expect((await ws.destroy()).code).toBe(0);

      // Then each provider process printed one handshake line, and nothing else
      const outputs = fs.readdirSync(captures).map((f) => fs.readFileSync(path.join(captures, f), "utf8"));
      expect(outputs.length).toBeGreaterThanOrEqual(4);
      for (const stdout of outputs) expect(stdout).toMatch(HANDSHAKE_LINE);
    } finally {
      ws.cleanup();
    }
  });
});
