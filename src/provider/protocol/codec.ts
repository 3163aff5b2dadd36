/**
 * Terraform's value wire format (cty msgpack, terraform `docs/plugin-protocol/object-wire-format.md`) for
 * the flat objects this provider uses: an object is a msgpack map holding every attribute, null is nil, a
 * whole null object is the single nil byte, and an unknown value is msgpack extension 0. Terraform 1.6+ may
 * send a refined unknown as extension 12; it is unknown too.
 */
import { decode, encode, ExtData, ExtensionCodec } from "@msgpack/msgpack";
import { UNKNOWN, type ObjectValue, type PrimitiveType, type Value } from "./values";

/** The attributes of an object type: what the codec needs to know of a schema. */
export type ObjectType = Readonly<Record<string, PrimitiveType>>;

const UNKNOWN_EXT = 0;
const REFINED_UNKNOWN_EXT = 12;

const extensions = new ExtensionCodec();
extensions.register({
  type: UNKNOWN_EXT,
  encode: (value: unknown) => (value === UNKNOWN ? new Uint8Array([0]) : null),
  decode: () => UNKNOWN,
});
extensions.register({ type: REFINED_UNKNOWN_EXT, encode: () => null, decode: () => UNKNOWN });

/** Thrown when Terraform sends a value that does not fit the schema: a provider bug or a protocol change. */
export class ValueCodecError extends Error {}

/** Encodes an object (or null) of `type` as cty msgpack. */
export function encodeObject(value: ObjectValue | null, type: ObjectType): Buffer {
  if (value === null) return Buffer.from(encode(null));
  const out: Record<string, unknown> = {};
  for (const name of Object.keys(type).sort()) {
    const v = value[name];
    out[name] = v === undefined ? null : checkType(name, v, type[name]);
  }
  return Buffer.from(encode(out, { extensionCodec: extensions }));
}

/**
 * Decodes cty msgpack into an object of `type`, or null. A wholly unknown object (Terraform sends one for a
 * configuration that depends on another resource's whole output) decodes as every attribute unknown.
 */
export function decodeObject(bytes: Uint8Array | undefined, type: ObjectType): ObjectValue | null {
  if (!bytes || bytes.length === 0) return null;
  const raw = decode(bytes, { extensionCodec: extensions, useBigInt64: false });
  return fromRaw(raw, type);
}

/** Decodes the JSON form (`DynamicValue.json`, `RawState.json`) into an object of `type`, or null. */
export function decodeJsonObject(bytes: Uint8Array | undefined, type: ObjectType): ObjectValue | null {
  if (!bytes || bytes.length === 0) return null;
  return fromRaw(JSON.parse(Buffer.from(bytes).toString("utf8")), type);
}

function fromRaw(raw: unknown, type: ObjectType): ObjectValue | null {
  if (raw === null || raw === undefined) return null;
  if (raw === UNKNOWN) return Object.fromEntries(Object.keys(type).map((name) => [name, UNKNOWN]));
  if (typeof raw !== "object" || Array.isArray(raw)) {
    throw new ValueCodecError(`expected an object, got ${describe(raw)}`);
  }
  const record = raw as Record<string, unknown>;
  const out: ObjectValue = {};
  for (const [name, attrType] of Object.entries(type)) {
    const v = record[name];
    out[name] = v === undefined ? null : checkType(name, v as Value, attrType);
  }
  return out;
}

function checkType(name: string, value: Value, type: PrimitiveType): Value {
  if (value === null || value === UNKNOWN) return value;
  switch (type) {
    case "string":
      if (typeof value === "string") return value;
      break;
    case "bool":
      if (typeof value === "boolean") return value;
      break;
    case "number":
      // cty sends numbers too large for a float64 as decimal strings.
      if (typeof value === "number") return value;
      if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) return Number(value);
      break;
  }
  throw new ValueCodecError(`attribute "${name}" should be a ${type}, got ${describe(value)}`);
}

function describe(value: unknown): string {
  if (value instanceof ExtData) return `msgpack extension ${value.type}`;
  return Array.isArray(value) ? "a list" : typeof value;
}
