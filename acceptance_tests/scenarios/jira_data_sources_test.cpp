// The jira_user, jira_group and jira_permission_scheme data sources: read and not-found.
#include <set>

#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

class JiraDataSourcesTest : public JiraScenario {
 protected:
  void SetUp() override {
    JiraScenario::SetUp();
    jira::NewUser nu{"gitlab", "gitlab@example.com", "GitLab integration", std::nullopt, false};
    auto user = Admin().CreateUser(nu);
    ASSERT_TRUE(user.ok());
    key_ = user->key;
    ASSERT_TRUE(Admin().CreateGroup("gitlab-developers").ok());
    ASSERT_TRUE(Admin().AddUserToGroup("gitlab-developers", "gitlab").ok());
    ASSERT_TRUE(Admin().AddUserToGroup("gitlab-developers", "admin").ok());
    jira::PermissionScheme s;
    s.name = "GitLab integration";
    s.description = "For GitLab";
    s.grants = {{0, "ADMINISTER_PROJECTS", {"group", "gitlab-developers"}},
                {0, "BROWSE_PROJECTS", {"user", key_}},
                {0, "BROWSE_PROJECTS", {"projectLead", ""}}};
    auto created = Admin().CreatePermissionScheme(s);
    ASSERT_TRUE(created.ok()) << created.error().Message();
    scheme_id_ = created->id;
  }
  std::string key_;
  int64_t scheme_id_ = 0;
};

TEST_P(JiraDataSourcesTest, ReadUserByNameAndByKey) {
  auto ws = NewWorkspace();
  ws->SetDataSource("jira_user", "by_name", {{"name", S("GitLab")}});
  ws->SetDataSource("jira_user", "by_key", {{"key", S(key_)}});
  TFJ_ASSERT_OK(ws->Apply());
  for (const char* addr : {"data.jira_user.by_name", "data.jira_user.by_key"}) {
    tf::Value v = ws->DataState(addr);
    EXPECT_EQ(tf::GetString(v, "id"), key_) << addr;
    EXPECT_EQ(tf::GetString(v, "key"), key_) << addr;
    EXPECT_EQ(tf::GetString(v, "email"), "gitlab@example.com") << addr;
    EXPECT_EQ(tf::GetString(v, "display_name"), "GitLab integration") << addr;
    EXPECT_EQ(tf::GetBool(v, "active"), true) << addr;
  }
  EXPECT_EQ(tf::GetString(ws->DataState("data.jira_user.by_key"), "name"), "gitlab");
}

TEST_P(JiraDataSourcesTest, ReadGroupWithMembers) {
  auto ws = NewWorkspace();
  ws->SetDataSource("jira_group", "g", {{"name", S("gitlab-developers")}});
  TFJ_ASSERT_OK(ws->Apply());
  tf::Value v = ws->DataState("data.jira_group.g");
  EXPECT_EQ(tf::GetString(v, "id"), "gitlab-developers");
  std::vector<std::string> members;
  for (const auto& m : v.attr("members").items()) members.push_back(m.as_string());
  EXPECT_EQ(members, (std::vector<std::string>{"admin", "gitlab"}));
}

TEST_P(JiraDataSourcesTest, ReadPermissionSchemeWithGrants) {
  auto ws = NewWorkspace();
  ws->SetDataSource("jira_permission_scheme", "s", {{"name", S("GitLab integration")}});
  TFJ_ASSERT_OK(ws->Apply());
  tf::Value v = ws->DataState("data.jira_permission_scheme.s");
  EXPECT_EQ(tf::GetString(v, "id"), std::to_string(scheme_id_));
  EXPECT_EQ(tf::GetString(v, "description"), "For GitLab");
  std::set<std::string> grants;
  for (const auto& g : v.attr("grant").items()) {
    grants.insert(tf::GetString(g, "permission").value() + "|" +
                  tf::GetString(g, "holder_type").value() + "|" +
                  tf::GetString(g, "holder_parameter").value_or("<null>"));
  }
  EXPECT_EQ(grants, (std::set<std::string>{"ADMINISTER_PROJECTS|group|gitlab-developers",
                                           "BROWSE_PROJECTS|user|gitlab",
                                           "BROWSE_PROJECTS|projectLead|<null>"}));
}

TEST_P(JiraDataSourcesTest, NotFoundIsAClearErrorOnTheLookupAttribute) {
  struct Case { std::string type; Attrs attrs; std::string summary; std::string path; };
  std::vector<Case> cases = {
      {"jira_user", {{"name", S("nobody")}}, "Jira user not found", "name"},
      {"jira_user", {{"key", S("JIRAUSER99999")}}, "Jira user not found", "key"},
      {"jira_group", {{"name", S("no-such-group")}}, "Jira group not found", "name"},
      {"jira_permission_scheme", {{"name", S("No such scheme")}}, "Permission scheme not found", "name"},
  };
  for (const auto& c : cases) {
    auto ws = NewWorkspace();
    ws->SetDataSource(c.type, "x", c.attrs);
    EXPECT_FALSE(ws->Apply().ok()) << c.type;
    bool found = false;
    for (const auto& d : ws->last_diagnostics()) {
      found |= d.summary == c.summary && d.path && d.path->ToString() == c.path;
    }
    EXPECT_TRUE(found) << c.type << ": " << ws->last_diagnostics().ToString();
  }
  auto ws = NewWorkspace();
  ws->SetDataSource("jira_user", "x", {});
  TFJ_EXPECT_ERROR_CONTAINS(ws->Apply(), "Missing lookup attribute");
}

TFJ_INSTANTIATE_PROTOCOLS(JiraDataSourcesTest);

}  // namespace
}  // namespace tfjira::scenarios
