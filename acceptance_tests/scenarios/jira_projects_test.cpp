// jira_project_permission_scheme, jira_group_members, jira_permission_scheme_grant and the
// jira_project / jira_projects data sources end to end against the emulator.
#include <set>

#include "acceptance_tests/emulator/router.h"
#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

bool HasDiagnosticAt(const Workspace& ws, const std::string& path) {
  for (const auto& d : ws.last_diagnostics()) {
    if (d.path && d.path->ToString() == path) return true;
  }
  return false;
}

class JiraProjectsScenario : public JiraScenario {
 protected:
  // A project as an administrator would create it (the emulator's own store).
  void AddProject(const std::string& key, const std::string& name, int64_t category = 0,
                  const std::string& type = "software") {
    emu().router().WithStore([&](emulator::Store& s) {
      emulator::Project p;
      p.id = s.next_id++;
      p.key = key;
      p.name = name;
      p.lead_key = s.FindUserByName("admin")->key;
      p.category_id = category;
      p.type_key = type;
      s.projects[p.id] = p;
    });
  }
};

// ---- jira_project_permission_scheme

using JiraProjectPermissionSchemeTest = JiraProjectsScenario;

TEST_P(JiraProjectPermissionSchemeTest, AssignUpdateDriftImportAndRestoreOnDestroy) {
  AddProject("OPS", "Operations");
  int64_t before = NewScheme("Before");
  ASSERT_TRUE(Admin().AssignSchemeToProject("GL", before).ok());
  auto ws = NewWorkspace();
  ws->SetResource("jira_permission_scheme", "a", {{"name", S("A")}});
  ws->SetResource("jira_permission_scheme", "b", {{"name", S("B")}});
  ws->SetResource("jira_project_permission_scheme", "gl",
                  {{"project_key", S("gl")}, {"scheme_id", Ref("jira_permission_scheme.a", "id")}});
  TFJ_ASSERT_OK(ws->Apply());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  const int64_t a = std::stoll(ws->AttrString("jira_permission_scheme.a", "id"));
  const int64_t b = std::stoll(ws->AttrString("jira_permission_scheme.b", "id"));
  EXPECT_EQ(SchemeOf("GL"), a);
  EXPECT_EQ(ws->AttrString("jira_project_permission_scheme.gl", "id"), "GL");

  // Letter case of the key alone is no change.
  ws->SetResource("jira_project_permission_scheme", "gl",
                  {{"project_key", S("GL")}, {"scheme_id", Ref("jira_permission_scheme.a", "id")}});
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  // Another scheme: updated in place.
  ws->SetResource("jira_project_permission_scheme", "gl",
                  {{"project_key", S("GL")}, {"scheme_id", Ref("jira_permission_scheme.b", "id")}});
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_project_permission_scheme.gl"), "update");
  EXPECT_EQ(SchemeOf("GL"), b);
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  // Drift: assigned another scheme by hand, put back.
  ASSERT_TRUE(Admin().AssignSchemeToProject("GL", 0).ok());
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_project_permission_scheme.gl"), "update");
  EXPECT_EQ(SchemeOf("GL"), b);
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  // Import into a fresh workspace, then an empty plan.
  auto fresh = NewWorkspace();
  fresh->SetResource("jira_project_permission_scheme", "gl",
                     {{"project_key", S("GL")}, {"scheme_id", S(std::to_string(b))}});
  TFJ_ASSERT_OK(fresh->Import("jira_project_permission_scheme", "gl", "GL"));
  TFJ_ASSERT_OK(fresh->PlanMustBeEmpty());

  // Another project: replacement; the old project goes back to the scheme it had before.
  ws->SetResource("jira_project_permission_scheme", "gl",
                  {{"project_key", S("OPS")}, {"scheme_id", Ref("jira_permission_scheme.b", "id")}});
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_project_permission_scheme.gl"), "replace");
  EXPECT_EQ(SchemeOf("GL"), before);
  EXPECT_EQ(SchemeOf("OPS"), b);

  // Destroy: OPS was on the default scheme before.
  ws->RemoveResource("jira_project_permission_scheme", "gl");
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(SchemeOf("OPS"), 0);
}

TEST_P(JiraProjectPermissionSchemeTest, DestroyFallsBackToDefaultWhenEarlierSchemeIsGone) {
  int64_t before = NewScheme("Gone soon");
  ASSERT_TRUE(Admin().AssignSchemeToProject("GL", before).ok());
  auto ws = NewWorkspace();
  ws->SetResource("jira_permission_scheme", "a", {{"name", S("A")}});
  ws->SetResource("jira_project_permission_scheme", "gl",
                  {{"project_key", S("GL")}, {"scheme_id", Ref("jira_permission_scheme.a", "id")}});
  TFJ_ASSERT_OK(ws->Apply());
  ASSERT_TRUE(Admin().DeletePermissionScheme(before).ok());
  // Destroy (a project always has some scheme, so it is checked through REST, not by a read).
  ws->RemoveResource("jira_project_permission_scheme", "gl");
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(SchemeOf("GL"), 0);
}

TEST_P(JiraProjectPermissionSchemeTest, ProjectDeletedByHandLeavesState) {
  AddProject("TMP", "Temporary");
  auto ws = NewWorkspace();
  ws->SetResource("jira_project_permission_scheme", "p",
                  {{"project_key", S("TMP")}, {"scheme_id", S("0")}});
  TFJ_ASSERT_OK(ws->Apply());
  emu().router().WithStore([](emulator::Store& s) { s.projects.erase(s.FindProject("TMP")->id); });
  TFJ_ASSERT_OK(ws->Refresh());
  EXPECT_TRUE(ws->Attr("jira_project_permission_scheme.p", "id").is_null());
}

TEST_P(JiraProjectPermissionSchemeTest, BadInputGetsTheRightDiagnostic) {
  auto ws = NewWorkspace();
  ws->SetResource("jira_project_permission_scheme", "p",
                  {{"project_key", S("NOPE")}, {"scheme_id", S("0")}});
  EXPECT_FALSE(ws->Apply().ok());
  EXPECT_TRUE(HasDiagnosticAt(*ws, "project_key")) << ws->last_diagnostics().ToString();

  ws->SetResource("jira_project_permission_scheme", "p",
                  {{"project_key", S("GL")}, {"scheme_id", S("ten")}});
  EXPECT_FALSE(ws->Apply().ok());
  EXPECT_TRUE(HasDiagnosticAt(*ws, "scheme_id")) << ws->last_diagnostics().ToString();

  ws->SetResource("jira_project_permission_scheme", "p",
                  {{"project_key", S("GL")}, {"scheme_id", S("987654")}});
  EXPECT_FALSE(ws->Apply().ok());
  EXPECT_TRUE(HasDiagnosticAt(*ws, "scheme_id")) << ws->last_diagnostics().ToString();
  EXPECT_EQ(SchemeOf("GL"), 0);

  auto other = NewWorkspace();
  TFJ_EXPECT_ERROR_CONTAINS(other->Import("jira_project_permission_scheme", "p", "a/b"),
                            "Invalid import id");
}

// ---- jira_group_members

using JiraGroupMembersTest = JiraProjectsScenario;

TEST_P(JiraGroupMembersTest, AuthoritativeMembersDriftImportAndDestroy) {
  AddUser("Alice");
  AddUser("bob");
  AddUser("carol");
  auto ws = NewWorkspace();
  ws->SetResource("jira_group", "g", {{"name", S("team")}});
  ws->SetResource("jira_group_members", "m",
                  {{"group", Ref("jira_group.g", "name")}, {"usernames", StringSet({"alice", "bob"})}});
  TFJ_ASSERT_OK(ws->Apply());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  EXPECT_EQ(Members("team"), (std::set<std::string>{"Alice", "bob"}));

  // Letter case alone is no change.
  ws->SetResource("jira_group_members", "m",
                  {{"group", Ref("jira_group.g", "name")}, {"usernames", StringSet({"ALICE", "Bob"})}});
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  // In place: bob out, carol in.
  ws->SetResource("jira_group_members", "m",
                  {{"group", Ref("jira_group.g", "name")}, {"usernames", StringSet({"alice", "carol"})}});
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_group_members.m"), "update");
  EXPECT_EQ(Members("team"), (std::set<std::string>{"Alice", "carol"}));
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  // Drift: bob added by hand and carol removed by hand; apply restores the list.
  ASSERT_TRUE(Admin().AddUserToGroup("team", "bob").ok());
  ASSERT_TRUE(Admin().RemoveUserFromGroup("team", "carol").ok());
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_group_members.m"), "update");
  EXPECT_EQ(Members("team"), (std::set<std::string>{"Alice", "carol"}));
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  // Import into a fresh workspace, then an empty plan.
  auto fresh = NewWorkspace();
  fresh->SetResource("jira_group_members", "m",
                     {{"group", S("team")}, {"usernames", StringSet({"alice", "carol"})}});
  TFJ_ASSERT_OK(fresh->Import("jira_group_members", "m", "team"));
  TFJ_ASSERT_OK(fresh->PlanMustBeEmpty());

  // Another group: replacement. The old group keeps existing, without the listed members.
  ASSERT_TRUE(Admin().CreateGroup("team2").ok());
  ASSERT_TRUE(Admin().AddUserToGroup("team", "bob").ok());  // not listed: must survive destroy
  ws->SetResource("jira_group_members", "m",
                  {{"group", S("team2")}, {"usernames", StringSet({"bob"})}});
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_group_members.m"), "replace");
  EXPECT_EQ(Members("team"), (std::set<std::string>{"bob"}));
  EXPECT_EQ(Members("team2"), (std::set<std::string>{"bob"}));

  ws->RemoveResource("jira_group_members", "m");
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_TRUE(GroupExists("team2"));
  EXPECT_TRUE(Members("team2").empty());
}

TEST_P(JiraGroupMembersTest, ReadsPagesOfFiftyAndKeepsInactiveUsers) {
  ASSERT_TRUE(Admin().CreateGroup("big").ok());
  std::vector<std::string> names;
  for (int i = 0; i < 120; ++i) {
    names.push_back("user" + std::to_string(i));
    AddUser(names.back());
    ASSERT_TRUE(Admin().AddUserToGroup("big", names.back()).ok());
  }
  jira::UserChanges off;
  off.active = false;
  ASSERT_TRUE(Admin().UpdateUser(Admin().GetUserByName("user7")->key, off).ok());
  auto ws = NewWorkspace();
  ws->SetResource("jira_group_members", "m", {{"group", S("big")}, {"usernames", StringSet(names)}});
  TFJ_ASSERT_OK(ws->Import("jira_group_members", "m", "big"));
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  EXPECT_EQ(ws->Attr("jira_group_members.m", "usernames").items().size(), 120u);
}

TEST_P(JiraGroupMembersTest, BadInputAndWarningWhenCombinedWithMembership) {
  auto ws = NewWorkspace();
  ws->SetResource("jira_group_members", "m",
                  {{"group", S("no-such-group")}, {"usernames", StringSet({"admin"})}});
  EXPECT_FALSE(ws->Apply().ok());
  EXPECT_TRUE(HasDiagnosticAt(*ws, "group")) << ws->last_diagnostics().ToString();

  ws->SetResource("jira_group_members", "m",
                  {{"group", S("jira-software-users")}, {"usernames", StringSet({"admin", "nobody"})}});
  EXPECT_FALSE(ws->Apply().ok());
  EXPECT_TRUE(HasDiagnosticAt(*ws, "usernames")) << ws->last_diagnostics().ToString();

  ws->SetResource("jira_group_members", "m",
                  {{"group", S("jira-software-users")}, {"usernames", StringSet({"admin", "ADMIN"})}});
  EXPECT_FALSE(ws->Apply().ok());
  EXPECT_TRUE(HasDiagnosticAt(*ws, "usernames")) << ws->last_diagnostics().ToString();

  auto both = NewWorkspace();
  ASSERT_TRUE(Admin().CreateGroup("shared").ok());
  both->SetResource("jira_group_members", "m",
                    {{"group", S("shared")}, {"usernames", StringSet({"admin"})}});
  both->SetResource("jira_group_membership", "x", {{"group", S("Shared")}, {"username", S("admin")}});
  std::vector<tfj::harness::PlannedChange> changes;
  TFJ_ASSERT_OK(both->Plan(&changes));
  bool warned = false;
  for (const auto& d : both->last_diagnostics()) {
    warned |= d.summary == "Group managed twice";
  }
  EXPECT_TRUE(warned) << both->last_diagnostics().ToString();
}

// ---- jira_permission_scheme_grant

using JiraPermissionSchemeGrantTest = JiraProjectsScenario;

TEST_P(JiraPermissionSchemeGrantTest, CreateReplaceRecreateImportDestroy) {
  AddUser("gitlab");
  auto ws = NewWorkspace();
  ws->SetResource("jira_permission_scheme_grant", "g",
                  {{"scheme_id", S("0")},
                   {"permission", S("ADMINISTER_PROJECTS")},
                   {"holder_type", S("user")},
                   {"holder_parameter", S("GitLab")}});
  TFJ_ASSERT_OK(ws->Apply());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  std::string id = ws->AttrString("jira_permission_scheme_grant.g", "id");
  ASSERT_EQ(id.rfind("0/", 0), 0u) << id;
  int64_t grant_id = std::stoll(id.substr(2));
  auto g = Admin().GetGrant(0, grant_id);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->holder.parameter, Admin().GetUserByName("gitlab")->key);  // keys in Jira

  // Import into a fresh workspace, then an empty plan.
  auto fresh = NewWorkspace();
  fresh->SetResource("jira_permission_scheme_grant", "g",
                     {{"scheme_id", S("0")},
                      {"permission", S("ADMINISTER_PROJECTS")},
                      {"holder_type", S("user")},
                      {"holder_parameter", S("gitlab")}});
  TFJ_ASSERT_OK(fresh->Import("jira_permission_scheme_grant", "g", id));
  TFJ_ASSERT_OK(fresh->PlanMustBeEmpty());

  // Deleted by hand: created again.
  ASSERT_TRUE(Admin().DeleteGrant(0, grant_id).ok());
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_permission_scheme_grant.g"), "create");
  std::string again = ws->AttrString("jira_permission_scheme_grant.g", "id");
  EXPECT_TRUE(Admin().GetGrant(0, std::stoll(again.substr(2))).ok());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  // Another permission: replacement, the old grant goes.
  ws->SetResource("jira_permission_scheme_grant", "g",
                  {{"scheme_id", S("0")},
                   {"permission", S("BROWSE_PROJECTS")},
                   {"holder_type", S("group")},
                   {"holder_parameter", S("jira-administrators")}});
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ActionOf(*ws, "jira_permission_scheme_grant.g"), "replace");
  EXPECT_FALSE(Admin().GetGrant(0, std::stoll(again.substr(2))).ok());
  std::string replaced = ws->AttrString("jira_permission_scheme_grant.g", "id");
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  TFJ_ASSERT_OK(ws->Destroy());
  auto gone = Admin().GetGrant(0, std::stoll(replaced.substr(2)));
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().kind, jira::ErrorKind::kNotFound);
  EXPECT_TRUE(Admin().GetPermissionScheme(0).ok());  // the scheme itself stays
}

TEST_P(JiraPermissionSchemeGrantTest, ExistingIdenticalGrantIsAdoptedNotDuplicated) {
  jira::PermissionGrant g;
  g.permission = "EDIT_ISSUES";
  g.holder = {"group", "jira-administrators"};
  auto made = Admin().AddGrant(0, g);
  ASSERT_TRUE(made.ok());
  auto ws = NewWorkspace();
  ws->SetResource("jira_permission_scheme_grant", "g",
                  {{"scheme_id", S("0")},
                   {"permission", S("EDIT_ISSUES")},
                   {"holder_type", S("group")},
                   {"holder_parameter", S("JIRA-Administrators")}});
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_EQ(ws->AttrString("jira_permission_scheme_grant.g", "id"), "0/" + std::to_string(made->id));
  int count = 0;
  auto grants = Admin().ListGrants(0);
  ASSERT_TRUE(grants.ok());
  for (const auto& x : grants.value()) {
    count += x.permission == "EDIT_ISSUES" && x.holder.type == "group";
  }
  EXPECT_EQ(count, 1);
}

TEST_P(JiraPermissionSchemeGrantTest, BadInputGetsTheRightDiagnostic) {
  auto ws = NewWorkspace();
  auto set = [&](std::string scheme, std::string perm, std::string type,
                 std::optional<std::string> param) {
    Attrs a{{"scheme_id", S(scheme)}, {"permission", S(perm)}, {"holder_type", S(type)}};
    if (param) a["holder_parameter"] = S(*param);
    ws->SetResource("jira_permission_scheme_grant", "g", a);
  };
  set("0", "BROWSE_PROJECTS", "user", "nobody");
  EXPECT_FALSE(ws->Apply().ok());
  EXPECT_TRUE(HasDiagnosticAt(*ws, "holder_parameter")) << ws->last_diagnostics().ToString();
  set("0", "BROWSE_PROJECTS", "group", std::nullopt);
  EXPECT_FALSE(ws->Apply().ok());
  EXPECT_TRUE(HasDiagnosticAt(*ws, "holder_parameter")) << ws->last_diagnostics().ToString();
  set("0", "BROWSE_PROJECTS", "wizard", std::nullopt);
  EXPECT_FALSE(ws->Apply().ok());
  EXPECT_TRUE(HasDiagnosticAt(*ws, "holder_type")) << ws->last_diagnostics().ToString();
  set("0", "ADMINISTER", "anyone", std::nullopt);
  EXPECT_FALSE(ws->Apply().ok());
  EXPECT_TRUE(HasDiagnosticAt(*ws, "permission")) << ws->last_diagnostics().ToString();
  set("424242", "BROWSE_PROJECTS", "anyone", std::nullopt);
  EXPECT_FALSE(ws->Apply().ok());
  EXPECT_TRUE(HasDiagnosticAt(*ws, "scheme_id")) << ws->last_diagnostics().ToString();
  set("x1", "BROWSE_PROJECTS", "anyone", std::nullopt);
  EXPECT_FALSE(ws->Apply().ok());
  EXPECT_TRUE(HasDiagnosticAt(*ws, "scheme_id")) << ws->last_diagnostics().ToString();
  auto other = NewWorkspace();
  TFJ_EXPECT_ERROR_CONTAINS(other->Import("jira_permission_scheme_grant", "g", "10000"),
                            "Invalid import id");
}

// ---- data sources

using JiraProjectDataSourcesTest = JiraProjectsScenario;

TEST_P(JiraProjectDataSourcesTest, ProjectAndFilteredProjectList) {
  emu().router().WithStore([](emulator::Store& s) { s.categories[5] = {5, "Platform", ""}; });
  AddProject("PLAT", "Platform team", 5);
  AddProject("BIZ", "Business", 0, "business");
  int64_t scheme = NewScheme("For PLAT");
  ASSERT_TRUE(Admin().AssignSchemeToProject("PLAT", scheme).ok());
  auto ws = NewWorkspace();
  ws->SetDataSource("jira_project", "p", {{"key", S("plat")}});
  ws->SetDataSource("jira_projects", "all", {});
  ws->SetDataSource("jira_projects", "software", {{"project_type_key", S("software")}});
  ws->SetDataSource("jira_projects", "platform", {{"category", S("PLATFORM")}});
  TFJ_ASSERT_OK(ws->Apply());
  tf::Value p = ws->DataState("data.jira_project.p");
  EXPECT_EQ(p.attr("name").as_string(), "Platform team");
  EXPECT_EQ(p.attr("lead").as_string(), "admin");
  EXPECT_EQ(p.attr("project_type_key").as_string(), "software");
  EXPECT_EQ(p.attr("category").as_string(), "Platform");
  EXPECT_EQ(p.attr("permission_scheme_id").as_string(), std::to_string(scheme));
  auto keys = [&](const std::string& address) {
    std::vector<std::string> out;
    for (const auto& k : ws->DataState(address).attr("keys").items()) out.push_back(k.as_string());
    return out;
  };
  EXPECT_EQ(keys("data.jira_projects.all"), (std::vector<std::string>{"BIZ", "GL", "PLAT"}));
  EXPECT_EQ(keys("data.jira_projects.software"), (std::vector<std::string>{"GL", "PLAT"}));
  EXPECT_EQ(keys("data.jira_projects.platform"), (std::vector<std::string>{"PLAT"}));

  ws->SetDataSource("jira_project", "p", {{"key", S("NOPE")}});
  EXPECT_FALSE(ws->Apply().ok());
  EXPECT_TRUE(HasDiagnosticAt(*ws, "key")) << ws->last_diagnostics().ToString();
}

TFJ_INSTANTIATE_PROTOCOLS(JiraProjectPermissionSchemeTest);
TFJ_INSTANTIATE_PROTOCOLS(JiraGroupMembersTest);
TFJ_INSTANTIATE_PROTOCOLS(JiraPermissionSchemeGrantTest);
TFJ_INSTANTIATE_PROTOCOLS(JiraProjectDataSourcesTest);

}  // namespace
}  // namespace tfjira::scenarios
