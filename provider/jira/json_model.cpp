#include "provider/jira/json_model.h"

#include <charconv>
#include <limits>
#include <string>

namespace jira {
namespace {

using nlohmann::json;

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  return it->get<std::string>();
}

// An integer that fits T. nlohmann's get<T>() converts a float by static_cast, which is
// undefined behaviour when it is out of T's range (found by fuzz/jira_response_fuzzer), so
// anything but an in-range integer is a type error like any other shape mismatch.
template <typename T>
T Integer(const json& n) {
  if (n.is_number_integer()) {
    if (n.is_number_unsigned()) {
      const auto u = n.get<uint64_t>();
      if (u <= static_cast<uint64_t>(std::numeric_limits<T>::max())) return static_cast<T>(u);
    } else {
      const auto v = n.get<int64_t>();
      if (v >= std::numeric_limits<T>::min() && v <= std::numeric_limits<T>::max()) {
        return static_cast<T>(v);
      }
    }
  }
  throw json::type_error::create(302, "expected an integer, got " + n.dump(), &n);
}

// An integer field that may be absent (or null): `fallback` then; otherwise as Integer.
// nlohmann's value(key, fallback) converts with get<T>() and its undefined behaviour.
int64_t IntegerOr(const json& j, const char* key, int64_t fallback) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  return Integer<int64_t>(*it);
}

// Jira sends ids as numbers, but a few older endpoints and proxies send them as strings.
int64_t Id(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return 0;
  if (it->is_string()) {
    // std::stoll would throw std::invalid_argument, which the client does not expect.
    const std::string text = it->get<std::string>();
    int64_t id = 0;
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
    if (ec != std::errc() || end != text.data() + text.size()) {
      throw json::type_error::create(302, "expected a numeric id, got " + it->dump(), &*it);
    }
    return id;
  }
  return Integer<int64_t>(*it);
}

}  // namespace

ServerInfo ServerInfoFromJson(const json& j) {
  ServerInfo s;
  s.base_url = Str(j, "baseUrl");
  s.version = Str(j, "version");
  if (auto it = j.find("versionNumbers"); it != j.end() && it->is_array()) {
    for (const auto& n : *it) s.version_numbers.push_back(Integer<int>(n));
  }
  s.deployment_type = Str(j, "deploymentType");
  s.server_title = Str(j, "serverTitle");
  return s;
}

User UserFromJson(const json& j) {
  User u;
  u.key = Str(j, "key");
  u.name = Str(j, "name");
  u.email = Str(j, "emailAddress");
  u.display_name = Str(j, "displayName");
  u.active = j.value("active", true);
  if (auto g = j.find("groups"); g != j.end() && g->is_object()) {
    if (auto items = g->find("items"); items != g->end() && items->is_array()) {
      for (const auto& item : *items) u.groups.push_back(Str(item, "name"));
    }
  }
  // applicationRoles is a "simple list wrapper": `size` is always there, `items` only with
  // expand=applicationRoles. The keys are known only when every item was listed.
  if (auto a = j.find("applicationRoles"); a != j.end() && a->is_object()) {
    auto items = a->find("items");
    if (items != a->end() && items->is_array() &&
        IntegerOr(*a, "size", -1) == static_cast<int64_t>(items->size())) {
      std::vector<std::string> keys;
      for (const auto& item : *items) keys.push_back(Str(item, "key"));
      u.applications = std::move(keys);
    }
  }
  return u;
}

std::vector<User> UsersFromJson(const json& j) {
  std::vector<User> out;
  for (const auto& item : j) out.push_back(UserFromJson(item));
  return out;
}

MembersPage MembersPageFromJson(const json& j) {
  MembersPage p;
  if (auto it = j.find("values"); it != j.end() && it->is_array()) p.values = UsersFromJson(*it);
  p.start_at = IntegerOr(j, "startAt", 0);
  p.max_results = IntegerOr(j, "maxResults", 0);
  p.total = IntegerOr(j, "total", static_cast<int64_t>(p.values.size()));
  p.is_last = j.value("isLast", true);
  return p;
}

PermissionGrant GrantFromJson(const json& j) {
  PermissionGrant g;
  g.id = Id(j, "id");
  g.permission = Str(j, "permission");
  if (auto h = j.find("holder"); h != j.end() && h->is_object()) {
    g.holder.type = Str(*h, "type");
    // `parameter` is documented as a string; coerce a number (role ids) rather than fail.
    if (auto p = h->find("parameter"); p != h->end() && !p->is_null()) {
      g.holder.parameter = p->is_string() ? p->get<std::string>() : p->dump();
    }
  }
  return g;
}

PermissionScheme SchemeFromJson(const json& j) {
  PermissionScheme s;
  s.id = Id(j, "id");
  s.name = Str(j, "name");
  s.description = Str(j, "description");
  if (auto it = j.find("permissions"); it != j.end() && it->is_array()) {
    for (const auto& g : *it) s.grants.push_back(GrantFromJson(g));
  }
  return s;
}

std::vector<ProjectRole> ProjectRolesFromJson(const json& j) {
  std::vector<ProjectRole> out;
  if (!j.is_array()) return out;
  for (const auto& r : j) {
    if (!r.is_object()) continue;
    out.push_back({Id(r, "id"), Str(r, "name"), Str(r, "description")});
  }
  return out;
}

std::vector<ApplicationRole> ApplicationRolesFromJson(const json& j) {
  std::vector<ApplicationRole> out;
  if (!j.is_array()) return out;
  for (const auto& r : j) {
    if (!r.is_object()) continue;
    ApplicationRole a;
    a.key = Str(r, "key");
    a.name = Str(r, "name");
    a.unlimited_seats = r.value("hasUnlimitedSeats", false);
    a.number_of_seats = IntegerOr(r, "numberOfSeats", -1);
    a.remaining_seats = IntegerOr(r, "remainingSeats", -1);
    if (auto g = r.find("defaultGroups"); g != r.end() && g->is_array()) {
      for (const auto& name : *g) {
        if (name.is_string()) a.default_groups.push_back(name.get<std::string>());
      }
    }
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<Permission> PermissionsFromJson(const json& j) {
  std::vector<Permission> out;
  auto it = j.find("permissions");
  if (it == j.end() || !it->is_object()) return out;
  for (const auto& [key, p] : it->items()) {
    Permission perm;
    perm.key = p.is_object() && p.contains("key") ? Str(p, "key") : key;
    if (p.is_object()) {
      perm.name = Str(p, "name");
      perm.type = Str(p, "type");
    }
    out.push_back(std::move(perm));
  }
  return out;
}

std::vector<std::string> PickedGroupsFromJson(const json& j) {
  std::vector<std::string> out;
  if (auto it = j.find("groups"); it != j.end() && it->is_array()) {
    for (const auto& g : *it) out.push_back(Str(g, "name"));
  }
  return out;
}

json NewUserToJson(const NewUser& user) {
  json j = {{"name", user.name},
            {"emailAddress", user.email},
            {"displayName", user.display_name},
            {"notification", user.notify ? "true" : "false"}};
  if (user.password) j["password"] = *user.password;
  if (user.application_keys) j["applicationKeys"] = *user.application_keys;
  return j;
}

json UserChangesToJson(const UserChanges& c) {
  json j = json::object();
  if (c.name) j["name"] = *c.name;
  if (c.email) j["emailAddress"] = *c.email;
  if (c.display_name) j["displayName"] = *c.display_name;
  if (c.active) j["active"] = *c.active;
  return j;
}

json GrantToJson(const PermissionGrant& grant) {
  json holder = {{"type", grant.holder.type}};
  if (!grant.holder.parameter.empty()) holder["parameter"] = grant.holder.parameter;
  return {{"holder", holder}, {"permission", grant.permission}};
}

json SchemeToJson(std::string_view name, std::string_view description,
                  const std::vector<PermissionGrant>* grants) {
  json j = {{"name", name}, {"description", description}};
  if (grants) {
    j["permissions"] = json::array();
    for (const auto& g : *grants) j["permissions"].push_back(GrantToJson(g));
  }
  return j;
}

}  // namespace jira
