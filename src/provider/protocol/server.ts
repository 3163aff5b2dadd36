/**
 * The plugin process: go-plugin's handshake on stdout, mutual TLS with the certificate Terraform sent, and
 * the gRPC services Terraform calls (the tfplugin6 Provider, and go-plugin's controller, stdio and broker).
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import * as protobuf from "protobufjs";
import { createServerCertificate } from "./certificate";
import type { ProviderDefinition } from "./definition";
import { providerHandlers, unsupported } from "./handlers";
import { Logger } from "./logger";
import { GO_PLUGIN_PROTO } from "./proto/go-plugin";
import { TFPLUGIN6_PROTO } from "./proto/tfplugin6";

/** go-plugin's handshake contract with Terraform. */
export const HANDSHAKE = {
  cookieKey: "TF_PLUGIN_MAGIC_COOKIE",
  cookieValue: "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
  coreProtocolVersion: 1,
  appProtocolVersion: 6,
} as const;

const DECODE_OPTIONS: protobuf.IConversionOptions = { enums: String, longs: String, defaults: true, oneofs: true };
/** Terraform's own limit for provider messages: large states must fit. */
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

export class PluginStartError extends Error {}

export interface ServeOptions {
  readonly env?: NodeJS.ProcessEnv;
  readonly log?: Logger;
  /** Receives the handshake line; default: stdout. */
  readonly announce?: (line: string) => void;
  /** Called when Terraform's controller asks the plugin to shut down; default: exit the process. */
  readonly onShutdown?: () => void;
}

export interface RunningPlugin {
  readonly handshake: string;
  stop(): Promise<void>;
}

/** Starts the plugin's gRPC server and prints the handshake line. */
export async function servePlugin(provider: ProviderDefinition, options: ServeOptions = {}): Promise<RunningPlugin> {
  const env = options.env ?? process.env;
  const log = options.log ?? new Logger();
  checkHandshakeEnv(env);

  const root = protocolRoot();

  const server = new grpc.Server({
    "grpc.max_receive_message_length": MAX_MESSAGE_BYTES,
    "grpc.max_send_message_length": MAX_MESSAGE_BYTES,
  });
  const onShutdown = options.onShutdown ?? (() => process.exit(0));

  const handlers = providerHandlers(provider, log);
  const providerService = serviceDefinition(root, "tfplugin6.Provider");
  server.addService(
    providerService,
    Object.fromEntries(
      Object.keys(providerService).map((name) => [
        name,
        unary(name, handlers[name] ?? unsupported(name, provider), log),
      ]),
    ),
  );
  server.addService(serviceDefinition(root, "plugin.GRPCController"), {
    Shutdown: (_call: unknown, callback: grpc.sendUnaryData<object>) => {
      log.debug("shutdown requested by Terraform");
      callback(null, {});
      // Answer first, then go: Terraform waits for the answer, not for the exit.
      setImmediate(onShutdown);
    },
  });
  // Nothing is written to the process's stdout or stderr streams but the handshake and log lines, so the
  // stdio stream stays open and silent; the broker serves no sub-plugins.
  const openStreams = new Set<
    grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>
  >();
  const holdOpen = (
    stream: grpc.ServerWritableStream<unknown, unknown> | grpc.ServerDuplexStream<unknown, unknown>,
  ) => {
    openStreams.add(stream);
    stream.on("cancelled", () => openStreams.delete(stream));
  };
  server.addService(serviceDefinition(root, "plugin.GRPCStdio"), { StreamStdio: holdOpen });
  server.addService(serviceDefinition(root, "plugin.GRPCBroker"), {
    StartStream: (stream: grpc.ServerDuplexStream<unknown, unknown>) => {
      holdOpen(stream);
      stream.on("data", () => undefined);
    },
  });

  const certificate = createServerCertificate();
  const clientCert = env.PLUGIN_CLIENT_CERT;
  const credentials = clientCert
    ? grpc.ServerCredentials.createSsl(
        Buffer.from(clientCert),
        [{ private_key: Buffer.from(certificate.keyPem), cert_chain: Buffer.from(certificate.certPem) }],
        true,
      )
    : grpc.ServerCredentials.createInsecure();

  const socketDir = fs.mkdtempSync(path.join(env.PLUGIN_UNIX_SOCKET_DIR || os.tmpdir(), "preclinical-plugin-"));
  const socketPath = path.join(socketDir, "plugin.sock");
  await new Promise<void>((resolve, reject) =>
    server.bindAsync(`unix:${socketPath}`, credentials, (err) => (err ? reject(err) : resolve())),
  );
  const removeSocket = () => fs.rmSync(socketDir, { recursive: true, force: true });
  process.once("exit", removeSocket);

  const certField = clientCert ? certificate.der.toString("base64").replace(/=+$/, "") : "";
  const handshake = [
    HANDSHAKE.coreProtocolVersion,
    HANDSHAKE.appProtocolVersion,
    "unix",
    socketPath,
    "grpc",
    certField,
  ].join("|");
  (options.announce ?? ((line: string) => process.stdout.write(`${line}\n`)))(handshake);
  log.debug("plugin started", { socket: socketPath, node: process.versions.node });

  return {
    handshake,
    stop: async () => {
      for (const stream of openStreams) stream.end();
      await new Promise<void>((resolve) => server.tryShutdown(() => resolve()));
      removeSocket();
    },
  };
}

function checkHandshakeEnv(env: NodeJS.ProcessEnv): void {
  if (env[HANDSHAKE.cookieKey] !== HANDSHAKE.cookieValue) {
    throw new PluginStartError(
      "This program is the Preclinical Terraform provider. Terraform starts it; it is not meant to be run " +
        "by hand. Install it with `preclinical-provider install <dir>` and run terraform init in <dir>.",
    );
  }
  const versions = (env.PLUGIN_PROTOCOL_VERSIONS ?? "").split(",").map((v) => v.trim());
  if (!versions.includes(String(HANDSHAKE.appProtocolVersion))) {
    throw new PluginStartError(
      `Terraform offered plugin protocol versions ${JSON.stringify(env.PLUGIN_PROTOCOL_VERSIONS ?? "")}, and this ` +
        "provider speaks version 6 only (Terraform 1.0 and later). Upgrade Terraform to 1.11 or later.",
    );
  }
}

/** The protocol text parsed: the tfplugin6 and go-plugin services and messages. */
export function protocolRoot(): protobuf.Root {
  const root = new protobuf.Root();
  protobuf.parse(TFPLUGIN6_PROTO, root, { keepCase: true });
  protobuf.parse(GO_PLUGIN_PROTO, root, { keepCase: true });
  return root;
}

/** A grpc-js service definition built from the parsed protocol text (a client of the tests uses it too). */
export function serviceDefinition(root: protobuf.Root, name: string): grpc.ServiceDefinition {
  const service = root.lookupService(name);
  const definition: Record<string, grpc.MethodDefinition<object, object>> = {};
  for (const method of service.methodsArray) {
    method.resolve();
    const request = method.resolvedRequestType as protobuf.Type;
    const response = method.resolvedResponseType as protobuf.Type;
    definition[method.name] = {
      path: `/${name}/${method.name}`,
      requestStream: Boolean(method.requestStream),
      responseStream: Boolean(method.responseStream),
      requestSerialize: (value: object) => Buffer.from(request.encode(request.fromObject(value)).finish()),
      requestDeserialize: (bytes: Buffer) => request.toObject(request.decode(bytes), DECODE_OPTIONS),
      responseSerialize: (value: object) => Buffer.from(response.encode(response.fromObject(value)).finish()),
      responseDeserialize: (bytes: Buffer) => response.toObject(response.decode(bytes), DECODE_OPTIONS),
      originalName: method.name,
    };
  }
  return definition as grpc.ServiceDefinition;
}

function unary(name: string, handler: (request: Record<string, unknown>) => Promise<object>, log: Logger) {
  return (call: grpc.ServerUnaryCall<Record<string, unknown>, object>, callback: grpc.sendUnaryData<object>) => {
    const started = Date.now();
    handler(call.request).then(
      (response) => {
        log.debug(`${name} answered`, { ms: Date.now() - started });
        callback(null, response);
      },
      (err: unknown) => {
        // The handlers turn failures into diagnostics; reaching here means the answer could not be built.
        log.error(`${name} failed`, { cause: err instanceof Error ? err.message : String(err) });
        callback({ code: grpc.status.INTERNAL, details: log.mask(err instanceof Error ? err.message : String(err)) });
      },
    );
  };
}
