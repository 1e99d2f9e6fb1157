// jira_user end to end: the built provider, driven like Terraform, against the emulator.
#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

class JiraUserTest : public JiraScenario {
 protected:
  Attrs Gitlab() {
    return {{"name", S("gitlab")},
            {"email", S("gitlab@example.com")},
            {"display_name", S("GitLab integration")},
            {"password", S("Secr3t-password")}};
  }
};

TEST_P(JiraUserTest, CreateUpdateInPlaceAndDestroy) {
  auto ws = NewWorkspace();
  ws->SetResource("jira_user", "gitlab", Gitlab());
  TFJ_ASSERT_OK(ws->Apply());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  std::string key = ws->AttrString("jira_user.gitlab", "key");
  EXPECT_EQ(ws->AttrString("jira_user.gitlab", "id"), key);
  auto user = Admin().GetUserByName("gitlab");
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->key, key);
  EXPECT_EQ(user->display_name, "GitLab integration");
  EXPECT_TRUE(user->active);

  // Every updatable attribute, each in place (the key never changes).
  Attrs changed = Gitlab();
  changed["email"] = S("bot@example.com");
  changed["display_name"] = S("GitLab bot");
  changed["active"] = B(false);
  changed["password"] = S("An0ther-password");
  changed["name"] = S("gitlab-bot");
  ws->SetResource("jira_user", "gitlab", changed);
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_user.gitlab"), "update");
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  EXPECT_EQ(ws->AttrString("jira_user.gitlab", "key"), key);
  user = Admin().GetUserByKey(key);
  ASSERT_TRUE(user.ok());
  EXPECT_EQ(user->name, "gitlab-bot");
  EXPECT_EQ(user->email, "bot@example.com");
  EXPECT_EQ(user->display_name, "GitLab bot");
  EXPECT_FALSE(user->active);
  EXPECT_FALSE(UserExists("gitlab"));

  TFJ_ASSERT_OK(ws->Destroy());
  EXPECT_FALSE(Admin().GetUserByKey(key).ok());
}

TEST_P(JiraUserTest, PasswordChangeTakesEffectInJira) {
  auto ws = NewWorkspace();
  ws->SetResource("jira_user", "gitlab", Gitlab());
  TFJ_ASSERT_OK(ws->Apply());
  Attrs changed = Gitlab();
  changed["password"] = S("N3w-password-here");
  ws->SetResource("jira_user", "gitlab", changed);
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_user.gitlab"), "update");
  // The new password logs in.
  jira::ClientConfig c;
  c.base_url = emu().url();
  c.username = "gitlab";
  c.password = "N3w-password-here";
  c.max_retries = 0;
  auto as_user = jira::NewBeastClient(c);
  ASSERT_TRUE(as_user.ok());
  auto me = as_user.value()->GetMyself();
  ASSERT_TRUE(me.ok()) << me.error().Message();
  EXPECT_EQ(me->name, "gitlab");
}

TEST_P(JiraUserTest, CaseOnlyNameDifferenceIsNoChange) {
  auto ws = NewWorkspace();
  ws->SetResource("jira_user", "gitlab", Gitlab());
  TFJ_ASSERT_OK(ws->Apply());
  Attrs upper = Gitlab();
  upper["name"] = S("GitLab");
  ws->SetResource("jira_user", "gitlab", upper);
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
}

TEST_P(JiraUserTest, DisplayNameDefaultsToName) {
  auto ws = NewWorkspace();
  ws->SetResource("jira_user", "u", {{"name", S("alice")}, {"email", S("alice@example.com")}});
  TFJ_ASSERT_OK(ws->Apply());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  EXPECT_EQ(ws->AttrString("jira_user.u", "display_name"), "alice");
  EXPECT_EQ(ws->Attr("jira_user.u", "active"), B(true));
  EXPECT_EQ(ws->Attr("jira_user.u", "notify"), B(false));
  EXPECT_TRUE(ws->Attr("jira_user.u", "password").is_null());
}

TEST_P(JiraUserTest, DriftIsRepaired) {
  auto ws = NewWorkspace();
  ws->SetResource("jira_user", "gitlab", Gitlab());
  TFJ_ASSERT_OK(ws->Apply());
  std::string key = ws->AttrString("jira_user.gitlab", "key");

  // Changed by hand: the next plan puts it back in place.
  jira::UserChanges by_hand;
  by_hand.email = "hand@example.com";
  by_hand.display_name = "Changed by hand";
  ASSERT_TRUE(Admin().UpdateUser(key, by_hand).ok());
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_user.gitlab"), "update");
  EXPECT_EQ(Admin().GetUserByKey(key)->email, "gitlab@example.com");
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  // Deleted by hand: read removes it from state and the plan re-creates it.
  ASSERT_TRUE(Admin().DeleteUser(key).ok());
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_user.gitlab"), "create");
  EXPECT_TRUE(UserExists("gitlab"));
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
}

TEST_P(JiraUserTest, ImportByNameAndByKeyThenPlanEmpty) {
  auto ws = NewWorkspace();
  ws->SetResource("jira_user", "gitlab", Gitlab());
  TFJ_ASSERT_OK(ws->Apply());
  std::string key = ws->AttrString("jira_user.gitlab", "key");
  TFJ_EXPECT_OK(ws->ImportStateVerify("jira_user.gitlab", "gitlab", {"password"}));
  TFJ_EXPECT_OK(ws->ImportStateVerify("jira_user.gitlab", key, {"password"}));

  // A fresh workspace adopting the existing user: without a configured password the plan
  // is empty; with one, only the password is planned (Jira never returns it).
  auto fresh = NewWorkspace();
  Attrs no_password = Gitlab();
  no_password.erase("password");
  fresh->SetResource("jira_user", "gitlab", no_password);
  TFJ_ASSERT_OK(fresh->Import("jira_user", "gitlab", "gitlab"));
  TFJ_ASSERT_OK(fresh->PlanMustBeEmpty());
  EXPECT_TRUE(fresh->Attr("jira_user.gitlab", "password").is_null());

  fresh->SetResource("jira_user", "gitlab", Gitlab());
  std::vector<tfj::harness::PlannedChange> changes;
  TFJ_ASSERT_OK(fresh->Plan(&changes));
  EXPECT_EQ(ActionOf(*fresh, "jira_user.gitlab"), "update");
  std::string diff = DiffOf(*fresh, "jira_user.gitlab");
  EXPECT_NE(diff.find("password"), std::string::npos) << diff;
  EXPECT_EQ(diff.find("email"), std::string::npos) << diff;
}

TEST_P(JiraUserTest, BadInputGetsTheRightDiagnostic) {
  auto ws = NewWorkspace();
  Attrs bad = Gitlab();
  bad["email"] = S("not-an-email");
  ws->SetResource("jira_user", "gitlab", bad);
  TFJ_EXPECT_ERROR_CONTAINS(ws->Apply(), "Invalid e-mail address");
  EXPECT_FALSE(UserExists("gitlab"));

  // A name Jira already has: Jira's message, on the name, with an import hint.
  ws->SetResource("jira_user", "gitlab", {{"name", S("ADMIN")}, {"email", S("a@example.com")}});
  TFJ_EXPECT_ERROR_CONTAINS(ws->Apply(), "A user with that username already exists.");
  EXPECT_NE(ws->last_diagnostics().ToString().find("import"), std::string::npos)
      << ws->last_diagnostics().ToString();
}

TFJ_INSTANTIATE_PROTOCOLS(JiraUserTest);

}  // namespace
}  // namespace tfjira::scenarios
