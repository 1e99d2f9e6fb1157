// A Jira Data Center cluster (emulator --nodes 2) through the real terraform CLI, protocol 6
// (dev_overrides: a provider process per command) and 5 (reattach: one provider process for
// every command): the shipped GitLab walkthrough applied, an empty plan, drift repaired and
// destroy, with the provider's debug log captured and checked for the session cookie. Under reattach the one process keeps one
// node for all its commands. Skipped, with the reason, when terraform is not on PATH.
#include <cstdlib>
#include <filesystem>
#include <regex>

#include "acceptance_tests/harness/terraform_cli.h"
#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

using tfj::harness::CliResult;
using tfj::harness::TerraformCli;

// The shipped walkthrough (examples/gitlab-integration), every .tf file of it.
void CopyExample(const std::string& to) {
  const char* env = std::getenv("TFJ_SOURCE_DIR");
  const std::filesystem::path source =
      std::filesystem::path(env != nullptr && *env != '\0' ? env : TFJ_DEFAULT_SOURCE_DIR) /
      "examples" / "gitlab-integration";
  for (const auto& entry : std::filesystem::directory_iterator(source)) {
    if (entry.path().extension() != ".tf") continue;
    std::filesystem::copy_file(entry.path(), std::filesystem::path(to) / entry.path().filename(),
                               std::filesystem::copy_options::overwrite_existing);
  }
}

class JiraClusterCliTest : public JiraScenario {};

TEST_P(JiraClusterCliTest, OneRunOneNodeAndNoCookieInTheLog) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  emulator::Options o;
  o.nodes = 2;
  // Within a command the cookie keeps a provider process on its node. Between commands (a
  // new process each under protocol 6, landing on any node) the cluster has replicated: the
  // CLI here starts the next command within ~100 ms, faster than any person, so the delay
  // is kept below that.
  o.replication_delay = std::chrono::milliseconds(50);
  StartEmulator(o);
  tfj::harness::TerraformCliOptions cli;
  cli.provider_binary = tfj::harness::JiraProviderBinary();
  cli.provider_source = "registry.terraform.io/tfjira/jira";
  cli.protocol = GetParam();
  cli.env = {{"JIRA_URL", emu().url()},
             {"JIRA_USERNAME", "admin"},
             {"JIRA_PASSWORD", "admin"},
             {"TF_LOG", "DEBUG"},
             {"TF_VAR_gitlab_password", "GitLab-s3cret"},
             {"TF_VAR_jira_project_keys", "[\"GL\"]"}};
  TerraformCli tf(cli);
  TFJ_ASSERT_OK(tf.Setup());
  CopyExample(tf.dir());

  std::string logs;
  auto run = [&](CliResult r, int code, const std::string& step) {
    EXPECT_EQ(r.exit_code, code) << step << "\n" << r.Describe();
    logs += r.out + r.err;
  };
  run(tf.Apply(), 0, "apply");
  run(tf.Plan(), 0, "plan after apply must be empty");
  if (GetParam() == 5) {
    // One provider process served both commands: it never left its node.
    EXPECT_EQ(emu().Stats()["nodes"].size(), 1u) << emu().Stats().dump();
  }

  auto schemes = SchemesNamed("GitLab integration");
  ASSERT_EQ(schemes.size(), 1u);
  EXPECT_EQ(Admin().GetProjectPermissionScheme("GL")->id, schemes[0].id);

  ASSERT_TRUE(Admin().RemoveUserFromGroup("gitlab-developers", "gitlab").ok());
  run(tf.Plan(), 2, "plan after the membership was removed by hand");
  run(tf.Apply(), 0, "repair");
  run(tf.Plan(), 0, "plan after repair must be empty");
  EXPECT_TRUE(IsMember("gitlab-developers", "gitlab"));
  run(tf.Destroy(), 0, "destroy");
  EXPECT_FALSE(UserExists("gitlab"));
  EXPECT_TRUE(SchemesNamed("GitLab integration").empty());
  EXPECT_EQ(Admin().GetProjectPermissionScheme("GL")->id, 0) << "GL back on its earlier scheme";

  if (tf.reattach()) logs += tf.ProviderStderr();
  // The debug log was captured (it shows the requests), and holds no session cookie.
  EXPECT_NE(logs.find("/rest/api/2/"), std::string::npos) << "no provider debug log captured";
  EXPECT_EQ(logs.find("JSESSIONID"), std::string::npos);
  EXPECT_FALSE(std::regex_search(logs, std::regex("[0-9A-F]{32}\\.node[0-9]")))
      << "a session id reached the log";
}

TFJ_INSTANTIATE_PROTOCOLS(JiraClusterCliTest);

}  // namespace
}  // namespace tfjira::scenarios
