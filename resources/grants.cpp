#include "resources/grants.h"

#include <map>
#include <set>

#include "resources/jira_access.h"
#include "provider/text/unicode.h"

namespace tfjira {
namespace {

const std::map<std::string, HolderParameter, std::less<>>& HolderTypes() {
  static const auto* types = new std::map<std::string, HolderParameter, std::less<>>{
      {"anyone", HolderParameter::kNone},
      {"group", HolderParameter::kRequired},
      {"user", HolderParameter::kRequired},
      {"projectRole", HolderParameter::kRequired},
      {"reporter", HolderParameter::kNone},
      {"projectLead", HolderParameter::kNone},
      {"assignee", HolderParameter::kNone},
      {"userCustomField", HolderParameter::kRequired},
      {"groupCustomField", HolderParameter::kRequired},
      {"applicationRole", HolderParameter::kOptional},  // empty = any logged-in user
      {"reporterWithCreatePermission", HolderParameter::kNone},
      {"assigneeWithAssignablePermission", HolderParameter::kNone},
      {"sd.customer.portal.only", HolderParameter::kNone},
  };
  return *types;
}

const std::set<std::string, std::less<>> kProjectPermissions = {
    "ADMINISTER_PROJECTS", "BROWSE_PROJECTS", "VIEW_DEV_TOOLS", "VIEW_READONLY_WORKFLOW",
    "CREATE_ISSUES", "EDIT_ISSUES", "TRANSITION_ISSUES", "SCHEDULE_ISSUES", "MOVE_ISSUES",
    "ASSIGN_ISSUES", "ASSIGNABLE_USER", "RESOLVE_ISSUES", "CLOSE_ISSUES", "MODIFY_REPORTER",
    "DELETE_ISSUES", "LINK_ISSUES", "SET_ISSUE_SECURITY", "VIEW_VOTERS_AND_WATCHERS",
    "MANAGE_WATCHERS", "ADD_COMMENTS", "EDIT_ALL_COMMENTS", "EDIT_OWN_COMMENTS",
    "DELETE_ALL_COMMENTS", "DELETE_OWN_COMMENTS", "CREATE_ATTACHMENTS",
    "DELETE_ALL_ATTACHMENTS", "DELETE_OWN_ATTACHMENTS", "WORK_ON_ISSUES", "EDIT_OWN_WORKLOGS",
    "EDIT_ALL_WORKLOGS", "DELETE_OWN_WORKLOGS", "DELETE_ALL_WORKLOGS",
    "MANAGE_SPRINTS_PERMISSION", "SERVICEDESK_AGENT"};

const std::set<std::string, std::less<>> kGlobalPermissions = {
    "ADMINISTER", "SYSTEM_ADMIN", "USER_PICKER", "CREATE_SHARED_OBJECTS",
    "MANAGE_GROUP_FILTER_SUBSCRIPTIONS", "BULK_CHANGE", "USE"};

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : ", ") + s;
  return out;
}

}  // namespace

const HolderParameter* FindHolderType(std::string_view type) {
  auto it = HolderTypes().find(type);
  return it == HolderTypes().end() ? nullptr : &it->second;
}

std::vector<std::string> HolderTypeNames() {
  std::vector<std::string> out;
  for (const auto& [name, rule] : HolderTypes()) out.push_back(name);
  return out;
}

bool IsBuiltInProjectPermission(std::string_view key) { return kProjectPermissions.count(key) > 0; }
bool IsGlobalPermission(std::string_view key) { return kGlobalPermissions.count(key) > 0; }

void ValidateGrant(const tf::Value& grant, const tf::Path& path, tf::Diagnostics& diags) {
  if (!grant.is_known()) return;
  const tf::Value& permission = grant.attr("permission");
  if (permission.is_known()) {
    const std::string& key = permission.as_string();
    if (key.empty()) {
      diags.AddAttributeError(path, "Invalid permission", "permission must not be empty.");
    } else if (IsGlobalPermission(key)) {
      diags.AddAttributeError(path, "Global permission in a permission scheme",
                              key + " is a global permission and cannot be granted in a "
                              "permission scheme. Use a project permission such as "
                              "ADMINISTER_PROJECTS or BROWSE_PROJECTS.");
    }
  }
  const tf::Value& type = grant.attr("holder_type");
  const tf::Value& parameter = grant.attr("holder_parameter");
  if (!type.is_known()) return;
  const HolderParameter* rule = FindHolderType(type.as_string());
  if (rule == nullptr) {
    diags.AddAttributeError(path, "Unknown holder_type",
                            "holder_type \"" + type.as_string() + "\" is not one of: " +
                                Join(HolderTypeNames()) + ".");
    return;
  }
  bool has_parameter = parameter.is_unknown() ||
                       (parameter.is_known() && !parameter.as_string().empty());
  if (*rule == HolderParameter::kRequired && !has_parameter) {
    diags.AddAttributeError(path, "Missing holder_parameter",
                            "holder_type \"" + type.as_string() +
                                "\" needs holder_parameter (a group name, username, project "
                                "role id or custom field id, depending on the type).");
  } else if (*rule == HolderParameter::kNone && has_parameter) {
    diags.AddAttributeError(path, "Unexpected holder_parameter",
                            "holder_type \"" + type.as_string() +
                                "\" takes no holder_parameter; remove it.");
  }
}

std::string GrantKey(const jira::PermissionGrant& grant) {
  const std::string& type = grant.holder.type;
  std::string parameter = grant.holder.parameter;
  if (type == "group" || type == "user") parameter = text::JiraLowerCase(parameter);
  // '\n' cannot appear in keys or types, so the joined key is unambiguous.
  return grant.permission + '\n' + type + '\n' + parameter;
}

GrantDiff DiffGrants(const std::vector<jira::PermissionGrant>& current,
                     const std::vector<jira::PermissionGrant>& desired) {
  std::set<std::string> wanted;
  for (const auto& g : desired) wanted.insert(GrantKey(g));
  GrantDiff diff;
  std::set<std::string> kept;
  for (const auto& g : current) {
    std::string key = GrantKey(g);
    if (wanted.count(key) && kept.insert(key).second) continue;  // first copy stays
    diff.to_delete.push_back(g);
  }
  std::set<std::string> added;
  for (const auto& g : desired) {
    std::string key = GrantKey(g);
    if (kept.count(key) || !added.insert(key).second) continue;
    jira::PermissionGrant add = g;
    add.id = 0;
    diff.to_add.push_back(add);
  }
  return diff;
}

}  // namespace tfjira
