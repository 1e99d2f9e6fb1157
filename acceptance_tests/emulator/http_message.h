// Plain request/response values exchanged between the socket layer (Server) and the pure
// routing layer (Router), plus the small URL and header helpers both need.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace emulator {

// Header names compare case-insensitively, as HTTP requires.
struct CaseInsensitiveLess {
  bool operator()(std::string_view a, std::string_view b) const;
};
using HeaderMap = std::map<std::string, std::string, CaseInsensitiveLess>;

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // path plus optional "?query", exactly as received
  HeaderMap headers;
  std::string body;
  bool secure = false;  // arrived over TLS (used for self links)
};

// What the socket layer must do with a response. kDrop and kLost are injected faults.
enum class Delivery {
  kSend,  // write the response
  kDrop,  // close the connection without writing; the request was not processed
  kLost,  // the request WAS processed and committed, but close without writing
};

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;  // in order, names as sent
  std::string body;
  Delivery delivery = Delivery::kSend;
  int delay_ms = 0;  // injected latency to wait before delivering

  const std::string* Header(std::string_view name) const;
  void SetHeader(std::string name, std::string value);
};

// Query parameters in order; names may repeat (e.g. groups/picker?exclude=a&exclude=b).
class Query {
 public:
  static Query Parse(std::string_view raw);
  // First value of `name`, or nullptr when absent.
  const std::string* Get(std::string_view name) const;
  std::vector<std::string> GetAll(std::string_view name) const;
  bool Has(std::string_view name) const { return Get(name) != nullptr; }

 private:
  std::vector<std::pair<std::string, std::string>> items_;
};

// Percent-decoding; `plus_is_space` for query components (form encoding).
std::string UrlDecode(std::string_view s, bool plus_is_space);
// Percent-encodes everything but RFC 3986 unreserved characters.
std::string UrlEncode(std::string_view s);
// Standard base64 decoding (Basic auth). Returns false on malformed input. Hand-written
// because Beast keeps its codec in a detail namespace.
bool Base64Decode(std::string_view in, std::string* out);
// ASCII-only case folding, for protocol tokens (header names, "Basic", "true", methods).
// Jira names (users, groups, schemes) go through NameKey/SameName in store.h instead.
std::string ToLower(std::string_view s);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

}  // namespace emulator
