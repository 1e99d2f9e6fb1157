// Fuzzes the plugin server's connection input: the bytes a client sends after the TLS layer
// (the HTTP/2 connection preface, then frames carrying gRPC calls), served by the real
// connection code through rpc::testing::ServeConnectionBytes (provider/rpc/testing_hooks.h).
// Behind the server sits what the plugin serves (provider/serve/serve.cpp): tfplugin5 and
// tfplugin6 over the jira provider, whose Jira is the in-memory fake of the resources'
// unit tests (no network), and go-plugin's controller, stdio and health services.
//
// Every input gets a fresh provider and fake Jira, so a finding reproduces from its input
// alone. A hang (a call never answered, a thread never finished) shows as a libFuzzer
// timeout. Seeds: fuzz/make_corpus.py; dictionary: fuzz/dict/grpc_connection_fuzzer.dict.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "provider/core/server.h"
#include "provider/proto5/provider_service.h"
#include "provider/proto6/provider_service.h"
#include "provider/rpc/rpc.h"
#include "provider/rpc/testing_hooks.h"
#include "provider/serve/health_service.h"
#include "provider/serve/plugin_services.h"
#include "resources/provider.h"
#include "resources/testing/fake_client.h"

namespace {

std::unique_ptr<tf::Provider> ProviderOverFakeJira() {
  auto jira = std::make_shared<tfjira::testing::FakeJira>();
  return tfjira::NewProviderWith(
      [jira](const jira::ClientConfig&) -> jira::Result<std::shared_ptr<jira::Client>> {
        return std::shared_ptr<jira::Client>(jira);
      },
      [](const char*) -> std::optional<std::string> { return std::nullopt; });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  tf::Server core(ProviderOverFakeJira());
  tfj::proto5::ProviderService service5(core);
  tfj::proto6::ProviderService service6(core);
  tfj::serve::ControllerService controller([] {});  // nothing to stop here
  tfj::serve::StdioService stdio;
  tfj::rpc::Router router;
  service5.Register(router);
  service6.Register(router);
  controller.Register(router);
  stdio.Register(router);
  tfj::serve::HealthService::Register(router);

  tfj::rpc::ServerOptions options;
  // Small limits, so inputs of a fuzzer's size reach the paths that enforce them.
  options.max_message_bytes = 64 << 10;
  options.max_connection_buffer_bytes = 128 << 10;
  options.max_concurrent_calls = 4;
  (void)tfj::rpc::testing::ServeConnectionBytes(
      router, std::string_view(reinterpret_cast<const char*>(data), size), options);
  return 0;
}
