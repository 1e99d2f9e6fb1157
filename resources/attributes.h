// Small constructors for schema attributes, so each resource's schema reads as a table.
#pragma once

#include <string>

#include "provider/core/schema.h"

namespace tfjira {

inline tf::Attribute RequiredAttr(std::string name, tf::Type type, std::string description) {
  tf::Attribute a;
  a.name = std::move(name);
  a.type = std::move(type);
  a.description = std::move(description);
  a.required = true;
  return a;
}

inline tf::Attribute OptionalAttr(std::string name, tf::Type type, std::string description) {
  tf::Attribute a = RequiredAttr(std::move(name), std::move(type), std::move(description));
  a.required = false;
  a.optional = true;
  return a;
}

inline tf::Attribute ComputedAttr(std::string name, tf::Type type, std::string description) {
  tf::Attribute a = RequiredAttr(std::move(name), std::move(type), std::move(description));
  a.required = false;
  a.computed = true;
  return a;
}

// Computed and never changing once known: planned as the prior value on update.
inline tf::Attribute StableIdAttr(std::string name, std::string description) {
  tf::Attribute a = ComputedAttr(std::move(name), tf::Type::String(), std::move(description));
  a.use_state_for_unknown = true;
  return a;
}

}  // namespace tfjira
