// A plugin binary for the serve tests and the handshake benchmark: the real serving code
// around a tiny provider with one resource-free schema, so the tests do not depend on
// the Jira resources.
#include <cstdlib>

#include "provider/core/resource.h"
#include "provider/rpc_grpc/configured.h"
#include "provider/serve/serve.h"

namespace {

class TestProvider final : public tf::Provider {
 public:
  std::string TypeName() const override { return "tfjtest"; }
  std::string Version() const override { return "0.0.1"; }
  tf::Schema GetSchema() const override {
    tf::Schema s;
    tf::Attribute endpoint;
    endpoint.name = "endpoint";
    endpoint.type = tf::Type::String();
    endpoint.optional = true;
    endpoint.description = "Where to connect.";
    s.block.attributes.push_back(endpoint);
    return s;
  }
  void Configure(const tf::ConfigureProviderRequest&, tf::ConfigureProviderResponse&) override {}
  std::vector<tf::ResourceFactory> Resources() const override { return {}; }
  std::vector<tf::DataSourceFactory> DataSources() const override { return {}; }
};

}  // namespace

int main(int argc, char** argv) {
  tfj::serve::ServeOptions opts;
  opts.provider_address = "registry.terraform.io/tfj/tfjtest";
  opts.version = "0.0.1";
  opts.factory = [] { return std::make_unique<TestProvider>(); };
  tfj::rpc_grpc::UseConfiguredRpcServer(opts);
  return tfj::serve::Main(argc, argv, opts);
}
