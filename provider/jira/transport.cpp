#include "provider/jira/transport.h"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace jira {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = net::ssl;
using tcp = net::ip::tcp;
using boost::system::error_code;

namespace {

// Larger than any Jira answer this client asks for (member pages are 50 users).
constexpr uint64_t kResponseBodyLimit = 64ull << 20;

bool IsPeerClosed(const error_code& ec) {
  return ec == http::error::end_of_stream || ec == net::error::eof ||
         ec == net::error::connection_reset || ec == net::error::broken_pipe ||
         ec == ssl::error::stream_truncated;
}

// Whether the server's leaf certificate (as received, verified or not) names `host`. Asked
// after a failed verification, to tell "wrong name" from "untrusted issuer".
bool LeafNamesHost(SSL* ssl, const std::string& host, bool is_ip) {
  STACK_OF(X509)* chain = SSL_get_peer_cert_chain(ssl);
  if (!chain || sk_X509_num(chain) == 0) return true;  // nothing to say otherwise
  X509* leaf = sk_X509_value(chain, 0);
  return is_ip ? X509_check_ip_asc(leaf, host.c_str(), 0) == 1
               : X509_check_host(leaf, host.data(), host.size(),
                                 X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS, nullptr) == 1;
}

}  // namespace

struct ConnectionPool::TlsContext {
  ssl::context ctx{ssl::context::tls_client};
};

// One TCP (and optionally TLS) connection with its own io_context. Operations are run
// asynchronously and driven to completion on the calling thread, because Beast applies
// tcp_stream deadlines (expires_at) to asynchronous operations only. A Connection is used by
// one thread at a time: the pool hands it out exclusively. It is never reconnected; a
// broken one is discarded.
class Connection {
 public:
  Connection(const TransportConfig& config, ssl::context* tls_ctx) : config_(config) {
    if (tls_ctx) {
      tls_ = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(ioc_, *tls_ctx);
    } else {
      plain_ = std::make_unique<beast::tcp_stream>(ioc_);
    }
  }

  ~Connection() {
    // No TLS close_notify: a graceful shutdown could block on a slow peer, and servers treat
    // a truncated TLS stream after a complete HTTP response as a normal close.
    error_code ec;
    Tcp().socket().close(ec);
  }

  // Whether an idle connection still looks usable: nothing to read (the server closing it
  // would make it readable) and no stray buffered bytes.
  bool LooksAlive() {
    if (!connected_ || buffer_.size() != 0) return false;
    auto& socket = Tcp().socket();
    error_code ec;
    socket.non_blocking(true, ec);
    if (ec) return false;
    char c;
    socket.receive(net::buffer(&c, 1), tcp::socket::message_peek, ec);
    error_code ignored;
    socket.non_blocking(false, ignored);
    return ec == net::error::would_block;
  }

  bool keep_alive() const { return keep_alive_; }
  // The server closed the connection before a single byte of the answer arrived.
  bool closed_before_response() const { return closed_before_response_; }

  TransportOutcome RoundTrip(const HttpRequest& request,
                             std::chrono::steady_clock::time_point deadline) {
    TransportOutcome out;
    if (!connected_) {
      if (!Connect(deadline, out)) return out;
    }
    return tls_ ? Exchange(*tls_, request, deadline) : Exchange(*plain_, request, deadline);
  }

 private:
  beast::tcp_stream& Tcp() { return tls_ ? beast::get_lowest_layer(*tls_) : *plain_; }

  // Starts one asynchronous operation and runs the io_context until it completes. The
  // stream deadline guarantees completion (with beast::error::timeout at the latest).
  template <class Start>
  error_code Await(Start&& start) {
    error_code result;
    bool done = false;
    start([&](error_code ec, auto&&...) {
      result = ec;
      done = true;
    });
    ioc_.restart();
    while (!done && ioc_.run_one() > 0) {
    }
    if (!done) result = net::error::operation_aborted;
    return result;
  }

  std::string Authority() const { return config_.url.HostHeader(); }

  bool Connect(std::chrono::steady_clock::time_point deadline, TransportOutcome& out) {
    const BaseUrl& url = config_.url;
    tcp::resolver resolver(ioc_);
    error_code ec;
    // Synchronous resolution: getaddrinfo has its own bounded timeouts, and the targets are
    // usually IP literals or local names.
    auto endpoints = resolver.resolve(url.host, std::to_string(url.port), ec);
    if (ec) {
      out.error = "cannot resolve " + url.host + ": " + ec.message();
      return false;
    }
    Tcp().expires_at(deadline);
    ec = Await([&](auto handler) { Tcp().async_connect(endpoints, std::move(handler)); });
    if (ec) {
      out.timed_out = ec == beast::error::timeout;
      out.error = "cannot connect to " + Authority() + ": " +
                  (out.timed_out ? std::string("timed out") : ec.message());
      return false;
    }
    if (tls_) {
      const bool is_ip = url.HostIsIpAddress();
      // SNI carries host names only (RFC 6066).
      if (!is_ip && !SSL_set_tlsext_host_name(tls_->native_handle(), url.host.c_str())) {
        out.error = "cannot set TLS server name for " + url.host;
        return false;
      }
      if (config_.insecure_skip_verify) {
        tls_->set_verify_mode(ssl::verify_none);
      } else {
        tls_->set_verify_mode(ssl::verify_peer);
        // OpenSSL checks the leaf certificate's names (or IP addresses) against the URL's
        // host during verification, so a mismatch has its own verify result
        // (X509_V_ERR_HOSTNAME_MISMATCH / X509_V_ERR_IP_ADDRESS_MISMATCH).
        X509_VERIFY_PARAM* param = SSL_get0_param(tls_->native_handle());
        const bool set = is_ip ? X509_VERIFY_PARAM_set1_ip_asc(param, url.host.c_str()) == 1
                               : X509_VERIFY_PARAM_set1_host(param, url.host.c_str(), 0) == 1;
        if (!set) {
          out.error = "cannot set the TLS host name check for " + url.host;
          return false;
        }
        X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      }
      ec = Await([&](auto handler) {
        tls_->async_handshake(ssl::stream_base::client, std::move(handler));
      });
      if (ec) {
        out.timed_out = ec == beast::error::timeout;
        out.error = "TLS handshake with " + Authority() + " failed: ";
        const long verify = SSL_get_verify_result(tls_->native_handle());
        // OpenSSL's reason code (not its wording) tells a failure retrying cannot fix.
        const int reason = ec.category() == net::error::get_ssl_category()
                               ? ERR_GET_REASON(static_cast<unsigned long>(ec.value()))
                               : 0;
        if (out.timed_out) {
          out.error += "timed out";
        } else if (verify != X509_V_OK || reason == SSL_R_CERTIFICATE_VERIFY_FAILED) {
          out.permanent = true;
          if (verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH ||
              !LeafNamesHost(tls_->native_handle(), url.host, is_ip)) {
            out.error += "certificate verification failed: the certificate is not issued for " +
                         url.host + "; use the host name the certificate names in url";
          } else {
            out.error += std::string("certificate verification failed: ") +
                         X509_verify_cert_error_string(verify) +
                         ". If a private CA issued Jira's certificate, set ca_file to that CA's "
                         "PEM file; if the certificate names another host, use that name in url";
          }
        } else if (reason == SSL_R_WRONG_VERSION_NUMBER || reason == SSL_R_PACKET_LENGTH_TOO_LONG ||
                   reason == SSL_R_HTTP_REQUEST) {
          // The first bytes back were not a TLS record: a plain-HTTP server on that port.
          out.permanent = true;
          out.error += "the server does not speak TLS on this port (" + ec.message() +
                       "); if Jira is served over plain HTTP there, use http:// in url";
        } else {
          out.error += ec.message();
        }
        return false;
      }
    }
    connected_ = true;
    return true;
  }

  template <class Stream>
  TransportOutcome Exchange(Stream& stream, const HttpRequest& request,
                            std::chrono::steady_clock::time_point deadline) {
    TransportOutcome out;
    http::request<http::string_body> req{request.method, request.target, 11};
    req.set(http::field::host, Authority());
    req.set(http::field::user_agent, config_.user_agent);
    req.set(http::field::accept, "application/json");
    if (!config_.authorization.empty()) req.set(http::field::authorization, config_.authorization);
    const std::string_view path = std::string_view(request.target).substr(0, request.target.find('?'));
    if (config_.cookie_jar) {
      if (std::string cookies = config_.cookie_jar->HeaderFor(path); !cookies.empty()) {
        req.set(http::field::cookie, cookies);
      }
    }
    if (request.body) {
      req.set(http::field::content_type, "application/json");
      req.body() = *request.body;
    }
    req.keep_alive(true);
    req.prepare_payload();

    Tcp().expires_at(deadline);
    out.request_sent = true;  // from here on, the server may have seen the request
    error_code ec = Await([&](auto handler) { http::async_write(stream, req, std::move(handler)); });
    if (!ec) {
      http::response_parser<http::string_body> parser;
      parser.body_limit(kResponseBodyLimit);
      ec = Await([&](auto handler) {
        http::async_read(stream, buffer_, parser, std::move(handler));
      });
      if (!ec) {
        auto& res = parser.get();
        HttpResponse r;
        r.status = static_cast<int>(res.result_int());
        r.body = std::move(res.body());
        r.content_type = std::string(res[http::field::content_type]);
        r.retry_after = std::string(res[http::field::retry_after]);
        r.login_reason = std::string(res["X-Seraph-LoginReason"]);
        r.denied_reason = std::string(res["X-Authentication-Denied-Reason"]);
        r.location = std::string(res[http::field::location]);
        r.rate_limit.limit = std::string(res["X-RateLimit-Limit"]);
        r.rate_limit.remaining = std::string(res["X-RateLimit-Remaining"]);
        r.rate_limit.fill_rate = std::string(res["X-RateLimit-FillRate"]);
        r.rate_limit.interval_seconds = std::string(res["X-RateLimit-Interval-Seconds"]);
        r.rate_limit.retry_after = r.retry_after;
        if (config_.cookie_jar) {
          std::vector<std::string> set_cookies;
          auto range = res.equal_range(http::field::set_cookie);
          for (auto it = range.first; it != range.second; ++it) set_cookies.emplace_back(it->value());
          r.set_cookie = !set_cookies.empty();
          config_.cookie_jar->Store(set_cookies, path);
        }
        keep_alive_ = res.keep_alive();
        out.response = std::move(r);
        return out;
      }
      closed_before_response_ = IsPeerClosed(ec) && !parser.got_some();
    } else {
      closed_before_response_ = IsPeerClosed(ec);
    }
    connected_ = false;
    out.timed_out = ec == beast::error::timeout;
    out.error = out.timed_out ? "timed out waiting for " + Authority()
                              : "connection to " + Authority() + " failed: " + ec.message();
    return out;
  }

  const TransportConfig& config_;
  net::io_context ioc_{1};
  std::unique_ptr<beast::tcp_stream> plain_;
  std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls_;
  beast::flat_buffer buffer_;
  bool connected_ = false;
  bool keep_alive_ = false;
  bool closed_before_response_ = false;
};

ConnectionPool::ConnectionPool(TransportConfig config) : config_(std::move(config)) {}
ConnectionPool::~ConnectionPool() = default;

Result<std::shared_ptr<ConnectionPool>> ConnectionPool::Create(TransportConfig config) {
  std::shared_ptr<ConnectionPool> pool(new ConnectionPool(std::move(config)));
  if (pool->config_.url.tls) {
    pool->tls_ = std::make_unique<TlsContext>();
    auto& ctx = pool->tls_->ctx;
    // Set-up failures: nothing was sent, so they are configuration errors, not Jira's answer.
    auto fail = [](std::string what, std::string attribute = "") {
      Error e;
      e.kind = ErrorKind::kConfig;
      e.attribute = std::move(attribute);
      e.messages.push_back(std::move(what));
      return e;
    };
    if (SSL_CTX_set_min_proto_version(ctx.native_handle(), TLS1_2_VERSION) != 1) {
      return fail("cannot require TLS 1.2 or newer");
    }
    error_code ec;
    ctx.set_default_verify_paths(ec);  // the system trust store
    if (ec) return fail("cannot load the system trust store: " + ec.message());
    if (!pool->config_.ca_file.empty()) {
      ctx.load_verify_file(pool->config_.ca_file, ec);
      if (ec) {
        return fail("cannot load ca_file " + pool->config_.ca_file + ": " + ec.message() +
                        "; it must be a readable file of PEM certificates (-----BEGIN "
                        "CERTIFICATE-----)",
                    "ca_file");
      }
    }
    ctx.set_verify_mode(pool->config_.insecure_skip_verify ? ssl::verify_none : ssl::verify_peer);
  }
  return pool;
}

std::unique_ptr<Connection> ConnectionPool::TakeIdle() {
  std::lock_guard<std::mutex> lock(mu_);
  while (!idle_.empty()) {
    std::unique_ptr<Connection> c = std::move(idle_.back());
    idle_.pop_back();
    if (c->LooksAlive()) return c;
  }
  return nullptr;
}

void ConnectionPool::GiveBack(std::unique_ptr<Connection> connection) {
  std::lock_guard<std::mutex> lock(mu_);
  if (idle_.size() < config_.max_idle_connections) idle_.push_back(std::move(connection));
}

bool ConnectionPool::PortSpeaksTls(std::chrono::steady_clock::time_point deadline) {
  // A short, separate probe: certificate checks off (only the protocol is in question), a
  // few seconds at most, nothing sent after the handshake.
  const auto probe_deadline =
      std::min(deadline, std::chrono::steady_clock::now() + std::chrono::seconds(5));
  ssl::context ctx{ssl::context::tls_client};
  ctx.set_verify_mode(ssl::verify_none);
  net::io_context ioc{1};
  beast::ssl_stream<beast::tcp_stream> stream(ioc, ctx);
  tcp::resolver resolver(ioc);
  error_code ec;
  auto endpoints = resolver.resolve(config_.url.host, std::to_string(config_.url.port), ec);
  if (ec) return false;
  bool ok = false;
  beast::get_lowest_layer(stream).expires_at(probe_deadline);
  beast::get_lowest_layer(stream).async_connect(endpoints, [&](error_code c, const tcp::endpoint&) {
    if (c) return;
    stream.async_handshake(ssl::stream_base::client, [&](error_code h) { ok = !h; });
  });
  ioc.run();
  beast::get_lowest_layer(stream).socket().close(ec);
  return ok;
}

TransportOutcome ConnectionPool::RoundTrip(const HttpRequest& request,
                                           std::chrono::steady_clock::time_point deadline) {
  bool resent = false;
  for (int attempt = 0;; ++attempt) {
    std::unique_ptr<Connection> connection = TakeIdle();
    const bool reused = connection != nullptr;
    if (!reused) {
      connection = std::make_unique<Connection>(config_, tls_ ? &tls_->ctx : nullptr);
      opened_.fetch_add(1);
    }
    TransportOutcome out = connection->RoundTrip(request, deadline);
    out.resent_after_close = resent;
    if (out.response) {
      if (connection->keep_alive()) GiveBack(std::move(connection));
      return out;
    }
    // A kept-alive connection the server closed while it sat idle: nothing was processed,
    // so an idempotent request goes out once more on a fresh connection. Anything else is
    // the caller's decision (retry policy, lost-response checks).
    if (reused && attempt == 0 && request.idempotent && connection->closed_before_response()) {
      resent = true;
      continue;
    }
    // A fresh plain connection that got no HTTP answer: an https server rejects a plain
    // request by closing or with a TLS alert. Ask the port itself rather than guess.
    if (!config_.url.tls && !reused && out.request_sent && !out.timed_out &&
        PortSpeaksTls(deadline)) {
      out.permanent = true;
      out.error = "the server at " + config_.url.HostHeader() +
                  " speaks TLS (HTTPS) but the url says http://; use https:// in url";
    }
    return out;
  }
}

}  // namespace jira
