/**
 * The tfplugin6 messages the handlers answer with, built from the definition's plain values: schemas,
 * diagnostics (masked) and attribute paths, and the diagnostic of a call that failed unexpectedly.
 */
import { DiagnosticsError, error, type BlockSchema, type Diagnostic } from "./definition";
import type { Logger } from "./logger";

/** A protobuf message as the codec (protobuf.ts) takes it, snake_case fields, loosely typed for the handlers. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type PlainMessage = Record<string, any>;

export const serverCapabilities = {
  plan_destroy: false,
  get_provider_schema_optional: true,
  move_resource_state: false,
};

export function failureDiagnostics(provider: string, call: string, err: unknown, log: Logger): readonly Diagnostic[] {
  if (err instanceof DiagnosticsError) return err.diagnostics;
  const cause = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  log.error(`${call} failed`, { cause, stack: err instanceof Error ? (err.stack ?? "") : "" });
  return [
    error(
      `The ${provider} provider failed in ${call}`,
      `${cause}\nThis is a bug in the provider, not in your configuration. Nothing else was changed by this call; ` +
        "run again with TF_LOG=debug and report the log at the project's issue tracker.",
    ),
  ];
}

export function diagnosticMessage(d: Diagnostic, log?: Logger): PlainMessage {
  const mask = (text: string) => (log ? log.mask(text) : text);
  return {
    severity: d.severity === "error" ? "ERROR" : "WARNING",
    summary: mask(d.summary),
    detail: mask(d.detail),
    ...(d.attribute !== undefined && { attribute: attributePath(d.attribute) }),
  };
}

export function attributePath(name: string): PlainMessage {
  return { steps: [{ attribute_name: name }] };
}

export function schemaMessage(schema: BlockSchema): PlainMessage {
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
