// Helpers for unit tests that call resource handlers directly against a FakeJira.
#pragma once

#include <any>
#include <map>
#include <memory>
#include <string>

#include "provider/core/resource.h"
#include "resources/jira_access.h"
#include "resources/testing/fake_client.h"

namespace tfjira::testing {

inline std::any DataFor(std::shared_ptr<FakeJira> fake) {
  auto data = std::make_shared<ProviderData>();
  data->client = std::move(fake);
  return std::shared_ptr<const ProviderData>(std::move(data));
}

// An object of the resource's schema type; unset attributes are null.
inline tf::Value Obj(const tf::Schema& schema, std::map<std::string, tf::Value> attrs) {
  return tf::Value::ObjectOf(schema.ImpliedType(), std::move(attrs));
}

inline tf::Value S(const std::string& s) { return tf::Value::String(s); }
inline tf::Value B(bool b) { return tf::Value::Bool(b); }

}  // namespace tfjira::testing
