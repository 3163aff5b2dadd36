/**
 * The fault-injected deploy of RELIABILITY.md: N webhooks created, updated and destroyed with real
 * terraform while the emulator fails a seeded random share of the requests. Shared by the reliability test
 * (which asserts the outcome) and scripts/reliability.ts (which writes the figures).
 */
import type { TerraformStack } from "cdktf";
import { PreclinicalConnection, PreclinicalEngine, PreclinicalWebhook } from "../../src";
import { PreclinicalEmulator, type FaultKind } from "../../src/emulator";
import { KEY } from "./emulator";
import { Workspace, type Program, type RunResult } from "./terraform";

/** Every kind of fault the issue names, drawn uniformly. */
export const CHAOS_FAULTS: readonly FaultKind[] = [
  { kind: "status", status: 429, retryAfter: "1" },
  { kind: "status", status: 429 },
  { kind: "status", status: 500 },
  { kind: "status", status: 502 },
  { kind: "status", status: 503 },
  { kind: "drop" },
  { kind: "delay", ms: 2500 }, // longer than the 1000 ms requestTimeoutMs below
  { kind: "applyThenDrop" },
  { kind: "applyThenFail", status: 500 },
];

export interface PhaseResult {
  readonly phase: string;
  /** Exit codes of the applies it took, in order (the last is 0 when the phase converged). */
  readonly applies: number[];
  readonly seconds: number;
  readonly requests: number;
  readonly faulted: Record<string, number>;
  /** Whether the API then held exactly what the phase declared (and the foreign webhook, untouched). */
  readonly exact: boolean;
  readonly problems: string[];
  /** Why the applies that failed did: the CLI's messages, one line each. */
  readonly failures: string[];
}

export interface ChaosReport {
  readonly engine: PreclinicalEngine;
  readonly webhooks: number;
  readonly rate: number;
  readonly seed: number;
  readonly phases: PhaseResult[];
}

const agentId = (i: number) => `00000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

export async function runChaos(options: {
  webhooks: number;
  rate: number;
  seed: number;
  maxApplies?: number;
  /** @default PreclinicalEngine.PROVIDER */
  engine?: PreclinicalEngine;
}): Promise<ChaosReport> {
  const { webhooks, rate, seed } = options;
  const engine = options.engine ?? PreclinicalEngine.PROVIDER;
  const maxApplies = options.maxApplies ?? 3;
  // Webhook 0 is organization-level; the others belong to agents 1..N-1; agent N has a foreign webhook.
  const emulator = await PreclinicalEmulator.start({
    agents: Array.from({ length: webhooks + 1 }, (_, i) => ({ id: agentId(i) })),
  });
  const ws = new Workspace({ PRECLINICAL_API_KEY: KEY });
  const foreign = emulator.seedWebhook("default", {
    url: "https://ui.example.com/foreign",
    agent_id: agentId(webhooks),
  });
  const urlOf = (i: number, version: number) => `https://hooks.example.com/v${version}/${i}`;

  /** Version 0 declares the connection and no webhook (the connection keeps the ledger or provider block). */
  const program =
    (version: number): Program =>
    (stack: TerraformStack) => {
      const connection = new PreclinicalConnection(stack, "preclinical", {
        engine,
        apiUrl: emulator.url,
        requestTimeoutMs: 1000,
        deadlineMs: 30000,
      });
      for (let i = 0; version > 0 && i < webhooks; i++) {
        new PreclinicalWebhook(stack, `hook-${i}`, {
          url: urlOf(i, version),
          agentId: i === 0 ? undefined : agentId(i),
          connection,
        });
      }
    };

  const phases: PhaseResult[] = [];
  async function phase(
    name: string,
    run: () => Promise<RunResult>,
    expected: Map<string | null, string>,
  ): Promise<void> {
    emulator.clearRequests();
    emulator.setChaos({ rate, seed: seed + phases.length, faults: CHAOS_FAULTS });
    const started = Date.now();
    const applies: number[] = [];
    const failures: string[] = [];
    do {
      const result = await run();
      applies.push(result.code);
      if (result.code !== 0) failures.push(...failureLines(engine, result.output));
    } while (applies[applies.length - 1] !== 0 && applies.length < maxApplies);
    const seconds = (Date.now() - started) / 1000;
    emulator.setChaos(undefined);

    const requests = emulator.requests();
    const faulted: Record<string, number> = {};
    for (const r of requests) if (r.faulted) faulted[r.faulted] = (faulted[r.faulted] ?? 0) + 1;

    const problems: string[] = [];
    const held = emulator.webhooks().filter((w) => w.id !== foreign.id);
    const byScope = new Map<string | null, number>();
    for (const w of held) byScope.set(w.agent_id, (byScope.get(w.agent_id) ?? 0) + 1);
    for (const [scope, count] of byScope) if (count > 1) problems.push(`${count} webhooks in scope ${scope}`);
    for (const [scope, url] of expected) {
      const w = held.find((h) => h.agent_id === scope);
      if (!w) problems.push(`missing: scope ${scope}`);
      else if (w.url !== url) problems.push(`scope ${scope} holds ${w.url}, declared ${url}`);
    }
    for (const w of held)
      if (!expected.has(w.agent_id)) problems.push(`undeclared webhook ${w.id} in scope ${w.agent_id}`);
    const foreignNow = emulator.webhooks().find((w) => w.id === foreign.id);
    if (!foreignNow || foreignNow.updated_at !== foreign.updated_at || foreignNow.url !== foreign.url) {
      problems.push("the foreign webhook was changed or deleted");
    }
    phases.push({
      phase: name,
      applies,
      seconds,
      requests: requests.length,
      faulted,
      exact: problems.length === 0,
      problems,
      failures,
    });
  }

  const declared = (version: number) =>
    new Map(Array.from({ length: webhooks }, (_, i) => [i === 0 ? null : agentId(i), urlOf(i, version)] as const));
  try {
    await phase("create", () => ws.deploy(program(1)), declared(1));
    await phase("update", () => ws.deploy(program(2)), declared(2));
    await phase("remove from code", () => ws.deploy(program(0)), new Map());
    return { engine, webhooks, rate, seed, phases };
  } finally {
    ws.cleanup();
    await emulator.close();
  }
}

/** What a failed apply said, one line per failure, as a pipeline log shows it. */
function failureLines(engine: PreclinicalEngine, output: string): string[] {
  if (engine === PreclinicalEngine.PROVIDER) {
    // A diagnostic: "Error: <summary>", then where ("with <address>," / "on <file> line <n>"), then the detail.
    const lines = output.split("\n");
    const found: string[] = [];
    lines.forEach((line, i) => {
      if (!line.startsWith("Error: ")) return;
      // The detail is the first paragraph after the location lines; Terraform wraps it, so it is joined.
      const rest = lines.slice(i + 1);
      const start = rest.findIndex((l) => l.trim() !== "" && !/^\s*(with |on |\d+:|[│╷╵])/.test(l));
      const paragraph =
        start < 0 ? [] : rest.slice(start, rest.findIndex((l, j) => j > start && l.trim() === "") >>> 0);
      const detail = paragraph
        .map((l) => l.trim())
        .join(" ")
        .replace(/ Nothing else was changed.*$/, "");
      found.push(`${line.slice("Error: ".length).trim()}: ${detail}`);
    });
    return [...new Set(found)];
  }
  const unwrapped = output.replace(/\n(?!preclinical:|\S+ \S+: |$)/g, " ");
  // Terraform prints a failed provisioner's output twice (as it streams, and in the error): keep one.
  const lines = (unwrapped.match(/preclinical: [^\n]*could not[^\n]*/g) ?? []).map((l) =>
    l
      .replace(/\s+/g, " ")
      .replace(/ Nothing was lost:.*$/, "")
      .trim(),
  );
  return [...new Set(lines)];
}
