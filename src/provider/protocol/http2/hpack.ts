/**
 * HPACK (RFC 7541), the header compression of HTTP/2: a decoder for the header blocks a client sends, with
 * its dynamic table, and an encoder for the few headers a gRPC server answers with. The encoder never adds
 * to the client's dynamic table and never uses Huffman coding: answers are a handful of short headers on
 * a local socket, where the bytes saved cost more CPU time than they save.
 */
import { huffmanDecode } from "./huffman";

/** RFC 7541 appendix A: index 1 is the first entry. */
// prettier-ignore
const STATIC_TABLE: readonly (readonly [string, string])[] = [
  [":authority", ""], [":method", "GET"], [":method", "POST"], [":path", "/"], [":path", "/index.html"],
  [":scheme", "http"], [":scheme", "https"], [":status", "200"], [":status", "204"], [":status", "206"],
  [":status", "304"], [":status", "400"], [":status", "404"], [":status", "500"], ["accept-charset", ""],
  ["accept-encoding", "gzip, deflate"], ["accept-language", ""], ["accept-ranges", ""], ["accept", ""],
  ["access-control-allow-origin", ""], ["age", ""], ["allow", ""], ["authorization", ""],
  ["cache-control", ""], ["content-disposition", ""], ["content-encoding", ""], ["content-language", ""],
  ["content-length", ""], ["content-location", ""], ["content-range", ""], ["content-type", ""],
  ["cookie", ""], ["date", ""], ["etag", ""], ["expect", ""], ["expires", ""], ["from", ""], ["host", ""],
  ["if-match", ""], ["if-modified-since", ""], ["if-none-match", ""], ["if-range", ""],
  ["if-unmodified-since", ""], ["last-modified", ""], ["link", ""], ["location", ""], ["max-forwards", ""],
  ["proxy-authenticate", ""], ["proxy-authorization", ""], ["range", ""], ["referer", ""], ["refresh", ""],
  ["retry-after", ""], ["server", ""], ["set-cookie", ""], ["strict-transport-security", ""],
  ["transfer-encoding", ""], ["user-agent", ""], ["vary", ""], ["via", ""], ["www-authenticate", ""],
];

/** The dynamic table's size limit both sides start with (SETTINGS_HEADER_TABLE_SIZE's default). */
export const DEFAULT_TABLE_SIZE = 4096;
/** RFC 7541 section 4.1: an entry's size is its name's and value's octets and 32. */
const ENTRY_OVERHEAD = 32;

/** A header block that breaks RFC 7541: the connection cannot go on (COMPRESSION_ERROR). */
export class HpackError extends Error {}

export type HeaderList = readonly (readonly [name: string, value: string])[];

export class HpackDecoder {
  /** Newest first, as the indexes count. */
  private readonly dynamic: (readonly [string, string])[] = [];
  private size = 0;
  private maxSize: number;

  /** `limit`: the SETTINGS_HEADER_TABLE_SIZE this side announced, the most a size update may ask for. */
  constructor(private readonly limit = DEFAULT_TABLE_SIZE) {
    this.maxSize = limit;
  }

  public decode(block: Buffer): HeaderList {
    const headers: [name: string, value: string][] = [];
    const reader = { block, at: 0 };
    let fieldSeen = false;
    while (reader.at < block.length) {
      const first = block[reader.at];
      if (first & 0x80) {
        const entry = this.entry(readInteger(reader, 7));
        headers.push([entry[0], entry[1]]);
      } else if (first & 0x40) {
        headers.push(this.literal(reader, 6, true));
      } else if (first & 0x20) {
        // A size update comes before the block's first field (RFC 7541 section 4.2).
        if (fieldSeen) throw new HpackError("a dynamic table size update after a header field");
        const size = readInteger(reader, 5);
        if (size > this.limit) throw new HpackError(`a dynamic table size of ${size} over the ${this.limit} allowed`);
        this.maxSize = size;
        this.evict(0);
        continue;
      } else {
        // Without indexing (0000) or never indexed (0001): the same to a decoder that forwards nothing.
        headers.push(this.literal(reader, 4, false));
      }
      fieldSeen = true;
    }
    return headers;
  }

  private entry(index: number): readonly [string, string] {
    if (index === 0) throw new HpackError("header index 0");
    if (index <= STATIC_TABLE.length) return STATIC_TABLE[index - 1];
    const entry = this.dynamic[index - STATIC_TABLE.length - 1];
    if (!entry) throw new HpackError(`header index ${index} past the table`);
    return entry;
  }

  private literal(reader: Reader, prefix: number, index: boolean): [string, string] {
    const nameIndex = readInteger(reader, prefix);
    const name = nameIndex === 0 ? readString(reader) : this.entry(nameIndex)[0];
    const value = readString(reader);
    if (index) {
      const size = name.length + value.length + ENTRY_OVERHEAD;
      this.evict(size);
      // An entry larger than the whole table empties it and is not added (RFC 7541 section 4.4).
      if (size <= this.maxSize) {
        this.dynamic.unshift([name, value]);
        this.size += size;
      }
    }
    return [name, value];
  }

  /** Evicts the oldest entries until `room` more octets fit. */
  private evict(room: number): void {
    while (this.dynamic.length > 0 && this.size + room > this.maxSize) {
      const [name, value] = this.dynamic.pop() as readonly [string, string];
      this.size -= name.length + value.length + ENTRY_OVERHEAD;
    }
    if (this.dynamic.length === 0) this.size = 0;
  }
}

interface Reader {
  readonly block: Buffer;
  at: number;
}

/** RFC 7541 section 5.1: an N-bit prefix, then 7 bits a byte while the high bit is set. */
function readInteger(reader: Reader, prefix: number): number {
  const { block } = reader;
  if (reader.at >= block.length) throw new HpackError("a header block ends inside an integer");
  const mask = (1 << prefix) - 1;
  let value = block[reader.at++] & mask;
  if (value < mask) return value;
  for (let shift = 0; ; shift += 7) {
    if (reader.at >= block.length) throw new HpackError("a header block ends inside an integer");
    if (shift > 28) throw new HpackError("an integer too large for a header block");
    const byte = block[reader.at++];
    value += (byte & 0x7f) * 2 ** shift;
    if ((byte & 0x80) === 0) return value;
  }
}

/** RFC 7541 section 5.2: the H bit, a 7-bit-prefix length, the octets. Header strings are read as latin1. */
function readString(reader: Reader): string {
  const huffman = (reader.block[reader.at] & 0x80) !== 0;
  const length = readInteger(reader, 7);
  const end = reader.at + length;
  if (end > reader.block.length) throw new HpackError("a header string runs past its block");
  const raw = reader.block.subarray(reader.at, end);
  reader.at = end;
  try {
    return (huffman ? huffmanDecode(raw) : raw).toString("latin1");
  } catch (err) {
    throw new HpackError((err as Error).message);
  }
}

/** The blocks of frozen header lists (a server's fixed answers, see frozenHeaders): the encoding keeps no state. */
const frozenBlocks = new WeakMap<HeaderList, Buffer>();

/** A header list frozen, pairs and all, so that encodeHeaders encodes it once and reuses the block. */
export function frozenHeaders(headers: [name: string, value: string][]): HeaderList {
  for (const pair of headers) Object.freeze(pair);
  return Object.freeze(headers);
}

/** Encodes headers as literals without indexing, `:status: 200` as its static index. */
export function encodeHeaders(headers: HeaderList): Buffer {
  const cached = frozenBlocks.get(headers);
  if (cached) return cached;
  const block = encodeBlock(headers);
  if (Object.isFrozen(headers) && headers.every((pair) => Object.isFrozen(pair))) frozenBlocks.set(headers, block);
  return block;
}

function encodeBlock(headers: HeaderList): Buffer {
  const parts: number[] = [];
  for (const [name, value] of headers) {
    if (name === ":status" && value === "200") {
      parts.push(0x88);
      continue;
    }
    parts.push(0x00);
    pushString(parts, name);
    pushString(parts, value);
  }
  return Buffer.from(parts);
}

function pushString(parts: number[], text: string): void {
  const bytes = Buffer.from(text, "latin1");
  pushInteger(parts, bytes.length, 7, 0x00);
  for (const byte of bytes) parts.push(byte);
}

function pushInteger(parts: number[], value: number, prefix: number, flags: number): void {
  const mask = (1 << prefix) - 1;
  if (value < mask) {
    parts.push(flags | value);
    return;
  }
  parts.push(flags | mask);
  let rest = value - mask;
  while (rest >= 0x80) {
    parts.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  parts.push(rest);
}
