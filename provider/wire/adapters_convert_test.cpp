// Conversion tests that both protocol adapters must pass alike: paths, diagnostics,
// DynamicValue, schema encoding, UTF-8 repair and the RPC-specific messages. Each adapter's
// own file (provider/proto5/convert_test.cpp, provider/proto6/convert_test.cpp) keeps only
// what differs between the protocols, such as field numbers.
#include <gtest/gtest.h>

#include <stdexcept>
#include <utility>

#include "provider/proto5/convert.h"
#include "provider/proto6/convert.h"
#include "provider/wire/convert_shared.h"

namespace tfj::wire {
namespace {

// One protocol's generated types, under the names the tests use, and its adapter's
// conversions. Protocol 5 calls ValidateResourceConfig "ValidateResourceTypeConfig".
struct Protocol5 {
  using AttributePath = tfplugin5::AttributePath;
  using Diagnostic = tfplugin5::Diagnostic;
  using Schema = tfplugin5::Schema;
  using ValidateResourceConfig = tfplugin5::ValidateResourceTypeConfig;
  using ReadResource = tfplugin5::ReadResource;
  using PlanResourceChange = tfplugin5::PlanResourceChange;
  using ApplyResourceChange = tfplugin5::ApplyResourceChange;
  using UpgradeResourceState = tfplugin5::UpgradeResourceState;
  using MoveResourceState = tfplugin5::MoveResourceState;
  using ImportResourceState = tfplugin5::ImportResourceState;
  using GetProviderSchema = tfplugin5::GetProviderSchema;
  static constexpr auto kMarkdown = tfplugin5::MARKDOWN;
  template <typename M>
  static auto FromProto(const M& pb) { return proto5::FromProto(pb); }
  template <typename R, typename M>
  static void ToProto(const R& r, M* pb) { proto5::ToProto(r, pb); }
};

struct Protocol6 {
  using AttributePath = tfplugin6::AttributePath;
  using Diagnostic = tfplugin6::Diagnostic;
  using Schema = tfplugin6::Schema;
  using ValidateResourceConfig = tfplugin6::ValidateResourceConfig;
  using ReadResource = tfplugin6::ReadResource;
  using PlanResourceChange = tfplugin6::PlanResourceChange;
  using ApplyResourceChange = tfplugin6::ApplyResourceChange;
  using UpgradeResourceState = tfplugin6::UpgradeResourceState;
  using MoveResourceState = tfplugin6::MoveResourceState;
  using ImportResourceState = tfplugin6::ImportResourceState;
  using GetProviderSchema = tfplugin6::GetProviderSchema;
  static constexpr auto kMarkdown = tfplugin6::MARKDOWN;
  template <typename M>
  static auto FromProto(const M& pb) { return proto6::FromProto(pb); }
  template <typename R, typename M>
  static void ToProto(const R& r, M* pb) { proto6::ToProto(r, pb); }
};

template <typename Protocol>
class AdapterConvert : public ::testing::Test {};

class ProtocolNames {
 public:
  template <typename T>
  static std::string GetName(int) { return std::is_same_v<T, Protocol5> ? "Protocol5" : "Protocol6"; }
};
using Protocols = ::testing::Types<Protocol5, Protocol6>;
TYPED_TEST_SUITE(AdapterConvert, Protocols, ProtocolNames);

tf::Path SamplePath() { return tf::Path().AtName("members").AtIndex(2).AtKey("k\"ey").AtName("name"); }

TYPED_TEST(AdapterConvert, PathRoundTripsEveryStepKind) {
  typename TypeParam::AttributePath pb;
  PathToProto(SamplePath(), &pb);
  ASSERT_EQ(pb.steps_size(), 4);
  EXPECT_EQ(pb.steps(0).attribute_name(), "members");
  EXPECT_EQ(pb.steps(1).element_key_int(), 2);
  EXPECT_EQ(pb.steps(2).element_key_string(), "k\"ey");
  EXPECT_EQ(pb.steps(3).attribute_name(), "name");
  EXPECT_EQ(PathFromProto(pb), SamplePath());
}

TYPED_TEST(AdapterConvert, PathStopsAtStepWithoutSelector) {
  typename TypeParam::AttributePath pb;
  pb.add_steps()->set_attribute_name("a");
  pb.add_steps();  // no selector set
  pb.add_steps()->set_attribute_name("b");
  EXPECT_EQ(PathFromProto(pb), tf::Path().AtName("a"));
}

TYPED_TEST(AdapterConvert, DiagnosticsKeepSeverityTextAndPath) {
  tf::Diagnostics diags;
  diags.AddAttributeError(tf::Path().AtName("email"), "Invalid email", "must contain @");
  diags.AddWarning("Deprecated", "use x");
  typename TypeParam::ValidateResourceConfig::Response pb;
  DiagnosticsToProto(diags, &pb);
  ASSERT_EQ(pb.diagnostics_size(), 2);
  EXPECT_EQ(pb.diagnostics(0).severity(), TypeParam::Diagnostic::ERROR);
  EXPECT_EQ(pb.diagnostics(0).summary(), "Invalid email");
  EXPECT_EQ(pb.diagnostics(0).detail(), "must contain @");
  ASSERT_EQ(pb.diagnostics(0).attribute().steps_size(), 1);
  EXPECT_EQ(pb.diagnostics(0).attribute().steps(0).attribute_name(), "email");
  EXPECT_EQ(pb.diagnostics(1).severity(), TypeParam::Diagnostic::WARNING);
  EXPECT_FALSE(pb.diagnostics(1).has_attribute());
  EXPECT_EQ(DiagnosticFromProto(pb.diagnostics(0)), diags.items()[0]);
}

TYPED_TEST(AdapterConvert, InvalidSeverityIsSentAsError) {
  tf::Diagnostic d;
  d.severity = tf::Severity::kInvalid;
  d.summary = "x";
  typename TypeParam::Diagnostic pb;
  DiagnosticToProto(d, &pb);
  EXPECT_EQ(pb.severity(), TypeParam::Diagnostic::ERROR);
}

TYPED_TEST(AdapterConvert, InvalidUtf8IsRepairedSoTheMessageSerialises) {
  tf::Diagnostic d;
  d.summary = std::string("bad \xff byte");
  d.detail = std::string("cut \xe2\x82");  // truncated 3-byte sequence
  d.path = tf::Path().AtKey(std::string("k\xc0\xaf"));  // overlong '/'
  typename TypeParam::Diagnostic pb;
  DiagnosticToProto(d, &pb);
  EXPECT_EQ(pb.summary(), "bad \xef\xbf\xbd byte");
  EXPECT_EQ(pb.detail(), "cut \xef\xbf\xbd\xef\xbf\xbd");
  std::string bytes;
  EXPECT_TRUE(pb.SerializeToString(&bytes));
  typename TypeParam::Diagnostic back;
  EXPECT_TRUE(back.ParseFromString(bytes));
  EXPECT_EQ(back.summary(), pb.summary());
}

TEST(WireConvert, SanitizeKeepsValidUtf8) {
  const std::string ok = "plain, caf\xc3\xa9, \xe2\x82\xac, \xf0\x9f\x98\x80";
  EXPECT_EQ(SanitizeUtf8(ok), ok);
  EXPECT_EQ(SanitizeUtf8("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // surrogate
  EXPECT_EQ(SanitizeUtf8("\xf4\x90\x80\x80").substr(0, 3), "\xef\xbf\xbd");          // > U+10FFFF
}

TYPED_TEST(AdapterConvert, EmptyDynamicValueIsSentAsMsgpackNull) {
  tf::ReadResourceResponse r;  // new_state left empty: the object is gone
  typename TypeParam::ReadResource::Response pb;
  TypeParam::ToProto(r, &pb);
  EXPECT_EQ(pb.new_state().msgpack(), "\xc0");
  EXPECT_TRUE(pb.new_state().json().empty());
}

TYPED_TEST(AdapterConvert, DynamicValuesAndPrivateAreCopied) {
  typename TypeParam::PlanResourceChange::Request pb;
  pb.set_type_name("jira_user");
  pb.mutable_prior_state()->set_msgpack("\x81\xa1" "a\x01");
  pb.mutable_config()->set_json("{}");
  pb.set_prior_private("p");
  tf::PlanResourceChangeRequest r = TypeParam::FromProto(pb);
  EXPECT_EQ(r.type_name, "jira_user");
  EXPECT_EQ(r.prior_state.msgpack, pb.prior_state().msgpack());
  EXPECT_EQ(r.config.json, "{}");
  EXPECT_TRUE(r.proposed_new_state.empty());
  EXPECT_EQ(r.prior_private, "p");

  tf::PlanResourceChangeResponse resp;
  resp.planned_state.msgpack = "\x80";
  resp.requires_replace = {tf::Path().AtName("name")};
  resp.planned_private = "q";
  typename TypeParam::PlanResourceChange::Response out;
  TypeParam::ToProto(resp, &out);
  EXPECT_EQ(out.planned_state().msgpack(), "\x80");
  ASSERT_EQ(out.requires_replace_size(), 1);
  EXPECT_EQ(out.requires_replace(0).steps(0).attribute_name(), "name");
  EXPECT_EQ(out.planned_private(), "q");
  EXPECT_FALSE(out.legacy_type_system());
}

TYPED_TEST(AdapterConvert, UpgradeRequestCarriesJsonAndFlatmap) {
  typename TypeParam::UpgradeResourceState::Request pb;
  pb.set_type_name("t");
  pb.set_version(3);
  pb.mutable_raw_state()->set_json("{\"a\":1}");
  (*pb.mutable_raw_state()->mutable_flatmap())["a"] = "1";
  tf::UpgradeResourceStateRequest r = TypeParam::FromProto(pb);
  EXPECT_EQ(r.version, 3);
  EXPECT_EQ(r.raw_json, "{\"a\":1}");
  EXPECT_EQ(r.flatmap.at("a"), "1");
}

tf::Schema SampleSchema() {
  tf::Schema s;
  s.version = 2;
  tf::Attribute name;
  name.name = "name";
  name.type = tf::Type::String();
  name.required = true;
  name.description = "The name";
  name.description_kind = tf::StringKind::kMarkdown;
  tf::Attribute old;
  old.name = "old";
  old.type = tf::Type::Set(tf::Type::String());
  old.optional = true;
  old.computed = true;
  old.sensitive = true;
  old.deprecated = true;
  old.deprecation_message = "use name";
  tf::Attribute quiet;  // a message without the deprecated flag must not be sent
  quiet.name = "quiet";
  quiet.type = tf::Type::Bool();
  quiet.optional = true;
  quiet.deprecation_message = "ignored";
  s.block.attributes = {name, old, quiet};
  tf::NestedBlock nb;
  nb.type_name = "permission";
  nb.nesting = tf::Nesting::kSet;
  nb.min_items = 1;
  nb.max_items = 0;
  nb.block = std::make_shared<tf::Block>();
  tf::Attribute holder;
  holder.name = "holder";
  holder.type = tf::Type::String();
  holder.required = true;
  nb.block->attributes = {holder};
  tf::NestedBlock empty;
  empty.type_name = "empty";
  empty.nesting = tf::Nesting::kSingle;  // block pointer left null on purpose
  s.block.block_types = {nb, empty};
  s.block.description = "desc";
  return s;
}

TYPED_TEST(AdapterConvert, SchemaEncodesEveryField) {
  typename TypeParam::Schema pb;
  SchemaToProto(SampleSchema(), &pb);
  EXPECT_EQ(pb.version(), 2);
  ASSERT_TRUE(pb.has_block());
  ASSERT_EQ(pb.block().attributes_size(), 3);
  const auto& name = pb.block().attributes(0);
  EXPECT_EQ(name.name(), "name");
  EXPECT_EQ(name.type(), "\"string\"");
  EXPECT_TRUE(name.required());
  EXPECT_EQ(name.description_kind(), TypeParam::kMarkdown);
  const auto& old = pb.block().attributes(1);
  EXPECT_EQ(old.type(), "[\"set\",\"string\"]");
  EXPECT_TRUE(old.optional() && old.computed() && old.sensitive() && old.deprecated());
  EXPECT_EQ(old.deprecation_message(), "use name");
  if constexpr (requires { old.has_nested_type(); }) {
    EXPECT_FALSE(old.has_nested_type());  // only protocol 6 has nested attributes
  }
  EXPECT_EQ(pb.block().attributes(2).deprecation_message(), "");
  ASSERT_EQ(pb.block().block_types_size(), 2);
  EXPECT_EQ(pb.block().block_types(0).nesting(), TypeParam::Schema::NestedBlock::SET);
  EXPECT_EQ(pb.block().block_types(0).min_items(), 1);
  EXPECT_EQ(pb.block().block_types(0).block().attributes(0).name(), "holder");
  EXPECT_EQ(pb.block().block_types(1).nesting(), TypeParam::Schema::NestedBlock::SINGLE);
  EXPECT_TRUE(pb.block().block_types(1).has_block());  // never nil: Terraform would crash
  EXPECT_EQ(pb.block().description(), "desc");
}

TYPED_TEST(AdapterConvert, ValidateResourceConfigCarriesClientCapabilities) {
  typename TypeParam::ValidateResourceConfig::Request pb;
  pb.set_type_name("jira_user");
  EXPECT_FALSE(TypeParam::FromProto(pb).client_capabilities.write_only_attributes_allowed);  // Terraform < 1.11
  pb.mutable_client_capabilities()->set_write_only_attributes_allowed(true);
  pb.mutable_client_capabilities()->set_deferral_allowed(true);
  tf::ValidateResourceConfigRequest r = TypeParam::FromProto(pb);
  EXPECT_TRUE(r.client_capabilities.write_only_attributes_allowed);
  EXPECT_TRUE(r.client_capabilities.deferral_allowed);
}

TYPED_TEST(AdapterConvert, MoveResourceStateRequestAndResponse) {
  typename TypeParam::MoveResourceState::Request pb;
  pb.set_source_provider_address("registry.terraform.io/fourplusone/jira");
  pb.set_source_type_name("jira_user");
  pb.set_source_schema_version(0);
  pb.mutable_source_state()->set_json("{\"id\":\"k\"}");
  pb.set_target_type_name("jira_user");
  tf::MoveResourceStateRequest r = TypeParam::FromProto(pb);
  EXPECT_EQ(r.source_provider_address, "registry.terraform.io/fourplusone/jira");
  EXPECT_EQ(r.source_type_name, "jira_user");
  EXPECT_EQ(r.source_raw_json, "{\"id\":\"k\"}");
  EXPECT_EQ(r.target_type_name, "jira_user");

  tf::MoveResourceStateResponse resp;
  resp.target_state.msgpack = "\x80";
  resp.diagnostics.AddError("s", "d");
  typename TypeParam::MoveResourceState::Response out;
  TypeParam::ToProto(resp, &out);
  EXPECT_EQ(out.target_state().msgpack(), "\x80");
  ASSERT_EQ(out.diagnostics_size(), 1);
  EXPECT_EQ(out.diagnostics(0).summary(), "s");
}

TYPED_TEST(AdapterConvert, ProviderSchemaResponseHasBlocksAndCapabilities) {
  tf::GetProviderSchemaResponse r;
  r.resource_schemas["jira_user"] = SampleSchema();
  r.data_source_schemas["jira_group"] = tf::Schema{};
  r.capabilities.plan_destroy = true;
  r.capabilities.get_provider_schema_optional = true;
  typename TypeParam::GetProviderSchema::Response pb;
  TypeParam::ToProto(r, &pb);
  EXPECT_TRUE(pb.provider().has_block());
  EXPECT_TRUE(pb.resource_schemas().at("jira_user").has_block());
  EXPECT_TRUE(pb.data_source_schemas().at("jira_group").has_block());
  EXPECT_TRUE(pb.server_capabilities().plan_destroy());
  EXPECT_TRUE(pb.server_capabilities().get_provider_schema_optional());
  EXPECT_FALSE(pb.server_capabilities().move_resource_state());
}

TYPED_TEST(AdapterConvert, GuardTurnsExceptionsIntoErrorDiagnostics) {
  typename TypeParam::ApplyResourceChange::Response pb;
  GuardRpc("ApplyResourceChange", &pb, [] { throw std::runtime_error("boom"); });
  ASSERT_EQ(pb.diagnostics_size(), 1);
  EXPECT_EQ(pb.diagnostics(0).severity(), TypeParam::Diagnostic::ERROR);
  EXPECT_NE(pb.diagnostics(0).detail().find("boom"), std::string::npos);
}

TYPED_TEST(AdapterConvert, ImportedResourcesKeepTypeNameAndState) {
  tf::ImportResourceStateResponse r;
  r.imported_resources.push_back({"jira_group", tf::DynamicValue{"\x80", ""}, "priv"});
  typename TypeParam::ImportResourceState::Response pb;
  TypeParam::ToProto(r, &pb);
  ASSERT_EQ(pb.imported_resources_size(), 1);
  EXPECT_EQ(pb.imported_resources(0).type_name(), "jira_group");
  EXPECT_EQ(pb.imported_resources(0).state().msgpack(), "\x80");
  EXPECT_EQ(pb.imported_resources(0).private_(), "priv");
}

}  // namespace
}  // namespace tfj::wire
