#include "provider/serve/peer_check.h"

#include "provider/serve/certificate.h"

namespace tfj::serve {

grpc::Status PeerCertificateCheck::Process(const InputMetadata&, grpc::AuthContext* context,
                                           OutputMetadata*, OutputMetadata*) {
  const auto values = context->FindPropertyValues("x509_pem_cert");
  if (values.size() == 1) {
    const std::string_view pem(values[0].data(), values[0].size());
    const auto der = PemCertificateToDer(pem);
    if (der && *der == expected_der_) return grpc::Status::OK;
  }
  return grpc::Status(grpc::StatusCode::UNAUTHENTICATED,
                      "client certificate is not the one given in PLUGIN_CLIENT_CERT");
}

}  // namespace tfj::serve
