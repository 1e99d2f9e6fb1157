#include "acceptance_tests/harness/workspace.h"

#include <algorithm>

#include "acceptance_tests/harness/rules.h"
#include "provider/core/codec.h"

namespace tfj::harness {
namespace {

// Marks a string as a reference; chosen so it can never be a real configuration value.
constexpr char kRefPrefix[] = "\x1btfj-ref:";

constexpr char kBugTail[] =
    "\n\nThis is a bug in the provider, which should be reported in the provider's own issue tracker.";

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

std::string FormatDiagnostic(const tf::Diagnostic& d, const std::string& address) {
  std::string sev = d.severity == tf::Severity::kWarning ? "Warning" : "Error";
  std::string out = sev + ": " + d.summary;
  if (!address.empty() || d.path) {
    out += "\n\n  with " + (address.empty() ? std::string("provider") : address);
    if (d.path && !d.path->empty()) out += ", attribute " + d.path->ToString();
  }
  if (!d.detail.empty()) out += "\n\n" + d.detail;
  return out;
}

// A value of `type` for a configuration: absent attributes null, absent list/set/map
// nested blocks empty collections (what Terraform's HCL decoder produces).
tf::Value BuildObject(const tf::Block& block, Attrs attrs) {
  tf::Type ty = block.ImpliedType();
  for (const auto& nb : block.block_types) {
    if (attrs.count(nb.type_name) != 0) continue;
    const tf::Type& t = ty.attributes().at(nb.type_name);
    switch (nb.nesting) {
      case tf::Nesting::kList: attrs[nb.type_name] = tf::Value::List(t.element(), {}); break;
      case tf::Nesting::kSet: attrs[nb.type_name] = tf::Value::Set(t.element(), {}); break;
      case tf::Nesting::kMap: attrs[nb.type_name] = tf::Value::Map(t.element(), {}); break;
      default: break;
    }
  }
  return tf::Value::ObjectOf(ty, std::move(attrs));
}

std::string ResourceType(const std::string& address) {
  return address.substr(0, address.find('.'));
}

}  // namespace

tf::Value Ref(const std::string& address, const std::string& attr) {
  return tf::Value::String(std::string(kRefPrefix) + address + "#" + attr);
}

const char* ActionName(Action action) {
  switch (action) {
    case Action::kNoOp: return "no-op";
    case Action::kCreate: return "create";
    case Action::kUpdate: return "update";
    case Action::kReplace: return "replace";
    case Action::kDelete: return "delete";
  }
  return "?";
}

Workspace::Workspace(WorkspaceOptions options) : options_(std::move(options)) {}

Workspace::~Workspace() { (void)Stop(); }

// ---- configuration ------------------------------------------------------------------------

void Workspace::SetProviderConfig(Attrs attrs) { provider_attrs_ = std::move(attrs); }

void Workspace::SetResource(const std::string& type, const std::string& name, Attrs attrs) {
  for (auto& inst : resources_) {
    if (inst.type == type && inst.name == name) {
      inst.attrs = std::move(attrs);
      return;
    }
  }
  resources_.push_back({type, name, tf::Value(), std::move(attrs)});
}

void Workspace::SetResourceValue(const std::string& type, const std::string& name, tf::Value config) {
  for (auto& inst : resources_) {
    if (inst.type == type && inst.name == name) {
      inst.config = std::move(config);
      inst.attrs.reset();
      return;
    }
  }
  resources_.push_back({type, name, std::move(config), std::nullopt});
}

void Workspace::RemoveResource(const std::string& type, const std::string& name) {
  std::erase_if(resources_, [&](const Instance& i) { return i.type == type && i.name == name; });
}

void Workspace::SetDataSource(const std::string& type, const std::string& name, Attrs attrs) {
  for (auto& inst : data_sources_) {
    if (inst.type == type && inst.name == name) {
      inst.attrs = std::move(attrs);
      return;
    }
  }
  data_sources_.push_back({type, name, tf::Value(), std::move(attrs)});
}

tf::Value Workspace::ConfigOf(const Instance& inst, bool data) {
  if (!inst.attrs) return inst.config;
  const tf::Schema* schema = data ? driver_->DataSourceSchema(inst.type) : SchemaFor(inst.type);
  if (schema == nullptr) return tf::Value::Object(*inst.attrs);
  return BuildObject(schema->block, *inst.attrs);
}

void Workspace::RemoveDataSource(const std::string& type, const std::string& name) {
  std::erase_if(data_sources_, [&](const Instance& i) { return i.type == type && i.name == name; });
  data_state_.erase("data." + type + "." + name);
}

const tf::Schema* Workspace::SchemaFor(const std::string& type) {
  return driver_ ? driver_->ResourceSchema(type) : nullptr;
}

tf::Value Workspace::ResourceObject(const std::string& type, Attrs attrs) {
  const tf::Schema* schema = SchemaFor(type);
  if (schema == nullptr) return tf::Value::Object(std::move(attrs));
  return BuildObject(schema->block, std::move(attrs));
}

tf::Value Workspace::Blocks(const std::string& type, const std::string& block_name,
                            std::vector<Attrs> elements) {
  const tf::Schema* schema = SchemaFor(type);
  const tf::NestedBlock* nb = schema != nullptr ? schema->block.FindBlock(block_name) : nullptr;
  if (nb == nullptr) return tf::Value();
  std::vector<tf::Value> items;
  for (auto& e : elements) items.push_back(BuildObject(*nb->block, std::move(e)));
  tf::Type elem = nb->block->ImpliedType();
  if (nb->nesting == tf::Nesting::kSet) return tf::Value::Set(elem, std::move(items));
  if (nb->nesting == tf::Nesting::kList) return tf::Value::List(elem, std::move(items));
  return items.empty() ? tf::Value::Null(elem) : items.front();
}

// ---- helpers ---------------------------------------------------------------------------------

Status Workspace::Check(const tf::Diagnostics& diags, const std::string& address) {
  if (!diags.empty()) last_diagnostics_ = diags;
  Status status;
  for (const auto& d : diags) {
    if (d.severity == tf::Severity::kInvalid) {
      status.Update(Status::Error("Error: diagnostic without severity\n\nThe provider returned a "
                                  "diagnostic with severity INVALID, which Terraform treats as "
                                  "neither error nor warning: " + d.summary));
    } else if (d.severity == tf::Severity::kError) {
      status.Update(Status::Error(FormatDiagnostic(d, address)));
    }
  }
  return status;
}

std::string Workspace::InvalidPlan(const std::string& address, const std::string& err) const {
  std::string where = err.starts_with(".") ? address + err : address + ": " + err;
  return "Error: Provider produced invalid plan\n\nProvider " + Quote(options_.provider_address) +
         " planned an invalid value for " + where + "." + kBugTail;
}

Status Workspace::ResolveRefs(const tf::Value& v, bool planning, tf::Value* out) const {
  if (!v.is_known()) {
    *out = v;
    return Status::Ok();
  }
  Status status;
  switch (v.type().kind()) {
    case tf::TypeKind::kString: {
      const std::string& s = v.as_string();
      if (!s.starts_with(kRefPrefix)) {
        *out = v;
        return status;
      }
      std::string ref = s.substr(sizeof(kRefPrefix) - 1);
      std::string address = ref.substr(0, ref.find('#'));
      std::string attr = ref.substr(ref.find('#') + 1);
      tf::Value target;
      bool found = false;
      if (address.starts_with("data.")) {
        auto it = data_state_.find(address);
        if (it != data_state_.end()) {
          target = it->second;
          found = true;
        }
      } else if (planning && planned_values_.count(address) != 0) {
        target = planned_values_.at(address);
        found = true;
      } else if (HasState(address)) {
        target = State(address);
        found = true;
      }
      if (!found) {
        return Status::Error("Error: Reference to undeclared resource\n\nA managed resource " +
                             Quote(address) + " has not been declared (or not yet planned).");
      }
      *out = target.is_unknown() ? tf::Value::Unknown(tf::Type::String()) : target.attr(attr);
      if (target.is_known() && target.type().attributes().count(attr) == 0) {
        return Status::Error("Error: Unsupported attribute\n\nThis object has no argument, nested "
                             "block, or exported attribute named " + Quote(attr) + ".");
      }
      return status;
    }
    case tf::TypeKind::kObject: {
      std::map<std::string, tf::Value> attrs;
      for (const auto& [k, a] : v.attributes()) status.Update(ResolveRefs(a, planning, &attrs[k]));
      *out = tf::Value::ObjectOf(v.type(), std::move(attrs));
      return status;
    }
    case tf::TypeKind::kMap: {
      std::map<std::string, tf::Value> items;
      for (const auto& [k, a] : v.map_items()) status.Update(ResolveRefs(a, planning, &items[k]));
      *out = tf::Value::Map(v.type().element(), std::move(items));
      return status;
    }
    case tf::TypeKind::kList:
    case tf::TypeKind::kSet:
    case tf::TypeKind::kTuple: {
      std::vector<tf::Value> items(v.items().size());
      for (size_t i = 0; i < items.size(); ++i) status.Update(ResolveRefs(v.items()[i], planning, &items[i]));
      if (v.type().kind() == tf::TypeKind::kList) *out = tf::Value::List(v.type().element(), std::move(items));
      else if (v.type().kind() == tf::TypeKind::kSet) *out = tf::Value::Set(v.type().element(), std::move(items));
      else *out = tf::Value::Tuple(std::move(items));
      return status;
    }
    default:
      *out = v;
      return status;
  }
}

// ---- operations --------------------------------------------------------------------------------

Status Workspace::Start() {
  if (process_) return Status::Ok();
  LaunchOptions lo;
  lo.binary = options_.binary;
  lo.protocol_versions = std::to_string(options_.protocol);
  lo.tcp = options_.tcp;
  lo.env = options_.env;
  Status status;
  process_ = ProviderProcess::Launch(lo, &status);
  if (!status.ok()) return status;
  driver_ = Driver::Create(options_.protocol, process_->channel());
  const ProviderSchemas& schemas = driver_->Schemas();
  status = Check(schemas.diagnostics, "");
  if (!status.ok()) return status;
  for (const auto& [name, schema] : schemas.resources) {
    tf::Diagnostics d;
    tf::ValidateSchema(schema, name, d);
    if (d.HasError()) {
      return Status::Error("Error: Failed to load plugin schemas\n\nprovider " +
                           Quote(options_.provider_address) + " has invalid schema for managed resource type " +
                           Quote(name) + ", which is a bug in the provider: " + d.ToString());
    }
  }
  tf::Value config = BuildObject(schemas.provider.block, provider_attrs_);
  status = Check(driver_->ValidateProviderConfig(config), "");
  if (!status.ok()) return status;
  return Check(driver_->ConfigureProvider(config, options_.terraform_version), "");
}

Status Workspace::Stop() {
  driver_.reset();
  if (!process_) return Status::Ok();
  Status s = process_->Shutdown();
  process_.reset();
  return s;
}

namespace {
// Terraform 1.11 (internal/terraform, validateWriteOnlyNullValues): a provider that returns a
// write-only value fails the operation.
Status WriteOnlyCheck(const tf::Schema& schema, const tf::Value& value, const std::string& provider,
                      const std::string& address, const std::string& rpc) {
  auto p = FindWriteOnlyValue(schema.block, value);
  if (!p) return Status::Ok();
  return Status::Error("Error: Provider produced invalid object\n\nProvider \"" + provider +
                       "\" returned a value for the write-only attribute \"" + address + *p +
                       "\" in " + rpc + ". Write-only attributes cannot be read back from the provider. "
                       "This is a bug in the provider, which should be reported in the provider's own "
                       "issue tracker.");
}
}  // namespace

Status Workspace::UpgradeAndRead(const std::string& address, Stored* stored, bool* gone) {
  *gone = false;
  const tf::Schema* schema = SchemaFor(stored->type);
  if (schema == nullptr) return Status::Error("no schema for " + stored->type);
  StateResult up;
  if (stored->raw_json) {  // as another provider wrote it
    up = stored->raw_flatmap.empty()
             ? driver_->UpgradeResourceState(stored->type, stored->raw_version, *stored->raw_json)
             : driver_->UpgradeFlatmapState(stored->type, stored->raw_version, stored->raw_flatmap);
  } else {
    tf::Diagnostics enc;
    std::string raw = tf::EncodeJson(stored->state, schema->ImpliedType(), enc);
    up = driver_->UpgradeResourceState(stored->type, schema->version, raw);
  }
  Status status = Check(up.diagnostics, address);
  if (!status.ok()) return status;
  if (up.state.is_null() || FindUnknown(up.state)) {
    return Status::Error("Error: Invalid resource state upgrade\n\nThe " + options_.provider_address +
                         " provider upgraded the state for " + address +
                         " from a previous version, but produced an invalid result: " +
                         (up.state.is_null() ? std::string("The returned state is null")
                                             : "The returned state contains unknown values at " +
                                                   *FindUnknown(up.state)) + ".");
  }
  status = WriteOnlyCheck(*schema, up.state, options_.provider_address, address, "UpgradeResourceState");
  if (!status.ok()) return status;
  StateResult read = driver_->ReadResource(stored->type, up.state, stored->private_data);
  status = Check(read.diagnostics, address);
  if (!status.ok()) return status;
  status = WriteOnlyCheck(*schema, read.state, options_.provider_address, address, "ReadResource");
  if (!status.ok()) return status;
  if (read.state.is_null()) {
    *gone = true;
    return Status::Ok();
  }
  if (auto p = FindUnknown(read.state)) {
    return Status::Error("Error: Provider produced invalid object\n\nProvider " +
                         Quote(options_.provider_address) + " planned an invalid value for " + address +
                         " during refresh: The returned state contains unknown values at " + *p + "." +
                         kBugTail);
  }
  stored->state = read.state;
  stored->private_data = read.private_data;
  stored->raw_json.reset();
  stored->raw_flatmap.clear();
  return Status::Ok();
}

Status Workspace::Refresh() {
  if (!driver_) return Status::Error("the workspace is not started");
  // Terraform configures the provider afresh at the start of every command (plan, apply,
  // refresh, destroy), so whatever a provider keeps per configuration lives one command.
  {
    tf::Value config = BuildObject(driver_->Schemas().provider.block, provider_attrs_);
    Status s = Check(driver_->ConfigureProvider(config, options_.terraform_version), "");
    if (!s.ok()) return s;
  }
  for (auto it = state_.begin(); it != state_.end();) {
    bool gone = false;
    Status s = UpgradeAndRead(it->first, &it->second, &gone);
    if (!s.ok()) return s;
    it = gone ? state_.erase(it) : it + 1;
  }
  return Status::Ok();
}

Status Workspace::PlanDataSources() {
  for (const auto& ds : data_sources_) {
    std::string address = "data." + ds.type + "." + ds.name;
    const tf::Schema* schema = driver_->DataSourceSchema(ds.type);
    if (schema == nullptr) return Status::Error("Error: Invalid data source\n\nThe provider does not support data source " + Quote(ds.type) + ".");
    tf::Value config;
    Status status = ResolveRefs(ConfigOf(ds, true), true, &config);
    if (!status.ok()) return status;
    status = Check(driver_->ValidateDataResourceConfig(ds.type, config), address);
    if (!status.ok()) return status;
    if (!config.IsWhollyKnown()) {
      data_state_[address] = tf::Value::Unknown(schema->ImpliedType());  // read at apply time
      continue;
    }
    StateResult r = driver_->ReadDataSource(ds.type, config);
    status = Check(r.diagnostics, address);
    if (!status.ok()) return status;
    if (r.state.is_null()) {
      return Status::Error("Error: Provider produced null object\n\nProvider " + Quote(options_.provider_address) +
                           " produced a null value for " + address + "." + kBugTail);
    }
    if (auto p = FindUnknown(r.state)) {
      return Status::Error("Error: Provider produced invalid object\n\nProvider " + Quote(options_.provider_address) +
                           " produced a value for " + address + " that is not wholly known (" + *p + ")." + kBugTail);
    }
    data_state_[address] = r.state;
  }
  return Status::Ok();
}

Status Workspace::PlanOne(const Instance& inst, const Stored* prior_stored, PlannedChange* change) {
  std::string address = inst.type + "." + inst.name;
  const tf::Schema* schema = SchemaFor(inst.type);
  if (schema == nullptr) {
    return Status::Error("Error: Invalid resource type\n\nThe provider " + options_.provider_address +
                         " does not support resource type " + Quote(inst.type) + ".");
  }
  tf::Type ty = schema->ImpliedType();
  change->address = address;
  change->type = inst.type;
  Status status = ResolveRefs(ConfigOf(inst, false), true, &change->config);
  if (!status.ok()) return status;
  status = Check(driver_->ValidateResourceConfig(inst.type, change->config), address);
  if (!status.ok()) return status;
  change->prior = prior_stored != nullptr ? prior_stored->state : tf::Value::Null(ty);
  change->prior_private = prior_stored != nullptr ? prior_stored->private_data : "";
  tf::Value proposed = ProposedNew(schema->block, change->prior, change->config);
  PlanResult plan = driver_->PlanResourceChange(inst.type, change->prior, proposed, change->config,
                                                change->prior_private);
  status = Check(plan.diagnostics, address);
  if (!status.ok()) return status;
  if (plan.legacy_type_system) {
    return Status::Error("Error: legacy_type_system is set\n\nOnly Terraform's legacy SDK may set it; "
                         "it hides plan errors.");
  }
  for (const auto& err : AssertPlanValid(schema->block, change->prior, change->config, plan.planned_state)) {
    status.Update(Status::Error(InvalidPlan(address, err)));
  }
  if (!status.ok()) return status;
  bool replace = false;
  for (const auto& path : plan.requires_replace) {
    auto before = ApplyPath(change->prior, path);
    auto after = ApplyPath(plan.planned_state, path);
    if (!before && !after) {
      return Status::Error("Error: Provider produced invalid plan\n\nProvider " +
                           Quote(options_.provider_address) + " has indicated \"requires replacement\" on " +
                           address + " for a non-existent attribute path " + CtyPath(path) + "." + kBugTail);
    }
    if (!change->prior.is_null() && (!before || !after || *before != *after)) replace = true;
  }
  change->requires_replace = plan.requires_replace;
  change->planned = plan.planned_state;
  change->planned_private = plan.planned_private;
  if (change->prior.is_null()) {
    change->action = Action::kCreate;
  } else if (replace) {
    // Terraform plans the replacement object afresh, as a create.
    tf::Value proposed_new = ProposedNew(schema->block, tf::Value::Null(ty), change->config);
    PlanResult create = driver_->PlanResourceChange(inst.type, tf::Value::Null(ty), proposed_new,
                                                    change->config, plan.planned_private);
    status = Check(create.diagnostics, address);
    if (!status.ok()) return status;
    for (const auto& err : AssertPlanValid(schema->block, tf::Value::Null(ty), change->config, create.planned_state)) {
      status.Update(Status::Error(InvalidPlan(address, err)));
    }
    if (!status.ok()) return status;
    change->action = Action::kReplace;
    change->planned = create.planned_state;
    change->planned_private = create.planned_private;
  } else {
    change->action = plan.planned_state == change->prior ? Action::kNoOp : Action::kUpdate;
  }
  change->diff = DiffValues(change->prior, change->planned);
  planned_values_[address] = change->planned;
  return Status::Ok();
}

Status Workspace::Plan(std::vector<PlannedChange>* changes, bool refresh) {
  if (!driver_) return Status::Error("the workspace is not started");
  changes->clear();
  if (refresh) {
    Status s = Refresh();
    if (!s.ok()) return s;
  }
  planned_values_.clear();
  Status s = PlanDataSources();
  if (!s.ok()) return s;
  for (const auto& inst : resources_) {
    std::string address = inst.type + "." + inst.name;
    const Stored* prior = nullptr;
    for (const auto& [a, st] : state_) {
      if (a == address) prior = &st;
    }
    PlannedChange change;
    s = PlanOne(inst, prior, &change);
    if (!s.ok()) return s;
    changes->push_back(std::move(change));
  }
  for (auto it = state_.rbegin(); it != state_.rend(); ++it) {
    bool configured = std::any_of(resources_.begin(), resources_.end(), [&](const Instance& i) {
      return i.type + "." + i.name == it->first;
    });
    if (configured) continue;
    PlannedChange del;
    del.address = it->first;
    del.type = it->second.type;
    del.action = Action::kDelete;
    del.prior = it->second.state;
    del.prior_private = it->second.private_data;
    del.planned = tf::Value::Null(it->second.state.type());
    del.planned_private = it->second.private_data;  // what core does without plan_destroy
    del.diff = {"(object): " + del.prior.DebugString() + " => null"};
    changes->push_back(std::move(del));
  }
  last_plan_ = *changes;
  return Status::Ok();
}

Status Workspace::ApplyDelete(const std::string& address, const Stored& prior) {
  tf::Value null_value = tf::Value::Null(prior.state.type());
  StateResult r = driver_->ApplyResourceChange(prior.type, prior.state, null_value, null_value,
                                               prior.private_data);
  Status status = Check(r.diagnostics, address);
  if (!status.ok()) return status;
  if (!r.state.is_null()) {
    return Status::Error("Error: Provider returned invalid result object after apply\n\nAfter applying a "
                         "destroy plan, the provider returned a non-null object for " + address +
                         ". Destroying should always produce a null value, so this is a bug in the "
                         "provider and should be reported in the provider's own repository. Terraform "
                         "will still save this errant object in the state for debugging and recovery.");
  }
  std::erase_if(state_, [&](const auto& e) { return e.first == address; });
  return Status::Ok();
}

Status Workspace::ApplyChange(const PlannedChange& change) {
  const tf::Schema* schema = SchemaFor(change.type);
  tf::Type ty = schema->ImpliedType();
  Stored* stored = nullptr;
  for (auto& [a, st] : state_) {
    if (a == change.address) stored = &st;
  }
  if (change.action == Action::kReplace && stored != nullptr) {
    Stored prior = *stored;
    Status s = ApplyDelete(change.address, prior);
    if (!s.ok()) return s;
    stored = nullptr;
  }
  const Instance* inst = nullptr;
  for (const auto& i : resources_) {
    if (i.type + "." + i.name == change.address) inst = &i;
  }
  tf::Value config;
  Status status = ResolveRefs(ConfigOf(*inst, false), false, &config);
  if (!status.ok()) return status;
  // The apply-time re-plan with what is known now; it must agree with the saved plan.
  tf::Value prior = stored != nullptr ? stored->state : tf::Value::Null(ty);
  std::string prior_private = stored != nullptr ? stored->private_data : "";
  if (change.action == Action::kReplace) prior_private = "";
  tf::Value proposed = ProposedNew(schema->block, prior, config);
  PlanResult final_plan = driver_->PlanResourceChange(change.type, prior, proposed, config, prior_private);
  status = Check(final_plan.diagnostics, change.address);
  if (!status.ok()) return status;
  for (const auto& err : AssertPlanValid(schema->block, prior, config, final_plan.planned_state)) {
    status.Update(Status::Error(InvalidPlan(change.address, err)));
  }
  if (!status.ok()) return status;
  for (const auto& err : AssertObjectCompatible(schema->block, change.planned, final_plan.planned_state)) {
    std::string where = err.starts_with(".") ? change.address + err : change.address + ": " + err;
    status.Update(Status::Error("Error: Provider produced inconsistent final plan\n\nWhen expanding the "
                                "plan for " + change.address + " to include new values learned so far "
                                "during apply, provider " + Quote(options_.provider_address) +
                                " produced an invalid new value for " + where + "." + kBugTail));
  }
  if (!status.ok()) return status;

  StateResult r = driver_->ApplyResourceChange(change.type, prior, final_plan.planned_state, config,
                                               final_plan.planned_private);
  auto store = [&](const tf::Value& v, const std::string& priv) {
    if (stored != nullptr) {
      stored->state = v;
      stored->private_data = priv;
    } else {
      state_.push_back({change.address, Stored{change.type, v, priv}});
    }
  };
  status = Check(r.diagnostics, change.address);
  if (!status.ok()) {
    if (!r.state.is_null() && r.state.IsWhollyKnown()) store(r.state, r.private_data);  // partial
    return status;
  }
  status = WriteOnlyCheck(*schema, r.state, options_.provider_address, change.address, "ApplyResourceChange");
  if (!status.ok()) return status;
  if (auto p = FindUnknown(r.state)) {
    return Status::Error("Error: Provider returned invalid result object after apply\n\nAfter the apply "
                         "operation, the provider still indicated an unknown value for " + change.address +
                         *p + ". All values must be known after apply, so this is always a bug in the "
                         "provider and should be reported in the provider's own repository. Terraform "
                         "will still save the other known object values in the state.");
  }
  for (const auto& err : AssertObjectCompatible(schema->block, final_plan.planned_state, r.state)) {
    status.Update(Status::Error("Error: Provider produced inconsistent result after apply\n\nWhen applying "
                                "changes to " + change.address + ", provider " +
                                Quote(options_.provider_address) + " produced an unexpected new value: " +
                                (err.starts_with(".") ? change.address + err : err) + "." + kBugTail));
  }
  if (!status.ok()) return status;
  store(r.state, r.private_data);
  return Status::Ok();
}

Status Workspace::Apply() {
  std::vector<PlannedChange> changes;
  Status status = Plan(&changes, true);
  if (!status.ok()) return status;
  for (const auto& c : changes) {
    if (c.action != Action::kDelete) continue;
    Stored prior{c.type, c.prior, c.prior_private};
    status = ApplyDelete(c.address, prior);
    if (!status.ok()) return status;
  }
  for (const auto& c : changes) {
    if (c.action == Action::kDelete || c.action == Action::kNoOp) continue;
    status = ApplyChange(c);
    if (!status.ok()) return status;
  }
  planned_values_.clear();
  // Data sources whose configuration was unknown during plan are read now.
  bool pending = std::any_of(data_state_.begin(), data_state_.end(),
                             [](const auto& e) { return e.second.is_unknown(); });
  return pending ? PlanDataSources() : Status::Ok();
}

Status Workspace::PlanMustBeEmpty() {
  std::vector<PlannedChange> changes;
  Status status = Plan(&changes, true);
  if (!status.ok()) return status;
  std::string text;
  for (const auto& c : changes) {
    if (c.action == Action::kNoOp) continue;
    text += "\n  # " + c.address + " will be " + ActionName(c.action) + "d";
    for (const auto& d : c.diff) text += "\n      " + d;
  }
  if (text.empty()) return Status::Ok();
  return Status::Error("After applying this test step, the plan was not empty." + text);
}

Status Workspace::ImportObject(const std::string& type, const std::string& id,
                               const std::string& address, Stored* out) {
  if (!driver_) return Status::Error("the workspace is not started");
  ImportResult r = driver_->ImportResourceState(type, id);
  Status status = Check(r.diagnostics, address);
  if (!status.ok()) return status;
  if (r.imported.empty()) {
    return Status::Error("Error: Import returned no resources\n\nThe provider returned no objects for " +
                         address + " from id " + Quote(id) + ".");
  }
  if (r.imported.size() > 1) {
    return Status::Error("Error: Multiple import states not supported\n\n" + address + " returned " +
                         std::to_string(r.imported.size()) + " objects.");
  }
  const ImportedObject& obj = r.imported.front();
  if (obj.type_name.empty()) {
    return Status::Error("Error: import of " + address + " didn't set type");
  }
  if (obj.type_name != type) {
    return Status::Error("Error: import of " + address + " returned type " + Quote(obj.type_name));
  }
  if (obj.state.is_null()) {
    return Status::Error("Error: Import returned null resource\n\nThe provider returned a null object for " + address + ".");
  }
  if (const tf::Schema* schema = SchemaFor(type)) {
    status = WriteOnlyCheck(*schema, obj.state, options_.provider_address, address, "ImportResourceState");
    if (!status.ok()) return status;
  }
  Stored stored{type, obj.state, obj.private_data};
  bool gone = false;
  status = UpgradeAndRead(address, &stored, &gone);
  if (!status.ok()) return status;
  if (gone) {
    return Status::Error("Error: Cannot import non-existent remote object\n\nWhile attempting to import an "
                         "existing object to " + Quote(address) + ", the provider detected that no object "
                         "exists with the given id. Only pre-existing objects can be imported; check that "
                         "the id is correct and that it is associated with the provider's configured region "
                         "or endpoint, or use \"terraform apply\" to create a new remote object for this resource.");
  }
  *out = stored;
  return Status::Ok();
}

void Workspace::PutRawState(const std::string& type, const std::string& name, int64_t version,
                            const std::string& raw_json,
                            const std::map<std::string, std::string>& flatmap) {
  Stored stored;
  stored.type = type;
  stored.raw_json = raw_json;
  stored.raw_flatmap = flatmap;
  stored.raw_version = version;
  std::string address = type + "." + name;
  for (auto& [a, st] : state_) {
    if (a == address) {
      st = stored;
      return;
    }
  }
  state_.push_back({address, stored});
}

Status Workspace::Move(const MoveSource& source, const std::string& type, const std::string& name) {
  if (!driver_) return Status::Error("the workspace is not started");
  std::string address = type + "." + name;
  if (HasState(address)) {
    return Status::Error("Error: Moved object still exists\n\n" + address + " is already in state.");
  }
  const tf::Schema* schema = SchemaFor(type);
  if (schema == nullptr) return Status::Error("no schema for " + type);
  StateResult r = driver_->MoveResourceState(source, type);
  Status status = Check(r.diagnostics, address);
  if (!status.ok()) return status;
  if (r.state.is_null() || FindUnknown(r.state)) {
    return Status::Error("Error: Provider produced invalid object\n\nProvider " + Quote(options_.provider_address) +
                         " returned a null or unknown moved state for " + address + "." + kBugTail);
  }
  status = WriteOnlyCheck(*schema, r.state, options_.provider_address, address, "MoveResourceState");
  if (!status.ok()) return status;
  state_.push_back({address, Stored{type, r.state, ""}});
  return Status::Ok();
}

Status Workspace::Import(const std::string& type, const std::string& name, const std::string& id) {
  std::string address = type + "." + name;
  if (HasState(address)) {
    return Status::Error("Error: Resource already managed by Terraform\n\nTerraform is already managing a "
                         "remote object for " + address + ".");
  }
  Stored stored;
  Status status = ImportObject(type, id, address, &stored);
  if (!status.ok()) return status;
  state_.push_back({address, stored});
  return Status::Ok();
}

Status Workspace::ImportStateVerify(const std::string& address, const std::string& id,
                                    const std::vector<std::string>& ignore) {
  if (!HasState(address)) return Status::Error("ImportStateVerify: " + address + " is not in state");
  Stored imported;
  std::string type = ResourceType(address);
  Status status = ImportObject(type, id, address, &imported);
  if (!status.ok()) return status;
  tf::Value current = State(address);
  std::string text;
  for (const auto& [name, value] : current.attributes()) {
    if (std::find(ignore.begin(), ignore.end(), name) != ignore.end()) continue;
    tf::Value got = imported.state.attr(name);
    if (got != value) {
      text += "\n  " + name + ": state " + value.DebugString() + ", imported " + got.DebugString();
    }
  }
  if (text.empty()) return Status::Ok();
  return Status::Error("ImportStateVerify attributes not equivalent. Difference is shown below." + text);
}

Status Workspace::Destroy() {
  if (!driver_) return Status::Error("the workspace is not started");
  Status status = Refresh();
  if (!status.ok()) return status;
  std::vector<std::pair<std::string, Stored>> destroyed;
  while (!state_.empty()) {
    auto entry = state_.back();
    status = ApplyDelete(entry.first, entry.second);
    if (!status.ok()) return status;
    destroyed.push_back(entry);
  }
  data_state_.clear();
  for (const auto& [address, st] : destroyed) {
    StateResult r = driver_->ReadResource(st.type, st.state, st.private_data);
    status = Check(r.diagnostics, address);
    if (!status.ok()) return status;
    if (!r.state.is_null()) {
      return Status::Error("Error: " + address + " still exists after destroy\n\nReadResource returned " +
                           r.state.DebugString());
    }
  }
  return Status::Ok();
}

// ---- state -----------------------------------------------------------------------------------

bool Workspace::HasState(const std::string& address) const {
  return std::any_of(state_.begin(), state_.end(), [&](const auto& e) { return e.first == address; });
}

tf::Value Workspace::State(const std::string& address) const {
  for (const auto& [a, st] : state_) {
    if (a == address) return st.state;
  }
  return tf::Value();
}

tf::Value Workspace::Attr(const std::string& address, const std::string& attr) const {
  return State(address).attr(attr);
}

std::string Workspace::AttrString(const std::string& address, const std::string& attr) const {
  tf::Value v = Attr(address, attr);
  return v.is_known() && v.type() == tf::Type::String() ? v.as_string() : "";
}

std::string Workspace::Private(const std::string& address) const {
  for (const auto& [a, st] : state_) {
    if (a == address) return st.private_data;
  }
  return "";
}

tf::Value Workspace::DataState(const std::string& address) const {
  auto it = data_state_.find(address);
  return it == data_state_.end() ? tf::Value() : it->second;
}

std::vector<std::string> Workspace::Addresses() const {
  std::vector<std::string> out;
  for (const auto& [a, st] : state_) out.push_back(a);
  return out;
}

}  // namespace tfj::harness
