// jira_group_membership on a directory with nested groups. Jira's REST API v2 lists a user's
// groups and a group's members including those reached through subgroups, and cannot tell a
// direct membership from an inherited one (see the resource's documentation). So a direct
// membership removed by hand while an inherited one remains is not seen as drift: the user
// keeps the group's access through the subgroup. Once the inherited membership goes too, the
// next plan finds the membership missing and the apply makes it direct again.
#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

class JiraNestedGroupsTest : public JiraScenario {
 protected:
  void SetUp() override {
    emulator::Options options;
    options.nested_groups = true;
    // ldap-developers is a subgroup of gitlab-developers: its members inherit the parent.
    options.nests = {{"ldap-developers", "gitlab-developers"}};
    StartEmulator(options);
  }
  // Whether the emulator holds `user` as a DIRECT member of `group` (REST cannot say).
  bool DirectMember(const std::string& group, const std::string& user) {
    bool direct = false;
    emu().router().WithStore([&](emulator::Store& s) {
      const emulator::Group* g = s.FindGroup(group);
      const emulator::User* u = s.FindUserByName(user);
      direct = g && u && g->member_keys.count(u->key) > 0;
    });
    return direct;
  }
};

TEST_P(JiraNestedGroupsTest, DirectMembershipRemovedWhileAnInheritedOneRemains) {
  AddUser("gitlab");
  auto ws = NewWorkspace();
  ws->SetResource("jira_group_membership", "gitlab",
                  {{"group", S("gitlab-developers")}, {"username", S("gitlab")}});
  TFJ_ASSERT_OK(ws->Apply());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  EXPECT_TRUE(DirectMember("gitlab-developers", "gitlab"));

  // The user also comes into the group through the subgroup; then an administrator removes
  // the direct membership by hand.
  ASSERT_TRUE(Admin().AddUserToGroup("ldap-developers", "gitlab").ok());
  ASSERT_TRUE(Admin().RemoveUserFromGroup("gitlab-developers", "gitlab").ok());
  EXPECT_FALSE(DirectMember("gitlab-developers", "gitlab"));
  EXPECT_TRUE(IsMember("gitlab-developers", "gitlab")) << "inherited through ldap-developers";

  // REST shows the effective membership only: no drift is visible, nothing is planned, and
  // the membership stays in state (the user keeps the group's access through the subgroup).
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  EXPECT_TRUE(ws->HasState("jira_group_membership.gitlab"));

  // The inherited membership goes too: now the drift shows, and the apply makes the
  // membership direct again.
  ASSERT_TRUE(Admin().RemoveUserFromGroup("ldap-developers", "gitlab").ok());
  EXPECT_FALSE(IsMember("gitlab-developers", "gitlab"));
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_group_membership.gitlab"), "create");
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  EXPECT_TRUE(DirectMember("gitlab-developers", "gitlab"));

  TFJ_ASSERT_OK(ws->Destroy());
  EXPECT_FALSE(DirectMember("gitlab-developers", "gitlab"));
  EXPECT_TRUE(GroupExists("gitlab-developers"));
}

TEST_P(JiraNestedGroupsTest, MembershipOnlyInheritedIsAdoptedAndItsDestroyExplains) {
  // Jira refuses to add a user who is already a member through a subgroup (its group service
  // checks effective membership), so the provider, reading the user's groups, takes the
  // membership as there. Destroy cannot end it (Jira removes direct memberships only, and
  // still lists the user): the error says why and what to do. The documentation says both.
  AddUser("gitlab");
  ASSERT_TRUE(Admin().AddUserToGroup("ldap-developers", "gitlab").ok());
  auto ws = NewWorkspace();
  ws->SetResource("jira_group_membership", "gitlab",
                  {{"group", S("gitlab-developers")}, {"username", S("gitlab")}});
  TFJ_ASSERT_OK(ws->Apply());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  EXPECT_FALSE(DirectMember("gitlab-developers", "gitlab"));
  EXPECT_TRUE(IsMember("gitlab-developers", "gitlab"));
  ws->RemoveResource("jira_group_membership", "gitlab");
  TFJ_EXPECT_ERROR_CONTAINS(ws->Apply(), "membership through a subgroup");
  EXPECT_TRUE(ws->HasState("jira_group_membership.gitlab")) << "not lost from state";
  EXPECT_TRUE(IsMember("gitlab-developers", "gitlab")) << "the inherited membership stays";
  EXPECT_TRUE(DirectMember("ldap-developers", "gitlab"));
  // The subgroup changed by hand: the destroy completes.
  ASSERT_TRUE(Admin().RemoveUserFromGroup("ldap-developers", "gitlab").ok());
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_FALSE(ws->HasState("jira_group_membership.gitlab"));
  EXPECT_FALSE(IsMember("gitlab-developers", "gitlab"));
}

TEST_P(JiraNestedGroupsTest, GroupMembersMustListSubgroupMembersToo) {
  // GET /group/member lists the members of subgroups too: an authoritative list without
  // them would remove users Jira cannot remove. The apply says so; listing them settles it.
  AddUser("gitlab");
  AddUser("carol");
  ASSERT_TRUE(Admin().AddUserToGroup("ldap-developers", "carol").ok());
  auto ws = NewWorkspace();
  ws->SetResource("jira_group_members", "devs",
                  {{"group", S("gitlab-developers")}, {"usernames", StringSet({"gitlab"})}});
  TFJ_EXPECT_ERROR_CONTAINS(ws->Apply(), "membership through a subgroup");
  EXPECT_TRUE(DirectMember("ldap-developers", "carol")) << "the subgroup is left alone";

  ws->SetResource("jira_group_members", "devs",
                  {{"group", S("gitlab-developers")}, {"usernames", StringSet({"gitlab", "carol"})}});
  TFJ_ASSERT_OK(ws->Apply());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  EXPECT_TRUE(DirectMember("gitlab-developers", "gitlab"));
  EXPECT_FALSE(DirectMember("gitlab-developers", "carol")) << "inherited, not made direct";

  // Destroy removes gitlab and leaves carol, a member through the subgroup, with a warning.
  ws->RemoveResource("jira_group_members", "devs");
  TFJ_ASSERT_OK(ws->Apply());
  bool warned = false;
  for (const auto& d : ws->last_diagnostics()) {
    warned |= d.severity == tf::Severity::kWarning &&
              d.detail.find("membership through a subgroup") != std::string::npos;
  }
  EXPECT_TRUE(warned) << ws->last_diagnostics().ToString();
  EXPECT_FALSE(IsMember("gitlab-developers", "gitlab"));
  EXPECT_TRUE(IsMember("gitlab-developers", "carol"));
  EXPECT_TRUE(DirectMember("ldap-developers", "carol"));
}

TFJ_INSTANTIATE_PROTOCOLS(JiraNestedGroupsTest);

}  // namespace
}  // namespace tfjira::scenarios
