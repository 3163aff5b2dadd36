/**
 * Terraform values as the provider's logic sees them: a resource's object is a plain record of attribute
 * name to value, where a value may be null (not set) or UNKNOWN (known only after apply), at any depth. The
 * types are cty's, as the schema sends them in JSON: primitives (`"string"`), and collections and objects
 * as two-element arrays (`["list","string"]`, `["map","string"]`, `["object",{"id":"string"}]`).
 */

/** A value Terraform does not know yet (it depends on an apply). */
export const UNKNOWN: unique symbol = Symbol("unknown");
export type Unknown = typeof UNKNOWN;

export type Primitive = string | number | boolean;
/** A list or set: an array. A map or object: a record of key (attribute name) to value. */
export type Value = Primitive | null | Unknown | readonly Value[] | { readonly [key: string]: Value };

/** One resource's (or the provider configuration's) object: every schema attribute is present. */
export type ObjectValue = Record<string, Value>;

/** The cty primitive types; in the schema they travel as JSON (`"string"`). */
export type PrimitiveType = "string" | "number" | "bool";

/** A cty type: a primitive, a list, set or map of one element type, or an object of named attributes. */
export type ValueType =
  | PrimitiveType
  | readonly ["list", ValueType]
  | readonly ["set", ValueType]
  | readonly ["map", ValueType]
  | readonly ["object", Readonly<Record<string, ValueType>>];

/** `list(element)`: ordered, duplicates allowed. */
export function listOf(element: ValueType): ValueType {
  return ["list", element];
}

/** `set(element)`: unordered, no duplicates (Terraform sorts and compares; the wire order means nothing). */
export function setOf(element: ValueType): ValueType {
  return ["set", element];
}

/** `map(element)`: string keys to values of one type. */
export function mapOf(element: ValueType): ValueType {
  return ["map", element];
}

/** `object({...})`: every attribute present in a value (null when not set). */
export function objectOf(attributes: Readonly<Record<string, ValueType>>): ValueType {
  return ["object", attributes];
}

/** The value when it is known and set, else undefined: for logic that acts only on real values. */
export function known<T extends Primitive>(value: Value | undefined): T | undefined {
  return value === null || value === undefined || value === UNKNOWN ? undefined : (value as T);
}

/** Whether a value holds no UNKNOWN at any depth (null counts as known). */
export function whollyKnown(value: Value | undefined): boolean {
  if (value === UNKNOWN) return false;
  if (value === null || value === undefined || typeof value !== "object") return true;
  return (isList(value) ? value : Object.values(value)).every(whollyKnown);
}

/** Whether a value is a list or set (an array), as opposed to a map or object. */
export function isList(value: Value | undefined): value is readonly Value[] {
  return Array.isArray(value);
}
