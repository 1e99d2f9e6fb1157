// Renaming a jira_user must change nothing in Jira but the user: group memberships and
// permission-scheme user grants are held by the user key, so they follow the rename in
// place, without a moment in which the account lacks its access.
#include <map>
#include <set>

#include <gmock/gmock.h>
#include <nlohmann/json.hpp>

#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

class JiraUserRenameTest : public JiraScenario {
 protected:
  void SetUp() override {
    JiraScenario::SetUp();
    ws_ = NewWorkspace();
    SetUser("gitlab");
    ws_->SetResource("jira_user", "other", {{"name", S("other")}, {"email", S("other@example.com")}});
    ws_->SetResource("jira_group", "devs", {{"name", S("gitlab-developers")}});
    ws_->SetResource("jira_group_membership", "m",
                     {{"group", Ref("jira_group.devs", "name")}, {"username", Ref("jira_user.gitlab", "name")}});
    std::vector<Attrs> grants = {
        {{"permission", S("ADMINISTER_PROJECTS")}, {"holder_type", S("user")},
         {"holder_parameter", Ref("jira_user.gitlab", "name")}},
        {{"permission", S("BROWSE_PROJECTS")}, {"holder_type", S("group")},
         {"holder_parameter", Ref("jira_group.devs", "name")}}};
    ws_->SetResource("jira_permission_scheme", "s",
                     {{"name", S("GitLab integration")},
                      {"grant", ws_->Blocks("jira_permission_scheme", "grant", grants)}});
  }
  void SetUser(const std::string& name) {
    ws_->SetResource("jira_user", "gitlab", {{"name", S(name)}, {"email", S("gitlab@example.com")}});
  }
  // Requests other than GET that the emulator answered, by route.
  std::map<std::string, int64_t> Writes() {
    std::map<std::string, int64_t> out;
    const nlohmann::json stats = emu().Stats();  // kept alive for the loop
    for (const auto& [route, n] : stats["requests"].items()) {
      if (route.rfind("GET ", 0) != 0) out[route] = n.get<int64_t>();
    }
    return out;
  }
  std::set<int64_t> GrantIds() {
    std::set<int64_t> ids;
    auto s = Admin().GetPermissionScheme(std::stoll(ws_->AttrString("jira_permission_scheme.s", "id")));
    EXPECT_TRUE(s.ok());
    if (s.ok()) {
      for (const auto& g : s->grants) ids.insert(g.id);
    }
    return ids;
  }
  std::unique_ptr<Workspace> ws_;
};

TEST_P(JiraUserRenameTest, MembershipAndGrantsFollowTheUserInPlace) {
  TFJ_ASSERT_OK(ws_->Apply());
  TFJ_ASSERT_OK(ws_->PlanMustBeEmpty());
  std::string key = ws_->AttrString("jira_user.gitlab", "key");
  EXPECT_EQ(ws_->AttrString("jira_group_membership.m", "user_key"), key);
  auto grants_before = GrantIds();
  auto writes_before = Writes();

  SetUser("gitlab-bot");
  TFJ_ASSERT_OK(ws_->Apply());
  EXPECT_EQ(ActionOf(*ws_, "jira_user.gitlab"), "update");
  EXPECT_EQ(ActionOf(*ws_, "jira_group_membership.m"), "update");
  EXPECT_EQ(ActionOf(*ws_, "jira_permission_scheme.s"), "update");

  // The only write was the rename itself: no membership removed or added, no grant
  // deleted or created.
  auto writes_after = Writes();
  std::map<std::string, int64_t> new_writes;
  for (const auto& [route, n] : writes_after) {
    int64_t before = writes_before.count(route) ? writes_before[route] : 0;
    if (n != before) new_writes[route] = n - before;
  }
  ASSERT_EQ(new_writes.size(), 1u) << ::testing::PrintToString(new_writes);
  EXPECT_EQ(new_writes.begin()->first.rfind("PUT /rest/api/2/user", 0), 0u) << new_writes.begin()->first;
  EXPECT_EQ(GrantIds(), grants_before);
  EXPECT_TRUE(IsMember("gitlab-developers", "gitlab-bot"));

  EXPECT_EQ(ws_->AttrString("jira_group_membership.m", "username"), "gitlab-bot");
  EXPECT_EQ(ws_->AttrString("jira_group_membership.m", "id"), "gitlab-developers/gitlab-bot");
  EXPECT_EQ(ws_->AttrString("jira_group_membership.m", "user_key"), key);
  TFJ_ASSERT_OK(ws_->PlanMustBeEmpty());
}

TEST_P(JiraUserRenameTest, MembershipOfAnotherUserStillMoves) {
  TFJ_ASSERT_OK(ws_->Apply());
  ws_->SetResource("jira_group_membership", "m",
                   {{"group", Ref("jira_group.devs", "name")}, {"username", Ref("jira_user.other", "name")}});
  TFJ_ASSERT_OK(ws_->Apply());
  EXPECT_EQ(ActionOf(*ws_, "jira_group_membership.m"), "replace");
  EXPECT_TRUE(IsMember("gitlab-developers", "other"));
  EXPECT_FALSE(IsMember("gitlab-developers", "gitlab"));
  EXPECT_EQ(ws_->AttrString("jira_group_membership.m", "user_key"), ws_->AttrString("jira_user.other", "key"));
  TFJ_ASSERT_OK(ws_->PlanMustBeEmpty());
}

// Renamed in Jira by hand: the membership is still found by key and takes the new name.
TEST_P(JiraUserRenameTest, RenamedByHandIsFoundByKey) {
  TFJ_ASSERT_OK(ws_->Apply());
  std::string key = ws_->AttrString("jira_user.gitlab", "key");
  jira::UserChanges changes;
  changes.name = "gitlab-renamed";
  ASSERT_TRUE(Admin().UpdateUser(key, changes).ok());
  // Configuration follows the new name: nothing to do for the membership.
  SetUser("gitlab-renamed");
  TFJ_ASSERT_OK(ws_->Apply());
  EXPECT_THAT(ActionOf(*ws_, "jira_group_membership.m"), ::testing::AnyOf("no-op", "absent"));
  EXPECT_TRUE(IsMember("gitlab-developers", "gitlab-renamed"));
  TFJ_ASSERT_OK(ws_->PlanMustBeEmpty());
}

TFJ_INSTANTIATE_PROTOCOLS(JiraUserRenameTest);

}  // namespace
}  // namespace tfjira::scenarios
