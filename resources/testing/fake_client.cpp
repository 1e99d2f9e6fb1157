#include "resources/testing/fake_client.h"

#include <algorithm>

#include "provider/text/unicode.h"

namespace tfjira::testing {

using jira::Error;
using jira::ErrorKind;

FakeJira::FakeJira() {
  users["admin"] = {{"admin", "admin", "admin@example.com", "Administrator", true, {}}, "admin"};
  groups["jira-administrators"] = {"admin"};
}

Error FakeJira::NotFound(std::string message) {
  Error e;
  e.kind = ErrorKind::kNotFound;
  e.http_status = 404;
  e.messages = {std::move(message)};
  return e;
}

Error FakeJira::Invalid(std::string message, std::map<std::string, std::string> fields) {
  Error e;
  e.kind = ErrorKind::kInvalid;
  e.http_status = 400;
  if (!message.empty()) e.messages = {std::move(message)};
  e.field_errors = std::move(fields);
  return e;
}

Error FakeJira::Transport() {
  Error e;
  e.kind = ErrorKind::kTransport;
  e.messages = {"connection reset by peer"};
  return e;
}

// Error texts as Jira words them in English and German (Jira's JiraWebActionSupport /
// REST i18n bundles), and in a made-up language. Only the words differ between languages.
std::string FakeJira::Text(const std::string& id, const std::string& a, const std::string& b) const {
  static const std::map<std::string, std::map<std::string, std::string>> kTexts = {
      {"en",
       {{"user_exists", "A user with that username already exists."},
        {"group_exists", "A group or user with this name already exists."},
        {"already_member", "Cannot add user '%a', user is already a member of '%b'"},
        {"not_member", "Cannot remove user '%a' from group '%b' since user is not a member of '%b'"},
        {"no_user", "The user named '%a' does not exist"},
        {"no_group", "The group named '%a' does not exist"},
        {"user_content", "Cannot delete user '%a' because they have reported or are assigned issues"},
        {"swap_needed", "You must specify a group to move comments/worklogs to."}}},
      {"de",
       {{"user_exists", "Es existiert bereits ein Benutzer mit diesem Benutzernamen."},
        {"group_exists", "Es existiert bereits eine Gruppe oder ein Benutzer mit diesem Namen."},
        {"already_member", "Der Benutzer '%a' kann nicht hinzugefügt werden, da er bereits Mitglied von '%b' ist"},
        {"not_member", "Der Benutzer kann nicht entfernt werden, da er kein Mitglied ist."},
        {"no_user", "Der Benutzer '%a' existiert nicht"},
        {"no_group", "Die Gruppe '%a' existiert nicht"},
        {"user_content", "Der Benutzer '%a' kann nicht gelöscht werden, da er Vorgänge gemeldet hat"},
        {"swap_needed", "Sie müssen eine Gruppe angeben, in die Kommentare/Arbeitsprotokolle verschoben werden."}}},
      {"qq",
       {{"user_exists", "Zorp vex '%a' blen."},
        {"group_exists", "Grab vex '%a' blen."},
        {"already_member", "Mip '%a' kor '%b' dastu."},
        {"not_member", "Mip '%a' nek '%b' dastu."},
        {"no_user", "Mip '%a' nul."},
        {"no_group", "Grab '%a' nul."},
        {"user_content", "Mip '%a' fenn trav."},
        {"swap_needed", "Grab swip tarr."}}}};
  auto lang = kTexts.find(language);
  if (lang == kTexts.end()) lang = kTexts.find("en");
  std::string out = lang->second.at(id);
  for (auto [marker, value] : {std::pair{std::string("%a"), a}, std::pair{std::string("%b"), b}}) {
    for (size_t pos; (pos = out.find(marker)) != std::string::npos;) out.replace(pos, 2, value);
  }
  return out;
}

jira::User FakeJira::Shown(jira::User u) const {
  if (email_visibility == "masked") u.email = jira::MaskedEmail(u.email);
  if (email_visibility == "hidden") u.email.clear();
  return u;
}

void FakeJira::FailNext(const std::string& method, Error error, int times, bool apply_first) {
  std::lock_guard lock(mu_);
  failures_[method] = {std::move(error), times, apply_first};
}

int FakeJira::Calls(const std::string& method) const {
  std::lock_guard lock(mu_);
  auto it = calls_.find(method);
  return it == calls_.end() ? 0 : it->second;
}

std::optional<FakeJira::Failure> FakeJira::Enter(const std::string& method) {
  ++calls_[method];
  auto it = failures_.find(method);
  if (it == failures_.end() || it->second.times <= 0) return std::nullopt;
  --it->second.times;
  return it->second;
}

// Runs `body` unless a failure is scripted; a lost-answer failure runs it and still fails.
#define FAKE_CALL(method, ...)                                            \
  std::lock_guard lock(mu_);                                                 \
  auto fake_run_ = [&]() -> std::optional<Error> { __VA_ARGS__; return std::nullopt; }; \
  if (auto f = Enter(method)) {                                              \
    if (f->apply_first) fake_run_();                                         \
    return f->error;                                                         \
  }                                                                          \
  if (auto e = fake_run_()) return *e

FakeJira::StoredUser* FakeJira::FindUserByName(std::string_view name) {
  for (auto& [key, u] : users) {
    if (text::EqualsIgnoreCase(u.user.name, name)) return &u;
  }
  return nullptr;
}

std::string FakeJira::FindGroup(std::string_view name) const {
  for (const auto& [g, members] : groups) {
    if (text::EqualsIgnoreCase(g, name)) return g;
  }
  return "";
}

jira::User FakeJira::WithGroups(const jira::User& u, bool with_groups) const {
  jira::User out = Shown(u);
  out.groups.clear();
  if (!with_groups) return out;
  std::set<std::string> effective;
  for (const auto& [g, members] : groups) {
    if (std::find(members.begin(), members.end(), u.key) != members.end()) effective.insert(g);
  }
  // Inherited membership through nested groups, to any depth.
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto& [parent, children] : subgroups) {
      for (const auto& child : children) {
        if (effective.count(child) && effective.insert(parent).second) grew = true;
      }
    }
  }
  out.groups.assign(effective.begin(), effective.end());
  return out;
}

jira::Result<jira::ServerInfo> FakeJira::GetServerInfo() {
  FAKE_CALL("GetServerInfo", {});
  jira::ServerInfo info;
  info.version_numbers = version_numbers;
  for (int n : version_numbers) info.version += (info.version.empty() ? "" : ".") + std::to_string(n);
  info.deployment_type = deployment_type;
  return info;
}

jira::Result<jira::User> FakeJira::GetMyself() {
  FAKE_CALL("GetMyself", {});
  if (myself_error) return *myself_error;
  return users["admin"].user;
}

jira::Result<std::vector<jira::Permission>> FakeJira::GetPermissions() {
  FAKE_CALL("GetPermissions", {});
  return std::vector<jira::Permission>{{"ADMINISTER_PROJECTS", "Administer Projects", "PROJECT"},
                                       {"BROWSE_PROJECTS", "Browse Projects", "PROJECT"},
                                       {"APP_PERMISSION", "From an app", "PROJECT"},
                                       {"ADMINISTER", "Jira Administrators", "GLOBAL"}};
}

jira::Result<jira::User> FakeJira::CreateUser(const jira::NewUser& nu) {
  std::optional<jira::User> created;
  FAKE_CALL("CreateUser", {
    if (FindUserByName(nu.name)) {
      return Invalid("", {{"username", Text("user_exists", nu.name)}});
    }
    const std::vector<std::string> apps = nu.application_keys.value_or(default_applications);
    for (const auto& app : apps) {
      if (!seats.count(app)) return Invalid("Unknown application " + app);
    }
    std::string key = "JIRAUSER" + std::to_string(next_user++);
    for (const auto& app : apps) {
      if (auto e = GrantApplication(key, app)) {
        for (auto& [a, holders] : application_users) holders.erase(key);
        return *e;
      }
    }
    users[key] = {{key, nu.name, nu.email, nu.display_name, true, {}, std::nullopt},
                  nu.password.value_or("")};
    last_password = nu.password;
    created = users[key].user;
  });
  return Shown(*created);
}

jira::Result<jira::User> FakeJira::GetUserByName(std::string_view username, bool with_groups) {
  FAKE_CALL("GetUserByName", {});
  if (auto* u = FindUserByName(username)) return WithGroups(u->user, with_groups);
  return NotFound(Text("no_user", std::string(username)));
}

jira::Result<jira::User> FakeJira::GetUserByKey(std::string_view key, bool with_groups) {
  FAKE_CALL("GetUserByKey", {});
  auto it = users.find(std::string(key));
  if (it == users.end()) return NotFound("The user with the key '" + std::string(key) + "' does not exist");
  return WithGroups(it->second.user, with_groups);
}

jira::Result<jira::User> FakeJira::UpdateUser(std::string_view key, const jira::UserChanges& c) {
  auto it = users.find(std::string(key));
  FAKE_CALL("UpdateUser", {
    if (it == users.end()) return NotFound("The user does not exist");
    if (c.name && !text::EqualsIgnoreCase(*c.name, it->second.user.name) && FindUserByName(*c.name)) {
      return Invalid("", {{"username", Text("user_exists", *c.name)}});
    }
    if (c.name) it->second.user.name = *c.name;
    if (c.email) it->second.user.email = *c.email;
    if (c.display_name) it->second.user.display_name = *c.display_name;
    if (c.active) it->second.user.active = *c.active;
  });
  return Shown(it->second.user);
}

jira::Status FakeJira::SetPassword(std::string_view key, std::string_view password) {
  FAKE_CALL("SetPassword", {
    auto it = users.find(std::string(key));
    if (it == users.end()) return NotFound("The user does not exist");
    it->second.password = std::string(password);
    last_password = std::string(password);
  });
  return jira::OkStatus();
}

jira::Status FakeJira::DeleteUser(std::string_view key) {
  FAKE_CALL("DeleteUser", {
    auto it = users.find(std::string(key));
    if (it == users.end()) return NotFound(Text("no_user", std::string(key)));
    if (users_with_content.count(it->first)) return Invalid(Text("user_content", it->second.user.name));
    users.erase(it);
    for (auto& [g, members] : groups) std::erase(members, std::string(key));
    for (auto& [app, holders] : application_users) holders.erase(std::string(key));
  });
  return jira::OkStatus();
}

jira::Result<std::vector<jira::User>> FakeJira::SearchUsers(std::string_view, int, int, bool) {
  return std::vector<jira::User>{};
}

std::optional<Error> FakeJira::GrantApplication(const std::string& user_key, const std::string& app) {
  auto limit = seats.find(app);
  if (limit == seats.end()) return Invalid("Unknown application " + app);
  auto& holders = application_users[app];
  if (holders.count(user_key)) return std::nullopt;
  if (limit->second >= 0 && static_cast<int>(holders.size()) >= limit->second) {
    return Invalid("The licence for " + app + " has no seat left");
  }
  holders.insert(user_key);
  return std::nullopt;
}

jira::Result<jira::User> FakeJira::GetUserWithApplications(std::string_view key) {
  FAKE_CALL("GetUserWithApplications", {});
  auto it = users.find(std::string(key));
  if (it == users.end()) return NotFound("The user with the key '" + std::string(key) + "' does not exist");
  jira::User out = Shown(it->second.user);
  std::vector<std::string> apps;
  for (const auto& [app, holders] : application_users) {
    if (holders.count(it->first)) apps.push_back(app);
  }
  out.applications = apps;
  return out;
}

jira::Status FakeJira::AddUserToApplication(std::string_view username, std::string_view app) {
  FAKE_CALL("AddUserToApplication", {
    auto* u = FindUserByName(username);
    if (!u) return Invalid(Text("no_user", std::string(username)));
    if (auto e = GrantApplication(u->user.key, std::string(app))) return *e;
  });
  return jira::OkStatus();
}

jira::Status FakeJira::RemoveUserFromApplication(std::string_view username, std::string_view app) {
  FAKE_CALL("RemoveUserFromApplication", {
    auto* u = FindUserByName(username);
    if (!u) return Invalid(Text("no_user", std::string(username)));
    if (!seats.count(std::string(app))) return Invalid("Unknown application " + std::string(app));
    application_users[std::string(app)].erase(u->user.key);
  });
  return jira::OkStatus();
}

jira::Result<std::vector<jira::ApplicationRole>> FakeJira::ListApplicationRoles() {
  FAKE_CALL("ListApplicationRoles", {});
  std::vector<jira::ApplicationRole> out;
  for (const auto& [key, limit] : seats) {
    jira::ApplicationRole a;
    a.key = key;
    a.name = key == "jira-software" ? "Jira Software" : key == "jira-core" ? "Jira Core" : key;
    a.unlimited_seats = limit < 0;
    a.number_of_seats = limit;
    const int used = static_cast<int>(application_users[key].size());
    a.remaining_seats = limit < 0 ? -1 : std::max(0, limit - used);
    a.default_groups = {key + "-users"};
    out.push_back(a);
  }
  return out;
}

jira::Result<std::vector<jira::ProjectRole>> FakeJira::ListProjectRoles() {
  FAKE_CALL("ListProjectRoles", {});
  return roles;
}

jira::Result<jira::Group> FakeJira::CreateGroup(std::string_view name) {
  FAKE_CALL("CreateGroup", {
    if (!FindGroup(name).empty() || FindUserByName(name)) {
      return Invalid(Text("group_exists", std::string(name)));
    }
    groups[std::string(name)] = {};
  });
  return jira::Group{std::string(name)};
}

jira::Result<jira::Group> FakeJira::GetGroup(std::string_view name) {
  FAKE_CALL("GetGroup", {});
  std::string g = FindGroup(name);
  if (g.empty()) return NotFound(Text("no_group", std::string(name)));
  return jira::Group{g};
}

jira::Status FakeJira::DeleteGroup(std::string_view name, std::optional<std::string> swap) {
  FAKE_CALL("DeleteGroup", {
    last_swap_group = swap;
    std::string g = FindGroup(name);
    if (g.empty()) return NotFound(Text("no_group", std::string(name)));
    if (restricted_groups.count(g) && !swap) return Invalid(Text("swap_needed"));
    groups.erase(g);
    for (auto& [id, s] : schemes) {
      std::erase_if(s.grants, [&](const jira::PermissionGrant& gr) {
        return gr.holder.type == "group" && text::EqualsIgnoreCase(gr.holder.parameter, g);
      });
    }
  });
  return jira::OkStatus();
}

jira::Result<jira::MembersPage> FakeJira::GetGroupMembersPage(std::string_view group, int64_t,
                                                              int, bool inactive) {
  auto all = GetAllGroupMembers(group, inactive);
  if (!all.ok()) return all.error();
  jira::MembersPage page;
  page.values = all.value();
  page.total = static_cast<int64_t>(page.values.size());
  return page;
}

jira::Result<std::vector<jira::User>> FakeJira::GetAllGroupMembers(std::string_view group, bool) {
  FAKE_CALL("GetAllGroupMembers", {});
  std::string g = FindGroup(group);
  if (g.empty()) return NotFound("The group does not exist");
  std::vector<jira::User> out;
  for (const auto& key : groups[g]) out.push_back(Shown(users[key].user));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  return out;
}

jira::Result<std::vector<std::string>> FakeJira::PickGroups(std::string_view, int) {
  return std::vector<std::string>{};
}

jira::Status FakeJira::AddUserToGroup(std::string_view group, std::string_view username) {
  FAKE_CALL("AddUserToGroup", {
    std::string g = FindGroup(group);
    if (g.empty()) return NotFound("The group does not exist");
    auto* u = FindUserByName(username);
    if (!u) return Invalid("Cannot add user. '" + std::string(username) + "' does not exist");
    auto& members = groups[g];
    if (std::find(members.begin(), members.end(), u->user.key) != members.end()) {
      return Invalid(Text("already_member", std::string(username), g));
    }
    members.push_back(u->user.key);
  });
  return jira::OkStatus();
}

jira::Status FakeJira::RemoveUserFromGroup(std::string_view group, std::string_view username) {
  FAKE_CALL("RemoveUserFromGroup", {
    auto* u = FindUserByName(username);
    if (!u) return NotFound("The user does not exist");
    std::string g = FindGroup(group);
    if (g.empty()) return NotFound("The group does not exist");
    auto& members = groups[g];
    auto it = std::find(members.begin(), members.end(), u->user.key);
    if (it == members.end()) {
      return Invalid(Text("not_member", std::string(username), g));
    }
    members.erase(it);
  });
  return jira::OkStatus();
}

jira::Result<std::vector<jira::PermissionScheme>> FakeJira::ListPermissionSchemes(bool with_grants) {
  FAKE_CALL("ListPermissionSchemes", {});
  std::vector<jira::PermissionScheme> out;
  for (auto [id, s] : schemes) {
    if (!with_grants) s.grants.clear();
    out.push_back(s);
  }
  return out;
}

jira::Result<jira::PermissionScheme> FakeJira::CreatePermissionScheme(const jira::PermissionScheme& s) {
  int64_t id = 0;
  FAKE_CALL("CreatePermissionScheme", {
    for (const auto& [i, other] : schemes) {
      if (text::EqualsIgnoreCase(other.name, s.name)) return Invalid("A Scheme with this name already exists.");
    }
    id = next_id++;
    jira::PermissionScheme stored = s;
    stored.id = id;
    for (auto& g : stored.grants) g.id = next_id++;
    schemes[id] = stored;
  });
  return schemes[id];
}

jira::Result<jira::PermissionScheme> FakeJira::GetPermissionScheme(int64_t id) {
  FAKE_CALL("GetPermissionScheme", {});
  auto it = schemes.find(id);
  if (it == schemes.end()) return NotFound("Permission scheme not found");
  return it->second;
}

jira::Result<jira::PermissionScheme> FakeJira::UpdatePermissionScheme(
    int64_t id, std::string_view name, std::string_view description,
    const std::optional<std::vector<jira::PermissionGrant>>& grants) {
  auto it = schemes.find(id);
  FAKE_CALL("UpdatePermissionScheme", {
    if (it == schemes.end()) return NotFound("Permission scheme not found");
    it->second.name = std::string(name);
    it->second.description = std::string(description);
    if (grants) {
      it->second.grants = *grants;
      for (auto& g : it->second.grants) g.id = next_id++;
    }
  });
  return it->second;
}

jira::Status FakeJira::DeletePermissionScheme(int64_t id) {
  FAKE_CALL("DeletePermissionScheme", {
    if (!schemes.erase(id)) return NotFound("Permission scheme not found");
  });
  return jira::OkStatus();
}

jira::Result<std::vector<jira::PermissionGrant>> FakeJira::ListGrants(int64_t scheme_id) {
  FAKE_CALL("ListGrants", {});
  auto it = schemes.find(scheme_id);
  if (it == schemes.end()) return NotFound("Permission scheme not found");
  return it->second.grants;
}

jira::Result<jira::PermissionGrant> FakeJira::AddGrant(int64_t scheme_id,
                                                       const jira::PermissionGrant& grant) {
  jira::PermissionGrant stored = grant;
  FAKE_CALL("AddGrant", {
    auto it = schemes.find(scheme_id);
    if (it == schemes.end()) return NotFound("Permission scheme not found");
    if (grant.holder.type == "group" && FindGroup(grant.holder.parameter).empty()) {
      return Invalid("Group " + grant.holder.parameter + " does not exist");
    }
    stored.id = next_id++;
    it->second.grants.push_back(stored);
  });
  return stored;
}

jira::Result<jira::PermissionGrant> FakeJira::GetGrant(int64_t scheme_id, int64_t grant_id) {
  FAKE_CALL("GetGrant", {});
  auto it = schemes.find(scheme_id);
  if (it != schemes.end()) {
    for (const auto& g : it->second.grants) {
      if (g.id == grant_id) return g;
    }
  }
  return NotFound("Grant not found");
}

jira::Status FakeJira::DeleteGrant(int64_t scheme_id, int64_t grant_id) {
  FAKE_CALL("DeleteGrant", {
    auto it = schemes.find(scheme_id);
    if (it == schemes.end()) return NotFound("Permission scheme not found");
    auto n = std::erase_if(it->second.grants,
                           [&](const jira::PermissionGrant& g) { return g.id == grant_id; });
    if (n == 0) return NotFound("Grant not found");
  });
  return jira::OkStatus();
}

jira::Result<jira::PermissionScheme> FakeJira::AssignSchemeToProject(std::string_view, int64_t) {
  return NotFound("No projects in the fake");
}

namespace {
jira::Project* FindProjectIn(std::map<int64_t, jira::Project>& projects, std::string_view k) {
  for (auto& [id, p] : projects) {
    if (std::to_string(id) == k || text::EqualsIgnoreCase(p.key, k)) return &p;
  }
  return nullptr;
}
}  // namespace

jira::Result<jira::Project> FakeJira::GetProject(std::string_view key_or_id) {
  FAKE_CALL("GetProject", {});
  jira::Project* p = FindProjectIn(projects, key_or_id);
  if (!p) return NotFound("No project could be found with key '" + std::string(key_or_id) + "'.");
  return *p;
}

jira::Result<std::vector<jira::Project>> FakeJira::ListProjects() {
  FAKE_CALL("ListProjects", {});
  std::vector<jira::Project> out;
  for (const auto& [id, p] : projects) out.push_back(p);
  return out;
}

jira::Result<jira::PermissionScheme> FakeJira::GetProjectPermissionScheme(
    std::string_view key_or_id) {
  FAKE_CALL("GetProjectPermissionScheme", {});
  jira::Project* p = FindProjectIn(projects, key_or_id);
  if (!p) return NotFound("No project could be found with key '" + std::string(key_or_id) + "'.");
  jira::PermissionScheme s = schemes[project_schemes[p->id]];
  s.grants.clear();
  return s;
}

}  // namespace tfjira::testing
