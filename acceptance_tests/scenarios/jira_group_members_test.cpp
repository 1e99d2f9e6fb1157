// jira_group_members: which users destroy removes. Destroy removes exactly the users the
// configuration lists and keeps the group; users added to the group outside Terraform and
// never listed stay. A user who is already a member (added by hand) when the configuration
// starts listing them changes nothing in Jira's membership, yet destroy must remove them too:
// the plan shows them joining removed_on_destroy, and the next plan is empty.
#include <set>
#include <string>
#include <vector>

#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

class JiraGroupMembersDestroyTest : public JiraScenario {
 protected:
  // Users alice, bob and carol, and the group "team" with no members, made by hand.
  void MakeUsersAndGroup() {
    AddUser("alice");
    AddUser("bob");
    AddUser("carol");
    ASSERT_TRUE(Admin().CreateGroup("team").ok());
  }
  void SetMembers(Workspace& ws, const std::vector<std::string>& names) {
    ws.SetResource("jira_group_members", "team",
                   {{"group", S("team")}, {"usernames", StringSet(names)}});
  }
};

TEST_P(JiraGroupMembersDestroyTest, MemberAddedByHandThenListedIsRemovedByDestroy) {
  MakeUsersAndGroup();
  auto ws = NewWorkspace();
  SetMembers(*ws, {"alice"});
  TFJ_ASSERT_OK(ws->Apply());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  EXPECT_EQ(Members("team"), (std::set<std::string>{"alice"}));

  // bob joins by hand; then the configuration lists him. Jira's members already match the
  // configuration, but destroy must now remove bob: the plan says so on removed_on_destroy.
  ASSERT_TRUE(Admin().AddUserToGroup("team", "bob").ok());
  SetMembers(*ws, {"alice", "bob"});
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_group_members.team"), "update");
  const std::string diff = DiffOf(*ws, "jira_group_members.team");
  EXPECT_NE(diff.find("removed_on_destroy"), std::string::npos) << diff;
  EXPECT_EQ(diff.find(".usernames"), std::string::npos) << "Jira's members already match: " << diff;
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  EXPECT_EQ(StringsOf(ws->Attr("jira_group_members.team", "removed_on_destroy")),
            (std::set<std::string>{"alice", "bob"}));
  EXPECT_EQ(Members("team"), (std::set<std::string>{"alice", "bob"}));
  // An import of the group now finds the same object, record included.
  TFJ_ASSERT_OK(ws->ImportStateVerify("jira_group_members.team", "team"));

  // Destroy (through an apply: the group stays, which the harness's destroy check would
  // take for a leftover) removes both listed users and keeps the group.
  ws->RemoveResource("jira_group_members", "team");
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_FALSE(ws->HasState("jira_group_members.team"));
  EXPECT_TRUE(GroupExists("team"));
  EXPECT_FALSE(IsMember("team", "alice"));
  EXPECT_FALSE(IsMember("team", "bob"));
  EXPECT_TRUE(Members("team").empty());
  EXPECT_TRUE(UserExists("alice"));
  EXPECT_TRUE(UserExists("bob"));
}

TEST_P(JiraGroupMembersDestroyTest, MemberAddedByHandAndNeverListedIsLeftByDestroy) {
  MakeUsersAndGroup();
  auto ws = NewWorkspace();
  SetMembers(*ws, {"alice"});
  TFJ_ASSERT_OK(ws->Apply());

  // carol joins by hand and is never listed: the plan would remove her, but destroy runs
  // first; destroy removes only the listed members.
  ASSERT_TRUE(Admin().AddUserToGroup("team", "carol").ok());
  ws->RemoveResource("jira_group_members", "team");
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_TRUE(GroupExists("team"));
  EXPECT_EQ(Members("team"), (std::set<std::string>{"carol"}));
}

TEST_P(JiraGroupMembersDestroyTest, UserDroppedFromTheListIsNoLongerRemovedByDestroy) {
  MakeUsersAndGroup();
  auto ws = NewWorkspace();
  SetMembers(*ws, {"alice", "bob"});
  TFJ_ASSERT_OK(ws->Apply());
  SetMembers(*ws, {"alice"});
  TFJ_ASSERT_OK(ws->Apply());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  EXPECT_EQ(StringsOf(ws->Attr("jira_group_members.team", "removed_on_destroy")),
            (std::set<std::string>{"alice"}));
  // bob is added back by hand after Terraform removed him: not Terraform's to remove.
  ASSERT_TRUE(Admin().AddUserToGroup("team", "bob").ok());
  ws->RemoveResource("jira_group_members", "team");
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(Members("team"), (std::set<std::string>{"bob"}));
}

TEST_P(JiraGroupMembersDestroyTest, LetterCaseAloneChangesNothing) {
  MakeUsersAndGroup();
  auto ws = NewWorkspace();
  SetMembers(*ws, {"alice"});
  TFJ_ASSERT_OK(ws->Apply());
  SetMembers(*ws, {"ALICE"});
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  ws->RemoveResource("jira_group_members", "team");
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_TRUE(Members("team").empty());
}

TEST_P(JiraGroupMembersDestroyTest, ImportedThenDestroyedRemovesTheMembersItWasImportedWith) {
  MakeUsersAndGroup();
  ASSERT_TRUE(Admin().AddUserToGroup("team", "alice").ok());
  ASSERT_TRUE(Admin().AddUserToGroup("team", "bob").ok());
  auto ws = NewWorkspace();
  SetMembers(*ws, {"alice", "bob"});
  TFJ_ASSERT_OK(ws->Import("jira_group_members", "team", "team"));
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  EXPECT_EQ(StringsOf(ws->Attr("jira_group_members.team", "removed_on_destroy")),
            (std::set<std::string>{"alice", "bob"}));

  // carol joins by hand after the import: not listed, so destroy leaves her.
  ASSERT_TRUE(Admin().AddUserToGroup("team", "carol").ok());
  ws->RemoveResource("jira_group_members", "team");
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_TRUE(GroupExists("team"));
  EXPECT_EQ(Members("team"), (std::set<std::string>{"carol"}));
}

TEST_P(JiraGroupMembersDestroyTest, ImportedWithMoreMembersThanListedPlansTheirRemoval) {
  MakeUsersAndGroup();
  for (const char* u : {"alice", "bob", "carol"}) {
    ASSERT_TRUE(Admin().AddUserToGroup("team", u).ok());
  }
  auto ws = NewWorkspace();
  SetMembers(*ws, {"alice"});
  TFJ_ASSERT_OK(ws->Import("jira_group_members", "team", "team"));
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_group_members.team"), "update");
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  EXPECT_EQ(Members("team"), (std::set<std::string>{"alice"}));
  EXPECT_EQ(StringsOf(ws->Attr("jira_group_members.team", "removed_on_destroy")),
            (std::set<std::string>{"alice"}));
}

TEST_P(JiraGroupMembersDestroyTest, UsersCreatedInTheSameApplyAreRemovedByDestroy) {
  ASSERT_TRUE(Admin().CreateGroup("team").ok());
  auto ws = NewWorkspace();
  ws->SetResource("jira_user", "dave", {{"name", S("dave")}, {"email", S("dave@example.com")}});
  ws->SetResource("jira_group_members", "team",
                  {{"group", S("team")},
                   {"usernames",
                    tf::Value::Set(tf::Type::String(), {Ref("jira_user.dave", "name")})}});
  TFJ_ASSERT_OK(ws->Apply());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  EXPECT_EQ(StringsOf(ws->Attr("jira_group_members.team", "removed_on_destroy")),
            (std::set<std::string>{"dave"}));
  ws->RemoveResource("jira_group_members", "team");
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_TRUE(Members("team").empty());
}

TEST_P(JiraGroupMembersDestroyTest, ListingAndDestroyUnderInjectedFaults) {
  // A fifth of the requests get a 503, a dropped connection or a lost answer (the change
  // made, no reply): the listing still converges and destroy still removes both users once.
  MakeUsersAndGroup();
  auto ws = NewWorkspace();
  SetMembers(*ws, {"alice"});
  TFJ_ASSERT_OK(ws->Apply());
  ASSERT_TRUE(Admin().AddUserToGroup("team", "bob").ok());
  ASSERT_TRUE(Admin().AddUserToGroup("team", "carol").ok());  // never listed
  emulator::Faults faults;
  faults.fault_rate = 0.2;
  faults.kinds = {"503", "drop", "lost"};
  faults.retry_after_s = 0;
  SetFaults(faults);
  SetMembers(*ws, {"alice", "bob", "carol"});
  TFJ_ASSERT_OK(ws->Apply());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  SetMembers(*ws, {"alice", "bob"});  // carol leaves the list (and the group) again
  TFJ_ASSERT_OK(ws->Apply());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  SetFaults(emulator::Faults());  // the administrator's requests are not faulted
  ASSERT_TRUE(Admin().AddUserToGroup("team", "carol").ok());  // back by hand, not listed
  SetFaults(faults);
  ws->RemoveResource("jira_group_members", "team");
  TFJ_ASSERT_OK(ws->Apply());
  SetFaults(emulator::Faults());
  EXPECT_TRUE(GroupExists("team"));
  EXPECT_EQ(Members("team"), (std::set<std::string>{"carol"}));
}

TFJ_INSTANTIATE_PROTOCOLS(JiraGroupMembersDestroyTest);

}  // namespace
}  // namespace tfjira::scenarios
