// An in-memory jira::Client for unit tests of resources: Jira's case rules, user keys,
// grant ids and the error shapes the resources depend on, plus scripted failures.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "provider/jira/client.h"

namespace tfjira::testing {

class FakeJira : public jira::Client, public std::enable_shared_from_this<FakeJira> {
 public:
  FakeJira();

  // ---- test controls
  // The next call of `method` (e.g. "SetPassword") fails with `error`, `times` times.
  // With `apply_first`, the call takes effect before failing (an answer lost on the way).
  void FailNext(const std::string& method, jira::Error error, int times = 1,
                bool apply_first = false);
  int Calls(const std::string& method) const;
  std::string deployment_type = "Server";
  std::vector<int> version_numbers = {9, 12, 2};
  // The language Jira's error texts are in: "en", "de", or "qq" (a made-up language no
  // wording check could know). Status codes and error keys are the same in all of them.
  std::string language = "en";
  // Jira's User email visibility: "public", "masked" (bob at example dot com) or "hidden".
  std::string email_visibility = "public";
  // Users (by key) with issues or comments: Jira refuses to delete them (400).
  std::set<std::string> users_with_content;
  // Groups that comments or worklogs are restricted to: delete needs a swap group (400).
  std::set<std::string> restricted_groups;
  // Nested groups: parent -> child groups. A member of a child is an (inherited) member of
  // the parent in expand=groups answers, as with Jira's nested-groups directories.
  std::map<std::string, std::vector<std::string>> subgroups;
  std::optional<std::string> last_swap_group;  // what DeleteGroup last received
  // Jira's text for message `id` in `language`; `a` and `b` fill the placeholders.
  std::string Text(const std::string& id, const std::string& a = "", const std::string& b = "") const;
  std::optional<jira::Error> myself_error;
  std::optional<std::string> last_password;  // what SetPassword/CreateUser last received

  // Direct access to the data, as an administrator would change it by hand.
  struct StoredUser { jira::User user; std::string password; };
  std::map<std::string, StoredUser> users;              // by key
  std::map<std::string, std::vector<std::string>> groups;  // name -> member keys
  std::map<int64_t, jira::PermissionScheme> schemes;
  // Application access: application key -> keys of the users who have it. Known
  // applications are the keys of `seats`; a seat count below 0 is unlimited. A create
  // without applicationKeys grants `default_applications`.
  std::map<std::string, std::set<std::string>> application_users;
  std::map<std::string, int> seats = {{"jira-core", -1}, {"jira-software", -1}};
  std::vector<std::string> default_applications = {"jira-software"};
  // Project roles (GET /role): Jira's defaults.
  std::vector<jira::ProjectRole> roles = {{10000, "Users", ""},
                                          {10001, "Developers", ""},
                                          {10002, "Administrators", ""}};
  int64_t next_user = 10000;
  int64_t next_id = 10100;
  StoredUser* FindUserByName(std::string_view name);
  std::string FindGroup(std::string_view name) const;  // stored name or ""

  // ---- jira::Client
  std::shared_ptr<Client> WithCancellation(std::function<bool()>) override { return shared_from_this(); }
  jira::Result<jira::ServerInfo> GetServerInfo() override;
  jira::Result<jira::User> GetMyself() override;
  jira::Result<std::vector<jira::Permission>> GetPermissions() override;
  jira::Result<jira::User> CreateUser(const jira::NewUser& user) override;
  jira::Result<jira::User> GetUserByName(std::string_view username, bool with_groups) override;
  jira::Result<jira::User> GetUserByKey(std::string_view key, bool with_groups) override;
  jira::Result<jira::User> UpdateUser(std::string_view key, const jira::UserChanges& changes) override;
  jira::Status SetPassword(std::string_view key, std::string_view password) override;
  jira::Status DeleteUser(std::string_view key) override;
  jira::Result<std::vector<jira::User>> SearchUsers(std::string_view, int, int, bool) override;
  jira::Result<jira::User> GetUserWithApplications(std::string_view key) override;
  jira::Status AddUserToApplication(std::string_view username, std::string_view app) override;
  jira::Status RemoveUserFromApplication(std::string_view username, std::string_view app) override;
  jira::Result<std::vector<jira::ApplicationRole>> ListApplicationRoles() override;
  jira::Result<std::vector<jira::ProjectRole>> ListProjectRoles() override;
  jira::Result<jira::Group> CreateGroup(std::string_view name) override;
  jira::Result<jira::Group> GetGroup(std::string_view name) override;
  jira::Status DeleteGroup(std::string_view name, std::optional<std::string> swap) override;
  jira::Result<jira::MembersPage> GetGroupMembersPage(std::string_view group, int64_t start_at,
                                                      int max_results, bool inactive) override;
  jira::Result<std::vector<jira::User>> GetAllGroupMembers(std::string_view group,
                                                           bool inactive) override;
  jira::Result<std::vector<std::string>> PickGroups(std::string_view query, int max) override;
  jira::Status AddUserToGroup(std::string_view group, std::string_view username) override;
  jira::Status RemoveUserFromGroup(std::string_view group, std::string_view username) override;
  jira::Result<std::vector<jira::PermissionScheme>> ListPermissionSchemes(bool with_grants) override;
  jira::Result<jira::PermissionScheme> CreatePermissionScheme(const jira::PermissionScheme& s) override;
  jira::Result<jira::PermissionScheme> GetPermissionScheme(int64_t id) override;
  jira::Result<jira::PermissionScheme> UpdatePermissionScheme(
      int64_t id, std::string_view name, std::string_view description,
      const std::optional<std::vector<jira::PermissionGrant>>& grants) override;
  jira::Status DeletePermissionScheme(int64_t id) override;
  jira::Result<std::vector<jira::PermissionGrant>> ListGrants(int64_t scheme_id) override;
  jira::Result<jira::PermissionGrant> AddGrant(int64_t scheme_id,
                                               const jira::PermissionGrant& grant) override;
  jira::Result<jira::PermissionGrant> GetGrant(int64_t scheme_id, int64_t grant_id) override;
  jira::Status DeleteGrant(int64_t scheme_id, int64_t grant_id) override;
  jira::Result<jira::PermissionScheme> AssignSchemeToProject(std::string_view, int64_t) override;
  jira::Result<jira::Project> GetProject(std::string_view key_or_id) override;
  jira::Result<std::vector<jira::Project>> ListProjects() override;
  jira::Result<jira::PermissionScheme> GetProjectPermissionScheme(std::string_view key_or_id) override;
  // Projects for the project calls, by id; `project_schemes` maps a project id to its scheme.
  std::map<int64_t, jira::Project> projects;
  std::map<int64_t, int64_t> project_schemes;

  static jira::Error NotFound(std::string message);
  static jira::Error Invalid(std::string message, std::map<std::string, std::string> fields = {});
  static jira::Error Transport();

 private:
  struct Failure { jira::Error error; int times; bool apply_first; };
  // Counts the call; returns the scripted error when one is due (and whether to apply first).
  std::optional<Failure> Enter(const std::string& method);
  jira::User WithGroups(const jira::User& u, bool with_groups) const;
  jira::User Shown(jira::User u) const;  // with the e-mail as email_visibility shows it
  // Grants `app` to the user: an error when the application is unknown or out of seats.
  std::optional<jira::Error> GrantApplication(const std::string& user_key, const std::string& app);

  mutable std::recursive_mutex mu_;
  std::map<std::string, int> calls_;
  std::map<std::string, Failure> failures_;
};

}  // namespace tfjira::testing
