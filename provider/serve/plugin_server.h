// The gRPC server behind a plugin's services, as serve::Main drives it. Two implement it,
// chosen when the project is configured (-DTFJ_RPC_SERVER=nghttp2|grpc): provider/rpc's
// own HTTP/2 server (NewNghttp2PluginServer, the default) and gRPC C++'s synchronous
// server (provider/rpc_grpc). Both serve the same rpc::Router, so the services are
// written once.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "provider/rpc/rpc.h"
#include "provider/serve/certificate.h"
#include "provider/serve/listener.h"

namespace tfj::serve {

struct PluginServerConfig {
  const rpc::Router* router = nullptr;  // outlives the server
  // AutoMTLS: the client certificate Terraform pinned (PLUGIN_CLIENT_CERT, DER) and our
  // own certificate. Both null: plaintext HTTP/2.
  const std::string* client_cert_der = nullptr;
  const Certificate* server_cert = nullptr;
};

class PluginServer {
 public:
  virtual ~PluginServer() = default;

  // The encodings Start needs of our certificate (PEM costs OpenSSL a little).
  virtual Pem CertificateEncoding() const = 0;
  // True when the handshake line may go out before Start: the server then serves the
  // listener's socket as it is, and a client that connects early waits in its backlog.
  // False: Start binds the listener's address itself, so the line follows it.
  virtual bool AnnouncesBeforeStart() const = 0;

  // Starts serving `config.router` on `listener`. False with `error` set.
  virtual bool Start(const PluginServerConfig& config, Listener* listener,
                     std::string* error) = 0;
  // Serves until `should_stop` returns true. It is asked whenever `wake_fd` is readable
  // and at least once a second.
  virtual void Serve(int wake_fd, const std::function<bool()>& should_stop) = 0;
  // Refuses new calls, lets the calls in flight finish for up to `grace`, then ends the
  // rest. False when calls are still running: the process should exit without
  // destroying what they use.
  virtual bool Shutdown(std::chrono::milliseconds grace) = 0;
};

using PluginServerFactory = std::function<std::unique_ptr<PluginServer>()>;

// provider/rpc's server (nghttp2 and OpenSSL): the default.
std::unique_ptr<PluginServer> NewNghttp2PluginServer();

}  // namespace tfj::serve
