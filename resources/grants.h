// Permission-scheme grants: the known permission keys and holder types, plan-time checks,
// and the diff that lets apply touch only the grants that differ (so unchanged grants keep
// their ids in Jira).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "provider/core/diagnostics.h"
#include "provider/core/path.h"
#include "provider/core/value.h"
#include "provider/jira/model.h"

namespace tfjira {

enum class HolderParameter { kRequired, kNone, kOptional };

// The holder types Jira knows (built-in ones plus Service Management's), and whether each
// takes a parameter. nullptr when unknown.
const HolderParameter* FindHolderType(std::string_view type);
std::vector<std::string> HolderTypeNames();

// Jira's built-in project permission keys (usable in schemes), and its global ones (not).
bool IsBuiltInProjectPermission(std::string_view key);
bool IsGlobalPermission(std::string_view key);

// "grant BROWSE_PROJECTS to user \"gitlab\"": how messages name one grant, since the plugin
// protocol cannot point at one element of a set.
std::string DescribeGrant(const tf::Value& grant);

// The known key nearest to `key`: the same key in upper case, else one a typo away
// (CREATE_ISSUE -> CREATE_ISSUES); nullopt when none is close.
std::optional<std::string> NearestPermissionKey(std::string_view key, const std::vector<std::string>& known);
std::vector<std::string> BuiltInProjectPermissions();

// Checks one `grant` block (which may hold unknown values). Set elements have no path of
// their own, so diagnostics point at `grant_path`.
void ValidateGrant(const tf::Value& grant, const tf::Path& grant_path, tf::Diagnostics& diags);

// The identity of a grant for comparison: permission, holder type and parameter, with
// parameters of case-insensitive holders (group names, user keys) lower-cased.
std::string GrantKey(const jira::PermissionGrant& grant);

struct GrantDiff {
  std::vector<jira::PermissionGrant> to_delete;  // from `current`, with their ids
  std::vector<jira::PermissionGrant> to_add;     // from `desired`, without ids
  bool empty() const { return to_delete.empty() && to_add.empty(); }
};

// What turns `current` (as in Jira) into `desired`. Duplicates on either side collapse:
// Jira keeps exactly one grant per key.
GrantDiff DiffGrants(const std::vector<jira::PermissionGrant>& current,
                     const std::vector<jira::PermissionGrant>& desired);

}  // namespace tfjira
