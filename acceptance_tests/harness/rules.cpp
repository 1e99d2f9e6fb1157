#include "acceptance_tests/harness/rules.h"

#include <algorithm>

namespace tfj::harness {
namespace {

using tf::Value;

// The attribute `name` of an object value; null (or unknown) of `type` when the object is
// null (or unknown) or lacks it.
Value Attr(const Value& obj, const std::string& name, const tf::Type& type) {
  if (obj.is_unknown()) return Value::Unknown(type);
  if (!obj.is_known()) return Value::Null(type);
  const auto& attrs = obj.attributes();
  auto it = attrs.find(name);
  return it == attrs.end() ? Value::Null(type) : it->second;
}

std::string Goish(const Value& v) { return v.DebugString(); }

std::string Err(const tf::Path& path, const std::string& msg) {
  std::string p = CtyPath(path);
  return p.empty() ? msg : p + ": " + msg;
}

bool HasComputed(const tf::Block& block) {
  for (const auto& a : block.attributes) {
    if (a.computed) return true;
  }
  for (const auto& b : block.block_types) {
    if (HasComputed(*b.block)) return true;
  }
  return false;
}

// True when every non-computed attribute of two block objects is equal: how we pair a set
// element of config with its prior element (a simplification of cty's set matching).
bool SameNonComputed(const tf::Block& block, const Value& a, const Value& b) {
  if (!a.is_known() || !b.is_known()) return false;
  for (const auto& attr : block.attributes) {
    if (attr.computed) continue;
    if (Attr(a, attr.name, attr.type) != Attr(b, attr.name, attr.type)) return false;
  }
  for (const auto& nb : block.block_types) {
    tf::Type t = a.type().attributes().at(nb.type_name);
    if (Attr(a, nb.type_name, t) != Attr(b, nb.type_name, t)) return false;
  }
  return true;
}

Value ProposedNewNested(const tf::NestedBlock& nb, const Value& prior, const Value& config) {
  const tf::Block& block = *nb.block;
  if (config.is_null() || config.is_unknown()) return config;
  switch (nb.nesting) {
    case tf::Nesting::kSingle:
    case tf::Nesting::kGroup:
      return ProposedNew(block, prior, config);
    case tf::Nesting::kList: {
      std::vector<Value> out;
      const auto& items = config.items();
      for (size_t i = 0; i < items.size(); ++i) {
        Value p = Value::Null(items[i].type());
        if (prior.is_known() && i < prior.items().size()) p = prior.items()[i];
        out.push_back(ProposedNew(block, p, items[i]));
      }
      return Value::List(config.type().element(), std::move(out));
    }
    case tf::Nesting::kMap: {
      std::map<std::string, Value> out;
      for (const auto& [k, v] : config.map_items()) {
        Value p = Value::Null(v.type());
        if (prior.is_known()) {
          auto it = prior.map_items().find(k);
          if (it != prior.map_items().end()) p = it->second;
        }
        out[k] = ProposedNew(block, p, v);
      }
      return Value::Map(config.type().element(), std::move(out));
    }
    case tf::Nesting::kSet: {
      if (!HasComputed(block)) return config;
      std::vector<Value> out;
      for (const auto& v : config.items()) {
        Value p = Value::Null(v.type());
        if (prior.is_known()) {
          for (const auto& candidate : prior.items()) {
            if (SameNonComputed(block, v, candidate)) {
              p = candidate;
              break;
            }
          }
        }
        out.push_back(ProposedNew(block, p, v));
      }
      return Value::Set(config.type().element(), std::move(out));
    }
  }
  return config;
}

void PlanValidValue(const tf::Attribute& attr, const Value& prior, const Value& config,
                    const Value& planned, const tf::Path& path, std::vector<std::string>& errs) {
  if (attr.write_only) {  // Terraform 1.11: never planned, whatever the config says
    if (!planned.is_null()) errs.push_back(Err(path, "planned value for write-only attribute is not null"));
    return;
  }
  if (planned == config) return;
  if (!prior.is_null() && !config.is_null() && planned == prior) return;
  if (attr.computed && !attr.optional) return;
  if (config.is_null() && attr.computed) return;
  if (config.is_null() && !planned.is_null()) {
    errs.push_back(Err(path, attr.sensitive ? "planned value for a non-computed attribute"
                                            : "planned value " + Goish(planned) +
                                                  " for a non-computed attribute"));
    return;
  }
  if (prior.is_null()) {
    errs.push_back(Err(path, attr.sensitive ? "sensitive planned value does not match config value"
                                            : "planned value " + Goish(planned) +
                                                  " does not match config value " + Goish(config)));
    return;
  }
  errs.push_back(Err(path, attr.sensitive
                               ? "sensitive planned value does not match config value nor prior value"
                               : "planned value " + Goish(planned) + " does not match config value " +
                                     Goish(config) + " nor prior value " + Goish(prior)));
}

void PlanValidObject(const tf::Block& block, const Value& prior, const Value& config,
                     const Value& planned, const tf::Path& path, std::vector<std::string>& errs);

void PlanValidBlock(const tf::NestedBlock& nb, const Value& prior, const Value& config,
                    const Value& planned, const tf::Path& path, std::vector<std::string>& errs) {
  const tf::Block& block = *nb.block;
  switch (nb.nesting) {
    case tf::Nesting::kSingle:
    case tf::Nesting::kGroup:
      if (planned.is_null() != config.is_null()) {
        errs.push_back(Err(path, planned.is_null() ? "planned for absence but config wants existence"
                                                   : "planned for existence but config wants absence"));
        return;
      }
      if (planned.is_unknown() && !config.is_unknown()) {
        errs.push_back(Err(path, "attribute representing nested block must not be unknown itself; "
                                 "set nested attribute values to unknown instead"));
        return;
      }
      if (planned.is_known() && config.is_known()) PlanValidObject(block, prior, config, planned, path, errs);
      return;
    case tf::Nesting::kList:
    case tf::Nesting::kSet:
    case tf::Nesting::kMap: {
      const char* kind = nb.nesting == tf::Nesting::kList  ? "list"
                         : nb.nesting == tf::Nesting::kSet ? "set"
                                                           : "map";
      if (config.is_unknown()) {
        if (!planned.is_unknown()) {
          errs.push_back(Err(path, "planned value " + Goish(planned) + " for unknown dynamic block"));
        }
        return;
      }
      if (planned.is_null()) {
        errs.push_back(Err(path, std::string("attribute representing a ") + kind +
                                     " of nested blocks must be empty to indicate no blocks, not null"));
        return;
      }
      if (planned.is_unknown()) {
        errs.push_back(Err(path, "attribute representing nested block must not be unknown itself; "
                                 "set nested attribute values to unknown instead"));
        return;
      }
      size_t plen = nb.nesting == tf::Nesting::kMap ? planned.map_items().size() : planned.items().size();
      size_t clen = config.is_null() ? 0
                    : nb.nesting == tf::Nesting::kMap ? config.map_items().size()
                                                      : config.items().size();
      if (plen != clen) {
        errs.push_back(Err(path, "block count in plan (" + std::to_string(plen) +
                                     ") disagrees with count in config (" + std::to_string(clen) + ")"));
        return;
      }
      if (config.is_null()) return;
      if (nb.nesting == tf::Nesting::kList) {
        for (size_t i = 0; i < plen; ++i) {
          Value p = prior.is_known() && i < prior.items().size() ? prior.items()[i]
                                                                 : Value::Null(planned.items()[i].type());
          PlanValidObject(block, p, config.items()[i], planned.items()[i], path.AtIndex(static_cast<int64_t>(i)), errs);
        }
      } else if (nb.nesting == tf::Nesting::kMap) {
        for (const auto& [k, pv] : planned.map_items()) {
          auto cit = config.map_items().find(k);
          if (cit == config.map_items().end()) {
            errs.push_back(Err(path.AtKey(k), "block key \"" + k + "\" from plan has no corresponding key in config"));
            continue;
          }
          Value p = Value::Null(pv.type());
          if (prior.is_known()) {
            auto it = prior.map_items().find(k);
            if (it != prior.map_items().end()) p = it->second;
          }
          PlanValidObject(block, p, cit->second, pv, path.AtKey(k), errs);
        }
      } else {
        // Sets: Terraform core (objchange.AssertPlanValid) cannot correlate set elements,
        // so beyond the count it only insists that no element is unknown as a whole.
        // Matching elements against config here would be stricter than Terraform and
        // reject valid plans, e.g. one that keeps the prior spelling of a case-insensitive
        // value inside a block.
        for (const auto& pv : planned.items()) {
          if (pv.is_unknown()) {
            errs.push_back(Err(path, "element representing nested block must not be unknown itself; "
                                     "set nested attribute values to unknown instead"));
          }
        }
      }
      return;
    }
  }
}

void PlanValidObject(const tf::Block& block, const Value& prior, const Value& config,
                     const Value& planned, const tf::Path& path, std::vector<std::string>& errs) {
  for (const auto& attr : block.attributes) {
    PlanValidValue(attr, Attr(prior, attr.name, attr.type), Attr(config, attr.name, attr.type),
                   Attr(planned, attr.name, attr.type), path.AtName(attr.name), errs);
  }
  for (const auto& nb : block.block_types) {
    tf::Type t = block.ImpliedType().attributes().at(nb.type_name);
    PlanValidBlock(nb, Attr(prior, nb.type_name, t), Attr(config, nb.type_name, t),
                   Attr(planned, nb.type_name, t), path.AtName(nb.type_name), errs);
  }
}

// Value-level compatibility: known planned parts must be unchanged.
void CompatibleValue(const Value& planned, const Value& actual, bool sensitive, const tf::Path& path,
                     std::vector<std::string>& errs) {
  if (planned.is_unknown()) return;
  if (actual.is_unknown()) {
    errs.push_back(Err(path, "was known, but now unknown"));
    return;
  }
  if (planned == actual) return;
  auto mismatch = [&] {
    if (sensitive) {
      errs.push_back(Err(path, "inconsistent values for sensitive attribute"));
    } else {
      errs.push_back(Err(path, "was " + Goish(planned) + ", but now " + Goish(actual)));
    }
  };
  if (planned.is_null() || actual.is_null() || planned.IsWhollyKnown()) {
    mismatch();
    return;
  }
  // Planned holds unknowns somewhere inside: compare structure.
  switch (planned.type().kind()) {
    case tf::TypeKind::kObject:
      for (const auto& [name, pv] : planned.attributes()) {
        CompatibleValue(pv, Attr(actual, name, pv.type()), sensitive, path.AtName(name), errs);
      }
      return;
    case tf::TypeKind::kMap:
      if (planned.map_items().size() != actual.map_items().size()) {
        mismatch();
        return;
      }
      for (const auto& [k, pv] : planned.map_items()) {
        auto it = actual.map_items().find(k);
        if (it == actual.map_items().end()) {
          errs.push_back(Err(path.AtKey(k), "element has vanished"));
        } else {
          CompatibleValue(pv, it->second, sensitive, path.AtKey(k), errs);
        }
      }
      return;
    case tf::TypeKind::kList:
    case tf::TypeKind::kTuple:
      if (planned.items().size() != actual.items().size()) {
        errs.push_back(Err(path, "length changed from " + std::to_string(planned.items().size()) +
                                     " to " + std::to_string(actual.items().size())));
        return;
      }
      for (size_t i = 0; i < planned.items().size(); ++i) {
        CompatibleValue(planned.items()[i], actual.items()[i], sensitive, path.AtIndex(static_cast<int64_t>(i)), errs);
      }
      return;
    case tf::TypeKind::kSet:
      // Elements with unknowns may become anything; the count may not grow beyond the plan.
      if (actual.items().size() > planned.items().size()) mismatch();
      return;
    default:
      mismatch();
  }
}

void CompatibleObject(const tf::Block& block, const Value& planned, const Value& actual,
                      const tf::Path& path, std::vector<std::string>& errs);

void CompatibleBlock(const tf::NestedBlock& nb, const Value& planned, const Value& actual,
                     const tf::Path& path, std::vector<std::string>& errs) {
  if (planned.is_unknown()) return;
  if (planned.is_null() != actual.is_null()) {
    errs.push_back(Err(path, planned.is_null() ? "block was absent, but now present"
                                               : "block was present, but now absent"));
    return;
  }
  if (planned.is_null()) return;
  if (actual.is_unknown()) {
    errs.push_back(Err(path, "was known, but now unknown"));
    return;
  }
  switch (nb.nesting) {
    case tf::Nesting::kSingle:
    case tf::Nesting::kGroup:
      CompatibleObject(*nb.block, planned, actual, path, errs);
      return;
    case tf::Nesting::kList:
      if (planned.items().size() != actual.items().size()) {
        errs.push_back(Err(path, "block count changed from " + std::to_string(planned.items().size()) +
                                     " to " + std::to_string(actual.items().size())));
        return;
      }
      for (size_t i = 0; i < planned.items().size(); ++i) {
        CompatibleObject(*nb.block, planned.items()[i], actual.items()[i], path.AtIndex(static_cast<int64_t>(i)), errs);
      }
      return;
    case tf::Nesting::kMap:
      for (const auto& [k, pv] : planned.map_items()) {
        auto it = actual.map_items().find(k);
        if (it == actual.map_items().end()) {
          errs.push_back(Err(path.AtKey(k), "block key \"" + k + "\" has vanished"));
        } else {
          CompatibleObject(*nb.block, pv, it->second, path.AtKey(k), errs);
        }
      }
      if (actual.map_items().size() > planned.map_items().size()) {
        errs.push_back(Err(path, "new block key appeared"));
      }
      return;
    case tf::Nesting::kSet:
      if (planned.IsWhollyKnown()) {
        if (planned != actual) {
          errs.push_back(Err(path, "planned set element count " + std::to_string(planned.items().size()) +
                                       ", actual " + std::to_string(actual.items().size()) +
                                       (planned.items().size() == actual.items().size()
                                            ? ": was " + Goish(planned) + ", but now " + Goish(actual)
                                            : "")));
        }
      } else if (actual.items().size() > planned.items().size()) {
        errs.push_back(Err(path, "block set length changed from " + std::to_string(planned.items().size()) +
                                     " to " + std::to_string(actual.items().size())));
      }
      return;
  }
}

void CompatibleObject(const tf::Block& block, const Value& planned, const Value& actual,
                      const tf::Path& path, std::vector<std::string>& errs) {
  for (const auto& attr : block.attributes) {
    CompatibleValue(Attr(planned, attr.name, attr.type), Attr(actual, attr.name, attr.type),
                    attr.sensitive, path.AtName(attr.name), errs);
  }
  tf::Type ty = block.ImpliedType();
  for (const auto& nb : block.block_types) {
    const tf::Type& t = ty.attributes().at(nb.type_name);
    CompatibleBlock(nb, Attr(planned, nb.type_name, t), Attr(actual, nb.type_name, t),
                    path.AtName(nb.type_name), errs);
  }
}

std::optional<std::string> FindUnknownAt(const Value& v, const tf::Path& path) {
  if (v.is_unknown()) return CtyPath(path);
  if (!v.is_known()) return std::nullopt;
  switch (v.type().kind()) {
    case tf::TypeKind::kObject:
      for (const auto& [name, a] : v.attributes()) {
        if (auto p = FindUnknownAt(a, path.AtName(name))) return p;
      }
      break;
    case tf::TypeKind::kMap:
      for (const auto& [k, a] : v.map_items()) {
        if (auto p = FindUnknownAt(a, path.AtKey(k))) return p;
      }
      break;
    case tf::TypeKind::kList:
    case tf::TypeKind::kTuple:
    case tf::TypeKind::kSet:
      for (size_t i = 0; i < v.items().size(); ++i) {
        if (auto p = FindUnknownAt(v.items()[i], path.AtIndex(static_cast<int64_t>(i)))) return p;
      }
      break;
    default:
      break;
  }
  return std::nullopt;
}

void Diff(const Value& a, const Value& b, const tf::Path& path, std::vector<std::string>& out) {
  if (a == b) return;
  if (a.is_known() && b.is_known() && a.type() == b.type()) {
    if (a.type().kind() == tf::TypeKind::kObject) {
      for (const auto& [name, av] : a.attributes()) {
        Diff(av, Attr(b, name, av.type()), path.AtName(name), out);
      }
      return;
    }
    if (a.type().kind() == tf::TypeKind::kList && a.items().size() == b.items().size()) {
      for (size_t i = 0; i < a.items().size(); ++i) {
        Diff(a.items()[i], b.items()[i], path.AtIndex(static_cast<int64_t>(i)), out);
      }
      return;
    }
  }
  std::string p = CtyPath(path);
  out.push_back((p.empty() ? "(object)" : p) + ": " + Goish(a) + " => " + Goish(b));
}

}  // namespace

Value ProposedNew(const tf::Block& schema, const Value& prior, const Value& config) {
  if (config.is_null() || config.is_unknown()) return config;
  tf::Type ty = schema.ImpliedType();
  std::map<std::string, Value> attrs;
  for (const auto& attr : schema.attributes) {
    Value c = Attr(config, attr.name, attr.type);
    Value p = Attr(prior, attr.name, attr.type);
    attrs[attr.name] = (attr.computed && c.is_null()) ? p : c;
  }
  for (const auto& nb : schema.block_types) {
    const tf::Type& t = ty.attributes().at(nb.type_name);
    attrs[nb.type_name] = ProposedNewNested(nb, Attr(prior, nb.type_name, t), Attr(config, nb.type_name, t));
  }
  return Value::ObjectOf(ty, std::move(attrs));
}

std::vector<std::string> AssertPlanValid(const tf::Block& schema, const Value& prior,
                                         const Value& config, const Value& planned) {
  std::vector<std::string> errs;
  if (planned.is_null()) {
    if (!config.is_null()) errs.push_back("planned for absence but config wants existence");
    return errs;
  }
  if (config.is_null()) {
    errs.push_back("planned for existence but config wants absence");
    return errs;
  }
  if (planned.is_unknown()) {
    errs.push_back("planned value for the whole object is unknown");
    return errs;
  }
  PlanValidObject(schema, prior, config, planned, tf::Path(), errs);
  return errs;
}

std::vector<std::string> AssertObjectCompatible(const tf::Block& schema, const Value& planned,
                                                const Value& actual) {
  std::vector<std::string> errs;
  if (planned.is_null() && !actual.is_null()) {
    errs.push_back("Root object was absent, but now present");
  } else if (!planned.is_null() && actual.is_null()) {
    errs.push_back("Root object was present, but now absent");
  } else if (!planned.is_null()) {
    CompatibleObject(schema, planned, actual, tf::Path(), errs);
  }
  return errs;
}

std::optional<std::string> FindUnknown(const Value& value) { return FindUnknownAt(value, tf::Path()); }

std::optional<Value> ApplyPath(const Value& value, const tf::Path& path) {
  Value cur = value;
  for (const auto& step : path.steps()) {
    if (!cur.is_known()) return std::nullopt;
    if (const auto* name = std::get_if<tf::AttributeName>(&step)) {
      if (cur.type().kind() != tf::TypeKind::kObject) return std::nullopt;
      auto it = cur.attributes().find(name->name);
      if (it == cur.attributes().end()) return std::nullopt;
      cur = it->second;
    } else if (const auto* idx = std::get_if<tf::ElementIndex>(&step)) {
      auto k = cur.type().kind();
      if (k != tf::TypeKind::kList && k != tf::TypeKind::kTuple) return std::nullopt;
      if (idx->index < 0 || static_cast<size_t>(idx->index) >= cur.items().size()) return std::nullopt;
      cur = cur.items()[static_cast<size_t>(idx->index)];
    } else {
      const auto& key = std::get<tf::ElementKey>(step).key;
      if (cur.type().kind() != tf::TypeKind::kMap) return std::nullopt;
      auto it = cur.map_items().find(key);
      if (it == cur.map_items().end()) return std::nullopt;
      cur = it->second;
    }
  }
  return cur;
}

std::string CtyPath(const tf::Path& path) {
  std::string out;
  for (const auto& step : path.steps()) {
    if (const auto* name = std::get_if<tf::AttributeName>(&step)) {
      out += "." + name->name;
    } else if (const auto* idx = std::get_if<tf::ElementIndex>(&step)) {
      out += "[" + std::to_string(idx->index) + "]";
    } else {
      out += "[\"" + std::get<tf::ElementKey>(step).key + "\"]";
    }
  }
  return out;
}

std::vector<std::string> DiffValues(const Value& before, const Value& after) {
  std::vector<std::string> out;
  Diff(before, after, tf::Path(), out);
  return out;
}

std::optional<std::string> FindWriteOnlyValue(const tf::Block& schema, const Value& value) {
  if (!value.is_known()) return std::nullopt;
  for (const auto& a : schema.attributes) {
    if (a.write_only && !value.attr(a.name).is_null()) return CtyPath(tf::Path().AtName(a.name));
  }
  for (const auto& nb : schema.block_types) {
    const Value& v = value.attr(nb.type_name);
    if (!v.is_known() || !nb.block) continue;
    const tf::Path p = tf::Path().AtName(nb.type_name);
    std::vector<std::pair<tf::Path, Value>> objects;
    switch (nb.nesting) {
      case tf::Nesting::kSingle:
      case tf::Nesting::kGroup: objects.emplace_back(p, v); break;
      case tf::Nesting::kList:
      case tf::Nesting::kSet:
        for (size_t i = 0; i < v.items().size(); ++i) {
          objects.emplace_back(p.AtIndex(static_cast<int64_t>(i)), v.items()[i]);
        }
        break;
      case tf::Nesting::kMap:
        for (const auto& [k, item] : v.map_items()) objects.emplace_back(p.AtKey(k), item);
        break;
    }
    for (const auto& [path, object] : objects) {
      if (auto inner = FindWriteOnlyValue(*nb.block, object)) return CtyPath(path) + *inner;
    }
  }
  return std::nullopt;
}

}  // namespace tfj::harness
