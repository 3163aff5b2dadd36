/**
 * The rules a webhook's fields must follow, defined once as data: the construct checks literals with them
 * at synth time and turns the patterns into Terraform preconditions for tokens; the provider checks them in
 * ValidateResourceConfig. The emulator holds requests to what the API itself accepts (apiAccepts), which
 * every value these rules allow passes. The patterns are written so that JavaScript and RE2 (Terraform's
 * regex engine) read them the same way; lengths count user-perceived characters, as Terraform's length()
 * does.
 */
import {
  MAX_DESCRIPTION_LENGTH,
  MAX_SECRET_LENGTH,
  MAX_URL_LENGTH,
  MIN_SECRET_LENGTH,
  countCharacters,
} from "./assumptions";

/** 0 to 65535. */
const PORT = "(:([0-9]{1,4}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?";
/**
 * Characters never allowed: C0 and C1 controls, DEL, and the spaces of either engine (JavaScript's `\s`
 * includes Unicode spaces, RE2's does not, so both are spelled out and the two engines agree).
 */
const NOT_IN_URL = " \\x00-\\x1f\\x7f\u0080-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff";
const REST = `([/?#][^${NOT_IN_URL}]*)?`;
const DNS_HOST = "([A-Za-z0-9-]+\\.)*[A-Za-z0-9-]+";
const IPV6_HOST = "\\[[0-9A-Fa-f:.]+\\]";
const LOOPBACK_HOST = "(localhost|127\\.[0-9]{1,3}\\.[0-9]{1,3}\\.[0-9]{1,3}|\\[::1\\])";

/**
 * An absolute https URL without userinfo, whitespace or control characters; plain http only on loopback
 * hosts, so the emulator works. Unicode host names must be given in their punycode form.
 */
export const WEBHOOK_URL_PATTERN = `^(https://(${DNS_HOST}|${IPV6_HOST})|http://${LOOPBACK_HOST})${PORT}${REST}$`;
/** Printable text: no control characters but tab, newline and carriage return. */
export const DESCRIPTION_PATTERN = "^[^\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]*$";
/** No control characters at all. */
export const SECRET_PATTERN = "^[^\\x00-\\x1f\\x7f]*$";
/** The name of an environment variable. */
export const ENV_NAME_PATTERN = "^[A-Za-z_][A-Za-z0-9_]*$";

/** A UUID in its canonical textual form (any version, any case). */
export const UUID_PATTERN = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Each pattern compiled once: a rule is checked for every attribute of every webhook Terraform validates. */
const compiled = new Map<string, RegExp>();
const test = (pattern: string | RegExp, value: string) => {
  if (typeof pattern !== "string") return pattern.test(value);
  let regex = compiled.get(pattern);
  if (!regex) compiled.set(pattern, (regex = new RegExp(pattern)));
  return regex.test(value);
};
const within = (value: string, min: number, max: number) => {
  const n = countCharacters(value);
  return n >= min && n <= max;
};

/** The upper bound of the client's requestTimeoutMs and deadlineMs, as a connection or the provider sets them. */
export const MAX_TIMEOUT_MS = 600_000;

/** C0 and C1 controls and DEL. */
// eslint-disable-next-line no-control-regex -- control characters are what this rule refuses
const CONTROL_CHARACTERS = /[\x00-\x1f\x7f-\x9f]/;

/** A rule on a webhook field as data: a pattern, and a length range in user-perceived characters. */
export interface FieldRule {
  readonly pattern: string;
  readonly min: number;
  readonly max: number;
}

/**
 * The webhook fields' rules: the predicates below and the construct's plan-time preconditions are both made
 * from this table, so the two cannot disagree.
 */
export const FIELD_RULES = {
  url: { pattern: WEBHOOK_URL_PATTERN, min: 1, max: MAX_URL_LENGTH },
  description: { pattern: DESCRIPTION_PATTERN, min: 0, max: MAX_DESCRIPTION_LENGTH },
  secret: { pattern: SECRET_PATTERN, min: MIN_SECRET_LENGTH, max: MAX_SECRET_LENGTH },
} as const satisfies Record<string, FieldRule>;

const inBounds = (rule: FieldRule, value: string) => within(value, rule.min, rule.max);
const follows = (rule: FieldRule, value: string) => test(rule.pattern, value) && inBounds(rule, value);

/** One predicate per rule: true when the value is allowed. */
export const rules = {
  url: (v: string) => follows(FIELD_RULES.url, v),
  agentId: (v: string) => test(UUID_PATTERN, v),
  description: (v: string) => follows(FIELD_RULES.description, v),
  secret: (v: string) => follows(FIELD_RULES.secret, v),
  apiUrl: (v: string) => test(WEBHOOK_URL_PATTERN, v),
  apiKeyEnvVar: (v: string) => test(ENV_NAME_PATTERN, v),
  nodeExecutable: (v: string) => v.trim() !== "" && !CONTROL_CHARACTERS.test(v),
} as const;

/** An absolute http or https URL, as `new URL` reads one, with no surrounding whitespace. */
function isHttpUrl(value: string): boolean {
  if (value !== value.trim()) return false;
  try {
    const { protocol } = new URL(value);
    return protocol === "https:" || protocol === "http:";
  } catch {
    return false;
  }
}

/**
 * What the API itself accepts, as assumptions.ts decides what its documentation leaves open ("a valid URL",
 * and the length bounds). The emulator answers 400 by these and holds a webhook "made in the UI" to them.
 * The library's own rules above are stricter (https, no credentials, no control characters), so whatever the
 * library sends passes these too, and a foreign webhook the real API would hold, on plain http say, can
 * still be seeded for import, adoption and drift tests.
 */
export const apiAccepts = {
  url: (v: string) => isHttpUrl(v) && inBounds(FIELD_RULES.url, v),
  description: (v: string) => inBounds(FIELD_RULES.description, v),
  secret: (v: string) => inBounds(FIELD_RULES.secret, v),
} as const;

/** What apiAccepts asks for, in the words of the emulator's 400 answers after "must be". */
export const API_RULE_TEXT: Readonly<Record<keyof typeof apiAccepts, string>> = {
  url: `an absolute http or https URL of at most ${MAX_URL_LENGTH} characters, without surrounding spaces`,
  description: `at most ${MAX_DESCRIPTION_LENGTH} characters`,
  secret: `${MIN_SECRET_LENGTH} to ${MAX_SECRET_LENGTH} characters`,
};

export type Rule = keyof typeof rules;

/**
 * An API base URL as the client sends requests to it and the provider records it in state: the WHATWG
 * spelling (host in lower case, default port dropped) without trailing slashes. Two spellings of one URL
 * give the same text, so it can be compared. A URL that cannot be parsed is returned as given.
 */
export function canonicalApiUrl(url: string): string {
  try {
    return new URL(url).toString().replace(/\/+$/, "");
  } catch {
    return url;
  }
}

/** A timeout setting: a whole number of milliseconds from 1 to MAX_TIMEOUT_MS. */
export function validTimeoutMs(value: number): boolean {
  return Number.isInteger(value) && value >= 1 && value <= MAX_TIMEOUT_MS;
}

/**
 * What each rule asks for, in the words every message uses after "must be": the construct's and the
 * provider's diagnostics read these, so a changed bound changes them all.
 */
export const RULE_TEXT: Readonly<Record<Rule | "timeoutMs", string>> = {
  url:
    `an absolute https URL without credentials, spaces or control characters, at most ${MAX_URL_LENGTH} ` +
    "characters (plain http is allowed only for localhost, 127.x.x.x and [::1])",
  agentId: 'a UUID such as "6ba7b810-9dad-11d1-80b4-00c04fd430c8"',
  description: `${API_RULE_TEXT.description} with no control characters other than tab, newline and carriage return`,
  secret: `${API_RULE_TEXT.secret} with no control characters`,
  apiUrl: "an absolute https URL (or http on a loopback host, for the emulator)",
  apiKeyEnvVar: "the name of an environment variable (letters, digits and _, not starting with a digit)",
  nodeExecutable: "a literal, non-empty path or command name of Node.js 20+ (it is not shell-expanded)",
  timeoutMs: `a whole number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`,
};
