// grpc.health.v1.Health/Check, which go-plugin's client calls (service "plugin") to see
// whether the plugin is alive.
#pragma once

#include <string>

#include "provider/rpc/rpc.h"

namespace tfj::serve {

// Answers Check with SERVING for "" (the whole server) and "plugin", NOT_FOUND for any
// other service, as gRPC's default health service does once "plugin" is set serving.
// Written over raw bytes: the two-field messages do not justify compiling the health
// .proto into the plugin. Watch is not offered; go-plugin never calls it.
class HealthService final {
 public:
  // Adds grpc.health.v1.Health/Check to `router`.
  static void Register(rpc::Router& router);

  // Exposed for tests: the response bytes for a request, or NOT_FOUND / INVALID_ARGUMENT.
  static rpc::Status Answer(const std::string& request, std::string* response);
};

}  // namespace tfj::serve
