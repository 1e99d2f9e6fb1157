#include "provider/core/server.h"

#include <algorithm>
#include <exception>

#include "provider/core/codec.h"
#include "provider/core/log.h"

namespace tf {

namespace {

template <typename Entry>
struct Registry {
  std::map<std::string, Entry> entries;
};

struct ResourceEntry {
  ResourceFactory factory;
  Schema schema;
  Type type;
};

struct DataSourceEntry {
  DataSourceFactory factory;
  Schema schema;
  Type type;
};

DynamicValue Encode(const Value& value, const Type& type) {
  return DynamicValue{EncodeMsgpack(value, type), ""};
}

// msgpack when present, else JSON, else null: what Terraform core itself does.
Value Decode(const DynamicValue& dv, const Type& type, Diagnostics& diags) {
  if (!dv.msgpack.empty()) return DecodeMsgpack(dv.msgpack, type, diags);
  if (!dv.json.empty()) return DecodeJson(dv.json, type, diags);
  return Value::Null(type);
}

// Replaces every unknown inside `value` with null and records where they were.
Value NullUnknowns(const Value& value, const Path& path, std::vector<Path>& found) {
  if (value.is_unknown()) {
    found.push_back(path);
    return Value::Null(value.type());
  }
  if (value.is_null()) return value;
  switch (value.type().kind()) {
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kTuple: {
      std::vector<Value> items;
      for (size_t i = 0; i < value.items().size(); ++i) {
        Path p = value.type().kind() == TypeKind::kSet ? path : path.AtIndex(static_cast<int64_t>(i));
        items.push_back(NullUnknowns(value.items()[i], p, found));
      }
      if (value.type().kind() == TypeKind::kList) return Value::List(value.type().element(), std::move(items));
      if (value.type().kind() == TypeKind::kSet) return Value::Set(value.type().element(), std::move(items));
      return Value::Tuple(std::move(items));
    }
    case TypeKind::kMap: {
      std::map<std::string, Value> items;
      for (const auto& [k, v] : value.map_items()) items.emplace(k, NullUnknowns(v, path.AtKey(k), found));
      return Value::Map(value.type().element(), std::move(items));
    }
    case TypeKind::kObject: {
      std::map<std::string, Value> attrs;
      for (const auto& [k, v] : value.attributes()) attrs.emplace(k, NullUnknowns(v, path.AtName(k), found));
      return Value::ObjectOf(value.type(), std::move(attrs));
    }
    default:
      return value;
  }
}

std::string JoinPaths(const std::vector<Path>& paths) {
  std::string out;
  for (const auto& p : paths) out += (out.empty() ? "" : ", ") + (p.empty() ? std::string("(root)") : p.ToString());
  return out;
}

// ---- validation -----------------------------------------------------------------------------

void RunValidators(const Block& block, const Value& object, const Path& path, Diagnostics& diags) {
  if (!object.is_known()) return;
  for (const auto& a : block.attributes) {
    const Value& v = object.attr(a.name);
    if (!v.is_known()) continue;  // null or unknown: nothing to check yet
    for (const auto& validator : a.validators) {
      if (validator) validator(v, path.AtName(a.name), diags);
    }
  }
  for (const auto& nb : block.block_types) {
    const Value& v = object.attr(nb.type_name);
    if (!v.is_known() || !nb.block) continue;
    Path p = path.AtName(nb.type_name);
    switch (nb.nesting) {
      case Nesting::kSingle:
      case Nesting::kGroup: RunValidators(*nb.block, v, p, diags); break;
      case Nesting::kList:
        for (size_t i = 0; i < v.items().size(); ++i) {
          RunValidators(*nb.block, v.items()[i], p.AtIndex(static_cast<int64_t>(i)), diags);
        }
        break;
      case Nesting::kSet:  // set elements have no address; paths stop at the set
        for (const auto& item : v.items()) RunValidators(*nb.block, item, p, diags);
        break;
      case Nesting::kMap:
        for (const auto& [k, item] : v.map_items()) RunValidators(*nb.block, item, p.AtKey(k), diags);
        break;
    }
  }
}

// ---- planning (terraform-plugin-framework semantics) ----------------------------------------

// Applies defaults, marks computed attributes unknown on create and keeps semantically equal
// prior values, for one object of `block`. `prior` is null for a new object.
Value PlanObject(const Block& block, const Value& config, const Value& prior, const Value& planned,
                 bool defaults_only) {
  if (!planned.is_known()) return planned;
  std::map<std::string, Value> attrs = planned.attributes();
  for (const auto& a : block.attributes) {
    const Value& c = config.attr(a.name);
    const Value& p = prior.attr(a.name);
    Value& v = attrs[a.name];
    if (c.is_null()) {
      if (a.default_value) {
        v = *a.default_value;
      } else if (!defaults_only && a.computed && prior.is_null()) {
        v = Value::Unknown(a.type);
      }
    } else if (!defaults_only && !p.is_null() && a.semantic_equal && c.IsWhollyKnown() &&
               a.semantic_equal(c, p)) {
      v = p;
    }
  }
  for (const auto& nb : block.block_types) {
    if (!nb.block) continue;
    const Value& c = config.attr(nb.type_name);
    const Value& p = prior.attr(nb.type_name);
    Value& v = attrs[nb.type_name];
    if (!v.is_known()) continue;
    switch (nb.nesting) {
      case Nesting::kSingle:
      case Nesting::kGroup:
        v = PlanObject(*nb.block, c, p, v, defaults_only);
        break;
      case Nesting::kList: {
        std::vector<Value> items;
        for (size_t i = 0; i < v.items().size(); ++i) {
          const Value& ci = c.is_known() && i < c.items().size() ? c.items()[i] : Value();
          const Value& pi = p.is_known() && i < p.items().size() ? p.items()[i] : Value();
          items.push_back(PlanObject(*nb.block, ci, pi, v.items()[i], defaults_only));
        }
        v = Value::List(v.type().element(), std::move(items));
        break;
      }
      case Nesting::kSet: {
        // Set elements cannot be paired with config or prior reliably: defaults only.
        std::vector<Value> items;
        for (const auto& item : v.items()) {
          // Config for this element is the element itself (sets are matched by value).
          items.push_back(PlanObject(*nb.block, item, Value(), item, true));
        }
        v = Value::Set(v.type().element(), std::move(items));
        break;
      }
      case Nesting::kMap: {
        std::map<std::string, Value> items;
        for (const auto& [k, item] : v.map_items()) {
          const Value& ck = c.is_known() && c.map_items().count(k) ? c.map_items().at(k) : Value();
          const Value& pk = p.is_known() && p.map_items().count(k) ? p.map_items().at(k) : Value();
          items.emplace(k, PlanObject(*nb.block, ck, pk, item, defaults_only));
        }
        v = Value::Map(v.type().element(), std::move(items));
        break;
      }
    }
  }
  return Value::ObjectOf(planned.type(), std::move(attrs));
}

// On a real update: computed attributes the user left null and that have no default and no
// use_state_for_unknown become unknown ("known after apply"), as the framework does.
Value MarkComputedUnknown(const Block& block, const Value& config, const Value& planned) {
  if (!planned.is_known()) return planned;
  std::map<std::string, Value> attrs = planned.attributes();
  for (const auto& a : block.attributes) {
    if (a.computed && !a.default_value && !a.use_state_for_unknown && config.attr(a.name).is_null()) {
      attrs[a.name] = Value::Unknown(a.type);
    }
  }
  for (const auto& nb : block.block_types) {
    if (!nb.block) continue;
    const Value& c = config.attr(nb.type_name);
    Value& v = attrs[nb.type_name];
    if (!v.is_known()) continue;
    switch (nb.nesting) {
      case Nesting::kSingle:
      case Nesting::kGroup: v = MarkComputedUnknown(*nb.block, c, v); break;
      case Nesting::kList: {
        std::vector<Value> items;
        for (size_t i = 0; i < v.items().size(); ++i) {
          const Value& ci = c.is_known() && i < c.items().size() ? c.items()[i] : Value();
          items.push_back(MarkComputedUnknown(*nb.block, ci, v.items()[i]));
        }
        v = Value::List(v.type().element(), std::move(items));
        break;
      }
      case Nesting::kMap: {
        std::map<std::string, Value> items;
        for (const auto& [k, item] : v.map_items()) {
          const Value& ck = c.is_known() && c.map_items().count(k) ? c.map_items().at(k) : Value();
          items.emplace(k, MarkComputedUnknown(*nb.block, ck, item));
        }
        v = Value::Map(v.type().element(), std::move(items));
        break;
      }
      case Nesting::kSet: break;  // unknowns would change element identity
    }
  }
  return Value::ObjectOf(planned.type(), std::move(attrs));
}

bool Changed(const Value& planned, const Value& prior) {
  return !planned.IsWhollyKnown() || planned != prior;
}

void CollectReplace(const Block& block, const Value& planned, const Value& prior, const Path& path,
                    std::vector<Path>& out) {
  for (const auto& a : block.attributes) {
    if (a.requires_replace && Changed(planned.attr(a.name), prior.attr(a.name))) {
      out.push_back(path.AtName(a.name));
    }
  }
  for (const auto& nb : block.block_types) {
    const Value& pv = planned.attr(nb.type_name);
    const Value& rv = prior.attr(nb.type_name);
    Path p = path.AtName(nb.type_name);
    if (nb.requires_replace) {
      if (Changed(pv, rv)) out.push_back(p);
      continue;
    }
    if (!nb.block || !pv.is_known() || !rv.is_known()) continue;
    switch (nb.nesting) {
      case Nesting::kSingle:
      case Nesting::kGroup: CollectReplace(*nb.block, pv, rv, p, out); break;
      case Nesting::kList:
        for (size_t i = 0; i < pv.items().size() && i < rv.items().size(); ++i) {
          CollectReplace(*nb.block, pv.items()[i], rv.items()[i], p.AtIndex(static_cast<int64_t>(i)), out);
        }
        break;
      case Nesting::kMap:
        for (const auto& [k, item] : pv.map_items()) {
          if (rv.map_items().count(k)) CollectReplace(*nb.block, item, rv.map_items().at(k), p.AtKey(k), out);
        }
        break;
      case Nesting::kSet: {
        // Elements have no address: a changed set whose block holds replacing attributes
        // replaces through the set itself.
        bool any = std::any_of(nb.block->attributes.begin(), nb.block->attributes.end(),
                               [](const Attribute& a) { return a.requires_replace; });
        if (any && Changed(pv, rv)) out.push_back(p);
        break;
      }
    }
  }
}


// ---- write-only attributes --------------------------------------------------------------------

// Calls fn(block, object, path) for `object` of `block` and for every object of its nested
// blocks that is known.
template <typename Fn>
void ForEachObject(const Block& block, const Value& object, const Path& path, Fn&& fn) {
  if (!object.is_known()) return;
  fn(block, object, path);
  for (const auto& nb : block.block_types) {
    const Value& v = object.attr(nb.type_name);
    if (!v.is_known() || !nb.block) continue;
    Path p = path.AtName(nb.type_name);
    switch (nb.nesting) {
      case Nesting::kSingle:
      case Nesting::kGroup: ForEachObject(*nb.block, v, p, fn); break;
      case Nesting::kList:
        for (size_t i = 0; i < v.items().size(); ++i) {
          ForEachObject(*nb.block, v.items()[i], p.AtIndex(static_cast<int64_t>(i)), fn);
        }
        break;
      case Nesting::kSet:
        for (const auto& item : v.items()) ForEachObject(*nb.block, item, p, fn);
        break;
      case Nesting::kMap:
        for (const auto& [k, item] : v.map_items()) ForEachObject(*nb.block, item, p.AtKey(k), fn);
        break;
    }
  }
}

bool HasWriteOnly(const Block& block) {
  for (const auto& a : block.attributes) {
    if (a.write_only) return true;
  }
  for (const auto& nb : block.block_types) {
    if (nb.block && HasWriteOnly(*nb.block)) return true;
  }
  return false;
}

// Terraform rejects any non-null write-only value in a plan, a new state, a refreshed,
// imported, upgraded or moved state ("Write-only attributes cannot be read back from the
// provider"), so every object leaving the engine goes through this.
Value NullWriteOnly(const Block& block, const Value& object) {
  if (!object.is_known() || !HasWriteOnly(block)) return object;
  std::map<std::string, Value> attrs = object.attributes();
  for (const auto& a : block.attributes) {
    if (a.write_only) attrs[a.name] = Value::Null(a.type);
  }
  for (const auto& nb : block.block_types) {
    if (!nb.block || !HasWriteOnly(*nb.block)) continue;
    Value& v = attrs[nb.type_name];
    if (!v.is_known()) continue;
    switch (nb.nesting) {
      case Nesting::kSingle:
      case Nesting::kGroup: v = NullWriteOnly(*nb.block, v); break;
      case Nesting::kList:
      case Nesting::kSet: {
        std::vector<Value> items;
        for (const auto& item : v.items()) items.push_back(NullWriteOnly(*nb.block, item));
        v = nb.nesting == Nesting::kList ? Value::List(v.type().element(), std::move(items))
                                         : Value::Set(v.type().element(), std::move(items));
        break;
      }
      case Nesting::kMap: {
        std::map<std::string, Value> items;
        for (const auto& [k, item] : v.map_items()) items.emplace(k, NullWriteOnly(*nb.block, item));
        v = Value::Map(v.type().element(), std::move(items));
        break;
      }
    }
  }
  return Value::ObjectOf(object.type(), std::move(attrs));
}

// A Terraform older than 1.11 does not know write-only attributes and would store their
// values in plan and state: refuse them instead of storing a secret silently.
void CheckWriteOnlyAllowed(const Block& block, const Value& config, Diagnostics& diags) {
  ForEachObject(block, config, Path(), [&](const Block& b, const Value& object, const Path& path) {
    for (const auto& a : b.attributes) {
      if (!a.write_only || object.attr(a.name).is_null()) continue;
      diags.AddAttributeError(
          path.AtName(a.name), "Write-only Attribute Not Allowed",
          "The attribute " + path.AtName(a.name).ToString() + " is write-only, and this Terraform "
          "does not support write-only attributes: it would store the value in plan and state. "
          "Use Terraform 1.11 or later, or remove the attribute from the configuration.");
    }
  });
}

// ---- state written by other providers -----------------------------------------------------------

// Pre-0.12 "flatmap" state: every value a string, nested values under "name.0.key" and
// "name.#". Providers built on the SDK (schema version 0) may still hand it over. Only
// top-level primitive attributes are carried over (our resources that accept foreign state
// have no others); keys we do not have are ignored, like unknown JSON attributes.
Value FlatmapToValue(const Block& block, const std::map<std::string, std::string>& flat,
                     const Type& type, Diagnostics& diags) {
  std::map<std::string, Value> attrs;
  for (const auto& a : block.attributes) {
    auto it = flat.find(a.name);
    if (it == flat.end()) continue;
    const std::string& text = it->second;
    switch (a.type.kind()) {
      case TypeKind::kString: attrs.emplace(a.name, Value::String(text)); break;
      case TypeKind::kBool:
        if (text == "true" || text == "false") {
          attrs.emplace(a.name, Value::Bool(text == "true"));
        } else {
          diags.AddAttributeError(Path().AtName(a.name), "Invalid flatmap state",
                                  "\"" + text + "\" is not a boolean.");
        }
        break;
      case TypeKind::kNumber:
        if (auto n = Number::Parse(text)) {
          attrs.emplace(a.name, Value::Num(*n));
        } else {
          diags.AddAttributeError(Path().AtName(a.name), "Invalid flatmap state",
                                  "\"" + text + "\" is not a number.");
        }
        break;
      default: break;  // collections never appear under their bare name in flatmap
    }
  }
  return Value::ObjectOf(type, std::move(attrs));
}

}  // namespace

// ---- the engine -----------------------------------------------------------------------------

struct Server::Impl {
  Provider* provider = nullptr;
  Schema provider_schema;
  std::map<std::string, ResourceEntry> resources;
  std::map<std::string, DataSourceEntry> data_sources;
  Diagnostics schema_diagnostics;  // problems found at construction, reported by GetProviderSchema

  std::mutex mu;
  std::any provider_data;
  CancelToken cancel;

  // StopProvider's token, also cancelled by the RPC's own cancellation when given.
  CancelToken Token(const std::function<bool()>& call_cancelled = {}) {
    std::lock_guard<std::mutex> lock(mu);
    return cancel.Also(call_cancelled);
  }
  std::any ProviderData() {
    std::lock_guard<std::mutex> lock(mu);
    return provider_data;
  }

  const ResourceEntry* FindResource(const std::string& type_name, Diagnostics& diags) {
    auto it = resources.find(type_name);
    if (it != resources.end()) return &it->second;
    diags.AddError("Resource Type Not Found",
                   "The provider does not support the resource type \"" + type_name + "\".");
    return nullptr;
  }
  const DataSourceEntry* FindDataSource(const std::string& type_name, Diagnostics& diags) {
    auto it = data_sources.find(type_name);
    if (it != data_sources.end()) return &it->second;
    diags.AddError("Data Source Type Not Found",
                   "The provider does not support the data source type \"" + type_name + "\".");
    return nullptr;
  }

  // A fresh, configured instance for one call; null (with diagnostics) on failure.
  template <typename Entry>
  auto Instantiate(const Entry& entry, Diagnostics& diags) -> decltype(entry.factory()) {
    auto instance = entry.factory();
    if (!instance) {
      diags.AddError("Internal error in provider", "A resource factory returned nothing.");
      return nullptr;
    }
    Diagnostics configure_diags;
    instance->Configure(ProviderData(), configure_diags);
    diags.Append(configure_diags);
    if (configure_diags.HasError()) return nullptr;
    return instance;
  }
};

namespace {

// Runs one RPC body; an exception escaping provider code becomes an error diagnostic, so the
// RPC still answers with gRPC OK.
template <typename Response, typename Body>
Response Guard(const char* rpc, const std::string& type_name, Body body) {
  // The adapters log each RPC once (tfj::wire::LogServedRpc); only failures are logged here.
  Response response;
  try {
    body(response);
  } catch (const std::exception& e) {
    response.diagnostics.AddError("Internal error in provider",
                                  std::string(rpc) + " failed unexpectedly: " + e.what());
  } catch (...) {
    response.diagnostics.AddError("Internal error in provider",
                                  std::string(rpc) + " failed with an unknown exception.");
  }
  if (response.diagnostics.HasError()) {
    log::Debug("RPC returned errors", {{"tf_rpc", rpc}, {"tf_type_name", type_name}});
  }
  return response;
}

}  // namespace

Server::Server(std::unique_ptr<Provider> provider)
    : provider_(std::move(provider)), impl_(std::make_shared<Impl>()) {
  impl_->provider = provider_.get();
  Diagnostics& diags = impl_->schema_diagnostics;
  try {
    impl_->provider_schema = provider_->GetSchema();
    ValidateSchema(impl_->provider_schema, "the provider configuration", diags);
    for (const auto& factory : provider_->Resources()) {
      auto r = factory ? factory() : nullptr;
      if (!r) {
        diags.AddError("Invalid provider", "A resource factory returned nothing. This is a bug in the provider.");
        continue;
      }
      std::string name = r->TypeName();
      Schema schema = r->GetSchema();
      ValidateSchema(schema, "resource type " + name, diags);
      Type type = schema.ImpliedType();
      if (!impl_->resources.emplace(name, ResourceEntry{factory, std::move(schema), type}).second) {
        diags.AddError("Invalid provider", "Resource type \"" + name + "\" is registered twice.");
      }
    }
    for (const auto& factory : provider_->DataSources()) {
      auto d = factory ? factory() : nullptr;
      if (!d) {
        diags.AddError("Invalid provider", "A data source factory returned nothing. This is a bug in the provider.");
        continue;
      }
      std::string name = d->TypeName();
      Schema schema = d->GetSchema();
      ValidateSchema(schema, "data source " + name, diags);
      Type type = schema.ImpliedType();
      if (!impl_->data_sources.emplace(name, DataSourceEntry{factory, std::move(schema), type}).second) {
        diags.AddError("Invalid provider", "Data source \"" + name + "\" is registered twice.");
      }
    }
  } catch (const std::exception& e) {
    diags.AddError("Internal error in provider", std::string("Loading schemas failed: ") + e.what());
  }
}

GetProviderSchemaResponse Server::GetProviderSchema() {
  return Guard<GetProviderSchemaResponse>("GetProviderSchema", "", [&](auto& resp) {
    resp.provider = impl_->provider_schema;
    for (const auto& [name, e] : impl_->resources) resp.resource_schemas.emplace(name, e.schema);
    for (const auto& [name, e] : impl_->data_sources) resp.data_source_schemas.emplace(name, e.schema);
    resp.capabilities.plan_destroy = true;
    resp.capabilities.move_resource_state = true;
    resp.diagnostics.Append(impl_->schema_diagnostics);
  });
}

GetMetadataResponse Server::GetMetadata() {
  return Guard<GetMetadataResponse>("GetMetadata", "", [&](auto& resp) {
    for (const auto& [name, e] : impl_->resources) resp.resources.push_back(name);
    for (const auto& [name, e] : impl_->data_sources) resp.data_sources.push_back(name);
    resp.capabilities.plan_destroy = true;
    resp.capabilities.move_resource_state = true;
    resp.diagnostics.Append(impl_->schema_diagnostics);
  });
}

ValidateProviderConfigResponse Server::ValidateProviderConfig(const ValidateProviderConfigRequest& req) {
  return Guard<ValidateProviderConfigResponse>("ValidateProviderConfig", "", [&](auto& resp) {
    const Type type = impl_->provider_schema.ImpliedType();
    // Echo the config (never an empty message: Terraform 0.12-0.14 would fail with EOF).
    resp.prepared_config = req.config.empty() ? Encode(Value::Null(type), type) : req.config;
    Value config = Decode(req.config, type, resp.diagnostics);
    if (resp.diagnostics.HasError()) return;
    RunValidators(impl_->provider_schema.block, config, Path(), resp.diagnostics);
    ValidateProviderResponse r;
    provider_->ValidateConfig(ValidateProviderRequest{config}, r);
    resp.diagnostics.Append(r.diagnostics);
  });
}

ConfigureResponse Server::ConfigureProvider(const ConfigureRequest& req) {
  return Guard<ConfigureResponse>("ConfigureProvider", "", [&](auto& resp) {
    const Type type = impl_->provider_schema.ImpliedType();
    Value config = Decode(req.config, type, resp.diagnostics);
    if (resp.diagnostics.HasError()) return;
    ConfigureProviderResponse r;
    provider_->Configure(ConfigureProviderRequest{req.terraform_version, config, impl_->Token()}, r);
    resp.diagnostics.Append(r.diagnostics);
    if (r.diagnostics.HasError()) return;
    std::lock_guard<std::mutex> lock(impl_->mu);
    impl_->provider_data = std::move(r.provider_data);
  });
}

ValidateResourceConfigResponse Server::ValidateResourceConfig(const ValidateResourceConfigRequest& req) {
  return Guard<ValidateResourceConfigResponse>("ValidateResourceConfig", req.type_name, [&](auto& resp) {
    const ResourceEntry* e = impl_->FindResource(req.type_name, resp.diagnostics);
    if (!e) return;
    Value config = Decode(req.config, e->type, resp.diagnostics);
    if (resp.diagnostics.HasError()) return;
    RunValidators(e->schema.block, config, Path(), resp.diagnostics);
    if (!req.client_capabilities.write_only_attributes_allowed) {
      CheckWriteOnlyAllowed(e->schema.block, config, resp.diagnostics);
    }
    auto r = impl_->Instantiate(*e, resp.diagnostics);
    if (!r) return;
    ValidateResourceResponse out;
    r->ValidateConfig(ValidateResourceRequest{config}, out);
    resp.diagnostics.Append(out.diagnostics);
  });
}

UpgradeResourceStateResponse Server::UpgradeResourceState(const UpgradeResourceStateRequest& req) {
  return Guard<UpgradeResourceStateResponse>("UpgradeResourceState", req.type_name, [&](auto& resp) {
    const ResourceEntry* e = impl_->FindResource(req.type_name, resp.diagnostics);
    if (!e) return;
    const int64_t current = e->schema.version;
    resp.upgraded_state = Encode(Value::Null(e->type), e->type);
    if (req.raw_json.empty() && req.flatmap.empty()) return;
    if (req.version > current) {
      resp.diagnostics.AddError(
          "Resource state from a newer provider version",
          "The state of this " + req.type_name + " has schema version " + std::to_string(req.version) +
              ", but this provider only knows versions up to " + std::to_string(current) +
              ". Use the provider version that wrote the state, or a newer one.");
      return;
    }
    Diagnostics decode_diags;
    Value decoded = req.raw_json.empty()
                        ? FlatmapToValue(e->schema.block, req.flatmap, e->type, decode_diags)
                        : DecodeJson(req.raw_json, e->type, decode_diags, /*ignore_unknown_attributes=*/true);
    Value state = decoded;
    auto r = impl_->Instantiate(*e, resp.diagnostics);
    if (!r) return;
    if (req.version < current) {
      // Older layouts may not decode into the current type; the resource still gets raw_json.
      if (decode_diags.HasError()) decoded = Value::Null(e->type);
      UpgradeStateResponse out;
      out.state = decoded;
      r->UpgradeState(UpgradeStateRequest{req.version, req.raw_json, decoded}, out);
      resp.diagnostics.Append(out.diagnostics);
      if (resp.diagnostics.HasError()) return;
      state = ConformValue(out.state, e->type, resp.diagnostics);
    } else {
      resp.diagnostics.Append(decode_diags);
      if (resp.diagnostics.HasError()) return;
      UpgradeStateResponse out;
      out.state = decoded;
      r->CompleteState(UpgradeStateRequest{req.version, req.raw_json, decoded}, out);
      resp.diagnostics.Append(out.diagnostics);
      if (resp.diagnostics.HasError()) return;
      state = ConformValue(out.state, e->type, resp.diagnostics);
    }
    if (resp.diagnostics.HasError()) return;
    if (!state.IsWhollyKnown()) {
      resp.diagnostics.AddError("Invalid resource state upgrade",
                                "The upgraded state of " + req.type_name + " contains unknown values. "
                                "This is a bug in the provider.");
      return;
    }
    resp.upgraded_state = Encode(NullWriteOnly(e->schema.block, state), e->type);
  });
}

MoveResourceStateResponse Server::MoveResourceState(const MoveResourceStateRequest& req) {
  return Guard<MoveResourceStateResponse>("MoveResourceState", req.target_type_name, [&](auto& resp) {
    const ResourceEntry* e = impl_->FindResource(req.target_type_name, resp.diagnostics);
    if (!e) return;
    resp.target_state = Encode(Value::Null(e->type), e->type);
    Diagnostics decode_diags;
    Value decoded = req.source_raw_json.empty()
                        ? FlatmapToValue(e->schema.block, req.source_flatmap, e->type, decode_diags)
                        : DecodeJson(req.source_raw_json, e->type, decode_diags, /*ignore_unknown_attributes=*/true);
    if (decode_diags.HasError()) decoded = Value::Null(e->type);
    auto r = impl_->Instantiate(*e, resp.diagnostics);
    if (!r) return;
    MoveStateResponse out;
    out.state = decoded;
    r->MoveState(MoveStateRequest{req.source_provider_address, req.source_type_name,
                                  req.source_schema_version, req.source_raw_json, decoded},
                 out);
    resp.diagnostics.Append(out.diagnostics);
    if (resp.diagnostics.HasError()) return;
    if (!out.accepted) {
      resp.diagnostics.AddError(
          "Unsupported resource move",
          "The " + provider_->TypeName() + " provider cannot move " + req.source_type_name + " of " +
              (req.source_provider_address.empty() ? std::string("an unnamed provider")
                                                   : req.source_provider_address) +
              " into " + req.target_type_name + ". Remove the moved block; to keep the object, "
              "remove the old resource from state with `terraform state rm` and import it as " +
              req.target_type_name + " if it is one.");
      return;
    }
    Value state = ConformValue(out.state, e->type, resp.diagnostics);
    if (resp.diagnostics.HasError()) return;
    if (state.is_null() || !state.IsWhollyKnown()) {
      resp.diagnostics.AddError("Invalid moved resource state",
                                "Moving into " + req.target_type_name + " produced a null or unknown "
                                "state. This is a bug in the provider.");
      return;
    }
    resp.target_state = Encode(NullWriteOnly(e->schema.block, state), e->type);
  });
}

ReadResourceResponse Server::ReadResource(const ReadResourceRequest& req) {
  return Guard<ReadResourceResponse>("ReadResource", req.type_name, [&](auto& resp) {
    // Pass everything through untouched until the resource says otherwise.
    resp.new_state = req.current_state;
    resp.private_data = req.private_data;
    const ResourceEntry* e = impl_->FindResource(req.type_name, resp.diagnostics);
    if (!e) return;
    Value current = Decode(req.current_state, e->type, resp.diagnostics);
    if (resp.diagnostics.HasError()) return;
    resp.new_state = Encode(NullWriteOnly(e->schema.block, current), e->type);
    if (current.is_null()) return;
    auto r = impl_->Instantiate(*e, resp.diagnostics);
    if (!r) return;
    ReadResponse out;
    out.state = current;
    out.private_data = req.private_data;
    r->Read(ReadRequest{current, req.private_data, impl_->Token(req.call_cancelled)}, out);
    resp.diagnostics.Append(out.diagnostics);
    resp.private_data = out.private_data;
    Value state = ConformValue(out.state, e->type, resp.diagnostics);
    if (!state.IsWhollyKnown()) {
      std::vector<Path> unknown;
      state = NullUnknowns(state, Path(), unknown);
      resp.diagnostics.AddError("Provider produced invalid object",
                                "The refreshed state of " + req.type_name + " contains unknown values at: " +
                                    JoinPaths(unknown) + ". This is a bug in the provider.");
    }
    resp.new_state = Encode(NullWriteOnly(e->schema.block, state), e->type);
  });
}

PlanResourceChangeResponse Server::PlanResourceChange(const PlanResourceChangeRequest& req) {
  return Guard<PlanResourceChangeResponse>("PlanResourceChange", req.type_name, [&](auto& resp) {
    resp.planned_private = req.prior_private;
    const ResourceEntry* e = impl_->FindResource(req.type_name, resp.diagnostics);
    if (!e) return;
    const Type& type = e->type;
    Value prior = Decode(req.prior_state, type, resp.diagnostics);
    Value proposed = Decode(req.proposed_new_state, type, resp.diagnostics);
    Value config = Decode(req.config, type, resp.diagnostics);
    if (resp.diagnostics.HasError()) {
      resp.planned_state = req.proposed_new_state;
      return;
    }
    if (proposed.is_null()) {  // destroy
      resp.planned_state = Encode(Value::Null(type), type);
      return;
    }
    const Block& block = e->schema.block;
    // Write-only values are never part of a plan: a configured one must not look like a change.
    proposed = NullWriteOnly(block, proposed);
    Value planned = PlanObject(block, config, prior, proposed, /*defaults_only=*/false);
    if (!prior.is_null() && planned != prior) planned = MarkComputedUnknown(block, config, planned);

    auto r = impl_->Instantiate(*e, resp.diagnostics);
    if (!r) {
      resp.planned_state = Encode(NullWriteOnly(block, planned), type);
      return;
    }
    ModifyPlanResponse out;
    out.planned_state = planned;
    out.planned_private = req.prior_private;
    r->ModifyPlan(ModifyPlanRequest{config, prior, proposed, req.prior_private,
                                      impl_->Token(req.call_cancelled)}, out);
    resp.diagnostics.Append(out.diagnostics);
    planned = ConformValue(out.planned_state, type, resp.diagnostics);
    resp.planned_private = out.planned_private;

    std::vector<Path> replace;
    if (!prior.is_null() && !planned.is_null()) {
      CollectReplace(block, planned, prior, Path(), replace);
      for (const auto& p : out.requires_replace) {
        if (std::find(replace.begin(), replace.end(), p) == replace.end()) replace.push_back(p);
      }
    }
    resp.requires_replace = std::move(replace);
    resp.planned_state = Encode(NullWriteOnly(block, planned), type);
  });
}

ApplyResourceChangeResponse Server::ApplyResourceChange(const ApplyResourceChangeRequest& req) {
  return Guard<ApplyResourceChangeResponse>("ApplyResourceChange", req.type_name, [&](auto& resp) {
    // Until an operation succeeds, the answer is the prior state: on any failure Terraform
    // keeps what it had, so no object is ever lost.
    resp.new_state = req.prior_state;
    resp.private_data = req.planned_private;
    const ResourceEntry* e = impl_->FindResource(req.type_name, resp.diagnostics);
    if (!e) return;
    const Type& type = e->type;
    Value prior = Decode(req.prior_state, type, resp.diagnostics);
    Value planned = Decode(req.planned_state, type, resp.diagnostics);
    Value config = Decode(req.config, type, resp.diagnostics);
    if (resp.diagnostics.HasError()) return;
    resp.new_state = Encode(prior, type);
    auto r = impl_->Instantiate(*e, resp.diagnostics);
    if (!r) return;
    CancelToken token = impl_->Token(req.call_cancelled);

    if (planned.is_null()) {
      if (prior.is_null()) return;  // nothing to delete
      DeleteResponse out;
      r->Delete(DeleteRequest{prior, req.planned_private, token}, out);
      resp.diagnostics.Append(out.diagnostics);
      if (!out.diagnostics.HasError()) resp.new_state = Encode(Value::Null(type), type);
      return;
    }

    Value state;
    std::string private_data;
    if (prior.is_null()) {
      CreateResponse out;
      out.state = planned;
      out.private_data = req.planned_private;
      r->Create(CreateRequest{config, planned, req.planned_private, token}, out);
      resp.diagnostics.Append(out.diagnostics);
      state = out.state;
      private_data = out.private_data;
      // A failed create that never touched its state created nothing (as in the framework,
      // whose create response starts empty).
      if (out.diagnostics.HasError() && state == planned) state = Value::Null(type);
    } else {
      UpdateResponse out;
      out.state = planned;
      out.private_data = req.planned_private;
      r->Update(UpdateRequest{config, prior, planned, req.planned_private, token}, out);
      resp.diagnostics.Append(out.diagnostics);
      state = out.state;
      private_data = out.private_data;
      // A failed update that never touched its state leaves the object as it was.
      if (out.diagnostics.HasError() && state == planned) {
        state = prior;
        private_data = req.planned_private;
      }
    }
    state = ConformValue(state, type, resp.diagnostics);
    if (state.is_null() && !resp.diagnostics.HasError()) {
      resp.diagnostics.AddError(
          "Missing Resource State After " + std::string(prior.is_null() ? "Create" : "Update"),
          "The " + req.type_name + " operation succeeded but returned no state. Terraform would "
          "lose track of the object, so this is always a bug in the provider.");
      if (!prior.is_null()) state = prior;
    }
    if (!state.IsWhollyKnown()) {
      std::vector<Path> unknown;
      state = NullUnknowns(state, Path(), unknown);
      resp.diagnostics.AddError(
          "Provider returned invalid result object after apply",
          "After the apply operation, the provider still indicated an unknown value for " +
              req.type_name + " at: " + JoinPaths(unknown) +
              ". All values must be known after apply, so this is always a bug in the provider. "
              "The unknown values were saved as null.");
    }
    resp.new_state = Encode(NullWriteOnly(e->schema.block, state), type);
    resp.private_data = private_data;
  });
}

ImportResourceStateResponse Server::ImportResourceState(const ImportResourceStateRequest& req) {
  return Guard<ImportResourceStateResponse>("ImportResourceState", req.type_name, [&](auto& resp) {
    const ResourceEntry* e = impl_->FindResource(req.type_name, resp.diagnostics);
    if (!e) return;
    auto r = impl_->Instantiate(*e, resp.diagnostics);
    if (!r) return;
    ImportResponse out;
    out.state = Value::ObjectOf(e->type, {});
    r->ImportState(ImportRequest{req.id, impl_->Token(req.call_cancelled)}, out);
    resp.diagnostics.Append(out.diagnostics);
    if (resp.diagnostics.HasError()) return;
    Value state = ConformValue(out.state, e->type, resp.diagnostics);
    if (resp.diagnostics.HasError()) return;
    if (state.is_null()) {
      resp.diagnostics.AddError("Missing Resource Import State",
                                "The import of " + req.type_name + " produced no state. This is a bug in the provider.");
      return;
    }
    std::vector<Path> unknown;
    state = NullUnknowns(state, Path(), unknown);
    resp.imported_resources.push_back(
        ImportedResource{req.type_name, Encode(NullWriteOnly(e->schema.block, state), e->type), out.private_data});
  });
}

ValidateDataResourceConfigResponse Server::ValidateDataResourceConfig(const ValidateDataResourceConfigRequest& req) {
  return Guard<ValidateDataResourceConfigResponse>("ValidateDataResourceConfig", req.type_name, [&](auto& resp) {
    const DataSourceEntry* e = impl_->FindDataSource(req.type_name, resp.diagnostics);
    if (!e) return;
    Value config = Decode(req.config, e->type, resp.diagnostics);
    if (resp.diagnostics.HasError()) return;
    RunValidators(e->schema.block, config, Path(), resp.diagnostics);
    auto d = impl_->Instantiate(*e, resp.diagnostics);
    if (!d) return;
    ValidateDataSourceResponse out;
    d->ValidateConfig(ValidateDataSourceRequest{config}, out);
    resp.diagnostics.Append(out.diagnostics);
  });
}

ReadDataSourceResponse Server::ReadDataSource(const ReadDataSourceRequest& req) {
  return Guard<ReadDataSourceResponse>("ReadDataSource", req.type_name, [&](auto& resp) {
    const DataSourceEntry* e = impl_->FindDataSource(req.type_name, resp.diagnostics);
    if (!e) return;
    resp.state = Encode(Value::Null(e->type), e->type);
    Value config = Decode(req.config, e->type, resp.diagnostics);
    if (resp.diagnostics.HasError()) return;
    auto d = impl_->Instantiate(*e, resp.diagnostics);
    if (!d) return;
    DataSourceReadResponse out;
    out.state = config;
    d->Read(DataSourceReadRequest{config, impl_->Token(req.call_cancelled)}, out);
    resp.diagnostics.Append(out.diagnostics);
    if (resp.diagnostics.HasError()) return;
    Value state = ConformValue(out.state, e->type, resp.diagnostics);
    if (resp.diagnostics.HasError()) return;
    if (state.is_null()) {
      resp.diagnostics.AddError("Provider produced null object",
                                "Reading data source " + req.type_name + " produced a null object. "
                                "This is a bug in the provider.");
      return;
    }
    if (!state.IsWhollyKnown()) {
      std::vector<Path> unknown;
      NullUnknowns(state, Path(), unknown);
      resp.diagnostics.AddError("Provider produced invalid object",
                                "Reading data source " + req.type_name + " produced a value that is not "
                                "wholly known, at: " + JoinPaths(unknown) + ". This is a bug in the provider.");
      return;
    }
    resp.state = Encode(state, e->type);
  });
}

std::string Server::Stop() {
  std::lock_guard<std::mutex> lock(impl_->mu);
  impl_->cancel.Cancel();
  impl_->cancel = CancelToken();
  return "";
}

}  // namespace tf
