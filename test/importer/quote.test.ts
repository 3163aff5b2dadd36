/**
 * How preclinical-import quotes what the API returns: TypeScript literals that evaluate to exactly the value,
 * HCL templates that Terraform reads as exactly the value (checked with terraform itself), both ASCII only;
 * and comment text that can neither end its comment nor hide characters.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { commentString, hclString, representable, tsString } from "../../src/importer/quote";
import { describeWithTerraform } from "../support/e2e";
import { HOSTILE_DESCRIPTIONS, HOSTILE_URLS } from "../support/inputs";
import { runTerraform } from "../support/terraform";

/** Values that break naive quoting, one kind each. */
const VALUES = [
  ...HOSTILE_DESCRIPTIONS,
  ...HOSTILE_URLS,
  "",
  '"',
  "'",
  `"'"`,
  `say "hi" and "bye", it's`,
  "back\\slash at the end\\",
  "${x} %{y} $${z} %%{w} $$${v} ${ %{",
  "$",
  "%",
  "{}",
  "\u2028\u2029",
  "\u202e\u2066\u200b\u200d\ufeff\u00a0\u0085\u007f\u0000\u001b",
  "👨‍👩‍👧 🚀 é e\u0301 日本",
  "\u{E0001}\u{1D173}",
  "*/ /* -->",
];

describe("tsString", () => {
  test.each(VALUES.map((v) => [v]))("writes %j as an ASCII literal that evaluates to it", (value) => {
    const literal = tsString(value);

    expect(literal).toMatch(/^[\x20-\x7e]*$/);
    expect(new Function(`return ${literal};`)()).toBe(value);
  });

  test("keeps an unpaired surrogate, escaped", () => {
    expect(tsString("a\ud800b")).toBe('"a\\uD800b"');
    expect(new Function(`return ${tsString("\udc00")};`)()).toBe("\udc00");
  });

  test.each([
    ["no quotes", "plain", '"plain"'],
    ["more single quotes", "it's Bob's", "\"it's Bob's\""],
    ["as many of each", `"a" 'b'`, `"\\"a\\" 'b'"`],
    ["more double quotes", `say "hi"`, `'say "hi"'`],
  ])("chooses the quote as Prettier does: %s", (_, value, literal) => {
    expect(tsString(value)).toBe(literal);
  });
});

describe("hclString", () => {
  test.each([
    ["${x}", '"$${x}"'],
    ["%{ if }", '"%%{ if }"'],
    ["$${already}", '"$$${already}"'],
    ["$ and % alone, {braces}", '"$ and % alone, {braces}"'],
    ['q"b\\', '"q\\"b\\\\"'],
    ["a\nb\r\tc", '"a\\nb\\r\\tc"'],
    ["\u2028é", '"\\u2028\\u00E9"'],
    ["🚀", '"\\U0001F680"'],
  ])("writes %j as %s", (value, literal) => {
    expect(hclString(value)).toBe(literal);
  });

  test("refuses an unpaired surrogate, which no Terraform string holds", () => {
    expect(representable("a\ud800")).toBe(false);
    expect(representable("🚀")).toBe(true);
    expect(() => hclString("a\ud800")).toThrow(/unpaired surrogate/);
  });

  describeWithTerraform("read back by terraform", () => {
    test("every value comes back as it was (in Unicode NFC, as Terraform normalizes every string)", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "preclinical-hcl-quote-"));
      try {
        const outputs = VALUES.map((v, i) => `output "v${i}" {\n  value = ${hclString(v)}\n}\n`).join("\n");
        fs.writeFileSync(path.join(dir, "main.tf"), outputs);
        const apply = await runTerraform(dir, ["apply", "-auto-approve", "-input=false", "-no-color"], {}, []);
        expect(apply.code).toBe(0);
        const shown = await runTerraform(dir, ["output", "-json"], {}, []);
        const values = JSON.parse(shown.stdout) as Record<string, { value: string }>;

        expect(VALUES.map((_, i) => values[`v${i}`].value)).toEqual(VALUES.map((v) => v.normalize("NFC")));
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

describe("commentString", () => {
  test.each(VALUES.map((v) => [v]))("writes %j so that it cannot end a comment or hide a character", (value) => {
    const text = commentString(value);

    expect(text).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(text).not.toContain("*/");
    expect(text).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
    expect(text.startsWith('"') && text.endsWith('"')).toBe(true);
  });

  test("keeps letters, emoji and spaces as people wrote them", () => {
    expect(commentString("Café  Crème 🤖 日本")).toBe('"Café  Crème 🤖 日本"');
    expect(commentString("a\u00a0b\u202e")).toBe('"a\\u00A0b\\u202E"');
  });
});
