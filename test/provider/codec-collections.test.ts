/**
 * The cty msgpack codec for collections and objects (terraform docs/plugin-protocol/object-wire-format.md):
 * lists and sets as msgpack arrays, maps and objects as msgpack maps, null and unknown at any depth, and the
 * type JSON the schema sends (["list",["object",{...}]], ["map","string"]).
 */
import { decode, encode, ExtData } from "@msgpack/msgpack";
import {
  decodeJsonObject,
  decodeObject,
  encodeObject,
  typeName,
  ValueCodecError,
  type ObjectType,
} from "../../src/provider/protocol/codec";
import {
  UNKNOWN,
  listOf,
  mapOf,
  objectOf,
  setOf,
  whollyKnown,
  type ObjectValue,
} from "../../src/provider/protocol/values";

const AGENT = objectOf({ id: "string", name: "string", is_active: "bool" });
const TYPE: ObjectType = {
  filter: "string",
  agents: listOf(AGENT),
  tags: mapOf("string"),
  ids: setOf("string"),
  counts: mapOf(listOf("number")),
  owner: AGENT,
};

const empty: ObjectValue = { filter: null, agents: null, tags: null, ids: null, counts: null, owner: null };
const of = (fields: ObjectValue): ObjectValue => ({ ...empty, ...fields });
const agent = (id: string, name: string | null, active: boolean | null = true) => ({ id, name, is_active: active });

describe("cty msgpack codec: collections and objects", () => {
  test.each<[string, ObjectValue]>([
    ["a list of objects", of({ agents: [agent("a-1", "Triage"), agent("a-2", "Intake", false)] })],
    ["empty collections", of({ agents: [], tags: {}, ids: [], counts: {} })],
    ["a map of strings and a set", of({ tags: { team: "platform", "": "empty key", "ü ✓": "x" }, ids: ["b", "a"] })],
    ["a map of lists of numbers", of({ counts: { small: [1, 2.5, -3], none: [] } })],
    ["a single nested object", of({ owner: agent("a-9", "Owner") })],
    [
      "null inside: a null element, a null map value, a null attribute",
      of({
        agents: [agent("a-1", null, null), null as unknown as ObjectValue],
        tags: { gone: null },
        counts: { x: null },
      }),
    ],
    [
      "unknown inside: an element, a map value, an attribute, a whole nested object",
      of({
        agents: [agent("a-1", UNKNOWN as unknown as string), UNKNOWN as unknown as ObjectValue],
        tags: { later: UNKNOWN },
        counts: { x: [1, UNKNOWN] },
        owner: UNKNOWN,
      }),
    ],
    ["a wholly unknown list and map", of({ agents: UNKNOWN, tags: UNKNOWN, ids: UNKNOWN })],
  ])("%s survives a round trip unchanged", (_, value) => {
    expect(decodeObject(encodeObject(value, TYPE), TYPE)).toEqual(value);
  });

  test("writes lists and sets as msgpack arrays, maps and objects as msgpack maps, in Terraform's shape", () => {
    const bytes = encodeObject(of({ agents: [agent("a-1", "T")], tags: { k: "v" }, ids: ["x"] }), TYPE);
    expect(decode(bytes)).toEqual({
      agents: [{ id: "a-1", is_active: true, name: "T" }],
      counts: null,
      filter: null,
      ids: ["x"],
      owner: null,
      tags: { k: "v" },
    });
  });

  test("writes a nested object with every attribute, sorted, absent ones as nil", () => {
    const bytes = encodeObject(of({ owner: { name: "n" } }), TYPE);
    const owner = (decode(bytes) as Record<string, Record<string, unknown>>).owner;
    expect(Object.keys(owner)).toEqual(["id", "is_active", "name"]);
    expect(owner).toEqual({ id: null, is_active: null, name: "n" });
  });

  test("writes an unknown nested value as extension 0 where it stands", () => {
    const bytes = encodeObject({ tags: { k: UNKNOWN } }, { tags: mapOf("string") });
    // fixmap(1) "tags" fixmap(1) "k" fixext1 type 0 data 0
    expect([...bytes]).toEqual([0x81, 0xa4, ...Buffer.from("tags"), 0x81, 0xa1, 0x6b, 0xd4, 0x00, 0x00]);
  });

  test("reads a refined unknown (extension 12) inside a list as UNKNOWN", () => {
    const refined = new ExtData(12, Uint8Array.from(encode({ 1: true })));
    const bytes = encode({ ids: ["a", refined], agents: refined });
    expect(decodeObject(bytes, TYPE)).toEqual(of({ ids: ["a", UNKNOWN], agents: UNKNOWN }));
  });

  test("reads attributes missing from a nested object as null and drops ones the type does not have", () => {
    const bytes = encode({ agents: [{ id: "a-1", stray: 1 }] });
    expect(decodeObject(bytes, TYPE)?.agents).toEqual([{ id: "a-1", name: null, is_active: null }]);
  });

  test("keeps a map key named like an Object.prototype member as an ordinary key", () => {
    const value = of({ tags: { constructor: "c", toString: "t", hasOwnProperty: "h" } });
    const decoded = decodeObject(encodeObject(value, TYPE), TYPE);
    expect(decoded?.tags).toEqual({ constructor: "c", toString: "t", hasOwnProperty: "h" });
  });

  test.each([
    ["a string where a list belongs", { agents: "a" }, /attribute "agents" should be a list\(object/],
    ["a list where a map belongs", { tags: ["a"] }, /attribute "tags" should be a map\(string\), got a list/],
    ["a number inside a map of strings", { tags: { k: 1 } }, /attribute "tags\["k"\]" should be a string, got number/],
    ["a bad element of a list", { agents: [{ id: "a" }, { id: 7 }] }, /attribute "agents\[1\].id" should be a string/],
    [
      "a list where an object belongs",
      { owner: [] },
      /attribute "owner" should be an object\(\{id, name, is_active\}\), got a list/,
    ],
    [
      "a string inside a list of numbers",
      { counts: { x: [1, "n"] } },
      /attribute "counts\["x"\]\[1\]" should be a number/,
    ],
  ])("refuses %s with ValueCodecError naming the path", (_, value, message) => {
    const bytes = encode(value);
    expect(() => decodeObject(bytes, TYPE)).toThrow(ValueCodecError);
    expect(() => decodeObject(bytes, TYPE)).toThrow(message);
  });

  test("refuses to encode a nested value of the wrong type, naming the path", () => {
    const bad = of({ agents: [{ id: 5, name: "n", is_active: true }] as unknown as ObjectValue[] });
    expect(() => encodeObject(bad, TYPE)).toThrow(/attribute "agents\[0\].id" should be a string, got number/);
    expect(() => encodeObject(of({ tags: [] as unknown as ObjectValue }), TYPE)).toThrow(/"tags" should be a map/);
  });

  test("reads the JSON form of collections (raw state): lists, maps, nested objects, numbers as strings", () => {
    const json = Buffer.from(
      JSON.stringify({ agents: [{ id: "a", name: "n", is_active: true }], tags: { k: "v" }, counts: { x: ["2"] } }),
    );
    expect(decodeJsonObject(json, TYPE)).toEqual(
      of({ agents: [agent("a", "n")], tags: { k: "v" }, counts: { x: [2] } }),
    );
  });
});

describe("cty types", () => {
  test("travel in the schema as Terraform's type JSON", () => {
    expect(JSON.stringify(listOf(AGENT))).toBe(
      '["list",["object",{"id":"string","name":"string","is_active":"bool"}]]',
    );
    expect(JSON.stringify(mapOf("string"))).toBe('["map","string"]');
    expect(JSON.stringify(setOf("number"))).toBe('["set","number"]');
  });

  test("are named in messages as Terraform writes them", () => {
    expect(typeName(mapOf("string"))).toBe("map(string)");
    expect(typeName(listOf(AGENT))).toBe("list(object({id, name, is_active}))");
  });

  test("whollyKnown finds an UNKNOWN at any depth, and counts null as known", () => {
    expect(whollyKnown(of({ agents: [agent("a", "n")], tags: { k: null } }))).toBe(true);
    expect(whollyKnown(of({ agents: [agent("a", UNKNOWN as unknown as string)] }))).toBe(false);
    expect(whollyKnown(of({ tags: { k: UNKNOWN } }))).toBe(false);
    expect(whollyKnown(UNKNOWN)).toBe(false);
    expect(whollyKnown(null)).toBe(true);
  });
});
