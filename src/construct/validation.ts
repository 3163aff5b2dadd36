/**
 * The rules of ../api/rules.ts applied to a construct's props: to literal values at synth time, and as
 * Terraform preconditions (the same regular expressions, in RE2) to values only known at plan time.
 */
import type { IConstruct } from "constructs";
import { Fn, Op, Token, type IResolvable, type Precondition } from "cdktf";
import { FIELD_RULES, UUID_PATTERN, rules, type FieldRule, type Rule } from "../api/rules";
import { messages, quote } from "../messages";
import { hclLiteral } from "./hcl";

const matches = (pattern: string, value: string): IResolvable => Fn.can(Fn.regex(hclLiteral(pattern), value));
// cdktf renders a literal 0 operand as `undefined`, so a lower bound of 0 is left out rather than written.
const lengthWithin = (value: string, min: number, max: number): IResolvable =>
  min > 0 ? Op.and(Op.gte(Fn.lengthOf(value), min), Op.lte(Fn.lengthOf(value), max)) : Op.lte(Fn.lengthOf(value), max);

/** A field rule of ../api/rules.ts as a Terraform condition over a token. */
const follows = (rule: FieldRule, value: string): IResolvable =>
  Op.and(matches(rule.pattern, value), lengthWithin(value, rule.min, rule.max));

/** The plan-time twin of each rule: a precondition over a token, with the same message. */
export const preconditions = {
  url: (value: string): Precondition => ({
    condition: follows(FIELD_RULES.url, value),
    errorMessage: messages.urlRule(`"${value}"`),
  }),
  agentId: (value: string): Precondition => ({
    condition: matches(UUID_PATTERN.source, value),
    errorMessage: messages.agentIdRule(`"${value}"`),
  }),
  description: (value: string): Precondition => ({
    condition: follows(FIELD_RULES.description, value),
    errorMessage: messages.descriptionRule(`"${value}"`),
  }),
  isEnabled: (value: IResolvable): Precondition => ({
    condition: Fn.contains(["true", "false"], Fn.tostring(value)),
    errorMessage: messages.isEnabledRule(`"${Fn.tostring(value)}"`),
  }),
  // The message never quotes the secret: Terraform would refuse a sensitive value there anyway.
  secret: (value: string): Precondition => ({
    condition: follows(FIELD_RULES.secret, value),
    errorMessage: messages.secretRule(),
  }),
};

/** Checks a literal value against its rule; throws the rule's message. Tokens are left to preconditions. */
export function checkLiteral(rule: Rule, value: string, message: (shown: string) => string): void {
  if (Token.isUnresolved(value)) return;
  if (!rules[rule](value)) throw new Error(message(quote(value)));
}

/** An error in a construct's props whose message already names the construct. */
class ConstructPropsError extends Error {}

/**
 * Runs synth-time checks of a construct's props; an error they throw names the construct by its path
 * ("preclinical-webhooks/triage: `agentId` must be a UUID, ..."), once, however deeply it was thrown.
 */
export function namingConstruct<T>(construct: IConstruct, check: () => T): T {
  try {
    return check();
  } catch (err) {
    if (err instanceof ConstructPropsError || !(err instanceof Error)) throw err;
    const path = construct.node.path;
    throw new ConstructPropsError(
      err.message.startsWith(`${path}: `) ? err.message : messages.atConstruct(path, err.message),
    );
  }
}
