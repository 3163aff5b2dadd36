/**
 * In a pipeline (CI set) that has not chosen TF_INPUT, synthesis fails when a variable a webhook reads has
 * no default and no TF_VAR_<name>: `cdktf deploy` would otherwise wait at Terraform's prompt until the job is
 * killed. Each test starts with CI, TF_INPUT and the variables' TF_VAR_ names unset (test/setup.ts restores them).
 */
import { TerraformVariable } from "cdktf";
import { PreclinicalWebhook } from "../../src";
import { messages } from "../../src/messages";
import { AGENT_A } from "../support/agents";
import { HOOK_URL } from "../support/inputs";
import { bareStack, synth } from "../support/synth";

const TF_VARS = ["TF_VAR_webhook_secret", "TF_VAR_triage_agent", "TF_VAR_paused"];
beforeEach(() => {
  TF_VARS.forEach((name) => delete process.env[name]);
  delete process.env.TF_INPUT; // test/setup.ts sets it to 0 for every other test
});
afterEach(() => TF_VARS.forEach((name) => delete process.env[name]));

/** A stack whose two webhooks read one secret variable; the triage one also reads its agent from another. */
function program(): () => unknown {
  const stack = bareStack();
  const secret = new TerraformVariable(stack, "webhook_secret", { type: "string", sensitive: true });
  const agent = new TerraformVariable(stack, "triage_agent", { type: "string" });
  const paused = new TerraformVariable(stack, "paused", { type: "bool", default: true });
  new PreclinicalWebhook(stack, "org", { url: HOOK_URL, secret: secret.stringValue, isEnabled: paused.booleanValue });
  new PreclinicalWebhook(stack, "triage", { url: HOOK_URL, secret: secret.stringValue, agentId: agent.stringValue });
  return () => synth(stack, true);
}

const failure = (run: () => unknown): string => {
  try {
    run();
  } catch (err) {
    return (err as Error).message;
  }
  return "(synthesized)";
};

describe("variables a pipeline would be prompted for", () => {
  test("in CI without TF_INPUT, a variable without a value or default fails synthesis once, naming it and its readers", () => {
    process.env.CI = "true";
    process.env.TF_VAR_triage_agent = AGENT_A;

    const message = failure(program());

    expect(message).toContain(
      messages.variableWouldPrompt("webhook_secret", ["stack/org (`secret`)", "stack/triage (`secret`)"]),
    );
    expect(message.split("Terraform variable `webhook_secret`")).toHaveLength(2);
    // Set in the environment, or with a default: not prompted for
    expect(message).not.toContain("`triage_agent`");
    expect(message).not.toContain("`paused`");
  });

  test("names every such variable", () => {
    process.env.CI = "1";
    const message = failure(program());
    expect(message).toContain("Terraform variable `webhook_secret`");
    expect(message).toContain(messages.variableWouldPrompt("triage_agent", ["stack/triage (`agentId`)"]));
  });

  test.each([
    ["outside a pipeline", {}],
    ["with TF_INPUT=0 (Terraform fails at once itself)", { CI: "true", TF_INPUT: "0" }],
    ["with CI=false", { CI: "false" }],
    ["with every variable set", { CI: "true", TF_VAR_webhook_secret: "s".repeat(32), TF_VAR_triage_agent: AGENT_A }],
  ])("synthesizes %s", (_, env: Record<string, string>) => {
    Object.assign(process.env, env);
    expect(failure(program())).toBe("(synthesized)");
  });
});
