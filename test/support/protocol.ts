/**
 * The plugin protocol read by protobufjs and served by grpc-js: an implementation independent of the
 * provider's own (src/provider/protocol/protobuf.ts and grpc.ts), for the tests' gRPC client, for the tests
 * that hold the provider's codec to protobufjs, and for scripts/gen-protocol.ts, which derives the
 * provider's descriptor (src/provider/protocol/proto/descriptor.ts) from the protocol text.
 */
import * as grpc from "@grpc/grpc-js";
import * as protobuf from "protobufjs";
import { GO_PLUGIN_PROTO } from "../../src/provider/protocol/proto/go-plugin";
import { TFPLUGIN6_PROTO } from "../../src/provider/protocol/proto/tfplugin6";
import type { FieldDescriptor, ProtocolDescriptor } from "../../src/provider/protocol/protobuf";

/** protobufjs's toObject options that give what the provider's handlers read (and its codec gives). */
export const DECODE_OPTIONS: protobuf.IConversionOptions = {
  enums: String,
  longs: String,
  defaults: true,
  oneofs: true,
};

/** The protocol text parsed: the tfplugin6 and go-plugin services and messages. */
export function protocolRoot(): protobuf.Root {
  const root = new protobuf.Root();
  protobuf.parse(TFPLUGIN6_PROTO, root, { keepCase: true });
  protobuf.parse(GO_PLUGIN_PROTO, root, { keepCase: true });
  root.resolveAll();
  return root;
}

/** A grpc-js service definition built from the parsed protocol text. */
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

/** A grpc-js client constructor for a service of the protocol. */
export function clientFor(root: protobuf.Root, name: string): grpc.ServiceClientConstructor {
  return grpc.makeGenericClientConstructor(serviceDefinition(root, name), name);
}

const fullName = (t: protobuf.ReflectionObject) => t.fullName.replace(/^\./, "");

/** Every message, enum and service of the protocol in the provider's descriptor form. */
export function protocolDescriptor(root: protobuf.Root = protocolRoot()): ProtocolDescriptor {
  const descriptor: ProtocolDescriptor = { messages: {}, enums: {}, services: {} };
  const visit = (namespace: protobuf.NamespaceBase) => {
    for (const nested of namespace.nestedArray) {
      if (nested instanceof protobuf.Type) {
        descriptor.messages[fullName(nested)] = [...nested.fieldsArray]
          .sort((a, b) => a.id - b.id)
          .map((f): FieldDescriptor => {
            f.resolve();
            const type = f.resolvedType ? fullName(f.resolvedType) : f.type;
            const rule: FieldDescriptor[3] = f.map
              ? `map:${(f as unknown as protobuf.MapField).keyType}`
              : f.repeated
                ? "repeated"
                : f.partOf
                  ? `oneof:${f.partOf.name}`
                  : undefined;
            return rule ? [f.id, f.name, type, rule] : [f.id, f.name, type];
          });
      } else if (nested instanceof protobuf.Enum) {
        descriptor.enums[fullName(nested)] = { ...nested.values };
      } else if (nested instanceof protobuf.Service) {
        descriptor.services[fullName(nested)] = Object.fromEntries(
          nested.methodsArray.map((m) => {
            m.resolve();
            const kind = m.requestStream ? "bidi" : m.responseStream ? "server-stream" : undefined;
            const types = [fullName(m.resolvedRequestType!), fullName(m.resolvedResponseType!)] as const;
            return [m.name, kind ? [...types, kind] : types];
          }),
        );
      }
      if (nested instanceof protobuf.Namespace || nested instanceof protobuf.Type) visit(nested);
    }
  };
  visit(root);
  return descriptor;
}
