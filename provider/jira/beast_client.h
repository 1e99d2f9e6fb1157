// BeastClient: the Client over HTTP(S) with Boost.Beast. Retries, backoff, lost-response
// recovery for creates, auth headers and error mapping live here; sockets live in transport.h.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>

#include <boost/beast/http/verb.hpp>
#include <nlohmann/json.hpp>

#include "provider/jira/client.h"
#include "provider/jira/transport.h"

namespace jira {

class BeastClient final : public Client {
 public:
  // Use NewBeastClient; public for make_shared and tests.
  BeastClient(std::shared_ptr<const ClientConfig> config, BaseUrl url,
              std::shared_ptr<ConnectionPool> pool, std::function<bool()> cancelled);

  // TCP connections opened so far by this client and its WithCancellation views.
  uint64_t connections_opened() const { return pool_->connections_opened(); }

  std::shared_ptr<Client> WithCancellation(std::function<bool()> cancelled) override;

  Result<ServerInfo> GetServerInfo() override;
  Result<User> GetMyself() override;
  Result<std::vector<Permission>> GetPermissions() override;

  Result<User> CreateUser(const NewUser& user) override;
  Result<User> GetUserByName(std::string_view username, bool with_groups = false) override;
  Result<User> GetUserByKey(std::string_view key, bool with_groups = false) override;
  Result<User> UpdateUser(std::string_view key, const UserChanges& changes) override;
  Status SetPassword(std::string_view key, std::string_view password) override;
  Status DeleteUser(std::string_view key) override;
  Result<User> GetUserWithApplications(std::string_view key) override;
  Status AddUserToApplication(std::string_view username,
                              std::string_view application_key) override;
  Status RemoveUserFromApplication(std::string_view username,
                                   std::string_view application_key) override;
  Result<std::vector<ApplicationRole>> ListApplicationRoles() override;
  Result<std::vector<ProjectRole>> ListProjectRoles() override;
  Result<std::vector<User>> SearchUsers(std::string_view query, int start_at, int max_results,
                                        bool include_inactive) override;

  Result<Group> CreateGroup(std::string_view name) override;
  Result<Group> GetGroup(std::string_view name) override;
  Status DeleteGroup(std::string_view name,
                     std::optional<std::string> swap_group = std::nullopt) override;
  Result<MembersPage> GetGroupMembersPage(std::string_view group, int64_t start_at,
                                          int max_results, bool include_inactive) override;
  Result<std::vector<User>> GetAllGroupMembers(std::string_view group,
                                               bool include_inactive) override;
  Result<std::vector<std::string>> PickGroups(std::string_view query, int max_results) override;
  Status AddUserToGroup(std::string_view group, std::string_view username) override;
  Status RemoveUserFromGroup(std::string_view group, std::string_view username) override;

  Result<std::vector<PermissionScheme>> ListPermissionSchemes(bool with_grants) override;
  Result<PermissionScheme> CreatePermissionScheme(const PermissionScheme& scheme) override;
  Result<PermissionScheme> GetPermissionScheme(int64_t id) override;
  Result<PermissionScheme> UpdatePermissionScheme(
      int64_t id, std::string_view name, std::string_view description,
      const std::optional<std::vector<PermissionGrant>>& grants = std::nullopt) override;
  Status DeletePermissionScheme(int64_t id) override;
  Result<std::vector<PermissionGrant>> ListGrants(int64_t scheme_id) override;
  Result<PermissionGrant> AddGrant(int64_t scheme_id, const PermissionGrant& grant) override;
  Result<PermissionGrant> GetGrant(int64_t scheme_id, int64_t grant_id) override;
  Status DeleteGrant(int64_t scheme_id, int64_t grant_id) override;
  Result<PermissionScheme> AssignSchemeToProject(std::string_view project_key_or_id,
                                                 int64_t scheme_id) override;

  // projects.cpp
  Result<Project> GetProject(std::string_view project_key_or_id) override;
  Result<std::vector<Project>> ListProjects() override;
  Result<PermissionScheme> GetProjectPermissionScheme(std::string_view project_key_or_id) override;

 private:
  struct Call {
    boost::beast::http::verb method;
    std::string path;   // below the context path, e.g. "/rest/api/2/user"
    std::string query;  // "" or "?..."
    std::optional<nlohmann::json> body;
    std::string secret;  // a password inside the body, scrubbed from any error text
  };
  struct Outcome {
    std::optional<HttpResponse> response;  // the last answer, when there was one
    std::optional<Error> error;            // transport failure, cancellation, probe failure
    bool maybe_applied_earlier = false;    // an earlier attempt's outcome is unknown
    bool resolved_by_probe = false;        // a create turned out to exist already
  };
  // Asks whether the object a create would make exists now; true means it does.
  using Probe = std::function<Result<bool>()>;

  Outcome Run(const Call& call, const Probe* probe);
  Result<nlohmann::json> Json(const Call& call);
  // Any 2xx is success. After a lost response, a 404 is too, and so is a 400 when `gone`
  // (a read of Jira's state) confirms the earlier attempt did the deletion.
  Status Delete(const Call& call, const Probe* gone = nullptr);
  // Whether Jira lists `group` among the user's groups (expand=groups): false when the user
  // does not exist. With nested groups this includes inherited membership (see client.h).
  Result<bool> UserListsGroup(std::string_view username, std::string_view group);
  template <class T, class Parse, class Find>
  Result<T> Create(const Call& call, Parse parse, Find find);

  Error ErrorFor(const Call& call, const HttpResponse& response) const;
  Error Scrub(Error error, const Call& call) const;
  std::string MethodAndPath(const Call& call) const;
  bool Cancelled() const { return cancelled_ && cancelled_(); }
  bool SleepUnlessCancelled(std::chrono::milliseconds delay) const;
  void Log(const std::string& line) const;

  std::shared_ptr<const ClientConfig> config_;
  BaseUrl url_;
  std::shared_ptr<ConnectionPool> pool_;
  std::function<bool()> cancelled_;
};

}  // namespace jira
