#include "provider/serve/plugin_server.h"

#include <utility>

#include "provider/rpc/server.h"

namespace tfj::serve {
namespace {

class Nghttp2PluginServer final : public PluginServer {
 public:
  Pem CertificateEncoding() const override { return Pem::kSkip; }
  // It serves the listening socket Main opened, so Terraform may connect at once.
  bool AnnouncesBeforeStart() const override { return true; }

  bool Start(const PluginServerConfig& config, Listener* listener,
             std::string* error) override {
    rpc::ServerOptions options;
    try {
      if (config.client_cert_der != nullptr && config.server_cert != nullptr) {
        options.tls = std::make_shared<rpc::TlsContext>(*config.client_cert_der);
        options.tls->UseCertificate(config.server_cert->cert.get(),
                                    config.server_cert->key.get());
      }
    } catch (const std::exception& e) {
      *error = e.what();
      return false;
    }
    listen_fd_ = listener->fd;
    server_ = std::make_unique<rpc::Server>(*config.router, std::move(options));
    return true;
  }

  void Serve(int wake_fd, const std::function<bool()>& should_stop) override {
    server_->Serve(listen_fd_, wake_fd, should_stop);
  }

  bool Shutdown(std::chrono::milliseconds grace) override { return server_->Shutdown(grace); }

 private:
  int listen_fd_ = -1;
  std::unique_ptr<rpc::Server> server_;
};

}  // namespace

std::unique_ptr<PluginServer> NewNghttp2PluginServer() {
  return std::make_unique<Nghttp2PluginServer>();
}

}  // namespace tfj::serve
