// rpc::Server end to end, driven by gRPC C++'s own client and the generated stubs: every
// call shape, status trailers, large messages, concurrency, cancellation, AutoMTLS and
// shutdown. The CLI tests add Terraform's grpc-go client on top.
#include "provider/rpc/server.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>

#include <grpcpp/grpcpp.h>

#include "grpc_controller.grpc.pb.h"
#include "tfplugin6.grpc.pb.h"
#include "provider/serve/certificate.h"
#include "provider/serve/testing/plugin_process.h"

namespace tfj::rpc {
namespace {

using serve::Certificate;
using serve::testing::Dial;
using serve::testing::Handshake;

// A latch a test can open, that a handler can wait on.
class Gate {
 public:
  void Open() {
    std::lock_guard<std::mutex> lock(mu_);
    open_ = true;
    cv_.notify_all();
  }
  // Waits until opened or `cancelled()`; returns whether it was opened.
  template <typename Pred>
  bool Wait(Pred cancelled) {
    std::unique_lock<std::mutex> lock(mu_);
    while (!open_) {
      if (cancelled()) return false;
      cv_.wait_for(lock, std::chrono::milliseconds(5));
    }
    return true;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool open_ = false;
};

// Methods with each of gRPC's call shapes, over tfplugin6 messages.
class TestService {
 public:
  Gate gate;
  std::atomic<int> waiting{0};
  std::atomic<bool> saw_cancel{false};

  void Register(Router& router) {
    Add(router, "/tfplugin6.Provider/ValidateResourceConfig", this, &TestService::Validate);
    Add(router, "/tfplugin6.Provider/ReadStateBytes", this, &TestService::ReadBytes);
    Add(router, "/tfplugin6.Provider/WriteStateBytes", this, &TestService::WriteBytes);
  }

  // Echoes type_name and the config's size; "fail" fails, "block" waits for the gate.
  Status Validate(ServerContext* ctx, const tfplugin6::ValidateResourceConfig::Request* req,
                  tfplugin6::ValidateResourceConfig::Response* resp) {
    if (req->type_name() == "fail") return {StatusCode::kInvalidArgument, "bad input: 100% \xe2\x9c\x93"};
    if (req->type_name() == "throw") throw std::runtime_error("handler threw");
    if (req->type_name() == "block") {
      ++waiting;
      if (!gate.Wait([&] { return ctx->IsCancelled(); })) {
        saw_cancel = true;
        return {StatusCode::kCancelled, "cancelled"};
      }
    }
    auto* d = resp->add_diagnostics();
    d->set_summary(req->type_name());
    d->set_detail(std::to_string(req->config().msgpack().size()));
    return Status::OK;
  }

  // Streams back state_id's length in chunks of one byte each... of "abc".
  Status ReadBytes(ServerContext*, const tfplugin6::ReadStateBytes::Request* req,
                   ServerWriter<tfplugin6::ReadStateBytes::Response>* writer) {
    for (const char c : req->state_id()) {
      tfplugin6::ReadStateBytes::Response chunk;
      chunk.set_bytes(std::string(1, c));
      if (!writer->Write(chunk)) break;
    }
    return Status::OK;
  }

  // Concatenates the chunks' bytes into one diagnostic.
  Status WriteBytes(ServerContext*, ServerReader<tfplugin6::WriteStateBytes::RequestChunk>* reader,
                    tfplugin6::WriteStateBytes::Response* resp) {
    tfplugin6::WriteStateBytes::RequestChunk chunk;
    std::string all;
    while (reader->Read(&chunk)) all += chunk.bytes();
    resp->add_diagnostics()->set_summary(all);
    return Status::OK;
  }
};

class RpcServerTest : public ::testing::Test {
 protected:
  void SetUp() override { ::signal(SIGPIPE, SIG_IGN); }
  void TearDown() override { Stop(); }

  // Listens on a fresh unix socket and serves from a thread.
  void Start(std::shared_ptr<TlsContext> tls = nullptr) {
    service_.Register(router_);
    dir_ = ::testing::TempDir() + "/tfj-rpc-XXXXXX";
    ASSERT_NE(::mkdtemp(dir_.data()), nullptr);
    hs_.network = "unix";
    hs_.address = dir_ + "/s.sock";
    listen_fd_ = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_un addr{};
    addr.sun_family = AF_UNIX;
    std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", hs_.address.c_str());
    ASSERT_EQ(::bind(listen_fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
    ASSERT_EQ(::listen(listen_fd_, 16), 0);
    ServerOptions options;
    options.max_message_bytes = 16 << 20;
    options.tls = std::move(tls);
    server_ = std::make_unique<Server>(router_, std::move(options));
    wake_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    thread_ = std::thread([this] {
      server_->Serve(listen_fd_, wake_fd_, [this] { return stop_.load(); });
    });
  }

  // Stops serving; returns what Shutdown returned.
  // Makes Serve return.
  void StopServing() {
    stop_ = true;
    const uint64_t one = 1;
    [[maybe_unused]] const ssize_t n = ::write(wake_fd_, &one, sizeof one);
    thread_.join();
  }

  bool Stop() {
    if (!server_) return true;
    StopServing();
    const bool clean = server_->Shutdown(std::chrono::seconds(2));
    server_.reset();
    ::close(listen_fd_);
    ::close(wake_fd_);
    ::unlink(hs_.address.c_str());
    ::rmdir(dir_.c_str());
    return clean;
  }

  std::unique_ptr<tfplugin6::Provider::Stub> Stub(const Certificate* client = nullptr) {
    return tfplugin6::Provider::NewStub(Dial(hs_, client));
  }

  static std::unique_ptr<grpc::ClientContext> Ctx(int seconds = 10) {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(seconds));
    return ctx;
  }

  static grpc::Status Validate(tfplugin6::Provider::Stub& stub, const std::string& type,
                               tfplugin6::ValidateResourceConfig::Response* resp,
                               size_t config_bytes = 0) {
    tfplugin6::ValidateResourceConfig::Request req;
    req.set_type_name(type);
    req.mutable_config()->set_msgpack(std::string(config_bytes, 'm'));
    return stub.ValidateResourceConfig(Ctx().get(), req, resp);
  }

  TestService service_;
  Router router_;
  Handshake hs_;
  std::string dir_;
  int listen_fd_ = -1;
  int wake_fd_ = -1;
  std::unique_ptr<Server> server_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
};

TEST_F(RpcServerTest, UnaryCallReturnsTheResponse) {
  Start();
  auto stub = Stub();
  tfplugin6::ValidateResourceConfig::Response resp;
  const grpc::Status s = Validate(*stub, "jira_user", &resp, 3);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(resp.diagnostics_size(), 1);
  EXPECT_EQ(resp.diagnostics(0).summary(), "jira_user");
  EXPECT_EQ(resp.diagnostics(0).detail(), "3");
}

TEST_F(RpcServerTest, ErrorStatusAndMessageReachTheClient) {
  Start();
  auto stub = Stub();
  tfplugin6::ValidateResourceConfig::Response resp;
  grpc::Status s = Validate(*stub, "fail", &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_EQ(s.error_message(), "bad input: 100% \xe2\x9c\x93");  // percent-decoded by gRPC
  s = Validate(*stub, "throw", &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::INTERNAL);
  EXPECT_EQ(s.error_message(), "handler threw");
}

TEST_F(RpcServerTest, UnknownMethodIsUnimplemented) {
  Start();
  auto stub = Stub();
  tfplugin6::GetProviderSchema::Response resp;
  const grpc::Status s = stub->GetProviderSchema(Ctx().get(), {}, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNIMPLEMENTED);
  EXPECT_NE(s.error_message().find("/tfplugin6.Provider/GetProviderSchema"), std::string::npos);
}

TEST_F(RpcServerTest, ServerStreamingDeliversEveryMessageInOrder) {
  Start();
  auto stub = Stub();
  tfplugin6::ReadStateBytes::Request req;
  req.set_state_id("hello");
  auto ctx = Ctx();
  auto reader = stub->ReadStateBytes(ctx.get(), req);
  std::string got;
  tfplugin6::ReadStateBytes::Response chunk;
  while (reader->Read(&chunk)) got += chunk.bytes();
  EXPECT_TRUE(reader->Finish().ok());
  EXPECT_EQ(got, "hello");
}

TEST_F(RpcServerTest, ClientStreamingSeesEveryMessage) {
  Start();
  auto stub = Stub();
  tfplugin6::WriteStateBytes::Response resp;
  auto ctx = Ctx();
  auto writer = stub->WriteStateBytes(ctx.get(), &resp);
  for (const char* part : {"ab", "cd", "ef"}) {
    tfplugin6::WriteStateBytes::RequestChunk chunk;
    chunk.set_bytes(part);
    ASSERT_TRUE(writer->Write(chunk));
  }
  writer->WritesDone();
  ASSERT_TRUE(writer->Finish().ok());
  ASSERT_EQ(resp.diagnostics_size(), 1);
  EXPECT_EQ(resp.diagnostics(0).summary(), "abcdef");
}

TEST_F(RpcServerTest, LargeMessagesCrossFlowControlWindows) {
  Start();
  auto stub = Stub();
  tfplugin6::ValidateResourceConfig::Response resp;
  const size_t size = 12 << 20;  // beyond gRPC's 4 MiB default and our 4 MiB stream window
  const grpc::Status s = Validate(*stub, "big", &resp, size);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.diagnostics(0).detail(), std::to_string(size));
}

TEST_F(RpcServerTest, OversizedRequestIsResourceExhausted) {
  Start();
  auto stub = Stub();
  tfplugin6::ValidateResourceConfig::Response resp;
  const grpc::Status s = Validate(*stub, "huge", &resp, 17 << 20);  // limit is 16 MiB
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();
  // The connection stays usable.
  EXPECT_TRUE(Validate(*stub, "after", &resp).ok());
}

TEST_F(RpcServerTest, CallsRunConcurrently) {
  Start();
  auto stub = Stub();
  std::thread blocked([&] {
    tfplugin6::ValidateResourceConfig::Response resp;
    EXPECT_TRUE(Validate(*stub, "block", &resp).ok());
  });
  while (service_.waiting.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  // Another call on the same connection completes while the first one waits.
  tfplugin6::ValidateResourceConfig::Response resp;
  EXPECT_TRUE(Validate(*stub, "quick", &resp).ok());
  service_.gate.Open();
  blocked.join();
}

TEST_F(RpcServerTest, ClientCancellationReachesTheHandler) {
  Start();
  auto stub = Stub();
  grpc::ClientContext ctx;
  std::thread cancel([&] {
    while (service_.waiting.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    ctx.TryCancel();
  });
  tfplugin6::ValidateResourceConfig::Request req;
  req.set_type_name("block");
  tfplugin6::ValidateResourceConfig::Response resp;
  EXPECT_EQ(stub->ValidateResourceConfig(&ctx, req, &resp).error_code(),
            grpc::StatusCode::CANCELLED);
  cancel.join();
  for (int i = 0; i < 2000 && !service_.saw_cancel.load(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  EXPECT_TRUE(service_.saw_cancel.load());
}

TEST_F(RpcServerTest, ShutdownLetsTheCallInFlightFinish) {
  Start();
  auto stub = Stub();
  grpc::Status status;
  std::thread blocked([&] {
    tfplugin6::ValidateResourceConfig::Response resp;
    status = Validate(*stub, "block", &resp);
  });
  while (service_.waiting.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  std::thread opener([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    service_.gate.Open();
  });
  EXPECT_TRUE(Stop());
  blocked.join();
  opener.join();
  EXPECT_TRUE(status.ok()) << status.error_message();
}

TEST_F(RpcServerTest, ShutdownGivesUpOnACallThatNeverEnds) {
  Start();
  auto stub = Stub();
  std::thread blocked([&] {
    tfplugin6::ValidateResourceConfig::Response resp;
    EXPECT_FALSE(Validate(*stub, "block", &resp).ok());
  });
  while (service_.waiting.load() == 0) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  StopServing();
  // The handler only ends once cancelled: the forced close after the grace period does it.
  EXPECT_TRUE(server_->Shutdown(std::chrono::milliseconds(100)));
  EXPECT_TRUE(service_.saw_cancel.load());
  blocked.join();
  server_.reset();
  ::close(listen_fd_);
  ::close(wake_fd_);
  ::unlink(hs_.address.c_str());
  ::rmdir(dir_.c_str());
}

class RpcTlsTest : public RpcServerTest {
 protected:
  void StartTls() {
    server_cert_ = serve::GenerateSelfSignedCertificate();
    client_cert_ = serve::GenerateSelfSignedCertificate();
    auto tls = std::make_shared<TlsContext>(client_cert_.cert_der);
    tls->UseCertificate(server_cert_.cert.get(), server_cert_.key.get());
    hs_.cert_der = server_cert_.cert_der;
    Start(std::move(tls));
  }
  Certificate server_cert_, client_cert_;
};

TEST_F(RpcTlsTest, PinnedClientCertificateIsServed) {
  StartTls();
  auto stub = Stub(&client_cert_);
  tfplugin6::ValidateResourceConfig::Response resp;
  const grpc::Status s = Validate(*stub, "tls", &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(resp.diagnostics(0).summary(), "tls");
}

TEST_F(RpcTlsTest, ClientWithoutCertificateIsRefused) {
  StartTls();
  auto stub = Stub(nullptr);
  tfplugin6::ValidateResourceConfig::Response resp;
  EXPECT_EQ(Validate(*stub, "tls", &resp).error_code(), grpc::StatusCode::UNAVAILABLE);
}

TEST_F(RpcTlsTest, OtherClientCertificatesAreRefused) {
  StartTls();
  const Certificate stranger = serve::GenerateSelfSignedCertificate();
  const Certificate signed_by_pinned = serve::IssueCertificate(client_cert_);
  for (const Certificate* c : {&stranger, &signed_by_pinned}) {
    auto stub = Stub(c);
    tfplugin6::ValidateResourceConfig::Response resp;
    EXPECT_EQ(Validate(*stub, "tls", &resp).error_code(), grpc::StatusCode::UNAVAILABLE);
  }
}

TEST(RpcServer, UnusableTlsMaterialIsAnError) {
  const Certificate c = serve::GenerateSelfSignedCertificate();
  TlsContext tls(c.cert_der);
  EXPECT_THROW(tls.UseCertificate(nullptr, c.key.get()), std::runtime_error);  // no certificate
  EXPECT_THROW(tls.UseCertificate(c.cert.get(), nullptr), std::runtime_error);  // no key
  // A key that does not match the certificate.
  EXPECT_THROW(tls.UseCertificate(c.cert.get(), serve::GenerateSelfSignedCertificate().key.get()),
               std::runtime_error);
  EXPECT_NO_THROW(tls.UseCertificate(c.cert.get(), c.key.get()));
}

}  // namespace
}  // namespace tfj::rpc
