// The emulator's in-memory Jira state: users, groups, memberships, permission schemes with
// grants, project roles, projects and failed-login counters. Not synchronised itself: the
// Router serialises every access under one mutex.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "acceptance_tests/emulator/options.h"

namespace emulator {

struct User {
  std::string key;
  std::string name;  // case as created (or last renamed)
  std::string email;
  std::string display_name;
  std::string password;  // kept in clear: this is a test double, never a real system
  bool active = true;
};

struct Group {
  std::string name;                 // case-preserved
  std::set<std::string> member_keys;  // user keys
};

struct Grant {
  int64_t id = 0;
  std::string permission;
  std::string holder_type;
  std::optional<std::string> holder_parameter;
};

struct Scheme {
  int64_t id = 0;
  std::string name;
  std::string description;
  std::vector<Grant> grants;
};

struct ProjectRole {
  int64_t id = 0;
  std::string name;
  std::string description;
};

struct Project {
  int64_t id = 0;
  std::string key;
  std::string name;
  std::string lead_key;
  int64_t scheme_id = 0;
  std::string type_key = "software";  // projectTypeKey
  int64_t category_id = 0;            // 0 = no category
  std::string description;
};

struct ProjectCategory {
  int64_t id = 0;
  std::string name;
  std::string description;
};

struct Store {
  std::map<std::string, User> users;            // by key
  std::map<std::string, std::string> user_index;  // lower-cased name -> key
  std::map<std::string, Group> groups;          // by lower-cased name
  std::map<int64_t, Scheme> schemes;
  std::map<int64_t, ProjectRole> roles;
  std::map<int64_t, Project> projects;
  std::map<int64_t, ProjectCategory> categories;
  std::map<std::string, int> failed_logins;     // by user key
  int64_t next_user_id = 10000;                 // JIRAUSER<n>
  int64_t next_id = 10000;                      // schemes and grants share one counter

  // Builds the initial state: admin, default groups and application group, default
  // permission scheme (id 0), project roles and the seeded project GL.
  static Store Seed(const Options& options);

  User* FindUserByName(const std::string& name);
  User* FindUserByKey(const std::string& key);
  Group* FindGroup(const std::string& name);
  // Creates a user with a new key (style per options), no group side effects.
  User& AddUser(User user, KeyStyle style);
  Group& AddGroup(const std::string& name);
  bool IsMember(const std::string& group, const std::string& user_key);
  // Groups of a user, sorted case-insensitively by name.
  std::vector<const Group*> GroupsOf(const std::string& user_key) const;
  // A project by numeric id or by key (keys compare case-insensitively, as Jira does).
  Project* FindProject(const std::string& id_or_key);

  nlohmann::json ToJson() const;
  static Store FromJson(const nlohmann::json& j);
};

// The group whose members hold the ADMINISTER global permission, and the default group of
// the selected-by-default application jira-software.
inline constexpr const char* kAdminGroup = "jira-administrators";
inline constexpr const char* kSoftwareUsersGroup = "jira-software-users";

}  // namespace emulator
