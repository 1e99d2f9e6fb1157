// Renaming a jira_user through the real terraform CLI (label cli), under protocol 6 and 5:
// the membership and the permission-scheme user grant are updated in place, never replaced,
// and Jira sees no write but the rename. Skipped, with the reason, without terraform on PATH.
#include <map>
#include <string>

#include "acceptance_tests/scenarios/jira_cli_fixture.h"

namespace tfjira::scenarios {
namespace {

std::string RenameHcl(const std::string& username) {
  return std::string(kJiraHclHeader) + R"(
resource "jira_user" "gitlab" {
  name  = ")" + username + R"("
  email = "gitlab@example.com"
}
resource "jira_group" "devs" { name = "gitlab-developers" }
resource "jira_group_membership" "m" {
  group    = jira_group.devs.name
  username = jira_user.gitlab.name
}
resource "jira_permission_scheme" "s" {
  name = "GitLab integration"
  grant {
    permission       = "ADMINISTER_PROJECTS"
    holder_type      = "user"
    holder_parameter = jira_user.gitlab.name
  }
}
)";
}

class JiraUserRenameCliTest : public JiraCliScenario {
 protected:
  std::map<std::string, int64_t> Writes() {
    std::map<std::string, int64_t> out;
    const nlohmann::json stats = emu().Stats();
    for (const auto& [route, n] : stats["requests"].items()) {
      if (route.rfind("GET ", 0) != 0) out[route] = n.get<int64_t>();
    }
    return out;
  }
};

TEST_P(JiraUserRenameCliTest, RenameUpdatesMembershipAndGrantInPlace) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  tfj::harness::TerraformCliOptions o = PlainCliOptions();
  TerraformCli tf(o);
  tfj::harness::Status s = tf.Setup();
  ASSERT_TRUE(s.ok()) << s;

  tf.WriteMainTf(RenameHcl("gitlab"));
  CliResult created = tf.Apply();
  ASSERT_EQ(created.exit_code, 0) << created.Describe();

  tf.WriteMainTf(RenameHcl("gitlab-bot"));
  nlohmann::json plan = tf.PlanJson(&s);
  ASSERT_TRUE(s.ok()) << s;
  EXPECT_EQ(PlannedActions(plan, "jira_user.gitlab"), "update");
  EXPECT_EQ(PlannedActions(plan, "jira_group_membership.m"), "update");
  EXPECT_EQ(PlannedActions(plan, "jira_permission_scheme.s"), "update");

  auto before = Writes();
  CliResult renamed = tf.Apply();
  ASSERT_EQ(renamed.exit_code, 0) << renamed.Describe();
  std::map<std::string, int64_t> new_writes;
  for (const auto& [route, n] : Writes()) {
    if (n != before[route]) new_writes[route] = n - before[route];
  }
  ASSERT_EQ(new_writes.size(), 1u) << ::testing::PrintToString(new_writes);
  EXPECT_EQ(new_writes.begin()->first.rfind("PUT /rest/api/2/user", 0), 0u) << new_writes.begin()->first;
  EXPECT_TRUE(IsMember("gitlab-developers", "gitlab-bot"));

  CliResult again = tf.Plan();
  EXPECT_EQ(again.exit_code, 0) << "plan after the rename must be empty\n" << again.Describe();
}

TFJ_INSTANTIATE_PROTOCOLS(JiraUserRenameCliTest);

}  // namespace
}  // namespace tfjira::scenarios
