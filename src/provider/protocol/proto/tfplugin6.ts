/**
 * Protobuf schema (proto3 text) of the gRPC service Terraform calls on a provider plugin: package
 * `tfplugin6`, protocol version 6.8, the version Terraform v1.11.x speaks.
 *
 * Package, service, rpc, message, enum and field names, field numbers and types follow tfplugin6.8 so that the
 * wire format and the gRPC method paths (`/tfplugin6.Provider/<Rpc>`) match what Terraform sends and expects.
 * The text and its comments are ours. It is long because it is one protocol definition, read message by
 * message against the protocol; splitting it would split the schema.
 *
 * One deliberate deviation: the protocol types `renew_at` as `google.protobuf.Timestamp`. To keep this text
 * self-contained (no imports to resolve), it uses a local `Timestamp` message with the same field layout
 * (int64 seconds = 1, int32 nanos = 2), which is identical on the wire.
 */
export const TFPLUGIN6_PROTO: string = `
syntax = "proto3";

package tfplugin6;

// ---------------------------------------------------------------------------
// Shared building blocks
// ---------------------------------------------------------------------------

// A Terraform value, serialised either as msgpack or as JSON.
message DynamicValue {
  bytes msgpack = 1;
  bytes json = 2;
}

message Diagnostic {
  enum Severity {
    INVALID = 0;
    ERROR = 1;
    WARNING = 2;
  }
  Severity severity = 1;
  string summary = 2;
  string detail = 3;
  AttributePath attribute = 4;
}

// Error returned from a provider function call.
message FunctionError {
  string text = 1;
  // Index of the offending argument, when there is one.
  optional int64 function_argument = 2;
}

// Path into a value: each step selects an attribute or a collection element.
message AttributePath {
  message Step {
    oneof selector {
      string attribute_name = 1;
      string element_key_string = 2;
      int64 element_key_int = 3;
    }
  }
  repeated Step steps = 1;
}

// Stored resource state handed to the provider for upgrading: JSON bytes, or
// the legacy flat map of strings.
message RawState {
  bytes json = 1;
  map<string, string> flatmap = 2;
}

enum StringKind {
  PLAIN = 0;
  MARKDOWN = 1;
}

// Stand-in for google.protobuf.Timestamp (same field numbers and types).
message Timestamp {
  int64 seconds = 1;
  int32 nanos = 2;
}

// ---------------------------------------------------------------------------
// Schemas
// ---------------------------------------------------------------------------

message Schema {
  message Block {
    int64 version = 1;
    repeated Attribute attributes = 2;
    repeated NestedBlock block_types = 3;
    string description = 4;
    StringKind description_kind = 5;
    bool deprecated = 6;
  }

  message Attribute {
    string name = 1;
    // JSON-encoded type constraint.
    bytes type = 2;
    // Set instead of "type" for attributes with nested attributes.
    Object nested_type = 10;
    string description = 3;
    bool required = 4;
    bool optional = 5;
    bool computed = 6;
    bool sensitive = 7;
    StringKind description_kind = 8;
    bool deprecated = 9;
    // Value is accepted in config but never persisted in plan or state.
    bool write_only = 11;
  }

  message NestedBlock {
    enum NestingMode {
      INVALID = 0;
      SINGLE = 1;
      LIST = 2;
      SET = 3;
      MAP = 4;
      GROUP = 5;
    }
    string type_name = 1;
    Block block = 2;
    NestingMode nesting = 3;
    int64 min_items = 4;
    int64 max_items = 5;
  }

  message Object {
    enum NestingMode {
      INVALID = 0;
      SINGLE = 1;
      LIST = 2;
      SET = 3;
      MAP = 4;
    }
    repeated Attribute attributes = 1;
    // Field number 2 is not used.
    NestingMode nesting = 3;
    // Unused by Terraform; kept for wire compatibility.
    int64 min_items = 4 [deprecated = true];
    int64 max_items = 5 [deprecated = true];
  }

  int64 version = 1;
  Block block = 2;
}

// Signature and documentation of a provider-defined function.
message Function {
  message Parameter {
    string name = 1;
    bytes type = 2;
    bool allow_null_value = 3;
    bool allow_unknown_values = 4;
    string description = 5;
    StringKind description_kind = 6;
  }

  message Return {
    bytes type = 1;
  }

  repeated Parameter parameters = 1;
  Parameter variadic_parameter = 2;
  Return return = 3;
  string summary = 4;
  string description = 5;
  StringKind description_kind = 6;
  string deprecation_message = 7;
}

// ---------------------------------------------------------------------------
// Capabilities and deferral
// ---------------------------------------------------------------------------

// Optional features the provider (server) announces.
message ServerCapabilities {
  bool plan_destroy = 1;
  bool get_provider_schema_optional = 2;
  bool move_resource_state = 3;
}

// Optional features Terraform (client) announces.
message ClientCapabilities {
  bool deferral_allowed = 1;
  bool write_only_attributes_allowed = 2;
}

message Deferred {
  enum Reason {
    UNKNOWN = 0;
    RESOURCE_CONFIG_UNKNOWN = 1;
    PROVIDER_CONFIG_UNKNOWN = 2;
    ABSENT_PREREQ = 3;
  }
  Reason reason = 1;
}

// ---------------------------------------------------------------------------
// Service
// ---------------------------------------------------------------------------

service Provider {
  // Discovery and schemas
  rpc GetMetadata(GetMetadata.Request) returns (GetMetadata.Response);
  rpc GetProviderSchema(GetProviderSchema.Request) returns (GetProviderSchema.Response);
  rpc ValidateProviderConfig(ValidateProviderConfig.Request) returns (ValidateProviderConfig.Response);
  rpc ValidateResourceConfig(ValidateResourceConfig.Request) returns (ValidateResourceConfig.Response);
  rpc ValidateDataResourceConfig(ValidateDataResourceConfig.Request) returns (ValidateDataResourceConfig.Response);
  rpc UpgradeResourceState(UpgradeResourceState.Request) returns (UpgradeResourceState.Response);

  // Provider configuration
  rpc ConfigureProvider(ConfigureProvider.Request) returns (ConfigureProvider.Response);

  // Managed resources and data sources
  rpc ReadResource(ReadResource.Request) returns (ReadResource.Response);
  rpc PlanResourceChange(PlanResourceChange.Request) returns (PlanResourceChange.Response);
  rpc ApplyResourceChange(ApplyResourceChange.Request) returns (ApplyResourceChange.Response);
  rpc ImportResourceState(ImportResourceState.Request) returns (ImportResourceState.Response);
  rpc MoveResourceState(MoveResourceState.Request) returns (MoveResourceState.Response);
  rpc ReadDataSource(ReadDataSource.Request) returns (ReadDataSource.Response);

  // Ephemeral resources
  rpc ValidateEphemeralResourceConfig(ValidateEphemeralResourceConfig.Request)
    returns (ValidateEphemeralResourceConfig.Response);
  rpc OpenEphemeralResource(OpenEphemeralResource.Request) returns (OpenEphemeralResource.Response);
  rpc RenewEphemeralResource(RenewEphemeralResource.Request) returns (RenewEphemeralResource.Response);
  rpc CloseEphemeralResource(CloseEphemeralResource.Request) returns (CloseEphemeralResource.Response);

  // Functions
  rpc GetFunctions(GetFunctions.Request) returns (GetFunctions.Response);
  rpc CallFunction(CallFunction.Request) returns (CallFunction.Response);

  // Shutdown
  rpc StopProvider(StopProvider.Request) returns (StopProvider.Response);
}

// ---------------------------------------------------------------------------
// Request / response pairs
// ---------------------------------------------------------------------------

message GetMetadata {
  message Request {}

  message Response {
    ServerCapabilities server_capabilities = 1;
    repeated Diagnostic diagnostics = 2;
    repeated DataSourceMetadata data_sources = 3;
    repeated ResourceMetadata resources = 4;
    repeated FunctionMetadata functions = 5;
    repeated EphemeralMetadata ephemeral_resources = 6;
  }

  message EphemeralMetadata {
    string type_name = 1;
  }

  message FunctionMetadata {
    string name = 1;
  }

  message DataSourceMetadata {
    string type_name = 1;
  }

  message ResourceMetadata {
    string type_name = 1;
  }
}

message GetProviderSchema {
  message Request {}

  message Response {
    Schema provider = 1;
    map<string, Schema> resource_schemas = 2;
    map<string, Schema> data_source_schemas = 3;
    repeated Diagnostic diagnostics = 4;
    Schema provider_meta = 5;
    ServerCapabilities server_capabilities = 6;
    map<string, Function> functions = 7;
    map<string, Schema> ephemeral_resource_schemas = 8;
  }
}

message ValidateProviderConfig {
  message Request {
    DynamicValue config = 1;
  }
  message Response {
    // Number 1 is not used here.
    repeated Diagnostic diagnostics = 2;
  }
}

message UpgradeResourceState {
  message Request {
    string type_name = 1;
    // Schema version recorded with the stored state.
    int64 version = 2;
    RawState raw_state = 3;
  }
  message Response {
    DynamicValue upgraded_state = 1;
    repeated Diagnostic diagnostics = 2;
  }
}

message ValidateResourceConfig {
  message Request {
    string type_name = 1;
    DynamicValue config = 2;
    ClientCapabilities client_capabilities = 3;
  }
  message Response {
    repeated Diagnostic diagnostics = 1;
  }
}

message ValidateDataResourceConfig {
  message Request {
    string type_name = 1;
    DynamicValue config = 2;
  }
  message Response {
    repeated Diagnostic diagnostics = 1;
  }
}

message ValidateEphemeralResourceConfig {
  message Request {
    string type_name = 1;
    DynamicValue config = 2;
  }
  message Response {
    repeated Diagnostic diagnostics = 1;
  }
}

message ConfigureProvider {
  message Request {
    string terraform_version = 1;
    DynamicValue config = 2;
    ClientCapabilities client_capabilities = 3;
  }
  message Response {
    repeated Diagnostic diagnostics = 1;
  }
}

message ReadResource {
  message Request {
    string type_name = 1;
    DynamicValue current_state = 2;
    bytes private = 3;
    DynamicValue provider_meta = 4;
    ClientCapabilities client_capabilities = 5;
  }
  message Response {
    DynamicValue new_state = 1;
    repeated Diagnostic diagnostics = 2;
    bytes private = 3;
    Deferred deferred = 4;
  }
}

message PlanResourceChange {
  message Request {
    string type_name = 1;
    DynamicValue prior_state = 2;
    DynamicValue proposed_new_state = 3;
    DynamicValue config = 4;
    bytes prior_private = 5;
    DynamicValue provider_meta = 6;
    ClientCapabilities client_capabilities = 7;
  }
  message Response {
    DynamicValue planned_state = 1;
    repeated AttributePath requires_replace = 2;
    bytes planned_private = 3;
    repeated Diagnostic diagnostics = 4;
    // Reserved for the legacy Go SDK; other providers leave it false.
    bool legacy_type_system = 5;
    Deferred deferred = 6;
  }
}

message ApplyResourceChange {
  message Request {
    string type_name = 1;
    DynamicValue prior_state = 2;
    DynamicValue planned_state = 3;
    DynamicValue config = 4;
    bytes planned_private = 5;
    DynamicValue provider_meta = 6;
  }
  message Response {
    DynamicValue new_state = 1;
    bytes private = 2;
    repeated Diagnostic diagnostics = 3;
    // Reserved for the legacy Go SDK; other providers leave it false.
    bool legacy_type_system = 4;
  }
}

message ImportResourceState {
  message Request {
    string type_name = 1;
    string id = 2;
    ClientCapabilities client_capabilities = 3;
  }

  message ImportedResource {
    string type_name = 1;
    DynamicValue state = 2;
    bytes private = 3;
  }

  message Response {
    repeated ImportedResource imported_resources = 1;
    repeated Diagnostic diagnostics = 2;
    Deferred deferred = 3;
  }
}

message MoveResourceState {
  message Request {
    string source_provider_address = 1;
    string source_type_name = 2;
    int64 source_schema_version = 3;
    // Only the json member is filled in.
    RawState source_state = 4;
    string target_type_name = 5;
    bytes source_private = 6;
  }
  message Response {
    DynamicValue target_state = 1;
    repeated Diagnostic diagnostics = 2;
    bytes target_private = 3;
  }
}

message ReadDataSource {
  message Request {
    string type_name = 1;
    DynamicValue config = 2;
    DynamicValue provider_meta = 3;
    ClientCapabilities client_capabilities = 4;
  }
  message Response {
    DynamicValue state = 1;
    repeated Diagnostic diagnostics = 2;
    Deferred deferred = 3;
  }
}

message OpenEphemeralResource {
  message Request {
    string type_name = 1;
    DynamicValue config = 2;
    ClientCapabilities client_capabilities = 3;
  }
  message Response {
    repeated Diagnostic diagnostics = 1;
    optional Timestamp renew_at = 2;
    DynamicValue result = 3;
    optional bytes private = 4;
    Deferred deferred = 5;
  }
}

message RenewEphemeralResource {
  message Request {
    string type_name = 1;
    optional bytes private = 2;
  }
  message Response {
    repeated Diagnostic diagnostics = 1;
    optional Timestamp renew_at = 2;
    optional bytes private = 3;
  }
}

message CloseEphemeralResource {
  message Request {
    string type_name = 1;
    optional bytes private = 2;
  }
  message Response {
    repeated Diagnostic diagnostics = 1;
  }
}

message GetFunctions {
  message Request {}

  message Response {
    map<string, Function> functions = 1;
    repeated Diagnostic diagnostics = 2;
  }
}

message CallFunction {
  message Request {
    string name = 1;
    repeated DynamicValue arguments = 2;
  }
  message Response {
    DynamicValue result = 1;
    FunctionError error = 2;
  }
}

message StopProvider {
  message Request {}

  message Response {
    // Capitalised name as in the protocol; empty means the stop succeeded.
    string Error = 1;
  }
}
`;
