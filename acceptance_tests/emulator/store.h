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
#include "provider/text/unicode.h"

namespace emulator {

// Jira's identity of user, group and scheme names: Crowd lower-cases identifiers with Java's
// String.toLowerCase(Locale.ENGLISH) (Crowd IdentifierUtils; see provider/text/unicode.h), so
// `Équipe` and `équipe` are one group. Every name index and name comparison uses these.
inline std::string NameKey(std::string_view name) { return text::JiraLowerCase(name); }
inline bool SameName(std::string_view a, std::string_view b) {
  return text::EqualsIgnoreCase(a, b);
}

struct User {
  std::string key;
  std::string name;  // case as created (or last renamed)
  std::string email;
  std::string display_name;
  std::string password;  // kept in clear: this is a test double, never a real system
  bool active = true;
  std::optional<Language> language;  // profile language; unset = the instance's default
  // Issue content that blocks deleting the user (the emulator has no issues, only counts).
  int64_t reported_issues = 0;
  int64_t assigned_issues = 0;
  int64_t comments = 0;
};

struct Group {
  std::string name;                 // case-preserved
  std::set<std::string> member_keys;  // user keys, direct members only
  std::set<std::string> child_groups;  // NameKey of groups that are members of this one
  // Comments and worklogs whose visibility is restricted to this group: deleting the group
  // then needs a swapGroup. The emulator has no issues; only the count matters.
  int64_t restricted_items = 0;
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
  std::map<std::string, std::string> user_index;  // NameKey(name) -> key
  std::map<std::string, Group> groups;          // by NameKey(name)
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
  // Direct membership of the user in the group.
  bool IsMember(const std::string& group, const std::string& user_key);
  // Groups of a user, sorted case-insensitively by name: the ones it is a direct member of,
  // plus, when `nested`, every group that contains one of those, transitively.
  std::vector<const Group*> GroupsOf(const std::string& user_key, bool nested = false) const;
  // Direct member or, when `nested`, member of a child group at any depth.
  bool IsEffectiveMember(const std::string& group, const std::string& user_key, bool nested);
  // Keys of the group's members: direct, plus those of child groups at any depth if `nested`.
  std::set<std::string> MembersOf(const Group& group, bool nested) const;
  // Makes `child` a member of `parent`. False (and `error` set) when either is missing, they
  // are the same group, or the link would make a cycle (Crowd refuses those too).
  bool Nest(const std::string& child, const std::string& parent, std::string* error);
  // A project by numeric id or by key (keys compare case-insensitively, as Jira does).
  Project* FindProject(const std::string& id_or_key);

  nlohmann::json ToJson() const;
  static Store FromJson(const nlohmann::json& j);
};

// The group whose members hold the ADMINISTER global permission, and the default group of
// the selected-by-default application jira-software.
inline constexpr const char* kAdminGroup = "jira-administrators";
inline constexpr const char* kSoftwareUsersGroup = "jira-software-users";
inline constexpr const char* kCoreUsersGroup = "jira-core-users";

}  // namespace emulator
