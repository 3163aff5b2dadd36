/**
 * Just enough DER (X.690) to write one X.509 certificate: each helper returns a complete
 * tag-length-value. DER leaves no choices, so every encoding here is the single valid one.
 */

/** A tag-length-value. Lengths above 127 take the long form: 0x80 | byte count, then big-endian bytes. */
export function tlv(tag: number, content: Buffer): Buffer {
  const n = content.length;
  if (n < 0x80) return Buffer.concat([Buffer.from([tag, n]), content]);
  const len: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) len.unshift(rest % 256);
  return Buffer.concat([Buffer.from([tag, 0x80 | len.length, ...len]), content]);
}

export const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
export const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
/** [n] EXPLICIT: a constructed context tag wrapping a whole TLV (version is [0], extensions [3]). */
export const explicit = (n: number, inner: Buffer): Buffer => tlv(0xa0 | n, inner);
export const octetString = (bytes: Buffer): Buffer => tlv(0x04, bytes);
/** DER writes TRUE as 0xff, never any other nonzero byte. */
export const boolean = (value: boolean): Buffer => tlv(0x01, Buffer.from([value ? 0xff : 0x00]));
export const utf8String = (s: string): Buffer => tlv(0x0c, Buffer.from(s, "utf8"));
export const printableString = (s: string): Buffer => tlv(0x13, Buffer.from(s, "ascii"));

/** A BIT STRING; the first content octet counts the unused low bits of the last byte. */
export function bitString(bytes: Buffer, unusedBits = 0): Buffer {
  return tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), bytes]));
}

/** An OBJECT IDENTIFIER from "1.2.840...": first two arcs fold into 40a+b, each arc base-128, high bit = "more". */
export function oid(dotted: string): Buffer {
  const arcs = dotted.split(".").map(Number);
  if (arcs.length < 2 || arcs.some((a) => !Number.isSafeInteger(a) || a < 0)) throw new Error(`bad OID ${dotted}`);
  const out: number[] = [];
  for (const arc of [40 * arcs[0] + arcs[1], ...arcs.slice(2)]) {
    const groups = [arc % 128];
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) groups.unshift(0x80 | (rest % 128));
    out.push(...groups);
  }
  return tlv(0x06, Buffer.from(out));
}

/**
 * An INTEGER from an unsigned big-endian magnitude, as minimal two's complement: leading zero bytes go
 * (a 0x00 before a byte < 0x80 is illegal DER, and Go rejects it), and a 0x00 goes in front of a
 * byte >= 0x80 so the value stays positive. Empty or all-zero input encodes zero.
 */
export function encodeInteger(bytes: Buffer): Buffer {
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0) start++;
  let body = bytes.length === 0 ? Buffer.from([0]) : bytes.subarray(start);
  if (body[0] >= 0x80) body = Buffer.concat([Buffer.from([0]), body]);
  return tlv(0x02, body);
}

/**
 * A certificate validity time: RFC 5280 4.1.2.5 requires UTCTime (YYMMDDHHMMSSZ) through 2049 and
 * GeneralizedTime (YYYYMMDDHHMMSSZ) from 2050, both in UTC with whole seconds.
 */
export function time(date: Date): Buffer {
  const year = date.getUTCFullYear();
  const p = (n: number) => String(n).padStart(2, "0");
  const rest =
    [date.getUTCMonth() + 1, date.getUTCDate(), date.getUTCHours(), date.getUTCMinutes(), date.getUTCSeconds()]
      .map(p)
      .join("") + "Z";
  if (year >= 1950 && year < 2050) return tlv(0x17, Buffer.from(`${p(year % 100)}${rest}`, "ascii"));
  return tlv(0x18, Buffer.from(`${String(year).padStart(4, "0")}${rest}`, "ascii"));
}
