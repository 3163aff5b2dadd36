/**
 * The tfplugin6 Provider service over a ProviderDefinition: decodes each request's values, calls the
 * definition, encodes the answer. Every failure becomes a diagnostic (masked), never a gRPC error, so the
 * user reads what happened in Terraform's own output.
 */
import {
  attributePath,
  diagnosticMessage,
  failureDiagnostics,
  schemaMessage,
  serverCapabilities,
  type PlainMessage,
} from "./answers";
import { decodeJsonObject, decodeObject, encodeObject, type ObjectType } from "./codec";
import {
  DiagnosticsError,
  error,
  objectType,
  type BlockSchema,
  type ClientInfo,
  type DataSourceDefinition,
  type Diagnostic,
  type ProviderDefinition,
  type ResourceDefinition,
} from "./definition";
import type { Logger } from "./logger";
import { UNKNOWN, whollyKnown, type ObjectValue } from "./values";

type Handler = (request: PlainMessage) => Promise<PlainMessage>;

interface DynamicValue {
  msgpack?: Uint8Array;
  json?: Uint8Array;
}

export function providerHandlers(provider: ProviderDefinition, log: Logger): Record<string, Handler> {
  const resources = provider.resources;
  const dataSources = provider.dataSources ?? {};
  const providerType = objectType(provider.schema);
  let client: ClientInfo = { terraformVersion: "", writeOnlyAttributesAllowed: false };

  /** Names of each type's sensitive attributes, whose values the log masks wherever they appear. */
  const sensitiveOf = (definitions: Readonly<Record<string, { schema: BlockSchema }>>) =>
    new Map(
      Object.entries(definitions).map(([name, r]) => [
        name,
        Object.entries(r.schema.attributes)
          .filter(([, a]) => a.sensitive)
          .map(([attribute]) => attribute),
      ]),
    );
  const sensitive = { resource: sensitiveOf(resources), data: sensitiveOf(dataSources) };
  const maskSensitive = (kind: keyof typeof sensitive, typeName: string, ...objects: (ObjectValue | null)[]) => {
    for (const object of objects) {
      for (const attribute of sensitive[kind].get(typeName) ?? []) {
        const value = object?.[attribute];
        if (typeof value === "string") log.addSecret(value);
      }
    }
  };

  const lookUp = <T extends { schema: BlockSchema }>(
    definitions: Readonly<Record<string, T>>,
    kind: string,
    typeName: string,
  ): [T, ObjectType] => {
    const found = Object.hasOwn(definitions, typeName) ? definitions[typeName] : undefined;
    if (!found) {
      const names = Object.keys(definitions);
      throw new DiagnosticsError([
        error(
          `Unknown ${kind} type ${typeName}`,
          `This provider has ${names.length ? names.join(", ") : `no ${kind}s`}. Check the ${kind} type in the ` +
            "configuration, and that it names this provider's version.",
        ),
      ]);
    }
    return [found, objectType(found.schema)];
  };
  const resource = (typeName: string) => lookUp<ResourceDefinition>(resources, "resource", typeName);
  const dataSource = (typeName: string) => lookUp<DataSourceDefinition>(dataSources, "data source", typeName);

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
        data_sources: Object.keys(dataSources).map((type_name) => ({ type_name })),
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
        data_source_schemas: Object.fromEntries(
          Object.entries(dataSources).map(([name, d]) => [name, schemaMessage(d.schema)]),
        ),
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
      maskSensitive("resource", request.type_name, config);
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
      maskSensitive("resource", request.type_name, proposed, config);
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
      maskSensitive("resource", request.type_name, config);
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

    async ValidateDataResourceConfig(request) {
      const [definition, type] = dataSource(request.type_name);
      const config = decode(request.config, type);
      maskSensitive("data", request.type_name, config);
      return { diagnostics: config ? definition.validate(config, client) : [] };
    },

    async ReadDataSource(request) {
      const [definition, type] = dataSource(request.type_name);
      const config = decode(request.config, type) ?? {};
      maskSensitive("data", request.type_name, config);
      if (!whollyKnown(config)) {
        // Terraform reads a data source with unknown arguments during apply and never asks here; a
        // Terraform that may defer is told so, and any other gets the reason rather than a guess.
        if (request.client_capabilities?.deferral_allowed) {
          return {
            state: encode(unknownComputed(definition.schema, config), type),
            deferred: { reason: "RESOURCE_CONFIG_UNKNOWN" },
            diagnostics: [],
          };
        }
        throw new DiagnosticsError([
          error(
            `Cannot read ${request.type_name} yet`,
            "Its arguments depend on values known only after apply, so it can be read only then. Run the apply; " +
              "or give the arguments literal values to read it at plan time.",
          ),
        ]);
      }
      const result = await definition.read(config);
      return { state: encode(result.state, type), diagnostics: result.diagnostics ?? [] };
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
      async (request: PlainMessage) => {
        let response: PlainMessage;
        try {
          response = await handler(request);
        } catch (err) {
          response = { diagnostics: failureDiagnostics(provider.typeName, name, err, log) };
        }
        if (response.diagnostics)
          response.diagnostics = response.diagnostics.map((d: Diagnostic) => diagnosticMessage(d, log));
        return response;
      },
    ]),
  );
}

/** A call this provider does not serve (functions, ephemeral resources, moves, ...). */
export function unsupported(name: string, provider?: ProviderDefinition): Handler {
  const has = provider
    ? [
        ...Object.keys(provider.resources).map((r) => `resource ${r}`),
        ...Object.keys(provider.dataSources ?? {}).map((d) => `data source ${d}`),
      ]
    : [];
  const detail = provider
    ? `The ${provider.typeName} provider serves ${has.length ? has.join(", ") : "no resources"}, and no ${name}.`
    : `This provider does not serve ${name}.`;
  return async () => ({
    diagnostics: [diagnosticMessage(error(`${name} is not supported`, `${detail} Check the configuration.`))],
  });
}

/** A configuration with its computed-only attributes unknown: what a deferred read stands for. */
function unknownComputed(schema: BlockSchema, config: ObjectValue): ObjectValue {
  return Object.fromEntries(
    Object.entries(schema.attributes).map(([name, a]) => [
      name,
      a.computed && (config[name] === null || config[name] === undefined) ? UNKNOWN : (config[name] ?? null),
    ]),
  );
}

/** Whether a version string such as "1.11.4" is at least major.minor. */
export function atLeast(version: string | undefined, major: number, minor: number): boolean {
  const match = /^v?(\d+)\.(\d+)/.exec(version ?? "");
  if (!match) return false;
  const [maj, min] = [Number(match[1]), Number(match[2])];
  return maj > major || (maj === major && min >= minor);
}
