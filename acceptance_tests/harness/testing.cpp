#include "acceptance_tests/harness/testing.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "acceptance_tests/harness/launcher.h"

namespace tfj::harness {

std::string BuildDir() {
  if (const char* bin = std::getenv("TFJ_BIN_DIR"); bin != nullptr && *bin != '\0') {
    return std::filesystem::path(bin).parent_path().string();
  }
  std::error_code ec;
  auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  return exe.parent_path().parent_path().string();  // build/tests/x -> build
}

std::string JiraProviderBinary() { return BuildDir() + "/bin/terraform-provider-jira"; }
std::string TestProviderBinary() { return BuildDir() + "/tests/terraform-provider-tfjtest"; }

TempDir::TempDir() : path_(MakeTempDir("tfj-test-")) {}
TempDir::~TempDir() { RemoveTree(path_); }

}  // namespace tfj::harness
