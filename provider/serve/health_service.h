// grpc.health.v1.Health/Check, which go-plugin's client calls (service "plugin") to see
// whether the plugin is alive.
#pragma once

#include <string>

#include <grpcpp/impl/service_type.h>
#include <grpcpp/support/byte_buffer.h>
#include <grpcpp/support/status.h>

namespace tfj::serve {

// Answers Check with SERVING for "" (the whole server) and "plugin", NOT_FOUND for any
// other service, as gRPC's default health service does once "plugin" is set serving.
// Hand-written over raw bytes instead of grpc::EnableDefaultHealthCheckService: that one
// is built on the callback API, whose completion queue starts two more threads at every
// plugin start (measured ~1.5 ms of CPU before the handshake), and the health .proto is
// not compiled into the plugin. Watch is not offered; go-plugin never calls it.
class HealthService final : public grpc::Service {
 public:
  HealthService();

  // Exposed for tests: the response bytes for a request, or NOT_FOUND / INVALID_ARGUMENT.
  static grpc::Status Answer(const std::string& request, std::string* response);

 private:
  grpc::Status Check(grpc::ServerContext*, const grpc::ByteBuffer* request,
                     grpc::ByteBuffer* response);
};

}  // namespace tfj::serve
