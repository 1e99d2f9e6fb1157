// The gRPC server this build's plugin executables serve with, chosen when the project is
// configured: -DTFJ_RPC_SERVER=nghttp2 (default) or grpc. CMake's
// tfj_plugin_rpc_server(<target> <server>) defines TFJ_RPC_SERVER_GRPC for the second
// and links provider/rpc_grpc; a plugin's main() calls UseConfiguredRpcServer.
#pragma once

#include "provider/serve/serve.h"
#if TFJ_RPC_SERVER_GRPC
#include "provider/rpc_grpc/plugin_server.h"
#endif

namespace tfj::rpc_grpc {

inline void UseConfiguredRpcServer(serve::ServeOptions& options) {
#if TFJ_RPC_SERVER_GRPC
  options.server = [] { return NewPluginServer(); };
#else
  options.server = serve::NewNghttp2PluginServer;
#endif
}

}  // namespace tfj::rpc_grpc
