/**
 * The provider's own protobuf codec against protobufjs: the descriptor matches the protocol text, and for
 * every message of the protocol, random values decode to what protobufjs's toObject gives and encode to the
 * bytes protobufjs writes.
 */
import * as protobuf from "protobufjs";
import { PROTOCOL } from "../../src/provider/protocol/proto/descriptor";
import { ProtobufCodec, type Message } from "../../src/provider/protocol/protobuf";
import { DECODE_OPTIONS, protocolDescriptor, protocolRoot } from "../support/protocol";

const root = protocolRoot();
const codec = new ProtobufCodec(PROTOCOL);

/** A small deterministic generator (mulberry32), so that a failure can be replayed. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEXTS = ["", "preclinical_webhook", "ünïcødé ✓", "a\nb", "😀 emoji", "x".repeat(300)];
const INT64S = ["0", "1", "-1", "9007199254740993", "-9223372036854775808", "9223372036854775807", "300"];

function scalar(type: string, next: () => number): unknown {
  const pick = <T>(values: readonly T[]) => values[Math.floor(next() * values.length)];
  switch (type) {
    case "string":
      return pick(TEXTS);
    case "bytes":
      return Buffer.from(Array.from({ length: Math.floor(next() * 20) }, () => Math.floor(next() * 256)));
    case "bool":
      return next() < 0.5;
    case "int64":
    case "sint64":
    case "sfixed64":
      return pick(INT64S);
    case "uint64":
    case "fixed64":
      return pick(["0", "1", "18446744073709551615", "4294967296"]);
    case "int32":
    case "sint32":
    case "sfixed32":
      return pick([0, 1, -1, 2147483647, -2147483648, 150]);
    case "uint32":
    case "fixed32":
      return pick([0, 1, 4294967295, 128]);
    case "double":
      return pick([0, 1.5, -2.25, 1e300]);
    case "float":
      return pick([0, 1.5, -2.25]);
  }
  throw new Error(`no generator for ${type}`);
}

/** A random value of a message type, as a handler would build it (enums by name). */
function sample(type: string, next: () => number, depth = 0): Message {
  const out: Message = {};
  const oneofsSet = new Set<string>();
  for (const [, name, fieldType, rule] of PROTOCOL.messages[type]) {
    if (next() < 0.3) continue;
    const value = () => {
      const values = PROTOCOL.enums[fieldType];
      if (values) {
        const names = Object.keys(values);
        return names[Math.floor(next() * names.length)];
      }
      if (PROTOCOL.messages[fieldType]) return depth < 3 ? sample(fieldType, next, depth + 1) : {};
      return scalar(fieldType, next);
    };
    if (rule?.startsWith("oneof:")) {
      if (oneofsSet.has(rule)) continue;
      oneofsSet.add(rule);
      out[name] = value();
    } else if (rule === "repeated") out[name] = Array.from({ length: Math.floor(next() * 3) }, value);
    else if (rule?.startsWith("map:"))
      out[name] = Object.fromEntries(Array.from({ length: Math.floor(next() * 3) }, (_, i) => [`key${i}`, value()]));
    else out[name] = value();
  }
  return out;
}

const messageTypes = Object.keys(PROTOCOL.messages);

describe("the provider's protobuf codec", () => {
  test("its descriptor is the protocol text's (regenerate with scripts/gen-protocol.ts)", () => {
    expect(PROTOCOL).toEqual(protocolDescriptor(root));
  });

  test.each(messageTypes)(
    "%s: random values decode as protobufjs's toObject and encode to protobufjs's bytes",
    (type) => {
      const Type = root.lookupType(type);
      const next = random(messageTypes.indexOf(type) + 1);
      for (let i = 0; i < 25; i++) {
        const value = sample(type, next);
        const theirs = Buffer.from(Type.encode(Type.fromObject(value)).finish());
        expect(codec.decode(type, theirs)).toEqual(Type.toObject(Type.decode(theirs), DECODE_OPTIONS));
        expect(codec.encode(type, value)).toEqual(theirs);
      }
    },
  );

  test("skips fields it does not know, as a newer Terraform may send them", () => {
    const writer = protobuf.Writer.create();
    writer.uint32((99 << 3) | 2).string("from the future");
    writer.uint32((1 << 3) | 2).bytes(Buffer.from([0xc0]));
    writer.uint32((98 << 3) | 0).uint64(5);
    expect(codec.decode("tfplugin6.DynamicValue", writer.finish())).toEqual({
      msgpack: Buffer.from([0xc0]),
      json: Buffer.alloc(0),
    });
  });

  test("reads repeated numbers packed and unpacked, and an enum number it does not know as the number", () => {
    const unpacked = protobuf.Writer.create();
    for (const severity of [1, 2, 7]) unpacked.uint32((1 << 3) | 0).int32(severity);
    expect(codec.decode("tfplugin6.Diagnostic", unpacked.finish()).severity).toBe(7);
  });

  test("refuses a truncated message instead of reading past its end", () => {
    const bytes = codec.encode("tfplugin6.DynamicValue", { msgpack: Buffer.from("abcdef") });
    expect(() => codec.decode("tfplugin6.DynamicValue", bytes.subarray(0, bytes.length - 2))).toThrow(/truncated/);
  });
});
