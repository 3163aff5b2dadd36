/**
 * The cty msgpack codec (terraform docs/plugin-protocol/object-wire-format.md) for objects of primitive
 * attributes, and the JSON form Terraform uses for raw state (collections: codec-collections.test.ts).
 */
import { decode, encode, ExtData } from "@msgpack/msgpack";
import {
  decodeJsonObject,
  decodeObject,
  encodeObject,
  ValueCodecError,
  type ObjectType,
} from "../../src/provider/protocol/codec";
import { UNKNOWN, type ObjectValue } from "../../src/provider/protocol/values";

const TYPE: ObjectType = { name: "string", enabled: "bool", count: "number", note: "string" };

/** The msgpack bytes as a plain structure, extensions as ExtData: what Terraform would read. */
const raw = (bytes: Uint8Array) => decode(bytes);

describe("cty msgpack codec", () => {
  test.each<[string, ObjectValue]>([
    ["strings, bools and numbers", { name: "hook", enabled: true, count: 3, note: "x" }],
    ["false, zero and the empty string", { name: "", enabled: false, count: 0, note: "" }],
    ["fractions and negative numbers", { name: "n", enabled: true, count: -12.75, note: "ü ✓ 🚀" }],
    ["null attributes", { name: "hook", enabled: null, count: null, note: null }],
    ["unknown attributes", { name: UNKNOWN, enabled: true, count: UNKNOWN, note: null }],
  ])("an object with %s survives a round trip unchanged", (_, value) => {
    expect(decodeObject(encodeObject(value, TYPE), TYPE)).toEqual(value);
  });

  test("encodes a whole null object as the single msgpack nil byte 0xc0", () => {
    expect([...encodeObject(null, TYPE)]).toEqual([0xc0]);
    expect(decodeObject(Buffer.from([0xc0]), TYPE)).toBeNull();
  });

  test("decodes absent or empty bytes as a null object", () => {
    expect(decodeObject(undefined, TYPE)).toBeNull();
    expect(decodeObject(new Uint8Array(0), TYPE)).toBeNull();
  });

  test("encodes an unknown value as msgpack extension 0 (bytes d4 00 00), which decodes back to UNKNOWN", () => {
    const bytes = encodeObject({ a: UNKNOWN }, { a: "string" });
    // fixmap(1), fixstr "a", fixext1 type 0 data 0
    expect([...bytes]).toEqual([0x81, 0xa1, 0x61, 0xd4, 0x00, 0x00]);
    expect(decodeObject(bytes, { a: "string" })).toEqual({ a: UNKNOWN });
  });

  test("decodes a refined unknown (extension 12, Terraform 1.6+) as UNKNOWN", () => {
    // A refinement payload as cty writes it: a map of refinement codes (1 = "not null").
    const refined = new ExtData(12, Uint8Array.from(encode({ 1: true })));
    const bytes = encode({ name: refined, enabled: true, count: 1, note: null });
    expect(decodeObject(bytes, TYPE)).toEqual({ name: UNKNOWN, enabled: true, count: 1, note: null });
  });

  test("decodes any other extension code as UNKNOWN: the protocol reserves them all for unknown values", () => {
    const bytes = encode({ name: new ExtData(7, new Uint8Array([1])), enabled: true, count: 1, note: null });
    expect(decodeObject(bytes, TYPE)).toEqual({ name: UNKNOWN, enabled: true, count: 1, note: null });
  });

  test("decodes a wholly unknown object as every attribute unknown", () => {
    expect(decodeObject(Buffer.from([0xd4, 0x00, 0x00]), TYPE)).toEqual({
      name: UNKNOWN,
      enabled: UNKNOWN,
      count: UNKNOWN,
      note: UNKNOWN,
    });
    const refinedWhole = encode(new ExtData(12, Uint8Array.from(encode({ 1: true }))));
    expect(decodeObject(refinedWhole, TYPE)).toEqual({
      name: UNKNOWN,
      enabled: UNKNOWN,
      count: UNKNOWN,
      note: UNKNOWN,
    });
  });

  test("decodes attributes missing from the input as null (nested null), never as undefined", () => {
    const decoded = decodeObject(encode({ name: "only" }), TYPE);
    expect(decoded).toEqual({ name: "only", enabled: null, count: null, note: null });
    expect(Object.keys(decoded ?? {}).sort()).toEqual(Object.keys(TYPE).sort());
  });

  test("ignores attributes the schema does not have", () => {
    expect(decodeObject(encode({ name: "n", stray: 1 }), TYPE)).toEqual({
      name: "n",
      enabled: null,
      count: null,
      note: null,
    });
  });

  test.each([
    ["a big integer", "12345678901234567890", Number("12345678901234567890")],
    ["a fraction", "1.5", 1.5],
    ["a negative exponent form", "-2e3", -2000],
  ])("decodes a number sent as a decimal string (%s) as a number", (_, sent, expected) => {
    expect(decodeObject(encode({ count: sent }), TYPE)?.count).toBe(expected);
  });

  test.each([
    ["a number where a string belongs", { name: 5 }, /attribute "name" should be a string, got number/],
    ["a string where a bool belongs", { enabled: "true" }, /attribute "enabled" should be a bool, got string/],
    [
      "a non-numeric string where a number belongs",
      { count: "many" },
      /attribute "count" should be a number, got string/,
    ],
    ["an empty string where a number belongs", { count: " " }, /attribute "count" should be a number/],
    ["a list where a string belongs", { note: ["a"] }, /attribute "note" should be a string, got a list/],
    ["a map where a number belongs", { count: { a: 1 } }, /attribute "count" should be a number, got a map/],
  ])("throws ValueCodecError naming the attribute for %s", (_, value, message) => {
    const bytes = encode(value);
    expect(() => decodeObject(bytes, TYPE)).toThrow(ValueCodecError);
    expect(() => decodeObject(bytes, TYPE)).toThrow(message);
  });

  test("throws ValueCodecError when the value is not an object at all", () => {
    expect(() => decodeObject(encode(["a"]), TYPE)).toThrow(ValueCodecError);
    expect(() => decodeObject(encode("text"), TYPE)).toThrow(/expected an object, got string/);
  });

  test("refuses to encode a value of the wrong type, naming the attribute", () => {
    expect(() => encodeObject({ count: "three" as unknown as number }, { count: "number" })).toThrow(ValueCodecError);
    expect(() => encodeObject({ enabled: 1 }, { enabled: "bool" })).toThrow(/attribute "enabled" should be a bool/);
  });

  test("encodes the attributes sorted by name, every attribute present, extra ones dropped", () => {
    const type: ObjectType = { zeta: "string", alpha: "bool", mid: "number" };
    const bytes = encodeObject({ mid: 1, zeta: "z", stray: "x" } as ObjectValue, type);
    const decoded = raw(bytes) as Record<string, unknown>;
    expect(Object.keys(decoded)).toEqual(["alpha", "mid", "zeta"]);
    expect(decoded).toEqual({ alpha: null, mid: 1, zeta: "z" });
  });

  test("encodes the same object to the same bytes whatever the key order of the input", () => {
    const a = encodeObject({ name: "n", enabled: true, count: 1, note: null }, TYPE);
    const b = encodeObject({ note: null, count: 1, enabled: true, name: "n" }, TYPE);
    expect(Buffer.compare(a, b)).toBe(0);
  });
});

describe("JSON form (raw state, DynamicValue.json)", () => {
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));

  test("decodes a raw state with every attribute", () => {
    expect(decodeJsonObject(json({ name: "n", enabled: false, count: 2, note: "x" }), TYPE)).toEqual({
      name: "n",
      enabled: false,
      count: 2,
      note: "x",
    });
  });

  test("decodes attributes missing from a raw state as null (a state written by an older schema)", () => {
    expect(decodeJsonObject(json({ name: "n" }), TYPE)).toEqual({ name: "n", enabled: null, count: null, note: null });
  });

  test("decodes JSON null and absent bytes as a null object", () => {
    expect(decodeJsonObject(json(null), TYPE)).toBeNull();
    expect(decodeJsonObject(undefined, TYPE)).toBeNull();
    expect(decodeJsonObject(new Uint8Array(0), TYPE)).toBeNull();
  });

  test("decodes a number given as a decimal string and refuses a type mismatch naming the attribute", () => {
    expect(decodeJsonObject(json({ count: "42" }), TYPE)?.count).toBe(42);
    expect(() => decodeJsonObject(json({ enabled: "yes" }), TYPE)).toThrow(ValueCodecError);
    expect(() => decodeJsonObject(json({ enabled: "yes" }), TYPE)).toThrow(/"enabled"/);
  });

  test("re-encodes a decoded raw state as msgpack that decodes to the same object", () => {
    const state = decodeJsonObject(json({ note: "x", name: "n" }), TYPE);
    expect(decodeObject(encodeObject(state, TYPE), TYPE)).toEqual(state);
  });
});
