import * as protobuf from "protobufjs";
import { GO_PLUGIN_PROTO } from "../../src/provider/protocol/proto/go-plugin";
import { TFPLUGIN6_PROTO } from "../../src/provider/protocol/proto/tfplugin6";

interface RpcExpectation {
  name: string;
  request: string;
  response: string;
  requestStream?: boolean;
  responseStream?: boolean;
}

/** Every rpc of tfplugin6.8's Provider service, each taking `<Rpc>.Request` and returning `<Rpc>.Response`. */
const PROVIDER_RPCS = [
  "GetMetadata",
  "GetProviderSchema",
  "ValidateProviderConfig",
  "ValidateResourceConfig",
  "ValidateDataResourceConfig",
  "UpgradeResourceState",
  "ConfigureProvider",
  "ReadResource",
  "PlanResourceChange",
  "ApplyResourceChange",
  "ImportResourceState",
  "MoveResourceState",
  "ReadDataSource",
  "ValidateEphemeralResourceConfig",
  "OpenEphemeralResource",
  "RenewEphemeralResource",
  "CloseEphemeralResource",
  "GetFunctions",
  "CallFunction",
  "StopProvider",
];

function fieldOf(root: protobuf.Root, typeName: string, field: string): protobuf.Field {
  const f = root.lookupType(typeName).fields[field];
  if (!f) throw new Error(`${typeName} has no field ${field}`);
  return f;
}

function expectRpcs(service: protobuf.Service, expected: RpcExpectation[]): void {
  expect(Object.keys(service.methods).sort()).toEqual(expected.map((e) => e.name).sort());
  for (const e of expected) {
    const method = service.methods[e.name];
    expect({
      name: e.name,
      request: method.requestType,
      response: method.responseType,
      requestStream: Boolean(method.requestStream),
      responseStream: Boolean(method.responseStream),
    }).toEqual({
      name: e.name,
      request: e.request,
      response: e.response,
      requestStream: Boolean(e.requestStream),
      responseStream: Boolean(e.responseStream),
    });
  }
}

describe("tfplugin6 protocol definition", () => {
  const parsed = protobuf.parse(TFPLUGIN6_PROTO, { keepCase: true });
  const root = parsed.root;

  test("declares package tfplugin6 with no imports, and every type reference resolves", () => {
    expect(parsed.package).toBe("tfplugin6");
    expect(parsed.imports ?? []).toEqual([]);
    expect(() => root.resolveAll()).not.toThrow();
  });

  test("exposes the Provider service with exactly the unary rpcs of protocol 6.8", () => {
    const service = root.lookupService("tfplugin6.Provider");
    expect(service.fullName).toBe(".tfplugin6.Provider");
    expectRpcs(
      service,
      PROVIDER_RPCS.map((name) => ({ name, request: `${name}.Request`, response: `${name}.Response` })),
    );
    for (const name of PROVIDER_RPCS) {
      expect(root.lookupType(`tfplugin6.${name}.Request`)).toBeInstanceOf(protobuf.Type);
      expect(root.lookupType(`tfplugin6.${name}.Response`)).toBeInstanceOf(protobuf.Type);
    }
  });

  test("does not include rpcs that only arrived after protocol 6.8", () => {
    const methods = Object.keys(root.lookupService("tfplugin6.Provider").methods);
    expect(methods).not.toContain("GetResourceIdentitySchemas");
    expect(methods).not.toContain("UpgradeResourceIdentity");
  });

  test("numbers the fields the provider relies on as the protocol does", () => {
    const cases: Array<[string, string, number, string]> = [
      ["tfplugin6.DynamicValue", "msgpack", 1, "bytes"],
      ["tfplugin6.DynamicValue", "json", 2, "bytes"],
      ["tfplugin6.Diagnostic", "severity", 1, "Severity"],
      ["tfplugin6.Diagnostic", "summary", 2, "string"],
      ["tfplugin6.Diagnostic", "detail", 3, "string"],
      ["tfplugin6.Diagnostic", "attribute", 4, "AttributePath"],
      ["tfplugin6.FunctionError", "function_argument", 2, "int64"],
      ["tfplugin6.AttributePath.Step", "attribute_name", 1, "string"],
      ["tfplugin6.AttributePath.Step", "element_key_string", 2, "string"],
      ["tfplugin6.AttributePath.Step", "element_key_int", 3, "int64"],
      ["tfplugin6.Schema.Attribute", "type", 2, "bytes"],
      ["tfplugin6.Schema.Attribute", "sensitive", 7, "bool"],
      ["tfplugin6.Schema.Attribute", "nested_type", 10, "Object"],
      ["tfplugin6.Schema.Attribute", "write_only", 11, "bool"],
      ["tfplugin6.ServerCapabilities", "plan_destroy", 1, "bool"],
      ["tfplugin6.ServerCapabilities", "get_provider_schema_optional", 2, "bool"],
      ["tfplugin6.ServerCapabilities", "move_resource_state", 3, "bool"],
      ["tfplugin6.ClientCapabilities", "deferral_allowed", 1, "bool"],
      ["tfplugin6.ClientCapabilities", "write_only_attributes_allowed", 2, "bool"],
      ["tfplugin6.ConfigureProvider.Request", "terraform_version", 1, "string"],
      ["tfplugin6.ValidateResourceConfig.Request", "client_capabilities", 3, "ClientCapabilities"],
      ["tfplugin6.PlanResourceChange.Request", "client_capabilities", 7, "ClientCapabilities"],
      ["tfplugin6.PlanResourceChange.Response", "requires_replace", 2, "AttributePath"],
      ["tfplugin6.PlanResourceChange.Response", "planned_private", 3, "bytes"],
      ["tfplugin6.PlanResourceChange.Response", "legacy_type_system", 5, "bool"],
      ["tfplugin6.ApplyResourceChange.Response", "legacy_type_system", 4, "bool"],
      ["tfplugin6.ValidateProviderConfig.Response", "diagnostics", 2, "Diagnostic"],
      ["tfplugin6.GetProviderSchema.Response", "functions", 7, "Function"],
      ["tfplugin6.GetProviderSchema.Response", "ephemeral_resource_schemas", 8, "Schema"],
      ["tfplugin6.StopProvider.Response", "Error", 1, "string"],
    ];
    for (const [type, field, id, fieldType] of cases) {
      const f = fieldOf(root, type, field);
      expect({ type, field, id: f.id, fieldType: f.type }).toEqual({ type, field, id, fieldType });
    }
    expect(fieldOf(root, "tfplugin6.PlanResourceChange.Response", "requires_replace").repeated).toBe(true);
    expect(root.lookupType("tfplugin6.AttributePath.Step").oneofs.selector.oneof).toEqual([
      "attribute_name",
      "element_key_string",
      "element_key_int",
    ]);
    expect(root.lookupEnum("tfplugin6.Diagnostic.Severity").values).toEqual({ INVALID: 0, ERROR: 1, WARNING: 2 });
  });

  test("round-trips a PlanResourceChange request with nested dynamic values", () => {
    const Request = root.lookupType("tfplugin6.PlanResourceChange.Request");
    const message = Request.fromObject({
      type_name: "preclinical_webhook",
      prior_state: { msgpack: Buffer.from([0xc0]) },
      proposed_new_state: { msgpack: Buffer.from([0x81, 0xa3, 0x75, 0x72, 0x6c, 0xa1, 0x78]) },
      config: { json: Buffer.from('{"url":"x"}') },
      prior_private: Buffer.from("private-bytes"),
      client_capabilities: { deferral_allowed: true, write_only_attributes_allowed: true },
    });
    const bytes = Request.encode(message).finish();
    const decoded = Request.toObject(Request.decode(bytes), {
      enums: String,
      longs: String,
      defaults: true,
      oneofs: true,
    });

    expect(decoded.type_name).toBe("preclinical_webhook");
    expect(Buffer.from(decoded.prior_state.msgpack)).toEqual(Buffer.from([0xc0]));
    expect(Buffer.from(decoded.proposed_new_state.msgpack)).toEqual(
      Buffer.from([0x81, 0xa3, 0x75, 0x72, 0x6c, 0xa1, 0x78]),
    );
    expect(Buffer.from(decoded.config.json).toString()).toBe('{"url":"x"}');
    expect(Buffer.from(decoded.config.msgpack)).toHaveLength(0);
    expect(Buffer.from(decoded.prior_private).toString()).toBe("private-bytes");
    expect(decoded.client_capabilities).toEqual({ deferral_allowed: true, write_only_attributes_allowed: true });
    // An unset message field decodes as null, not as an empty DynamicValue.
    expect(decoded.provider_meta).toBeNull();
  });

  test("round-trips a PlanResourceChange response with replace paths, diagnostics and a deferral", () => {
    const Response = root.lookupType("tfplugin6.PlanResourceChange.Response");
    const message = Response.fromObject({
      planned_state: { msgpack: Buffer.from([0x80]) },
      requires_replace: [{ steps: [{ attribute_name: "agents" }, { element_key_int: 2 }] }],
      diagnostics: [
        {
          severity: "WARNING",
          summary: "heads up",
          attribute: { steps: [{ element_key_string: "k" }] },
        },
      ],
      deferred: { reason: "PROVIDER_CONFIG_UNKNOWN" },
    });
    const decoded = Response.toObject(Response.decode(Response.encode(message).finish()), {
      enums: String,
      longs: String,
      defaults: true,
      oneofs: true,
    });

    expect(decoded.requires_replace[0].steps[0]).toMatchObject({
      attribute_name: "agents",
      selector: "attribute_name",
    });
    expect(decoded.requires_replace[0].steps[1]).toMatchObject({ element_key_int: "2", selector: "element_key_int" });
    expect(decoded.diagnostics[0]).toMatchObject({ severity: "WARNING", summary: "heads up", detail: "" });
    expect(decoded.diagnostics[0].attribute.steps[0]).toMatchObject({ element_key_string: "k" });
    expect(decoded.deferred).toEqual({ reason: "PROVIDER_CONFIG_UNKNOWN" });
    expect(decoded.legacy_type_system).toBe(false);
  });
});

describe("go-plugin protocol definition", () => {
  const parsed = protobuf.parse(GO_PLUGIN_PROTO, { keepCase: true });
  const root = parsed.root;

  test("declares package plugin with no imports, and every type reference resolves", () => {
    expect(parsed.package).toBe("plugin");
    expect(parsed.imports ?? []).toEqual([]);
    expect(() => root.resolveAll()).not.toThrow();
  });

  test("exposes the controller, stdio and broker services at the method paths Terraform calls", () => {
    expect(root.lookupService("plugin.GRPCController").fullName).toBe(".plugin.GRPCController");
    expectRpcs(root.lookupService("plugin.GRPCController"), [
      { name: "Shutdown", request: "Empty", response: "Empty" },
    ]);
    expectRpcs(root.lookupService("plugin.GRPCStdio"), [
      { name: "StreamStdio", request: "Empty", response: "StdioData", responseStream: true },
    ]);
    expectRpcs(root.lookupService("plugin.GRPCBroker"), [
      { name: "StartStream", request: "ConnInfo", response: "ConnInfo", requestStream: true, responseStream: true },
    ]);
  });

  test("encodes the empty message as zero bytes, as google.protobuf.Empty does", () => {
    const Empty = root.lookupType("plugin.Empty");
    expect(Object.keys(Empty.fields)).toEqual([]);
    expect(Empty.encode(Empty.create({})).finish()).toHaveLength(0);
  });

  test("round-trips stdio chunks and broker connection info", () => {
    const StdioData = root.lookupType("plugin.StdioData");
    const chunk = StdioData.toObject(
      StdioData.decode(
        StdioData.encode(StdioData.fromObject({ channel: "STDERR", data: Buffer.from("oops\n") })).finish(),
      ),
      { enums: String, defaults: true },
    );
    expect(chunk.channel).toBe("STDERR");
    expect(Buffer.from(chunk.data).toString()).toBe("oops\n");
    expect(fieldOf(root, "plugin.StdioData", "channel").id).toBe(1);
    expect(fieldOf(root, "plugin.StdioData", "data").id).toBe(2);

    const ConnInfo = root.lookupType("plugin.ConnInfo");
    const info = ConnInfo.toObject(
      ConnInfo.decode(
        ConnInfo.encode(
          ConnInfo.fromObject({ service_id: 7, network: "unix", address: "/tmp/plugin.sock", knock: { knock: true } }),
        ).finish(),
      ),
      { defaults: true },
    );
    expect(info).toEqual({
      service_id: 7,
      network: "unix",
      address: "/tmp/plugin.sock",
      knock: { knock: true, ack: false, error: "" },
    });
    expect(fieldOf(root, "plugin.ConnInfo", "knock").id).toBe(4);
  });
});
