// AutoMTLS certificates: a fresh self-signed ECDSA certificate per process, made like
// go-plugin's (CN and SAN DNS:localhost, CA:TRUE, server and client auth), with OpenSSL.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <openssl/types.h>

namespace tfj::serve {

struct Certificate {
  std::string cert_der;             // what goes, base64-encoded, in the handshake line
  std::shared_ptr<EVP_PKEY> key;    // the private key  } for a TLS context
  std::shared_ptr<X509> cert;       // the certificate  }
  std::string key_pem;              // PKCS#8 private key  } only with Pem::kInclude
  std::string cert_pem;             //                     }
};

enum class CurveChoice { kP256, kP521 };
// PEM encoding of a key costs OpenSSL 3's encoder framework a fraction of a millisecond
// on first use: the plugin, which needs only the DER and the key, skips it.
enum class Pem { kInclude, kSkip };

// Throws std::runtime_error when OpenSSL fails. The same template serves the plugin's
// server certificate and, in tests and benchmarks, the client certificate Terraform
// would generate.
Certificate GenerateSelfSignedCertificate(CurveChoice curve = CurveChoice::kP521,
                                          Pem pem = Pem::kInclude);

// For tests: a leaf certificate (CN/SAN localhost, CA:FALSE) signed by `issuer`, which
// must be a CA certificate with its key, e.g. one from GenerateSelfSignedCertificate.
Certificate IssueCertificate(const Certificate& issuer);

// DER of the first certificate in `pem`: the bytes of its first CERTIFICATE block, not
// otherwise checked; nullopt when there is none.
std::optional<std::string> PemCertificateToDer(std::string_view pem);
// PEM of a DER certificate; empty when it does not parse.
std::string DerCertificateToPem(std::string_view der);

}  // namespace tfj::serve
