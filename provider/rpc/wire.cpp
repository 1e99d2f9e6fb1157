#include "provider/rpc/wire.h"

#include <algorithm>
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

std::string StatusMessage(std::string_view message, size_t max_encoded_bytes) {
  size_t encoded = 0;
  size_t cut = 0;  // bytes of `message` kept so far, always at a character start
  for (size_t i = 0; i < message.size();) {
    // One UTF-8 character (or one stray byte): its lead byte says how long it is.
    const auto lead = static_cast<uint8_t>(message[i]);
    size_t len = lead < 0xc0 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    len = std::min(len, message.size() - i);
    size_t cost = 0;
    for (size_t k = i; k < i + len; ++k) {
      const auto b = static_cast<uint8_t>(message[k]);
      cost += (b >= 0x20 && b <= 0x7e && b != '%') ? 1 : 3;
    }
    if (encoded + cost > max_encoded_bytes) break;
    encoded += cost;
    i += len;
    cut = i;
  }
  return PercentEncodeMessage(message.substr(0, cut));
}

int64_t ParseTimeoutNanos(std::string_view value) {
  // PROTOCOL-HTTP2.md: Timeout -> "grpc-timeout" TimeoutValue TimeoutUnit, TimeoutValue
  // being at most 8 ASCII digits.
  if (value.size() < 2 || value.size() > 9) return -1;
  int64_t n = 0;
  for (const char c : value.substr(0, value.size() - 1)) {
    if (c < '0' || c > '9') return -1;
    n = n * 10 + (c - '0');
  }
  switch (value.back()) {
    case 'H': return n * 3600'000'000'000;
    case 'M': return n * 60'000'000'000;
    case 'S': return n * 1'000'000'000;
    case 'm': return n * 1'000'000;
    case 'u': return n * 1'000;
    case 'n': return n;
    default: return -1;
  }
}

}  // namespace tfj::rpc::wire
