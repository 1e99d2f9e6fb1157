// HTTP(S) transport for the Jira client: a pool of keep-alive connections over Boost.Beast,
// safe for many threads, with a whole-request deadline. It knows nothing about retries or
// Jira; BeastClient builds those on top.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <boost/beast/http/verb.hpp>

#include "provider/jira/cookie_jar.h"
#include "provider/jira/error.h"
#include "provider/jira/rate_limiter.h"
#include "provider/jira/url.h"

namespace jira {

struct HttpRequest {
  boost::beast::http::verb method = boost::beast::http::verb::get;
  std::string target;  // path and query, context path included
  std::optional<std::string> body;  // JSON; sets Content-Type when present
  // May be sent again after a stale keep-alive connection dropped it. False for POST.
  bool idempotent = true;
};

struct HttpResponse {
  int status = 0;
  std::string body;
  std::string content_type;
  std::string retry_after;
  std::string login_reason;   // X-Seraph-LoginReason
  std::string denied_reason;  // X-Authentication-Denied-Reason
  std::string location;       // Location (redirects are reported, never followed)
  RateLimitHeaders rate_limit;  // X-RateLimit-* and Retry-After (see rate_limiter.h)
  bool set_cookie = false;      // the answer set cookies (their values stay in the jar)
};

struct TransportOutcome {
  std::optional<HttpResponse> response;
  std::string error;          // when there is no response: what failed, for Error::Message
  bool request_sent = false;  // bytes of the request may have reached the server
  bool timed_out = false;
  // The request went out twice: first on a kept-alive connection that closed before any
  // answer, then on a fresh one. The first copy may have been processed.
  bool resent_after_close = false;
  // Retrying cannot help (certificate not trusted, http/https mismatch); `error` names the
  // likely fix.
  bool permanent = false;
};

struct TransportConfig {
  BaseUrl url;
  std::string ca_file;
  bool insecure_skip_verify = false;
  size_t max_idle_connections = 10;
  std::string user_agent;
  std::string authorization;  // full header value; never logged
  // Paces every request to Jira's rate limit; shared by all pools of the process that talk
  // to the same Jira as the same user. Null: no pacing.
  std::shared_ptr<RateLimiter> rate_limiter;
  // Cookies Jira or its load balancer set (session affinity), sent back on every request to
  // this origin. Null: no cookies.
  std::shared_ptr<CookieJar> cookie_jar;
};

class Connection;

class ConnectionPool {
 public:
  // Fails on an unusable TLS setup (unreadable ca_file).
  static Result<std::shared_ptr<ConnectionPool>> Create(TransportConfig config);
  ~ConnectionPool();

  TransportOutcome RoundTrip(const HttpRequest& request,
                             std::chrono::steady_clock::time_point deadline);

  // Connections opened so far (for tests and benchmarks: keep-alive reuse is observable).
  uint64_t connections_opened() const { return opened_.load(); }
  RateLimiter* rate_limiter() const { return config_.rate_limiter.get(); }

 private:
  explicit ConnectionPool(TransportConfig config);
  std::unique_ptr<Connection> TakeIdle();
  // After a plain-HTTP exchange failed without an answer: whether the port completes a TLS
  // handshake, i.e. the url says http:// for an https server.
  bool PortSpeaksTls(std::chrono::steady_clock::time_point deadline);
  void GiveBack(std::unique_ptr<Connection> connection);

  TransportConfig config_;
  struct TlsContext;
  std::unique_ptr<TlsContext> tls_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
  std::atomic<uint64_t> opened_{0};
};

}  // namespace jira
