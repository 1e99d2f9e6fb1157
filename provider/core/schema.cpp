#include "provider/core/schema.h"

#include "provider/text/unicode.h"

#include <algorithm>
#include <set>

namespace tf {

Type Block::ImpliedType() const {
  std::map<std::string, Type> attrs;
  for (const auto& a : attributes) attrs.emplace(a.name, a.type);
  for (const auto& b : block_types) {
    Type object = b.block ? b.block->ImpliedType() : Type::Object({});
    switch (b.nesting) {
      case Nesting::kSingle:
      case Nesting::kGroup: attrs.emplace(b.type_name, object); break;
      case Nesting::kList: attrs.emplace(b.type_name, Type::List(object)); break;
      case Nesting::kSet: attrs.emplace(b.type_name, Type::Set(object)); break;
      case Nesting::kMap: attrs.emplace(b.type_name, Type::Map(object)); break;
    }
  }
  return Type::Object(std::move(attrs));
}

const Attribute* Block::FindAttribute(std::string_view name) const {
  for (const auto& a : attributes) {
    if (a.name == name) return &a;
  }
  return nullptr;
}

const NestedBlock* Block::FindBlock(std::string_view name) const {
  for (const auto& b : block_types) {
    if (b.type_name == name) return &b;
  }
  return nullptr;
}

namespace {

bool ValidName(std::string_view name) {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
  });
}

bool ContainsDynamic(const Type& t) {
  switch (t.kind()) {
    case TypeKind::kDynamic: return true;
    case TypeKind::kList:
    case TypeKind::kSet:
    case TypeKind::kMap: return ContainsDynamic(t.element());
    case TypeKind::kObject:
      for (const auto& [n, at] : t.attributes()) {
        if (ContainsDynamic(at)) return true;
      }
      return false;
    case TypeKind::kTuple:
      for (const auto& et : t.elements()) {
        if (ContainsDynamic(et)) return true;
      }
      return false;
    default: return false;
  }
}

// True when `v` may stand for a value of type `t` (dynamic accepts any type).
bool Conforms(const Value& v, const Type& t) {
  if (t.kind() == TypeKind::kDynamic) return true;
  if (v.is_null() || v.is_unknown()) return v.type() == t || v.type().kind() == TypeKind::kDynamic;
  return v.type() == t;
}

void ValidateBlock(const Block& block, const std::string& what, const std::string& prefix,
                   bool root, bool in_nested_collection, Diagnostics& diags) {
  // Meta-arguments Terraform reserves in resource and data source blocks.
  static const std::set<std::string> kReserved = {"connection", "count",     "depends_on",
                                                  "for_each",   "lifecycle", "provider",
                                                  "provisioner"};
  auto err = [&](const std::string& name, const std::string& msg) {
    diags.AddError("Invalid schema for " + what,
                   (prefix.empty() ? "" : prefix + ".") + name + ": " + msg +
                       ". This is a bug in the provider.");
  };
  std::set<std::string> seen;
  for (const auto& a : block.attributes) {
    if (!ValidName(a.name)) err(a.name, "name may contain only lowercase letters, digits and underscores");
    if (!seen.insert(a.name).second) err(a.name, "duplicate attribute name");
    if (root && kReserved.count(a.name)) err(a.name, "name is reserved by Terraform as a meta-argument");
    if (!a.optional && !a.required && !a.computed) err(a.name, "must set Optional, Required or Computed");
    if (a.optional && a.required) err(a.name, "cannot set both Optional and Required");
    if (a.computed && a.required) err(a.name, "cannot set both Computed and Required");
    if (a.default_value) {
      if (!(a.optional && a.computed)) err(a.name, "a default value needs Optional and Computed");
      if (!Conforms(*a.default_value, a.type)) {
        err(a.name, "default value " + a.default_value->DebugString() + " is not of type " +
                        a.type.FriendlyName());
      }
      if (!a.default_value->IsWhollyKnown()) err(a.name, "default value must be known");
    }
    if (a.use_state_for_unknown && !a.computed) err(a.name, "use_state_for_unknown needs Computed");
    if (a.write_only && a.computed) err(a.name, "a write-only attribute cannot be Computed");
    if (a.write_only && a.default_value) err(a.name, "a write-only attribute cannot have a default");
    if (in_nested_collection && ContainsDynamic(a.type)) {
      err(a.name, "dynamic types are not supported inside nested blocks");
    }
  }
  for (const auto& b : block.block_types) {
    const std::string& name = b.type_name;
    if (!ValidName(name)) err(name, "block name may contain only lowercase letters, digits and underscores");
    if (!seen.insert(name).second) err(name, "block name conflicts with another attribute or block");
    if (root && kReserved.count(name)) err(name, "name is reserved by Terraform as a meta-argument");
    if (b.min_items < 0 || b.max_items < 0) err(name, "MinItems and MaxItems must not be negative");
    switch (b.nesting) {
      case Nesting::kSingle:
        if (b.min_items != b.max_items) err(name, "MinItems and MaxItems must match in NestingSingle mode");
        if (b.min_items > 1) err(name, "MinItems and MaxItems must be set to either 0 or 1 in NestingSingle mode");
        break;
      case Nesting::kGroup:
        if (b.min_items != 0 || b.max_items != 0) err(name, "MinItems and MaxItems cannot be used in NestingGroup mode");
        break;
      case Nesting::kList:
      case Nesting::kSet:
        if (b.max_items != 0 && b.min_items > b.max_items) err(name, "MinItems must be less than or equal to MaxItems");
        break;
      case Nesting::kMap:
        if (b.min_items != 0 || b.max_items != 0) err(name, "MinItems and MaxItems must both be 0 in NestingMap mode");
        break;
      default:
        err(name, "invalid nesting mode");
    }
    if (!b.block) {
      err(name, "nested block schema is missing");
      continue;
    }
    bool collection = b.nesting == Nesting::kList || b.nesting == Nesting::kSet ||
                      b.nesting == Nesting::kMap;
    ValidateBlock(*b.block, what, (prefix.empty() ? "" : prefix + ".") + name, false,
                  in_nested_collection || collection, diags);
  }
}

}  // namespace

void ValidateSchema(const Schema& schema, std::string_view what, Diagnostics& diags) {
  std::string w(what);
  if (schema.version < 0) {
    diags.AddError("Invalid schema for " + w, "The schema version must not be negative. This is a bug in the provider.");
  }
  ValidateBlock(schema.block, w, "", true, false, diags);
}

SemanticEquality CaseInsensitiveEquality() {
  return [](const Value& config, const Value& prior) {
    if (!config.is_known() || !prior.is_known()) return false;
    if (config.type().kind() != TypeKind::kString || prior.type().kind() != TypeKind::kString) {
      return false;
    }
    // Jira's own comparison (Unicode lower-casing, see provider/text/unicode.h): a case-only
    // difference in any letter, `Équipe` vs `équipe`, is no change.
    return text::EqualsIgnoreCase(config.as_string(), prior.as_string());
  };
}

namespace {
std::string Quote(const std::string& s) { return "\"" + s + "\""; }
std::string Lower(std::string s) {
  for (auto& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}
}  // namespace

Validator OneOf(std::vector<std::string> allowed, bool case_sensitive) {
  return [allowed = std::move(allowed), case_sensitive](const Value& value, const Path& path,
                                                        Diagnostics& diags) {
    if (!value.is_known() || value.type().kind() != TypeKind::kString) return;
    const std::string& got = value.as_string();
    for (const auto& a : allowed) {
      if (case_sensitive ? a == got : Lower(a) == Lower(got)) return;
    }
    std::string list;
    for (const auto& a : allowed) list += (list.empty() ? "" : " ") + Quote(a);
    diags.AddAttributeError(path, "Invalid Attribute Value Match",
                            "Attribute " + path.ToString() + " value must be one of: [" + list +
                                "], got: " + Quote(got));
  };
}

Validator NonEmptyString() {
  return [](const Value& value, const Path& path, Diagnostics& diags) {
    if (!value.is_known() || value.type().kind() != TypeKind::kString) return;
    if (!value.as_string().empty()) return;
    diags.AddAttributeError(path, "Invalid Attribute Value Length",
                            "Attribute " + path.ToString() + " string length must be at least 1, got: 0");
  };
}

}  // namespace tf
