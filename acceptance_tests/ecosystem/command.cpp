#include "acceptance_tests/ecosystem/command.h"

#include <unistd.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "acceptance_tests/harness/launcher.h"

namespace tfj::ecosystem {
namespace {

namespace fs = std::filesystem;

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::string(v) : fallback;
}

}  // namespace

std::string BinDir() { return EnvOr("TFJ_BIN_DIR", fs::current_path().string() + "/bin"); }
std::string BuildDir() { return fs::path(BinDir()).parent_path().string(); }
std::string SourceDir() { return EnvOr("TFJ_SOURCE_DIR", TFJ_DEFAULT_SOURCE_DIR); }

std::string CommandResult::Describe() const {
  std::ostringstream s;
  s << "exit code " << exit_code;
  if (!error.empty()) s << " (" << error << ")";
  s << "\n--- stdout ---\n" << out << "\n--- stderr ---\n" << err;
  return s.str();
}

CommandResult RunCommand(const Command& command) {
  CommandResult result;
  TempDir capture("tfj-run-");
  harness::ProcessOptions options;
  options.argv = command.argv;
  // The process helper execs without a PATH search; resolve bare names the way a shell does.
  if (!options.argv.empty() && options.argv[0].find('/') == std::string::npos) {
    if (auto found = FindOnPath(options.argv[0])) options.argv[0] = *found;
  }
  options.env = command.env;
  options.unset_env = command.unset_env;
  options.working_dir = command.working_dir;
  options.stdout_file = capture.path() + "/stdout";
  options.stderr_file = capture.path() + "/stderr";
  harness::Process process;
  if (!process.Start(options, &result.error)) return result;
  auto code = process.Wait(std::chrono::duration_cast<std::chrono::milliseconds>(command.timeout));
  if (!code) {
    process.Kill();
    result.error = "timed out after " + std::to_string(command.timeout.count()) + " s";
  } else {
    result.exit_code = *code;
  }
  result.out = ReadFile(options.stdout_file);
  result.err = ReadFile(options.stderr_file);
  return result;
}

std::optional<std::string> FindOnPath(const std::string& name) {
  std::string path = EnvOr("PATH", "/usr/local/bin:/usr/bin:/bin");
  std::istringstream dirs(path);
  std::string dir;
  while (std::getline(dirs, dir, ':')) {
    if (dir.empty()) continue;
    std::string candidate = dir + "/" + name;
    if (access(candidate.c_str(), X_OK) == 0 && fs::is_regular_file(candidate)) return candidate;
  }
  return std::nullopt;
}

std::optional<std::string> FindTerraformCli() {
  if (auto tf = FindOnPath("terraform")) return tf;
  return FindOnPath("tofu");
}

TempDir::TempDir(const std::string& prefix) : path_(harness::MakeTempDir(prefix)) {}
TempDir::~TempDir() { harness::RemoveTree(path_); }

void WriteFile(const std::string& path, const std::string& content) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path, std::ios::binary | std::ios::trunc) << content;
}

std::string ReadFile(const std::string& path) { return harness::ReadFileOrEmpty(path); }

std::unique_ptr<Emulator> Emulator::Start(std::string* error) {
  std::unique_ptr<Emulator> e(new Emulator());
  harness::ProcessOptions options;
  options.argv = {BinDir() + "/jira-emulator", "--listen", "127.0.0.1:0"};
  if (!e->process_.Start(options, error)) return nullptr;
  auto line = e->process_.ReadLine(std::chrono::seconds(30), error);
  const std::string prefix = "listening on ";
  if (!line || line->rfind(prefix, 0) != 0) {
    if (line) *error = "unexpected first line from jira-emulator: " + *line;
    return nullptr;
  }
  e->url_ = line->substr(prefix.size());
  while (!e->url_.empty() && (e->url_.back() == '\r' || e->url_.back() == ' ')) e->url_.pop_back();
  return e;
}

Emulator::~Emulator() {
  process_.Signal(SIGTERM);
  if (!process_.Wait(std::chrono::seconds(5))) process_.Kill();
}

std::string FilesystemMirrorCliConfig(const std::string& mirror_dir) {
  return "provider_installation {\n"
         "  filesystem_mirror {\n"
         "    path    = \"" + mirror_dir + "\"\n"
         "    include = [\"registry.terraform.io/tfjira/jira\", \"registry.opentofu.org/tfjira/jira\"]\n"
         "  }\n"
         "}\n";
}

std::map<std::string, std::string> TerraformEnv(const std::string& cli_config_file) {
  return {
      {"TF_CLI_CONFIG_FILE", cli_config_file},
      {"CHECKPOINT_DISABLE", "1"},
      {"TF_IN_AUTOMATION", "1"},
      {"TF_INPUT", "0"},
  };
}

std::vector<std::string> TerraformUnsetEnv() {
  return {"TF_PLUGIN_CACHE_DIR", "TF_REATTACH_PROVIDERS", "TF_LOG", "TF_LOG_PATH", "TF_LOG_PROVIDER",
          "TF_DATA_DIR", "TF_WORKSPACE", "JIRA_URL", "JIRA_USERNAME", "JIRA_USER", "JIRA_PASSWORD",
          "JIRA_TOKEN", "JIRA_CA_FILE"};
}

}  // namespace tfj::ecosystem
