// The bounds the plugin's gRPC server keeps, in one place for both servers: provider/rpc
// (nghttp2, the default) applies them itself, provider/rpc_grpc hands them to gRPC C++'s
// settings. The README's server section says what each server bounds with them.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>

namespace tfj::rpc::limits {

// Largest request message accepted (terraform-plugin-go's limit: Terraform sends messages
// up to MaxInt32, and gRPC's 4 MiB default would reject large states).
inline constexpr size_t kMaxMessageBytes = size_t{256} << 20;
// Request bytes one connection may hold before it stops granting the client flow-control
// window. Never less than one message of kMaxMessageBytes: one call of that size must
// always get through.
inline constexpr size_t kMaxConnectionBufferBytes = size_t{320} << 20;
// Handler threads at once, over all connections.
inline constexpr int kMaxConcurrentCalls = 64;
// Connections at once. Terraform opens one per plugin process.
inline constexpr int kMaxConnections = 32;
// HTTP/2 SETTINGS_MAX_CONCURRENT_STREAMS, per connection.
inline constexpr uint32_t kMaxConcurrentStreams = 128;
// SETTINGS_MAX_HEADER_LIST_SIZE advertised and enforced: a call's request metadata.
// gRPC clients send well under it.
inline constexpr uint32_t kMaxHeaderListBytes = 64 << 10;
// grpc-message's length once percent-encoded: far under any peer's header list limit, so
// the trailers always go out and the call always ends.
inline constexpr size_t kMaxStatusMessageBytes = 4 << 10;
// Time a client has to complete the TLS handshake (and, for gRPC C++, the HTTP/2 preface).
inline constexpr std::chrono::milliseconds kHandshakeTimeout{10'000};

static_assert(kMaxConnectionBufferBytes >= kMaxMessageBytes,
              "a connection must be able to hold one message of the largest size");

}  // namespace tfj::rpc::limits
