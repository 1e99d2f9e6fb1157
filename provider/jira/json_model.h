// JSON mapping of the Jira model (model.h) in Jira's REST v2 field names. Readers are
// tolerant of missing fields and extra fields; a wrong type throws nlohmann::json::exception,
// which the client turns into an Error.
#pragma once

#include <nlohmann/json.hpp>
#include <vector>

#include "provider/jira/model.h"

namespace jira {

ServerInfo ServerInfoFromJson(const nlohmann::json& j);
User UserFromJson(const nlohmann::json& j);
std::vector<User> UsersFromJson(const nlohmann::json& j);  // a bare array
MembersPage MembersPageFromJson(const nlohmann::json& j);
PermissionGrant GrantFromJson(const nlohmann::json& j);
PermissionScheme SchemeFromJson(const nlohmann::json& j);
std::vector<Permission> PermissionsFromJson(const nlohmann::json& j);
std::vector<ProjectRole> ProjectRolesFromJson(const nlohmann::json& j);  // a bare array
std::vector<ApplicationRole> ApplicationRolesFromJson(const nlohmann::json& j);  // a bare array  // {"permissions":{...}}
std::vector<std::string> PickedGroupsFromJson(const nlohmann::json& j);

nlohmann::json NewUserToJson(const NewUser& user);
nlohmann::json UserChangesToJson(const UserChanges& changes);
nlohmann::json GrantToJson(const PermissionGrant& grant);  // holder and permission; no id
nlohmann::json SchemeToJson(std::string_view name, std::string_view description,
                            const std::vector<PermissionGrant>* grants);

}  // namespace jira
