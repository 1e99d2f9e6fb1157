// terraform-provider-tfjtest: the test-only provider as a real plugin binary.
#include "acceptance_tests/testprovider/provider.h"
#include "provider/rpc_grpc/configured.h"
#include "provider/serve/serve.h"

int main(int argc, char** argv) {
  tfj::serve::ServeOptions options;
  options.provider_address = tfj::testprovider::kSourceAddress;
  options.version = "0.0.1";
  options.factory = [] { return tfj::testprovider::NewProvider(); };
  tfj::rpc_grpc::UseConfiguredRpcServer(options);
  return tfj::serve::Main(argc, argv, options);
}
