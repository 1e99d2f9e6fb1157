// Test hooks into rpc::Server for tests and fuzzers: they drive the real connection code
// (nghttp2 session, gRPC layer, handler dispatch) without a listening socket or TLS.
// This interface is kept stable; extend it with new functions rather than changing these.
#pragma once

#include <string>
#include <string_view>

#include "provider/rpc/rpc.h"
#include "provider/rpc/server.h"

namespace tfj::rpc::testing {

// Serves one plaintext HTTP/2 connection (what a client sends after the TLS layer: the
// connection preface, then frames) whose client writes `input` and then closes its
// sending side. Calls that `input` completes are dispatched to `router` as on a real
// connection and run to the end; their answers are written before the connection closes.
// Returns every byte the server sent on the connection, in order. `options.tls` is
// ignored. Returns only once every thread the connection started has finished, so the
// caller may destroy `router` right after.
std::string ServeConnectionBytes(const Router& router, std::string_view input,
                                 const ServerOptions& options = {});

}  // namespace tfj::rpc::testing
