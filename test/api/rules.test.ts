/**
 * Each field rule is defined once (src/api/rules.ts, src/api/assumptions.ts). These tests hold the places
 * that cannot read it to it: the README and the JSDoc of the props, which state the limits in words. The
 * emulator holds requests to what the API takes (apiAccepts), a wider set than the library allows: these
 * tests hold it to accepting everything the library sends, and to refusing what the API would refuse.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  MAX_DESCRIPTION_LENGTH,
  MAX_SECRET_LENGTH,
  MAX_URL_LENGTH,
  MIN_SECRET_LENGTH,
} from "../../src/api/assumptions";
import { API_RULE_TEXT, MAX_TIMEOUT_MS, rules, type Rule } from "../../src/api/rules";
import { parseCreateInput, parseUpdateInput } from "../../src/emulator/validation";
import { HOOK_URL, accepted } from "../support/inputs";
import { thrown } from "../support/thrown";

const read = (file: string) => fs.readFileSync(path.join(__dirname, "..", "..", file), "utf8");

describe("the limits stated in words", () => {
  const readme = read("README.md");
  const webhookProps = read("src/construct/webhook-props.ts");
  const connectionProps = read("src/construct/connection.ts");

  test.each([
    ["README.md", readme],
    ["the PreclinicalWebhook props", webhookProps],
  ])("%s states the URL, secret and description limits the rules enforce", (_, text) => {
    expect(text).toMatch(new RegExp(`at most ${MAX_URL_LENGTH} characters`, "i"));
    expect(text).toContain(`${MIN_SECRET_LENGTH} to ${MAX_SECRET_LENGTH} characters`);
    expect(text).toMatch(new RegExp(`at most ${MAX_DESCRIPTION_LENGTH} characters`, "i"));
  });

  test.each([
    ["README.md", readme],
    ["the PreclinicalConnection props", connectionProps],
  ])("%s states the timeout bound the rules enforce", (_, text) => {
    expect(text).toContain(`1 to ${MAX_TIMEOUT_MS}`);
    expect(text).not.toMatch(new RegExp(`1 to (?!${MAX_TIMEOUT_MS}\\b)\\d{4,}`));
  });
});

describe("what the emulator accepts", () => {
  test.each(accepted.filter(([prop]) => prop === "url" || prop === "description" || prop === "secret"))(
    "accepts every %s the library accepts (%s), so what a deploy sends is never refused",
    (prop, _, value) => {
      const body = { url: HOOK_URL, [prop]: value };
      expect(() => parseCreateInput(body)).not.toThrow();
      expect(() => parseUpdateInput({ [prop]: value })).not.toThrow();
    },
  );

  test.each([
    ["url", "http://example.com/hook"],
    ["url", "https://user:pass@hooks.example.com/hook"],
    ["description", "bell \u0007 character"],
    ["secret", `${"s".repeat(MIN_SECRET_LENGTH)}\u0001`],
  ] as const)(
    "holds a %s the library refuses but the API would take (%j), as a webhook made in the UI",
    (prop, value) => {
      const field = prop as Rule;
      expect(rules[field](value)).toBe(false);
      expect(() => parseCreateInput({ url: HOOK_URL, [prop]: value })).not.toThrow();
    },
  );

  test.each([
    ["url", { url: "ftp://files.example.com/hook" }],
    ["url", { url: ` ${HOOK_URL}` }],
    ["url", { url: `https://example.com/${"a".repeat(MAX_URL_LENGTH)}` }],
    ["description", { url: HOOK_URL, description: "d".repeat(MAX_DESCRIPTION_LENGTH + 1) }],
    ["secret", { url: HOOK_URL, secret: "s".repeat(MIN_SECRET_LENGTH - 1) }],
    ["secret", { url: HOOK_URL, secret: "s".repeat(MAX_SECRET_LENGTH + 1) }],
  ] as const)("refuses a %s beyond what the API takes, in the words of API_RULE_TEXT", (field, body) => {
    const fieldOnly = { [field]: (body as Record<string, string>)[field] };
    for (const attempt of [() => parseCreateInput(body), () => parseUpdateInput(fieldOnly)]) {
      const error = thrown(attempt) as Error & { details?: { field?: string } };
      expect(error.message).toBe(`${field} must be ${API_RULE_TEXT[field]}`);
      expect(error.details?.field).toBe(field);
    }
  });
});
