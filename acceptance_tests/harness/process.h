// A child process with a controlled environment: what the launcher and the Terraform CLI
// helper both need (hand-written over fork/exec because neither Boost.Process in Boost 1.74
// nor std offers reading one line with a timeout while keeping the pipe open).
#pragma once

#include <sys/types.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tfj::harness {

struct ProcessOptions {
  std::vector<std::string> argv;                 // argv[0] is the executable path
  std::map<std::string, std::string> env;        // added to (or replacing in) our environment
  std::vector<std::string> unset_env;            // removed from the inherited environment
  std::string working_dir;                       // empty = inherit
  std::string stdout_file;                       // empty = a pipe readable via ReadLine()
  std::string stderr_file;                       // empty = inherit
};

class Process {
 public:
  Process() = default;
  ~Process();  // kills a still-running child
  Process(const Process&) = delete;
  Process& operator=(const Process&) = delete;

  // Starts the child; false with `error` set on failure.
  bool Start(const ProcessOptions& options, std::string* error);
  // Reads one line from the stdout pipe (without the newline). nullopt on EOF or timeout.
  std::optional<std::string> ReadLine(std::chrono::milliseconds timeout, std::string* error);
  // Waits for exit; nullopt on timeout. The result is the exit code, or 128+signal.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  void Kill();  // SIGKILL and reap
  void Signal(int sig);
  bool running();
  pid_t pid() const { return pid_; }

 private:
  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  std::string buffer_;
  std::optional<int> exit_code_;
};

}  // namespace tfj::harness
