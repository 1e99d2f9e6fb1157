#include "resources/scheme_grants.h"

#include <algorithm>
#include <map>

#include "resources/attributes.h"
#include "resources/grants.h"
#include "resources/jira_access.h"
#include "provider/text/unicode.h"

namespace tfjira {
namespace {

std::string Param(const tf::Value& grant) {
  const tf::Value& p = grant.attr("holder_parameter");
  return p.is_known() ? p.as_string() : "";
}

// Same grant up to the letter case of a case-insensitive parameter.
bool SameGrant(const tf::Value& a, const tf::Value& b) {
  if (!a.IsWhollyKnown() || !b.IsWhollyKnown()) return false;
  if (a.attr("permission") != b.attr("permission") ||
      a.attr("holder_type") != b.attr("holder_type")) {
    return false;
  }
  const std::string type = tf::GetString(a, "holder_type").value_or("");
  if (type == "group" || type == "user") return text::EqualsIgnoreCase(Param(a), Param(b));
  return Param(a) == Param(b);
}

const tf::Value* FindSame(const tf::Value& set, const tf::Value& grant) {
  if (!set.is_known()) return nullptr;
  for (const auto& g : set.items()) {
    if (SameGrant(g, grant)) return &g;
  }
  return nullptr;
}

}  // namespace

std::string HolderTypeDescription() {
  // One line per holder type Jira accepts (the list grants.cpp validates against); `<br>`
  // keeps them on separate lines inside the registry's attribute table.
  static const char* const kLines[] = {
      "`group`: members of a group; `holder_parameter` is the group name.",
      "`user`: one user; `holder_parameter` is the username (Jira stores the user key).",
      "`projectRole`: members of a project role; `holder_parameter` is the role's numeric id "
      "(e.g. `10002`), not its name.",
      "`applicationRole`: users with access to an application; `holder_parameter` is its key "
      "(e.g. `jira-software`), or unset for any logged-in user.",
      "`anyone`: anyone, including anonymous users; no parameter.",
      "`reporter`: the issue's reporter; no parameter.",
      "`reporterWithCreatePermission`: the reporter, if they may create issues; no parameter.",
      "`assignee`: the issue's assignee; no parameter.",
      "`assigneeWithAssignablePermission`: the assignee, if they are assignable; no parameter.",
      "`projectLead`: the project lead; no parameter.",
      "`userCustomField`: users named in a user-picker custom field; `holder_parameter` is the "
      "field id (e.g. `customfield_10100`).",
      "`groupCustomField`: groups named in a group-picker custom field; `holder_parameter` is "
      "the field id.",
      "`sd.customer.portal.only`: Jira Service Management customers, on the portal only; no "
      "parameter.",
  };
  std::string out = "Who receives the permission, one of:";
  for (const char* line : kLines) out += std::string("<br>") + line;
  return out;
}

tf::Type GrantType() {
  return tf::Type::Object({{"permission", tf::Type::String()},
                           {"holder_type", tf::Type::String()},
                           {"holder_parameter", tf::Type::String()}});
}

std::vector<tf::Attribute> GrantAttributes(bool computed) {
  std::vector<tf::Attribute> out;
  auto make = [&](std::string name, std::string desc, bool required) {
    tf::Attribute a = computed ? ComputedAttr(name, tf::Type::String(), desc)
                               : (required ? RequiredAttr(name, tf::Type::String(), desc)
                                           : OptionalAttr(name, tf::Type::String(), desc));
    out.push_back(a);
  };
  make("permission", "The project permission key, e.g. `ADMINISTER_PROJECTS`.", true);
  make("holder_type", HolderTypeDescription(), true);
  make("holder_parameter",
       "The group name, **username** (stored in Jira as the user key), project role id, "
       "application key or custom field id. Required exactly for the holder types that take "
       "one; group and user names compare case-insensitively.",
       false);
  return out;
}

tf::Value GrantsFromJira(jira::Client& client, const std::vector<jira::PermissionGrant>& grants,
                         const tf::Value& reference, tf::Diagnostics& diags) {
  std::map<std::string, std::string> usernames;  // key -> username
  std::vector<tf::Value> items;
  for (const auto& g : grants) {
    std::string parameter = g.holder.parameter;
    if (g.holder.type == "user" && !parameter.empty()) {
      auto it = usernames.find(parameter);
      if (it == usernames.end()) {
        auto user = client.GetUserByKey(parameter);
        std::string name = parameter;  // a user Jira no longer knows keeps its key
        if (user.ok()) {
          name = user->name;
        } else if (user.error().kind != jira::ErrorKind::kNotFound) {
          AddJiraError(diags, "Cannot look up the user of a permission grant", user.error());
        }
        it = usernames.emplace(parameter, name).first;
      }
      parameter = it->second;
    }
    tf::Value item = tf::Value::Object(
        {{"permission", tf::Value::String(g.permission)},
         {"holder_type", tf::Value::String(g.holder.type)},
         {"holder_parameter", parameter.empty() ? tf::Value::Null(tf::Type::String())
                                                : tf::Value::String(parameter)}});
    if (const tf::Value* same = FindSame(reference, item)) item = *same;
    items.push_back(item);
  }
  return tf::Value::Set(GrantType(), std::move(items));
}

namespace {

bool IsRoleId(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::string RoleList(const std::vector<jira::ProjectRole>& roles) {
  std::string out;
  for (const auto& r : roles) {
    out += (out.empty() ? "" : ", ") + r.name + " (" + std::to_string(r.id) + ")";
  }
  return out;
}

}  // namespace

bool CheckHolders(jira::Client& client, const std::vector<tf::Value>& grants, const tf::Path& path,
                  HolderCheck when, tf::Diagnostics& diags,
                  std::map<std::string, std::string>* user_keys) {
  bool failed = false;
  // Missing users and groups: warnings at plan time (see HolderCheck), errors at apply.
  auto missing = [&](const std::string& summary, const std::string& detail) {
    if (when == HolderCheck::kPlan) {
      diags.AddAttributeWarning(path, summary,
                                detail + " If another resource of this configuration creates "
                                "it, ignore this warning; otherwise the apply will fail.");
    } else {
      diags.AddAttributeError(path, summary, detail);
      failed = true;
    }
  };
  std::map<std::string, bool> groups_seen;  // name -> exists, one lookup per name
  std::optional<std::vector<jira::ProjectRole>> roles;
  bool roles_failed = false;
  for (const auto& g : grants) {
    if (!g.is_known()) continue;
    const tf::Value& type_value = g.attr("holder_type");
    const tf::Value& parameter_value = g.attr("holder_parameter");
    if (!type_value.is_known() || !parameter_value.is_known() || parameter_value.is_null()) continue;
    const std::string type = type_value.as_string();
    const std::string parameter = parameter_value.as_string();
    if (parameter.empty()) continue;
    if (type == "group") {
      auto seen = groups_seen.find(parameter);
      if (seen == groups_seen.end()) {
        auto group = client.GetGroup(parameter);
        if (!group.ok() && group.error().kind != jira::ErrorKind::kNotFound) {
          AddJiraError(diags, "Cannot look up group \"" + parameter + "\"", group.error());
          failed = true;
          continue;
        }
        seen = groups_seen.emplace(parameter, group.ok()).first;
      }
      if (!seen->second) {
        missing("Unknown group in grant",
                "In " + DescribeGrant(g) + ": Jira has no group \"" + parameter + "\".");
      }
    } else if (type == "user") {
      auto user = client.GetUserByName(parameter);
      if (user.ok()) {
        if (user_keys) (*user_keys)[parameter] = user->key;
        continue;
      }
      if (user.error().kind != jira::ErrorKind::kNotFound) {
        AddJiraError(diags, "Cannot look up user \"" + parameter + "\"", user.error());
        failed = true;
        continue;
      }
      // A user key where the username belongs is a common slip: say so, with the name.
      auto by_key = client.GetUserByKey(parameter);
      std::string detail = by_key.ok() ? " is a user key, not a username: use the username \"" +
                                             by_key->name + "\"."
                                       : " is not a Jira username.";
      missing("Unknown user in grant",
              "In " + DescribeGrant(g) + ": holder_parameter \"" + parameter + "\"" + detail);
    } else if (type == "projectRole") {
      if (!roles && !roles_failed) {
        auto list = client.ListProjectRoles();
        if (list.ok()) {
          roles = list.value();
        } else {
          roles_failed = true;  // Jira's own answer to the write decides
        }
      }
      if (!roles) continue;
      const jira::ProjectRole* found = nullptr;
      const jira::ProjectRole* named = nullptr;
      for (const auto& r : *roles) {
        if (IsRoleId(parameter) && std::to_string(r.id) == parameter) found = &r;
        if (text::EqualsIgnoreCase(r.name, parameter)) named = &r;
      }
      if (found) continue;
      std::string detail = "In " + DescribeGrant(g) + ": ";
      if (named) {
        detail += "holder_type \"projectRole\" needs the role's numeric id, not its name: "
                  "this Jira's role \"" + named->name + "\" has id " +
                  std::to_string(named->id) + " (holder_parameter = \"" +
                  std::to_string(named->id) + "\").";
      } else {
        detail += "Jira has no project role with id \"" + parameter + "\". Its roles are: " +
                  RoleList(*roles) + ".";
      }
      diags.AddAttributeError(path, named ? "Project role given by name" : "Unknown project role in grant",
                              detail);
      failed = true;
    }
  }
  return !failed;
}

std::optional<std::vector<jira::PermissionGrant>> GrantsToJira(jira::Client& client,
                                                               const tf::Value& grants,
                                                               tf::Diagnostics& diags) {
  std::vector<jira::PermissionGrant> out;
  if (!grants.is_known()) return out;
  // Every holder is checked before any write, so one run reports every unknown user, group
  // and role at once.
  std::map<std::string, std::string> user_keys;
  if (!CheckHolders(client, grants.items(), tf::Path().AtName("grant"), HolderCheck::kApply,
                    diags, &user_keys)) {
    return std::nullopt;
  }
  for (const auto& g : grants.items()) {
    jira::PermissionGrant grant;
    grant.permission = tf::GetString(g, "permission").value_or("");
    grant.holder.type = tf::GetString(g, "holder_type").value_or("");
    grant.holder.parameter = Param(g);
    if (grant.holder.type == "user" && !grant.holder.parameter.empty()) {
      grant.holder.parameter = user_keys.at(grant.holder.parameter);
    }
    out.push_back(grant);
  }
  return out;
}

tf::Value KeepPriorSpelling(const tf::Value& planned, const tf::Value& prior) {
  if (!planned.is_known() || !prior.is_known()) return planned;
  std::vector<tf::Value> items;
  bool changed = false;
  for (const auto& g : planned.items()) {
    const tf::Value* same = FindSame(prior, g);
    if (same != nullptr && *same != g) {
      items.push_back(*same);
      changed = true;
    } else {
      items.push_back(g);
    }
  }
  if (!changed) return planned;
  return tf::Value::Set(planned.type().element(), std::move(items));
}

}  // namespace tfjira
