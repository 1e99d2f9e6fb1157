// The engine's handling of write-only attributes (Terraform 1.11) and of state written by
// another provider: UpgradeResourceState at the current version (JSON and flatmap) and
// MoveResourceState.
#include <gtest/gtest.h>

#include "provider/core/codec.h"
#include "provider/core/server.h"

namespace tf {
namespace {

Schema SecretSchema() {
  Schema s;
  Attribute id;
  id.name = "id";
  id.type = Type::String();
  id.computed = true;
  Attribute name;
  name.name = "name";
  name.type = Type::String();
  name.required = true;
  Attribute secret;
  secret.name = "secret_wo";
  secret.type = Type::String();
  secret.optional = true;
  secret.sensitive = true;
  secret.write_only = true;
  Attribute version;
  version.name = "secret_version";
  version.type = Type::Number();
  version.optional = true;
  s.block.attributes = {id, name, secret, version};
  return s;
}
const Type kSecret = SecretSchema().ImpliedType();

// What the resource saw, for assertions.
struct Seen {
  std::string create_secret;
  std::string update_secret;
  MoveStateRequest move;
};

class SecretResource : public Resource {
 public:
  explicit SecretResource(std::shared_ptr<Seen> seen) : seen_(std::move(seen)) {}
  std::string TypeName() const override { return "test_secret"; }
  Schema GetSchema() const override { return SecretSchema(); }
  void Create(const CreateRequest& q, CreateResponse& r) override {
    seen_->create_secret = GetString(q.config, "secret_wo").value_or("");
    // A careless resource copying config into state: the engine must still null it.
    r.state = q.config.WithAttr("id", Value::String("s-1"));
  }
  void Read(const ReadRequest& q, ReadResponse& r) override {
    r.state = q.current_state.WithAttr("secret_wo", Value::String("leaked"));
  }
  void Update(const UpdateRequest& q, UpdateResponse& r) override {
    seen_->update_secret = GetString(q.config, "secret_wo").value_or("");
    r.state = q.planned_state.WithAttr("id", q.prior_state.attr("id"));  // planned unknown on update
  }
  void Delete(const DeleteRequest&, DeleteResponse&) override {}
  void ImportState(const ImportRequest& q, ImportResponse& r) override {
    r.state = r.state.WithAttr("id", Value::String(q.id)).WithAttr("secret_wo", Value::String("x"));
  }
  void MoveState(const MoveStateRequest& q, MoveStateResponse& r) override {
    seen_->move = q;
    if (q.source_type_name != "other_secret") return;
    r.accepted = true;
    r.state = q.decoded.WithAttr("secret_wo", Value::String("leaked"));
  }
  void CompleteState(const UpgradeStateRequest& q, UpgradeStateResponse& r) override {
    if (q.decoded.attr("id").is_null()) r.state = q.decoded.WithAttr("id", q.decoded.attr("name"));
  }

 private:
  std::shared_ptr<Seen> seen_;
};

class SecretProvider : public Provider {
 public:
  explicit SecretProvider(std::shared_ptr<Seen> seen) : seen_(std::move(seen)) {}
  std::string TypeName() const override { return "test"; }
  std::string Version() const override { return "0.0.1"; }
  Schema GetSchema() const override { return {}; }
  void Configure(const ConfigureProviderRequest&, ConfigureProviderResponse&) override {}
  std::vector<ResourceFactory> Resources() const override {
    return {[s = seen_] { return std::make_unique<SecretResource>(s); }};
  }
  std::vector<DataSourceFactory> DataSources() const override { return {}; }

 private:
  std::shared_ptr<Seen> seen_;
};

DynamicValue Dv(const Value& v) { return DynamicValue{EncodeMsgpack(v, kSecret), ""}; }
Value Dec(const DynamicValue& dv) {
  Diagnostics d;
  Value v = DecodeMsgpack(dv.msgpack, kSecret, d);
  EXPECT_FALSE(d.HasError()) << d.ToString();
  return v;
}
Value Obj(const char* id, const char* secret, int64_t version) {
  return Value::ObjectOf(kSecret, {{"id", id ? Value::String(id) : Value::Null(Type::String())},
                                   {"name", Value::String("n")},
                                   {"secret_wo", secret ? Value::String(secret) : Value::Null(Type::String())},
                                   {"secret_version", Value::Int(version)}});
}

class WriteOnlyTest : public ::testing::Test {
 protected:
  std::shared_ptr<Seen> seen_ = std::make_shared<Seen>();
  Server server_{std::make_unique<SecretProvider>(seen_)};
};

TEST_F(WriteOnlyTest, SchemaCarriesTheFlagAndMoveCapability) {
  auto r = server_.GetProviderSchema();
  ASSERT_FALSE(r.diagnostics.HasError()) << r.diagnostics.ToString();
  EXPECT_TRUE(r.resource_schemas.at("test_secret").block.FindAttribute("secret_wo")->write_only);
  EXPECT_TRUE(r.capabilities.move_resource_state);
  EXPECT_TRUE(server_.GetMetadata().capabilities.move_resource_state);
}

TEST_F(WriteOnlyTest, SchemaRulesRejectComputedOrDefaultedWriteOnly) {
  Schema s = SecretSchema();
  s.block.attributes[2].computed = true;
  Diagnostics d;
  ValidateSchema(s, "resource type test_secret", d);
  ASSERT_TRUE(d.HasError());
  EXPECT_NE(d.ToString().find("write-only attribute cannot be Computed"), std::string::npos);
}

TEST_F(WriteOnlyTest, ValidateRefusesWriteOnlyValueWithoutClientSupport) {
  ValidateResourceConfigRequest q{"test_secret", Dv(Obj(nullptr, "pw", 1)), {}};
  auto old_tf = server_.ValidateResourceConfig(q);
  ASSERT_TRUE(old_tf.diagnostics.HasError());
  const Diagnostic& d = old_tf.diagnostics.items()[0];
  EXPECT_EQ(d.summary, "Write-only Attribute Not Allowed");
  ASSERT_TRUE(d.path.has_value());
  EXPECT_EQ(d.path->ToString(), "secret_wo");
  EXPECT_NE(d.detail.find("Terraform 1.11"), std::string::npos);
  EXPECT_EQ(d.detail.find("pw"), std::string::npos);  // never echoes the secret

  q.client_capabilities.write_only_attributes_allowed = true;
  EXPECT_FALSE(server_.ValidateResourceConfig(q).diagnostics.HasError());
  // Unset write-only attributes are fine for any Terraform.
  EXPECT_FALSE(server_.ValidateResourceConfig({"test_secret", Dv(Obj(nullptr, nullptr, 1)), {}})
                   .diagnostics.HasError());
}

TEST_F(WriteOnlyTest, PlanApplyReadImportReturnNullAndResourceGetsConfig) {
  Value config = Obj(nullptr, "pw-1", 1);
  Value null_prior = Value::Null(kSecret);
  auto plan = server_.PlanResourceChange({"test_secret", Dv(null_prior), Dv(config), Dv(config), ""});
  ASSERT_FALSE(plan.diagnostics.HasError()) << plan.diagnostics.ToString();
  Value planned = Dec(plan.planned_state);
  EXPECT_TRUE(planned.attr("secret_wo").is_null());

  auto apply = server_.ApplyResourceChange({"test_secret", Dv(null_prior), Dv(planned), Dv(config), ""});
  ASSERT_FALSE(apply.diagnostics.HasError()) << apply.diagnostics.ToString();
  EXPECT_EQ(seen_->create_secret, "pw-1");
  Value state = Dec(apply.new_state);
  EXPECT_TRUE(state.attr("secret_wo").is_null());
  EXPECT_EQ(GetString(state, "id"), "s-1");

  // Same config again (the secret is still configured): an empty plan.
  auto again = server_.PlanResourceChange({"test_secret", Dv(state), Dv(config.WithAttr("id", state.attr("id"))),
                                           Dv(config), ""});
  ASSERT_FALSE(again.diagnostics.HasError());
  EXPECT_EQ(Dec(again.planned_state), state);

  // A new version is an update that receives the secret from the config.
  Value bumped = Obj(nullptr, "pw-2", 2);
  auto plan2 = server_.PlanResourceChange({"test_secret", Dv(state), Dv(bumped.WithAttr("id", state.attr("id"))),
                                           Dv(bumped), ""});
  Value planned2 = Dec(plan2.planned_state);
  EXPECT_TRUE(planned2.attr("secret_wo").is_null());
  EXPECT_EQ(planned2.attr("secret_version"), Value::Int(2));
  auto apply2 = server_.ApplyResourceChange({"test_secret", Dv(state), Dv(planned2), Dv(bumped), ""});
  ASSERT_FALSE(apply2.diagnostics.HasError()) << apply2.diagnostics.ToString();
  EXPECT_EQ(seen_->update_secret, "pw-2");
  EXPECT_TRUE(Dec(apply2.new_state).attr("secret_wo").is_null());

  auto read = server_.ReadResource({"test_secret", Dv(Dec(apply2.new_state)), ""});
  EXPECT_TRUE(Dec(read.new_state).attr("secret_wo").is_null());
  auto imported = server_.ImportResourceState({"test_secret", "s-9"});
  ASSERT_EQ(imported.imported_resources.size(), 1u);
  EXPECT_TRUE(Dec(imported.imported_resources[0].state).attr("secret_wo").is_null());
}

TEST_F(WriteOnlyTest, UpgradeAtCurrentVersionCompletesForeignJsonAndFlatmap) {
  auto json = server_.UpgradeResourceState(
      {"test_secret", 0, R"({"name":"n","secret_wo":"old","foreign_attr":"ignored"})", {}});
  ASSERT_FALSE(json.diagnostics.HasError()) << json.diagnostics.ToString();
  Value up = Dec(json.upgraded_state);
  EXPECT_EQ(GetString(up, "id"), "n");
  EXPECT_TRUE(up.attr("secret_wo").is_null());

  auto flat = server_.UpgradeResourceState(
      {"test_secret", 0, "", {{"id", "f-1"}, {"name", "n"}, {"secret_version", "3"}, {"extra.#", "0"}}});
  ASSERT_FALSE(flat.diagnostics.HasError()) << flat.diagnostics.ToString();
  Value fv = Dec(flat.upgraded_state);
  EXPECT_EQ(GetString(fv, "id"), "f-1");
  EXPECT_EQ(fv.attr("secret_version"), Value::Int(3));

  auto bad = server_.UpgradeResourceState({"test_secret", 0, "", {{"name", "n"}, {"secret_version", "x"}}});
  ASSERT_TRUE(bad.diagnostics.HasError());
  EXPECT_EQ(bad.diagnostics.items()[0].path->ToString(), "secret_version");
}

TEST_F(WriteOnlyTest, MoveAcceptsWhatTheResourceKnowsAndRefusesTheRest) {
  MoveResourceStateRequest q;
  q.source_provider_address = "registry.terraform.io/acme/other";
  q.source_type_name = "other_secret";
  q.source_raw_json = R"({"id":"o-1","name":"n","unknown":"x"})";
  q.target_type_name = "test_secret";
  auto ok = server_.MoveResourceState(q);
  ASSERT_FALSE(ok.diagnostics.HasError()) << ok.diagnostics.ToString();
  Value moved = Dec(ok.target_state);
  EXPECT_EQ(GetString(moved, "id"), "o-1");
  EXPECT_TRUE(moved.attr("secret_wo").is_null());
  EXPECT_EQ(seen_->move.source_provider_address, "registry.terraform.io/acme/other");
  EXPECT_EQ(GetString(seen_->move.decoded, "name"), "n");

  q.source_type_name = "other_project";
  auto refused = server_.MoveResourceState(q);
  ASSERT_TRUE(refused.diagnostics.HasError());
  EXPECT_EQ(refused.diagnostics.items()[0].summary, "Unsupported resource move");
  EXPECT_NE(refused.diagnostics.items()[0].detail.find("other_project"), std::string::npos);

  q.target_type_name = "test_nothing";
  EXPECT_TRUE(server_.MoveResourceState(q).diagnostics.HasError());
}

}  // namespace
}  // namespace tf
