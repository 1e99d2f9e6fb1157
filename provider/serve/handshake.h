// The go-plugin handshake as pure functions: magic cookie, protocol negotiation, the
// stdout handshake line and the TF_REATTACH_PROVIDERS value of debug mode.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tfj::serve {

// Terraform's constant ("should NEVER be changed" upstream). Not security: it only tells
// us we were started by Terraform rather than by a person.
inline constexpr std::string_view kMagicCookieKey = "TF_PLUGIN_MAGIC_COOKIE";
inline constexpr std::string_view kMagicCookieValue =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

// What we print on stderr (then exit 1) when started without the cookie.
std::string NotAPluginMessage(std::string_view program);

// `value` is the environment value, or nullptr when unset.
bool HasMagicCookie(const char* value);

struct Negotiation {
  int version = 0;    // 0 when no common version
  std::string error;  // set when version == 0
};

// PLUGIN_PROTOCOL_VERSIONS is a comma-separated set in no particular order. As go-plugin
// does, entries that are not integers are skipped and the newest version both sides
// support wins (6 over 5). Unlike go-plugin, which would silently fall back to its
// lowest version, no common version (or no variable) is an error: Terraform always sets
// the variable, and the client would reject the fallback anyway.
Negotiation NegotiateProtocol(const char* env_value, const std::vector<int>& supported = {6, 5});

// Base64, standard alphabet, without '=' padding: go-plugin decodes field 6 with Go's
// RawStdEncoding, which rejects padding. (Hand-written: OpenSSL's EVP_EncodeBlock
// pads and wraps, so trimming it would be as long as this.)
std::string Base64RawStd(std::string_view bytes);

// `1|<version>|<network>|<address>|grpc|<base64 DER or empty>`, without newline.
std::string HandshakeLine(int version, std::string_view network, std::string_view address,
                          std::string_view cert_der);

// The JSON object Terraform reads from TF_REATTACH_PROVIDERS. "Test": true is required
// for protocol 6 (Terraform panics otherwise) and stops Terraform from killing us.
std::string ReattachJson(std::string_view provider_address, int version, long pid,
                         std::string_view network, std::string_view address);

}  // namespace tfj::serve
