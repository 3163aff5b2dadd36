import { execFileSync, spawn } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { parseCommandLine } from "../../src/emulator/bin";
import { PreclinicalEmulator } from "../../src/emulator";
import { AGENT_A } from "../support/agents";
import { emulator, KEY, useSharedEmulator } from "../support/emulator";
import { call } from "../support/emulator-http";

useSharedEmulator();

describe("PreclinicalEmulator.start", () => {
  test("uses the documented default key and serves /api/v1 on a random loopback port", () => {
    expect(KEY).toMatch(/^sk_test_[A-Za-z0-9]{40}$/);
    expect(emulator.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
    expect(new URL(emulator.url).port).not.toBe("0");
  });
});

describe("connections", () => {
  test("three requests over a keep-alive agent share one socket", async () => {
    const agent = new HttpAgent({ keepAlive: true, maxSockets: 1 });
    const reused: boolean[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        await new Promise<void>((resolve, reject) => {
          const req = httpRequest(
            `${emulator.url}/webhooks`,
            { agent, headers: { authorization: `Bearer ${KEY}` } },
            (res) => {
              res.resume();
              res.on("end", resolve);
            },
          );
          req.on("error", reject);
          req.end();
          reused.push(req.reusedSocket);
        });
      }
    } finally {
      agent.destroy();
    }
    expect(reused).toEqual([false, true, true]);
  });

  test("close resolves promptly while a keep-alive connection is open", async () => {
    const other = await PreclinicalEmulator.start();
    expect((await call("GET", "/webhooks", {}, other)).status).toBe(200);

    const started = Date.now();
    await other.close();

    expect(Date.now() - started).toBeLessThan(1000);
    await expect(fetch(`${other.url}/webhooks`)).rejects.toThrow();
  });

  test("close resolves promptly while a request is held by a delay fault", async () => {
    const other = await PreclinicalEmulator.start();
    other.injectFault({ fault: { kind: "delay", ms: 30_000 } });
    const failed = expect(call("GET", "/webhooks", {}, other)).rejects.toThrow();
    await new Promise((resolve) => setTimeout(resolve, 100));

    const started = Date.now();
    await other.close();

    expect(Date.now() - started).toBeLessThan(1000);
    await failed;
  });
});

describe("parseCommandLine", () => {
  test("turns keys with and without organizations, and agents, into options", () => {
    expect(
      parseCommandLine(["--port", "8080", "--host", "::1", "--api-key", "k1", "--api-key=k2=acme", "--agent", AGENT_A]),
    ).toEqual({
      port: 8080,
      host: "::1",
      organizations: { k1: "default", k2: "acme" },
      agents: [{ id: AGENT_A }],
      anyAgent: false,
    });
    expect(parseCommandLine([])).toMatchObject({
      port: 0,
      host: "127.0.0.1",
      organizations: { [KEY]: "default" },
      agents: [],
      anyAgent: true,
    });
    expect(parseCommandLine(["--agent", `${AGENT_A}=Healthcare Assistant`, "--agent", "x=a=b"]).agents).toEqual([
      { id: AGENT_A, name: "Healthcare Assistant" },
      { id: "x", name: "a=b" },
    ]);
    expect(() => parseCommandLine(["--agent", `${AGENT_A}=`])).toThrow(/--agent: expected UUID or UUID=NAME/);
    expect(parseCommandLine(["--help"])).toMatchObject({ help: true });
    expect(() => parseCommandLine(["--port", "x"])).toThrow(/--port/);
    expect(() => parseCommandLine(["--bogus"])).toThrow();
  });

  test("turns --rate-limit into requests per second per key, and refuses a rate that is not above 0", () => {
    expect(parseCommandLine(["--rate-limit", "2.5"])).toMatchObject({ rateLimit: { requestsPerSecond: 2.5 } });
    expect(parseCommandLine([])).not.toHaveProperty("rateLimit");
    for (const bad of ["0", "-1", "fast"]) {
      expect(() => parseCommandLine([`--rate-limit=${bad}`])).toThrow(`invalid --rate-limit: ${bad}`);
    }
  });

  test("turns --unpaged-webhook-list into a webhook list sent whole, and pages it without the flag", () => {
    expect(parseCommandLine(["--unpaged-webhook-list"])).toMatchObject({ pagedWebhookList: false });
    expect(parseCommandLine([])).not.toHaveProperty("pagedWebhookList");
  });
});

describe("the compiled bin", () => {
  const root = join(__dirname, "..", "..");
  const bin = join(root, "dist", "src", "emulator", "bin.js");

  /** Compiles the project when dist is missing or older than the emulator's sources. */
  beforeAll(() => {
    const sourceDir = join(root, "src", "emulator");
    const newestSource = Math.max(...readdirSync(sourceDir).map((file) => statSync(join(sourceDir, file)).mtimeMs));
    if (existsSync(bin) && statSync(bin).mtimeMs >= newestSource) return;
    try {
      execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], {
        cwd: root,
        stdio: "pipe",
      });
    } catch {
      // Type errors elsewhere in the project still emit JavaScript; the existence check below decides.
    }
    expect(existsSync(bin)).toBe(true);
  }, 120_000);

  test.each(["SIGTERM", "SIGINT"] as const)(
    "prints its URL on port 0, serves a request, and exits with code 0 on %s",
    async (signal) => {
      const child = spawn(process.execPath, [bin, "--port", "0", "--api-key", "sk_test_bin=acme", "--agent", AGENT_A], {
        stdio: ["ignore", "pipe", "pipe"],
      });
      const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
      try {
        const lines = createInterface({ input: child.stdout! });
        // The banner is four lines, possibly in one chunk: collect them all as they come.
        const banner: string[] = [];
        const [line, ...rest] = (await Promise.race([
          new Promise<string[]>((resolve) =>
            lines.on("line", (l) => {
              banner.push(l);
              if (banner.length === 4) resolve(banner);
            }),
          ),
          exited.then((code) => Promise.reject(new Error(`bin exited early with ${code}`))),
        ])) as string[];
        const match = /^Preclinical emulator listening on (http:\/\/127\.0\.0\.1:\d+\/api\/v1)$/.exec(line);
        // The lines after it name the key and how agents are treated.
        expect(rest.join("\n")).toContain("API key: sk_test_bin");
        expect(rest.join("\n")).toContain(`Agents: ${AGENT_A} (others are refused`);
        expect(match).not.toBeNull();
        const url = match![1];

        const agent = await fetch(`${url}/agents/${AGENT_A}`, { headers: { authorization: "Bearer sk_test_bin" } });
        expect(agent.status).toBe(200);
        const state: any = await fetch(`${new URL(url).origin}/_emulator/state`).then((r) => r.json());
        expect(state.requests).toEqual([expect.objectContaining({ organization: "acme", status: 200 })]);

        child.kill(signal);
        expect(await exited).toBe(0);
        await expect(fetch(`${url}/webhooks`)).rejects.toThrow();
      } finally {
        if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      }
    },
    60_000,
  );

  test("prints what the emulator is, its options and how to deploy against it for --help, and exits 0", () => {
    const out = execFileSync(process.execPath, [bin, "--help"], { encoding: "utf8" });
    expect(out).toContain("usage: preclinical-emulator");
    expect(out).toContain("without any, every agent id is accepted");
    expect(out).toContain("PRECLINICAL_API_URL");
  });
});
