// How it runs. Server::Serve accepts on the caller's thread. Each connection gets a thread
// that owns its socket, TLS session and nghttp2 session and loops: hand nghttp2 what the
// calls produced, write, poll (socket + an eventfd for wake-ups), read. A request whose
// stream has ended is dispatched to a thread of its own, which parses the messages, runs
// the handler and queues the framed answer on its Stream under the connection's mutex,
// then wakes the connection thread. Streams, request bodies and nghttp2 are touched by
// the connection thread only.
#include "provider/rpc/server.h"
#include "provider/rpc/testing_hooks.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <nghttp2/nghttp2.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <list>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "provider/core/log.h"
#include "provider/rpc/wire.h"

namespace tfj::rpc {
namespace {

using Clock = std::chrono::steady_clock;

// Bytes of HTTP/2 output buffered before the connection stops asking nghttp2 for more.
constexpr size_t kOutputHighWater = 256 << 10;
// Flow-control windows we grant: large, so a multi-megabyte state arrives without a
// round trip per 64 KiB (gRPC C++ and grpc-go also open their windows well beyond that).
constexpr int32_t kStreamWindow = 4 << 20;
constexpr int32_t kConnectionWindow = 16 << 20;
constexpr uint32_t kMaxConcurrentStreams = 128;

// ---- TLS -------------------------------------------------------------------------------

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using SslCtxPtr = std::unique_ptr<SSL_CTX, Deleter<SSL_CTX, SSL_CTX_free>>;
using SslPtr = std::unique_ptr<SSL, Deleter<SSL, SSL_free>>;

std::string OpenSslError() {
  const unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e == 0) return "unknown TLS error";
  char buf[256];
  ERR_error_string_n(e, buf, sizeof buf);
  return buf;
}

// The client must present exactly the certificate Terraform announced in
// PLUGIN_CLIENT_CERT. Comparing the bytes replaces chain building: that certificate is a
// self-signed CA, and ordinary verification would also admit any certificate it signed.
// TLS itself proves the client holds the matching private key (CertificateVerify).
int VerifyPinnedClientCertificate(X509_STORE_CTX* store, void* arg) {
  const auto* expected = static_cast<const std::string*>(arg);
  X509* leaf = X509_STORE_CTX_get0_cert(store);
  unsigned char* der = nullptr;
  const int len = leaf ? i2d_X509(leaf, &der) : -1;
  const bool same = len > 0 && static_cast<size_t>(len) == expected->size() &&
                    std::memcmp(der, expected->data(), expected->size()) == 0;
  OPENSSL_free(der);
  if (!same) X509_STORE_CTX_set_error(store, X509_V_ERR_CERT_REJECTED);
  return same ? 1 : 0;
}

// ALPN: gRPC clients (grpc-go enforces it) offer "h2" and expect it chosen.
int SelectAlpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
               unsigned int inlen, void*) {
  for (unsigned int i = 0; i < inlen;) {
    const unsigned int len = in[i];
    if (i + 1 + len > inlen) break;
    if (len == 2 && in[i + 1] == 'h' && in[i + 2] == '2') {
      *out = in + i + 1;
      *outlen = 2;
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + len;
  }
  return SSL_TLSEXT_ERR_NOACK;
}

// ---- byte transport: a socket, plain or TLS --------------------------------------------

enum class Io { kDone, kWantRead, kWantWrite, kClosed, kError };

class Transport {
 public:
  Transport(int fd, SslPtr ssl) : fd_(fd), ssl_(std::move(ssl)) {}
  ~Transport() {
    if (ssl_) SSL_shutdown(ssl_.get());  // best effort close_notify
    ::close(fd_);
  }
  int fd() const { return fd_; }

  // TLS handshake, waiting at most `timeout`; the socket is non-blocking.
  bool Handshake(std::chrono::milliseconds timeout, std::string* error) {
    if (!ssl_) return true;
    const auto deadline = Clock::now() + timeout;
    for (;;) {
      ERR_clear_error();
      const int r = SSL_accept(ssl_.get());
      if (r == 1) return true;
      short events = 0;
      switch (SSL_get_error(ssl_.get(), r)) {
        case SSL_ERROR_WANT_READ: events = POLLIN; break;
        case SSL_ERROR_WANT_WRITE: events = POLLOUT; break;
        default: *error = OpenSslError(); return false;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      pollfd p{fd_, events, 0};
      if (left.count() <= 0 || ::poll(&p, 1, static_cast<int>(left.count())) <= 0) {
        *error = "TLS handshake timed out";
        return false;
      }
    }
  }

  Io Read(char* buf, size_t cap, size_t* n) {
    if (ssl_) {
      ERR_clear_error();
      const int r = SSL_read_ex(ssl_.get(), buf, cap, n);
      return r == 1 ? Io::kDone : SslIo(r);
    }
    const ssize_t r = ::read(fd_, buf, cap);
    if (r > 0) {
      *n = static_cast<size_t>(r);
      return Io::kDone;
    }
    if (r == 0) return Io::kClosed;
    return errno == EAGAIN || errno == EINTR ? Io::kWantRead : Io::kError;
  }

  Io Write(const char* data, size_t len, size_t* n) {
    if (ssl_) {
      ERR_clear_error();
      const int r = SSL_write_ex(ssl_.get(), data, len, n);
      return r == 1 ? Io::kDone : SslIo(r);
    }
    const ssize_t r = ::send(fd_, data, len, MSG_NOSIGNAL);
    if (r >= 0) {
      *n = static_cast<size_t>(r);
      return Io::kDone;
    }
    return errno == EAGAIN || errno == EINTR ? Io::kWantWrite : Io::kError;
  }

 private:
  Io SslIo(int r) {
    switch (SSL_get_error(ssl_.get(), r)) {
      case SSL_ERROR_WANT_READ: return Io::kWantRead;
      case SSL_ERROR_WANT_WRITE: return Io::kWantWrite;
      case SSL_ERROR_ZERO_RETURN: return Io::kClosed;
      default: return Io::kError;
    }
  }

  int fd_;
  SslPtr ssl_;
};

}  // namespace

// ---- TLS context -------------------------------------------------------------------

struct TlsContext::Impl {
  std::string pinned;  // the client certificate's DER
  SslCtxPtr ctx;
};

TlsContext::TlsContext(std::string client_cert_der) : impl_(std::make_unique<Impl>()) {
  impl_->pinned = std::move(client_cert_der);
  SslCtxPtr ctx(SSL_CTX_new(TLS_server_method()));
  if (!ctx) throw std::runtime_error("TLS context: " + OpenSslError());
  SSL_CTX_set_min_proto_version(ctx.get(), TLS1_2_VERSION);  // as go-plugin's client
  SSL_CTX_set_options(ctx.get(), SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION);
  SSL_CTX_set_mode(ctx.get(), SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER);
  SSL_CTX_set_num_tickets(ctx.get(), 0);  // one connection per run: no resumption
  SSL_CTX_set_verify(ctx.get(), SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, nullptr);
  SSL_CTX_set_cert_verify_callback(ctx.get(), VerifyPinnedClientCertificate, &impl_->pinned);
  SSL_CTX_set_alpn_select_cb(ctx.get(), SelectAlpn, nullptr);
  impl_->ctx = std::move(ctx);
}

TlsContext::~TlsContext() = default;

void TlsContext::UseCertificate(X509* cert, EVP_PKEY* key) {
  SSL_CTX* ctx = impl_->ctx.get();
  if (cert == nullptr || SSL_CTX_use_certificate(ctx, cert) != 1) {
    throw std::runtime_error("TLS certificate: " + OpenSslError());
  }
  if (key == nullptr || SSL_CTX_use_PrivateKey(ctx, key) != 1 ||
      SSL_CTX_check_private_key(ctx) != 1) {
    throw std::runtime_error("TLS private key: " + OpenSslError());
  }
}

// ---- server-wide state -----------------------------------------------------------------

class Connection;

struct Server::State {
  const Router* router = nullptr;
  ServerOptions options;
  SSL_CTX* tls = nullptr;  // options.tls's context, or null for plaintext

  std::mutex mu;
  std::condition_variable idle;  // signalled when a connection or a call ends
  std::list<std::weak_ptr<Connection>> connections;
  int open_connections = 0;
  int running_calls = 0;
  bool draining = false;

  void Ended(int State::*counter) {
    std::lock_guard<std::mutex> lock(mu);
    --(this->*counter);
    idle.notify_all();
  }
};

namespace {

// One HTTP/2 stream = one call. The request side is only touched by the connection
// thread; the response side is guarded by the connection's mutex because the call's
// handler thread fills it.
struct Stream {
  int32_t id = 0;
  std::string path;
  bool grpc_content_type = false;
  std::string body;  // the request's DATA: gRPC length-prefixed messages
  bool too_large = false;
  bool dispatched = false;

  std::string out;  // framed response messages not yet handed to nghttp2
  size_t out_pos = 0;
  bool finished = false;  // the handler returned `status`
  Status status;
  bool queued = false;  // in the connection's list of streams with news
  bool response_started = false;
  std::atomic<bool> closed{false};  // the HTTP/2 stream is gone (done, reset, connection lost)
};

}  // namespace

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(std::shared_ptr<Server::State> state, std::unique_ptr<Transport> transport)
      : state_(std::move(state)), transport_(std::move(transport)) {
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  }
  ~Connection() {
    if (session_) nghttp2_session_del(session_);
    if (wake_fd_ >= 0) ::close(wake_fd_);
  }

  void Run();
  const std::shared_ptr<Server::State>& state() const { return state_; }

  // From handler threads.
  bool Append(const std::shared_ptr<Stream>& s, std::string_view message);
  void Finish(const std::shared_ptr<Stream>& s, Status status);
  // From the server.
  void Drain() { Signal(&drain_); }
  void Close() { Signal(&force_close_); }
  // For testing::ServeConnectionBytes: when the client closes its sending side, finish the
  // calls already dispatched and send their answers before closing, instead of at once.
  void FinishCallsAfterClientEof() { finish_after_eof_ = true; }
  // A handler thread of this connection starts or ends.
  void CallStarted() { calls_running_.fetch_add(1); }
  void CallEnded() {
    calls_running_.fetch_sub(1);
    Wake();
  }

 private:
  void Signal(std::atomic<bool>* flag) {
    flag->store(true);
    Wake();
  }
  void Wake() {
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof one);
  }
  void QueueLocked(const std::shared_ptr<Stream>& s) {
    if (s->queued) return;
    s->queued = true;
    news_.push_back(s);
    Wake();
  }

  bool Setup();
  void Loop();
  void Dispatch(const std::shared_ptr<Stream>& s);
  void SubmitNews();
  bool CallsDone();
  void SubmitTrailersOnly(Stream& s);

  // nghttp2 callbacks.
  static int OnBeginHeaders(nghttp2_session*, const nghttp2_frame*, void*);
  static int OnHeader(nghttp2_session*, const nghttp2_frame*, const uint8_t*, size_t,
                      const uint8_t*, size_t, uint8_t, void*);
  static int OnDataChunk(nghttp2_session*, uint8_t, int32_t, const uint8_t*, size_t, void*);
  static int OnFrameRecv(nghttp2_session*, const nghttp2_frame*, void*);
  static int OnStreamClose(nghttp2_session*, int32_t, uint32_t, void*);
  static ssize_t ReadResponse(nghttp2_session*, int32_t, uint8_t*, size_t, uint32_t*,
                              nghttp2_data_source*, void*);

  std::shared_ptr<Server::State> state_;
  std::unique_ptr<Transport> transport_;
  int wake_fd_ = -1;
  nghttp2_session* session_ = nullptr;
  std::map<int32_t, std::shared_ptr<Stream>> streams_;  // connection thread only
  std::atomic<bool> drain_{false};
  std::atomic<bool> force_close_{false};
  bool goaway_sent_ = false;
  bool terminated_ = false;
  bool finish_after_eof_ = false;
  bool input_closed_ = false;  // the client closed its side (only with finish_after_eof_)
  std::atomic<int> calls_running_{0};

  std::mutex mu_;  // guards the response side of every Stream, and news_
  std::vector<std::shared_ptr<Stream>> news_;
};

namespace {

// The last thing a connection or call thread does: drop its reference to the connection
// (closing it when that was the last one), free this thread's OpenSSL state (its random
// generator, made by the TLS handshake or a Jira call), and only then report the thread
// done. Shutdown waits for that report, and the process may exit right after it: nothing
// may be left for the thread to free.
void ThreadDone(std::shared_ptr<Connection> conn, int Server::State::*counter) {
  const std::shared_ptr<Server::State> state = conn->state();
  conn.reset();
  OPENSSL_thread_stop();
  state->Ended(counter);
}

// The Call a handler sees.
class StreamCall final : public Call {
 public:
  StreamCall(std::shared_ptr<Connection> conn, std::shared_ptr<Stream> stream,
             std::vector<std::string> requests)
      : conn_(std::move(conn)), stream_(std::move(stream)), requests_(std::move(requests)) {}
  const std::vector<std::string>& requests() const override { return requests_; }
  bool Write(std::string message) override { return conn_->Append(stream_, message); }
  bool IsCancelled() const override { return stream_->closed.load(); }

 private:
  std::shared_ptr<Connection> conn_;
  std::shared_ptr<Stream> stream_;
  std::vector<std::string> requests_;
};

std::string_view View(const uint8_t* p, size_t n) { return {reinterpret_cast<const char*>(p), n}; }

nghttp2_nv Header(std::string_view name, std::string_view value) {
  return nghttp2_nv{reinterpret_cast<uint8_t*>(const_cast<char*>(name.data())),
                    reinterpret_cast<uint8_t*>(const_cast<char*>(value.data())), name.size(),
                    value.size(), NGHTTP2_NV_FLAG_NONE};
}

}  // namespace

bool Connection::Append(const std::shared_ptr<Stream>& s, std::string_view message) {
  std::lock_guard<std::mutex> lock(mu_);
  if (s->closed.load() || s->finished) return false;
  wire::AppendFramed(message, &s->out);
  QueueLocked(s);
  return true;
}

void Connection::Finish(const std::shared_ptr<Stream>& s, Status status) {
  std::lock_guard<std::mutex> lock(mu_);
  if (s->finished) return;
  s->finished = true;
  s->status = std::move(status);
  QueueLocked(s);
}

bool Connection::Setup() {
  nghttp2_session_callbacks* cb = nullptr;
  if (nghttp2_session_callbacks_new(&cb) != 0) return false;
  nghttp2_session_callbacks_set_on_begin_headers_callback(cb, OnBeginHeaders);
  nghttp2_session_callbacks_set_on_header_callback(cb, OnHeader);
  nghttp2_session_callbacks_set_on_data_chunk_recv_callback(cb, OnDataChunk);
  nghttp2_session_callbacks_set_on_frame_recv_callback(cb, OnFrameRecv);
  nghttp2_session_callbacks_set_on_stream_close_callback(cb, OnStreamClose);
  const int rv = nghttp2_session_server_new(&session_, cb, this);
  nghttp2_session_callbacks_del(cb);
  if (rv != 0) return false;
  const nghttp2_settings_entry settings[] = {
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, kMaxConcurrentStreams},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, kStreamWindow},
  };
  return nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings, 2) == 0 &&
         nghttp2_session_set_local_window_size(session_, NGHTTP2_FLAG_NONE, 0,
                                               kConnectionWindow) == 0;
}

void Connection::Run() {
  std::string error;
  if (wake_fd_ < 0 || !transport_->Handshake(state_->options.tls_handshake_timeout, &error)) {
    tf::log::Debug("plugin connection refused", {{"error", error}});
    return;
  }
  if (!Setup()) {
    tf::log::Warn("cannot set up an HTTP/2 session");
    return;
  }
  Loop();
  // Whatever is still open is cut off: its handler sees IsCancelled() and failing writes.
  for (const auto& [id, s] : streams_) s->closed.store(true);
  streams_.clear();
  transport_.reset();  // close the socket now, not when the last handler thread lets go
}

void Connection::Loop() {
  std::string output;
  char input[16 << 10];
  for (;;) {
    SubmitNews();
    if (drain_.load() && !goaway_sent_) {
      // Refuse streams the client has not opened yet; let the open ones finish.
      nghttp2_submit_goaway(session_, NGHTTP2_FLAG_NONE,
                            nghttp2_session_get_last_proc_stream_id(session_), NGHTTP2_NO_ERROR,
                            nullptr, 0);
      goaway_sent_ = true;
    }
    if (goaway_sent_ && streams_.empty() && !terminated_) {
      nghttp2_session_terminate_session(session_, NGHTTP2_NO_ERROR);
      terminated_ = true;
    }

    while (output.size() < kOutputHighWater) {
      const uint8_t* data = nullptr;
      const ssize_t n = nghttp2_session_mem_send(session_, &data);
      if (n < 0) return;
      if (n == 0) break;
      output.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
    }
    bool want_out = false;
    while (!output.empty()) {
      size_t n = 0;
      const Io io = transport_->Write(output.data(), output.size(), &n);
      if (io == Io::kDone) {
        output.erase(0, n);
      } else if (io == Io::kWantWrite) {
        want_out = true;
        break;
      } else if (io == Io::kWantRead) {
        break;
      } else {
        return;
      }
    }
    if (output.empty() && !nghttp2_session_want_read(session_) &&
        !nghttp2_session_want_write(session_)) {
      return;  // both sides are done (GOAWAY exchanged, or the client went away)
    }
    if (input_closed_ && output.empty() && CallsDone()) return;

    // Once the client's side is closed the socket only matters for writing.
    const short socket_events = static_cast<short>((input_closed_ ? 0 : POLLIN) |
                                                   (want_out ? POLLOUT : 0));
    pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {transport_->fd(), socket_events, 0}};
    if (::poll(fds, socket_events != 0 ? 2 : 1, -1) < 0 && errno != EINTR) return;
    if (force_close_.load()) return;
    if (fds[0].revents & POLLIN) {
      uint64_t count = 0;
      [[maybe_unused]] const ssize_t n = ::read(wake_fd_, &count, sizeof count);
    }
    if (!input_closed_ && (fds[1].revents & (POLLIN | POLLHUP | POLLERR))) {
      for (;;) {  // read until the socket (and TLS's buffer) is empty
        size_t n = 0;
        const Io io = transport_->Read(input, sizeof input, &n);
        if (io == Io::kDone) {
          if (nghttp2_session_mem_recv(session_, reinterpret_cast<uint8_t*>(input), n) < 0) return;
          continue;
        }
        if (io == Io::kWantRead || io == Io::kWantWrite) break;
        if (io == Io::kClosed && finish_after_eof_) {
          input_closed_ = true;
          break;
        }
        return;  // closed or broken
      }
    }
  }
}

// True when no handler of this connection runs and every answer has gone to nghttp2 and
// out of it.
bool Connection::CallsDone() {
  if (calls_running_.load() != 0) return false;  // read first: a call ends after its Finish
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!news_.empty()) return false;
  }
  return !nghttp2_session_want_write(session_);
}

// Hands nghttp2 the responses that handler threads have added to.
void Connection::SubmitNews() {
  std::vector<std::shared_ptr<Stream>> news;
  {
    std::lock_guard<std::mutex> lock(mu_);
    news.swap(news_);
    for (const auto& s : news) s->queued = false;
  }
  for (const auto& s : news) {
    if (s->closed.load()) continue;
    if (s->response_started) {
      nghttp2_session_resume_data(session_, s->id);
      continue;
    }
    bool trailers_only = false;
    {
      std::lock_guard<std::mutex> lock(mu_);
      trailers_only = s->finished && s->out_pos == s->out.size();
    }
    s->response_started = true;
    if (trailers_only) {
      SubmitTrailersOnly(*s);
      continue;
    }
    const nghttp2_nv headers[] = {Header(":status", "200"),
                                  Header("content-type", "application/grpc")};
    nghttp2_data_provider provider{};
    provider.source.ptr = s.get();
    provider.read_callback = ReadResponse;
    nghttp2_submit_response(session_, s->id, headers, 2, &provider);
  }
}

// A call that ends without a message: status in the headers, which end the stream.
void Connection::SubmitTrailersOnly(Stream& s) {
  const std::string code = std::to_string(static_cast<int>(s.status.code()));
  const std::string message = wire::PercentEncodeMessage(s.status.message());
  std::vector<nghttp2_nv> headers = {Header(":status", "200"),
                                     Header("content-type", "application/grpc"),
                                     Header("grpc-status", code)};
  if (!message.empty()) headers.push_back(Header("grpc-message", message));
  nghttp2_submit_response(session_, s.id, headers.data(), headers.size(), nullptr);
}

ssize_t Connection::ReadResponse(nghttp2_session* session, int32_t stream_id, uint8_t* buf,
                                 size_t length, uint32_t* flags, nghttp2_data_source* source,
                                 void* user) {
  auto* self = static_cast<Connection*>(user);
  auto* s = static_cast<Stream*>(source->ptr);
  std::lock_guard<std::mutex> lock(self->mu_);
  const size_t available = s->out.size() - s->out_pos;
  if (available > 0) {
    const size_t n = std::min(length, available);
    std::memcpy(buf, s->out.data() + s->out_pos, n);
    s->out_pos += n;
    if (s->out_pos == s->out.size()) {
      s->out.clear();
      s->out_pos = 0;
    }
    return static_cast<ssize_t>(n);
  }
  if (!s->finished) return NGHTTP2_ERR_DEFERRED;  // resumed when the handler writes again
  *flags |= NGHTTP2_DATA_FLAG_EOF | NGHTTP2_DATA_FLAG_NO_END_STREAM;
  const std::string code = std::to_string(static_cast<int>(s->status.code()));
  const std::string message = wire::PercentEncodeMessage(s->status.message());
  std::vector<nghttp2_nv> trailers = {Header("grpc-status", code)};
  if (!message.empty()) trailers.push_back(Header("grpc-message", message));
  if (nghttp2_submit_trailer(session, stream_id, trailers.data(), trailers.size()) != 0) {
    return NGHTTP2_ERR_CALLBACK_FAILURE;
  }
  return 0;
}

int Connection::OnBeginHeaders(nghttp2_session* session, const nghttp2_frame* frame, void* user) {
  if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
  auto* self = static_cast<Connection*>(user);
  auto s = std::make_shared<Stream>();
  s->id = frame->hd.stream_id;
  self->streams_[s->id] = s;
  nghttp2_session_set_stream_user_data(session, s->id, s.get());
  return 0;
}

int Connection::OnHeader(nghttp2_session* session, const nghttp2_frame* frame,
                         const uint8_t* name, size_t namelen, const uint8_t* value,
                         size_t valuelen, uint8_t, void*) {
  if (frame->hd.type != NGHTTP2_HEADERS) return 0;
  auto* s = static_cast<Stream*>(nghttp2_session_get_stream_user_data(session, frame->hd.stream_id));
  if (s == nullptr) return 0;
  const std::string_view n = View(name, namelen);
  const std::string_view v = View(value, valuelen);
  if (n == ":path") {
    s->path.assign(v);
  } else if (n == "content-type") {
    // "application/grpc", optionally "+proto" or ";params" (PROTOCOL-HTTP2.md).
    s->grpc_content_type = v == "application/grpc" || v.starts_with("application/grpc+") ||
                           v.starts_with("application/grpc;");
  }
  return 0;
}

int Connection::OnDataChunk(nghttp2_session* session, uint8_t, int32_t stream_id,
                            const uint8_t* data, size_t len, void* user) {
  auto* self = static_cast<Connection*>(user);
  auto* s = static_cast<Stream*>(nghttp2_session_get_stream_user_data(session, stream_id));
  if (s == nullptr || s->too_large) return 0;
  // One message may be max_message_bytes, plus the 5-byte prefixes of a few messages.
  if (s->body.size() + len > self->state_->options.max_message_bytes + 1024) {
    s->too_large = true;
    s->body.clear();
    s->body.shrink_to_fit();
    return 0;
  }
  s->body.append(reinterpret_cast<const char*>(data), len);
  return 0;
}

int Connection::OnFrameRecv(nghttp2_session*, const nghttp2_frame* frame, void* user) {
  if ((frame->hd.type != NGHTTP2_HEADERS && frame->hd.type != NGHTTP2_DATA) ||
      (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) == 0) {
    return 0;
  }
  auto* self = static_cast<Connection*>(user);
  const auto it = self->streams_.find(frame->hd.stream_id);
  if (it != self->streams_.end()) self->Dispatch(it->second);
  return 0;
}

int Connection::OnStreamClose(nghttp2_session*, int32_t stream_id, uint32_t, void* user) {
  auto* self = static_cast<Connection*>(user);
  const auto it = self->streams_.find(stream_id);
  if (it == self->streams_.end()) return 0;
  it->second->closed.store(true);  // a running handler now sees IsCancelled()
  self->streams_.erase(it);
  return 0;
}

// The client has sent everything: check the request, then run the method on its own
// thread (calls block on Jira; StopProvider must get through while others run).
void Connection::Dispatch(const std::shared_ptr<Stream>& s) {
  if (s->dispatched) return;
  s->dispatched = true;
  const ServerOptions& options = state_->options;
  if (!s->grpc_content_type) {
    return Finish(s, {StatusCode::kUnknown, "content-type is not application/grpc"});
  }
  if (s->too_large) {
    return Finish(s, {StatusCode::kResourceExhausted, "request larger than " +
                                                             std::to_string(options.max_message_bytes) +
                                                             " bytes"});
  }
  std::vector<std::string> requests;
  const std::string error = wire::SplitFramed(s->body, options.max_message_bytes, &requests);
  s->body.clear();
  s->body.shrink_to_fit();
  if (!error.empty()) {
    return Finish(s, {error.starts_with("compressed") ? StatusCode::kUnimplemented
                                                         : StatusCode::kInternal,
                         error});
  }
  const Handler* handler = state_->router->Find(s->path);
  if (handler == nullptr) {
    return Finish(s, {StatusCode::kUnimplemented, "unknown method " + s->path});
  }
  {
    std::lock_guard<std::mutex> lock(state_->mu);
    ++state_->running_calls;
  }
  CallStarted();
  try {
    std::thread([conn = shared_from_this(), s, handler, requests = std::move(requests)]() mutable {
      Status status;
      {
        StreamCall call(conn, s, std::move(requests));
        try {
          status = (*handler)(call);
        } catch (const std::exception& e) {
          status = Status(StatusCode::kInternal, e.what());
        } catch (...) {
          status = Status(StatusCode::kInternal, "unexpected exception");
        }
      }
      conn->Finish(s, std::move(status));
      conn->CallEnded();
      ThreadDone(std::move(conn), &Server::State::running_calls);
    }).detach();
  } catch (const std::system_error&) {
    CallEnded();
    state_->Ended(&Server::State::running_calls);
    Finish(s, {StatusCode::kResourceExhausted, "cannot start a thread for the call"});
  }
}

// ---- Server ----------------------------------------------------------------------------

Server::Server(const Router& router, ServerOptions options) : state_(std::make_shared<State>()) {
  state_->router = &router;
  state_->options = std::move(options);
  if (state_->options.tls) state_->tls = state_->options.tls->impl().ctx.get();
}

Server::~Server() {
  // Connection and call threads hold the state until their last step (ThreadDone). Give
  // them a moment to let go, so that it is freed here and not on a thread that races the
  // process's exit. Threads still running a handler keep it alive, which is safe.
  for (int i = 0; i < 1000 && state_.use_count() > 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
}

void Server::Serve(int listen_fd, int wake_fd, const std::function<bool()>& should_stop) {
  const int flags = ::fcntl(listen_fd, F_GETFL);
  ::fcntl(listen_fd, F_SETFL, flags | O_NONBLOCK);
  for (;;) {
    pollfd fds[2] = {{listen_fd, POLLIN, 0}, {wake_fd, POLLIN, 0}};
    const int ready = ::poll(fds, wake_fd >= 0 ? 2 : 1, 1000);
    if (should_stop()) return;
    if (ready <= 0 || (fds[0].revents & POLLIN) == 0) continue;
    for (;;) {
      const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (fd < 0) break;  // EAGAIN: all taken; other errors: the next poll retries
      SslPtr ssl;
      if (state_->tls) {
        ssl.reset(SSL_new(state_->tls));
        if (!ssl || SSL_set_fd(ssl.get(), fd) != 1) {
          ::close(fd);
          continue;
        }
      }
      auto conn = std::make_shared<Connection>(state_,
                                               std::make_unique<Transport>(fd, std::move(ssl)));
      {
        std::lock_guard<std::mutex> lock(state_->mu);
        ++state_->open_connections;
        state_->connections.remove_if([](const auto& w) { return w.expired(); });
        state_->connections.push_back(conn);
      }
      try {
        std::thread([conn]() mutable {
          conn->Run();
          ThreadDone(std::move(conn), &State::open_connections);
        }).detach();
      } catch (const std::system_error&) {
        state_->Ended(&State::open_connections);
      }
    }
  }
}

bool Server::Shutdown(std::chrono::milliseconds grace) {
  std::unique_lock<std::mutex> lock(state_->mu);
  state_->draining = true;
  for (const auto& w : state_->connections) {
    if (auto c = w.lock()) c->Drain();
  }
  const auto done = [&] { return state_->open_connections == 0 && state_->running_calls == 0; };
  if (state_->idle.wait_for(lock, grace, done)) return true;
  for (const auto& w : state_->connections) {
    if (auto c = w.lock()) c->Close();
  }
  state_->idle.wait_for(lock, std::chrono::milliseconds(200), done);
  return done();
}

// ---- test hooks ------------------------------------------------------------------------

namespace testing {

std::string ServeConnectionBytes(const Router& router, std::string_view input,
                                 const ServerOptions& options) {
  int fds[2];
  if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds) != 0) {
    throw std::runtime_error(std::string("socketpair: ") + std::strerror(errno));
  }
  auto state = std::make_shared<Server::State>();
  state->router = &router;
  state->options = options;
  state->options.tls.reset();
  auto conn = std::make_shared<Connection>(state, std::make_unique<Transport>(fds[0], nullptr));
  conn->FinishCallsAfterClientEof();
  {
    std::lock_guard<std::mutex> lock(state->mu);
    ++state->open_connections;
  }
  std::thread server([conn = std::move(conn)]() mutable {
    conn->Run();
    ThreadDone(std::move(conn), &Server::State::open_connections);
  });

  // The client: write the input while reading what comes back (either side may block on
  // the other), then read until the server closes the connection.
  const int client = fds[1];
  std::string output;
  size_t sent = 0;
  bool sending = true;
  char buf[16 << 10];
  for (;;) {
    if (sending && sent == input.size()) {
      ::shutdown(client, SHUT_WR);
      sending = false;
    }
    pollfd p{client, static_cast<short>(POLLIN | (sending ? POLLOUT : 0)), 0};
    if (::poll(&p, 1, -1) < 0 && errno != EINTR) break;
    if (sending && (p.revents & POLLOUT)) {
      const ssize_t n = ::send(client, input.data() + sent, input.size() - sent, MSG_NOSIGNAL);
      if (n > 0) {
        sent += static_cast<size_t>(n);
      } else if (n < 0 && errno != EAGAIN && errno != EINTR) {
        sent = input.size();  // the server has closed: nothing more will be read
      }
    }
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) {
      const ssize_t n = ::read(client, buf, sizeof buf);
      if (n > 0) {
        output.append(buf, static_cast<size_t>(n));
      } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
        break;  // the server closed the connection
      }
    }
  }
  server.join();
  ::close(client);
  // Handler threads report themselves done last; wait for all of them.
  std::unique_lock<std::mutex> lock(state->mu);
  state->idle.wait(lock, [&] { return state->open_connections == 0 && state->running_calls == 0; });
  return output;
}

}  // namespace testing

}  // namespace tfj::rpc
