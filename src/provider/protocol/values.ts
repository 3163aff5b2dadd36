/**
 * Terraform values as the provider's logic sees them: a resource's object is a plain record of attribute
 * name to value, where a value may be null (not set) or UNKNOWN (known only after apply). The schema types
 * here are the ones this provider uses: primitives only, so objects are one level deep.
 */

/** A value Terraform does not know yet (it depends on an apply). */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;

export type Primitive = string | number | boolean;
export type Value = Primitive | null | Unknown;

/** One resource's (or the provider configuration's) object: every schema attribute is present. */
export type ObjectValue = Record<string, Value>;

/** The cty primitive types this provider declares; in the schema they travel as JSON (`"string"`). */
export type PrimitiveType = "string" | "number" | "bool";

/** The value when it is known and set, else undefined: for logic that acts only on real values. */
export function known<T extends Primitive>(value: Value | undefined): T | undefined {
  return value === null || value === undefined || value === UNKNOWN ? undefined : (value as T);
}
