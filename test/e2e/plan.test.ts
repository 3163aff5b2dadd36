/**
 * What a reviewer sees in `terraform plan`, and what plan refuses before any API call.
 */
import { TerraformVariable, type TerraformStack } from "cdktf";
import { PreclinicalConnection, PreclinicalEngine, PreclinicalWebhook } from "../../src";
import { messages } from "../../src/messages";
import { AGENT_A } from "../support/agents";
import { cdktfWs, describeWithTerraform, useCdktfWorkspace } from "../support/e2e";
import { emulator, useSharedEmulator } from "../support/emulator";

useSharedEmulator({ agents: [{ id: AGENT_A }] });
// No secret: these programs declare no webhook_secret variable.
useCdktfWorkspace();

describeWithTerraform("terraform plan (real terraform)", () => {
  /** Webhook props from Terraform variables, as a pipeline passes per-environment values. */
  const fromVariables = (stack: TerraformStack) => {
    const url = new TerraformVariable(stack, "url", { type: "string" });
    const agent = new TerraformVariable(stack, "agent_id", { type: "string" });
    const connection = new PreclinicalConnection(stack, "preclinical", {
      engine: PreclinicalEngine.PROVISIONERS,
      apiUrl: emulator.url,
    });
    new PreclinicalWebhook(stack, "hook", { url: url.stringValue, agentId: agent.stringValue, connection });
  };

  test.each([
    [
      "url",
      { TF_VAR_url: "http://example.com/plain-http", TF_VAR_agent_id: AGENT_A },
      messages.urlRule('"http://example.com/plain-http"'),
    ],
    [
      "agentId",
      { TF_VAR_url: "https://hooks.example.com/x", TF_VAR_agent_id: "not-a-uuid" },
      messages.agentIdRule('"not-a-uuid"'),
    ],
    // RE2 and JavaScript disagree on what \s means; the patterns spell the spaces out so both reject this.
    [
      "url",
      { TF_VAR_url: "https://hooks.example.com/a\u00a0b", TF_VAR_agent_id: AGENT_A },
      messages.urlRule('"https://hooks.example.com/a\u00a0b"'),
    ],
  ])("a %s known only at plan time is checked by a precondition before any API call", async (_, vars, message) => {
    const result = await cdktfWs.plan(fromVariables, vars);
    expect(result.code).not.toBe(0);
    expect(result.output).toContain("Resource precondition failed");
    // Terraform wraps long messages: compare with whitespace folded.
    expect(result.output.replace(/[\s│]+/g, " ")).toContain(message.replace(/\s+/g, " "));
    expect(emulator.requests()).toHaveLength(0);
  });

  test("an isEnabled that is not a bool is refused by plan, before any API call", async () => {
    const program = (stack: TerraformStack) => {
      const enabled = new TerraformVariable(stack, "enabled", { type: "string" });
      const connection = new PreclinicalConnection(stack, "preclinical", {
        engine: PreclinicalEngine.PROVISIONERS,
        apiUrl: emulator.url,
      });
      new PreclinicalWebhook(stack, "hook", {
        url: "https://hooks.example.com/x",
        isEnabled: enabled.booleanValue,
        connection,
      });
    };
    const result = await cdktfWs.plan(program, { TF_VAR_enabled: "yes" });
    expect(result.code).not.toBe(0);
    expect(result.output.replace(/[\s│]+/g, " ")).toContain(messages.isEnabledRule('"yes"').replace(/\s+/g, " "));
    expect(emulator.requests()).toHaveLength(0);
  });

  test("valid plan-time values deploy", async () => {
    const result = await cdktfWs.deploy(fromVariables, {
      TF_VAR_url: "https://hooks.example.com/x",
      TF_VAR_agent_id: AGENT_A,
    });
    expect(result.code).toBe(0);
    expect(emulator.webhooks()).toMatchObject([{ url: "https://hooks.example.com/x", agent_id: AGENT_A }]);
  });

  test("a plan names each changed field, and says which resource is replaced to apply it", async () => {
    const program = (url: string, isEnabled: boolean) => (stack: TerraformStack) => {
      const connection = new PreclinicalConnection(stack, "preclinical", {
        engine: PreclinicalEngine.PROVISIONERS,
        apiUrl: emulator.url,
      });
      new PreclinicalWebhook(stack, "triage", { url, agentId: AGENT_A, isEnabled, connection });
    };
    const created = await cdktfWs.plan(program("https://hooks.example.com/a", true));
    expect(created.output).toMatch(/terraform_data\.triage_config_\w+ will be created/);
    expect(created.output).toMatch(/\burl\s+= "https:\/\/hooks\.example\.com\/a"/);
    expect((await cdktfWs.deploy(program("https://hooks.example.com/a", true))).code).toBe(0);

    const changed = await cdktfWs.plan(program("https://hooks.example.com/b", false));
    expect(changed.output).toMatch(/terraform_data\.triage_config_\w+ must be replaced/);
    expect(changed.output).toMatch(
      /~ url\s+= "https:\/\/hooks\.example\.com\/a" -> "https:\/\/hooks\.example\.com\/b"/,
    );
    expect(changed.output).toMatch(/~ is_enabled\s+= "true" -> "false"/);
    expect(changed.output).not.toMatch(/triage_scope_\w+ must be replaced/); // the webhook itself is kept
    expect(changed.output).toContain("Plan: 1 to add, 0 to change, 1 to destroy.");
  });
});
