// The Jira REST client interface: exactly the calls the provider needs. It knows nothing of
// Terraform. BeastClient (beast_client.h) is the real implementation over HTTP(S).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "provider/jira/error.h"
#include "provider/jira/model.h"

namespace jira {

struct ClientConfig {
  std::string base_url;  // http(s)://host[:port][/context]; the context path is kept
  // Basic auth when username is set; Bearer (Data Center personal access token) when token is.
  std::string username;
  std::string password;
  std::string token;
  std::string ca_file;              // extra trusted CAs (PEM); system store is always used
  bool insecure_skip_verify = false;
  std::chrono::milliseconds request_timeout{30000};
  int max_retries = 5;              // on 429, 502, 503, 504 and connection failures
  std::chrono::milliseconds retry_base_delay{500};
  std::chrono::milliseconds retry_max_delay{30000};
  size_t max_idle_connections = 10;
  std::string user_agent = "terraform-provider-jira";
  // Keep the cookies Jira or its load balancer set and send them back (session affinity to one
  // Data Center node). Only tests turn it off, to play a client behind a balancer without it.
  bool keep_cookies = true;
  // Debug log sink (method, path, status, timing). Never receives credentials or bodies
  // that carry passwords.
  std::function<void(std::string_view)> log;
  // Info-level sink: at most one line per process, when Jira's rate limit slowed the run
  // noticeably (so a user sees why an apply is slow). Never receives credentials.
  std::function<void(std::string_view)> log_info;
  // Called with each backoff wait before it starts (after a 429, 5xx or connection failure).
  // For tests and metrics; the wait happens regardless.
  std::function<void(std::chrono::milliseconds)> on_backoff;
};

class Client {
 public:
  virtual ~Client() = default;

  // A view of this client whose calls give up (ErrorKind::kCancelled) as soon as
  // `cancelled` returns true. Shares the connection pool.
  virtual std::shared_ptr<Client> WithCancellation(std::function<bool()> cancelled) = 0;

  // ---- server and credentials
  virtual Result<ServerInfo> GetServerInfo() = 0;          // anonymous-allowed
  virtual Result<User> GetMyself() = 0;                    // validates credentials
  virtual Result<std::vector<Permission>> GetPermissions() = 0;

  // ---- users (lookups are case-insensitive in Jira)
  virtual Result<User> CreateUser(const NewUser& user) = 0;
  virtual Result<User> GetUserByName(std::string_view username, bool with_groups = false) = 0;
  virtual Result<User> GetUserByKey(std::string_view key, bool with_groups = false) = 0;
  virtual Result<User> UpdateUser(std::string_view key, const UserChanges& changes) = 0;
  virtual Status SetPassword(std::string_view key, std::string_view password) = 0;
  virtual Status DeleteUser(std::string_view key) = 0;
  virtual Result<std::vector<User>> SearchUsers(std::string_view query, int start_at,
                                                int max_results, bool include_inactive) = 0;

  // ---- application access (Jira 7.0+)
  // The user by key with User::applications filled (GET /user?expand=applicationRoles).
  virtual Result<User> GetUserWithApplications(std::string_view key) = 0;
  // POST and DELETE /user/application?username=&applicationKey= (experimental in Jira's REST
  // reference, 7.0+): the user joins or leaves the application's default group.
  virtual Status AddUserToApplication(std::string_view username,
                                      std::string_view application_key) = 0;
  virtual Status RemoveUserFromApplication(std::string_view username,
                                           std::string_view application_key) = 0;
  // Every application with its licence seats (GET /applicationrole; administrators only).
  virtual Result<std::vector<ApplicationRole>> ListApplicationRoles() = 0;

  // ---- project roles
  // Every project role (GET /role; roles are global in Jira Server, shared by all projects).
  virtual Result<std::vector<ProjectRole>> ListProjectRoles() = 0;

  // ---- groups
  virtual Result<Group> CreateGroup(std::string_view name) = 0;
  // Returns the group with its name as Jira stores it; kNotFound when it does not exist.
  virtual Result<Group> GetGroup(std::string_view name) = 0;
  virtual Status DeleteGroup(std::string_view name,
                             std::optional<std::string> swap_group = std::nullopt) = 0;
  virtual Result<MembersPage> GetGroupMembersPage(std::string_view group, int64_t start_at,
                                                  int max_results, bool include_inactive) = 0;
  // Every member, following pages until isLast.
  virtual Result<std::vector<User>> GetAllGroupMembers(std::string_view group,
                                                       bool include_inactive) = 0;
  virtual Result<std::vector<std::string>> PickGroups(std::string_view query, int max_results) = 0;
  virtual Status AddUserToGroup(std::string_view group, std::string_view username) = 0;
  virtual Status RemoveUserFromGroup(std::string_view group, std::string_view username) = 0;

  // ---- permission schemes (grants' user holders carry user KEYS)
  virtual Result<std::vector<PermissionScheme>> ListPermissionSchemes(bool with_grants) = 0;
  virtual Result<PermissionScheme> CreatePermissionScheme(const PermissionScheme& scheme) = 0;
  virtual Result<PermissionScheme> GetPermissionScheme(int64_t id) = 0;  // with grants
  // Without `grants`, only name and description change; with them, grants are replaced.
  virtual Result<PermissionScheme> UpdatePermissionScheme(
      int64_t id, std::string_view name, std::string_view description,
      const std::optional<std::vector<PermissionGrant>>& grants = std::nullopt) = 0;
  virtual Status DeletePermissionScheme(int64_t id) = 0;
  virtual Result<std::vector<PermissionGrant>> ListGrants(int64_t scheme_id) = 0;
  virtual Result<PermissionGrant> AddGrant(int64_t scheme_id, const PermissionGrant& grant) = 0;
  virtual Result<PermissionGrant> GetGrant(int64_t scheme_id, int64_t grant_id) = 0;
  virtual Status DeleteGrant(int64_t scheme_id, int64_t grant_id) = 0;
  virtual Result<PermissionScheme> AssignSchemeToProject(std::string_view project_key_or_id,
                                                         int64_t scheme_id) = 0;

  // ---- projects (provider/jira/projects.cpp)
  // kNotFound when the project does not exist or the caller may not browse it.
  virtual Result<Project> GetProject(std::string_view project_key_or_id) = 0;
  // Every project the caller may browse. Jira Server's GET /project is one unpaged array.
  virtual Result<std::vector<Project>> ListProjects() = 0;
  // The scheme the project uses, without grants; kNotFound when the project is missing.
  virtual Result<PermissionScheme> GetProjectPermissionScheme(
      std::string_view project_key_or_id) = 0;
};

// The real client over Boost.Beast. Fails only on an unusable configuration (bad URL,
// unreadable CA file), with the reason.
Result<std::shared_ptr<Client>> NewBeastClient(ClientConfig config);

}  // namespace jira
