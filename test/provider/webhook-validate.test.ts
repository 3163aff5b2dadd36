/**
 * validateWebhook, the `preclinical_webhook` resource's ValidateResourceConfig: the construct's rules and
 * messages for literal values, nothing checked of values unknown until apply, and the write-only secret's
 * need for Terraform 1.11.
 */
import { checkLiteral } from "../../src/construct/validation";
import { quote } from "../../src/messages";
import { messages } from "../../src/messages";
import { UNKNOWN } from "../../src/provider/protocol/values";
import { validateWebhook } from "../../src/provider/webhook/validate";
import { accepted, rejected, SECRET, type Prop } from "../support/inputs";
import { thrown } from "../support/thrown";
import { TF_1_11, webhook, type Attrs } from "../support/webhook-resource";

describe("validateWebhook: the construct's rules and messages", () => {
  const ATTRIBUTE: Partial<Record<Prop, string>> = {
    url: "url",
    agentId: "agent_id",
    description: "description",
    secret: "secret",
  };
  const RULE_MESSAGE = {
    url: messages.urlRule,
    agentId: messages.agentIdRule,
    description: messages.descriptionRule,
    secret: () => messages.secretRule(),
  } as const;
  const mine = (prop: Prop) => prop in ATTRIBUTE;
  const configWith = (attribute: string, value: string) => webhook({ [attribute]: value } as Attrs);

  test.each(accepted.filter(([prop]) => mine(prop)))("accepts %s: %s", (prop, _, value) => {
    expect(validateWebhook(configWith(ATTRIBUTE[prop]!, value), TF_1_11)).toEqual([]);
  });

  test.each(rejected.filter(([prop]) => mine(prop)))(
    "rejects %s: %s, with the construct's message",
    (prop, _, value) => {
      const attribute = ATTRIBUTE[prop]!;
      const diagnostics = validateWebhook(configWith(attribute, value), TF_1_11);
      // What the construct throws for the same literal; the provider names the attribute in snake_case.
      const rule = prop as "url" | "agentId" | "description" | "secret";
      const construct = thrown(() => checkLiteral(rule, value, RULE_MESSAGE[rule])).message.replace(
        /`agentId`/g,
        "`agent_id`",
      );
      expect(diagnostics).toEqual([
        { severity: "error", summary: "Invalid attribute value", detail: construct, attribute },
      ]);
      if (prop === "agentId") expect(construct).toBe(messages.agentIdRule(quote(value), "agent_id"));
      if (prop === "secret" && value !== "") expect(diagnostics[0].detail).not.toContain(value);
    },
  );

  test("checks nothing of values unknown until apply", () => {
    const config = webhook({
      url: UNKNOWN,
      agent_id: UNKNOWN,
      description: UNKNOWN,
      secret: UNKNOWN,
      secret_version: UNKNOWN,
    });
    expect(validateWebhook(config, TF_1_11)).toEqual([]);
  });

  test("refuses a secret when Terraform cannot keep write-only attributes out of plan and state, naming Terraform 1.11", () => {
    const diagnostics = validateWebhook(webhook({ secret: SECRET }), {
      terraformVersion: "1.10.5",
      writeOnlyAttributesAllowed: false,
    });
    expect(diagnostics).toEqual([
      {
        severity: "error",
        summary: "Write-only attributes need Terraform 1.11",
        detail: messages.writeOnlyNeedsTerraform("1.10.5"),
        attribute: "secret",
      },
    ]);
    expect(diagnostics[0].detail).toContain("Terraform 1.11 or later (this is 1.10.5)");
    expect(diagnostics[0].detail).not.toContain(SECRET);
  });

  test("refuses adopt_existing, write-only too, when Terraform cannot plan write-only attributes", () => {
    const diagnostics = validateWebhook(webhook({ adopt_existing: true }), {
      terraformVersion: "1.10.5",
      writeOnlyAttributesAllowed: false,
    });
    expect(diagnostics).toEqual([
      {
        severity: "error",
        summary: "Write-only attributes need Terraform 1.11",
        detail: messages.writeOnlyNeedsTerraform("1.10.5", "adopt_existing"),
        attribute: "adopt_existing",
      },
    ]);
    expect(diagnostics[0].detail).toContain("import the webhook instead");
  });

  test("refuses a secret known only at apply too when write-only attributes are not allowed", () => {
    const diagnostics = validateWebhook(webhook({ secret: UNKNOWN }), {
      terraformVersion: "",
      writeOnlyAttributesAllowed: false,
    });
    expect(diagnostics.map((d) => d.summary)).toEqual(["Write-only attributes need Terraform 1.11"]);
    expect(diagnostics[0].detail).toContain("this is an older version");
  });

  test("refuses secret_version without secret", () => {
    expect(validateWebhook(webhook({ secret_version: "2" }), TF_1_11)).toEqual([
      {
        severity: "error",
        summary: "secret_version without secret",
        detail: messages.secretVersionWithoutSecret(),
        attribute: "secret_version",
      },
    ]);
    expect(validateWebhook(webhook({ secret_version: "2", secret: SECRET }), TF_1_11)).toEqual([]);
  });
});
