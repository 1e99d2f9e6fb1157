// Test helper: a tiny HTTP/1.1 server on 127.0.0.1:0 whose answers come from a function, for
// wire-level cases the emulator cannot produce (stale reads, 504s, odd bodies, idle closes).
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace jira::testing {

struct ScriptRequest {
  std::string method;
  std::string target;
  std::string body;
  std::map<std::string, std::string> headers;
};

struct ScriptReply {
  ScriptReply() = default;
  ScriptReply(int s, std::string b, std::string type = "application/json",
              std::map<std::string, std::string> h = {})
      : status(s), body(std::move(b)), content_type(std::move(type)), headers(std::move(h)) {}
  int status = 200;
  std::string body;
  std::string content_type = "application/json";
  std::map<std::string, std::string> headers;
  bool close_after = false;  // close the connection after answering (no Connection: close)
};

// nullopt: close the connection without answering.
using ScriptHandler = std::function<std::optional<ScriptReply>(const ScriptRequest&)>;

class ScriptServer {
 public:
  explicit ScriptServer(ScriptHandler handler);
  ~ScriptServer();
  std::string url() const;
  std::vector<ScriptRequest> requests();  // everything received so far

 private:
  void Serve(int fd);
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace jira::testing
