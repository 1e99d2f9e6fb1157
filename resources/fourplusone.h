// Taking over state written by fourplusone/jira (registry.terraform.io/fourplusone/jira),
// the SDKv2 provider most Jira Server users managed users and groups with. Its jira_user,
// jira_group and jira_group_membership (schema version 0, every attribute a plain string,
// `id` stored as an attribute too) map onto ours; see
// docs/guides/migrating-from-fourplusone.md.
#pragma once

#include <string_view>

#include "provider/core/resource.h"

namespace tfjira {

inline constexpr std::string_view kFourplusoneAddress = "registry.terraform.io/fourplusone/jira";

// True when a moved block names `type` of fourplusone/jira as its source (schema version 0,
// the only one it ever had).
inline bool IsFourplusoneSource(const tf::MoveStateRequest& req, std::string_view type) {
  return req.source_provider_address == kFourplusoneAddress && req.source_type_name == type &&
         req.source_schema_version == 0;
}

}  // namespace tfjira
