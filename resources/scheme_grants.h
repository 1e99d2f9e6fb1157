// Conversion of permission-scheme grants between Terraform values and Jira, shared by the
// jira_permission_scheme resource and data source. User holders are usernames in
// configuration and user keys in Jira; both directions are translated here.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "provider/core/diagnostics.h"
#include "provider/core/schema.h"
#include "provider/core/value.h"
#include "provider/jira/client.h"

namespace tfjira {

// The object type of one grant: {permission, holder_type, holder_parameter}.
tf::Type GrantType();
// The description of `holder_type`: every accepted value on a line of its own.
std::string HolderTypeDescription();
// The `grant` attributes, with descriptions.
std::vector<tf::Attribute> GrantAttributes(bool computed);

// Jira grants as a Terraform set. `reference` (a set of grants, or null) supplies the
// spelling of parameters that Jira compares case-insensitively, so letter case alone never
// shows as a diff.
tf::Value GrantsFromJira(jira::Client& client, const std::vector<jira::PermissionGrant>& grants,
                         const tf::Value& reference, tf::Diagnostics& diags);

// When holders are checked: at plan time a user or group Jira lacks may still be created by
// another resource of the same apply, so it is only a warning; at apply time (before the
// first write) it is an error. A project role id Jira lacks is always an error: this
// provider cannot create roles.
enum class HolderCheck { kPlan, kApply };

// Checks the holders of `grants` (objects with permission, holder_type, holder_parameter)
// against Jira: users, groups and project roles. Every grant is checked, so one run reports
// every unknown holder of every kind; each diagnostic, at `path`, names its grant. Fills
// `user_keys` (username as configured -> user key) for the users found. False when an error
// was added.
bool CheckHolders(jira::Client& client, const std::vector<tf::Value>& grants, const tf::Path& path,
                  HolderCheck when, tf::Diagnostics& diags,
                  std::map<std::string, std::string>* user_keys = nullptr);

// A set of grants from the plan as Jira grants; usernames become user keys. nullopt with
// diagnostics (at path `grant`) when a user, group or project role does not exist.
std::optional<std::vector<jira::PermissionGrant>> GrantsToJira(jira::Client& client,
                                                               const tf::Value& grants,
                                                               tf::Diagnostics& diags);

// Replaces each grant in `planned` that matches one in `prior` up to letter case with the
// prior spelling.
tf::Value KeepPriorSpelling(const tf::Value& planned, const tf::Value& prior);

}  // namespace tfjira
