/**
 * The tfplugin6 Provider handlers' schema and metadata answers (GetProviderSchema, GetMetadata) over a small
 * fake ProviderDefinition, pushed through the real protobuf message types as the gRPC server does.
 */
import { providerHandlers } from "../../src/provider/protocol/handlers";
import { fakeProvider, memoryLogger, overTheWire } from "../support/fake-provider";

describe("providerHandlers: schema and metadata", () => {
  const { provider } = fakeProvider();
  const handlers = providerHandlers(provider, memoryLogger().log);

  test("GetProviderSchema gives each attribute its flags and its type as JSON bytes", async () => {
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

  test("GetProviderSchema and GetMetadata say the schema is optional to fetch, and plan_destroy is not wanted", async () => {
    for (const rpc of ["GetProviderSchema", "GetMetadata"]) {
      const answer = overTheWire(rpc, await handlers[rpc]({}));
      expect(answer.server_capabilities).toEqual({
        plan_destroy: false,
        get_provider_schema_optional: true,
        move_resource_state: false,
      });
    }
  });

  test("GetMetadata lists the resource types and the data source types", async () => {
    const answer = overTheWire("GetMetadata", await handlers.GetMetadata({}));
    expect(answer.resources).toEqual([{ type_name: "fake_thing" }]);
    expect(answer.data_sources).toEqual([{ type_name: "fake_things" }]);
    expect(answer.diagnostics).toEqual([]);
  });

  test("GetProviderSchema gives each data source its schema, collection types as Terraform's type JSON", async () => {
    const answer = overTheWire("GetProviderSchema", await handlers.GetProviderSchema({}));
    expect(Object.keys(answer.data_source_schemas)).toEqual(["fake_things"]);
    const block = answer.data_source_schemas.fake_things.block;
    expect(block.description).toBe("Things.");
    const byName = Object.fromEntries((block.attributes as Record<string, any>[]).map((a) => [a.name, a]));
    expect(JSON.parse(Buffer.from(byName.things.type).toString())).toEqual([
      "list",
      ["object", { id: "string", name: "string", size: "number" }],
    ]);
    expect(Buffer.from(byName.tags.type).toString()).toBe('["map","string"]');
    expect(byName.things).toMatchObject({ computed: true, optional: false, required: false });
    expect(byName.prefix).toMatchObject({ optional: true, computed: false });
  });

  test("a provider without data sources answers an empty list and no schemas", async () => {
    const { provider: bare } = fakeProvider();
    const without = providerHandlers({ ...bare, dataSources: undefined }, memoryLogger().log);
    expect(overTheWire("GetMetadata", await without.GetMetadata({})).data_sources).toEqual([]);
    expect(overTheWire("GetProviderSchema", await without.GetProviderSchema({})).data_source_schemas).toEqual({});
  });
});
