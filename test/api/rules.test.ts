/**
 * Each field rule is defined once (src/api/rules.ts, src/api/assumptions.ts). These tests hold the places
 * that cannot read it to it: the README and the JSDoc of the props, which state the limits in words, and the
 * emulator's answers, which must word a rule as the library's messages do.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import {
  MAX_DESCRIPTION_LENGTH,
  MAX_SECRET_LENGTH,
  MAX_URL_LENGTH,
  MIN_SECRET_LENGTH,
} from "../../src/api/assumptions";
import { MAX_TIMEOUT_MS, RULE_TEXT, rules } from "../../src/api/rules";
import { parseCreateInput, parseUpdateInput } from "../../src/emulator/validation";
import { messages } from "../../src/messages";
import { thrown } from "../support/thrown";

const read = (file: string) => fs.readFileSync(path.join(__dirname, "..", "..", file), "utf8");

describe("the limits stated in words", () => {
  const readme = read("README.md");
  const webhookProps = read("src/construct/webhook.ts");
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

describe("the emulator's wording of a rule", () => {
  test.each([
    ["url", { url: "http://example.com/plain-http" }],
    ["description", { url: "https://hooks.example.com/", description: "d".repeat(MAX_DESCRIPTION_LENGTH + 1) }],
    ["secret", { url: "https://hooks.example.com/", secret: "s".repeat(MIN_SECRET_LENGTH - 1) }],
  ] as const)("refuses a bad %s with the rule's own words, as the library's message has them", (field, body) => {
    const error = thrown(() => parseCreateInput(body)) as Error & { details?: { field?: string } };
    expect(error.message).toBe(`${field} must be ${RULE_TEXT[field]}`);
    expect(error.details?.field).toBe(field);
  });

  test("refuses in an update what it refuses in a create, by the same predicate", () => {
    const url = "https://hooks.example.com/\u0000";
    expect(rules.url(url)).toBe(false);
    expect(thrown(() => parseUpdateInput({ url })).message).toBe(`url must be ${RULE_TEXT.url}`);
  });

  test("the library's messages say what the emulator says", () => {
    expect(messages.urlRule('"x"')).toContain(`must be ${RULE_TEXT.url}`);
    expect(messages.descriptionRule('"x"')).toContain(`must be ${RULE_TEXT.description}`);
    expect(messages.secretRule()).toContain(`must be ${RULE_TEXT.secret}`);
  });
});
