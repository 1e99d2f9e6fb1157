// jira_user.application_keys end to end (harness, protocols 5 and 6): access given on create,
// changed in place, changed by hand in Jira and repaired, imported clean, computed when left
// unset, and the licence seat limit reported on the attribute.
#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

class JiraApplicationAccessTest : public JiraScenario {
 protected:
  Attrs Gitlab(std::vector<std::string> apps) {
    return {{"name", S("gitlab")}, {"email", S("gitlab@example.com")},
            {"application_keys", StringSet(apps)}};
  }
  // The applications Jira says the user has (sorted), read as an administrator would.
  std::vector<std::string> AppsInJira(const std::string& key) {
    auto u = Admin().GetUserWithApplications(key);
    EXPECT_TRUE(u.ok());
    if (!u.ok() || !u->applications) return {"<unlisted>"};
    auto apps = *u->applications;
    std::sort(apps.begin(), apps.end());
    return apps;
  }
};

TEST_P(JiraApplicationAccessTest, CreatedChangedDriftedRepairedAndImportedClean) {
  auto ws = NewWorkspace();
  ws->SetResource("jira_user", "gitlab", Gitlab({"jira-software"}));
  TFJ_ASSERT_OK(ws->Apply());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  const std::string key = ws->AttrString("jira_user.gitlab", "key");
  EXPECT_EQ(AppsInJira(key), std::vector<std::string>{"jira-software"});
  EXPECT_TRUE(IsMember("jira-software-users", "gitlab"));

  // Changed in place: the user stays (same key), only the access changes.
  ws->SetResource("jira_user", "gitlab", Gitlab({"jira-core", "jira-software"}));
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_user.gitlab"), "update");
  EXPECT_EQ(ws->AttrString("jira_user.gitlab", "key"), key);
  EXPECT_EQ(AppsInJira(key), (std::vector<std::string>{"jira-core", "jira-software"}));
  ws->SetResource("jira_user", "gitlab", Gitlab({"jira-core"}));
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(AppsInJira(key), std::vector<std::string>{"jira-core"});
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  // Drift by hand through REST: access added and removed; the next apply puts it back.
  ASSERT_TRUE(Admin().AddUserToApplication("gitlab", "jira-software").ok());
  ASSERT_TRUE(Admin().RemoveUserFromApplication("gitlab", "jira-core").ok());
  EXPECT_EQ(AppsInJira(key), std::vector<std::string>{"jira-software"});
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_user.gitlab"), "update");
  EXPECT_EQ(AppsInJira(key), std::vector<std::string>{"jira-core"});
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  // Imported into a fresh workspace: state matches, and the plan is empty.
  TFJ_EXPECT_OK(ws->ImportStateVerify("jira_user.gitlab", "gitlab"));
  auto fresh = NewWorkspace();
  fresh->SetResource("jira_user", "gitlab", Gitlab({"jira-core"}));
  TFJ_ASSERT_OK(fresh->Import("jira_user", "gitlab", "gitlab"));
  EXPECT_EQ(fresh->Attr("jira_user.gitlab", "application_keys"), StringSet({"jira-core"}));
  TFJ_ASSERT_OK(fresh->PlanMustBeEmpty());
}

TEST_P(JiraApplicationAccessTest, UnsetIsWhatJiraGaveByDefaultAndNeverDiffed) {
  auto ws = NewWorkspace();
  ws->SetResource("jira_user", "gitlab", {{"name", S("gitlab")}, {"email", S("gitlab@example.com")}});
  TFJ_ASSERT_OK(ws->Apply());
  // Jira Software is the application selected by default.
  EXPECT_EQ(ws->Attr("jira_user.gitlab", "application_keys"), StringSet({"jira-software"}));
  const std::string key = ws->AttrString("jira_user.gitlab", "key");
  ASSERT_TRUE(Admin().AddUserToApplication("gitlab", "jira-core").ok());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  EXPECT_EQ(AppsInJira(key), (std::vector<std::string>{"jira-core", "jira-software"}));
}

TEST_P(JiraApplicationAccessTest, NoSeatLeftIsReportedOnTheAttribute) {
  emulator::Options o;
  o.seats["jira-software"] = 1;
  StartEmulator(o);
  // Fill the only seat (if nobody holds it yet) with a user created by hand.
  auto roles = Admin().ListApplicationRoles();
  ASSERT_TRUE(roles.ok());
  for (const auto& r : roles.value()) {
    if (r.key == "jira-software" && r.remaining_seats > 0) {
      jira::NewUser filler{"filler", "filler@example.com", "Filler", std::nullopt, false};
      filler.application_keys = std::vector<std::string>{"jira-software"};
      ASSERT_TRUE(Admin().CreateUser(filler).ok());
    }
  }
  auto ws = NewWorkspace();
  ws->SetResource("jira_user", "gitlab", Gitlab({"jira-software"}));
  TFJ_EXPECT_ERROR_CONTAINS(ws->Apply(), "No licence seat left for Jira Software");
  bool on_attribute = false;
  for (const auto& d : ws->last_diagnostics()) {
    on_attribute |= d.path && d.path->ToString() == "application_keys";
  }
  EXPECT_TRUE(on_attribute) << ws->last_diagnostics().ToString();
  EXPECT_FALSE(UserExists("gitlab"));

  // With access Jira can give, the user is created; asking for more later fails the same
  // way, and state keeps what Jira has.
  ws->SetResource("jira_user", "gitlab", Gitlab({"jira-core"}));
  TFJ_ASSERT_OK(ws->Apply());
  ws->SetResource("jira_user", "gitlab", Gitlab({"jira-core", "jira-software"}));
  TFJ_EXPECT_ERROR_CONTAINS(ws->Apply(), "No licence seat left for Jira Software");
  EXPECT_EQ(ws->Attr("jira_user.gitlab", "application_keys"), StringSet({"jira-core"}));
}

TFJ_INSTANTIATE_PROTOCOLS(JiraApplicationAccessTest);

}  // namespace
}  // namespace tfjira::scenarios
