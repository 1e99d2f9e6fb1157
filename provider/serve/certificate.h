// AutoMTLS certificates: a fresh self-signed ECDSA certificate per process, made like
// go-plugin's (CN and SAN DNS:localhost, CA:TRUE, server and client auth), with OpenSSL.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tfj::serve {

struct Certificate {
  std::string key_pem;   // PKCS#8 private key
  std::string cert_pem;
  std::string cert_der;  // what goes, base64-encoded, in the handshake line
};

enum class CurveChoice { kP256, kP521 };

// Throws std::runtime_error when OpenSSL fails. The same template serves the plugin's
// server certificate and, in tests and benchmarks, the client certificate Terraform
// would generate.
Certificate GenerateSelfSignedCertificate(CurveChoice curve = CurveChoice::kP521);

// For tests: a leaf certificate (CN/SAN localhost, CA:FALSE) signed by `issuer`, which
// must be a CA certificate with its key, e.g. one from GenerateSelfSignedCertificate.
Certificate IssueCertificate(const Certificate& issuer);

// DER of the first certificate in `pem`; nullopt when it does not parse.
std::optional<std::string> PemCertificateToDer(std::string_view pem);
// PEM of a DER certificate; empty when it does not parse.
std::string DerCertificateToPem(std::string_view der);

}  // namespace tfj::serve
