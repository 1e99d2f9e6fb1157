// Base-URL parsing and percent-encoding for the Jira REST client. Every name that goes
// into a URL (path segment or query value) passes through PercentEncode.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "provider/jira/error.h"

namespace jira {

// http(s)://host[:port][/context]. The context path is kept (without a trailing slash) and
// prefixed to every API path.
struct BaseUrl {
  bool tls = false;
  std::string host;  // without brackets for IPv6 literals
  uint16_t port = 0;
  std::string context_path;  // "" or "/jira"

  static Result<BaseUrl> Parse(std::string_view url);
  // The Host header value: host, plus ":port" unless it is the scheme's default.
  std::string HostHeader() const;
  bool HostIsIpAddress() const;
};

// RFC 3986 percent-encoding: unreserved characters (ALPHA / DIGIT / "-" / "." / "_" / "~")
// stay, every other byte becomes %XX. Safe for both path segments and query values.
std::string PercentEncode(std::string_view s);

// Builds "?a=1&b=x%20y"; empty when no parameters were added.
class Query {
 public:
  Query& Add(std::string_view key, std::string_view value);
  // Without this overload a string literal would silently pick the bool one.
  Query& Add(std::string_view key, const char* value) { return Add(key, std::string_view(value)); }
  Query& Add(std::string_view key, const std::string& value) { return Add(key, std::string_view(value)); }
  Query& Add(std::string_view key, int64_t value);
  Query& Add(std::string_view key, bool value);
  std::string str() const;

 private:
  std::vector<std::pair<std::string, std::string>> params_;
};

}  // namespace jira
