// jira_group and jira_group_membership handlers against the in-memory fake.
#include <gtest/gtest.h>

#include "resources/all.h"
#include "resources/testing/resource_testing.h"

namespace tfjira {
namespace {

using namespace tfjira::testing;  // NOLINT

class GroupMembershipTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tf::Diagnostics d;
    group_->Configure(DataFor(fake_), d);
    member_->Configure(DataFor(fake_), d);
    fake_->users["JIRAUSER10500"] = {{"JIRAUSER10500", "gitlab", "g@example.com", "GitLab", true, {}}, ""};
  }
  tf::CreateResponse Create(tf::Resource& r, const tf::Value& plan) {
    tf::CreateResponse resp{plan, "", {}};
    r.Create({plan, plan, "", {}}, resp);
    return resp;
  }
  tf::ReadResponse Read(tf::Resource& r, const tf::Value& state) {
    tf::ReadResponse resp{state, "", {}};
    r.Read({state, "", {}}, resp);
    return resp;
  }
  tf::DeleteResponse Delete(tf::Resource& r, const tf::Value& state) {
    tf::DeleteResponse resp;
    r.Delete({state, "", {}}, resp);
    return resp;
  }
  tf::Value Membership(const std::string& group, const std::string& user) {
    return Obj(member_->GetSchema(), {{"group", S(group)}, {"username", S(user)}});
  }

  std::shared_ptr<FakeJira> fake_ = std::make_shared<FakeJira>();
  std::unique_ptr<tf::Resource> group_ = NewGroupResource();
  std::unique_ptr<tf::Resource> member_ = NewGroupMembershipResource();
};

TEST_F(GroupMembershipTest, GroupCreateReadDelete) {
  auto plan = Obj(group_->GetSchema(), {{"name", S("Ops / Team")}});
  auto created = Create(*group_, plan);
  ASSERT_FALSE(created.diagnostics.HasError()) << created.diagnostics.ToString();
  EXPECT_EQ(tf::GetString(created.state, "id"), "Ops / Team");
  EXPECT_EQ(Read(*group_, created.state).state, created.state);
  auto dup = Create(*group_, Obj(group_->GetSchema(), {{"name", S("ops / team")}}));
  ASSERT_TRUE(dup.diagnostics.HasError());
  EXPECT_EQ(dup.diagnostics.items()[0].path->ToString(), "name");
  EXPECT_FALSE(Delete(*group_, created.state).diagnostics.HasError());
  EXPECT_TRUE(Read(*group_, created.state).state.is_null());
  EXPECT_FALSE(Delete(*group_, created.state).diagnostics.HasError());  // already gone
}

// Moved to a user who does not exist yet at plan time (created in the same run): the plan
// is an update, and the update adds the new member before removing the old one.
TEST_F(GroupMembershipTest, MovedToAUserCreatedInTheSameRun) {
  fake_->groups["devs"] = {};
  auto prior = Create(*member_, Membership("devs", "gitlab")).state;
  ASSERT_EQ(tf::GetString(prior, "user_key"), "JIRAUSER10500");
  auto proposed = Membership("devs", "third");
  tf::ModifyPlanResponse plan{proposed, {}, "", {}};
  member_->ModifyPlan({proposed, prior, proposed, "", {}}, plan);
  EXPECT_TRUE(plan.requires_replace.empty());
  EXPECT_FALSE(plan.planned_state.attr("user_key").is_known());
  EXPECT_EQ(tf::GetString(plan.planned_state, "id"), "devs/third");

  fake_->users["JIRAUSER10600"] = {{"JIRAUSER10600", "third", "t@example.com", "Third", true, {}}, ""};
  tf::UpdateResponse resp{plan.planned_state, "", {}};
  member_->Update({proposed, prior, plan.planned_state, "", {}}, resp);
  ASSERT_FALSE(resp.diagnostics.HasError()) << resp.diagnostics.ToString();
  EXPECT_EQ(fake_->groups["devs"], std::vector<std::string>{"JIRAUSER10600"});
  EXPECT_EQ(tf::GetString(resp.state, "user_key"), "JIRAUSER10600");
  EXPECT_EQ(tf::GetString(resp.state, "id"), "devs/third");
}

// Renamed: the new name has the member's key, so the plan keeps the key and the update
// writes nothing.
TEST_F(GroupMembershipTest, RenamedUserKeepsTheMembership) {
  fake_->groups["devs"] = {};
  auto prior = Create(*member_, Membership("devs", "gitlab")).state;
  fake_->users["JIRAUSER10500"].user.name = "gitlab-bot";
  auto proposed = Membership("devs", "gitlab-bot");
  tf::ModifyPlanResponse plan{proposed, {}, "", {}};
  member_->ModifyPlan({proposed, prior, proposed, "", {}}, plan);
  EXPECT_TRUE(plan.requires_replace.empty());
  EXPECT_EQ(tf::GetString(plan.planned_state, "user_key"), "JIRAUSER10500");
  tf::UpdateResponse resp{plan.planned_state, "", {}};
  member_->Update({proposed, prior, plan.planned_state, "", {}}, resp);
  ASSERT_FALSE(resp.diagnostics.HasError()) << resp.diagnostics.ToString();
  EXPECT_EQ(fake_->groups["devs"], std::vector<std::string>{"JIRAUSER10500"});
  EXPECT_EQ(resp.state, plan.planned_state);
}

// Import finds the group case-insensitively; state takes the spelling Jira holds.
TEST_F(GroupMembershipTest, GroupImportTakesJirasSpelling) {
  fake_->groups["gitlab-developers"] = {};
  tf::ImportResponse imp{Obj(group_->GetSchema(), {}), "", {}};
  group_->ImportState({"GitLab-Developers", {}}, imp);
  auto read = Read(*group_, imp.state);
  EXPECT_EQ(tf::GetString(read.state, "id"), "gitlab-developers");
  EXPECT_EQ(tf::GetString(read.state, "name"), "gitlab-developers");
}

TEST_F(GroupMembershipTest, AlreadyMemberOnCreateIsSuccess) {
  fake_->groups["devs"] = {"JIRAUSER10500"};
  auto resp = Create(*member_, Membership("devs", "gitlab"));
  ASSERT_FALSE(resp.diagnostics.HasError()) << resp.diagnostics.ToString();
  EXPECT_EQ(tf::GetString(resp.state, "id"), "devs/gitlab");
}

TEST_F(GroupMembershipTest, ReadDetectsEachWayTheMembershipCanGo) {
  for (int way = 0; way < 3; ++way) {
    fake_->groups["devs"] = {};
    auto state = Create(*member_, Membership("devs", "gitlab")).state;
    ASSERT_FALSE(Read(*member_, state).state.is_null());
    if (way == 0) fake_->groups["devs"].clear();
    if (way == 1) fake_->groups.erase("devs");
    if (way == 2) fake_->users.erase("JIRAUSER10500");
    // The next refresh is a new Terraform command: the provider is configured afresh (its
    // group member cache lives one configuration).
    tf::Diagnostics fresh;
    member_->Configure(DataFor(fake_), fresh);
    auto read = Read(*member_, state);
    EXPECT_FALSE(read.diagnostics.HasError());
    EXPECT_TRUE(read.state.is_null()) << "way " << way;
    fake_->users["JIRAUSER10500"] = {{"JIRAUSER10500", "gitlab", "g@example.com", "GitLab", true, {}}, ""};
  }
}

TEST_F(GroupMembershipTest, NotMemberOnDeleteIsSuccess) {
  fake_->groups["devs"] = {};
  auto state = Create(*member_, Membership("devs", "gitlab")).state;
  fake_->groups["devs"].clear();
  EXPECT_FALSE(Delete(*member_, state).diagnostics.HasError());
}

TEST_F(GroupMembershipTest, MissingGroupOrUserIsReportedOnItsAttribute) {
  auto no_group = Create(*member_, Membership("nope", "gitlab"));
  ASSERT_TRUE(no_group.diagnostics.HasError());
  EXPECT_EQ(no_group.diagnostics.items()[0].path->ToString(), "group");
  fake_->groups["devs"] = {};
  auto no_user = Create(*member_, Membership("devs", "nobody"));
  ASSERT_TRUE(no_user.diagnostics.HasError());
  EXPECT_EQ(no_user.diagnostics.items()[0].path->ToString(), "username");
}

TEST_F(GroupMembershipTest, ImportsGroupNamesWithSlashes) {
  fake_->groups["team/ops"] = {"JIRAUSER10500"};
  tf::ImportResponse imp{Obj(member_->GetSchema(), {}), "", {}};
  member_->ImportState({"team/ops/gitlab", {}}, imp);
  ASSERT_FALSE(imp.diagnostics.HasError());
  auto read = Read(*member_, imp.state);
  ASSERT_FALSE(read.state.is_null());
  EXPECT_EQ(tf::GetString(read.state, "group"), "team/ops");
  EXPECT_EQ(tf::GetString(read.state, "username"), "gitlab");
  tf::ImportResponse bad{Obj(member_->GetSchema(), {}), "", {}};
  member_->ImportState({"no-separator", {}}, bad);
  EXPECT_TRUE(bad.diagnostics.HasError());
}

}  // namespace
}  // namespace tfjira
