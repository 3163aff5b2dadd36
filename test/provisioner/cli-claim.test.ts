/**
 * `claim`, the scope resource's create provisioner: a free scope passes, a scope held by a webhook made
 * outside the stack fails unless adoptExisting is set. The CLI runs in-process against the emulator.
 */
import { Env } from "../../src/provisioner/protocol";
import { AGENT_A } from "../support/agents";
import { CONSTRUCT_PATH, env, run } from "../support/provisioner";
import { apiRequests, emulator, useSharedEmulator } from "../support/emulator";

useSharedEmulator();

describe("claim", () => {
  test("a free scope exits 0 and says it is free", async () => {
    // Given an empty organization
    // When the agent scope is claimed
    const result = await run(["claim"], env({ [Env.AGENT_ID]: AGENT_A }));
    // Then
    expect(result.code).toBe(0);
    expect(result.out).toEqual([`preclinical: ${CONSTRUCT_PATH}: the scope of agent ${AGENT_A} is free`]);
    expect(result.err).toEqual([]);
    expect(apiRequests().map((r) => r.method)).toEqual(["GET"]);
  });

  test.each([
    ["agent", AGENT_A, `scope of agent ${AGENT_A}`],
    ["organization", null, "organization-level scope"],
  ])(
    "the %s scope held by a webhook made in the UI exits 1, naming the scope, the id, adoptExisting and the path",
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
      expect(apiRequests().every((r) => r.method === "GET")).toBe(true);
      expect(emulator.webhooks()).toHaveLength(1);
    },
  );

  test("a held scope with PRECLINICAL_ADOPT_EXISTING=true exits 0 and is adopted, with nothing changed", async () => {
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
    expect(apiRequests().map((r) => r.method)).toEqual(["GET"]);
    expect(emulator.webhooks()).toEqual([seeded]);
  });
});
