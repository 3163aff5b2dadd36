/**
 * Fixtures of the preclinical-import tests: an organization "made in the UI" with hostile agent names,
 * descriptions and URLs and mixed enabled states (seedHostileOrganization), the command run in-process with
 * its output captured (importCli), and the project's Prettier run on files (prettierCheck).
 */
import { execFile } from "node:child_process";
import * as path from "node:path";
import { promisify } from "node:util";
import type { PreclinicalEmulator, StoredWebhook } from "../../src/emulator";
import { runImport } from "../../src/importer/bin";
import { HOSTILE_DESCRIPTIONS, HOSTILE_URLS } from "./inputs";

const ROOT = path.resolve(__dirname, "..", "..");

/** The i-th agent id of the hostile organization. */
export const hostileAgent = (i: number) => `7a000000-0000-4000-8000-${String(i).padStart(12, "0")}`;

/** Agent names people (and attackers) give agents: clashes, emoji, other scripts, code, reserved words. */
export const HOSTILE_AGENT_NAMES = [
  "Triage bot",
  "Triage bot",
  "🤖",
  "",
  "Org",
  "constructor",
  "__proto__",
  "123 Support",
  "Café Crème",
  "日本語エージェント",
  "*/ evil\n// name ${x} %{y}",
  "A very long agent name that goes on and on well past any sensible identifier length",
  "HTTPServer v2",
  "Straße",
  "toString",
  "x\u2028y\u2029z \u202eevil\u202c",
  "Billing",
  "Onboarding",
  "Refunds",
  "Scheduling",
  "Voice IVR",
  "Name read fails",
];

/** The agent whose GET /agents/{id} the organization's fault answers 404: deleted since its webhook was made. */
export const UNREADABLE_AGENT = hostileAgent(HOSTILE_AGENT_NAMES.length - 1);

/** Descriptions beyond HOSTILE_DESCRIPTIONS that target generated code and its comments. */
const MORE_DESCRIPTIONS = [
  "*/ /* // ends a comment",
  "line\u2028separator\u2029paragraph",
  "\u202eright-to-left override\u202c and zero\u200bwidth",
  "Cafe\u0301 (decomposed) and 👨‍👩‍👧 (joined)",
  "no-break\u00a0space, BOM\ufeff, C1 next line\u0085",
  "",
  "x".repeat(300),
  "ends with a backslash \\",
];

/** What seedHostileOrganization made: the webhooks the generated code declares, and those it must leave out. */
export interface HostileOrganization {
  readonly org: StoredWebhook;
  readonly declared: readonly StoredWebhook[];
  readonly leftOut: readonly StoredWebhook[];
}

/**
 * The agents of the hostile organization, for the emulator's `agents` option: every name above, and two more
 * agents whose webhooks the library refuses.
 */
export const HOSTILE_AGENTS = [...HOSTILE_AGENT_NAMES, "Plain http", "Terminal escape"].map((name, i) => ({
  id: hostileAgent(i),
  name,
}));

/**
 * Seeds `organization` as if made in the UI over months: an organization-level webhook and one webhook per
 * name of HOSTILE_AGENT_NAMES with hostile descriptions and URLs, every third one disabled; and two that the
 * library cannot declare (plain http on a public host, a terminal escape in the description). The agent
 * UNREADABLE_AGENT cannot be read (a queued 404 fault), as if deleted since.
 */
export function seedHostileOrganization(emulator: PreclinicalEmulator, organization = "default"): HostileOrganization {
  const descriptions = [...HOSTILE_DESCRIPTIONS, ...MORE_DESCRIPTIONS];
  const org = emulator.seedWebhook(organization, {
    url: "https://hooks.example.com/org?a=${b}&c=%{d}",
    description: 'All agents: "${everything}" %{ if true }',
  });
  const declared = HOSTILE_AGENT_NAMES.map((_, i) =>
    emulator.seedWebhook(organization, {
      url: i < HOSTILE_URLS.length ? HOSTILE_URLS[i] : `https://hooks.example.com/agents/${i}`,
      agent_id: hostileAgent(i),
      ...(i !== 3 && { description: descriptions[i % descriptions.length] }),
      is_enabled: i % 3 !== 0,
    }),
  );
  const n = HOSTILE_AGENT_NAMES.length;
  const leftOut = [
    emulator.seedWebhook(organization, { url: "http://hooks.example.com/plain", agent_id: hostileAgent(n) }),
    emulator.seedWebhook(organization, {
      url: "https://hooks.example.com/escape",
      agent_id: hostileAgent(n + 1),
      description: "\u001b[31mred",
    }),
  ];
  emulator.injectFault({
    method: "GET",
    path: `/agents/${UNREADABLE_AGENT}`,
    times: 1000,
    fault: { kind: "status", status: 404, body: JSON.stringify({ error: "agent not found", code: "AGENT_NOT_FOUND" }) },
  });
  return { org, declared: [org, ...declared], leftOut };
}

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs preclinical-import in this process, in `cwd`, with `env` as its whole environment. */
export async function importCli(args: string[], env: Record<string, string>, cwd: string): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runImport(
    args,
    env,
    (s) => out.push(s),
    (s) => err.push(s),
    cwd,
  );
  return { code, stdout: out.join("\n"), stderr: err.join("\n") };
}

const run = promisify(execFile);

/** `prettier --check` with the project's configuration; resolves to its output, rejects when a file fails. */
export async function prettierCheck(files: readonly string[]): Promise<string> {
  const prettier = path.join(ROOT, "node_modules", ".bin", "prettier");
  const { stdout, stderr } = await run(prettier, [
    "--config",
    path.join(ROOT, ".prettierrc.json"),
    "--check",
    ...files,
  ]);
  return `${stdout}${stderr}`;
}
