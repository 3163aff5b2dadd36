/**
 * The tfplugin6 Provider service over a ProviderDefinition: decodes each request's values, calls the
 * definition, encodes the answer. Every failure becomes a diagnostic (masked), never a gRPC error, so the
 * user reads what happened in Terraform's own output.
 */
import { decodeJsonObject, decodeObject, encodeObject, type ObjectType } from "./codec";
import {
  DiagnosticsError,
  error,
  objectType,
  type BlockSchema,
  type ClientInfo,
  type Diagnostic,
  type ProviderDefinition,
  type ResourceDefinition,
} from "./definition";
import type { Logger } from "./logger";
import type { ObjectValue } from "./values";

/** A decoded protobuf message, as protobufjs's toObject gives it (snake_case fields). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Message = Record<string, any>;
type Handler = (request: Message) => Promise<Message>;

interface DynamicValue {
  msgpack?: Uint8Array;
  json?: Uint8Array;
}

export function providerHandlers(provider: ProviderDefinition, log: Logger): Record<string, Handler> {
  const resources = provider.resources;
  const providerType = objectType(provider.schema);
  let client: ClientInfo = { terraformVersion: "", writeOnlyAttributesAllowed: false };

  /** Names of each resource type's sensitive attributes, whose values the log masks wherever they appear. */
  const sensitive = new Map(
    Object.entries(resources).map(([name, r]) => [
      name,
      Object.entries(r.schema.attributes)
        .filter(([, a]) => a.sensitive)
        .map(([attribute]) => attribute),
    ]),
  );
  const maskSensitive = (typeName: string, ...objects: (ObjectValue | null)[]) => {
    for (const object of objects) {
      for (const attribute of sensitive.get(typeName) ?? []) {
        const value = object?.[attribute];
        if (typeof value === "string") log.addSecret(value);
      }
    }
  };

  const resource = (typeName: string): [ResourceDefinition, ObjectType] => {
    const found = resources[typeName];
    if (!found) {
      throw new DiagnosticsError([
        error(
          `Unknown resource type ${typeName}`,
          `This provider has ${Object.keys(resources).join(", ")}. Check the resource type in the configuration.`,
        ),
      ]);
    }
    return [found, objectType(found.schema)];
  };

  const decode = (value: DynamicValue | undefined, type: ObjectType): ObjectValue | null =>
    value?.msgpack?.length ? decodeObject(value.msgpack, type) : decodeJsonObject(value?.json, type);
  const encode = (value: ObjectValue | null, type: ObjectType): DynamicValue => ({
    msgpack: encodeObject(value, type),
  });

  const handlers: Record<string, Handler> = {
    async GetMetadata() {
      return {
        server_capabilities: serverCapabilities,
        resources: Object.keys(resources).map((type_name) => ({ type_name })),
        data_sources: [],
        functions: [],
        ephemeral_resources: [],
        diagnostics: [],
      };
    },

    async GetProviderSchema() {
      return {
        provider: schemaMessage(provider.schema),
        resource_schemas: Object.fromEntries(
          Object.entries(resources).map(([name, r]) => [name, schemaMessage(r.schema)]),
        ),
        data_source_schemas: {},
        ephemeral_resource_schemas: {},
        functions: {},
        server_capabilities: serverCapabilities,
        diagnostics: [],
      };
    },

    async ValidateProviderConfig(request) {
      const config = decode(request.config, providerType);
      return { diagnostics: config ? provider.validate(config) : [] };
    },

    async ConfigureProvider(request) {
      client = {
        terraformVersion: request.terraform_version ?? "",
        writeOnlyAttributesAllowed:
          Boolean(request.client_capabilities?.write_only_attributes_allowed) ||
          atLeast(request.terraform_version, 1, 11),
      };
      log.debug("configure", { terraform_version: client.terraformVersion });
      const config = decode(request.config, providerType) ?? {};
      return { diagnostics: await provider.configure(config, client) };
    },

    async ValidateResourceConfig(request) {
      const [definition, type] = resource(request.type_name);
      const config = decode(request.config, type);
      maskSensitive(request.type_name, config);
      const info: ClientInfo = {
        terraformVersion: client.terraformVersion,
        writeOnlyAttributesAllowed:
          Boolean(request.client_capabilities?.write_only_attributes_allowed) || client.writeOnlyAttributesAllowed,
      };
      return { diagnostics: config ? definition.validate(config, info) : [] };
    },

    async UpgradeResourceState(request) {
      const [definition, type] = resource(request.type_name);
      if (Number(request.version) > definition.schema.version) {
        throw new DiagnosticsError([
          error(
            "State written by a newer provider",
            `This state of ${request.type_name} has schema version ${request.version}, and this provider knows up to ` +
              `${definition.schema.version}. Use the newer cdktf-preclinical-webhooks version that wrote it.`,
          ),
        ]);
      }
      // Every upgrade so far only added attributes or made them write-only: the state is re-encoded with every
      // attribute of the current schema present, null where the older state had none (preclinical_webhook's
      // api_url until its next read) and null for every write-only one, which state never holds.
      const state = decodeJsonObject(request.raw_state?.json, type);
      const writeOnly = Object.entries(definition.schema.attributes).filter(([, a]) => a.writeOnly);
      const upgraded = state && { ...state, ...Object.fromEntries(writeOnly.map(([name]) => [name, null])) };
      return { upgraded_state: encode(upgraded, type), diagnostics: [] };
    },

    async ReadResource(request) {
      const [definition, type] = resource(request.type_name);
      const current = decode(request.current_state, type);
      const result = current ? await definition.read(current) : { state: null };
      return { new_state: encode(result.state, type), private: request.private, diagnostics: result.diagnostics ?? [] };
    },

    async PlanResourceChange(request) {
      const [definition, type] = resource(request.type_name);
      const [prior, proposed, config] = [request.prior_state, request.proposed_new_state, request.config].map((v) =>
        decode(v, type),
      );
      maskSensitive(request.type_name, proposed, config);
      const result = await definition.plan({ prior, proposed, config });
      return {
        planned_state: encode(result.planned, type),
        requires_replace: (result.requiresReplace ?? []).map(attributePath),
        planned_private: request.prior_private,
        diagnostics: result.diagnostics ?? [],
      };
    },

    async ApplyResourceChange(request) {
      const [definition, type] = resource(request.type_name);
      const [prior, planned, config] = [request.prior_state, request.planned_state, request.config].map((v) =>
        decode(v, type),
      );
      maskSensitive(request.type_name, config);
      const result = await definition.apply({ prior, planned, config });
      return {
        new_state: encode(result.state, type),
        private: request.planned_private,
        diagnostics: result.diagnostics ?? [],
      };
    },

    async ImportResourceState(request) {
      const [definition, type] = resource(request.type_name);
      const result = await definition.import(String(request.id ?? ""));
      const imported = result.state ? [{ type_name: request.type_name, state: encode(result.state, type) }] : [];
      return { imported_resources: imported, diagnostics: result.diagnostics ?? [] };
    },

    async StopProvider() {
      await provider.stop();
      return { Error: "" };
    },
  };

  // Every call: failures become masked diagnostics; the cause of an unexpected one is named.
  return Object.fromEntries(
    Object.entries(handlers).map(([name, handler]) => [
      name,
      async (request: Message) => {
        let response: Message;
        try {
          response = await handler(request);
        } catch (err) {
          response = { diagnostics: failureDiagnostics(name, err, log) };
        }
        if (response.diagnostics)
          response.diagnostics = response.diagnostics.map((d: Diagnostic) => diagnosticMessage(d, log));
        return response;
      },
    ]),
  );
}

/** A call this provider does not serve (data sources, functions, ephemeral resources, moves). */
export function unsupported(name: string): Handler {
  return async () => ({
    diagnostics: [
      diagnosticMessage(
        error(
          `${name} is not supported`,
          "The preclinical provider has one resource, preclinical_webhook, and nothing else.",
        ),
      ),
    ],
  });
}

const serverCapabilities = { plan_destroy: false, get_provider_schema_optional: true, move_resource_state: false };

function failureDiagnostics(call: string, err: unknown, log: Logger): readonly Diagnostic[] {
  if (err instanceof DiagnosticsError) return err.diagnostics;
  const cause = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  log.error(`${call} failed`, { cause, stack: err instanceof Error ? (err.stack ?? "") : "" });
  return [
    error(
      `The preclinical provider failed in ${call}`,
      `${cause}\nThis is a bug in the provider, not in your configuration. Nothing else was changed by this call; ` +
        "run again with TF_LOG=debug and report the log at the project's issue tracker.",
    ),
  ];
}

function diagnosticMessage(d: Diagnostic, log?: Logger): Message {
  const mask = (text: string) => (log ? log.mask(text) : text);
  return {
    severity: d.severity === "error" ? "ERROR" : "WARNING",
    summary: mask(d.summary),
    detail: mask(d.detail),
    ...(d.attribute !== undefined && { attribute: attributePath(d.attribute) }),
  };
}

function attributePath(name: string): Message {
  return { steps: [{ attribute_name: name }] };
}

function schemaMessage(schema: BlockSchema): Message {
  return {
    version: schema.version,
    block: {
      version: schema.version,
      description: schema.description,
      description_kind: "PLAIN",
      attributes: Object.entries(schema.attributes).map(([name, a]) => ({
        name,
        type: Buffer.from(JSON.stringify(a.type)),
        description: a.description,
        description_kind: "PLAIN",
        required: a.required ?? false,
        optional: a.optional ?? false,
        computed: a.computed ?? false,
        sensitive: a.sensitive ?? false,
        write_only: a.writeOnly ?? false,
      })),
      block_types: [],
    },
  };
}

/** Whether a version string such as "1.11.4" is at least major.minor. */
export function atLeast(version: string | undefined, major: number, minor: number): boolean {
  const match = /^v?(\d+)\.(\d+)/.exec(version ?? "");
  if (!match) return false;
  const [maj, min] = [Number(match[1]), Number(match[2])];
  return maj > major || (maj === major && min >= minor);
}
