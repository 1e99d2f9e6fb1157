// The /group, /group/member, /group/user and /groups/picker resources.
#include <algorithm>

#include "acceptance_tests/emulator/responses.h"
#include "acceptance_tests/emulator/router.h"
#include "acceptance_tests/emulator/router_context.h"

namespace emulator {

namespace {

// [INF] English text of rest.group.error.empty.
constexpr const char* kEmptyGroupName = "You must specify a group name.";

std::string GroupNotFound(const std::string& name) {
  // [OBS/INF] wording.
  return "The group named '" + name + "' does not exist";
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '&': out += "&amp;"; break;
      case '"': out += "&quot;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

}  // namespace

nlohmann::json Router::GroupJson(const Ctx& c, const Group& g) {
  return {{"name", g.name},
          {"self", c.Api() + "/group?groupname=" + UrlEncode(g.name)},
          {"users",
           {{"size", g.member_keys.size()},
            {"items", nlohmann::json::array()},
            {"max-results", 50},
            {"start-index", 0},
            {"end-index", 0}}},
          {"expand", "users"}};
}

Response Router::CreateGroup(Ctx& c) {
  std::string name;
  if (c.body.is_object() && c.body.contains("name") && c.body["name"].is_string()) {
    name = c.body["name"].get<std::string>();
  }
  if (name.empty()) return ErrorCollection(400, {kEmptyGroupName});
  if (store_.FindGroup(name)) {
    // The message mentions users, but only groups are checked. [SRC string, INF check]
    return ErrorCollection(400, {"A group or user with this name already exists."});
  }
  Group& g = store_.AddGroup(name);
  nlohmann::json j = GroupJson(c, g);
  Response r = JsonResponse(201, j);
  r.SetHeader("Location", j["self"].get<std::string>());
  return r;
}

Response Router::GetGroup(Ctx& c) {
  if (version_[0] >= 10) {
    // The deprecated resource is gone in Jira 10: the framework answers like an unknown path.
    return StatusEntity(404, "null for uri: " + c.base + c.req.target);
  }
  std::string name = c.Param("groupname");
  // The deprecated GET trims the name. [SRC]
  name.erase(0, name.find_first_not_of(' '));
  name.erase(name.find_last_not_of(' ') + 1);
  if (name.empty()) return ErrorCollection(400, {kEmptyGroupName});
  Group* g = store_.FindGroup(name);
  if (!g) return ErrorCollection(404, {GroupNotFound(name)});
  nlohmann::json j = GroupJson(c, *g);
  if (c.Param("expand").find("users") != std::string::npos) {
    // Active members only, at most 50. [SRC/OBS]
    std::vector<const User*> members;
    for (const auto& key : g->member_keys) {
      const User* u = store_.FindUserByKey(key);
      if (u && u->active) members.push_back(u);
    }
    std::sort(members.begin(), members.end(),
              [](const User* a, const User* b) { return NameKey(a->name) < NameKey(b->name); });
    nlohmann::json items = nlohmann::json::array();
    for (size_t i = 0; i < members.size() && i < 50; ++i) {
      items.push_back(UserJson(c, *members[i], false, false));
    }
    j["users"] = {{"size", members.size()},
                  {"items", items},
                  {"max-results", 50},
                  {"start-index", 0},
                  {"end-index", items.empty() ? 0 : items.size() - 1}};
  }
  return JsonResponse(200, j);
}

Response Router::DeleteGroup(Ctx& c) {
  std::string name = c.Param("groupname");
  if (name.empty()) return ErrorCollection(400, {kEmptyGroupName});
  Group* g = store_.FindGroup(name);
  if (!g) return ErrorCollection(404, {GroupNotFound(name)});
  if (const std::string* swap = c.query.Get("swapGroup"); swap && !swap->empty()) {
    if (SameName(*swap, g->name)) {
      return ErrorCollection(400, {"You cannot swap comments/worklogs to the group you are deleting."});
    }
    if (!store_.FindGroup(*swap)) {
      return ErrorCollection(400, {"The swap group you have specified is not a valid group."});
    }
  }
  if (SameName(g->name, kAdminGroup) && g->member_keys.count(c.caller->key)) {
    // The only group granting ADMINISTER in the emulator.
    return ErrorCollection(400, {"You cannot delete a group that grants you administration "
                                 "privileges if no other group exists that also grants you "
                                 "administration privileges."});
  }
  // Cascade: every scheme grant held by the group goes, then the group and its memberships.
  for (auto& [id, s] : store_.schemes) {
    std::erase_if(s.grants, [&](const Grant& gr) {
      return gr.holder_type == "group" && gr.holder_parameter &&
             SameName(*gr.holder_parameter, g->name);
    });
  }
  store_.groups.erase(NameKey(g->name));
  return EmptyResponse(200);
}

Response Router::GroupMembers(Ctx& c) {
  std::string name = c.Param("groupname");
  if (name.empty()) return ErrorCollection(400, {kEmptyGroupName});
  Group* g = store_.FindGroup(name);
  if (!g) return ErrorCollection(404, {GroupNotFound(name)});
  bool inactive = c.BoolParam("includeInactiveUsers", false);
  const int64_t start = c.IntParam("startAt", 0, 0, int64_t{1} << 40);
  const int max = static_cast<int>(c.IntParam("maxResults", 50, 1, 50));
  std::vector<const User*> members;
  for (const auto& key : g->member_keys) {
    const User* u = store_.FindUserByKey(key);
    if (u && (u->active || inactive)) members.push_back(u);
  }
  std::sort(members.begin(), members.end(),
            [](const User* a, const User* b) { return NameKey(a->name) < NameKey(b->name); });
  nlohmann::json values = nlohmann::json::array();
  const int64_t total = static_cast<int64_t>(members.size());
  for (int64_t i = start; i < total && i < start + max; ++i) {
    values.push_back(UserJson(c, *members[static_cast<size_t>(i)], false, false));
  }
  bool last = start + max >= total;
  auto page_url = [&](int64_t at) {
    return c.Api() + "/group/member?groupname=" + UrlEncode(g->name) +
           "&includeInactiveUsers=" + (inactive ? "true" : "false") +
           "&startAt=" + std::to_string(at) + "&maxResults=" + std::to_string(max);
  };
  nlohmann::json j = {{"self", page_url(start)}, {"maxResults", max}, {"startAt", start},
                      {"total", total},          {"isLast", last},    {"values", values}};
  if (!last) j["nextPage"] = page_url(start + max);  // absent on the last page [INF]
  return JsonResponse(200, j);
}

Response Router::GroupPicker(Ctx& c) {
  std::string query = NameKey(c.Param("query"));
  std::vector<std::string> excluded;
  for (const auto& e : c.query.GetAll("exclude")) excluded.push_back(NameKey(e));
  const int max = static_cast<int>(c.IntParam("maxResults", 20, 0, 1000));
  std::vector<const Group*> matches;
  for (const auto& [lower, g] : store_.groups) {  // sorted, unique
    if (std::find(excluded.begin(), excluded.end(), lower) != excluded.end()) continue;
    if (lower.find(query) != std::string::npos) matches.push_back(&g);
  }
  nlohmann::json groups = nlohmann::json::array();
  for (size_t i = 0; i < matches.size() && i < static_cast<size_t>(max); ++i) {
    const std::string& n = matches[i]->name;
    std::string html;
    const std::string folded = NameKey(n);
    size_t at = query.empty() ? std::string::npos : folded.find(query);
    // Highlighting needs byte offsets valid in the original; lower-casing can change the
    // length (e.g. U+0130), in which case the name is shown without highlight.
    if (at == std::string::npos || folded.size() != n.size()) {
      html = HtmlEscape(n);
    } else {
      html = HtmlEscape(n.substr(0, at)) + "<b>" + HtmlEscape(n.substr(at, query.size())) +
             "</b>" + HtmlEscape(n.substr(at + query.size()));
    }
    groups.push_back({{"name", n}, {"html", html}, {"labels", nlohmann::json::array()}});
  }
  return JsonResponse(200, {{"header", "Showing " + std::to_string(groups.size()) + " of " +
                                           std::to_string(matches.size()) + " matching groups"},
                            {"total", matches.size()},
                            {"groups", groups}});
}

Response Router::AddToGroup(Ctx& c) {
  std::string name = c.Param("groupname");
  if (name.empty()) return ErrorCollection(400, {kEmptyGroupName});
  Group* g = store_.FindGroup(name);
  if (!g) return ErrorCollection(404, {GroupNotFound(name)});
  std::string username;
  if (c.body.is_object() && c.body.contains("name") && c.body["name"].is_string()) {
    username = c.body["name"].get<std::string>();
  }
  User* u = store_.FindUserByName(username);
  // Jira 6.x answers a missing user with 400 from the group service validation. [SRC]
  if (!u) return ErrorCollection(400, {"Cannot add user. '" + username + "' does not exist"});
  if (g->member_keys.count(u->key)) {
    return ErrorCollection(400, {"Cannot add user '" + u->name +
                                 "', user is already a member of '" + g->name + "'"});
  }
  g->member_keys.insert(u->key);
  nlohmann::json j = GroupJson(c, *g);
  Response r = JsonResponse(201, j);
  r.SetHeader("Location", j["self"].get<std::string>());
  return r;
}

Response Router::RemoveFromGroup(Ctx& c) {
  std::string name = c.Param("groupname");
  std::string username = c.Param("username");
  if (name.empty()) return ErrorCollection(400, {kEmptyGroupName});
  // The user is checked first. [SRC]
  User* u = store_.FindUserByName(username);
  if (!u) return ErrorCollection(404, {"The user named '" + username + "' does not exist"});
  Group* g = store_.FindGroup(name);
  if (!g) return ErrorCollection(404, {GroupNotFound(name)});
  if (!g->member_keys.count(u->key)) {
    return ErrorCollection(400, {"Cannot remove user '" + u->name + "' from group '" + g->name +
                                 "' since user is not a member of '" + g->name + "'"});
  }
  g->member_keys.erase(u->key);
  return EmptyResponse(200);
}

}  // namespace emulator
