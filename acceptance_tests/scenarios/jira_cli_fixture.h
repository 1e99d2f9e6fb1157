// Shared fixture of the jira_* scenarios that drive the real terraform CLI (label cli): the
// emulator and administrator's client of JiraScenario, plus working directories whose
// provider talks to the emulator as admin, under protocol 6 (dev_overrides) or 5
// (reattach) as the test's parameter says.
#pragma once

#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "acceptance_tests/harness/terraform_cli.h"
#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {

using tfj::harness::CliResult;
using tfj::harness::TerraformCli;

// The terraform and provider blocks every configuration starts with (the provider is
// configured through JIRA_* variables).
inline constexpr char kJiraHclHeader[] = R"(
terraform {
  required_providers {
    jira = { source = "registry.terraform.io/tfjira/jira" }
  }
}
provider "jira" {}
)";

inline std::string Quote(const std::string& s) { return "\"" + s + "\""; }

// The actions `terraform show -json` gives `address` in a saved plan, e.g. "update" or
// "delete,create"; "absent" when the plan does not mention it.
inline std::string PlannedActions(const nlohmann::json& plan, const std::string& address) {
  if (!plan.contains("resource_changes")) return "absent";
  for (const auto& rc : plan["resource_changes"]) {
    if (rc.value("address", "") != address) continue;
    std::string out;
    for (const auto& a : rc["change"]["actions"]) out += (out.empty() ? "" : ",") + a.get<std::string>();
    return out;
  }
  return "absent";
}

inline bool IsReplace(const std::string& actions) {
  return actions == "delete,create" || actions == "create,delete";
}

class JiraCliScenario : public JiraScenario {
 protected:
  // The provider as admin, with its own defaults for timeouts and retries.
  tfj::harness::TerraformCliOptions PlainCliOptions() {
    tfj::harness::TerraformCliOptions o;
    o.provider_binary = tfj::harness::JiraProviderBinary();
    o.provider_source = "registry.terraform.io/tfjira/jira";
    o.protocol = GetParam();
    o.env = {{"JIRA_URL", emu().url()}, {"JIRA_USERNAME", "admin"}, {"JIRA_PASSWORD", "admin"}};
    return o;
  }
  tfj::harness::TerraformCliOptions CliOptions() {
    tfj::harness::TerraformCliOptions o = PlainCliOptions();
    // Retries as the harness scenarios configure them, so injected faults are ridden out.
    o.env["JIRA_REQUEST_TIMEOUT"] = "10s";
    o.env["JIRA_MAX_RETRIES"] = "8";
    return o;
  }
  // A set-up working directory (an empty pointer's test has already failed).
  std::unique_ptr<TerraformCli> NewCli() {
    auto tf = std::make_unique<TerraformCli>(CliOptions());
    tfj::harness::Status s = tf->Setup();
    EXPECT_TRUE(s.ok()) << s;
    return tf;
  }
  // The planned actions of `address` in a fresh saved plan ("error" when planning fails).
  std::string ActionsInPlan(TerraformCli& tf, const std::string& address) {
    tfj::harness::Status s;
    nlohmann::json plan = tf.PlanJson(&s);
    EXPECT_TRUE(s.ok()) << s;
    if (!s.ok()) return "error";
    return PlannedActions(plan, address);
  }
};

}  // namespace tfjira::scenarios

// `terraform <step>` must exit with `code`; the failure message names the step. Each
// evaluates `command` once.
#define TFJ_EXPECT_EXIT(command, code, step)                                          \
  do {                                                                                \
    const ::tfj::harness::CliResult tfj_result_ = (command);                          \
    EXPECT_EQ(tfj_result_.exit_code, code) << step << "\n" << tfj_result_.Describe(); \
  } while (0)
#define TFJ_ASSERT_EXIT(command, code, step)                                          \
  do {                                                                                \
    const ::tfj::harness::CliResult tfj_result_ = (command);                          \
    ASSERT_EQ(tfj_result_.exit_code, code) << step << "\n" << tfj_result_.Describe(); \
  } while (0)
