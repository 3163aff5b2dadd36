/**
 * The rules on a webhook's literal props, one row per rule: an accepted value reaches the converge
 * environment exactly as written (only `${` and `%{` escaped); a rejected value fails the constructor with a
 * message that names the construct by its path and the prop, and quotes the value (never the secret's).
 */
import { TerraformStack, Testing } from "cdktf";
import { PreclinicalConnection, PreclinicalWebhook, type PreclinicalWebhookProps } from "../../src";
import { escapeTemplate } from "../../src/construct/hcl";
import { messages, quote } from "../../src/messages";
import { HOST, SECRET_16, HOOK_URL, accepted, rejected, type Prop } from "../support/inputs";
import { thrown } from "../support/thrown";
import { onProvisioners } from "../support/engines";

/** The converge environment variable each prop reaches. */
const ENV: Record<Prop, string> = {
  url: "PRECLINICAL_WEBHOOK_URL",
  agentId: "PRECLINICAL_AGENT_ID",
  description: "PRECLINICAL_WEBHOOK_DESCRIPTION",
  secret: "PRECLINICAL_WEBHOOK_SECRET",
  apiUrl: "PRECLINICAL_API_URL",
  apiKeyEnvVar: "PRECLINICAL_API_KEY_ENV",
};

// test/setup.ts clears PRECLINICAL_API_URL before each test and restores it after.

function webhookWith(prop: Prop, value: string): { stack: TerraformStack; hook: PreclinicalWebhook } {
  const stack = onProvisioners(new TerraformStack(Testing.app(), "stack"));
  const props: PreclinicalWebhookProps = { url: HOOK_URL, [prop]: value };
  return { stack, hook: new PreclinicalWebhook(stack, "Hook", props) };
}

/** The converge environment of the stack's only webhook. */
function convergeEnvironment(stack: TerraformStack, hook: PreclinicalWebhook): Record<string, string> {
  const json = JSON.parse(Testing.synth(stack));
  const config = json.resource.terraform_data[hook.configResource.friendlyUniqueId];
  const [converge] = config.provisioner.map((p: { "local-exec": unknown }) => p["local-exec"]);
  expect(converge.command).toBe('"$PRECLINICAL_NODE" "$PRECLINICAL_CLI" converge');
  return converge.environment;
}

// ---------------------------------------------------------------------------------------------------------
// Accepted values: [prop, what, value, what the converge environment holds]
// ---------------------------------------------------------------------------------------------------------

describe("accepted values reach the converge environment exactly", () => {
  test.each(accepted)("`%s` (%s) is accepted", (prop, _what, value, expected) => {
    // Given / When
    const { stack, hook } = webhookWith(prop, value);

    // Then
    expect(convergeEnvironment(stack, hook)[ENV[prop]]).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Rejected values: [prop, what, value]
// ---------------------------------------------------------------------------------------------------------

/** The rule's message for `prop`, as the constructor must throw it. */
function expectedMessage(prop: Prop, value: string): string {
  switch (prop) {
    case "url":
      return messages.urlRule(quote(value));
    case "agentId":
      return messages.agentIdRule(quote(value));
    case "description":
      return messages.descriptionRule(quote(value));
    case "secret":
      return messages.secretRule();
    case "apiUrl":
      return messages.apiUrlRule(value);
    case "apiKeyEnvVar":
      return messages.apiKeyEnvVarRule(value);
  }
}

describe("rejected values fail the constructor with the rule's message", () => {
  test.each(rejected.filter(([prop]) => prop !== "secret"))("`%s` (%s) is refused", (prop, _what, value) => {
    // Given / When
    const error = thrown(() => webhookWith(prop, value));

    // Then: the message names the construct, then the prop, quotes the value JSON-style and is the rule's own
    expect(error.message.startsWith(`stack/Hook: \`${prop}\` must be`)).toBe(true);
    expect(error.message).toContain(quote(value));
    expect(error.message).toBe(messages.atConstruct("stack/Hook", expectedMessage(prop, value)));
  });

  test.each(rejected.filter(([prop]) => prop === "secret"))(
    "`%s` (%s) is refused without showing the value",
    (prop, _what, value) => {
      const error = thrown(() => webhookWith(prop, value));

      expect(error.message).toBe(messages.atConstruct("stack/Hook", messages.secretRule()));
      expect(error.message.startsWith("stack/Hook: `secret` must be")).toBe(true);
      if (value !== "") {
        expect(error.message).not.toContain(value);
        expect(error.message).not.toContain(JSON.stringify(value).slice(1, -1));
        expect(error.message).not.toContain(SECRET_16);
      }
    },
  );

  test("a missing url (from untyped JavaScript) names the prop", () => {
    const stack = new TerraformStack(Testing.app(), "stack");
    const error = thrown(() => new PreclinicalWebhook(stack, "Hook", {} as PreclinicalWebhookProps));
    expect(error.message).toBe(messages.atConstruct("stack/Hook", messages.urlRule(undefined)));
    expect(error.message).toContain("got an empty value");
  });

  test("a bad PRECLINICAL_API_URL names the webhook that reads it through the stack's default connection", () => {
    process.env.PRECLINICAL_API_URL = "ftp://staging.example.com";
    const stack = new TerraformStack(Testing.app(), "preclinical-webhooks");
    const error = thrown(() => new PreclinicalWebhook(stack, "triage", { url: HOOK_URL }));
    expect(error.message).toBe(
      messages.atConstruct("preclinical-webhooks/triage", messages.apiUrlFromEnvironment("ftp://staging.example.com")),
    );
  });

  test("a long value is quoted shortened, with its length", () => {
    const value = HOST + "a".repeat(3000);
    const error = thrown(() => webhookWith("url", value));

    expect(error.message).toContain(
      `${JSON.stringify(value.slice(0, 100) + "…").slice(0, -1)} (${value.length} characters)"`,
    );
    expect(error.message.length).toBeLessThan(600);
  });
});

describe("connection timeouts", () => {
  test.each([
    ["requestTimeoutMs", 0],
    ["requestTimeoutMs", 600_001],
    ["requestTimeoutMs", 1.5],
    ["deadlineMs", -1],
    ["deadlineMs", Number.NaN],
  ] as const)("`%s` of %d is rejected", (prop, value) => {
    const stack = new TerraformStack(Testing.app(), "stack");
    const error = thrown(() => new PreclinicalConnection(stack, "Conn", { [prop]: value }));
    expect(error.message).toBe(messages.atConstruct("stack/Conn", messages.timeoutRule(prop, value)));
  });

  test.each([
    ["requestTimeoutMs", 1],
    ["deadlineMs", 600_000],
  ] as const)("`%s` of %d is accepted", (prop, value) => {
    const stack = new TerraformStack(Testing.app(), "stack");
    expect(() => new PreclinicalConnection(stack, "Conn", { [prop]: value })).not.toThrow();
  });
});

// ---------------------------------------------------------------------------------------------------------
// escapeTemplate and quote
// ---------------------------------------------------------------------------------------------------------

describe("escapeTemplate", () => {
  test.each([
    ["", ""],
    ["plain text", "plain text"],
    ["${x}", "$${x}"],
    ["%{if x}", "%%{if x}"],
    ["a ${b} c ${d} %{e} %{f}", "a $${b} c $${d} %%{e} %%{f}"],
    ["$${x}", "$$${x}"],
    ["%%{x}", "%%%{x}"],
    ["$ { and % { and $x and %x and {}", "$ { and % { and $x and %x and {}"],
    ["$&$'$`$1", "$&$'$`$1"], // replacement patterns of String.replace are not interpreted
    ["${${x}}", "$${$${x}}"],
  ])("%j becomes %j", (input, output) => {
    expect(escapeTemplate(input)).toBe(output);
  });
});

describe("quote", () => {
  test.each([
    ["abc", '"abc"'],
    ["", '""'],
    ['say "hi"', '"say \\"hi\\""'],
    ["a\nb\tc", '"a\\nb\\tc"'],
    ["\u0000\u0007\u001b", '"\\u0000\\u0007\\u001b"'],
    ["x".repeat(120), `"${"x".repeat(120)}"`],
  ])("%j is quoted as %s", (input, output) => {
    expect(quote(input)).toBe(output);
  });

  test.each([
    ["DEL", "\u007f"],
    ["a C1 control", "\u009b"],
  ])("%s is shown escaped", (_name, control) => {
    expect(quote(`a${control}b`)).toBe(`"a\\u${control.charCodeAt(0).toString(16).padStart(4, "0")}b"`);
  });

  test("shortens a value over 120 characters to its first 100 and its length", () => {
    expect(quote("x".repeat(121))).toBe(JSON.stringify(`${"x".repeat(100)}… (121 characters)`));
  });

  test("counts and cuts characters, not UTF-16 units: no emoji is split", () => {
    const quoted = quote("🚀".repeat(121));
    expect(quoted).toBe(JSON.stringify(`${"🚀".repeat(100)}… (121 characters)`));
    expect(quote("🚀".repeat(120))).toBe(JSON.stringify("🚀".repeat(120)));
  });
});
