// jira_permission_scheme end to end against the emulator: authoritative, order-free grants
// applied one by one, user holders translated between usernames and keys.
#include <cctype>
#include <set>

#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

class JiraPermissionSchemeTest : public JiraScenario {
 protected:
  void SetUp() override {
    JiraScenario::SetUp();
    ws_ = NewWorkspace();
    ws_->SetResource("jira_user", "gitlab",
                     {{"name", S("gitlab")}, {"email", S("gitlab@example.com")}});
    ws_->SetResource("jira_group", "devs", {{"name", S("gitlab-developers")}});
  }
  Attrs Grant(const std::string& perm, const std::string& type,
              std::optional<tf::Value> param = std::nullopt) {
    Attrs g{{"permission", S(perm)}, {"holder_type", S(type)}};
    if (param) g["holder_parameter"] = *param;
    return g;
  }
  void SetScheme(std::vector<Attrs> grants, const std::string& name = "GitLab integration",
                 std::optional<std::string> description = "For GitLab") {
    Attrs attrs{{"name", S(name)},
                {"grant", ws_->Blocks("jira_permission_scheme", "grant", std::move(grants))}};
    if (description) attrs["description"] = S(*description);
    ws_->SetResource("jira_permission_scheme", "s", attrs);
  }
  jira::PermissionScheme InJira() {
    auto s = Admin().GetPermissionScheme(std::stoll(ws_->AttrString("jira_permission_scheme.s", "id")));
    EXPECT_TRUE(s.ok());
    return s.ok() ? s.value() : jira::PermissionScheme{};
  }
  std::set<std::string> GrantKeys(const jira::PermissionScheme& s) {
    std::set<std::string> out;
    for (const auto& g : s.grants) out.insert(g.permission + "|" + g.holder.type + "|" + g.holder.parameter);
    return out;
  }
  std::map<std::string, int64_t> GrantIds(const jira::PermissionScheme& s) {
    std::map<std::string, int64_t> out;
    for (const auto& g : s.grants) out[g.permission + "|" + g.holder.type + "|" + g.holder.parameter] = g.id;
    return out;
  }

  std::unique_ptr<Workspace> ws_;
};

TEST_P(JiraPermissionSchemeTest, CreateUpdateGrantsInPlaceAndDestroy) {
  SetScheme({Grant("ADMINISTER_PROJECTS", "group", Ref("jira_group.devs", "name")),
             Grant("BROWSE_PROJECTS", "user", Ref("jira_user.gitlab", "name")),
             Grant("BROWSE_PROJECTS", "projectLead")});
  TFJ_ASSERT_OK(ws_->Apply());
  TFJ_ASSERT_OK(ws_->PlanMustBeEmpty());
  std::string key = ws_->AttrString("jira_user.gitlab", "key");
  auto scheme = InJira();
  EXPECT_EQ(scheme.name, "GitLab integration");
  EXPECT_EQ(scheme.description, "For GitLab");
  EXPECT_EQ(GrantKeys(scheme),
            (std::set<std::string>{"ADMINISTER_PROJECTS|group|gitlab-developers",
                                   "BROWSE_PROJECTS|user|" + key, "BROWSE_PROJECTS|projectLead|"}));
  auto ids_before = GrantIds(scheme);

  // Order of blocks never matters.
  SetScheme({Grant("BROWSE_PROJECTS", "projectLead"),
             Grant("BROWSE_PROJECTS", "user", Ref("jira_user.gitlab", "name")),
             Grant("ADMINISTER_PROJECTS", "group", Ref("jira_group.devs", "name"))});
  TFJ_ASSERT_OK(ws_->PlanMustBeEmpty());

  // Name, description and grants change in place; unchanged grants keep their ids.
  SetScheme({Grant("ADMINISTER_PROJECTS", "group", Ref("jira_group.devs", "name")),
             Grant("BROWSE_PROJECTS", "user", Ref("jira_user.gitlab", "name")),
             Grant("EDIT_ISSUES", "reporter")},
            "GitLab integration v2", "Renamed");
  TFJ_ASSERT_OK(ws_->Apply());
  EXPECT_EQ(ActionOf(*ws_, "jira_permission_scheme.s"), "update");
  TFJ_ASSERT_OK(ws_->PlanMustBeEmpty());
  scheme = InJira();
  EXPECT_EQ(scheme.name, "GitLab integration v2");
  EXPECT_EQ(scheme.description, "Renamed");
  auto ids_after = GrantIds(scheme);
  EXPECT_EQ(ids_after["ADMINISTER_PROJECTS|group|gitlab-developers"],
            ids_before["ADMINISTER_PROJECTS|group|gitlab-developers"]);
  EXPECT_EQ(ids_after["BROWSE_PROJECTS|user|" + key], ids_before["BROWSE_PROJECTS|user|" + key]);
  EXPECT_EQ(ids_after.count("EDIT_ISSUES|reporter|"), 1u);
  EXPECT_EQ(ids_after.count("BROWSE_PROJECTS|projectLead|"), 0u);

  // A rename of the user keeps the grant (Jira stores the key).
  Attrs renamed{{"name", S("gitlab-bot")}, {"email", S("gitlab@example.com")}};
  ws_->SetResource("jira_user", "gitlab", renamed);
  TFJ_ASSERT_OK(ws_->Apply());
  TFJ_ASSERT_OK(ws_->PlanMustBeEmpty());
  EXPECT_EQ(GrantIds(InJira())["BROWSE_PROJECTS|user|" + key], ids_before["BROWSE_PROJECTS|user|" + key]);

  int64_t id = std::stoll(ws_->AttrString("jira_permission_scheme.s", "id"));
  TFJ_ASSERT_OK(ws_->Destroy());
  EXPECT_FALSE(Admin().GetPermissionScheme(id).ok());
  EXPECT_TRUE(SchemesNamed("GitLab integration v2").empty());
}

TEST_P(JiraPermissionSchemeTest, GrantsChangedByHandAreRepaired) {
  SetScheme({Grant("ADMINISTER_PROJECTS", "group", Ref("jira_group.devs", "name"))});
  TFJ_ASSERT_OK(ws_->Apply());
  int64_t id = std::stoll(ws_->AttrString("jira_permission_scheme.s", "id"));

  // Added by hand: planned as a removal.
  jira::PermissionGrant extra{0, "DELETE_ISSUES", {"anyone", ""}};
  ASSERT_TRUE(Admin().AddGrant(id, extra).ok());
  TFJ_ASSERT_OK(ws_->Apply());
  EXPECT_EQ(ActionOf(*ws_, "jira_permission_scheme.s"), "update");
  EXPECT_EQ(GrantKeys(InJira()), (std::set<std::string>{"ADMINISTER_PROJECTS|group|gitlab-developers"}));
  TFJ_ASSERT_OK(ws_->PlanMustBeEmpty());

  // Removed by hand: planned as an addition.
  for (const auto& g : InJira().grants) ASSERT_TRUE(Admin().DeleteGrant(id, g.id).ok());
  TFJ_ASSERT_OK(ws_->Apply());
  EXPECT_EQ(GrantKeys(InJira()), (std::set<std::string>{"ADMINISTER_PROJECTS|group|gitlab-developers"}));
  TFJ_ASSERT_OK(ws_->PlanMustBeEmpty());

  // Scheme deleted by hand: re-created.
  ASSERT_TRUE(Admin().DeletePermissionScheme(id).ok());
  TFJ_ASSERT_OK(ws_->Apply());
  EXPECT_EQ(ActionOf(*ws_, "jira_permission_scheme.s"), "create");
  EXPECT_EQ(SchemesNamed("GitLab integration").size(), 1u);
  TFJ_ASSERT_OK(ws_->PlanMustBeEmpty());
}

// Grants naming a group or user in another letter case than Jira stores: no diff, ever.
// (A configuration edit that only changes case is checked through the real CLI in
// jira_cli_test: the harness's set-element rule is stricter there than Terraform's.)
TEST_P(JiraPermissionSchemeTest, GroupAndUserNameCaseIsNoDiff) {
  SetScheme({Grant("ADMINISTER_PROJECTS", "group", S("GitLab-Developers")),
             Grant("BROWSE_PROJECTS", "user", S("GITLAB"))});
  TFJ_ASSERT_OK(ws_->Apply());
  TFJ_ASSERT_OK(ws_->PlanMustBeEmpty());
  std::string key = ws_->AttrString("jira_user.gitlab", "key");
  std::set<std::string> lower;
  for (const auto& g : InJira().grants) {
    std::string p = g.holder.parameter;
    for (char& c : p) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    lower.insert(g.permission + "|" + g.holder.type + "|" + p);
  }
  std::string lower_key = key;
  for (char& c : lower_key) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  EXPECT_EQ(lower, (std::set<std::string>{"ADMINISTER_PROJECTS|group|gitlab-developers",
                                          "BROWSE_PROJECTS|user|" + lower_key}));
}

TEST_P(JiraPermissionSchemeTest, ImportByIdReadsGrantsThenPlanEmpty) {
  SetScheme({Grant("ADMINISTER_PROJECTS", "group", Ref("jira_group.devs", "name")),
             Grant("BROWSE_PROJECTS", "user", Ref("jira_user.gitlab", "name"))},
            "GitLab integration", std::nullopt);
  TFJ_ASSERT_OK(ws_->Apply());
  std::string id = ws_->AttrString("jira_permission_scheme.s", "id");
  TFJ_EXPECT_OK(ws_->ImportStateVerify("jira_permission_scheme.s", id));

  auto fresh = NewWorkspace();
  std::vector<Attrs> grants = {
      {{"permission", S("ADMINISTER_PROJECTS")}, {"holder_type", S("group")}, {"holder_parameter", S("gitlab-developers")}},
      {{"permission", S("BROWSE_PROJECTS")}, {"holder_type", S("user")}, {"holder_parameter", S("gitlab")}}};
  fresh->SetResource("jira_permission_scheme", "s",
                     {{"name", S("GitLab integration")},
                      {"grant", fresh->Blocks("jira_permission_scheme", "grant", grants)}});
  TFJ_ASSERT_OK(fresh->Import("jira_permission_scheme", "s", id));
  TFJ_ASSERT_OK(fresh->PlanMustBeEmpty());
  TFJ_EXPECT_ERROR_CONTAINS(fresh->Import("jira_permission_scheme", "t", "not-a-number"),
                            "Invalid import id");
}

TEST_P(JiraPermissionSchemeTest, BadInputGetsTheRightDiagnostic) {
  struct Case { Attrs grant; std::string summary; };
  std::vector<Case> cases = {
      {Grant("ADMINISTER_PROJECTS", "wizard", S("x")), "Unknown holder_type"},
      {Grant("ADMINISTER_PROJECTS", "group"), "Missing holder_parameter"},
      {Grant("ADMINISTER_PROJECTS", "anyone", S("x")), "Unexpected holder_parameter"},
      {Grant("ADMINISTER", "anyone"), "Global permission in a permission scheme"},
      {Grant("ADMINISTER_PROJECTZ", "anyone"), "Unknown permission"},
      {Grant("BROWSE_PROJECTS", "user", S("nobody")), "Unknown user in grant"},
  };
  for (const auto& c : cases) {
    SetScheme({c.grant});
    auto status = ws_->Apply();
    EXPECT_FALSE(status.ok()) << c.summary;
    bool found = false;
    for (const auto& d : ws_->last_diagnostics()) {
      found |= d.summary == c.summary && d.path && d.path->ToString() == "grant";
    }
    EXPECT_TRUE(found) << c.summary << ": " << ws_->last_diagnostics().ToString();
  }
  EXPECT_TRUE(SchemesNamed("GitLab integration").empty());
}

TFJ_INSTANTIATE_PROTOCOLS(JiraPermissionSchemeTest);

}  // namespace
}  // namespace tfjira::scenarios
