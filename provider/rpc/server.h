// rpc::Server: a gRPC server over HTTP/2 (nghttp2) on a socket the caller has bound,
// optionally TLS (OpenSSL) that accepts one pinned client certificate. It serves exactly
// what a go-plugin host needs: unary, server- and client-streaming calls, each on its own
// thread, with gRPC's framing, status trailers and cancellation.
//
// Why not gRPC C++: Terraform starts a provider process several times per command, so
// the plugin's start-up is on every user's critical path. Debian's gRPC C++ 1.51 server
// cost ~25 ms of CPU and 13 MiB of RSS before the handshake, even linked statically and
// trimmed (eight internal threads, event engine, resolver and channelz state), against a
// budget of 10 ms and 12 MiB (see README, "Benchmarks"). The wire protocol itself is
// small (https://github.com/grpc/grpc/blob/master/doc/PROTOCOL-HTTP2.md), nghttp2 does
// the HTTP/2 part and OpenSSL the TLS, so this file is only the gRPC layer between them.
// Tests and the harness still talk to it with gRPC C++'s client, and the CLI tests with
// Terraform's own grpc-go client.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include <openssl/types.h>

#include "provider/rpc/limits.h"
#include "provider/rpc/rpc.h"

namespace tfj::rpc {

// The server's TLS settings: TLS 1.2+, ALPN h2, and a client certificate that must be
// exactly `client_cert_der` (AutoMTLS). Made in two steps so that the costly part, OpenSSL
// loading its algorithms (~0.5-1 ms), can run while the certificate is being generated.
class TlsContext {
 public:
  // Throws std::runtime_error when OpenSSL cannot make a context.
  explicit TlsContext(std::string client_cert_der);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // The server's certificate and key. Throws std::runtime_error when they are unusable
  // or do not match.
  void UseCertificate(X509* cert, EVP_PKEY* key);

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  std::unique_ptr<Impl> impl_;
};

struct ServerOptions {
  // The defaults are the plugin's bounds, shared with provider/rpc_grpc (limits.h).
  // Largest request message accepted.
  size_t max_message_bytes = limits::kMaxMessageBytes;
  // Request bytes one connection may hold (being received, or held by running calls)
  // before it stops granting the client flow-control window. Never less than one
  // message of max_message_bytes: one call of that size must always get through.
  size_t max_connection_buffer_bytes = limits::kMaxConnectionBufferBytes;
  // Handler threads at once, over all connections; further calls wait their turn.
  int max_concurrent_calls = limits::kMaxConcurrentCalls;
  // Connections at once; a connection beyond it is closed as soon as it is accepted.
  // Terraform opens one per plugin process.
  int max_connections = limits::kMaxConnections;
  // None: plaintext HTTP/2 (h2c with prior knowledge). Must hold a certificate.
  std::shared_ptr<TlsContext> tls;
  std::chrono::milliseconds tls_handshake_timeout = limits::kHandshakeTimeout;
};

class Server {
 public:
  Server(const Router& router, ServerOptions options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Accepts and serves connections on `listen_fd` (listening, not closed here) until
  // `should_stop` returns true. It is asked whenever `wake_fd` (may be -1) is readable and
  // at least once a second. The router must outlive the server.
  void Serve(int listen_fd, int wake_fd, const std::function<bool()>& should_stop);

  // After Serve: refuses new calls (GOAWAY), lets the calls in flight finish for up to
  // `grace`, then closes every connection. True when every call and connection ended;
  // false means handler threads are still running and the process should exit.
  bool Shutdown(std::chrono::milliseconds grace);

  struct State;  // shared with connection and call threads

 private:
  std::shared_ptr<State> state_;
};

}  // namespace tfj::rpc
