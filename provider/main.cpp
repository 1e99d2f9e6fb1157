// terraform-provider-jira: serves the Jira provider to Terraform over the go-plugin
// contract (protocol 5 or 6, chosen by Terraform).
#include "provider/rpc_grpc/configured.h"
#include "provider/serve/serve.h"
#include "resources/provider.h"

#ifndef TFJ_VERSION
#error "TFJ_VERSION must be defined by the build"
#endif

int main(int argc, char** argv) {
  tfj::serve::ServeOptions opts;
  opts.provider_address = "registry.terraform.io/tfjira/jira";
  opts.version = TFJ_VERSION;
  opts.factory = [] { return tfjira::NewProvider(); };
  tfj::rpc_grpc::UseConfiguredRpcServer(opts);  // -DTFJ_RPC_SERVER
  return tfj::serve::Main(argc, argv, opts);
}
