// Client-side AutoMTLS material, generated the way go-plugin does for every plugin launch.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace tfj::harness {

struct ClientCertificate {
  std::string cert_pem;  // passed to the plugin in PLUGIN_CLIENT_CERT
  std::string key_pem;   // PKCS#8 private key, kept by the client
};

// A fresh self-signed ECDSA P-521 / SHA-512 certificate: O=HashiCorp, CN=localhost,
// SAN DNS:localhost, CA:TRUE, client and server auth, valid from 30 s ago for 30 years.
// Returns nullopt (and fills `error`) when OpenSSL fails.
std::optional<ClientCertificate> GenerateClientCertificate(std::string* error);

// go-plugin's handshake carries the server certificate as base64 (standard alphabet) WITHOUT
// padding. Returns nullopt when the text is not such base64.
std::optional<std::string> DecodeBase64NoPad(std::string_view text);

// DER certificate bytes -> PEM text ("-----BEGIN CERTIFICATE-----..."); empty on failure.
std::string DerCertificateToPem(std::string_view der);

}  // namespace tfj::harness
