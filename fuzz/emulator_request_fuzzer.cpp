// Fuzzes the Jira emulator's request handling: raw HTTP/1.1 bytes through Beast's request
// parser, turned into a Request the way the socket layer does (server.cpp), then routed
// (router.h) over a freshly seeded store. The URL, query and Basic-auth helpers of
// http_message.h are reached through the router and also called directly.
//
// Input: byte 0 picks the emulator's configuration (Variant below: the default, a Jira 10
// Data Center under a context path, a redirecting proxy, an older Jira with faults and rate
// limits), the rest is the request. Every input gets a new Router, so a finding reproduces
// from its input alone.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include "acceptance_tests/emulator/http_message.h"
#include "acceptance_tests/emulator/options.h"
#include "acceptance_tests/emulator/router.h"

namespace http = boost::beast::http;

namespace {

emulator::Options Variant(uint8_t which) {
  emulator::Options options;
  options.tokens["fuzz-token"] = "admin";
  options.users.push_back({"alice", "alice-pw", "Alice", "alice@example.com", false, true});
  options.groups.push_back("developers");
  options.projects.push_back({"TEST", "Test project"});
  // A fixed clock: the rate limiter's decisions depend on the input alone.
  options.clock = [] { return std::chrono::steady_clock::time_point(std::chrono::hours(1)); };
  switch (which % 4) {
    case 0:
      break;
    case 1:  // Jira 10 Data Center behind /jira, German, nested groups, masked addresses
      options.version = "10.3.1";
      options.deployment_type = "Data Center";
      options.context_path = "/jira";
      options.language = emulator::Language::kGerman;
      options.nested_groups = true;
      options.nests.push_back({"developers", "jira-users"});
      options.email_visibility = emulator::EmailVisibility::kMasked;
      options.seats["jira-software"] = 2;
      options.restricted_groups.push_back("developers");
      options.users_with_content.push_back("alice");
      break;
    case 2:  // a proxy that redirects everything outside /jira
      options.context_path = "/jira";
      options.redirect_url = "https://jira.example.com/jira";
      options.redirect_status = 301;
      break;
    default:  // Jira 8.0 with legacy keys, CAPTCHA, hidden e-mail and injected faults
      options.version = "8.0.0";
      options.key_style = emulator::KeyStyle::kLegacy;
      options.captcha_after = 1;
      options.email_visibility = emulator::EmailVisibility::kHidden;
      options.group_picker_honours_max_results = true;
      options.scheme_delete_moves_projects = true;
      options.user_search_cap = 3;
      options.faults.fault_rate = 0.3;
      options.faults.kinds = {"429", "503", "drop", "lost"};
      options.faults.stale_reads = true;
      options.faults.rate_limit_capacity = 3;
      options.faults.rate_limit_refill_per_s = 1.0;
      break;
  }
  return options;
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
  if (size < 1) return 0;
  const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);

  // The helpers alone, on the raw bytes.
  emulator::Query::Parse(bytes).GetAll("expand");
  (void)emulator::UrlDecode(bytes, /*plus_is_space=*/true);
  std::string decoded;
  (void)emulator::Base64Decode(bytes, &decoded);

  emulator::Request request;
  if (!ParseRequest(bytes, &request)) return 0;
  request.secure = (data[0] & 0x80) != 0;
  emulator::Router router(Variant(data[0]));
  (void)router.Handle(request);
  return 0;
}
