// The scenarios' administrator as an observer of "the database": a Client that finishes the
// emulator's pending replication (cluster nodes, --stale-reads) before and after each call, so
// the test's own checks and hand-made drift are seen at once by every node. Only the provider
// under test meets the lag.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "provider/jira/client.h"

namespace tfjira::scenarios {

class ObserverClient final : public jira::Client {
 public:
  ObserverClient(std::shared_ptr<jira::Client> inner, std::function<void()> settle)
      : inner_(std::move(inner)), settle_(std::move(settle)) {}

  std::shared_ptr<jira::Client> WithCancellation(std::function<bool()> cancelled) override {
    return std::make_shared<ObserverClient>(inner_->WithCancellation(std::move(cancelled)),
                                            settle_);
  }

  jira::Result<jira::ServerInfo> GetServerInfo() override {
    return Settled([&] { return inner_->GetServerInfo(); });
  }
  jira::Result<jira::User> GetMyself() override {
    return Settled([&] { return inner_->GetMyself(); });
  }
  jira::Result<std::vector<jira::Permission>> GetPermissions() override {
    return Settled([&] { return inner_->GetPermissions(); });
  }
  jira::Result<jira::User> CreateUser(const jira::NewUser& u) override {
    return Settled([&] { return inner_->CreateUser(u); });
  }
  jira::Result<jira::User> GetUserByName(std::string_view n, bool g) override {
    return Settled([&] { return inner_->GetUserByName(n, g); });
  }
  jira::Result<jira::User> GetUserByKey(std::string_view k, bool g) override {
    return Settled([&] { return inner_->GetUserByKey(k, g); });
  }
  jira::Result<jira::User> UpdateUser(std::string_view k, const jira::UserChanges& c) override {
    return Settled([&] { return inner_->UpdateUser(k, c); });
  }
  jira::Status SetPassword(std::string_view k, std::string_view p) override {
    return Settled([&] { return inner_->SetPassword(k, p); });
  }
  jira::Status DeleteUser(std::string_view k) override {
    return Settled([&] { return inner_->DeleteUser(k); });
  }
  jira::Result<std::vector<jira::User>> SearchUsers(std::string_view q, int s, int m,
                                                    bool i) override {
    return Settled([&] { return inner_->SearchUsers(q, s, m, i); });
  }
  jira::Result<jira::User> GetUserWithApplications(std::string_view k) override {
    return Settled([&] { return inner_->GetUserWithApplications(k); });
  }
  jira::Status AddUserToApplication(std::string_view u, std::string_view a) override {
    return Settled([&] { return inner_->AddUserToApplication(u, a); });
  }
  jira::Status RemoveUserFromApplication(std::string_view u, std::string_view a) override {
    return Settled([&] { return inner_->RemoveUserFromApplication(u, a); });
  }
  jira::Result<std::vector<jira::ApplicationRole>> ListApplicationRoles() override {
    return Settled([&] { return inner_->ListApplicationRoles(); });
  }
  jira::Result<std::vector<jira::ProjectRole>> ListProjectRoles() override {
    return Settled([&] { return inner_->ListProjectRoles(); });
  }
  jira::Result<jira::Group> CreateGroup(std::string_view n) override {
    return Settled([&] { return inner_->CreateGroup(n); });
  }
  jira::Result<jira::Group> GetGroup(std::string_view n) override {
    return Settled([&] { return inner_->GetGroup(n); });
  }
  jira::Status DeleteGroup(std::string_view n, std::optional<std::string> swap) override {
    return Settled([&] { return inner_->DeleteGroup(n, swap); });
  }
  jira::Result<jira::MembersPage> GetGroupMembersPage(std::string_view g, int64_t s, int m,
                                                      bool i) override {
    return Settled([&] { return inner_->GetGroupMembersPage(g, s, m, i); });
  }
  jira::Result<std::vector<jira::User>> GetAllGroupMembers(std::string_view g, bool i) override {
    return Settled([&] { return inner_->GetAllGroupMembers(g, i); });
  }
  jira::Result<std::vector<std::string>> PickGroups(std::string_view q, int m) override {
    return Settled([&] { return inner_->PickGroups(q, m); });
  }
  jira::Status AddUserToGroup(std::string_view g, std::string_view u) override {
    return Settled([&] { return inner_->AddUserToGroup(g, u); });
  }
  jira::Status RemoveUserFromGroup(std::string_view g, std::string_view u) override {
    return Settled([&] { return inner_->RemoveUserFromGroup(g, u); });
  }
  jira::Result<std::vector<jira::PermissionScheme>> ListPermissionSchemes(bool g) override {
    return Settled([&] { return inner_->ListPermissionSchemes(g); });
  }
  jira::Result<jira::PermissionScheme> CreatePermissionScheme(
      const jira::PermissionScheme& s) override {
    return Settled([&] { return inner_->CreatePermissionScheme(s); });
  }
  jira::Result<jira::PermissionScheme> GetPermissionScheme(int64_t id) override {
    return Settled([&] { return inner_->GetPermissionScheme(id); });
  }
  jira::Result<jira::PermissionScheme> UpdatePermissionScheme(
      int64_t id, std::string_view n, std::string_view d,
      const std::optional<std::vector<jira::PermissionGrant>>& g) override {
    return Settled([&] { return inner_->UpdatePermissionScheme(id, n, d, g); });
  }
  jira::Status DeletePermissionScheme(int64_t id) override {
    return Settled([&] { return inner_->DeletePermissionScheme(id); });
  }
  jira::Result<std::vector<jira::PermissionGrant>> ListGrants(int64_t id) override {
    return Settled([&] { return inner_->ListGrants(id); });
  }
  jira::Result<jira::PermissionGrant> AddGrant(int64_t id, const jira::PermissionGrant& g) override {
    return Settled([&] { return inner_->AddGrant(id, g); });
  }
  jira::Result<jira::PermissionGrant> GetGrant(int64_t s, int64_t g) override {
    return Settled([&] { return inner_->GetGrant(s, g); });
  }
  jira::Status DeleteGrant(int64_t s, int64_t g) override {
    return Settled([&] { return inner_->DeleteGrant(s, g); });
  }
  jira::Result<jira::PermissionScheme> AssignSchemeToProject(std::string_view p,
                                                             int64_t s) override {
    return Settled([&] { return inner_->AssignSchemeToProject(p, s); });
  }
  jira::Result<jira::Project> GetProject(std::string_view p) override {
    return Settled([&] { return inner_->GetProject(p); });
  }
  jira::Result<std::vector<jira::Project>> ListProjects() override {
    return Settled([&] { return inner_->ListProjects(); });
  }
  jira::Result<jira::PermissionScheme> GetProjectPermissionScheme(std::string_view p) override {
    return Settled([&] { return inner_->GetProjectPermissionScheme(p); });
  }

 private:
  template <class F>
  std::invoke_result_t<F&> Settled(F f) {
    settle_();
    auto r = f();
    settle_();
    return r;
  }

  std::shared_ptr<jira::Client> inner_;
  std::function<void()> settle_;
};

}  // namespace tfjira::scenarios
