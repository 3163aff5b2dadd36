/**
 * The checks a PreclinicalWebhook adds beyond the validation of literal props (validation.test.ts): a
 * precondition for each value known only at plan time, and one webhook per scope at synthesis.
 */
import * as fs from "node:fs";
import { TerraformVariable, Testing } from "cdktf";
import { PreclinicalConnection, PreclinicalWebhook } from "../../src";
import { messages } from "../../src/messages";
import { AGENT_A, AGENT_B } from "../support/agents";
import { HOOK_URL, SECRET } from "../support/inputs";
import { block, newStack, oneWebhook, synth, type Json } from "../support/synth";
import { thrown } from "../support/thrown";

describe("values known only at plan time", () => {
  type Prop = "url" | "description" | "agentId" | "secret";
  const rows: { prop: Prop; variable: string; on: "scope" | "config"; message: string }[] = [
    { prop: "url", variable: "url", on: "config", message: messages.urlRule('"${var.url}"') },
    {
      prop: "description",
      variable: "description",
      on: "config",
      message: messages.descriptionRule('"${var.description}"'),
    },
    { prop: "agentId", variable: "agent_id", on: "scope", message: messages.agentIdRule('"${var.agent_id}"') },
    // Never quoted: the secret is sensitive.
    { prop: "secret", variable: "secret", on: "config", message: messages.secretRule() },
  ];

  function withVariable(prop: Prop, variable: string) {
    const stack = newStack();
    const value = new TerraformVariable(stack, variable, { type: "string", sensitive: prop === "secret" }).stringValue;
    const hook = new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, [prop]: value });
    const json = synth(stack);
    return { scope: block(json, hook.scopeResource), config: block(json, hook.configResource) };
  }

  test.each(rows)(
    "`$prop` from a variable is a precondition on the $on resource with the synth-time message",
    ({ prop, variable, on, message }) => {
      // Given / When
      const resources = withVariable(prop, variable);

      // Then
      const preconditions = resources[on].lifecycle.precondition as Json[];
      expect(preconditions).toHaveLength(1);
      expect(preconditions[0].error_message).toBe(message);
      expect(preconditions[0].condition).toContain(`can(regex(`);
      expect(preconditions[0].condition).toContain(`var.${variable}`);
      const other = on === "scope" ? resources.config : resources.scope;
      expect(other).not.toHaveProperty("lifecycle");
    },
  );

  test.each(rows.filter((r) => r.prop !== "description"))(
    "the `$prop` precondition bounds its length with numbers",
    ({ prop, variable, on }) => {
      const condition = withVariable(prop, variable)[on].lifecycle.precondition[0].condition as string;
      expect(condition).not.toContain("undefined");
    },
  );

  test("the `description` precondition bounds its length with numbers", () => {
    const condition = withVariable("description", "description").config.lifecycle.precondition[0].condition as string;
    expect(condition).not.toContain("undefined");
  });

  test("literal values produce no precondition", () => {
    const { hook, json } = oneWebhook({ agentId: AGENT_A, description: "d", secret: SECRET });
    expect(block(json, hook.scopeResource)).not.toHaveProperty("lifecycle");
    expect(block(json, hook.configResource)).not.toHaveProperty("lifecycle");
  });
});

describe("two webhooks claiming one scope", () => {
  test.each([
    ["two organization-level webhooks on the default connection", {}, {}, "organization-level scope"],
    ["two webhooks of one agent", { agentId: AGENT_A }, { agentId: AGENT_A }, `scope of agent ${AGENT_A}`],
    [
      "one agent in different letter case",
      { agentId: AGENT_A },
      { agentId: AGENT_A.toUpperCase() },
      `scope of agent ${AGENT_A.toUpperCase()}`,
    ],
    [
      "the same API URL with and without a trailing slash",
      { apiUrl: "https://eu.preclinical.dev/api/v1" },
      { apiUrl: "https://eu.preclinical.dev/api/v1/" },
      "organization-level scope",
    ],
  ])("%s fail synthesis naming both construct paths", (_name, first, second, scope) => {
    // Given
    const stack = newStack();
    new PreclinicalWebhook(stack, "First", { url: HOOK_URL, ...first });
    new PreclinicalWebhook(stack, "Second", { url: HOOK_URL, ...second });

    // When / Then
    const error = thrown(() => Testing.synth(stack, true));
    expect(error.message).toContain(messages.duplicateScope(scope, "stack/First", "stack/Second"));
  });

  test("a shared explicit connection is one organization too", () => {
    const stack = newStack();
    const connection = new PreclinicalConnection(stack, "Conn");
    new PreclinicalWebhook(stack, "First", { url: HOOK_URL, connection });
    new PreclinicalWebhook(stack, "Second", { url: HOOK_URL, connection });

    expect(thrown(() => Testing.synth(stack, true)).message).toContain(
      messages.duplicateScope("organization-level scope", "stack/First", "stack/Second"),
    );
  });

  test("across two stacks of one App, app.synth() fails naming both paths", () => {
    const app = Testing.app();
    new PreclinicalWebhook(newStack(app, "a"), "Hook", { url: HOOK_URL, agentId: AGENT_A });
    new PreclinicalWebhook(newStack(app, "b"), "Hook", { url: HOOK_URL, agentId: AGENT_A });

    try {
      const error = thrown(() => app.synth());
      expect(error.message).toContain(messages.duplicateScope(`scope of agent ${AGENT_A}`, "a/Hook", "b/Hook"));
    } finally {
      fs.rmSync(app.outdir, { recursive: true, force: true });
    }
  });

  test.each([
    ["different agents", { agentId: AGENT_A }, { agentId: AGENT_B }],
    ["the organization and one agent", {}, { agentId: AGENT_A }],
    ["different key variables", { apiKeyEnvVar: "KEY_A" }, { apiKeyEnvVar: "KEY_B" }],
    [
      "different API URLs",
      { apiUrl: "https://eu.preclinical.dev/api/v1" },
      { apiUrl: "https://us.preclinical.dev/api/v1" },
    ],
  ])("%s are fine", (_name, first, second) => {
    const stack = newStack();
    const hooks = [
      new PreclinicalWebhook(stack, "First", { url: HOOK_URL, ...first }),
      new PreclinicalWebhook(stack, "Second", { url: HOOK_URL, ...second }),
    ];

    // The webhooks' own validations, as synthesis runs them. (A full validating synth also spawns
    // `terraform version` once per terraform_data resource: slow, and not what is under test here.)
    expect(hooks.flatMap((hook) => hook.node.validate())).toEqual([]);
  });
});
