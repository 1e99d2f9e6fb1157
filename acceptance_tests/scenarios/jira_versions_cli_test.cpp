// The seed scenario through the real terraform CLI (label cli) against each Jira version
// profile the provider supports (8.0 to 10.x, legacy user keys before 8.4), under injected
// faults (429, 503, dropped connections, lost answers): apply, empty plan, drift repaired,
// import into a fresh directory with an empty plan, destroy complete, nothing left in Jira
// and nothing duplicated. Protocol 6 through dev_overrides, protocol 5 through reattach; one
// test per version so that ctest runs them side by side. Skipped, with the reason, when
// terraform is not on PATH.
#include "acceptance_tests/scenarios/jira_cli_fixture.h"

namespace tfjira::scenarios {
namespace {

std::string SeedHcl(bool with_password) {
  return std::string(kJiraHclHeader) + R"(
resource "jira_user" "gitlab" {
  name         = "gitlab"
  email        = "gitlab@example.com"
  display_name = "GitLab integration"
)" + (with_password ? "  password     = \"GitLab-s3cret\"\n" : "") + R"(}
)" + (!with_password ? "" : R"(
resource "jira_group" "developers" {
  name = "gitlab-developers"
}
resource "jira_group_membership" "gitlab" {
  group    = jira_group.developers.name
  username = jira_user.gitlab.name
}
resource "jira_permission_scheme" "gitlab" {
  name = "GitLab integration"
  grant {
    permission       = "ADMINISTER_PROJECTS"
    holder_type      = "group"
    holder_parameter = jira_group.developers.name
  }
}
)");
}

// A sixth of the REST requests fail: every step still meets several faults, and the 500 ms
// base of the provider's backoff keeps a version's run near ten seconds.
constexpr double kFaultRate = 0.15;

class JiraVersionsCliTest : public JiraCliScenario {
 protected:
  void SetUp() override {}  // each test starts the Jira version it plays

  void RunSeedScenario(const std::string& version) {
    TFJ_SKIP_WITHOUT_TERRAFORM();
    const emulator::Options options = VersionProfile(version);
    StartEmulator(options);

    auto tf = NewCli();
    ASSERT_TRUE(tf);
    tf->WriteMainTf(SeedHcl(/*with_password=*/true));
    SetFaults(SomeFaults(kFaultRate));
    TFJ_ASSERT_EXIT(tf->Apply(), 0, "apply under faults");
    TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after apply must be empty");
    SetFaults(emulator::Faults());
    EXPECT_EQ(UsersNamed("gitlab"), 1) << "missing or duplicated user";
    EXPECT_EQ(GroupsNamed("gitlab-developers"), 1) << "missing or duplicated group";
    EXPECT_TRUE(IsMember("gitlab-developers", "gitlab"));
    auto schemes = SchemesNamed("GitLab integration");
    ASSERT_EQ(schemes.size(), 1u) << "missing or duplicated scheme";
    EXPECT_EQ(schemes[0].grants.size(), 1u) << "missing or duplicated grant";
    const std::string key = Admin().GetUserByName("gitlab")->key;
    if (options.key_style == emulator::KeyStyle::kLegacy) {
      EXPECT_EQ(key, "gitlab");
    }

    // Drift: the membership removed by hand is found and re-created.
    ASSERT_TRUE(Admin().RemoveUserFromGroup("gitlab-developers", "gitlab").ok());
    SetFaults(SomeFaults(kFaultRate));
    TFJ_EXPECT_EXIT(tf->Plan(), 2, "plan after the membership was removed by hand");
    TFJ_ASSERT_EXIT(tf->Apply(), 0, "repair under faults");
    TFJ_EXPECT_EXIT(tf->Plan(), 0, "plan after repair must be empty");
    SetFaults(emulator::Faults());
    EXPECT_TRUE(IsMember("gitlab-developers", "gitlab"));

    // Import by name into a fresh directory plans clean (no password there: Jira never
    // returns it), and finds the same user key.
    {
      auto fresh = NewCli();
      ASSERT_TRUE(fresh);
      fresh->WriteMainTf(SeedHcl(/*with_password=*/false));
      SetFaults(SomeFaults(kFaultRate));
      TFJ_ASSERT_EXIT(fresh->Import("jira_user.gitlab", "gitlab"), 0, "import under faults");
      TFJ_EXPECT_EXIT(fresh->Plan(), 0, "plan after import must be empty");
      SetFaults(emulator::Faults());
      tfj::harness::Status s;
      nlohmann::json shown = fresh->ShowJson(&s);
      ASSERT_TRUE(s.ok()) << s;
      EXPECT_EQ(shown["values"]["root_module"]["resources"][0]["values"]["key"], key);
    }

    SetFaults(SomeFaults(kFaultRate));
    TFJ_ASSERT_EXIT(tf->Destroy(), 0, "destroy under faults");
    SetFaults(emulator::Faults());
    EXPECT_EQ(UsersNamed("gitlab"), 0);
    EXPECT_EQ(GroupsNamed("gitlab-developers"), 0);
    EXPECT_TRUE(SchemesNamed("GitLab integration").empty());
  }

  int UsersNamed(const std::string& name) {
    auto found = Admin().SearchUsers(name, 0, 100, true);
    EXPECT_TRUE(found.ok());
    int n = 0;
    if (found.ok()) {
      for (const auto& u : found.value()) n += u.name == name;
    }
    return n;
  }
  // Groups with this exact name in the emulator's store (GET /group is gone in 10.x).
  int GroupsNamed(const std::string& name) {
    int n = 0;
    emu().router().WithStore([&](emulator::Store& s) {
      for (const auto& [_, g] : s.groups) n += g.name == name;
    });
    return n;
  }
};

TFJ_SEED_SCENARIO_PER_JIRA_VERSION(JiraVersionsCliTest)

TFJ_INSTANTIATE_PROTOCOLS(JiraVersionsCliTest);

}  // namespace
}  // namespace tfjira::scenarios
