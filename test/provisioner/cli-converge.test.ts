/**
 * `converge`, the config resource's create provisioner: it creates the scope's webhook or updates it in
 * place, sending exactly the declared fields, and rejects values the construct could not have written. The
 * CLI runs in-process against the emulator, here behind a proxy that records the request bodies.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { PreclinicalEmulator } from "../../src/emulator";
import { Env } from "../../src/provisioner/protocol";
import { AGENT_A, AGENT_B, UNKNOWN_AGENT, UNKNOWN_AGENT_ANSWERS } from "../support/agents";
import { apiRequests, byAgent, emulator, useSharedEmulator, withEmulator } from "../support/emulator";
import { CONSTRUCT_PATH, env, run } from "../support/provisioner";
import { HOOK_URL, SECRET } from "../support/inputs";

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

useSharedEmulator();

describe("converge", () => {
  let proxy: RecordingProxy;
  beforeEach(async () => {
    proxy = await RecordingProxy.start(emulator);
  });
  afterEach(() => proxy.close());

  test("an empty scope gets one POST with exactly the declared fields, and the secret is stored", async () => {
    // Given an empty agent scope and a declaration without description
    // When converging
    const result = await run(["converge"], env({ [Env.AGENT_ID]: AGENT_A, [Env.SECRET]: SECRET }, proxy.url));
    // Then one POST carries exactly url, is_enabled, secret and agent_id
    expect(result.code).toBe(0);
    const created = byAgent(AGENT_A)!;
    expect(result.out).toEqual([`preclinical: ${CONSTRUCT_PATH}: created webhook ${created.id}`]);
    expect(proxy.sent("POST")).toEqual([{ url: HOOK_URL, is_enabled: true, secret: SECRET, agent_id: AGENT_A }]);
    expect(apiRequests("PUT")).toHaveLength(0);
    expect(created).toMatchObject({ url: HOOK_URL, description: null, is_enabled: true, secret: SECRET });
  });

  test('PRECLINICAL_WEBHOOK_DESCRIPTION="" is sent as the empty string, not dropped', async () => {
    // Given an organization-level declaration with an empty description, disabled and without a secret
    const result = await run(["converge"], env({ [Env.DESCRIPTION]: "", [Env.IS_ENABLED]: "false" }, proxy.url));
    // Then the body has description "" and no agent_id or secret
    expect(result.code).toBe(0);
    expect(proxy.sent("POST")).toEqual([{ url: HOOK_URL, is_enabled: false, description: "" }]);
    expect(byAgent(null)).toMatchObject({ description: "", is_enabled: false, secret: null });
  });

  test("a held scope gets a PUT to the same id that clears an absent description and keeps the secret, and no POST", async () => {
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
    expect(apiRequests("POST")).toHaveLength(0);
    expect(apiRequests("PUT").map((r) => r.path)).toEqual([`/api/v1/webhooks/${seeded.id}`]);
    expect(proxy.sent("PUT")).toEqual([{ url: HOOK_URL, description: null, is_enabled: true }]);
    expect(emulator.webhooks()).toHaveLength(1);
    expect(byAgent(AGENT_A)).toMatchObject({
      id: seeded.id,
      url: HOOK_URL,
      description: null,
      is_enabled: true,
      secret: SECRET,
    });
  });

  test("a held scope with a declared secret and description gets a PUT that carries both", async () => {
    // Given a webhook without secret
    const seeded = emulator.seedWebhook("default", { url: "https://old.example.com/hook" });
    // When converging with a secret and description
    const result = await run(["converge"], env({ [Env.SECRET]: SECRET, [Env.DESCRIPTION]: "All agents" }, proxy.url));
    // Then
    expect(result.code).toBe(0);
    expect(proxy.sent("PUT")).toEqual([{ url: HOOK_URL, description: "All agents", is_enabled: true, secret: SECRET }]);
    expect(byAgent(null)).toMatchObject({ id: seeded.id, description: "All agents", secret: SECRET });
  });

  test("the organization-level scope and an agent scope do not interfere", async () => {
    // Given an agent webhook exists
    const agentHook = emulator.seedWebhook("default", { url: "https://agent.example.com/hook", agent_id: AGENT_A });
    // When converging the organization-level scope (PRECLINICAL_AGENT_ID="")
    const org = await run(["converge"], env({ [Env.AGENT_ID]: "" }));
    // Then it creates the organization webhook, leaving the agent's alone
    expect(org.code).toBe(0);
    expect(apiRequests("PUT")).toHaveLength(0);
    expect(byAgent(null)).toMatchObject({ url: HOOK_URL });
    expect(byAgent(AGENT_A)).toEqual(agentHook);

    // And when converging another agent's scope, while both exist
    emulator.clearRequests();
    const other = await run(["converge"], env({ [Env.AGENT_ID]: AGENT_B, [Env.URL]: "https://b.example.com/hook" }));
    // Then it creates that agent's webhook, and the organization one is untouched
    expect(other.code).toBe(0);
    expect(apiRequests("PUT")).toHaveLength(0);
    expect(apiRequests("POST")).toHaveLength(1);
    expect(byAgent(AGENT_B)).toMatchObject({ url: "https://b.example.com/hook" });
    expect(byAgent(null)).toMatchObject({ url: HOOK_URL });
    expect(byAgent(AGENT_A)).toEqual(agentHook);
  });

  test.each(UNKNOWN_AGENT_ANSWERS)(
    "an unknown agent answered %i %s exits 1 and says the agent does not exist",
    async (status, code) => {
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
    },
  );
});

describe("converge rejects a value the construct could not have written", () => {
  test.each(["True", "yes", "1", ""])("PRECLINICAL_WEBHOOK_IS_ENABLED=%j fails before any request", async (value) => {
    const result = await run(["converge"], env({ [Env.IS_ENABLED]: value }));
    expect(result.code).toBe(1);
    expect(result.text).toContain("`isEnabled` must be true or false");
    expect(apiRequests()).toHaveLength(0);
  });
});
