// tfjtest: a small provider compiled into tests only (never shipped), for proving the
// acceptance harness and the real-CLI helper against every Terraform rule. Its resource
// tfjtest_thing exercises a computed id, a required name, an optional+computed attribute with
// a default, a requires-replace attribute, a sensitive attribute, a case-insensitive
// attribute, a set of nested blocks and private state. Its `misbehave` attribute makes it
// break one rule on purpose:
//   change_config          plan a value different from the configured name
//   change_planned         apply a name different from the planned one
//   unknown_after_apply    leave the computed id unknown after create
//   bad_replace_path       ask for replacement on an attribute that does not exist
//   unknown_on_read        return an unknown value from refresh
//   nondeterministic_plan  plan a different known revision on every call
#pragma once

#include <memory>

#include "provider/core/resource.h"

namespace tfj::testprovider {

inline constexpr char kSourceAddress[] = "registry.terraform.io/tfjira/tfjtest";

std::unique_ptr<tf::Provider> NewProvider();

}  // namespace tfj::testprovider
