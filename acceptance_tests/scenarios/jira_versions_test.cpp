// The seed scenario against each Jira version profile the provider supports (8.0 to 10.x,
// legacy user keys before 8.4), under injected faults; and the versions it refuses or
// limits: before 8.0, and `active` before 8.3.
#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

class JiraVersionsTest : public JiraScenario {
 protected:
  void StartJira(const std::string& version) { StartEmulator(VersionProfile(version)); }
  // The seed under faults on `version`: apply, empty plan, drift repaired, import clean,
  // destroy complete, nothing missing or duplicated.
  void RunSeedScenario(const std::string& version) {
    StartJira(version);
    auto ws = NewWorkspace(/*start=*/false);
    SetFaults(SomeFaults());
    TFJ_ASSERT_OK(ws->Start());
    ConfigureSeed(*ws);
    TFJ_ASSERT_OK(ws->Apply());
    TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
    SetFaults(emulator::Faults());
    EXPECT_EQ(UsersNamed("gitlab"), 1) << "missing or duplicated user";
    EXPECT_TRUE(IsMember("gitlab-developers", "gitlab"));
    EXPECT_EQ(SchemesNamed("GitLab integration").size(), 1u);

    // Drift: the membership removed by hand is found and re-created.
    ASSERT_TRUE(Admin().RemoveUserFromGroup("gitlab-developers", "gitlab").ok());
    SetFaults(SomeFaults());
    TFJ_ASSERT_OK(ws->Apply());
    EXPECT_EQ(ActionOf(*ws, "jira_group_membership.gitlab"), "create");
    TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
    SetFaults(emulator::Faults());
    EXPECT_TRUE(IsMember("gitlab-developers", "gitlab"));

    // Import by name plans clean (no password configured: Jira never returns it).
    auto fresh = NewWorkspace();
    fresh->SetResource("jira_user", "gitlab",
                       {{"name", S("gitlab")},
                        {"email", S("gitlab@example.com")},
                        {"display_name", S("GitLab integration")}});
    TFJ_ASSERT_OK(fresh->Import("jira_user", "gitlab", "gitlab"));
    TFJ_ASSERT_OK(fresh->PlanMustBeEmpty());
    EXPECT_EQ(fresh->AttrString("jira_user.gitlab", "key"), ws->AttrString("jira_user.gitlab", "key"));
    TFJ_ASSERT_OK(fresh->Stop());

    SetFaults(SomeFaults());
    TFJ_ASSERT_OK(ws->Destroy());
    SetFaults(emulator::Faults());
    EXPECT_FALSE(UserExists("gitlab"));
    EXPECT_FALSE(GroupExists("gitlab-developers"));
    EXPECT_TRUE(SchemesNamed("GitLab integration").empty());
    TFJ_ASSERT_OK(ws->Stop());
  }
  int UsersNamed(const std::string& name) {
    auto found = Admin().SearchUsers(name, 0, 100, true);
    EXPECT_TRUE(found.ok());
    int n = 0;
    for (const auto& u : found.value()) n += u.name == name;
    return n;
  }
};

TFJ_SEED_SCENARIO_PER_JIRA_VERSION(JiraVersionsTest)

TEST_P(JiraVersionsTest, JiraBefore8IsRefusedNamingTheVersion) {
  StartJira("7.13.18");
  auto ws = NewWorkspace(/*start=*/false);
  ws->SetResource("jira_group", "developers", {{"name", S("gitlab-developers")}});
  // Configuring the provider (at start) fails with the version and the supported range.
  tfj::harness::Status started = ws->Start();
  if (started.ok()) started = ws->Apply();
  ASSERT_FALSE(started.ok());
  EXPECT_NE(started.message().find("Jira 7.13.18"), std::string::npos) << started.message();
  EXPECT_NE(started.message().find("8.0 to 10.x"), std::string::npos) << started.message();
  EXPECT_FALSE(GroupExists("gitlab-developers"));
}

TEST_P(JiraVersionsTest, ActiveBefore83IsAPlanError) {
  StartJira("8.2.0");
  auto ws = NewWorkspace();
  ws->SetResource("jira_user", "gitlab",
                  {{"name", S("gitlab")}, {"email", S("gitlab@example.com")}, {"active", B(false)}});
  TFJ_EXPECT_ERROR_CONTAINS(ws->Apply(), "Jira 8.2.0 cannot activate or deactivate users");
  EXPECT_FALSE(UserExists("gitlab")) << "refused at plan time, before anything is created";
}

TFJ_INSTANTIATE_PROTOCOLS(JiraVersionsTest);

}  // namespace
}  // namespace tfjira::scenarios
