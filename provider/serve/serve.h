// The go-plugin contract, end to end: turns a tf::Provider factory into a running
// Terraform plugin. See docs: cookie check, protocol negotiation, listener, AutoMTLS,
// services, handshake line, signals, debug mode.
//
// Command line:
//   (no arguments)          run as Terraform's plugin (needs TF_PLUGIN_MAGIC_COOKIE)
//   --debug [--protocol N]  serve without Terraform (plaintext unix socket, protocol 6 by
//                           default) and print a TF_REATTACH_PROVIDERS value to export;
//                           stops on SIGINT/SIGTERM
//   --version               print the version
//
// Environment beyond go-plugin's (PLUGIN_PROTOCOL_VERSIONS, PLUGIN_CLIENT_CERT,
// PLUGIN_UNIX_SOCKET_DIR, PLUGIN_UNIX_SOCKET_GROUP, PLUGIN_MIN_PORT, PLUGIN_MAX_PORT):
//   TFJ_PLUGIN_NETWORK=tcp  listen on 127.0.0.1 (within PLUGIN_MIN_PORT..MAX_PORT)
//                           instead of a unix socket.
#pragma once

#include <functional>
#include <memory>
#include <string>

#include "provider/core/resource.h"
#include "provider/serve/plugin_server.h"

namespace tfj::serve {

struct ServeOptions {
  // Source address used as the TF_REATTACH_PROVIDERS key, e.g.
  // "registry.terraform.io/tfjira/jira".
  std::string provider_address;
  std::string version;  // e.g. "0.1.0"
  std::function<std::unique_ptr<tf::Provider>()> factory;
  // The gRPC server to serve with; empty: provider/rpc's (NewNghttp2PluginServer).
  // Executables get the configured one from provider/rpc_grpc/configured.h.
  PluginServerFactory server;
};

// Runs the plugin; returns the process exit code.
int Main(int argc, char** argv, const ServeOptions& opts);

}  // namespace tfj::serve
