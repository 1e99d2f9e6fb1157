// Starts a provider binary exactly as Terraform does (go-plugin client side): the magic
// cookie, PLUGIN_PROTOCOL_VERSIONS, the port range and an AutoMTLS client certificate;
// parses the handshake line, dials over unix or tcp with mutual TLS and checks health.
// Also starts a binary in `--debug` mode and attaches to it plaintext, as Terraform does
// with TF_REATTACH_PROVIDERS.
#pragma once

#include <grpcpp/channel.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

#include "acceptance_tests/harness/process.h"
#include "acceptance_tests/harness/status.h"

namespace tfj::harness {

inline constexpr char kMagicCookieName[] = "TF_PLUGIN_MAGIC_COOKIE";
inline constexpr char kMagicCookieValue[] =
    "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

struct LaunchOptions {
  std::string binary;                 // absolute path of the provider executable
  std::string protocol_versions = "6";  // PLUGIN_PROTOCOL_VERSIONS: "5", "6" or "5,6"
  bool automtls = true;               // set PLUGIN_CLIENT_CERT (Terraform's default)
  bool tcp = false;                   // ask the plugin for tcp (TFJ_PLUGIN_NETWORK=tcp)
  std::map<std::string, std::string> env;  // extra environment for the child
  std::chrono::milliseconds handshake_timeout{60000};  // go-plugin's StartTimeout
};

// The parsed go-plugin handshake line "1|6|unix|/path|grpc|<base64 DER>".
struct Handshake {
  int core_version = 0;
  int protocol = 0;
  std::string network;  // "unix" or "tcp"
  std::string address;
  std::string rpc_protocol;  // "grpc"
  std::string server_cert_der;  // empty when TLS is off
};
// Parses as go-plugin's client does (trimmed, split on '|', >= 4 fields, field 6 is a
// certificate only when longer than 50 characters, base64 without padding).
std::optional<Handshake> ParseHandshake(const std::string& line, std::string* error);

// One TF_REATTACH_PROVIDERS entry.
struct ReattachInfo {
  std::string source_address;  // e.g. registry.terraform.io/tfjira/tfjtest
  int protocol = 0;
  int pid = 0;
  bool test = false;
  std::string network;
  std::string address;
  std::string json;  // the whole JSON value, ready for TF_REATTACH_PROVIDERS
};
// Accepts the JSON value or a line like TF_REATTACH_PROVIDERS='{...}'.
std::optional<ReattachInfo> ParseReattach(const std::string& text, std::string* error);

class ProviderProcess {
 public:
  // Starts `options.binary` as Terraform would, completes the handshake and checks health.
  static std::unique_ptr<ProviderProcess> Launch(const LaunchOptions& options, Status* status);
  // Starts `binary --debug --protocol N` and reads its TF_REATTACH_PROVIDERS line, then
  // dials it plaintext (no TLS, as Terraform does when reattaching).
  static std::unique_ptr<ProviderProcess> LaunchDebug(const std::string& binary, int protocol,
                                                      const std::map<std::string, std::string>& env,
                                                      Status* status);
  ~ProviderProcess();  // Shutdown() if still running

  int protocol() const { return handshake_.protocol; }
  const Handshake& handshake() const { return handshake_; }
  const std::optional<ReattachInfo>& reattach() const { return reattach_; }
  std::shared_ptr<grpc::Channel> channel() const { return channel_; }
  pid_t pid() const { return process_.pid(); }
  // What the plugin wrote to stderr so far (its logs), for failure messages.
  std::string Stderr() const;

  // grpc.health.v1.Health/Check for service "plugin": OK iff SERVING.
  Status CheckHealth();
  // Teardown as go-plugin does it: GRPCController.Shutdown, then wait up to 2 s for the
  // process to exit, then SIGKILL. In debug mode: SIGTERM instead of Shutdown. Returns an
  // error when the process had to be killed or exited non-zero.
  Status Shutdown();
  bool running() { return process_.running(); }

 private:
  ProviderProcess() = default;
  Status Dial(const std::string& root_pem, const std::string& cert_pem, const std::string& key_pem);

  Process process_;
  std::string temp_dir_;
  std::string stderr_path_;
  Handshake handshake_;
  std::optional<ReattachInfo> reattach_;
  std::shared_ptr<grpc::Channel> channel_;
  bool shut_down_ = false;
};

// Reads a whole file; empty when missing.
std::string ReadFileOrEmpty(const std::string& path);
// Creates a fresh private temporary directory "<TMPDIR>/<prefix>XXXXXX".
std::string MakeTempDir(const std::string& prefix);
// rm -r.
void RemoveTree(const std::string& path);

}  // namespace tfj::harness
