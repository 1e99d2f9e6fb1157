// gRPC C++'s synchronous server behind serve::PluginServer: the build option
// -DTFJ_RPC_SERVER=grpc (provider/rpc's nghttp2 server is the default; the README says
// when to choose which). It serves the same rpc::Router as provider/rpc, through one
// generic grpc::Service whose methods are the router's paths, so every service is
// written once and no request is parsed twice.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "provider/serve/plugin_server.h"

namespace tfj::rpc_grpc {

// The limits provider/rpc applies, in the form gRPC C++ takes them.
struct Options {
  // Largest request message (terraform-plugin-go's limit; gRPC's 4 MiB default would
  // reject large states). ServerBuilder::SetMaxReceiveMessageSize.
  size_t max_message_bytes = size_t{256} << 20;
  // Handler threads at once: the resource quota's thread limit. gRPC C++ answers
  // RESOURCE_EXHAUSTED to a call that finds them all busy (provider/rpc queues it).
  int max_concurrent_calls = 64;
  // HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS per connection.
  int max_concurrent_streams = 128;
  // Request metadata a call may carry (SETTINGS_MAX_HEADER_LIST_SIZE).
  int max_metadata_bytes = 64 << 10;
  // Memory the server may use for buffers, over all connections (resource quota).
  size_t memory_quota_bytes = size_t{320} << 20;
};

std::unique_ptr<serve::PluginServer> NewPluginServer(Options options);
inline std::unique_ptr<serve::PluginServer> NewPluginServer() { return NewPluginServer(Options{}); }

// The status message gRPC C++ is handed: at most `max_encoded_bytes` once percent-encoded
// for grpc-message (bytes outside printable ASCII and '%' take three), cut where a UTF-8
// character starts. Exposed for tests.
std::string CapStatusMessage(std::string_view message, size_t max_encoded_bytes);

}  // namespace tfj::rpc_grpc
