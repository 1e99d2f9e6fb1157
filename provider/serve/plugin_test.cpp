// End-to-end tests of the go-plugin contract: a real plugin process (the test plugin,
// built from the same serving code as terraform-provider-jira) started the way
// Terraform starts providers.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <memory>
#include <thread>

#include <nlohmann/json.hpp>

#include "grpc_controller.grpc.pb.h"
#include "tfplugin5.grpc.pb.h"
#include "tfplugin6.grpc.pb.h"
#include "provider/serve/certificate.h"
#include "provider/serve/testing/plugin_process.h"

namespace tfj::serve::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr milliseconds kStartTimeout{20000};  // generous: sanitizer builds are slow

// The plugin under test and the gRPC server it was built with (nghttp2 or grpc): the
// build's choice, or the other server's plugin in the second run (tfj_rpc_other_run).
std::string FromEnvironment(const char* name, const char* fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? value : fallback;
}
std::string PluginPath() { return FromEnvironment("TFJ_TEST_PLUGIN", TFJ_TEST_PLUGIN); }
bool ServedByGrpcCpp() {
  return FromEnvironment("TFJ_TEST_PLUGIN_SERVER", TFJ_TEST_PLUGIN_SERVER) == "grpc";
}

struct Running {
  std::unique_ptr<PluginProcess> process;
  Handshake handshake;
};

// Starts the plugin and parses its handshake; fails the test on any problem.
Running StartPlugin(const std::map<std::string, std::string>& env,
                    const std::vector<std::string>& args = {}) {
  Running r;
  std::string error;
  r.process = PluginProcess::Start(PluginPath(), args, env, &error);
  EXPECT_TRUE(r.process) << error;
  if (!r.process) return r;
  const auto line = r.process->ReadLine(kStartTimeout);
  EXPECT_TRUE(line) << "no handshake; stderr:\n" << r.process->Stderr();
  if (!line) return r;
  const auto hs = ParseHandshake(*line, &error);
  EXPECT_TRUE(hs) << error;
  if (hs) r.handshake = *hs;
  return r;
}

std::unique_ptr<grpc::ClientContext> Ctx() {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + seconds(20));
  return ctx;
}

// As go-plugin's client does on Close: Shutdown, then close the connection.
void ShutdownAndExpectExit0(Running& r, std::shared_ptr<grpc::Channel> channel) {
  {
    auto stub = plugin::GRPCController::NewStub(channel);
    plugin::Empty req, resp;
    auto ctx = Ctx();
    const grpc::Status st = stub->Shutdown(ctx.get(), req, &resp);
    EXPECT_TRUE(st.ok()) << st.error_message();
  }
  channel.reset();
  const auto code = r.process->Wait(milliseconds(10000));
  ASSERT_TRUE(code.has_value()) << "plugin did not exit after Shutdown";
  EXPECT_EQ(*code, 0) << r.process->Stderr();
}

class AutoMtls : public ::testing::TestWithParam<int> {
 protected:
  static void SetUpTestSuite() {
    client_ = new Certificate(GenerateSelfSignedCertificate());
  }
  static void TearDownTestSuite() { delete client_; }
  static Certificate* client_;
};
Certificate* AutoMtls::client_ = nullptr;

TEST_P(AutoMtls, ClientWithTheCertificateGetsHealthAndSchema) {
  const int version = GetParam();
  Running r = StartPlugin(TerraformEnvironment(client_, std::to_string(version)));
  ASSERT_TRUE(r.process);
  EXPECT_EQ(r.handshake.core_version, 1);
  EXPECT_EQ(r.handshake.protocol_version, version);
  EXPECT_EQ(r.handshake.network, "unix");
  EXPECT_EQ(r.handshake.protocol, "grpc");
  ASSERT_FALSE(r.handshake.cert_der.empty());
  EXPECT_GT(r.handshake.cert_base64.size(), 50u);  // go-plugin's "is a certificate" rule

  // The socket lives in a private directory.
  const std::string dir = r.handshake.address.substr(0, r.handshake.address.rfind('/'));
  struct stat st {};
  ASSERT_EQ(::stat(dir.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);

  auto channel = Dial(r.handshake, client_);
  int serving = 0;
  const grpc::Status health = HealthCheck(channel, "plugin", &serving);
  ASSERT_TRUE(health.ok()) << health.error_message();
  EXPECT_EQ(serving, 1);

  if (version == 6) {
    auto stub = tfplugin6::Provider::NewStub(channel);
    tfplugin6::GetProviderSchema::Request req;
    tfplugin6::GetProviderSchema::Response resp;
    auto ctx = Ctx();
    const grpc::Status s = stub->GetProviderSchema(ctx.get(), req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_TRUE(resp.provider().has_block());
    ASSERT_EQ(resp.provider().block().attributes_size(), 1);
    EXPECT_EQ(resp.provider().block().attributes(0).name(), "endpoint");
    EXPECT_EQ(resp.diagnostics_size(), 0);
    // Only the announced protocol is served.
    auto stub5 = tfplugin5::Provider::NewStub(channel);
    tfplugin5::GetProviderSchema::Response resp5;
    auto ctx5 = Ctx();
    EXPECT_EQ(stub5->GetSchema(ctx5.get(), tfplugin5::GetProviderSchema::Request(), &resp5)
                  .error_code(),
              grpc::StatusCode::UNIMPLEMENTED);
  } else {
    auto stub = tfplugin5::Provider::NewStub(channel);
    tfplugin5::GetProviderSchema::Request req;
    tfplugin5::GetProviderSchema::Response resp;
    auto ctx = Ctx();
    const grpc::Status s = stub->GetSchema(ctx.get(), req, &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
    ASSERT_TRUE(resp.provider().has_block());
    EXPECT_EQ(resp.provider().block().attributes(0).name(), "endpoint");
    // v5 PrepareProviderConfig echoes the configuration.
    tfplugin5::PrepareProviderConfig::Request preq;
    preq.mutable_config()->set_msgpack("\x81\xa8" "endpoint\xa1x");
    tfplugin5::PrepareProviderConfig::Response presp;
    auto pctx = Ctx();
    ASSERT_TRUE(stub->PrepareProviderConfig(pctx.get(), preq, &presp).ok());
    EXPECT_EQ(presp.prepared_config().msgpack(), preq.config().msgpack());
  }
  ShutdownAndExpectExit0(r, std::move(channel));
  EXPECT_NE(::access(dir.c_str(), F_OK), 0) << "socket directory left behind";
  EXPECT_EQ(r.process->ReadRemainingStdout(milliseconds(1000)), "")
      << "stdout must hold the handshake line only";
}

INSTANTIATE_TEST_SUITE_P(Protocols, AutoMtls, ::testing::Values(5, 6));

TEST_F(AutoMtls, ClientWithoutACertificateIsRefused) {
  Running r = StartPlugin(TerraformEnvironment(client_, "6"));
  ASSERT_TRUE(r.process);
  auto channel = Dial(r.handshake, nullptr);
  int serving = 0;
  const grpc::Status s = HealthCheck(channel, "plugin", &serving);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(serving, 0);
  EXPECT_TRUE(r.process->Running());
}

TEST_F(AutoMtls, ClientWithAnotherCertificateIsRefused) {
  Running r = StartPlugin(TerraformEnvironment(client_, "6"));
  ASSERT_TRUE(r.process);
  const Certificate other = GenerateSelfSignedCertificate();
  auto channel = Dial(r.handshake, &other);
  int serving = 0;
  const grpc::Status s = HealthCheck(channel, "plugin", &serving);
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(serving, 0);
  // The right certificate still works afterwards.
  auto good = Dial(r.handshake, client_);
  EXPECT_TRUE(HealthCheck(good, "plugin", &serving).ok());
  EXPECT_EQ(serving, 1);
}

// Chain verification would accept a certificate *signed by* Terraform's (it is a CA
// certificate); provider/rpc's TLS handshake insists on exactly the certificate from
// PLUGIN_CLIENT_CERT, so the connection itself is refused. gRPC C++'s server verifies the
// chain, as go-plugin's own server does (ClientCAs), and accepts it.
TEST_F(AutoMtls, CertificateSignedByTheClientCertificate) {
  Running r = StartPlugin(TerraformEnvironment(client_, "6"));
  ASSERT_TRUE(r.process);
  const Certificate leaf = IssueCertificate(*client_);
  int serving = 0;
  const grpc::Status s = HealthCheck(Dial(r.handshake, &leaf), "plugin", &serving);
  if (ServedByGrpcCpp()) {
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_EQ(serving, 1);
  } else {
    EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
    EXPECT_EQ(serving, 0);
  }
  serving = 0;
  EXPECT_TRUE(HealthCheck(Dial(r.handshake, client_), "plugin", &serving).ok());
  EXPECT_EQ(serving, 1);
}

TEST_F(AutoMtls, PlaintextClientIsRefused) {
  Running r = StartPlugin(TerraformEnvironment(client_, "6"));
  ASSERT_TRUE(r.process);
  Handshake plain = r.handshake;
  plain.cert_der.clear();
  int serving = 0;
  EXPECT_FALSE(HealthCheck(Dial(plain, nullptr), "plugin", &serving).ok());
}

TEST_F(AutoMtls, SigintDoesNotKillThePlugin) {
  Running r = StartPlugin(TerraformEnvironment(client_, "6"));
  ASSERT_TRUE(r.process);
  r.process->Signal(SIGINT);
  auto channel = Dial(r.handshake, client_);
  int serving = 0;
  // A call after the signal proves the process survived it and keeps serving.
  const grpc::Status s = HealthCheck(channel, "plugin", &serving);
  EXPECT_TRUE(s.ok()) << s.error_message() << "\n" << r.process->Stderr();
  EXPECT_TRUE(r.process->Running());
  ShutdownAndExpectExit0(r, std::move(channel));
}

TEST_F(AutoMtls, SigtermStopsGracefully) {
  Running r = StartPlugin(TerraformEnvironment(client_, "6"));
  ASSERT_TRUE(r.process);
  r.process->Signal(SIGTERM);
  const auto code = r.process->Wait(milliseconds(10000));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0);
}

TEST_F(AutoMtls, StopProviderAnswersWithoutError) {
  Running r = StartPlugin(TerraformEnvironment(client_, "6"));
  ASSERT_TRUE(r.process);
  auto stub = tfplugin6::Provider::NewStub(Dial(r.handshake, client_));
  tfplugin6::StopProvider::Response resp;
  auto ctx = Ctx();
  ASSERT_TRUE(stub->StopProvider(ctx.get(), tfplugin6::StopProvider::Request(), &resp).ok());
  EXPECT_EQ(resp.error(), "");
}

TEST(Plugin, WithoutTheCookieItExplainsAndExits1) {
  std::string error;
  auto env = TerraformEnvironment(nullptr, "5,6");
  env[std::string("TF_PLUGIN_MAGIC_COOKIE")] = "\x01unset";
  auto p = PluginProcess::Start(PluginPath(), {}, env, &error);
  ASSERT_TRUE(p) << error;
  const auto code = p->Wait(kStartTimeout);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 1);
  EXPECT_EQ(p->ReadRemainingStdout(milliseconds(1000)), "");
  EXPECT_NE(p->Stderr().find("is a Terraform plugin and is not meant to be run directly"),
            std::string::npos)
      << p->Stderr();
}

TEST(Plugin, NoCommonProtocolExits1WithAClearMessage) {
  std::string error;
  auto p = PluginProcess::Start(PluginPath(), {}, TerraformEnvironment(nullptr, "7"), &error);
  ASSERT_TRUE(p) << error;
  const auto code = p->Wait(kStartTimeout);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 1);
  EXPECT_EQ(p->ReadRemainingStdout(milliseconds(1000)), "");
  EXPECT_NE(p->Stderr().find("no common plugin protocol version"), std::string::npos);
}

TEST(Plugin, MalformedPortVariableExits1NamingIt) {
  auto env = TerraformEnvironment(nullptr, "6");
  env["TFJ_PLUGIN_NETWORK"] = "tcp";
  env["PLUGIN_MIN_PORT"] = "abc";
  env["PLUGIN_MAX_PORT"] = "21999";
  std::string error;
  auto p = PluginProcess::Start(PluginPath(), {}, env, &error);
  ASSERT_TRUE(p) << error;
  const auto code = p->Wait(kStartTimeout);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 1);
  EXPECT_EQ(p->ReadRemainingStdout(milliseconds(1000)), "");
  EXPECT_NE(p->Stderr().find("PLUGIN_MIN_PORT=\"abc\" is not a port: expected a decimal number"),
            std::string::npos)
      << p->Stderr();
}

TEST(Plugin, TlsDisabledMeansPlaintextAndEmptyFieldSix) {
  Running r = StartPlugin(TerraformEnvironment(nullptr, "5,6"));
  ASSERT_TRUE(r.process);
  EXPECT_EQ(r.handshake.protocol_version, 6);
  EXPECT_EQ(r.handshake.cert_base64, "");
  int serving = 0;
  auto channel = Dial(r.handshake, nullptr);
  EXPECT_TRUE(HealthCheck(channel, "plugin", &serving).ok());
  ShutdownAndExpectExit0(r, std::move(channel));
}

TEST(Plugin, TcpModeBindsLoopbackWithinThePortRange) {
  auto env = TerraformEnvironment(nullptr, "6");
  env["TFJ_PLUGIN_NETWORK"] = "tcp";
  env["PLUGIN_MIN_PORT"] = "21000";
  env["PLUGIN_MAX_PORT"] = "21999";
  Running r = StartPlugin(env);
  ASSERT_TRUE(r.process);
  EXPECT_EQ(r.handshake.network, "tcp");
  ASSERT_EQ(r.handshake.address.rfind("127.0.0.1:", 0), 0u) << r.handshake.address;
  const int port = std::stoi(r.handshake.address.substr(10));
  EXPECT_GE(port, 21000);
  EXPECT_LE(port, 21999);
  int serving = 0;
  auto channel = Dial(r.handshake, nullptr);
  EXPECT_TRUE(HealthCheck(channel, "plugin", &serving).ok());
  ShutdownAndExpectExit0(r, std::move(channel));
}

TEST(Plugin, UnixSocketDirComesFromTheEnvironment) {
  std::string base = ::testing::TempDir() + "/tfj-sockdir-XXXXXX";
  ASSERT_NE(::mkdtemp(base.data()), nullptr);
  auto env = TerraformEnvironment(nullptr, "6");
  env["PLUGIN_UNIX_SOCKET_DIR"] = base;
  Running r = StartPlugin(env);
  ASSERT_TRUE(r.process);
  EXPECT_EQ(r.handshake.address.rfind(base + "/", 0), 0u) << r.handshake.address;
  auto channel = Dial(r.handshake, nullptr);
  ShutdownAndExpectExit0(r, std::move(channel));
  EXPECT_EQ(::rmdir(base.c_str()), 0) << "the plugin left files behind";
}

TEST(Plugin, DebugModePrintsAUsableReattachValue) {
  std::string error;
  auto env = TerraformEnvironment(nullptr, "6");
  env[std::string("TF_PLUGIN_MAGIC_COOKIE")] = "\x01unset";  // debug needs no cookie
  auto p = PluginProcess::Start(PluginPath(), {"--debug", "--protocol", "5"}, env, &error);
  ASSERT_TRUE(p) << error;
  const auto line = p->ReadLine(kStartTimeout);
  ASSERT_TRUE(line) << p->Stderr();
  const std::string prefix = "TF_REATTACH_PROVIDERS='";
  ASSERT_EQ(line->rfind(prefix, 0), 0u) << *line;
  ASSERT_EQ(line->back(), '\'');
  const auto j = nlohmann::json::parse(line->substr(prefix.size(), line->size() - prefix.size() - 1));
  const auto& e = j.at("registry.terraform.io/tfj/tfjtest");
  EXPECT_EQ(e.at("Protocol"), "grpc");
  EXPECT_EQ(e.at("ProtocolVersion"), 5);
  EXPECT_EQ(e.at("Pid"), p->pid());
  EXPECT_EQ(e.at("Test"), true);
  EXPECT_EQ(e.at("Addr").at("Network"), "unix");
  Handshake hs;
  hs.network = "unix";
  hs.address = e.at("Addr").at("String");
  auto stub = tfplugin5::Provider::NewStub(Dial(hs, nullptr));
  tfplugin5::GetProviderSchema::Response resp;
  auto ctx = Ctx();
  ASSERT_TRUE(stub->GetSchema(ctx.get(), tfplugin5::GetProviderSchema::Request(), &resp).ok());
  EXPECT_TRUE(resp.provider().has_block());
  p->Signal(SIGINT);  // in debug mode Ctrl-C stops the provider
  const auto code = p->Wait(milliseconds(10000));
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0);
}

TEST(Plugin, VersionFlagPrintsTheVersion) {
  std::string error;
  auto p = PluginProcess::Start(PluginPath(), {"--version"}, {}, &error);
  ASSERT_TRUE(p) << error;
  const auto line = p->ReadLine(kStartTimeout);
  ASSERT_TRUE(line);
  EXPECT_EQ(*line, "terraform-provider-tfjtest v0.0.1");
  EXPECT_EQ(p->Wait(kStartTimeout), 0);
}

}  // namespace
}  // namespace tfj::serve::testing
