// `make demo` (scripts/demo.sh) runs to completion: through the acceptance harness when asked
// to (as CI does everywhere), and through the real Terraform CLI when one is on PATH.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "acceptance_tests/ecosystem/command.h"

namespace tfj::ecosystem {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;

Command DemoCommand() {
  Command c({SourceDir() + "/scripts/demo.sh", BuildDir()});
  c.Unset({"TFJ_DEMO_NO_CLI", "TFJ_DEMO_KEEP", "JIRA_URL", "JIRA_USERNAME", "JIRA_USER", "JIRA_PASSWORD",
           "JIRA_TOKEN", "TF_VAR_gitlab_password"});
  return c;
}

TEST(DemoTest, FallbackWalkthroughRunsThroughTheHarness) {
  auto r = RunCommand(DemoCommand().Env("TFJ_DEMO_NO_CLI", "1"));
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_THAT(r.out, HasSubstr("Jira emulator at http://127.0.0.1:"));
  EXPECT_THAT(r.out, HasSubstr("through the acceptance harness (TFJ_DEMO_NO_CLI=1)"));
  // The plan of the seed: four objects, the password never shown.
  EXPECT_THAT(r.out, HasSubstr("+ resource \"jira_user\" \"gitlab\""));
  EXPECT_THAT(r.out, HasSubstr("+ resource \"jira_permission_scheme\" \"gitlab\""));
  EXPECT_THAT(r.out, HasSubstr("password_wo = (write-only attribute)"));
  EXPECT_THAT(r.out, HasSubstr("Plan: 4 to add, 0 to change, 0 to destroy."));
  EXPECT_THAT(r.out, HasSubstr("username = \"gitlab\""));
  // The objects as Jira holds them after apply.
  EXPECT_THAT(r.out, HasSubstr("user  gitlab  key="));
  EXPECT_THAT(r.out, ContainsRegex("groups=\\[[^]]*gitlab-developers"));
  EXPECT_THAT(r.out, HasSubstr("group gitlab-developers  members=[gitlab]"));
  EXPECT_THAT(r.out, HasSubstr("applications=[jira-software]"));
  EXPECT_THAT(r.out, HasSubstr("ADMINISTER_PROJECTS -> group gitlab-developers"));
  // Re-plan empty, then destroy.
  EXPECT_THAT(r.out, HasSubstr("No changes. Your infrastructure matches the configuration."));
  EXPECT_THAT(r.out, HasSubstr("Destroy complete! Resources: 4 destroyed."));
  EXPECT_THAT(r.out, HasSubstr("Demo complete: used the acceptance harness in place of a Terraform CLI "
                               "(TFJ_DEMO_NO_CLI=1)."));
  EXPECT_THAT(r.out + r.err, Not(HasSubstr("demo-")));  // the generated password's prefix
  // After destroy, Jira has none of the objects.
  EXPECT_THAT(r.out, HasSubstr("user  gitlab: not found (404)"));
  EXPECT_THAT(r.out, HasSubstr("group gitlab-developers: not found (404)"));
}

TEST(DemoCliTest, WalkthroughRunsWithTheTerraformCli) {
  auto cli = FindTerraformCli();
  if (!cli) GTEST_SKIP() << "neither terraform nor tofu is on PATH";
  auto r = RunCommand(DemoCommand());
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_THAT(r.out, HasSubstr("init (provider from the filesystem mirror"));
  EXPECT_THAT(r.out, HasSubstr("Installing tfjira/jira v0.1.0"));
  // The walkthrough's four objects, and the scheme assigned to the demo's project DEMO.
  EXPECT_THAT(r.out, HasSubstr("Apply complete! Resources: 5 added, 0 changed, 0 destroyed."));
  EXPECT_THAT(r.out, HasSubstr("\"DEMO\" = \"10007\""));
  EXPECT_THAT(r.out, HasSubstr("username = \"gitlab\""));
  EXPECT_THAT(r.out, Not(HasSubstr("password = ")));  // write-only: no output holds it
  EXPECT_THAT(r.out, HasSubstr("No changes."));
  EXPECT_THAT(r.out, HasSubstr("Destroy complete! Resources: 5 destroyed."));
  EXPECT_THAT(r.out, HasSubstr("Demo complete: used the "));
  EXPECT_THAT(r.out, HasSubstr(" CLI ("));
}

}  // namespace
}  // namespace tfj::ecosystem
