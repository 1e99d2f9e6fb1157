#include "provider/serve/handshake.h"

#include <algorithm>
#include <charconv>

#include <nlohmann/json.hpp>

namespace tfj::serve {

std::string NotAPluginMessage(std::string_view program) {
  const std::string name(program);
  return name + " is a Terraform plugin and is not meant to be run directly.\n"
         "Terraform starts it when a configuration uses this provider (see `terraform init`,\n"
         "or dev_overrides in the CLI configuration). To run it under a debugger, start it\n"
         "with --debug and export the TF_REATTACH_PROVIDERS value it prints.\n";
}

bool HasMagicCookie(const char* value) {
  return value != nullptr && std::string_view(value) == kMagicCookieValue;
}

Negotiation NegotiateProtocol(const char* env_value, const std::vector<int>& supported) {
  std::vector<int> offered;
  std::string_view rest = env_value ? env_value : "";
  while (!rest.empty()) {
    const size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    int v = 0;
    auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), v);
    if (ec == std::errc() && end == item.data() + item.size() && !item.empty()) {
      offered.push_back(v);
    }
  }
  Negotiation n;
  for (int v : supported) {
    if (std::find(offered.begin(), offered.end(), v) != offered.end() && v > n.version) {
      n.version = v;
    }
  }
  if (n.version == 0) {
    std::string ours;
    for (int v : supported) ours += (ours.empty() ? "" : ", ") + std::to_string(v);
    // The value as quoted: at most 64 bytes, printable ASCII.
    const std::string_view raw = env_value ? env_value : "";
    std::string shown;
    for (char c : raw.substr(0, 64)) shown += (c >= 0x20 && c < 0x7f && c != '"') ? c : '?';
    if (raw.size() > 64) shown += "...";
    n.error = "no common plugin protocol version: Terraform offered PLUGIN_PROTOCOL_VERSIONS=\"" +
              shown + "\"";
    if (offered.empty()) {
      n.error += env_value == nullptr ? " (unset)" : ", which lists no version";
      n.error += " (expected comma-separated version numbers, such as \"5,6\")";
    }
    n.error += "; this provider speaks " + ours +
               " (protocol 5 needs Terraform 0.12 or later, protocol 6 Terraform 0.15 or later)";
  }
  return n;
}

std::string Base64RawStd(std::string_view bytes) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() * 4 + 2) / 3);
  size_t i = 0;
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t v = (p[i] << 16) | (p[i + 1] << 8) | p[i + 2];
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
    out.push_back(kAlphabet[v & 63]);
  }
  const size_t left = bytes.size() - i;
  if (left == 1) {
    const uint32_t v = p[i] << 16;
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
  } else if (left == 2) {
    const uint32_t v = (p[i] << 16) | (p[i + 1] << 8);
    out.push_back(kAlphabet[(v >> 18) & 63]);
    out.push_back(kAlphabet[(v >> 12) & 63]);
    out.push_back(kAlphabet[(v >> 6) & 63]);
  }
  return out;
}

std::string HandshakeLine(int version, std::string_view network, std::string_view address,
                          std::string_view cert_der) {
  std::string line = "1|" + std::to_string(version) + "|" + std::string(network) + "|" +
                     std::string(address) + "|grpc|";
  if (!cert_der.empty()) line += Base64RawStd(cert_der);
  return line;
}

std::string ReattachJson(std::string_view provider_address, int version, long pid,
                         std::string_view network, std::string_view address) {
  nlohmann::ordered_json entry = {
      {"Protocol", "grpc"},
      {"ProtocolVersion", version},
      {"Pid", pid},
      {"Test", true},
      {"Addr", {{"Network", std::string(network)}, {"String", std::string(address)}}},
  };
  nlohmann::ordered_json root;
  root[std::string(provider_address)] = entry;
  return root.dump();
}

}  // namespace tfj::serve
