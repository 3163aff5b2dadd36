/**
 * Terraform's value wire format (cty msgpack, terraform `docs/plugin-protocol/object-wire-format.md`): an
 * object is a msgpack map holding every attribute, a list or set is an array, a map is a msgpack map of its
 * keys, null is nil (a whole null object is the single nil byte), and an unknown value, at any depth, is a
 * msgpack extension: 0 when this provider writes one, and any code when Terraform does (1.6+ sends a
 * refined unknown as extension 12, and the protocol reserves the others for unknowns too).
 */
import { decode, encode, ExtData, ExtensionCodec } from "@msgpack/msgpack";
import { UNKNOWN, isList, type ObjectValue, type Value, type ValueType } from "./values";

/** The attributes of an object type: what the codec needs to know of a schema. */
export type ObjectType = Readonly<Record<string, ValueType>>;

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
  return Buffer.from(
    encode(
      walkFrom(() => objectToWire(value, type)),
      { extensionCodec: extensions },
    ),
  );
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
  if (isUnknown(raw)) return Object.fromEntries(Object.keys(type).map((name) => [name, UNKNOWN]));
  if (!isRecord(raw)) throw new ValueCodecError(`expected an object, got ${describe(raw)}`);
  return walkFrom(() => objectFromWire(raw, type));
}

// The attribute path of the value being walked, kept as a stack of segments (`.name`, `[0]`, `["key"]`) and
// joined only for an error message: building a path string for every value costs a plan of many webhooks.
const trail: string[] = [];

function currentPath(): string {
  return trail.join("").replace(/^\./, "");
}

/** An object type's attribute names, sorted as the wire format orders them, worked out once per type. */
const sortedNames = new WeakMap<ObjectType, readonly string[]>();

function namesOf(type: ObjectType): readonly string[] {
  let names = sortedNames.get(type);
  if (!names) sortedNames.set(type, (names = Object.keys(type).sort()));
  return names;
}

/** A walk from the top: the trail starts empty, and a walk that threw leaves none behind. */
function walkFrom<T>(walk: () => T): T {
  trail.length = 0;
  try {
    return walk();
  } finally {
    trail.length = 0;
  }
}

function walkIn<T>(segment: string, walk: () => T): T {
  trail.push(segment);
  const out = walk();
  trail.pop();
  return out;
}

// ---- encoding: every value checked against its type, object attributes sorted and all present ----

function toWire(value: Value | undefined, type: ValueType): unknown {
  if (value === null || value === undefined || value === UNKNOWN) return value ?? null;
  if (typeof type === "string") return primitive(value, type);
  const [kind, inner] = type;
  switch (kind) {
    case "list":
    case "set":
      if (isList(value)) return value.map((v, i) => walkIn(`[${i}]`, () => toWire(v, inner)));
      break;
    case "map":
      if (isRecord(value)) {
        return Object.fromEntries(
          Object.entries(value).map(([k, v]) => [k, walkIn(keySegment(k), () => toWire(v, inner))]),
        );
      }
      break;
    case "object":
      if (isRecord(value)) return objectToWire(value, inner);
      break;
  }
  throw mismatch(type, value);
}

function objectToWire(value: { readonly [key: string]: Value }, type: ObjectType): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const name of namesOf(type)) {
    trail.push(`.${name}`);
    out[name] = toWire(value[name], type[name]);
    trail.pop();
  }
  return out;
}

// ---- decoding: the same walk in reverse; absent attributes are null, extra ones are dropped ----

function fromWire(raw: unknown, type: ValueType): Value {
  if (raw === null || raw === undefined) return null;
  if (isUnknown(raw)) return UNKNOWN;
  if (typeof type === "string") return primitive(raw as Value, type);
  const [kind, inner] = type;
  switch (kind) {
    case "list":
    case "set":
      if (Array.isArray(raw)) return raw.map((v, i) => walkIn(`[${i}]`, () => fromWire(v, inner)));
      break;
    case "map":
      if (isRecord(raw)) {
        return Object.fromEntries(
          Object.entries(raw).map(([k, v]) => [k, walkIn(keySegment(k), () => fromWire(v, inner))]),
        );
      }
      break;
    case "object":
      if (isRecord(raw)) return objectFromWire(raw, inner);
      break;
  }
  throw mismatch(type, raw);
}

function objectFromWire(raw: Record<string, unknown>, type: ObjectType): ObjectValue {
  const out: Record<string, Value> = {};
  for (const name of Object.keys(type)) {
    trail.push(`.${name}`);
    out[name] = fromWire(raw[name], type[name]);
    trail.pop();
  }
  return out;
}

function primitive(value: Value, type: ValueType & string): Value {
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
  throw mismatch(type, value);
}

function isUnknown(raw: unknown): boolean {
  return raw === UNKNOWN || raw instanceof ExtData;
}

function isRecord(value: unknown): value is Record<string, Value> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array);
}

function keySegment(key: string): string {
  return `[${JSON.stringify(key)}]`;
}

function mismatch(type: ValueType, value: unknown): ValueCodecError {
  const name = typeName(type);
  const article = name.startsWith("object") ? "an" : "a";
  return new ValueCodecError(`attribute "${currentPath()}" should be ${article} ${name}, got ${describe(value)}`);
}

/** A type as Terraform writes it: string, list(string), map(number), object({...}). */
export function typeName(type: ValueType): string {
  if (typeof type === "string") return type;
  const [kind, inner] = type;
  if (kind === "object") return `object({${Object.keys(inner).join(", ")}})`;
  return `${kind}(${typeName(inner)})`;
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return "a list";
  if (value instanceof Uint8Array) return "binary data";
  if (typeof value === "object" && value !== null) return "a map or object";
  return typeof value;
}
