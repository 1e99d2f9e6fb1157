// Drives the real terraform CLI against a locally built provider, in the manner of
// terraform-plugin-testing: a temporary working directory, a generated CLI configuration
// whose dev_overrides point at the binary's directory (protocol 6, Terraform launches the
// binary itself), or reattach mode (the binary started with `--debug --protocol 5`, handed to
// Terraform through TF_REATTACH_PROVIDERS, which pins protocol 5). No network and no
// `terraform init` are needed.
//
//   TFJ_SKIP_WITHOUT_TERRAFORM();
//   TerraformCli tf({.provider_binary = TestProviderBinary(), .protocol = GetParam()});
//   TFJ_ASSERT_OK(tf.Setup());
//   tf.WriteMainTf(R"(resource "tfjtest_thing" "a" { name = "x" })");
//   CliResult r = tf.Apply();            // apply -auto-approve
//   EXPECT_EQ(tf.Plan().exit_code, 0);   // plan -detailed-exitcode: 0 = no changes
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "acceptance_tests/harness/launcher.h"
#include "acceptance_tests/harness/status.h"

namespace tfj::harness {

struct CliResult {
  int exit_code = -1;
  bool timed_out = false;
  std::string out;  // stdout
  std::string err;  // stderr
  std::string command;
  // For failure messages: the command, its exit code and both streams.
  std::string Describe() const;
};

struct TerraformCliOptions {
  std::string provider_binary;  // e.g. build/tests/terraform-provider-tfjtest
  std::string provider_source = "registry.terraform.io/tfjira/tfjtest";
  int protocol = 6;             // 6: dev_overrides; 5: reattach with --debug --protocol 5
  std::map<std::string, std::string> env;  // extra environment (terraform and the provider)
  // More provider addresses served by the same binary (dev_overrides / reattach), e.g. a
  // provider named only by state that is being migrated away from.
  std::vector<std::string> extra_provider_sources;
  std::chrono::seconds timeout{300};
};

class TerraformCli {
 public:
  // The terraform executable found on PATH, or "" when there is none.
  static std::string FindTerraform();

  explicit TerraformCli(TerraformCliOptions options);
  ~TerraformCli();  // stops a reattached provider and removes the working directory

  // Creates the working directory and CLI configuration; in protocol 5 starts the provider
  // in debug mode and records its TF_REATTACH_PROVIDERS value.
  Status Setup();
  void WriteMainTf(const std::string& hcl);
  const std::string& dir() const { return dir_; }

  // Runs `terraform <args...>` in the working directory with a timeout.
  CliResult Run(const std::vector<std::string>& args);
  CliResult Plan();       // plan -detailed-exitcode -input=false (0 none, 2 changes, 1 error)
  CliResult Apply();      // apply -auto-approve -input=false
  CliResult Destroy();    // destroy -auto-approve -input=false
  CliResult Import(const std::string& address, const std::string& id);
  CliResult Validate();   // validate -json
  CliResult Refresh();    // apply -refresh-only -auto-approve

  // Parsed JSON output; on failure `status` says why and the result is null.
  nlohmann::json ProvidersSchemaJson(Status* status);  // providers schema -json
  nlohmann::json ShowJson(Status* status);             // show -json (state)
  nlohmann::json PlanJson(Status* status);             // plan -out + show -json <plan>

  const std::optional<ReattachInfo>& reattach() const;
  std::string ProviderStderr() const;  // reattach mode: the provider's log

 private:
  nlohmann::json ParseJson(const CliResult& r, Status* status);

  TerraformCliOptions options_;
  std::string terraform_;
  std::string dir_;
  std::string cli_config_;
  std::unique_ptr<ProviderProcess> debug_provider_;
  std::optional<ReattachInfo> no_reattach_;
};

}  // namespace tfj::harness

// Skips the current test, with the reason, when the terraform CLI is not installed.
#define TFJ_SKIP_WITHOUT_TERRAFORM()                                                  \
  do {                                                                                \
    if (::tfj::harness::TerraformCli::FindTerraform().empty()) {                      \
      GTEST_SKIP() << "terraform CLI not found on PATH; real-CLI checks need it";     \
    }                                                                                 \
  } while (0)
