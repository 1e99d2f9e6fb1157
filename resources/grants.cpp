#include "resources/grants.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <optional>
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

// Edit distance (insertions, deletions, substitutions), for "did you mean" suggestions among
// a few dozen short keys; small enough that a library would add nothing.
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return out;
}

bool IsNumber(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::string DescribeGrant(const tf::Value& grant) {
  auto text = [&](const char* attr) {
    const tf::Value& v = grant.attr(attr);
    if (v.is_null()) return std::string();
    return v.is_known() ? v.as_string() : std::string("(known after apply)");
  };
  std::string out = "grant " + text("permission") + " to " + text("holder_type");
  if (std::string parameter = text("holder_parameter"); !parameter.empty()) out += " \"" + parameter + "\"";
  return out;
}

std::optional<std::string> NearestPermissionKey(std::string_view key, const std::vector<std::string>& known) {
  std::string upper = Upper(key);
  for (const auto& k : known) {
    if (k == upper) return k;  // only the letter case differs
  }
  std::optional<std::string> best;
  size_t best_distance = std::max<size_t>(2, key.size() / 4) + 1;  // a typo, not another word
  for (const auto& k : known) {
    size_t d = EditDistance(upper, k);
    if (d < best_distance) {
      best_distance = d;
      best = k;
    }
  }
  return best;
}

std::vector<std::string> BuiltInProjectPermissions() {
  return {kProjectPermissions.begin(), kProjectPermissions.end()};
}

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
  // The plugin protocol cannot point at one element of a set, so every message names the
  // grant it is about.
  const std::string in = "In " + DescribeGrant(grant) + ": ";
  const tf::Value& permission = grant.attr("permission");
  if (permission.is_known()) {
    const std::string& key = permission.as_string();
    if (key.empty()) {
      diags.AddAttributeError(path, "Invalid permission", in + "permission must not be empty.");
    } else if (IsGlobalPermission(key)) {
      diags.AddAttributeError(path, "Global permission in a permission scheme",
                              in + key + " is a global permission and cannot be granted in a "
                              "permission scheme. Use a project permission such as "
                              "ADMINISTER_PROJECTS or BROWSE_PROJECTS.");
    } else if (!IsBuiltInProjectPermission(key) && Upper(key) != key &&
               IsBuiltInProjectPermission(Upper(key))) {
      // Jira's keys are upper case; apps' keys too, so a lower-case spelling of a built-in
      // key is always a mistake.
      diags.AddAttributeError(path, "Unknown permission",
                              in + "permission keys are upper case: use \"" + Upper(key) +
                                  "\" instead of \"" + key + "\".");
    }
  }
  const tf::Value& type = grant.attr("holder_type");
  const tf::Value& parameter = grant.attr("holder_parameter");
  if (!type.is_known()) return;
  const HolderParameter* rule = FindHolderType(type.as_string());
  if (rule == nullptr) {
    diags.AddAttributeError(path, "Unknown holder_type",
                            in + "holder_type \"" + type.as_string() + "\" is not one of: " +
                                Join(HolderTypeNames()) + ".");
    return;
  }
  bool has_parameter = parameter.is_unknown() ||
                       (parameter.is_known() && !parameter.as_string().empty());
  if (*rule == HolderParameter::kRequired && !has_parameter) {
    diags.AddAttributeError(path, "Missing holder_parameter",
                            in + "holder_type \"" + type.as_string() +
                                "\" needs holder_parameter (a group name, username, project "
                                "role id or custom field id, depending on the type).");
  } else if (*rule == HolderParameter::kNone && has_parameter) {
    diags.AddAttributeError(path, "Unexpected holder_parameter",
                            in + "holder_type \"" + type.as_string() +
                                "\" takes no holder_parameter; remove it.");
  } else if (type.as_string() == "projectRole" && parameter.is_known() && !parameter.as_string().empty() &&
             !IsNumber(parameter.as_string())) {
    // Without Jira at hand (configuration is checked before the provider is configured),
    // only the ids of Jira's default roles can be named; plan and apply name the id this
    // Jira gives the role (GET /role).
    static const std::pair<const char*, const char*> kDefaultRoles[] = {
        {"Users", "10000"}, {"Developers", "10001"}, {"Administrators", "10002"}};
    std::string hint;
    for (const auto& [name, id] : kDefaultRoles) {
      if (text::EqualsIgnoreCase(parameter.as_string(), name)) {
        hint = " On a Jira with its default roles, \"" + std::string(name) +
               "\" is holder_parameter = \"" + id + "\".";
      }
    }
    diags.AddAttributeError(path, "Project role given by name",
                            in + "holder_type \"projectRole\" needs the role's numeric id, not "
                                 "its name \"" + parameter.as_string() + "\"." + hint +
                                 " Jira's own roles are 10000 (Users), 10001 (Developers) "
                                 "and 10002 (Administrators); GET /rest/api/2/role lists the "
                                 "ids of all roles.");
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
