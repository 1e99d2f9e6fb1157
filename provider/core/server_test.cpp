#include "provider/core/server.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <mutex>
#include <thread>

#include "provider/core/codec.h"

namespace tf {
namespace {

// ---- fakes built from std::function members -------------------------------------------------

struct Hooks {
  std::function<void(const std::any&, Diagnostics&)> configure;
  std::function<void(const ValidateResourceRequest&, ValidateResourceResponse&)> validate;
  std::function<void(const ModifyPlanRequest&, ModifyPlanResponse&)> modify_plan;
  std::function<void(const CreateRequest&, CreateResponse&)> create;
  std::function<void(const ReadRequest&, ReadResponse&)> read;
  std::function<void(const UpdateRequest&, UpdateResponse&)> update;
  std::function<void(const DeleteRequest&, DeleteResponse&)> erase;
  std::function<void(const ImportRequest&, ImportResponse&)> import;
  std::function<void(const UpgradeStateRequest&, UpgradeStateResponse&)> upgrade;
  std::vector<std::string> calls;  // operations invoked, in order
  std::mutex calls_mu;              // the concurrency test calls resources from many threads
  void Record(const char* op) {
    std::lock_guard<std::mutex> lock(calls_mu);
    calls.push_back(op);
  }
};

Attribute A(std::string name, Type type, bool required, bool optional, bool computed) {
  Attribute a;
  a.name = std::move(name);
  a.type = std::move(type);
  a.required = required;
  a.optional = optional;
  a.computed = computed;
  return a;
}

Schema ThingSchema() {
  Schema s;
  s.version = 2;
  Attribute id = A("id", Type::String(), false, false, true);
  id.use_state_for_unknown = true;
  Attribute name = A("name", Type::String(), true, false, false);
  name.semantic_equal = CaseInsensitiveEquality();
  name.validators = {NonEmptyString()};
  Attribute description = A("description", Type::String(), false, true, false);
  Attribute mode = A("mode", Type::String(), false, true, true);
  mode.default_value = Value::String("basic");
  Attribute updated = A("updated", Type::String(), false, false, true);
  Attribute zone = A("zone", Type::String(), false, true, false);
  zone.requires_replace = true;
  s.block.attributes = {id, name, description, mode, updated, zone};

  auto rule = std::make_shared<Block>();
  Attribute kind = A("kind", Type::String(), true, false, false);
  kind.validators = {OneOf({"allow", "deny"})};
  kind.requires_replace = true;
  Attribute rid = A("rid", Type::String(), false, false, true);
  rule->attributes = {kind, rid};
  NestedBlock rules;
  rules.type_name = "rule";
  rules.block = rule;
  rules.nesting = Nesting::kList;
  s.block.block_types = {rules};
  return s;
}

const Type kThing = ThingSchema().ImpliedType();
const Type kRule = Type::Object({{"kind", Type::String()}, {"rid", Type::String()}});

class FakeResource : public Resource {
 public:
  explicit FakeResource(std::shared_ptr<Hooks> h) : h_(std::move(h)) {}
  std::string TypeName() const override { return "test_thing"; }
  Schema GetSchema() const override { return ThingSchema(); }
  void Configure(const std::any& data, Diagnostics& d) override {
    if (h_->configure) h_->configure(data, d);
  }
  void ValidateConfig(const ValidateResourceRequest& q, ValidateResourceResponse& r) override {
    h_->Record("validate");
    if (h_->validate) h_->validate(q, r);
  }
  void ModifyPlan(const ModifyPlanRequest& q, ModifyPlanResponse& r) override {
    h_->Record("modify_plan");
    if (h_->modify_plan) h_->modify_plan(q, r);
  }
  void Create(const CreateRequest& q, CreateResponse& r) override {
    h_->Record("create");
    if (h_->create) h_->create(q, r);
  }
  void Read(const ReadRequest& q, ReadResponse& r) override {
    h_->Record("read");
    if (h_->read) h_->read(q, r);
  }
  void Update(const UpdateRequest& q, UpdateResponse& r) override {
    h_->Record("update");
    if (h_->update) h_->update(q, r);
  }
  void Delete(const DeleteRequest& q, DeleteResponse& r) override {
    h_->Record("delete");
    if (h_->erase) h_->erase(q, r);
  }
  void ImportState(const ImportRequest& q, ImportResponse& r) override {
    h_->Record("import");
    if (h_->import) return h_->import(q, r);
    Resource::ImportState(q, r);
  }
  void UpgradeState(const UpgradeStateRequest& q, UpgradeStateResponse& r) override {
    h_->Record("upgrade");
    if (h_->upgrade) return h_->upgrade(q, r);
    Resource::UpgradeState(q, r);
  }

 private:
  std::shared_ptr<Hooks> h_;
};

struct DataHooks {
  std::function<void(const DataSourceReadRequest&, DataSourceReadResponse&)> read;
};

class FakeDataSource : public DataSource {
 public:
  explicit FakeDataSource(std::shared_ptr<DataHooks> h) : h_(std::move(h)) {}
  std::string TypeName() const override { return "test_info"; }
  Schema GetSchema() const override {
    Schema s;
    s.block.attributes = {A("key", Type::String(), true, false, false),
                          A("value", Type::String(), false, false, true)};
    return s;
  }
  void Read(const DataSourceReadRequest& q, DataSourceReadResponse& r) override { h_->read(q, r); }

 private:
  std::shared_ptr<DataHooks> h_;
};

class FakeProvider : public Provider {
 public:
  FakeProvider(std::shared_ptr<Hooks> h, std::shared_ptr<DataHooks> d, Schema extra = {})
      : h_(std::move(h)), d_(std::move(d)), extra_(std::move(extra)) {}
  std::string TypeName() const override { return "test"; }
  std::string Version() const override { return "0.0.1"; }
  Schema GetSchema() const override {
    Schema s;
    Attribute url = A("url", Type::String(), false, true, false);
    url.validators = {NonEmptyString()};
    s.block.attributes = {url};
    return s;
  }
  void Configure(const ConfigureProviderRequest& q, ConfigureProviderResponse& r) override {
    if (auto url = GetString(q.config, "url")) r.provider_data = *url;
  }
  std::vector<ResourceFactory> Resources() const override {
    std::vector<ResourceFactory> out = {[h = h_] { return std::make_unique<FakeResource>(h); }};
    if (!extra_.block.attributes.empty()) {
      out.push_back([s = extra_] {
        struct Broken : FakeResource {
          Schema schema;
          Broken(Schema sc) : FakeResource(std::make_shared<Hooks>()), schema(std::move(sc)) {}
          std::string TypeName() const override { return "test_broken"; }
          Schema GetSchema() const override { return schema; }
        };
        return std::make_unique<Broken>(s);
      });
    }
    return out;
  }
  std::vector<DataSourceFactory> DataSources() const override {
    return {[d = d_] { return std::make_unique<FakeDataSource>(d); }};
  }

 private:
  std::shared_ptr<Hooks> h_;
  std::shared_ptr<DataHooks> d_;
  Schema extra_;
};

// ---- helpers --------------------------------------------------------------------------------

DynamicValue Dv(const Value& v, const Type& t = kThing) { return DynamicValue{EncodeMsgpack(v, t), ""}; }

Value Dec(const DynamicValue& dv, const Type& t = kThing) {
  Diagnostics d;
  Value v = dv.msgpack.empty() ? Value::Null(t) : DecodeMsgpack(dv.msgpack, t, d);
  EXPECT_FALSE(d.HasError()) << d.ToString();
  return v;
}

Value S(const char* s) { return Value::String(s); }
Value NullS() { return Value::Null(Type::String()); }
Value UnknownS() { return Value::Unknown(Type::String()); }
Value Rules(std::vector<Value> items) { return Value::List(kRule, std::move(items)); }
Value Rule(Value kind, Value rid = Value::Null(Type::String())) {
  return Value::ObjectOf(kRule, {{"kind", std::move(kind)}, {"rid", std::move(rid)}});
}

Value Thing(std::map<std::string, Value> attrs) {
  if (!attrs.count("rule")) attrs["rule"] = Rules({});
  return Value::ObjectOf(kThing, std::move(attrs));
}

// A stored object, as after a successful create.
Value Stored() {
  return Thing({{"id", S("t-1")}, {"name", S("alice")}, {"mode", S("basic")}, {"updated", S("u1")},
                {"zone", S("eu")}, {"rule", Rules({Rule(S("allow"), S("r-1"))})}});
}

std::string PathsOf(const std::vector<Path>& paths) {
  std::string out;
  for (const auto& p : paths) out += (out.empty() ? "" : ",") + p.ToString();
  return out;
}

class ServerTest : public testing::Test {
 protected:
  ServerTest()
      : hooks_(std::make_shared<Hooks>()),
        data_(std::make_shared<DataHooks>()),
        server_(std::make_unique<FakeProvider>(hooks_, data_)) {}

  PlanResourceChangeResponse Plan(const Value& prior, const Value& config, const Value& proposed,
                                  std::string prior_private = "") {
    return server_.PlanResourceChange({"test_thing", Dv(prior), Dv(proposed), Dv(config), prior_private});
  }
  ApplyResourceChangeResponse Apply(const Value& prior, const Value& planned, const Value& config,
                                    std::string planned_private = "") {
    return server_.ApplyResourceChange({"test_thing", Dv(prior), Dv(planned), Dv(config), planned_private});
  }

  std::shared_ptr<Hooks> hooks_;
  std::shared_ptr<DataHooks> data_;
  Server server_;
};

// ---- schema and validation ------------------------------------------------------------------

TEST_F(ServerTest, GetProviderSchemaListsEverything) {
  auto r = server_.GetProviderSchema();
  EXPECT_TRUE(r.diagnostics.empty()) << r.diagnostics.ToString();
  ASSERT_EQ(r.resource_schemas.count("test_thing"), 1u);
  EXPECT_EQ(r.resource_schemas["test_thing"].version, 2);
  EXPECT_EQ(r.data_source_schemas.count("test_info"), 1u);
  EXPECT_NE(r.provider.block.FindAttribute("url"), nullptr);
  auto m = server_.GetMetadata();
  EXPECT_EQ(m.resources, std::vector<std::string>{"test_thing"});
  EXPECT_EQ(m.data_sources, std::vector<std::string>{"test_info"});
}

TEST(ServerSchemaTest, SchemaBugIsAnErrorOnGetProviderSchema) {
  Schema broken;
  broken.block.attributes = {A("x", Type::String(), false, false, false)};  // no flags
  Server server(std::make_unique<FakeProvider>(std::make_shared<Hooks>(), std::make_shared<DataHooks>(), broken));
  auto r = server.GetProviderSchema();
  ASSERT_TRUE(r.diagnostics.HasError());
  EXPECT_NE(r.diagnostics.ToString().find("test_broken"), std::string::npos) << r.diagnostics.ToString();
}

TEST_F(ServerTest, ValidateRunsValidatorsWithPathsAndSkipsUnknowns) {
  Value config = Thing({{"name", S("")},
                        {"rule", Rules({Rule(S("allow")), Rule(S("maybe")), Rule(UnknownS())})}});
  auto r = server_.ValidateResourceConfig({"test_thing", Dv(config)});
  ASSERT_EQ(r.diagnostics.size(), 2u) << r.diagnostics.ToString();
  EXPECT_EQ(r.diagnostics.items()[0].path, Path().AtName("name"));
  EXPECT_EQ(r.diagnostics.items()[1].path, Path().AtName("rule").AtIndex(1).AtName("kind"));
  EXPECT_EQ(hooks_->calls, std::vector<std::string>{"validate"});

  // Unknown name and an unknown block list are skipped, not errors.
  auto ok = server_.ValidateResourceConfig(
      {"test_thing", Dv(Thing({{"name", UnknownS()}, {"rule", Value::Unknown(Type::List(kRule))}}))});
  EXPECT_TRUE(ok.diagnostics.empty()) << ok.diagnostics.ToString();
}

TEST_F(ServerTest, ResourceValidateConfigDiagnosticsAreReturned) {
  hooks_->validate = [](const ValidateResourceRequest& q, ValidateResourceResponse& r) {
    if (GetString(q.config, "zone") == "mars") r.diagnostics.AddAttributeError(Path().AtName("zone"), "No such zone");
  };
  auto r = server_.ValidateResourceConfig({"test_thing", Dv(Thing({{"name", S("a")}, {"zone", S("mars")}}))});
  ASSERT_TRUE(r.diagnostics.HasError());
  EXPECT_EQ(r.diagnostics.items()[0].summary, "No such zone");
}

TEST_F(ServerTest, ProviderValidateAndConfigure) {
  Type pt = Type::Object({{"url", Type::String()}});
  Value cfg = Value::ObjectOf(pt, {{"url", S("")}});
  auto v = server_.ValidateProviderConfig({Dv(cfg, pt)});
  ASSERT_TRUE(v.diagnostics.HasError());
  EXPECT_EQ(v.diagnostics.items()[0].path, Path().AtName("url"));
  EXPECT_EQ(v.prepared_config.msgpack, Dv(cfg, pt).msgpack);  // echoed
  auto empty = server_.ValidateProviderConfig({DynamicValue{}});
  EXPECT_EQ(empty.prepared_config.msgpack, "\xc0");  // never an empty message

  // provider_data is empty before ConfigureProvider, then reaches every resource instance.
  std::vector<std::string> seen;
  hooks_->configure = [&](const std::any& data, Diagnostics&) {
    seen.push_back(data.has_value() ? std::any_cast<std::string>(data) : "<empty>");
  };
  server_.ValidateResourceConfig({"test_thing", Dv(Thing({{"name", S("a")}}))});
  auto c = server_.ConfigureProvider({"1.11.4", Dv(Value::ObjectOf(pt, {{"url", S("http://jira")}}), pt)});
  EXPECT_TRUE(c.diagnostics.empty());
  server_.ValidateResourceConfig({"test_thing", Dv(Thing({{"name", S("a")}}))});
  EXPECT_EQ(seen, (std::vector<std::string>{"<empty>", "http://jira"}));
}

TEST_F(ServerTest, UnknownTypeNameIsADiagnostic) {
  auto r = server_.ReadResource({"test_nope", Dv(Stored()), ""});
  ASSERT_TRUE(r.diagnostics.HasError());
  EXPECT_NE(r.diagnostics.ToString().find("test_nope"), std::string::npos);
  auto d = server_.ReadDataSource({"test_nope", DynamicValue{}});
  EXPECT_TRUE(d.diagnostics.HasError());
  auto p = server_.PlanResourceChange({"test_nope", {}, {}, {}, ""});
  EXPECT_TRUE(p.diagnostics.HasError());
}

TEST_F(ServerTest, MalformedDynamicValueIsADiagnostic) {
  auto r = server_.PlanResourceChange({"test_thing", DynamicValue{"\x81\xa1", ""}, Dv(Stored()), Dv(Stored()), ""});
  ASSERT_TRUE(r.diagnostics.HasError());
  EXPECT_NE(r.diagnostics.items()[0].summary.find("Malformed msgpack"), std::string::npos);
}

// ---- planning -------------------------------------------------------------------------------

TEST_F(ServerTest, CreatePlanMarksComputedUnknownAndAppliesDefaults) {
  Value config = Thing({{"name", S("alice")}, {"rule", Rules({Rule(S("allow"))})}});
  auto r = Plan(Value::Null(kThing), config, config);
  ASSERT_FALSE(r.diagnostics.HasError()) << r.diagnostics.ToString();
  Value planned = Dec(r.planned_state);
  EXPECT_EQ(planned, Thing({{"id", UnknownS()}, {"name", S("alice")}, {"mode", S("basic")},
                            {"updated", UnknownS()}, {"rule", Rules({Rule(S("allow"), UnknownS())})}}))
      << planned.DebugString();
  EXPECT_TRUE(r.requires_replace.empty());  // ignored on create anyway: none produced
}

TEST_F(ServerTest, UpdatePlanWithoutChangesKeepsPriorComputed) {
  Value prior = Stored();
  Value config = Thing({{"name", S("alice")}, {"zone", S("eu")}, {"rule", Rules({Rule(S("allow"))})}});
  auto r = Plan(prior, config, prior);  // proposed: config plus prior computed values
  ASSERT_FALSE(r.diagnostics.HasError()) << r.diagnostics.ToString();
  EXPECT_EQ(Dec(r.planned_state), prior);
  EXPECT_TRUE(r.requires_replace.empty());
}

TEST_F(ServerTest, UpdatePlanMarksChangingComputedUnknownExceptUseStateForUnknown) {
  Value prior = Stored();
  Value config = Thing({{"name", S("alice")}, {"zone", S("eu")}, {"description", S("new")},
                        {"rule", Rules({Rule(S("allow"))})}});
  Value proposed = prior.WithAttr("description", S("new"));
  auto r = Plan(prior, config, proposed);
  Value planned = Dec(r.planned_state);
  EXPECT_EQ(planned.attr("id"), S("t-1"));          // use_state_for_unknown
  EXPECT_EQ(planned.attr("updated"), UnknownS());   // changes on every update
  EXPECT_EQ(planned.attr("mode"), S("basic"));      // default, not unknown
  EXPECT_EQ(planned.attr("description"), S("new"));
  EXPECT_EQ(planned.attr("rule").items()[0].attr("rid"), UnknownS());
  EXPECT_TRUE(r.requires_replace.empty()) << PathsOf(r.requires_replace);
}

TEST_F(ServerTest, SemanticEqualityKeepsPriorValue) {
  Value prior = Stored();
  Value config = Thing({{"name", S("ALICE")}, {"zone", S("eu")}, {"rule", Rules({Rule(S("allow"))})}});
  auto r = Plan(prior, config, prior.WithAttr("name", S("ALICE")));
  EXPECT_EQ(Dec(r.planned_state), prior);  // no diff at all
}

TEST_F(ServerTest, DefaultReplacesNullConfigOnUpdate) {
  Value prior = Stored().WithAttr("mode", S("advanced"));
  Value config = Thing({{"name", S("alice")}, {"zone", S("eu")}, {"rule", Rules({Rule(S("allow"))})}});
  auto r = Plan(prior, config, prior);  // proposed keeps prior "advanced" (computed, null config)
  Value planned = Dec(r.planned_state);
  EXPECT_EQ(planned.attr("mode"), S("basic"));
  EXPECT_EQ(planned.attr("updated"), UnknownS());
}

TEST_F(ServerTest, RequiresReplacePaths) {
  Value prior = Stored();
  Value config = Thing({{"name", S("alice")}, {"zone", S("us")}, {"rule", Rules({Rule(S("deny"))})}});
  Value proposed = prior.WithAttr("zone", S("us")).WithAttr("rule", Rules({Rule(S("deny"), S("r-1"))}));
  auto r = Plan(prior, config, proposed);
  ASSERT_FALSE(r.diagnostics.HasError()) << r.diagnostics.ToString();
  EXPECT_EQ(PathsOf(r.requires_replace), "zone,rule[0].kind");

  // An unknown planned value for a replacing attribute also counts.
  Value unknown_cfg = config.WithAttr("zone", UnknownS());
  auto u = Plan(prior, unknown_cfg, proposed.WithAttr("zone", UnknownS()));
  EXPECT_EQ(PathsOf(u.requires_replace), "zone,rule[0].kind");
}

TEST_F(ServerTest, ModifyPlanRefinesPlanAndReplacement) {
  hooks_->modify_plan = [](const ModifyPlanRequest& q, ModifyPlanResponse& r) {
    EXPECT_EQ(q.prior_private, "p0");
    EXPECT_TRUE(r.planned_state.attr("id").is_known());  // engine's plan arrives pre-filled
    r.planned_state = r.planned_state.WithAttr("updated", S("predicted"));
    r.requires_replace.push_back(Path().AtName("name"));
    r.planned_private = "p1";
  };
  Value prior = Stored();
  Value config = Thing({{"name", S("bob")}, {"zone", S("eu")}, {"rule", Rules({Rule(S("allow"))})}});
  auto r = Plan(prior, config, prior.WithAttr("name", S("bob")), "p0");
  EXPECT_EQ(Dec(r.planned_state).attr("updated"), S("predicted"));
  EXPECT_EQ(PathsOf(r.requires_replace), "name");
  EXPECT_EQ(r.planned_private, "p1");
}

TEST_F(ServerTest, DestroyPlanIsNullAndKeepsPrivate) {
  auto r = Plan(Stored(), Value::Null(kThing), Value::Null(kThing), "secret-private");
  EXPECT_FALSE(r.diagnostics.HasError());
  EXPECT_EQ(r.planned_state.msgpack, "\xc0");
  EXPECT_EQ(r.planned_private, "secret-private");
  EXPECT_TRUE(hooks_->calls.empty());
}

TEST_F(ServerTest, PlanPrivateDefaultsToPriorPrivate) {
  Value prior = Stored();
  auto r = Plan(prior, prior, prior, "keep-me");
  EXPECT_EQ(r.planned_private, "keep-me");
}

// ---- apply ----------------------------------------------------------------------------------

TEST_F(ServerTest, ApplyDispatchesCreateUpdateDelete) {
  Value planned = Thing({{"id", UnknownS()}, {"name", S("alice")}, {"mode", S("basic")}, {"updated", UnknownS()}});
  hooks_->create = [](const CreateRequest& q, CreateResponse& r) {
    EXPECT_EQ(r.state, q.planned_state);  // pre-filled
    EXPECT_EQ(q.planned_private, "pp");
    r.state = r.state.WithAttr("id", S("t-9")).WithAttr("updated", S("u1"));
    r.private_data = "created";
  };
  auto c = Apply(Value::Null(kThing), planned, planned, "pp");
  ASSERT_FALSE(c.diagnostics.HasError()) << c.diagnostics.ToString();
  Value state = Dec(c.new_state);
  EXPECT_EQ(GetString(state, "id"), "t-9");
  EXPECT_EQ(c.private_data, "created");

  hooks_->update = [](const UpdateRequest& q, UpdateResponse& r) {
    EXPECT_EQ(GetString(q.prior_state, "id"), "t-9");
    r.state = r.state.WithAttr("updated", S("u2"));
  };
  Value planned2 = state.WithAttr("description", S("d")).WithAttr("updated", UnknownS());
  auto u = Apply(state, planned2, planned2, "pp2");
  ASSERT_FALSE(u.diagnostics.HasError()) << u.diagnostics.ToString();
  EXPECT_EQ(GetString(Dec(u.new_state), "updated"), "u2");
  EXPECT_EQ(u.private_data, "pp2");  // private flows from planned_private

  hooks_->erase = [](const DeleteRequest& q, DeleteResponse&) { EXPECT_EQ(GetString(q.prior_state, "id"), "t-9"); };
  auto d = Apply(Dec(u.new_state), Value::Null(kThing), Value::Null(kThing));
  ASSERT_FALSE(d.diagnostics.HasError());
  EXPECT_EQ(d.new_state.msgpack, "\xc0");
  EXPECT_EQ(hooks_->calls, (std::vector<std::string>{"create", "update", "delete"}));
}

TEST_F(ServerTest, UnknownsLeftAfterApplyAreRejectedAndNulled) {
  Value planned = Thing({{"id", UnknownS()}, {"name", S("alice")}, {"mode", S("basic")}, {"updated", UnknownS()}});
  hooks_->create = [](const CreateRequest&, CreateResponse& r) { r.state = r.state.WithAttr("id", S("t-1")); };
  auto c = Apply(Value::Null(kThing), planned, planned);
  ASSERT_TRUE(c.diagnostics.HasError());
  EXPECT_EQ(c.diagnostics.items()[0].summary, "Provider returned invalid result object after apply");
  EXPECT_NE(c.diagnostics.items()[0].detail.find("updated"), std::string::npos);
  Value state = Dec(c.new_state);
  EXPECT_TRUE(state.IsWhollyKnown());
  EXPECT_EQ(GetString(state, "id"), "t-1");
  EXPECT_TRUE(state.attr("updated").is_null());
}

TEST_F(ServerTest, FailedOperationsNeverLoseObjects) {
  Value prior = Stored();
  hooks_->erase = [](const DeleteRequest&, DeleteResponse& r) { r.diagnostics.AddError("Jira said no"); };
  auto d = Apply(prior, Value::Null(kThing), Value::Null(kThing));
  ASSERT_TRUE(d.diagnostics.HasError());
  EXPECT_EQ(Dec(d.new_state), prior);

  hooks_->update = [](const UpdateRequest&, UpdateResponse& r) { r.diagnostics.AddError("Jira said no"); };
  Value planned = prior.WithAttr("description", S("x")).WithAttr("updated", UnknownS());
  auto u = Apply(prior, planned, planned);
  ASSERT_TRUE(u.diagnostics.HasError());
  EXPECT_EQ(Dec(u.new_state), prior);

  hooks_->create = [](const CreateRequest&, CreateResponse& r) { r.diagnostics.AddError("Jira said no"); };
  Value cplan = Thing({{"id", UnknownS()}, {"name", S("a")}, {"mode", S("basic")}, {"updated", UnknownS()}});
  auto c = Apply(Value::Null(kThing), cplan, cplan);
  ASSERT_TRUE(c.diagnostics.HasError());
  EXPECT_EQ(c.new_state.msgpack, "\xc0");  // nothing created

  // A create that made the object, then failed, hands back the partial object.
  hooks_->create = [](const CreateRequest&, CreateResponse& r) {
    r.state = r.state.WithAttr("id", S("half")).WithAttr("updated", S("u"));
    r.diagnostics.AddError("Adding to group failed");
  };
  auto partial = Apply(Value::Null(kThing), cplan, cplan);
  ASSERT_TRUE(partial.diagnostics.HasError());
  EXPECT_EQ(GetString(Dec(partial.new_state), "id"), "half");
}

TEST_F(ServerTest, SuccessWithoutStateIsAnError) {
  hooks_->create = [](const CreateRequest&, CreateResponse& r) { r.state = Value::Null(kThing); };
  Value cplan = Thing({{"id", UnknownS()}, {"name", S("a")}, {"mode", S("basic")}, {"updated", UnknownS()}});
  auto c = Apply(Value::Null(kThing), cplan, cplan);
  ASSERT_TRUE(c.diagnostics.HasError());
  EXPECT_EQ(c.diagnostics.items()[0].summary, "Missing Resource State After Create");

  hooks_->update = [](const UpdateRequest&, UpdateResponse& r) { r.state = Value::Null(kThing); };
  Value prior = Stored();
  Value planned = prior.WithAttr("description", S("x"));
  auto u = Apply(prior, planned, planned);
  ASSERT_TRUE(u.diagnostics.HasError());
  EXPECT_EQ(Dec(u.new_state), prior);  // the object is not dropped from state
}

TEST_F(ServerTest, ExceptionsBecomeDiagnostics) {
  hooks_->create = [](const CreateRequest&, CreateResponse&) { throw std::runtime_error("boom"); };
  Value cplan = Thing({{"id", UnknownS()}, {"name", S("a")}, {"mode", S("basic")}, {"updated", UnknownS()}});
  auto c = Apply(Value::Null(kThing), cplan, cplan);
  ASSERT_TRUE(c.diagnostics.HasError());
  EXPECT_EQ(c.diagnostics.items()[0].summary, "Internal error in provider");
  EXPECT_NE(c.diagnostics.items()[0].detail.find("boom"), std::string::npos);
  EXPECT_EQ(c.new_state.msgpack, "\xc0");

  hooks_->read = [](const ReadRequest& q, ReadResponse&) { (void)q.current_state.attr("id").as_bool(); };
  auto r = server_.ReadResource({"test_thing", Dv(Stored()), "priv"});
  ASSERT_TRUE(r.diagnostics.HasError());
  EXPECT_EQ(r.diagnostics.items()[0].summary, "Internal error in provider");
  EXPECT_EQ(Dec(r.new_state), Stored());  // state untouched
  EXPECT_EQ(r.private_data, "priv");
}

// ---- read, upgrade, import, data sources ----------------------------------------------------

TEST_F(ServerTest, ReadPassesPrivateThroughAndNullMeansGone) {
  hooks_->read = [](const ReadRequest& q, ReadResponse& r) {
    EXPECT_EQ(r.state, q.current_state);
    r.state = r.state.WithAttr("name", S("renamed"));
  };
  auto r = server_.ReadResource({"test_thing", Dv(Stored()), "opaque\x00bytes"});
  ASSERT_FALSE(r.diagnostics.HasError());
  EXPECT_EQ(GetString(Dec(r.new_state), "name"), "renamed");
  EXPECT_EQ(r.private_data, std::string("opaque\x00bytes"));

  hooks_->read = [](const ReadRequest&, ReadResponse& r) { r.state = Value::Null(kThing); };
  auto gone = server_.ReadResource({"test_thing", Dv(Stored()), "p"});
  EXPECT_FALSE(gone.diagnostics.HasError());
  EXPECT_EQ(gone.new_state.msgpack, "\xc0");
}

TEST_F(ServerTest, UpgradeSameVersionReencodesAndDropsUnknownKeys) {
  std::string raw = R"({
    "id": "t-1", "name": "alice", "mode": "basic", "updated": "u1", "zone": "eu",
    "removed_attribute": {"x": [1, 2]},
    "rule": [{"kind": "allow", "rid": "r-1"}]
  })";
  auto r = server_.UpgradeResourceState({"test_thing", 2, raw, {}});
  ASSERT_FALSE(r.diagnostics.HasError()) << r.diagnostics.ToString();
  EXPECT_EQ(Dec(r.upgraded_state), Stored().WithAttr("description", NullS()));
  EXPECT_TRUE(hooks_->calls.empty());  // same version: no resource upgrade
}

TEST_F(ServerTest, UpgradeOlderVersionCallsResource) {
  hooks_->upgrade = [](const UpgradeStateRequest& q, UpgradeStateResponse& r) {
    EXPECT_EQ(q.version, 1);
    EXPECT_NE(q.raw_json.find("username"), std::string::npos);
    EXPECT_TRUE(q.decoded.attr("name").is_null());  // old attribute name was dropped
    r.state = r.state.WithAttr("name", S("from-username"));
  };
  auto r = server_.UpgradeResourceState({"test_thing", 1, R"({"id":"t-1","username":"x","updated":"u"})", {}});
  ASSERT_FALSE(r.diagnostics.HasError()) << r.diagnostics.ToString();
  EXPECT_EQ(GetString(Dec(r.upgraded_state), "name"), "from-username");
  EXPECT_EQ(hooks_->calls, std::vector<std::string>{"upgrade"});
}

TEST_F(ServerTest, UpgradeRejectsNewerVersionFlatmapAndBadJson) {
  auto newer = server_.UpgradeResourceState({"test_thing", 3, R"({"id":"x"})", {}});
  ASSERT_TRUE(newer.diagnostics.HasError());
  EXPECT_NE(newer.diagnostics.items()[0].detail.find("version 3"), std::string::npos);
  // Flatmap (pre-0.12 SDK state) is read like JSON: primitive attributes, others ignored.
  auto flat = server_.UpgradeResourceState({"test_thing", 2, "", {{"id", "x"}, {"rule.#", "0"}}});
  ASSERT_FALSE(flat.diagnostics.HasError()) << flat.diagnostics.ToString();
  EXPECT_EQ(GetString(Dec(flat.upgraded_state), "id"), "x");
  auto bad = server_.UpgradeResourceState({"test_thing", 2, R"({"id":)", {}});
  EXPECT_TRUE(bad.diagnostics.HasError());
  EXPECT_FALSE(bad.upgraded_state.msgpack.empty());
}

TEST_F(ServerTest, ImportPrefillsNullObjectAndSetsTypeName) {
  hooks_->import = [](const ImportRequest& q, ImportResponse& r) {
    EXPECT_EQ(r.state, Value::ObjectOf(kThing, {}));
    r.state = r.state.WithAttr("id", S(q.id.c_str()));
    r.private_data = "imp";
  };
  auto r = server_.ImportResourceState({"test_thing", "t-42"});
  ASSERT_FALSE(r.diagnostics.HasError()) << r.diagnostics.ToString();
  ASSERT_EQ(r.imported_resources.size(), 1u);
  EXPECT_EQ(r.imported_resources[0].type_name, "test_thing");
  EXPECT_EQ(r.imported_resources[0].private_data, "imp");
  EXPECT_EQ(GetString(Dec(r.imported_resources[0].state), "id"), "t-42");
  EXPECT_EQ(hooks_->calls, std::vector<std::string>{"import"});  // Terraform calls Read, not us

  hooks_->import = nullptr;  // default: not supported
  auto none = server_.ImportResourceState({"test_thing", "x"});
  EXPECT_TRUE(none.diagnostics.HasError());
  EXPECT_TRUE(none.imported_resources.empty());
}

TEST_F(ServerTest, DataSourceReadMustBeWhollyKnown) {
  Type t = Type::Object({{"key", Type::String()}, {"value", Type::String()}});
  Value config = Value::ObjectOf(t, {{"key", S("k")}});
  data_->read = [](const DataSourceReadRequest& q, DataSourceReadResponse& r) {
    EXPECT_EQ(r.state, q.config);
    r.state = r.state.WithAttr("value", S("v"));
  };
  auto ok = server_.ReadDataSource({"test_info", Dv(config, t)});
  ASSERT_FALSE(ok.diagnostics.HasError()) << ok.diagnostics.ToString();
  EXPECT_EQ(GetString(Dec(ok.state, t), "value"), "v");

  data_->read = [](const DataSourceReadRequest&, DataSourceReadResponse& r) {
    r.state = r.state.WithAttr("value", UnknownS());
  };
  auto bad = server_.ReadDataSource({"test_info", Dv(config, t)});
  ASSERT_TRUE(bad.diagnostics.HasError());
  EXPECT_NE(bad.diagnostics.items()[0].detail.find("value"), std::string::npos);
}

// ---- cancellation and concurrency -----------------------------------------------------------

TEST_F(ServerTest, StopCancelsTheTokenOfAnInFlightCall) {
  std::promise<void> started;
  std::atomic<bool> saw_cancel{false};
  hooks_->create = [&](const CreateRequest& q, CreateResponse& r) {
    started.set_value();
    // Waits for Stop; the bound only keeps a broken build from hanging the suite.
    auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (!q.cancel.cancelled() && std::chrono::steady_clock::now() < give_up) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
    saw_cancel = q.cancel.cancelled();
    r.state = Value::Null(kThing);
    r.diagnostics.AddError("Cancelled");
  };
  Value cplan = Thing({{"id", UnknownS()}, {"name", S("a")}, {"mode", S("basic")}, {"updated", UnknownS()}});
  auto fut = std::async(std::launch::async, [&] { return Apply(Value::Null(kThing), cplan, cplan); });
  started.get_future().wait();
  EXPECT_EQ(server_.Stop(), "");
  auto resp = fut.get();
  EXPECT_TRUE(saw_cancel);
  EXPECT_TRUE(resp.diagnostics.HasError());

  // Later calls get a fresh token.
  bool later_cancelled = true;
  hooks_->read = [&](const ReadRequest& q, ReadResponse&) { later_cancelled = q.cancel.cancelled(); };
  server_.ReadResource({"test_thing", Dv(Stored()), ""});
  EXPECT_FALSE(later_cancelled);
}

TEST(ServerConcurrencyTest, ConcurrentCallsAreSafe) {
  auto hooks = std::make_shared<Hooks>();
  Server server(std::make_unique<FakeProvider>(hooks, std::make_shared<DataHooks>()));
  Type pt = Type::Object({{"url", Type::String()}});
  std::vector<std::thread> threads;
  std::atomic<int> errors{0};
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 50; ++i) {
        if (t == 0) {
          server.ConfigureProvider({"1", Dv(Value::ObjectOf(pt, {{"url", S("u")}}), pt)});
          server.Stop();
        } else {
          Value prior = Stored();
          auto r = server.PlanResourceChange({"test_thing", Dv(prior), Dv(prior), Dv(prior), ""});
          if (r.diagnostics.HasError()) ++errors;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(errors, 0);
}

}  // namespace
}  // namespace tf
