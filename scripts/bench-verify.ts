/**
 * The delivery verification section of `npm run bench`: a deploy of 50 `PreclinicalWebhook`s on the provider
 * engine with `verifyDelivery: true` (a `preclinical_webhook_test` per webhook, as the construct writes it)
 * next to the same 50 without it, in one run, alternating which goes first. The webhooks' URLs are paths of
 * one loopback receiver, so every test delivery really arrives. Per deploy: wall time of `terraform apply`
 * (synthesis and init not counted), its phases from Terraform's own event stream (`-json`), the API requests
 * by kind from the emulator's log, and the deliveries the receiver got.
 */
import * as os from "node:os";
import { PreclinicalConnection, PreclinicalEngine, PreclinicalWebhook } from "../src";
import {
  EMULATOR_DEFAULT_API_KEY,
  WebhookReceiver,
  type PreclinicalEmulator,
  type RequestLogEntry,
} from "../src/emulator";
import { Workspace, type Program } from "../test/support/terraform";
import type { Stat } from "./bench-provider";

type StatOf = (values: number[]) => Stat;

const COUNT = 50;
/** terraform apply's default -parallelism. */
const PARALLELISM = 10;
const agent = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

/** The kinds of request a deploy makes, in the table's order. */
const KINDS = {
  "POST /webhooks": (r: RequestLogEntry) => r.method === "POST" && r.path === "/api/v1/webhooks",
  "POST /webhooks/{id}/test": (r: RequestLogEntry) =>
    r.method === "POST" && /^\/api\/v1\/webhooks\/[^/]+\/test$/.test(r.path),
  "GET /webhooks": (r: RequestLogEntry) => r.method === "GET" && r.path.startsWith("/api/v1/webhooks"),
  "GET /agents": (r: RequestLogEntry) => r.method === "GET" && r.path.startsWith("/api/v1/agents"),
} as const;
type Kind = keyof typeof KINDS | "other";

interface Sample {
  applyMs: number;
  /** From the start of `terraform apply` to its first "Creating...": start-up, refresh and plan. */
  planMs: number;
  /** From the first "Creating..." to the last "Creation complete". */
  createsMs: number;
  /** From the last "Creation complete" to the exit. */
  tailMs: number;
  /** Each webhook's create, "Creating..." to "Creation complete", as Terraform saw it. */
  webhookMs: number[];
  /** Each test resource's create, likewise. */
  testMs: number[];
  requests: Record<Kind, number>;
  deliveries: number;
}

/** 50 webhooks (the first organization-level), each on its own path of the receiver. */
function program(emulatorUrl: string, receiver: WebhookReceiver, verifyDelivery: boolean): Program {
  return (stack) => {
    const connection = new PreclinicalConnection(stack, "preclinical", {
      engine: PreclinicalEngine.PROVIDER,
      apiUrl: emulatorUrl,
    });
    for (let i = 0; i < COUNT; i++) {
      new PreclinicalWebhook(stack, `hook-${i}`, {
        url: receiver.url(`/hook-${i}`),
        agentId: i === 0 ? undefined : agent(i),
        connection,
        verifyDelivery,
      });
    }
  };
}

interface UiEvent {
  "@timestamp": string;
  type: string;
  hook?: { resource?: { addr: string; resource_type: string } };
}

/** The apply's phases, from the timestamps of Terraform's `-json` events. */
function phases(
  stdout: string,
  started: number,
  ended: number,
): Pick<Sample, "planMs" | "createsMs" | "tailMs" | "webhookMs" | "testMs"> {
  const events = stdout
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as UiEvent)
    .filter((e) => (e.type === "apply_start" || e.type === "apply_complete") && e.hook?.resource);
  const at = (e: UiEvent) => Date.parse(e["@timestamp"]);
  const starts = events.filter((e) => e.type === "apply_start");
  const completes = events.filter((e) => e.type === "apply_complete");
  if (starts.length === 0 || completes.length !== starts.length)
    throw new Error("apply -json: no creates, or some unfinished");
  const firstStart = Math.min(...starts.map(at));
  const lastComplete = Math.max(...completes.map(at));
  const startOf = new Map(starts.map((e) => [e.hook!.resource!.addr, at(e)]));
  const durations = (type: string) =>
    completes
      .filter((e) => e.hook!.resource!.resource_type === type)
      .map((e) => at(e) - startOf.get(e.hook!.resource!.addr)!);
  return {
    planMs: firstStart - started,
    createsMs: lastComplete - firstStart,
    tailMs: ended - lastComplete,
    webhookMs: durations("preclinical_webhook"),
    testMs: durations("preclinical_webhook_test"),
  };
}

function byKind(log: readonly RequestLogEntry[]): Record<Kind, number> {
  const counts = Object.fromEntries([...Object.keys(KINDS), "other"].map((k) => [k, 0])) as Record<Kind, number>;
  for (const r of log) {
    const kind = (Object.keys(KINDS) as (keyof typeof KINDS)[]).find((k) => KINDS[k](r)) ?? "other";
    counts[kind]++;
  }
  return counts;
}

async function deployOnce(
  emulator: PreclinicalEmulator,
  receiver: WebhookReceiver,
  verifyDelivery: boolean,
): Promise<Sample> {
  emulator.reset();
  receiver.reset();
  const ws = new Workspace({ PRECLINICAL_API_KEY: EMULATOR_DEFAULT_API_KEY });
  try {
    const stackDir = ws.synth(program(emulator.url, receiver, verifyDelivery));
    const init = await ws.terraform(stackDir, ["init", "-input=false", "-no-color"]);
    if (init.code !== 0) throw new Error(init.output);
    emulator.clearRequests();
    const started = Date.now();
    const apply = await ws.terraform(stackDir, ["apply", "-auto-approve", "-input=false", "-no-color", "-json"]);
    const ended = Date.now();
    if (apply.code !== 0) throw new Error(`apply failed:\n${apply.output}`);
    const deliveries = receiver.received().length;
    if (emulator.webhooks().length !== COUNT) throw new Error(`created ${emulator.webhooks().length} of ${COUNT}`);
    if (deliveries !== (verifyDelivery ? COUNT : 0)) throw new Error(`the receiver got ${deliveries} deliveries`);
    return {
      applyMs: ended - started,
      ...phases(apply.stdout, started, ended),
      requests: byKind(emulator.requests()),
      deliveries,
    };
  } finally {
    ws.cleanup();
  }
}

/** The load averages (1, 5, 15 minutes) as `uptime` prints them. */
const load = () => os.loadavg().map((n) => n.toFixed(2)) as [string, string, string];

export async function benchVerify(
  emulator: PreclinicalEmulator,
  stat: StatOf,
  opts: { quick: boolean; log: (l: string) => void },
) {
  const runs = opts.quick ? 1 : 3;
  const loadBefore = load();
  const receiver = await WebhookReceiver.start();
  const samples = { off: [] as Sample[], on: [] as Sample[] };
  try {
    for (let r = 0; r < runs; r++) {
      for (const side of r % 2 ? (["off", "on"] as const) : (["on", "off"] as const)) {
        const sample = await deployOnce(emulator, receiver, side === "on");
        samples[side].push(sample);
        opts.log(
          `verify ${side} ${COUNT}: ${sample.applyMs} ms, ${JSON.stringify(sample.requests)}, ${sample.deliveries} deliveries`,
        );
      }
    }
  } finally {
    await receiver.close();
  }
  const summary = (list: Sample[]) => ({
    applyMs: stat(list.map((s) => s.applyMs)),
    planMs: stat(list.map((s) => s.planMs)),
    createsMs: stat(list.map((s) => s.createsMs)),
    tailMs: stat(list.map((s) => s.tailMs)),
    webhookMs: stat(list.flatMap((s) => s.webhookMs)),
    testMs: list[0].testMs.length ? stat(list.flatMap((s) => s.testMs)) : undefined,
    requests: Object.fromEntries(
      Object.keys(list[0].requests).map((k) => [k, stat(list.map((s) => s.requests[k as Kind]))]),
    ) as Record<Kind, Stat>,
    deliveries: stat(list.map((s) => s.deliveries)),
  });
  return { count: COUNT, loadBefore, loadAfter: load(), off: summary(samples.off), on: summary(samples.on) };
}

export type VerifyResults = Awaited<ReturnType<typeof benchVerify>>;

export const VERIFY_HEADING = "\n## 7. Delivery verification";

export function renderVerify(v: VerifyResults, fmt: (s: Stat, digits?: number) => string): string {
  const seconds = (s: Stat) => fmt({ ...s, median: s.median / 1000, min: s.min / 1000, max: s.max / 1000 }, 2);
  const added = (a: Stat, b: Stat, digits = 2, scale = 1000) => {
    const d = (b.median - a.median) / scale;
    return `${d >= 0 ? "+" : ""}${d.toFixed(digits)}`;
  };
  const count = (s: Stat) => (s.min === s.max ? String(s.median) : fmt(s));
  const timeRow = (name: string, key: "applyMs" | "planMs" | "createsMs" | "tailMs") =>
    `| ${name} | ${seconds(v.off[key])} | ${seconds(v.on[key])} | ${added(v.off[key], v.on[key])} |`;
  const requestRows = (Object.keys(v.on.requests) as Kind[]).map(
    (k) =>
      `| ${k} | ${count(v.off.requests[k])} | ${count(v.on.requests[k])} | ${added(v.off.requests[k], v.on.requests[k], 0, 1)} |`,
  );
  const total = (side: "off" | "on") => Object.values(v[side].requests).reduce((n, s) => n + s.median, 0);
  const median = (s: Stat | undefined) => (s ? s.median.toFixed(0) : "-");
  const extra = (v.on.applyMs.median - v.off.applyMs.median) / 1000;
  return `${VERIFY_HEADING} (\`verifyDelivery\`, a deploy of ${v.count})

A deploy of ${v.count} \`PreclinicalWebhook\`s on the provider engine (cdktf synthesis, then \`terraform apply\`
from an empty state; only the apply is timed) with \`verifyDelivery: true\`, which adds a
\`preclinical_webhook_test\` per webhook, next to the same ${v.count} without it: ${v.on.applyMs.runs} runs each,
alternating which goes first. Every URL is a path of one loopback receiver, so each test delivery arrives.
The phases come from the timestamps of Terraform's own \`-json\` events. Load average (as \`uptime\` prints
it) ${v.loadBefore.join(", ")} before the section and ${v.loadAfter.join(", ")} after.

| per deploy | verification off | verification on | added |
|---|---|---|---|
${timeRow("apply wall time, s", "applyMs")}
${timeRow("start to the first create (start-up, refresh, plan), s", "planMs")}
${timeRow("first create to the last one done, s", "createsMs")}
${timeRow("last create done to exit, s", "tailMs")}
| one webhook's create, as Terraform saw it, ms | ${fmt(v.off.webhookMs)} | ${fmt(v.on.webhookMs)} | |
| one test's create, likewise, ms | - | ${v.on.testMs ? fmt(v.on.testMs) : "-"} | |
| API requests | ${total("off")} | ${total("on")} | +${total("on") - total("off")} |
${requestRows.join("\n")}
| deliveries the receiver got | ${count(v.off.deliveries)} | ${count(v.on.deliveries)} | |

Verification adds ${extra.toFixed(2)} s (${((extra / (v.off.applyMs.median / 1000)) * 100).toFixed(0)}%) to the apply and one request per webhook, POST /webhooks/{id}/test, which
answers once its delivery to the receiver has. Where the time goes: ${added(v.off.planMs, v.on.planMs)} s before the first create, where
Terraform validates and plans ${v.count} more resources, and ${added(v.off.createsMs, v.on.createsMs)} s in the creates, where each test starts
only once its own webhook is created and the ${v.count} tests share \`terraform apply\`'s ${PARALLELISM} parallel operations
with the ${v.count} webhooks (medians: a test's create ${median(v.on.testMs)} ms, a webhook's ${median(v.on.webhookMs)} ms). Each row is the
median of its own runs, so the phases need not add up to the wall time.
`;
}
