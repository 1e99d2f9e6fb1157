// The /permissionscheme resources and project scheme assignment.
#include <algorithm>
#include <cctype>

#include "acceptance_tests/emulator/applications.h"
#include "acceptance_tests/emulator/i18n.h"
#include "acceptance_tests/emulator/permission_catalog.h"
#include "acceptance_tests/emulator/responses.h"
#include "acceptance_tests/emulator/router.h"
#include "acceptance_tests/emulator/router_context.h"

namespace emulator {

namespace {

constexpr const char* kSchemeExpand = "permissions,user,group,projectRole,field,all";
constexpr const char* kGrantExpand = "user,group,projectRole,field,all";

bool ParseId(const std::string& s, int64_t* id) {
  if (s.empty() || s.size() > 18) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  *id = std::stoll(s);
  return true;
}

// [INF] wording of the missing-scheme / missing-grant messages.
Response SchemeNotFound(Language language, int64_t id) {
  return ErrorCollection(404, {Text(language, "scheme.not.found", {std::to_string(id)})});
}

Response GrantNotFound(Language language, int64_t grant_id) {
  return ErrorCollection(404, {Text(language, "grant.not.found", {std::to_string(grant_id)})});
}

bool ExpandHas(const std::string& expand, std::string_view what) {
  size_t pos = 0;
  while (pos <= expand.size()) {
    size_t comma = expand.find(',', pos);
    std::string_view item = std::string_view(expand).substr(
        pos, comma == std::string::npos ? std::string::npos : comma - pos);
    if (item == what || item == "all") return true;
    if (comma == std::string::npos) break;
    pos = comma + 1;
  }
  return false;
}

// Path ids are Long in Jersey: anything else is an unknown URI.
Response NullForUri(const std::string& base, const std::string& target) {
  return StatusEntity(404, "null for uri: " + base + target);
}

}  // namespace

nlohmann::json Router::GrantJson(const Ctx& c, int64_t scheme_id, const Grant& g,
                                 const std::string& expand) {
  nlohmann::json holder = {{"type", g.holder_type}};
  if (g.holder_parameter) holder["parameter"] = *g.holder_parameter;
  const std::string& t = g.holder_type;
  std::string nested = t == "group"         ? "group"
                       : t == "user"        ? "user"
                       : t == "projectRole" ? "projectRole"
                       : (t == "userCustomField" || t == "groupCustomField") ? "field"
                                                                             : "";
  if (!nested.empty()) {
    holder["expand"] = nested;
    if (ExpandHas(expand, nested) && g.holder_parameter) {
      const std::string& p = *g.holder_parameter;
      if (nested == "group") {
        if (Group* grp = store_.FindGroup(p)) {
          holder["group"] = {{"name", grp->name},
                             {"self", c.Api() + "/group?groupname=" + UrlEncode(grp->name)}};
        }
      } else if (nested == "user") {
        if (User* u = store_.FindUserByKey(p)) holder["user"] = UserJson(c, *u, false, false);
      } else if (nested == "projectRole") {
        int64_t id = 0;
        if (ParseId(p, &id) && store_.roles.count(id)) {
          const ProjectRole& r = store_.roles[id];
          holder["projectRole"] = {{"self", c.Api() + "/role/" + std::to_string(r.id)},
                                   {"name", r.name},
                                   {"id", r.id},
                                   {"description", r.description}};
        }
      }
    }
  }
  return {{"id", g.id},
          {"self", c.Api() + "/permissionscheme/" + std::to_string(scheme_id) + "/permission/" +
                       std::to_string(g.id)},
          {"holder", holder},
          {"permission", g.permission}};
}

nlohmann::json Router::SchemeJson(const Ctx& c, const Scheme& s, bool with_grants,
                                  const std::string& expand) {
  nlohmann::json j = {{"expand", kSchemeExpand},
                      {"id", s.id},
                      {"self", c.Api() + "/permissionscheme/" + std::to_string(s.id)},
                      {"name", s.name},
                      {"description", s.description}};
  if (with_grants) {
    nlohmann::json grants = nlohmann::json::array();
    for (const auto& g : s.grants) grants.push_back(GrantJson(c, s.id, g, expand));
    j["permissions"] = grants;
  }
  return j;
}

bool Router::ParseGrant(const Ctx& c, const nlohmann::json& item, Grant* out,
                        std::vector<std::string>* errors) {
  // [INF] The exact validation strings are not documented for Server; these follow the UI
  // property file wordings jira-api.md lists.
  if (!item.is_object()) {
    errors->push_back(c.T("grant.not.object"));
    return false;
  }
  std::string permission;
  if (item.contains("permission") && item["permission"].is_string()) {
    permission = item["permission"].get<std::string>();
  }
  const nlohmann::json holder =
      item.contains("holder") && item["holder"].is_object() ? item["holder"] : nlohmann::json();
  std::string type = holder.is_object() && holder.contains("type") && holder["type"].is_string()
                         ? holder["type"].get<std::string>()
                         : "";
  std::optional<std::string> parameter;
  if (holder.is_object() && holder.contains("parameter") && !holder["parameter"].is_null()) {
    const auto& p = holder["parameter"];
    parameter = p.is_string() ? p.get<std::string>() : p.dump();  // numbers are coerced
    if (parameter->empty()) parameter.reset();
  }
  bool ok = true;
  if (IsGlobalPermission(permission)) {
    errors->push_back(c.T("grant.global", {permission}));
    ok = false;
  } else if (!IsProjectPermission(permission)) {
    errors->push_back(c.T("grant.permission.unknown", {permission}));
    ok = false;
  }
  HolderParameter kind;
  if (!LookupHolderType(type, &kind)) {
    errors->push_back(c.T("grant.type.invalid"));
    return false;
  }
  if (kind == HolderParameter::kNone) parameter.reset();  // [INF] ignored, as the UI does
  if (type == "group" && (!parameter || !store_.FindGroup(*parameter))) {
    errors->push_back(c.T("grant.group.unknown", {parameter.value_or("")}));
    ok = false;
  } else if (type == "user" && (!parameter || !store_.FindUserByKey(*parameter))) {
    // The parameter is the user KEY, not the username. [SRC SingleUser]
    errors->push_back(c.T("grant.user.invalid"));
    ok = false;
  } else if (type == "projectRole") {
    int64_t id = 0;
    if (!parameter || !ParseId(*parameter, &id) || !store_.roles.count(id)) {
      errors->push_back(c.T("grant.role.invalid"));
      ok = false;
    }
  } else if (type == "userCustomField" || type == "groupCustomField") {
    errors->push_back(c.T("grant.field.invalid"));  // the emulator has none
    ok = false;
  } else if (type == "applicationRole" && parameter && !FindApplication(*parameter)) {
    errors->push_back(c.T("grant.approle.invalid"));
    ok = false;
  } else if ((type == "reporterWithCreatePermission" ||
              type == "assigneeWithAssignablePermission") &&
             permission != "BROWSE_PROJECTS") {
    errors->push_back(c.T("grant.type.not.for.permission", {permission, type}));
    ok = false;
  }
  out->permission = permission;
  out->holder_type = type;
  out->holder_parameter = parameter;
  return ok;
}

bool Router::ParseGrants(const Ctx& c, const nlohmann::json& list, std::vector<Grant>* out,
                         std::vector<std::string>* errors) {
  if (!list.is_array()) {
    errors->push_back(c.T("grant.list.not.array"));
    return false;
  }
  bool ok = true;
  for (const auto& item : list) {
    Grant g;
    ok = ParseGrant(c, item, &g, errors) && ok;
    out->push_back(g);
  }
  // [INF] Duplicate grants are accepted on Server/DC (Cloud rejects them); unverified.
  return ok;
}

Response Router::ListSchemes(Ctx& c) {
  std::string expand = c.Param("expand");
  nlohmann::json list = nlohmann::json::array();
  for (const auto& [id, s] : store_.schemes) {
    list.push_back(SchemeJson(c, s, !expand.empty(), expand));  // any expand adds grants [DOC]
  }
  return JsonResponse(200, {{"permissionSchemes", list}});
}

Response Router::CreateScheme(Ctx& c) {
  if (!c.body.is_object()) return ErrorCollection(400, {c.T("request.body.not.object")});
  std::vector<std::string> errors;
  std::string name = c.body.contains("name") && c.body["name"].is_string()
                         ? c.body["name"].get<std::string>()
                         : "";
  if (name.empty()) {
    errors.push_back(c.T("scheme.name.empty"));  // [INF]
  } else {
    for (const auto& [id, s] : store_.schemes) {
      if (SameName(s.name, name)) {
        errors.push_back(c.T("scheme.exists"));
        break;
      }
    }
  }
  std::vector<Grant> grants;
  if (c.body.contains("permissions") && !c.body["permissions"].is_null()) {
    ParseGrants(c, c.body["permissions"], &grants, &errors);
  }
  if (!errors.empty()) return ErrorCollection(400, errors);
  Scheme s;
  s.id = store_.next_id++;
  s.name = name;
  s.description = c.body.contains("description") && c.body["description"].is_string()
                      ? c.body["description"].get<std::string>()
                      : "";
  for (auto& g : grants) {
    g.id = store_.next_id++;
    s.grants.push_back(g);
  }
  const Scheme& stored = store_.schemes[s.id] = s;
  std::string expand = c.Param("expand");
  nlohmann::json j = SchemeJson(c, stored, !expand.empty(), expand);
  Response r = JsonResponse(201, j);
  r.SetHeader("Location", j["self"].get<std::string>());
  return r;
}

Response Router::GetScheme(Ctx& c) {
  int64_t id = 0;
  if (!ParseId(c.params[0], &id)) return NullForUri(c.base, c.req.target);
  auto it = store_.schemes.find(id);
  if (it == store_.schemes.end()) return SchemeNotFound(c.language, id);
  std::string expand = c.Param("expand");
  return JsonResponse(200, SchemeJson(c, it->second, !expand.empty(), expand));
}

Response Router::UpdateScheme(Ctx& c) {
  int64_t id = 0;
  if (!ParseId(c.params[0], &id)) return NullForUri(c.base, c.req.target);
  auto it = store_.schemes.find(id);
  if (it == store_.schemes.end()) return SchemeNotFound(c.language, id);
  if (!c.body.is_object()) return ErrorCollection(400, {c.T("request.body.not.object")});
  Scheme& s = it->second;
  std::vector<std::string> errors;
  std::optional<std::string> name;
  if (c.body.contains("name") && c.body["name"].is_string()) name = c.body["name"].get<std::string>();
  if (name && name->empty()) errors.push_back(c.T("scheme.name.empty"));
  if (name && !name->empty()) {
    for (const auto& [other_id, other] : store_.schemes) {
      if (other_id != id && SameName(other.name, *name)) {
        errors.push_back(c.T("scheme.exists"));
        break;
      }
    }
  }
  std::vector<Grant> grants;
  bool replace = c.body.contains("permissions") && !c.body["permissions"].is_null();
  if (replace) ParseGrants(c, c.body["permissions"], &grants, &errors);
  if (!errors.empty()) return ErrorCollection(400, errors);
  if (name) s.name = *name;
  // [INF] An absent description is left unchanged.
  if (c.body.contains("description") && c.body["description"].is_string()) {
    s.description = c.body["description"].get<std::string>();
  }
  if (replace) {
    // [INF] Jira deletes and recreates the grants, so every grant gets a new id.
    s.grants.clear();
    for (auto& g : grants) {
      g.id = store_.next_id++;
      s.grants.push_back(g);
    }
  }
  std::string expand = c.Param("expand");
  return JsonResponse(200, SchemeJson(c, s, !expand.empty(), expand));
}

Response Router::DeleteScheme(Ctx& c) {
  int64_t id = 0;
  if (!ParseId(c.params[0], &id)) return NullForUri(c.base, c.req.target);
  auto it = store_.schemes.find(id);
  if (it == store_.schemes.end()) return SchemeNotFound(c.language, id);  // [INF] 404 when missing
  if (id == 0) {
    // [INF] The UI forbids it; the REST status and wording are inferred.
    return ErrorCollection(400, {c.T("scheme.default.delete")});
  }
  // [INF] Neither the REST docs nor jira-api.md say what happens to projects still using the
  // scheme; the documented advice is to reassign them first, so by default the delete is
  // refused (and moves nothing). --scheme-delete-moves-projects moves them to the default.
  if (!options_.scheme_delete_moves_projects) {
    for (const auto& [pid, p] : store_.projects) {
      if (p.scheme_id == id) {
        return ErrorCollection(400, {"Cannot delete a permission scheme that is associated with "
                                     "one or more projects."});
      }
    }
  }
  for (auto& [pid, p] : store_.projects) {
    if (p.scheme_id == id) p.scheme_id = 0;
  }
  store_.schemes.erase(it);
  return EmptyResponse(204);
}

Response Router::ListGrants(Ctx& c) {
  int64_t id = 0;
  if (!ParseId(c.params[0], &id)) return NullForUri(c.base, c.req.target);
  auto it = store_.schemes.find(id);
  if (it == store_.schemes.end()) return SchemeNotFound(c.language, id);
  std::string expand = c.Param("expand");
  nlohmann::json grants = nlohmann::json::array();
  for (const auto& g : it->second.grants) grants.push_back(GrantJson(c, id, g, expand));
  return JsonResponse(200, {{"permissions", grants}, {"expand", kGrantExpand}});
}

Response Router::AddGrant(Ctx& c) {
  int64_t id = 0;
  if (!ParseId(c.params[0], &id)) return NullForUri(c.base, c.req.target);
  auto it = store_.schemes.find(id);
  if (it == store_.schemes.end()) return SchemeNotFound(c.language, id);
  std::vector<std::string> errors;
  Grant g;
  if (!ParseGrant(c, c.body, &g, &errors)) return ErrorCollection(400, errors);
  g.id = store_.next_id++;
  it->second.grants.push_back(g);
  nlohmann::json j = GrantJson(c, id, g, c.Param("expand"));
  Response r = JsonResponse(201, j);
  r.SetHeader("Location", j["self"].get<std::string>());
  return r;
}

Response Router::GetGrant(Ctx& c) {
  int64_t id = 0, grant_id = 0;
  if (!ParseId(c.params[0], &id) || !ParseId(c.params[1], &grant_id)) {
    return NullForUri(c.base, c.req.target);
  }
  auto it = store_.schemes.find(id);
  if (it == store_.schemes.end()) return SchemeNotFound(c.language, id);
  for (const auto& g : it->second.grants) {
    if (g.id == grant_id) return JsonResponse(200, GrantJson(c, id, g, c.Param("expand")));
  }
  return GrantNotFound(c.language, grant_id);  // [INF] wording
}

Response Router::DeleteGrant(Ctx& c) {
  int64_t id = 0, grant_id = 0;
  if (!ParseId(c.params[0], &id) || !ParseId(c.params[1], &grant_id)) {
    return NullForUri(c.base, c.req.target);
  }
  auto it = store_.schemes.find(id);
  if (it == store_.schemes.end()) return SchemeNotFound(c.language, id);
  auto& grants = it->second.grants;
  auto g = std::find_if(grants.begin(), grants.end(), [&](const Grant& x) { return x.id == grant_id; });
  if (g == grants.end()) {
    return GrantNotFound(c.language, grant_id);  // [INF] wording
  }
  grants.erase(g);
  return EmptyResponse(204);
}

namespace {
Project* FindProject(Store& s, const std::string& key_or_id) {
  int64_t id = 0;
  if (ParseId(key_or_id, &id)) {
    auto it = s.projects.find(id);
    return it == s.projects.end() ? nullptr : &it->second;
  }
  for (auto& [pid, p] : s.projects) {
    if (EqualsIgnoreCase(p.key, key_or_id)) return &p;
  }
  return nullptr;
}
}  // namespace

Response Router::GetProjectScheme(Ctx& c) {
  Project* p = FindProject(store_, c.params[0]);
  if (!p) return ErrorCollection(404, {c.T("project.not.found", {c.params[0]})});
  std::string expand = c.Param("expand");
  return JsonResponse(200, SchemeJson(c, store_.schemes.at(p->scheme_id), !expand.empty(), expand));
}

Response Router::AssignProjectScheme(Ctx& c) {
  Project* p = FindProject(store_, c.params[0]);
  if (!p) return ErrorCollection(404, {c.T("project.not.found", {c.params[0]})});
  int64_t id = -1;
  if (c.body.is_object() && c.body.contains("id")) {
    const auto& v = c.body["id"];
    if (v.is_number_integer()) id = v.get<int64_t>();
    else if (v.is_string() && !ParseId(v.get<std::string>(), &id)) id = -1;
  }
  if (id < 0) return ErrorCollection(400, {c.T("scheme.id.required")});  // [INF]
  auto it = store_.schemes.find(id);
  if (it == store_.schemes.end()) return SchemeNotFound(c.language, id);
  p->scheme_id = id;
  std::string expand = c.Param("expand");
  return JsonResponse(200, SchemeJson(c, it->second, !expand.empty(), expand));
}

}  // namespace emulator
