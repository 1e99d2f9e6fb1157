// Moving from fourplusone/jira under protocols 5 and 6. The states below are written in
// fourplusone's format (SDKv2, schema version 0, every attribute a string, `id` stored as an
// attribute too), built from its documented schema: jira_user {id = user key, name, email,
// display_name}, jira_group {id = name, name}, jira_group_membership {id =
// "<username>:<group>", username, group}. Both ways are exercised: state handed over as is
// (replace-provider: UpgradeResourceState, JSON and flatmap) and `moved` blocks
// (MoveResourceState). Neither may call Jira; the refresh that follows reads the rest.
#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

using tfj::harness::MoveSource;

constexpr const char* kFourplusone = "registry.terraform.io/fourplusone/jira";

class JiraMigrateTest : public JiraScenario {
 protected:
  // The objects fourplusone managed, created in Jira directly. `user` may contain ':'.
  std::string Seed(const std::string& user, const std::string& group) {
    jira::NewUser nu;
    nu.name = user;
    nu.email = "svc@example.com";
    nu.display_name = "Service account";
    auto created = Admin().CreateUser(nu);
    EXPECT_TRUE(created.ok()) << created.error().Message();
    EXPECT_TRUE(Admin().CreateGroup(group).ok());
    EXPECT_TRUE(Admin().AddUserToGroup(group, user).ok());
    return created.ok() ? created->key : "";
  }
  static std::string UserJson(const std::string& key, const std::string& user) {
    return R"({"id":")" + key + R"(","name":")" + user +
           R"(","email":"svc@example.com","display_name":"Service account"})";
  }
  static std::string GroupJson(const std::string& group) {
    return R"({"id":")" + group + R"(","name":")" + group + R"("})";
  }
  static std::string MembershipJson(const std::string& user, const std::string& group) {
    return R"({"id":")" + user + ":" + group + R"(","username":")" + user + R"(","group":")" + group + R"("})";
  }
  void Configure(Workspace& ws, const std::string& user, const std::string& group) {
    ws.SetResource("jira_user", "svc", {{"name", S(user)}, {"email", S("svc@example.com")},
                                        {"display_name", S("Service account")}});
    ws.SetResource("jira_group", "ops", {{"name", S(group)}});
    ws.SetResource("jira_group_membership", "svc",
                   {{"group", Ref("jira_group.ops", "name")}, {"username", Ref("jira_user.svc", "name")}});
  }
  void ExpectOurs(Workspace& ws, const std::string& key, const std::string& user, const std::string& group) {
    EXPECT_EQ(ws.AttrString("jira_user.svc", "id"), key);
    EXPECT_EQ(ws.AttrString("jira_user.svc", "key"), key);
    EXPECT_EQ(ws.AttrString("jira_group.ops", "id"), group);
    // Rebuilt from username and group, never parsed from "<username>:<group>".
    EXPECT_EQ(ws.AttrString("jira_group_membership.svc", "id"), group + "/" + user);
  }
};

TEST_P(JiraMigrateTest, ReplaceProviderStatePlansEmpty) {
  const std::string user = "svc:ci", group = "ops";
  std::string key = Seed(user, group);
  auto ws = NewWorkspace();
  ws->PutRawState("jira_user", "svc", 0, UserJson(key, user));
  ws->PutRawState("jira_group", "ops", 0, GroupJson(group));
  ws->PutRawState("jira_group_membership", "svc", 0, MembershipJson(user, group));
  Configure(*ws, user, group);
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  ExpectOurs(*ws, key, user, group);
  EXPECT_EQ(ws->Attr("jira_user.svc", "active"), B(true));  // read by the refresh
}

TEST_P(JiraMigrateTest, UpgradeAloneBuildsOurIdsWithoutJira) {
  auto ws = NewWorkspace();
  // Nothing exists in Jira: the upgrade must not need it.
  auto up = ws->driver().UpgradeResourceState("jira_group_membership", 0, MembershipJson("a:b", "g"));
  ASSERT_FALSE(up.diagnostics.HasError()) << up.diagnostics.ToString();
  EXPECT_EQ(tf::GetString(up.state, "id"), "g/a:b");
  auto user = ws->driver().UpgradeResourceState(
      "jira_user", 0, R"({"id":"JIRAUSER10500","name":"a","email":"a@example.com","display_name":"A","extra":"x"})");
  ASSERT_FALSE(user.diagnostics.HasError()) << user.diagnostics.ToString();
  EXPECT_EQ(tf::GetString(user.state, "key"), "JIRAUSER10500");
  EXPECT_EQ(tf::GetString(user.state, "display_name"), "A");
}

TEST_P(JiraMigrateTest, FlatmapStatePlansEmpty) {
  const std::string user = "svc", group = "ops";
  std::string key = Seed(user, group);
  auto ws = NewWorkspace();
  ws->PutRawState("jira_user", "svc", 0, "",
                  {{"id", key}, {"name", user}, {"email", "svc@example.com"}, {"display_name", "Service account"}});
  ws->PutRawState("jira_group", "ops", 0, "", {{"id", group}, {"name", group}});
  ws->PutRawState("jira_group_membership", "svc", 0, "",
                  {{"id", user + ":" + group}, {"username", user}, {"group", group}});
  Configure(*ws, user, group);
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  ExpectOurs(*ws, key, user, group);
}

TEST_P(JiraMigrateTest, MovedBlocksPlanEmpty) {
  const std::string user = "svc:ci", group = "ops";
  std::string key = Seed(user, group);
  auto ws = NewWorkspace();
  TFJ_ASSERT_OK(ws->Move(MoveSource{kFourplusone, "jira_user", 0, UserJson(key, user)}, "jira_user", "svc"));
  TFJ_ASSERT_OK(ws->Move(MoveSource{kFourplusone, "jira_group", 0, GroupJson(group)}, "jira_group", "ops"));
  TFJ_ASSERT_OK(ws->Move(MoveSource{kFourplusone, "jira_group_membership", 0, MembershipJson(user, group)},
                         "jira_group_membership", "svc"));
  // Straight from the move, before any refresh.
  ExpectOurs(*ws, key, user, group);
  Configure(*ws, user, group);
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  ExpectOurs(*ws, key, user, group);
}

TEST_P(JiraMigrateTest, MovesFromAnythingElseAreRefused) {
  auto ws = NewWorkspace();
  tfj::harness::Status project = ws->Move(
      MoveSource{kFourplusone, "jira_project", 0, R"({"id":"10000","key":"OPS","name":"Ops"})"}, "jira_group", "p");
  ASSERT_FALSE(project.ok());
  EXPECT_NE(project.message().find("Unsupported resource move"), std::string::npos) << project;
  EXPECT_NE(project.message().find("jira_project of registry.terraform.io/fourplusone/jira"), std::string::npos)
      << project;
  // The right type name from another provider, or fourplusone's type under another name.
  EXPECT_FALSE(ws->Move(MoveSource{"registry.terraform.io/acme/jira", "jira_group", 0, GroupJson("g")},
                        "jira_group", "a").ok());
  EXPECT_FALSE(ws->Move(MoveSource{kFourplusone, "jira_user", 0, GroupJson("g")}, "jira_group", "b").ok());
  EXPECT_FALSE(ws->HasState("jira_group.p"));
  EXPECT_TRUE(ws->driver().Schemas().move_resource_state);
}

TFJ_INSTANTIATE_PROTOCOLS(JiraMigrateTest);

}  // namespace
}  // namespace tfjira::scenarios
