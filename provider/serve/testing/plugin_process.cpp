#include "provider/serve/testing/plugin_process.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

#include <grpcpp/create_channel.h>
#include <grpcpp/security/credentials.h>

#include "provider/serve/handshake.h"

extern char** environ;

namespace tfj::serve::testing {
namespace {

using Clock = std::chrono::steady_clock;

std::optional<std::string> DecodeBase64Raw(std::string_view in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  if (in.size() % 4 == 1) return std::nullopt;
  std::string out;
  uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    const int v = value(c);
    if (v < 0) return std::nullopt;  // includes '=': RawStdEncoding rejects padding
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xff));
    }
  }
  return out;
}

}  // namespace

std::map<std::string, std::string> TerraformEnvironment(const Certificate* client,
                                                        std::string protocol_versions) {
  std::map<std::string, std::string> env = {
      {std::string(kMagicCookieKey), std::string(kMagicCookieValue)},
      {"PLUGIN_PROTOCOL_VERSIONS", std::move(protocol_versions)},
      {"PLUGIN_MIN_PORT", "10000"},
      {"PLUGIN_MAX_PORT", "25000"},
      {"PLUGIN_CLIENT_CERT", client ? client->cert_pem : "\x01unset"},
  };
  return env;
}

std::unique_ptr<PluginProcess> PluginProcess::Start(const std::string& path,
                                                    const std::vector<std::string>& args,
                                                    const std::map<std::string, std::string>& env,
                                                    std::string* error) {
  std::map<std::string, std::string> merged;
  for (char** e = environ; *e != nullptr; ++e) {
    const std::string_view kv(*e);
    const size_t eq = kv.find('=');
    if (eq != std::string_view::npos) merged[std::string(kv.substr(0, eq))] = kv.substr(eq + 1);
  }
  for (const auto& [k, v] : env) {
    if (v == "\x01unset") {
      merged.erase(k);
    } else {
      merged[k] = v;
    }
  }
  std::vector<std::string> env_strings;
  for (const auto& [k, v] : merged) env_strings.push_back(k + "=" + v);
  std::vector<char*> envp;
  for (auto& s : env_strings) envp.push_back(s.data());
  envp.push_back(nullptr);
  std::vector<std::string> argv_strings = {path};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  int out_pipe[2];
  if (::pipe2(out_pipe, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    return nullptr;
  }
  char err_template[] = "/tmp/tfj-plugin-stderr-XXXXXX";
  const int err_fd = ::mkostemp(err_template, O_CLOEXEC);
  if (err_fd < 0) {
    *error = std::string("mkostemp: ") + std::strerror(errno);
    ::close(out_pipe[0]);
    ::close(out_pipe[1]);
    return nullptr;
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, err_fd, STDERR_FILENO);
  // The child starts with default signal handling whatever the test runner set up.
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, defaults;
  sigemptyset(&none);
  sigfillset(&defaults);
  posix_spawnattr_setsigmask(&attr, &none);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);

  auto p = std::unique_ptr<PluginProcess>(new PluginProcess());
  const int rc = ::posix_spawn(&p->pid_, path.c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  ::close(out_pipe[1]);
  ::close(err_fd);
  p->stdout_fd_ = out_pipe[0];
  p->stderr_path_ = err_template;
  if (rc != 0) {
    *error = "posix_spawn " + path + ": " + std::strerror(rc);
    p->pid_ = -1;
    return nullptr;
  }
  return p;
}

PluginProcess::~PluginProcess() {
  if (pid_ > 0 && !status_) {
    ::kill(pid_, SIGKILL);
    int st = 0;
    ::waitpid(pid_, &st, 0);
  }
  if (stdout_fd_ >= 0) ::close(stdout_fd_);
  if (!stderr_path_.empty()) ::unlink(stderr_path_.c_str());
}

std::optional<std::string> PluginProcess::ReadLine(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const size_t nl = buffer_.find('\n');
    if (nl != std::string::npos) {
      std::string line = buffer_.substr(0, nl);
      buffer_.erase(0, nl + 1);
      return line;
    }
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) return std::nullopt;
    pollfd pfd{stdout_fd_, POLLIN, 0};
    const int r = ::poll(&pfd, 1, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return std::nullopt;
    char buf[4096];
    const ssize_t n = ::read(stdout_fd_, buf, sizeof buf);
    if (n <= 0) return std::nullopt;  // EOF
    buffer_.append(buf, static_cast<size_t>(n));
  }
}

std::string PluginProcess::ReadRemainingStdout(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (left <= 0) break;
    pollfd pfd{stdout_fd_, POLLIN, 0};
    const int r = ::poll(&pfd, 1, static_cast<int>(left));
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) break;
    char buf[4096];
    const ssize_t n = ::read(stdout_fd_, buf, sizeof buf);
    if (n <= 0) break;
    buffer_.append(buf, static_cast<size_t>(n));
  }
  std::string out = std::move(buffer_);
  buffer_.clear();
  return out;
}

std::string PluginProcess::Stderr() const {
  std::ifstream in(stderr_path_);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::optional<int> PluginProcess::Wait(std::chrono::milliseconds timeout) {
  if (status_) return status_;
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    int st = 0;
    const pid_t r = ::waitpid(pid_, &st, WNOHANG);
    if (r == pid_) {
      status_ = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
      return status_;
    }
    if (Clock::now() >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
}

bool PluginProcess::Running() { return !Wait(std::chrono::milliseconds(0)).has_value(); }

void PluginProcess::Signal(int sig) {
  if (pid_ > 0 && !status_) ::kill(pid_, sig);
}

std::optional<Handshake> ParseHandshake(const std::string& line, std::string* error) {
  std::vector<std::string> fields;
  size_t start = 0;
  for (;;) {
    const size_t bar = line.find('|', start);
    fields.push_back(line.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    if (bar == std::string::npos) break;
    start = bar + 1;
  }
  if (fields.size() != 6) {
    *error = "expected 6 fields, got " + std::to_string(fields.size()) + ": " + line;
    return std::nullopt;
  }
  Handshake hs;
  try {
    hs.core_version = std::stoi(fields[0]);
    hs.protocol_version = std::stoi(fields[1]);
  } catch (const std::exception&) {
    *error = "non-numeric version field: " + line;
    return std::nullopt;
  }
  hs.network = fields[2];
  hs.address = fields[3];
  hs.protocol = fields[4];
  hs.cert_base64 = fields[5];
  if (!hs.cert_base64.empty()) {
    auto der = DecodeBase64Raw(hs.cert_base64);
    if (!der) {
      *error = "field 6 is not unpadded standard base64";
      return std::nullopt;
    }
    hs.cert_der = std::move(*der);
  }
  return hs;
}

std::shared_ptr<grpc::Channel> Dial(const Handshake& hs, const Certificate* client) {
  const std::string target = hs.network == "unix" ? "unix:" + hs.address : hs.address;
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(64 << 20);
  if (hs.cert_der.empty()) {
    return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
  }
  grpc::SslCredentialsOptions tls;
  tls.pem_root_certs = DerCertificateToPem(hs.cert_der);
  if (client != nullptr) {
    tls.pem_private_key = client->key_pem;
    tls.pem_cert_chain = client->cert_pem;
  }
  args.SetSslTargetNameOverride("localhost");
  return grpc::CreateCustomChannel(target, grpc::SslCredentials(tls), args);
}

}  // namespace tfj::serve::testing

#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/support/byte_buffer.h>

namespace tfj::serve::testing {

grpc::Status HealthCheck(const std::shared_ptr<grpc::Channel>& channel, const std::string& service,
                         int* serving_status) {
  // HealthCheckRequest{service = 1 : string}; HealthCheckResponse{status = 1 : enum}.
  std::string request = "\x0a" + std::string(1, static_cast<char>(service.size())) + service;
  grpc::GenericStub stub(channel);
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  grpc::CompletionQueue cq;
  grpc::Slice slice(request);
  grpc::ByteBuffer req(&slice, 1);
  auto call = stub.PrepareUnaryCall(&ctx, "/grpc.health.v1.Health/Check", req, &cq);
  call->StartCall();
  grpc::ByteBuffer resp;
  grpc::Status status;
  call->Finish(&resp, &status, reinterpret_cast<void*>(1));
  void* tag = nullptr;
  bool ok = false;
  cq.Next(&tag, &ok);
  cq.Shutdown();
  while (cq.Next(&tag, &ok)) {
  }
  if (!status.ok()) return status;
  std::vector<grpc::Slice> slices;
  (void)resp.Dump(&slices);
  std::string bytes;
  for (const auto& s : slices) bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  *serving_status = (bytes.size() == 2 && bytes[0] == '\x08') ? bytes[1] : 0;
  return status;
}

}  // namespace tfj::serve::testing
