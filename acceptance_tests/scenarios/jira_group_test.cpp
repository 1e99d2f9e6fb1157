// jira_group and jira_group_membership end to end against the emulator.
#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

class JiraGroupTest : public JiraScenario {};

TEST_P(JiraGroupTest, CreateReplaceOnRenameAndDestroy) {
  auto ws = NewWorkspace();
  ws->SetResource("jira_group", "devs", {{"name", S("gitlab developers / ops")}});
  TFJ_ASSERT_OK(ws->Apply());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  EXPECT_EQ(ws->AttrString("jira_group.devs", "id"), "gitlab developers / ops");
  EXPECT_TRUE(GroupExists("gitlab developers / ops"));

  // Letter case alone: no change.
  ws->SetResource("jira_group", "devs", {{"name", S("GitLab Developers / Ops")}});
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  // A new name replaces the group (Jira has no group rename).
  ws->SetResource("jira_group", "devs", {{"name", S("gitlab-developers")}});
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_group.devs"), "replace");
  EXPECT_FALSE(GroupExists("gitlab developers / ops"));
  EXPECT_TRUE(GroupExists("gitlab-developers"));
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  TFJ_ASSERT_OK(ws->Destroy());
  EXPECT_FALSE(GroupExists("gitlab-developers"));
}

TEST_P(JiraGroupTest, DeletedByHandIsRecreated) {
  auto ws = NewWorkspace();
  ws->SetResource("jira_group", "devs", {{"name", S("gitlab-developers")}});
  TFJ_ASSERT_OK(ws->Apply());
  ASSERT_TRUE(Admin().DeleteGroup("gitlab-developers").ok());
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_group.devs"), "create");
  EXPECT_TRUE(GroupExists("gitlab-developers"));
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
}

TEST_P(JiraGroupTest, ImportThenPlanEmpty) {
  ASSERT_TRUE(Admin().CreateGroup("Team A/B").ok());
  auto ws = NewWorkspace();
  ws->SetResource("jira_group", "t", {{"name", S("Team A/B")}});
  TFJ_ASSERT_OK(ws->Import("jira_group", "t", "Team A/B"));
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  TFJ_EXPECT_OK(ws->ImportStateVerify("jira_group.t", "Team A/B"));
}

TEST_P(JiraGroupTest, BadInputGetsTheRightDiagnostic) {
  auto ws = NewWorkspace();
  ws->SetResource("jira_group", "admins", {{"name", S("JIRA-ADMINISTRATORS")}});
  TFJ_EXPECT_ERROR_CONTAINS(ws->Apply(), "A group or user with this name already exists.");
  ws->SetResource("jira_group", "admins", {{"name", S("")}});
  auto status = ws->Apply();
  EXPECT_FALSE(status.ok());
  bool on_name = false;
  for (const auto& d : ws->last_diagnostics()) on_name |= d.path && d.path->ToString() == "name";
  EXPECT_TRUE(on_name) << ws->last_diagnostics().ToString();
}

class JiraGroupMembershipTest : public JiraScenario {
 protected:
  void Seed(Workspace& ws, const std::string& group) {
    ws.SetResource("jira_user", "gitlab",
                   {{"name", S("gitlab")}, {"email", S("gitlab@example.com")}});
    ws.SetResource("jira_user", "other",
                   {{"name", S("other")}, {"email", S("other@example.com")}});
    ws.SetResource("jira_group", "devs", {{"name", S(group)}});
    ws.SetResource("jira_group", "ops", {{"name", S("ops")}});
    ws.SetResource("jira_group_membership", "m",
                   {{"group", Ref("jira_group.devs", "name")},
                    {"username", Ref("jira_user.gitlab", "name")}});
  }
};

TEST_P(JiraGroupMembershipTest, CreateReplaceDriftImportDestroy) {
  auto ws = NewWorkspace();
  Seed(*ws, "gitlab/developers");
  TFJ_ASSERT_OK(ws->Apply());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  EXPECT_TRUE(IsMember("gitlab/developers", "gitlab"));
  EXPECT_EQ(ws->AttrString("jira_group_membership.m", "id"), "gitlab/developers/gitlab");

  // Import by the documented id, even though the group name holds the separator.
  TFJ_EXPECT_OK(ws->ImportStateVerify("jira_group_membership.m", "gitlab/developers/gitlab"));

  // Removed from the group by hand, then the user deleted by hand, then the group: each
  // time the plan re-creates what is missing.
  ASSERT_TRUE(Admin().RemoveUserFromGroup("gitlab/developers", "gitlab").ok());
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_group_membership.m"), "create");
  EXPECT_TRUE(IsMember("gitlab/developers", "gitlab"));
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  ASSERT_TRUE(Admin().DeleteGroup("gitlab/developers").ok());
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_TRUE(IsMember("gitlab/developers", "gitlab"));
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  // Another user or group replaces the membership.
  ws->SetResource("jira_group_membership", "m",
                  {{"group", Ref("jira_group.ops", "name")},
                   {"username", Ref("jira_user.other", "name")}});
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_group_membership.m"), "replace");
  EXPECT_FALSE(IsMember("gitlab/developers", "gitlab"));
  EXPECT_TRUE(IsMember("ops", "other"));
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  TFJ_ASSERT_OK(ws->Destroy());
  EXPECT_FALSE(UserExists("other"));
  EXPECT_FALSE(GroupExists("ops"));
}

TEST_P(JiraGroupMembershipTest, UserDeletedByHandIsRecreatedWithItsMembership) {
  auto ws = NewWorkspace();
  Seed(*ws, "gitlab-developers");
  TFJ_ASSERT_OK(ws->Apply());
  ASSERT_TRUE(Admin().DeleteUser(ws->AttrString("jira_user.gitlab", "key")).ok());
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_group_membership.m"), "create");
  EXPECT_TRUE(IsMember("gitlab-developers", "gitlab"));
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
}

TEST_P(JiraGroupMembershipTest, ImportIntoFreshWorkspaceThenPlanEmpty) {
  ASSERT_TRUE(Admin().CreateGroup("a/b").ok());
  jira::NewUser nu{"carol", "carol@example.com", "carol", std::nullopt, false};
  ASSERT_TRUE(Admin().CreateUser(nu).ok());
  ASSERT_TRUE(Admin().AddUserToGroup("a/b", "carol").ok());
  auto ws = NewWorkspace();
  ws->SetResource("jira_group_membership", "m", {{"group", S("a/b")}, {"username", S("carol")}});
  TFJ_ASSERT_OK(ws->Import("jira_group_membership", "m", "a/b/carol"));
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  TFJ_ASSERT_OK(ws->Destroy());
  EXPECT_FALSE(IsMember("a/b", "carol"));
}

TEST_P(JiraGroupMembershipTest, BadInputGetsTheRightDiagnostic) {
  auto ws = NewWorkspace();
  ws->SetResource("jira_group_membership", "m",
                  {{"group", S("jira-administrators")}, {"username", S("nobody")}});
  auto status = ws->Apply();
  EXPECT_FALSE(status.ok());
  bool on_username = false;
  for (const auto& d : ws->last_diagnostics()) {
    on_username |= d.path && d.path->ToString() == "username";
  }
  EXPECT_TRUE(on_username) << ws->last_diagnostics().ToString();

  auto other = NewWorkspace();
  TFJ_EXPECT_ERROR_CONTAINS(other->Import("jira_group_membership", "m", "no-separator"),
                            "Invalid import id");
}

TFJ_INSTANTIATE_PROTOCOLS(JiraGroupTest);
TFJ_INSTANTIATE_PROTOCOLS(JiraGroupMembershipTest);

}  // namespace
}  // namespace tfjira::scenarios
