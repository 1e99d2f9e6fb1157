#include "provider/serve/health_service.h"

#include <cstdint>
#include <optional>
#include <vector>


namespace tfj::serve {
namespace {

constexpr char kCheckMethod[] = "/grpc.health.v1.Health/Check";

std::optional<uint64_t> ReadVarint(const std::string& in, size_t* pos) {
  uint64_t v = 0;
  for (int shift = 0; shift < 64 && *pos < in.size(); shift += 7) {
    const auto byte = static_cast<uint8_t>(in[(*pos)++]);
    v |= static_cast<uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) return v;
  }
  return std::nullopt;
}

// HealthCheckRequest{string service = 1}; unknown fields are skipped as protobuf does.
std::optional<std::string> ParseService(const std::string& in) {
  std::string service;
  size_t pos = 0;
  while (pos < in.size()) {
    const std::optional<uint64_t> key = ReadVarint(in, &pos);
    if (!key) return std::nullopt;
    switch (*key & 7) {
      case 0:
        if (!ReadVarint(in, &pos)) return std::nullopt;
        break;
      case 1:
        pos += 8;
        break;
      case 2: {
        const std::optional<uint64_t> len = ReadVarint(in, &pos);
        if (!len || *len > in.size() - pos) return std::nullopt;
        if ((*key >> 3) == 1) service.assign(in, pos, *len);
        pos += *len;
        break;
      }
      case 5:
        pos += 4;
        break;
      default:
        return std::nullopt;
    }
    if (pos > in.size()) return std::nullopt;
  }
  return service;
}

}  // namespace

void HealthService::Register(rpc::Router& router) {
  router.Add(kCheckMethod, [](rpc::Call& call) {
    if (call.requests().size() != 1) {
      return rpc::Status(rpc::StatusCode::kInternal, "expected one HealthCheckRequest");
    }
    std::string response;
    const rpc::Status status = Answer(call.requests()[0], &response);
    if (status.ok()) call.Write(std::move(response));
    return status;
  });
}

rpc::Status HealthService::Answer(const std::string& request, std::string* response) {
  const std::optional<std::string> service = ParseService(request);
  if (!service) return {rpc::StatusCode::kInvalidArgument, "malformed HealthCheckRequest"};
  if (!service->empty() && *service != "plugin") {
    return {rpc::StatusCode::kNotFound, "unknown service"};
  }
  *response = std::string("\x08\x01", 2);  // HealthCheckResponse{status = SERVING (1)}
  return rpc::Status::OK;
}

}  // namespace tfj::serve
