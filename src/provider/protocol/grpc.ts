/**
 * gRPC over HTTP/2 as a plugin's server needs it (the gRPC "PROTOCOL-HTTP2" document): a request is a POST
 * to /<service>/<method> with content-type application/grpc and length-prefixed messages (one flag byte,
 * four bytes of big-endian length); a unary answer is the headers, one such message and trailers holding
 * grpc-status (0, or an error code with grpc-message). Streams that Terraform opens and never needs an
 * answer on (go-plugin's stdio and broker) are held open until the plugin stops.
 * Written on node:http2 rather than loaded from grpc-js: loading grpc-js was a large part of every provider
 * start, and its layers a large part of every call (BENCHMARKS.md, section 6).
 */
import type * as http2 from "node:http2";

/** The gRPC status codes this server answers with. */
export const GrpcStatus = { OK: 0, INTERNAL: 13, UNIMPLEMENTED: 12, RESOURCE_EXHAUSTED: 8 } as const;

/** Thrown by a unary call to answer with a gRPC error instead of a message. */
export class GrpcError extends Error {
  constructor(
    public readonly code: number,
    message: string,
  ) {
    super(message);
  }
}

export type GrpcRoute =
  /** One request message in, one answer out. */
  | { readonly kind: "unary"; call(request: Buffer): Promise<Buffer> }
  /** Answered with headers only and held open; whatever the client sends is read and dropped. */
  | { readonly kind: "held" };

export interface GrpcServing {
  /** Ends the held streams with status OK (the plugin is stopping). */
  endHeldStreams(): void;
}

/** Serves gRPC calls on an HTTP/2 server: `route` names what each method path does (undefined: unknown). */
export function serveGrpc(
  server: http2.Http2Server | http2.Http2SecureServer,
  route: (path: string) => GrpcRoute | undefined,
  maxMessageBytes: number,
): GrpcServing {
  const held = new Set<http2.ServerHttp2Stream>();
  server.on("session", (session) => session.on("error", () => undefined));
  server.on("stream", (stream, headers) => {
    // A client that resets a stream (Terraform cancelling, or exiting) is not an error of the plugin's.
    stream.on("error", () => undefined);
    const path = String(headers[":path"] ?? "");
    const contentType = String(headers["content-type"] ?? "");
    if (headers[":method"] !== "POST" || !contentType.startsWith("application/grpc")) {
      stream.respond({ ":status": 415 }, { endStream: true });
      return;
    }
    const target = route(path);
    if (!target) return fail(stream, GrpcStatus.UNIMPLEMENTED, `unknown method ${path}`);
    if (target.kind === "held") {
      stream.respond({ ":status": 200, "content-type": "application/grpc" });
      stream.on("data", () => undefined);
      held.add(stream);
      stream.on("close", () => held.delete(stream));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxMessageBytes + 5) {
        fail(stream, GrpcStatus.RESOURCE_EXHAUSTED, `request larger than ${maxMessageBytes} bytes`);
        stream.close();
      } else chunks.push(chunk);
    });
    stream.on("end", () => {
      if (stream.headersSent || stream.destroyed) return;
      let request: Buffer;
      try {
        request = onlyMessage(Buffer.concat(chunks, size), headers["grpc-encoding"]);
      } catch (err) {
        return fail(stream, err instanceof GrpcError ? err.code : GrpcStatus.INTERNAL, (err as Error).message);
      }
      target.call(request).then(
        (answer) => {
          if (stream.destroyed) return;
          stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
          stream.once("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
          stream.end(frame(answer));
        },
        (err: unknown) => fail(stream, err instanceof GrpcError ? err.code : GrpcStatus.INTERNAL, String(err)),
      );
    });
  });
  return {
    endHeldStreams() {
      for (const stream of held) {
        if (stream.destroyed) continue;
        stream.once("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
        stream.end();
      }
      held.clear();
    },
  };
}

/** The one message of a unary request's body. */
function onlyMessage(body: Buffer, encoding: string | string[] | undefined): Buffer {
  if (body.length < 5) throw new GrpcError(GrpcStatus.INTERNAL, "request without a message");
  if (body[0] !== 0 && encoding !== undefined && encoding !== "identity") {
    throw new GrpcError(GrpcStatus.UNIMPLEMENTED, `compressed messages (${String(encoding)}) are not supported`);
  }
  const length = body.readUInt32BE(1);
  if (body.length !== 5 + length) throw new GrpcError(GrpcStatus.INTERNAL, "a unary request holds one message");
  return body.subarray(5);
}

function frame(message: Buffer): Buffer {
  const out = Buffer.allocUnsafe(5 + message.length);
  out[0] = 0;
  out.writeUInt32BE(message.length, 1);
  message.copy(out, 5);
  return out;
}

/** A "trailers-only" answer: the status in the headers, no message. */
function fail(stream: http2.ServerHttp2Stream, code: number, message: string): void {
  if (stream.destroyed || stream.headersSent) return;
  stream.respond(
    {
      ":status": 200,
      "content-type": "application/grpc",
      "grpc-status": String(code),
      "grpc-message": encodeURIComponent(message),
    },
    { endStream: true },
  );
}
