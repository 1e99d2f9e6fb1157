#include "provider/serve/plugin_services.h"

#include "provider/core/log.h"

namespace tfj::serve {

grpc::Status ControllerService::Shutdown(grpc::ServerContext*, const plugin::Empty*,
                                         plugin::Empty*) {
  tf::log::Debug("shutdown requested by the plugin host");
  if (request_shutdown_) request_shutdown_();
  return grpc::Status::OK;
}

grpc::Status StdioService::StreamStdio(grpc::ServerContext*, const google::protobuf::Empty*,
                                       grpc::ServerWriter<plugin::StdioData>*) {
  return grpc::Status::OK;
}

}  // namespace tfj::serve
