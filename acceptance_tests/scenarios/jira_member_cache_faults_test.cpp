// The group member cache end to end under injected faults (lost answers and 503s): many
// jira_group_membership resources in a few groups, and one jira_group_members, planned and
// applied by one provider process whose reads share the groups' member pages. No membership
// may be dropped (a later plan would create it again), kept after it is gone, or left over.
#include <map>
#include <set>
#include <string>

#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

constexpr int kUsers = 30;
constexpr int kGroups = 3;

std::string UserName(int i) { return "member" + std::to_string(i); }
std::string GroupName(int g) { return "cache-group-" + std::to_string(g); }

class JiraMemberCacheFaultsTest : public JiraScenario {
 protected:
  static emulator::Faults LostAnswersAnd503s() {
    emulator::Faults faults;
    faults.fault_rate = 0.2;
    faults.kinds = {"lost", "503"};
    faults.retry_after_s = 0;
    return faults;
  }
  void Configure(Workspace& ws) {
    for (int g = 0; g < kGroups; ++g) {
      ws.SetResource("jira_group", "g" + std::to_string(g), {{"name", S(GroupName(g))}});
    }
    for (int i = 0; i < kUsers; ++i) {
      ws.SetResource("jira_group_membership", "m" + std::to_string(i),
                     {{"group", Ref("jira_group.g" + std::to_string(i % kGroups), "name")},
                      {"username", S(UserName(i))}});
    }
    std::vector<tf::Value> team;
    for (int i = 0; i < 5; ++i) team.push_back(S(UserName(i)));
    ws.SetResource("jira_group_members", "team",
                   {{"group", S("team")},
                    {"usernames", tf::Value::Set(tf::Type::String(), std::move(team))}});
  }
  std::set<std::string> Expected(int g) {
    std::set<std::string> out;
    for (int i = g; i < kUsers; i += kGroups) out.insert(UserName(i));
    return out;
  }
  std::map<std::string, int> PlannedActions(const Workspace& ws) {
    std::map<std::string, int> out;
    for (const auto& c : ws.last_plan()) ++out[tfj::harness::ActionName(c.action)];
    return out;
  }
};

TEST_P(JiraMemberCacheFaultsTest, NoMembershipDroppedDuplicatedOrLeftOver) {
  for (int i = 0; i < kUsers; ++i) AddUser(UserName(i));
  ASSERT_TRUE(Admin().CreateGroup("team").ok());
  auto ws = NewWorkspace();
  Configure(*ws);

  SetFaults(LostAnswersAnd503s());
  TFJ_ASSERT_OK(ws->Apply());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  SetFaults(emulator::Faults());
  for (int g = 0; g < kGroups; ++g) EXPECT_EQ(Members(GroupName(g)), Expected(g)) << GroupName(g);
  EXPECT_EQ(Members("team"), (std::set<std::string>{"member0", "member1", "member2", "member3",
                                                    "member4"}));
  // The faults were injected (counted by kind in the emulator's statistics).
  const nlohmann::json faults = emu().Stats()["faults"];
  EXPECT_GT(faults.value("lost", 0), 0) << faults.dump();
  EXPECT_GT(faults.value("503", 0), 0) << faults.dump();

  // Drift by hand: three memberships removed, a user nobody manages added to a group, and one
  // added to the authoritative list. Exactly the three come back; the stranger in team goes.
  for (int i : {3, 7, 11}) {
    ASSERT_TRUE(Admin().RemoveUserFromGroup(GroupName(i % kGroups), UserName(i)).ok());
  }
  ASSERT_TRUE(Admin().AddUserToGroup(GroupName(0), "admin").ok());
  ASSERT_TRUE(Admin().AddUserToGroup("team", UserName(20)).ok());
  SetFaults(LostAnswersAnd503s());
  TFJ_ASSERT_OK(ws->Apply());
  auto actions = PlannedActions(*ws);
  EXPECT_EQ(actions["create"], 3);
  EXPECT_EQ(actions["update"], 1);  // jira_group_members.team
  EXPECT_EQ(actions["replace"] + actions["delete"], 0);
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  SetFaults(emulator::Faults());
  for (int g = 0; g < kGroups; ++g) {
    std::set<std::string> want = Expected(g);
    if (g == 0) want.insert("admin");  // not Terraform's: left alone
    EXPECT_EQ(Members(GroupName(g)), want) << GroupName(g);
  }
  EXPECT_EQ(Members("team").count(UserName(20)), 0u);

  // Destroy (jira_group_members first, through an apply: its group stays, which the
  // harness's destroy check would take for a leftover).
  SetFaults(LostAnswersAnd503s());
  ws->RemoveResource("jira_group_members", "team");
  TFJ_ASSERT_OK(ws->Apply());
  TFJ_ASSERT_OK(ws->Destroy());
  SetFaults(emulator::Faults());
  for (int g = 0; g < kGroups; ++g) EXPECT_FALSE(GroupExists(GroupName(g)));
  EXPECT_TRUE(GroupExists("team"));
  EXPECT_TRUE(Members("team").empty());
  for (int i = 0; i < kUsers; ++i) EXPECT_TRUE(UserExists(UserName(i)));  // never managed here
}

TFJ_INSTANTIATE_PROTOCOLS(JiraMemberCacheFaultsTest);

}  // namespace
}  // namespace tfjira::scenarios
