// The emulator's brain: a pure function from an HTTP request to an HTTP response over the
// in-memory Store (no sockets). It authenticates, applies injected faults and rate limits,
// dispatches to the Jira REST v2 handlers, counts requests per route and persists the state.
// Thread-safe: every request runs under one mutex, which is plenty for a test double.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "acceptance_tests/emulator/cluster.h"
#include "acceptance_tests/emulator/http_message.h"
#include "acceptance_tests/emulator/options.h"
#include "acceptance_tests/emulator/store.h"

namespace emulator {

struct Application;  // applications.h

class Router {
 public:
  // Loads options.state_file when it exists; throws std::runtime_error if it is corrupt.
  explicit Router(Options options);

  Response Handle(const Request& request);

  // {"total": N, "requests": {"POST /rest/api/2/user": n, ...}, "faults": {"429": n, ...},
  //  "first_request_at": T, "last_answer_at": T, "longest_pause_s": S, "requests_before_pause": N}:
  //  T in seconds since the Unix epoch (system clock, fractional), when the first request
  //  outside /_emulator was received and the last one answered (null before any); S the
  //  longest time between answering one such request and receiving the next (0 before two),
  //  and N how many had been answered before that pause.
  nlohmann::json Stats() const;
  // Zeroes the counters and the first/last times (not the store nor the rate-limit buckets),
  // so that Stats() then describes what came after.
  void ClearStats();
  void SetFaults(const Faults& faults);
  Faults GetFaults() const;
  // Back to the seeded state (also on disk); clears stats, counters and rate-limit buckets.
  void Reset();
  // Runs `f` on the store under the lock (tests use it to inspect or arrange state).
  void WithStore(const std::function<void(Store&)>& f);
  const Options& options() const { return options_; }
  // Finishes every pending replication now: each cluster node sees the database's current
  // state and no stale read is pending. For a test's observer, who reads "the database".
  void Replicate();

 private:
  enum class AuthStyle { kAnonymous, kErrorCollection, kStatusEntity };
  struct Ctx;
  using Handler = Response (Router::*)(Ctx&);
  struct Route {
    const char* method;
    const char* pattern;  // below /rest/api/2, e.g. "permissionscheme/{id}"
    AuthStyle auth;
    Handler handler;
    bool admin_only;
  };
  struct Bucket {
    double tokens = 0;
    std::chrono::steady_clock::time_point last;  // start of the bucket's first interval
    int64_t batches = 0;                         // refill batches added so far
  };

  static const std::vector<Route>& Routes();
  Response HandleEmulator(const Request& request, const std::string& path);
  Response HandleRest(const Request& request, const std::string& path, const std::string& query);
  std::chrono::steady_clock::time_point Now() const;
  // Returns the injected fault kind for this request, or "" for none.
  std::string PickFault(const std::string& method);
  void Persist();
  // Under mu_: notes a request outside /_emulator received at `received` as answered now.
  void NoteAnswered(double received);
  // The counters and times ClearStats and Reset zero; mu_ is held.
  void ClearStatsLocked();
  // Whether --stale-reads plays this GET on a lagging node (reads of users, groups, schemes).
  static bool StaleEligible(const Route& route);

  // ---- handlers (router_*.cpp)
  Response ServerInfo(Ctx& c);
  Response Myself(Ctx& c);
  Response Permissions(Ctx& c);
  Response CreateUser(Ctx& c);
  Response GetUser(Ctx& c);
  Response UpdateUser(Ctx& c);
  Response ChangePassword(Ctx& c);
  Response DeleteUser(Ctx& c);
  Response SearchUsers(Ctx& c);
  Response CreateGroup(Ctx& c);
  Response GetGroup(Ctx& c);
  Response DeleteGroup(Ctx& c);
  Response GroupMembers(Ctx& c);
  Response GroupPicker(Ctx& c);
  Response AddToGroup(Ctx& c);
  Response RemoveFromGroup(Ctx& c);
  Response ListSchemes(Ctx& c);
  Response CreateScheme(Ctx& c);
  Response GetScheme(Ctx& c);
  Response UpdateScheme(Ctx& c);
  Response DeleteScheme(Ctx& c);
  Response ListGrants(Ctx& c);
  Response AddGrant(Ctx& c);
  Response GetGrant(Ctx& c);
  Response DeleteGrant(Ctx& c);
  Response GetProjectScheme(Ctx& c);
  Response AddUserToApplication(Ctx& c);
  Response RemoveUserFromApplication(Ctx& c);
  Response ListApplicationRoles(Ctx& c);
  Response GetApplicationRole(Ctx& c);
  Response ListProjectRoles(Ctx& c);
  Response AssignProjectScheme(Ctx& c);
  Response ListProjects(Ctx& c);
  Response CreateProject(Ctx& c);
  Response GetProject(Ctx& c);
  Response DeleteProject(Ctx& c);

  // ---- shared helpers
  // Finds a user from ?username= or ?key=, answering 400/404 like GET /user does.
  User* ResolveUserParam(Ctx& c, Response* error);
  nlohmann::json UserJson(const Ctx& c, const User& u, bool full, bool with_groups);
  // The user's address as the caller may see it, or nullopt when it is hidden from them.
  std::optional<std::string> VisibleEmail(const Ctx& c, const User& u);
  nlohmann::json GroupJson(const Ctx& c, const Group& g);
  nlohmann::json SchemeJson(const Ctx& c, const Scheme& s, bool with_grants,
                            const std::string& expand);
  nlohmann::json GrantJson(const Ctx& c, int64_t scheme_id, const Grant& g,
                           const std::string& expand);
  // Validates grants from a request body; appends messages to `errors`.
  bool ParseGrants(const Ctx& c, const nlohmann::json& list, std::vector<Grant>* out,
                   std::vector<std::string>* errors);
  bool ParseGrant(const Ctx& c, const nlohmann::json& item, Grant* out,
                  std::vector<std::string>* errors);
  bool IsAdmin(const std::string& user_key);
  // ---- application access (router_applications.cpp)
  // The applications the user has: an effective member of the application's group.
  std::vector<const Application*> ApplicationsOf(const User& u);
  // Active users holding each application, by application key.
  std::map<std::string, int64_t> SeatUsage();
  // The first application whose use grew past its seats since `before`, or nullptr.
  const Application* OverSeats(const std::map<std::string, int64_t>& before);
  Response SeatsExceeded(const Ctx& c, const Application& app);
  nlohmann::json ApplicationRoleJson(const Application& app);
  // Project JSON as GET /project/{key} (full) or GET /project (list item) gives it.
  nlohmann::json ProjectJson(const Ctx& c, const Project& p, bool full);
  // Whether the caller (nullptr = anonymous) may view the project under its scheme.
  bool CanBrowse(const User* caller, const Project& p);
  bool VersionAtLeast(int major, int minor) const;

  Options options_;
  std::vector<int> version_;
  mutable std::mutex mu_;
  Store store_;
  std::mt19937_64 rng_;
  int fault_cursor_ = 0;  // cycles through kinds for fail_next
  std::map<std::string, Bucket> buckets_;  // rate-limit bucket per user key ("" = anonymous)
  std::map<std::string, int64_t> stats_;
  std::map<std::string, int64_t> fault_stats_;
  int64_t total_ = 0;
  double first_request_at_ = 0;  // seconds since the epoch; 0 = none yet
  double last_answer_at_ = 0;
  double longest_pause_s_ = 0;
  int64_t requests_before_pause_ = 0;
  int64_t request_seq_ = 0;
  bool stale_pending_ = false;  // a write happened; the next eligible GET reads "stale"
  std::shared_ptr<const Store> stale_before_;  // the state before the pending writes
  std::chrono::steady_clock::time_point stale_last_write_;  // the last of the pending writes
  Cluster cluster_;             // --nodes; inactive with one node
  int node_ = 0;                // the cluster node serving the current request
};

}  // namespace emulator
