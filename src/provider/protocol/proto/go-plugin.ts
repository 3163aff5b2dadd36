/**
 * Protobuf schema (proto3 text) of the HashiCorp go-plugin services a plugin process serves next to its
 * own service, and which Terraform's plugin client calls: package `plugin`, services `GRPCController`,
 * `GRPCStdio` and `GRPCBroker`.
 *
 * Package, service, rpc, message and field names, field numbers and types follow go-plugin's internal
 * grpc_controller / grpc_stdio / grpc_broker definitions, so the wire format and the method paths
 * (`/plugin.GRPCController/Shutdown`, `/plugin.GRPCStdio/StreamStdio`, `/plugin.GRPCBroker/StartStream`)
 * match. The text and its comments are ours.
 *
 * go-plugin's StreamStdio takes `google.protobuf.Empty`; here it takes the local `Empty` message instead,
 * which keeps the text free of imports. Both are empty messages, so the bytes on the wire are the same.
 */
export const GO_PLUGIN_PROTO: string = `
syntax = "proto3";

package plugin;

// No fields; also used where go-plugin uses google.protobuf.Empty.
message Empty {}

// Asks the plugin process to shut down.
service GRPCController {
  rpc Shutdown(Empty) returns (Empty);
}

// One chunk of the plugin's stdout or stderr.
message StdioData {
  enum Channel {
    INVALID = 0;
    STDOUT = 1;
    STDERR = 2;
  }
  Channel channel = 1;
  bytes data = 2;
}

// Streams the plugin's stdout/stderr to the host; called once per process.
service GRPCStdio {
  rpc StreamStdio(Empty) returns (stream StdioData);
}

// Announces an extra listener (or, with multiplexing, a knock) between host and plugin.
message ConnInfo {
  message Knock {
    bool knock = 1;
    bool ack = 2;
    string error = 3;
  }
  uint32 service_id = 1;
  string network = 2;
  string address = 3;
  Knock knock = 4;
}

// Bidirectional stream used to broker additional connections.
service GRPCBroker {
  rpc StartStream(stream ConnInfo) returns (stream ConnInfo);
}
`;
