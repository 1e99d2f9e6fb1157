#include "provider/jira/read_after_write.h"

#include <algorithm>
#include <cstdint>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <tuple>
#include <type_traits>
#include <utility>
#include <vector>

#include "provider/text/unicode.h"

namespace jira {

namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

std::string Fold(std::string_view name) { return text::JiraLowerCase(name); }

bool IsNotFound(const Error& e) { return e.kind == ErrorKind::kNotFound; }

// A grant as a comparable value, without its id (ids change when grants are replaced).
std::tuple<std::string, std::string, std::string> GrantKey(const PermissionGrant& g) {
  // Group names are case-insensitive in Jira; keys and ids compare exactly.
  return {g.permission, g.holder.type,
          g.holder.type == "group" ? Fold(g.holder.parameter) : g.holder.parameter};
}

std::multiset<std::tuple<std::string, std::string, std::string>> GrantKeys(
    const std::vector<PermissionGrant>& grants) {
  std::multiset<std::tuple<std::string, std::string, std::string>> out;
  for (const auto& g : grants) out.insert(GrantKey(g));
  return out;
}

// The user fields Jira answered to an update, as a later read must show them.
bool SameUser(const User& expected, const User& read) {
  if (!text::EqualsIgnoreCase(expected.name, read.name)) return false;
  if (expected.display_name != read.display_name || expected.active != read.active) return false;
  // A masked or hidden address (email visibility) cannot be compared.
  if (EmailShown(expected.email) && EmailShown(read.email) &&
      !text::EqualsIgnoreCase(expected.email, read.email)) {
    return false;
  }
  return true;
}

struct SchemeExpectation {
  bool exists = true;
  std::optional<std::string> name;
  std::optional<std::string> description;
  std::optional<std::multiset<std::tuple<std::string, std::string, std::string>>> grants;
};

template <class V>
struct Entry {
  V value;
  Clock::time_point at;
  // A read agreed with the write. A later contradiction is then either someone else's change
  // or a node still lagging behind: it gets a brief second look, not the whole budget.
  bool confirmed = false;
};

// What this process wrote and has not yet seen confirmed by a read. Shared by a client and
// its WithCancellation views.
struct Ledger {
  std::mutex mu;
  milliseconds window{30000};
  // Set by the last check when it contradicted a write no read had confirmed yet.
  bool unconfirmed_contradicted = false;
  // User key -> the user as the write answered it (nullopt: deleted); `exists_only` entries
  // expect the user to exist, whatever its fields.
  struct UserExpectation {
    std::optional<User> user;
    bool exists_only = false;
  };
  std::map<std::string, Entry<UserExpectation>> users_by_key;
  std::map<std::string, Entry<UserExpectation>> users_by_name;  // folded name
  std::map<std::string, Entry<bool>> groups;                    // folded name -> exists
  std::map<int64_t, Entry<SchemeExpectation>> schemes;
  std::map<std::pair<int64_t, int64_t>, Entry<bool>> grants;    // (scheme, grant) -> exists
  // (folded group, folded username) -> member
  std::map<std::pair<std::string, std::string>, Entry<bool>> members;
  std::map<std::string, Entry<int64_t>> project_schemes;        // folded key or id -> scheme
  // (folded username, application key) -> the user has access
  std::map<std::pair<std::string, std::string>, Entry<bool>> applications;

  template <class M>
  void Expire(M& m, Clock::time_point now) {
    for (auto it = m.begin(); it != m.end();) {
      it = now - it->second.at > window ? m.erase(it) : std::next(it);
    }
  }
  void ExpireAll() {
    const auto now = Clock::now();
    Expire(users_by_key, now);
    Expire(users_by_name, now);
    Expire(groups, now);
    Expire(schemes, now);
    Expire(grants, now);
    Expire(members, now);
    Expire(project_schemes, now);
    Expire(applications, now);
  }
  // Settles one entry after a read: forgotten when the read contradicts it and counts now,
  // marked confirmed when the read agrees. Returns the next position.
  template <class M>
  typename M::iterator Judge(M& m, typename M::iterator it, bool contradicts, bool settle) {
    if (contradicts && !it->second.confirmed) unconfirmed_contradicted = true;
    if (!settle) return std::next(it);
    if (contradicts) return m.erase(it);
    it->second.confirmed = true;
    return std::next(it);
  }
  bool Empty() const {
    return users_by_key.empty() && users_by_name.empty() && groups.empty() && schemes.empty() &&
           grants.empty() && members.empty() && project_schemes.empty() && applications.empty();
  }
};

class ReadAfterWriteClient final : public Client {
 public:
  ReadAfterWriteClient(std::shared_ptr<Client> inner, std::shared_ptr<const ReadAfterWriteConfig> config,
                       std::shared_ptr<Ledger> ledger, std::function<bool()> cancelled)
      : inner_(std::move(inner)),
        config_(std::move(config)),
        ledger_(std::move(ledger)),
        cancelled_(std::move(cancelled)) {}

  std::shared_ptr<Client> WithCancellation(std::function<bool()> cancelled) override {
    auto inner_view = inner_->WithCancellation(cancelled);
    std::function<bool()> combined = cancelled;
    if (cancelled_) {
      combined = [outer = cancelled_, inner = std::move(cancelled)] {
        return outer() || (inner && inner());
      };
    }
    return std::make_shared<ReadAfterWriteClient>(std::move(inner_view), config_, ledger_,
                                                  std::move(combined));
  }

  Result<ServerInfo> GetServerInfo() override { return inner_->GetServerInfo(); }
  Result<User> GetMyself() override { return inner_->GetMyself(); }
  Result<std::vector<Permission>> GetPermissions() override { return inner_->GetPermissions(); }

  // ---- users
  Result<User> CreateUser(const NewUser& user) override {
    auto r = inner_->CreateUser(user);
    if (r.ok()) {
      Ledger::UserExpectation e{r.value(), true};
      Record([&](Ledger& l, Clock::time_point now) {
        l.users_by_key[r->key] = {e, now};
        l.users_by_name[Fold(r->name)] = {e, now};
      });
    }
    return r;
  }
  Result<User> GetUserByName(std::string_view username, bool with_groups) override {
    const std::string name = Fold(username);
    return Read<User>(
        "user " + std::string(username), [&] { return inner_->GetUserByName(username, with_groups); },
        [&, name](Ledger& l, const Result<User>& r, bool settle) {
          bool stale = CheckUser(l, l.users_by_name, name, r, settle);
          return CheckUserGroups(l, r, name, with_groups, settle) || stale;
        });
  }
  Result<User> GetUserByKey(std::string_view key, bool with_groups) override {
    const std::string k(key);
    return Read<User>(
        "user key " + k, [&] { return inner_->GetUserByKey(key, with_groups); },
        [&, k](Ledger& l, const Result<User>& r, bool settle) {
          bool stale = CheckUser(l, l.users_by_key, k, r, settle);
          if (r.ok()) stale = CheckUserGroups(l, r, Fold(r->name), with_groups, settle) || stale;
          return stale;
        });
  }
  Result<User> UpdateUser(std::string_view key, const UserChanges& changes) override {
    auto r = inner_->UpdateUser(key, changes);
    if (r.ok()) {
      Ledger::UserExpectation e{r.value(), false};
      Record([&](Ledger& l, Clock::time_point now) {
        l.users_by_key[r->key] = {e, now};
        l.users_by_name[Fold(r->name)] = {e, now};
      });
    }
    return r;
  }
  Status SetPassword(std::string_view key, std::string_view password) override {
    return inner_->SetPassword(key, password);
  }
  Status DeleteUser(std::string_view key) override {
    auto r = inner_->DeleteUser(key);
    if (r.ok()) {
      Record([&](Ledger& l, Clock::time_point now) {
        l.users_by_key[std::string(key)] = {{std::nullopt, false}, now};
        for (auto& [name, entry] : l.users_by_name) {
          if (!entry.value.user || entry.value.user->key != key) continue;
          entry = {{std::nullopt, false}, now};
          // Its memberships went with it.
          for (auto m = l.members.begin(); m != l.members.end();) {
            m = m->first.second == name ? l.members.erase(m) : std::next(m);
          }
          for (auto a = l.applications.begin(); a != l.applications.end();) {
            a = a->first.first == name ? l.applications.erase(a) : std::next(a);
          }
        }
      });
    }
    return r;
  }
  Result<std::vector<User>> SearchUsers(std::string_view query, int start_at, int max_results,
                                        bool include_inactive) override {
    return inner_->SearchUsers(query, start_at, max_results, include_inactive);
  }

  // ---- application access. The user's own record is checked as by GetUserByKey, and the
  // applications this process gave or took away must show in the user's applications: a
  // lagging node answers the old access until it has replicated the change.
  Result<User> GetUserWithApplications(std::string_view key) override {
    const std::string k(key);
    return Read<User>(
        "user key " + k, [&] { return inner_->GetUserWithApplications(key); },
        [&, k](Ledger& l, const Result<User>& r, bool settle) {
          bool stale = CheckUser(l, l.users_by_key, k, r, settle);
          if (r.ok() && r->applications) {
            stale = CheckApplications(l, Fold(r->name), *r->applications, settle) || stale;
          }
          return stale;
        });
  }
  Status AddUserToApplication(std::string_view username, std::string_view application_key) override {
    auto r = inner_->AddUserToApplication(username, application_key);
    if (r.ok()) {
      Record([&](Ledger& l, Clock::time_point now) {
        l.applications[{Fold(username), std::string(application_key)}] = {true, now};
      });
    }
    return r;
  }
  Status RemoveUserFromApplication(std::string_view username,
                                   std::string_view application_key) override {
    auto r = inner_->RemoveUserFromApplication(username, application_key);
    if (r.ok()) {
      Record([&](Ledger& l, Clock::time_point now) {
        l.applications[{Fold(username), std::string(application_key)}] = {false, now};
      });
    }
    return r;
  }
  Result<std::vector<ApplicationRole>> ListApplicationRoles() override {
    return inner_->ListApplicationRoles();
  }
  Result<std::vector<ProjectRole>> ListProjectRoles() override { return inner_->ListProjectRoles(); }

  // ---- groups
  Result<Group> CreateGroup(std::string_view name) override {
    auto r = inner_->CreateGroup(name);
    if (r.ok()) {
      Record([&](Ledger& l, Clock::time_point now) { l.groups[Fold(r->name)] = {true, now}; });
    }
    return r;
  }
  Result<Group> GetGroup(std::string_view name) override {
    const std::string g = Fold(name);
    return Read<Group>("group " + std::string(name), [&] { return inner_->GetGroup(name); },
                       [g](Ledger& l, const Result<Group>& r, bool settle) {
                         return CheckGroup(l, g, r, settle);
                       });
  }
  Status DeleteGroup(std::string_view name, std::optional<std::string> swap_group) override {
    auto r = inner_->DeleteGroup(name, swap_group);
    if (r.ok()) {
      Record([&](Ledger& l, Clock::time_point now) {
        const std::string g = Fold(name);
        l.groups[g] = {false, now};
        for (auto it = l.members.begin(); it != l.members.end();) {
          it = it->first.first == g ? l.members.erase(it) : std::next(it);
        }
      });
    }
    return r;
  }
  Result<MembersPage> GetGroupMembersPage(std::string_view group, int64_t start_at,
                                          int max_results, bool include_inactive) override {
    const std::string g = Fold(group);
    return Read<MembersPage>(
        "members of group " + std::string(group),
        [&] { return inner_->GetGroupMembersPage(group, start_at, max_results, include_inactive); },
        [g](Ledger& l, const Result<MembersPage>& r, bool settle) {
          return CheckGroup(l, g, r, settle);
        });
  }
  Result<std::vector<User>> GetAllGroupMembers(std::string_view group,
                                               bool include_inactive) override {
    const std::string g = Fold(group);
    return Read<std::vector<User>>(
        "members of group " + std::string(group),
        [&] { return inner_->GetAllGroupMembers(group, include_inactive); },
        [g, include_inactive](Ledger& l, const Result<std::vector<User>>& r, bool settle) {
          bool stale = CheckGroup(l, g, r, settle);
          if (!r.ok()) return stale;
          std::set<std::string> names;
          for (const auto& u : r.value()) names.insert(Fold(u.name));
          for (auto it = l.members.begin(); it != l.members.end();) {
            if (it->first.first != g) {
              ++it;
              continue;
            }
            // An inactive member is missing from a list without inactive users: not stale.
            const bool listed = names.count(it->first.second) > 0;
            const bool contradicts = listed != it->second.value && (include_inactive || listed);
            stale = stale || contradicts;
            it = l.Judge(l.members, it, contradicts, settle);
          }
          return stale;
        });
  }
  Result<std::vector<std::string>> PickGroups(std::string_view query, int max_results) override {
    return inner_->PickGroups(query, max_results);
  }
  Status AddUserToGroup(std::string_view group, std::string_view username) override {
    auto r = inner_->AddUserToGroup(group, username);
    if (r.ok()) {
      Record([&](Ledger& l, Clock::time_point now) {
        l.members[{Fold(group), Fold(username)}] = {true, now};
      });
    }
    return r;
  }
  Status RemoveUserFromGroup(std::string_view group, std::string_view username) override {
    auto r = inner_->RemoveUserFromGroup(group, username);
    if (r.ok()) {
      Record([&](Ledger& l, Clock::time_point now) {
        l.members[{Fold(group), Fold(username)}] = {false, now};
      });
    }
    return r;
  }

  // ---- permission schemes
  Result<std::vector<PermissionScheme>> ListPermissionSchemes(bool with_grants) override {
    return Read<std::vector<PermissionScheme>>(
        "permission schemes", [&] { return inner_->ListPermissionSchemes(with_grants); },
        [](Ledger& l, const Result<std::vector<PermissionScheme>>& r, bool settle) {
          if (!r.ok()) return false;
          std::set<int64_t> ids;
          for (const auto& s : r.value()) ids.insert(s.id);
          bool stale = false;
          for (auto it = l.schemes.begin(); it != l.schemes.end();) {
            const bool contradicts = (ids.count(it->first) > 0) != it->second.value.exists;
            stale = stale || contradicts;
            // A list settles existence only; fields are left for the scheme's own read.
            if (contradicts || !it->second.value.exists) {
              it = l.Judge(l.schemes, it, contradicts, settle);
            } else {
              ++it;
            }
          }
          return stale;
        });
  }
  Result<PermissionScheme> CreatePermissionScheme(const PermissionScheme& scheme) override {
    auto r = inner_->CreatePermissionScheme(scheme);
    if (r.ok()) {
      Record([&](Ledger& l, Clock::time_point now) { l.schemes[r->id] = {{}, now}; });
    }
    return r;
  }
  Result<PermissionScheme> GetPermissionScheme(int64_t id) override {
    return Read<PermissionScheme>(
        "permission scheme " + std::to_string(id), [&] { return inner_->GetPermissionScheme(id); },
        [id](Ledger& l, const Result<PermissionScheme>& r, bool settle) {
          bool stale = CheckScheme(l, id, r.ok() ? &r.value() : nullptr, r, settle);
          if (r.ok()) stale = CheckGrantIds(l, id, r->grants, settle) || stale;
          return stale;
        });
  }
  Result<PermissionScheme> UpdatePermissionScheme(
      int64_t id, std::string_view name, std::string_view description,
      const std::optional<std::vector<PermissionGrant>>& grants) override {
    auto r = inner_->UpdatePermissionScheme(id, name, description, grants);
    if (r.ok()) {
      Record([&](Ledger& l, Clock::time_point now) {
        SchemeExpectation e;
        e.name = r->name;
        e.description = r->description;
        if (grants) {
          e.grants = GrantKeys(r->grants);
          // The grants were replaced: earlier grant ids are gone with them.
          for (auto it = l.grants.begin(); it != l.grants.end();) {
            it = it->first.first == id ? l.grants.erase(it) : std::next(it);
          }
        }
        l.schemes[id] = {e, now};
      });
    }
    return r;
  }
  Status DeletePermissionScheme(int64_t id) override {
    auto r = inner_->DeletePermissionScheme(id);
    if (r.ok()) {
      Record([&](Ledger& l, Clock::time_point now) {
        SchemeExpectation gone;
        gone.exists = false;
        l.schemes[id] = {gone, now};
        for (auto it = l.grants.begin(); it != l.grants.end();) {
          it = it->first.first == id ? l.grants.erase(it) : std::next(it);
        }
      });
    }
    return r;
  }
  Result<std::vector<PermissionGrant>> ListGrants(int64_t scheme_id) override {
    return Read<std::vector<PermissionGrant>>(
        "grants of permission scheme " + std::to_string(scheme_id),
        [&] { return inner_->ListGrants(scheme_id); },
        [scheme_id](Ledger& l, const Result<std::vector<PermissionGrant>>& r, bool settle) {
          bool stale = CheckScheme(l, scheme_id, nullptr, r, settle);
          if (r.ok()) stale = CheckGrantIds(l, scheme_id, r.value(), settle) || stale;
          return stale;
        });
  }
  Result<PermissionGrant> AddGrant(int64_t scheme_id, const PermissionGrant& grant) override {
    auto r = inner_->AddGrant(scheme_id, grant);
    if (r.ok()) {
      Record([&](Ledger& l, Clock::time_point now) { l.grants[{scheme_id, r->id}] = {true, now}; });
    }
    return r;
  }
  Result<PermissionGrant> GetGrant(int64_t scheme_id, int64_t grant_id) override {
    return Read<PermissionGrant>(
        "grant " + std::to_string(grant_id) + " of permission scheme " + std::to_string(scheme_id),
        [&] { return inner_->GetGrant(scheme_id, grant_id); },
        [scheme_id, grant_id](Ledger& l, const Result<PermissionGrant>& r, bool settle) {
          auto it = l.grants.find({scheme_id, grant_id});
          if (it == l.grants.end()) return false;
          if (!r.ok() && !IsNotFound(r.error())) return false;
          const bool stale = r.ok() != it->second.value;
          l.Judge(l.grants, it, stale, settle);
          return stale;
        });
  }
  Status DeleteGrant(int64_t scheme_id, int64_t grant_id) override {
    auto r = inner_->DeleteGrant(scheme_id, grant_id);
    if (r.ok()) {
      Record([&](Ledger& l, Clock::time_point now) { l.grants[{scheme_id, grant_id}] = {false, now}; });
    }
    return r;
  }
  Result<PermissionScheme> AssignSchemeToProject(std::string_view project_key_or_id,
                                                 int64_t scheme_id) override {
    auto r = inner_->AssignSchemeToProject(project_key_or_id, scheme_id);
    if (r.ok()) {
      Record([&](Ledger& l, Clock::time_point now) {
        l.project_schemes[Fold(project_key_or_id)] = {scheme_id, now};
      });
    }
    return r;
  }

  // ---- projects
  Result<Project> GetProject(std::string_view project_key_or_id) override {
    return inner_->GetProject(project_key_or_id);
  }
  Result<std::vector<Project>> ListProjects() override { return inner_->ListProjects(); }
  Result<PermissionScheme> GetProjectPermissionScheme(std::string_view project_key_or_id) override {
    const std::string p = Fold(project_key_or_id);
    return Read<PermissionScheme>(
        "permission scheme of project " + std::string(project_key_or_id),
        [&] { return inner_->GetProjectPermissionScheme(project_key_or_id); },
        [p](Ledger& l, const Result<PermissionScheme>& r, bool settle) {
          auto it = l.project_schemes.find(p);
          if (it == l.project_schemes.end()) return false;
          if (!r.ok() && !IsNotFound(r.error())) return false;
          const bool stale = !r.ok() || r->id != it->second.value;
          l.Judge(l.project_schemes, it, stale, settle);
          return stale;
        });
  }

 private:
  template <class F>
  void Record(F f) {
    std::lock_guard lock(ledger_->mu);
    f(*ledger_, Clock::now());
  }

  // Reads with `read` until `check(ledger, result, settle=false)` finds nothing stale or the
  // budget is spent; then `check(..., settle=true)` forgets what the answer confirmed (or,
  // when the budget ran out, what it contradicted: it counts now).
  template <class T, class ReadFn, class CheckFn>
  Result<T> Read(const std::string& what, ReadFn read, CheckFn check) {
    {
      std::lock_guard lock(ledger_->mu);
      ledger_->ExpireAll();
      if (ledger_->Empty()) return read();
    }
    const auto start = Clock::now();
    milliseconds delay = config_->first_delay;
    for (int attempt = 1;; ++attempt) {
      Result<T> r = read();
      bool stale;
      bool unconfirmed;
      {
        std::lock_guard lock(ledger_->mu);
        ledger_->unconfirmed_contradicted = false;
        stale = check(*ledger_, r, false);
        unconfirmed = ledger_->unconfirmed_contradicted;
      }
      // Writes a read already confirmed get a brief second look (two retries): what contradicts
      // them is more likely someone else's change than a lagging node.
      const bool brief_look_over = !unconfirmed && attempt > 2;
      const auto spent = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
      if (!stale || brief_look_over || spent + delay > config_->budget || Cancelled()) {
        std::lock_guard lock(ledger_->mu);
        check(*ledger_, r, true);
        if (stale && config_->log) {
          config_->log("read of " + what + " still disagrees with this process's write after " +
                       std::to_string(spent.count()) + " ms; taking it as it is");
        }
        return r;
      }
      if (config_->log) {
        config_->log("read of " + what + " is older than this process's write (attempt " +
                     std::to_string(attempt) + "); reading again in " +
                     std::to_string(delay.count()) + " ms");
      }
      if (config_->on_wait) config_->on_wait(delay);
      if (!Sleep(delay)) return r;
      delay = std::min(delay * 2, milliseconds(1000));
    }
  }

  bool Cancelled() const { return cancelled_ && cancelled_(); }
  bool Sleep(milliseconds delay) const {
    const auto until = Clock::now() + delay;
    for (;;) {
      if (Cancelled()) return false;
      const auto now = Clock::now();
      if (now >= until) return true;
      std::this_thread::sleep_for(std::min<Clock::duration>(until - now, milliseconds(20)));
    }
  }

  static bool CheckUser(Ledger& l, std::map<std::string, Entry<Ledger::UserExpectation>>& m,
                        const std::string& id, const Result<User>& r, bool settle) {
    auto it = m.find(id);
    if (it == m.end()) return false;
    if (!r.ok() && !IsNotFound(r.error())) return false;
    const auto& e = it->second.value;
    bool stale;
    if (!e.user) {
      stale = r.ok();  // deleted, yet still there
    } else if (!r.ok()) {
      stale = true;    // written, yet missing
    } else {
      stale = !e.exists_only && !SameUser(*e.user, r.value());
    }
    l.Judge(m, it, stale, settle);
    return stale;
  }

  // A user read with expand=groups against the memberships this process changed.
  // A user read against the memberships this process changed: a 404 of a user it added to a
  // group is stale; with expand=groups, so is a group list that disagrees.
  static bool CheckUserGroups(Ledger& l, const Result<User>& r, const std::string& user,
                              bool with_groups, bool settle) {
    if (!r.ok() && !IsNotFound(r.error())) return false;
    if (r.ok() && !with_groups) return false;
    std::set<std::string> groups;
    if (r.ok()) {
      for (const auto& g : r->groups) groups.insert(Fold(g));
    }
    bool stale = false;
    for (auto it = l.members.begin(); it != l.members.end();) {
      if (it->first.second != user) {
        ++it;
        continue;
      }
      // A user this process just put in or took out of a group exists.
      const bool contradicts = !r.ok() || (groups.count(it->first.first) > 0) != it->second.value;
      stale = stale || contradicts;
      it = l.Judge(l.members, it, contradicts, settle);
    }
    return stale;
  }

  // The applications `user` was read with against those this process gave or took away.
  static bool CheckApplications(Ledger& l, const std::string& user,
                                const std::vector<std::string>& applications, bool settle) {
    bool stale = false;
    for (auto it = l.applications.begin(); it != l.applications.end();) {
      if (it->first.first != user) {
        ++it;
        continue;
      }
      const bool has = std::find(applications.begin(), applications.end(), it->first.second) !=
                       applications.end();
      const bool contradicts = has != it->second.value;
      stale = stale || contradicts;
      it = l.Judge(l.applications, it, contradicts, settle);
    }
    return stale;
  }

  template <class T>
  static bool CheckGroup(Ledger& l, const std::string& group, const Result<T>& r, bool settle) {
    if (!r.ok() && !IsNotFound(r.error())) return false;
    bool stale = false;
    if (!r.ok()) {
      // A group this process just added someone to (or removed someone from) exists.
      for (auto m = l.members.begin(); m != l.members.end();) {
        if (m->first.first != group) {
          ++m;
          continue;
        }
        stale = true;
        m = l.Judge(l.members, m, true, settle);
      }
    }
    auto it = l.groups.find(group);
    if (it == l.groups.end()) return stale;
    const bool contradicts = r.ok() != it->second.value;
    l.Judge(l.groups, it, contradicts, settle);
    return stale || contradicts;
  }

  template <class T>
  static bool CheckScheme(Ledger& l, int64_t id, const PermissionScheme* full, const Result<T>& r,
                          bool settle) {
    if (!r.ok() && !IsNotFound(r.error())) return false;
    bool granted = false;  // a scheme this process just added or removed grants in exists
    for (auto g = l.grants.lower_bound({id, std::numeric_limits<int64_t>::min()});
         g != l.grants.end() && g->first.first == id;) {
      if (r.ok()) {
        ++g;  // CheckGrantIds compares them with the answer
        continue;
      }
      granted = true;
      g = l.Judge(l.grants, g, true, settle);
    }
    auto it = l.schemes.find(id);
    if (it == l.schemes.end()) return !r.ok() && granted;
    const SchemeExpectation& e = it->second.value;
    bool stale = r.ok() != e.exists;
    if (!stale && full) {
      if (e.name && *e.name != full->name) stale = true;
      if (e.description && *e.description != full->description) stale = true;
      if (e.grants && *e.grants != GrantKeys(full->grants)) stale = true;
    }
    if (!stale && !full && e.grants && r.ok()) {
      if constexpr (std::is_same_v<T, std::vector<PermissionGrant>>) {
        if (*e.grants != GrantKeys(r.value())) stale = true;
      }
    }
    // A list of grants cannot confirm a name or description: those wait for the scheme's read.
    const bool confirmed_all = full || (!e.name && !e.description);
    if (stale || confirmed_all || !e.exists) l.Judge(l.schemes, it, stale, settle);
    return stale || (!r.ok() && granted);
  }

  static bool CheckGrantIds(Ledger& l, int64_t scheme, const std::vector<PermissionGrant>& grants,
                            bool settle) {
    std::set<int64_t> ids;
    for (const auto& g : grants) ids.insert(g.id);
    bool stale = false;
    for (auto it = l.grants.lower_bound({scheme, std::numeric_limits<int64_t>::min()});
         it != l.grants.end() && it->first.first == scheme;) {
      const bool contradicts = (ids.count(it->first.second) > 0) != it->second.value;
      stale = stale || contradicts;
      it = l.Judge(l.grants, it, contradicts, settle);
    }
    return stale;
  }

  std::shared_ptr<Client> inner_;
  std::shared_ptr<const ReadAfterWriteConfig> config_;
  std::shared_ptr<Ledger> ledger_;
  std::function<bool()> cancelled_;
};

}  // namespace

std::shared_ptr<Client> WithReadAfterWrite(std::shared_ptr<Client> inner,
                                           ReadAfterWriteConfig config) {
  if (config.budget <= milliseconds::zero()) return inner;
  std::shared_ptr<Ledger> ledger;
  if (config.shared_key.empty()) {
    ledger = std::make_shared<Ledger>();
  } else {
    static std::mutex mu;
    static std::map<std::string, std::shared_ptr<Ledger>> ledgers;  // entries expire inside
    std::lock_guard lock(mu);
    auto& slot = ledgers[config.shared_key];
    if (!slot) slot = std::make_shared<Ledger>();
    ledger = slot;
  }
  {
    std::lock_guard lock(ledger->mu);
    ledger->window = config.window;
  }
  return std::make_shared<ReadAfterWriteClient>(
      std::move(inner), std::make_shared<const ReadAfterWriteConfig>(std::move(config)),
      std::move(ledger), nullptr);
}

Result<std::shared_ptr<Client>> NewClient(ClientConfig config) {
  ReadAfterWriteConfig raw;
  raw.log = config.log;
  raw.shared_key = config.base_url;
  auto client = NewBeastClient(std::move(config));
  if (!client.ok()) return client.error();
  return WithReadAfterWrite(std::move(client).value(), std::move(raw));
}

}  // namespace jira
