#include "provider/rpc/wire.h"

#include <cstdint>

namespace tfj::rpc::wire {

void AppendFramed(std::string_view message, std::string* out) {
  const auto len = static_cast<uint32_t>(message.size());
  const char prefix[5] = {0, static_cast<char>(len >> 24), static_cast<char>(len >> 16),
                          static_cast<char>(len >> 8), static_cast<char>(len)};
  out->append(prefix, sizeof prefix);
  out->append(message);
}

std::string SplitFramed(std::string_view body, size_t max_message_bytes,
                        std::vector<std::string>* messages) {
  size_t pos = 0;
  while (pos < body.size()) {
    if (body.size() - pos < 5) return "truncated message prefix";
    const auto* p = reinterpret_cast<const uint8_t*>(body.data() + pos);
    const size_t len = (size_t{p[1]} << 24) | (size_t{p[2]} << 16) | (size_t{p[3]} << 8) | p[4];
    if (p[0] & 1) return "compressed messages are not supported";
    if (p[0] != 0) return "invalid message flags";
    if (len > max_message_bytes) {
      return "message of " + std::to_string(len) + " bytes exceeds the limit of " +
             std::to_string(max_message_bytes);
    }
    pos += 5;
    if (body.size() - pos < len) return "truncated message";
    messages->emplace_back(body.substr(pos, len));
    pos += len;
  }
  return {};
}

std::string PercentEncodeMessage(std::string_view message) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(message.size());
  for (const char c : message) {
    const auto b = static_cast<uint8_t>(c);
    if (b >= 0x20 && b <= 0x7e && b != '%') {
      out.push_back(c);
    } else {
      out.push_back('%');
      out.push_back(kHex[b >> 4]);
      out.push_back(kHex[b & 15]);
    }
  }
  return out;
}

}  // namespace tfj::rpc::wire
