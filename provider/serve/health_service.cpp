#include "provider/serve/health_service.h"

#include <cstdint>
#include <optional>
#include <vector>

#include <grpcpp/impl/rpc_service_method.h>
#include <grpcpp/server_context.h>
#include <grpcpp/support/method_handler.h>

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

HealthService::HealthService() {
  AddMethod(new grpc::internal::RpcServiceMethod(
      kCheckMethod, grpc::internal::RpcMethod::NORMAL_RPC,
      new grpc::internal::RpcMethodHandler<HealthService, grpc::ByteBuffer, grpc::ByteBuffer>(
          [](HealthService* self, grpc::ServerContext* ctx, const grpc::ByteBuffer* req,
             grpc::ByteBuffer* resp) { return self->Check(ctx, req, resp); },
          this)));
}

grpc::Status HealthService::Answer(const std::string& request, std::string* response) {
  const std::optional<std::string> service = ParseService(request);
  if (!service) return {grpc::StatusCode::INVALID_ARGUMENT, "malformed HealthCheckRequest"};
  if (!service->empty() && *service != "plugin") {
    return {grpc::StatusCode::NOT_FOUND, "unknown service"};
  }
  *response = std::string("\x08\x01", 2);  // HealthCheckResponse{status = SERVING (1)}
  return grpc::Status::OK;
}

grpc::Status HealthService::Check(grpc::ServerContext*, const grpc::ByteBuffer* request,
                                  grpc::ByteBuffer* response) {
  std::vector<grpc::Slice> slices;
  std::string in;
  if (request->Dump(&slices).ok()) {
    for (const grpc::Slice& s : slices) {
      in.append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  std::string out;
  const grpc::Status status = Answer(in, &out);
  if (status.ok()) {
    grpc::Slice slice(out);
    *response = grpc::ByteBuffer(&slice, 1);
  }
  return status;
}

}  // namespace tfj::serve
