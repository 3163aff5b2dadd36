/**
 * The rules on a webhook's literal props, one row per rule: an accepted value reaches the converge
 * environment exactly as written (only `${` and `%{` escaped); a rejected value fails the constructor with a
 * message that names the prop and quotes the value (never the secret's).
 */
import { TerraformStack, Testing } from "cdktf";
import { PreclinicalConnection, PreclinicalWebhook, type PreclinicalWebhookProps } from "../../src/construct";
import { escapeTemplate, quote } from "../../src/construct/validation";
import { messages } from "../../src/messages";

const URL = "https://hooks.example.com/preclinical";
const UUID = "6ba7b810-9dad-11d1-80b4-00c04fd430c8";
const SECRET_16 = "0123456789abcdef";
const HOST = "https://hooks.example.com/";

type Prop = "url" | "agentId" | "description" | "secret" | "apiUrl" | "apiKeyEnvVar";

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
  const stack = new TerraformStack(Testing.app(), "stack");
  const props: PreclinicalWebhookProps = { url: URL, [prop]: value };
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

function thrown(build: () => unknown): Error {
  try {
    build();
  } catch (error) {
    expect(error).toBeInstanceOf(Error);
    return error as Error;
  }
  throw new Error("expected an error, but none was thrown");
}

// ---------------------------------------------------------------------------------------------------------
// Accepted values: [prop, what, value, what the converge environment holds]
// ---------------------------------------------------------------------------------------------------------

const accepted: [Prop, string, string, string][] = [
  // url
  ["url", "an https URL", URL, URL],
  ["url", "http on localhost with a port", "http://localhost:8080/hook", "http://localhost:8080/hook"],
  ["url", "http on 127.0.0.1", "http://127.0.0.1", "http://127.0.0.1"],
  ["url", "http on [::1] with a port", "http://[::1]:3000/hook", "http://[::1]:3000/hook"],
  ["url", "https on an IPv6 literal", "https://[2001:db8::1]/hook", "https://[2001:db8::1]/hook"],
  ["url", "a unicode path", `${HOST}café/✓/日本`, `${HOST}café/✓/日本`],
  ["url", "a query and a fragment", `${HOST}p?a=1&b=two#frag`, `${HOST}p?a=1&b=two#frag`],
  ["url", "2048 characters", HOST + "a".repeat(2048 - HOST.length), HOST + "a".repeat(2048 - HOST.length)],
  ["url", "${ and %{ in the query (escaped)", `${HOST}?a=\${b}&c=%{d}`, `${HOST}?a=$\${b}&c=%%{d}`],
  // agentId
  ["agentId", "a lowercase UUID", UUID, UUID],
  ["agentId", "an uppercase UUID (kept as written)", UUID.toUpperCase(), UUID.toUpperCase()],
  // description
  ["description", "newline, carriage return and tab", "line 1\r\nline 2\tend", "line 1\r\nline 2\tend"],
  [
    "description",
    "shell syntax, verbatim",
    "$(rm -rf /) `reboot` ; | && > /etc/passwd",
    "$(rm -rf /) `reboot` ; | && > /etc/passwd",
  ],
  ["description", "${x} (escaped)", "Cost ${x}", "Cost $${x}"],
  ["description", "a %{ directive (escaped)", "%{if true}yes%{endif}", "%%{if true}yes%%{endif}"],
  ["description", "an already escaped $${ (escaped again, so it arrives as written)", "$${x}", "$$${x}"],
  ["description", "unicode and emoji", "Grüße aus Zürich 🚀 日本語 ✓", "Grüße aus Zürich 🚀 日本語 ✓"],
  ["description", "1000 characters", "d".repeat(1000), "d".repeat(1000)],
  ["description", "1000 emoji (counted as characters)", "🚀".repeat(1000), "🚀".repeat(1000)],
  ["description", "the empty string", "", ""],
  // secret
  ["secret", "16 characters", SECRET_16, SECRET_16],
  ["secret", "256 characters", "s".repeat(256), "s".repeat(256)],
  ["secret", "16 non-ASCII characters", "ü".repeat(16), "ü".repeat(16)],
  ["secret", "${ (escaped)", "abc${def}0123456789", "abc$${def}0123456789"],
  // apiUrl
  ["apiUrl", "the production API", "https://app.preclinical.dev/api/v1", "https://app.preclinical.dev/api/v1"],
  ["apiUrl", "a trailing slash (dropped)", "https://eu.preclinical.dev/api/v1/", "https://eu.preclinical.dev/api/v1"],
  ["apiUrl", "the emulator on localhost", "http://localhost:4010/api/v1", "http://localhost:4010/api/v1"],
  // apiKeyEnvVar
  ["apiKeyEnvVar", "an upper-case name", "PRECLINICAL_KEY_STAGING", "PRECLINICAL_KEY_STAGING"],
  ["apiKeyEnvVar", "a leading underscore", "_KEY", "_KEY"],
  ["apiKeyEnvVar", "lower case with digits", "key2", "key2"],
];

describe("accepted values reach the converge environment exactly", () => {
  test.each(accepted)("`%s`: %s", (prop, _what, value, expected) => {
    // Given / When
    const { stack, hook } = webhookWith(prop, value);

    // Then
    expect(convergeEnvironment(stack, hook)[ENV[prop]]).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------------------
// Rejected values: [prop, what, value]
// ---------------------------------------------------------------------------------------------------------

const rejected: [Prop, string, string][] = [
  // url
  ["url", "http on a public host", "http://example.com/hook"],
  ["url", "http on a host that starts with localhost", "http://localhost.evil.com/hook"],
  ["url", "http on a host that starts with 127.0.0.1", "http://127.0.0.1.evil.com/hook"],
  ["url", "a relative URL", "/hook"],
  ["url", "ftp", "ftp://hooks.example.com/hook"],
  ["url", "javascript:", "javascript:alert(1)"],
  ["url", "file:", "file:///etc/passwd"],
  ["url", "credentials", "https://user:pass@hooks.example.com/hook"],
  ["url", "a user name", "https://user@hooks.example.com/hook"],
  ["url", "a space", `${HOST}a b`],
  ["url", "a leading space", ` ${URL}`],
  ["url", "a newline", `${URL}\n`],
  ["url", "a NUL", `${URL}\u0000`],
  ["url", "a BEL", `${URL}\u0007`],
  ["url", "a DEL", `${URL}\u007f`],
  ["url", "2049 characters", HOST + "a".repeat(2049 - HOST.length)],
  ["url", "a unicode host (punycode required)", "https://bücher.example/hook"],
  ["url", "no host", "https://"],
  ["url", "a no-break space (a space to JavaScript, not to RE2: spelled out for both)", `${HOST}a\u00a0b`],
  ["url", "a C1 control", `${HOST}a\u0085b`],
  ["url", "a port above 65535", "https://hooks.example.com:65536/hook"],
  ["url", "the empty string", ""],
  // agentId
  ["agentId", "not a UUID", "abc"],
  ["agentId", "a UUID in braces", `{${UUID}}`],
  ["agentId", "a UUID with a trailing newline", `${UUID}\n`],
  ["agentId", "a URN", `urn:uuid:${UUID}`],
  ["agentId", "the empty string", ""],
  // description
  ["description", "a NUL", "before\u0000after"],
  ["description", "an ANSI escape", "\u001b[31mred"],
  ["description", "a DEL", "x\u007f"],
  ["description", "1001 characters", "d".repeat(1001)],
  // secret
  ["secret", "15 characters", SECRET_16.slice(1)],
  ["secret", "257 characters", "s".repeat(257)],
  ["secret", "a control character", `${SECRET_16}\u0001`],
  ["secret", "a newline", `${SECRET_16}\n`],
  ["secret", "a tab", `${SECRET_16}\t`],
  ["secret", "the empty string", ""],
  // apiUrl
  ["apiUrl", "http on a public host", "http://api.example.com/api/v1"],
  ["apiUrl", "no scheme", "app.preclinical.dev/api/v1"],
  ["apiUrl", "credentials", "https://user:pw@app.preclinical.dev/api/v1"],
  ["apiUrl", "the empty string", ""],
  // apiKeyEnvVar
  ["apiKeyEnvVar", "a leading digit", "1KEY"],
  ["apiKeyEnvVar", "a dash", "MY-KEY"],
  ["apiKeyEnvVar", "a space", "MY KEY"],
  ["apiKeyEnvVar", "shell syntax", "KEY;rm -rf /"],
  ["apiKeyEnvVar", "a dollar sign", "$KEY"],
  ["apiKeyEnvVar", "the empty string", ""],
];

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
      return messages.apiKeyEnvRule(value);
  }
}

describe("rejected values fail the constructor with the rule's message", () => {
  test.each(rejected.filter(([prop]) => prop !== "secret"))("`%s`: %s", (prop, _what, value) => {
    // Given / When
    const error = thrown(() => webhookWith(prop, value));

    // Then: the message opens with the prop, quotes the value JSON-style and is the rule's own
    expect(error.message.startsWith(`\`${prop}\` must be`)).toBe(true);
    expect(error.message).toContain(quote(value));
    expect(error.message).toBe(expectedMessage(prop, value));
  });

  test.each(rejected.filter(([prop]) => prop === "secret"))(
    "`%s`: %s, and the value is not shown",
    (prop, _what, value) => {
      const error = thrown(() => webhookWith(prop, value));

      expect(error.message).toBe(messages.secretRule());
      expect(error.message.startsWith("`secret` must be")).toBe(true);
      if (value !== "") {
        expect(error.message).not.toContain(value);
        expect(error.message).not.toContain(JSON.stringify(value).slice(1, -1));
        expect(error.message).not.toContain(SECRET_16);
      }
    }
  );

  test("a missing url (from untyped JavaScript) names the prop", () => {
    const stack = new TerraformStack(Testing.app(), "stack");
    const error = thrown(() => new PreclinicalWebhook(stack, "Hook", {} as PreclinicalWebhookProps));
    expect(error.message).toBe(messages.urlRule(undefined));
    expect(error.message).toContain("got an empty value");
  });

  test("a long value is quoted shortened, with its length", () => {
    const value = HOST + "a".repeat(3000);
    const error = thrown(() => webhookWith("url", value));

    expect(error.message).toContain(
      `${JSON.stringify(value.slice(0, 100) + "…").slice(0, -1)} (${value.length} characters)"`
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
    expect(error.message).toBe(messages.timeoutRule(prop, value));
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

  test("over 120 characters: the first 100 and the length", () => {
    expect(quote("x".repeat(121))).toBe(JSON.stringify(`${"x".repeat(100)}… (121 characters)`));
  });

  test("counts and cuts characters, not UTF-16 units: no emoji is split", () => {
    const quoted = quote("🚀".repeat(121));
    expect(quoted).toBe(JSON.stringify(`${"🚀".repeat(100)}… (121 characters)`));
    expect(quote("🚀".repeat(120))).toBe(JSON.stringify("🚀".repeat(120)));
  });
});
