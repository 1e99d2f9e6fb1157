#include "provider/jira/url.h"

#include <boost/asio/ip/address.hpp>
#include <charconv>

namespace jira {
namespace {

Error ConfigError(std::string message) {
  Error e;
  e.kind = ErrorKind::kInvalid;
  e.messages.push_back(std::move(message));
  return e;
}

}  // namespace

Result<BaseUrl> BaseUrl::Parse(std::string_view url) {
  BaseUrl out;
  std::string_view rest;
  if (url.substr(0, 7) == "http://") {
    rest = url.substr(7);
  } else if (url.substr(0, 8) == "https://") {
    out.tls = true;
    rest = url.substr(8);
  } else {
    return ConfigError("the Jira URL must start with http:// or https://");
  }
  const size_t slash = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, slash);
  std::string_view path = slash == std::string_view::npos ? "" : rest.substr(slash);
  if (!path.empty() && path[0] != '/') {
    return ConfigError("the Jira URL must not carry a query string or fragment");
  }
  if (authority.find('@') != std::string_view::npos) {
    // Refuse rather than risk echoing embedded credentials in errors or logs.
    return ConfigError("the Jira URL must not embed credentials; use username/password or token");
  }
  std::string_view port_text;
  if (!authority.empty() && authority[0] == '[') {  // [IPv6]:port
    const size_t close = authority.find(']');
    if (close == std::string_view::npos) return ConfigError("the Jira URL has a malformed IPv6 host");
    out.host = std::string(authority.substr(1, close - 1));
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return ConfigError("the Jira URL has a malformed host");
      port_text = after.substr(1);
    }
  } else {
    const size_t colon = authority.rfind(':');
    if (colon != std::string_view::npos) {
      out.host = std::string(authority.substr(0, colon));
      port_text = authority.substr(colon + 1);
    } else {
      out.host = std::string(authority);
    }
  }
  if (out.host.empty()) return ConfigError("the Jira URL has no host");
  out.port = out.tls ? 443 : 80;
  if (!port_text.empty()) {
    unsigned value = 0;
    auto [ptr, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), value);
    if (ec != std::errc() || ptr != port_text.data() + port_text.size() || value == 0 ||
        value > 65535) {
      return ConfigError("the Jira URL has an invalid port");
    }
    out.port = static_cast<uint16_t>(value);
  }
  if (path.find_first_of("?#") != std::string_view::npos) {
    return ConfigError("the Jira URL must not carry a query string or fragment");
  }
  while (!path.empty() && path.back() == '/') path.remove_suffix(1);
  out.context_path = std::string(path);
  return out;
}

std::string BaseUrl::HostHeader() const {
  std::string h = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  if (port != (tls ? 443 : 80)) h += ":" + std::to_string(port);
  return h;
}

bool BaseUrl::HostIsIpAddress() const {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  return !ec;
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
        c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0xF]);
    }
  }
  return out;
}

Query& Query::Add(std::string_view key, std::string_view value) {
  params_.emplace_back(std::string(key), std::string(value));
  return *this;
}

Query& Query::Add(std::string_view key, int64_t value) {
  return Add(key, std::string_view(std::to_string(value)));
}

Query& Query::Add(std::string_view key, bool value) {
  return Add(key, std::string_view(value ? "true" : "false"));
}

std::string Query::str() const {
  std::string out;
  for (const auto& [k, v] : params_) {
    out += out.empty() ? '?' : '&';
    out += PercentEncode(k);
    out += '=';
    out += PercentEncode(v);
  }
  return out;
}

}  // namespace jira
