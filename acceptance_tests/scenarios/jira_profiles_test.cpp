// The seed scenario against a Jira that answers in German, masks e-mail addresses and nests
// groups, under injected faults; a redirecting proxy in front of Jira; deletes Jira refuses.
#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

class JiraProfilesTest : public JiraScenario {};

TEST_P(JiraProfilesTest, GermanMaskedEmailNestedGroupsUnderFaults) {
  for (uint64_t seed : {1, 2, 3}) {
    SCOPED_TRACE("emulator seed " + std::to_string(seed));
    emulator::Options options;
    options.seed = seed;
    options.language = emulator::Language::kGerman;
    options.email_visibility = emulator::EmailVisibility::kMasked;
    options.nested_groups = true;
    // gitlab-developers exists inside all-developers (an LDAP-style nest), and is adopted by
    // import: Jira then lists all-developers among gitlab's groups too.
    options.nests = {{"gitlab-developers", "all-developers"}};
    StartEmulator(options);
    auto ws = NewWorkspace(/*start=*/false);
    TFJ_ASSERT_OK(ws->Start());
    ConfigureSeed(*ws);
    TFJ_ASSERT_OK(ws->Import("jira_group", "developers", "gitlab-developers"));
    SetFaults(SomeFaults());
    TFJ_ASSERT_OK(ws->Apply());
    TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

    // Changing display_name: no inconsistent result on the masked e-mail, no later diff.
    ConfigureSeed(*ws, "GitLab (production)");
    TFJ_ASSERT_OK(ws->Apply());
    EXPECT_EQ(ActionOf(*ws, "jira_user.gitlab"), "update");
    TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
    EXPECT_EQ(ws->AttrString("jira_user.gitlab", "email"), "gitlab@example.com");
    SetFaults(emulator::Faults());
    EXPECT_TRUE(IsMember("gitlab-developers", "gitlab"));

    // Drift: the direct membership removed by hand is found and re-created.
    ASSERT_TRUE(Admin().RemoveUserFromGroup("gitlab-developers", "gitlab").ok());
    SetFaults(SomeFaults());
    TFJ_ASSERT_OK(ws->Apply());
    EXPECT_EQ(ActionOf(*ws, "jira_group_membership.gitlab"), "create");
    TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
    SetFaults(emulator::Faults());

    // Import plans clean although Jira shows only "gitlab at example dot com".
    auto fresh = NewWorkspace();
    fresh->SetResource("jira_user", "gitlab",
                       {{"name", S("gitlab")},
                        {"email", S("GitLab@example.com")},
                        {"display_name", S("GitLab (production)")}});
    TFJ_ASSERT_OK(fresh->Import("jira_user", "gitlab", "gitlab"));
    TFJ_ASSERT_OK(fresh->PlanMustBeEmpty());
    EXPECT_EQ(fresh->AttrString("jira_user.gitlab", "email"), "gitlab at example dot com");
    TFJ_ASSERT_OK(fresh->Stop());

    // Destroy under faults: German refusals after lost answers are settled by reads.
    SetFaults(SomeFaults());
    TFJ_ASSERT_OK(ws->Destroy());
    SetFaults(emulator::Faults());
    EXPECT_FALSE(UserExists("gitlab"));
    EXPECT_FALSE(GroupExists("gitlab-developers"));
    EXPECT_TRUE(SchemesNamed("GitLab integration").empty());
    EXPECT_TRUE(GroupExists("all-developers"));
    TFJ_ASSERT_OK(ws->Stop());
  }
}

TEST_P(JiraProfilesTest, RedirectingProxyIsReportedWithTheLocation) {
  emulator::Options target;
  StartEmulator(target);
  const std::string real_url = emu().url();
  // A second emulator plays the proxy: everything it gets is redirected to the real one.
  emulator::Options proxy_options;
  proxy_options.redirect_url = real_url + "/jira";
  proxy_options.redirect_status = 301;
  emulator::Server proxy(proxy_options);
  proxy.Start();
  auto ws = std::make_unique<Workspace>(
      Options(tfj::harness::JiraProviderBinary(), "registry.terraform.io/tfjira/jira"));
  Attrs config = ProviderConfig();
  config["url"] = S(proxy.url());
  ws->SetProviderConfig(config);
  ws->SetResource("jira_group", "developers", {{"name", S("gitlab-developers")}});
  tfj::harness::Status s = ws->Start();
  if (s.ok()) s = ws->Apply();
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find(real_url + "/jira/rest/api/2/serverInfo"), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find("set url"), std::string::npos) << s.message();
  EXPECT_EQ(s.message().find("admin:admin"), std::string::npos);
  EXPECT_FALSE(GroupExists("gitlab-developers"));
  proxy.Stop();
}

TEST_P(JiraProfilesTest, RefusedDeletesNameTheWayOut) {
  emulator::Options options;
  options.language = emulator::Language::kGerman;
  options.groups = {"archive"};
  options.restricted_groups = {"restricted"};
  options.users = {{"reporter", "Reporter-pw-1", "Reporter", "reporter@example.com"}};
  options.users_with_content = {"reporter"};
  StartEmulator(options);
  auto ws = NewWorkspace();
  ws->SetResource("jira_group", "restricted", {{"name", S("restricted")}});
  ws->SetResource("jira_user", "reporter",
                  {{"name", S("reporter")},
                   {"email", S("reporter@example.com")},
                   {"display_name", S("Reporter")}});
  TFJ_ASSERT_OK(ws->Import("jira_group", "restricted", "restricted"));
  TFJ_ASSERT_OK(ws->Import("jira_user", "reporter", "reporter"));
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());

  // Destroying the user: Jira refuses (they reported an issue); the error says what to do.
  const Attrs reporter = {{"name", S("reporter")},
                          {"email", S("reporter@example.com")},
                          {"display_name", S("Reporter")}};
  ws->RemoveResource("jira_user", "reporter");
  tfj::harness::Status refused = ws->Apply();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("active = false"), std::string::npos) << refused.message();
  EXPECT_TRUE(UserExists("reporter"));
  ws->SetResource("jira_user", "reporter", reporter);

  // Destroying the group: Jira needs a swap group; the error names the attribute.
  ws->RemoveResource("jira_group", "restricted");
  refused = ws->Apply();
  ASSERT_FALSE(refused.ok());
  EXPECT_NE(refused.message().find("delete_swap_group"), std::string::npos) << refused.message();
  EXPECT_TRUE(GroupExists("restricted"));

  // With a swap group in state the group goes; the user is deactivated instead.
  ws->SetResource("jira_group", "restricted",
                  {{"name", S("restricted")}, {"delete_swap_group", S("archive")}});
  ws->SetResource("jira_user", "reporter",
                  {{"name", S("reporter")},
                   {"email", S("reporter@example.com")},
                   {"display_name", S("Reporter")},
                   {"active", B(false)}});
  TFJ_ASSERT_OK(ws->Apply());
  TFJ_ASSERT_OK(ws->PlanMustBeEmpty());
  EXPECT_FALSE(Admin().GetUserByName("reporter")->active);
  ws->RemoveResource("jira_group", "restricted");
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_FALSE(GroupExists("restricted"));
}

TFJ_INSTANTIATE_PROTOCOLS(JiraProfilesTest);

}  // namespace
}  // namespace tfjira::scenarios
