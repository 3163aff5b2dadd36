/**
 * The `preclinical_webhook` resource's plan without Terraform: defaults, the write-only secret, replacement,
 * and the checks a planned create makes against the API (agent known, scope free). A real PreclinicalClient
 * talks to a real emulator on a random port.
 */
import { messages } from "../../src/messages";
import { DiagnosticsError } from "../../src/provider/protocol/definition";
import { UNKNOWN } from "../../src/provider/protocol/values";
import { AGENT_A, AGENT_B, AGENT_C, UNKNOWN_AGENT } from "../support/agents";
import { URL_2, stateOf, useWebhookEmulator, webhook } from "../support/webhook-resource";
import { SECRET, SECRET_2 } from "../support/inputs";
import { KEY } from "../support/emulator";
import { closedPort } from "../support/net";

const env = useWebhookEmulator();
const { newSession, resourceWith, seed, requestLines } = env;

describe("plan", () => {
  test("plans a create with id and created_at unknown and is_enabled true when the configuration leaves it out", async () => {
    const config = webhook({ description: "All runs" });
    const result = await resourceWith().plan({ prior: null, proposed: config, config });
    expect(result.planned).toEqual(
      webhook({
        description: "All runs",
        id: UNKNOWN,
        created_at: UNKNOWN,
        is_enabled: true,
        api_url: env.emulator.url,
      }),
    );
    expect(result.requiresReplace ?? []).toEqual([]);
    expect(result.diagnostics).toEqual([]);
  });

  test("keeps is_enabled false when the configuration says false", async () => {
    const config = webhook({ is_enabled: false });
    const result = await resourceWith().plan({ prior: null, proposed: config, config });
    expect(result.planned?.is_enabled).toBe(false);
  });

  test("plans the secret as null whatever the configuration and proposal carry (write-only)", async () => {
    const config = webhook({ secret: SECRET, secret_version: "1" });
    const created = await resourceWith().plan({ prior: null, proposed: config, config });
    expect(created.planned?.secret).toBeNull();
    expect(created.planned?.secret_version).toBe("1");

    const hook = seed();
    const prior = stateOf(hook, { secret_version: "1" });
    const updated = await resourceWith().plan({
      prior,
      proposed: { ...prior, secret: SECRET_2, secret_version: "2" },
      config: webhook({ secret: SECRET_2, secret_version: "2" }),
    });
    expect(updated.planned?.secret).toBeNull();
    expect(JSON.stringify(updated)).not.toContain(SECRET_2);
  });

  test("plans an update that keeps id and created_at from the prior state", async () => {
    const hook = seed({ description: "old" });
    const prior = stateOf(hook);
    const config = webhook({ url: URL_2, description: "new" });
    const result = await resourceWith().plan({
      prior,
      proposed: { ...config, id: prior.id, created_at: prior.created_at, is_enabled: true },
      config,
    });
    expect(result.planned).toEqual({ ...prior, url: URL_2, description: "new", is_enabled: true });
    expect(result.requiresReplace ?? []).toEqual([]);
  });

  test("plans is_enabled back to true when the configuration leaves it out and the proposal carries the prior false (drift shows)", async () => {
    const hook = seed({ is_enabled: false });
    const prior = stateOf(hook); // paused in the UI: the refreshed state says false
    const config = webhook();
    const result = await resourceWith().plan({ prior, proposed: { ...prior }, config });
    expect(result.planned?.is_enabled).toBe(true);
    expect(result.planned?.id).toBe(hook.id);
  });

  test("plans a replacement when agent_id changes, naming agent_id", async () => {
    const hook = seed({ agent_id: AGENT_A });
    const prior = stateOf(hook);
    const config = webhook({ agent_id: AGENT_B });
    env.emulator.clearRequests();
    const result = await resourceWith().plan({ prior, proposed: { ...prior, agent_id: AGENT_B }, config });
    expect(result.requiresReplace).toEqual(["agent_id"]);
    expect(result.planned).toMatchObject({ agent_id: AGENT_B, id: UNKNOWN, created_at: UNKNOWN });
    // The checks run when Terraform plans the create of the replacement (prior null), not here.
    expect(requestLines()).toEqual([]);
  });

  test("plans no replacement when agent_id changes only in case (the same UUID)", async () => {
    const hook = seed({ agent_id: AGENT_A });
    const prior = stateOf(hook);
    const upper = AGENT_A.toUpperCase();
    const result = await resourceWith().plan({
      prior,
      proposed: { ...prior, agent_id: upper },
      config: webhook({ agent_id: upper }),
    });
    expect(result.requiresReplace ?? []).toEqual([]);
    expect(result.planned).toMatchObject({ id: hook.id, created_at: hook.created_at });
  });

  test("plans a destroy as null", async () => {
    const prior = stateOf(seed());
    const result = await resourceWith().plan({ prior, proposed: null, config: null });
    expect(result.planned).toBeNull();
  });
});

describe("plan-time checks of a create", () => {
  test("passes a free scope of a known agent after one agents list and one webhooks list", async () => {
    const config = webhook({ agent_id: AGENT_A });
    const result = await resourceWith().plan({ prior: null, proposed: config, config });
    expect(result.diagnostics).toEqual([]);
    expect(requestLines()).toEqual(["GET /agents", "GET /webhooks"]);
  });

  test("the creates of one process share one agents list, whatever the number of agent webhooks", async () => {
    const resource = resourceWith();
    const plans = [AGENT_A, AGENT_B, AGENT_A.toUpperCase()].map((agent_id) => {
      const config = webhook({ agent_id });
      return resource.plan({ prior: null, proposed: config, config });
    });
    for (const result of await Promise.all(plans)) expect(result.diagnostics).toEqual([]);
    expect(requestLines()).toEqual(["GET /agents", "GET /webhooks"]);
  });

  test("an agent created after the list was read is found with one GET /agents/{id}, asked once", async () => {
    const resource = resourceWith();
    const first = webhook({ agent_id: AGENT_A });
    await resource.plan({ prior: null, proposed: first, config: first });
    env.emulator.addAgent({ id: AGENT_C, name: "Created since" });
    for (let i = 0; i < 2; i++) {
      const later = webhook({ agent_id: AGENT_C });
      expect((await resource.plan({ prior: null, proposed: later, config: later })).diagnostics).toEqual([]);
    }
    expect(requestLines()).toEqual(["GET /agents", "GET /webhooks", `GET /agents/${AGENT_C}`]);
  });

  test("an agents list the API answers wrongly falls back to one GET /agents/{id} per agent", async () => {
    env.emulator.injectFault({ method: "GET", path: /^\/agents$/, fault: { kind: "badSchema" }, times: 5 });
    const config = webhook({ agent_id: AGENT_A });
    const result = await resourceWith().plan({ prior: null, proposed: config, config });
    expect(result.diagnostics).toEqual([]);
    expect(requestLines().filter((line) => line.startsWith("GET /agents"))).toEqual([
      "GET /agents",
      `GET /agents/${AGENT_A}`,
    ]);
  });

  test("fails on an unknown agent with an error on agent_id", async () => {
    const config = webhook({ agent_id: UNKNOWN_AGENT });
    const result = await resourceWith().plan({ prior: null, proposed: config, config });
    expect(result.diagnostics).toEqual([
      {
        severity: "error",
        summary: "Cannot create the Preclinical webhook",
        detail: messages.agentUnknown(UNKNOWN_AGENT),
        attribute: "agent_id",
      },
    ]);
  });

  test("fails on an agent's scope held by another webhook, naming the holder's id", async () => {
    const holder = seed({ agent_id: AGENT_A, url: "https://ui.example.com/made-in-ui" });
    const config = webhook({ agent_id: AGENT_A });
    const result = await resourceWith().plan({ prior: null, proposed: config, config });
    expect(result.diagnostics).toHaveLength(1);
    expect(result.diagnostics?.[0]).toMatchObject({ severity: "error", attribute: "agent_id" });
    // The agent is named as the organization knows it: a reviewer need not look its id up.
    expect(result.diagnostics?.[0].detail).toBe(messages.scopeHeld(AGENT_A, holder, "Triage bot"));
    expect(result.diagnostics?.[0].detail).toContain('agent 6ba7b810-9dad-11d1-80b4-00c04fd430c8 ("Triage bot")');
    expect(result.diagnostics?.[0].detail).toContain(holder.id);
  });

  test("fails on a held organization-level scope, naming the holder, without an attribute", async () => {
    const holder = seed({ url: "https://ui.example.com/org" });
    const config = webhook();
    const result = await resourceWith().plan({ prior: null, proposed: config, config });
    expect(result.diagnostics).toEqual([
      { severity: "error", summary: "Cannot create the Preclinical webhook", detail: messages.scopeHeld(null, holder) },
    ]);
  });

  test("counts an agent's scope held under another spelling of the agent id as held", async () => {
    const holder = seed({ agent_id: AGENT_A });
    const config = webhook({ agent_id: AGENT_A.toUpperCase() });
    const result = await resourceWith().plan({ prior: null, proposed: config, config });
    expect(result.diagnostics?.[0]?.detail).toContain(holder.id);
  });

  test("warns instead, naming the holder, when adopt_existing is set", async () => {
    const holder = seed({ agent_id: AGENT_A });
    const config = webhook({ agent_id: AGENT_A, adopt_existing: true });
    const result = await resourceWith().plan({ prior: null, proposed: config, config });
    expect(result.diagnostics).toEqual([
      {
        severity: "warning",
        summary: "Existing webhook will be adopted",
        detail: messages.willAdopt(AGENT_A, holder, "Triage bot"),
      },
    ]);
  });

  test("checks nothing and sends no request when agent_id is unknown until apply", async () => {
    seed({ agent_id: AGENT_A });
    const config = webhook({ agent_id: UNKNOWN });
    const result = await resourceWith().plan({ prior: null, proposed: config, config });
    expect(result.diagnostics).toEqual([]);
    expect(result.planned).toMatchObject({ agent_id: UNKNOWN, id: UNKNOWN });
    expect(env.emulator.requests()).toEqual([]);
  });

  test("turns a rejected API key into an error that names the key's variable", async () => {
    const config = webhook();
    const plan = resourceWith(newSession("sk_live_" + "W".repeat(40))).plan({ prior: null, proposed: config, config });
    await expect(plan).rejects.toBeInstanceOf(DiagnosticsError);
    await expect(plan).rejects.toMatchObject({
      diagnostics: [
        expect.objectContaining({
          severity: "error",
          summary: "GET /webhooks failed",
          detail: messages.unauthorized("PRECLINICAL_API_KEY", env.emulator.url),
        }),
      ],
    });
  });

  test("titles a failure by the request that failed, and a closed port's detail shows the API URL it tried", async () => {
    const apiUrl = `http://127.0.0.1:${await closedPort()}/api/v1`;
    const config = webhook({ agent_id: AGENT_A });

    const failure = await resourceWith(newSession(KEY, apiUrl))
      .plan({ prior: null, proposed: config, config })
      .catch((err: DiagnosticsError) => err.diagnostics);

    expect(failure).toEqual([expect.objectContaining({ severity: "error", summary: "GET /agents/{id} failed" })]);
    const [{ detail }] = failure as DiagnosticsError["diagnostics"];
    expect(detail).toContain(`GET /agents/${AGENT_A} failed`);
    expect(detail).toContain(`The provider reaches the Preclinical API at ${apiUrl}`);
    expect(detail).toContain("PRECLINICAL_API_URL when you run cdktf synth or deploy");
    expect(detail).toContain("run cdktf deploy (or terraform apply) again");
  });
});
