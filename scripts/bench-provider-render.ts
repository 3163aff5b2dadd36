/**
 * Section 6 of BENCHMARKS.md from the figures of scripts/bench-provider.ts: the tables, then each goal of
 * issue 19 judged from the figures of the same run, and the notes kept by hand in bench/provider-notes.md
 * (the profile's findings above the tables; below the goals, why the missed ones are missed and where the
 * remaining cost sits), which the figures do not write themselves.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import type { ProviderResults, Stat } from "./bench-provider";
import { renderHttp2 } from "./bench-http2";

type Fmt = (s: Stat, digits?: number) => string;

const NOTES = path.resolve(__dirname, "..", "..", "bench", "provider-notes.md");
const REMAINING = "<!-- remaining -->";

/** The hand-kept notes: what comes before REMAINING goes above the tables, the rest below the goals. */
function notes(): { findings: string; remaining: string } {
  const text = fs.existsSync(NOTES) ? fs.readFileSync(NOTES, "utf8") : "";
  const at = text.indexOf(REMAINING);
  return at < 0
    ? { findings: text.trim(), remaining: "" }
    : { findings: text.slice(0, at).trim(), remaining: text.slice(at + REMAINING.length).trim() };
}

const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
const goal = (ok: boolean) => (ok ? "**met**" : "**not met**");
const total = (requests: Record<string, number>) => Object.values(requests).reduce((a, b) => a + b, 0);
const posts = (requests: Record<string, number>) => requests["POST /webhooks"] ?? 0;
const listed = (requests: Record<string, number>) =>
  Object.entries(requests)
    .map(([route, n]) => `${route} ${n}`)
    .join(", ") || "none";

export function renderProvider(p: ProviderResults, fmt: Fmt): string {
  const { findings, remaining } = notes();
  const create = (n: number) => p.creates.find((c) => c.count === n);
  const lines: string[] = [];
  const push = (...l: string[]) => lines.push(...l);

  push(
    "## 6. The native provider (plain `*.tf.json`, no cdktf; issue 19)",
    "",
    `Load average (1, 5, 15 min) ${p.loadBefore.join(", ")} at the start of this section and ${p.loadAfter.join(", ")} at its end,`,
    "on 2 cores shared with other work: wall times are noisier than the CPU times and the request counts.",
    "",
  );
  if (findings) push(findings, "");

  // Goals, judged from this run's figures.
  const goals: string[] = [];
  const c50 = create(50);
  const c200 = create(200);
  if (c50?.provider && c50.curl)
    goals.push(
      `Create of 50 at most 1.5× the curl stack: ${ratio(c50.provider.median, c50.curl.median)}, ${goal(c50.provider.median <= 1.5 * c50.curl.median)}.`,
    );
  if (c200?.provider && c200.curl)
    goals.push(
      `Create of 200 at most 1.0× the curl stack: ${ratio(c200.provider.median, c200.curl.median)}, ${goal(c200.provider.median <= c200.curl.median)}.`,
    );
  const slope = (kind: "provider" | "curl" | "bare") =>
    c50?.[kind] && c200?.[kind] ? (c200[kind].median - c50[kind].median) / (c200.count - c50.count) : undefined;
  const [sp, sc, sb] = [slope("provider"), slope("curl"), slope("bare")];
  if (sp !== undefined && sc !== undefined)
    goals.push(
      `Cost per extra webhook from 50 to 200 below the curl stack's: ${sp.toFixed(1)} ms against ${sc.toFixed(1)} ms` +
        `${sb !== undefined ? ` (bare terraform_data ${sb.toFixed(1)} ms)` : ""}, ${goal(sp < sc)}.`,
    );
  const requestGoal = p.creates.every((c) => posts(c.requests) === c.count && total(c.requests) - c.count <= 3);
  goals.push(
    `API requests per create, 1 per webhook plus at most 3 for the one terraform command: ` +
      p.creates.map((c) => `${c.count} + ${total(c.requests) - posts(c.requests)} at ${c.count}`).join(", ") +
      `, ${goal(requestGoal)}.`,
  );
  const { node, firstStart, codeCache } = p.startup;
  goals.push(
    `Start to the handshake at most 1.3× \`node -e 0\`: with the code cache ${ratio(codeCache.wallMs.median, node.wallMs.median)} ` +
      `(${goal(codeCache.wallMs.median <= 1.3 * node.wallMs.median)}), on a first start without it ` +
      `${ratio(firstStart.wallMs.median, node.wallMs.median)} (${goal(firstStart.wallMs.median <= 1.3 * node.wallMs.median)}), ` +
      `wall time; in CPU time ${ratio(codeCache.cpuMs.median, node.cpuMs.median)} and ${ratio(firstStart.cpuMs.median, node.cpuMs.median)}.`,
  );
  const big = p.plans[p.plans.length - 1];
  if (big)
    goals.push(
      `No-op plan of ${big.count}: one API request (${total(big.requests)} against a webhook list paged by 100, ` +
        `${goal(total(big.requests) === 1)}` +
        (big.wholeListRequests
          ? `; ${total(big.wholeListRequests)} against a list sent whole, as the API documents it, ${goal(total(big.wholeListRequests) === 1)}`
          : "") +
        `) and at most 3× ` +
        `the plan of ${big.count} bare terraform_data (${ratio(big.provider.median, big.bare.median)}, ${goal(big.provider.median <= 3 * big.bare.median)}).`,
    );

  push(
    "### Create from an empty state (`terraform apply`, code cache warm)",
    "",
    `Wall ms, median (range) of ${c50?.provider?.runs ?? 1} runs each (one at 1000), the three stacks rotating, against one emulator per N`,
    "that knows the agents the webhooks name; the provider's API requests counted by the emulator.",
    "",
    "| N | provider engine | curl stack | bare terraform_data | provider / curl | provider ms per webhook | curl ms per webhook | API requests (provider) |",
    "|---|---|---|---|---|---|---|---|",
    ...p.creates.map(
      (c) =>
        `| ${c.count} | ${fmt(c.provider!)} | ${fmt(c.curl!)} | ${fmt(c.bare!)} | ${ratio(c.provider!.median, c.curl!.median)} | ` +
        `${(c.provider!.median / c.count).toFixed(1)} | ${(c.curl!.median / c.count).toFixed(1)} | ${total(c.requests)}: ${listed(c.requests)} |`,
    ),
    "",
  );
  if (p.fresh.provider && c50?.provider)
    push(
      `On a fresh runner (an empty cache folder: no code cache, no record of the plan's checks), the create of ` +
        `${p.fresh.count} took ${fmt(p.fresh.provider)} ms (${p.fresh.provider.runs} runs), against ${c50.provider.median.toFixed(0)} ms with a warm ` +
        `cache above; its requests: ${listed(p.fresh.requests)}.`,
      "",
    );

  push(
    "### No-op `terraform plan` after the apply",
    "",
    "Wall ms, median (range), the stacks alternating; the provider's API requests counted by the emulator. The",
    "emulator pages the webhook list by 100 when asked to, as assumption 5 allows for (src/api/assumptions.ts);",
    "the provider's plan runs once more in each round against the list sent whole, as the API documents it.",
    "",
    "| N | provider engine | curl stack | bare terraform_data | provider / bare | API requests (provider) | provider, whole list | its API requests |",
    "|---|---|---|---|---|---|---|---|",
    ...p.plans.map(
      (r) =>
        `| ${r.count} | ${fmt(r.provider)} | ${r.curl ? fmt(r.curl) : "-"} | ${fmt(r.bare)} | ${ratio(r.provider.median, r.bare.median)} | ${total(r.requests)}: ${listed(r.requests)} | ` +
        // (figures saved before the whole-list run have none)
        (r.providerWholeList && r.wholeListRequests
          ? `${fmt(r.providerWholeList)} | ${total(r.wholeListRequests)}: ${listed(r.wholeListRequests)} |`
          : "- | - |"),
    ),
    "",
  );

  // Figures saved before the teardown was measured have none.
  if (p.teardowns?.length)
    push(
      `### Teardown: Shutdown to exit (creates, TF_LOG=debug, ${p.teardowns[0].shipped.applyMs.runs} runs each, alternating)`,
      "",
      'From the provider\'s "shutdown requested" log line to Terraform\'s "plugin process exited", per provider',
      "process: the plan's and the apply's processes, which spoke to the API, apart from the schema's and the",
      "validate's, which did not. \"V8 defaults\" runs the same provider without src/api/startup.ts's flag",
      "(`--liftoff-only`, set through scripts/v8-defaults-hook.ts): V8 then recompiles undici's WebAssembly HTTP",
      "parser on a background thread, and the exit waits for it. Each has a warm code cache of its own.",
      "",
      "| N | provider | apply wall ms | exit ms, processes that spoke to the API | exit ms, the others |",
      "|---|---|---|---|---|",
      ...p.teardowns.flatMap((t) =>
        (
          [
            ["as shipped (`--liftoff-only`)", t.shipped],
            ["V8 defaults", t.v8Defaults],
          ] as const
        ).map(([name, s]) => `| ${t.count} | ${name} | ${fmt(s.applyMs)} | ${fmt(s.apiMs)} | ${fmt(s.otherMs)} |`),
      ),
      "",
    );

  // Figures saved before the provider had its own HTTP/2 server have no such table.
  if (p.http2?.length) push(...renderHttp2(p.http2, fmt));

  push(
    `### Start-up to the handshake line (${node.wallMs.runs} runs each, alternating)`,
    "",
    "Wall time from spawn to the handshake line, and the process's CPU time (user + system) to it. A first start",
    "has no code cache (PRECLINICAL_PROVIDER_CODE_CACHE=off, as on a runner whose home folder is new); the",
    "warm one reads the cache a validate's provider processes wrote.",
    "",
    "| | wall ms | CPU ms | wall / node | CPU / node |",
    "|---|---|---|---|---|",
    ...(
      [
        ["`node -e 0`", node],
        ["provider, first start (no code cache)", firstStart],
        ["provider, with the code cache", codeCache],
      ] as const
    ).map(
      ([name, s]) =>
        `| ${name} | ${fmt(s.wallMs)} | ${fmt(s.cpuMs)} | ${ratio(s.wallMs.median, node.wallMs.median)} | ${ratio(s.cpuMs.median, node.cpuMs.median)} |`,
    ),
    "",
  );
  push("### Goals of issue 19, judged from the figures above", "", ...goals.map((g) => `- ${g}`), "");
  if (remaining) push(remaining, "");
  return `\n${lines.join("\n")}`;
}
