/**
 * The tfplugin6 data source calls (ValidateDataResourceConfig, ReadDataSource) over the fake provider's
 * `fake_things`: what each decodes and passes on, what it answers, and what a read whose arguments are
 * not yet known answers. Answers are pushed through the real protobuf message types.
 */
import { decodeObject, encodeObject } from "../../src/provider/protocol/codec";
import { DiagnosticsError, error, warning } from "../../src/provider/protocol/definition";
import { providerHandlers } from "../../src/provider/protocol/handlers";
import { UNKNOWN, type ObjectValue } from "../../src/provider/protocol/values";
import { THINGS, fakeProvider, memoryLogger, overTheWire } from "../support/fake-provider";

const config = (fields: ObjectValue = {}): { msgpack: Buffer } => ({
  msgpack: encodeObject({ prefix: null, things: null, tags: null, ...fields }, THINGS),
});

describe("providerHandlers: data sources", () => {
  test("ValidateDataResourceConfig passes the decoded configuration, unknowns included, and answers its diagnostics", async () => {
    const seen: ObjectValue[] = [];
    const { provider } = fakeProvider(
      {},
      {
        validate: (c) => {
          seen.push(c);
          return [warning("Careful", "Broad filter.", "prefix")];
        },
      },
    );
    const handlers = providerHandlers(provider, memoryLogger().log);
    const answer = overTheWire(
      "ValidateDataResourceConfig",
      await handlers.ValidateDataResourceConfig({ type_name: "fake_things", config: config({ prefix: UNKNOWN }) }),
    );
    expect(seen).toEqual([{ prefix: UNKNOWN, things: null, tags: null }]);
    expect(answer.diagnostics).toMatchObject([
      { severity: "WARNING", summary: "Careful", attribute: { steps: [{ attribute_name: "prefix" }] } },
    ]);
  });

  test("ReadDataSource passes the arguments and answers the object with its list of objects and map, as msgpack", async () => {
    const { provider, calls } = fakeProvider();
    const handlers = providerHandlers(provider, memoryLogger().log);
    const answer = overTheWire(
      "ReadDataSource",
      await handlers.ReadDataSource({ type_name: "fake_things", config: config({ prefix: "p-" }) }),
    );
    expect(calls.readData).toEqual([{ prefix: "p-", things: null, tags: null }]);
    expect(answer.diagnostics).toEqual([]);
    expect(answer.deferred).toBeNull();
    expect(decodeObject(answer.state.msgpack, THINGS)).toEqual({
      prefix: "p-",
      things: [{ id: "t-1", name: "p-one", size: 1 }],
      tags: { a: "b" },
    });
  });

  test("ReadDataSource reads the JSON form of the configuration when no msgpack is sent", async () => {
    const { provider, calls } = fakeProvider();
    const handlers = providerHandlers(provider, memoryLogger().log);
    await handlers.ReadDataSource({ type_name: "fake_things", config: { json: Buffer.from('{"prefix":"j"}') } });
    expect(calls.readData).toEqual([{ prefix: "j", things: null, tags: null }]);
  });

  test("a read that fails with diagnostics answers them and no state", async () => {
    const { provider } = fakeProvider(
      {},
      {
        read: async () => {
          throw new DiagnosticsError([error("No such thing", 'No thing is named "x".', "prefix")]);
        },
      },
    );
    const handlers = providerHandlers(provider, memoryLogger().log);
    const answer = overTheWire(
      "ReadDataSource",
      await handlers.ReadDataSource({ type_name: "fake_things", config: config() }),
    );
    expect(answer.state).toBeNull();
    expect(answer.diagnostics).toMatchObject([{ severity: "ERROR", summary: "No such thing" }]);
  });

  test("a read's warnings travel with its state", async () => {
    const { provider } = fakeProvider(
      {},
      {
        read: async (c) => ({
          state: { ...c, things: [], tags: {} },
          diagnostics: [warning("Inactive", "It is off.")],
        }),
      },
    );
    const handlers = providerHandlers(provider, memoryLogger().log);
    const answer = overTheWire(
      "ReadDataSource",
      await handlers.ReadDataSource({ type_name: "fake_things", config: config() }),
    );
    expect(decodeObject(answer.state.msgpack, THINGS)).toEqual({ prefix: null, things: [], tags: {} });
    expect(answer.diagnostics).toMatchObject([{ severity: "WARNING", summary: "Inactive" }]);
  });

  test("arguments not yet known: a Terraform that may defer is told the read is deferred, computed values unknown", async () => {
    const { provider, calls } = fakeProvider();
    const handlers = providerHandlers(provider, memoryLogger().log);
    const answer = overTheWire(
      "ReadDataSource",
      await handlers.ReadDataSource({
        type_name: "fake_things",
        config: config({ prefix: UNKNOWN }),
        client_capabilities: { deferral_allowed: true },
      }),
    );
    expect(calls.readData).toEqual([]);
    expect(answer.deferred).toEqual({ reason: "RESOURCE_CONFIG_UNKNOWN" });
    expect(decodeObject(answer.state.msgpack, THINGS)).toEqual({ prefix: UNKNOWN, things: UNKNOWN, tags: UNKNOWN });
  });

  test("arguments not yet known and no deferral: an error that says the read happens at apply, and no read", async () => {
    const { provider, calls } = fakeProvider();
    const handlers = providerHandlers(provider, memoryLogger().log);
    const answer = await handlers.ReadDataSource({
      type_name: "fake_things",
      config: config({ tags: { k: UNKNOWN } }),
    });
    expect(calls.readData).toEqual([]);
    expect(answer.diagnostics).toEqual([
      expect.objectContaining({ severity: "ERROR", summary: "Cannot read fake_things yet" }),
    ]);
  });

  test("an unknown data source type is an error diagnostic naming the ones the provider has", async () => {
    const { provider } = fakeProvider();
    const handlers = providerHandlers(provider, memoryLogger().log);
    for (const rpc of ["ValidateDataResourceConfig", "ReadDataSource"]) {
      const answer = await handlers[rpc]({ type_name: "fake_thing", config: config() });
      expect(answer.diagnostics).toEqual([
        expect.objectContaining({
          severity: "ERROR",
          summary: "Unknown data source type fake_thing",
          detail: expect.stringContaining("fake_things"),
        }),
      ]);
    }
  });

  test("a type name inherited from Object.prototype is not a data source", async () => {
    const { provider } = fakeProvider();
    const handlers = providerHandlers(provider, memoryLogger().log);
    const answer = await handlers.ReadDataSource({ type_name: "constructor", config: config() });
    expect(answer.diagnostics[0].summary).toBe("Unknown data source type constructor");
  });
});
