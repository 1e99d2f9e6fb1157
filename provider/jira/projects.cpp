// The project calls of BeastClient, kept apart from beast_client.cpp so they can grow on their
// own. Jira Server REST v2:
//   GET /rest/api/2/project[?expand=lead,description]  every project the caller can browse,
//       one JSON array with no paging (Jira Server has no /project/search);
//   GET /rest/api/2/project/{projectIdOrKey}           the full project bean, 404 when missing
//       or not visible;
//   GET /rest/api/2/project/{projectKeyOrId}/permissionscheme  the scheme the project uses.
#include <string>

#include "provider/jira/beast_client.h"
#include "provider/jira/error_parse.h"
#include "provider/jira/json_model.h"
#include "provider/jira/project_json.h"
#include "provider/jira/url.h"

namespace jira {

namespace http = boost::beast::http;
using nlohmann::json;

namespace {

constexpr char kProjectApi[] = "/rest/api/2/project";

std::string StrOr(const json& j, const char* name) {
  auto it = j.find(name);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// Project and category ids come as strings ("10000"); tolerate numbers too.
int64_t IdOf(const json& j, const char* name) {
  auto it = j.find(name);
  if (it == j.end()) return 0;
  if (it->is_number_integer()) return it->get<int64_t>();
  if (it->is_string()) {
    const std::string s = it->get<std::string>();
    try {
      size_t used = 0;
      int64_t v = std::stoll(s, &used);
      if (used == s.size()) return v;
    } catch (const std::exception&) {
    }
    throw json::type_error::create(302, std::string("id \"") + s + "\" is not a number", nullptr);
  }
  throw json::type_error::create(302, std::string(name) + " is neither a string nor a number",
                                 nullptr);
}

template <class Fn>
auto Parse(Result<json> r, const std::string& where, Fn fn) -> Result<decltype(fn(json()))> {
  if (!r.ok()) return r.error();
  try {
    return fn(*r);
  } catch (const json::exception& ex) {
    return TransportError(where, std::string("unexpected answer from Jira: ") + ex.what());
  }
}

}  // namespace

Project ProjectFromJson(const json& j) {
  if (!j.is_object()) throw json::type_error::create(302, "a project must be an object", nullptr);
  Project p;
  p.id = IdOf(j, "id");
  p.key = StrOr(j, "key");
  p.name = StrOr(j, "name");
  p.description = StrOr(j, "description");
  p.project_type_key = StrOr(j, "projectTypeKey");
  if (auto lead = j.find("lead"); lead != j.end() && lead->is_object()) {
    p.lead = StrOr(*lead, "name");
  }
  if (auto cat = j.find("projectCategory"); cat != j.end() && cat->is_object()) {
    p.category_id = IdOf(*cat, "id");
    p.category_name = StrOr(*cat, "name");
  }
  return p;
}

std::vector<Project> ProjectsFromJson(const json& j) {
  if (!j.is_array()) throw json::type_error::create(302, "expected a JSON array", nullptr);
  std::vector<Project> out;
  out.reserve(j.size());
  for (const auto& item : j) out.push_back(ProjectFromJson(item));
  return out;
}

Result<Project> BeastClient::GetProject(std::string_view project_key_or_id) {
  Call c{http::verb::get, std::string(kProjectApi) + "/" + PercentEncode(project_key_or_id), "",
         {}, {}};
  return Parse(Json(c), MethodAndPath(c), ProjectFromJson);
}

Result<std::vector<Project>> BeastClient::ListProjects() {
  Call c{http::verb::get, kProjectApi, Query().Add("expand", "lead,description").str(), {}, {}};
  return Parse(Json(c), MethodAndPath(c), ProjectsFromJson);
}

Result<PermissionScheme> BeastClient::GetProjectPermissionScheme(
    std::string_view project_key_or_id) {
  Call c{http::verb::get,
         std::string(kProjectApi) + "/" + PercentEncode(project_key_or_id) + "/permissionscheme",
         "", {}, {}};
  return Parse(Json(c), MethodAndPath(c), SchemeFromJson);
}

}  // namespace jira
