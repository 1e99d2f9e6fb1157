// Application access: the user/application resources, application roles and licence seats.
#include <algorithm>

#include "acceptance_tests/emulator/applications.h"
#include "acceptance_tests/emulator/responses.h"
#include "acceptance_tests/emulator/router.h"
#include "acceptance_tests/emulator/router_context.h"

namespace emulator {

std::vector<const Application*> Router::ApplicationsOf(const User& u) {
  std::vector<const Application*> out;
  for (const auto& app : Applications()) {
    if (store_.IsEffectiveMember(app.default_group, u.key, options_.nested_groups)) {
      out.push_back(&app);
    }
  }
  return out;
}

std::map<std::string, int64_t> Router::SeatUsage() {
  std::map<std::string, int64_t> usage;
  for (const auto& app : Applications()) usage[app.key] = 0;
  for (const auto& [key, u] : store_.users) {
    if (!u.active) continue;  // inactive users hold no seat
    for (const Application* app : ApplicationsOf(u)) ++usage[app->key];
  }
  return usage;
}

const Application* Router::OverSeats(const std::map<std::string, int64_t>& before) {
  auto after = SeatUsage();
  for (const auto& app : Applications()) {
    auto seats = options_.seats.find(app.key);
    if (seats == options_.seats.end()) continue;
    int64_t was = before.count(app.key) ? before.at(app.key) : 0;
    if (after[app.key] > was && after[app.key] > seats->second) return &app;
  }
  return nullptr;
}

Response Router::SeatsExceeded(const Ctx& c, const Application& app) {
  // [INF] Status 400 with one error message, as the group service's licence check answers
  // (jira-api.md §2.7 "licence limit"); the wording is our own.
  return ErrorCollection(
      400, {c.T("application.seats.exceeded", {app.name, std::to_string(options_.seats.at(app.key))})});
}

nlohmann::json Router::ApplicationRoleJson(const Application& app) {
  // ApplicationRoleBean as the REST reference's example shows it (GET /applicationrole,
  // Jira 7.0+); -1 seats mean unlimited. [DOC]
  int64_t used = SeatUsage()[app.key];
  auto seats = options_.seats.find(app.key);
  const bool unlimited = seats == options_.seats.end();
  const int64_t total = unlimited ? -1 : seats->second;
  return {{"key", app.key},
          {"groups", {app.default_group}},
          {"name", app.name},
          {"defaultGroups", {app.default_group}},
          {"selectedByDefault", app.selected_by_default},
          {"defined", true},
          {"numberOfSeats", total},
          {"remainingSeats", unlimited ? -1 : std::max<int64_t>(0, total - used)},
          {"userCount", used},
          {"userCountDescription", std::to_string(used) + " users"},
          {"hasUnlimitedSeats", unlimited},
          // [INF] Jira Core is taken to be the platform application.
          {"platform", std::string_view(app.key) == "jira-core"}};
}

Response Router::ListApplicationRoles(Ctx&) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& app : Applications()) out.push_back(ApplicationRoleJson(app));
  return JsonResponse(200, out);
}

Response Router::GetApplicationRole(Ctx& c) {
  const Application* app = FindApplication(c.params[0]);
  if (!app) return ErrorCollection(404, {c.T("application.role.not.found", {c.params[0]})});
  return JsonResponse(200, ApplicationRoleJson(*app));
}

// POST /user/application?username=&applicationKey= ("Add user to application", experimental,
// REST reference 7.0+): the user joins the application's default group. Status codes are
// [OBS/INF]: 200 with no body; 400 for an unknown user or application and when the licence
// has no seat left.
Response Router::AddUserToApplication(Ctx& c) {
  std::string username = c.Param("username");
  User* u = store_.FindUserByName(username);
  if (!u) return ErrorCollection(400, {c.T("user.not.found", {username})});
  std::string key = c.Param("applicationKey");
  const Application* app = FindApplication(key);
  if (!app) return ErrorCollection(400, {c.T("application.unknown", {key})});
  auto before = SeatUsage();
  Group* g = store_.FindGroup(app->default_group);
  if (!g) return ErrorCollection(400, {c.T("group.not.found", {app->default_group})});
  if (!g->member_keys.insert(u->key).second) return EmptyResponse(200);  // already there
  if (const Application* over = OverSeats(before)) {
    g->member_keys.erase(u->key);
    return SeatsExceeded(c, *over);
  }
  return EmptyResponse(200);
}

// DELETE /user/application?username=&applicationKey= ("Remove user from application"): the
// user leaves the application's group. [OBS/INF] 204; 400 for an unknown user or application.
Response Router::RemoveUserFromApplication(Ctx& c) {
  std::string username = c.Param("username");
  User* u = store_.FindUserByName(username);
  if (!u) return ErrorCollection(400, {c.T("user.not.found", {username})});
  std::string key = c.Param("applicationKey");
  const Application* app = FindApplication(key);
  if (!app) return ErrorCollection(400, {c.T("application.unknown", {key})});
  if (Group* g = store_.FindGroup(app->default_group)) g->member_keys.erase(u->key);
  return EmptyResponse(204);
}

}  // namespace emulator
