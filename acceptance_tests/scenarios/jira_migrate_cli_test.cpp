// Moving from fourplusone/jira through the real terraform CLI. The state files are written
// in fourplusone's format (state format 4, provider registry.terraform.io/fourplusone/jira,
// schema version 0, its documented attributes as plain strings, `id` among them), since
// fourplusone itself cannot run here. Both ways of moving are covered for jira_user,
// jira_group and jira_group_membership: `terraform state replace-provider` followed by a
// plan that must be empty, and `moved` blocks whose plan shows the moves and no change. A
// fourplusone jira_project moved into one of our types is refused clearly. Skipped, with the
// reason, when terraform is not on PATH.
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "acceptance_tests/harness/terraform_cli.h"
#include "acceptance_tests/scenarios/jira_fixture.h"

namespace tfjira::scenarios {
namespace {

using tfj::harness::CliResult;
using tfj::harness::TerraformCli;

constexpr const char* kFourplusone = "registry.terraform.io/fourplusone/jira";
constexpr const char* kOurs = "registry.terraform.io/tfjira/jira";

// One resource of a state file as fourplusone (SDKv2) wrote it.
nlohmann::json FourplusoneResource(const std::string& type, const std::string& name,
                                   const nlohmann::json& attributes) {
  return {{"mode", "managed"},
          {"type", type},
          {"name", name},
          {"provider", std::string("provider[\"") + kFourplusone + "\"]"},
          {"instances",
           nlohmann::json::array({{{"schema_version", 0},
                                   {"attributes", attributes},
                                   {"sensitive_attributes", nlohmann::json::array()},
                                   {"private", "bnVsbA=="}}})}};  // base64("null"), as the SDK writes
}

std::string StateFile(const nlohmann::json& resources) {
  nlohmann::json state = {{"version", 4},
                          {"terraform_version", "1.5.7"},
                          {"serial", 3},
                          {"lineage", "5c1e7d0a-6b5e-4f7e-9a43-0f0c2b7d9e11"},
                          {"outputs", nlohmann::json::object()},
                          {"resources", resources},
                          {"check_results", nullptr}};
  return state.dump(2);
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

constexpr const char* kProviderHcl = R"(
terraform {
  required_providers {
    jira = { source = "registry.terraform.io/tfjira/jira" }
  }
}
provider "jira" {}
)";

std::string OurResources(const std::string& suffix) {
  return R"(
resource "jira_user" "svc)" + suffix + R"(" {
  name         = "svc:ci"
  email        = "svc@example.com"
  display_name = "Service account"
}
resource "jira_group" "ops)" + suffix + R"(" {
  name = "ops"
}
resource "jira_group_membership" "svc)" + suffix + R"(" {
  group    = jira_group.ops)" + suffix + R"(.name
  username = jira_user.svc)" + suffix + R"(.name
}
)";
}

class JiraMigrateCliTest : public JiraScenario {
 protected:
  // What fourplusone managed; the username contains ':' as fourplusone's id separator does.
  void SetUp() override {
    JiraScenario::SetUp();
    jira::NewUser nu;
    nu.name = "svc:ci";
    nu.email = "svc@example.com";
    nu.display_name = "Service account";
    auto created = Admin().CreateUser(nu);
    ASSERT_TRUE(created.ok()) << created.error().Message();
    key_ = created->key;
    ASSERT_TRUE(Admin().CreateGroup("ops").ok());
    ASSERT_TRUE(Admin().AddUserToGroup("ops", "svc:ci").ok());
  }
  nlohmann::json FourplusoneState(const std::string& suffix) const {
    return nlohmann::json::array(
        {FourplusoneResource("jira_user", "svc" + suffix,
                             {{"id", key_}, {"name", "svc:ci"}, {"email", "svc@example.com"},
                              {"display_name", "Service account"}}),
         FourplusoneResource("jira_group", "ops" + suffix, {{"id", "ops"}, {"name", "ops"}}),
         FourplusoneResource("jira_group_membership", "svc" + suffix,
                             {{"id", "svc:ci:ops"}, {"username", "svc:ci"}, {"group", "ops"}})});
  }
  std::unique_ptr<TerraformCli> Cli() {
    tfj::harness::TerraformCliOptions o;
    o.provider_binary = tfj::harness::JiraProviderBinary();
    o.provider_source = kOurs;
    o.protocol = GetParam();
    o.env = {{"JIRA_URL", emu().url()}, {"JIRA_USERNAME", "admin"}, {"JIRA_PASSWORD", "admin"}};
    // The state names fourplusone/jira, which is not installed here; Terraform only needs it
    // resolvable, and never calls it for a cross-provider move (MoveResourceState goes to
    // the target provider).
    o.extra_provider_sources = {kFourplusone};
    auto tf = std::make_unique<TerraformCli>(o);
    tfj::harness::Status s = tf->Setup();
    EXPECT_TRUE(s.ok()) << s;
    return tf;
  }
  void ExpectOurIds(const std::string& state_text, const std::string& suffix) {
    nlohmann::json state = nlohmann::json::parse(state_text, nullptr, false);
    ASSERT_TRUE(state.is_object()) << state_text;
    std::map<std::string, nlohmann::json> by_address;
    for (const auto& r : state["resources"]) {
      EXPECT_EQ(r["provider"], std::string("provider[\"") + kOurs + "\"]");
      by_address[r["type"].get<std::string>() + "." + r["name"].get<std::string>()] = r["instances"][0]["attributes"];
    }
    EXPECT_EQ(by_address["jira_user.svc" + suffix]["key"], key_);
    EXPECT_EQ(by_address["jira_user.svc" + suffix]["active"], true);
    EXPECT_EQ(by_address["jira_group.ops" + suffix]["id"], "ops");
    EXPECT_EQ(by_address["jira_group_membership.svc" + suffix]["id"], "ops/svc:ci");
  }
  std::string key_;
};

TEST_P(JiraMigrateCliTest, ReplaceProviderThenPlanIsEmpty) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  auto tf = Cli();
  std::ofstream(tf->dir() + "/terraform.tfstate") << StateFile(FourplusoneState(""));
  tf->WriteMainTf(std::string(kProviderHcl) + OurResources(""));
  CliResult r = tf->Run({"state", "replace-provider", "-auto-approve", "-no-color", kFourplusone, kOurs});
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  r = tf->Plan();
  ASSERT_EQ(r.exit_code, 0) << "the plan after replace-provider must be empty\n" << r.Describe();
  r = tf->Apply();  // saves the upgraded, refreshed state
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  ExpectOurIds(ReadAll(tf->dir() + "/terraform.tfstate"), "");
  EXPECT_TRUE(IsMember("ops", "svc:ci"));
}

TEST_P(JiraMigrateCliTest, MovedBlocksShowTheMovesAndNoChange) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  auto tf = Cli();
  std::ofstream(tf->dir() + "/terraform.tfstate") << StateFile(FourplusoneState("_old"));
  tf->WriteMainTf(std::string(kProviderHcl) + OurResources("") + R"(
moved {
  from = jira_user.svc_old
  to   = jira_user.svc
}
moved {
  from = jira_group.ops_old
  to   = jira_group.ops
}
moved {
  from = jira_group_membership.svc_old
  to   = jira_group_membership.svc
}
)");
  CliResult r = tf->Plan();
  ASSERT_NE(r.exit_code, 1) << r.Describe();
  for (const char* type : {"jira_user.svc", "jira_group.ops", "jira_group_membership.svc"}) {
    EXPECT_NE(r.out.find("# " + std::string(type) + "_old has moved to " + type), std::string::npos)
        << type << "\n" << r.out;
  }
  EXPECT_NE(r.out.find("0 to add, 0 to change, 0 to destroy"), std::string::npos) << r.out;
  r = tf->Apply();
  ASSERT_EQ(r.exit_code, 0) << r.Describe();
  r = tf->Plan();
  EXPECT_EQ(r.exit_code, 0) << r.Describe();
  ExpectOurIds(ReadAll(tf->dir() + "/terraform.tfstate"), "");
}

TEST_P(JiraMigrateCliTest, FourplusoneProjectIsRefusedClearly) {
  TFJ_SKIP_WITHOUT_TERRAFORM();
  auto tf = Cli();
  std::ofstream(tf->dir() + "/terraform.tfstate") << StateFile(nlohmann::json::array(
      {FourplusoneResource("jira_project", "ops",
                           {{"id", "10000"}, {"key", "OPS"}, {"name", "Ops"}, {"lead", "admin"},
                            {"project_type_key", "software"}})}));
  tf->WriteMainTf(std::string(kProviderHcl) + R"(
resource "jira_group" "ops" {
  name = "ops"
}
moved {
  from = jira_project.ops
  to   = jira_group.ops
}
)");
  CliResult r = tf->Plan();
  EXPECT_EQ(r.exit_code, 1) << r.Describe();
  EXPECT_NE(r.err.find("Unsupported resource move"), std::string::npos) << r.Describe();
  // Terraform wraps diagnostics at 78 columns: compare with the line breaks undone.
  std::string err = r.err;
  for (char& c : err) {
    if (c == '\n') c = ' ';
  }
  EXPECT_NE(err.find("cannot move jira_project of registry.terraform.io/fourplusone/jira into jira_group"),
            std::string::npos)
      << r.Describe();
}

TFJ_INSTANTIATE_PROTOCOLS(JiraMigrateCliTest);

}  // namespace
}  // namespace tfjira::scenarios
