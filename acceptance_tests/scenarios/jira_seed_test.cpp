// The seed scenario, GitLab's guide to a Jira user for its integration as configuration:
// user `gitlab` with a password, group `gitlab-developers`, the membership, and permission
// scheme "GitLab integration" granting ADMINISTER_PROJECTS to the group. Also applied while
// the emulator fails a fifth of all requests.
#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

constexpr char kSchemeDescription[] = "Lets the GitLab integration administer projects.";

class JiraSeedTest : public JiraScenario {
 protected:
  // Jira holds exactly what the configuration describes, once, and state agrees with it.
  void ExpectJiraMatchesState(Workspace& ws) {
    auto user = Admin().GetUserByName("gitlab", true);
    ASSERT_TRUE(user.ok());
    EXPECT_EQ(user->key, ws.AttrString("jira_user.gitlab", "id"));
    EXPECT_EQ(user->display_name, ws.AttrString("jira_user.gitlab", "display_name"));
    auto search = Admin().SearchUsers("gitlab", 0, 100, true);
    ASSERT_TRUE(search.ok());
    int gitlab_users = 0;
    for (const auto& u : search.value()) gitlab_users += u.name == "gitlab";
    EXPECT_EQ(gitlab_users, 1);
    EXPECT_TRUE(IsMember("gitlab-developers", "gitlab"));
    EXPECT_EQ(ws.AttrString("jira_group.developers", "id"), "gitlab-developers");
    auto schemes = SchemesNamed("GitLab integration");
    ASSERT_EQ(schemes.size(), 1u) << "duplicate or missing permission scheme";
    EXPECT_EQ(std::to_string(schemes[0].id), ws.AttrString("jira_permission_scheme.gitlab", "id"));
    ASSERT_EQ(schemes[0].grants.size(), 1u);
    EXPECT_EQ(schemes[0].grants[0].permission, "ADMINISTER_PROJECTS");
    EXPECT_EQ(schemes[0].grants[0].holder.type, "group");
    EXPECT_EQ(schemes[0].grants[0].holder.parameter, "gitlab-developers");
  }

  // Nothing the scenario created is left in Jira.
  void ExpectNothingLeft() {
    EXPECT_FALSE(UserExists("gitlab"));
    EXPECT_FALSE(GroupExists("gitlab-developers"));
    EXPECT_TRUE(SchemesNamed("GitLab integration").empty());
  }
};

TEST_P(JiraSeedTest, ApplyRepairUpdateDestroy) {
  auto ws = NewWorkspace();
  ConfigureSeed(*ws, "GitLab integration", kSchemeDescription);
  TFJ_ASSERT_OK(ws->Apply());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  ExpectJiraMatchesState(*ws);

  // The membership removed by hand is re-created.
  ASSERT_TRUE(Admin().RemoveUserFromGroup("gitlab-developers", "gitlab").ok());
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_group_membership.gitlab"), "create");
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  // A grant added by hand is removed.
  int64_t scheme_id = std::stoll(ws->AttrString("jira_permission_scheme.gitlab", "id"));
  ASSERT_TRUE(Admin().AddGrant(scheme_id, {0, "BROWSE_PROJECTS", {"anyone", ""}}).ok());
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_permission_scheme.gitlab"), "update");
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  ExpectJiraMatchesState(*ws);

  // The display name is updated in place.
  std::string key = ws->AttrString("jira_user.gitlab", "key");
  ConfigureSeed(*ws, "GitLab (production)", kSchemeDescription);
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_user.gitlab"), "update");
  EXPECT_EQ(ws->AttrString("jira_user.gitlab", "key"), key);
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  EXPECT_EQ(Admin().GetUserByKey(key)->display_name, "GitLab (production)");

  TFJ_ASSERT_OK(ws->Destroy());
  ExpectNothingLeft();
}

TEST_P(JiraSeedTest, SurvivesTwentyPercentFaults) {
  // Several fault sequences (the emulator's fault decisions follow its seed).
  for (uint64_t seed : {1, 2, 3, 4}) {
    SCOPED_TRACE("emulator seed " + std::to_string(seed));
    emulator::Options options;
    options.seed = seed;
    StartEmulator(options);
    auto ws = NewWorkspace(/*start=*/false);
    const emulator::Faults faults = SomeFaults();
    SetFaults(faults);
    TFJ_ASSERT_OK(ws->Start());
    ConfigureSeed(*ws, "GitLab integration", kSchemeDescription);
    TFJ_ASSERT_OK(ws->Apply());
    TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

    nlohmann::json stats = emu().Stats();
    SetFaults(emulator::Faults());
    int64_t injected = 0;
    for (const auto& [kind, n] : stats["faults"].items()) injected += n.get<int64_t>();
    EXPECT_GT(injected, 0) << stats.dump();

    // No duplicate, no orphan, and state equals Jira: a refresh finds nothing to change.
    ExpectJiraMatchesState(*ws);
    TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

    SetFaults(faults);
    TFJ_ASSERT_OK(ws->Destroy());
    SetFaults(emulator::Faults());
    ExpectNothingLeft();
  }
}

TFJ_INSTANTIATE_PROTOCOLS(JiraSeedTest);

}  // namespace
}  // namespace tfjira::scenarios
