/**
 * The provider's own HTTP/2 server (src/provider/protocol/http2/): HPACK against the examples of RFC 7541
 * appendix C and its Huffman code against appendix B; then the server as an independent client meets it:
 * node:http2's client (nghttp2, which Huffman-codes and indexes the headers it sends) on a real loopback
 * socket, with header values of every byte it may send, bodies past the flow-control windows both ways,
 * many streams at once, PING, a stream the client resets, and a client that is not HTTP/2.
 */
import * as http2 from "node:http2";
import * as net from "node:net";
import { ErrorCode, Http2ServerConnection, type ServerStream } from "../../src/provider/protocol/http2/connection";
import { encodeHeaders, frozenHeaders, HpackDecoder, HpackError } from "../../src/provider/protocol/http2/hpack";
import { EOS, huffmanCodes, huffmanDecode, HuffmanError } from "../../src/provider/protocol/http2/huffman";

const hex = (text: string) => Buffer.from(text.replace(/\s+/g, ""), "hex");

describe("HPACK's Huffman code", () => {
  test("the canonical codes made from the lengths are the RFC's", () => {
    const codes = huffmanCodes();
    // A sample of RFC 7541 appendix B: the shortest, the longest, and some between.
    expect(codes[48]).toEqual({ code: 0x0, length: 5 }); // '0'
    expect(codes[116]).toEqual({ code: 0x9, length: 5 }); // 't'
    expect(codes[32]).toEqual({ code: 0x14, length: 6 }); // ' '
    expect(codes[58]).toEqual({ code: 0x5c, length: 7 }); // ':'
    expect(codes[92]).toEqual({ code: 0x7fff0, length: 19 }); // '\'
    expect(codes[0]).toEqual({ code: 0x1ff8, length: 13 });
    expect(codes[10]).toEqual({ code: 0x3ffffffc, length: 30 });
    expect(codes[255]).toEqual({ code: 0x3ffffee, length: 26 });
    expect(codes[EOS]).toEqual({ code: 0x3fffffff, length: 30 });
    // A prefix code that uses every path: Kraft's sum is exactly 1.
    expect(codes.reduce((sum, c) => sum + 2 ** -c.length, 0)).toBe(1);
  });

  test("decodes the RFC's examples, and refuses EOS and bad padding", () => {
    expect(huffmanDecode(hex("f1e3 c2e5 f23a 6ba0 ab90 f4ff")).toString()).toBe("www.example.com");
    expect(huffmanDecode(hex("a8eb 1064 9cbf")).toString()).toBe("no-cache");
    expect(huffmanDecode(Buffer.alloc(0)).toString()).toBe("");
    expect(() => huffmanDecode(hex("ffff ffff"))).toThrow(HuffmanError); // EOS in the string
    expect(() => huffmanDecode(hex("00"))).toThrow(/padding/); // '0' then three zero bits of "padding"
    expect(() => huffmanDecode(hex("1f ff"))).toThrow(/padding/); // padding longer than 7 bits
  });
});

describe("HPACK", () => {
  test("decodes the RFC's requests with Huffman coding in order, the dynamic table carrying over (C.4)", () => {
    const decoder = new HpackDecoder();
    expect(decoder.decode(hex("8286 8441 8cf1 e3c2 e5f2 3a6b a0ab 90f4 ff"))).toEqual([
      [":method", "GET"],
      [":scheme", "http"],
      [":path", "/"],
      [":authority", "www.example.com"],
    ]);
    expect(decoder.decode(hex("8286 84be 5886 a8eb 1064 9cbf"))).toEqual([
      [":method", "GET"],
      [":scheme", "http"],
      [":path", "/"],
      [":authority", "www.example.com"],
      ["cache-control", "no-cache"],
    ]);
    expect(decoder.decode(hex("8287 85bf 4088 25a8 49e9 5ba9 7d7f 8925 a849 e95b b8e8 b4bf"))).toEqual([
      [":method", "GET"],
      [":scheme", "https"],
      [":path", "/index.html"],
      [":authority", "www.example.com"],
      ["custom-key", "custom-value"],
    ]);
  });

  test("evicts the oldest entries past the table's size, and refuses indexes past it and oversized updates", () => {
    // A table of 100 octets holds two entries of 1 + 1 + 32 octets, not three.
    const decoder = new HpackDecoder();
    const sized = Buffer.from([0x3f, 0x45]); // size update to 100 (5-bit prefix: 31 + 69)
    const literal = (name: string, value: string) => Buffer.from([0x40, 1, name.charCodeAt(0), 1, value.charCodeAt(0)]);
    decoder.decode(Buffer.concat([sized, literal("a", "1"), literal("b", "2"), literal("c", "3")]));
    expect(decoder.decode(Buffer.from([0xbe, 0xbf]))).toEqual([
      ["c", "3"],
      ["b", "2"],
    ]);
    expect(() => decoder.decode(Buffer.from([0xc0]))).toThrow(HpackError); // index 64: evicted
    expect(() => new HpackDecoder().decode(Buffer.from([0x3f, 0xe2, 0x1f]))).toThrow(/over the 4096 allowed/);
    expect(() => new HpackDecoder().decode(Buffer.from([0x82, 0x20]))).toThrow(/after a header field/);
    expect(() => new HpackDecoder().decode(Buffer.from([0x80]))).toThrow(/index 0/);
    expect(() => new HpackDecoder().decode(Buffer.from([0x00, 0x05, 0x61]))).toThrow(/runs past/);
  });

  test("what it encodes decodes to the same headers, long values included", () => {
    const headers: [string, string][] = [
      [":status", "200"],
      ["content-type", "application/grpc"],
      ["grpc-message", "x".repeat(300)],
    ];
    const block = encodeHeaders(headers);
    expect(block[0]).toBe(0x88);
    expect(new HpackDecoder().decode(block)).toEqual(headers);
  });

  test("a frozen header list is encoded once, to the block a fresh encoding makes; a list that can change is not kept", () => {
    const pairs = (): [string, string][] => [
      [":status", "200"],
      ["content-type", "application/grpc"],
    ];
    const frozen = frozenHeaders(pairs());
    const first = encodeHeaders(frozen);
    expect(first.equals(encodeHeaders(pairs()))).toBe(true);
    expect(encodeHeaders(frozen)).toBe(first); // the same block, not encoded again
    expect(Object.isFrozen(frozen) && frozen.every((pair) => Object.isFrozen(pair))).toBe(true);

    const open = pairs();
    const before = encodeHeaders(open);
    open[1][1] = "application/grpc+proto";
    const after = encodeHeaders(open);
    expect(after.equals(before)).toBe(false);
    expect(new HpackDecoder().decode(after)).toEqual(open);
  });
});

/** A plain-socket HTTP/2 server on a random loopback port, each stream given to `handle`. */
async function serve(handle: (stream: ServerStream) => void) {
  const connections = new Set<Http2ServerConnection>();
  const server = net.createServer((socket) => connections.add(new Http2ServerConnection(socket, handle)));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const c of connections) c.close();
        server.close(() => resolve());
      }),
  };
}

/** Echoes the request: its headers as JSON in a response header, its body back as the body, then trailers. */
function echo(stream: ServerStream): void {
  const chunks: Buffer[] = [];
  stream.onData = (chunk) => chunks.push(chunk);
  stream.onEnd = () => {
    stream.respond([
      [":status", "200"],
      ["x-request", JSON.stringify(stream.headers)],
    ]);
    stream.write(Buffer.concat(chunks));
    stream.sendTrailers([["x-done", "yes"]]);
  };
}

interface Answer {
  headers: http2.IncomingHttpHeaders;
  trailers: http2.IncomingHttpHeaders;
  body: Buffer;
}

function request(
  session: http2.ClientHttp2Session,
  headers: http2.OutgoingHttpHeaders,
  body?: Buffer,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ":method": "POST", ...headers });
    const chunks: Buffer[] = [];
    let responseHeaders: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    req.on("response", (h) => (responseHeaders = h));
    req.on("trailers", (t) => (trailers = t));
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve({ headers: responseHeaders, trailers, body: Buffer.concat(chunks) }));
    req.on("error", reject);
    req.end(body);
  });
}

describe("the provider's HTTP/2 server, as node:http2's client meets it", () => {
  let closeServer: (() => Promise<void>) | undefined;
  let session: http2.ClientHttp2Session | undefined;
  afterEach(async () => {
    session?.destroy();
    await closeServer?.();
  });

  async function connect(handle: (stream: ServerStream) => void = echo) {
    const server = await serve(handle);
    closeServer = server.close;
    session = http2.connect(server.url);
    session.on("error", () => undefined);
    return { session, port: server.port };
  }

  test("reads header values of every byte a client may send, Huffman-coded and indexed, twice over", async () => {
    const { session } = await connect();
    // Every byte node:http2 lets a header value hold: tab, the printable ones and 0x80-0xff, read as latin1.
    const bytes = [
      9,
      ...Array.from({ length: 95 }, (_, i) => 32 + i),
      ...Array.from({ length: 128 }, (_, i) => 128 + i),
    ];
    const values = Array.from({ length: 8 }, (_, i) => String.fromCharCode(...bytes.slice(i * 28, i * 28 + 28)).trim());
    const headers = Object.fromEntries(values.map((v, i) => [`x-value-${i}`, v]));
    for (let round = 0; round < 2; round++) {
      const answer = await request(session, { ":path": "/svc/Method", "content-type": "application/grpc", ...headers });
      const seen = JSON.parse(String(answer.headers["x-request"])) as Record<string, string>;
      expect(seen[":path"]).toBe("/svc/Method");
      expect(seen[":method"]).toBe("POST");
      for (const [name, value] of Object.entries(headers))
        expect(Buffer.from(seen[name], "latin1")).toEqual(Buffer.from(value, "latin1"));
      expect(answer.trailers["x-done"]).toBe("yes");
    }
  });

  test("carries bodies past every flow-control window both ways (4 MiB each, 8 streams at once)", async () => {
    const { session } = await connect();
    const bodies = Array.from({ length: 8 }, (_, i) => Buffer.alloc(4 * 2 ** 20, i + 1));
    const answers = await Promise.all(bodies.map((body) => request(session, { ":path": "/big" }, body)));
    answers.forEach((answer, i) => {
      expect(answer.body.length).toBe(bodies[i].length);
      expect(answer.body.equals(bodies[i])).toBe(true);
      expect(answer.trailers["x-done"]).toBe("yes");
    });
  });

  test("answers 500 streams at once, each its own, and PINGs", async () => {
    const { session } = await connect();
    const answers = await Promise.all(
      Array.from({ length: 500 }, (_, i) => request(session, { ":path": `/n/${i}` }, Buffer.from(String(i)))),
    );
    answers.forEach((answer, i) => expect(answer.body.toString()).toBe(String(i)));
    const rtt = await new Promise<number>((resolve, reject) =>
      session.ping((err, duration) => (err ? reject(err) : resolve(duration))),
    );
    expect(rtt).toBeGreaterThanOrEqual(0);
  });

  test("a stream the client resets is closed on the server, and the connection serves on", async () => {
    let closedOnServer: (() => void) | undefined;
    const closed = new Promise<void>((resolve) => (closedOnServer = resolve));
    const { session } = await connect((stream) => {
      if (stream.headers[":path"] === "/slow") stream.onClose = () => closedOnServer?.();
      else echo(stream);
    });
    const slow = session.request({ ":method": "POST", ":path": "/slow" });
    slow.on("error", () => undefined);
    slow.write("part");
    await new Promise((resolve) => setTimeout(resolve, 50));
    slow.close(http2.constants.NGHTTP2_CANCEL);
    await closed;
    const answer = await request(session, { ":path": "/after" }, Buffer.from("still here"));
    expect(answer.body.toString()).toBe("still here");
  });

  test("a server reset reaches the client as RST_STREAM with its code", async () => {
    const { session } = await connect((stream) => stream.reset(ErrorCode.REFUSED_STREAM));
    const req = session.request({ ":method": "POST", ":path": "/refused" });
    req.on("error", () => undefined); // the reset, as node:http2 reports it
    req.end();
    const code = await new Promise<number>((resolve) => req.on("close", () => resolve(req.rstCode)));
    expect(code).toBe(http2.constants.NGHTTP2_REFUSED_STREAM);
  });

  // The answers of gRPC handlers come after awaits: the frames of every answer ready in one turn of the loop go
  // out in one socket write (one TLS record or few), each stream's frames in their order.
  test("writes the answers to the requests of one read in one socket write, each stream's frames in order", async () => {
    const streams = 40;
    let reads = 0;
    let writes = 0;
    const server = net.createServer((socket) => {
      socket.on("data", () => reads++);
      const write = socket.write.bind(socket) as (chunk: Buffer) => boolean;
      socket.write = ((chunk: Buffer) => {
        writes++;
        return write(chunk);
      }) as typeof socket.write;
      new Http2ServerConnection(socket, (stream) => {
        stream.onEnd = async () => {
          await Promise.resolve();
          stream.respond([[":status", "200"]]);
          await Promise.resolve();
          stream.write(Buffer.from(stream.headers[":path"]));
          stream.sendTrailers([["grpc-status", "0"]]);
        };
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    closeServer = () => new Promise<void>((resolve) => server.close(() => resolve()));
    const socket = net.connect((server.address() as net.AddressInfo).port, "127.0.0.1");
    const rawFrame = (type: number, flags: number, id: number, payload: Buffer) => {
      const header = Buffer.alloc(9);
      header.writeUIntBE(payload.length, 0, 3);
      header[3] = type;
      header[4] = flags;
      header.writeUInt32BE(id, 5);
      return Buffer.concat([header, payload]);
    };
    const ids = Array.from({ length: streams }, (_, i) => 2 * i + 1);
    const request = (id: number) =>
      rawFrame(
        1,
        0x1 | 0x4,
        id,
        encodeHeaders([
          [":method", "POST"],
          [":scheme", "http"],
          [":path", `/n/${id}`],
          [":authority", "localhost"],
        ]),
      );
    // The preface, empty SETTINGS, then every request, all in one write of the client's.
    socket.write(
      Buffer.concat([
        Buffer.from("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"),
        rawFrame(4, 0, 0, Buffer.alloc(0)),
        ...ids.map(request),
      ]),
    );

    const frames: { type: number; flags: number; id: number; payload: Buffer }[] = [];
    let input = Buffer.alloc(0);
    await new Promise<void>((resolve, reject) => {
      socket.on("error", reject);
      socket.on("data", (chunk: Buffer) => {
        input = Buffer.concat([input, chunk]);
        while (input.length >= 9 && input.length >= 9 + input.readUIntBE(0, 3)) {
          const length = input.readUIntBE(0, 3);
          frames.push({
            type: input[3],
            flags: input[4],
            id: input.readUInt32BE(5) & 0x7fffffff,
            payload: input.subarray(9, 9 + length),
          });
          input = input.subarray(9 + length);
        }
        if (frames.filter((f) => f.type === 1 && f.flags & 0x1).length === streams) resolve();
      });
    });
    socket.destroy();

    const decoder = new HpackDecoder();
    for (const id of ids) {
      const own = frames.filter((f) => f.id === id);
      expect(own.map((f) => [f.type, f.flags])).toEqual([
        [1, 0x4], // HEADERS, END_HEADERS
        [0, 0], // DATA
        [1, 0x4 | 0x1], // trailers: HEADERS, END_HEADERS and END_STREAM
      ]);
      expect(decoder.decode(own[0].payload)).toEqual([[":status", "200"]]);
      expect(own[1].payload.toString()).toBe(`/n/${id}`);
    }
    // Streams answered in the order they were asked.
    expect(frames.filter((f) => f.type === 0).map((f) => f.id)).toEqual(ids);
    // The server's settings in one write; then at most one write per read (the client's one write may arrive
    // in more than one read), not one per frame (120 frames) or per stream.
    expect(reads).toBeGreaterThan(0);
    expect(writes).toBeLessThanOrEqual(1 + reads);
  });

  test("a client that does not speak HTTP/2 is sent GOAWAY and disconnected", async () => {
    const { port } = await connect();
    const socket = net.connect(port, "127.0.0.1");
    const received: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => received.push(chunk));
    socket.write("GET / HTTP/1.1\r\nHost: x\r\n\r\n");
    await new Promise((resolve) => socket.on("close", resolve));
    const all = Buffer.concat(received);
    // The server's SETTINGS, its WINDOW_UPDATE, then GOAWAY (type 7) with PROTOCOL_ERROR (1).
    const goaway = all.indexOf(Buffer.from([0x07, 0x00, 0x00, 0x00, 0x00, 0x00]));
    expect(goaway).toBeGreaterThan(0);
    expect(all.readUInt32BE(goaway + 10)).toBe(ErrorCode.PROTOCOL_ERROR);
    expect(all.subarray(goaway + 14).toString()).toContain("connection preface");
  });
});
