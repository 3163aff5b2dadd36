/**
 * `npm run demo`: the product end to end on a laptop, with no Preclinical account.
 *
 * Starts the emulator and a small webhook receiver, deploys examples/main.ts with the real cdktf CLI and
 * terraform (the triage agent's webhook points at the receiver and verifies its delivery), prints the
 * webhooks the API then holds and the id output, changes the organization webhook "in the UI" (through the
 * API, as the UI would), shows `cdktf diff` reporting it, deploys again to put it back (same id), completes a
 * test run whose notification arrives at the receiver, makes the receiver fail and shows the delivery-health
 * warning in `cdktf diff`, pauses the triage agent's webhook from the code (an in-place update), destroys,
 * and stops both. It works in a temporary folder and always talks to the emulator, even when
 * PRECLINICAL_API_KEY is set.
 */
import { spawn } from "node:child_process";
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PreclinicalClient, type Webhook } from "../src/api";
import { EMULATOR_DEFAULT_API_KEY, PreclinicalEmulator, WebhookReceiver } from "../src/emulator";
import { EXAMPLE_AGENTS, TRIAGE_AGENT_NAME } from "../examples/main";

const repo = path.resolve(__dirname, "..", "..");
const cdktfBin = path.join(repo, "node_modules", ".bin", "cdktf");
const exampleApp = path.join(repo, "dist", "examples", "main.js");
const agentNames = new Map<string, string>(Object.entries(EXAMPLE_AGENTS).map(([name, id]) => [id, name]));

function step(text: string): void {
  process.stdout.write(`\n==> ${text}\n`);
}

/** Runs the cdktf CLI, streaming its output indented so progress is visible. */
function cdktf(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(cdktfBin, args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    const relay = (chunk: Buffer) => {
      for (const line of chunk.toString().split(/\r?\n/)) {
        // eslint-disable-next-line no-control-regex -- ANSI escape sequences start with ESC
        const clean = line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, "").trimEnd();
        // Keep terraform's lines; drop cdktf's redraws (spinners and the "N Stacks deploying" status line).
        const noise = /^\s*[\u2800-\u28ff]/.test(clean) || /Stacks? (deploying|destroying|done|waiting)/.test(clean);
        if (clean.trim() !== "" && !noise) process.stdout.write(`    ${clean}\n`);
      }
    };
    child.stdout.on("data", relay);
    child.stderr.on("data", relay);
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`cdktf ${args[0]} exited with ${code}`))));
  });
}

function table(webhooks: Webhook[]): string {
  if (webhooks.length === 0) return "    (no webhooks)";
  const rows = webhooks
    .map((w) => [
      w.agent_id ? `agent ${agentNames.get(w.agent_id) ?? w.agent_id}` : "organization",
      w.url,
      String(w.is_enabled),
      w.id,
    ])
    .sort((a, b) => a[0].localeCompare(b[0]));
  const header = ["SCOPE", "URL", "ENABLED", "ID"];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [header, ...rows]
    .map(
      (r) =>
        "    " +
        r
          .map((c, i) => c.padEnd(widths[i]))
          .join("  ")
          .trimEnd(),
    )
    .join("\n");
}

/** What the receiver got last: the event, and for a test run its agent and pass rate. */
function received(receiver: WebhookReceiver): string {
  const all = receiver.received();
  const last = all[all.length - 1]?.body as
    { event?: string; is_test?: boolean; test_run?: { agent_name?: string; pass_rate?: number } } | undefined;
  if (!last) return "nothing";
  const run = last.test_run;
  return last.event === "test_run_completed"
    ? `${last.event} (${run?.agent_name}, pass rate ${run?.pass_rate}%)`
    : `${last.event}${last.is_test ? " (is_test: true)" : ""}`;
}

async function main(): Promise<number> {
  if (!fs.existsSync(exampleApp)) {
    process.stderr.write(`The example is not built (${exampleApp} is missing): run npm run build first.\n`);
    return 1;
  }
  if (process.env.PRECLINICAL_API_KEY) {
    process.stdout.write(
      "Note: PRECLINICAL_API_KEY is set, but the demo never deploys for real: it uses a local emulator.\n" +
        "To deploy the example to Preclinical, run: TF_VAR_webhook_secret=... npx cdktf deploy (see the README).\n",
    );
  }
  const work = fs.mkdtempSync(path.join(os.tmpdir(), "preclinical-demo-"));
  const emulator = await PreclinicalEmulator.start({
    agents: [
      { id: EXAMPLE_AGENTS.triage, name: TRIAGE_AGENT_NAME },
      { id: EXAMPLE_AGENTS.intake, name: "Intake" },
    ],
  });
  const receiver = await WebhookReceiver.start();
  const api = new PreclinicalClient({ apiKey: EMULATOR_DEFAULT_API_KEY, baseUrl: emulator.url });
  const stop = () => {
    void api.close();
    void emulator.close();
    void receiver.close();
    fs.rmSync(work, { recursive: true, force: true });
  };
  process.once("SIGINT", () => {
    stop();
    process.exit(130);
  });
  try {
    step(`Started the Preclinical emulator at ${emulator.url}`);
    const triageUrl = receiver.url("/triage");
    process.stdout.write(
      `    and a webhook receiver at ${receiver.origin}: the triage agent's webhook points at ${triageUrl}\n`,
    );
    // A project folder of its own, so the state and cdktf.out stay out of the repository.
    fs.writeFileSync(
      path.join(work, "cdktf.json"),
      JSON.stringify({
        language: "typescript",
        app: `node ${JSON.stringify(exampleApp)}`,
        projectId: "preclinical-demo",
        sendCrashReports: "false",
      }),
    );
    fs.writeFileSync(path.join(work, "terraformrc"), "");
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PRECLINICAL_API_URL: emulator.url,
      PRECLINICAL_API_KEY: EMULATOR_DEFAULT_API_KEY,
      TF_VAR_webhook_secret: crypto.randomBytes(24).toString("hex"),
      TF_VAR_triage_url: triageUrl,
      CHECKPOINT_DISABLE: "1",
      TF_CLI_CONFIG_FILE: path.join(work, "terraformrc"),
      FORCE_COLOR: "0",
    };
    const deploy = (extra: NodeJS.ProcessEnv = {}) =>
      cdktf(["deploy", "--auto-approve", "--output", path.join(work, "cdktf.out")], work, { ...env, ...extra });

    step("cdktf deploy: creating the example's three webhooks, and testing the triage webhook's delivery");
    await deploy();
    process.stdout.write(`    the receiver got: ${received(receiver)}\n`);
    const first = await api.listWebhooks();
    step("The Preclinical API now holds:");
    process.stdout.write(`${table(first)}\n`);

    const org = first.find((w) => !w.agent_id);
    if (!org) throw new Error("the organization webhook was not created");
    step(`In the Preclinical UI, someone points the organization webhook elsewhere and pauses it`);
    await api.updateWebhook(org.id, { url: "https://collector.example.net/hijacked", is_enabled: false });
    process.stdout.write(`${table(await api.listWebhooks())}\n`);

    step("cdktf diff: the plan shows what changed outside the code");
    await cdktf(["diff", "--output", path.join(work, "cdktf.out")], work, env);

    step("cdktf deploy: putting it back");
    await deploy();
    const repaired = (await api.listWebhooks()).find((w) => w.id === org.id);
    if (!repaired || repaired.url !== org.url || !repaired.is_enabled)
      throw new Error("the drift was not repaired in place");
    process.stdout.write(`    organization: same id ${org.id}, url and enabled restored: repaired in place\n`);

    step("A test run of the triage agent completes: Preclinical notifies the triage webhook");
    const delivery = await emulator.completeTestRun(EXAMPLE_AGENTS.triage, { passed_count: 9, failed_count: 1 });
    process.stdout.write(`    the receiver got: ${received(receiver)}, answered HTTP ${delivery.http_status}\n`);

    step("The receiver starts failing (HTTP 500), and two more test runs complete");
    receiver.status = 500;
    await emulator.completeTestRun(EXAMPLE_AGENTS.triage);
    await emulator.completeTestRun(EXAMPLE_AGENTS.triage);
    const failing = (await api.listWebhooks()).find((w) => w.agent_id === EXAMPLE_AGENTS.triage);
    process.stdout.write(`    triage webhook: consecutive_failures = ${failing?.consecutive_failures}\n`);

    step("cdktf diff: the refresh warns that the triage webhook's deliveries are failing");
    await cdktf(["diff", "--output", path.join(work, "cdktf.out")], work, env);
    receiver.status = 200;

    step("cdktf deploy with TF_VAR_triage_enabled=false: pausing the triage agent's webhook");
    await deploy({ TF_VAR_triage_enabled: "false" });
    const second = await api.listWebhooks();
    process.stdout.write(`${table(second)}\n`);
    const before = first.find((w) => w.agent_id === EXAMPLE_AGENTS.triage);
    const after = second.find((w) => w.agent_id === EXAMPLE_AGENTS.triage);
    if (!before || !after || before.id !== after.id || after.is_enabled) {
      throw new Error("the triage webhook was not updated in place");
    }
    process.stdout.write(`    triage: same id ${after.id}, enabled true -> false: updated in place\n`);

    step("cdktf destroy: deleting every webhook of the stack");
    await cdktf(["destroy", "--auto-approve", "--output", path.join(work, "cdktf.out")], work, env);
    process.stdout.write(`${table(await api.listWebhooks())}\n`);

    step("Done. The emulator and the receiver are stopped and the temporary folder removed.");
    return 0;
  } catch (err) {
    process.stderr.write(`\nThe demo failed: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  } finally {
    stop();
  }
}

main().then((code) => (process.exitCode = code));
