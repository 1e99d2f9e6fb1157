// Fuzzes what we read from the go-plugin environment and Terraform's debug-mode variables:
//   TF_PLUGIN_MAGIC_COOKIE, PLUGIN_PROTOCOL_VERSIONS, PLUGIN_CLIENT_CERT (PEM, then the DER
//   it holds), PLUGIN_MIN_PORT/PLUGIN_MAX_PORT, a numeric PLUGIN_UNIX_SOCKET_GROUP
//   (provider/serve), and the
//   TF_REATTACH_PROVIDERS value and the plugin's handshake line as the acceptance harness
//   reads them (acceptance_tests/harness/launcher.h).
// Input: byte 0 picks the variable, the rest is its value. Environment values are C strings,
// so the value ends at its first NUL for the provider's readers.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <algorithm>
#include <cstdlib>
#include <string>
#include <string_view>

#include "acceptance_tests/harness/launcher.h"
#include "provider/serve/certificate.h"
#include "provider/serve/handshake.h"
#include "provider/serve/listener.h"

namespace {

void Check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "plugin_env_fuzzer: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 1) return 0;
  const std::string raw(reinterpret_cast<const char*>(data + 1), size - 1);
  const std::string value = raw.substr(0, raw.find('\0'));  // what getenv would return
  switch (data[0] % 7) {
    case 0:
      (void)tfj::serve::HasMagicCookie(value.c_str());
      break;
    case 1: {
      const tfj::serve::Negotiation n = tfj::serve::NegotiateProtocol(value.c_str());
      Check(n.version == 0 || n.version == 5 || n.version == 6, "negotiated an unsupported version");
      Check((n.version == 0) != n.error.empty(), "error set exactly when nothing was negotiated");
      break;
    }
    case 2:
      if (const auto der = tfj::serve::PemCertificateToDer(value)) {
        (void)tfj::serve::DerCertificateToPem(*der);  // what the TLS layer does with it
      }
      break;
    case 3: {
      // "<min>\n<max>"
      const size_t nl = value.find('\n');
      const std::string lo = value.substr(0, nl);
      const std::string hi = nl == std::string::npos ? "" : value.substr(nl + 1);
      if (const auto range = tfj::serve::ParsePortRange(lo.c_str(), hi.c_str())) {
        Check(range->first > 0 && range->first <= range->second && range->second <= 65535,
              "port range out of bounds");
      }
      break;
    }
    case 4: {
      std::string error;
      (void)tfj::harness::ParseReattach(raw, &error);
      break;
    }
    case 5: {
      std::string error;
      (void)tfj::harness::ParseHandshake(raw, &error);
      break;
    }
    default:
      if (const auto gid = tfj::serve::ParseNumericGroupId(value)) {
        Check(*gid != static_cast<gid_t>(-1), "accepted the gid chown ignores");
        Check(std::to_string(*gid) == value.substr(std::min(value.find_first_not_of('0'),
                                                            value.size() - 1)),
              "gid is not the number written");
      }
      break;
  }
  return 0;
}
