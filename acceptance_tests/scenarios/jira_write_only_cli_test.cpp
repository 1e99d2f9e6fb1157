// jira_user.password_wo through the real terraform CLI (1.11+ for write-only attributes):
// the password comes from an ephemeral variable, never reaches the state file or the plan,
// signs in to the emulator, and bumping password_wo_version rotates it in place. Skipped,
// with the reason, when terraform is not on PATH.
#include <fstream>
#include <sstream>

#include "acceptance_tests/scenarios/jira_cli_fixture.h"

namespace tfjira::scenarios {
namespace {

const std::string kHcl = std::string(kJiraHclHeader) + R"(
variable "gitlab_password" {
  type      = string
  sensitive = true
  ephemeral = true
}

variable "gitlab_password_version" {
  type = number
}

resource "jira_user" "gitlab" {
  name                = "gitlab"
  email               = "gitlab@example.com"
  password_wo         = var.gitlab_password
  password_wo_version = var.gitlab_password_version
}
)";

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class JiraWriteOnlyCliTest : public JiraCliScenario {
 protected:
  bool SignsIn(const std::string& password) {
    jira::ClientConfig c;
    c.base_url = emu().url();
    c.username = "gitlab";
    c.password = password;
    c.max_retries = 0;
    auto as_user = jira::NewBeastClient(c);
    if (!as_user.ok()) return false;
    auto me = as_user.value()->GetMyself();
    return me.ok() && me->name == "gitlab";
  }
  static std::vector<std::string> Vars(const std::string& password, int version) {
    return {"-var=gitlab_password=" + password, "-var=gitlab_password_version=" + std::to_string(version)};
  }
  static std::vector<std::string> Cmd(std::vector<std::string> cmd, const std::vector<std::string>& vars) {
    cmd.insert(cmd.end(), vars.begin(), vars.end());
    return cmd;
  }
};

TEST_P(JiraWriteOnlyCliTest, PasswordNeverReachesStateOrPlan) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  tfj::harness::TerraformCliOptions o = PlainCliOptions();
  TerraformCli tf(o);
  TFJ_ASSERT_OK(tf.Setup());
  tf.WriteMainTf(kHcl);
  const std::string first = "First-Wo-s3cret", second = "Second-Wo-s3cret";
  const std::vector<std::string> kApply = {"apply", "-auto-approve", "-input=false", "-no-color"};
  const std::vector<std::string> kPlan = {"plan", "-detailed-exitcode", "-input=false", "-no-color"};

  CliResult r = tf.Run(Cmd(kApply, Vars(first, 1)));
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_TRUE(SignsIn(first));
  std::string state = ReadAll(tf.dir() + "/terraform.tfstate");
  ASSERT_NE(state.find("\"password_wo_version\""), std::string::npos) << state;
  EXPECT_EQ(state.find(first), std::string::npos) << "the password reached the state file";
  EXPECT_EQ(r.out.find(first), std::string::npos);

  // The empty plan stays empty, even with a different password but the same version.
  r = tf.Run(Cmd(kPlan, Vars(first, 1)));
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  r = tf.Run(Cmd(kPlan, Vars(second, 1)));
  EXPECT_EQ(r.exit_code, 0) << r.Describe();

  // A new version: an in-place update, and the saved plan shows no trace of the password.
  r = tf.Run(Cmd({"plan", "-input=false", "-no-color", "-out=rotate.tfplan"}, Vars(second, 2)));
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_NE(r.out.find("updated in-place"), std::string::npos) << r.out;
  CliResult shown = tf.Run({"show", "-json", "rotate.tfplan"});
  ASSERT_EQ(shown.exit_code, 0) << shown.Describe();
  EXPECT_NE(shown.out.find("password_wo_version"), std::string::npos);
  EXPECT_EQ(shown.out.find(second), std::string::npos) << "the password reached the plan";
  EXPECT_EQ(ReadAll(tf.dir() + "/rotate.tfplan").find(second), std::string::npos);

  r = tf.Run(Cmd(kApply, Vars(second, 2)));
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_TRUE(SignsIn(second));
  EXPECT_FALSE(SignsIn(first));
  state = ReadAll(tf.dir() + "/terraform.tfstate");
  EXPECT_EQ(state.find(second), std::string::npos);
  EXPECT_EQ(state.find(first), std::string::npos);
  r = tf.Run(Cmd(kPlan, Vars(second, 2)));
  EXPECT_EQ(r.exit_code, 0) << r.Describe();

  r = tf.Run(Cmd({"destroy", "-auto-approve", "-input=false", "-no-color"}, Vars(second, 2)));
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_FALSE(UserExists("gitlab"));
}

TEST_P(JiraWriteOnlyCliTest, PasswordAndPasswordWoConflictAtValidate) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  tfj::harness::TerraformCliOptions o = PlainCliOptions();
  TerraformCli tf(o);
  TFJ_ASSERT_OK(tf.Setup());
  tf.WriteMainTf(std::string(kJiraHclHeader) + R"(
resource "jira_user" "gitlab" {
  name        = "gitlab"
  email       = "gitlab@example.com"
  password    = "Plain-s3cret"
  password_wo = "Wo-s3cret"
}
)");
  CliResult r = tf.Plan();
  EXPECT_EQ(r.exit_code, 1) << r.Describe();
  EXPECT_NE(r.err.find("Conflicting password attributes"), std::string::npos) << r.Describe();
  EXPECT_NE(r.err.find("password_wo"), std::string::npos) << r.Describe();
  EXPECT_FALSE(UserExists("gitlab"));
}

TFJ_INSTANTIATE_PROTOCOLS(JiraWriteOnlyCliTest);

}  // namespace
}  // namespace tfjira::scenarios
