// The /group, /group/member, /group/user and /groups/picker resources.
#include <algorithm>

#include "acceptance_tests/emulator/responses.h"
#include "acceptance_tests/emulator/router.h"
#include "acceptance_tests/emulator/router_context.h"

namespace emulator {

namespace {


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
           {{"size", store_.MembersOf(g, options_.nested_groups).size()},
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
  if (name.empty()) return ErrorCollection(400, {c.T("group.name.empty")});
  if (store_.FindGroup(name)) {
    // The message mentions users, but only groups are checked. [SRC string, INF check]
    return ErrorCollection(400, {c.T("group.exists")});
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
  if (name.empty()) return ErrorCollection(400, {c.T("group.name.empty")});
  Group* g = store_.FindGroup(name);
  if (!g) return ErrorCollection(404, {c.T("group.not.found", {name})});
  nlohmann::json j = GroupJson(c, *g);
  if (c.Param("expand").find("users") != std::string::npos) {
    // Active members only, at most 50, members of nested subgroups included ("active users
    // belonging to the specified group and its subgroups", REST reference of GET /group). [SRC/OBS/DOC]
    std::vector<const User*> members;
    for (const auto& key : store_.MembersOf(*g, options_.nested_groups)) {
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
  if (name.empty()) return ErrorCollection(400, {c.T("group.name.empty")});
  Group* g = store_.FindGroup(name);
  if (!g) return ErrorCollection(404, {c.T("group.not.found", {name})});
  // Checks in DefaultGroupService.validateDelete's order: the caller's own administration
  // rights, then comments/worklogs restricted to the group (a swap group is required), then
  // the swap group itself. Each failure is a 400 with one error message. [SRC 6.x]
  if (SameName(g->name, kAdminGroup) &&
      store_.IsEffectiveMember(g->name, c.caller->key, options_.nested_groups)) {
    // The only group granting ADMINISTER in the emulator.
    return ErrorCollection(400, {c.T("group.delete.admin")});
  }
  const std::string* swap = c.query.Get("swapGroup");
  if (swap && swap->empty()) swap = nullptr;
  if (g->restricted_items > 0 && !swap) {
    return ErrorCollection(400, {c.T("group.swap.required")});
  }
  Group* swap_to = nullptr;
  if (swap) {
    if (SameName(*swap, g->name)) {
      return ErrorCollection(400, {c.T("group.swap.self")});
    }
    swap_to = store_.FindGroup(*swap);
    if (!swap_to) {
      return ErrorCollection(400, {c.T("group.swap.invalid")});
    }
  }
  // The restricted comments and worklogs now belong to the swap group.
  // [SRC 6.x: CommentManager.swapCommentGroupRestriction, WorklogManager likewise]
  if (swap_to) swap_to->restricted_items += g->restricted_items;
  // Cascade: every scheme grant held by the group goes, then the group and its memberships.
  for (auto& [id, s] : store_.schemes) {
    std::erase_if(s.grants, [&](const Grant& gr) {
      return gr.holder_type == "group" && gr.holder_parameter &&
             SameName(*gr.holder_parameter, g->name);
    });
  }
  const std::string gone = NameKey(g->name);
  for (auto& [key, other] : store_.groups) other.child_groups.erase(gone);
  store_.groups.erase(gone);
  return EmptyResponse(200);
}

Response Router::GroupMembers(Ctx& c) {
  std::string name = c.Param("groupname");
  if (name.empty()) return ErrorCollection(400, {c.T("group.name.empty")});
  Group* g = store_.FindGroup(name);
  if (!g) return ErrorCollection(404, {c.T("group.not.found", {name})});
  bool inactive = c.BoolParam("includeInactiveUsers", false);
  const int64_t start = c.IntParam("startAt", 0, 0, int64_t{1} << 40);
  const int max = static_cast<int>(c.IntParam("maxResults", 50, 1, 50));
  // "Users who are members of the specified group and its subgroups", sorted by name (REST
  // reference of GET /group/member, Jira Server 7.0+). With nested groups on, this list cannot
  // tell a direct member from an inherited one. [DOC]
  std::vector<const User*> members;
  for (const auto& key : store_.MembersOf(*g, options_.nested_groups)) {
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
  // See Options::group_picker_limit for the two behaviours of maxResults.
  const int limit = options_.group_picker_limit;
  int max = static_cast<int>(c.IntParam("maxResults", limit, 0, 100000));
  if (!options_.group_picker_honours_max_results) max = std::min(max, limit);
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
  return JsonResponse(200, {{"header", c.T("group.picker.header",
                                           {std::to_string(groups.size()),
                                            std::to_string(matches.size())})},
                            {"total", matches.size()},
                            {"groups", groups}});
}

Response Router::AddToGroup(Ctx& c) {
  std::string name = c.Param("groupname");
  if (name.empty()) return ErrorCollection(400, {c.T("group.name.empty")});
  Group* g = store_.FindGroup(name);
  if (!g) return ErrorCollection(404, {c.T("group.not.found", {name})});
  std::string username;
  if (c.body.is_object() && c.body.contains("name") && c.body["name"].is_string()) {
    username = c.body["name"].get<std::string>();
  }
  User* u = store_.FindUserByName(username);
  // Jira 6.x answers a missing user with 400 from the group service validation. [SRC]
  if (!u) return ErrorCollection(400, {c.T("group.add.no.user", {username})});
  // The group service refuses the add when GroupManager.isUserInGroup is true, and that check
  // follows nested memberships (CrowdService.isUserMemberOfGroup: "direct or indirect"), so a
  // user who is in the group only through a subgroup cannot be made a direct member over
  // REST. [INF from SRC 6.x DefaultGroupService, CrowdService javadoc]
  if (store_.IsEffectiveMember(g->name, u->key, options_.nested_groups)) {
    return ErrorCollection(400, {c.T("group.add.member", {u->name, g->name})});
  }
  // A group that grants an application takes a licence seat for the user; none left means
  // a 400 from the group service's licence check. [SRC 6.x: DefaultGroupService validation,
  // jira-api.md §2.7 "licence limit"; INF wording]
  auto before = SeatUsage();
  g->member_keys.insert(u->key);
  if (const Application* over = OverSeats(before)) {
    g->member_keys.erase(u->key);
    return SeatsExceeded(c, *over);
  }
  nlohmann::json j = GroupJson(c, *g);
  Response r = JsonResponse(201, j);
  r.SetHeader("Location", j["self"].get<std::string>());
  return r;
}

Response Router::RemoveFromGroup(Ctx& c) {
  std::string name = c.Param("groupname");
  std::string username = c.Param("username");
  if (name.empty()) return ErrorCollection(400, {c.T("group.name.empty")});
  // The user is checked first. [SRC]
  User* u = store_.FindUserByName(username);
  if (!u) return ErrorCollection(404, {c.T("user.not.found", {username})});
  Group* g = store_.FindGroup(name);
  if (!g) return ErrorCollection(404, {c.T("group.not.found", {name})});
  // Only a direct membership can be removed (Crowd removeUserFromGroup); an inherited one
  // answers like no membership at all. [INF from SRC]
  if (!g->member_keys.count(u->key)) {
    return ErrorCollection(400, {c.T("group.remove.not.member", {u->name, g->name})});
  }
  g->member_keys.erase(u->key);
  return EmptyResponse(200);
}

}  // namespace emulator
