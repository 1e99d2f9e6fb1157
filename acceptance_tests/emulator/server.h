// The emulator's socket layer: a multi-threaded Boost.Beast HTTP/1.1 (optionally TLS) server
// with keep-alive, a request body limit and idle timeouts. It only moves bytes; every decision
// is the Router's. Typical in-process use:
//
//   emulator::Options opts;                 // admin/admin, port 0
//   emulator::Server server(opts);
//   server.Start();                         // binds 127.0.0.1:<free port>
//   std::string base = server.url();        // "http://127.0.0.1:41234" (+ context path)
//   ...
//   server.Stop();                          // also done by the destructor
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "acceptance_tests/emulator/options.h"
#include "acceptance_tests/emulator/router.h"

namespace emulator {

class Server {
 public:
  // Builds the Router (loading options.state_file); throws std::runtime_error on a corrupt
  // state file or unreadable TLS files.
  explicit Server(Options options);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds options.listen_host:listen_port (0 = a free port) and starts the worker threads.
  // Throws std::runtime_error when binding fails.
  void Start();
  // Closes the listener and every connection, and joins the threads. Idempotent.
  void Stop();

  uint16_t port() const;
  // "http://127.0.0.1:<port>" or "https://...", plus the context path: the provider's base URL.
  std::string url() const;

  Router& router();
  void SetFaults(const Faults& faults) { router().SetFaults(faults); }
  nlohmann::json Stats() { return router().Stats(); }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace emulator
