// Fuzzes gRPC's message framing as the plugin server reads it (provider/rpc/wire.h): a
// request body split into length-prefixed messages, and the grpc-message trailer encoding.
// A body that splits must be exactly its messages re-framed; the trailer must be printable
// ASCII (an HTTP/2 header value).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "provider/rpc/wire.h"

namespace {

void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "grpc_wire_fuzzer: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  // Byte 0 scales the per-message limit, so limits near the messages' sizes are tried.
  const size_t limit = size_t{data[0]} * 4;

  std::vector<std::string> messages;
  const std::string error = tfj::rpc::wire::SplitFramed(body, limit, &messages);
  if (error.empty()) {
    std::string reframed;
    for (const auto& m : messages) {
      Check(m.size() <= limit, "a message over the limit was accepted");
      tfj::rpc::wire::AppendFramed(m, &reframed);
    }
    Check(reframed == body, "re-framing the messages does not give the body back");
  }

  const std::string encoded = tfj::rpc::wire::PercentEncodeMessage(body);
  for (const char c : encoded) {
    Check(c >= 0x20 && c <= 0x7e, "grpc-message holds a byte that is not printable ASCII");
  }
  return 0;
}
