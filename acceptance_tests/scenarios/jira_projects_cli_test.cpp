// jira_project_permission_scheme, jira_group_members, jira_permission_scheme_grant and the
// jira_project / jira_projects data sources through the real terraform CLI (label cli), under
// protocol 6 (dev_overrides) and 5 (reattach): create, empty plan, in-place update,
// replacement, drift made through Jira's REST API and repaired, import into a fresh directory
// with an empty plan, destroy checked through REST, and bad input reported on the attribute
// (Terraform quotes the attribute's line under the error). Also the GitLab walkthrough of
// examples/gitlab-integration with jira_project_keys set. Skipped, with the reason, when
// terraform is not on PATH.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <vector>

#include "acceptance_tests/scenarios/jira_cli_fixture.h"

namespace tfjira::scenarios {
namespace {

// Whether Terraform's output reports an error on `attribute` of a resource or data source:
// with an attribute path, it quotes that attribute's line of the configuration, e.g.
//   on main.tf line 7, in resource "jira_group_members" "m":
//    7:   group    = "no-such-group"
bool ErrorOnAttribute(const CliResult& r, const std::string& attribute) {
  const std::regex quoted("in (resource|data) \"[^\"]+\" \"[^\"]+\":\\n\\s*[0-9]+:\\s+" + attribute +
                          "\\s*=");
  return std::regex_search(r.err, quoted);
}

std::string Names(const std::vector<std::string>& names) {
  std::string out = "[";
  for (const auto& n : names) out += (out.size() > 1 ? ", " : "") + Quote(n);
  return out + "]";
}

class JiraProjectsCliTest : public JiraCliScenario {
 protected:
  void SetUp() override {
    emulator::Options options;
    options.projects = {{"OPS", "Operations"}};  // GL ships with the emulator
    StartEmulator(options);
  }
  int64_t SchemeIdNamed(const std::string& name) {
    auto found = SchemesNamed(name);
    EXPECT_EQ(found.size(), 1u) << name;
    return found.size() == 1 ? found[0].id : -1;
  }
};

// ---------------------------------------------------------- jira_project_permission_scheme

std::string AssignmentHcl(const std::string& project_key, const std::string& scheme) {
  return std::string(kJiraHclHeader) + R"(
resource "jira_permission_scheme" "a" { name = "Scheme A" }
resource "jira_permission_scheme" "b" { name = "Scheme B" }
resource "jira_project_permission_scheme" "p" {
  project_key = )" + Quote(project_key) + R"(
  scheme_id   = jira_permission_scheme.)" + scheme + R"(.id
}
)";
}

TEST_P(JiraProjectsCliTest, ProjectPermissionScheme) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  const int64_t before = NewScheme("Before");
  ASSERT_TRUE(Admin().AssignSchemeToProject("GL", before).ok());
  auto tf = NewCli();
  ASSERT_TRUE(tf);
  tf->WriteMainTf(AssignmentHcl("gl", "a"));  // the key in another letter case
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "create");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after create must be empty");
  const int64_t a = SchemeIdNamed("Scheme A");
  const int64_t b = SchemeIdNamed("Scheme B");
  EXPECT_EQ(SchemeOf("GL"), a);

  // Another scheme: in place.
  tf->WriteMainTf(AssignmentHcl("GL", "b"));
  EXPECT_EQ(ActionsInPlan(*tf, "jira_project_permission_scheme.p"), "update");
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "in-place update");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after update must be empty");
  EXPECT_EQ(SchemeOf("GL"), b);

  // Another project: replacement; GL goes back to the scheme it had before Terraform.
  tf->WriteMainTf(AssignmentHcl("OPS", "b"));
  const std::string actions = ActionsInPlan(*tf, "jira_project_permission_scheme.p");
  EXPECT_TRUE(IsReplace(actions)) << actions;
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "replace");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after replace must be empty");
  EXPECT_EQ(SchemeOf("GL"), before);
  EXPECT_EQ(SchemeOf("OPS"), b);

  // Drift: OPS put on the default scheme by hand, then put back.
  ASSERT_TRUE(Admin().AssignSchemeToProject("OPS", 0).ok());
  TFJ_EXPECT_EXIT(tf->Plan(), 2, "plan after the scheme was changed by hand");
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "repair");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after repair must be empty");
  EXPECT_EQ(SchemeOf("OPS"), b);

  // Import by project key into a fresh directory.
  {
    auto fresh = NewCli();
    ASSERT_TRUE(fresh);
    fresh->WriteMainTf(std::string(kJiraHclHeader) + R"(
resource "jira_project_permission_scheme" "p" {
  project_key = "OPS"
  scheme_id   = )" + Quote(std::to_string(b)) + R"(
}
)");
    TFJ_ASSERT_EXIT(fresh->Import("jira_project_permission_scheme.p", "ops"), 0, "import");
    TFJ_EXPECT_EXIT(fresh->Plan(), 0, "plan after import must be empty");
  }

  // Destroy: OPS was on the Default Permission Scheme (id 0) before; the schemes go.
  TFJ_ASSERT_EXIT(tf->Destroy(), 0, "destroy");
  EXPECT_EQ(SchemeOf("OPS"), 0);
  EXPECT_EQ(SchemeOf("GL"), before);
  EXPECT_TRUE(SchemesNamed("Scheme A").empty());
  EXPECT_TRUE(SchemesNamed("Scheme B").empty());

  // Bad input: a project that does not exist, a scheme id that is no number, a scheme that
  // does not exist.
  auto bad = NewCli();
  ASSERT_TRUE(bad);
  auto literal = [](const std::string& key, const std::string& scheme_id) {
    return std::string(kJiraHclHeader) + "resource \"jira_project_permission_scheme\" \"p\" {\n" +
           "  project_key = " + Quote(key) + "\n  scheme_id   = " + Quote(scheme_id) + "\n}\n";
  };
  bad->WriteMainTf(literal("NOPE", "0"));
  CliResult r = bad->Apply();
  EXPECT_EQ(r.exit_code, 1) << r.Describe();
  EXPECT_TRUE(ErrorOnAttribute(r, "project_key")) << r.Describe();
  bad->WriteMainTf(literal("GL", "ten"));
  r = bad->Apply();
  EXPECT_EQ(r.exit_code, 1) << r.Describe();
  EXPECT_TRUE(ErrorOnAttribute(r, "scheme_id")) << r.Describe();
  bad->WriteMainTf(literal("GL", "987654"));
  r = bad->Apply();
  EXPECT_EQ(r.exit_code, 1) << r.Describe();
  EXPECT_TRUE(ErrorOnAttribute(r, "scheme_id")) << r.Describe();
  EXPECT_EQ(SchemeOf("GL"), before);
}

// ---------------------------------------------------------------------- jira_group_members

std::string MembersHcl(const std::string& group, const std::vector<std::string>& names) {
  return std::string(kJiraHclHeader) + R"(
resource "jira_group_members" "m" {
  group     = )" + Quote(group) + R"(
  usernames = )" + Names(names) + R"(
}
)";
}

TEST_P(JiraProjectsCliTest, GroupMembers) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  for (const char* name : {"Alice", "bob", "carol"}) AddUser(name);
  ASSERT_TRUE(Admin().CreateGroup("team").ok());
  ASSERT_TRUE(Admin().CreateGroup("team2").ok());
  auto tf = NewCli();
  ASSERT_TRUE(tf);
  tf->WriteMainTf(MembersHcl("team", {"alice", "bob"}));
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "create");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after create must be empty");
  EXPECT_EQ(Members("team"), (std::set<std::string>{"Alice", "bob"}));

  // Letter case alone is no change; another list changes in place.
  tf->WriteMainTf(MembersHcl("TEAM", {"ALICE", "Bob"}));
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "a case-only difference must plan nothing");
  tf->WriteMainTf(MembersHcl("team", {"alice", "carol"}));
  EXPECT_EQ(ActionsInPlan(*tf, "jira_group_members.m"), "update");
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "in-place update");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after update must be empty");
  EXPECT_EQ(Members("team"), (std::set<std::string>{"Alice", "carol"}));

  // Drift: bob added and carol removed by hand; apply restores the list.
  ASSERT_TRUE(Admin().AddUserToGroup("team", "bob").ok());
  ASSERT_TRUE(Admin().RemoveUserFromGroup("team", "carol").ok());
  TFJ_EXPECT_EXIT(tf->Plan(), 2, "plan after the members were changed by hand");
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "repair");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after repair must be empty");
  EXPECT_EQ(Members("team"), (std::set<std::string>{"Alice", "carol"}));

  // Import by group name into a fresh directory.
  {
    auto fresh = NewCli();
    ASSERT_TRUE(fresh);
    fresh->WriteMainTf(MembersHcl("team", {"carol", "alice"}));
    TFJ_ASSERT_EXIT(fresh->Import("jira_group_members.m", "team"), 0, "import");
    TFJ_EXPECT_EXIT(fresh->Plan(), 0, "plan after import must be empty");
  }

  // Another group: replacement. team keeps existing, without the listed members but with
  // the user nobody listed.
  ASSERT_TRUE(Admin().AddUserToGroup("team", "bob").ok());
  tf->WriteMainTf(MembersHcl("team2", {"bob"}));
  const std::string actions = ActionsInPlan(*tf, "jira_group_members.m");
  EXPECT_TRUE(IsReplace(actions)) << actions;
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "replace");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after replace must be empty");
  EXPECT_EQ(Members("team"), (std::set<std::string>{"bob"}));
  EXPECT_EQ(Members("team2"), (std::set<std::string>{"bob"}));

  // Destroy removes exactly the listed members and keeps the group (and a user added by
  // hand since the last apply).
  tf->WriteMainTf(MembersHcl("team2", {"bob", "carol"}));
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "list carol too");
  EXPECT_EQ(Members("team2"), (std::set<std::string>{"bob", "carol"}));
  ASSERT_TRUE(Admin().AddUserToGroup("team2", "Alice").ok());
  TFJ_ASSERT_EXIT(tf->Destroy(), 0, "destroy");
  EXPECT_TRUE(GroupExists("team2"));
  EXPECT_EQ(Members("team2"), (std::set<std::string>{"Alice"}));

  // Bad input: a name listed twice (validate), a group or a user Jira does not have (apply).
  auto bad = NewCli();
  ASSERT_TRUE(bad);
  bad->WriteMainTf(MembersHcl("team", {"admin", "ADMIN"}));
  CliResult r = bad->Validate();
  EXPECT_EQ(r.exit_code, 1) << r.Describe();
  EXPECT_NE(r.out.find("Duplicate username"), std::string::npos) << r.Describe();
  // The diagnostic's range is the attribute's expression.
  EXPECT_NE(r.out.find("\"code\": \"  usernames = "), std::string::npos) << r.Describe();
  bad->WriteMainTf(MembersHcl("no-such-group", {"admin"}));
  r = bad->Apply();
  EXPECT_EQ(r.exit_code, 1) << r.Describe();
  EXPECT_TRUE(ErrorOnAttribute(r, "group")) << r.Describe();
  // An unknown user fails the create after the known ones were added: the object stays in
  // state (tainted), so nothing is orphaned and destroy removes what was added.
  ASSERT_TRUE(Admin().CreateGroup("empty").ok());
  bad->WriteMainTf(MembersHcl("empty", {"admin", "nobody"}));
  r = bad->Apply();
  EXPECT_EQ(r.exit_code, 1) << r.Describe();
  EXPECT_TRUE(ErrorOnAttribute(r, "usernames")) << r.Describe();
  TFJ_ASSERT_EXIT(bad->Destroy(), 0, "destroy after the failed create");
  EXPECT_TRUE(Members("empty").empty());
}

// ------------------------------------------------------------ jira_permission_scheme_grant

std::string GrantHcl(const std::string& permission, const std::string& holder_type,
                     const std::string& holder_parameter) {
  std::string hcl = std::string(kJiraHclHeader) + R"(
resource "jira_permission_scheme_grant" "g" {
  scheme_id   = "0"
  permission  = )" + Quote(permission) + R"(
  holder_type = )" + Quote(holder_type) + "\n";
  if (!holder_parameter.empty()) hcl += "  holder_parameter = " + Quote(holder_parameter) + "\n";
  return hcl + "}\n";
}

// The grant id of "<scheme_id>/<grant_id>" in the directory's state.
int64_t GrantIdInState(TerraformCli& tf) {
  tfj::harness::Status s;
  nlohmann::json shown = tf.ShowJson(&s);
  EXPECT_TRUE(s.ok()) << s;
  if (!s.ok()) return -1;
  const std::string id = shown["values"]["root_module"]["resources"][0]["values"]["id"];
  EXPECT_EQ(id.rfind("0/", 0), 0u) << id;
  return std::stoll(id.substr(id.find('/') + 1));
}

TEST_P(JiraProjectsCliTest, PermissionSchemeGrant) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  AddUser("gitlab");
  auto tf = NewCli();
  ASSERT_TRUE(tf);
  tf->WriteMainTf(GrantHcl("ADMINISTER_PROJECTS", "user", "GitLab"));
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "create");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after create must be empty");
  const int64_t first = GrantIdInState(*tf);
  auto grant = Admin().GetGrant(0, first);
  ASSERT_TRUE(grant.ok());
  EXPECT_EQ(grant->holder.parameter, Admin().GetUserByName("gitlab")->key);  // keys in Jira

  // Every attribute forces replacement (there is nothing to update in place): the old grant
  // goes, the scheme stays.
  tf->WriteMainTf(GrantHcl("BROWSE_PROJECTS", "user", "gitlab"));
  const std::string actions = ActionsInPlan(*tf, "jira_permission_scheme_grant.g");
  EXPECT_TRUE(IsReplace(actions)) << actions;
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "replace");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after replace must be empty");
  EXPECT_FALSE(Admin().GetGrant(0, first).ok());
  const int64_t second = GrantIdInState(*tf);
  EXPECT_EQ(Admin().GetGrant(0, second)->permission, "BROWSE_PROJECTS");

  // Drift: deleted by hand, created again.
  ASSERT_TRUE(Admin().DeleteGrant(0, second).ok());
  TFJ_EXPECT_EXIT(tf->Plan(), 2, "plan after the grant was deleted by hand");
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "re-create");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after re-create must be empty");
  const int64_t third = GrantIdInState(*tf);
  EXPECT_TRUE(Admin().GetGrant(0, third).ok());

  // Import by "<scheme_id>/<grant_id>" into a fresh directory.
  {
    auto fresh = NewCli();
    ASSERT_TRUE(fresh);
    fresh->WriteMainTf(GrantHcl("BROWSE_PROJECTS", "user", "gitlab"));
    TFJ_ASSERT_EXIT(fresh->Import("jira_permission_scheme_grant.g", "0/" + std::to_string(third)),
                    0, "import");
    TFJ_EXPECT_EXIT(fresh->Plan(), 0, "plan after import must be empty");
  }

  TFJ_ASSERT_EXIT(tf->Destroy(), 0, "destroy");
  auto gone = Admin().GetGrant(0, third);
  ASSERT_FALSE(gone.ok());
  EXPECT_EQ(gone.error().kind, jira::ErrorKind::kNotFound);
  EXPECT_TRUE(Admin().GetPermissionScheme(0).ok());

  // Bad input: an unknown holder type (validate), a user Jira does not have (apply), an
  // import id without the scheme.
  auto bad = NewCli();
  ASSERT_TRUE(bad);
  bad->WriteMainTf(GrantHcl("BROWSE_PROJECTS", "wizard", ""));
  CliResult r = bad->Apply();
  EXPECT_EQ(r.exit_code, 1) << r.Describe();
  EXPECT_TRUE(ErrorOnAttribute(r, "holder_type")) << r.Describe();
  bad->WriteMainTf(GrantHcl("BROWSE_PROJECTS", "user", "nobody"));
  r = bad->Apply();
  EXPECT_EQ(r.exit_code, 1) << r.Describe();
  EXPECT_TRUE(ErrorOnAttribute(r, "holder_parameter")) << r.Describe();
  r = bad->Import("jira_permission_scheme_grant.g", "10000");
  EXPECT_EQ(r.exit_code, 1) << r.Describe();
  EXPECT_NE(r.err.find("Invalid import id"), std::string::npos) << r.Describe();
}

// ----------------------------------------------------- jira_project and jira_projects data

TEST_P(JiraProjectsCliTest, ProjectDataSources) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  emu().router().WithStore([](emulator::Store& s) {
    s.categories[5] = {5, "Platform", ""};
    s.FindProject("OPS")->category_id = 5;
  });
  const int64_t scheme = NewScheme("For OPS");
  ASSERT_TRUE(Admin().AssignSchemeToProject("OPS", scheme).ok());
  auto tf = NewCli();
  ASSERT_TRUE(tf);
  tf->WriteMainTf(std::string(kJiraHclHeader) + R"(
data "jira_project" "ops" { key = "ops" }
data "jira_projects" "all" {}
data "jira_projects" "platform" { category = "PLATFORM" }
output "ops" { value = data.jira_project.ops }
output "all" { value = data.jira_projects.all.keys }
output "platform" { value = data.jira_projects.platform.keys }
)");
  TFJ_ASSERT_EXIT(tf->Apply(), 0, "read the data sources");
  TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after apply must be empty");
  CliResult out = tf->Run({"output", "-json"});
  ASSERT_EQ(out.exit_code, 0) << out.Describe();
  nlohmann::json o = nlohmann::json::parse(out.out, nullptr, false);
  ASSERT_FALSE(o.is_discarded()) << out.out;
  const nlohmann::json& ops = o["ops"]["value"];
  EXPECT_EQ(ops["key"], "ops");  // as configured: Jira compares keys ignoring case
  EXPECT_EQ(ops["name"], "Operations");
  EXPECT_EQ(ops["lead"], "admin");
  EXPECT_EQ(ops["project_type_key"], "software");
  EXPECT_EQ(ops["category"], "Platform");
  EXPECT_EQ(ops["permission_scheme_id"], std::to_string(scheme));
  EXPECT_EQ(o["all"]["value"], nlohmann::json::array({"GL", "OPS"}));
  EXPECT_EQ(o["platform"]["value"], nlohmann::json::array({"OPS"}));

  // A project made by hand shows up on the next refresh.
  emu().router().WithStore([](emulator::Store& s) {
    emulator::Project p = *s.FindProject("GL");
    p.id = s.next_id++;
    p.key = "NEW";
    p.name = "New project";
    s.projects[p.id] = p;
  });
  TFJ_EXPECT_EXIT(tf->Plan(), 2, "plan after a project was added by hand");

  // Bad input: a project that does not exist, reported on `key`.
  auto bad = NewCli();
  ASSERT_TRUE(bad);
  bad->WriteMainTf(std::string(kJiraHclHeader) + "data \"jira_project\" \"p\" {\n  key = \"NOPE\"\n}\n");
  CliResult r = bad->Plan();
  EXPECT_EQ(r.exit_code, 1) << r.Describe();
  EXPECT_TRUE(ErrorOnAttribute(r, "key")) << r.Describe();
}

// ---------------------------------------------------- the GitLab walkthrough, two projects

TEST_P(JiraProjectsCliTest, GitlabWalkthroughAssignsTheSchemeToTheListedProjects) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  const int64_t before = NewScheme("Before");
  ASSERT_TRUE(Admin().AssignSchemeToProject("GL", before).ok());
  auto options = CliOptions();
  options.env["TF_VAR_gitlab_password"] = "Walkthrough-Passw0rd";
  options.env["TF_VAR_jira_project_keys"] = R"(["GL", "OPS"])";
  TerraformCli tf(options);
  TFJ_ASSERT_OK(tf.Setup());
  const char* source = std::getenv("TFJ_SOURCE_DIR");
  const std::filesystem::path example =
      std::filesystem::path(source ? source : TFJ_DEFAULT_SOURCE_DIR) / "examples/gitlab-integration";
  for (const auto& entry : std::filesystem::directory_iterator(example)) {
    if (entry.path().extension() == ".tf") {
      std::filesystem::copy_file(entry.path(), tf.dir() + "/" + entry.path().filename().string());
    }
  }
  TFJ_ASSERT_EXIT(tf.Apply(), 0, "apply the walkthrough");
  TFJ_EXPECT_EXIT(tf.Plan(), 0, "plan after apply must be empty");
  const int64_t gitlab = SchemeIdNamed("GitLab integration");
  EXPECT_EQ(SchemeOf("GL"), gitlab);
  EXPECT_EQ(SchemeOf("OPS"), gitlab);
  EXPECT_TRUE(IsMember("gitlab-developers", "gitlab"));
  CliResult out = tf.Run({"output", "-json", "project_permission_schemes"});
  ASSERT_EQ(out.exit_code, 0) << out.Describe();
  EXPECT_EQ(nlohmann::json::parse(out.out, nullptr, false),
            (nlohmann::json{{"GL", std::to_string(gitlab)}, {"OPS", std::to_string(gitlab)}}));

  // Dropping GL from the list puts it back on the scheme it had before.
  CliResult r = tf.Run({"apply", "-auto-approve", "-input=false", "-no-color",
                        "-var=jira_project_keys=[\"OPS\"]"});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_EQ(SchemeOf("GL"), before);
  EXPECT_EQ(SchemeOf("OPS"), gitlab);

  TFJ_ASSERT_EXIT(tf.Destroy(), 0, "destroy the walkthrough");
  EXPECT_EQ(SchemeOf("OPS"), 0);
  EXPECT_EQ(SchemeOf("GL"), before);
  EXPECT_FALSE(UserExists("gitlab"));
  EXPECT_FALSE(GroupExists("gitlab-developers"));
  EXPECT_TRUE(SchemesNamed("GitLab integration").empty());
}

TFJ_INSTANTIATE_PROTOCOLS(JiraProjectsCliTest);

}  // namespace
}  // namespace tfjira::scenarios
