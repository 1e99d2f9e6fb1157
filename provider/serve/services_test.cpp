// The plugin's method table against our .proto files: every RPC of the negotiated
// protocol's Provider service and of go-plugin's services has a handler, so none answers
// "unknown method" by accident; and a call routed by path reaches the core.
#include <gtest/gtest.h>

#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <thread>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "provider/core/log.h"
#include "provider/proto5/provider_service.h"
#include "provider/proto6/provider_service.h"
#include "provider/serve/health_service.h"
#include "provider/serve/plugin_services.h"

namespace tfj::serve {
namespace {

// "/package.Service/Method" for every rpc of `service` in proto/<file>.
std::set<std::string> ProtoMethods(const std::string& file, const std::string& service) {
  std::ifstream in(std::string(TFJ_PROTO_DIR) + "/" + file);
  std::stringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  std::smatch m;
  std::string package;
  if (std::regex_search(s, m, std::regex(R"(\npackage\s+([\w.]+)\s*;)"))) package = m[1];
  const size_t start = s.find("\nservice " + service + " {");
  const size_t end = s.find("\n}", start);
  std::set<std::string> out;
  if (package.empty() || start == std::string::npos || end == std::string::npos) return out;
  const std::string body = s.substr(start, end - start);
  const std::regex rpc(R"(\brpc\s+(\w+)\s*\()");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), rpc); it != std::sregex_iterator();
       ++it) {
    out.insert("/" + package + "." + service + "/" + (*it)[1].str());
  }
  return out;
}

class NoProvider final : public tf::Provider {
 public:
  std::string TypeName() const override { return "none"; }
  std::string Version() const override { return "0"; }
  tf::Schema GetSchema() const override { return {}; }
  void Configure(const tf::ConfigureProviderRequest&, tf::ConfigureProviderResponse&) override {}
  std::vector<tf::ResourceFactory> Resources() const override { return {}; }
  std::vector<tf::DataSourceFactory> DataSources() const override { return {}; }
};

std::set<std::string> Paths(const rpc::Router& router) {
  const std::vector<std::string> paths = router.Paths();
  return {paths.begin(), paths.end()};
}

// The Provider service of one protocol against its .proto file.
template <typename ProviderService>
void ExpectEveryProviderRpcHasAHandler(const std::string& proto_file, size_t at_least) {
  tf::Server core(std::make_unique<NoProvider>());
  ProviderService service(core);
  rpc::Router router;
  service.Register(router);
  const std::set<std::string> expected = ProtoMethods(proto_file, "Provider");
  ASSERT_GT(expected.size(), at_least);  // the file was found and parsed
  EXPECT_EQ(Paths(router), expected);
}

TEST(PluginServices, EveryProtocol6RpcHasAHandler) {
  ExpectEveryProviderRpcHasAHandler<proto6::ProviderService>("tfplugin6.proto", 30);
}

TEST(PluginServices, EveryProtocol5RpcHasAHandler) {
  ExpectEveryProviderRpcHasAHandler<proto5::ProviderService>("tfplugin5.proto", 20);
}

TEST(PluginServices, GoPluginServicesHaveHandlers) {
  ControllerService controller([] {});
  StdioService stdio;
  rpc::Router router;
  controller.Register(router);
  stdio.Register(router);
  HealthService::Register(router);
  std::set<std::string> expected = ProtoMethods("grpc_controller.proto", "GRPCController");
  const std::set<std::string> more = ProtoMethods("grpc_stdio.proto", "GRPCStdio");
  ASSERT_EQ(expected.size(), 1u);
  ASSERT_EQ(more.size(), 1u);
  expected.insert(more.begin(), more.end());
  expected.insert("/grpc.health.v1.Health/Check");
  EXPECT_EQ(Paths(router), expected);
}

// A Call fed by hand, as the transport would.
class FakeCall final : public rpc::Call {
 public:
  explicit FakeCall(std::vector<std::string> requests) : requests_(std::move(requests)) {}
  const std::vector<std::string>& requests() const override { return requests_; }
  bool Write(std::string message) override {
    written.push_back(std::move(message));
    return true;
  }
  bool IsCancelled() const override { return cancelled; }
  std::vector<std::string> written;
  bool cancelled = false;

 private:
  std::vector<std::string> requests_;
};

TEST(PluginServices, RoutedCallReachesTheCore) {
  tf::Server core(std::make_unique<NoProvider>());
  proto6::ProviderService service(core);
  rpc::Router router;
  service.Register(router);
  const rpc::Handler* handler = router.Find("/tfplugin6.Provider/GetProviderSchema");
  ASSERT_NE(handler, nullptr);
  FakeCall call({tfplugin6::GetProviderSchema::Request().SerializeAsString()});
  const rpc::Status status = (*handler)(call);
  ASSERT_TRUE(status.ok()) << status.message();
  ASSERT_EQ(call.written.size(), 1u);
  tfplugin6::GetProviderSchema::Response response;
  ASSERT_TRUE(response.ParseFromString(call.written[0]));
  EXPECT_TRUE(response.provider().has_block());
  EXPECT_TRUE(response.server_capabilities().plan_destroy());
}

TEST(PluginServices, UnparsableRequestIsInternalNotACrash) {
  tf::Server core(std::make_unique<NoProvider>());
  proto6::ProviderService service(core);
  rpc::Router router;
  service.Register(router);
  FakeCall call({std::string("\xff\xff\xff", 3)});
  const rpc::Status status = (*router.Find("/tfplugin6.Provider/ValidateResourceConfig"))(call);
  EXPECT_EQ(status.code(), rpc::StatusCode::kInternal);
  EXPECT_TRUE(call.written.empty());
  FakeCall none({});
  EXPECT_EQ((*router.Find("/tfplugin6.Provider/ValidateResourceConfig"))(none).code(),
            rpc::StatusCode::kInternal);
}

// Runs `body` with the provider's log (stderr) going to a file at debug level; returns
// the lines written.
template <typename Body>
std::vector<std::string> CaptureLog(Body body) {
  std::fflush(stderr);
  FILE* file = std::tmpfile();
  const int saved = ::dup(2);
  ::dup2(::fileno(file), 2);
  tf::log::SetLevel(tf::log::Level::kDebug);
  body();
  std::fflush(stderr);
  tf::log::InitFromEnvironment();
  ::dup2(saved, 2);
  ::close(saved);
  std::rewind(file);
  std::vector<std::string> lines;
  char buf[4096];
  while (std::fgets(buf, sizeof buf, file)) lines.emplace_back(buf);
  std::fclose(file);
  return lines;
}

template <typename ProviderService, typename Request>
void ExpectOneLogLine(const std::string& path, const Request& request, const std::string& rpc,
                      const std::string& version, const std::string& type_name) {
  tf::Server core(std::make_unique<NoProvider>());
  ProviderService service(core);
  rpc::Router router;
  service.Register(router);
  const rpc::Handler* handler = router.Find(path);
  ASSERT_NE(handler, nullptr) << path;
  const auto lines = CaptureLog([&] {
    FakeCall call({request.SerializeAsString()});
    (*handler)(call);
  });
  std::vector<nlohmann::json> served;
  for (const auto& line : lines) {
    const auto j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    ASSERT_FALSE(j.is_discarded()) << line;
    EXPECT_NE(j.value("@message", ""), "rpc") << line;  // the adapter's former second line
    if (j.value("@message", "") == "Served RPC") served.push_back(j);
  }
  ASSERT_EQ(served.size(), 1u) << path;
  EXPECT_EQ(served[0].value("tf_rpc", ""), rpc);
  EXPECT_EQ(served[0].value("rpc", ""), rpc);
  EXPECT_EQ(served[0].value("tf_proto_version", ""), version);
  EXPECT_EQ(served[0].value("tf_type_name", ""), type_name);
}

TEST(PluginServices, EachRpcIsLoggedOnceWithTheFieldsOfEngineAndAdapter) {
  tfplugin6::ReadResource::Request read6;
  read6.set_type_name("jira_user");
  ExpectOneLogLine<proto6::ProviderService>("/tfplugin6.Provider/ReadResource", read6,
                                            "ReadResource", "6", "jira_user");
  tfplugin5::ReadResource::Request read5;
  read5.set_type_name("jira_group");
  ExpectOneLogLine<proto5::ProviderService>("/tfplugin5.Provider/ReadResource", read5,
                                            "ReadResource", "5", "jira_group");
  ExpectOneLogLine<proto6::ProviderService>("/tfplugin6.Provider/StopProvider",
                                            tfplugin6::StopProvider::Request(), "StopProvider",
                                            "6", "");
}

// A resource whose import waits for its cancellation token, for at most five seconds.
class WaitingResource final : public tf::Resource {
 public:
  explicit WaitingResource(std::atomic<bool>* saw_cancel) : saw_cancel_(saw_cancel) {}
  std::string TypeName() const override { return "test_wait"; }
  tf::Schema GetSchema() const override { return {}; }
  void Create(const tf::CreateRequest&, tf::CreateResponse&) override {}
  void Read(const tf::ReadRequest&, tf::ReadResponse&) override {}
  void Update(const tf::UpdateRequest&, tf::UpdateResponse&) override {}
  void Delete(const tf::DeleteRequest&, tf::DeleteResponse&) override {}
  void ImportState(const tf::ImportRequest& req, tf::ImportResponse&) override {
    for (int i = 0; i < 5000 && !req.cancel.cancelled(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    *saw_cancel_ = req.cancel.cancelled();
  }

 private:
  std::atomic<bool>* saw_cancel_;
};

class WaitingProvider final : public tf::Provider {
 public:
  std::atomic<bool> saw_cancel{false};
  std::string TypeName() const override { return "test"; }
  std::string Version() const override { return "0"; }
  tf::Schema GetSchema() const override { return {}; }
  void Configure(const tf::ConfigureProviderRequest&, tf::ConfigureProviderResponse&) override {}
  std::vector<tf::ResourceFactory> Resources() const override {
    auto* flag = const_cast<std::atomic<bool>*>(&saw_cancel);
    return {[flag] { return std::make_unique<WaitingResource>(flag); }};
  }
  std::vector<tf::DataSourceFactory> DataSources() const override { return {}; }
};

// A call the client cancelled (or whose deadline passed) cancels the token the resource
// hands to the Jira client, in both protocols.
template <typename ProviderService, typename Request>
void ExpectCallCancellationReachesTheResource(const std::string& path) {
  auto owned = std::make_unique<WaitingProvider>();
  WaitingProvider* provider = owned.get();
  tf::Server core(std::move(owned));
  ProviderService service(core);
  rpc::Router router;
  service.Register(router);
  Request request;
  request.set_type_name("test_wait");
  request.set_id("x");
  FakeCall call({request.SerializeAsString()});
  call.cancelled = true;
  ASSERT_TRUE((*router.Find(path))(call).ok());
  EXPECT_TRUE(provider->saw_cancel.load()) << path;
}

TEST(PluginServices, CallCancellationReachesTheResourceToken) {
  ExpectCallCancellationReachesTheResource<proto6::ProviderService,
                                           tfplugin6::ImportResourceState::Request>(
      "/tfplugin6.Provider/ImportResourceState");
  ExpectCallCancellationReachesTheResource<proto5::ProviderService,
                                           tfplugin5::ImportResourceState::Request>(
      "/tfplugin5.Provider/ImportResourceState");
}

}  // namespace
}  // namespace tfj::serve
