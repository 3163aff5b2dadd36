/**
 * What keeps the values of a PreclinicalWebhook data: every provisioner command is fixed text, a secret is
 * read only where it must be (and warned about when written literally), and Terraform template sequences in
 * literal values are escaped. Synthesis only, no Terraform.
 */
import { TerraformVariable } from "cdktf";
import { PreclinicalConnection, PreclinicalWebhook } from "../../src";
import { messages } from "../../src/messages";
import { AGENT_A } from "../support/agents";
import { HOOK_URL, SECRET } from "../support/inputs";
import {
  allResources,
  bareStack,
  block,
  fingerprint,
  ledgers,
  newStack,
  oneWebhook,
  provisioners,
  localExec,
  synth,
} from "../support/synth";

const COMMAND = /^"\$PRECLINICAL_NODE" "\$PRECLINICAL_CLI" (claim|converge|delete|reconcile)$/;

/** Every string in `value` with the JSON path that leads to it. */
function strings(value: unknown, at = "$"): [string, string][] {
  if (typeof value === "string") return [[at, value]];
  if (Array.isArray(value)) return value.flatMap((item, i) => strings(item, `${at}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => strings(v, `${at}.${k}`));
  return [];
}

describe("security", () => {
  test("every provisioner command is fixed text; hostile values stay in the environment", () => {
    // Given: values a shell would act on, in every prop that reaches a provisioner
    const hostile = "$(touch /tmp/pwned); `reboot` && rm -rf / #";
    const stack = bareStack();
    const connection = new PreclinicalConnection(stack, "Conn", { nodeExecutable: hostile, apiKeyEnvVar: "KEY_A" });
    new PreclinicalWebhook(stack, "Hook", {
      url: "https://hooks.example.com/$(id)?q=`uname`;x=1|y",
      description: hostile,
      secret: `${hostile}-padding`,
      agentId: AGENT_A,
      connection,
    });

    // When
    const all = allResources(synth(stack)).flatMap(([, , body]) => provisioners(body));

    // Then: four commands, each exactly the fixed text
    expect(all.map((p) => p.command.split(" ").pop()).sort()).toEqual(["claim", "converge", "delete", "reconcile"]);
    for (const p of all) expect(p.command).toMatch(COMMAND);
    expect(all.find((p) => p.command.endsWith("converge"))!.environment.PRECLINICAL_WEBHOOK_DESCRIPTION).toBe(hostile);
    expect(all.every((p) => p.environment.PRECLINICAL_NODE === hostile)).toBe(true);
  });

  describe("a secret from a sensitive variable", () => {
    function withVariableSecret() {
      const stack = newStack();
      // No default: there is no secret value anywhere in the program to leak.
      const secret = new TerraformVariable(stack, "webhook_secret", { type: "string", sensitive: true });
      const hook = new PreclinicalWebhook(stack, "Hook", { url: HOOK_URL, secret: secret.stringValue });
      return { hook, json: synth(stack) };
    }

    test("is declared without a value and is read only by the converge environment, the fingerprint and the precondition", () => {
      const { hook, json } = withVariableSecret();

      expect(json.variable.webhook_secret).toEqual({ type: "string", sensitive: true });
      const config = block(json, hook.configResource);
      const readers = strings(json)
        .filter(([, value]) => value.includes("var.webhook_secret"))
        .map(([at]) => at);
      const configAt = `$.resource.terraform_data.${hook.configResource.friendlyUniqueId}`;
      expect(readers.sort()).toEqual(
        [
          `${configAt}.lifecycle.precondition[0].condition`,
          `${configAt}.provisioner[0].local-exec.environment.PRECLINICAL_WEBHOOK_SECRET`,
          `${configAt}.triggers_replace.secret_fingerprint`,
        ].sort(),
      );
      expect(localExec(config, "converge").environment.PRECLINICAL_WEBHOOK_SECRET).toBe("${var.webhook_secret}");
    });

    test("its fingerprint is a non-sensitive, salted, shortened SHA-256 computed by Terraform", () => {
      const { hook, json } = withVariableSecret();

      expect(block(json, hook.configResource).triggers_replace.secret_fingerprint).toBe(
        '${nonsensitive(substr(sha256(sensitive(join("", ["preclinical-webhook-secret:v1:stack/Hook:", var.webhook_secret]))), 0, 16))}',
      );
    });

    test("is no synth warning", () => {
      const { hook } = withVariableSecret();
      expect(hook.node.metadata.filter((m) => m.type === "@cdktf/warn")).toEqual([]);
    });
  });

  describe("a literal secret", () => {
    test("is a synth warning on the webhook", () => {
      const { hook } = oneWebhook({ secret: SECRET });

      const warnings = hook.node.metadata.filter((m) => m.type === "@cdktf/warn").map((m) => m.data);
      expect(warnings).toEqual([messages.literalSecret()]);
    });

    test("is fingerprinted at synth time: 16 hex digits of sha256(salt + path + ':' + secret)", () => {
      const { hook, json } = oneWebhook({ secret: SECRET });

      const value = block(json, hook.configResource).triggers_replace.secret_fingerprint;
      expect(value).toMatch(/^[0-9a-f]{16}$/);
      expect(value).toBe(fingerprint("stack/Hook", SECRET));
    });

    test("the same secret in two webhooks gives two fingerprints (the path is salt)", () => {
      const stack = newStack();
      const a = new PreclinicalWebhook(stack, "A", { url: HOOK_URL, secret: SECRET });
      const b = new PreclinicalWebhook(stack, "B", { url: HOOK_URL, secret: SECRET, agentId: AGENT_A });
      const json = synth(stack);

      const fa = block(json, a.configResource).triggers_replace.secret_fingerprint;
      const fb = block(json, b.configResource).triggers_replace.secret_fingerprint;
      expect(fa).toBe(fingerprint("stack/A", SECRET));
      expect(fb).toBe(fingerprint("stack/B", SECRET));
      expect(fa).not.toBe(fb);
    });
  });
});

describe("Terraform template sequences in literal values", () => {
  test("are escaped as $${ and %%{ in triggers and environment", () => {
    // Given: a url and a description that Terraform would read as an interpolation and a directive
    const { hook, json } = oneWebhook({
      url: "https://hooks.example.com/x?a=${b}&c=%{d}",
      description: "Cost ${x} %{if true}",
    });

    // When
    const config = block(json, hook.configResource);
    const env = localExec(config, "converge").environment;

    // Then
    expect(config.triggers_replace.url).toBe("https://hooks.example.com/x?a=$${b}&c=%%{d}");
    expect(config.triggers_replace.description).toBe("Cost $${x} %%{if true}");
    expect(env.PRECLINICAL_WEBHOOK_URL).toBe("https://hooks.example.com/x?a=$${b}&c=%%{d}");
    expect(env.PRECLINICAL_WEBHOOK_DESCRIPTION).toBe("Cost $${x} %%{if true}");
  });

  test("a literal secret is escaped in the environment, but fingerprinted as written", () => {
    const secret = "abc${def}%{ghi}-0123456789";
    const { hook, json } = oneWebhook({ secret });
    const config = block(json, hook.configResource);

    expect(localExec(config, "converge").environment.PRECLINICAL_WEBHOOK_SECRET).toBe("abc$${def}%%{ghi}-0123456789");
    expect(config.triggers_replace.secret_fingerprint).toBe(fingerprint("stack/Hook", secret));
  });

  test("a construct id with ${ is escaped in the construct path and the ledger", () => {
    const stack = newStack();
    new PreclinicalWebhook(stack, "Hook${x}", { url: HOOK_URL });
    const json = synth(stack);

    const [ledger] = ledgers(json);
    expect(Object.keys(ledger.triggers_replace)).toEqual(["stack/Hook$${x}"]);
    expect(localExec(ledger, "reconcile").environment.PRECLINICAL_LEDGER_CURRENT).toContain('"stack/Hook$${x}"');
    const paths = allResources(json)
      .flatMap(([, , body]) => provisioners(body))
      .map((p) => p.environment.PRECLINICAL_CONSTRUCT_PATH)
      .filter((p) => p !== undefined);
    expect(new Set(paths)).toEqual(new Set(["stack/Hook$${x}"]));
  });

  test("an apiUrl with ${ is escaped in triggers, environment and ledger", () => {
    const { hook, json } = oneWebhook({ apiUrl: "https://api.example.com/api/v1?x=${y}" });
    const escaped = "https://api.example.com/api/v1?x=$${y}";

    expect(block(json, hook.scopeResource).triggers_replace.api_url).toBe(escaped);
    expect(localExec(block(json, hook.configResource), "converge").environment.PRECLINICAL_API_URL).toBe(escaped);
    expect(JSON.parse(ledgers(json)[0].triggers_replace["stack/Hook"]).apiUrl).toBe(escaped);
  });
});
