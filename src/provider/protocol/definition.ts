/**
 * What a provider is, as the protocol server sees it: schemas and callbacks over plain values, for its
 * resources and its data sources. This floor knows nothing about webhooks; the resources and data sources
 * above it know nothing about gRPC (terraform-plugin-go's tfprotov6/tftypes split).
 */
import type { ObjectType } from "./codec";
import type { ObjectValue, ValueType } from "./values";

export interface AttributeSchema {
  /** A cty type: "string", or e.g. listOf(objectOf({ id: "string" })), mapOf("string") (./values). */
  readonly type: ValueType;
  /** One sentence or two, shown by `terraform providers schema` and in editors. */
  readonly description: string;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
  /** Never stored in the plan or the state (Terraform 1.11+); the value reaches apply in the config only. */
  readonly writeOnly?: boolean;
}

export interface BlockSchema {
  readonly version: number;
  readonly description: string;
  readonly attributes: Readonly<Record<string, AttributeSchema>>;
}

/** The codec's view of a block: attribute name to type. */
export function objectType(schema: BlockSchema): ObjectType {
  return Object.fromEntries(Object.entries(schema.attributes).map(([name, a]) => [name, a.type]));
}

/** A message for the user: a short summary, a detail that says what to do, and the attribute it is about. */
export interface Diagnostic {
  readonly severity: "error" | "warning";
  readonly summary: string;
  readonly detail: string;
  /** The top-level attribute the diagnostic is about; Terraform underlines it in the configuration. */
  readonly attribute?: string;
}

/** Thrown by a callback to fail the call with diagnostics (errors and warnings). */
export class DiagnosticsError extends Error {
  constructor(public readonly diagnostics: readonly Diagnostic[]) {
    super(diagnostics.map((d) => d.summary).join("; "));
  }
}

export function error(summary: string, detail: string, attribute?: string): Diagnostic {
  return { severity: "error", summary, detail, ...(attribute !== undefined && { attribute }) };
}

export function warning(summary: string, detail: string, attribute?: string): Diagnostic {
  return { severity: "warning", summary, detail, ...(attribute !== undefined && { attribute }) };
}

/** What Terraform told the provider about itself. */
export interface ClientInfo {
  /** e.g. "1.11.4"; empty when Terraform did not say. */
  readonly terraformVersion: string;
  /** Whether this Terraform keeps write-only attributes out of plan and state (1.11+). */
  readonly writeOnlyAttributesAllowed: boolean;
}

export interface PlanRequest {
  readonly prior: ObjectValue | null;
  readonly proposed: ObjectValue | null;
  readonly config: ObjectValue | null;
}

export interface PlanResult {
  readonly planned: ObjectValue | null;
  /** Attributes whose change replaces the object. */
  readonly requiresReplace?: readonly string[];
  readonly diagnostics?: readonly Diagnostic[];
}

export interface ApplyRequest {
  readonly prior: ObjectValue | null;
  readonly planned: ObjectValue | null;
  /** The configuration: the only place write-only values arrive. */
  readonly config: ObjectValue | null;
}

export interface StateResult {
  /** null: the object is gone (after a delete, or when a read finds it deleted outside Terraform). */
  readonly state: ObjectValue | null;
  readonly diagnostics?: readonly Diagnostic[];
}

export interface ResourceDefinition {
  readonly schema: BlockSchema;
  validate(config: ObjectValue, client: ClientInfo): readonly Diagnostic[];
  plan(request: PlanRequest): Promise<PlanResult>;
  apply(request: ApplyRequest): Promise<StateResult>;
  read(state: ObjectValue): Promise<StateResult>;
  /** Builds the state of an existing object from the id given to `terraform import` or an import block. */
  import(id: string): Promise<StateResult>;
}

/** What a data source's read answers: the whole object, every computed attribute known. */
export interface DataResult {
  readonly state: ObjectValue;
  readonly diagnostics?: readonly Diagnostic[];
}

/**
 * A data source: read-only, asked on every plan. Terraform reads it only when its configuration is wholly
 * known; a configuration that holds a value known only after apply is read during apply instead, so `read`
 * always gets known arguments (the floor answers for it otherwise), while `validate` may see UNKNOWN.
 */
export interface DataSourceDefinition {
  readonly schema: BlockSchema;
  validate(config: ObjectValue, client: ClientInfo): readonly Diagnostic[];
  /** The configuration's arguments in, the object with its computed attributes filled out. */
  read(config: ObjectValue): Promise<DataResult>;
}

export interface ProviderDefinition {
  /** The provider's type name, e.g. "preclinical": resource and data source types start with it and "_". */
  readonly typeName: string;
  readonly schema: BlockSchema;
  readonly resources: Readonly<Record<string, ResourceDefinition>>;
  /** None when absent. */
  readonly dataSources?: Readonly<Record<string, DataSourceDefinition>>;
  validate(config: ObjectValue): readonly Diagnostic[];
  configure(config: ObjectValue, client: ClientInfo): Promise<readonly Diagnostic[]>;
  /** Terraform asks to stop (Ctrl-C): cancel what is in flight, so calls return promptly. */
  stop(): Promise<void>;
}
