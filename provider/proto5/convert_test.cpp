// Conversion tests for the protocol 5 adapter: paths, diagnostics, DynamicValue, schema
// encoding (including the attribute field numbers that differ from protocol 6) and
// UTF-8 repair.
#include "provider/proto5/convert.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "provider/wire/convert_shared.h"
#include "tfplugin6.pb.h"  // to show the field checks below can tell

namespace tfj::proto5 {
namespace {

using tfj::wire::SanitizeUtf8;

tf::Path SamplePath() { return tf::Path().AtName("members").AtIndex(2).AtKey("k\"ey").AtName("name"); }

TEST(Proto5Convert, PathRoundTripsEveryStepKind) {
  tfplugin5::AttributePath pb;
  wire::PathToProto(SamplePath(), &pb);
  ASSERT_EQ(pb.steps_size(), 4);
  EXPECT_EQ(pb.steps(0).attribute_name(), "members");
  EXPECT_EQ(pb.steps(1).element_key_int(), 2);
  EXPECT_EQ(pb.steps(2).element_key_string(), "k\"ey");
  EXPECT_EQ(pb.steps(3).attribute_name(), "name");
  EXPECT_EQ(wire::PathFromProto(pb), SamplePath());
}

TEST(Proto5Convert, PathStopsAtStepWithoutSelector) {
  tfplugin5::AttributePath pb;
  pb.add_steps()->set_attribute_name("a");
  pb.add_steps();  // no selector set
  pb.add_steps()->set_attribute_name("b");
  EXPECT_EQ(wire::PathFromProto(pb), tf::Path().AtName("a"));
}

TEST(Proto5Convert, DiagnosticsKeepSeverityTextAndPath) {
  tf::Diagnostics diags;
  diags.AddAttributeError(tf::Path().AtName("email"), "Invalid email", "must contain @");
  diags.AddWarning("Deprecated", "use x");
  tfplugin5::ValidateResourceTypeConfig::Response pb;
  wire::DiagnosticsToProto(diags, &pb);
  ASSERT_EQ(pb.diagnostics_size(), 2);
  EXPECT_EQ(pb.diagnostics(0).severity(), tfplugin5::Diagnostic::ERROR);
  EXPECT_EQ(pb.diagnostics(0).summary(), "Invalid email");
  EXPECT_EQ(pb.diagnostics(0).detail(), "must contain @");
  ASSERT_EQ(pb.diagnostics(0).attribute().steps_size(), 1);
  EXPECT_EQ(pb.diagnostics(0).attribute().steps(0).attribute_name(), "email");
  EXPECT_EQ(pb.diagnostics(1).severity(), tfplugin5::Diagnostic::WARNING);
  EXPECT_FALSE(pb.diagnostics(1).has_attribute());
  EXPECT_EQ(wire::DiagnosticFromProto(pb.diagnostics(0)), diags.items()[0]);
}

TEST(Proto5Convert, InvalidSeverityIsSentAsError) {
  tf::Diagnostic d;
  d.severity = tf::Severity::kInvalid;
  d.summary = "x";
  tfplugin5::Diagnostic pb;
  wire::DiagnosticToProto(d, &pb);
  EXPECT_EQ(pb.severity(), tfplugin5::Diagnostic::ERROR);
}

TEST(Proto5Convert, InvalidUtf8IsRepairedSoTheMessageSerialises) {
  tf::Diagnostic d;
  d.summary = std::string("bad \xff byte");
  d.detail = std::string("cut \xe2\x82");  // truncated 3-byte sequence
  d.path = tf::Path().AtKey(std::string("k\xc0\xaf"));  // overlong '/'
  tfplugin5::Diagnostic pb;
  wire::DiagnosticToProto(d, &pb);
  EXPECT_EQ(pb.summary(), "bad \xef\xbf\xbd byte");
  EXPECT_EQ(pb.detail(), "cut \xef\xbf\xbd\xef\xbf\xbd");
  std::string bytes;
  EXPECT_TRUE(pb.SerializeToString(&bytes));
  tfplugin5::Diagnostic back;
  EXPECT_TRUE(back.ParseFromString(bytes));
  EXPECT_EQ(back.summary(), pb.summary());
}

TEST(Proto5Convert, SanitizeKeepsValidUtf8) {
  const std::string ok = "plain, caf\xc3\xa9, \xe2\x82\xac, \xf0\x9f\x98\x80";
  EXPECT_EQ(SanitizeUtf8(ok), ok);
  EXPECT_EQ(SanitizeUtf8("\xed\xa0\x80"), "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");  // surrogate
  EXPECT_EQ(SanitizeUtf8("\xf4\x90\x80\x80").substr(0, 3), "\xef\xbf\xbd");          // > U+10FFFF
}

TEST(Proto5Convert, EmptyDynamicValueIsSentAsMsgpackNull) {
  tf::ReadResourceResponse r;  // new_state left empty: the object is gone
  tfplugin5::ReadResource::Response pb;
  ToProto(r, &pb);
  EXPECT_EQ(pb.new_state().msgpack(), "\xc0");
  EXPECT_TRUE(pb.new_state().json().empty());
}

TEST(Proto5Convert, DynamicValuesAndPrivateAreCopied) {
  tfplugin5::PlanResourceChange::Request pb;
  pb.set_type_name("jira_user");
  pb.mutable_prior_state()->set_msgpack("\x81\xa1" "a\x01");
  pb.mutable_config()->set_json("{}");
  pb.set_prior_private("p");
  tf::PlanResourceChangeRequest r = FromProto(pb);
  EXPECT_EQ(r.type_name, "jira_user");
  EXPECT_EQ(r.prior_state.msgpack, pb.prior_state().msgpack());
  EXPECT_EQ(r.config.json, "{}");
  EXPECT_TRUE(r.proposed_new_state.empty());
  EXPECT_EQ(r.prior_private, "p");

  tf::PlanResourceChangeResponse resp;
  resp.planned_state.msgpack = "\x80";
  resp.requires_replace = {tf::Path().AtName("name")};
  resp.planned_private = "q";
  tfplugin5::PlanResourceChange::Response out;
  ToProto(resp, &out);
  EXPECT_EQ(out.planned_state().msgpack(), "\x80");
  ASSERT_EQ(out.requires_replace_size(), 1);
  EXPECT_EQ(out.requires_replace(0).steps(0).attribute_name(), "name");
  EXPECT_EQ(out.planned_private(), "q");
  EXPECT_FALSE(out.legacy_type_system());
}

TEST(Proto5Convert, UpgradeRequestCarriesJsonAndFlatmap) {
  tfplugin5::UpgradeResourceState::Request pb;
  pb.set_type_name("t");
  pb.set_version(3);
  pb.mutable_raw_state()->set_json("{\"a\":1}");
  (*pb.mutable_raw_state()->mutable_flatmap())["a"] = "1";
  tf::UpgradeResourceStateRequest r = FromProto(pb);
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

TEST(Proto5Convert, SchemaEncodesEveryField) {
  tfplugin5::Schema pb;
  wire::SchemaToProto(SampleSchema(), &pb);
  EXPECT_EQ(pb.version(), 2);
  ASSERT_TRUE(pb.has_block());
  ASSERT_EQ(pb.block().attributes_size(), 3);
  const auto& name = pb.block().attributes(0);
  EXPECT_EQ(name.name(), "name");
  EXPECT_EQ(name.type(), "\"string\"");
  EXPECT_TRUE(name.required());
  EXPECT_EQ(name.description_kind(), tfplugin5::MARKDOWN);
  const auto& old = pb.block().attributes(1);
  EXPECT_EQ(old.type(), "[\"set\",\"string\"]");
  EXPECT_TRUE(old.optional() && old.computed() && old.sensitive() && old.deprecated());
  EXPECT_EQ(old.deprecation_message(), "use name");
  EXPECT_EQ(pb.block().attributes(2).deprecation_message(), "");
  ASSERT_EQ(pb.block().block_types_size(), 2);
  EXPECT_EQ(pb.block().block_types(0).nesting(), tfplugin5::Schema::NestedBlock::SET);
  EXPECT_EQ(pb.block().block_types(0).min_items(), 1);
  EXPECT_EQ(pb.block().block_types(0).block().attributes(0).name(), "holder");
  EXPECT_EQ(pb.block().block_types(1).nesting(), tfplugin5::Schema::NestedBlock::SINGLE);
  EXPECT_TRUE(pb.block().block_types(1).has_block());  // never nil: Terraform would crash
  EXPECT_EQ(pb.block().description(), "desc");
}

// Protocol 5 numbers: no nested attributes; write_only = 10, deprecation_message = 11.
// Checked on the wire: the tag is field << 3 | wire type.
template <typename T>
constexpr bool kHasNestedType = requires(T a) { a.nested_type(); };
template <typename T>
constexpr bool kHasComputed = requires(T b) { b.computed(); };

TEST(Proto5Convert, AttributeFieldNumbersAreProtocol5s) {
  static_assert(!kHasNestedType<tfplugin5::Schema::Attribute>, "protocol 5 has no nested attributes");
  static_assert(kHasNestedType<tfplugin6::Schema::Attribute>);  // the check itself works
  tfplugin5::Schema::Attribute write_only;
  write_only.set_write_only(true);
  EXPECT_EQ(write_only.SerializeAsString(), std::string("\x50\x01", 2));  // 10, varint
  tfplugin5::Schema::Attribute deprecated;
  deprecated.set_deprecation_message("m");
  EXPECT_EQ(deprecated.SerializeAsString(), std::string("\x5a\x01m", 3));  // 11
  // 6.11-only fields do not exist in protocol 5.
  static_assert(!kHasComputed<tfplugin5::Schema::Block>, "Block.computed is protocol 6.11 only");
  static_assert(kHasComputed<tfplugin6::Schema::Block>);
}

TEST(Proto5Convert, PreparedConfigIsNeverEmpty) {
  tf::ValidateProviderConfigResponse r;
  r.prepared_config.msgpack = "\x80";
  tfplugin5::PrepareProviderConfig::Response pb;
  ToProto(r, &pb);
  EXPECT_EQ(pb.prepared_config().msgpack(), "\x80");
  tfplugin5::PrepareProviderConfig::Response empty;
  ToProto(tf::ValidateProviderConfigResponse{}, &empty);
  EXPECT_EQ(empty.prepared_config().msgpack(), "\xc0");
}

TEST(Proto5Convert, WriteOnlyAttributeIsSentAsField10) {
  tf::Attribute a;
  a.name = "password_wo";
  a.type = tf::Type::String();
  a.optional = true;
  a.write_only = true;
  tfplugin5::Schema::Attribute pb;
  wire::AttributeToProto(a, &pb);
  EXPECT_TRUE(pb.write_only());
  tfplugin5::Schema::Attribute only_flag;
  only_flag.set_write_only(pb.write_only());
  EXPECT_EQ(only_flag.SerializeAsString(), std::string("\x50\x01", 2));
  a.write_only = false;
  tfplugin5::Schema::Attribute plain;
  wire::AttributeToProto(a, &plain);
  EXPECT_FALSE(plain.write_only());
}

TEST(Proto5Convert, ValidateResourceConfigCarriesClientCapabilities) {
  tfplugin5::ValidateResourceTypeConfig::Request pb;
  pb.set_type_name("jira_user");
  EXPECT_FALSE(FromProto(pb).client_capabilities.write_only_attributes_allowed);  // Terraform < 1.11
  pb.mutable_client_capabilities()->set_write_only_attributes_allowed(true);
  pb.mutable_client_capabilities()->set_deferral_allowed(true);
  tf::ValidateResourceConfigRequest r = FromProto(pb);
  EXPECT_TRUE(r.client_capabilities.write_only_attributes_allowed);
  EXPECT_TRUE(r.client_capabilities.deferral_allowed);
}

TEST(Proto5Convert, MoveResourceStateRequestAndResponse) {
  tfplugin5::MoveResourceState::Request pb;
  pb.set_source_provider_address("registry.terraform.io/fourplusone/jira");
  pb.set_source_type_name("jira_user");
  pb.set_source_schema_version(0);
  pb.mutable_source_state()->set_json("{\"id\":\"k\"}");
  pb.set_target_type_name("jira_user");
  tf::MoveResourceStateRequest r = FromProto(pb);
  EXPECT_EQ(r.source_provider_address, "registry.terraform.io/fourplusone/jira");
  EXPECT_EQ(r.source_type_name, "jira_user");
  EXPECT_EQ(r.source_raw_json, "{\"id\":\"k\"}");
  EXPECT_EQ(r.target_type_name, "jira_user");

  tf::MoveResourceStateResponse resp;
  resp.target_state.msgpack = "\x80";
  resp.diagnostics.AddError("s", "d");
  tfplugin5::MoveResourceState::Response out;
  ToProto(resp, &out);
  EXPECT_EQ(out.target_state().msgpack(), "\x80");
  ASSERT_EQ(out.diagnostics_size(), 1);
  EXPECT_EQ(out.diagnostics(0).summary(), "s");
}

TEST(Proto5Convert, ProviderSchemaResponseHasBlocksAndCapabilities) {
  tf::GetProviderSchemaResponse r;
  r.resource_schemas["jira_user"] = SampleSchema();
  r.data_source_schemas["jira_group"] = tf::Schema{};
  r.capabilities.plan_destroy = true;
  r.capabilities.get_provider_schema_optional = true;
  tfplugin5::GetProviderSchema::Response pb;
  ToProto(r, &pb);
  EXPECT_TRUE(pb.provider().has_block());
  EXPECT_TRUE(pb.resource_schemas().at("jira_user").has_block());
  EXPECT_TRUE(pb.data_source_schemas().at("jira_group").has_block());
  EXPECT_TRUE(pb.server_capabilities().plan_destroy());
  EXPECT_TRUE(pb.server_capabilities().get_provider_schema_optional());
  EXPECT_FALSE(pb.server_capabilities().move_resource_state());
}

TEST(Proto5Convert, GuardTurnsExceptionsIntoErrorDiagnostics) {
  tfplugin5::ApplyResourceChange::Response pb;
  wire::GuardRpc("ApplyResourceChange", &pb, [] { throw std::runtime_error("boom"); });
  ASSERT_EQ(pb.diagnostics_size(), 1);
  EXPECT_EQ(pb.diagnostics(0).severity(), tfplugin5::Diagnostic::ERROR);
  EXPECT_NE(pb.diagnostics(0).detail().find("boom"), std::string::npos);
}

TEST(Proto5Convert, ImportedResourcesKeepTypeNameAndState) {
  tf::ImportResourceStateResponse r;
  r.imported_resources.push_back({"jira_group", tf::DynamicValue{"\x80", ""}, "priv"});
  tfplugin5::ImportResourceState::Response pb;
  ToProto(r, &pb);
  ASSERT_EQ(pb.imported_resources_size(), 1);
  EXPECT_EQ(pb.imported_resources(0).type_name(), "jira_group");
  EXPECT_EQ(pb.imported_resources(0).state().msgpack(), "\x80");
  EXPECT_EQ(pb.imported_resources(0).private_(), "priv");
}

}  // namespace
}  // namespace tfj::proto5
