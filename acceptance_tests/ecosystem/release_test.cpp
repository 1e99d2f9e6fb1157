// scripts/release.sh and scripts/install.sh against the freshly built provider: the files
// the registry and `terraform providers mirror` expect, and the local mirror Terraform's
// `init` finds on its own.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <set>
#include <sstream>

#include "acceptance_tests/ecosystem/command.h"

namespace tfj::ecosystem {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;

constexpr char kVersion[] = "0.1.0";
constexpr char kPlatform[] = "linux_amd64";
constexpr char kPrefix[] = "terraform-provider-jira_0.1.0";

std::string ProviderBinary() { return BinDir() + "/terraform-provider-jira"; }

CommandResult RunRelease(const std::string& dist, std::map<std::string, std::string> env = {}) {
  return RunCommand(Command({SourceDir() + "/scripts/release.sh", BuildDir(), dist}).Env(env));
}

// "<hash>  <file>" lines -> file -> hash.
std::map<std::string, std::string> ParseSums(const std::string& text) {
  std::map<std::string, std::string> sums;
  std::istringstream in(text);
  std::string hash, file;
  while (in >> hash >> file) sums[file] = hash;
  return sums;
}

std::string Sha256(const std::string& path) {
  auto r = RunCommand(Command({"sha256sum", path}));
  return r.out.substr(0, r.out.find(' '));
}

TEST(ReleaseTest, WritesZipManifestAndChecksumsInRegistryLayout) {
  TempDir dist;
  auto r = RunRelease(dist.path());
  ASSERT_EQ(r.exit_code, 0) << r.Describe();

  std::set<std::string> names;
  for (const auto& entry : fs::directory_iterator(dist.path())) names.insert(entry.path().filename().string());
  std::string zip = std::string(kPrefix) + "_" + kPlatform + ".zip";
  std::string manifest = std::string(kPrefix) + "_manifest.json";
  std::string sums = std::string(kPrefix) + "_SHA256SUMS";
  EXPECT_EQ(names, (std::set<std::string>{zip, manifest, sums}));

  // The zip holds exactly the versioned binary at its root, and that binary is ours.
  auto list = RunCommand(Command({"unzip", "-Z1", dist.path() + "/" + zip}));
  ASSERT_EQ(list.exit_code, 0) << list.Describe();
  EXPECT_EQ(list.out, std::string("terraform-provider-jira_v") + kVersion + "\n");
  TempDir unpacked;
  auto unzip = RunCommand(Command({"unzip", "-q", dist.path() + "/" + zip, "-d", unpacked.path()}));
  ASSERT_EQ(unzip.exit_code, 0) << unzip.Describe();
  std::string inner = unpacked.path() + "/terraform-provider-jira_v" + kVersion;
  EXPECT_EQ(fs::status(inner).permissions() & fs::perms::owner_exec, fs::perms::owner_exec);
  auto version = RunCommand(Command({inner, "--version"}));
  EXPECT_EQ(version.exit_code, 0) << version.Describe();
  EXPECT_THAT(version.out + version.err, HasSubstr(kVersion));

  // The manifest declares both protocols, as the registry reads it.
  auto json = nlohmann::json::parse(ReadFile(dist.path() + "/" + manifest), nullptr, false);
  ASSERT_FALSE(json.is_discarded()) << ReadFile(dist.path() + "/" + manifest);
  EXPECT_EQ(json, nlohmann::json::parse(R"({"version":1,"metadata":{"protocol_versions":["5.0","6.0"]}})"));

  // SHA256SUMS covers the zip and the manifest, and verifies.
  auto entries = ParseSums(ReadFile(dist.path() + "/" + sums));
  ASSERT_EQ(entries.size(), 2u) << ReadFile(dist.path() + "/" + sums);
  EXPECT_EQ(entries[zip], Sha256(dist.path() + "/" + zip));
  EXPECT_EQ(entries[manifest], Sha256(dist.path() + "/" + manifest));
  auto check = RunCommand(Command({"sha256sum", "--check", "--strict", sums}).In(dist.path()));
  EXPECT_EQ(check.exit_code, 0) << check.Describe();
}

TEST(ReleaseTest, IsReproducibleForOneSourceDateEpoch) {
  TempDir first;
  TempDir second;
  ASSERT_EQ(RunRelease(first.path(), {{"SOURCE_DATE_EPOCH", "1700000000"}}).exit_code, 0);
  ASSERT_EQ(RunRelease(second.path(), {{"SOURCE_DATE_EPOCH", "1700000000"}}).exit_code, 0);
  std::string sums = std::string("/") + kPrefix + "_SHA256SUMS";
  EXPECT_EQ(ReadFile(first.path() + sums), ReadFile(second.path() + sums));
}

TEST(ReleaseTest, RefusesABinaryThatReportsAnotherVersion) {
  TempDir dist;
  auto r = RunRelease(dist.path(), {{"VERSION", "9.9.9"}});
  EXPECT_NE(r.exit_code, 0) << r.Describe();
  EXPECT_THAT(r.err, HasSubstr("expected it to contain 9.9.9"));
  EXPECT_FALSE(fs::exists(dist.path() + "/terraform-provider-jira_9.9.9_SHA256SUMS"));
}

// The zip dropped into a packed filesystem mirror is what `terraform init` installs, and
// the checksum it records is the one in SHA256SUMS.
TEST(ReleaseCliTest, TerraformInitInstallsTheZipFromAFilesystemMirror) {
  auto terraform = FindTerraformCli();
  if (!terraform) GTEST_SKIP() << "neither terraform nor tofu is on PATH";
  TempDir dir;
  std::string dist = dir.path() + "/dist";
  ASSERT_EQ(RunRelease(dist).exit_code, 0);
  std::string zip = std::string(kPrefix) + "_" + kPlatform + ".zip";
  for (const char* host : {"registry.terraform.io", "registry.opentofu.org"}) {
    std::string target = dir.path() + "/mirror/" + host + "/tfjira/jira/";
    fs::create_directories(target);
    fs::copy_file(dist + "/" + zip, target + zip);
  }
  WriteFile(dir.path() + "/cli.tfrc", FilesystemMirrorCliConfig(dir.path() + "/mirror"));
  WriteFile(dir.path() + "/work/main.tf",
            "terraform {\n  required_providers {\n    jira = {\n      source  = \"tfjira/jira\"\n"
            "      version = \"0.1.0\"\n    }\n  }\n}\n");

  auto init = RunCommand(Command({*terraform, "init", "-no-color"})
                             .Env(TerraformEnv(dir.path() + "/cli.tfrc"))
                             .Unset(TerraformUnsetEnv())
                             .In(dir.path() + "/work"));
  ASSERT_EQ(init.exit_code, 0) << init.Describe();
  EXPECT_THAT(init.out, HasSubstr("Installing tfjira/jira v0.1.0"));
  // A mirror's packages are recorded by their content hash (zh: hashes come only from a
  // registry's signed SHA256SUMS).
  EXPECT_THAT(ReadFile(dir.path() + "/work/.terraform.lock.hcl"), HasSubstr("\"h1:"));

  // What init unpacked is exactly the binary inside the zip.
  TempDir unpacked;
  auto unzip = RunCommand(Command({"unzip", "-q", dist + "/" + zip, "-d", unpacked.path()}));
  ASSERT_EQ(unzip.exit_code, 0) << unzip.Describe();
  std::string installed = dir.path() + "/work/.terraform/providers/registry.terraform.io/tfjira/jira/0.1.0/" +
                          kPlatform + "/terraform-provider-jira_v0.1.0";
  ASSERT_TRUE(fs::exists(installed)) << init.Describe();
  EXPECT_TRUE(ReadFile(installed) == ReadFile(unpacked.path() + "/terraform-provider-jira_v0.1.0"));
}

TEST(InstallTest, PutsTheBinaryInTheImpliedLocalMirror) {
  TempDir home;
  auto r = RunCommand(Command({SourceDir() + "/scripts/install.sh", BuildDir()})
                          .Env("HOME", home.path())
                          .Unset({"TFJ_PLUGIN_DIR", "VERSION"}));
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  std::string installed = home.path() + "/.terraform.d/plugins/registry.terraform.io/tfjira/jira/" + kVersion + "/" +
                          kPlatform + "/terraform-provider-jira_v" + kVersion;
  ASSERT_TRUE(fs::exists(installed)) << r.Describe();
  EXPECT_EQ(fs::status(installed).permissions() & fs::perms::owner_exec, fs::perms::owner_exec);
  EXPECT_EQ(ReadFile(installed), ReadFile(ProviderBinary()));
  EXPECT_THAT(r.out, HasSubstr("source  = \"tfjira/jira\""));
}

TEST(InstallTest, HonoursThePluginDirOverride) {
  TempDir dir;
  auto r = RunCommand(Command({SourceDir() + "/scripts/install.sh", BuildDir()})
                          .Env("TFJ_PLUGIN_DIR", dir.path() + "/plugins")
                          .Env("HOME", dir.path() + "/home"));
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  EXPECT_TRUE(fs::exists(dir.path() + "/plugins/registry.terraform.io/tfjira/jira/0.1.0/linux_amd64/"
                                      "terraform-provider-jira_v0.1.0"));
  EXPECT_FALSE(fs::exists(dir.path() + "/home/.terraform.d"));
}

TEST(InstallTest, FailsClearlyWithoutABuild) {
  TempDir dir;
  auto r = RunCommand(Command({SourceDir() + "/scripts/install.sh", dir.path()})
                          .Env("TFJ_PLUGIN_DIR", dir.path() + "/plugins"));
  EXPECT_NE(r.exit_code, 0);
  EXPECT_THAT(r.err, HasSubstr("run 'make build' first"));
}

// `make install`, then a configuration with only the required_providers block: terraform
// init finds the provider in ~/.terraform.d/plugins with no CLI configuration at all.
TEST(InstallCliTest, TerraformInitFindsTheInstalledProvider) {
  auto terraform = FindTerraformCli();
  if (!terraform) GTEST_SKIP() << "neither terraform nor tofu is on PATH";
  if (terraform->ends_with("/tofu")) GTEST_SKIP() << "OpenTofu's implied mirror uses its own registry host";
  TempDir home;
  auto install = RunCommand(Command({SourceDir() + "/scripts/install.sh", BuildDir()})
                                .Env("HOME", home.path())
                                .Unset({"TFJ_PLUGIN_DIR", "VERSION"}));
  ASSERT_EQ(install.exit_code, 0) << install.Describe();
  WriteFile(home.path() + "/empty.tfrc", "");
  WriteFile(home.path() + "/work/main.tf",
            "terraform {\n  required_providers {\n    jira = {\n      source = \"tfjira/jira\"\n    }\n  }\n}\n");
  auto env = TerraformEnv(home.path() + "/empty.tfrc");
  env["HOME"] = home.path();
  auto unset = TerraformUnsetEnv();
  unset.push_back("XDG_DATA_HOME");
  unset.push_back("XDG_DATA_DIRS");
  auto init = RunCommand(Command({*terraform, "init", "-no-color"}).Env(env).Unset(unset).In(home.path() + "/work"));
  ASSERT_EQ(init.exit_code, 0) << init.Describe();
  EXPECT_THAT(init.out, HasSubstr("Installing tfjira/jira v0.1.0"));
  EXPECT_TRUE(fs::exists(home.path() + "/work/.terraform/providers/registry.terraform.io/tfjira/jira/0.1.0/"
                                       "linux_amd64/terraform-provider-jira_v0.1.0"));
}

}  // namespace
}  // namespace tfj::ecosystem
