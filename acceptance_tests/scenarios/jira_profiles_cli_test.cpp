// The real terraform CLI (label cli) against Jiras unlike the emulator's default: German
// error texts, masked e-mail and nested groups under injected faults, and group names that
// differ beyond ASCII only in letter case. Protocol 6 through dev_overrides, protocol 5
// through reattach. Skipped, with the reason, when terraform is not on PATH.
#include "acceptance_tests/scenarios/jira_cli_fixture.h"

namespace tfjira::scenarios {
namespace {

std::string SeedHcl(const std::string& display_name) {
  return std::string(kJiraHclHeader) + R"(
resource "jira_user" "gitlab" {
  name         = "gitlab"
  email        = "gitlab@example.com"
  display_name = ")" + display_name + R"("
  password     = "GitLab-s3cret"
}
resource "jira_group" "developers" {
  name = "gitlab-developers"
}
resource "jira_group_membership" "gitlab" {
  group    = jira_group.developers.name
  username = jira_user.gitlab.name
}
)";
}

using JiraProfilesCliTest = JiraCliScenario;

TEST_P(JiraProfilesCliTest, GermanMaskedEmailNestedGroupsUnderFaults) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  emulator::Options options;
  options.language = emulator::Language::kGerman;
  options.email_visibility = emulator::EmailVisibility::kMasked;
  options.nested_groups = true;
  options.nests = {{"ldap-developers", "gitlab-developers"}};  // a subgroup nobody manages
  options.groups = {"all-staff"};
  StartEmulator(options);
  emulator::Faults faults;
  faults.fault_rate = 0.15;
  faults.kinds = {"429", "503", "drop", "lost"};
  faults.retry_after_s = 0;

  TerraformCli tf(CliOptions());
  TFJ_ASSERT_OK(tf.Setup());
  tf.WriteMainTf(SeedHcl("GitLab integration"));
  // gitlab-developers exists already (it holds the LDAP subgroup): adopt it.
  CliResult r = tf.Import("jira_group.developers", "gitlab-developers");
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  SetFaults(faults);
  r = tf.Apply();
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  r = tf.Plan();
  EXPECT_EQ(r.exit_code, 0) << "plan after apply must be empty\n" << r.Describe();

  // The display name changes while Jira shows only "gitlab at example dot com".
  tf.WriteMainTf(SeedHcl("GitLab (production)"));
  r = tf.Apply();
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.err.find("inconsistent result"), std::string::npos) << r.err;
  r = tf.Plan();
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  SetFaults(emulator::Faults());
  EXPECT_TRUE(IsMember("gitlab-developers", "gitlab"));

  // Import of the user into a fresh directory plans clean.
  TerraformCli fresh(CliOptions());
  TFJ_ASSERT_OK(fresh.Setup());
  fresh.WriteMainTf(std::string(kJiraHclHeader) + R"hcl(
resource "jira_user" "gitlab" {
  name         = "gitlab"
  email        = "gitlab@example.com"
  display_name = "GitLab (production)"
}
)hcl");
  r = fresh.Import("jira_user.gitlab", "gitlab");
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  r = fresh.Plan();
  EXPECT_EQ(r.exit_code, 0) << r.Describe();

  SetFaults(faults);
  r = tf.Destroy();
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  SetFaults(emulator::Faults());
  EXPECT_FALSE(UserExists("gitlab"));
  EXPECT_FALSE(GroupExists("gitlab-developers"));
}

std::string GroupHcl(const std::string& name) {
  return std::string(kJiraHclHeader) + R"(
resource "jira_group" "team" {
  name = ")" + name + R"("
}
resource "jira_group_membership" "admin" {
  group    = ")" + name + R"("
  username = "admin"
  depends_on = [jira_group.team]
}
)";
}

TEST_P(JiraProfilesCliTest, CaseOnlyDifferenceBeyondAsciiNeverReplaces) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  TerraformCli tf(CliOptions());
  TFJ_ASSERT_OK(tf.Setup());
  tf.WriteMainTf(GroupHcl("Équipe Süd"));
  CliResult r = tf.Apply();
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  tf.WriteMainTf(GroupHcl("équipe SÜD"));
  r = tf.Plan();
  EXPECT_EQ(r.exit_code, 0) << "a case-only difference must plan nothing\n" << r.Describe();
  EXPECT_EQ(r.out.find("must be replaced"), std::string::npos) << r.out;
  r = tf.Destroy();
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_FALSE(GroupExists("Équipe Süd"));
}

TFJ_INSTANTIATE_PROTOCOLS(JiraProfilesCliTest);

}  // namespace
}  // namespace tfjira::scenarios
