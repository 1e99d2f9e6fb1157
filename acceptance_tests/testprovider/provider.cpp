#include "acceptance_tests/testprovider/provider.h"

#include <atomic>
#include <nlohmann/json.hpp>

#include "acceptance_tests/testprovider/store.h"

namespace tfj::testprovider {
namespace {

using tf::Value;

tf::Attribute Attr(std::string name, tf::Type type, std::string description) {
  tf::Attribute a;
  a.name = std::move(name);
  a.type = std::move(type);
  a.description = std::move(description);
  return a;
}

std::shared_ptr<tf::Block> TagBlock() {
  auto b = std::make_shared<tf::Block>();
  tf::Attribute key = Attr("key", tf::Type::String(), "Tag key.");
  key.required = true;
  tf::Attribute value = Attr("value", tf::Type::String(), "Tag value.");
  value.optional = true;
  b->attributes = {key, value};
  b->description = "A tag; tags are an unordered set.";
  return b;
}

tf::Schema ThingSchema() {
  tf::Schema s;
  s.version = 0;
  tf::Attribute id = Attr("id", tf::Type::String(), "Identifier assigned by the store.");
  id.computed = true;
  id.use_state_for_unknown = true;
  tf::Attribute name = Attr("name", tf::Type::String(), "Name of the thing.");
  name.required = true;
  name.validators = {tf::NonEmptyString(), [](const Value& v, const tf::Path& p, tf::Diagnostics& d) {
                       if (v.is_known() && v.as_string().find('/') != std::string::npos) {
                         d.AddAttributeError(p, "Invalid thing name",
                                             "A thing name cannot contain \"/\"; got \"" + v.as_string() + "\".");
                       }
                     }};
  tf::Attribute mode = Attr("mode", tf::Type::String(), "Mode: standard (default) or fast.");
  mode.optional = true;
  mode.computed = true;
  mode.default_value = Value::String("standard");
  mode.validators = {tf::OneOf({"standard", "fast"})};
  tf::Attribute zone = Attr("zone", tf::Type::String(), "Zone; changing it replaces the thing.");
  zone.optional = true;
  zone.requires_replace = true;
  tf::Attribute secret = Attr("secret", tf::Type::String(), "A secret the store never gives back.");
  secret.optional = true;
  secret.sensitive = true;
  tf::Attribute label = Attr("label", tf::Type::String(), "Label, compared ignoring letter case.");
  label.optional = true;
  label.semantic_equal = tf::CaseInsensitiveEquality();
  tf::Attribute revision = Attr("revision", tf::Type::Number(), "Incremented by every write.");
  revision.computed = true;
  tf::Attribute misbehave = Attr("misbehave", tf::Type::String(), "Breaks one Terraform rule on purpose (tests).");
  misbehave.optional = true;
  s.block.attributes = {id, name, mode, zone, secret, label, revision, misbehave};
  tf::NestedBlock tag;
  tag.type_name = "tag";
  tag.block = TagBlock();
  tag.nesting = tf::Nesting::kSet;
  s.block.block_types = {tag};
  s.block.description = "A thing kept in a JSON file.";
  return s;
}

nlohmann::json OptString(const Value& obj, const char* name) {
  auto s = tf::GetString(obj, name);
  return s ? nlohmann::json(*s) : nlohmann::json(nullptr);
}

nlohmann::json ToJson(const Value& v) {
  nlohmann::json j;
  for (const char* a : {"name", "mode", "zone", "secret", "label", "misbehave"}) j[a] = OptString(v, a);
  j["tags"] = nlohmann::json::array();
  const Value& tags = v.attr("tag");
  if (tags.is_known()) {
    for (const auto& t : tags.items()) j["tags"].push_back({{"key", OptString(t, "key")}, {"value", OptString(t, "value")}});
  }
  return j;
}

Value Str(const nlohmann::json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return Value::Null(tf::Type::String());
  return Value::String(j[key].get<std::string>());
}

// The object as the store has it; `secret` is never read back, so it comes from `prior`.
Value FromJson(const tf::Type& type, const std::string& id, const nlohmann::json& j, const Value& prior) {
  const tf::Type& tag_type = type.attributes().at("tag").element();
  std::vector<Value> tags;
  for (const auto& t : j.value("tags", nlohmann::json::array())) {
    tags.push_back(Value::ObjectOf(tag_type, {{"key", Str(t, "key")}, {"value", Str(t, "value")}}));
  }
  return Value::ObjectOf(type, {{"id", Value::String(id)},
                                {"name", Str(j, "name")},
                                {"mode", Str(j, "mode")},
                                {"zone", Str(j, "zone")},
                                {"secret", prior.attr("secret").is_known() ? prior.attr("secret")
                                                                           : Value::Null(tf::Type::String())},
                                {"label", Str(j, "label")},
                                {"revision", Value::Int(j.value("revision", 0))},
                                {"misbehave", Str(j, "misbehave")},
                                {"tag", Value::Set(tag_type, std::move(tags))}});
}

std::string Misbehave(const Value& v) { return tf::GetString(v, "misbehave").value_or(""); }

std::string PrivateWith(const std::string& origin, int writes) {
  return nlohmann::json{{"origin", origin}, {"writes", writes}}.dump();
}

int PrivateWrites(const std::string& priv) {
  auto j = nlohmann::json::parse(priv, nullptr, false);
  return j.is_object() ? j.value("writes", 0) : -1;
}

std::atomic<int> g_plan_counter{0};

class ThingResource final : public tf::Resource {
 public:
  std::string TypeName() const override { return "tfjtest_thing"; }
  tf::Schema GetSchema() const override { return ThingSchema(); }

  void Configure(const std::any& data, tf::Diagnostics&) override {
    if (const auto* path = std::any_cast<std::string>(&data)) store_path_ = *path;
  }

  void ModifyPlan(const tf::ModifyPlanRequest& req, tf::ModifyPlanResponse& resp) override {
    std::string m = Misbehave(req.config);
    if (m == "change_config" && resp.planned_state.is_known()) {
      auto name = tf::GetString(req.config, "name");
      if (name) resp.planned_state = resp.planned_state.WithAttr("name", Value::String(*name + "-changed"));
    } else if (m == "bad_replace_path") {
      resp.requires_replace.push_back(tf::Path().AtName("no_such_attribute"));
    } else if (m == "nondeterministic_plan" && resp.planned_state.is_known()) {
      resp.planned_state = resp.planned_state.WithAttr("revision", Value::Int(1000 + g_plan_counter++));
    }
  }

  void Create(const tf::CreateRequest& req, tf::CreateResponse& resp) override {
    if (!Ready(resp.diagnostics)) return;
    std::string m = Misbehave(req.planned_state);
    nlohmann::json j = ToJson(req.planned_state);
    j["revision"] = 1;
    std::string id = ThingStore(store_path_).Create(j);
    resp.state = FromJson(req.planned_state.type(), id, j, req.planned_state);
    resp.private_data = PrivateWith("create", 1);
    if (m == "change_planned") {
      resp.state = resp.state.WithAttr("name", Value::String(tf::GetString(req.planned_state, "name").value_or("") + "-applied"));
    } else if (m == "unknown_after_apply") {
      resp.state = resp.state.WithAttr("id", Value::Unknown(tf::Type::String()));
    }
  }

  void Read(const tf::ReadRequest& req, tf::ReadResponse& resp) override {
    if (!Ready(resp.diagnostics)) return;
    auto id = tf::GetString(req.current_state, "id");
    if (!id) {
      resp.diagnostics.AddError("Thing without id", "The state holds no id to read.");
      return;
    }
    if (req.private_data.empty() || PrivateWrites(req.private_data) < 0) {
      resp.diagnostics.AddError("Private state lost",
                                "ReadResource received no private state for " + *id +
                                    "; Terraform must pass it through untouched.");
      return;
    }
    auto j = ThingStore(store_path_).Get(*id);
    if (!j) {
      resp.state = Value::Null(req.current_state.type());
      return;
    }
    resp.state = FromJson(req.current_state.type(), *id, *j, req.current_state);
    if (Misbehave(resp.state) == "unknown_on_read") {
      resp.state = resp.state.WithAttr("mode", Value::Unknown(tf::Type::String()));
    }
  }

  void Update(const tf::UpdateRequest& req, tf::UpdateResponse& resp) override {
    if (!Ready(resp.diagnostics)) return;
    auto id = tf::GetString(req.prior_state, "id");
    int writes = PrivateWrites(req.planned_private);
    if (writes < 0) {
      resp.diagnostics.AddError("Private state lost", "ApplyResourceChange received no planned private state.");
      return;
    }
    ThingStore store(store_path_);
    auto old = store.Get(id.value_or(""));
    if (!id || !old) {
      resp.diagnostics.AddError("Thing vanished", "The thing " + id.value_or("?") + " no longer exists.");
      return;
    }
    nlohmann::json j = ToJson(req.planned_state);
    j["revision"] = old->value("revision", 0) + 1;
    store.Put(*id, j);
    resp.state = FromJson(req.planned_state.type(), *id, j, req.planned_state);
    resp.private_data = PrivateWith(nlohmann::json::parse(req.planned_private).value("origin", "?"), writes + 1);
    if (Misbehave(req.planned_state) == "change_planned") {
      resp.state = resp.state.WithAttr("name", Value::String(tf::GetString(req.planned_state, "name").value_or("") + "-applied"));
    }
  }

  void Delete(const tf::DeleteRequest& req, tf::DeleteResponse& resp) override {
    if (!Ready(resp.diagnostics)) return;
    auto id = tf::GetString(req.prior_state, "id");
    if (id) ThingStore(store_path_).Erase(*id);
  }

  void ImportState(const tf::ImportRequest& req, tf::ImportResponse& resp) override {
    // Like many real providers: set the id and let Read find out whether it exists.
    resp.state = resp.state.WithAttr("id", Value::String(req.id));
    resp.private_data = PrivateWith("import", 0);
  }

 private:
  bool Ready(tf::Diagnostics& diags) const {
    if (store_path_.empty()) {
      diags.AddError("Provider not configured", "store_path is unknown or empty.");
      return false;
    }
    return true;
  }
  std::string store_path_;
};

class ThingDataSource final : public tf::DataSource {
 public:
  std::string TypeName() const override { return "tfjtest_thing"; }
  tf::Schema GetSchema() const override {
    tf::Schema s;
    tf::Attribute name = Attr("name", tf::Type::String(), "Name of the thing to look up.");
    name.required = true;
    s.block.attributes.push_back(name);
    for (const char* a : {"id", "mode", "zone", "label"}) {
      tf::Attribute c = Attr(a, tf::Type::String(), std::string("The thing's ") + a + ".");
      c.computed = true;
      s.block.attributes.push_back(c);
    }
    s.block.description = "Looks a thing up by name.";
    return s;
  }
  void Configure(const std::any& data, tf::Diagnostics&) override {
    if (const auto* path = std::any_cast<std::string>(&data)) store_path_ = *path;
  }
  void Read(const tf::DataSourceReadRequest& req, tf::DataSourceReadResponse& resp) override {
    std::string name = tf::GetString(req.config, "name").value_or("");
    ThingStore store(store_path_);
    auto id = store.FindByName(name);
    if (!id) {
      resp.diagnostics.AddAttributeError(tf::Path().AtName("name"), "Thing not found",
                                         "No thing is named \"" + name + "\".");
      return;
    }
    auto j = *store.Get(*id);
    resp.state = Value::ObjectOf(req.config.type(), {{"name", Value::String(name)},
                                                     {"id", Value::String(*id)},
                                                     {"mode", Str(j, "mode")},
                                                     {"zone", Str(j, "zone")},
                                                     {"label", Str(j, "label")}});
  }

 private:
  std::string store_path_;
};

class TestProvider final : public tf::Provider {
 public:
  std::string TypeName() const override { return "tfjtest"; }
  std::string Version() const override { return "0.0.1"; }
  tf::Schema GetSchema() const override {
    tf::Schema s;
    tf::Attribute path = Attr("store_path", tf::Type::String(), "JSON file holding the things.");
    path.required = true;
    s.block.attributes = {path};
    s.block.description = "Test-only provider.";
    return s;
  }
  void ValidateConfig(const tf::ValidateProviderRequest& req, tf::ValidateProviderResponse& resp) override {
    auto path = tf::GetString(req.config, "store_path");
    if (path && (path->empty() || (*path)[0] != '/')) {
      resp.diagnostics.AddAttributeError(tf::Path().AtName("store_path"), "Invalid store path",
                                         "store_path must be an absolute path.");
    }
  }
  void Configure(const tf::ConfigureProviderRequest& req, tf::ConfigureProviderResponse& resp) override {
    auto path = tf::GetString(req.config, "store_path");
    if (path) resp.provider_data = *path;
  }
  std::vector<tf::ResourceFactory> Resources() const override {
    return {[] { return std::make_unique<ThingResource>(); }};
  }
  std::vector<tf::DataSourceFactory> DataSources() const override {
    return {[] { return std::make_unique<ThingDataSource>(); }};
  }
};

}  // namespace

std::unique_ptr<tf::Provider> NewProvider() { return std::make_unique<TestProvider>(); }

}  // namespace tfj::testprovider
