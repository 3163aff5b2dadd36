/**
 * The tfplugin6 Provider handlers over a small fake ProviderDefinition: what each call decodes, what it
 * passes to the definition, and what it answers, including the wire shape (every answer is pushed through
 * the real protobuf message types, as the gRPC server does).
 */
import { encode as msgpackEncode } from "@msgpack/msgpack";
import * as protobuf from "protobufjs";
import { encodeObject, decodeObject, type ObjectType } from "../../src/provider/protocol/codec";
import {
  DiagnosticsError,
  error,
  objectType,
  warning,
  type ApplyRequest,
  type BlockSchema,
  type ClientInfo,
  type PlanRequest,
  type ProviderDefinition,
  type ResourceDefinition,
} from "../../src/provider/protocol/definition";
import { atLeast, providerHandlers, unsupported } from "../../src/provider/protocol/handlers";
import { Logger } from "../../src/provider/protocol/logger";
import { TFPLUGIN6_PROTO } from "../../src/provider/protocol/proto/tfplugin6";
import { UNKNOWN, type ObjectValue } from "../../src/provider/protocol/values";

const THING_SCHEMA: BlockSchema = {
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
const THING: ObjectType = objectType(THING_SCHEMA);
const PROVIDER_SCHEMA: BlockSchema = {
  version: 0,
  description: "A fake provider.",
  attributes: { endpoint: { type: "string", optional: true, description: "Where." } },
};
const SECRET = "sk_live_FakeSecretValue0123456789";

interface Calls {
  validate: { config: ObjectValue; client: ClientInfo }[];
  plan: PlanRequest[];
  apply: ApplyRequest[];
  read: ObjectValue[];
  import: string[];
  configure: { config: ObjectValue; client: ClientInfo }[];
  stop: number;
}

function fakeProvider(overrides: Partial<ResourceDefinition> = {}): { provider: ProviderDefinition; calls: Calls } {
  const calls: Calls = { validate: [], plan: [], apply: [], read: [], import: [], configure: [], stop: 0 };
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
  const provider: ProviderDefinition = {
    typeName: "fake",
    schema: PROVIDER_SCHEMA,
    resources: { fake_thing: thing },
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
function memoryLogger(): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  return { log: new Logger((line) => lines.push(line)), lines };
}

// The real message types, parsed as server.ts parses them.
const root = new protobuf.Root();
protobuf.parse(TFPLUGIN6_PROTO, root, { keepCase: true });
const DECODE: protobuf.IConversionOptions = { enums: String, longs: String, defaults: true, oneofs: true };

/** Encodes an answer with the response type of `rpc` and decodes it back: what Terraform receives. */
function overTheWire(rpc: string, response: object): Record<string, any> {
  const type = root.lookupType(`tfplugin6.${rpc}.Response`);
  const bytes = type.encode(type.fromObject(response)).finish();
  return type.toObject(type.decode(bytes), DECODE);
}

const msgpack = (value: ObjectValue | null) => ({ msgpack: encodeObject(value, THING) });
const thing = (fields: Partial<Record<keyof typeof THING_SCHEMA.attributes, unknown>> = {}): ObjectValue =>
  ({ id: null, name: "n", token: null, size: null, enabled: null, ...fields }) as ObjectValue;

describe("providerHandlers: schema and metadata", () => {
  const { provider } = fakeProvider();
  const handlers = providerHandlers(provider, memoryLogger().log);

  it("GetProviderSchema gives each attribute its flags and its type as JSON bytes", async () => {
    const answer = overTheWire("GetProviderSchema", await handlers.GetProviderSchema({}));
    const attributes = answer.resource_schemas.fake_thing.block.attributes as Record<string, any>[];
    const byName = Object.fromEntries(attributes.map((a) => [a.name, a]));
    expect(Object.keys(byName).sort()).toEqual(["enabled", "id", "name", "size", "token"]);
    expect(Buffer.from(byName.name.type).toString()).toBe('"string"');
    expect(Buffer.from(byName.size.type).toString()).toBe('"number"');
    expect(Buffer.from(byName.enabled.type).toString()).toBe('"bool"');
    expect(byName.token).toMatchObject({
      optional: true,
      sensitive: true,
      write_only: true,
      computed: false,
      required: false,
    });
    expect(byName.id).toMatchObject({ computed: true, optional: false, required: false, write_only: false });
    expect(byName.name).toMatchObject({ required: true, optional: false, sensitive: false });
    expect(byName.enabled).toMatchObject({ optional: true, computed: true });
    expect(answer.resource_schemas.fake_thing.version).toBe("1");
    expect(answer.resource_schemas.fake_thing.block.description).toBe("A thing.");
    const providerAttributes = answer.provider.block.attributes as Record<string, any>[];
    expect(providerAttributes.map((a) => a.name)).toEqual(["endpoint"]);
  });

  it("GetProviderSchema and GetMetadata say the schema is optional to fetch, and plan_destroy is not wanted", async () => {
    for (const rpc of ["GetProviderSchema", "GetMetadata"]) {
      const answer = overTheWire(rpc, await handlers[rpc]({}));
      expect(answer.server_capabilities).toEqual({
        plan_destroy: false,
        get_provider_schema_optional: true,
        move_resource_state: false,
      });
    }
  });

  it("GetMetadata lists the resource types and no data sources", async () => {
    const answer = overTheWire("GetMetadata", await handlers.GetMetadata({}));
    expect(answer.resources).toEqual([{ type_name: "fake_thing" }]);
    expect(answer.data_sources).toEqual([]);
    expect(answer.diagnostics).toEqual([]);
  });
});

describe("providerHandlers: failures become diagnostics", () => {
  it("an exception thrown by a resource becomes an error diagnostic naming the call and the cause, not a gRPC error", async () => {
    const { provider } = fakeProvider({
      read: async () => {
        throw new TypeError("cannot read properties of undefined");
      },
    });
    const { log, lines } = memoryLogger();
    const handlers = providerHandlers(provider, log);
    const answer = await handlers.ReadResource({ type_name: "fake_thing", current_state: msgpack(thing({ id: "x" })) });
    const wire = overTheWire("ReadResource", answer);
    expect(wire.diagnostics).toHaveLength(1);
    expect(wire.diagnostics[0].severity).toBe("ERROR");
    expect(wire.diagnostics[0].summary).toBe("The preclinical provider failed in ReadResource");
    expect(wire.diagnostics[0].detail).toContain("TypeError: cannot read properties of undefined");
    expect(wire.diagnostics[0].detail).toContain("This is a bug in the provider");
    // The cause and its stack are logged for TF_LOG=debug.
    expect(lines.join("")).toMatch(/ReadResource failed.*cannot read properties of undefined/);
  });

  it("a value that does not fit the schema becomes an error diagnostic naming the call and the attribute", async () => {
    const { provider, calls } = fakeProvider();
    const handlers = providerHandlers(provider, memoryLogger().log);
    const bad = { msgpack: Buffer.from(msgpackEncode({ name: 42 })) };
    const answer = await handlers.PlanResourceChange({ type_name: "fake_thing", config: bad, proposed_new_state: bad });
    expect(answer.diagnostics).toHaveLength(1);
    expect(answer.diagnostics[0].summary).toBe("The preclinical provider failed in PlanResourceChange");
    expect(answer.diagnostics[0].detail).toMatch(/attribute "name" should be a string, got number/);
    expect(calls.plan).toHaveLength(0);
  });

  it("a DiagnosticsError passes its diagnostics through, with severities and attribute paths", async () => {
    const { provider } = fakeProvider({
      apply: async () => {
        throw new DiagnosticsError([
          error("Bad name", "The name is taken.", "name"),
          warning("Careful", "Size is large.", "size"),
          error("General", "No attribute."),
        ]);
      },
    });
    const handlers = providerHandlers(provider, memoryLogger().log);
    const answer = await handlers.ApplyResourceChange({
      type_name: "fake_thing",
      prior_state: msgpack(null),
      planned_state: msgpack(thing()),
      config: msgpack(thing()),
    });
    const wire = overTheWire("ApplyResourceChange", answer);
    expect(wire.diagnostics).toMatchObject([
      {
        severity: "ERROR",
        summary: "Bad name",
        detail: "The name is taken.",
        attribute: { steps: [{ attribute_name: "name" }] },
      },
      {
        severity: "WARNING",
        summary: "Careful",
        detail: "Size is large.",
        attribute: { steps: [{ attribute_name: "size" }] },
      },
      { severity: "ERROR", summary: "General", detail: "No attribute.", attribute: null },
    ]);
  });

  it("an unknown resource type is an error diagnostic that names the type and the ones the provider has", async () => {
    const { provider } = fakeProvider();
    const handlers = providerHandlers(provider, memoryLogger().log);
    const answer = await handlers.ReadResource({ type_name: "fake_other", current_state: msgpack(thing()) });
    expect(answer.diagnostics).toEqual([
      expect.objectContaining({
        severity: "ERROR",
        summary: "Unknown resource type fake_other",
        detail: expect.stringContaining("fake_thing"),
      }),
    ]);
  });

  it("an rpc the provider does not serve answers an error diagnostic", async () => {
    const answer = overTheWire("ReadDataSource", await unsupported("ReadDataSource")({}));
    expect(answer.diagnostics).toEqual([
      expect.objectContaining({ severity: "ERROR", summary: "ReadDataSource is not supported" }),
    ]);
  });
});

describe("providerHandlers: masking", () => {
  it("a secret added to the logger never appears in a diagnostic summary or detail, nor in the log", async () => {
    const { log, lines } = memoryLogger();
    log.addSecret(SECRET);
    const thrown: unknown[] = [
      new DiagnosticsError([error(`summary with ${SECRET}`, `detail with ${SECRET} twice ${SECRET}`, "token")]),
      new Error(`request failed: Authorization: Bearer ${SECRET}`),
      `a thrown string ${SECRET}`,
    ];
    for (const err of thrown) {
      const { provider } = fakeProvider({
        read: async () => {
          throw err;
        },
      });
      const handlers = providerHandlers(provider, log);
      const answer = await handlers.ReadResource({
        type_name: "fake_thing",
        current_state: msgpack(thing({ id: "x" })),
      });
      const text = JSON.stringify(overTheWire("ReadResource", answer).diagnostics);
      expect(text).not.toContain(SECRET);
      expect(text).toContain("[REDACTED]");
    }
    expect(lines.join("")).not.toContain(SECRET);
  });

  it("masks the diagnostics a resource returns (not only those it throws)", async () => {
    const { log } = memoryLogger();
    log.addSecret(SECRET);
    const { provider } = fakeProvider({
      read: async (state) => ({ state, diagnostics: [warning("w", `echo ${SECRET}`)] }),
    });
    const answer = await providerHandlers(provider, log).ReadResource({
      type_name: "fake_thing",
      current_state: msgpack(thing()),
    });
    expect(answer.diagnostics[0].detail).toBe("echo [REDACTED]");
  });

  it("masks the value of a sensitive attribute seen in a configuration in every later diagnostic and log line", async () => {
    const { log, lines } = memoryLogger();
    const token = "tok_" + "Vb9Xw3".repeat(4);
    const { provider } = fakeProvider({
      apply: async () => {
        throw new Error(`the API echoed ${token}`);
      },
      read: async (state) => ({ state, diagnostics: [warning("w", `later: ${token}`)] }),
    });
    const handlers = providerHandlers(provider, log);
    const config = msgpack(thing({ token }));
    const applied = await handlers.ApplyResourceChange({
      type_name: "fake_thing",
      prior_state: msgpack(null),
      planned_state: msgpack(thing()),
      config,
    });
    const read = await handlers.ReadResource({ type_name: "fake_thing", current_state: msgpack(thing({ id: "x" })) });
    const text = JSON.stringify([applied.diagnostics, read.diagnostics]) + lines.join("");
    expect(text).not.toContain(token);
    expect(applied.diagnostics[0].detail).toContain("the API echoed [REDACTED]");
    expect(read.diagnostics[0].detail).toBe("later: [REDACTED]");
  });

  it("does not mask values shorter than 8 characters (they would mask ordinary words)", async () => {
    const { log } = memoryLogger();
    log.addSecret("short");
    expect(log.mask("a short text")).toBe("a short text");
  });
});

describe("providerHandlers: values and client information pass through", () => {
  it("ValidateResourceConfig passes client_capabilities.write_only_attributes_allowed to the resource", async () => {
    const { provider, calls } = fakeProvider();
    const handlers = providerHandlers(provider, memoryLogger().log);
    const config = msgpack(thing({ token: "t0ken-value" }));
    await handlers.ValidateResourceConfig({
      type_name: "fake_thing",
      config,
      client_capabilities: { write_only_attributes_allowed: true },
    });
    await handlers.ValidateResourceConfig({
      type_name: "fake_thing",
      config,
      client_capabilities: { write_only_attributes_allowed: false },
    });
    await handlers.ValidateResourceConfig({ type_name: "fake_thing", config });
    expect(calls.validate.map((c) => c.client.writeOnlyAttributesAllowed)).toEqual([true, false, false]);
    expect(calls.validate[0].config).toEqual(thing({ token: "t0ken-value" }));
  });

  it("after ConfigureProvider from Terraform 1.11+, write-only attributes count as allowed and the version is known", async () => {
    const { provider, calls } = fakeProvider();
    const handlers = providerHandlers(provider, memoryLogger().log);
    const answer = await handlers.ConfigureProvider({
      terraform_version: "1.11.4",
      config: { msgpack: encodeObject({ endpoint: "https://x" }, objectType(PROVIDER_SCHEMA)) },
    });
    expect(answer.diagnostics).toEqual([]);
    expect(calls.configure).toEqual([
      { config: { endpoint: "https://x" }, client: { terraformVersion: "1.11.4", writeOnlyAttributesAllowed: true } },
    ]);
    await handlers.ValidateResourceConfig({ type_name: "fake_thing", config: msgpack(thing()) });
    expect(calls.validate[0].client).toEqual({ terraformVersion: "1.11.4", writeOnlyAttributesAllowed: true });
  });

  it("ConfigureProvider from an older Terraform without the capability leaves write-only attributes disallowed", async () => {
    const { provider, calls } = fakeProvider();
    const handlers = providerHandlers(provider, memoryLogger().log);
    await handlers.ConfigureProvider({
      terraform_version: "1.10.5",
      config: { msgpack: encodeObject({}, objectType(PROVIDER_SCHEMA)) },
    });
    expect(calls.configure[0].client).toEqual({ terraformVersion: "1.10.5", writeOnlyAttributesAllowed: false });
  });

  it("PlanResourceChange decodes prior, proposed and config, encodes the plan with unknowns, and names replacing attributes", async () => {
    const { provider, calls } = fakeProvider({
      plan: async (request) => {
        calls.plan.push(request);
        return { planned: { ...(request.proposed as ObjectValue), id: UNKNOWN }, requiresReplace: ["name"] };
      },
    });
    const handlers = providerHandlers(provider, memoryLogger().log);
    const prior = thing({ id: "a", name: "old", enabled: true });
    const proposed = thing({ id: "a", name: "new", enabled: true });
    const answer = await handlers.PlanResourceChange({
      type_name: "fake_thing",
      prior_state: msgpack(prior),
      proposed_new_state: msgpack(proposed),
      config: msgpack(thing({ name: "new" })),
      prior_private: Buffer.from("private-bytes"),
    });
    expect(calls.plan).toEqual([{ prior, proposed, config: thing({ name: "new" }) }]);
    const wire = overTheWire("PlanResourceChange", answer);
    expect(decodeObject(wire.planned_state.msgpack, THING)).toEqual({ ...proposed, id: UNKNOWN });
    expect(wire.requires_replace).toMatchObject([{ steps: [{ attribute_name: "name" }] }]);
    expect(wire.requires_replace[0].steps).toHaveLength(1);
    expect(Buffer.from(wire.planned_private).toString()).toBe("private-bytes");
  });

  it("ApplyResourceChange passes the config (where write-only values arrive) and keeps the private bytes", async () => {
    const { provider, calls } = fakeProvider();
    const handlers = providerHandlers(provider, memoryLogger().log);
    const planned = thing({ id: UNKNOWN, enabled: true });
    const answer = await handlers.ApplyResourceChange({
      type_name: "fake_thing",
      prior_state: msgpack(null),
      planned_state: msgpack(planned),
      config: msgpack(thing({ token: "write-only-token" })),
      planned_private: Buffer.from("p"),
    });
    expect(calls.apply).toEqual([{ prior: null, planned, config: thing({ token: "write-only-token" }) }]);
    const wire = overTheWire("ApplyResourceChange", answer);
    expect(decodeObject(wire.new_state.msgpack, THING)).toEqual({ ...planned, id: "thing-1" });
    expect(Buffer.from(wire.private).toString()).toBe("p");
  });

  it("ReadResource of a null state answers null without calling the resource", async () => {
    const { provider, calls } = fakeProvider();
    const answer = await providerHandlers(provider, memoryLogger().log).ReadResource({
      type_name: "fake_thing",
      current_state: msgpack(null),
    });
    expect(calls.read).toHaveLength(0);
    expect([...answer.new_state.msgpack]).toEqual([0xc0]);
  });

  it("ReadResource accepts a state in JSON form", async () => {
    const { provider, calls } = fakeProvider();
    await providerHandlers(provider, memoryLogger().log).ReadResource({
      type_name: "fake_thing",
      current_state: { json: Buffer.from(JSON.stringify({ id: "j", name: "from-json" })) },
    });
    expect(calls.read).toEqual([thing({ id: "j", name: "from-json" })]);
  });

  it("UpgradeResourceState re-encodes a raw JSON state with every attribute present", async () => {
    const { provider } = fakeProvider();
    const answer = await providerHandlers(provider, memoryLogger().log).UpgradeResourceState({
      type_name: "fake_thing",
      version: "1",
      raw_state: { json: Buffer.from(JSON.stringify({ id: "u", name: "n", size: 3 })) },
    });
    expect(answer.diagnostics).toEqual([]);
    expect(decodeObject(answer.upgraded_state.msgpack, THING)).toEqual(thing({ id: "u", size: 3 }));
  });

  it("UpgradeResourceState refuses a state written by a newer schema version", async () => {
    const { provider } = fakeProvider();
    const answer = await providerHandlers(provider, memoryLogger().log).UpgradeResourceState({
      type_name: "fake_thing",
      version: "2",
      raw_state: { json: Buffer.from("{}") },
    });
    expect(answer.diagnostics).toEqual([
      expect.objectContaining({
        severity: "ERROR",
        summary: "State written by a newer provider",
        detail: expect.stringContaining("schema version 2"),
      }),
    ]);
  });

  it("ImportResourceState answers the imported object with its type name", async () => {
    const { provider, calls } = fakeProvider();
    const answer = await providerHandlers(provider, memoryLogger().log).ImportResourceState({
      type_name: "fake_thing",
      id: "abc",
    });
    expect(calls.import).toEqual(["abc"]);
    const wire = overTheWire("ImportResourceState", answer);
    expect(wire.imported_resources).toHaveLength(1);
    expect(wire.imported_resources[0].type_name).toBe("fake_thing");
    expect(decodeObject(wire.imported_resources[0].state.msgpack, THING)).toEqual({
      id: "abc",
      name: "imported",
      token: null,
      size: null,
      enabled: true,
    });
  });

  it("ImportResourceState of nothing answers no resources, with the resource's diagnostics", async () => {
    const { provider } = fakeProvider({
      import: async () => ({ state: null, diagnostics: [error("No such thing", "Check the id.")] }),
    });
    const answer = await providerHandlers(provider, memoryLogger().log).ImportResourceState({
      type_name: "fake_thing",
      id: "zzz",
    });
    expect(answer.imported_resources).toEqual([]);
    expect(answer.diagnostics).toEqual([expect.objectContaining({ summary: "No such thing" })]);
  });

  it("StopProvider asks the provider to stop and answers an empty Error", async () => {
    const { provider, calls } = fakeProvider();
    const answer = overTheWire("StopProvider", await providerHandlers(provider, memoryLogger().log).StopProvider({}));
    expect(calls.stop).toBe(1);
    expect(answer).toEqual({ Error: "" });
  });
});

describe("atLeast", () => {
  test.each<[string | undefined, number, number, boolean]>([
    ["1.11.4", 1, 11, true],
    ["1.11.0", 1, 11, true],
    ["1.12.0-beta1", 1, 11, true],
    ["v1.11.1", 1, 11, true],
    ["2.0.0", 1, 11, true],
    ["1.10.5", 1, 11, false],
    ["1.9.0", 1, 11, false],
    ["0.15.5", 1, 0, false],
    ["1.1.0", 1, 11, false],
    ["", 1, 11, false],
    [undefined, 1, 11, false],
    ["garbage", 1, 11, false],
  ])("atLeast(%p, %d, %d) is %p", (version, major, minor, expected) => {
    expect(atLeast(version, major, minor)).toBe(expected);
  });
});
