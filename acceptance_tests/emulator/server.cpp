#include "acceptance_tests/emulator/server.h"

#include <atomic>
#include <optional>
#include <stdexcept>
#include <thread>
#include <vector>

#include <boost/asio/dispatch.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/version.hpp>

namespace emulator {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
using tcp = net::ip::tcp;

namespace {

// One HTTP/1.1 connection. Stream is beast::tcp_stream or beast::ssl_stream<beast::tcp_stream>.
template <class Stream>
class Session : public std::enable_shared_from_this<Session<Stream>> {
 public:
  static constexpr bool kTls = !std::is_same_v<Stream, beast::tcp_stream>;

  template <class... StreamArgs>
  Session(Router& router, const Options& options, StreamArgs&&... args)
      : stream_(std::forward<StreamArgs>(args)...),
        timer_(stream_.get_executor()),
        router_(router),
        options_(options) {}

  void Run() {
    net::dispatch(stream_.get_executor(), [self = this->shared_from_this()] { self->Begin(); });
  }

 private:
  void Begin() {
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(options_.idle_timeout);
      stream_.async_handshake(ssl::stream_base::server,
                              [self = this->shared_from_this()](beast::error_code ec) {
                                if (!ec) self->DoRead();
                              });
    } else {
      DoRead();
    }
  }

  void DoRead() {
    parser_.emplace();
    parser_->body_limit(options_.body_limit);
    beast::get_lowest_layer(stream_).expires_after(options_.idle_timeout);
    http::async_read(stream_, buffer_, *parser_,
                     [self = this->shared_from_this()](beast::error_code ec, size_t) {
                       self->OnRead(ec);
                     });
  }

  void OnRead(beast::error_code ec) {
    if (ec == http::error::end_of_stream) return Close();
    if (ec == http::error::body_limit) {
      return Write(Plain(http::status::payload_too_large, "Request body too large"), true);
    }
    if (ec == beast::error::timeout || ec == net::error::operation_aborted ||
        ec == net::error::connection_reset || ec == net::error::eof || ec == ssl::error::stream_truncated) {
      return Abort();
    }
    if (ec) return Write(Plain(http::status::bad_request, "Bad request"), true);

    auto req = parser_->release();
    Request request;
    request.method = std::string(req.method_string());
    request.target = std::string(req.target());
    for (const auto& field : req) {
      request.headers[std::string(field.name_string())] = std::string(field.value());
    }
    request.body = std::move(req.body());
    request.secure = kTls;
    bool keep_alive = req.keep_alive();
    unsigned version = req.version();

    auto response = std::make_shared<Response>(router_.Handle(request));
    if (response->delay_ms > 0) {
      timer_.expires_after(std::chrono::milliseconds(response->delay_ms));
      timer_.async_wait([self = this->shared_from_this(), response, keep_alive,
                         version](beast::error_code wait_ec) {
        if (wait_ec) return;
        self->Deliver(*response, keep_alive, version);
      });
    } else {
      Deliver(*response, keep_alive, version);
    }
  }

  void Deliver(const Response& r, bool keep_alive, unsigned version) {
    if (r.delivery != Delivery::kSend) return Abort();  // injected drop / lost response
    http::response<http::string_body> res{static_cast<http::status>(r.status), version};
    res.set(http::field::server, "jira-emulator");
    // insert, not set: a response may carry several Set-Cookie fields (RFC 6265 section 3).
    for (const auto& [name, value] : r.headers) res.insert(name, value);
    res.body() = r.body;
    res.keep_alive(keep_alive);
    res.prepare_payload();
    Write(std::move(res), !keep_alive);
  }

  http::response<http::string_body> Plain(http::status status, const std::string& text) {
    http::response<http::string_body> res{status, 11};
    res.set(http::field::server, "jira-emulator");
    res.set(http::field::content_type, "text/plain");
    res.body() = text;
    res.keep_alive(false);
    res.prepare_payload();
    return res;
  }

  void Write(http::response<http::string_body> res, bool close) {
    response_ = std::move(res);
    beast::get_lowest_layer(stream_).expires_after(options_.idle_timeout);
    http::async_write(stream_, response_,
                      [self = this->shared_from_this(), close](beast::error_code ec, size_t) {
                        if (ec) return self->Abort();
                        if (close) return self->Close();
                        self->DoRead();
                      });
  }

  void Close() {
    if constexpr (kTls) {
      beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(5));
      stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) {
        self->Abort();
      });
    } else {
      beast::error_code ignored;
      stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    }
  }

  // Closes the TCP connection at once (no TLS close_notify): what a crashed peer looks like.
  void Abort() {
    beast::error_code ignored;
    auto& socket = beast::get_lowest_layer(stream_).socket();
    socket.shutdown(tcp::socket::shutdown_both, ignored);
    socket.close(ignored);
  }

  Stream stream_;
  net::steady_timer timer_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  http::response<http::string_body> response_;
  Router& router_;
  const Options& options_;
};

}  // namespace

struct Server::Impl {
  explicit Impl(Options opts) : options(std::move(opts)), router(options) {}

  void Accept() {
    acceptor->async_accept(net::make_strand(*ioc), [this](beast::error_code ec, tcp::socket socket) {
      if (ec == net::error::operation_aborted || !acceptor->is_open()) return;
      if (!ec) {
        if (tls) {
          std::make_shared<Session<beast::ssl_stream<beast::tcp_stream>>>(
              router, options, std::move(socket), *tls)
              ->Run();
        } else {
          std::make_shared<Session<beast::tcp_stream>>(router, options, std::move(socket))->Run();
        }
      }
      Accept();
    });
  }

  Options options;
  Router router;
  std::optional<ssl::context> tls;  // outlives the io_context's sessions
  std::unique_ptr<net::io_context> ioc;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::vector<std::thread> threads;
  uint16_t port = 0;
  bool running = false;
};

Server::Server(Options options) : impl_(std::make_unique<Impl>(std::move(options))) {
  const Options& o = impl_->options;
  if (!o.tls_cert_file.empty() || !o.tls_key_file.empty()) {
    try {
      impl_->tls.emplace(ssl::context::tls_server);
      impl_->tls->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 |
                              ssl::context::no_sslv3 | ssl::context::no_tlsv1 |
                              ssl::context::no_tlsv1_1);
      impl_->tls->use_certificate_chain_file(o.tls_cert_file);
      impl_->tls->use_private_key_file(o.tls_key_file, ssl::context::pem);
    } catch (const boost::system::system_error& e) {
      throw std::runtime_error("cannot load TLS certificate/key: " + std::string(e.what()));
    }
  }
}

Server::~Server() { Stop(); }

void Server::Start() {
  Impl& i = *impl_;
  if (i.running) return;
  const int threads = std::max(1, i.options.threads);
  i.ioc = std::make_unique<net::io_context>(threads);
  try {
    auto address = net::ip::make_address(i.options.listen_host);
    tcp::endpoint endpoint(address, i.options.listen_port);
    i.acceptor = std::make_unique<tcp::acceptor>(net::make_strand(*i.ioc));
    i.acceptor->open(endpoint.protocol());
    i.acceptor->set_option(net::socket_base::reuse_address(true));
    i.acceptor->bind(endpoint);
    i.acceptor->listen(net::socket_base::max_listen_connections);
    i.port = i.acceptor->local_endpoint().port();
  } catch (const boost::system::system_error& e) {
    i.acceptor.reset();
    i.ioc.reset();
    throw std::runtime_error("cannot listen on " + i.options.listen_host + ":" +
                             std::to_string(i.options.listen_port) + ": " + e.what());
  }
  i.Accept();
  for (int t = 0; t < threads; ++t) {
    i.threads.emplace_back([ioc = i.ioc.get()] { ioc->run(); });
  }
  i.running = true;
}

void Server::Stop() {
  Impl& i = *impl_;
  if (!i.running) return;
  i.running = false;
  i.ioc->stop();
  for (auto& t : i.threads) t.join();
  i.threads.clear();
  i.acceptor.reset();
  i.ioc.reset();  // destroys pending handlers, which closes every open connection
}

uint16_t Server::port() const { return impl_->port; }

std::string Server::url() const {
  std::string host = impl_->options.listen_host;
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return std::string(impl_->tls ? "https://" : "http://") + host + ":" + std::to_string(port()) +
         impl_->options.context_path;
}

Router& Server::router() { return impl_->router; }

}  // namespace emulator
