// `terraform test` of examples/gitlab-integration (its tests/*.tftest.hcl) against the Jira
// emulator, with the provider installed from a filesystem mirror of the fresh build: the
// way users test their own Jira modules offline. The test framework needs Terraform 1.6+,
// and the example itself 1.11+ (write-only password); skipped, with the reason, otherwise.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>

#include "acceptance_tests/ecosystem/command.h"
#include "provider/jira/client.h"

namespace tfj::ecosystem {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

// "1.11.4" -> {1, 11}; {0, 0} when unreadable.
std::pair<int, int> MajorMinor(const std::string& version) {
  int major = 0, minor = 0;
  if (std::sscanf(version.c_str(), "%d.%d", &major, &minor) != 2) return {0, 0};
  return {major, minor};
}

TEST(ExamplesTerraformTest, GitlabIntegrationTestSuitePassesAndCleansUp) {
  auto terraform = FindOnPath("terraform");
  if (!terraform) GTEST_SKIP() << "terraform is not on PATH; `terraform test` needs Terraform 1.6+";
  TempDir dir;
  WriteFile(dir.path() + "/empty.tfrc", "");
  auto version = RunCommand(Command({*terraform, "version", "-json"})
                                .Env(TerraformEnv(dir.path() + "/empty.tfrc"))
                                .Unset(TerraformUnsetEnv()));
  ASSERT_EQ(version.exit_code, 0) << version.Describe();
  auto doc = nlohmann::json::parse(version.out, nullptr, false);
  ASSERT_TRUE(doc.is_object() && doc.contains("terraform_version")) << version.out;
  auto [major, minor] = MajorMinor(doc["terraform_version"].get<std::string>());
  if (major < 1 || (major == 1 && minor < 6)) {
    GTEST_SKIP() << "Terraform " << doc["terraform_version"] << " has no `terraform test` (1.6+)";
  }
  if (major == 1 && minor < 11) {
    GTEST_SKIP() << "Terraform " << doc["terraform_version"]
                 << " cannot run the example, which needs 1.11+ for its write-only password";
  }

  std::string error;
  auto emulator = Emulator::Start(&error);
  ASSERT_NE(emulator, nullptr) << error;
  std::string mirror = dir.path() + "/mirror";
  auto install = RunCommand(Command({SourceDir() + "/scripts/install.sh", BuildDir()}).Env("TFJ_PLUGIN_DIR", mirror));
  ASSERT_EQ(install.exit_code, 0) << install.Describe();
  WriteFile(dir.path() + "/cli.tfrc", FilesystemMirrorCliConfig(mirror));
  std::string work = dir.path() + "/work";
  fs::copy(SourceDir() + "/examples/gitlab-integration", work, fs::copy_options::recursive);
  fs::remove_all(work + "/.terraform");

  auto tf = [&](std::vector<std::string> args) {
    args.insert(args.begin(), *terraform);
    args.push_back("-no-color");
    return RunCommand(Command(args)
                          .Env(TerraformEnv(dir.path() + "/cli.tfrc"))
                          .Unset(TerraformUnsetEnv())
                          .Env({{"JIRA_URL", emulator->url()}, {"JIRA_USERNAME", "admin"}, {"JIRA_PASSWORD", "admin"}})
                          .In(work));
  };
  auto init = tf({"init"});
  ASSERT_EQ(init.exit_code, 0) << init.Describe();
  auto test = tf({"test"});
  ASSERT_EQ(test.exit_code, 0) << test.Describe();
  EXPECT_THAT(test.out, HasSubstr("run \"apply\"... pass"));
  EXPECT_THAT(test.out, HasSubstr("run \"read_back\"... pass"));
  EXPECT_THAT(test.out, HasSubstr("2 passed, 0 failed"));
  EXPECT_THAT(test.out + test.err, ::testing::Not(HasSubstr("Test-only-Passw0rd")));

  // `terraform test` destroyed what it created.
  jira::ClientConfig config;
  config.base_url = emulator->url();
  config.username = "admin";
  config.password = "admin";
  auto jira = jira::NewBeastClient(config);
  ASSERT_TRUE(jira.ok());
  auto user = jira.value()->GetUserByName("gitlab-test");
  ASSERT_FALSE(user.ok());
  EXPECT_EQ(user.error().kind, jira::ErrorKind::kNotFound);
  auto group = jira.value()->GetGroup("gitlab-developers-test");
  ASSERT_FALSE(group.ok());
  EXPECT_EQ(group.error().kind, jira::ErrorKind::kNotFound);
}

}  // namespace
}  // namespace tfj::ecosystem
