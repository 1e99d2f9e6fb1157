#include "acceptance_tests/harness/driver.h"

#include <grpcpp/client_context.h>

#include <chrono>

#include "provider/core/codec.h"
#include "tfplugin5.grpc.pb.h"
#include "tfplugin6.grpc.pb.h"

namespace tfj::harness {
namespace {

// ---- message conversions shared by both protocols (same field names in both files) -------

template <class PathMsg>
tf::Path FromPath(const PathMsg& msg) {
  tf::Path path;
  for (const auto& step : msg.steps()) {
    if (step.has_attribute_name()) {
      path = path.AtName(step.attribute_name());
    } else if (step.has_element_key_string()) {
      path = path.AtKey(step.element_key_string());
    } else {
      path = path.AtIndex(step.element_key_int());
    }
  }
  return path;
}

template <class DiagList>
tf::Diagnostics FromDiags(const DiagList& list) {
  tf::Diagnostics out;
  for (const auto& d : list) {
    tf::Diagnostic diag;
    diag.severity = static_cast<tf::Severity>(static_cast<int>(d.severity()));
    diag.summary = d.summary();
    diag.detail = d.detail();
    if (d.has_attribute()) diag.path = FromPath(d.attribute());
    out.Add(std::move(diag));
  }
  return out;
}

// Terraform reads msgpack if present, else JSON, else null (decodeDynamicValue).
template <class DV>
tf::Value FromDynamic(const DV& dv, const tf::Type& type, const std::string& what,
                      tf::Diagnostics& diags) {
  tf::Diagnostics decode;
  tf::Value v;
  if (!dv.msgpack().empty()) {
    v = tf::DecodeMsgpack(dv.msgpack(), type, decode);
  } else if (!dv.json().empty()) {
    v = tf::DecodeJson(dv.json(), type, decode);
  } else {
    return tf::Value::Null(type);
  }
  for (const auto& d : decode) {
    diags.AddError("Provider returned an undecodable " + what,
                   d.summary + (d.detail.empty() ? "" : ": " + d.detail));
  }
  return v;
}

template <class DV>
void ToDynamic(const tf::Value& v, const tf::Type& type, DV* dv) {
  dv->set_msgpack(tf::EncodeMsgpack(v, type));
}

template <class BlockMsg>
tf::Block FromBlock(const BlockMsg& msg, tf::Diagnostics& diags, const std::string& where);

template <class AttrMsg>
tf::Attribute FromAttribute(const AttrMsg& a, tf::Diagnostics& diags, const std::string& where) {
  tf::Attribute attr;
  attr.name = a.name();
  attr.description = a.description();
  attr.description_kind = static_cast<tf::StringKind>(static_cast<int>(a.description_kind()));
  attr.required = a.required();
  attr.optional = a.optional();
  attr.computed = a.computed();
  attr.sensitive = a.sensitive();
  attr.deprecated = a.deprecated();
  attr.deprecation_message = a.deprecation_message();
  attr.write_only = a.write_only();
  if (!a.type().empty()) {
    std::string error;
    auto type = tf::Type::FromJson(a.type(), &error);
    if (!type) {
      diags.AddError("Invalid attribute type in schema",
                     where + "." + a.name() + ": " + error + " (Terraform panics on this)");
    } else {
      attr.type = *type;
    }
  } else {
    if constexpr (requires { a.has_nested_type(); }) {
      if (a.has_nested_type()) {
        // Nested attributes (protocol 6) are modelled by their implied type only.
        std::map<std::string, tf::Type> attrs;
        for (const auto& na : a.nested_type().attributes()) {
          attrs[na.name()] = FromAttribute(na, diags, where + "." + a.name()).type;
        }
        tf::Type obj = tf::Type::Object(attrs);
        switch (static_cast<int>(a.nested_type().nesting())) {
          case 2: attr.type = tf::Type::List(obj); break;
          case 3: attr.type = tf::Type::Set(obj); break;
          case 4: attr.type = tf::Type::Map(obj); break;
          default: attr.type = obj; break;
        }
        return attr;
      }
    }
    diags.AddError("Invalid attribute type in schema", where + "." + a.name() + " has no type");
  }
  return attr;
}

template <class BlockMsg>
tf::Block FromBlock(const BlockMsg& msg, tf::Diagnostics& diags, const std::string& where) {
  tf::Block block;
  block.description = msg.description();
  block.description_kind = static_cast<tf::StringKind>(static_cast<int>(msg.description_kind()));
  block.deprecated = msg.deprecated();
  for (const auto& a : msg.attributes()) block.attributes.push_back(FromAttribute(a, diags, where));
  for (const auto& nb : msg.block_types()) {
    tf::NestedBlock b;
    b.type_name = nb.type_name();
    int nesting = static_cast<int>(nb.nesting());
    if (nesting < 1 || nesting > 5) {
      diags.AddError("Invalid nesting mode in schema", where + "." + nb.type_name());
      nesting = 2;
    }
    b.nesting = static_cast<tf::Nesting>(nesting);
    b.min_items = nb.min_items();
    b.max_items = nb.max_items();
    if (!nb.has_block()) {
      diags.AddError("Nested block without a block in schema",
                     where + "." + nb.type_name() + " (Terraform crashes on this)");
      b.block = std::make_shared<tf::Block>();
    } else {
      b.block = std::make_shared<tf::Block>(FromBlock(nb.block(), diags, where + "." + nb.type_name()));
    }
    block.block_types.push_back(std::move(b));
  }
  return block;
}

template <class SchemaMsg>
tf::Schema FromSchema(const SchemaMsg& msg, tf::Diagnostics& diags, const std::string& where) {
  tf::Schema schema;
  schema.version = msg.version();
  if (!msg.has_block()) {
    diags.AddError("Schema without a block", where + " (Terraform crashes on this)");
    return schema;
  }
  schema.block = FromBlock(msg.block(), diags, where);
  return schema;
}

// ---- per-protocol names ---------------------------------------------------------------------

template <int P>
struct Proto;

template <>
struct Proto<5> {
  static constexpr const char* kClient = "plugin.(*GRPCProvider)";
  using Stub = tfplugin5::Provider::Stub;
  using Schema = tfplugin5::GetProviderSchema;
  using ValidateProvider = tfplugin5::PrepareProviderConfig;
  using Configure = tfplugin5::Configure;
  using ValidateResource = tfplugin5::ValidateResourceTypeConfig;
  using ValidateData = tfplugin5::ValidateDataSourceConfig;
  using Stop = tfplugin5::Stop;
  using Upgrade = tfplugin5::UpgradeResourceState;
  using Read = tfplugin5::ReadResource;
  using Plan = tfplugin5::PlanResourceChange;
  using Apply = tfplugin5::ApplyResourceChange;
  using Import = tfplugin5::ImportResourceState;
  using ReadData = tfplugin5::ReadDataSource;
  using Move = tfplugin5::MoveResourceState;
  static std::unique_ptr<Stub> NewStub(std::shared_ptr<grpc::Channel> c) { return tfplugin5::Provider::NewStub(c); }
  static grpc::Status GetSchema(Stub& s, grpc::ClientContext* c, const Schema::Request& q, Schema::Response* r) { return s.GetSchema(c, q, r); }
  static grpc::Status ValidateProviderConfig(Stub& s, grpc::ClientContext* c, const ValidateProvider::Request& q, ValidateProvider::Response* r) { return s.PrepareProviderConfig(c, q, r); }
  static grpc::Status ConfigureProvider(Stub& s, grpc::ClientContext* c, const Configure::Request& q, Configure::Response* r) { return s.Configure(c, q, r); }
  static grpc::Status ValidateResourceConfig(Stub& s, grpc::ClientContext* c, const ValidateResource::Request& q, ValidateResource::Response* r) { return s.ValidateResourceTypeConfig(c, q, r); }
  static grpc::Status ValidateDataResourceConfig(Stub& s, grpc::ClientContext* c, const ValidateData::Request& q, ValidateData::Response* r) { return s.ValidateDataSourceConfig(c, q, r); }
  static grpc::Status StopProvider(Stub& s, grpc::ClientContext* c, const Stop::Request& q, Stop::Response* r) { return s.Stop(c, q, r); }
  static constexpr const char* kGetSchema = "GetSchema";
  static constexpr const char* kValidateProvider = "PrepareProviderConfig";
  static constexpr const char* kConfigure = "Configure";
  static constexpr const char* kValidateResource = "ValidateResourceTypeConfig";
  static constexpr const char* kValidateData = "ValidateDataSourceConfig";
};

template <>
struct Proto<6> {
  static constexpr const char* kClient = "plugin6.(*GRPCProvider)";
  using Stub = tfplugin6::Provider::Stub;
  using Schema = tfplugin6::GetProviderSchema;
  using ValidateProvider = tfplugin6::ValidateProviderConfig;
  using Configure = tfplugin6::ConfigureProvider;
  using ValidateResource = tfplugin6::ValidateResourceConfig;
  using ValidateData = tfplugin6::ValidateDataResourceConfig;
  using Stop = tfplugin6::StopProvider;
  using Upgrade = tfplugin6::UpgradeResourceState;
  using Read = tfplugin6::ReadResource;
  using Plan = tfplugin6::PlanResourceChange;
  using Apply = tfplugin6::ApplyResourceChange;
  using Import = tfplugin6::ImportResourceState;
  using ReadData = tfplugin6::ReadDataSource;
  using Move = tfplugin6::MoveResourceState;
  static std::unique_ptr<Stub> NewStub(std::shared_ptr<grpc::Channel> c) { return tfplugin6::Provider::NewStub(c); }
  static grpc::Status GetSchema(Stub& s, grpc::ClientContext* c, const Schema::Request& q, Schema::Response* r) { return s.GetProviderSchema(c, q, r); }
  static grpc::Status ValidateProviderConfig(Stub& s, grpc::ClientContext* c, const ValidateProvider::Request& q, ValidateProvider::Response* r) { return s.ValidateProviderConfig(c, q, r); }
  static grpc::Status ConfigureProvider(Stub& s, grpc::ClientContext* c, const Configure::Request& q, Configure::Response* r) { return s.ConfigureProvider(c, q, r); }
  static grpc::Status ValidateResourceConfig(Stub& s, grpc::ClientContext* c, const ValidateResource::Request& q, ValidateResource::Response* r) { return s.ValidateResourceConfig(c, q, r); }
  static grpc::Status ValidateDataResourceConfig(Stub& s, grpc::ClientContext* c, const ValidateData::Request& q, ValidateData::Response* r) { return s.ValidateDataResourceConfig(c, q, r); }
  static grpc::Status StopProvider(Stub& s, grpc::ClientContext* c, const Stop::Request& q, Stop::Response* r) { return s.StopProvider(c, q, r); }
  static constexpr const char* kGetSchema = "GetProviderSchema";
  static constexpr const char* kValidateProvider = "ValidateProviderConfig";
  static constexpr const char* kConfigure = "ConfigureProvider";
  static constexpr const char* kValidateResource = "ValidateResourceConfig";
  static constexpr const char* kValidateData = "ValidateDataResourceConfig";
};

// Terraform's mapping of non-OK gRPC statuses (internal/plugin/grpc_error.go).
void AddRpcError(const grpc::Status& s, const char* client, const std::string& method,
                 tf::Diagnostics& diags) {
  switch (s.error_code()) {
    case grpc::StatusCode::UNAVAILABLE:
      diags.AddError("Plugin did not respond",
                     "The plugin encountered an error, and failed to respond to the " + std::string(client) +
                         "." + method + " call. The plugin logs may contain more details.");
      break;
    case grpc::StatusCode::UNIMPLEMENTED:
      diags.AddError("Unsupported plugin method",
                     "The " + method + " method is not supported by this plugin.");
      break;
    case grpc::StatusCode::CANCELLED:
      diags.AddError("Request cancelled", "The " + method + " request was cancelled.");
      break;
    default:
      diags.AddError("Plugin error", "The plugin returned an unexpected error from " +
                                         std::string(client) + "." + method +
                                         ": rpc error: code = " + std::to_string(s.error_code()) +
                                         " desc = " + s.error_message());
  }
}

template <int P>
class DriverImpl final : public Driver {
  using T = Proto<P>;

 public:
  explicit DriverImpl(std::shared_ptr<grpc::Channel> channel) : stub_(T::NewStub(channel)) {}

  int protocol() const override { return P; }

  const ProviderSchemas& Schemas() override {
    if (!schemas_) schemas_ = FetchSchemas();
    return *schemas_;
  }

  ProviderSchemas FetchSchemas() override {
    ProviderSchemas out;
    typename T::Schema::Request req;
    typename T::Schema::Response resp;
    auto ctx = Context();
    grpc::Status s = T::GetSchema(*stub_, ctx.get(), req, &resp);
    if (!s.ok()) {
      AddRpcError(s, T::kClient, T::kGetSchema, out.diagnostics);
      return out;
    }
    out.diagnostics = FromDiags(resp.diagnostics());
    if (!resp.has_provider()) {
      out.diagnostics.AddError("missing provider schema", "GetProviderSchema returned no provider schema");
    } else {
      out.provider = FromSchema(resp.provider(), out.diagnostics, "provider");
    }
    for (const auto& [name, schema] : resp.resource_schemas()) {
      out.resources[name] = FromSchema(schema, out.diagnostics, name);
    }
    for (const auto& [name, schema] : resp.data_source_schemas()) {
      out.data_sources[name] = FromSchema(schema, out.diagnostics, "data." + name);
    }
    out.plan_destroy = resp.server_capabilities().plan_destroy();
    out.move_resource_state = resp.server_capabilities().move_resource_state();
    return out;
  }

  tf::Diagnostics ValidateProviderConfig(const tf::Value& config) override {
    typename T::ValidateProvider::Request req;
    typename T::ValidateProvider::Response resp;
    ToDynamic(config, Schemas().provider.ImpliedType(), req.mutable_config());
    auto ctx = Context();
    grpc::Status s = T::ValidateProviderConfig(*stub_, ctx.get(), req, &resp);
    tf::Diagnostics diags;
    if (!s.ok()) {
      AddRpcError(s, T::kClient, T::kValidateProvider, diags);
      return diags;
    }
    return FromDiags(resp.diagnostics());
  }

  tf::Diagnostics ConfigureProvider(const tf::Value& config, const std::string& version) override {
    typename T::Configure::Request req;
    typename T::Configure::Response resp;
    req.set_terraform_version(version);
    ToDynamic(config, Schemas().provider.ImpliedType(), req.mutable_config());
    auto ctx = Context();
    grpc::Status s = T::ConfigureProvider(*stub_, ctx.get(), req, &resp);
    tf::Diagnostics diags;
    if (!s.ok()) {
      AddRpcError(s, T::kClient, T::kConfigure, diags);
      return diags;
    }
    return FromDiags(resp.diagnostics());
  }

  tf::Diagnostics ValidateResourceConfig(const std::string& type, const tf::Value& config) override {
    tf::Diagnostics diags;
    const tf::Schema* schema = ResourceSchemaOrError(type, diags);
    if (schema == nullptr) return diags;
    typename T::ValidateResource::Request req;
    typename T::ValidateResource::Response resp;
    req.set_type_name(type);
    ToDynamic(config, schema->ImpliedType(), req.mutable_config());
    req.mutable_client_capabilities()->set_write_only_attributes_allowed(write_only_allowed_);
    auto ctx = Context();
    grpc::Status s = T::ValidateResourceConfig(*stub_, ctx.get(), req, &resp);
    if (!s.ok()) {
      AddRpcError(s, T::kClient, T::kValidateResource, diags);
      return diags;
    }
    return FromDiags(resp.diagnostics());
  }

  StateResult UpgradeResourceState(const std::string& type, int64_t version,
                                   const std::string& raw_json) override {
    return Upgrade(type, version, raw_json, {});
  }

  StateResult UpgradeFlatmapState(const std::string& type, int64_t version,
                                  const std::map<std::string, std::string>& flatmap) override {
    return Upgrade(type, version, "", flatmap);
  }

  void SetWriteOnlyAttributesAllowed(bool allowed) override { write_only_allowed_ = allowed; }

  StateResult MoveResourceState(const MoveSource& source, const std::string& target_type) override {
    StateResult out;
    const tf::Schema* schema = ResourceSchemaOrError(target_type, out.diagnostics);
    if (schema == nullptr) return out;
    typename T::Move::Request req;
    typename T::Move::Response resp;
    req.set_source_provider_address(source.provider_address);
    req.set_source_type_name(source.type_name);
    req.set_source_schema_version(source.schema_version);
    req.mutable_source_state()->set_json(source.raw_json);
    req.set_target_type_name(target_type);
    auto ctx = Context();
    grpc::Status s = stub_->MoveResourceState(ctx.get(), req, &resp);
    if (!s.ok()) {
      AddRpcError(s, T::kClient, "MoveResourceState", out.diagnostics);
      return out;
    }
    out.diagnostics = FromDiags(resp.diagnostics());
    out.state = FromDynamic(resp.target_state(), schema->ImpliedType(), "moved state", out.diagnostics);
    return out;
  }

 private:
  StateResult Upgrade(const std::string& type, int64_t version, const std::string& raw_json,
                      const std::map<std::string, std::string>& flatmap) {
    StateResult out;
    const tf::Schema* schema = ResourceSchemaOrError(type, out.diagnostics);
    if (schema == nullptr) return out;
    typename T::Upgrade::Request req;
    typename T::Upgrade::Response resp;
    req.set_type_name(type);
    req.set_version(version);
    if (flatmap.empty()) {
      req.mutable_raw_state()->set_json(raw_json);
    } else {
      for (const auto& [k, v] : flatmap) (*req.mutable_raw_state()->mutable_flatmap())[k] = v;
    }
    auto ctx = Context();
    grpc::Status s = stub_->UpgradeResourceState(ctx.get(), req, &resp);
    if (!s.ok()) {
      AddRpcError(s, T::kClient, "UpgradeResourceState", out.diagnostics);
      return out;
    }
    out.diagnostics = FromDiags(resp.diagnostics());
    out.state = FromDynamic(resp.upgraded_state(), schema->ImpliedType(), "upgraded state", out.diagnostics);
    return out;
  }


 public:
  StateResult ReadResource(const std::string& type, const tf::Value& current,
                           const std::string& private_data) override {
    StateResult out;
    const tf::Schema* schema = ResourceSchemaOrError(type, out.diagnostics);
    if (schema == nullptr) return out;
    typename T::Read::Request req;
    typename T::Read::Response resp;
    req.set_type_name(type);
    ToDynamic(current, schema->ImpliedType(), req.mutable_current_state());
    req.set_private_(private_data);
    auto ctx = Context();
    grpc::Status s = stub_->ReadResource(ctx.get(), req, &resp);
    if (!s.ok()) {
      AddRpcError(s, T::kClient, "ReadResource", out.diagnostics);
      return out;
    }
    out.diagnostics = FromDiags(resp.diagnostics());
    out.state = FromDynamic(resp.new_state(), schema->ImpliedType(), "new state", out.diagnostics);
    out.private_data = resp.private_();
    return out;
  }

  PlanResult PlanResourceChange(const std::string& type, const tf::Value& prior,
                                const tf::Value& proposed, const tf::Value& config,
                                const std::string& prior_private) override {
    PlanResult out;
    const tf::Schema* schema = ResourceSchemaOrError(type, out.diagnostics);
    if (schema == nullptr) return out;
    tf::Type ty = schema->ImpliedType();
    typename T::Plan::Request req;
    typename T::Plan::Response resp;
    req.set_type_name(type);
    ToDynamic(prior, ty, req.mutable_prior_state());
    ToDynamic(proposed, ty, req.mutable_proposed_new_state());
    ToDynamic(config, ty, req.mutable_config());
    req.set_prior_private(prior_private);
    auto ctx = Context();
    grpc::Status s = stub_->PlanResourceChange(ctx.get(), req, &resp);
    if (!s.ok()) {
      AddRpcError(s, T::kClient, "PlanResourceChange", out.diagnostics);
      return out;
    }
    out.diagnostics = FromDiags(resp.diagnostics());
    out.planned_state = FromDynamic(resp.planned_state(), ty, "planned state", out.diagnostics);
    for (const auto& p : resp.requires_replace()) out.requires_replace.push_back(FromPath(p));
    out.planned_private = resp.planned_private();
    out.legacy_type_system = resp.legacy_type_system();
    return out;
  }

  StateResult ApplyResourceChange(const std::string& type, const tf::Value& prior,
                                  const tf::Value& planned, const tf::Value& config,
                                  const std::string& planned_private) override {
    StateResult out;
    const tf::Schema* schema = ResourceSchemaOrError(type, out.diagnostics);
    if (schema == nullptr) return out;
    tf::Type ty = schema->ImpliedType();
    typename T::Apply::Request req;
    typename T::Apply::Response resp;
    req.set_type_name(type);
    ToDynamic(prior, ty, req.mutable_prior_state());
    ToDynamic(planned, ty, req.mutable_planned_state());
    ToDynamic(config, ty, req.mutable_config());
    req.set_planned_private(planned_private);
    auto ctx = Context();
    grpc::Status s = stub_->ApplyResourceChange(ctx.get(), req, &resp);
    if (!s.ok()) {
      AddRpcError(s, T::kClient, "ApplyResourceChange", out.diagnostics);
      return out;
    }
    out.diagnostics = FromDiags(resp.diagnostics());
    out.state = FromDynamic(resp.new_state(), ty, "new state", out.diagnostics);
    out.private_data = resp.private_();
    return out;
  }

  ImportResult ImportResourceState(const std::string& type, const std::string& id) override {
    ImportResult out;
    typename T::Import::Request req;
    typename T::Import::Response resp;
    req.set_type_name(type);
    req.set_id(id);
    auto ctx = Context();
    grpc::Status s = stub_->ImportResourceState(ctx.get(), req, &resp);
    if (!s.ok()) {
      AddRpcError(s, T::kClient, "ImportResourceState", out.diagnostics);
      return out;
    }
    out.diagnostics = FromDiags(resp.diagnostics());
    for (const auto& r : resp.imported_resources()) {
      ImportedObject obj;
      obj.type_name = r.type_name();
      obj.private_data = r.private_();
      const tf::Schema* schema = ResourceSchema(r.type_name());
      if (schema != nullptr) {
        obj.state = FromDynamic(r.state(), schema->ImpliedType(), "imported state", out.diagnostics);
      }
      out.imported.push_back(std::move(obj));
    }
    return out;
  }

  tf::Diagnostics ValidateDataResourceConfig(const std::string& type, const tf::Value& config) override {
    tf::Diagnostics diags;
    const tf::Schema* schema = DataSourceSchema(type);
    if (schema == nullptr) {
      diags.AddError("Invalid data source", "The provider does not support data source \"" + type + "\".");
      return diags;
    }
    typename T::ValidateData::Request req;
    typename T::ValidateData::Response resp;
    req.set_type_name(type);
    ToDynamic(config, schema->ImpliedType(), req.mutable_config());
    auto ctx = Context();
    grpc::Status s = T::ValidateDataResourceConfig(*stub_, ctx.get(), req, &resp);
    if (!s.ok()) {
      AddRpcError(s, T::kClient, T::kValidateData, diags);
      return diags;
    }
    return FromDiags(resp.diagnostics());
  }

  StateResult ReadDataSource(const std::string& type, const tf::Value& config) override {
    StateResult out;
    const tf::Schema* schema = DataSourceSchema(type);
    if (schema == nullptr) {
      out.diagnostics.AddError("Invalid data source", "The provider does not support data source \"" + type + "\".");
      return out;
    }
    typename T::ReadData::Request req;
    typename T::ReadData::Response resp;
    req.set_type_name(type);
    ToDynamic(config, schema->ImpliedType(), req.mutable_config());
    auto ctx = Context();
    grpc::Status s = stub_->ReadDataSource(ctx.get(), req, &resp);
    if (!s.ok()) {
      AddRpcError(s, T::kClient, "ReadDataSource", out.diagnostics);
      return out;
    }
    out.diagnostics = FromDiags(resp.diagnostics());
    out.state = FromDynamic(resp.state(), schema->ImpliedType(), "data source state", out.diagnostics);
    return out;
  }

  std::string Stop() override {
    typename T::Stop::Request req;
    typename T::Stop::Response resp;
    auto ctx = Context();
    grpc::Status s = T::StopProvider(*stub_, ctx.get(), req, &resp);
    if (!s.ok()) return "rpc error: " + s.error_message();
    return resp.error();
  }

 private:
  static std::unique_ptr<grpc::ClientContext> Context() {
    auto ctx = std::make_unique<grpc::ClientContext>();
    ctx->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
    return ctx;
  }

  const tf::Schema* ResourceSchemaOrError(const std::string& type, tf::Diagnostics& diags) {
    const tf::Schema* schema = ResourceSchema(type);
    if (schema == nullptr) {
      diags.AddError("Invalid resource type",
                     "The provider does not support resource type \"" + type + "\".");
    }
    return schema;
  }

  std::unique_ptr<typename T::Stub> stub_;
  std::optional<ProviderSchemas> schemas_;
  bool write_only_allowed_ = true;  // Terraform 1.11+ announces it
};

}  // namespace

const tf::Schema* Driver::ResourceSchema(const std::string& type) {
  const auto& s = Schemas();
  auto it = s.resources.find(type);
  return it == s.resources.end() ? nullptr : &it->second;
}

const tf::Schema* Driver::DataSourceSchema(const std::string& type) {
  const auto& s = Schemas();
  auto it = s.data_sources.find(type);
  return it == s.data_sources.end() ? nullptr : &it->second;
}

std::unique_ptr<Driver> Driver::Create(int protocol, std::shared_ptr<grpc::Channel> channel) {
  if (protocol == 5) return std::make_unique<DriverImpl<5>>(std::move(channel));
  if (protocol == 6) return std::make_unique<DriverImpl<6>>(std::move(channel));
  return nullptr;
}

}  // namespace tfj::harness
