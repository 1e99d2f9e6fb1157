// Jira Server / Data Center REST v2 objects, as the client returns and accepts them.
// Nothing here knows about Terraform.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace jira {

struct ServerInfo {
  std::string base_url;
  std::string version;
  std::vector<int> version_numbers;
  std::string deployment_type;  // "Server" (also Data Center) or "Cloud"
  std::string server_title;
};

struct User {
  std::string key;   // immutable, survives renames (JIRAUSER10100 on 8.4+)
  std::string name;  // username, in the case Jira stores it
  std::string email;
  std::string display_name;
  bool active = true;
  std::vector<std::string> groups;  // filled only when asked for (expand=groups)
  // Keys of the applications the user has access to (jira-software, ...), filled only when
  // asked for (expand=applicationRoles, Jira 7.0+); nullopt when Jira did not list them.
  std::optional<std::vector<std::string>> applications = std::nullopt;
};

// E-mail visibility (Jira's General configuration > User email visibility). With "public"
// REST shows the address; with "masked" Jira's EmailFormatter writes `bob at example dot com`
// ('@' -> " at ", '.' -> " dot "); with "hidden" emailAddress is left out (read as "").
// Only a shown address can be compared with a configured one.
inline bool EmailShown(std::string_view email) {
  return email.find('@') != std::string_view::npos;
}
inline std::string MaskedEmail(std::string_view email) {
  std::string out;
  for (char c : email) {
    if (c == '@') out += " at ";
    else if (c == '.') out += " dot ";
    else out.push_back(c);
  }
  return out;
}

struct NewUser {
  std::string name;
  std::string email;
  std::string display_name;
  std::optional<std::string> password;  // Jira generates one when absent
  bool notify = false;                  // sent as "notification": "true"/"false"
  // Sent as `applicationKeys` (Jira 7.0+) when set: the user gets exactly these
  // applications. Unset, Jira grants the applications selected by default.
  std::optional<std::vector<std::string>> application_keys = std::nullopt;
};

// Only the fields that are set are sent. `name` renames the user.
struct UserChanges {
  std::optional<std::string> name;
  std::optional<std::string> email;
  std::optional<std::string> display_name;
  std::optional<bool> active;
};

struct Group {
  std::string name;  // as Jira stores it
};

struct MembersPage {
  std::vector<User> values;
  int64_t start_at = 0;
  int64_t max_results = 0;
  int64_t total = 0;
  bool is_last = true;
};

struct PermissionHolder {
  std::string type;       // group, user, projectRole, applicationRole, anyone, ...
  std::string parameter;  // group name, user KEY, role id, ...; empty when none
};

struct PermissionGrant {
  int64_t id = 0;  // 0 for a grant not yet created
  std::string permission;  // e.g. ADMINISTER_PROJECTS
  PermissionHolder holder;
};

struct PermissionScheme {
  int64_t id = 0;
  std::string name;
  std::string description;
  std::vector<PermissionGrant> grants;
};

// An application a user can be given access to (GET /applicationrole, Jira 7.0+).
struct ApplicationRole {
  std::string key;   // jira-software, jira-core, jira-servicedesk
  std::string name;  // Jira Software
  bool unlimited_seats = false;
  int64_t number_of_seats = -1;  // -1 when unlimited
  int64_t remaining_seats = -1;
  std::vector<std::string> default_groups;
};

// A project role (GET /role): global in Jira Server, shared by every project.
struct ProjectRole {
  int64_t id = 0;
  std::string name;
  std::string description;
};

struct Permission {
  std::string key;   // e.g. BROWSE_PROJECTS
  std::string name;
  std::string type;  // PROJECT or GLOBAL
};

// A project as GET /project/{key} describes it.
struct Project {
  int64_t id = 0;            // Jira sends it as a string; parsed to a number
  std::string key;           // as Jira stores it (upper case)
  std::string name;
  std::string description;
  std::string lead;          // the lead's username; empty when Jira did not say
  std::string project_type_key;  // software, business, service_desk, ...
  int64_t category_id = 0;   // 0 when the project has no category
  std::string category_name;
};

}  // namespace jira
