/**
 * The HTTP/2 servers the plugin's gRPC layer can run on, both over mutual TLS (or plain, when Terraform
 * asks for no TLS) on a unix socket: the provider's own (http2/connection.ts), the default, and node:http2,
 * which PRECLINICAL_PROVIDER_HTTP2=node chooses: a way round, should some client meet a fault in the
 * provider's own, and the other side of the benchmark that measures it (BENCHMARKS.md, section 6).
 */
import type * as http2 from "node:http2";
import * as net from "node:net";
import * as tls from "node:tls";
import type { CallStream } from "./grpc";
import { ErrorCode, Http2ServerConnection, type ServerStream } from "./http2/connection";
import { frozenHeaders } from "./http2/hpack";

export type Http2Kind = "provider" | "node";

/** The environment variable that chooses the HTTP/2 server, and what it may say. */
export const HTTP2_ENV = "PRECLINICAL_PROVIDER_HTTP2";

/** Which server `env` asks for: unset or `provider` the provider's own, `node` node:http2; else undefined. */
export function http2Kind(env: NodeJS.ProcessEnv): Http2Kind | undefined {
  const value = (env[HTTP2_ENV] ?? "").trim().toLowerCase();
  if (value === "" || value === "provider") return "provider";
  return value === "node" ? "node" : undefined;
}

export interface TlsIdentity {
  readonly keyPem: string;
  readonly certPem: string;
  /** The client certificate Terraform sent: the only one accepted. */
  readonly clientCertPem: string;
}

export interface Http2Listener {
  listen(address: string): Promise<void>;
  /** Stops accepting, says GOAWAY on every connection, and resolves once they are closed. */
  close(): Promise<void>;
}

export function createListener(
  kind: Http2Kind,
  identity: TlsIdentity | undefined,
  maxMessageBytes: number,
  onStream: (stream: CallStream) => void,
): Http2Listener {
  return kind === "node" ? nodeListener(identity, maxMessageBytes, onStream) : providerListener(identity, onStream);
}

function tlsOptions(identity: TlsIdentity) {
  return {
    key: identity.keyPem,
    cert: identity.certPem,
    ca: identity.clientCertPem,
    requestCert: true,
    rejectUnauthorized: true,
    minVersion: "TLSv1.2" as const,
  };
}

function listenOn(server: net.Server, address: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(address, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

function providerListener(identity: TlsIdentity | undefined, onStream: (stream: CallStream) => void): Http2Listener {
  const connections = new Set<Http2ServerConnection>();
  const accept = (socket: net.Socket) => {
    const connection = new Http2ServerConnection(socket, (stream) => onStream(providerStream(stream)));
    connections.add(connection);
    socket.on("close", () => connections.delete(connection));
  };
  const server = identity
    ? tls.createServer({ ...tlsOptions(identity), ALPNProtocols: ["h2"] }, accept)
    : net.createServer(accept);
  // A client that fails the TLS handshake (a certificate not Terraform's) is turned away, not an error of ours.
  server.on("tlsClientError", () => undefined);
  return {
    listen: (address) => listenOn(server, address),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const connection of connections) connection.close();
      }),
  };
}

const GRPC_HEADERS = frozenHeaders([
  [":status", "200"],
  ["content-type", "application/grpc"],
]);
const OK_TRAILERS = frozenHeaders([["grpc-status", "0"]]);

function providerStream(stream: ServerStream): CallStream {
  const closers: (() => void)[] = [];
  stream.onClose = () => closers.forEach((close) => close());
  return {
    header: (name) => stream.headers[name],
    read(onChunk, onEnd) {
      stream.onData = onChunk;
      stream.onEnd = onEnd;
    },
    onClose: (callback) => void closers.push(callback),
    get settled() {
      return stream.headersSent || stream.closed;
    },
    answer(body) {
      stream.respond(GRPC_HEADERS);
      stream.write(body);
      stream.sendTrailers(OK_TRAILERS);
    },
    open: () => stream.respond(GRPC_HEADERS),
    finish: () => stream.sendTrailers(OK_TRAILERS),
    fail(code, message) {
      stream.respond(
        [...GRPC_HEADERS, ["grpc-status", String(code)], ["grpc-message", encodeURIComponent(message)]],
        true,
      );
    },
    refuse: () => stream.respond([[":status", "415"]], true),
    cancel: () => stream.reset(ErrorCode.CANCEL),
  };
}

function nodeListener(
  identity: TlsIdentity | undefined,
  maxMessageBytes: number,
  onStream: (stream: CallStream) => void,
): Http2Listener {
  // Loaded only when chosen: the provider's own server needs none of it, and loading it is start-up time.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createSecureServer, createServer } = require("node:http2") as typeof http2;
  const maxSessionMemory = (2 * maxMessageBytes) / 2 ** 20;
  const server = identity
    ? createSecureServer({ ...tlsOptions(identity), maxSessionMemory })
    : createServer({ maxSessionMemory });
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("session", (session) => {
    sessions.add(session);
    session.on("error", () => undefined);
    session.on("close", () => sessions.delete(session));
  });
  server.on("stream", (stream, headers) => {
    // A client that resets a stream (Terraform cancelling, or exiting) is not an error of the plugin's.
    stream.on("error", () => undefined);
    onStream(nodeStream(stream, headers));
  });
  return {
    listen: (address) => listenOn(server, address),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of sessions) session.close();
      }),
  };
}

function nodeStream(stream: http2.ServerHttp2Stream, headers: http2.IncomingHttpHeaders): CallStream {
  const okTrailers = () => stream.once("wantTrailers", () => stream.sendTrailers({ "grpc-status": "0" }));
  return {
    header(name) {
      const value = headers[name];
      return Array.isArray(value) ? value.join(", ") : value;
    },
    read(onChunk, onEnd) {
      stream.on("data", onChunk);
      stream.on("end", onEnd);
    },
    onClose: (callback) => void stream.on("close", callback),
    get settled() {
      return stream.headersSent || stream.destroyed;
    },
    answer(body) {
      stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true });
      okTrailers();
      stream.end(body);
    },
    open: () => stream.respond({ ":status": 200, "content-type": "application/grpc" }, { waitForTrailers: true }),
    finish() {
      if (stream.destroyed) return;
      okTrailers();
      stream.end();
    },
    fail(code, message) {
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
    },
    refuse: () => stream.respond({ ":status": 415 }, { endStream: true }),
    cancel: () => stream.close(),
  };
}
