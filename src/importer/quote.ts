/**
 * How values read from the API are written into generated code. String literals are ASCII only: every other
 * character, and every control character, is an escape, so that no text from the API can end a literal or a
 * comment, hide in invisible or bidirectional characters ("Trojan Source"), or depend on the file's encoding,
 * and so that a literal's width is its length (Prettier lays out a line by its width). Comments show names
 * as people wrote them, with only what could be invisible or end the comment escaped.
 */

/** Code points never written as themselves in a comment: controls, format (bidi, zero-width), separators but the space, surrogates, private use, unassigned. */
const INVISIBLE = /[\p{C}\p{Z}]/u;

const hex = (n: number, digits: number) => n.toString(16).toUpperCase().padStart(digits, "0");

/** `\uXXXX` for each UTF-16 code unit of `c` (a surrogate pair for an astral code point). */
const unicodeEscape = (c: string) => [...Array(c.length).keys()].map((i) => `\\u${hex(c.charCodeAt(i), 4)}`).join("");

const SHORT_ESCAPES: Readonly<Record<string, string>> = { "\\": "\\\\", "\n": "\\n", "\r": "\\r", "\t": "\\t" };

/**
 * A string as a TypeScript literal: double quotes, unless the value holds more double than single quotes
 * (Prettier's choice, so that it leaves the literal as it is); only the chosen quote is escaped.
 */
export function tsString(value: string): string {
  const doubles = value.split('"').length - 1;
  const singles = value.split("'").length - 1;
  const q = doubles > singles ? "'" : '"';
  let out = "";
  // Iterating by UTF-16 code unit keeps unpaired surrogates, which a literal can carry as escapes.
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    const code = c.charCodeAt(0);
    if (c === q) out += `\\${q}`;
    else if (SHORT_ESCAPES[c] !== undefined) out += SHORT_ESCAPES[c];
    else if (code < 0x20 || code > 0x7e) out += `\\u${hex(code, 4)}`;
    else out += c;
  }
  return `${q}${out}${q}`;
}

/**
 * A string as an HCL (Terraform) quoted template: `${` and `%{` doubled to `$${` and `%%{` so that Terraform
 * reads them as text, not as interpolation or a directive. Throws for an unpaired surrogate, which no
 * Terraform string can hold (check with `representable` first).
 */
export function hclString(value: string): string {
  if (!representable(value)) throw new RangeError("an HCL string cannot hold an unpaired surrogate");
  let out = "";
  for (const c of value.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{")) {
    const code = c.codePointAt(0)!;
    if (c === '"') out += '\\"';
    else if (SHORT_ESCAPES[c] !== undefined) out += SHORT_ESCAPES[c];
    else if (code < 0x20 || code > 0x7e) out += code > 0xffff ? `\\U${hex(code, 8)}` : `\\u${hex(code, 4)}`;
    else out += c;
  }
  return `"${out}"`;
}

/** Whether Terraform (and so a cdktf program) can hold the string: no unpaired UTF-16 surrogates. */
export function representable(value: string): boolean {
  // In a /u pattern a well-formed pair is one astral code point; only an unpaired surrogate is \p{Cs}.
  return !/\p{Cs}/u.test(value);
}

/**
 * A text for a `//` or `#` comment, or a block comment: double-quoted, with backslashes, quotes, line breaks
 * and every invisible character escaped, and `*` `/` split so that it cannot close a block comment. Other
 * non-ASCII characters (letters, emoji) are kept, so names read as people know them.
 */
export function commentString(value: string): string {
  let out = "";
  for (const c of value) {
    if (c === '"') out += '\\"';
    else if (SHORT_ESCAPES[c] !== undefined) out += SHORT_ESCAPES[c];
    else if (c !== " " && INVISIBLE.test(c)) out += unicodeEscape(c);
    else out += c;
  }
  return `"${out.replace(/\*\//g, "*\\/")}"`;
}
