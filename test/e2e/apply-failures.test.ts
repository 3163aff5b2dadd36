/**
 * Bad conditions at apply time, with the real terraform binary: each fails the apply within a bounded time,
 * with a message that says what to do, and prints neither the API key nor the webhook secret.
 */
import { TerraformVariable, type TerraformStack } from "cdktf";
import { PreclinicalConnection, PreclinicalEngine, PreclinicalWebhook } from "../../src";
import { AGENT_A, UNKNOWN_AGENT } from "../support/agents";
import { describeWithTerraform } from "../support/e2e";
import { emulator, KEY, useSharedEmulator } from "../support/emulator";
import { closedPort } from "../support/net";
import { Workspace } from "../support/terraform";

const SECRET = "whsec_failures_" + "Gf6hJ8".repeat(5);
const WRONG_KEY = "sk_live_" + "W".repeat(40);
const DEADLINE_MS = 4000;

describeWithTerraform("apply-time failures (real terraform)", () => {
  useSharedEmulator({ agents: [{ id: AGENT_A }] });

  const program = (apiUrl: string, agentId?: string) => (stack: TerraformStack) => {
    const secret = new TerraformVariable(stack, "webhook_secret", { type: "string", sensitive: true });
    const connection = new PreclinicalConnection(stack, "preclinical", {
      engine: PreclinicalEngine.PROVISIONERS,
      apiUrl,
      requestTimeoutMs: 1000,
      deadlineMs: DEADLINE_MS,
    });
    new PreclinicalWebhook(stack, "hook", {
      url: "https://hooks.example.com/x",
      secret: secret.stringValue,
      agentId,
      connection,
    });
  };

  test.each([
    [
      "a wrong API key",
      async () => ({ program: program(emulator.url), key: WRONG_KEY }),
      /rejected the API key in PRECLINICAL_API_KEY \(401\).+run terraform apply again/s,
    ],
    [
      "an unknown agent",
      async () => ({
        program: program(emulator.url, UNKNOWN_AGENT),
        key: KEY,
      }),
      new RegExp(`Agent ${UNKNOWN_AGENT} \\(\`agentId\` of webhooks/hook\\) does not exist`),
    ],
    [
      "an unreachable API",
      async () => ({ program: program(`http://127.0.0.1:${await closedPort()}/api/v1`), key: KEY }),
      /ECONNREFUSED.+Check the API URL/s,
    ],
    [
      "an answer that is not JSON",
      async () => {
        emulator.injectFault({ path: "/webhooks", times: 100, fault: { kind: "notJson" } });
        return { program: program(emulator.url), key: KEY };
      },
      /not JSON.+ends in\s+\/api\/v1/s,
    ],
    [
      "an answer that fails the schema",
      async () => {
        emulator.injectFault({ path: "/webhooks", times: 100, fault: { kind: "badSchema" } });
        return { program: program(emulator.url), key: KEY };
      },
      /does not match the documented\s+schema/,
    ],
  ])("%s fails the apply in bounded time with a message that says what to do", async (_, setup, message) => {
    const { program: prog, key } = await setup();
    const ws = new Workspace({ PRECLINICAL_API_KEY: key, TF_VAR_webhook_secret: SECRET });
    try {
      const started = Date.now();
      const result = await ws.deploy(prog);
      const seconds = (Date.now() - started) / 1000;
      expect(result.code).not.toBe(0);
      // Terraform wraps lines at 80 columns inside its error box: fold that before matching.
      expect(result.output.replace(/[ \t]*\n[│ \t]*/g, " ")).toMatch(message);
      expect(seconds).toBeLessThan(DEADLINE_MS / 1000 + 20);
      for (const value of [SECRET, key]) expect(ws.log.join("\n")).not.toContain(value);
    } finally {
      ws.cleanup();
    }
  });
});
