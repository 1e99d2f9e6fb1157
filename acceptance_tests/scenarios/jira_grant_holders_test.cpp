// Holders of permission-scheme grants that Jira does not know (harness, protocols 5 and 6):
// found at plan time, all of them in one run, each naming its grant on `grant`; users and
// groups are warnings then (another resource of the same apply may create them), roles are
// errors; at apply, every missing holder is reported together before anything is written.
#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

class JiraGrantHoldersTest : public JiraScenario {
 protected:
  Attrs Grant(const std::string& perm, const std::string& type, const std::string& param) {
    return Grant(perm, type, S(param));
  }
  Attrs Grant(const std::string& perm, const std::string& type, tf::Value param) {
    return {{"permission", S(perm)}, {"holder_type", S(type)}, {"holder_parameter", param}};
  }
  void SetScheme(Workspace& ws, std::vector<Attrs> grants) {
    ws.SetResource("jira_permission_scheme", "s",
                   {{"name", S("GitLab integration")},
                    {"grant", ws.Blocks("jira_permission_scheme", "grant", std::move(grants))}});
  }
  // "<severity> <summary>: <detail>" of every diagnostic on `grant`; fails on any elsewhere.
  std::vector<std::string> OnGrant(const Workspace& ws) {
    std::vector<std::string> out;
    for (const auto& d : ws.last_diagnostics()) {
      EXPECT_TRUE(d.path && d.path->ToString() == "grant") << d.summary << ": " << d.detail;
      out.push_back(std::string(d.severity == tf::Severity::kError ? "error " : "warning ") +
                    d.summary + ": " + d.detail);
    }
    return out;
  }
  static int Count(const std::vector<std::string>& items, const std::string& prefix,
                   const std::string& text) {
    int n = 0;
    for (const auto& s : items) n += s.rfind(prefix, 0) == 0 && s.find(text) != std::string::npos;
    return n;
  }
};

TEST_P(JiraGrantHoldersTest, PlanFindsEveryUnknownHolderInOneRun) {
  auto ws = NewWorkspace();
  SetScheme(*ws, {Grant("BROWSE_PROJECTS", "user", "nobody"),
                  Grant("BROWSE_PROJECTS", "group", "no-such-group"),
                  Grant("ADMINISTER_PROJECTS", "projectRole", "10999"),
                  Grant("EDIT_ISSUES", "projectRole", "10001")});
  std::vector<tfj::harness::PlannedChange> changes;
  EXPECT_FALSE(ws->Plan(&changes).ok());  // the role is an error
  auto found = OnGrant(*ws);
  EXPECT_EQ(found.size(), 3u) << ::testing::PrintToString(found);
  EXPECT_EQ(Count(found, "warning", "grant BROWSE_PROJECTS to user \"nobody\""), 1)
      << ::testing::PrintToString(found);
  EXPECT_EQ(Count(found, "warning", "grant BROWSE_PROJECTS to group \"no-such-group\""), 1)
      << ::testing::PrintToString(found);
  // The unknown role names the roles Jira has, with their ids.
  EXPECT_EQ(Count(found, "error", "grant ADMINISTER_PROJECTS to projectRole \"10999\""), 1)
      << ::testing::PrintToString(found);
  EXPECT_EQ(Count(found, "error", "Administrators (10002)"), 1) << ::testing::PrintToString(found);
  EXPECT_TRUE(SchemesNamed("GitLab integration").empty());
}

TEST_P(JiraGrantHoldersTest, ApplyReportsMissingUsersAndGroupsTogetherBeforeAnyWrite) {
  auto ws = NewWorkspace();
  SetScheme(*ws, {Grant("BROWSE_PROJECTS", "user", "nobody"),
                  Grant("BROWSE_PROJECTS", "group", "no-such-group"),
                  Grant("BROWSE_PROJECTS", "group", "jira-administrators")});
  EXPECT_FALSE(ws->Apply().ok());
  auto found = OnGrant(*ws);
  EXPECT_EQ(Count(found, "error", "\"nobody\""), 1) << ::testing::PrintToString(found);
  EXPECT_EQ(Count(found, "error", "\"no-such-group\""), 1) << ::testing::PrintToString(found);
  EXPECT_TRUE(SchemesNamed("GitLab integration").empty());
}

TEST_P(JiraGrantHoldersTest, HolderCreatedInTheSameApplyIsOnlyAWarningAtPlan) {
  // Not yet in Jira at plan time, created by the same apply (as the seed does): the plan
  // warns, the apply succeeds.
  auto ws = NewWorkspace();
  ws->SetResource("jira_group", "devs", {{"name", S("gitlab-developers")}});
  // jira_group.devs.name is known at plan time (it comes from the configuration).
  SetScheme(*ws, {Grant("BROWSE_PROJECTS", "group", Ref("jira_group.devs", "name"))});
  TFJ_ASSERT_OK(ws->Apply());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  EXPECT_EQ(SchemesNamed("GitLab integration").size(), 1u);
}

TEST_P(JiraGrantHoldersTest, StandaloneGrantChecksItsHolderAtPlan) {
  auto ws = NewWorkspace();
  ws->SetResource("jira_permission_scheme_grant", "g",
                  {{"scheme_id", S("0")}, {"permission", S("BROWSE_PROJECTS")},
                   {"holder_type", S("projectRole")}, {"holder_parameter", S("10999")}});
  std::vector<tfj::harness::PlannedChange> changes;
  EXPECT_FALSE(ws->Plan(&changes).ok());
  bool on_parameter = false;
  for (const auto& d : ws->last_diagnostics()) {
    on_parameter |= d.path && d.path->ToString() == "holder_parameter" &&
                    d.detail.find("Developers (10001)") != std::string::npos;
  }
  EXPECT_TRUE(on_parameter) << ws->last_diagnostics().ToString();
}

TFJ_INSTANTIATE_PROTOCOLS(JiraGrantHoldersTest);

}  // namespace
}  // namespace tfjira::scenarios
