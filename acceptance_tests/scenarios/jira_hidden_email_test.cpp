// A Jira whose *User email visibility* is `hidden` (REST leaves emailAddress out): an
// imported user's state can only hold "" there. The configured address must still reach
// Jira, once after the import and on every later change, with no perpetual diff and no
// inconsistent result. Jira's store is read directly: REST cannot show the address.
#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

class JiraHiddenEmailTest : public JiraScenario {
 protected:
  void SetUp() override {
    emulator::Options options;
    options.email_visibility = emulator::EmailVisibility::kHidden;
    StartEmulator(options);
  }
  static void Configure(Workspace& ws, const std::string& email, const std::string& display) {
    ws.SetResource("jira_user", "gitlab",
                   {{"name", S("gitlab")}, {"email", S(email)}, {"display_name", S(display)}});
  }
};

TEST_P(JiraHiddenEmailTest, ImportedUserGetsTheConfiguredAddressAndLaterChanges) {
  jira::NewUser nu{"gitlab", "old@example.com", "GitLab", std::nullopt, false};
  ASSERT_TRUE(Admin().CreateUser(nu).ok());
  ASSERT_EQ(Admin().GetUserByName("gitlab")->email, "") << "the instance must hide addresses";

  auto ws = NewWorkspace();
  Configure(*ws, "gitlab@example.com", "GitLab");
  TFJ_ASSERT_OK(ws->Import("jira_user", "gitlab", "gitlab"));
  EXPECT_EQ(ws->AttrString("jira_user.gitlab", "email"), "");
  // The imported "" says nothing about the address: the configured one is set, once.
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_user.gitlab"), "update");
  EXPECT_NE(DiffOf(*ws, "jira_user.gitlab").find("email"), std::string::npos)
      << DiffOf(*ws, "jira_user.gitlab");
  EXPECT_EQ(StoredEmail("gitlab"), "gitlab@example.com");
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  // A later change in configuration is sent, with no inconsistent result and no later diff.
  Configure(*ws, "gitlab-bot@example.com", "GitLab");
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_user.gitlab"), "update");
  EXPECT_EQ(StoredEmail("gitlab"), "gitlab-bot@example.com");
  EXPECT_EQ(ws->AttrString("jira_user.gitlab", "email"), "gitlab-bot@example.com");
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  // Letter case alone is no change; another attribute changes without touching the address.
  Configure(*ws, "GitLab-Bot@example.com", "GitLab (bot)");
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(DiffOf(*ws, "jira_user.gitlab").find("email"), std::string::npos)
      << DiffOf(*ws, "jira_user.gitlab");
  EXPECT_EQ(StoredEmail("gitlab"), "gitlab-bot@example.com");
  EXPECT_EQ(Admin().GetUserByName("gitlab")->display_name, "GitLab (bot)");
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  // A change made in Jira cannot be seen here (documented): no diff, nothing overwritten.
  emu().router().WithStore([](emulator::Store& s) { s.FindUserByName("gitlab")->email = "x@y.z"; });
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  TFJ_ASSERT_OK(ws->Destroy());
  EXPECT_FALSE(UserExists("gitlab"));
}

TEST_P(JiraHiddenEmailTest, CreatedUserSendsEveryChangedAddress) {
  auto ws = NewWorkspace();
  Configure(*ws, "gitlab@example.com", "GitLab");
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(StoredEmail("gitlab"), "gitlab@example.com");
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  Configure(*ws, "gitlab-bot@example.com", "GitLab");
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(StoredEmail("gitlab"), "gitlab-bot@example.com");
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  TFJ_ASSERT_OK(ws->Destroy());
}

TFJ_INSTANTIATE_PROTOCOLS(JiraHiddenEmailTest);

}  // namespace
}  // namespace tfjira::scenarios
