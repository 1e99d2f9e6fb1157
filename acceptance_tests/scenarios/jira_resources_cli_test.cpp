// Each resource's life cycle through the real terraform CLI (label cli), under protocol 6
// (dev_overrides) and protocol 5 (reattach): create, empty plan, in-place update, forced
// replacement, drift made through Jira's REST API and repaired, import into a fresh state,
// destroy (checked through REST) and bad input rejected with our diagnostic. Every plan that
// must be empty is checked with `plan -detailed-exitcode` exiting 0. Skipped, with the reason,
// when terraform is not on PATH.
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "acceptance_tests/scenarios/jira_cli_fixture.h"

namespace tfjira::scenarios {
namespace {

using JiraResourcesCliTest = JiraCliScenario;

// ---------------------------------------------------------------------------- jira_user

std::string UserHcl(const std::string& name, const std::string& email,
                    const std::string& display_name, bool active, bool with_password) {
  return std::string(kJiraHclHeader) + R"(
resource "jira_user" "u" {
  name         = )" + Quote(name) + R"(
  email        = )" + Quote(email) + R"(
  display_name = )" + Quote(display_name) + R"(
  active       = )" + (active ? "true" : "false") +
         (with_password ? "\n  password     = \"Sup3r-s3cret\"" : "") + R"(
}
)";
}

TEST_P(JiraResourcesCliTest, User) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  auto tf = NewCli();
  tf->WriteMainTf(UserHcl("carol", "carol@example.com", "Carol", true, true));
  CliResult r = tf->Apply();
  TFJ_ASSERT_EXIT(r, 0, "create");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after create must be empty");
  auto created = Admin().GetUserByName("carol");
  ASSERT_TRUE(created.ok());
  EXPECT_EQ(created->display_name, "Carol");
  const std::string key = created->key;

  // display_name, email and active change in place; the username is renamed in place too.
  tf->WriteMainTf(UserHcl("carol", "carol@corp.example.com", "Carol Jones", false, true));
  EXPECT_EQ(ActionsInPlan(*tf, "jira_user.u"), "update");
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "in-place update");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after update must be empty");
  auto updated = Admin().GetUserByName("carol");
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->key, key);
  EXPECT_EQ(updated->email, "carol@corp.example.com");
  EXPECT_EQ(updated->display_name, "Carol Jones");
  EXPECT_FALSE(updated->active);

  tf->WriteMainTf(UserHcl("carol.jones", "carol@corp.example.com", "Carol Jones", false, true));
  EXPECT_EQ(ActionsInPlan(*tf, "jira_user.u"), "update");
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "rename");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after rename must be empty");
  auto renamed = Admin().GetUserByName("carol.jones");
  ASSERT_TRUE(renamed.ok());
  EXPECT_EQ(renamed->key, key);
  EXPECT_FALSE(UserExists("carol"));

  // Drift: an admin changes the display name, then deletes the user.
  jira::UserChanges changes;
  changes.display_name = "Changed by hand";
  ASSERT_TRUE(Admin().UpdateUser(key, changes).ok());
  TFJ_EXPECT_EXIT(tf->Plan(), 2, "plan after the display name was changed by hand");
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "repair the display name");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after repair must be empty");
  EXPECT_EQ(Admin().GetUserByName("carol.jones")->display_name, "Carol Jones");

  ASSERT_TRUE(Admin().DeleteUser(key).ok());
  TFJ_EXPECT_EXIT(tf->Plan(), 2, "plan after the user was deleted by hand");
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "re-create the user");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after re-create must be empty");
  EXPECT_TRUE(UserExists("carol.jones"));

  // Import by username into a fresh state: Jira never returns the password, so the
  // configuration there has none.
  auto fresh = NewCli();
  fresh->WriteMainTf(UserHcl("carol.jones", "carol@corp.example.com", "Carol Jones", false, false));
  r = fresh->Import("jira_user.u", "carol.jones");
  TFJ_ASSERT_EXIT(r, 0, "import by username");
  TFJ_EXPECT_EXIT(fresh->Plan(), 0, "plan after import must be empty");

  TFJ_ASSERT_EXIT(tf->Destroy(), 0, "destroy");
  EXPECT_FALSE(UserExists("carol.jones"));

  auto bad = NewCli();
  bad->WriteMainTf(UserHcl("dave", "not an e-mail", "Dave", true, false));
  r = bad->Validate();
  TFJ_EXPECT_EXIT(r, 1, "validate with an invalid e-mail");
  EXPECT_NE(r.out.find("Invalid e-mail address"), std::string::npos) << r.Describe();
  EXPECT_FALSE(UserExists("dave"));
}

// --------------------------------------------------------------------------- jira_group

std::string GroupHcl(const std::string& name) {
  return std::string(kJiraHclHeader) + "resource \"jira_group\" \"g\" {\n  name = " + Quote(name) +
         "\n}\n";
}

TEST_P(JiraResourcesCliTest, Group) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  auto tf = NewCli();
  tf->WriteMainTf(GroupHcl("release-team"));
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "create");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after create must be empty");
  EXPECT_TRUE(GroupExists("release-team"));

  // Jira has no group rename: a new name replaces the group. The new name holds a space and
  // a slash, which must survive URL-encoding on every call below.
  const std::string renamed = "release team/ops";
  tf->WriteMainTf(GroupHcl(renamed));
  std::string actions = ActionsInPlan(*tf, "jira_group.g");
  EXPECT_TRUE(IsReplace(actions)) << actions;
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "replace");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after replace must be empty");
  EXPECT_FALSE(GroupExists("release-team"));
  EXPECT_TRUE(GroupExists(renamed));

  // Drift: an admin deletes the group.
  ASSERT_TRUE(Admin().DeleteGroup(renamed).ok());
  TFJ_EXPECT_EXIT(tf->Plan(), 2, "plan after the group was deleted by hand");
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "re-create the group");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after re-create must be empty");
  EXPECT_TRUE(GroupExists(renamed));

  auto fresh = NewCli();
  fresh->WriteMainTf(GroupHcl(renamed));
  TFJ_ASSERT_EXIT(fresh->Import("jira_group.g", renamed), 0, "import by name");
  TFJ_EXPECT_EXIT(fresh->Plan(), 0, "plan after import must be empty");

  TFJ_ASSERT_EXIT(tf->Destroy(), 0, "destroy");
  EXPECT_FALSE(GroupExists(renamed));

  auto bad = NewCli();
  bad->WriteMainTf(GroupHcl(""));
  CliResult r = bad->Validate();
  TFJ_EXPECT_EXIT(r, 1, "validate with an empty name");
  EXPECT_NE(r.out.find("string length must be at least 1"), std::string::npos) << r.Describe();
}

// ---------------------------------------------------------------- jira_group_membership

std::string MembershipHcl(const std::string& group, const std::string& username) {
  return std::string(kJiraHclHeader) + R"(
resource "jira_user" "alice" {
  name  = "alice"
  email = "alice@example.com"
}
resource "jira_user" "bob" {
  name  = "bob"
  email = "bob@example.com"
}
resource "jira_group" "one" { name = "team-one" }
resource "jira_group" "two" { name = "team-two" }
resource "jira_group_membership" "m" {
  group      = )" + Quote(group) + R"(
  username   = )" + Quote(username) + R"(
  depends_on = [jira_user.alice, jira_user.bob, jira_group.one, jira_group.two]
}
)";
}

TEST_P(JiraResourcesCliTest, GroupMembership) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  auto tf = NewCli();
  tf->WriteMainTf(MembershipHcl("team-one", "alice"));
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "create");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after create must be empty");
  EXPECT_TRUE(IsMember("team-one", "alice"));

  // Both group and username force replacement.
  tf->WriteMainTf(MembershipHcl("team-two", "alice"));
  std::string actions = ActionsInPlan(*tf, "jira_group_membership.m");
  EXPECT_TRUE(IsReplace(actions)) << actions;
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "replace (group)");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after replace must be empty");
  EXPECT_FALSE(IsMember("team-one", "alice"));
  EXPECT_TRUE(IsMember("team-two", "alice"));

  tf->WriteMainTf(MembershipHcl("team-two", "bob"));
  actions = ActionsInPlan(*tf, "jira_group_membership.m");
  EXPECT_TRUE(IsReplace(actions)) << actions;
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "replace (username)");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after replace must be empty");
  EXPECT_FALSE(IsMember("team-two", "alice"));
  EXPECT_TRUE(IsMember("team-two", "bob"));

  // Drift: an admin removes bob from the group.
  ASSERT_TRUE(Admin().RemoveUserFromGroup("team-two", "bob").ok());
  TFJ_EXPECT_EXIT(tf->Plan(), 2, "plan after the membership was removed by hand");
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "re-add the membership");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after repair must be empty");
  EXPECT_TRUE(IsMember("team-two", "bob"));

  // Import by the documented id "<group>/<username>".
  auto fresh = NewCli();
  const std::string fresh_hcl = std::string(kJiraHclHeader) + R"(
resource "jira_group_membership" "m" {
  group    = "team-two"
  username = "bob"
}
)";
  fresh->WriteMainTf(fresh_hcl);
  TFJ_ASSERT_EXIT(fresh->Import("jira_group_membership.m", "team-two/bob"), 0, "import");
  TFJ_EXPECT_EXIT(fresh->Plan(), 0, "plan after import must be empty");

  TFJ_ASSERT_EXIT(tf->Destroy(), 0, "destroy");
  EXPECT_FALSE(IsMember("team-two", "bob"));
  EXPECT_FALSE(GroupExists("team-two"));
  EXPECT_FALSE(UserExists("bob"));

  auto bad = NewCli();
  bad->WriteMainTf(std::string(kJiraHclHeader) + R"(
resource "jira_group_membership" "m" {
  group    = "team-two"
  username = ""
}
)");
  CliResult r = bad->Validate();
  TFJ_EXPECT_EXIT(r, 1, "validate with an empty username");
  EXPECT_NE(r.out.find("string length must be at least 1"), std::string::npos) << r.Describe();
  // An import id without the separator is refused with the documented format.
  bad->WriteMainTf(fresh_hcl);
  r = bad->Import("jira_group_membership.m", "no-separator");
  TFJ_EXPECT_EXIT(r, 1, "import with a malformed id");
  EXPECT_NE(r.err.find("Invalid import id"), std::string::npos) << r.Describe();
}

// --------------------------------------------------------------- jira_permission_scheme

struct GrantSpec {
  std::string permission, holder_type, holder_parameter;
};

std::string SchemeHcl(const std::string& name, const std::string& description,
                      const std::vector<GrantSpec>& grants) {
  std::string hcl = std::string(kJiraHclHeader) + R"(
resource "jira_group" "g" { name = "auditors" }
resource "jira_permission_scheme" "s" {
  name        = )" + Quote(name) + R"(
  description = )" + Quote(description) + "\n";
  for (const auto& g : grants) {
    hcl += "  grant {\n    permission  = " + Quote(g.permission) +
           "\n    holder_type = " + Quote(g.holder_type) + "\n";
    if (!g.holder_parameter.empty()) {
      hcl += "    holder_parameter = " + Quote(g.holder_parameter) + "\n";
    }
    hcl += "  }\n";
  }
  return hcl + "  depends_on = [jira_group.g]\n}\n";
}

TEST_P(JiraResourcesCliTest, PermissionScheme) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  const GrantSpec browse{"BROWSE_PROJECTS", "group", "auditors"};
  const GrantSpec administer{"ADMINISTER_PROJECTS", "projectLead", ""};
  const GrantSpec comment{"ADD_COMMENTS", "anyone", ""};
  auto tf = NewCli();
  tf->WriteMainTf(SchemeHcl("Audit", "Read-only access.", {browse, administer}));
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "create");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after create must be empty");
  auto schemes = SchemesNamed("Audit");
  ASSERT_EQ(schemes.size(), 1u);
  const int64_t id = schemes[0].id;
  ASSERT_EQ(schemes[0].grants.size(), 2u);
  int64_t browse_grant_id = 0;
  for (const auto& g : schemes[0].grants) {
    if (g.permission == "BROWSE_PROJECTS") browse_grant_id = g.id;
  }
  ASSERT_NE(browse_grant_id, 0);

  // Name, description and grants change in place; the unchanged grant keeps its id.
  tf->WriteMainTf(SchemeHcl("Audit (2026)", "Read and comment.", {comment, browse}));
  EXPECT_EQ(ActionsInPlan(*tf, "jira_permission_scheme.s"), "update");
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "in-place update");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after update must be empty");
  auto updated = Admin().GetPermissionScheme(id);
  ASSERT_TRUE(updated.ok());
  EXPECT_EQ(updated->name, "Audit (2026)");
  EXPECT_EQ(updated->description, "Read and comment.");
  std::set<std::string> permissions;
  for (const auto& g : updated->grants) {
    permissions.insert(g.permission);
    if (g.permission == "BROWSE_PROJECTS") {
      EXPECT_EQ(g.id, browse_grant_id);
    }
  }
  EXPECT_EQ(permissions, (std::set<std::string>{"ADD_COMMENTS", "BROWSE_PROJECTS"}));

  // Drift: an admin edits the description, then deletes the scheme.
  ASSERT_TRUE(Admin().UpdatePermissionScheme(id, "Audit (2026)", "Edited by hand").ok());
  TFJ_EXPECT_EXIT(tf->Plan(), 2, "plan after the description was changed by hand");
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "repair the description");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after repair must be empty");
  EXPECT_EQ(Admin().GetPermissionScheme(id)->description, "Read and comment.");

  ASSERT_TRUE(Admin().DeletePermissionScheme(id).ok());
  TFJ_EXPECT_EXIT(tf->Plan(), 2, "plan after the scheme was deleted by hand");
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "re-create the scheme");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after re-create must be empty");
  schemes = SchemesNamed("Audit (2026)");
  ASSERT_EQ(schemes.size(), 1u);
  EXPECT_EQ(schemes[0].grants.size(), 2u);

  // Import by id into a fresh state (the group already exists there, so no depends_on).
  auto fresh = NewCli();
  fresh->WriteMainTf(std::string(kJiraHclHeader) + R"hcl(
resource "jira_permission_scheme" "s" {
  name        = "Audit (2026)"
  description = "Read and comment."
  grant {
    permission       = "BROWSE_PROJECTS"
    holder_type      = "group"
    holder_parameter = "auditors"
  }
  grant {
    permission  = "ADD_COMMENTS"
    holder_type = "anyone"
  }
}
)hcl");
  CliResult r = fresh->Import("jira_permission_scheme.s", std::to_string(schemes[0].id));
  TFJ_ASSERT_EXIT(r, 0, "import by id");
  TFJ_EXPECT_EXIT(fresh->Plan(), 0, "plan after import must be empty");

  TFJ_ASSERT_EXIT(tf->Destroy(), 0, "destroy");
  EXPECT_TRUE(SchemesNamed("Audit (2026)").empty());
  EXPECT_FALSE(Admin().GetPermissionScheme(schemes[0].id).ok());
  EXPECT_FALSE(GroupExists("auditors"));

  auto bad = NewCli();
  bad->WriteMainTf(SchemeHcl("Bad", "", {{"BROWSE_PROJECTS", "wizard", "merlin"},
                                         {"ADMINISTER_PROJECTS", "group", ""}}));
  r = bad->Validate();
  TFJ_EXPECT_EXIT(r, 1, "validate with an unknown holder_type and a missing parameter");
  EXPECT_NE(r.out.find("Unknown holder_type"), std::string::npos) << r.Describe();
  EXPECT_NE(r.out.find("Missing holder_parameter"), std::string::npos) << r.Describe();
  EXPECT_TRUE(SchemesNamed("Bad").empty());
}

TFJ_INSTANTIATE_PROTOCOLS(JiraResourcesCliTest);

}  // namespace
}  // namespace tfjira::scenarios
