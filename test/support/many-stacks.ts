/**
 * Many pipelines, one organization: N plain-Terraform stacks (hand-written main.tf.json through our
 * provider), each with its own webhooks and its own state on the `pg` backend of one PostgreSQL server,
 * deployed at the same moment against an emulator that rate-limits. Shared by the end-to-end tests
 * (test/e2e/remote-state/), which assert the outcome, and scripts/reliability.ts, which writes the figures
 * into RELIABILITY.md.
 */
import * as fs from "node:fs";
import type { PreclinicalEmulator } from "../../src/emulator";
import { KEY } from "./emulator";
import { HclWorkspace, REQUIRED_PROVIDERS, type RunResult } from "./hcl-workspace";
import type { PostgresServer } from "./postgres";
import { webhookConfig, type WebhookDecl } from "./webhook-config";

/** Agent ids by stack and position: stack 3's second agent is ...-000300000002. */
export const stackAgent = (stack: number, i: number) =>
  `00000000-0000-4000-8000-${String(stack).padStart(8, "0")}${String(i).padStart(4, "0")}`;

/** Stack n's secret: each pipeline has its own. */
export const stackSecret = (stack: number) => `whsec_stack_${stack}_${"Mn8Stk".repeat(5)}`;

/** The `terraform` block of a stack whose state is in `server`, in a schema of its own. */
export function pgTerraformBlock(server: PostgresServer, schema: string): Record<string, unknown> {
  return { ...REQUIRED_PROVIDERS, backend: { pg: { conn_str: server.connectionString(), schema_name: schema } } };
}

/** One stack: its folder (a runner's checkout), what it declares, and the schema that holds its state. */
export interface Stack {
  readonly index: number;
  readonly schema: string;
  readonly ws: HclWorkspace;
  readonly webhooks: Record<string, WebhookDecl>;
  readonly config: Record<string, unknown>;
}

export interface StackOptions {
  readonly emulator: PreclinicalEmulator;
  readonly server: PostgresServer;
  readonly index: number;
  readonly webhooks: Record<string, WebhookDecl>;
  /** Provider settings; the deadline is long enough to wait out a rate limit shared with seven others. */
  readonly provider?: Record<string, unknown>;
}

/** A fresh runner folder for stack `index`, with its secret, the API key and the database password in its environment. */
export function stackRunner({ emulator, server, index, webhooks, provider }: StackOptions): Stack {
  const schema = `stack_${index}`;
  const ws = new HclWorkspace({ PRECLINICAL_API_KEY: KEY, TF_VAR_webhook_secret: stackSecret(index), ...server.env() });
  const config = {
    ...webhookConfig({
      apiUrl: emulator.url,
      webhooks,
      provider: { request_timeout_ms: 5000, deadline_ms: 120_000, ...provider },
    }),
    terraform: pgTerraformBlock(server, schema),
  };
  ws.write(config);
  return { index, schema, ws, webhooks, config };
}

/** Stack n's own webhooks: `perStack` agent-level ones, each with the stack's secret. */
export function stackWebhooks(index: number, perStack: number): Record<string, WebhookDecl> {
  return Object.fromEntries(
    Array.from({ length: perStack }, (_, i) => [
      `hook_${i}`,
      {
        url: `https://team-${index}.example.com/hooks/${i}`,
        agent_id: stackAgent(index, i),
        description: `stack ${index}, hook ${i}`,
        secret: true,
      },
    ]),
  );
}

/** What a deploy of one stack did. */
export interface Deploy {
  readonly stack: Stack;
  readonly result: RunResult;
  /** Seconds from the common start to this deploy's end (init and apply). */
  readonly seconds: number;
}

/** `terraform init` and `terraform apply` of every stack, all started at the same moment. */
export async function deployAtOnce(stacks: readonly Stack[], extraArgs: string[] = []): Promise<Deploy[]> {
  const start = Date.now();
  return Promise.all(
    stacks.map(async (stack) => {
      const init = await stack.ws.terraform(["init", "-input=false", "-no-color"]);
      const result =
        init.code !== 0
          ? init
          : await stack.ws.terraform(["apply", "-auto-approve", "-input=false", "-no-color", ...extraArgs]);
      return { stack, result, seconds: (Date.now() - start) / 1000 };
    }),
  );
}

/** How the API's webhooks compare with what the stacks declare. */
export interface Audit {
  readonly declared: number;
  /** Declared webhooks the API holds exactly as declared (url, description, agent, enabled, the stack's secret). */
  readonly exact: number;
  /** Scopes that hold more than one webhook, and declared URLs the API holds more than once. */
  readonly duplicates: number;
  /** Declared webhooks the API does not hold, or holds otherwise than declared. */
  readonly lost: string[];
  /** Webhooks the API holds that no stack declares. */
  readonly unexpected: number;
}

export function audit(emulator: PreclinicalEmulator, stacks: readonly Stack[]): Audit {
  const held = emulator.webhooks();
  const perScope = new Map<string | null, number>();
  const perUrl = new Map<string, number>();
  for (const w of held) {
    perScope.set(w.agent_id, (perScope.get(w.agent_id) ?? 0) + 1);
    perUrl.set(w.url, (perUrl.get(w.url) ?? 0) + 1);
  }
  const duplicates = [...perScope.values(), ...perUrl.values()].filter((n) => n > 1).length;
  const lost: string[] = [];
  let declared = 0;
  const declaredUrls = new Set<string>();
  for (const stack of stacks) {
    for (const [name, decl] of Object.entries(stack.webhooks)) {
      declared++;
      declaredUrls.add(decl.url);
      const w = held.find((h) => h.agent_id === (decl.agent_id ?? null));
      const exact =
        w !== undefined &&
        w.url === decl.url &&
        w.description === (decl.description ?? null) &&
        w.is_enabled === (decl.is_enabled ?? true) &&
        w.secret === (decl.secret ? stackSecret(stack.index) : null);
      if (!exact) lost.push(`stack ${stack.index} ${name}: ${w ? `held as ${JSON.stringify(w)}` : "not held"}`);
    }
  }
  const unexpected = held.filter((w) => !declaredUrls.has(w.url)).length;
  return { declared, exact: declared - lost.length, duplicates, lost, unexpected };
}

/** The ids each stack's state records, by resource name, read from its row of the states table. */
export async function stateIds(server: PostgresServer, stack: Stack): Promise<Record<string, string>> {
  const rows = await server.states();
  const row = rows.find((r) => r.schema === stack.schema && r.name === "default");
  if (!row) return {};
  const state = JSON.parse(row.data) as {
    resources?: { type: string; name: string; instances: { attributes: { id: string } }[] }[];
  };
  return Object.fromEntries(
    (state.resources ?? [])
      .filter((r) => r.type === "preclinical_webhook")
      .map((r) => [r.name, r.instances[0]?.attributes.id]),
  );
}

/**
 * Where any of `values` occurs: every row of every states table, every file of the stacks' folders and
 * everything terraform printed. One entry per artifact and value found ("<artifact>: <value's label>").
 */
export async function secretsFound(
  server: PostgresServer,
  stacks: readonly Stack[],
  values: Record<string, string>,
): Promise<string[]> {
  const artifacts: [string, string][] = [
    ...(await server.states()).map((r): [string, string] => [`states row ${r.schema}/${r.name}`, r.data]),
    ...stacks.flatMap((s) => [
      ...s.ws.files().map((f): [string, string] => [f, fs.readFileSync(f, "utf8")]),
      [`stack ${s.index} output`, s.ws.log.join("\n")] as [string, string],
    ]),
  ];
  return artifacts.flatMap(([name, text]) =>
    Object.entries(values)
      .filter(([, value]) => text.includes(value))
      .map(([label]) => `${name}: ${label}`),
  );
}

/** One phase of runPipelines: every stack deployed at the same moment. */
export interface PipelinePhase {
  readonly phase: string;
  readonly stacks: number;
  readonly webhooks: number;
  readonly requests: number;
  readonly rateLimited: number;
  /** Seconds from the common start until the last stack's deploy ended. */
  readonly seconds: number;
  /** Stacks whose single deploy succeeded. */
  readonly convergedInOne: number;
  readonly duplicates: number;
  readonly lost: number;
  readonly unexpected: number;
  readonly secretsFound: string[];
  /** The failed deploys' output, for the report. */
  readonly failures: string[];
}

/**
 * The scenario RELIABILITY.md reports: `stacks` new stacks on one pg backend (a schema each) deploy
 * `perStack` webhooks each at once ("new stacks": their first deploys take turns on Terraform's
 * database-wide creation lock), then all change at once ("changes"): every URL updated and two webhooks
 * added per stack; against an emulator limited to `rateLimit` requests per second per key.
 */
export async function runPipelines(options: {
  stacks: number;
  perStack: number;
  rateLimit: number;
  emulator: PreclinicalEmulator;
  server: PostgresServer;
}): Promise<PipelinePhase[]> {
  const { emulator, server } = options;
  const indexes = Array.from({ length: options.stacks }, (_, i) => 100 + i);
  emulator.setRateLimit({ requestsPerSecond: options.rateLimit });
  const phases: PipelinePhase[] = [];
  const all: Stack[] = [];
  const run = async (phase: string, webhooksOf: (index: number) => Record<string, WebhookDecl>) => {
    emulator.clearRequests();
    const stacks = indexes.map((index) => stackRunner({ emulator, server, index, webhooks: webhooksOf(index) }));
    all.push(...stacks);
    const deploys = await deployAtOnce(stacks, ["-lock-timeout=600s"]);
    const requests = emulator.requests();
    const result = audit(emulator, stacks);
    const values: Record<string, string> = { "API key": KEY, "database password": server.password };
    for (const i of indexes) values[`stack ${i}'s secret`] = stackSecret(i);
    phases.push({
      phase,
      stacks: stacks.length,
      webhooks: result.declared,
      requests: requests.length,
      rateLimited: requests.filter((r) => r.rateLimited).length,
      seconds: Math.max(...deploys.map((d) => d.seconds)),
      convergedInOne: deploys.filter((d) => d.result.code === 0).length,
      duplicates: result.duplicates,
      lost: result.lost.length,
      unexpected: result.unexpected,
      secretsFound: await secretsFound(server, stacks, values),
      failures: deploys.filter((d) => d.result.code !== 0).map((d) => d.result.output),
    });
  };
  try {
    await run("new stacks", (index) => stackWebhooks(index, options.perStack));
    await run("changes", (index) =>
      Object.fromEntries(
        Object.entries(stackWebhooks(index, options.perStack + 2)).map(([name, decl]) => [
          name,
          { ...decl, url: `${decl.url}/v2` },
        ]),
      ),
    );
  } finally {
    for (const s of all) s.ws.cleanup();
    emulator.setRateLimit(undefined);
  }
  return phases;
}
