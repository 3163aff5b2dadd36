/**
 * gRPC over HTTP/2 as a plugin's server needs it (the gRPC "PROTOCOL-HTTP2" document): a request is a POST
 * to /<service>/<method> with content-type application/grpc and length-prefixed messages (one flag byte,
 * four bytes of big-endian length); a unary answer is the headers, one such message and trailers holding
 * grpc-status (0, or an error code with grpc-message). Streams that Terraform opens and never needs an
 * answer on (go-plugin's stdio and broker) are held open until the plugin stops.
 * The HTTP/2 underneath is a `CallStream` (transports.ts): the provider's own server by default, node:http2
 * on request. Written here rather than loaded from grpc-js: loading grpc-js was a large part of every
 * provider start, and its layers a large part of every call (BENCHMARKS.md, section 6).
 */
import * as diagnostics from "node:diagnostics_channel";

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

/** One HTTP/2 stream as this layer uses it, whichever HTTP/2 server carries it. */
export interface CallStream {
  /** The request's headers, names in lower case. */
  header(name: string): string | undefined;
  /** Receives the request body's chunks, then its end. */
  read(onChunk: (chunk: Buffer) => void, onEnd: () => void): void;
  /** Called once the stream is gone: answered and ended both ways, reset, or its connection closed. */
  onClose(callback: () => void): void;
  /** Whether an answer has begun, or the stream is gone: nothing more may be sent. */
  readonly settled: boolean;
  /** Headers with :status 200 and content-type application/grpc, `body`, then trailers with grpc-status 0. */
  answer(body: Buffer): void;
  /** Headers only (held open); `finish` ends it later. */
  open(): void;
  /** Ends an open stream: trailers with grpc-status 0. */
  finish(): void;
  /** A "trailers-only" answer: the status in the headers, no message. */
  fail(code: number, message: string): void;
  /** Answers a request that is not gRPC (status 415, no body). */
  refuse(): void;
  /** Resets the stream. */
  cancel(): void;
}

/**
 * Each call's method name, for profiles and benchmarks (scripts/profile-hook.ts): published only while
 * someone subscribes, so it costs a call nothing otherwise.
 */
export const CALL_CHANNEL_NAME = "preclinical:provider:grpc-call";
const CALL_CHANNEL = diagnostics.channel(CALL_CHANNEL_NAME);

export interface GrpcServing {
  /** Serves one stream. */
  serve(stream: CallStream): void;
  /** Ends the held streams with status OK (the plugin is stopping). */
  endHeldStreams(): void;
}

/** gRPC calls: `route` names what each method path does (undefined: unknown). */
export function grpcServing(route: (path: string) => GrpcRoute | undefined, maxMessageBytes: number): GrpcServing {
  const held = new Set<CallStream>();
  return {
    serve(stream) {
      const path = stream.header(":path") ?? "";
      if (CALL_CHANNEL.hasSubscribers) CALL_CHANNEL.publish({ path });
      if (
        stream.header(":method") !== "POST" ||
        !(stream.header("content-type") ?? "").startsWith("application/grpc")
      ) {
        stream.read(ignore, ignore);
        return stream.refuse();
      }
      const target = route(path);
      if (!target) {
        stream.read(ignore, ignore);
        return stream.fail(GrpcStatus.UNIMPLEMENTED, `unknown method ${path}`);
      }
      if (target.kind === "held") {
        stream.open();
        stream.read(ignore, ignore);
        held.add(stream);
        stream.onClose(() => held.delete(stream));
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      let refused = false;
      stream.read(
        (chunk) => {
          if (refused) return;
          size += chunk.length;
          if (size > maxMessageBytes + 5) {
            refused = true;
            stream.fail(GrpcStatus.RESOURCE_EXHAUSTED, `request larger than ${maxMessageBytes} bytes`);
            stream.cancel();
          } else chunks.push(chunk);
        },
        () => {
          if (refused || stream.settled) return;
          let request: Buffer;
          try {
            request = onlyMessage(
              chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size),
              stream.header("grpc-encoding"),
            );
          } catch (err) {
            return stream.fail(err instanceof GrpcError ? err.code : GrpcStatus.INTERNAL, (err as Error).message);
          }
          target.call(request).then(
            (answer) => {
              if (!stream.settled) stream.answer(frame(answer));
            },
            (err: unknown) => {
              if (!stream.settled) stream.fail(err instanceof GrpcError ? err.code : GrpcStatus.INTERNAL, String(err));
            },
          );
        },
      );
    },
    endHeldStreams() {
      for (const stream of held) stream.finish();
      held.clear();
    },
  };
}

function ignore(): void {}

/** The one message of a unary request's body. */
function onlyMessage(body: Buffer, encoding: string | undefined): Buffer {
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
