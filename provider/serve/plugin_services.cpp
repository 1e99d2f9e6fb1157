#include "provider/serve/plugin_services.h"

#include "provider/core/log.h"

namespace tfj::serve {

void ControllerService::Register(rpc::Router& router) {
  rpc::Add(router, "/plugin.GRPCController/Shutdown", this, &ControllerService::Shutdown);
}

rpc::Status ControllerService::Shutdown(rpc::ServerContext*, const plugin::Empty*,
                                        plugin::Empty*) {
  tf::log::Debug("shutdown requested by the plugin host");
  if (request_shutdown_) request_shutdown_();
  return rpc::Status::OK;
}

void StdioService::Register(rpc::Router& router) {
  rpc::Add(router, "/plugin.GRPCStdio/StreamStdio", this, &StdioService::StreamStdio);
}

rpc::Status StdioService::StreamStdio(rpc::ServerContext*, const plugin::Empty*,
                                      rpc::ServerWriter<plugin::StdioData>*) {
  return rpc::Status::OK;
}

}  // namespace tfj::serve
