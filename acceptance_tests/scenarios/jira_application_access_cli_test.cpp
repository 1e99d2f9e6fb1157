// jira_user.application_keys through the real terraform CLI (label cli), protocol 6 through
// dev_overrides and 5 through reattach: access created, changed in place, changed by hand
// through REST and repaired, imported clean (import, then an empty plan), and the seat-limit
// error shown on the attribute. Skipped, with the reason, without terraform on PATH.
#include <algorithm>
#include <string>
#include <vector>

#include "acceptance_tests/scenarios/jira_cli_fixture.h"

namespace tfjira::scenarios {
namespace {

std::string UserHcl(const std::string& apps) {
  return std::string(kJiraHclHeader) + R"(
resource "jira_user" "gitlab" {
  name             = "gitlab"
  email            = "gitlab@example.com"
  application_keys = )" + apps + R"(
}
)";
}

class JiraApplicationAccessCliTest : public JiraCliScenario {
 protected:
  std::unique_ptr<TerraformCli> NewCli() {
    tfj::harness::TerraformCliOptions o = PlainCliOptions();
    auto tf = std::make_unique<TerraformCli>(o);
    tfj::harness::Status s = tf->Setup();
    EXPECT_TRUE(s.ok()) << s;
    return tf;
  }
  std::vector<std::string> AppsInJira(const std::string& username) {
    auto u = Admin().GetUserByName(username);
    if (!u.ok()) return {"<no user>"};
    auto with = Admin().GetUserWithApplications(u->key);
    if (!with.ok() || !with->applications) return {"<unlisted>"};
    auto apps = *with->applications;
    std::sort(apps.begin(), apps.end());
    return apps;
  }
};

TEST_P(JiraApplicationAccessCliTest, CreatedChangedDriftedRepairedAndImportedClean) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  auto tf = NewCli();
  tf->WriteMainTf(UserHcl(R"(["jira-software"])"));
  CliResult created = tf->Apply();
  ASSERT_EQ(created.exit_code, 0) << created.Describe();
  EXPECT_EQ(AppsInJira("gitlab"), std::vector<std::string>{"jira-software"});

  tf->WriteMainTf(UserHcl(R"(["jira-core", "jira-software"])"));
  CliResult changed = tf->Apply();
  ASSERT_EQ(changed.exit_code, 0) << changed.Describe();
  EXPECT_NE(changed.out.find("0 added, 1 changed, 0 destroyed"), std::string::npos) << changed.out;
  EXPECT_EQ(AppsInJira("gitlab"), (std::vector<std::string>{"jira-core", "jira-software"}));

  // Access taken away by hand: the plan shows the change, the apply repairs it.
  ASSERT_TRUE(Admin().RemoveUserFromApplication("gitlab", "jira-software").ok());
  CliResult drifted = tf->Plan();
  EXPECT_EQ(drifted.exit_code, 2) << drifted.Describe();
  EXPECT_NE(drifted.out.find("application_keys"), std::string::npos) << drifted.out;
  CliResult repaired = tf->Apply();
  ASSERT_EQ(repaired.exit_code, 0) << repaired.Describe();
  EXPECT_EQ(AppsInJira("gitlab"), (std::vector<std::string>{"jira-core", "jira-software"}));
  CliResult clean = tf->Plan();
  EXPECT_EQ(clean.exit_code, 0) << clean.Describe();

  // A second working directory adopts the same user: import, then an empty plan.
  auto other = NewCli();
  other->WriteMainTf(UserHcl(R"(["jira-core", "jira-software"])"));
  CliResult imported = other->Import("jira_user.gitlab", "gitlab");
  ASSERT_EQ(imported.exit_code, 0) << imported.Describe();
  CliResult after_import = other->Plan();
  EXPECT_EQ(after_import.exit_code, 0) << after_import.Describe();
}

TEST_P(JiraApplicationAccessCliTest, NoSeatLeftIsShownOnTheAttribute) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  emulator::Options o;
  o.seats["jira-software"] = 1;
  StartEmulator(o);
  auto roles = Admin().ListApplicationRoles();
  ASSERT_TRUE(roles.ok());
  for (const auto& r : roles.value()) {
    if (r.key == "jira-software" && r.remaining_seats > 0) {
      jira::NewUser filler{"filler", "filler@example.com", "Filler", std::nullopt, false};
      filler.application_keys = std::vector<std::string>{"jira-software"};
      ASSERT_TRUE(Admin().CreateUser(filler).ok());
    }
  }
  auto tf = NewCli();
  tf->WriteMainTf(UserHcl(R"(["jira-software"])"));
  CliResult refused = tf->Apply();
  EXPECT_NE(refused.exit_code, 0) << refused.Describe();
  const std::string all = refused.out + refused.err;
  EXPECT_NE(all.find("No licence seat left for Jira Software"), std::string::npos) << all;
  // Terraform quotes the attribute's line when the diagnostic has its path.
  EXPECT_NE(all.find("application_keys = [\"jira-software\"]"), std::string::npos) << all;
  EXPECT_FALSE(UserExists("gitlab"));
}

TFJ_INSTANTIATE_PROTOCOLS(JiraApplicationAccessCliTest);

}  // namespace
}  // namespace tfjira::scenarios
