// The real terraform CLI (label cli) against a Jira that hides e-mail addresses: a user
// imported there (state "") gets the configured address once, and every later change of
// `email` in the configuration reaches Jira, with no inconsistent result and no perpetual
// diff. Protocol 6 through dev_overrides, protocol 5 through reattach. Skipped, with the
// reason, when terraform is not on PATH.
#include "acceptance_tests/scenarios/jira_cli_fixture.h"

namespace tfjira::scenarios {
namespace {

std::string UserHcl(const std::string& email, const std::string& display_name) {
  return std::string(kJiraHclHeader) + R"(
resource "jira_user" "gitlab" {
  name         = "gitlab"
  email        = ")" + email + R"("
  display_name = ")" + display_name + R"("
}
)";
}

class JiraHiddenEmailCliTest : public JiraCliScenario {
 protected:
  void SetUp() override {
    emulator::Options options;
    options.email_visibility = emulator::EmailVisibility::kHidden;
    StartEmulator(options);
  }
};

TEST_P(JiraHiddenEmailCliTest, ImportedUserGetsTheConfiguredAddressAndLaterChanges) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  jira::NewUser nu{"gitlab", "old@example.com", "GitLab", std::nullopt, false};
  ASSERT_TRUE(Admin().CreateUser(nu).ok());

  TerraformCli tf(CliOptions());
  TFJ_ASSERT_OK(tf.Setup());
  tf.WriteMainTf(UserHcl("gitlab@example.com", "GitLab"));
  CliResult r = tf.Import("jira_user.gitlab", "gitlab");
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  // Jira hides the address, so Terraform cannot compare it: one update sets it.
  r = tf.Plan();
  EXPECT_EQ(r.exit_code, 2) << r.Describe();
  EXPECT_NE(r.out.find("email"), std::string::npos) << r.out;
  r = tf.Apply();
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(StoredEmail("gitlab"), "gitlab@example.com");
  r = tf.Plan();
  EXPECT_EQ(r.exit_code, 0) << "plan after apply must be empty\n" << r.Describe();

  tf.WriteMainTf(UserHcl("gitlab-bot@example.com", "GitLab"));
  r = tf.Apply();
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(r.err.find("inconsistent result"), std::string::npos) << r.err;
  EXPECT_EQ(StoredEmail("gitlab"), "gitlab-bot@example.com");
  r = tf.Plan();
  EXPECT_EQ(r.exit_code, 0) << "no perpetual diff\n" << r.Describe();

  // Another attribute changes alone; the address stays as configured.
  tf.WriteMainTf(UserHcl("GitLab-Bot@example.com", "GitLab (bot)"));
  r = tf.Apply();
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(StoredEmail("gitlab"), "gitlab-bot@example.com");
  EXPECT_EQ(Admin().GetUserByName("gitlab")->display_name, "GitLab (bot)");
  r = tf.Plan();
  EXPECT_EQ(r.exit_code, 0) << r.Describe();

  r = tf.Destroy();
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_FALSE(UserExists("gitlab"));
}

TFJ_INSTANTIATE_PROTOCOLS(JiraHiddenEmailCliTest);

}  // namespace
}  // namespace tfjira::scenarios
