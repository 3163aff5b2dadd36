/**
 * Protocol Buffers for the plugin protocol: messages decoded into plain objects and encoded from them, driven
 * by a descriptor (proto/descriptor.ts, derived from the protocol text). The objects are the ones protobufjs
 * gives with `toObject({ enums: String, longs: String, defaults: true, oneofs: true })` and takes in
 * `fromObject`, which test/provider/protobuf.test.ts holds this codec to: field names as in the protocol
 * (snake_case); enums by name; 64-bit integers as decimal strings; bytes as Buffers; every field present
 * (scalars at their defaults, an absent message as null, empty lists and maps) except the members of a
 * oneof, of which only the one set is, with the oneof's name holding the member's name.
 * Written here rather than loaded from protobufjs: its parse of the protocol text and its generated code
 * were a large part of every provider start (BENCHMARKS.md, section 6).
 * It is long because it is one table-driven codec: the wire reader and writer, the descriptor's field types
 * and the object shape they share are read together, and a split would put the halves of each case apart.
 */

/** `[number, name, type, rule?]`; type is a scalar type or a message's or enum's full name. */
export type FieldDescriptor =
  | readonly [number, string, string]
  | readonly [number, string, string, "repeated" | `map:${string}` | `oneof:${string}`];

export type MethodDescriptor = readonly [string, string] | readonly [string, string, "server-stream" | "bidi"];

export interface ProtocolDescriptor {
  /** Message full name (e.g. "tfplugin6.DynamicValue") to its fields, by number. */
  readonly messages: Record<string, readonly FieldDescriptor[]>;
  /** Enum full name to its values. */
  readonly enums: Record<string, Readonly<Record<string, number>>>;
  /** Service full name to its methods: request and response message, and how they stream. */
  readonly services: Record<string, Readonly<Record<string, MethodDescriptor>>>;
}

export type Message = Record<string, unknown>;

type Kind = "varint32" | "varint64" | "bool" | "enum" | "zigzag32" | "zigzag64" | "fixed32" | "fixed64" | "float";

/** How a scalar type travels: its wire type and how to read it. */
const SCALARS: Record<string, { wire: number; kind: Kind | "double" | "string" | "bytes"; signed?: boolean }> = {
  int32: { wire: 0, kind: "varint32", signed: true },
  uint32: { wire: 0, kind: "varint32" },
  sint32: { wire: 0, kind: "zigzag32" },
  int64: { wire: 0, kind: "varint64", signed: true },
  uint64: { wire: 0, kind: "varint64" },
  sint64: { wire: 0, kind: "zigzag64" },
  bool: { wire: 0, kind: "bool" },
  fixed32: { wire: 5, kind: "fixed32" },
  sfixed32: { wire: 5, kind: "fixed32", signed: true },
  float: { wire: 5, kind: "float" },
  fixed64: { wire: 1, kind: "fixed64" },
  sfixed64: { wire: 1, kind: "fixed64", signed: true },
  double: { wire: 1, kind: "double" },
  string: { wire: 2, kind: "string" },
  bytes: { wire: 2, kind: "bytes" },
};

interface Field {
  readonly id: number;
  readonly name: string;
  readonly type: string;
  /** A scalar type, an enum (its values by name and by number) or a message. */
  readonly scalar?: (typeof SCALARS)[string];
  readonly enumValues?: Readonly<Record<string, number>>;
  readonly enumNames?: ReadonlyMap<number, string>;
  readonly message?: string;
  readonly repeated: boolean;
  /** A map's key type; then `entry` holds the entry's key (1) and value (2) as fields of their own. */
  readonly mapKey?: string;
  readonly entry?: readonly [Field, Field];
  readonly oneof?: string;
  /** Repeated numbers go packed (proto3's default). */
  readonly packed: boolean;
}

interface CompiledMessage {
  readonly fields: readonly Field[];
  readonly byId: ReadonlyMap<number, Field>;
}

export class ProtobufCodec {
  private readonly compiled = new Map<string, CompiledMessage>();

  constructor(private readonly descriptor: ProtocolDescriptor) {}

  public decode(type: string, bytes: Uint8Array): Message {
    const reader = { buf: bytes, pos: 0 };
    return this.readMessage(type, reader, bytes.length);
  }

  public encode(type: string, value: Message): Buffer {
    const writer = new Writer();
    this.writeMessage(type, value, writer);
    return writer.finish();
  }

  private message(type: string): CompiledMessage {
    let found = this.compiled.get(type);
    if (found) return found;
    const fields = this.descriptor.messages[type];
    if (!fields) throw new Error(`unknown protobuf message ${type}`);
    const compiledFields = fields.map(([id, name, fieldType, rule]): Field => {
      const scalar = SCALARS[fieldType];
      const enumValues = this.descriptor.enums[fieldType];
      const repeated = rule === "repeated";
      const field: Field = {
        id,
        name,
        type: fieldType,
        scalar,
        enumValues,
        enumNames: enumValues && new Map(Object.entries(enumValues).map(([k, v]) => [v, k])),
        message: !scalar && !enumValues ? fieldType : undefined,
        repeated,
        oneof: rule?.startsWith("oneof:") ? rule.slice(6) : undefined,
        packed: repeated && (enumValues !== undefined || (scalar !== undefined && scalar.wire !== 2)),
      };
      if (!rule?.startsWith("map:")) return field;
      const mapKey = rule.slice(4);
      const key: Field = { id: 1, name: "key", type: mapKey, scalar: SCALARS[mapKey], repeated: false, packed: false };
      return { ...field, mapKey, entry: [key, { ...field, id: 2 }] };
    });
    found = { fields: compiledFields, byId: new Map(compiledFields.map((f) => [f.id, f])) };
    this.compiled.set(type, found);
    return found;
  }

  // ----------------------------------------------------------------------------------------------------
  // Decoding
  // ----------------------------------------------------------------------------------------------------

  private readMessage(type: string, r: Reader, end: number): Message {
    const { fields, byId } = this.message(type);
    const out: Message = {};
    for (const f of fields) {
      if (f.oneof) continue;
      out[f.name] = f.mapKey ? {} : f.repeated ? [] : this.defaultOf(f);
    }
    while (r.pos < end) {
      const tag = readVarint(r);
      const id = tag >>> 3;
      const wire = tag & 7;
      const f = byId.get(id);
      if (!f) {
        skip(r, wire);
        continue;
      }
      if (f.mapKey) {
        const [key, value] = this.readMapEntry(f, r, readLength(r));
        (out[f.name] as Message)[key] = value;
      } else if (f.repeated) {
        const list = out[f.name] as unknown[];
        if (wire === 2 && f.packed) {
          const stop = readLength(r);
          while (r.pos < stop) list.push(this.readValue(f, r, wireOf(f)));
        } else list.push(this.readValue(f, r, wire));
      } else {
        out[f.name] = this.readValue(f, r, wire);
        if (f.oneof) out[f.oneof] = f.name;
      }
    }
    if (r.pos !== end) throw new Error(`malformed protobuf message ${type}`);
    return out;
  }

  private readMapEntry(f: Field, r: Reader, end: number): [string, unknown] {
    const [keyField, valueField] = f.entry!;
    let key: unknown = this.defaultOf(keyField);
    let value: unknown = this.defaultOf(valueField);
    while (r.pos < end) {
      const tag = readVarint(r);
      if (tag >>> 3 === 1) key = this.readValue(keyField, r, tag & 7);
      else if (tag >>> 3 === 2) value = this.readValue(valueField, r, tag & 7);
      else skip(r, tag & 7);
    }
    return [String(key), value];
  }

  private readValue(f: Field, r: Reader, wire: number): unknown {
    if (f.message) {
      if (wire !== 2) throw new Error(`field ${f.name}: a message must be length-delimited`);
      const end = readLength(r);
      return this.readMessage(f.message, r, end);
    }
    if (f.enumNames) {
      const n = readVarint(r) | 0;
      return f.enumNames.get(n) ?? n;
    }
    const s = f.scalar!;
    switch (s.kind) {
      case "varint32":
        return s.signed ? readVarint(r) | 0 : readVarint(r) >>> 0;
      case "bool":
        return readVarint64(r) !== 0n;
      case "zigzag32": {
        const n = readVarint(r) >>> 0;
        return (n >>> 1) ^ -(n & 1);
      }
      case "varint64": {
        const n = readVarint64(r);
        return String(s.signed ? BigInt.asIntN(64, n) : n);
      }
      case "zigzag64": {
        const n = readVarint64(r);
        return String((n >> 1n) ^ -(n & 1n));
      }
      case "fixed32": {
        const view = dataView(r, 4);
        return s.signed ? view.getInt32(0, true) : view.getUint32(0, true);
      }
      case "fixed64": {
        const view = dataView(r, 8);
        return String(s.signed ? view.getBigInt64(0, true) : view.getBigUint64(0, true));
      }
      case "float":
        return dataView(r, 4).getFloat32(0, true);
      case "double":
        return dataView(r, 8).getFloat64(0, true);
      case "string": {
        const end = readLength(r);
        const text = Buffer.from(r.buf.buffer, r.buf.byteOffset + r.pos, end - r.pos).toString("utf8");
        r.pos = end;
        return text;
      }
      case "bytes": {
        const end = readLength(r);
        const bytes = Buffer.from(r.buf.subarray(r.pos, end));
        r.pos = end;
        return bytes;
      }
    }
    throw new Error(`field ${f.name}: unsupported type ${f.type}`);
  }

  private defaultOf(f: Field): unknown {
    if (f.message) return null;
    if (f.enumNames) return f.enumNames.get(0) ?? 0;
    switch (f.scalar!.kind) {
      case "string":
        return "";
      case "bytes":
        return Buffer.alloc(0);
      case "bool":
        return false;
      case "varint64":
      case "zigzag64":
      case "fixed64":
        return "0";
      default:
        return 0;
    }
  }

  // ----------------------------------------------------------------------------------------------------
  // Encoding
  // ----------------------------------------------------------------------------------------------------

  private writeMessage(type: string, value: Message, w: Writer): void {
    if (typeof value !== "object" || value === null) throw new TypeError(`${type}: object expected`);
    for (const f of this.message(type).fields) {
      const v = value[f.name];
      if (v === null || v === undefined) continue;
      if (f.mapKey) {
        const [keyField, valueField] = f.entry!;
        for (const [key, item] of Object.entries(v as Message)) {
          w.tag(f.id, 2);
          const entry = new Writer();
          this.writeField(keyField, 1, key, entry);
          if (item !== null && item !== undefined) this.writeField(valueField, 2, item, entry);
          w.bytes(entry.finish());
        }
      } else if (f.repeated) {
        if (!Array.isArray(v)) throw new TypeError(`${type}.${f.name}: array expected`);
        if (f.packed) {
          if (v.length === 0) continue;
          const packed = new Writer();
          for (const item of v) this.writeScalar(f, item, packed);
          w.tag(f.id, 2);
          w.bytes(packed.finish());
        } else for (const item of v) this.writeField(f, f.id, item, w);
      } else this.writeField(f, f.id, v, w);
    }
  }

  private writeField(f: Field, id: number, v: unknown, w: Writer): void {
    if (f.message) {
      const nested = new Writer();
      this.writeMessage(f.message, v as Message, nested);
      w.tag(id, 2);
      w.bytes(nested.finish());
      return;
    }
    w.tag(id, wireOf(f));
    this.writeScalar(f, v, w);
  }

  private writeScalar(f: Field, v: unknown, w: Writer): void {
    if (f.enumValues) {
      const n = typeof v === "number" ? v : f.enumValues[String(v)];
      if (n === undefined) throw new TypeError(`${f.name}: unknown ${f.type} value ${String(v)}`);
      return w.varint64(BigInt.asUintN(64, BigInt(n)));
    }
    const s = f.scalar!;
    switch (s.kind) {
      case "varint32":
        return s.signed ? w.varint64(BigInt.asUintN(64, BigInt(Number(v) | 0))) : w.varint(Number(v) >>> 0);
      case "bool":
        return w.varint(v ? 1 : 0);
      case "zigzag32": {
        const n = Number(v) | 0;
        return w.varint(((n << 1) ^ (n >> 31)) >>> 0);
      }
      case "varint64":
        return w.varint64(BigInt.asUintN(64, toBigInt(v)));
      case "zigzag64": {
        const n = BigInt.asIntN(64, toBigInt(v));
        return w.varint64(BigInt.asUintN(64, (n << 1n) ^ (n >> 63n)));
      }
      case "fixed32":
        return w.fixed(4, (view) =>
          s.signed ? view.setInt32(0, Number(v), true) : view.setUint32(0, Number(v), true),
        );
      case "fixed64":
        return w.fixed(8, (view) =>
          s.signed
            ? view.setBigInt64(0, toBigInt(v), true)
            : view.setBigUint64(0, BigInt.asUintN(64, toBigInt(v)), true),
        );
      case "float":
        return w.fixed(4, (view) => view.setFloat32(0, Number(v), true));
      case "double":
        return w.fixed(8, (view) => view.setFloat64(0, Number(v), true));
      case "string":
        return w.bytes(Buffer.from(String(v), "utf8"));
      case "bytes":
        return w.bytes(typeof v === "string" ? Buffer.from(v, "base64") : (v as Uint8Array));
    }
  }
}

function wireOf(f: Field): number {
  return f.enumValues ? 0 : f.scalar!.wire;
}

function toBigInt(v: unknown): bigint {
  if (typeof v === "bigint") return v;
  if (typeof v === "number") return BigInt(Math.trunc(v));
  return BigInt(String(v));
}

// ------------------------------------------------------------------------------------------------------
// The wire
// ------------------------------------------------------------------------------------------------------

interface Reader {
  buf: Uint8Array;
  pos: number;
}

function truncated(): never {
  throw new Error("truncated protobuf message");
}

/** A varint's low 32 bits (a longer one is read to its end). */
function readVarint(r: Reader): number {
  let value = 0;
  for (let shift = 0; ; shift += 7) {
    if (r.pos >= r.buf.length) truncated();
    const byte = r.buf[r.pos++];
    if (shift < 32) value |= (byte & 0x7f) << shift;
    if (byte < 0x80) return value >>> 0;
    if (shift >= 63) throw new Error("malformed protobuf varint");
  }
}

function readVarint64(r: Reader): bigint {
  let value = 0n;
  for (let shift = 0n; ; shift += 7n) {
    if (r.pos >= r.buf.length) truncated();
    const byte = r.buf[r.pos++];
    value |= BigInt(byte & 0x7f) << shift;
    if (byte < 0x80) return BigInt.asUintN(64, value);
    if (shift >= 63n) throw new Error("malformed protobuf varint");
  }
}

/** Reads a length and returns where the value it announces ends. */
function readLength(r: Reader): number {
  const length = readVarint(r);
  const end = r.pos + length;
  if (end > r.buf.length) truncated();
  return end;
}

function dataView(r: Reader, size: number): DataView {
  if (r.pos + size > r.buf.length) truncated();
  const view = new DataView(r.buf.buffer, r.buf.byteOffset + r.pos, size);
  r.pos += size;
  return view;
}

function skip(r: Reader, wire: number): void {
  switch (wire) {
    case 0:
      readVarint64(r);
      return;
    case 1:
      dataView(r, 8);
      return;
    case 2:
      r.pos = readLength(r);
      return;
    case 5:
      dataView(r, 4);
      return;
    default:
      throw new Error(`unsupported protobuf wire type ${wire}`);
  }
}

/** A growing buffer. */
class Writer {
  private buf = Buffer.allocUnsafe(64);
  private len = 0;

  public tag(id: number, wire: number): void {
    this.varint(((id << 3) | wire) >>> 0);
  }

  public varint(n: number): void {
    this.reserve(5);
    while (n > 0x7f) {
      this.buf[this.len++] = (n & 0x7f) | 0x80;
      n >>>= 7;
    }
    this.buf[this.len++] = n;
  }

  public varint64(n: bigint): void {
    if (n <= 0xffffffffn) return this.varint(Number(n));
    this.reserve(10);
    while (n > 0x7fn) {
      this.buf[this.len++] = Number(n & 0x7fn) | 0x80;
      n >>= 7n;
    }
    this.buf[this.len++] = Number(n);
  }

  /** A length, then the bytes. */
  public bytes(bytes: Uint8Array): void {
    this.varint(bytes.length);
    this.reserve(bytes.length);
    this.buf.set(bytes, this.len);
    this.len += bytes.length;
  }

  public fixed(size: number, set: (view: DataView) => void): void {
    this.reserve(size);
    set(new DataView(this.buf.buffer, this.buf.byteOffset + this.len, size));
    this.len += size;
  }

  public finish(): Buffer {
    return this.buf.subarray(0, this.len);
  }

  private reserve(n: number): void {
    if (this.len + n <= this.buf.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.len + n));
    this.buf.copy(grown, 0, 0, this.len);
    this.buf = grown;
  }
}
