/**
 * The rules a webhook's props must follow, written once and applied twice: with zod at synth time for
 * literal values, and as Terraform preconditions (the same regular expressions, in RE2) for values only
 * known at plan time. The JavaScript and RE2 dialects agree on every construct these patterns use.
 */
import { Fn, Op, Token, type IResolvable, type Precondition } from "cdktf";
import { z } from "zod";
import { MAX_DESCRIPTION_LENGTH, MAX_SECRET_LENGTH, MAX_URL_LENGTH, MIN_SECRET_LENGTH, countCharacters } from "../api/assumptions";
import { UUID_PATTERN } from "../api/schemas";
import { messages, quote } from "../messages";

export { quote };

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

const chars = countCharacters;

const rx = (pattern: string | RegExp) => (typeof pattern === "string" ? new RegExp(pattern) : pattern);

export const rules = {
  url: z.string().regex(rx(WEBHOOK_URL_PATTERN)).refine((v) => chars(v) <= MAX_URL_LENGTH),
  agentId: z.string().regex(UUID_PATTERN),
  description: z.string().regex(rx(DESCRIPTION_PATTERN)).refine((v) => chars(v) <= MAX_DESCRIPTION_LENGTH),
  secret: z
    .string()
    .regex(rx(SECRET_PATTERN))
    .refine((v) => chars(v) >= MIN_SECRET_LENGTH && chars(v) <= MAX_SECRET_LENGTH),
  apiUrl: z.string().regex(rx(WEBHOOK_URL_PATTERN)),
  apiKeyEnvVar: z.string().regex(rx(ENV_NAME_PATTERN)),
};

/**
 * Escapes a literal user string for Terraform's template syntax: cdktf passes `${` and `%{` through, and
 * Terraform would read them as interpolation or a directive. `$${` and `%%{` reach the API as `${` and `%{`.
 */
export function escapeTemplate(value: string): string {
  return value.replace(/\$\{/g, () => "$${").replace(/%\{/g, () => "%%{");
}

/** A JavaScript string as an HCL string literal body: cdktf's Fn.regex does not escape backslashes. */
function hclLiteral(value: string): string {
  return value.replace(/\\/g, "\\\\").replace(/"/g, '\\"');
}

const matches = (pattern: string, value: string): IResolvable => Fn.can(Fn.regex(hclLiteral(pattern), value));
// cdktf renders a literal 0 operand as `undefined`, so a lower bound of 0 is left out rather than written.
const lengthWithin = (value: string, min: number, max: number): IResolvable =>
  min > 0 ? Op.and(Op.gte(Fn.lengthOf(value), min), Op.lte(Fn.lengthOf(value), max)) : Op.lte(Fn.lengthOf(value), max);

/** The plan-time twin of each rule: a precondition over a token, with the same message. */
export const preconditions = {
  url: (value: string): Precondition => ({
    condition: Op.and(matches(WEBHOOK_URL_PATTERN, value), lengthWithin(value, 1, MAX_URL_LENGTH)),
    errorMessage: messages.urlRule(`"${value}"`),
  }),
  agentId: (value: string): Precondition => ({
    condition: matches(UUID_PATTERN.source, value),
    errorMessage: messages.agentIdRule(`"${value}"`),
  }),
  description: (value: string): Precondition => ({
    condition: Op.and(matches(DESCRIPTION_PATTERN, value), lengthWithin(value, 0, MAX_DESCRIPTION_LENGTH)),
    errorMessage: messages.descriptionRule(`"${value}"`),
  }),
  isEnabled: (value: IResolvable): Precondition => ({
    condition: Fn.contains(["true", "false"], Fn.tostring(value)),
    errorMessage: messages.isEnabledRule(`"${Fn.tostring(value)}"`),
  }),
  // The message never quotes the secret: Terraform would refuse a sensitive value there anyway.
  secret: (value: string): Precondition => ({
    condition: Op.and(matches(SECRET_PATTERN, value), lengthWithin(value, MIN_SECRET_LENGTH, MAX_SECRET_LENGTH)),
    errorMessage: messages.secretRule(),
  }),
};

/** Checks a literal value against its rule; throws the rule's message. Tokens are left to preconditions. */
export function checkLiteral(rule: keyof typeof rules, value: string, message: (shown: string) => string): void {
  if (Token.isUnresolved(value)) return;
  if (!rules[rule].safeParse(value).success) throw new Error(message(quote(value)));
}
