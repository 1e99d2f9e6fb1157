// gRPC C++'s synchronous server behind serve::PluginServer: the build option
// -DTFJ_RPC_SERVER=grpc (provider/rpc's nghttp2 server is the default; the README says
// when to choose which). It serves the same rpc::Router as provider/rpc, through one
// generic grpc::Service whose methods are the router's paths, so every service is
// written once and no request is parsed twice.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "provider/rpc/limits.h"
#include "provider/serve/plugin_server.h"

namespace tfj::rpc_grpc {

// The bounds provider/rpc keeps (provider/rpc/limits.h), in the form gRPC C++ 1.51 takes
// them. What each bounds, and where gRPC C++ differs, is in the README's server section.
struct Options {
  // Largest request message: ServerBuilder::SetMaxReceiveMessageSize. A larger one ends
  // its call with RESOURCE_EXHAUSTED as soon as its length prefix arrives.
  size_t max_message_bytes = rpc::limits::kMaxMessageBytes;
  // Request bytes the server's calls may hold at once, over all connections (gRPC C++
  // has no per-connection count; Terraform opens one connection). A call whose request
  // messages would take the total beyond it ends with RESOURCE_EXHAUSTED.
  size_t max_buffered_bytes = rpc::limits::kMaxConnectionBufferBytes;
  // The resource quota's memory, for the transport's own buffers over all connections:
  // gRPC C++ narrows its flow-control windows as they approach it, and past it may
  // reclaim memory by closing connections.
  size_t memory_quota_bytes = rpc::limits::kMaxConnectionBufferBytes;
  // Handlers at once on a connection: its streams are capped at this, so the client holds
  // further calls back until one ends, as provider/rpc queues them. gRPC C++ answers
  // RESOURCE_EXHAUSTED to a call that finds no thread, so the resource quota allows twice
  // this (handlers starting while the last ones finish) plus the pollers; only calls over
  // several connections can be refused.
  int max_concurrent_calls = rpc::limits::kMaxConcurrentCalls;
  // GRPC_ARG_MAX_CONCURRENT_STREAMS: calls one connection may have open (at most
  // max_concurrent_calls); the client holds further ones back.
  int max_concurrent_streams = static_cast<int>(rpc::limits::kMaxConcurrentStreams);
  // GRPC_ARG_MAX_METADATA_SIZE: request metadata a call may carry (gRPC C++ advertises it
  // as SETTINGS_MAX_HEADER_LIST_SIZE).
  int max_metadata_bytes = static_cast<int>(rpc::limits::kMaxHeaderListBytes);
  // GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS: a connection that has not finished its TLS
  // handshake and HTTP/2 preface by then is closed.
  std::chrono::milliseconds handshake_timeout = rpc::limits::kHandshakeTimeout;
};

std::unique_ptr<serve::PluginServer> NewPluginServer(Options options);
inline std::unique_ptr<serve::PluginServer> NewPluginServer() { return NewPluginServer(Options{}); }

// The status message gRPC C++ is handed: at most `max_encoded_bytes` once percent-encoded
// for grpc-message (bytes outside printable ASCII and '%' take three), cut where a UTF-8
// character starts. Exposed for tests.
std::string CapStatusMessage(std::string_view message, size_t max_encoded_bytes);

}  // namespace tfj::rpc_grpc
