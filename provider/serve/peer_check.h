// Per-call check that the TLS peer presented exactly the certificate Terraform gave us in
// PLUGIN_CLIENT_CERT. TLS verification alone would also accept any certificate *signed*
// by that one (it is a CA certificate); this closes that gap.
#pragma once

#include <string>

#include <grpcpp/security/auth_metadata_processor.h>

namespace tfj::serve {

class PeerCertificateCheck final : public grpc::AuthMetadataProcessor {
 public:
  explicit PeerCertificateCheck(std::string expected_der) : expected_der_(std::move(expected_der)) {}
  // Cheap and non-blocking: runs inline instead of on gRPC's extra thread pool.
  bool IsBlocking() const override { return false; }
  grpc::Status Process(const InputMetadata& auth_metadata, grpc::AuthContext* context,
                       OutputMetadata* consumed_auth_metadata,
                       OutputMetadata* response_metadata) override;

 private:
  std::string expected_der_;
};

}  // namespace tfj::serve
