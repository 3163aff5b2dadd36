/**
 * What the tests of the tfplugin6 Provider handlers (test/provider/handlers-*.test.ts) drive them with: a
 * small fake ProviderDefinition with one resource type, `fake_thing`, and one data source, `fake_things` (a
 * list of objects and a map), that record each call; a logger that keeps its lines; and the real protobuf
 * message types, to see an answer as Terraform receives it.
 */
import * as protobuf from "protobufjs";
import { encodeObject, type ObjectType } from "../../src/provider/protocol/codec";
import {
  objectType,
  type ApplyRequest,
  type BlockSchema,
  type ClientInfo,
  type DataSourceDefinition,
  type PlanRequest,
  type ProviderDefinition,
  type ResourceDefinition,
} from "../../src/provider/protocol/definition";
import { Logger } from "../../src/provider/protocol/logger";
import { TFPLUGIN6_PROTO } from "../../src/provider/protocol/proto/tfplugin6";
import { UNKNOWN, listOf, mapOf, objectOf, type ObjectValue } from "../../src/provider/protocol/values";

/** The schema of `fake_thing`: a computed id, a required name, a write-only token, an optional size and flag. */
export const THING_SCHEMA: BlockSchema = {
  version: 1,
  description: "A thing.",
  attributes: {
    id: { type: "string", computed: true, description: "The id." },
    name: { type: "string", required: true, description: "The name." },
    token: { type: "string", optional: true, sensitive: true, writeOnly: true, description: "A token." },
    size: { type: "number", optional: true, description: "The size." },
    enabled: { type: "bool", optional: true, computed: true, description: "Whether it is on." },
  },
};
export const THING: ObjectType = objectType(THING_SCHEMA);
/** The schema of `fake_things`: a filter in, a computed list of objects and a map of tags out. */
export const THINGS_SCHEMA: BlockSchema = {
  version: 0,
  description: "Things.",
  attributes: {
    prefix: { type: "string", optional: true, description: "Only names starting with this." },
    things: {
      type: listOf(objectOf({ id: "string", name: "string", size: "number" })),
      computed: true,
      description: "The things.",
    },
    tags: { type: mapOf("string"), optional: true, computed: true, description: "Tags." },
  },
};
export const THINGS: ObjectType = objectType(THINGS_SCHEMA);
export const PROVIDER_SCHEMA: BlockSchema = {
  version: 0,
  description: "A fake provider.",
  attributes: { endpoint: { type: "string", optional: true, description: "Where." } },
};

/** What the fake provider was called with, call by call. */
export interface Calls {
  validate: { config: ObjectValue; client: ClientInfo }[];
  plan: PlanRequest[];
  apply: ApplyRequest[];
  read: ObjectValue[];
  import: string[];
  validateData: ObjectValue[];
  readData: ObjectValue[];
  configure: { config: ObjectValue; client: ClientInfo }[];
  stop: number;
}

/** The fake provider, its `fake_thing` resource's methods replaced by `overrides`; `calls` records the calls. */
export function fakeProvider(
  overrides: Partial<ResourceDefinition> = {},
  dataOverrides: Partial<DataSourceDefinition> = {},
): {
  provider: ProviderDefinition;
  calls: Calls;
} {
  const calls: Calls = {
    validate: [],
    plan: [],
    apply: [],
    read: [],
    import: [],
    validateData: [],
    readData: [],
    configure: [],
    stop: 0,
  };
  const thing: ResourceDefinition = {
    schema: THING_SCHEMA,
    validate: (config, client) => {
      calls.validate.push({ config, client });
      return [];
    },
    plan: async (request) => {
      calls.plan.push(request);
      return { planned: request.proposed && { ...request.proposed, id: UNKNOWN } };
    },
    apply: async (request) => {
      calls.apply.push(request);
      return { state: request.planned && { ...request.planned, id: "thing-1" } };
    },
    read: async (state) => {
      calls.read.push(state);
      return { state };
    },
    import: async (id) => {
      calls.import.push(id);
      return { state: { id, name: "imported", token: null, size: null, enabled: true } };
    },
    ...overrides,
  };
  const things: DataSourceDefinition = {
    schema: THINGS_SCHEMA,
    validate: (config) => {
      calls.validateData.push(config);
      return [];
    },
    read: async (config) => {
      calls.readData.push(config);
      return {
        state: {
          ...config,
          things: [{ id: "t-1", name: `${String(config.prefix ?? "")}one`, size: 1 }],
          tags: { a: "b" },
        },
      };
    },
    ...dataOverrides,
  };
  const provider: ProviderDefinition = {
    typeName: "fake",
    schema: PROVIDER_SCHEMA,
    resources: { fake_thing: thing },
    dataSources: { fake_things: things },
    validate: () => [],
    configure: async (config, client) => {
      calls.configure.push({ config, client });
      return [];
    },
    stop: async () => {
      calls.stop += 1;
    },
  };
  return { provider, calls };
}

/** A logger that keeps its lines. */
export function memoryLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: new Logger((line) => lines.push(line)), lines };
}

// The real message types, parsed as server.ts parses them.
const root = new protobuf.Root();
protobuf.parse(TFPLUGIN6_PROTO, root, { keepCase: true });
const DECODE: protobuf.IConversionOptions = { enums: String, longs: String, defaults: true, oneofs: true };

/** Encodes an answer with the response type of `rpc` and decodes it back: what Terraform receives. */
export function overTheWire(rpc: string, response: object): Record<string, any> {
  const type = root.lookupType(`tfplugin6.${rpc}.Response`);
  const bytes = type.encode(type.fromObject(response)).finish();
  return type.toObject(type.decode(bytes), DECODE);
}

/** A `fake_thing` value as a DynamicValue in msgpack form. */
export const msgpack = (value: ObjectValue | null) => ({ msgpack: encodeObject(value, THING) });
/** A `fake_thing` object: every attribute present, null unless given (name: "n"). */
export const thing = (fields: Partial<Record<keyof typeof THING_SCHEMA.attributes, unknown>> = {}): ObjectValue =>
  ({ id: null, name: "n", token: null, size: null, enabled: null, ...fields }) as ObjectValue;
