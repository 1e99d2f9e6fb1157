// Running the project's scripts and the Terraform CLI from the ecosystem tests, and
// starting the bundled Jira emulator for them.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "acceptance_tests/harness/process.h"

namespace tfj::ecosystem {

// Where the build and the sources are (from the TFJ_BIN_DIR/TFJ_SOURCE_DIR that ctest sets,
// falling back to the layout of a build directory inside the source tree).
std::string BinDir();      // build/bin
std::string BuildDir();    // build
std::string SourceDir();   // the repository root

struct CommandResult {
  int exit_code = -1;  // -1 when it could not start or timed out (then killed)
  std::string out;
  std::string err;
  std::string error;  // why it could not run, if it could not
  // Everything a failing assertion should show.
  std::string Describe() const;
};

// A command line to run, built fluently: Command({"unzip", "-l", zip}).In(dir).Env("K", "v").
struct Command {
  explicit Command(std::vector<std::string> args) : argv(std::move(args)) {}
  Command& Env(const std::string& name, const std::string& value) {
    env[name] = value;
    return *this;
  }
  Command& Env(const std::map<std::string, std::string>& vars) {
    for (const auto& [k, v] : vars) env[k] = v;
    return *this;
  }
  Command& Unset(const std::vector<std::string>& names) {
    unset_env.insert(unset_env.end(), names.begin(), names.end());
    return *this;
  }
  Command& In(const std::string& dir) {
    working_dir = dir;
    return *this;
  }

  std::vector<std::string> argv;
  std::map<std::string, std::string> env;
  std::vector<std::string> unset_env;
  std::string working_dir;
  std::chrono::seconds timeout{600};
};

// Runs to completion, capturing stdout and stderr.
CommandResult RunCommand(const Command& command);

// The path of `name` on PATH, or nullopt.
std::optional<std::string> FindOnPath(const std::string& name);
// `terraform`, else `tofu`, on PATH.
std::optional<std::string> FindTerraformCli();

// A private temporary directory, removed with everything in it on destruction.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "tfj-eco-");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

void WriteFile(const std::string& path, const std::string& content);
std::string ReadFile(const std::string& path);

// build/bin/jira-emulator on 127.0.0.1:0, stopped on destruction.
class Emulator {
 public:
  // nullptr with `error` set when it does not start or prints no URL within the timeout.
  static std::unique_ptr<Emulator> Start(std::string* error);
  ~Emulator();
  const std::string& url() const { return url_; }  // http://127.0.0.1:<port>

 private:
  Emulator() = default;
  harness::Process process_;
  std::string url_;
};

// A CLI configuration that installs tfjira/jira only from `mirror_dir` (a filesystem
// mirror), so `terraform init` never needs the network. Covers both the Terraform and the
// OpenTofu registry host names.
std::string FilesystemMirrorCliConfig(const std::string& mirror_dir);

// The environment every Terraform CLI run in these tests gets: no update checks, no
// prompts, no colours, and nothing inherited that could reach outside the test.
std::map<std::string, std::string> TerraformEnv(const std::string& cli_config_file);
std::vector<std::string> TerraformUnsetEnv();

}  // namespace tfj::ecosystem
