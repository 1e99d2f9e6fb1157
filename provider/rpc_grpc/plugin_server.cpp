// How it maps onto gRPC C++ 1.51 (Debian 12):
// - Methods: one grpc::Service registers every rpc::Router path as a raw (ByteBuffer)
//   bidirectional-streaming method. On the wire the four gRPC call shapes are the same,
//   so this one shape serves unary, server- and client-streaming methods alike: the
//   handler thread reads the request messages until the client half-closes, runs the
//   router's handler, and writes what it writes. Paths the router lacks (among them
//   go-plugin's GRPCBroker/StartStream, which its client never half-closes) are answered
//   UNIMPLEMENTED by gRPC C++ as soon as their headers arrive, so they hold nothing open.
// - Listener: gRPC C++ cannot adopt a listening socket, so Start closes the one serve::Main
//   opened and binds its address again (unix:/path, or 127.0.0.1:port), keeping the
//   socket's group and mode (PLUGIN_UNIX_SOCKET_GROUP).
// - AutoMTLS: SslServerCredentials requiring a client certificate that verifies against
//   PLUGIN_CLIENT_CERT.
// - Stopping: Serve waits on the caller's wake-up descriptor; Shutdown is gRPC's graceful
//   Shutdown(deadline) (GOAWAY, calls in flight finish, the rest are cancelled at the
//   deadline), run on a thread so that a handler that ignores cancellation cannot hold
//   the process: gRPC C++ waits for its handler threads without a limit.
#include "provider/rpc_grpc/plugin_server.h"

#include <poll.h>
#include <sys/stat.h>
#include <unistd.h>

#include <grpc/support/log.h>
#include <grpcpp/grpcpp.h>
#include <grpcpp/impl/rpc_service_method.h>
#include <grpcpp/resource_quota.h>
#include <grpcpp/security/server_credentials.h>
#include <grpcpp/support/method_handler.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <climits>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <mutex>
#include <thread>
#include <utility>
#include <vector>

#include "provider/core/log.h"

namespace tfj::rpc_grpc {
namespace {

// As provider/rpc caps grpc-message: far under any peer's header list limit, so the
// trailers always go out and the call always ends.
using rpc::limits::kMaxStatusMessageBytes;

// Sync-server pollers at most: threads that wait for the next call. One connection from
// one Terraform needs few.
constexpr int kMaxPollers = 2;

using Stream = grpc::ServerReaderWriter<grpc::ByteBuffer, grpc::ByteBuffer>;

std::string ToString(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string out;
  if (!buffer.Dump(&slices).ok()) return out;
  out.reserve(buffer.Length());
  for (const grpc::Slice& s : slices) {
    out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  }
  return out;
}

// One call as rpc::Router's handlers see it.
class GrpcCall final : public rpc::Call {
 public:
  GrpcCall(grpc::ServerContext* context, Stream* stream, std::vector<std::string> requests)
      : context_(context), stream_(stream), requests_(std::move(requests)) {}
  const std::vector<std::string>& requests() const override { return requests_; }
  bool Write(std::string message) override {
    if (context_->IsCancelled()) return false;
    grpc::Slice slice(message.data(), message.size());
    grpc::ByteBuffer buffer(&slice, 1);
    return stream_->Write(buffer);
  }
  bool IsCancelled() const override { return context_->IsCancelled(); }

 private:
  grpc::ServerContext* context_;
  Stream* stream_;
  std::vector<std::string> requests_;
};

grpc::Status ToGrpc(const rpc::Status& status) {
  if (status.ok()) return grpc::Status::OK;
  return grpc::Status(static_cast<grpc::StatusCode>(status.code()),
                      CapStatusMessage(status.message(), kMaxStatusMessageBytes));
}

// Request bytes held by the calls being read or run, against Options::max_buffered_bytes.
class Budget {
 public:
  explicit Budget(size_t limit) : limit_(limit) {}
  size_t limit() const { return limit_; }
  // Takes `bytes` when the total stays within the limit.
  bool Take(size_t bytes) {
    size_t held = held_.load();
    do {
      if (bytes > limit_ - held) return false;
    } while (!held_.compare_exchange_weak(held, held + bytes));
    return true;
  }
  void Give(size_t bytes) { held_ -= bytes; }

 private:
  const size_t limit_;
  std::atomic<size_t> held_{0};
};

// What one call holds of the budget, given back when the call ends.
class Held {
 public:
  explicit Held(Budget& budget) : budget_(budget) {}
  ~Held() { budget_.Give(bytes_); }
  Held(const Held&) = delete;
  Held& operator=(const Held&) = delete;
  bool Take(size_t bytes) {
    if (!budget_.Take(bytes)) return false;
    bytes_ += bytes;
    return true;
  }

 private:
  Budget& budget_;
  size_t bytes_ = 0;
};

rpc::Status RunMethod(const rpc::Method& method, Budget& budget, grpc::ServerContext* context,
                      Stream* stream) {
  std::vector<std::string> requests;
  Held held(budget);
  grpc::ByteBuffer buffer;
  // A message over the size limit fails the read: gRPC C++ has then already ended the
  // call with RESOURCE_EXHAUSTED, and the status returned here is not sent.
  while (stream->Read(&buffer)) {
    if (method.requests == rpc::RequestCount::kOne && !requests.empty()) {
      // As provider/rpc answers it, without waiting for (or holding) the rest.
      return {rpc::StatusCode::kInternal, "more than one request message for a unary method"};
    }
    if (!held.Take(buffer.Length())) {
      // Without reading (or holding) the rest: the client learns at once.
      return {rpc::StatusCode::kResourceExhausted,
              "the server holds " + std::to_string(budget.limit()) +
                  " bytes of requests at most; this call's messages would exceed it"};
    }
    requests.push_back(ToString(buffer));
  }
  if (context->IsCancelled()) return {rpc::StatusCode::kCancelled, "call cancelled"};
  GrpcCall call(context, stream, std::move(requests));
  try {
    return method.handler(call);
  } catch (const std::exception& e) {
    return {rpc::StatusCode::kInternal, e.what()};
  } catch (...) {
    return {rpc::StatusCode::kInternal, "unexpected exception"};
  }
}

// Every path of the router, as raw bidirectional-streaming methods.
class RouterService final : public grpc::Service {
 public:
  RouterService(const rpc::Router& router, size_t max_buffered_bytes)
      : budget_(max_buffered_bytes) {
    using Handler = grpc::internal::BidiStreamingHandler<RouterService, grpc::ByteBuffer,
                                                         grpc::ByteBuffer>;
    for (std::string& path : router.Paths()) {
      const rpc::Method* method = router.FindMethod(path);
      paths_.push_back(std::move(path));  // RpcServiceMethod keeps the pointer
      AddMethod(new grpc::internal::RpcServiceMethod(
          paths_.back().c_str(), grpc::internal::RpcMethod::BIDI_STREAMING,
          new Handler(
              [method](RouterService* service, grpc::ServerContext* context, Stream* stream) {
                return ToGrpc(RunMethod(*method, service->budget_, context, stream));
              },
              this)));
    }
  }

 private:
  Budget budget_;
  std::deque<std::string> paths_;
};

// gRPC C++ logs to stderr by default; its lines go through our log instead (JSON for
// go-plugin, secrets filtered), at debug level: what it reports (a client that fails the
// TLS handshake, a dropped connection) is the client's business.
void LogFromGrpc(gpr_log_func_args* args) {
  const char* severity = gpr_log_severity_string(args->severity);
  tf::log::Debug("grpc", {{"severity", severity != nullptr ? severity : ""},
                          {"message", args->message != nullptr ? args->message : ""}});
}

class GrpcPluginServer final : public serve::PluginServer {
 public:
  explicit GrpcPluginServer(Options options) : options_(options) {}

  // SslServerCredentials takes the certificate and key as PEM.
  serve::Pem CertificateEncoding() const override { return serve::Pem::kInclude; }
  // Start binds the address again, so Terraform must not try it before.
  bool AnnouncesBeforeStart() const override { return false; }

  bool Start(const serve::PluginServerConfig& config, serve::Listener* listener,
             std::string* error) override {
    gpr_set_log_function(LogFromGrpc);
    std::shared_ptr<grpc::ServerCredentials> credentials;
    if (config.client_cert_der != nullptr && config.server_cert != nullptr) {
      // The client must present a certificate that verifies against Terraform's pinned
      // one (PLUGIN_CLIENT_CERT) and prove it holds its key. As with go-plugin's own
      // server, whose tls.Config puts that certificate in its ClientCAs pool, a
      // certificate *signed by* it (it is a CA certificate) is accepted too; provider/rpc
      // insists on the very certificate.
      grpc::SslServerCredentialsOptions ssl(
          GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
      ssl.pem_root_certs = serve::DerCertificateToPem(*config.client_cert_der);
      ssl.pem_key_cert_pairs.push_back(
          {config.server_cert->key_pem, config.server_cert->cert_pem});
      if (ssl.pem_root_certs.empty() || config.server_cert->key_pem.empty() ||
          config.server_cert->cert_pem.empty()) {
        *error = "gRPC C++ needs the certificates as PEM";
        return false;
      }
      credentials = grpc::SslServerCredentials(ssl);
    } else {
      credentials = grpc::InsecureServerCredentials();
    }

    // Hand the address over: close Main's socket and bind the same address.
    struct stat socket_stat {};
    const bool unix_socket = listener->network == "unix";
    const bool have_stat = unix_socket && ::stat(listener->address.c_str(), &socket_stat) == 0;
    if (listener->fd >= 0) ::close(listener->fd);
    listener->fd = -1;
    if (unix_socket) ::unlink(listener->address.c_str());
    const std::string address = unix_socket ? "unix:" + listener->address : listener->address;

    grpc::ServerBuilder builder;
    builder.AddListeningPort(address, std::move(credentials));
    // The bounds of provider/rpc/limits.h (see Options).
    builder.SetMaxReceiveMessageSize(static_cast<int>(
        std::min<size_t>(options_.max_message_bytes, static_cast<size_t>(INT_MAX))));
    grpc::ResourceQuota quota("tfj-plugin");
    // The sync server's threads all come from the quota, the pollers among them, and a
    // call that finds no thread left is answered RESOURCE_EXHAUSTED, which Terraform does
    // not retry: at -parallelism=200 with handlers waiting on Jira's rate limit, an apply
    // failed so. So a connection may open no more streams than there are handler threads
    // (the client holds further calls back until one ends, as provider/rpc queues them).
    // A stream's slot is free once its trailers are sent, while its thread is still
    // finishing, so the quota has room for a full set of handlers starting while the last
    // set finishes, plus the pollers (with one set only, calls were still refused under
    // TSan's slowdown).
    const int streams = std::max(1, std::min(options_.max_concurrent_streams,
                                             options_.max_concurrent_calls));
    quota.SetMaxThreads(2 * streams + kMaxPollers);
    quota.Resize(options_.memory_quota_bytes);
    builder.SetResourceQuota(quota);
    builder.AddChannelArgument(GRPC_ARG_MAX_CONCURRENT_STREAMS, streams);
    builder.AddChannelArgument(GRPC_ARG_MAX_METADATA_SIZE, options_.max_metadata_bytes);
    builder.AddChannelArgument(
        GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS,
        static_cast<int>(std::min<std::chrono::milliseconds::rep>(options_.handshake_timeout.count(), INT_MAX)));
    builder.AddChannelArgument(GRPC_ARG_ENABLE_CHANNELZ, 0);
    // Nobody else may bind the port alongside us.
    builder.AddChannelArgument(GRPC_ARG_ALLOW_REUSEPORT, 0);
    // One completion queue and few pollers: a plugin serves one client.
    builder.SetSyncServerOption(grpc::ServerBuilder::NUM_CQS, 1);
    builder.SetSyncServerOption(grpc::ServerBuilder::MIN_POLLERS, 1);
    builder.SetSyncServerOption(grpc::ServerBuilder::MAX_POLLERS, kMaxPollers);
    service_ = std::make_unique<RouterService>(*config.router, options_.max_buffered_bytes);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    if (!server_) {
      *error = "gRPC C++ cannot listen on " + address;
      return false;
    }
    if (have_stat && (::chown(listener->address.c_str(), static_cast<uid_t>(-1),
                              socket_stat.st_gid) != 0 ||
                      ::chmod(listener->address.c_str(), socket_stat.st_mode & 07777) != 0)) {
      *error = "cannot give the socket to its group: " + std::string(std::strerror(errno));
      server_->Shutdown();
      return false;
    }
    return true;
  }

  void Serve(int wake_fd, const std::function<bool()>& should_stop) override {
    while (!should_stop()) {
      pollfd p{wake_fd, POLLIN, 0};
      ::poll(&p, wake_fd >= 0 ? 1 : 0, 1000);
    }
  }

  bool Shutdown(std::chrono::milliseconds grace) override {
    if (!server_) return true;
    // The stopping thread owns the server and its service from here on: should a handler
    // outlive the wait below, they stay alive for it until it returns.
    struct Stopping {
      std::unique_ptr<grpc::Server> server;
      std::unique_ptr<RouterService> service;
      std::mutex mu;
      std::condition_variable cv;
      bool done = false;
    };
    auto stopping = std::make_shared<Stopping>();
    stopping->server = std::move(server_);
    stopping->service = std::move(service_);
    const auto deadline = std::chrono::system_clock::now() + grace;
    std::thread([stopping, deadline] {
      stopping->server->Shutdown(deadline);
      stopping->server.reset();
      stopping->service.reset();
      std::lock_guard<std::mutex> lock(stopping->mu);
      stopping->done = true;
      stopping->cv.notify_all();
    }).detach();
    std::unique_lock<std::mutex> lock(stopping->mu);
    // The deadline, then a moment for the cancelled calls to return.
    return stopping->cv.wait_for(lock, grace + std::chrono::seconds(1),
                                 [&] { return stopping->done; });
  }

 private:
  Options options_;
  std::unique_ptr<RouterService> service_;
  std::unique_ptr<grpc::Server> server_;
};

}  // namespace

std::string CapStatusMessage(std::string_view message, size_t max_encoded_bytes) {
  size_t encoded = 0;
  size_t cut = 0;
  for (; cut < message.size(); ++cut) {
    const auto c = static_cast<unsigned char>(message[cut]);
    const size_t cost = (c >= 0x20 && c <= 0x7e && c != '%') ? 1 : 3;
    if (encoded + cost > max_encoded_bytes) break;
    encoded += cost;
  }
  if (cut == message.size()) return std::string(message);
  // Back to the start of the character that did not fit whole.
  while (cut > 0 && (static_cast<unsigned char>(message[cut]) & 0xC0) == 0x80) --cut;
  return std::string(message.substr(0, cut));
}

std::unique_ptr<serve::PluginServer> NewPluginServer(Options options) {
  return std::make_unique<GrpcPluginServer>(options);
}

}  // namespace tfj::rpc_grpc
