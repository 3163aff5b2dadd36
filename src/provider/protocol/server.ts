/**
 * The plugin process: go-plugin's handshake on stdout, mutual TLS with the certificate Terraform sent, and
 * the gRPC services Terraform calls (the tfplugin6 Provider, and go-plugin's controller, stdio and broker).
 * Only what the handshake needs runs before it (the HTTP/2 server, the certificate): the protocol's codec, the
 * handlers and the provider itself load on the first call, so that the start Terraform waits for stays short
 * (BENCHMARKS.md, section 6).
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { createServerCertificate } from "./certificate";
import type { ProviderDefinition } from "./definition";
import { GrpcStatus, GrpcError, grpcServing, type GrpcRoute } from "./grpc";
import type * as Handlers from "./handlers";
import { Logger } from "./logger";
import type * as Descriptor from "./proto/descriptor";
import type * as Protobuf from "./protobuf";
import { createListener, HTTP2_ENV, http2Kind } from "./transports";

/** go-plugin's handshake contract with Terraform. */
export const HANDSHAKE = {
  cookieKey: "TF_PLUGIN_MAGIC_COOKIE",
  cookieValue: "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2",
  coreProtocolVersion: 1,
  appProtocolVersion: 6,
} as const;

/** Terraform's own limit for provider messages: large states must fit. */
const MAX_MESSAGE_BYTES = 256 * 1024 * 1024;

/** sockaddr_un's sun_path holds 108 bytes; an abstract name is a NUL and then up to 107 more. */
const ABSTRACT_NAME_LENGTH = 107;

const PROVIDER_SERVICE = "tfplugin6.Provider";
const SHUTDOWN = "/plugin.GRPCController/Shutdown";
/** go-plugin's stdio and broker streams: nothing is written to stdout or stderr but the handshake and log lines,
 * and the broker serves no sub-plugins, so both stay open and silent. */
const HELD = new Set(["/plugin.GRPCStdio/StreamStdio", "/plugin.GRPCBroker/StartStream"]);

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

/**
 * Starts the plugin's gRPC server and prints the handshake line. `provider` may be a function that makes the
 * provider: it is called on the first call Terraform makes, so that loading the provider's code waits too.
 */
export async function servePlugin(
  provider: ProviderDefinition | (() => ProviderDefinition),
  options: ServeOptions = {},
): Promise<RunningPlugin> {
  const env = options.env ?? process.env;
  const log = options.log ?? new Logger();
  checkHandshakeEnv(env);
  const onShutdown = options.onShutdown ?? (() => process.exit(0));

  const kind = http2Kind(env);
  if (!kind) {
    throw new PluginStartError(
      `${HTTP2_ENV}=${JSON.stringify(env[HTTP2_ENV])} is not a choice: set it to node (node:http2) or leave it ` +
        "unset (the provider's own HTTP/2 server).",
    );
  }
  const clientCert = env.PLUGIN_CLIENT_CERT;
  const certificate = clientCert ? createServerCertificate() : undefined;

  const calls = lazyCalls(provider, log);
  const route = (method: string): GrpcRoute | undefined => {
    if (HELD.has(method)) return { kind: "held" };
    if (method === SHUTDOWN) {
      return {
        kind: "unary",
        call: async () => {
          log.debug("shutdown requested by Terraform");
          // Answer first, then go. The answer's frames are queued once this call returns and written at the
          // next check phase (http2/connection.ts), so the exit waits one turn more, past that write.
          setImmediate(() => setImmediate(onShutdown));
          return Buffer.alloc(0);
        },
      };
    }
    return method.startsWith(`/${PROVIDER_SERVICE}/`) ? calls(method.slice(PROVIDER_SERVICE.length + 2)) : undefined;
  };
  const serving = grpcServing(route, MAX_MESSAGE_BYTES);
  const identity =
    certificate && clientCert
      ? { keyPem: certificate.keyPem, certPem: certificate.certPem, clientCertPem: clientCert }
      : undefined;
  const listener = createListener(kind, identity, MAX_MESSAGE_BYTES, (stream) => serving.serve(stream));

  const socket = socketAddress(env, Boolean(certificate));
  await listener.listen(socket.listen);
  process.once("exit", socket.remove);

  const certField = certificate ? certificate.der.toString("base64").replace(/=+$/, "") : "";
  const handshake = [
    HANDSHAKE.coreProtocolVersion,
    HANDSHAKE.appProtocolVersion,
    "unix",
    socket.announce,
    "grpc",
    certField,
  ].join("|");
  (options.announce ?? ((line: string) => process.stdout.write(`${line}\n`)))(handshake);
  log.debug("plugin started", { socket: socket.announce, node: process.versions.node, http2: kind });

  return {
    handshake,
    stop: async () => {
      serving.endHeldStreams();
      await listener.close();
      socket.remove();
      process.off("exit", socket.remove);
    },
  };
}

/**
 * The Provider service's calls, made on first use: the codec, the handlers and the provider load then. A
 * method the protocol does not have is unknown (UNIMPLEMENTED); one it has and the provider does not serve
 * answers with a diagnostic saying so.
 */
function lazyCalls(provider: ProviderDefinition | (() => ProviderDefinition), log: Logger) {
  let loaded:
    | {
        codec: Protobuf.ProtobufCodec;
        methods: Protobuf.ProtocolDescriptor["services"][string];
        handlers: Record<string, Handler>;
      }
    | undefined;
  let definition: ProviderDefinition | undefined;
  const load = () => {
    if (loaded) return loaded;
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { ProtobufCodec } = require("./protobuf") as typeof Protobuf;
    const { PROTOCOL } = require("./proto/descriptor") as typeof Descriptor;
    const { providerHandlers } = require("./handlers") as typeof Handlers;
    /* eslint-enable @typescript-eslint/no-require-imports */
    definition = typeof provider === "function" ? provider() : provider;
    loaded = {
      codec: new ProtobufCodec(PROTOCOL),
      methods: PROTOCOL.services[PROVIDER_SERVICE],
      handlers: providerHandlers(definition, log),
    };
    return loaded;
  };
  return (name: string): GrpcRoute | undefined => {
    const { codec, methods, handlers } = load();
    const method = methods[name];
    if (!method) return undefined;
    const [requestType, responseType] = method;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const handler = handlers[name] ?? (require("./handlers") as typeof Handlers).unsupported(name, definition);
    return {
      kind: "unary",
      call: async (bytes) => {
        const started = Date.now();
        let request: Record<string, unknown>;
        try {
          request = codec.decode(requestType, bytes);
        } catch (err) {
          throw new GrpcError(GrpcStatus.INTERNAL, `${name}: unreadable request: ${(err as Error).message}`);
        }
        try {
          const answer = codec.encode(responseType, await handler(request));
          log.debug(`${name} answered`, { ms: Date.now() - started });
          return answer;
        } catch (err) {
          // The handlers turn failures into diagnostics; reaching here means the answer could not be built.
          const cause = err instanceof Error ? err.message : String(err);
          log.error(`${name} failed`, { cause });
          throw new GrpcError(GrpcStatus.INTERNAL, log.mask(cause));
        }
      },
    };
  };
}

type Handler = ReturnType<typeof Handlers.unsupported>;

/**
 * Where the plugin listens. On Linux, with mutual TLS, an abstract unix socket ("@name" in the handshake,
 * which Go dials as such): nothing on disk, so nothing is left behind however the process ends, a SIGKILL
 * included; the TLS handshake, not file permissions, keeps other local users out. Elsewhere, or without TLS,
 * a socket in a folder of its own (mode 0700), removed when the process exits or stops; in the folder
 * go-plugin names when it names one (PLUGIN_UNIX_SOCKET_DIR, which it removes itself).
 */
function socketAddress(env: NodeJS.ProcessEnv, secure: boolean): { listen: string; announce: string; remove(): void } {
  if (process.platform === "linux" && secure && !env.PLUGIN_UNIX_SOCKET_DIR) {
    // The name fills the whole sun_path (108 bytes with the leading NUL): Node 20 binds an abstract name
    // padded with NULs to that size and Go dials it unpadded, so only a name of full length is the same to both.
    const prefix = `preclinical-plugin-${process.pid}-`;
    const name =
      prefix +
      crypto
        .randomBytes(64)
        .toString("hex")
        .slice(0, ABSTRACT_NAME_LENGTH - prefix.length);
    return { listen: `\0${name}`, announce: `@${name}`, remove: () => undefined };
  }
  const dir = fs.mkdtempSync(path.join(env.PLUGIN_UNIX_SOCKET_DIR || os.tmpdir(), "preclinical-plugin-"));
  const file = path.join(dir, "plugin.sock");
  return { listen: file, announce: file, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
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
