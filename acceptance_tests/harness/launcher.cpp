#include "acceptance_tests/harness/launcher.h"

#include <grpcpp/create_channel.h>
#include <grpcpp/generic/generic_stub.h>
#include <grpcpp/security/credentials.h>
#include <grpcpp/support/byte_buffer.h>
#include <signal.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <sstream>

#include "acceptance_tests/harness/mtls.h"

namespace tfj::harness {
namespace {

constexpr int kMaxMessageBytes = 256 * 1024 * 1024;

std::string Trim(std::string s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  size_t e = s.find_last_not_of(" \t\r\n");
  return b == std::string::npos ? "" : s.substr(b, e - b + 1);
}

std::vector<std::string> Split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

// A unary call by method name with raw protobuf bytes. We hand-encode the two tiny
// messages involved (health check and the empty controller message) because Debian's
// gRPC ships no generated client stubs for grpc.health.v1.
grpc::Status RawUnaryCall(const std::shared_ptr<grpc::Channel>& channel, const std::string& method,
                          const std::string& request, std::string* response,
                          std::chrono::milliseconds timeout) {
  grpc::GenericStub stub(channel);
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  grpc::Slice slice(request);
  grpc::ByteBuffer req(&slice, 1);
  grpc::ByteBuffer resp;
  std::promise<grpc::Status> done;
  stub.UnaryCall(&context, method, grpc::StubOptions(), &req, &resp,
                 [&done](grpc::Status s) { done.set_value(std::move(s)); });
  grpc::Status status = done.get_future().get();
  if (status.ok() && response != nullptr) {
    std::vector<grpc::Slice> slices;
    (void)resp.Dump(&slices);
    response->clear();
    for (const auto& s : slices) {
      response->append(reinterpret_cast<const char*>(s.begin()), s.size());
    }
  }
  return status;
}

}  // namespace

std::string ReadFileOrEmpty(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string MakeTempDir(const std::string& prefix) {
  const char* tmp = getenv("TMPDIR");
  std::string templ = std::string(tmp != nullptr && *tmp != '\0' ? tmp : "/tmp") + "/" + prefix + "XXXXXX";
  if (mkdtemp(templ.data()) == nullptr) return "";
  return templ;
}

void RemoveTree(const std::string& path) {
  std::error_code ec;
  if (!path.empty()) std::filesystem::remove_all(path, ec);
}

std::optional<Handshake> ParseHandshake(const std::string& line, std::string* error) {
  std::vector<std::string> parts = Split(Trim(line), '|');
  if (parts.size() < 4) {
    *error = "Unrecognized remote plugin message: " + line;
    return std::nullopt;
  }
  Handshake h;
  try {
    h.core_version = std::stoi(parts[0]);
    h.protocol = std::stoi(parts[1]);
  } catch (const std::exception&) {
    *error = "Unrecognized remote plugin message: " + line;
    return std::nullopt;
  }
  if (h.core_version != 1) {
    *error = "Incompatible core API version with plugin. Plugin version: " + parts[0] +
             ", Core version: 1";
    return std::nullopt;
  }
  h.network = parts[2];
  h.address = parts[3];
  h.rpc_protocol = parts.size() > 4 ? parts[4] : "netrpc";
  if (h.rpc_protocol != "grpc") {
    *error = "Unsupported plugin protocol \"" + h.rpc_protocol + "\". Supported: [grpc]";
    return std::nullopt;
  }
  if (h.network != "unix" && h.network != "tcp") {
    *error = "Unknown address type: " + h.network;
    return std::nullopt;
  }
  if (parts.size() > 5 && parts[5].size() > 50) {
    auto der = DecodeBase64NoPad(parts[5]);
    if (!der) {
      *error = "error parsing server cert: illegal base64 data in \"" + parts[5] + "\"";
      return std::nullopt;
    }
    h.server_cert_der = *der;
  }
  return h;
}

std::optional<ReattachInfo> ParseReattach(const std::string& text, std::string* error) {
  std::string json = Trim(text);
  size_t eq = json.find("TF_REATTACH_PROVIDERS=");
  if (eq != std::string::npos) json = Trim(json.substr(eq + 22));
  if (json.size() >= 2 && json.front() == '\'' && json.back() == '\'') {
    json = json.substr(1, json.size() - 2);
  }
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || doc.size() != 1) {
    *error = "TF_REATTACH_PROVIDERS is not an object with one provider: " + text;
    return std::nullopt;
  }
  try {
    ReattachInfo info;
    info.source_address = doc.begin().key();
    const auto& v = doc.begin().value();
    if (v.at("Protocol").get<std::string>() != "grpc") {
      *error = "reattach protocol is not grpc";
      return std::nullopt;
    }
    info.protocol = v.at("ProtocolVersion").get<int>();
    info.pid = v.at("Pid").get<int>();
    info.test = v.at("Test").get<bool>();
    info.network = v.at("Addr").at("Network").get<std::string>();
    info.address = v.at("Addr").at("String").get<std::string>();
    info.json = json;
    return info;
  } catch (const nlohmann::json::exception& e) {
    *error = std::string("malformed TF_REATTACH_PROVIDERS: ") + e.what();
    return std::nullopt;
  }
}

std::unique_ptr<ProviderProcess> ProviderProcess::Launch(const LaunchOptions& options,
                                                         Status* status) {
  std::unique_ptr<ProviderProcess> p(new ProviderProcess());
  p->temp_dir_ = MakeTempDir("tfj-plugin-");
  p->stderr_path_ = p->temp_dir_ + "/stderr.log";
  std::optional<ClientCertificate> cert;
  ProcessOptions po;
  po.argv = {options.binary};
  po.stderr_file = p->stderr_path_;
  po.env = options.env;
  po.env[kMagicCookieName] = kMagicCookieValue;
  po.env["PLUGIN_PROTOCOL_VERSIONS"] = options.protocol_versions;
  po.env["PLUGIN_MIN_PORT"] = "10000";
  po.env["PLUGIN_MAX_PORT"] = "25000";
  po.unset_env = {"PLUGIN_CLIENT_CERT", "TF_REATTACH_PROVIDERS", "PLUGIN_UNIX_SOCKET_DIR"};
  if (options.tcp) po.env["TFJ_PLUGIN_NETWORK"] = "tcp";
  if (options.automtls) {
    std::string error;
    cert = GenerateClientCertificate(&error);
    if (!cert) {
      *status = Status::Error(error);
      return nullptr;
    }
    po.env["PLUGIN_CLIENT_CERT"] = cert->cert_pem;
  }
  std::string error;
  if (!p->process_.Start(po, &error)) {
    *status = Status::Error("starting " + options.binary + ": " + error);
    return nullptr;
  }
  auto line = p->process_.ReadLine(options.handshake_timeout, &error);
  if (!line) {
    *status = Status::Error("plugin handshake failed: " + error + "\nplugin stderr:\n" + p->Stderr());
    return nullptr;
  }
  auto hs = ParseHandshake(*line, &error);
  if (!hs) {
    *status = Status::Error(error + "\nplugin stderr:\n" + p->Stderr());
    return nullptr;
  }
  p->handshake_ = *hs;
  std::vector<std::string> offered = Split(options.protocol_versions, ',');
  if (std::find(offered.begin(), offered.end(), std::to_string(hs->protocol)) == offered.end()) {
    *status = Status::Error("Incompatible API version with plugin. Plugin version: " +
                            std::to_string(hs->protocol) + ", Client versions: [" +
                            options.protocol_versions + "]");
    return nullptr;
  }
  if (options.automtls && hs->server_cert_der.empty()) {
    *status = Status::Error("the plugin did not send a server certificate although "
                            "PLUGIN_CLIENT_CERT was set");
    return nullptr;
  }
  std::string root = hs->server_cert_der.empty() ? "" : DerCertificateToPem(hs->server_cert_der);
  if (!hs->server_cert_der.empty() && root.empty()) {
    *status = Status::Error("error parsing server cert: not a DER certificate");
    return nullptr;
  }
  *status = p->Dial(root, cert ? cert->cert_pem : "", cert ? cert->key_pem : "");
  if (!status->ok()) return nullptr;
  *status = p->CheckHealth();
  if (!status->ok()) return nullptr;
  return p;
}

std::unique_ptr<ProviderProcess> ProviderProcess::LaunchDebug(
    const std::string& binary, int protocol, const std::map<std::string, std::string>& env,
    Status* status) {
  std::unique_ptr<ProviderProcess> p(new ProviderProcess());
  p->temp_dir_ = MakeTempDir("tfj-plugin-");
  p->stderr_path_ = p->temp_dir_ + "/stderr.log";
  ProcessOptions po;
  po.argv = {binary, "--debug", "--protocol", std::to_string(protocol)};
  po.stderr_file = p->stderr_path_;
  po.env = env;
  po.unset_env = {kMagicCookieName, "PLUGIN_CLIENT_CERT", "PLUGIN_PROTOCOL_VERSIONS",
                  "TF_REATTACH_PROVIDERS"};
  std::string error;
  if (!p->process_.Start(po, &error)) {
    *status = Status::Error("starting " + binary + " --debug: " + error);
    return nullptr;
  }
  // The debug banner may have several lines; the reattach value is the one we need.
  for (int i = 0; i < 50; ++i) {
    auto line = p->process_.ReadLine(std::chrono::seconds(30), &error);
    if (!line) break;
    if (line->find("TF_REATTACH_PROVIDERS=") == std::string::npos) continue;
    auto info = ParseReattach(*line, &error);
    if (!info) break;
    p->reattach_ = *info;
    p->handshake_.core_version = 1;
    p->handshake_.protocol = info->protocol;
    p->handshake_.network = info->network;
    p->handshake_.address = info->address;
    p->handshake_.rpc_protocol = "grpc";
    *status = p->Dial("", "", "");
    if (!status->ok()) return nullptr;
    *status = p->CheckHealth();
    if (!status->ok()) return nullptr;
    return p;
  }
  *status = Status::Error("no TF_REATTACH_PROVIDERS line from " + binary + " --debug: " + error +
                          "\nplugin stderr:\n" + p->Stderr());
  return nullptr;
}

Status ProviderProcess::Dial(const std::string& root_pem, const std::string& cert_pem,
                             const std::string& key_pem) {
  std::string target = handshake_.network == "unix" ? "unix:" + handshake_.address
                                                    : handshake_.address;
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kMaxMessageBytes);
  args.SetMaxSendMessageSize(kMaxMessageBytes);
  std::shared_ptr<grpc::ChannelCredentials> creds;
  if (root_pem.empty()) {
    creds = grpc::InsecureChannelCredentials();
  } else {
    grpc::SslCredentialsOptions ssl;
    ssl.pem_root_certs = root_pem;
    ssl.pem_cert_chain = cert_pem;
    ssl.pem_private_key = key_pem;
    creds = grpc::SslCredentials(ssl);
    args.SetSslTargetNameOverride("localhost");  // go-plugin's ServerName
  }
  channel_ = grpc::CreateCustomChannel(target, creds, args);
  if (!channel_->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(20))) {
    return Status::Error("Plugin did not respond: cannot connect to " + target +
                         "\nplugin stderr:\n" + Stderr());
  }
  return Status::Ok();
}

Status ProviderProcess::CheckHealth() {
  // grpc.health.v1.HealthCheckRequest{service: "plugin"}: field 1, length-delimited.
  std::string request = std::string("\x0a\x06", 2) + "plugin";
  std::string response;
  grpc::Status s = RawUnaryCall(channel_, "/grpc.health.v1.Health/Check", request, &response,
                                std::chrono::seconds(10));
  if (!s.ok()) return Status::Error("health check failed: " + s.error_message());
  // HealthCheckResponse{status: SERVING(1)} is the varint field 1 = 1.
  if (response != std::string("\x08\x01", 2)) {
    return Status::Error("health check: service \"plugin\" is not SERVING");
  }
  return Status::Ok();
}

std::string ProviderProcess::Stderr() const { return ReadFileOrEmpty(stderr_path_); }

Status ProviderProcess::Shutdown() {
  if (shut_down_) return Status::Ok();
  shut_down_ = true;
  Status result;
  if (reattach_) {
    process_.Signal(SIGTERM);
  } else if (channel_) {
    grpc::Status s = RawUnaryCall(channel_, "/plugin.GRPCController/Shutdown", "", nullptr,
                                  std::chrono::seconds(5));
    if (!s.ok()) result = Status::Error("GRPCController.Shutdown failed: " + s.error_message());
  }
  channel_.reset();
  auto code = process_.Wait(std::chrono::seconds(2));  // go-plugin's grace period
  if (!code) {
    process_.Kill();
    result.Update(Status::Error("the plugin did not exit within 2 s of shutdown; killed it"));
  } else if (*code != 0) {
    result.Update(Status::Error("the plugin exited with status " + std::to_string(*code) +
                                "\nplugin stderr:\n" + Stderr()));
  }
  return result;
}

ProviderProcess::~ProviderProcess() {
  (void)Shutdown();
  RemoveTree(temp_dir_);
}

}  // namespace tfj::harness
