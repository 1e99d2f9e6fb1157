// Fuzzes the Jira emulator's request handling: raw HTTP/1.1 bytes through Beast's request
// parser, turned into a Request the way the socket layer does (server.cpp), then routed
// (router.h) over a freshly seeded store. The URL, query and Basic-auth helpers of
// http_message.h are reached through the router and also called directly.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "acceptance_tests/emulator/http_message.h"
#include "acceptance_tests/emulator/options.h"
#include "acceptance_tests/emulator/router.h"

namespace http = boost::beast::http;

namespace {

emulator::Router& SharedRouter() {
  static emulator::Router* router = [] {
    emulator::Options options;
    options.tokens["fuzz-token"] = "admin";
    options.users.push_back({"alice", "alice-pw", "Alice", "alice@example.com", false, true});
    options.groups.push_back("developers");
    return new emulator::Router(options);  // lives for the whole run
  }();
  return *router;
}

// Feeds the bytes to Beast's parser as the socket layer would (same body limit) and returns
// false when they are not one complete request.
bool ParseRequest(std::string_view bytes, emulator::Request* out) {
  http::request_parser<http::string_body> parser;
  parser.body_limit(emulator::Options().body_limit);
  parser.eager(true);
  boost::beast::error_code ec;
  size_t used = 0;
  while (used < bytes.size() && !parser.is_done()) {
    const size_t n = parser.put(boost::asio::buffer(bytes.data() + used, bytes.size() - used), ec);
    if (ec || n == 0) break;
    used += n;
  }
  if (!parser.is_done()) {
    parser.put_eof(ec);
    if (ec || !parser.is_done()) return false;
  }
  auto req = parser.release();
  out->method = std::string(req.method_string());
  out->target = std::string(req.target());
  for (const auto& field : req) {
    out->headers[std::string(field.name_string())] = std::string(field.value());
  }
  out->body = std::move(req.body());
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);

  // The helpers alone, on the raw bytes.
  emulator::Query::Parse(bytes).GetAll("expand");
  (void)emulator::UrlDecode(bytes, /*plus_is_space=*/true);
  std::string decoded;
  (void)emulator::Base64Decode(bytes, &decoded);

  emulator::Request request;
  if (!ParseRequest(bytes, &request)) return 0;
  emulator::Router& router = SharedRouter();
  // Every input starts from the seeded state, so a crash reproduces from its input alone.
  router.Reset();
  router.SetFaults(emulator::Faults{});  // /_emulator/faults of an earlier input
  (void)router.Handle(request);
  return 0;
}
