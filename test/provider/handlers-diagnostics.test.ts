/**
 * How the tfplugin6 Provider handlers report failures over a small fake ProviderDefinition: what a resource
 * throws or returns becomes diagnostics (never a gRPC error), and secrets are masked in every diagnostic and
 * log line. Answers are pushed through the real protobuf message types, as the gRPC server does.
 */
import { encode as msgpackEncode } from "@msgpack/msgpack";
import { DiagnosticsError, error, warning } from "../../src/provider/protocol/definition";
import { providerHandlers, unsupported } from "../../src/provider/protocol/handlers";
import { fakeProvider, memoryLogger, msgpack, overTheWire, thing } from "../support/fake-provider";

const SECRET = "sk_live_FakeSecretValue0123456789";

describe("providerHandlers: failures become diagnostics", () => {
  test("an exception thrown by a resource becomes an error diagnostic naming the call and the cause, not a gRPC error", async () => {
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
    expect(wire.diagnostics[0].summary).toBe("The fake provider failed in ReadResource");
    expect(wire.diagnostics[0].detail).toContain("TypeError: cannot read properties of undefined");
    expect(wire.diagnostics[0].detail).toContain("This is a bug in the provider");
    // The cause and its stack are logged for TF_LOG=debug.
    expect(lines.join("")).toMatch(/ReadResource failed.*cannot read properties of undefined/);
  });

  test("a value that does not fit the schema becomes an error diagnostic naming the call and the attribute", async () => {
    const { provider, calls } = fakeProvider();
    const handlers = providerHandlers(provider, memoryLogger().log);
    const bad = { msgpack: Buffer.from(msgpackEncode({ name: 42 })) };
    const answer = await handlers.PlanResourceChange({ type_name: "fake_thing", config: bad, proposed_new_state: bad });
    expect(answer.diagnostics).toHaveLength(1);
    expect(answer.diagnostics[0].summary).toBe("The fake provider failed in PlanResourceChange");
    expect(answer.diagnostics[0].detail).toMatch(/attribute "name" should be a string, got number/);
    expect(calls.plan).toHaveLength(0);
  });

  test("a DiagnosticsError passes its diagnostics through, with severities and attribute paths", async () => {
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

  test("an unknown resource type is an error diagnostic that names the type and the ones the provider has", async () => {
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

  test("an rpc the provider does not serve answers an error diagnostic naming what it does serve", async () => {
    const { provider } = fakeProvider();
    const answer = overTheWire("MoveResourceState", await unsupported("MoveResourceState", provider)({}));
    expect(answer.diagnostics).toEqual([
      expect.objectContaining({
        severity: "ERROR",
        summary: "MoveResourceState is not supported",
        detail:
          "The fake provider serves resource fake_thing, data source fake_things, and no MoveResourceState. " +
          "Check the configuration.",
      }),
    ]);
  });
});

describe("providerHandlers: masking", () => {
  test("a secret added to the logger never appears in a diagnostic summary or detail, nor in the log", async () => {
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

  test("masks the diagnostics a resource returns (not only those it throws)", async () => {
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

  test("masks the value of a sensitive attribute seen in a configuration in every later diagnostic and log line", async () => {
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

  test("does not mask values shorter than 8 characters (they would mask ordinary words)", async () => {
    const { log } = memoryLogger();
    log.addSecret("short");
    expect(log.mask("a short text")).toBe("a short text");
  });
});
