// Test and benchmark support: start a plugin binary the way Terraform does (environment,
// AutoMTLS client certificate), read its handshake line and dial it over gRPC.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <grpcpp/channel.h>

#include "provider/serve/certificate.h"

namespace tfj::serve::testing {

// The environment Terraform sets for a plugin (TF 1.11: cookie, protocol versions, port
// range, and PLUGIN_CLIENT_CERT when `client` is given).
std::map<std::string, std::string> TerraformEnvironment(const Certificate* client,
                                                        std::string protocol_versions = "5,6");

class PluginProcess {
 public:
  // Starts `path` with `args`; the environment is the current one plus `env` (a value of
  // "\x01unset" removes a variable). stdout is a pipe, stderr goes to a temporary file.
  static std::unique_ptr<PluginProcess> Start(const std::string& path,
                                              const std::vector<std::string>& args,
                                              const std::map<std::string, std::string>& env,
                                              std::string* error);
  ~PluginProcess();  // kills and reaps the process if it still runs

  pid_t pid() const { return pid_; }
  // The next stdout line without its newline; nullopt on EOF or timeout.
  std::optional<std::string> ReadLine(std::chrono::milliseconds timeout);
  // Whatever remains on stdout until EOF (after the process exited).
  std::string ReadRemainingStdout(std::chrono::milliseconds timeout);
  std::string Stderr() const;
  // Exit code, 128+signal when killed by a signal, or nullopt when still running after
  // `timeout`.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  bool Running();
  void Signal(int sig);

 private:
  PluginProcess() = default;
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string stderr_path_;
  std::string buffer_;
  std::optional<int> status_;
};

struct Handshake {
  int core_version = 0;
  int protocol_version = 0;
  std::string network;
  std::string address;
  std::string protocol;
  std::string cert_base64;
  std::string cert_der;  // decoded; empty without TLS
};

// Parses and checks a handshake line the way go-plugin's client does (RawStdEncoding:
// '=' padding is an error). nullopt with `error` set when malformed.
std::optional<Handshake> ParseHandshake(const std::string& line, std::string* error);

// Dials the plugin. With `client` set: TLS trusting only the plugin's certificate from the
// handshake, presenting `client`, server name "localhost" (as go-plugin does).
std::shared_ptr<grpc::Channel> Dial(const Handshake& hs, const Certificate* client);

}  // namespace tfj::serve::testing

namespace tfj::serve::testing {

// grpc.health.v1.Health/Check for `service`, spoken as raw protobuf bytes so that no
// health .proto is compiled into the plugin. On OK, `serving_status` holds the enum
// (1 = SERVING).
grpc::Status HealthCheck(const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
                         int* serving_status);

}  // namespace tfj::serve::testing
