/**
 * The tfplugin6 Provider handlers over a small fake ProviderDefinition: what each resource call decodes, what
 * it passes to the definition (values, and what the client Terraform can do), and what it answers, pushed
 * through the real protobuf message types as the gRPC server does. Also atLeast, which reads the version.
 */
import { encodeObject, decodeObject } from "../../src/provider/protocol/codec";
import { error, objectType } from "../../src/provider/protocol/definition";
import { atLeast, providerHandlers } from "../../src/provider/protocol/handlers";
import { UNKNOWN, type ObjectValue } from "../../src/provider/protocol/values";
import {
  PROVIDER_SCHEMA,
  THING,
  fakeProvider,
  memoryLogger,
  msgpack,
  overTheWire,
  thing,
} from "../support/fake-provider";

describe("providerHandlers: values and client information pass through", () => {
  test("ValidateResourceConfig passes client_capabilities.write_only_attributes_allowed to the resource", async () => {
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

  test("after ConfigureProvider from Terraform 1.11+, write-only attributes count as allowed and the version is known", async () => {
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

  test("ConfigureProvider from an older Terraform without the capability leaves write-only attributes disallowed", async () => {
    const { provider, calls } = fakeProvider();
    const handlers = providerHandlers(provider, memoryLogger().log);
    await handlers.ConfigureProvider({
      terraform_version: "1.10.5",
      config: { msgpack: encodeObject({}, objectType(PROVIDER_SCHEMA)) },
    });
    expect(calls.configure[0].client).toEqual({ terraformVersion: "1.10.5", writeOnlyAttributesAllowed: false });
  });

  test("PlanResourceChange decodes prior, proposed and config, encodes the plan with unknowns, and names replacing attributes", async () => {
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

  test("ApplyResourceChange passes the config (where write-only values arrive) and keeps the private bytes", async () => {
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

  test("ReadResource of a null state answers null without calling the resource", async () => {
    const { provider, calls } = fakeProvider();
    const answer = await providerHandlers(provider, memoryLogger().log).ReadResource({
      type_name: "fake_thing",
      current_state: msgpack(null),
    });
    expect(calls.read).toHaveLength(0);
    expect([...answer.new_state.msgpack]).toEqual([0xc0]);
  });

  test("ReadResource accepts a state in JSON form", async () => {
    const { provider, calls } = fakeProvider();
    await providerHandlers(provider, memoryLogger().log).ReadResource({
      type_name: "fake_thing",
      current_state: { json: Buffer.from(JSON.stringify({ id: "j", name: "from-json" })) },
    });
    expect(calls.read).toEqual([thing({ id: "j", name: "from-json" })]);
  });

  test("UpgradeResourceState re-encodes a raw JSON state with every attribute present", async () => {
    const { provider } = fakeProvider();
    const answer = await providerHandlers(provider, memoryLogger().log).UpgradeResourceState({
      type_name: "fake_thing",
      version: "1",
      raw_state: { json: Buffer.from(JSON.stringify({ id: "u", name: "n", size: 3 })) },
    });
    expect(answer.diagnostics).toEqual([]);
    expect(decodeObject(answer.upgraded_state.msgpack, THING)).toEqual(thing({ id: "u", size: 3 }));
  });

  test("UpgradeResourceState refuses a state written by a newer schema version", async () => {
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

  test("ImportResourceState answers the imported object with its type name", async () => {
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

  test("ImportResourceState of nothing answers no resources, with the resource's diagnostics", async () => {
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

  test("StopProvider asks the provider to stop and answers an empty Error", async () => {
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
