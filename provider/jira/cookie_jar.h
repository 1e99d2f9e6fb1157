// Cookies for one origin (scheme, host, port), as RFC 6265 describes a user agent's cookie
// store, kept so that a Jira Data Center cluster's load balancer keeps this process on one
// node (session affinity through JSESSIONID, AWSALB, ROUTEID and the like).
//
// Why hand-written: no Debian 12 package offers a cookie parser usable on its own from C++.
// libcurl's cookie engine is reachable only through curl handles (this client speaks HTTP
// with Boost.Beast, which has no cookie support); Poco (libpoco-dev) would add a second HTTP
// stack for Poco::Net::HTTPCookie, which follows the older RFC 2109 model. So this follows
// RFC 6265 section 5 directly: 5.2 (parsing Set-Cookie), 5.1.1 (dates), 5.1.3 (domain
// matching), 5.1.4 (paths) and 5.3/5.4 (storage and the Cookie header).
//
// Cookie values are secrets (a session id is as good as a password): nothing here logs them,
// and a jar only ever serves the one origin it was made for.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jira {

struct Cookie {
  std::string name;
  std::string value;
  std::string domain;       // lower case; the origin's host when host_only
  bool host_only = true;
  std::string path = "/";
  bool secure = false;
  bool http_only = false;
  // nullopt: a session cookie, kept for the life of the process.
  std::optional<std::chrono::system_clock::time_point> expires;
  uint64_t created = 0;     // creation order, for the Cookie header's order
};

// Parses one Set-Cookie header value received from `request_host` for a request to
// `request_path` (path only, no query), per RFC 6265 section 5.2 and 5.3 steps 2-10.
// nullopt when the user agent must ignore it (no '=', empty name, a Domain that does not
// cover the host). `now` resolves Max-Age.
std::optional<Cookie> ParseSetCookie(std::string_view header, std::string_view request_host,
                                     std::string_view request_path,
                                     std::chrono::system_clock::time_point now);

// RFC 6265 section 5.1.1: the cookie-date algorithm (tolerant of the many Expires formats).
std::optional<std::chrono::system_clock::time_point> ParseCookieDate(std::string_view text);

class CookieJar {
 public:
  using Clock = std::function<std::chrono::system_clock::time_point()>;

  // A jar for one origin. `host` without port; `secure_origin` for https.
  CookieJar(std::string host, bool secure_origin, Clock clock = nullptr);

  // The jar of this process for one origin and one Jira identity (`key` is never logged).
  static std::shared_ptr<CookieJar> Shared(const std::string& key, const std::string& host,
                                           bool secure_origin);

  // Stores the cookies of an answer to a request for `request_path`.
  void Store(const std::vector<std::string>& set_cookie_headers, std::string_view request_path);

  // The Cookie header value for a request to `request_path` ("" when none applies).
  std::string HeaderFor(std::string_view request_path);

  size_t size();

 private:
  std::string host_;
  bool secure_origin_;
  Clock clock_;
  std::mutex mu_;
  std::vector<Cookie> cookies_;  // guarded by mu_
  uint64_t next_created_ = 0;    // guarded by mu_
};

}  // namespace jira
