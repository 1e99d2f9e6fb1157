// Prints the Jira client's throughput (requests per second) against an in-process Jira
// emulator: one thread over one keep-alive connection, then ten threads sharing one client.
// Usage: bench_jira_client [seconds-per-run, default 3]
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <thread>
#include <vector>

#include "acceptance_tests/emulator/server.h"
#include "provider/jira/beast_client.h"

namespace {

struct Figures {
  int64_t requests = 0;
  int64_t failures = 0;
  double seconds = 0;
  uint64_t connections = 0;
};

Figures Run(const std::string& url, int threads, double seconds, bool tokens) {
  jira::ClientConfig cfg;
  cfg.base_url = url;
  if (tokens) {
    cfg.token = "bench-token";
  } else {
    cfg.username = "admin";
    cfg.password = "admin";
  }
  cfg.max_idle_connections = static_cast<size_t>(threads);
  auto made = jira::NewBeastClient(cfg);
  if (!made.ok()) {
    std::fprintf(stderr, "%s\n", made.error().Message().c_str());
    std::exit(1);
  }
  auto client = std::static_pointer_cast<jira::BeastClient>(*made);
  std::atomic<int64_t> done{0}, failed{0};
  std::atomic<bool> stop{false};
  std::vector<std::thread> workers;
  const auto start = std::chrono::steady_clock::now();
  for (int t = 0; t < threads; ++t) {
    workers.emplace_back([&] {
      while (!stop.load(std::memory_order_relaxed)) {
        auto r = client->GetUserByName("admin");
        (r.ok() ? done : failed).fetch_add(1, std::memory_order_relaxed);
      }
    });
  }
  std::this_thread::sleep_for(std::chrono::duration<double>(seconds));
  stop = true;
  for (auto& w : workers) w.join();
  Figures f;
  f.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  f.requests = done.load();
  f.failures = failed.load();
  f.connections = client->connections_opened();
  return f;
}

void Print(const char* label, const Figures& f) {
  std::printf("%-44s %9.0f requests/s  (%lld requests, %lld failed, %llu connections, %.1f s)\n",
              label, static_cast<double>(f.requests) / f.seconds,
              static_cast<long long>(f.requests), static_cast<long long>(f.failures),
              static_cast<unsigned long long>(f.connections), f.seconds);
}

}  // namespace

int main(int argc, char** argv) {
  const double seconds = argc > 1 ? std::atof(argv[1]) : 3.0;
  emulator::Options opts;
  opts.tokens = {{"bench-token", "admin"}};
  opts.threads = 10;
  emulator::Server server(opts);
  server.Start();
  std::printf("jira client against the in-process emulator at %s, GET /rest/api/2/user\n",
              server.url().c_str());
  Print("1 thread, 1 keep-alive connection, basic", Run(server.url(), 1, seconds, false));
  Print("1 thread, 1 keep-alive connection, token", Run(server.url(), 1, seconds, true));
  Print("10 threads, shared client, basic", Run(server.url(), 10, seconds, false));
  server.Stop();
  return 0;
}
