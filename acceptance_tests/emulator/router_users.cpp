// Server info, myself, permissions and the /user resources.
#include <algorithm>
#include <ctime>

#include "acceptance_tests/emulator/applications.h"
#include "acceptance_tests/emulator/permission_catalog.h"
#include "acceptance_tests/emulator/responses.h"
#include "acceptance_tests/emulator/router.h"
#include "acceptance_tests/emulator/router_context.h"

namespace emulator {

namespace {

constexpr size_t kMaxLength = 255;

// OpenSymphony TextUtils.verifyEmail is loose: something@something, no spaces. [SRC]
bool LooksLikeEmail(const std::string& e) {
  size_t at = e.find('@');
  return at != std::string::npos && at > 0 && at + 1 < e.size() &&
         e.find('@', at + 1) == std::string::npos && e.find(' ') == std::string::npos;
}

// A JSON string field, or nullopt when absent/null; non-strings are rendered as text.
std::optional<std::string> StringField(const nlohmann::json& body, const char* name) {
  if (!body.is_object() || !body.contains(name) || body[name].is_null()) return std::nullopt;
  const auto& v = body[name];
  return v.is_string() ? v.get<std::string>() : v.dump();
}

// The message id of what is wrong with a username, or "" when it is acceptable.
const char* UsernameError(const std::string& name) {
  if (name.empty()) return "user.name.empty";
  if (name.find_first_of("<>&") != std::string::npos) return "user.name.chars";
  if (name.size() > kMaxLength) return "user.name.length";
  return "";
}

std::string NowIso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S.000+0000", &tm);
  return buf;
}

}  // namespace

std::optional<std::string> Router::VisibleEmail(const Ctx& c, const User& u) {
  // Every user representation (user, myself, search, group members) formats the address with
  // EmailFormatter.formatEmail(address, loggedInUser); a null result leaves `emailAddress` out
  // of the JSON. [SRC 6.x UserBeanBuilder / EmailFormatterImpl]
  if (options_.admins_see_email && c.caller && IsAdmin(c.caller->key)) return u.email;
  switch (options_.email_visibility) {
    case EmailVisibility::kPublic:
      return u.email;
    case EmailVisibility::kLoggedIn:
      if (c.caller) return u.email;
      return std::nullopt;
    case EmailVisibility::kHidden:
      return std::nullopt;
    case EmailVisibility::kMasked: {
      // Every '@' becomes " at " and every '.' becomes " dot ", the local part included.
      std::string masked;
      for (char ch : u.email) {
        if (ch == '@') masked += " at ";
        else if (ch == '.') masked += " dot ";
        else masked.push_back(ch);
      }
      return masked;
    }
  }
  return std::nullopt;
}

nlohmann::json Router::UserJson(const Ctx& c, const User& u, bool full, bool with_groups) {
  std::string avatar = c.base + "/secure/useravatar?ownerId=" + UrlEncode(u.key);
  nlohmann::json j = {
      {"self", c.Api() + "/user?username=" + UrlEncode(u.name)},
      {"key", u.key},
      {"name", u.name},
      {"avatarUrls",
       {{"48x48", avatar}, {"24x24", avatar + "&size=small"}, {"16x16", avatar + "&size=xsmall"},
        {"32x32", avatar + "&size=medium"}}},
      {"displayName", u.display_name},
      {"active", u.active},
      {"deleted", false},
      {"timeZone", "Etc/UTC"},
      {"locale", LocaleOf(u.language.value_or(options_.language))},
  };
  if (auto email = VisibleEmail(c, u)) j["emailAddress"] = *email;
  if (!full) return j;
  // Effective groups: with nested groups on, also the groups reached through another group
  // (GroupManager.getGroupNamesForUser follows nesting). [INF from SRC; jira-api.md §1.2]
  auto groups = store_.GroupsOf(u.key, options_.nested_groups);
  nlohmann::json items = nlohmann::json::array();
  if (with_groups) {
    for (const Group* g : groups) {
      items.push_back({{"name", g->name}, {"self", c.Api() + "/group?groupname=" + UrlEncode(g->name)}});
    }
  }
  j["groups"] = {{"size", groups.size()}, {"items", items}};
  // With expand=applicationRoles, items are {key, name} ("How to Retrieve Application Access
  // of a User in Jira", Atlassian KB); without it only `size` is filled.
  auto apps = ApplicationsOf(u);
  nlohmann::json roles = nlohmann::json::array();
  if (c.Param("expand").find("applicationRoles") != std::string::npos) {
    for (const Application* a : apps) roles.push_back({{"key", a->key}, {"name", a->name}});
  }
  j["applicationRoles"] = {{"size", apps.size()}, {"items", roles}};
  j["expand"] = "groups,applicationRoles";
  return j;
}

Response Router::ServerInfo(Ctx& c) {
  int build = version_[0] * 100000 + version_[1] * 1000 + version_[2];
  return JsonResponse(200, {{"baseUrl", c.base},
                            {"version", options_.version},
                            {"versionNumbers", {version_[0], version_[1], version_[2]}},
                            {"deploymentType", options_.deployment_type},
                            {"buildNumber", build},
                            {"buildDate", "2024-01-15T00:00:00.000+0000"},
                            {"serverTime", NowIso()},
                            {"scmInfo", "0123456789abcdef0123456789abcdef01234567"},
                            {"serverTitle", "Jira"}});
}

Response Router::Myself(Ctx& c) {
  bool groups = c.Param("expand").find("groups") != std::string::npos;
  return JsonResponse(200, UserJson(c, *c.caller, true, groups));
}

Response Router::Permissions(Ctx&) {
  nlohmann::json perms = nlohmann::json::object();
  for (const auto& p : AllPermissions()) {
    perms[p.key] = {{"key", p.key}, {"name", p.name}, {"type", p.type},
                    {"description", p.description}};
  }
  return JsonResponse(200, {{"permissions", perms}});
}

User* Router::ResolveUserParam(Ctx& c, Response* error) {
  const std::string* username = c.query.Get("username");
  const std::string* key = c.query.Get("key");
  if (username && username->empty()) username = nullptr;
  if (key && key->empty()) key = nullptr;
  if (username && key) {
    // [INF] Jira rejects both with 400; the message text is not documented.
    *error = ErrorCollection(400, {c.T("user.name.and.key")});
    return nullptr;
  }
  if (!username && !key) {
    // Really 404, not 400, in Jira. [SRC] The message is [INF].
    *error = ErrorCollection(404, {c.T("user.not.found", {""})});
    return nullptr;
  }
  User* u = username ? store_.FindUserByName(*username) : store_.FindUserByKey(*key);
  if (!u) {
    *error = ErrorCollection(
        404, {username ? c.T("user.not.found", {*username})
                       // [INF] "a similar message naming the key".
                       : c.T("user.key.not.found", {*key})});
  }
  return u;
}

Response Router::CreateUser(Ctx& c) {
  if (!c.body.is_object()) return ErrorCollection(400, {c.T("request.body.not.object")});
  std::map<std::string, std::string> errors;
  std::string name = StringField(c.body, "name").value_or("");
  std::string email = StringField(c.body, "emailAddress").value_or("");
  std::string display = StringField(c.body, "displayName").value_or("");
  std::string password = StringField(c.body, "password").value_or("");

  if (std::string e = UsernameError(name); !e.empty()) {
    errors["username"] = c.T(e);
  } else if (store_.FindUserByName(name)) {
    errors["username"] = c.T("user.exists");
  }
  if (email.empty()) {
    errors["email"] = c.T("user.email.empty");
  } else if (email.size() > kMaxLength) {
    errors["email"] = c.T("user.email.length");
  } else if (!LooksLikeEmail(email)) {
    errors["email"] = c.T("user.email.invalid");
  }
  if (display.empty()) {
    errors["fullname"] = c.T("user.fullname.empty");
  } else if (display.size() > kMaxLength) {
    errors["fullname"] = c.T("user.fullname.length");
  }
  // Application access: omitted = the applications selected by default (jira-software);
  // given = exactly those. [DOC: UserResource createUser `applicationKeys`]
  const bool explicit_keys = c.body.contains("applicationKeys") && c.body["applicationKeys"].is_array();
  std::vector<const Application*> apps;
  if (explicit_keys) {
    for (const auto& k : c.body["applicationKeys"]) {
      std::string key = k.is_string() ? k.get<std::string>() : k.dump();
      const Application* app = FindApplication(key);
      // [INF] Unknown application keys are rejected; the wording is a guess.
      if (!app) return ErrorCollection(400, {c.T("application.unknown", {key})});
      apps.push_back(app);
    }
  } else {
    for (const auto& a : Applications()) {
      if (a.selected_by_default) apps.push_back(&a);
    }
  }
  if (!errors.empty()) return ErrorCollection(400, {}, errors);
  // A new active user takes one seat of every application granted. Asked-for access beyond
  // the licence is refused with a 400 [INF: jira-api.md §1.3 "creation with application
  // access fails with 400 and a licence message"]; default access that no longer fits is
  // left out, as the admin UI creates such users without access [INF].
  const bool will_be_active = !(c.body.contains("active") && c.body["active"].is_boolean() &&
                                !c.body["active"].get<bool>());
  if (will_be_active) {
    auto usage = SeatUsage();
    std::vector<const Application*> granted;
    for (const Application* app : apps) {
      auto seats = options_.seats.find(app->key);
      if (seats == options_.seats.end() || usage[app->key] < seats->second) {
        granted.push_back(app);
      } else if (explicit_keys) {
        return SeatsExceeded(c, *app);
      }
    }
    apps = granted;
  }

  User u;
  u.name = name;
  u.email = email;
  u.display_name = display;
  // No password: Jira generates a random one nobody knows.
  u.password = password.empty() ? "\x01generated-" + std::to_string(store_.next_user_id) : password;
  // [INF] `active: false` on create is honoured.
  if (c.body.contains("active") && c.body["active"].is_boolean()) u.active = c.body["active"].get<bool>();
  User& added = store_.AddUser(u, EffectiveKeyStyle(options_));
  for (const Application* app : apps) {
    if (Group* group = store_.FindGroup(app->default_group)) group->member_keys.insert(added.key);
  }
  nlohmann::json j = UserJson(c, added, true, false);
  Response r = JsonResponse(201, j);
  r.SetHeader("Location", j["self"].get<std::string>());
  return r;
}

Response Router::GetUser(Ctx& c) {
  Response error;
  User* u = ResolveUserParam(c, &error);
  if (!u) return error;
  bool groups = c.Param("expand").find("groups") != std::string::npos;
  return JsonResponse(200, UserJson(c, *u, true, groups));
}

Response Router::UpdateUser(Ctx& c) {
  Response error;
  User* u = ResolveUserParam(c, &error);
  if (!u) return error;
  if (!c.body.is_object()) return ErrorCollection(400, {c.T("request.body.not.object")});
  auto name = StringField(c.body, "name");
  auto email = StringField(c.body, "emailAddress");
  auto display = StringField(c.body, "displayName");
  // Before 8.3 REST ignored `active`. (Two plain bools, not std::optional<bool>: GCC 12
  // reports the optional as maybe-uninitialized under -O2.)
  const bool has_active =
      c.body.contains("active") && c.body["active"].is_boolean() && VersionAtLeast(8, 3);
  const bool active = has_active && c.body["active"].get<bool>();
  if (!name && !email && !display && !has_active) {
    return ErrorCollection(400, {"error.no.value.found.to.be.changed"});
  }
  std::map<std::string, std::string> errors;
  if (name) {
    if (std::string e = UsernameError(*name); !e.empty()) {
      errors["username"] = c.T(e);
    } else if (!SameName(*name, u->name) && store_.FindUserByName(*name)) {
      // A case-only rename compares equal and skips this check. [SRC]
      errors["username"] = c.T("user.exists");
    }
  }
  if (email) {
    if (email->empty()) errors["email"] = c.T("user.email.empty");
    else if (email->size() > kMaxLength) errors["email"] = c.T("user.email.length");
    else if (!LooksLikeEmail(*email)) errors["email"] = c.T("user.email.invalid");
  }
  if (display) {
    if (display->empty()) errors["fullname"] = c.T("user.fullname.empty");
    else if (display->size() > kMaxLength) errors["fullname"] = c.T("user.fullname.length");
  }
  if (has_active && !active) {
    if (u->key == c.caller->key) {
      // [INF] wording of the self-deactivation error.
      errors["active"] = c.T("user.deactivate.self");
    } else {
      std::vector<std::string> led;
      for (const auto& [id, p] : store_.projects) {
        if (p.lead_key == u->key) led.push_back(p.key);
      }
      if (!led.empty()) {
        std::string list;
        for (const auto& k : led) list += (list.empty() ? "" : ", ") + k;
        // [INF] wording; Jira names the projects the user leads.
        errors["active"] = c.T("user.deactivate.lead", {u->name, list});
      }
    }
  }
  if (!errors.empty()) return ErrorCollection(400, {}, errors);

  if (name && *name != u->name) {
    // Case-only renames change the displayed case too [INF]; the key never changes.
    store_.user_index.erase(NameKey(u->name));
    u->name = *name;
    store_.user_index[NameKey(u->name)] = u->key;
  }
  if (email) u->email = *email;
  if (display) u->display_name = *display;
  if (has_active) u->active = active;
  return JsonResponse(200, UserJson(c, *u, true, false));
}

Response Router::ChangePassword(Ctx& c) {
  Response error;
  User* u = ResolveUserParam(c, &error);
  if (!u) return error;
  auto password = StringField(c.body, "password");
  if (!password || password->empty()) {
    return ErrorCollection(400, {}, {{"password", "error.password.cannot.be.empty"}});
  }
  u->password = *password;
  return EmptyResponse(204);
}

Response Router::DeleteUser(Ctx& c) {
  Response error;
  User* u = ResolveUserParam(c, &error);
  if (!u) return error;
  if (u->key == c.caller->key) {
    return ErrorCollection(400, {c.T("user.delete.self")});
  }
  // One error message per reason, in DefaultUserService.validateDeleteUserReferences' order:
  // reported issues, assigned issues, comments, led projects; any of them makes a 400.
  // [SRC 6.x/7.x order and i18n keys admin.errors.users.cannot.delete.due.to.*; INF wording]
  std::vector<std::string> refusals;
  if (u->reported_issues > 0) {
    refusals.push_back(c.T("user.delete.reported", {u->name, std::to_string(u->reported_issues)}));
  }
  if (u->assigned_issues > 0) {
    refusals.push_back(c.T("user.delete.assigned", {u->name, std::to_string(u->assigned_issues)}));
  }
  if (u->comments > 0) {
    refusals.push_back(c.T("user.delete.commented", {u->name, std::to_string(u->comments)}));
  }
  int led = 0;
  for (const auto& [id, p] : store_.projects) led += p.lead_key == u->key ? 1 : 0;
  if (led > 0) refusals.push_back(c.T("user.delete.lead", {u->name, std::to_string(led)}));
  if (!refusals.empty()) return ErrorCollection(400, refusals);
  for (auto& [lower, g] : store_.groups) g.member_keys.erase(u->key);
  // [INF] Jira drops the user's scheme entries with the user.
  for (auto& [id, s] : store_.schemes) {
    std::erase_if(s.grants, [&](const Grant& g) {
      return g.holder_type == "user" && g.holder_parameter == u->key;
    });
  }
  store_.failed_logins.erase(u->key);
  store_.user_index.erase(NameKey(u->name));
  store_.users.erase(u->key);
  return EmptyResponse(204);
}

Response Router::SearchUsers(Ctx& c) {
  const std::string* q = c.query.Get("username");
  if (!q) {
    // [INF] wording.
    return ErrorCollection(400, {c.T("user.search.no.username")});
  }
  int cap = options_.user_search_cap > 0 ? options_.user_search_cap
                                         : (version_[0] >= 10 ? 100 : 1000);
  const int start = static_cast<int>(c.IntParam("startAt", 0, 0, 1 << 30));
  const int max = static_cast<int>(c.IntParam("maxResults", 50, 0, cap));
  bool include_active = c.BoolParam("includeActive", true);
  bool include_inactive = c.BoolParam("includeInactive", false);
  // [INF] Matching: case-insensitive substring of username, display name or e-mail; "." and
  // "%" (and an empty query) match everyone, as clients rely on.
  std::string needle = NameKey(*q);
  bool all = needle.empty() || needle == "." || needle == "%" || needle == "*";
  std::vector<const User*> found;
  for (const auto& [lower, key] : store_.user_index) {  // sorted by lower-cased name
    const User& u = store_.users.at(key);
    if (u.active ? !include_active : !include_inactive) continue;
    if (all || NameKey(u.name).find(needle) != std::string::npos ||
        NameKey(u.display_name).find(needle) != std::string::npos ||
        NameKey(u.email).find(needle) != std::string::npos) {
      found.push_back(&u);
    }
  }
  nlohmann::json out = nlohmann::json::array();
  int limit = start + max;
  if (version_[0] >= 10) limit = std::min(limit, cap);  // DC 10: only the first 100 results
  for (int i = start; i < limit && i < static_cast<int>(found.size()); ++i) {
    out.push_back(UserJson(c, *found[static_cast<size_t>(i)], false, false));
  }
  return JsonResponse(200, out);
}

}  // namespace emulator
