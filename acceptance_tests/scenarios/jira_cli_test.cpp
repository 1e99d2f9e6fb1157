// The seed scenario through the real terraform CLI (label cli): protocol 6 through
// dev_overrides, protocol 5 through reattach. `plan -detailed-exitcode` must exit 0 wherever
// the plan must be empty. Skipped, with the reason, when terraform is not on PATH.
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

resource "jira_permission_scheme" "gitlab" {
  name        = "GitLab integration"
  description = "Lets the GitLab integration administer projects."

  grant {
    permission       = "ADMINISTER_PROJECTS"
    holder_type      = "group"
    holder_parameter = jira_group.developers.name
  }
}

data "jira_group" "developers" {
  name       = jira_group.developers.name
  depends_on = [jira_group_membership.gitlab]
}

output "members" {
  value = data.jira_group.developers.members
}
)";
}

class JiraCliTest : public JiraCliScenario {};

TEST_P(JiraCliTest, SeedScenario) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  tfj::harness::TerraformCliOptions o = PlainCliOptions();
  TerraformCli tf(o);
  TFJ_ASSERT_OK(tf.Setup());
  tf.WriteMainTf(SeedHcl("GitLab integration"));

  CliResult r = tf.Apply();
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  r = tf.Plan();
  ASSERT_EQ(r.exit_code, 0) << "plan after apply must be empty\n" << r.Describe();
  EXPECT_TRUE(IsMember("gitlab-developers", "gitlab"));
  ASSERT_EQ(SchemesNamed("GitLab integration").size(), 1u);

  // Membership removed by hand: the plan shows it, apply repairs it.
  ASSERT_TRUE(Admin().RemoveUserFromGroup("gitlab-developers", "gitlab").ok());
  r = tf.Plan();
  EXPECT_EQ(r.exit_code, 2) << r.Describe();
  ASSERT_EQ(tf.Apply().exit_code, 0);
  r = tf.Plan();
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_TRUE(IsMember("gitlab-developers", "gitlab"));

  // Grant added by hand: removed again.
  int64_t id = SchemesNamed("GitLab integration")[0].id;
  ASSERT_TRUE(Admin().AddGrant(id, {0, "BROWSE_PROJECTS", {"anyone", ""}}).ok());
  r = tf.Plan();
  EXPECT_EQ(r.exit_code, 2) << r.Describe();
  ASSERT_EQ(tf.Apply().exit_code, 0);
  r = tf.Plan();
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(SchemesNamed("GitLab integration")[0].grants.size(), 1u);

  // Display name updated in place.
  tf.WriteMainTf(SeedHcl("GitLab (production)"));
  r = tf.Plan();
  EXPECT_EQ(r.exit_code, 2) << r.Describe();
  EXPECT_NE(r.out.find("updated in-place"), std::string::npos) << r.out;
  ASSERT_EQ(tf.Apply().exit_code, 0);
  r = tf.Plan();
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(Admin().GetUserByName("gitlab")->display_name, "GitLab (production)");

  // Import into a fresh working directory, then the plan is empty apart from the password
  // (Jira never returns it), so the import check uses a configuration without one.
  TerraformCli fresh(o);
  TFJ_ASSERT_OK(fresh.Setup());
  fresh.WriteMainTf(std::string(kJiraHclHeader) + R"(
resource "jira_group" "developers" { name = "gitlab-developers" }
resource "jira_group_membership" "gitlab" {
  group    = "gitlab-developers"
  username = "gitlab"
}
)");
  ASSERT_EQ(fresh.Import("jira_group.developers", "gitlab-developers").exit_code, 0);
  r = fresh.Import("jira_group_membership.gitlab", "gitlab-developers/gitlab");
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  r = fresh.Plan();
  EXPECT_EQ(r.exit_code, 0) << r.Describe();

  r = tf.Destroy();
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_FALSE(UserExists("gitlab"));
  EXPECT_FALSE(GroupExists("gitlab-developers"));
  EXPECT_TRUE(SchemesNamed("GitLab integration").empty());
}

std::string CaseHcl(const std::string& user, const std::string& group) {
  return std::string(kJiraHclHeader) + R"(
resource "jira_user" "u" {
  name  = ")" + user + R"("
  email = "gitlab@example.com"
}
resource "jira_group" "g" {
  name = ")" + group + R"("
}
resource "jira_group_membership" "m" {
  group    = ")" + group + R"("
  username = ")" + user + R"("
  depends_on = [jira_user.u, jira_group.g]
}
resource "jira_permission_scheme" "s" {
  name = "Case check"
  grant {
    permission       = "ADMINISTER_PROJECTS"
    holder_type      = "group"
    holder_parameter = ")" + group + R"("
  }
  grant {
    permission       = "BROWSE_PROJECTS"
    holder_type      = "user"
    holder_parameter = ")" + user + R"("
  }
  depends_on = [jira_user.u, jira_group.g]
}
)";
}

// Jira compares user and group names case-insensitively, so a configuration that only
// changes letter case must plan nothing, also inside the scheme's grant set (real Terraform
// accepts the prior spelling being kept there).
TEST_P(JiraCliTest, CaseOnlyDifferencesPlanNothing) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  tfj::harness::TerraformCliOptions o = PlainCliOptions();
  TerraformCli tf(o);
  TFJ_ASSERT_OK(tf.Setup());
  tf.WriteMainTf(CaseHcl("gitlab", "gitlab-developers"));
  CliResult r = tf.Apply();
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  tf.WriteMainTf(CaseHcl("GitLab", "GitLab-Developers"));
  r = tf.Plan();
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  r = tf.Destroy();
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
}

TFJ_INSTANTIATE_PROTOCOLS(JiraCliTest);

}  // namespace
}  // namespace tfjira::scenarios
