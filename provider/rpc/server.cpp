// How it runs. Server::Serve accepts on the caller's thread. Each connection gets a thread
// that owns its socket, TLS session and nghttp2 session and loops: hand nghttp2 what the
// calls produced, write, poll (socket + an eventfd for wake-ups), read. A request is
// checked when its headers arrive (method, content-type, path, grpc-timeout) and its DATA
// is split into messages as it comes, so anything wrong is answered at once. A request
// whose stream has ended goes to a handler thread (at most max_concurrent_calls, the rest
// wait in line), which runs the handler and queues the framed answer on its Stream under
// the connection's mutex, then wakes the connection thread. Streams, request bodies and
// nghttp2 are touched by the connection thread only. A connection grants the client
// flow-control window only while it holds less than max_connection_buffer_bytes.
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
#include <deque>
#include <optional>
#include <cstring>
#include <list>
#include <map>
#include <mutex>
#include <stdexcept>
#include <chrono>
#include <thread>
#include <vector>

#include "provider/core/log.h"
#include "provider/rpc/limits.h"
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
// Shared with provider/rpc_grpc (limits.h).
using limits::kMaxConcurrentStreams;
using limits::kMaxHeaderListBytes;
using limits::kMaxStatusMessageBytes;
// How long a connection that ended cleanly waits for the client to close its side.
constexpr std::chrono::milliseconds kLingerLimit{500};

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
    if (!write_closed_ && ssl_) SSL_shutdown(ssl_.get());  // best effort close_notify
    ::close(fd_);
  }
  int fd() const { return fd_; }

  // Ends our sending side (close_notify, then FIN) and reads, discarding, until the client
  // closes or `limit` passes: the "lingering close" of HTTP servers. Closing at once would
  // make the client's next write (a WINDOW_UPDATE, a PING ack) fail with EPIPE or a reset,
  // and a client that sees that failure before it has read our last frames loses them: a
  // go-plugin host saw "Broken pipe" instead of the answer to GRPCController.Shutdown.
  void LingeringClose(std::chrono::milliseconds limit) {
    if (ssl_) SSL_shutdown(ssl_.get());
    write_closed_ = true;
    ::shutdown(fd_, SHUT_WR);
    const auto deadline = Clock::now() + limit;
    char discard[4096];
    for (;;) {
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) return;
      pollfd p{fd_, POLLIN, 0};
      const int r = ::poll(&p, 1, static_cast<int>(left.count()));
      if (r < 0 && errno == EINTR) continue;
      if (r <= 0) return;
      const ssize_t n = ::read(fd_, discard, sizeof discard);
      if (n > 0 || (n < 0 && (errno == EINTR || errno == EAGAIN))) continue;
      return;  // the client closed too (or the socket broke)
    }
  }

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
  bool write_closed_ = false;
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
  std::condition_variable idle;  // signalled when a connection, call or worker ends
  std::list<std::weak_ptr<Connection>> connections;
  int open_connections = 0;
  int running_calls = 0;  // accepted calls, waiting or running
  int workers = 0;        // handler threads taking calls
  int exiting_workers = 0;  // handler threads that took their last call
  std::deque<std::function<void()>> waiting_calls;
  bool draining = false;

  void Ended(int State::*counter) {
    std::lock_guard<std::mutex> lock(mu);
    --(this->*counter);
    idle.notify_all();
  }
  bool IdleLocked() const {
    return open_connections == 0 && running_calls == 0 && workers == 0 && exiting_workers == 0;
  }

  // Runs `call` on a handler thread: a new one while fewer than max_concurrent_calls run,
  // else the first thread to finish its call takes it. False when no thread can start.
  bool Run(std::shared_ptr<State> self, std::function<void()> call);
};

namespace {

void WorkerLoop(std::shared_ptr<Server::State> state, std::function<void()> call) {
  for (;;) {
    call();
    call = nullptr;  // drop the call's connection before the call is reported done
    std::lock_guard<std::mutex> lock(state->mu);
    --state->running_calls;
    state->idle.notify_all();
    if (state->waiting_calls.empty()) {
      --state->workers;
      ++state->exiting_workers;
      break;
    }
    call = std::move(state->waiting_calls.front());
    state->waiting_calls.pop_front();
  }
  // Free this thread's OpenSSL state (its random generator, made by a Jira call) before
  // reporting the thread gone: Shutdown waits for that, and the process may exit next.
  OPENSSL_thread_stop();
  state->Ended(&Server::State::exiting_workers);
}

}  // namespace

bool Server::State::Run(std::shared_ptr<State> self, std::function<void()> call) {
  std::lock_guard<std::mutex> lock(mu);
  ++running_calls;
  if (workers >= std::max(1, options.max_concurrent_calls)) {
    waiting_calls.push_back(std::move(call));
    return true;
  }
  ++workers;
  try {
    std::thread(WorkerLoop, std::move(self), std::move(call)).detach();
    return true;
  } catch (const std::system_error&) {
    --workers;
    --running_calls;
    idle.notify_all();
    return false;
  }
}

namespace {

// One HTTP/2 stream = one call. The request side is only touched by the connection
// thread; the response side is guarded by the connection's mutex because the call's
// handler thread fills it.
struct Stream {
  int32_t id = 0;
  // ---- request side (connection thread)
  std::string method;  // :method
  std::string path;
  bool grpc_content_type = false;
  std::string timeout;  // grpc-timeout, as sent
  size_t header_bytes = 0;  // as SETTINGS_MAX_HEADER_LIST_SIZE counts them
  const Method* target = nullptr;  // looked up when the headers are complete
  std::string partial;  // bytes of the request message being received, prefix included
  std::vector<std::string> messages;  // complete request messages
  size_t buffered = 0;    // partial + messages: counted in the connection's buffered_
  size_t unconsumed = 0;  // DATA bytes whose flow-control window is not granted back yet
  bool answered = false;  // answered or dispatched: further request DATA is dropped
  bool stop_client = false;  // answered early: reset the stream once the answer is sent
  bool dispatched = false;
  std::optional<Clock::time_point> deadline;  // from grpc-timeout

  // ---- response side (the connection's mutex)
  std::string out;  // framed response messages not yet handed to nghttp2
  size_t out_pos = 0;
  bool finished = false;  // the handler returned `status`
  Status status;
  bool queued = false;  // in the connection's list of streams with news
  bool response_started = false;
  std::atomic<bool> closed{false};     // the HTTP/2 stream is gone (done, reset, connection lost)
  std::atomic<bool> cancelled{false};  // the deadline passed: the handler should stop
};

}  // namespace

class Connection : public std::enable_shared_from_this<Connection> {
 public:
  Connection(std::shared_ptr<Server::State> state, std::unique_ptr<Transport> transport)
      : state_(std::move(state)), transport_(std::move(transport)) {
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    const ServerOptions& o = state_->options;
    // One message (and its prefix, and a DATA frame's worth of the next) always fits.
    buffer_limit_ = std::max(o.max_connection_buffer_bytes, o.max_message_bytes + (64 << 10));
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
  // A call of this connection ended; it held `request_bytes` of request messages.
  void CallEnded(size_t request_bytes) {
    held_by_calls_.fetch_sub(request_bytes);
    calls_running_.fetch_sub(1);
    Wake();
  }
  // From the server.
  void Drain() { Signal(&drain_); }
  void Close() { Signal(&force_close_); }
  // For testing::ServeConnectionBytes: when the client closes its sending side, finish the
  // calls already dispatched and send their answers before closing, instead of at once.
  void FinishCallsAfterClientEof() { finish_after_eof_ = true; }

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
  bool CallsDone();
  void SubmitNews();
  void SubmitTrailersOnly(Stream& s);

  // Request side, connection thread.
  void HeadersComplete(const std::shared_ptr<Stream>& s, bool end_stream);
  void Receive(const std::shared_ptr<Stream>& s, std::string_view data);
  void Dispatch(const std::shared_ptr<Stream>& s);
  void Answer(Stream& s, Status status);
  void AnswerHttp(Stream& s, std::string_view http_status);
  void EndRequestSide(Stream& s);
  void Release(Stream& s, bool stream_open);
  void Regrant();
  int ExpireDeadlines();  // returns the poll timeout until the next deadline, or -1

  // nghttp2 callbacks.
  static int OnBeginHeaders(nghttp2_session*, const nghttp2_frame*, void*);
  static int OnHeader(nghttp2_session*, const nghttp2_frame*, const uint8_t*, size_t,
                      const uint8_t*, size_t, uint8_t, void*);
  static int OnDataChunk(nghttp2_session*, uint8_t, int32_t, const uint8_t*, size_t, void*);
  static int OnFrameRecv(nghttp2_session*, const nghttp2_frame*, void*);
  static int OnFrameNotSend(nghttp2_session*, const nghttp2_frame*, int, void*);
  static int OnFrameSend(nghttp2_session*, const nghttp2_frame*, void*);
  static int OnStreamClose(nghttp2_session*, int32_t, uint32_t, void*);
  static ssize_t ReadResponse(nghttp2_session*, int32_t, uint8_t*, size_t, uint32_t*,
                              nghttp2_data_source*, void*);

  std::shared_ptr<Stream> Find(int32_t id) const {
    const auto it = streams_.find(id);
    return it == streams_.end() ? nullptr : it->second;
  }

  std::shared_ptr<Server::State> state_;
  std::unique_ptr<Transport> transport_;
  int wake_fd_ = -1;
  nghttp2_session* session_ = nullptr;
  std::map<int32_t, std::shared_ptr<Stream>> streams_;  // connection thread only
  std::atomic<bool> drain_{false};
  bool ended_gracefully_ = false;  // Loop ended with both sides done: linger before closing
  std::atomic<bool> force_close_{false};
  bool goaway_sent_ = false;   // queued in nghttp2, perhaps not written yet
  int32_t goaway_last_id_ = 0;  // the last stream it admits
  bool terminated_ = false;
  bool finish_after_eof_ = false;
  bool input_closed_ = false;  // the client closed its side (only with finish_after_eof_)

  // Request memory: bytes being received (connection thread) and bytes handed to calls.
  size_t buffer_limit_ = 0;
  size_t buffered_ = 0;
  size_t unconsumed_ = 0;  // sum of the streams' unconsumed
  std::atomic<size_t> held_by_calls_{0};
  std::atomic<int> calls_running_{0};

  std::mutex mu_;  // guards the response side of every Stream, and news_
  std::vector<std::shared_ptr<Stream>> news_;
};

namespace {

// The last thing a connection thread does: drop its reference to the connection (closing
// it when that was the last one), free this thread's OpenSSL state (made by the TLS
// handshake), and only then report the thread done. Shutdown waits for that report, and
// the process may exit right after it: nothing may be left for the thread to free.
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
  bool IsCancelled() const override { return stream_->closed.load() || stream_->cancelled.load(); }

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
  nghttp2_session_callbacks_set_on_frame_not_send_callback(cb, OnFrameNotSend);
  nghttp2_session_callbacks_set_on_frame_send_callback(cb, OnFrameSend);
  nghttp2_session_callbacks_set_on_stream_close_callback(cb, OnStreamClose);
  nghttp2_option* opt = nullptr;
  if (nghttp2_option_new(&opt) != 0) {
    nghttp2_session_callbacks_del(cb);
    return false;
  }
  // We grant flow-control window ourselves, only for what we can hold (Regrant).
  nghttp2_option_set_no_auto_window_update(opt, 1);
  const int rv = nghttp2_session_server_new2(&session_, cb, this, opt);
  nghttp2_option_del(opt);
  nghttp2_session_callbacks_del(cb);
  if (rv != 0) return false;
  const nghttp2_settings_entry settings[] = {
      {NGHTTP2_SETTINGS_MAX_CONCURRENT_STREAMS, kMaxConcurrentStreams},
      {NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE, kStreamWindow},
      {NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE, kMaxHeaderListBytes},
  };
  return nghttp2_submit_settings(session_, NGHTTP2_FLAG_NONE, settings, 3) == 0 &&
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
  if (ended_gracefully_ && !force_close_.load()) transport_->LingeringClose(kLingerLimit);
  transport_.reset();  // close the socket now, not when the last handler thread lets go
}

void Connection::Loop() {
  // Bytes for the socket: output[output_pos..]. Compacted when the written part is most
  // of it, so a long-lived connection neither grows nor moves bytes on every write.
  std::string output;
  size_t output_pos = 0;
  char input[16 << 10];
  for (;;) {
    const int timeout_ms = ExpireDeadlines();
    SubmitNews();
    Regrant();
    if (drain_.load() && !goaway_sent_) {
      // Refuse streams the client has not opened yet; let the open ones finish. Until
      // the GOAWAY is written, streams beyond it are refused one by one (OnBeginHeaders).
      goaway_last_id_ = nghttp2_session_get_last_proc_stream_id(session_);
      nghttp2_submit_goaway(session_, NGHTTP2_FLAG_NONE, goaway_last_id_, NGHTTP2_NO_ERROR,
                            nullptr, 0);
      goaway_sent_ = true;
    }
    if (goaway_sent_ && streams_.empty() && !terminated_) {
      nghttp2_session_terminate_session(session_, NGHTTP2_NO_ERROR);
      terminated_ = true;
    }

    bool more = true;  // nghttp2 may have more than the high-water mark let us take
    while (output.size() - output_pos < kOutputHighWater) {
      const uint8_t* data = nullptr;
      const ssize_t n = nghttp2_session_mem_send(session_, &data);
      if (n < 0) return;
      if (n == 0) {
        more = false;
        break;
      }
      if (output_pos > 0 && output_pos >= output.size() / 2) {
        output.erase(0, output_pos);
        output_pos = 0;
      }
      output.append(reinterpret_cast<const char*>(data), static_cast<size_t>(n));
    }
    bool want_out = false;
    while (output_pos < output.size()) {
      size_t n = 0;
      const Io io = transport_->Write(output.data() + output_pos, output.size() - output_pos, &n);
      if (io == Io::kDone) {
        output_pos += n;
      } else if (io == Io::kWantWrite) {
        want_out = true;
        break;
      } else if (io == Io::kWantRead) {
        break;
      } else {
        return;
      }
    }
    if (output_pos == output.size()) {
      output.clear();
      output_pos = 0;
      if (more) continue;  // all written: take the rest from nghttp2 before waiting
    }
    if (output.empty() && !nghttp2_session_want_read(session_) &&
        !nghttp2_session_want_write(session_)) {
      ended_gracefully_ = true;
      return;  // both sides are done (GOAWAY exchanged, or the client went away)
    }
    if (input_closed_ && output.empty() && CallsDone()) return;

    // Once the client's side is closed the socket only matters for writing.
    const short socket_events = static_cast<short>((input_closed_ ? 0 : POLLIN) |
                                                   (want_out ? POLLOUT : 0));
    pollfd fds[2] = {{wake_fd_, POLLIN, 0}, {transport_->fd(), socket_events, 0}};
    if (::poll(fds, socket_events != 0 ? 2 : 1, timeout_ms) < 0 && errno != EINTR) return;
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
  const std::string message = wire::StatusMessage(s.status.message(), kMaxStatusMessageBytes);
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
  const std::string message = wire::StatusMessage(s->status.message(), kMaxStatusMessageBytes);
  std::vector<nghttp2_nv> trailers = {Header("grpc-status", code)};
  if (!message.empty()) trailers.push_back(Header("grpc-message", message));
  if (nghttp2_submit_trailer(session, stream_id, trailers.data(), trailers.size()) != 0) {
    return NGHTTP2_ERR_CALLBACK_FAILURE;
  }
  return 0;
}

// ---- the request side ------------------------------------------------------------------

int Connection::OnBeginHeaders(nghttp2_session* session, const nghttp2_frame* frame, void* user) {
  if (frame->hd.type != NGHTTP2_HEADERS || frame->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;
  auto* self = static_cast<Connection*>(user);
  const int32_t id = frame->hd.stream_id;
  if (self->goaway_sent_ && id > self->goaway_last_id_) {
    // Opened after our GOAWAY was queued: the GOAWAY says it was not processed, so it must
    // not run; REFUSED_STREAM tells the client it may retry it elsewhere (RFC 9113 8.7).
    nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, id, NGHTTP2_REFUSED_STREAM);
    return 0;
  }
  auto s = std::make_shared<Stream>();
  s->id = id;
  self->streams_[id] = s;
  nghttp2_session_set_stream_user_data(session, id, s.get());
  return 0;
}

int Connection::OnHeader(nghttp2_session* session, const nghttp2_frame* frame,
                         const uint8_t* name, size_t namelen, const uint8_t* value,
                         size_t valuelen, uint8_t, void*) {
  if (frame->hd.type != NGHTTP2_HEADERS) return 0;
  auto* s = static_cast<Stream*>(nghttp2_session_get_stream_user_data(session, frame->hd.stream_id));
  if (s == nullptr) return 0;
  // What we advertise in SETTINGS_MAX_HEADER_LIST_SIZE, counted as RFC 9113 6.5.2 does;
  // beyond it the stream is reset (nghttp2 answers a temporal failure with RST_STREAM).
  s->header_bytes += namelen + valuelen + 32;
  if (s->header_bytes > kMaxHeaderListBytes) return NGHTTP2_ERR_TEMPORAL_CALLBACK_FAILURE;
  if (frame->headers.cat != NGHTTP2_HCAT_REQUEST) return 0;  // trailers: nothing we use
  const std::string_view n = View(name, namelen);
  const std::string_view v = View(value, valuelen);
  if (n == ":path") {
    s->path.assign(v);
  } else if (n == ":method") {
    s->method.assign(v);
  } else if (n == "content-type") {
    // "application/grpc", optionally "+proto" or ";params" (PROTOCOL-HTTP2.md).
    s->grpc_content_type = v == "application/grpc" || v.starts_with("application/grpc+") ||
                           v.starts_with("application/grpc;");
  } else if (n == "grpc-timeout") {
    s->timeout.assign(v);
  }
  return 0;
}

int Connection::OnDataChunk(nghttp2_session* session, uint8_t, int32_t stream_id,
                            const uint8_t* data, size_t len, void* user) {
  auto* self = static_cast<Connection*>(user);
  const std::shared_ptr<Stream> s = self->Find(stream_id);
  if (s == nullptr || s->answered) {
    nghttp2_session_consume(session, stream_id, len);  // dropped: its window comes back
    return 0;
  }
  self->Receive(s, View(data, len));
  return 0;
}

int Connection::OnFrameRecv(nghttp2_session*, const nghttp2_frame* frame, void* user) {
  auto* self = static_cast<Connection*>(user);
  const bool end_stream = (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) != 0;
  const std::shared_ptr<Stream> s = self->Find(frame->hd.stream_id);
  if (s == nullptr || s->answered) return 0;
  if (frame->hd.type == NGHTTP2_HEADERS && frame->headers.cat == NGHTTP2_HCAT_REQUEST) {
    self->HeadersComplete(s, end_stream);
  } else if ((frame->hd.type == NGHTTP2_HEADERS || frame->hd.type == NGHTTP2_DATA) && end_stream) {
    self->Dispatch(s);
  }
  return 0;
}

// nghttp2 could not send a frame (a header block over the peer's limit, say): a stream
// left waiting for it would never end, so reset it.
int Connection::OnFrameNotSend(nghttp2_session* session, const nghttp2_frame* frame,
                               int lib_error, void*) {
  if (frame->hd.stream_id == 0 || lib_error == NGHTTP2_ERR_STREAM_CLOSED ||
      lib_error == NGHTTP2_ERR_STREAM_CLOSING || lib_error == NGHTTP2_ERR_SESSION_CLOSING) {
    return 0;
  }
  nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, frame->hd.stream_id,
                            NGHTTP2_INTERNAL_ERROR);
  return 0;
}

// An early answer has gone out while the client may still be sending its request: tell it
// to stop with RST_STREAM NO_ERROR (RFC 9113 8.1). Not sooner: nghttp2 drops the frames
// of a stream it is resetting, the answer included.
int Connection::OnFrameSend(nghttp2_session* session, const nghttp2_frame* frame, void* user) {
  if (frame->hd.type != NGHTTP2_HEADERS || (frame->hd.flags & NGHTTP2_FLAG_END_STREAM) == 0) {
    return 0;
  }
  auto* self = static_cast<Connection*>(user);
  const std::shared_ptr<Stream> s = self->Find(frame->hd.stream_id);
  if (s != nullptr && s->stop_client &&
      nghttp2_session_get_stream_remote_close(session, s->id) == 0) {
    nghttp2_submit_rst_stream(session, NGHTTP2_FLAG_NONE, s->id, NGHTTP2_NO_ERROR);
  }
  return 0;
}

int Connection::OnStreamClose(nghttp2_session*, int32_t stream_id, uint32_t, void* user) {
  auto* self = static_cast<Connection*>(user);
  const auto it = self->streams_.find(stream_id);
  if (it == self->streams_.end()) return 0;
  Stream& s = *it->second;
  s.closed.store(true);  // a running handler now sees IsCancelled()
  self->Release(s, /*stream_open=*/false);
  self->streams_.erase(it);
  return 0;
}

// The request's headers are complete: everything that can be answered without the body
// is answered now, before the client sends (and we hold) any of it.
void Connection::HeadersComplete(const std::shared_ptr<Stream>& s, bool end_stream) {
  // PROTOCOL-HTTP2.md: ":method POST"; anything else is not a gRPC call.
  if (s->method != "POST") return AnswerHttp(*s, "405");
  // PROTOCOL-HTTP2.md: a content-type that does not start with application/grpc is
  // answered 415, so that no HTTP client takes the answer for a success.
  if (!s->grpc_content_type) return AnswerHttp(*s, "415");
  s->target = state_->router->FindMethod(s->path);
  if (s->target == nullptr) {
    // Also go-plugin's GRPCBroker/StartStream, which the client opens and never
    // half-closes: answering now keeps it from holding a draining server open.
    return Answer(*s, {StatusCode::kUnimplemented, "unknown method " + s->path});
  }
  if (!s->timeout.empty()) {
    const int64_t nanos = wire::ParseTimeoutNanos(s->timeout);
    if (nanos < 0) return Answer(*s, {StatusCode::kInternal, "malformed grpc-timeout"});
    s->deadline = Clock::now() + std::chrono::nanoseconds(nanos);
  }
  if (end_stream) Dispatch(s);
}

// Request DATA: split into messages as it arrives, each checked as soon as its prefix is.
void Connection::Receive(const std::shared_ptr<Stream>& s, std::string_view data) {
  const ServerOptions& options = state_->options;
  const size_t before = s->buffered;
  s->partial.append(data);
  size_t pos = 0;
  Status error;
  while (s->partial.size() - pos >= 5) {
    const auto* p = reinterpret_cast<const uint8_t*>(s->partial.data() + pos);
    const size_t len = (size_t{p[1]} << 24) | (size_t{p[2]} << 16) | (size_t{p[3]} << 8) | p[4];
    if (p[0] & 1) {
      // We never advertise a grpc-accept-encoding, so a client must not compress.
      error = {StatusCode::kUnimplemented, "compressed messages are not supported"};
      break;
    }
    if (p[0] != 0) {
      error = {StatusCode::kInternal, "invalid message flags"};
      break;
    }
    if (len > options.max_message_bytes) {
      error = {StatusCode::kResourceExhausted,
               "request message of " + std::to_string(len) + " bytes is larger than " +
                   std::to_string(options.max_message_bytes) + " bytes"};
      break;
    }
    if (s->partial.size() - pos - 5 < len) break;
    if (s->target->requests == RequestCount::kOne && !s->messages.empty()) {
      error = {StatusCode::kInternal, "more than one request message for a unary method"};
      break;
    }
    s->messages.emplace_back(s->partial, pos + 5, len);
    pos += 5 + len;
  }
  if (pos > 0) s->partial.erase(0, pos);
  s->buffered = s->partial.size();
  for (const auto& m : s->messages) s->buffered += m.size();
  buffered_ = buffered_ - before + s->buffered;
  if (error.code() != StatusCode::kOk) {
    nghttp2_session_consume(session_, s->id, data.size());
    return Answer(*s, std::move(error));
  }
  // Grant the window back only while the connection holds less than its limit; Regrant
  // hands it out once calls end or streams go.
  if (buffered_ + held_by_calls_.load() <= buffer_limit_) {
    nghttp2_session_consume(session_, s->id, data.size());
  } else {
    s->unconsumed += data.size();
    unconsumed_ += data.size();
  }
}

// The client has sent everything: run the method on a handler thread (calls block on
// Jira; StopProvider must get through while others run).
void Connection::Dispatch(const std::shared_ptr<Stream>& s) {
  if (s->answered) return;
  if (!s->partial.empty()) return Answer(*s, {StatusCode::kInternal, "truncated request message"});
  s->answered = true;
  s->dispatched = true;
  std::vector<std::string> requests = std::move(s->messages);
  s->messages.clear();
  const size_t held = s->buffered;
  buffered_ -= held;
  s->buffered = 0;
  held_by_calls_.fetch_add(held);
  calls_running_.fetch_add(1);
  const Handler* handler = &s->target->handler;
  auto call = [conn = shared_from_this(), s, handler, held,
               requests = std::move(requests)]() mutable {
    Status status;
    if (s->closed.load() || s->cancelled.load()) {
      status = Status(StatusCode::kCancelled, "call cancelled before it started");
    } else {
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
    conn->CallEnded(held);
  };
  if (!state_->Run(state_, std::move(call))) {
    // The lambda (and its reference to this connection) is gone; undo its accounting.
    CallEnded(held);
    Finish(s, {StatusCode::kResourceExhausted, "cannot start a thread for the call"});
  }
}

// Ends a call that was never dispatched with `status` (trailers-only).
void Connection::Answer(Stream& s, Status status) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    s.finished = true;
    s.status = std::move(status);
  }
  s.response_started = true;
  SubmitTrailersOnly(s);
  EndRequestSide(s);
}

// Ends a request that is not a gRPC call with a bare HTTP status.
void Connection::AnswerHttp(Stream& s, std::string_view http_status) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    s.finished = true;
  }
  s.response_started = true;
  const nghttp2_nv headers[] = {Header(":status", http_status)};
  nghttp2_submit_response(session_, s.id, headers, 1, nullptr);
  EndRequestSide(s);
}

// After an early answer: drop what the request holds; once the answer is sent, a client
// still sending is told to stop (OnFrameSend).
void Connection::EndRequestSide(Stream& s) {
  s.answered = true;
  s.stop_client = true;
  Release(s, /*stream_open=*/true);
}

// Frees a stream's request bytes and gives back the window it was not granted.
void Connection::Release(Stream& s, bool stream_open) {
  buffered_ -= s.buffered;
  s.buffered = 0;
  s.partial.clear();
  s.partial.shrink_to_fit();
  s.messages.clear();
  s.messages.shrink_to_fit();
  if (s.unconsumed > 0) {
    if (stream_open) {
      nghttp2_session_consume(session_, s.id, s.unconsumed);
    } else {
      nghttp2_session_consume_connection(session_, s.unconsumed);
    }
    unconsumed_ -= s.unconsumed;
    s.unconsumed = 0;
  }
}

// Grants back withheld window once the connection holds less than its limit. When it
// cannot get there by itself (no call of this connection runs, so nothing will free
// memory, and every stream waits for window), the stream holding most is refused.
void Connection::Regrant() {
  while (unconsumed_ > 0) {
    if (buffered_ + held_by_calls_.load() <= buffer_limit_) {
      for (const auto& [id, s] : streams_) {
        if (s->unconsumed == 0) continue;
        nghttp2_session_consume(session_, id, s->unconsumed);
        unconsumed_ -= s->unconsumed;
        s->unconsumed = 0;
      }
      return;
    }
    if (calls_running_.load() != 0) return;  // their end frees memory and wakes us
    Stream* largest = nullptr;
    for (const auto& [id, s] : streams_) {
      if (!s->answered && (largest == nullptr || s->buffered > largest->buffered)) largest = s.get();
    }
    if (largest == nullptr) return;
    Answer(*largest, {StatusCode::kResourceExhausted,
                      "the connection holds more than " + std::to_string(buffer_limit_) +
                          " bytes of requests"});
  }
}

// Ends the calls whose grpc-timeout has passed (DEADLINE_EXCEEDED; a running handler sees
// IsCancelled()). Returns the milliseconds until the next deadline, or -1 for none.
int Connection::ExpireDeadlines() {
  const auto now = Clock::now();
  std::optional<Clock::time_point> next;
  std::vector<std::shared_ptr<Stream>> expired;
  for (const auto& [id, s] : streams_) {
    if (!s->deadline) continue;
    if (*s->deadline <= now) {
      expired.push_back(s);
    } else if (!next || *s->deadline < *next) {
      next = s->deadline;
    }
  }
  for (const auto& s : expired) {
    s->deadline.reset();
    s->cancelled.store(true);
    const Status status(StatusCode::kDeadlineExceeded, "deadline exceeded");
    if (!s->answered) {
      Answer(*s, status);
    } else if (s->dispatched) {
      Finish(s, status);
    }
  }
  if (!next) return -1;
  const auto ms = std::chrono::ceil<std::chrono::milliseconds>(*next - now).count();
  return static_cast<int>(std::clamp<int64_t>(ms, 1, 60'000));
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
  // After accept fails for want of a descriptor or memory, the pending connection stays
  // readable: wait (wake_fd only) before trying again instead of spinning on it.
  std::chrono::milliseconds backoff{0};
  for (;;) {
    pollfd fds[2] = {{wake_fd, POLLIN, 0}, {listen_fd, POLLIN, 0}};
    const bool backing_off = backoff.count() > 0;
    const int ready = backing_off
                          ? ::poll(fds, wake_fd >= 0 ? 1 : 0, static_cast<int>(backoff.count()))
                          : ::poll(wake_fd >= 0 ? fds : fds + 1, wake_fd >= 0 ? 2 : 1, 1000);
    if (should_stop()) return;
    if (backing_off) {
      // Try again below, whether or not the listener is readable.
    } else if (ready <= 0 || (fds[1].revents & POLLIN) == 0) {
      continue;
    }
    for (;;) {
      const int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_CLOEXEC | SOCK_NONBLOCK);
      if (fd < 0) {
        if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
          backoff = std::clamp(backoff * 2, std::chrono::milliseconds(10),
                               std::chrono::milliseconds(1000));
          tf::log::Warn("cannot accept a plugin connection", {{"error", std::strerror(errno)}});
        } else {
          backoff = std::chrono::milliseconds(0);  // EAGAIN: all taken; others: next poll
        }
        break;
      }
      backoff = std::chrono::milliseconds(0);
      {
        std::lock_guard<std::mutex> lock(state_->mu);
        if (state_->open_connections >= std::max(1, state_->options.max_connections)) {
          ::close(fd);
          tf::log::Debug("plugin connection refused", {{"error", "too many connections"}});
          continue;
        }
      }
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
  const auto done = [&] { return state_->IdleLocked(); };
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
  {
    std::unique_lock<std::mutex> lock(state->mu);
    state->idle.wait(lock, [&] { return state->IdleLocked(); });
  }
  // A thread drops its reference to the state just after reporting itself done (ThreadDone).
  // Wait for that too, so that a caller checking for leaks after each input (the fuzzer)
  // never sees the state outlive this call. Bounded: a reference kept for good is a leak
  // the sanitizer should still report.
  for (int i = 0; i < 2000 && state.use_count() > 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  return output;
}

}  // namespace testing

}  // namespace tfj::rpc
