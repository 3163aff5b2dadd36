/** The provider's own configuration: what it refuses before any API call. */
import { COMMANDS, commandsOf, messages } from "../../src/messages";
import { Logger } from "../../src/provider/protocol/logger";
import { UNKNOWN, type ObjectValue } from "../../src/provider/protocol/values";
import { preclinicalProvider } from "../../src/provider/provider";

const settings = (overrides: ObjectValue = {}): ObjectValue => ({
  api_url: null,
  api_key_env_var: null,
  request_timeout_ms: null,
  deadline_ms: null,
  ...overrides,
});
const provider = () => preclinicalProvider(new Logger(() => undefined), {});

describe("provider configuration", () => {
  test.each(["api_url", "api_key_env_var"])(
    "refuses a %s known only after apply rather than using the default",
    (name) => {
      const diagnostics = provider().validate(settings({ [name]: UNKNOWN }));
      expect(diagnostics).toEqual([
        expect.objectContaining({ severity: "error", attribute: name, detail: messages.providerSettingUnknown(name) }),
      ]);
    },
  );

  test("accepts a configuration with every setting left to its default", () => {
    expect(provider().validate(settings())).toEqual([]);
  });

  const TF_1_11 = { terraformVersion: "1.11.4", writeOnlyAttributesAllowed: true };

  test("a missing API key is reported once, when Terraform configures the provider, naming the variable", async () => {
    const p = provider();
    const diagnostics = await p.configure(
      settings({ api_url: "http://127.0.0.1:9/api/v1", api_key_env_var: "MY_PRECLINICAL_KEY" }),
      TF_1_11,
    );
    expect(diagnostics).toEqual([
      expect.objectContaining({
        severity: "error",
        summary: "No Preclinical API key",
        detail: messages.missingApiKey("MY_PRECLINICAL_KEY", COMMANDS.terraform),
      }),
    ]);
    // And a resource called anyway fails the same way, without calling the API
    await expect(p.resources.preclinical_webhook.read({ id: "x" })).rejects.toMatchObject({
      diagnostics: [
        expect.objectContaining({ detail: messages.missingApiKey("MY_PRECLINICAL_KEY", COMMANDS.terraform) }),
      ],
    });
  });

  test.each([
    ["cdktf-cli", "cdktf/0.21.0 (+https://github.com/hashicorp/terraform-cdk)", COMMANDS.cdktf],
    ["plain terraform", undefined, COMMANDS.terraform],
  ])("advice names the command the user ran: under %s, %j", async (_, agent, commands) => {
    const env = agent === undefined ? {} : { TF_APPEND_USER_AGENT: agent };
    expect(commandsOf(env)).toEqual(commands);
    const p = preclinicalProvider(new Logger(() => undefined), env);
    const [diagnostic] = await p.configure(settings(), TF_1_11);
    expect(diagnostic.detail).toContain(`run ${commands.apply} again`);
  });
});
