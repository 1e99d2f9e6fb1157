// gRPC C++'s server behind serve::PluginServer, in process, driven by gRPC C++'s generic
// client: the call shapes, the limits and the shutdown paths. The whole plugin contract
// (AutoMTLS, handshake, signals) is tested on real processes by serve_plugin_test, run
// against both servers.
#include <gtest/gtest.h>

#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstring>
#include <thread>

#include "provider/rpc/server.h"
#include "provider/rpc_grpc/plugin_server.h"

namespace tfj::rpc_grpc {
namespace {

using namespace std::chrono_literals;

grpc::ByteBuffer Bytes(const std::string& s) {
  grpc::Slice slice(s.data(), s.size());
  return grpc::ByteBuffer(&slice, 1);
}

std::string String(const grpc::ByteBuffer& b) {
  std::vector<grpc::Slice> slices;
  EXPECT_TRUE(b.Dump(&slices).ok());
  std::string out;
  for (const auto& s : slices) out.append(reinterpret_cast<const char*>(s.begin()), s.size());
  return out;
}

// The Wait method's state. Static: a handler may outlive the test fixture.
std::atomic<bool> wait_started{false};
std::atomic<bool> wait_finished{false};
std::atomic<int> ignore_cancellation_ms{0};
// The Hold method's: handlers running now, the most at once, and the release.
std::atomic<int> hold_active{0};
std::atomic<int> hold_peak{0};
std::atomic<bool> hold_release{false};

struct Answer {
  grpc::Status status;
  std::vector<std::string> messages;
};

class GrpcPluginServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    router_.Add("/t.S/Echo", [](rpc::Call& call) {
      call.Write(call.requests().at(0));
      return rpc::Status::OK;
    }, rpc::RequestCount::kOne);
    router_.Add("/t.S/Count", [](rpc::Call& call) {
      call.Write(std::to_string(call.requests().size()));
      return rpc::Status::OK;
    });
    router_.Add("/t.S/Three", [](rpc::Call& call) {
      for (int i = 0; i < 3; ++i) call.Write("m" + std::to_string(i));
      return rpc::Status::OK;
    }, rpc::RequestCount::kOne);
    router_.Add("/t.S/Fail", [](rpc::Call&) {
      return rpc::Status(rpc::StatusCode::kNotFound, std::string(100000, 'x'));
    }, rpc::RequestCount::kOne);
    router_.Add("/t.S/Throw", [](rpc::Call&) -> rpc::Status {
      throw std::runtime_error("boom");
    }, rpc::RequestCount::kOne);
    // Waits until the call is cancelled, first ignoring that for ignore_cancellation_ms.
    wait_started = false;
    wait_finished = false;
    ignore_cancellation_ms = 0;
    // Runs until released (or cancelled), counting the handlers running at once.
    hold_active = 0;
    hold_peak = 0;
    hold_release = false;
    router_.Add("/t.S/Hold", [](rpc::Call& call) {
      const int now = ++hold_active;
      int peak = hold_peak.load();
      while (now > peak && !hold_peak.compare_exchange_weak(peak, now)) {
      }
      while (!hold_release && !call.IsCancelled()) std::this_thread::sleep_for(5ms);
      --hold_active;
      return rpc::Status::OK;
    }, rpc::RequestCount::kOne);
    router_.Add("/t.S/Wait", [](rpc::Call& call) {
      const auto begin = std::chrono::steady_clock::now();
      wait_started = true;
      while (std::chrono::steady_clock::now() - begin <
                 std::chrono::milliseconds(ignore_cancellation_ms.load()) ||
             !call.IsCancelled()) {
        std::this_thread::sleep_for(10ms);
      }
      wait_finished = true;
      return rpc::Status(rpc::StatusCode::kCancelled, "cancelled");
    }, rpc::RequestCount::kOne);
  }

  void Start(Options options = {}, const char* group = nullptr) {
    std::string error;
    ASSERT_TRUE(serve::OpenUnixListener(nullptr, group, &listener_, &error)) << error;
    server_ = NewPluginServer(options);
    EXPECT_FALSE(server_->AnnouncesBeforeStart());
    serve::PluginServerConfig config;
    config.router = &router_;
    ASSERT_TRUE(server_->Start(config, &listener_, &error)) << error;
    EXPECT_EQ(listener_.fd, -1);
    channel_ = grpc::CreateChannel("unix:" + listener_.address, grpc::InsecureChannelCredentials());
  }

  void TearDown() override {
    if (server_) {
      EXPECT_TRUE(server_->Shutdown(2s));
    }
    serve::CloseListener(&listener_);
  }

  Answer Call(const std::string& method, const std::vector<std::string>& requests,
              const std::string& metadata = "") {
    grpc::GenericStub stub(channel_);
    grpc::ClientContext context;
    context.set_deadline(std::chrono::system_clock::now() + 20s);
    if (!metadata.empty()) context.AddMetadata("x-tfj-test", metadata);
    grpc::CompletionQueue cq;
    auto stream = stub.PrepareCall(&context, method, &cq);
    void* tag = nullptr;
    bool ok = false;
    stream->StartCall(reinterpret_cast<void*>(1));
    cq.Next(&tag, &ok);
    for (const auto& r : requests) {
      stream->Write(Bytes(r), reinterpret_cast<void*>(2));
      cq.Next(&tag, &ok);
      if (!ok) break;
    }
    stream->WritesDone(reinterpret_cast<void*>(3));
    cq.Next(&tag, &ok);
    Answer answer;
    for (;;) {
      grpc::ByteBuffer b;
      stream->Read(&b, reinterpret_cast<void*>(4));
      cq.Next(&tag, &ok);
      if (!ok) break;
      answer.messages.push_back(String(b));
    }
    stream->Finish(&answer.status, reinterpret_cast<void*>(5));
    cq.Next(&tag, &ok);
    return answer;
  }

  // Starts `calls` Hold calls at once, waits until `running` handlers hold (then a little
  // longer, for any call beyond them to start), checks that exactly `running` do, releases
  // them all and returns every call's answer.
  std::vector<Answer> HoldCalls(int calls, int running) {
    std::vector<Answer> answers(calls);
    std::vector<std::thread> clients;
    for (int i = 0; i < calls; ++i) {
      clients.emplace_back([this, &answers, i] { answers[i] = Call("/t.S/Hold", {""}); });
    }
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    while (hold_active.load() < running && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(20ms);
    }
    std::this_thread::sleep_for(300ms);  // time for any call beyond them to start
    EXPECT_EQ(hold_active.load(), running);
    hold_release = true;
    for (auto& t : clients) t.join();
    return answers;
  }

  rpc::Router router_;
  serve::Listener listener_;
  std::unique_ptr<serve::PluginServer> server_;
  std::shared_ptr<grpc::Channel> channel_;
};

TEST_F(GrpcPluginServerTest, UnaryClientAndServerStreamingShapes) {
  Start();
  Answer a = Call("/t.S/Echo", {"hello"});
  ASSERT_TRUE(a.status.ok()) << a.status.error_message();
  EXPECT_EQ(a.messages, std::vector<std::string>{"hello"});
  a = Call("/t.S/Count", {"a", "b", "c", "d"});
  ASSERT_TRUE(a.status.ok()) << a.status.error_message();
  EXPECT_EQ(a.messages, std::vector<std::string>{"4"});
  a = Call("/t.S/Three", {""});
  ASSERT_TRUE(a.status.ok()) << a.status.error_message();
  EXPECT_EQ(a.messages, (std::vector<std::string>{"m0", "m1", "m2"}));
}

// gRPC C++ binds the socket again: it keeps the group and mode PLUGIN_UNIX_SOCKET_GROUP
// gave the one serve::Main made, and is reachable there.
TEST_F(GrpcPluginServerTest, UnixSocketKeepsItsGroupAndMode) {
  const std::string gid = std::to_string(::getgid());
  Start({}, gid.c_str());
  struct stat st {};
  ASSERT_EQ(::stat(listener_.address.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 07777, 0660u);
  EXPECT_EQ(st.st_gid, ::getgid());
  EXPECT_TRUE(Call("/t.S/Echo", {"x"}).status.ok());
}

TEST_F(GrpcPluginServerTest, ErrorsAsProviderRpcAnswersThem) {
  Start();
  // A second request message on a unary method, as provider/rpc answers it.
  Answer a = Call("/t.S/Echo", {"one", "two"});
  EXPECT_EQ(a.status.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(a.status.error_message(), "more than one request message for a unary method");
  EXPECT_TRUE(a.messages.empty());
  a = Call("/t.S/Nope", {""});
  EXPECT_EQ(a.status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  // A long status message is cut, so the trailers still go out.
  a = Call("/t.S/Fail", {""});
  EXPECT_EQ(a.status.error_code(), grpc::StatusCode::NOT_FOUND);
  EXPECT_EQ(a.status.error_message(), std::string(4096, 'x'));
  a = Call("/t.S/Throw", {""});
  EXPECT_EQ(a.status.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(a.status.error_message(), "boom");
}

TEST_F(GrpcPluginServerTest, MessageOverTheLimitIsRefused) {
  Options options;
  options.max_message_bytes = 1000;
  Start(options);
  const Answer a = Call("/t.S/Echo", {std::string(2000, 'y')});
  EXPECT_EQ(a.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED);
  EXPECT_TRUE(Call("/t.S/Echo", {std::string(1000, 'y')}).status.ok());
}

// Both servers default to the same bounds, from one place (provider/rpc/limits.h).
TEST(GrpcPluginServerOptions, DefaultsAreTheBoundsProviderRpcKeeps) {
  const Options grpc_cpp;
  const rpc::ServerOptions ours;
  EXPECT_EQ(grpc_cpp.max_message_bytes, ours.max_message_bytes);
  EXPECT_EQ(grpc_cpp.max_buffered_bytes, ours.max_connection_buffer_bytes);
  EXPECT_EQ(grpc_cpp.max_concurrent_calls, ours.max_concurrent_calls);
  EXPECT_EQ(grpc_cpp.handshake_timeout, ours.tls_handshake_timeout);
  EXPECT_EQ(grpc_cpp.max_concurrent_streams, static_cast<int>(rpc::limits::kMaxConcurrentStreams));
  EXPECT_EQ(grpc_cpp.max_metadata_bytes, static_cast<int>(rpc::limits::kMaxHeaderListBytes));
}

// More calls on one connection than there are handler threads: no more handlers run at
// once than the bound allows (so no more threads), and the others wait for one to end
// instead of being refused: Terraform does not retry RESOURCE_EXHAUSTED, and at
// -parallelism=200 with handlers waiting on Jira's rate limit a refusal failed an apply.
TEST_F(GrpcPluginServerTest, CallsBeyondTheBoundWaitForAHandlerThread) {
  Options options;
  options.max_concurrent_calls = 3;
  Start(options);
  ASSERT_TRUE(Call("/t.S/Echo", {"warm"}).status.ok());  // the client has our SETTINGS
  const std::vector<Answer> answers = HoldCalls(12, options.max_concurrent_calls);
  EXPECT_EQ(hold_peak.load(), options.max_concurrent_calls);
  for (const Answer& a : answers) EXPECT_TRUE(a.status.ok()) << a.status.error_message();
  EXPECT_TRUE(Call("/t.S/Echo", {"after"}).status.ok());
}

// GRPC_ARG_MAX_CONCURRENT_STREAMS: one connection runs at most that many calls at once;
// the client holds the others back until a stream ends, so none is refused.
TEST_F(GrpcPluginServerTest, StreamsPerConnectionAreBounded) {
  Options options;
  options.max_concurrent_streams = 2;
  Start(options);
  ASSERT_TRUE(Call("/t.S/Echo", {"settings"}).status.ok());  // the client has our SETTINGS
  const std::vector<Answer> answers = HoldCalls(5, 2);
  EXPECT_EQ(hold_peak.load(), 2);
  for (const Answer& a : answers) EXPECT_TRUE(a.status.ok()) << a.status.error_message();
}

// GRPC_ARG_MAX_METADATA_SIZE: metadata beyond gRPC's 8 KiB default but within our bound
// is served; beyond the bound the call is refused before its handler runs, and the
// server serves on.
TEST_F(GrpcPluginServerTest, MetadataOverTheLimitIsRefused) {
  Start();
  Answer a = Call("/t.S/Echo", {"m"}, std::string(32 << 10, 'k'));
  EXPECT_TRUE(a.status.ok()) << a.status.error_message();
  a = Call("/t.S/Echo", {"m"}, std::string(100 << 10, 'k'));
  EXPECT_FALSE(a.status.ok());
  EXPECT_TRUE(a.messages.empty());
  EXPECT_TRUE(Call("/t.S/Echo", {"after"}).status.ok());
}

// Request bytes held by calls: a client-streaming call whose messages, each within the
// message limit, add up beyond the bound is refused; within it, it is served.
TEST_F(GrpcPluginServerTest, RequestBytesHeldByCallsAreBounded) {
  Options options;
  options.max_message_bytes = 1000;
  options.max_buffered_bytes = 3000;
  Start(options);
  const std::string kilo(1000, 'z');
  Answer a = Call("/t.S/Count", {kilo, kilo, kilo, kilo, kilo});
  EXPECT_EQ(a.status.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << a.status.error_message();
  EXPECT_TRUE(a.messages.empty());
  a = Call("/t.S/Count", {kilo, kilo, kilo});
  ASSERT_TRUE(a.status.ok()) << a.status.error_message();
  EXPECT_EQ(a.messages, std::vector<std::string>{"3"});
}

// GRPC_ARG_SERVER_HANDSHAKE_TIMEOUT_MS: a connection that never sends the HTTP/2 preface is
// closed once the handshake time is up (gRPC C++'s default would keep it two minutes).
TEST_F(GrpcPluginServerTest, SilentConnectionIsClosedAfterTheHandshakeTimeout) {
  Options options;
  options.handshake_timeout = 300ms;
  Start(options);
  const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  ASSERT_GE(fd, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  ASSERT_LT(listener_.address.size(), sizeof addr.sun_path);
  std::memcpy(addr.sun_path, listener_.address.c_str(), listener_.address.size() + 1);
  ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0) << std::strerror(errno);
  const auto begin = std::chrono::steady_clock::now();
  bool closed = false;
  while (!closed && std::chrono::steady_clock::now() - begin < 10s) {
    pollfd p{fd, POLLIN, 0};
    if (::poll(&p, 1, 100) > 0) {
      char byte;
      closed = ::recv(fd, &byte, 1, 0) <= 0;  // the server's SETTINGS may come first
    }
  }
  EXPECT_TRUE(closed);
  EXPECT_LT(std::chrono::steady_clock::now() - begin, 5s);
  ::close(fd);
  EXPECT_TRUE(Call("/t.S/Echo", {"after"}).status.ok());
}

// An unknown method whose client never half-closes (go-plugin's GRPCBroker/StartStream)
// is answered at once, so it holds neither a thread nor the shutdown.
TEST_F(GrpcPluginServerTest, UnknownStreamIsAnsweredBeforeTheClientHalfCloses) {
  Start();
  grpc::GenericStub stub(channel_);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + 20s);
  grpc::CompletionQueue cq;
  auto stream = stub.PrepareCall(&context, "/plugin.GRPCBroker/StartStream", &cq);
  void* tag = nullptr;
  bool ok = false;
  stream->StartCall(reinterpret_cast<void*>(1));
  cq.Next(&tag, &ok);
  grpc::Status status;
  stream->Finish(&status, reinterpret_cast<void*>(2));
  ASSERT_TRUE(cq.Next(&tag, &ok));
  EXPECT_EQ(tag, reinterpret_cast<void*>(2));
  EXPECT_EQ(status.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_TRUE(server_->Shutdown(5s));
  server_.reset();
}

TEST_F(GrpcPluginServerTest, ShutdownCancelsACallThatOutlivesTheGrace) {
  Start();
  Answer answer;
  std::thread client([&] { answer = Call("/t.S/Wait", {""}); });
  while (!wait_started) std::this_thread::sleep_for(5ms);
  EXPECT_TRUE(server_->Shutdown(200ms));
  EXPECT_TRUE(wait_finished);
  server_.reset();
  client.join();
  EXPECT_FALSE(answer.status.ok());
}

// A handler that ignores cancellation past the grace (and the second after it): Shutdown
// says so instead of waiting for it, and serve::Main then exits at once.
TEST_F(GrpcPluginServerTest, ShutdownGivesUpOnAHandlerThatIgnoresCancellation) {
  Start();
  ignore_cancellation_ms = 3000;
  std::thread client([this] { Call("/t.S/Wait", {""}); });
  while (!wait_started) std::this_thread::sleep_for(5ms);
  EXPECT_FALSE(server_->Shutdown(100ms));
  EXPECT_FALSE(wait_finished);  // Shutdown returned without waiting for it
  server_.reset();  // the stopping thread owns the gRPC server until the handler returns
  client.join();
  while (!wait_finished) std::this_thread::sleep_for(10ms);
  std::this_thread::sleep_for(500ms);  // for the stopping thread to release the server
}

TEST(CapStatusMessage, CutsOnACharacterBoundaryCountingEncodedBytes) {
  EXPECT_EQ(CapStatusMessage("short", 100), "short");
  EXPECT_EQ(CapStatusMessage("abcdef", 4), "abcd");
  // '%' and non-ASCII bytes take three encoded bytes each.
  EXPECT_EQ(CapStatusMessage("a%b", 4), "a%");
  // "é" is two bytes (six encoded): it goes whole or not at all.
  EXPECT_EQ(CapStatusMessage("a\xC3\xA9", 6), "a");
  EXPECT_EQ(CapStatusMessage("a\xC3\xA9", 7), "a\xC3\xA9");
}

}  // namespace
}  // namespace tfj::rpc_grpc
