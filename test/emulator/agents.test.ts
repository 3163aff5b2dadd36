import { ErrorCodes } from "../../src/api/assumptions";
import { AgentSchema } from "../../src/api/schemas";
import { AGENT_A, UNKNOWN_AGENT } from "../support/agents";
import { emulator, useSharedEmulator, withEmulator } from "../support/emulator";
import { call, expectError } from "../support/emulator-http";
import { HOOK_URL } from "../support/inputs";

useSharedEmulator();

describe("agents", () => {
  test("answers a known agent with the documented fields", async () => {
    const answer = await call("GET", `/agents/${AGENT_A}`);

    expect(answer.status).toBe(200);
    expect(AgentSchema.parse(answer.json)).toEqual({
      id: AGENT_A,
      provider: "vapi",
      name: "Triage bot",
      description: null,
      is_active: true,
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
  });

  test("answers an unknown agent with 404 AGENT_NOT_FOUND", async () => {
    expectError(await call("GET", `/agents/${UNKNOWN_AGENT}`), 404, ErrorCodes.AGENT_NOT_FOUND);
  });

  test("refuses a webhook for an unknown agent with 404 NOT_FOUND by default", async () => {
    const answer = await call("POST", "/webhooks", { body: { url: HOOK_URL, agent_id: UNKNOWN_AGENT } });

    expectError(answer, 404, ErrorCodes.NOT_FOUND);
    expect(emulator.webhooks()).toEqual([]);
  });

  test("refuses a webhook for an unknown agent as unknownAgent says: 400 AGENT_NOT_FOUND", async () => {
    await withEmulator({ unknownAgent: { status: 400, code: "AGENT_NOT_FOUND" } }, async (other) => {
      const answer = await call("POST", "/webhooks", { body: { url: HOOK_URL, agent_id: UNKNOWN_AGENT } }, other);
      expectError(answer, 400, ErrorCodes.AGENT_NOT_FOUND);
    });
  });

  test("accepts a webhook for an agent added later", async () => {
    const late = "6ba7b813-9dad-11d1-80b4-00c04fd430c8";
    emulator.addAgent({ id: late, name: "Late", provider: "retell" });

    expect((await call("POST", "/webhooks", { body: { url: HOOK_URL, agent_id: late } })).status).toBe(201);
    expect((await call("GET", `/agents/${late}`)).json).toMatchObject({ name: "Late", provider: "retell" });
  });

  test("registers an unknown agent on first use, by GET and by create, when any agent is accepted", async () => {
    await withEmulator({ anyAgent: true }, async (open) => {
      expect((await call("GET", `/agents/${AGENT_A}`, {}, open)).status).toBe(200);
      const other = "9b2c7e4a-1f3d-4c5b-8a6e-2d7f0c1b3a59";
      const created = await call(
        "POST",
        "/webhooks",
        { body: { url: "https://hooks.example.com/x", agent_id: other } },
        open,
      );
      expect(created.status).toBe(201);
    });
  });
});
