// Test helper: a throw-away self-signed certificate (EC P-256) written as PEM files, so TLS
// tests need no fixtures on disk and no openssl CLI.
#pragma once

#include <string>
#include <vector>

namespace jira::testing {

struct TestCert {
  std::string cert_file;  // PEM certificate (also usable as a CA file: it is self-signed)
  std::string key_file;   // PEM private key
};

// Writes cert.pem and key.pem into `dir`. `dns_names` and `ip_addresses` become the
// subjectAltName. Throws std::runtime_error on failure.
TestCert MakeSelfSignedCert(const std::string& dir, const std::vector<std::string>& dns_names,
                            const std::vector<std::string>& ip_addresses);

}  // namespace jira::testing
