// jira_group_members through the real terraform CLI (label cli), under protocol 6
// (dev_overrides) and protocol 5 (reattach): destroy removes exactly the listed users and
// keeps the group, including a user who was a member (added by hand) before the
// configuration listed them, whose listing shows in the plan as a change to
// removed_on_destroy and leaves the next plan empty; a user added by hand and never listed
// stays; an import adopts the members it finds. Every check of Jira is made through REST.
// Skipped, with the reason, when terraform is not on PATH.
#include <set>
#include <string>
#include <vector>

#include "acceptance_tests/scenarios/jira_cli_fixture.h"

namespace tfjira::scenarios {
namespace {

class JiraGroupMembersDestroyCliTest : public JiraCliScenario {
 protected:
  void MakeUsersAndGroup() {
    AddUser("alice");
    AddUser("bob");
    AddUser("carol");
    ASSERT_TRUE(Admin().CreateGroup("team").ok());
  }
  static std::string MembersHcl(const std::vector<std::string>& names) {
    std::string list;
    for (const auto& n : names) list += (list.empty() ? "" : ", ") + Quote(n);
    return std::string(kJiraHclHeader) + R"(
resource "jira_group_members" "team" {
  group     = "team"
  usernames = [)" + list + R"(]
}
)";
  }
};

TEST_P(JiraGroupMembersDestroyCliTest, MemberAddedByHandThenListedIsRemovedByDestroy) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  MakeUsersAndGroup();
  auto tf = NewCli();
  tf->WriteMainTf(MembersHcl({"alice"}));
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "create");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after create must be empty");

  // bob joins by hand, then the configuration lists him: Jira's members already match, and
  // the plan shows why it is not empty (destroy will now remove bob too).
  ASSERT_TRUE(Admin().AddUserToGroup("team", "bob").ok());
  tf->WriteMainTf(MembersHcl({"alice", "bob"}));
  CliResult r = tf->Plan();
  EXPECT_EQ(r.exit_code, 2) << r.Describe();
  EXPECT_NE(r.out.find("removed_on_destroy"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("+ \"bob\""), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("usernames "), std::string::npos) << "no membership changes: " << r.out;
  EXPECT_NE(r.out.find("updated in-place"), std::string::npos) << r.out;
  EXPECT_EQ(ActionsInPlan(*tf, "jira_group_members.team"), "update");
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "apply the listing");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after the listing must be empty");
  EXPECT_EQ(Members("team"), (std::set<std::string>{"alice", "bob"}));

  TFJ_ASSERT_EXIT(tf->Destroy(), 0, "destroy");
  EXPECT_TRUE(GroupExists("team"));
  EXPECT_FALSE(IsMember("team", "alice"));
  EXPECT_FALSE(IsMember("team", "bob"));
  EXPECT_TRUE(Members("team").empty());
}

TEST_P(JiraGroupMembersDestroyCliTest, MemberAddedByHandAndNeverListedIsLeftByDestroy) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  MakeUsersAndGroup();
  auto tf = NewCli();
  tf->WriteMainTf(MembersHcl({"alice", "bob"}));
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "create");
  ASSERT_TRUE(Admin().AddUserToGroup("team", "carol").ok());
  TFJ_EXPECT_EXIT(tf->Plan(), 2, "carol added by hand is drift");
  TFJ_ASSERT_EXIT(tf->Destroy(), 0, "destroy");
  EXPECT_TRUE(GroupExists("team"));
  EXPECT_EQ(Members("team"), (std::set<std::string>{"carol"}));
}

TEST_P(JiraGroupMembersDestroyCliTest, ImportIntoAFreshDirectoryThenDestroy) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  MakeUsersAndGroup();
  ASSERT_TRUE(Admin().AddUserToGroup("team", "alice").ok());
  ASSERT_TRUE(Admin().AddUserToGroup("team", "bob").ok());
  auto tf = NewCli();
  tf->WriteMainTf(MembersHcl({"alice", "bob"}));
  CliResult r = tf->Import("jira_group_members.team", "team");
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after import must be empty");

  // carol joins by hand after the import and is never listed: destroy leaves her.
  ASSERT_TRUE(Admin().AddUserToGroup("team", "carol").ok());
  TFJ_ASSERT_EXIT(tf->Destroy(), 0, "destroy");
  EXPECT_TRUE(GroupExists("team"));
  EXPECT_EQ(Members("team"), (std::set<std::string>{"carol"}));
}

TFJ_INSTANTIATE_PROTOCOLS(JiraGroupMembersDestroyCliTest);

}  // namespace
}  // namespace tfjira::scenarios
