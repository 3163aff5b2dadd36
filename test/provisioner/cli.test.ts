/**
 * The provisioner CLI (src/provisioner/cli.ts) against the real emulator on a random loopback port. Each test
 * builds the PRECLINICAL_* environment the construct would set, runs one command in-process with
 * `runProvisioner`, and checks the exit code, the printed lines and what reached the API. The last group runs
 * the bundled CLI as its own process, the way Terraform's local-exec provisioner does.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer, type Server } from "node:http";
import { createServer as createNetServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { EMULATOR_DEFAULT_API_KEY, PreclinicalEmulator, type EmulatorOptions } from "../../src/emulator";
import { Env, PLAN_TIME_AGENT, encodeLedgerEntry, type LedgerEntry } from "../../src/provisioner/protocol";
import { runProvisioner } from "../../src/provisioner/cli";

const AGENT_A = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
const AGENT_B = "6ba7b811-9dad-11d1-80b4-00c04fd430c8";
const UNKNOWN_AGENT = "00000000-0000-4000-8000-000000000000";
const KEY = EMULATOR_DEFAULT_API_KEY;
const SECRET = "whsec_" + "s3cr3t".repeat(8);
const HOOK_URL = "https://hooks.example.com/preclinical";
const CONSTRUCT_PATH = "stack/triage-webhook";

const ROOT = resolve(__dirname, "../..");
const BUNDLE = join(ROOT, "dist/provisioner/preclinical-provisioner.cjs");

type Environment = Record<string, string | undefined>;

let emulator: PreclinicalEmulator;

/** The environment the construct sets on a provisioner, with fast timeouts; `undefined` removes a variable. */
function env(overrides: Environment = {}, apiUrl: string = emulator.url): Environment {
  const all: Environment = {
    [Env.API_URL]: apiUrl,
    PRECLINICAL_API_KEY: KEY,
    [Env.PATH]: CONSTRUCT_PATH,
    [Env.AGENT_ID]: "",
    [Env.URL]: HOOK_URL,
    [Env.IS_ENABLED]: "true",
    [Env.REQUEST_TIMEOUT_MS]: "2000",
    [Env.DEADLINE_MS]: "5000",
    ...overrides,
  };
  return Object.fromEntries(Object.entries(all).filter(([, value]) => value !== undefined));
}

interface Run {
  readonly code: number;
  readonly out: string[];
  readonly err: string[];
  /** Every printed line, stdout then stderr (a line may hold several text lines). */
  readonly lines: string[];
  readonly text: string;
}

async function run(args: readonly string[], environment: Environment): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runProvisioner(args, environment, { out: (l) => out.push(l), err: (l) => err.push(l) });
  const lines = [...out, ...err];
  return { code, out, err, lines, text: lines.join("\n") };
}

const requests = (method?: string) => emulator.requests().filter((r) => method === undefined || r.method === method);
const hookOf = (agentId: string | null, organization = "default") =>
  emulator.webhooks(organization).find((w) => w.agent_id === agentId);

/** One ledger as the construct writes it: construct path -> encoded entry. */
function ledger(entries: Record<string, Partial<LedgerEntry>>, apiUrl: string = emulator.url): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.entries(entries).map(([path, e]) => [
        path,
        encodeLedgerEntry({ apiUrl, apiKeyEnv: "PRECLINICAL_API_KEY", agentId: null, ...e }),
      ]),
    ),
  );
}

/** An emulator of its own for one test (other unknownAgent styles, other organizations). */
async function withEmulator(
  options: EmulatorOptions,
  fn: (other: PreclinicalEmulator) => Promise<void>,
): Promise<void> {
  const other = await PreclinicalEmulator.start(options);
  try {
    await fn(other);
  } finally {
    await other.close();
  }
}

/**
 * A pass-through proxy in front of the emulator that records every request body, so tests can check the
 * exact JSON the CLI sends (the emulator's log has no bodies).
 */
class RecordingProxy {
  readonly bodies: { method: string; path: string; body: unknown }[] = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(target: PreclinicalEmulator): Promise<RecordingProxy> {
    const origin = new URL(target.url).origin;
    let proxy: RecordingProxy | undefined;
    const server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const text = Buffer.concat(chunks).toString("utf8");
      proxy?.bodies.push({
        method: req.method ?? "GET",
        path: req.url ?? "",
        body: text === "" ? undefined : JSON.parse(text),
      });
      const upstream = await fetch(origin + req.url, {
        method: req.method,
        headers: { authorization: req.headers.authorization ?? "", "content-type": "application/json" },
        body: text === "" ? undefined : text,
      });
      res.writeHead(upstream.status, { "content-type": upstream.headers.get("content-type") ?? "application/json" });
      res.end(await upstream.text());
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const { port } = server.address() as AddressInfo;
    proxy = new RecordingProxy(server, `http://127.0.0.1:${port}/api/v1`);
    return proxy;
  }

  sent(method: string) {
    return this.bodies.filter((b) => b.method === method).map((b) => b.body);
  }

  close(): Promise<void> {
    return new Promise((done) => {
      this.server.close(() => done());
      this.server.closeAllConnections();
    });
  }
}

/** A loopback port on which nothing listens. */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

beforeAll(async () => {
  emulator = await PreclinicalEmulator.start({ agents: [{ id: AGENT_A }, { id: AGENT_B }] });
});
afterEach(() => emulator.reset());
afterAll(() => emulator.close());

// ---------------------------------------------------------------------------------------------------------

describe("claim", () => {
  test("a free scope: exit 0, says it is free", async () => {
    // Given an empty organization
    // When the agent scope is claimed
    const result = await run(["claim"], env({ [Env.AGENT_ID]: AGENT_A }));
    // Then
    expect(result.code).toBe(0);
    expect(result.out).toEqual([`preclinical: ${CONSTRUCT_PATH}: the scope of agent ${AGENT_A} is free`]);
    expect(result.err).toEqual([]);
    expect(requests().map((r) => r.method)).toEqual(["GET"]);
  });

  test.each([
    ["agent", AGENT_A, `scope of agent ${AGENT_A}`],
    ["organization", null, "organization-level scope"],
  ])(
    "the %s scope held by a webhook made in the UI: exit 1, names scope, id, adoptExisting and path",
    async (_, agentId, scope) => {
      // Given a webhook this stack did not create holds the scope
      const seeded = emulator.seedWebhook("default", { url: "https://ui.example.com/hook", agent_id: agentId });
      // When the scope is claimed
      const result = await run(["claim"], env({ [Env.AGENT_ID]: agentId ?? "" }));
      // Then the message says how to take it over
      expect(result.code).toBe(1);
      expect(result.out).toEqual([]);
      expect(result.err).toHaveLength(1);
      const message = result.err[0];
      expect(message).toContain(scope);
      expect(message).toContain(seeded.id);
      expect(message).toContain("`adoptExisting: true`");
      expect(message).toContain(CONSTRUCT_PATH);
      expect(requests().every((r) => r.method === "GET")).toBe(true);
      expect(emulator.webhooks()).toHaveLength(1);
    },
  );

  test("a held scope with PRECLINICAL_ADOPT_EXISTING=true: exit 0, adopting, nothing changed", async () => {
    // Given a webhook made in the UI
    const seeded = emulator.seedWebhook("default", {
      url: "https://ui.example.com/hook",
      agent_id: AGENT_A,
      description: "UI",
    });
    // When the construct claims the scope with adoptExisting
    const result = await run(["claim"], env({ [Env.AGENT_ID]: AGENT_A, [Env.ADOPT_EXISTING]: "true" }));
    // Then it adopts it, only reading
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      `preclinical: ${CONSTRUCT_PATH}: adopting webhook ${seeded.id} that already holds the scope of agent ${AGENT_A}`,
    ]);
    expect(requests().map((r) => r.method)).toEqual(["GET"]);
    expect(emulator.webhooks()).toEqual([seeded]);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe("converge", () => {
  let proxy: RecordingProxy;
  beforeEach(async () => {
    proxy = await RecordingProxy.start(emulator);
  });
  afterEach(() => proxy.close());

  test("an empty scope: POST with exactly the declared fields; the secret is stored", async () => {
    // Given an empty agent scope and a declaration without description
    // When converging
    const result = await run(["converge"], env({ [Env.AGENT_ID]: AGENT_A, [Env.SECRET]: SECRET }, proxy.url));
    // Then one POST carries exactly url, is_enabled, secret and agent_id
    expect(result.code).toBe(0);
    const created = hookOf(AGENT_A)!;
    expect(result.out).toEqual([`preclinical: ${CONSTRUCT_PATH}: created webhook ${created.id}`]);
    expect(proxy.sent("POST")).toEqual([{ url: HOOK_URL, is_enabled: true, secret: SECRET, agent_id: AGENT_A }]);
    expect(requests("PUT")).toHaveLength(0);
    expect(created).toMatchObject({ url: HOOK_URL, description: null, is_enabled: true, secret: SECRET });
  });

  test('PRECLINICAL_WEBHOOK_DESCRIPTION="" is sent as the empty string, not dropped', async () => {
    // Given an organization-level declaration with an empty description, disabled and without a secret
    const result = await run(["converge"], env({ [Env.DESCRIPTION]: "", [Env.IS_ENABLED]: "false" }, proxy.url));
    // Then the body has description "" and no agent_id or secret
    expect(result.code).toBe(0);
    expect(proxy.sent("POST")).toEqual([{ url: HOOK_URL, is_enabled: false, description: "" }]);
    expect(hookOf(null)).toMatchObject({ description: "", is_enabled: false, secret: null });
  });

  test("a held scope: PUT to the same id; absent description -> null, absent secret -> secret unchanged; no POST", async () => {
    // Given the scope holds a webhook with a description and a secret
    const seeded = emulator.seedWebhook("default", {
      url: "https://old.example.com/hook",
      agent_id: AGENT_A,
      description: "old",
      secret: SECRET,
      is_enabled: false,
    });
    // When converging a declaration without description or secret
    const result = await run(["converge"], env({ [Env.AGENT_ID]: AGENT_A }, proxy.url));
    // Then the same webhook is updated in place
    expect(result.code).toBe(0);
    expect(result.out).toEqual([`preclinical: ${CONSTRUCT_PATH}: updated webhook ${seeded.id} in place`]);
    expect(requests("POST")).toHaveLength(0);
    expect(requests("PUT").map((r) => r.path)).toEqual([`/api/v1/webhooks/${seeded.id}`]);
    expect(proxy.sent("PUT")).toEqual([{ url: HOOK_URL, description: null, is_enabled: true }]);
    expect(emulator.webhooks()).toHaveLength(1);
    expect(hookOf(AGENT_A)).toMatchObject({
      id: seeded.id,
      url: HOOK_URL,
      description: null,
      is_enabled: true,
      secret: SECRET,
    });
  });

  test("a held scope with a declared secret and description: the PUT carries both", async () => {
    // Given a webhook without secret
    const seeded = emulator.seedWebhook("default", { url: "https://old.example.com/hook" });
    // When converging with a secret and description
    const result = await run(["converge"], env({ [Env.SECRET]: SECRET, [Env.DESCRIPTION]: "All agents" }, proxy.url));
    // Then
    expect(result.code).toBe(0);
    expect(proxy.sent("PUT")).toEqual([{ url: HOOK_URL, description: "All agents", is_enabled: true, secret: SECRET }]);
    expect(hookOf(null)).toMatchObject({ id: seeded.id, description: "All agents", secret: SECRET });
  });

  test("the organization-level scope and an agent scope do not interfere", async () => {
    // Given an agent webhook exists
    const agentHook = emulator.seedWebhook("default", { url: "https://agent.example.com/hook", agent_id: AGENT_A });
    // When converging the organization-level scope (PRECLINICAL_AGENT_ID="")
    const org = await run(["converge"], env({ [Env.AGENT_ID]: "" }));
    // Then it creates the organization webhook, leaving the agent's alone
    expect(org.code).toBe(0);
    expect(requests("PUT")).toHaveLength(0);
    expect(hookOf(null)).toMatchObject({ url: HOOK_URL });
    expect(hookOf(AGENT_A)).toEqual(agentHook);

    // And when converging another agent's scope, while both exist
    emulator.clearRequests();
    const other = await run(["converge"], env({ [Env.AGENT_ID]: AGENT_B, [Env.URL]: "https://b.example.com/hook" }));
    // Then it creates that agent's webhook, and the organization one is untouched
    expect(other.code).toBe(0);
    expect(requests("PUT")).toHaveLength(0);
    expect(requests("POST")).toHaveLength(1);
    expect(hookOf(AGENT_B)).toMatchObject({ url: "https://b.example.com/hook" });
    expect(hookOf(null)).toMatchObject({ url: HOOK_URL });
    expect(hookOf(AGENT_A)).toEqual(agentHook);
  });

  test.each([
    [400, "NOT_FOUND"],
    [400, "AGENT_NOT_FOUND"],
    [404, "NOT_FOUND"],
    [404, "AGENT_NOT_FOUND"],
  ] as const)("an unknown agent answered %i %s: exit 1, says the agent does not exist", async (status, code) => {
    await withEmulator({ unknownAgent: { status, code } }, async (other) => {
      // Given an emulator that knows no agents
      // When converging a scope of an unknown agent
      const result = await run(["converge"], env({ [Env.AGENT_ID]: UNKNOWN_AGENT }, other.url));
      // Then
      expect(result.code).toBe(1);
      expect(result.err).toHaveLength(1);
      expect(result.err[0]).toContain(`Agent ${UNKNOWN_AGENT} (\`agentId\` of ${CONSTRUCT_PATH}) does not exist`);
      expect(other.requests().map((r) => [r.method, r.status])).toEqual([
        ["GET", 200],
        ["POST", status],
      ]);
      expect(other.webhooks()).toEqual([]);
    });
  });
});

// ---------------------------------------------------------------------------------------------------------

describe("delete", () => {
  test("deletes the scope's webhook and never another scope's", async () => {
    // Given webhooks for agent A, agent B and the organization
    const a = emulator.seedWebhook("default", { url: "https://a.example.com/hook", agent_id: AGENT_A });
    const b = emulator.seedWebhook("default", { url: "https://b.example.com/hook", agent_id: AGENT_B });
    const org = emulator.seedWebhook("default", { url: "https://org.example.com/hook" });
    // When deleting agent A's scope
    const result = await run(["delete"], env({ [Env.AGENT_ID]: AGENT_A }));
    // Then only agent A's webhook is gone
    expect(result.code).toBe(0);
    expect(result.out).toEqual([`preclinical: ${CONSTRUCT_PATH}: deleted webhook ${a.id}`]);
    expect(requests("DELETE").map((r) => r.path)).toEqual([`/api/v1/webhooks/${a.id}`]);
    expect(emulator.webhooks().map((w) => w.id)).toEqual([b.id, org.id]);
  });

  test("the organization-level scope deletes only the organization webhook", async () => {
    // Given an agent webhook listed before the organization's
    const a = emulator.seedWebhook("default", { url: "https://a.example.com/hook", agent_id: AGENT_A });
    const org = emulator.seedWebhook("default", { url: "https://org.example.com/hook" });
    // When deleting the organization-level scope
    const result = await run(["delete"], env({ [Env.AGENT_ID]: "" }));
    // Then
    expect(result.code).toBe(0);
    expect(requests("DELETE").map((r) => r.path)).toEqual([`/api/v1/webhooks/${org.id}`]);
    expect(emulator.webhooks().map((w) => w.id)).toEqual([a.id]);
  });

  test("an empty scope: exit 0, nothing to delete, no DELETE sent", async () => {
    // Given only another agent's webhook
    emulator.seedWebhook("default", { url: "https://b.example.com/hook", agent_id: AGENT_B });
    // When deleting agent A's scope
    const result = await run(["delete"], env({ [Env.AGENT_ID]: AGENT_A }));
    // Then
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      `preclinical: ${CONSTRUCT_PATH}: the scope of agent ${AGENT_A} holds no webhook; nothing to delete`,
    ]);
    expect(requests("DELETE")).toHaveLength(0);
    expect(emulator.webhooks()).toHaveLength(1);
  });

  test("a DELETE answered 404 NOT_FOUND (deleted meanwhile) is success", async () => {
    // Given the webhook exists when listed, but the DELETE is answered 404
    const a = emulator.seedWebhook("default", { url: "https://a.example.com/hook", agent_id: AGENT_A });
    emulator.injectFault({
      method: "DELETE",
      fault: { kind: "status", status: 404, body: JSON.stringify({ error: "Webhook not found", code: "NOT_FOUND" }) },
    });
    // When deleting
    const result = await run(["delete"], env({ [Env.AGENT_ID]: AGENT_A }));
    // Then
    expect(result.code).toBe(0);
    expect(result.out).toEqual([`preclinical: ${CONSTRUCT_PATH}: webhook ${a.id} was already deleted`]);
    expect(requests("DELETE")).toHaveLength(1); // a 404 is not retried
  });
});

// ---------------------------------------------------------------------------------------------------------

describe("converge rejects a value the construct could not have written", () => {
  test.each(["True", "yes", "1", ""])("PRECLINICAL_WEBHOOK_IS_ENABLED=%j fails before any request", async (value) => {
    const result = await run(["converge"], env({ [Env.IS_ENABLED]: value }));
    expect(result.code).toBe(1);
    expect(result.text).toContain("`isEnabled` must be true or false");
    expect(requests()).toHaveLength(0);
  });
});

describe("reconcile", () => {
  test("deletes the scopes that are no longer declared, keeps those still declared under another path", async () => {
    // Given webhooks for the organization, agent A and agent B
    const org = emulator.seedWebhook("default", { url: "https://org.example.com/hook" });
    const a = emulator.seedWebhook("default", { url: "https://a.example.com/hook", agent_id: AGENT_A });
    const b = emulator.seedWebhook("default", { url: "https://b.example.com/hook", agent_id: AGENT_B });
    // When the previous ledger {a: org, b: A, c: B} becomes {a: org, d: B} (d declares B's id in upper case)
    const result = await run(
      ["reconcile"],
      env({
        [Env.LEDGER_PREVIOUS]: ledger({
          "stack/a": {},
          "stack/b": { agentId: AGENT_A },
          "stack/c": { agentId: AGENT_B },
        }),
        [Env.LEDGER_CURRENT]: ledger({ "stack/a": {}, "stack/d": { agentId: AGENT_B.toUpperCase() } }),
      }),
    );
    // Then only agent A's webhook is deleted: b is removed and its scope undeclared; c's scope is still d's
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      `preclinical: stack/b: deleted webhook ${a.id}`,
      `preclinical: stack/c: removed, but its scope of agent ${AGENT_B} is still declared; kept`,
    ]);
    expect(requests("DELETE").map((r) => r.path)).toEqual([`/api/v1/webhooks/${a.id}`]);
    expect(emulator.webhooks().map((w) => w.id)).toEqual([org.id, b.id]);
  });

  test("keeps agent scopes of removed constructs when a current construct's agent is known only at plan time", async () => {
    // Given agent A's webhook, and a current construct whose agent id was a token at synth
    const a = emulator.seedWebhook("default", { url: "https://a.example.com/hook", agent_id: AGENT_A });
    const org = emulator.seedWebhook("default", { url: "https://org.example.com/hook" });
    // When construct b (agent A) and the org-level construct o are removed
    const result = await run(
      ["reconcile"],
      env({
        [Env.LEDGER_PREVIOUS]: ledger({ "stack/b": { agentId: AGENT_A }, "stack/o": {} }),
        [Env.LEDGER_CURRENT]: ledger({ "stack/renamed": { agentId: PLAN_TIME_AGENT } }),
      }),
    );
    // Then agent A's webhook is kept (the token may name agent A) and the org-level one is deleted
    expect(result.code).toBe(0);
    expect(result.text).toContain(`stack/b: removed, but its scope of agent ${AGENT_A} was not deleted`);
    expect(emulator.webhooks().map((w) => w.id)).toEqual([a.id]);
    expect(requests("DELETE").map((r) => r.path)).toEqual([`/api/v1/webhooks/${org.id}`]);
  });

  /** Two removed constructs whose DELETE of agent A's webhook is always answered 500; the ledger sets no path. */
  async function reconcileWithFailingDelete() {
    const a = emulator.seedWebhook("default", { url: "https://a.example.com/hook", agent_id: AGENT_A });
    const b = emulator.seedWebhook("default", { url: "https://b.example.com/hook", agent_id: AGENT_B });
    emulator.injectFault({
      method: "DELETE",
      path: `/webhooks/${a.id}`,
      times: 100,
      fault: { kind: "status", status: 500 },
    });
    const result = await run(
      ["reconcile"],
      env({
        [Env.PATH]: undefined, // the ledger's provisioner sets no construct path (src/construct/ledger.ts)
        [Env.DEADLINE_MS]: "600", // bounds the retries of the 500s
        [Env.LEDGER_PREVIOUS]: ledger({ "stack/a": { agentId: AGENT_A }, "stack/b": { agentId: AGENT_B } }),
        [Env.LEDGER_CURRENT]: ledger({}),
      }),
    );
    return { a, b, result };
  }

  test("one delete that keeps failing: the others are still deleted; exit 1 says they are still recorded", async () => {
    // Given two removed constructs, and DELETE of agent A's webhook always answered 500
    // When reconciling
    const { a, b, result } = await reconcileWithFailingDelete();
    // Then b's webhook is deleted after a's failure, and the failure is explained
    expect(result.code).toBe(1);
    expect(result.out).toEqual([`preclinical: stack/b: deleted webhook ${b.id}`]);
    expect(emulator.webhooks().map((w) => w.id)).toEqual([a.id]);
    expect(requests("DELETE").filter((r) => r.path.endsWith(a.id)).length).toBeGreaterThan(1); // 500 was retried
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toContain(`could not delete the webhook of the scope of agent ${AGENT_A}`);
    expect(result.err[0]).toContain("1 webhook(s) of removed constructs could not be deleted");
    expect(result.err[0]).toContain("still recorded");
  });

  test("one delete that keeps failing: the message names the removed construct's path", async () => {
    const { result } = await reconcileWithFailingDelete();
    expect(result.err[0]).toContain(`stack/a: could not delete the webhook of the scope of agent ${AGENT_A}`);
  });

  test("entries of different API keys use their own key (two organizations)", async () => {
    const KEY_ONE = "sk_test_OrganizationOne0123456789abcdefghijklm";
    const KEY_TWO = "sk_test_OrganizationTwo0123456789abcdefghijklm";
    await withEmulator(
      { organizations: { [KEY_ONE]: "one", [KEY_TWO]: "two" }, agents: [{ id: AGENT_A }] },
      async (other) => {
        // Given both organizations have an organization-level and an agent A webhook
        const oneOrg = other.seedWebhook("one", { url: "https://one.example.com/org" });
        other.seedWebhook("one", { url: "https://one.example.com/a", agent_id: AGENT_A });
        other.seedWebhook("two", { url: "https://two.example.com/org" });
        const twoA = other.seedWebhook("two", { url: "https://two.example.com/a", agent_id: AGENT_A });
        // When removing one's organization-level construct and two's agent A construct (each key in its own variable)
        const result = await run(
          ["reconcile"],
          env(
            {
              PRECLINICAL_API_KEY: undefined,
              KEY_ONE_VAR: KEY_ONE,
              KEY_TWO_VAR: KEY_TWO,
              [Env.LEDGER_PREVIOUS]: ledger(
                { "one/org": { apiKeyEnv: "KEY_ONE_VAR" }, "two/a": { apiKeyEnv: "KEY_TWO_VAR", agentId: AGENT_A } },
                other.url,
              ),
              [Env.LEDGER_CURRENT]: ledger({}, other.url),
            },
            other.url,
          ),
        );
        // Then each delete went to its own organization
        expect(result.code).toBe(0);
        expect(other.requests().every((r) => r.status !== 401)).toBe(true);
        const deletes = other.requests().filter((r) => r.method === "DELETE");
        expect(deletes.map((r) => [r.organization, r.path])).toEqual([
          ["one", `/api/v1/webhooks/${oneOrg.id}`],
          ["two", `/api/v1/webhooks/${twoA.id}`],
        ]);
        expect(other.webhooks("one").map((w) => w.agent_id)).toEqual([AGENT_A]);
        expect(other.webhooks("two").map((w) => w.agent_id)).toEqual([null]);
        expect(result.text).not.toContain(KEY_ONE);
        expect(result.text).not.toContain(KEY_TWO);
      },
    );
  });

  test("an undecodable ledger entry: exit 1 with a message, not a rejected promise", async () => {
    const previous = JSON.stringify({ "stack/old": JSON.stringify({ apiUrl: emulator.url, agentId: null }) });
    const result = await run(["reconcile"], env({ [Env.LEDGER_PREVIOUS]: previous, [Env.LEDGER_CURRENT]: "{}" }));
    expect(result.code).toBe(1);
    expect(result.err.join("\n")).toContain("stack/old");
  });
});

// ---------------------------------------------------------------------------------------------------------

describe("failures", () => {
  test("a missing API key variable: exit 1, names the variable, sends no request", async () => {
    // Given the key variable is named but not set
    const result = await run(
      ["converge"],
      env({ PRECLINICAL_API_KEY: undefined, [Env.API_KEY_ENV]: "MY_PRECLINICAL_KEY" }),
    );
    // Then
    expect(result.code).toBe(1);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toContain("The environment variable MY_PRECLINICAL_KEY is not set");
    expect(requests()).toEqual([]);
  });

  test.each(["claim", "delete"])("a missing API key variable on %s sends no request either", async (command) => {
    const result = await run([command], env({ PRECLINICAL_API_KEY: undefined }));
    expect(result.code).toBe(1);
    expect(result.err[0]).toContain("The environment variable PRECLINICAL_API_KEY is not set");
    expect(requests()).toEqual([]);
  });

  test("a wrong key: exit 1 with the 401 message naming the variable, without the key", async () => {
    // Given a key the API does not know, in a custom variable
    const wrong = "sk_live_" + "WrongKey".repeat(5);
    const result = await run(
      ["claim"],
      env({ PRECLINICAL_API_KEY: undefined, [Env.API_KEY_ENV]: "CI_KEY", CI_KEY: wrong }),
    );
    // Then
    expect(result.code).toBe(1);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toContain("rejected the API key in CI_KEY (401)");
    expect(result.text).not.toContain(wrong);
    expect(requests().map((r) => r.status)).toEqual([401]); // 401 is not retried
  });

  test("an unreachable API: exit 1 within the deadline, suggests checking the URL", async () => {
    // Given nothing listens on the port
    const url = `http://127.0.0.1:${await closedPort()}/api/v1`;
    // When converging with a 1.5 s deadline
    const started = Date.now();
    const result = await run(["converge"], env({ [Env.DEADLINE_MS]: "1500" }, url));
    // Then it gives up in bounded time
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result.code).toBe(1);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toContain("ECONNREFUSED");
    expect(result.err[0]).toContain("Check the API URL");
  });

  test("a 200 answer that is not JSON: the message points at /api/v1", async () => {
    // Given a proxy or web page answers instead of the API
    emulator.injectFault({ method: "GET", path: "/webhooks", fault: { kind: "notJson" } });
    const result = await run(["claim"], env());
    // Then
    expect(result.code).toBe(1);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toContain("not JSON");
    expect(result.err[0]).toContain("/api/v1");
  });

  test.each([[[]], [["apply"]], [["CLAIM"]]])("an unknown command %j: exit 2 with usage, no request", async (args) => {
    const result = await run(args, env());
    expect(result.code).toBe(2);
    expect(result.out).toEqual([]);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toMatch(/^usage: preclinical-provisioner <claim\|converge\|delete\|reconcile>/);
    expect(requests()).toEqual([]);
  });

  test.each([["toString"], ["constructor"], ["hasOwnProperty"], ["__proto__"]])(
    "an inherited property name %s as command: exit 2 with usage",
    async (command) => {
      const result = await run([command], env());
      expect(result.code).toBe(2);
      expect(result.err[0]).toMatch(/^usage:/);
    },
  );

  test.each([
    ["claim", Env.API_URL],
    ["converge", Env.API_URL],
    ["delete", Env.API_URL],
    ["converge", Env.URL],
    ["converge", Env.IS_ENABLED],
    ["reconcile", Env.LEDGER_PREVIOUS],
  ])("%s without %s: exit 1, says to run cdktf synth again", async (command, missing) => {
    const base = command === "reconcile" ? { [Env.LEDGER_CURRENT]: "{}" } : {};
    const result = await run([command], env({ ...base, [missing]: undefined }));
    expect(result.code).toBe(1);
    expect(result.err).toHaveLength(1);
    expect(result.err[0]).toContain(`The provisioner was started without ${missing}`);
    expect(result.err[0]).toContain("run cdktf synth again");
    expect(requests().filter((r) => r.method !== "GET")).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------------------

describe("secrets", () => {
  const echo = JSON.stringify({ error: `bad secret ${SECRET} for key ${KEY}`, code: "INVALID_FIELD_VALUE" });

  test.each([
    ["POST", "an empty scope"],
    ["PUT", "a held scope"],
  ])("with debug on, a %s error body echoing the secret and key (%s) prints neither", async (method, _) => {
    // Given the server echoes both values in a 400 error body
    if (method === "PUT") emulator.seedWebhook("default", { url: "https://old.example.com/hook" });
    emulator.injectFault({ method, path: "/webhooks", fault: { kind: "status", status: 400, body: echo } });
    // When converging with a secret and debug output
    const result = await run(["converge"], env({ [Env.SECRET]: SECRET, [Env.DEBUG]: "1" }));
    // Then it fails, debug lines appear, and no line holds either value
    expect(result.code).toBe(1);
    expect(result.err.some((l) => l.startsWith("preclinical debug: "))).toBe(true);
    expect(result.text).toContain("[REDACTED]");
    for (const line of result.lines) {
      expect(line).not.toContain(SECRET);
      expect(line).not.toContain(KEY);
    }
  });

  test("debug output has one line per API attempt, successful ones included", async () => {
    const result = await run(["converge"], env({ [Env.DEBUG]: "1" }));
    expect(result.code).toBe(0);
    expect(result.err.filter((l) => l.startsWith("preclinical debug: "))).toHaveLength(2);
  });

  test("a non-JSON error body echoing a secret that contains a quote does not print it", async () => {
    const quoted = 'whsec_"quoted"_' + "x".repeat(20);
    emulator.injectFault({
      method: "POST",
      path: "/webhooks",
      fault: { kind: "status", status: 400, body: `bad secret ${quoted}` },
    });
    const result = await run(["converge"], env({ [Env.SECRET]: quoted }));
    expect(result.code).toBe(1);
    expect(result.text).not.toContain(JSON.stringify(quoted).slice(1, -1)); // whsec_\"quoted\"_xxx...
    expect(result.text).not.toContain(quoted);
  });

  test("a non-JSON error body that echoes the key across the excerpt cut does not print most of it", async () => {
    emulator.injectFault({
      method: "GET",
      path: "/webhooks",
      fault: { kind: "status", status: 400, body: "y".repeat(41) + KEY },
    });
    const result = await run(["claim"], env());
    expect(result.code).toBe(1);
    expect(result.text).not.toContain(KEY.slice(0, 24));
  });
});

// ---------------------------------------------------------------------------------------------------------

describe("the bundled CLI", () => {
  const execFileAsync = promisify(execFile);
  let cwd: string;

  beforeAll(async () => {
    if (!existsSync(BUNDLE)) await execFileAsync("npm", ["run", "build"], { cwd: ROOT });
    cwd = mkdtempSync(join(tmpdir(), "preclinical-cli-"));
  }, 120_000);
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  test("converge runs from a folder without node_modules: exit 0, created, prints neither secret nor key", async () => {
    // Given a clean environment: PATH and the provisioner's variables only (no NODE_PATH)
    const childEnv = { PATH: process.env.PATH ?? "", ...env({ [Env.SECRET]: SECRET }) } as Record<string, string>;
    // When Terraform's local-exec would run it
    const { stdout, stderr } = await execFileAsync(process.execPath, [BUNDLE, "converge"], {
      cwd,
      env: childEnv,
      timeout: 15_000,
    });
    // Then (execFile rejects on a non-zero exit code)
    const created = hookOf(null)!;
    expect(created).toMatchObject({ url: HOOK_URL, secret: SECRET });
    expect(stdout.split("\n")).toContain(`preclinical: ${CONSTRUCT_PATH}: created webhook ${created.id}`);
    expect(stderr).toBe("");
    for (const text of [stdout, stderr]) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(KEY);
    }
  });
});
