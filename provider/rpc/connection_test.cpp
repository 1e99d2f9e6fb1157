// rpc::Server at the HTTP/2 level: requests a gRPC client library would never send, and the
// frames of each answer, through testing::ServeConnectionBytes (one connection, in
// memory) or a live server on a unix socket driven by testing::H2Client.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include <atomic>
#include <string>
#include <thread>

#include "provider/rpc/rpc.h"
#include "provider/rpc/server.h"
#include "provider/rpc/testing/h2_client.h"
#include "provider/rpc/testing_hooks.h"
#include "provider/rpc/wire.h"

namespace tfj::rpc {
namespace {

using testing::H2Client;
using namespace std::chrono_literals;

constexpr uint32_t kRefusedStream = 7;  // RFC 9113 7

// A method that answers each request message with itself, one that takes one message,
// and one that fails with a status message of a million bytes.
struct TestRouter {
  std::atomic<int> unary_calls{0};
  Router router;
  TestRouter() {
    router.Add("/test.Echo/Echo", [](Call& call) {
      for (const auto& m : call.requests()) call.Write(m);
      return Status::OK;
    });
    router.Add("/test.Echo/Unary", [this](Call& call) {
      ++unary_calls;
      call.Write(call.requests().at(0));
      return Status::OK;
    }, RequestCount::kOne);
    router.Add("/test.Echo/Fail", [](Call&) {
      return Status(StatusCode::kInternal, std::string(1 << 20, 'z'));
    });
  }
};

// Runs what `client` has queued through one server connection and feeds the answer back.
void RoundTrip(const Router& router, H2Client& client, const ServerOptions& options = {}) {
  const std::string output = testing::ServeConnectionBytes(router, client.Output(), options);
  ASSERT_TRUE(client.Input(output));
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() + 0 && i + 2 <= s.size() - 1) {
      out.push_back(static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

bool ValidUtf8(std::string_view s) {
  for (size_t i = 0; i < s.size();) {
    const auto b = static_cast<uint8_t>(s[i]);
    const size_t len = b < 0x80 ? 1 : (b >> 5) == 6 ? 2 : (b >> 4) == 14 ? 3 : (b >> 3) == 30 ? 4 : 0;
    if (len == 0 || i + len > s.size()) return false;
    for (size_t k = 1; k < len; ++k) {
      if ((static_cast<uint8_t>(s[i + k]) >> 6) != 2) return false;
    }
    i += len;
  }
  return true;
}

TEST(ConnectionHook, ServesACallFromBytesAndReturnsTheAnswer) {
  TestRouter t;
  H2Client client;
  const int32_t id = client.Call("/test.Echo/Echo", {"hello"});
  RoundTrip(t.router, client);
  const auto* s = client.Stream(id);
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->closed);
  EXPECT_EQ(s->Get(":status"), "200");
  EXPECT_EQ(s->Get("grpc-status"), "0");
  EXPECT_EQ(s->data, testing::Framed("hello"));
}

TEST(ConnectionHook, GarbageInputEndsTheConnectionWithoutAnswers) {
  TestRouter t;
  const std::string output = testing::ServeConnectionBytes(t.router, "GET / HTTP/1.1\r\n\r\n");
  H2Client client;  // whatever came back must not be a stream's answer
  client.Input(output);
  EXPECT_EQ(client.Stream(1), nullptr);
}

// ---- 1. status messages ----

TEST(RpcConnection, UnknownMethodWithAHugePathGetsACappedMessageAndEnds) {
  TestRouter t;
  H2Client client;
  // 20000 two-byte characters: 120000 bytes once percent-encoded, past nghttp2's 64 KiB
  // header block limit if echoed whole.
  std::string path = "/x.Y/";
  for (int i = 0; i < 20000; ++i) path += "\xc3\xa9";
  const int32_t id = client.Call(path, {""});
  RoundTrip(t.router, client);
  const auto* s = client.Stream(id);
  ASSERT_NE(s, nullptr);
  EXPECT_TRUE(s->closed);
  EXPECT_EQ(s->Get("grpc-status"), "12");
  const std::string message = s->Get("grpc-message");
  EXPECT_LE(message.size(), 4096u);
  EXPECT_TRUE(message.starts_with("unknown method /x.Y/")) << message.substr(0, 40);
  EXPECT_TRUE(ValidUtf8(PercentDecode(message)));
}

TEST(RpcConnection, HandlerStatusMessageIsCapped) {
  TestRouter t;
  H2Client client;
  const int32_t id = client.Call("/test.Echo/Fail", {""});
  RoundTrip(t.router, client);
  const auto* s = client.Stream(id);
  ASSERT_TRUE(s != nullptr && s->closed);
  EXPECT_EQ(s->Get("grpc-status"), "13");
  EXPECT_EQ(s->Get("grpc-message"), std::string(4096, 'z'));
}

// ---- 2 and 4. answered when the headers (or a message prefix) arrive ----

TEST(RpcConnection, UnknownMethodIsAnsweredBeforeTheClientHalfCloses) {
  TestRouter t;
  H2Client client;
  // go-plugin's broker stream: opened, never half-closed.
  const int32_t broker = client.Call("/plugin.GRPCBroker/StartStream", {}, /*end_stream=*/false);
  const int32_t other = client.Call("/x.Y/Z", {std::string(100000, 'b')}, /*end_stream=*/false);
  RoundTrip(t.router, client);
  for (const int32_t id : {broker, other}) {
    const auto* s = client.Stream(id);
    ASSERT_NE(s, nullptr);
    EXPECT_TRUE(s->closed) << id;
    EXPECT_EQ(s->Get("grpc-status"), "12") << id;
    EXPECT_EQ(s->error_code, 0u) << id;  // RST_STREAM NO_ERROR: stop sending
  }
}

TEST(RpcConnection, WrongContentTypeIsHttp415) {
  TestRouter t;
  H2Client client;
  auto headers = testing::GrpcRequestHeaders("/test.Echo/Echo");
  headers[4].second = "application/json";
  const int32_t id = client.Request(headers, testing::Framed("x"), /*end_stream=*/false);
  RoundTrip(t.router, client);
  const auto* s = client.Stream(id);
  ASSERT_TRUE(s != nullptr && s->closed);
  EXPECT_EQ(s->Get(":status"), "415");
  EXPECT_EQ(s->Get("grpc-status"), "");
}

TEST(RpcConnection, MethodOtherThanPostIsHttp405) {
  TestRouter t;
  H2Client client;
  auto headers = testing::GrpcRequestHeaders("/test.Echo/Echo");
  headers[0].second = "PUT";
  const int32_t id = client.Request(headers, testing::Framed("x"));
  RoundTrip(t.router, client);
  const auto* s = client.Stream(id);
  ASSERT_TRUE(s != nullptr && s->closed);
  EXPECT_EQ(s->Get(":status"), "405");
  EXPECT_TRUE(s->data.empty());
}

TEST(RpcConnection, OversizedDeclaredMessageIsRefusedFromItsPrefix) {
  TestRouter t;
  H2Client client;
  ServerOptions options;
  options.max_message_bytes = 1 << 20;
  // The prefix announces 2 MiB; only 1000 bytes follow and the stream stays open.
  std::string body("\0\0\x20\0\0", 5);
  body += std::string(1000, 'q');
  const int32_t id = client.Request(testing::GrpcRequestHeaders("/test.Echo/Echo"), body, false);
  RoundTrip(t.router, client, options);
  const auto* s = client.Stream(id);
  ASSERT_TRUE(s != nullptr && s->closed);
  EXPECT_EQ(s->Get("grpc-status"), "8");
}

TEST(RpcConnection, SecondMessageOnAUnaryMethodIsRefusedAtOnce) {
  TestRouter t;
  H2Client client;
  const int32_t id = client.Call("/test.Echo/Unary", {"one", "two"}, /*end_stream=*/false);
  RoundTrip(t.router, client);
  const auto* s = client.Stream(id);
  ASSERT_TRUE(s != nullptr && s->closed);
  EXPECT_EQ(s->Get("grpc-status"), "13");
  EXPECT_EQ(t.unary_calls.load(), 0);
  // One message is served.
  H2Client again;
  const int32_t ok = again.Call("/test.Echo/Unary", {"one"});
  RoundTrip(t.router, again);
  EXPECT_EQ(again.Stream(ok)->Get("grpc-status"), "0");
  EXPECT_EQ(t.unary_calls.load(), 1);
}

TEST(RpcConnection, ConnectionBufferIsBounded) {
  TestRouter t;
  ServerOptions options;
  options.max_message_bytes = 1 << 20;
  options.max_connection_buffer_bytes = 1 << 20;
  H2Client client;
  // Three streams each send 900 KiB of a 1 MiB message and wait: together more than the
  // connection may hold. The server gives up on the largest until it is under its limit.
  std::vector<int32_t> ids;
  std::string partial("\0\0\x10\0\0", 5);  // announces 1 MiB
  partial += std::string(900 << 10, 'p');
  for (int i = 0; i < 3; ++i) {
    ids.push_back(client.Request(testing::GrpcRequestHeaders("/test.Echo/Echo"), partial, false));
  }
  // The client may only send 64 KiB per stream until the server grants more; let it send
  // what the server's own SETTINGS allow by answering them first.
  std::string input = client.Output();
  H2Client probe;
  probe.Input(testing::ServeConnectionBytes(t.router, probe.Output(), options));
  ASSERT_GT(probe.server_settings().count(NGHTTP2_SETTINGS_INITIAL_WINDOW_SIZE), 0u);
  ASSERT_TRUE(client.Input(std::string("\0\0\x06\x04\0\0\0\0\0\0\x04\0\x40\0\0", 15)));  // 4 MiB
  ASSERT_TRUE(client.Input(std::string("\0\0\x04\x08\0\0\0\0\0\0\xf0\0\0", 13)));  // +15 MiB
  input += client.Output();
  ASSERT_TRUE(client.Input(testing::ServeConnectionBytes(t.router, input, options)));
  int refused = 0;
  for (const int32_t id : ids) {
    const auto* s = client.Stream(id);
    ASSERT_NE(s, nullptr);
    if (s->Get("grpc-status") == "8") ++refused;
  }
  EXPECT_EQ(refused, 2);  // 900 KiB fits in 1 MiB; 1800 KiB does not
}

// ---- 6. settings, header list size ----

TEST(RpcConnection, AdvertisesAndEnforcesMaxHeaderListSize) {
  TestRouter t;
  H2Client client;
  auto headers = testing::GrpcRequestHeaders("/test.Echo/Echo");
  for (int i = 0; i < 3; ++i) headers.emplace_back("x-big-" + std::to_string(i), std::string(30000, 'h'));
  const int32_t big = client.Request(headers, testing::Framed("x"));
  const int32_t fine = client.Call("/test.Echo/Echo", {"y"});
  RoundTrip(t.router, client);
  ASSERT_EQ(client.server_settings().count(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE), 1u);
  EXPECT_EQ(client.server_settings().at(NGHTTP2_SETTINGS_MAX_HEADER_LIST_SIZE), 65536u);
  ASSERT_TRUE(client.Closed(big));
  EXPECT_NE(client.Stream(big)->error_code, 0u);  // reset
  EXPECT_EQ(client.Stream(big)->Get("grpc-status"), "");
  EXPECT_EQ(client.Stream(fine)->Get("grpc-status"), "0");  // the connection lives on
}

// ---- a live server on a unix socket ----

class LiveServer {
 public:
  LiveServer(const Router& router, ServerOptions options) {
    ::signal(SIGPIPE, SIG_IGN);
    dir_ = ::testing::TempDir() + "/tfj-rpc-XXXXXX";
    if (::mkdtemp(dir_.data()) == nullptr) throw std::runtime_error("mkdtemp");
    path_ = dir_ + "/s.sock";
    listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr = Address();
    if (::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 ||
        ::listen(listen_fd_, 16) != 0) {
      throw std::runtime_error("listen");
    }
    server_ = std::make_unique<Server>(router, std::move(options));
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    thread_ = std::thread([this] { server_->Serve(listen_fd_, wake_fd_, [this] { return stop_.load(); }); });
  }
  ~LiveServer() {
    StopServing();
    server_->Shutdown(2s);
    server_.reset();
    for (const int fd : clients_) ::close(fd);
    ::close(listen_fd_);
    ::close(wake_fd_);
    ::unlink(path_.c_str());
    ::rmdir(dir_.c_str());
  }
  int Connect() {
    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr = Address();
    if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) {
      throw std::runtime_error("connect");
    }
    clients_.push_back(fd);
    return fd;
  }
  void StopServing() {
    if (stop_.exchange(true)) return;
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof one);
    thread_.join();
  }
  Server& server() { return *server_; }

 private:
  sockaddr_un Address() const {
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path_.c_str());
    return addr;
  }
  std::string dir_, path_;
  int listen_fd_ = -1, wake_fd_ = -1;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::vector<int> clients_;
};

TEST(RpcLive, GrpcTimeoutEndsTheCallAndCancelsTheHandler) {
  std::atomic<bool> saw_cancel{false};
  Router router;
  router.Add("/test.Slow/Wait", [&](Call& call) {
    while (!call.IsCancelled()) std::this_thread::sleep_for(1ms);
    saw_cancel = true;
    return Status::OK;
  });
  LiveServer live(router, {});
  const int fd = live.Connect();
  H2Client client;
  auto headers = testing::GrpcRequestHeaders("/test.Slow/Wait");
  headers.emplace_back("grpc-timeout", "50m");
  const int32_t id = client.Request(headers, testing::Framed(""));
  ASSERT_TRUE(client.Exchange(fd, [&] { return client.Closed(id); }, 10s));
  EXPECT_EQ(client.Stream(id)->Get("grpc-status"), "4");
  for (int i = 0; i < 2000 && !saw_cancel.load(); ++i) std::this_thread::sleep_for(1ms);
  EXPECT_TRUE(saw_cancel.load());
}

TEST(RpcLive, StreamsOpenedAfterGoawayIsQueuedAreRefusedNotRun) {
  std::atomic<bool> quick_ran{false};
  Router router;
  router.Add("/test.S/Big", [](Call& call) {
    for (int i = 0; i < 64 && call.Write(std::string(64 << 10, 'b')); ++i) {
    }
    return Status::OK;
  });
  router.Add("/test.S/Quick", [&](Call&) {
    quick_ran = true;
    return Status::OK;
  });
  LiveServer live(router, {});
  const int fd = live.Connect();
  H2Client client(16 << 20);  // lets the server send far more than the socket holds
  const int32_t big = client.Call("/test.S/Big", {""});
  ASSERT_TRUE(client.Exchange(fd, [&] { return !client.Stream(big)->headers.empty(); }, 10s));
  // Stop reading: the server's output backs up, so its GOAWAY waits behind the data.
  std::this_thread::sleep_for(200ms);
  live.StopServing();
  bool clean = false;
  std::thread shutdown([&] { clean = live.server().Shutdown(10s); });
  std::this_thread::sleep_for(100ms);  // the GOAWAY is queued by now
  const int32_t quick = client.Call("/test.S/Quick", {""});
  const std::string request = client.Output();
  ASSERT_EQ(::send(fd, request.data(), request.size(), MSG_NOSIGNAL),
            static_cast<ssize_t>(request.size()));
  std::this_thread::sleep_for(100ms);  // the server reads it while its GOAWAY is unsent
  EXPECT_TRUE(client.Exchange(fd, [&] { return client.Closed(big) && client.Closed(quick); }, 10s));
  shutdown.join();
  EXPECT_TRUE(clean);
  EXPECT_FALSE(quick_ran.load());
  EXPECT_EQ(client.Stream(quick)->error_code, kRefusedStream);
  EXPECT_EQ(client.Stream(big)->Get("grpc-status"), "0");
  EXPECT_EQ(client.Stream(big)->data.size(), 64 * ((64 << 10) + 5u));
}

// The server stops taking output from nghttp2 at a high-water mark; once that is written it
// must come back for the rest without waiting for the client to send anything.
TEST(RpcLive, StreamedAnswerLargerThanTheOutputBufferIsDeliveredWhole) {
  Router router;
  router.Add("/test.S/Big", [](Call& call) {
    for (int i = 0; i < 64 && call.Write(std::string(64 << 10, 'b')); ++i) {
    }
    return Status::OK;
  });
  LiveServer live(router, {});
  const int fd = live.Connect();
  H2Client client(16 << 20);
  const int32_t big = client.Call("/test.S/Big", {""});
  ASSERT_TRUE(client.Exchange(fd, [&] { return !client.Stream(big)->headers.empty(); }, 10s));
  std::this_thread::sleep_for(200ms);
  EXPECT_TRUE(client.Exchange(fd, [&] { return client.Closed(big); }, 5s));
  EXPECT_EQ(client.Stream(big)->data.size(), 64 * ((64 << 10) + 5u));
}

TEST(RpcLive, ConcurrentCallsAreBoundedAndTheRestWait) {
  std::atomic<int> running{0}, peak{0}, done{0};
  std::atomic<bool> release{false};
  Router router;
  router.Add("/test.S/Block", [&](Call&) {
    const int now = ++running;
    int p = peak.load();
    while (now > p && !peak.compare_exchange_weak(p, now)) {
    }
    while (!release.load()) std::this_thread::sleep_for(1ms);
    --running;
    ++done;
    return Status::OK;
  });
  ServerOptions options;
  options.max_concurrent_calls = 2;
  LiveServer live(router, options);
  const int fd = live.Connect();
  H2Client client;
  std::vector<int32_t> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(client.Call("/test.S/Block", {""}));
  client.Exchange(fd, [&] { return running.load() == 2; }, 10s);
  client.Exchange(fd, [] { return false; }, 200ms);  // give a third call the chance to start
  EXPECT_EQ(running.load(), 2);
  release = true;
  ASSERT_TRUE(client.Exchange(fd, [&] {
    for (const int32_t id : ids) {
      if (!client.Closed(id)) return false;
    }
    return true;
  }, 10s));
  for (const int32_t id : ids) EXPECT_EQ(client.Stream(id)->Get("grpc-status"), "0");
  EXPECT_EQ(done.load(), 5);
  EXPECT_EQ(peak.load(), 2);
}

TEST(RpcLive, ConnectionsBeyondTheLimitAreClosed) {
  TestRouter t;
  ServerOptions options;
  options.max_connections = 1;
  LiveServer live(t.router, options);
  const int first = live.Connect();
  H2Client a;
  const int32_t id = a.Call("/test.Echo/Echo", {"a"});
  ASSERT_TRUE(a.Exchange(first, [&] { return a.Closed(id); }));
  const int second = live.Connect();
  H2Client b;
  const int32_t id2 = b.Call("/test.Echo/Echo", {"b"});
  EXPECT_FALSE(b.Exchange(second, [&] { return b.Closed(id2); }, 5s));
  EXPECT_TRUE(b.connection_closed());
  // The first connection still works.
  const int32_t again = a.Call("/test.Echo/Echo", {"c"});
  ASSERT_TRUE(a.Exchange(first, [&] { return a.Closed(again); }));
  EXPECT_EQ(a.Stream(again)->Get("grpc-status"), "0");
}

// CPU time the thread `t` has used.
std::chrono::nanoseconds ThreadCpuTime(std::thread& t) {
  clockid_t clock;
  timespec ts{};
  if (::pthread_getcpuclockid(t.native_handle(), &clock) != 0 || ::clock_gettime(clock, &ts) != 0) {
    return std::chrono::nanoseconds(-1);
  }
  return std::chrono::seconds(ts.tv_sec) + std::chrono::nanoseconds(ts.tv_nsec);
}

// With no descriptor left, accept fails (EMFILE) and the connection stays pending: the
// server must wait before retrying, not spin on a listener that stays readable, and serve
// the connection once descriptors are free again.
TEST(RpcServe, AcceptBacksOffWhenOutOfDescriptorsAndRecovers) {
  TestRouter t;
  ::signal(SIGPIPE, SIG_IGN);
  std::string dir = ::testing::TempDir() + "/tfj-rpc-XXXXXX";
  ASSERT_NE(::mkdtemp(dir.data()), nullptr);
  const std::string path = dir + "/s.sock";
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
  const int listen_fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_EQ(::bind(listen_fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  ASSERT_EQ(::listen(listen_fd, 16), 0);
  const int wake_fd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  const int client = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);  // made while we can

  // Use up every descriptor below a lowered limit.
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_NOFILE, &saved), 0);
  std::vector<int> hogs;
  for (;;) {
    const int fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC);
    if (fd < 0) break;
    hogs.push_back(fd);
    if (hogs.size() > 100000) break;
    if (hogs.size() == 1) {
      rlimit low = saved;
      low.rlim_cur = static_cast<rlim_t>(fd) + 16;  // a little room for the server thread
      ASSERT_EQ(::setrlimit(RLIMIT_NOFILE, &low), 0);
    }
  }
  Server server(t.router, {});
  std::atomic<bool> stop{false};
  std::thread serving([&] { server.Serve(listen_fd, wake_fd, [&] { return stop.load(); }); });
  std::this_thread::sleep_for(50ms);
  // Take the last free descriptors, then connect: the server's accept has none left.
  for (int fd; (fd = ::open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0;) hogs.push_back(fd);
  ASSERT_EQ(::connect(client, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  const auto cpu_before = ThreadCpuTime(serving);
  std::this_thread::sleep_for(500ms);
  const auto cpu_used = ThreadCpuTime(serving) - cpu_before;
  for (const int fd : hogs) ::close(fd);
  ::setrlimit(RLIMIT_NOFILE, &saved);
  // A spinning accept loop burns the whole half second; backing off costs a few calls.
  EXPECT_LT(cpu_used, 100ms) << "accept loop spins on EMFILE";

  H2Client h2;
  const int32_t id = h2.Call("/test.Echo/Echo", {"late"});
  EXPECT_TRUE(h2.Exchange(client, [&] { return h2.Closed(id); }, 10s));
  EXPECT_EQ(h2.Stream(id)->Get("grpc-status"), "0");

  stop = true;
  const uint64_t one = 1;
  [[maybe_unused]] const ssize_t n = ::write(wake_fd, &one, sizeof one);
  serving.join();
  server.Shutdown(2s);
  ::close(client);
  ::close(listen_fd);
  ::close(wake_fd);
  ::unlink(path.c_str());
  ::rmdir(dir.c_str());
}

}  // namespace
}  // namespace tfj::rpc
