// bench_handshake: starts the provider binary N times the way Terraform does (AutoMTLS
// client certificate, cookie, PLUGIN_PROTOCOL_VERSIONS=5,6) and prints
//   - exec-to-handshake time (spawn until the handshake line is read), and the CPU time
//     the plugin used until then (wall clock is inflated on a loaded machine),
//   - VmRSS and thread count of the plugin right after the handshake,
//   - GetProviderSchema latency: first call (connect + TLS + call) and a warm call, and
//     VmRSS after them,
//   - exec to the first GetProviderSchema answer: what Terraform waits for in all (the
//     plugin finishes its set-up while the client connects, so this is the honest total),
//   - Shutdown-to-exit time.
// A program that prints figures, not a test: nothing here passes or fails on timing.
//
// usage: bench_handshake [-n N] [--binary PATH] [--protocol 5|6]
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "grpc_controller.grpc.pb.h"
#include "tfplugin5.grpc.pb.h"
#include "tfplugin6.grpc.pb.h"
#include "provider/serve/certificate.h"
#include "provider/serve/testing/plugin_process.h"

namespace {

using Clock = std::chrono::steady_clock;
using tfj::serve::testing::Handshake;
using tfj::serve::testing::PluginProcess;

double Ms(Clock::duration d) { return std::chrono::duration<double, std::milli>(d).count(); }

// CPU time (user + system) used so far by every thread of `pid`, from schedstat. Unlike
// wall-clock time it hardly depends on how loaded the machine is.
double CpuMs(pid_t pid) {
  double total_ns = 0;
  const std::string dir = "/proc/" + std::to_string(pid) + "/task";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path() / "schedstat");
    double ns = 0;
    if (in >> ns) total_ns += ns;
  }
  return total_ns / 1e6;
}

// Threads of `pid` right now (each one costs a clone, a stack and page faults at start-up).
double ThreadCount(pid_t pid) {
  const std::string dir = "/proc/" + std::to_string(pid) + "/task";
  double n = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir)) ++n;
  return n;
}

long VmRssKiB(pid_t pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

struct Series {
  std::vector<double> v;
  void Add(double x) { v.push_back(x); }
  double Quantile(double q) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    const size_t i = std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size() - 1) + 0.5));
    return v[i];
  }
};

void Print(const char* name, Series& s, const char* unit) {
  std::printf("  %-34s median %8.2f %s   p90 %8.2f %s   min %8.2f   max %8.2f\n", name,
              s.Quantile(0.5), unit, s.Quantile(0.9), unit, s.Quantile(0.0), s.Quantile(1.0));
}

bool Exists(const std::string& p) { return ::access(p.c_str(), X_OK) == 0; }

}  // namespace

int main(int argc, char** argv) {
  int n = 30;
  int protocol = 0;  // 0: let the plugin negotiate from "5,6"
  std::string binary;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "-n" && i + 1 < argc) {
      n = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--binary" && i + 1 < argc) {
      binary = argv[++i];
    } else if (a == "--protocol" && i + 1 < argc) {
      protocol = std::atoi(argv[++i]);
    } else {
      std::fprintf(stderr, "usage: %s [-n N] [--binary PATH] [--protocol 5|6]\n", argv[0]);
      return 2;
    }
  }
  if (binary.empty()) binary = Exists(TFJ_PROVIDER_BIN) ? TFJ_PROVIDER_BIN : TFJ_TEST_PLUGIN;
  if (!Exists(binary)) {
    std::fprintf(stderr, "bench_handshake: %s not found; build it first\n", binary.c_str());
    return 1;
  }

  // Terraform generates one client certificate per plugin launch (go-plugin's P-521);
  // generating it is the client's cost, so it is done once here, outside the timings.
  const tfj::serve::Certificate client = tfj::serve::GenerateSelfSignedCertificate();
  auto env = tfj::serve::testing::TerraformEnvironment(
      &client, protocol == 0 ? "5,6" : std::to_string(protocol));

  double load_start[1] = {0};
  if (::getloadavg(load_start, 1) != 1) load_start[0] = -1;
  Series handshake, handshake_cpu, rss, threads, schema_cold, schema_warm, first_answer, rss_served,
      shutdown;
  int failures = 0;
  int negotiated = 0;
  for (int i = 0; i < n; ++i) {
    std::string error;
    const auto t0 = Clock::now();
    auto p = PluginProcess::Start(binary, {}, env, &error);
    if (!p) {
      std::fprintf(stderr, "spawn failed: %s\n", error.c_str());
      return 1;
    }
    const auto line = p->ReadLine(std::chrono::seconds(30));
    const auto t1 = Clock::now();
    if (!line) {
      std::fprintf(stderr, "no handshake; stderr:\n%s\n", p->Stderr().c_str());
      ++failures;
      continue;
    }
    const long rss_kib = VmRssKiB(p->pid());
    const double cpu_ms = CpuMs(p->pid());
    threads.Add(ThreadCount(p->pid()));
    const auto hs = tfj::serve::testing::ParseHandshake(*line, &error);
    if (!hs) {
      std::fprintf(stderr, "bad handshake: %s\n", error.c_str());
      ++failures;
      continue;
    }
    negotiated = hs->protocol_version;
    handshake.Add(Ms(t1 - t0));
    handshake_cpu.Add(cpu_ms);
    rss.Add(static_cast<double>(rss_kib) / 1024.0);

    auto channel = tfj::serve::testing::Dial(*hs, &client);
    for (int call = 0; call < 2; ++call) {
      grpc::ClientContext ctx;
      ctx.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(30));
      const auto c0 = Clock::now();
      grpc::Status st;
      if (hs->protocol_version == 6) {
        tfplugin6::GetProviderSchema::Response resp;
        st = tfplugin6::Provider::NewStub(channel)->GetProviderSchema(
            &ctx, tfplugin6::GetProviderSchema::Request(), &resp);
      } else {
        tfplugin5::GetProviderSchema::Response resp;
        st = tfplugin5::Provider::NewStub(channel)->GetSchema(
            &ctx, tfplugin5::GetProviderSchema::Request(), &resp);
      }
      const auto c1 = Clock::now();
      if (!st.ok()) {
        std::fprintf(stderr, "GetProviderSchema failed: %s\n", st.error_message().c_str());
        ++failures;
        break;
      }
      (call == 0 ? schema_cold : schema_warm).Add(Ms(c1 - c0));
      if (call == 0) first_answer.Add(Ms(c1 - t0));
    }
    rss_served.Add(static_cast<double>(VmRssKiB(p->pid())) / 1024.0);
    const auto s0 = Clock::now();
    {
      grpc::ClientContext ctx;
      plugin::Empty req, resp;
      (void)plugin::GRPCController::NewStub(channel)->Shutdown(&ctx, req, &resp);
    }
    channel.reset();  // go-plugin closes its connection right after Shutdown
    const auto code = p->Wait(std::chrono::seconds(10));
    const auto s1 = Clock::now();
    if (!code || *code != 0) {
      std::fprintf(stderr, "plugin did not exit 0 after Shutdown\n");
      ++failures;
    } else {
      shutdown.Add(Ms(s1 - s0));
    }
  }

  std::printf("bench_handshake: %s\n", binary.c_str());
  std::printf("  runs %d, failures %d, protocol %d, AutoMTLS on, %ld CPUs online\n", n, failures,
              negotiated, ::sysconf(_SC_NPROCESSORS_ONLN));
  Print("exec-to-handshake (wall clock)", handshake, "ms");
  Print("CPU time until handshake", handshake_cpu, "ms");
  Print("VmRSS after handshake", rss, "MiB");
  Print("threads at handshake", threads, "");
  Print("GetProviderSchema (connect+TLS)", schema_cold, "ms");
  Print("GetProviderSchema (warm)", schema_warm, "ms");
  Print("exec to first schema answer", first_answer, "ms");
  Print("VmRSS after GetProviderSchema", rss_served, "MiB");
  Print("Shutdown to exit", shutdown, "ms");
  double load[1] = {0};
  if (::getloadavg(load, 1) == 1) {
    std::printf("  load average (1 min) at the start: %.2f, at the end: %.2f\n", load_start[0],
                load[0]);
  }
  std::printf("  targets: handshake median < 10 ms, RSS < 12 MiB\n");
  return failures == 0 ? 0 : 1;
}
