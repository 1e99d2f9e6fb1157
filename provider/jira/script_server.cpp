#include "provider/jira/script_server.h"

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <sys/socket.h>

namespace jira::testing {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

struct ScriptServer::Impl {
  ScriptHandler handler;
  net::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::thread accept_thread;
  std::mutex mu;
  std::vector<ScriptRequest> requests;
  std::vector<std::shared_ptr<tcp::socket>> sockets;
  std::vector<std::thread> workers;
  std::atomic<bool> stopping{false};
  unsigned short port = 0;
};

ScriptServer::ScriptServer(ScriptHandler handler) : impl_(std::make_unique<Impl>()) {
  impl_->handler = std::move(handler);
  tcp::endpoint ep(net::ip::make_address("127.0.0.1"), 0);
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(net::socket_base::reuse_address(true));
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen();
  impl_->port = impl_->acceptor.local_endpoint().port();
  impl_->accept_thread = std::thread([this] {
    for (;;) {
      auto socket = std::make_shared<tcp::socket>(impl_->ioc);
      boost::system::error_code ec;
      impl_->acceptor.accept(*socket, ec);
      if (ec || impl_->stopping) return;
      std::lock_guard<std::mutex> lock(impl_->mu);
      impl_->sockets.push_back(socket);
      impl_->workers.emplace_back([this, socket] {
        beast::flat_buffer buffer;
        for (;;) {
          http::request<http::string_body> req;
          boost::system::error_code rec;
          http::read(*socket, buffer, req, rec);
          if (rec) return;
          ScriptRequest sr{std::string(req.method_string()), std::string(req.target()), req.body(), {}};
          for (const auto& f : req) sr.headers[std::string(f.name_string())] = std::string(f.value());
          {
            std::lock_guard<std::mutex> lock(impl_->mu);
            impl_->requests.push_back(sr);
          }
          std::optional<ScriptReply> reply = impl_->handler(sr);
          if (!reply) {
            // shutdown, not close: the destructor may touch the socket concurrently.
            ::shutdown(socket->native_handle(), SHUT_RDWR);
            return;
          }
          http::response<http::string_body> res{static_cast<http::status>(reply->status), 11};
          if (!reply->content_type.empty()) res.set(http::field::content_type, reply->content_type);
          for (const auto& [k, v] : reply->headers) res.set(k, v);
          res.body() = reply->body;
          res.keep_alive(true);
          res.prepare_payload();
          http::write(*socket, res, rec);
          if (rec || reply->close_after) {
            ::shutdown(socket->native_handle(), SHUT_RDWR);
            return;
          }
        }
      });
    }
  });
}

ScriptServer::~ScriptServer() {
  impl_->stopping = true;
  boost::system::error_code ec;
  {
    // Unblocks accept(); the accept thread then sees `stopping`.
    net::io_context ioc;
    tcp::socket poke(ioc);
    poke.connect(tcp::endpoint(net::ip::make_address("127.0.0.1"), impl_->port), ec);
    impl_->accept_thread.join();
  }
  impl_->acceptor.close(ec);
  std::vector<std::thread> workers;
  {
    std::lock_guard<std::mutex> lock(impl_->mu);
    for (auto& s : impl_->sockets) ::shutdown(s->native_handle(), SHUT_RDWR);
    workers.swap(impl_->workers);
  }
  for (auto& w : workers) w.join();
}

std::string ScriptServer::url() const {
  return "http://127.0.0.1:" + std::to_string(impl_->port);
}

std::vector<ScriptRequest> ScriptServer::requests() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->requests;
}

}  // namespace jira::testing
