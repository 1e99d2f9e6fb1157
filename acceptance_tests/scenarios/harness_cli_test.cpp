// The real terraform CLI against our binaries (skipped, with the reason, when terraform is
// not on PATH): protocol 6 through dev_overrides, protocol 5 through reattach. The schema
// Terraform shows must be exactly the one the provider declares over gRPC, `terraform
// validate` must accept valid and reject invalid configurations with our diagnostic, and
// the test provider must survive a full apply / plan / import / destroy cycle.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "acceptance_tests/harness/driver.h"
#include "acceptance_tests/harness/launcher.h"
#include "acceptance_tests/harness/terraform_cli.h"
#include "acceptance_tests/harness/testing.h"
#include "acceptance_tests/testprovider/store.h"

namespace tfj::harness {
namespace {

using nlohmann::json;

const char* NestingName(tf::Nesting n) {
  switch (n) {
    case tf::Nesting::kSingle: return "single";
    case tf::Nesting::kList: return "list";
    case tf::Nesting::kSet: return "set";
    case tf::Nesting::kMap: return "map";
    case tf::Nesting::kGroup: return "group";
  }
  return "?";
}

// Terraform's `providers schema -json` rendering of one block against what we declared.
void ExpectBlockMatches(const json& jb, const tf::Block& block, const std::string& where) {
  json attrs = jb.value("attributes", json::object());
  EXPECT_EQ(attrs.size(), block.attributes.size()) << where << ": " << attrs.dump();
  for (const auto& a : block.attributes) {
    SCOPED_TRACE(where + "." + a.name);
    ASSERT_TRUE(attrs.contains(a.name)) << "missing attribute in terraform's schema";
    const json& ja = attrs[a.name];
    EXPECT_EQ(ja.at("type"), json::parse(a.type.ToJson()));
    EXPECT_EQ(ja.value("required", false), a.required);
    EXPECT_EQ(ja.value("optional", false), a.optional);
    EXPECT_EQ(ja.value("computed", false), a.computed);
    EXPECT_EQ(ja.value("sensitive", false), a.sensitive);
    EXPECT_EQ(ja.value("deprecated", false), a.deprecated);
    EXPECT_EQ(ja.value("description", ""), a.description);
    EXPECT_EQ(ja.value("description_kind", "plain"),
              a.description_kind == tf::StringKind::kMarkdown ? "markdown" : "plain");
  }
  json blocks = jb.value("block_types", json::object());
  EXPECT_EQ(blocks.size(), block.block_types.size()) << where;
  for (const auto& nb : block.block_types) {
    SCOPED_TRACE(where + "." + nb.type_name);
    ASSERT_TRUE(blocks.contains(nb.type_name)) << "missing block in terraform's schema";
    const json& jnb = blocks[nb.type_name];
    EXPECT_EQ(jnb.at("nesting_mode"), NestingName(nb.nesting));
    EXPECT_EQ(jnb.value("min_items", 0), nb.min_items);
    EXPECT_EQ(jnb.value("max_items", 0), nb.max_items);
    ExpectBlockMatches(jnb.at("block"), *nb.block, where + "." + nb.type_name);
  }
}

void ExpectSchemaMatches(const json& js, const tf::Schema& schema, const std::string& where) {
  EXPECT_EQ(js.value("version", 0), schema.version) << where;
  ExpectBlockMatches(js.at("block"), schema.block, where);
}

struct ProviderUnderTest {
  std::string binary;
  std::string source;
  std::string local_name;
};

class CliTest : public ProtocolTest {
 protected:
  void SetUp() override { TFJ_SKIP_WITHOUT_TERRAFORM(); }

  std::unique_ptr<TerraformCli> NewCli(const ProviderUnderTest& p) {
    TerraformCliOptions o;
    o.provider_binary = p.binary;
    o.provider_source = p.source;
    o.protocol = protocol();
    return std::make_unique<TerraformCli>(o);
  }

  static ProviderUnderTest TestProvider() {
    return {TestProviderBinary(), "registry.terraform.io/tfjira/tfjtest", "tfjtest"};
  }
  static ProviderUnderTest JiraProvider() {
    return {JiraProviderBinary(), "registry.terraform.io/tfjira/jira", "jira"};
  }

  static std::string RequiredProviders(const ProviderUnderTest& p) {
    std::string short_source = p.source.substr(p.source.find('/') + 1);
    return "terraform {\n  required_providers {\n    " + p.local_name + " = {\n      source = \"" +
           short_source + "\"\n    }\n  }\n}\n";
  }

  void CheckSchema(const ProviderUnderTest& p) {
    auto cli = NewCli(p);
    TFJ_ASSERT_OK(cli->Setup());
    cli->WriteMainTf(RequiredProviders(p));
    Status status;
    json doc = cli->ProvidersSchemaJson(&status);
    ASSERT_TRUE(status.ok()) << status;
    ASSERT_TRUE(doc["provider_schemas"].contains(p.source)) << doc.dump().substr(0, 2000);
    const json& ps = doc["provider_schemas"][p.source];

    LaunchOptions lo;
    lo.binary = p.binary;
    lo.protocol_versions = std::to_string(protocol());
    auto process = ProviderProcess::Launch(lo, &status);
    ASSERT_TRUE(status.ok()) << status;
    auto driver = Driver::Create(protocol(), process->channel());
    const ProviderSchemas& ours = driver->Schemas();
    ASSERT_FALSE(ours.diagnostics.HasError()) << ours.diagnostics.ToString();

    ExpectSchemaMatches(ps.at("provider"), ours.provider, "provider");
    json resources = ps.value("resource_schemas", json::object());
    EXPECT_EQ(resources.size(), ours.resources.size());
    for (const auto& [name, schema] : ours.resources) {
      ASSERT_TRUE(resources.contains(name)) << name;
      ExpectSchemaMatches(resources[name], schema, name);
    }
    json data = ps.value("data_source_schemas", json::object());
    EXPECT_EQ(data.size(), ours.data_sources.size());
    for (const auto& [name, schema] : ours.data_sources) {
      ASSERT_TRUE(data.contains(name)) << name;
      ExpectSchemaMatches(data[name], schema, "data." + name);
    }
    TFJ_EXPECT_OK(process->Shutdown());
  }

  // validate -json must accept `valid` and reject `invalid` with `summary` at `attribute`.
  void CheckValidate(const ProviderUnderTest& p, const std::string& valid, const std::string& invalid,
                     const std::string& summary) {
    auto cli = NewCli(p);
    TFJ_ASSERT_OK(cli->Setup());
    cli->WriteMainTf(RequiredProviders(p) + valid);
    CliResult ok = cli->Validate();
    json okj = json::parse(ok.out, nullptr, false);
    ASSERT_FALSE(okj.is_discarded()) << ok.Describe();
    EXPECT_TRUE(okj.value("valid", false)) << ok.Describe();
    EXPECT_EQ(ok.exit_code, 0) << ok.Describe();

    cli->WriteMainTf(RequiredProviders(p) + invalid);
    CliResult bad = cli->Validate();
    json badj = json::parse(bad.out, nullptr, false);
    ASSERT_FALSE(badj.is_discarded()) << bad.Describe();
    EXPECT_FALSE(badj.value("valid", true)) << bad.Describe();
    EXPECT_NE(bad.exit_code, 0);
    bool found = false;
    for (const auto& d : badj.value("diagnostics", json::array())) {
      if (d.value("severity", "") == "error" && d.value("summary", "") == summary) found = true;
    }
    EXPECT_TRUE(found) << "no error diagnostic \"" << summary << "\" in:\n" << bad.Describe();
  }
};

TEST_P(CliTest, TestProviderSchemaIsExactlyAsDeclared) { CheckSchema(TestProvider()); }

TEST_P(CliTest, JiraProviderSchemaIsExactlyAsDeclared) { CheckSchema(JiraProvider()); }

TEST_P(CliTest, TestProviderValidateUsesOurDiagnostic) {
  CheckValidate(TestProvider(), "resource \"tfjtest_thing\" \"a\" {\n  name = \"alpha\"\n}\n",
                "resource \"tfjtest_thing\" \"a\" {\n  name = \"a/b\"\n}\n", "Invalid thing name");
}

TEST_P(CliTest, JiraProviderValidateUsesOurDiagnostic) {
  CheckValidate(JiraProvider(),
                "resource \"jira_user\" \"u\" {\n  name  = \"gitlab\"\n  email = \"gitlab@example.com\"\n}\n",
                "resource \"jira_user\" \"u\" {\n  name  = \"gitlab\"\n  email = \"not-an-email\"\n}\n",
                "Invalid e-mail address");
}

TEST_P(CliTest, TestProviderApplyPlanImportDestroyCycle) {
  TempDir store_dir;
  std::string store = store_dir.File("store.json");
  auto cli = NewCli(TestProvider());
  TFJ_ASSERT_OK(cli->Setup());
  cli->WriteMainTf(RequiredProviders(TestProvider()) + "provider \"tfjtest\" {\n  store_path = \"" + store +
                   "\"\n}\n"
                   "resource \"tfjtest_thing\" \"a\" {\n  name  = \"alpha\"\n  zone  = \"z1\"\n"
                   "  label = \"Blue\"\n  tag {\n    key   = \"env\"\n    value = \"prod\"\n  }\n"
                   "  tag {\n    key = \"team\"\n  }\n}\n");
  Status status;
  json planned = cli->PlanJson(&status);
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_EQ(planned["resource_changes"].size(), 1u) << planned.dump();
  EXPECT_EQ(planned["resource_changes"][0]["change"]["actions"], json::array({"create"}));
  EXPECT_TRUE(planned["resource_changes"][0]["change"]["after_unknown"].value("id", false));

  CliResult apply = cli->Apply();
  ASSERT_EQ(apply.exit_code, 0) << apply.Describe();
  testprovider::ThingStore things(store);
  ASSERT_EQ(things.Count(), 1u);

  CliResult plan = cli->Plan();
  EXPECT_EQ(plan.exit_code, 0) << "plan after apply must be empty\n" << plan.Describe();

  json state = cli->ShowJson(&status);
  ASSERT_TRUE(status.ok()) << status;
  std::string id = state["values"]["root_module"]["resources"][0]["values"]["id"].get<std::string>();
  EXPECT_TRUE(things.Get(id));

  CliResult rm = cli->Run({"state", "rm", "tfjtest_thing.a"});
  ASSERT_EQ(rm.exit_code, 0) << rm.Describe();
  CliResult import = cli->Import("tfjtest_thing.a", id);
  ASSERT_EQ(import.exit_code, 0) << import.Describe();
  plan = cli->Plan();
  EXPECT_EQ(plan.exit_code, 0) << "plan after import must be empty\n" << plan.Describe();

  CliResult destroy = cli->Destroy();
  ASSERT_EQ(destroy.exit_code, 0) << destroy.Describe();
  EXPECT_EQ(things.Count(), 0u);
}

TFJ_INSTANTIATE_PROTOCOLS(CliTest);

}  // namespace
}  // namespace tfj::harness
