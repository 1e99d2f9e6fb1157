// Server info, myself, permissions and the /user resources.
#include <algorithm>
#include <ctime>

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

std::string UsernameError(const std::string& name) {
  if (name.empty()) return "You must specify a username.";
  if (name.find_first_of("<>&") != std::string::npos) {
    return "The username must not contain '<', '>' or '&'.";
  }
  if (name.size() > kMaxLength) return "The username must not exceed 255 characters in length.";
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

nlohmann::json Router::UserJson(const Ctx& c, const User& u, bool full, bool with_groups) {
  std::string avatar = c.base + "/secure/useravatar?ownerId=" + UrlEncode(u.key);
  nlohmann::json j = {
      {"self", c.Api() + "/user?username=" + UrlEncode(u.name)},
      {"key", u.key},
      {"name", u.name},
      {"emailAddress", u.email},
      {"avatarUrls",
       {{"48x48", avatar}, {"24x24", avatar + "&size=small"}, {"16x16", avatar + "&size=xsmall"},
        {"32x32", avatar + "&size=medium"}}},
      {"displayName", u.display_name},
      {"active", u.active},
      {"deleted", false},
      {"timeZone", "Etc/UTC"},
      {"locale", "en_US"},
  };
  if (!full) return j;
  auto groups = store_.GroupsOf(u.key);
  nlohmann::json items = nlohmann::json::array();
  if (with_groups) {
    for (const Group* g : groups) {
      items.push_back({{"name", g->name}, {"self", c.Api() + "/group?groupname=" + UrlEncode(g->name)}});
    }
  }
  bool software = store_.IsMember(kSoftwareUsersGroup, u.key);
  j["groups"] = {{"size", groups.size()}, {"items", items}};
  j["applicationRoles"] = {{"size", software ? 1 : 0}, {"items", nlohmann::json::array()}};
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
    *error = ErrorCollection(400, {"You must specify either a username or a key, not both."});
    return nullptr;
  }
  if (!username && !key) {
    // Really 404, not 400, in Jira. [SRC] The message is [INF].
    *error = ErrorCollection(404, {"The user named '' does not exist"});
    return nullptr;
  }
  User* u = username ? store_.FindUserByName(*username) : store_.FindUserByKey(*key);
  if (!u) {
    *error = ErrorCollection(
        404, {username ? "The user named '" + *username + "' does not exist"
                       // [INF] "a similar message naming the key".
                       : "The user with the key '" + *key + "' does not exist"});
  }
  return u;
}

Response Router::CreateUser(Ctx& c) {
  if (!c.body.is_object()) return ErrorCollection(400, {"Request body must be a JSON object."});
  std::map<std::string, std::string> errors;
  std::string name = StringField(c.body, "name").value_or("");
  std::string email = StringField(c.body, "emailAddress").value_or("");
  std::string display = StringField(c.body, "displayName").value_or("");
  std::string password = StringField(c.body, "password").value_or("");

  if (std::string e = UsernameError(name); !e.empty()) {
    errors["username"] = e;
  } else if (store_.FindUserByName(name)) {
    errors["username"] = "A user with that username already exists.";
  }
  if (email.empty()) {
    errors["email"] = "You must specify an email address.";
  } else if (email.size() > kMaxLength) {
    errors["email"] = "The email address must not exceed 255 characters in length.";
  } else if (!LooksLikeEmail(email)) {
    errors["email"] = "You must specify a valid email address.";
  }
  if (display.empty()) {
    errors["fullname"] = "You must specify a full name.";
  } else if (display.size() > kMaxLength) {
    errors["fullname"] = "The full name must not exceed 255 characters in length.";
  }
  // Application access: omitted = the applications selected by default (jira-software).
  std::vector<std::string> app_groups = {kSoftwareUsersGroup};
  if (c.body.contains("applicationKeys") && c.body["applicationKeys"].is_array()) {
    app_groups.clear();
    for (const auto& k : c.body["applicationKeys"]) {
      std::string key = k.is_string() ? k.get<std::string>() : k.dump();
      if (key == "jira-software") {
        app_groups.push_back(kSoftwareUsersGroup);
      } else {
        // [INF] Unknown application keys are rejected; the wording is a guess.
        return ErrorCollection(400, {"The application with key '" + key + "' does not exist."});
      }
    }
  }
  if (!errors.empty()) return ErrorCollection(400, {}, errors);

  User u;
  u.name = name;
  u.email = email;
  u.display_name = display;
  // No password: Jira generates a random one nobody knows.
  u.password = password.empty() ? "\x01generated-" + std::to_string(store_.next_user_id) : password;
  // [INF] `active: false` on create is honoured.
  if (c.body.contains("active") && c.body["active"].is_boolean()) u.active = c.body["active"].get<bool>();
  User& added = store_.AddUser(u, options_.key_style);
  for (const auto& g : app_groups) {
    if (Group* group = store_.FindGroup(g)) group->member_keys.insert(added.key);
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
  if (!c.body.is_object()) return ErrorCollection(400, {"Request body must be a JSON object."});
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
      errors["username"] = e;
    } else if (!SameName(*name, u->name) && store_.FindUserByName(*name)) {
      // A case-only rename compares equal and skips this check. [SRC]
      errors["username"] = "A user with that username already exists.";
    }
  }
  if (email) {
    if (email->empty()) errors["email"] = "You must specify an email address.";
    else if (email->size() > kMaxLength)
      errors["email"] = "The email address must not exceed 255 characters in length.";
    else if (!LooksLikeEmail(*email)) errors["email"] = "You must specify a valid email address.";
  }
  if (display) {
    if (display->empty()) errors["fullname"] = "You must specify a full name.";
    else if (display->size() > kMaxLength)
      errors["fullname"] = "The full name must not exceed 255 characters in length.";
  }
  if (has_active && !active) {
    if (u->key == c.caller->key) {
      // [INF] wording of the self-deactivation error.
      errors["active"] = "You cannot deactivate the currently logged in user.";
    } else {
      std::vector<std::string> led;
      for (const auto& [id, p] : store_.projects) {
        if (p.lead_key == u->key) led.push_back(p.key);
      }
      if (!led.empty()) {
        std::string list;
        for (const auto& k : led) list += (list.empty() ? "" : ", ") + k;
        // [INF] wording; Jira names the projects the user leads.
        errors["active"] = "The user '" + u->name +
                           "' cannot be deactivated because they are the lead of projects: " + list;
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
    return ErrorCollection(400, {"You cannot delete the currently logged in user."});
  }
  int led = 0;
  for (const auto& [id, p] : store_.projects) led += p.lead_key == u->key ? 1 : 0;
  if (led > 0) {
    return ErrorCollection(400, {"Cannot delete user '" + u->name +
                                 "' because they are currently the project lead on " +
                                 std::to_string(led) + " projects"});
  }
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
    return ErrorCollection(400, {"The username query parameter was not provided"});
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
