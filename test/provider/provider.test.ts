/** The provider's own configuration: what it refuses before any API call. */
import { messages } from "../../src/messages";
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

  test("a read without the API key in the environment fails naming the variable, without calling the API", async () => {
    const p = provider();
    await p.configure(settings({ api_url: "http://127.0.0.1:9/api/v1", api_key_env_var: "MY_PRECLINICAL_KEY" }), {
      terraformVersion: "1.11.4",
      writeOnlyAttributesAllowed: true,
    });
    await expect(p.resources.preclinical_webhook.read({ id: "x" })).rejects.toMatchObject({
      diagnostics: [expect.objectContaining({ detail: messages.missingApiKey("MY_PRECLINICAL_KEY") })],
    });
  });
});
