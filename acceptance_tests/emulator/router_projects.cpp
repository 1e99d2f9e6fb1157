// The /project resources: create, list, read and delete projects.
//
// Sources:
// [DOC] Jira Server REST API reference (api/2/project), e.g.
//       https://docs.atlassian.com/software/jira/docs/api/REST/7.1.2/ and later versions:
//       GET /project "returns all projects which are visible for the currently logged in user;
//       if no user is logged in, ... visible when using anonymous access" (one unpaged array);
//       POST /project creates from key, name, projectTypeKey, lead (+ optional description,
//       permissionScheme, categoryId, ...) and answers 201 {self, id, key}; 400 on invalid
//       input, 401, 403 when the caller is not a Jira administrator;
//       GET /project/{projectIdOrKey} answers 404 when the project is missing or not visible;
//       DELETE /project/{projectIdOrKey} answers 204, 401, 403, 404.
// [DOC] "Defining a project key" (Jira Server administration): a key starts with an uppercase
//       letter, then uppercase letters, digits or underscores, at least 2 and at most 10
//       characters by default; words reserved by Windows (CON, AUX, NUL, ...) are refused.
// [DOC] Jira permission schemes: "Any new projects that are created will be assigned this
//       scheme" (the default scheme's own description) unless permissionScheme is given.
// [INF] The exact English wording of validation errors is not documented for REST; the texts
//       below follow the admin UI's messages, keyed by the UI's field names (projectKey,
//       projectName, projectLead, projectType).
#include <algorithm>
#include <array>

#include "acceptance_tests/emulator/responses.h"
#include "acceptance_tests/emulator/router.h"
#include "acceptance_tests/emulator/router_context.h"

namespace emulator {

namespace {

constexpr size_t kMaxKeyLength = 10;   // jira.projectkey.maxlength default
constexpr size_t kMaxNameLength = 80;  // jira.projectname.maxlength default

// Device names Windows reserves; Jira refuses them as keys so attachments directories work.
constexpr std::array<const char*, 22> kReservedKeys = {
    "AUX",  "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8", "COM9", "CON",
    "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9", "NUL",  "PRN"};

bool ValidKeyShape(const std::string& key) {
  if (key.size() < 2 || key.front() < 'A' || key.front() > 'Z') return false;
  return std::all_of(key.begin() + 1, key.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

Response ProjectNotFound(const std::string& id_or_key) {
  return ErrorCollection(404, {"No project could be found with key '" + id_or_key + "'."});
}

std::string StringField(const nlohmann::json& body, const char* name) {
  if (!body.is_object() || !body.contains(name) || !body[name].is_string()) return "";
  return body[name].get<std::string>();
}

// A JSON number or a numeric string; -1 when absent, null or malformed.
int64_t IdField(const nlohmann::json& body, const char* name) {
  if (!body.is_object() || !body.contains(name)) return -1;
  const auto& v = body[name];
  if (v.is_number_integer()) return v.get<int64_t>();
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    if (s.empty() || s.size() > 18 || !std::all_of(s.begin(), s.end(), ::isdigit)) return -1;
    return std::stoll(s);
  }
  return -1;
}

}  // namespace

bool Router::CanBrowse(const User* caller, const Project& p) {
  auto scheme = store_.schemes.find(p.scheme_id);
  if (scheme == store_.schemes.end()) return false;
  for (const Grant& g : scheme->second.grants) {
    // Viewing a project takes Browse Projects or Administer Projects (Jira's ProjectAction
    // VIEW_PROJECT accepts either).
    if (g.permission != "BROWSE_PROJECTS" && g.permission != "ADMINISTER_PROJECTS") continue;
    const std::string& t = g.holder_type;
    if (t == "anyone") return true;
    if (!caller) continue;
    const std::string param = g.holder_parameter.value_or("");
    // An application role grant covers every user with access to the application; the
    // emulator's only application is jira-software.
    if (t == "applicationRole" && store_.IsMember(kSoftwareUsersGroup, caller->key)) return true;
    if (t == "group" && store_.IsMember(param, caller->key)) return true;
    if (t == "user" && param == caller->key) return true;
    if (t == "projectLead" && p.lead_key == caller->key) return true;
    // Project roles have no actors in the emulator, so role grants give nobody access.
  }
  return false;
}

nlohmann::json Router::ProjectJson(const Ctx& c, const Project& p, bool full) {
  const std::string id = std::to_string(p.id);
  std::string avatar = c.base + "/secure/projectavatar?pid=" + id;
  nlohmann::json j = {
      {"expand", "description,lead,url,projectKeys"},
      {"self", c.Api() + "/project/" + id},
      {"id", id},  // Jira sends project ids as strings
      {"key", p.key},
      {"name", p.name},
      {"avatarUrls",
       {{"48x48", avatar}, {"24x24", avatar + "&size=small"}, {"16x16", avatar + "&size=xsmall"},
        {"32x32", avatar + "&size=medium"}}},
      {"projectTypeKey", p.type_key},
      {"archived", false},
  };
  if (auto cat = store_.categories.find(p.category_id); cat != store_.categories.end()) {
    const std::string cid = std::to_string(cat->second.id);
    j["projectCategory"] = {{"self", c.Api() + "/projectCategory/" + cid},
                            {"id", cid},
                            {"name", cat->second.name},
                            {"description", cat->second.description}};
  }
  if (full) {
    j["description"] = p.description;
    if (const User* lead = store_.FindUserByKey(p.lead_key)) {
      j["lead"] = UserJson(c, *lead, false, false);
    }
    j["components"] = nlohmann::json::array();
    j["issueTypes"] = nlohmann::json::array();
    j["assigneeType"] = "PROJECT_LEAD";
    j["versions"] = nlohmann::json::array();
    j["roles"] = nlohmann::json::object();
    for (const auto& [rid, role] : store_.roles) {
      j["roles"][role.name] = c.Api() + "/project/" + id + "/role/" + std::to_string(rid);
    }
  }
  return j;
}

Response Router::ListProjects(Ctx& c) {
  // One unpaged array, in key order as Jira sorts it. [DOC]
  std::vector<const Project*> visible;
  for (const auto& [id, p] : store_.projects) {
    if (CanBrowse(c.caller, p)) visible.push_back(&p);
  }
  std::sort(visible.begin(), visible.end(),
            [](const Project* a, const Project* b) { return a->key < b->key; });
  nlohmann::json out = nlohmann::json::array();
  bool with_lead = c.Param("expand").find("lead") != std::string::npos;
  for (const Project* p : visible) {
    nlohmann::json j = ProjectJson(c, *p, false);
    if (with_lead) {
      if (const User* lead = store_.FindUserByKey(p->lead_key)) {
        j["lead"] = UserJson(c, *lead, false, false);
      }
    }
    out.push_back(std::move(j));
  }
  return JsonResponse(200, out);
}

Response Router::GetProject(Ctx& c) {
  Project* p = store_.FindProject(c.params[0]);
  // A project the caller may not browse is answered like a missing one. [DOC]
  if (!p || !CanBrowse(c.caller, *p)) return ProjectNotFound(c.params[0]);
  return JsonResponse(200, ProjectJson(c, *p, true));
}

Response Router::CreateProject(Ctx& c) {
  const nlohmann::json& b = c.body;
  const std::string key = StringField(b, "key");
  const std::string name = StringField(b, "name");
  const std::string type = StringField(b, "projectTypeKey");
  const std::string lead = StringField(b, "lead");
  std::map<std::string, std::string> errors;

  if (key.empty()) {
    errors["projectKey"] = "You must specify a unique project key, at least 2 characters long.";
  } else if (key.size() > kMaxKeyLength) {
    errors["projectKey"] = "The project key must not exceed " + std::to_string(kMaxKeyLength) +
                           " characters in length.";
  } else if (!ValidKeyShape(key)) {
    errors["projectKey"] =
        "The project key must start with an uppercase letter, followed by one or more uppercase "
        "alphanumeric characters or underscores.";
  } else if (std::find(kReservedKeys.begin(), kReservedKeys.end(), key) != kReservedKeys.end()) {
    errors["projectKey"] = "This keyword is invalid as it is a reserved word on this operating "
                           "system.";
  } else if (const Project* same = store_.FindProject(key)) {
    errors["projectKey"] = "Project '" + same->name + "' uses this project key.";
  }

  if (name.empty()) {
    errors["projectName"] = "You must specify a valid project name.";
  } else if (name.size() > kMaxNameLength) {
    errors["projectName"] = "The project name must not exceed " +
                            std::to_string(kMaxNameLength) + " characters in length.";
  } else {
    for (const auto& [id, p] : store_.projects) {
      // Project names are unique regardless of case. [INF]
      if (EqualsIgnoreCase(p.name, name)) {
        errors["projectName"] = "A project with that name already exists.";
        break;
      }
    }
  }

  // The emulator offers Jira Software and Jira Core's project types.
  if (type != "software" && type != "business") {
    errors["projectType"] = "Invalid project type key '" + type + "'.";  // [INF]
  }

  User* lead_user = lead.empty() ? nullptr : store_.FindUserByName(lead);
  if (lead.empty()) {
    errors["projectLead"] = "You must specify a project lead.";
  } else if (!lead_user) {
    errors["projectLead"] = "The user you have specified as project lead does not exist.";
  }

  int64_t scheme_id = 0;
  if (b.is_object() && b.contains("permissionScheme") && !b["permissionScheme"].is_null()) {
    scheme_id = IdField(b, "permissionScheme");
    if (scheme_id < 0 || !store_.schemes.count(scheme_id)) {
      errors["permissionScheme"] = "The permission scheme does not exist.";  // [INF]
    }
  }
  int64_t category_id = 0;
  if (b.is_object() && b.contains("categoryId") && !b["categoryId"].is_null()) {
    category_id = IdField(b, "categoryId");
    if (category_id <= 0 || !store_.categories.count(category_id)) {
      errors["projectCategory"] = "The project category does not exist.";  // [INF]
    }
  }
  if (!errors.empty()) return ErrorCollection(400, {}, errors);

  Project p;
  p.id = store_.next_id++;
  p.key = key;
  p.name = name;
  p.lead_key = lead_user->key;
  p.scheme_id = scheme_id;
  p.type_key = type;
  p.category_id = category_id;
  p.description = StringField(b, "description");
  store_.projects[p.id] = p;
  const std::string id = std::to_string(p.id);
  // The create answer carries the id as a number, unlike the project bean. [DOC]
  Response r = JsonResponse(201, {{"self", c.Api() + "/project/" + id}, {"id", p.id}, {"key", key}});
  r.SetHeader("Location", c.Api() + "/project/" + id);
  return r;
}

Response Router::DeleteProject(Ctx& c) {
  Project* p = store_.FindProject(c.params[0]);
  if (!p) return ProjectNotFound(c.params[0]);
  store_.projects.erase(p->id);
  return EmptyResponse(204);
}

}  // namespace emulator
