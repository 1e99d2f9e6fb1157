#include "provider/serve/serve.h"

#include <malloc.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <optional>
#include <string_view>

#include "provider/core/log.h"
#include "provider/core/server.h"
#include "provider/proto5/provider_service.h"
#include "provider/proto6/provider_service.h"
#include "provider/serve/certificate.h"
#include "provider/serve/handshake.h"
#include "provider/serve/health_service.h"
#include "provider/serve/listener.h"
#include "provider/serve/plugin_services.h"

namespace tfj::serve {
namespace {

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

// Whether to stop: a stop signal arrived (read from `signal_fd`), or, when launched by
// Terraform, the parent went away.
class StopCheck {
 public:
  StopCheck(int signal_fd, bool watch_parent)
      : signal_fd_(signal_fd), watch_parent_(watch_parent), parent_(::getppid()) {}
  bool operator()() const {
    signalfd_siginfo info{};
    if (::read(signal_fd_, &info, sizeof info) == static_cast<ssize_t>(sizeof info)) {
      tf::log::Debug("stopping", {{"signal", ::strsignal(static_cast<int>(info.ssi_signo))}});
      return true;
    }
    if (watch_parent_ && ::getppid() != parent_) {
      tf::log::Warn("plugin host went away; stopping");
      return true;
    }
    return false;
  }

 private:
  int signal_fd_;
  bool watch_parent_;
  pid_t parent_;
};

// Start-up touches about half a megabyte of fresh heap (mostly OpenSSL's algorithm
// tables). On virtual machines a page fault is expensive: ~15 us each on the reference
// VM, against ~2 us per page when the kernel maps a range in one call. So the heap is
// grown by 1 MiB up front and mapped with MADV_POPULATE_WRITE (Linux 5.14; ignored where
// unsupported). Measured on the reference VM: ~0.5 ms less to the handshake, for
// ~0.7 MiB more RSS (bench_handshake).
void PrefaultHeap() {
#ifndef MADV_POPULATE_WRITE
  constexpr int MADV_POPULATE_WRITE = 23;
#endif
  constexpr size_t kStep = size_t{1} << 20;
  ::mallopt(M_TOP_PAD, static_cast<int>(kStep));  // grow the heap in 1 MiB steps
  ::mallopt(M_TRIM_THRESHOLD, static_cast<int>(4 * kStep));  // and keep what it got
  // Allocate from the heap's free top until glibc has to grow it, then give it all back.
  auto* const end_before = static_cast<char*>(::sbrk(0));
  void* blocks[64];
  size_t n = 0;
  while (n < 64 && static_cast<char*>(::sbrk(0)) == end_before) {
    blocks[n] = ::malloc(32 << 10);  // below the mmap threshold: served from the heap
    if (blocks[n] == nullptr) break;
    ++n;
  }
  auto* const start = n > 0 ? static_cast<char*>(blocks[0]) : end_before;
  for (size_t i = 0; i < n; ++i) ::free(blocks[i]);
  auto* const end = static_cast<char*>(::sbrk(0));
  const auto page = static_cast<uintptr_t>(::sysconf(_SC_PAGESIZE));
  auto* const from = reinterpret_cast<char*>(reinterpret_cast<uintptr_t>(start) & ~(page - 1));
  if (end > from) ::madvise(from, static_cast<size_t>(end - from), MADV_POPULATE_WRITE);
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
  // touched on use): with up to ~10 call threads that is RSS and page faults for nothing.
  // Two arenas are plenty here. Set before anything creates a thread.
  ::mallopt(M_ARENA_MAX, 2);
  PrefaultHeap();
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

  // The stop signals are read from a descriptor, in the serve loop.
  const int signal_fd = ::signalfd(-1, &stop_signals, SFD_NONBLOCK | SFD_CLOEXEC);
  if (signal_fd < 0) {
    std::fprintf(stderr, "%s: signalfd: %s\n", program.c_str(), std::strerror(errno));
    return 1;
  }

  // 4. AutoMTLS when Terraform handed us its client certificate (plaintext HTTP/2 under
  // TF_DISABLE_PLUGIN_TLS or --debug). Start-up runs on one thread: generating our
  // certificate on a second one was measured slower (OpenSSL's first-use locks serialise
  // the two, and the thread costs more than it overlaps).
  std::optional<std::string> client_der;
  const char* client_pem = args.debug ? nullptr : std::getenv("PLUGIN_CLIENT_CERT");
  if (client_pem != nullptr && *client_pem != '\0') {
    client_der = PemCertificateToDer(client_pem);
    if (!client_der) {
      std::fprintf(stderr, "%s: PLUGIN_CLIENT_CERT does not hold a PEM certificate\n",
                   program.c_str());
      return 1;
    }
  }

  // 5. Listener.
  Listener listener;
  std::string error;
  const char* network = std::getenv("TFJ_PLUGIN_NETWORK");
  const bool tcp = !args.debug && network != nullptr && std::string_view(network) == "tcp";
  const bool ok = tcp ? OpenTcpListener(std::getenv("PLUGIN_MIN_PORT"),
                                        std::getenv("PLUGIN_MAX_PORT"), &listener, &error)
                      : OpenUnixListener(std::getenv("PLUGIN_UNIX_SOCKET_DIR"),
                                         std::getenv("PLUGIN_UNIX_SOCKET_GROUP"), &listener,
                                         &error);
  if (!ok) {
    std::fprintf(stderr, "%s: %s\n", program.c_str(), error.c_str());
    return 1;
  }

  // 6. Our certificate.
  std::unique_ptr<PluginServer> server =
      opts.server ? opts.server() : NewNghttp2PluginServer();
  Certificate server_cert;
  if (client_der) {
    try {
      server_cert =
          GenerateSelfSignedCertificate(CurveChoice::kP521, server->CertificateEncoding());
    } catch (const std::exception& e) {
      std::fprintf(stderr, "%s: %s\n", program.c_str(), e.what());
      CloseListener(&listener);
      return 1;
    }
  }

  // 7. Announce: the handshake line is the first and only thing on stdout. It goes out as
  // soon as the socket listens and the certificate exists; the rest of the set-up below
  // (TLS context, provider, method table) overlaps with Terraform reading the line and
  // connecting, whose connection waits in the listen backlog meanwhile. A server that
  // binds the address itself (gRPC C++) announces once it has started instead.
  const auto announce = [&] {
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
  };
  if (server->AnnouncesBeforeStart()) announce();

  // 8. Services and server: only the negotiated protocol's Provider service is offered.
  tf::Server core(opts.factory());
  proto5::ProviderService service5(core);
  proto6::ProviderService service6(core);
  ControllerService controller([] { ::kill(::getpid(), kShutdownSignal); });
  StdioService stdio;
  rpc::Router router;
  if (version == 5) {
    service5.Register(router);
  } else {
    service6.Register(router);
  }
  controller.Register(router);
  stdio.Register(router);
  HealthService::Register(router);
  PluginServerConfig server_config;
  server_config.router = &router;
  if (client_der) {
    server_config.client_cert_der = &*client_der;
    server_config.server_cert = &server_cert;
  }
  if (!server->Start(server_config, &listener, &error)) {
    tf::log::Error("cannot serve", {{"error", error}});
    std::fprintf(stderr, "%s: %s\n", program.c_str(), error.c_str());
    CloseListener(&listener);
    return 1;
  }
  if (!server->AnnouncesBeforeStart()) announce();
  tf::log::Info("plugin serving", {{"network", listener.network},
                                   {"address", listener.address},
                                   {"protocol", version == 5 ? "5" : "6"}});

  // 9. Serve until Shutdown, SIGTERM (SIGINT in debug mode) or the host goes away.
  server->Serve(signal_fd, StopCheck(signal_fd, !args.debug));
  core.Stop();  // cancel anything still running so the graceful shutdown is quick
  const bool all_done = server->Shutdown(std::chrono::seconds(2));
  CloseListener(&listener);
  if (!all_done) {
    // A call ignored cancellation: leave without running destructors under its feet.
    tf::log::Warn("calls still running at shutdown; exiting anyway");
    std::_Exit(0);
  }
  server.reset();  // before the router and services it serves
  tf::log::Debug("plugin stopped");
  return 0;
}

}  // namespace tfj::serve
