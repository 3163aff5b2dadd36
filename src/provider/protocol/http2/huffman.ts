/**
 * HPACK's Huffman code (RFC 7541, appendix B), which HTTP/2 clients use for most header strings they send.
 * The code is canonical: each symbol's code follows from the code lengths alone (codes of one length are
 * consecutive, in symbol order, and each length starts where the shorter ones left off), so the lengths are
 * all this file holds. test/provider/http2.test.ts checks the codes against the RFC's and decodes what
 * nghttp2 (Node's HTTP/2 client) encodes.
 */

/** The code length in bits of each byte value 0-255, and of EOS (256), the symbol only padding uses. */
// prettier-ignore
const CODE_LENGTHS: readonly number[] = [
  13, 23, 28, 28, 28, 28, 28, 28, 28, 24, 30, 28, 28, 30, 28, 28, // 0-15
  28, 28, 28, 28, 28, 28, 30, 28, 28, 28, 28, 28, 28, 28, 28, 28, // 16-31
  6, 10, 10, 12, 13, 6, 8, 11, 10, 10, 8, 11, 8, 6, 6, 6, // 32-47: space to /
  5, 5, 5, 6, 6, 6, 6, 6, 6, 6, 7, 8, 15, 6, 12, 10, // 48-63: 0 to ?
  13, 6, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7, // 64-79: @ to O
  7, 7, 7, 7, 7, 7, 7, 7, 8, 7, 8, 13, 19, 13, 14, 6, // 80-95: P to _
  15, 5, 6, 5, 6, 5, 6, 6, 6, 5, 7, 7, 6, 6, 6, 5, // 96-111: ` to o
  6, 7, 6, 5, 5, 6, 7, 7, 7, 7, 7, 15, 11, 14, 13, 28, // 112-127: p to DEL
  20, 22, 20, 20, 22, 22, 22, 23, 22, 23, 23, 23, 23, 23, 24, 23, // 128-143
  24, 24, 22, 23, 24, 23, 23, 23, 23, 21, 22, 23, 22, 23, 23, 24, // 144-159
  22, 21, 20, 22, 22, 23, 23, 21, 23, 22, 22, 24, 21, 22, 23, 23, // 160-175
  21, 21, 22, 21, 23, 22, 23, 23, 20, 22, 22, 22, 23, 22, 22, 23, // 176-191
  26, 26, 20, 19, 22, 23, 22, 25, 26, 26, 26, 27, 27, 26, 24, 25, // 192-207
  19, 21, 26, 27, 27, 26, 27, 24, 21, 21, 26, 26, 28, 27, 27, 27, // 208-223
  20, 24, 20, 21, 22, 21, 21, 23, 22, 22, 25, 25, 24, 24, 26, 23, // 224-239
  26, 27, 26, 26, 27, 27, 27, 27, 27, 28, 27, 27, 27, 27, 27, 26, // 240-255
  30, // EOS
];

export const EOS = 256;

/** Each symbol's code (right-aligned) and length, made canonically from CODE_LENGTHS. */
export function huffmanCodes(): { code: number; length: number }[] {
  const order = CODE_LENGTHS.map((length, symbol) => ({ length, symbol })).sort(
    (a, b) => a.length - b.length || a.symbol - b.symbol,
  );
  const codes = new Array<{ code: number; length: number }>(CODE_LENGTHS.length);
  let code = 0;
  let length = order[0].length;
  for (const entry of order) {
    code *= 2 ** (entry.length - length); // not <<: codes of 30 bits overflow a signed shift
    length = entry.length;
    codes[entry.symbol] = { code, length };
    code += 1;
  }
  return codes;
}

/**
 * The decoding tree as flat arrays: node 0 is the root; for a node n, CHILD[2n + bit] is the next node, or
 * a leaf written as -(symbol + 1). Built on first use: most header strings arrive once and are then
 * referred to by index (HPACK's dynamic table), so decoding is rare after a connection's first calls.
 */
let tree: Int32Array | undefined;

function decodingTree(): Int32Array {
  if (tree) return tree;
  const child = new Int32Array(2 * 512).fill(0); // a prefix code of 257 leaves has 256 inner nodes
  let nodes = 1;
  for (const [symbol, { code, length }] of huffmanCodes().entries()) {
    let node = 0;
    for (let bit = length - 1; bit >= 0; bit--) {
      const b = Math.floor(code / 2 ** bit) % 2;
      const slot = 2 * node + b;
      if (bit === 0) child[slot] = -(symbol + 1);
      else {
        if (child[slot] === 0) child[slot] = nodes++;
        node = child[slot];
      }
    }
  }
  return (tree = child);
}

export class HuffmanError extends Error {}

/**
 * Decodes a Huffman-coded string. As RFC 7541 section 5.2 requires, padding longer than 7 bits, padding
 * that is not the start of EOS (all ones), and EOS itself are errors.
 */
export function huffmanDecode(bytes: Uint8Array): Buffer {
  const child = decodingTree();
  const out = Buffer.allocUnsafe(Math.ceil((bytes.length * 8) / 5)); // 5 bits is the shortest code
  let written = 0;
  let node = 0;
  let depth = 0; // bits read since the last symbol
  let allOnes = true; // whether those bits are all ones (a valid padding so far)
  for (const byte of bytes) {
    for (let bit = 7; bit >= 0; bit--) {
      const b = (byte >> bit) & 1;
      const next = child[2 * node + b];
      if (next < 0) {
        const symbol = -next - 1;
        if (symbol === EOS) throw new HuffmanError("a Huffman-coded string holds EOS");
        out[written++] = symbol;
        node = 0;
        depth = 0;
        allOnes = true;
      } else {
        node = next;
        depth += 1;
        allOnes &&= b === 1;
      }
    }
  }
  if (depth > 7 || !allOnes) throw new HuffmanError("a Huffman-coded string ends with invalid padding");
  return out.subarray(0, written);
}
