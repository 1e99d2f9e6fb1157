// examples/ through a real Terraform CLI (skipped without one): the GitLab-integration
// walkthrough installs our provider from a filesystem mirror, applies against the emulator,
// re-plans empty and destroys; and every example is in canonical `terraform fmt` style.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "acceptance_tests/ecosystem/command.h"
#include "provider/jira/client.h"

namespace tfj::ecosystem {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

std::shared_ptr<jira::Client> AdminClient(const std::string& url) {
  jira::ClientConfig config;
  config.base_url = url;
  config.username = "admin";
  config.password = "admin";
  auto client = jira::NewBeastClient(config);
  return client.ok() ? *client : nullptr;
}

TEST(ExamplesCliTest, GitlabIntegrationInitApplyPlanEmptyDestroy) {
  auto terraform = FindTerraformCli();
  if (!terraform) GTEST_SKIP() << "neither terraform nor tofu is on PATH";
  std::string error;
  auto emulator = Emulator::Start(&error);
  ASSERT_NE(emulator, nullptr) << error;
  auto jira = AdminClient(emulator->url());
  ASSERT_NE(jira, nullptr);

  // A filesystem mirror built from the fresh binary, for both registry host names.
  TempDir dir;
  std::string mirror = dir.path() + "/mirror";
  auto install = RunCommand(Command({SourceDir() + "/scripts/install.sh", BuildDir()}).Env("TFJ_PLUGIN_DIR", mirror));
  ASSERT_EQ(install.exit_code, 0) << install.Describe();
  fs::copy(mirror + "/registry.terraform.io", mirror + "/registry.opentofu.org", fs::copy_options::recursive);
  WriteFile(dir.path() + "/cli.tfrc", FilesystemMirrorCliConfig(mirror));
  std::string work = dir.path() + "/work";
  fs::create_directories(work);
  for (const auto& entry : fs::directory_iterator(SourceDir() + "/examples/gitlab-integration")) {
    if (entry.path().extension() == ".tf") fs::copy_file(entry.path(), work + "/" + entry.path().filename().string());
  }

  const std::string password = "Example-Passw0rd-For-GitLab";
  auto tf = [&](std::vector<std::string> args) {
    args.insert(args.begin(), *terraform);
    args.push_back("-no-color");
    return RunCommand(Command(args)
                          .Env(TerraformEnv(dir.path() + "/cli.tfrc"))
                          .Unset(TerraformUnsetEnv())
                          .Env({{"JIRA_URL", emulator->url()},
                                {"JIRA_USERNAME", "admin"},
                                {"JIRA_PASSWORD", "admin"},
                                {"TF_VAR_gitlab_password", password}})
                          .In(work));
  };

  auto init = tf({"init"});
  ASSERT_EQ(init.exit_code, 0) << init.Describe();
  EXPECT_THAT(init.out, HasSubstr("Installing tfjira/jira v0.1.0"));

  auto apply = tf({"apply", "-auto-approve"});
  ASSERT_EQ(apply.exit_code, 0) << apply.Describe();
  EXPECT_THAT(apply.out, HasSubstr("Apply complete! Resources: 4 added, 0 changed, 0 destroyed."));
  EXPECT_THAT(apply.out + apply.err, ::testing::Not(HasSubstr(password)));

  auto output = tf({"output", "-json"});
  ASSERT_EQ(output.exit_code, 0) << output.Describe();
  auto outputs = nlohmann::json::parse(output.out, nullptr, false);
  ASSERT_FALSE(outputs.is_discarded()) << output.out;
  EXPECT_EQ(outputs["username"]["value"], "gitlab");
  // The password is write-only from an ephemeral variable: no output, nothing in state, and
  // it signs in to Jira.
  EXPECT_FALSE(outputs.contains("password"));
  std::ifstream state_file(work + "/terraform.tfstate");
  std::stringstream state;
  state << state_file.rdbuf();
  EXPECT_THAT(state.str(), HasSubstr("password_wo_version"));
  EXPECT_THAT(state.str(), ::testing::Not(HasSubstr(password)));
  {
    jira::ClientConfig as_gitlab;
    as_gitlab.base_url = emulator->url();
    as_gitlab.username = "gitlab";
    as_gitlab.password = password;
    as_gitlab.max_retries = 0;
    auto client = jira::NewBeastClient(as_gitlab);
    ASSERT_TRUE(client.ok());
    auto me = client.value()->GetMyself();
    ASSERT_TRUE(me.ok()) << me.error().Message();
    EXPECT_EQ(me->name, "gitlab");
  }

  // Jira holds what the walkthrough describes.
  auto user = jira->GetUserByName("gitlab", /*with_groups=*/true);
  ASSERT_TRUE(user.ok()) << user.error().Message();
  EXPECT_EQ(user->email, "gitlab@example.com");
  EXPECT_THAT(user->groups, ::testing::Contains("gitlab-developers"));
  std::string scheme_id = outputs["permission_scheme_id"]["value"].get<std::string>();
  auto scheme = jira->GetPermissionScheme(std::stoll(scheme_id));
  ASSERT_TRUE(scheme.ok()) << scheme.error().Message();
  EXPECT_EQ(scheme->name, "GitLab integration");
  ASSERT_EQ(scheme->grants.size(), 1u);
  EXPECT_EQ(scheme->grants[0].permission, "ADMINISTER_PROJECTS");
  EXPECT_EQ(scheme->grants[0].holder.type, "group");
  EXPECT_EQ(scheme->grants[0].holder.parameter, "gitlab-developers");

  auto plan = tf({"plan", "-detailed-exitcode"});
  EXPECT_EQ(plan.exit_code, 0) << "the plan right after apply must be empty\n" << plan.Describe();
  EXPECT_THAT(plan.out, HasSubstr("No changes."));

  auto destroy = tf({"destroy", "-auto-approve"});
  ASSERT_EQ(destroy.exit_code, 0) << destroy.Describe();
  EXPECT_THAT(destroy.out, HasSubstr("Destroy complete! Resources: 4 destroyed."));
  auto gone_user = jira->GetUserByName("gitlab");
  ASSERT_FALSE(gone_user.ok());
  EXPECT_EQ(gone_user.error().kind, jira::ErrorKind::kNotFound);
  auto gone_group = jira->GetGroup("gitlab-developers");
  ASSERT_FALSE(gone_group.ok());
  EXPECT_EQ(gone_group.error().kind, jira::ErrorKind::kNotFound);
  auto gone_scheme = jira->GetPermissionScheme(std::stoll(scheme_id));
  ASSERT_FALSE(gone_scheme.ok());
  EXPECT_EQ(gone_scheme.error().kind, jira::ErrorKind::kNotFound);
}

// Every resource and data-source example is a complete configuration: copied alone into an
// empty directory, it applies on a fresh Jira (nothing in it but what Jira ships with), the
// next plan is empty, and it destroys cleanly. An example that imports a fixed id, or refers
// to a resource it does not declare, fails here.
TEST(ExamplesCliTest, EveryExampleAppliesOnAFreshJiraAndPlansClean) {
  auto terraform = FindTerraformCli();
  if (!terraform) GTEST_SKIP() << "neither terraform nor tofu is on PATH";
  TempDir dir;
  std::string mirror = dir.path() + "/mirror";
  auto install = RunCommand(Command({SourceDir() + "/scripts/install.sh", BuildDir()}).Env("TFJ_PLUGIN_DIR", mirror));
  ASSERT_EQ(install.exit_code, 0) << install.Describe();
  fs::copy(mirror + "/registry.terraform.io", mirror + "/registry.opentofu.org", fs::copy_options::recursive);
  WriteFile(dir.path() + "/cli.tfrc", FilesystemMirrorCliConfig(mirror));

  std::vector<fs::path> examples;
  for (const char* kind : {"resources", "data-sources"}) {
    for (const auto& entry : fs::directory_iterator(SourceDir() + "/examples/" + kind)) {
      for (const char* file : {"resource.tf", "data-source.tf"}) {
        if (fs::exists(entry.path() / file)) examples.push_back(entry.path() / file);
      }
    }
  }
  std::sort(examples.begin(), examples.end());
  ASSERT_GE(examples.size(), 7u) << "examples/ lost some examples";

  for (const auto& example : examples) {
    SCOPED_TRACE(example.string());
    std::string error;
    auto emulator = Emulator::Start(&error);  // a fresh, empty Jira for each example
    ASSERT_NE(emulator, nullptr) << error;
    std::string work = dir.path() + "/" + example.parent_path().filename().string() + "-" +
                       example.stem().string();
    fs::create_directories(work);
    fs::copy_file(example, work + "/main.tf");
    auto tf = [&](std::vector<std::string> args) {
      args.insert(args.begin(), *terraform);
      args.push_back("-no-color");
      return RunCommand(Command(args)
                            .Env(TerraformEnv(dir.path() + "/cli.tfrc"))
                            .Unset(TerraformUnsetEnv())
                            .Env({{"JIRA_URL", emulator->url()},
                                  {"JIRA_USERNAME", "admin"},
                                  {"JIRA_PASSWORD", "admin"},
                                  {"TF_VAR_gitlab_password", "Example-Passw0rd-For-GitLab"}})
                            .In(work));
    };
    auto init = tf({"init"});
    ASSERT_EQ(init.exit_code, 0) << init.Describe();
    auto apply = tf({"apply", "-auto-approve"});
    ASSERT_EQ(apply.exit_code, 0) << apply.Describe();
    EXPECT_THAT(apply.out, HasSubstr("Apply complete!"));
    EXPECT_THAT(apply.out, ::testing::Not(HasSubstr("imported")));
    auto plan = tf({"plan", "-detailed-exitcode"});
    EXPECT_EQ(plan.exit_code, 0) << "the plan right after apply must be empty\n" << plan.Describe();
    auto destroy = tf({"destroy", "-auto-approve"});
    EXPECT_EQ(destroy.exit_code, 0) << destroy.Describe();
  }
}

TEST(ExamplesCliTest, ExamplesAreInCanonicalFormat) {
  auto terraform = FindTerraformCli();
  if (!terraform) GTEST_SKIP() << "neither terraform nor tofu is on PATH";
  TempDir dir;
  WriteFile(dir.path() + "/empty.tfrc", "");
  auto fmt = RunCommand(Command({*terraform, "fmt", "-check", "-recursive", "-diff", "-no-color",
                                 SourceDir() + "/examples"})
                            .Env(TerraformEnv(dir.path() + "/empty.tfrc"))
                            .Unset(TerraformUnsetEnv()));
  EXPECT_EQ(fmt.exit_code, 0) << "run `terraform fmt -recursive examples`\n" << fmt.Describe();
}

}  // namespace
}  // namespace tfj::ecosystem
