#include "provider/serve/serve.h"

#include <malloc.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string_view>

#include <grpcpp/grpcpp.h>
#include <grpcpp/resource_quota.h>
#include <grpcpp/security/server_credentials.h>

#include "provider/core/log.h"
#include "provider/core/server.h"
#include "provider/proto5/provider_service.h"
#include "provider/proto6/provider_service.h"
#include "provider/serve/certificate.h"
#include "provider/serve/handshake.h"
#include "provider/serve/health_service.h"
#include "provider/serve/listener.h"
#include "provider/serve/peer_check.h"
#include "provider/serve/plugin_services.h"

namespace tfj::serve {
namespace {

// terraform-plugin-go's limit: Terraform itself accepts messages up to MaxInt32, and gRPC
// C++'s 4 MiB default would reject large configurations and states.
constexpr int kMaxMessageBytes = 256 << 20;
// The signal our own Shutdown RPC raises to wake the serve loop.
constexpr int kShutdownSignal = SIGUSR2;

struct Args {
  bool debug = false;
  bool version = false;
  int protocol = 6;
  std::string error;
};

Args ParseArgs(int argc, char** argv) {
  Args a;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--debug" || arg == "-debug") {
      a.debug = true;
    } else if (arg == "--version" || arg == "-version" || arg == "version") {
      a.version = true;
    } else if (arg == "--protocol" && i + 1 < argc) {
      const std::string_view v = argv[++i];
      if (v == "5" || v == "6") {
        a.protocol = v[0] - '0';
      } else {
        a.error = "--protocol takes 5 or 6";
      }
    } else if (arg.starts_with("--protocol=")) {
      const std::string_view v = arg.substr(11);
      if (v == "5" || v == "6") {
        a.protocol = v[0] - '0';
      } else {
        a.error = "--protocol takes 5 or 6";
      }
    } else {
      a.error = "unknown argument: " + std::string(arg);
    }
  }
  return a;
}

std::string ProgramName(const ServeOptions& opts) {
  const size_t slash = opts.provider_address.rfind('/');
  return "terraform-provider-" + (slash == std::string::npos
                                      ? opts.provider_address
                                      : opts.provider_address.substr(slash + 1));
}

void WriteStdoutLine(const std::string& line) {
  std::string out = line + "\n";
  size_t done = 0;
  while (done < out.size()) {
    const ssize_t n = ::write(STDOUT_FILENO, out.data() + done, out.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    done += static_cast<size_t>(n);
  }
}

// Waits for a stop signal (or, when launched by Terraform, for the parent to go away).
void WaitForStop(const sigset_t& signals, bool watch_parent) {
  const pid_t parent = ::getppid();
  const timespec tick{1, 0};
  for (;;) {
    const int sig = ::sigtimedwait(&signals, nullptr, &tick);
    if (sig > 0) {
      tf::log::Debug("stopping", {{"signal", ::strsignal(sig)}});
      return;
    }
    if (watch_parent && ::getppid() != parent) {
      tf::log::Warn("plugin host went away; stopping");
      return;
    }
  }
}

}  // namespace

int Main(int argc, char** argv, const ServeOptions& opts) {
  const Args args = ParseArgs(argc, argv);
  const std::string program = ProgramName(opts);
  if (!args.error.empty()) {
    std::fprintf(stderr, "%s: %s\nusage: %s [--debug [--protocol 5|6]] [--version]\n",
                 program.c_str(), args.error.c_str(), program.c_str());
    return 2;
  }
  if (args.version) {
    WriteStdoutLine(program + " v" + opts.version);
    return 0;
  }
  // glibc gives every thread that allocates its own malloc arena (64 MiB reserved, pages
  // touched on use): with gRPC's threads plus up to ~10 RPC threads that is RSS and page
  // faults for nothing. Two arenas are plenty here. Set before anything creates a thread.
  // (No change measured up to the handshake; it bounds RSS while calls run.)
  ::mallopt(M_ARENA_MAX, 2);
  tf::log::InitFromEnvironment();

  // 1. Cookie: only Terraform (or --debug) may start us.
  if (!args.debug && !HasMagicCookie(std::getenv(std::string(kMagicCookieKey).c_str()))) {
    std::fputs(NotAPluginMessage(program).c_str(), stderr);
    return 1;
  }

  // 2. Protocol.
  int version = args.protocol;
  if (!args.debug) {
    const Negotiation n = NegotiateProtocol(std::getenv("PLUGIN_PROTOCOL_VERSIONS"));
    if (n.version == 0) {
      std::fprintf(stderr, "%s: %s\n", program.c_str(), n.error.c_str());
      return 1;
    }
    version = n.version;
  }

  // 3. Signals, before any thread exists so every thread inherits the mask. SIGINT is
  // ignored like go-plugin servers do: Ctrl-C reaches our process group, and Terraform
  // answers it with StopProvider and waits for the calls in flight, so dying here would
  // lose objects just created. In debug mode nobody else is there to stop us: SIGINT stops.
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, kShutdownSignal);
  // A disposition of SIG_IGN inherited from the parent (e.g. a shell's background job)
  // would discard the signal even while we wait for it: reset the ones we wait for.
  ::signal(SIGTERM, SIG_DFL);
  ::signal(kShutdownSignal, SIG_DFL);
  if (args.debug) {
    ::signal(SIGINT, SIG_DFL);
    sigaddset(&stop_signals, SIGINT);
  } else {
    ::signal(SIGINT, SIG_IGN);
  }
  ::pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);
  ::signal(SIGPIPE, SIG_IGN);

  // 4. Listener.
  Listener listener;
  std::string error;
  const char* network = std::getenv("TFJ_PLUGIN_NETWORK");
  const bool tcp = !args.debug && network != nullptr && std::string_view(network) == "tcp";
  const bool ok = tcp ? PrepareTcpListener(std::getenv("PLUGIN_MIN_PORT"),
                                           std::getenv("PLUGIN_MAX_PORT"), &listener, &error)
                      : PrepareUnixListener(std::getenv("PLUGIN_UNIX_SOCKET_DIR"),
                                            std::getenv("PLUGIN_UNIX_SOCKET_GROUP"), &listener,
                                            &error);
  if (!ok) {
    std::fprintf(stderr, "%s: %s\n", program.c_str(), error.c_str());
    return 1;
  }

  // 5. Credentials: AutoMTLS when Terraform handed us its client certificate.
  std::shared_ptr<grpc::ServerCredentials> credentials;
  Certificate server_cert;
  const char* client_pem = args.debug ? nullptr : std::getenv("PLUGIN_CLIENT_CERT");
  if (client_pem != nullptr && *client_pem != '\0') {
    const std::optional<std::string> client_der = PemCertificateToDer(client_pem);
    if (!client_der) {
      std::fprintf(stderr, "%s: PLUGIN_CLIENT_CERT does not hold a PEM certificate\n",
                   program.c_str());
      RemoveUnixListener(listener);
      return 1;
    }
    try {
      server_cert = GenerateSelfSignedCertificate();
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: %s\n", program.c_str(), e.what());
      RemoveUnixListener(listener);
      return 1;
    }
    grpc::SslServerCredentialsOptions tls(GRPC_SSL_REQUEST_AND_REQUIRE_CLIENT_CERTIFICATE_AND_VERIFY);
    tls.pem_root_certs = client_pem;  // Terraform's certificate is the only trust anchor
    tls.pem_key_cert_pairs.push_back({server_cert.key_pem, server_cert.cert_pem});
    credentials = grpc::SslServerCredentials(tls);
    credentials->SetAuthMetadataProcessor(std::make_shared<PeerCertificateCheck>(*client_der));
  } else {
    credentials = grpc::InsecureServerCredentials();  // TF_DISABLE_PLUGIN_TLS, or --debug
  }

  // 6. Services and server.
  tf::Server core(opts.factory());
  proto5::ProviderService service5(core);
  proto6::ProviderService service6(core);
  ControllerService controller([] { ::kill(::getpid(), kShutdownSignal); });
  StdioService stdio;
  HealthService health;

  grpc::ServerBuilder builder;
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  builder.SetMaxSendMessageSize(kMaxMessageBytes);
  // Small footprint: one completion queue and few pollers; RPC threads are created on
  // demand up to the quota (Terraform runs up to 10 calls at once, plus StopProvider).
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::NUM_CQS, 1);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 1);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, 2);
  grpc::ResourceQuota quota("tfj-plugin");
  quota.SetMaxThreads(64);
  builder.SetResourceQuota(quota);
  int bound_port = 0;
  builder.AddListeningPort(listener.grpc_uri, credentials, &bound_port);
  if (version == 5) {
    builder.RegisterService(&service5);
  } else {
    builder.RegisterService(&service6);
  }
  builder.RegisterService(&controller);
  builder.RegisterService(&stdio);
  builder.RegisterService(&health);
  std::unique_ptr<grpc::Server> server = builder.BuildAndStart();
  if (!server || (listener.network == "tcp" && bound_port == 0)) {
    std::fprintf(stderr, "%s: cannot listen on %s\n", program.c_str(), listener.grpc_uri.c_str());
    RemoveUnixListener(listener);
    return 1;
  }
  if (listener.network == "tcp") listener.address = "127.0.0.1:" + std::to_string(bound_port);
  if (!ApplySocketGroup(listener, &error)) {
    std::fprintf(stderr, "%s: %s\n", program.c_str(), error.c_str());
    server->Shutdown();
    RemoveUnixListener(listener);
    return 1;
  }

  // 7. Announce: the handshake line is the first and only thing on stdout.
  if (args.debug) {
    const std::string reattach =
        ReattachJson(opts.provider_address, version, static_cast<long>(::getpid()),
                     listener.network, listener.address);
    std::fprintf(stderr,
                 "%s serving protocol %d in debug mode. Export this in the shell where you "
                 "run terraform, then stop the provider with Ctrl-C:\n",
                 program.c_str(), version);
    WriteStdoutLine("TF_REATTACH_PROVIDERS='" + reattach + "'");
  } else {
    WriteStdoutLine(HandshakeLine(version, listener.network, listener.address,
                                  server_cert.cert_der));
  }
  tf::log::Info("plugin serving", {{"network", listener.network},
                                   {"address", listener.address},
                                   {"protocol", version == 5 ? "5" : "6"}});

  // 8. Serve until Shutdown, SIGTERM (SIGINT in debug mode) or the host goes away.
  WaitForStop(stop_signals, !args.debug);
  core.Stop();  // cancel anything still running so the graceful shutdown is quick
  server->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(2));
  server->Wait();
  RemoveUnixListener(listener);
  tf::log::Debug("plugin stopped");
  return 0;
}

}  // namespace tfj::serve
