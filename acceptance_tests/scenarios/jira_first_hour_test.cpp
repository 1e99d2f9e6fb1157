// What a new user meets first: errors that say what to do next.
#include <gmock/gmock.h>

#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

class JiraFirstHourTest : public JiraScenario {};

// The name is taken: the error names the existing scheme's id, which importing it needs.
TEST_P(JiraFirstHourTest, DuplicateSchemeNameGivesTheExistingId) {
  jira::PermissionScheme existing;
  existing.name = "Production projects";
  auto created = Admin().CreatePermissionScheme(existing);
  ASSERT_TRUE(created.ok()) << created.error().Message();
  auto ws = NewWorkspace();
  ws->SetResource("jira_permission_scheme", "s", {{"name", S("Production projects")}});
  auto status = ws->Apply();
  ASSERT_FALSE(status.ok());
  EXPECT_THAT(status.message(), ::testing::HasSubstr("with id " + std::to_string(created->id)));
  bool on_name = false;
  for (const auto& d : ws->last_diagnostics()) on_name |= d.path && d.path->ToString() == "name";
  EXPECT_TRUE(on_name) << ws->last_diagnostics().ToString();
  EXPECT_EQ(SchemesNamed("Production projects").size(), 1u);
}

// Jira would trim "  " or " qa" (or refuse it): rejected at plan time, on the attribute,
// before anything is created.
TEST_P(JiraFirstHourTest, BlankAndSurroundingSpaceNamesAreRejected) {
  auto ws = NewWorkspace();
  for (const char* name : {"  ", " qa", "qa "}) {
    ws->SetResource("jira_group", "g", {{"name", S(name)}});
    auto status = ws->Apply();
    EXPECT_FALSE(status.ok()) << "\"" << name << "\"";
    bool on_name = false;
    for (const auto& d : ws->last_diagnostics()) on_name |= d.path && d.path->ToString() == "name";
    EXPECT_TRUE(on_name) << ws->last_diagnostics().ToString();
  }
  EXPECT_FALSE(GroupExists("qa"));
  EXPECT_FALSE(GroupExists("  "));
}

// Holders Jira does not know are all reported in one run, each naming its grant; a user key
// where a username belongs says which username to use.
TEST_P(JiraFirstHourTest, GrantHolderErrorsComeTogetherAndSayWhatToUse) {
  jira::NewUser nu{"carol", "carol@example.com", "Carol", std::nullopt, false};
  auto carol = Admin().CreateUser(nu);
  ASSERT_TRUE(carol.ok()) << carol.error().Message();
  auto ws = NewWorkspace();
  auto grant = [](const char* permission, const char* type, const std::string& parameter) {
    return Attrs{{"permission", S(permission)}, {"holder_type", S(type)}, {"holder_parameter", S(parameter)}};
  };
  std::vector<Attrs> grants = {grant("BROWSE_PROJECTS", "user", carol->key),
                               grant("BROWSE_PROJECTS", "user", "nobody"),
                               grant("ADMINISTER_PROJECTS", "group", "no-such-group")};
  ws->SetResource("jira_permission_scheme", "s",
                  {{"name", S("GitLab integration")}, {"grant", ws->Blocks("jira_permission_scheme", "grant", grants)}});
  auto status = ws->Apply();
  ASSERT_FALSE(status.ok());
  const std::string all = ws->last_diagnostics().ToString();
  EXPECT_THAT(all, ::testing::HasSubstr("is a user key, not a username: use the username \"carol\""));
  EXPECT_THAT(all, ::testing::HasSubstr("grant BROWSE_PROJECTS to user \"nobody\""));
  EXPECT_THAT(all, ::testing::HasSubstr("Jira has no group \"no-such-group\""));
  for (const auto& d : ws->last_diagnostics()) {
    if (d.severity == tf::Severity::kError) {
      ASSERT_TRUE(d.path.has_value()) << all;
      EXPECT_EQ(d.path->ToString(), "grant") << all;
    }
  }
  EXPECT_TRUE(SchemesNamed("GitLab integration").empty());
}

// Jira compares group names case-insensitively: importing "QA/Testers" finds "qa/testers",
// and state holds Jira's spelling.
TEST_P(JiraFirstHourTest, ImportedGroupTakesJirasSpelling) {
  ASSERT_TRUE(Admin().CreateGroup("qa/testers").ok());
  auto ws = NewWorkspace();
  ws->SetResource("jira_group", "qa", {{"name", S("QA/Testers")}});
  TFJ_ASSERT_OK(ws->Import("jira_group", "qa", "QA/Testers"));
  EXPECT_EQ(ws->AttrString("jira_group.qa", "name"), "qa/testers");
  EXPECT_EQ(ws->AttrString("jira_group.qa", "id"), "qa/testers");
  TFJ_EXPECT_OK(ws->PlanMustBeEmpty());
}

// notify is read only when the user is created: changing it later plans nothing.
TEST_P(JiraFirstHourTest, NotifyIsCreateOnly) {
  auto ws = NewWorkspace();
  ws->SetResource("jira_user", "u", {{"name", S("carol")}, {"email", S("carol@example.com")}});
  TFJ_ASSERT_OK(ws->Apply());
  ws->SetResource("jira_user", "u", {{"name", S("carol")}, {"email", S("carol@example.com")}, {"notify", B(true)}});
  TFJ_EXPECT_OK(ws->PlanMustBeEmpty());
  ws->SetResource("jira_user", "u", {{"name", S("carol")}, {"email", S("carol@example.com")}, {"notify", B(false)}});
  TFJ_EXPECT_OK(ws->PlanMustBeEmpty());
}

TFJ_INSTANTIATE_PROTOCOLS(JiraFirstHourTest);

}  // namespace
}  // namespace tfjira::scenarios
