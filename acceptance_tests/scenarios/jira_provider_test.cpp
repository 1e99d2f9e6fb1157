// The provider block against the emulator: environment variables, Jira Cloud refused,
// bad credentials, the CAPTCHA lockout, personal access tokens and bad attribute values.
#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

class JiraProviderTest : public JiraScenario {
 protected:
  std::unique_ptr<Workspace> WithConfig(Attrs config, std::map<std::string, std::string> env = {}) {
    auto o = Options(tfj::harness::JiraProviderBinary(), "registry.terraform.io/tfjira/jira");
    o.env = std::move(env);
    auto ws = std::make_unique<Workspace>(o);
    ws->SetProviderConfig(std::move(config));
    return ws;
  }
};

TEST_P(JiraProviderTest, EnvironmentConfiguresTheProvider) {
  auto ws = WithConfig({}, {{"JIRA_URL", emu().url()}, {"JIRA_USER", "admin"}, {"JIRA_PASSWORD", "admin"}});
  TFJ_ASSERT_OK(ws->Start());
  ws->SetResource("jira_group", "g", {{"name", S("from-env")}});
  TFJ_ASSERT_OK(ws->Apply());
  EXPECT_TRUE(GroupExists("from-env"));
}

TEST_P(JiraProviderTest, ExplicitAttributesBeatTheEnvironment) {
  auto ws = WithConfig({{"username", S("admin")}, {"password", S("admin")}},
                       {{"JIRA_URL", emu().url()}, {"JIRA_USERNAME", "nobody"},
                        {"JIRA_PASSWORD", "wrong"}});
  TFJ_ASSERT_OK(ws->Start());
}

TEST_P(JiraProviderTest, PersonalAccessToken) {
  emulator::Options o;
  o.tokens["pat-0123456789"] = "admin";
  StartEmulator(o);
  auto ws = WithConfig({{"url", S(emu().url())}, {"token", S("pat-0123456789")}});
  TFJ_ASSERT_OK(ws->Start());
  ws->SetResource("jira_group", "g", {{"name", S("via-token")}});
  TFJ_ASSERT_OK(ws->Apply());
}

TEST_P(JiraProviderTest, CloudIsRefused) {
  emulator::Options o;
  o.deployment_type = "Cloud";
  StartEmulator(o);
  auto ws = NewWorkspace(/*start=*/false);
  TFJ_EXPECT_ERROR_CONTAINS(ws->Start(), "Jira Cloud is not supported");
}

TEST_P(JiraProviderTest, BadCredentialsGetOneClearError) {
  auto ws = WithConfig({{"url", S(emu().url())}, {"username", S("admin")}, {"password", S("wrong-pw")}});
  TFJ_EXPECT_ERROR_CONTAINS(ws->Start(), "Jira rejected the credentials");
  int errors = 0;
  for (const auto& d : ws->last_diagnostics()) errors += d.severity == tf::Severity::kError;
  EXPECT_EQ(errors, 1) << ws->last_diagnostics().ToString();
  EXPECT_EQ(ws->last_diagnostics().ToString().find("wrong-pw"), std::string::npos);
}

TEST_P(JiraProviderTest, CaptchaLockoutIsReportedInPlainWords) {
  emulator::Options o;
  o.captcha_after = 1;
  StartEmulator(o);
  auto first = WithConfig({{"url", S(emu().url())}, {"username", S("admin")}, {"password", S("wrong")}});
  EXPECT_FALSE(first->Start().ok());
  // Now even the right password is refused until someone solves the CAPTCHA.
  auto ws = NewWorkspace(/*start=*/false);
  TFJ_EXPECT_ERROR_CONTAINS(ws->Start(), "CAPTCHA");
  EXPECT_NE(ws->last_diagnostics().ToString().find("CAPTCHA_CHALLENGE"), std::string::npos)
      << ws->last_diagnostics().ToString();
}

TEST_P(JiraProviderTest, BadAttributeValuesHaveAttributePaths) {
  struct Case { Attrs config; std::string path; };
  std::vector<Case> cases = {
      {{{"url", S("ftp://jira")}, {"token", S("t")}}, "url"},
      {{{"url", S(emu().url())}, {"token", S("t")}, {"username", S("u")}}, "token"},
      {{{"url", S(emu().url())}, {"username", S("admin")}}, "password"},
      {{{"url", S(emu().url())}, {"token", S("t")}, {"request_timeout", S("soon")}}, "request_timeout"},
  };
  for (const auto& c : cases) {
    auto ws = WithConfig(c.config);
    EXPECT_FALSE(ws->Start().ok()) << c.path;
    bool found = false;
    for (const auto& d : ws->last_diagnostics()) found |= d.path && d.path->ToString() == c.path;
    EXPECT_TRUE(found) << c.path << ": " << ws->last_diagnostics().ToString();
  }
}

TEST_P(JiraProviderTest, InsecureSkipVerifyWarns) {
  Attrs config = ProviderConfig();
  config["insecure_skip_verify"] = B(true);
  auto ws = WithConfig(config);
  TFJ_ASSERT_OK(ws->Start());
  bool warned = false;
  for (const auto& d : ws->last_diagnostics()) {
    warned |= d.severity == tf::Severity::kWarning && d.path &&
              d.path->ToString() == "insecure_skip_verify";
  }
  EXPECT_TRUE(warned) << ws->last_diagnostics().ToString();
}

TEST_P(JiraProviderTest, UnknownConfigurationDoesNotCrashThePlan) {
  // Terraform sends unknown provider values during plan when they come from resources
  // not yet created: Configure must accept that, and the plan of a new resource works.
  Attrs config = ProviderConfig();
  config["url"] = tf::Value::Unknown(tf::Type::String());
  auto ws = WithConfig(config);
  TFJ_ASSERT_OK(ws->Start());
  ws->SetResource("jira_group", "g", {{"name", S("planned")}});
  std::vector<tfj::harness::PlannedChange> changes;
  TFJ_ASSERT_OK(ws->Plan(&changes));
  EXPECT_EQ(ActionOf(*ws, "jira_group.g"), "create");
  // Applying needs Jira, which the unknown configuration cannot reach: a clear error.
  TFJ_EXPECT_ERROR_CONTAINS(ws->Apply(), "Jira provider not configured");
}

TFJ_INSTANTIATE_PROTOCOLS(JiraProviderTest);

}  // namespace
}  // namespace tfjira::scenarios
