#include "acceptance_tests/emulator/store.h"

#include <algorithm>
#include <stdexcept>

#include "acceptance_tests/emulator/http_message.h"
#include "acceptance_tests/emulator/i18n.h"

namespace emulator {

std::vector<int> ParseVersion(const std::string& version) {
  std::vector<int> parts;
  int current = 0;
  bool any = false;
  for (char c : version) {
    if (c >= '0' && c <= '9') {
      current = current * 10 + (c - '0');
      any = true;
    } else if (c == '.') {
      parts.push_back(current);
      current = 0;
      any = false;
    } else {
      break;
    }
  }
  if (any || !parts.empty()) parts.push_back(current);
  while (parts.size() < 3) parts.push_back(0);
  return parts;
}

bool VersionAtLeast(const Options& options, int major, int minor) {
  std::vector<int> v = ParseVersion(options.version);
  return v[0] > major || (v[0] == major && v[1] >= minor);
}

KeyStyle EffectiveKeyStyle(const Options& options) {
  if (options.key_style != KeyStyle::kByVersion) return options.key_style;
  return VersionAtLeast(options, 8, 4) ? KeyStyle::kJiraUser : KeyStyle::kLegacy;
}

Store Store::Seed(const Options& options) {
  Store s;
  s.AddGroup(kAdminGroup);
  s.AddGroup(kSoftwareUsersGroup);
  s.AddGroup(kCoreUsersGroup);
  for (const auto& g : options.groups) {
    if (!s.FindGroup(g)) s.AddGroup(g);
  }

  User admin;
  admin.name = options.admin_user;
  admin.password = options.admin_password;
  admin.display_name = "Administrator";
  admin.email = options.admin_user + "@example.com";
  User& a = s.AddUser(admin, EffectiveKeyStyle(options));
  s.FindGroup(kAdminGroup)->member_keys.insert(a.key);
  s.FindGroup(kSoftwareUsersGroup)->member_keys.insert(a.key);
  for (const auto& seed : options.users) {
    if (s.FindUserByName(seed.name)) continue;
    User u;
    u.name = seed.name;
    u.password = seed.password;
    u.display_name = seed.display_name.empty() ? seed.name : seed.display_name;
    u.email = seed.email.empty() ? seed.name + "@example.com" : seed.email;
    u.active = seed.active;
    User& added = s.AddUser(u, EffectiveKeyStyle(options));
    s.FindGroup(kSoftwareUsersGroup)->member_keys.insert(added.key);
    if (seed.admin) s.FindGroup(kAdminGroup)->member_keys.insert(added.key);
  }

  for (const auto& [child, parent] : options.nests) {
    if (!s.FindGroup(child)) s.AddGroup(child);
    if (!s.FindGroup(parent)) s.AddGroup(parent);
    std::string error;
    if (!s.Nest(child, parent, &error)) {
      throw std::invalid_argument("--nest " + child + ":" + parent + ": " + error);
    }
  }
  for (const auto& name : options.restricted_groups) {
    Group* g = s.FindGroup(name);
    if (!g) g = &s.AddGroup(name);
    g->restricted_items = 1;
  }
  for (const auto& name : options.users_with_content) {
    if (User* u = s.FindUserByName(name)) {
      u->reported_issues = 1;
      u->assigned_issues = 1;
      u->comments = 1;
    }
  }
  for (const auto& [name, language] : options.user_languages) {
    if (User* u = s.FindUserByName(name)) u->language = language;
  }

  // Jira's default project roles.
  s.roles[10000] = {10000, "Users", "A project role that represents users in a project"};
  s.roles[10001] = {10001, "Developers", "A project role that represents developers in a project"};
  s.roles[10002] = {10002, "Administrators",
                    "A project role that represents administrators in a project"};

  Scheme def;
  def.id = 0;
  def.name = "Default Permission Scheme";
  def.description = "This is the default Permission Scheme. Any new projects that are created "
                    "will be assigned this scheme.";
  auto grant = [&](const char* perm, const char* type, std::optional<std::string> param) {
    def.grants.push_back({s.next_id++, perm, type, std::move(param)});
  };
  grant("ADMINISTER_PROJECTS", "projectRole", "10002");
  grant("BROWSE_PROJECTS", "applicationRole", std::nullopt);
  grant("CREATE_ISSUES", "applicationRole", std::nullopt);
  grant("EDIT_ISSUES", "applicationRole", std::nullopt);
  grant("ASSIGNABLE_USER", "applicationRole", std::nullopt);
  grant("ADD_COMMENTS", "applicationRole", std::nullopt);
  grant("DELETE_ISSUES", "projectRole", "10002");
  s.schemes[0] = def;

  s.projects[10000] = {10000, "GL", "GitLab Integration", a.key, 0, "software", 0, ""};
  // Projects asked for with --project KEY=Name, led by the administrator, on the default scheme.
  int64_t next_project = 10001;
  for (const auto& [key, name] : options.projects) {
    if (s.FindProject(key)) continue;
    Project p;
    p.id = next_project++;
    p.key = key;
    p.name = name;
    p.lead_key = a.key;
    s.projects[p.id] = p;
  }
  return s;
}

User* Store::FindUserByName(const std::string& name) {
  auto it = user_index.find(NameKey(name));
  return it == user_index.end() ? nullptr : FindUserByKey(it->second);
}

User* Store::FindUserByKey(const std::string& key) {
  auto it = users.find(key);
  return it == users.end() ? nullptr : &it->second;
}

Group* Store::FindGroup(const std::string& name) {
  auto it = groups.find(NameKey(name));
  return it == groups.end() ? nullptr : &it->second;
}

User& Store::AddUser(User user, KeyStyle style) {
  int64_t n = next_user_id++;
  if (style == KeyStyle::kLegacy) {
    // The key is the lower-cased name at creation and never changes on rename, so a new user
    // can take a renamed user's old name; the key is then taken and Jira falls back to
    // ID<n>. [SRC 6.x UserKeyStoreImpl.ensureUniqueKeyForNewUser]
    user.key = NameKey(user.name);
    if (users.count(user.key)) user.key = "ID" + std::to_string(n);
  } else {
    user.key = "JIRAUSER" + std::to_string(n);
  }
  user_index[NameKey(user.name)] = user.key;
  auto [it, inserted] = users.emplace(user.key, std::move(user));
  return it->second;
}

Group& Store::AddGroup(const std::string& name) {
  Group& g = groups[NameKey(name)];
  g.name = name;
  return g;
}

bool Store::IsMember(const std::string& group, const std::string& user_key) {
  Group* g = FindGroup(group);
  return g && g->member_keys.count(user_key) > 0;
}

std::vector<const Group*> Store::GroupsOf(const std::string& user_key, bool nested) const {
  std::set<std::string> found;  // NameKeys
  for (const auto& [key, g] : groups) {
    if (g.member_keys.count(user_key)) found.insert(key);
  }
  if (nested) {
    // Walk upwards: any group with a found group among its children is found too.
    bool grew = true;
    while (grew) {
      grew = false;
      for (const auto& [key, g] : groups) {
        if (found.count(key)) continue;
        for (const auto& child : g.child_groups) {
          if (found.count(child)) {
            found.insert(key);
            grew = true;
            break;
          }
        }
      }
    }
  }
  std::vector<const Group*> out;
  for (const auto& key : found) out.push_back(&groups.at(key));  // sorted by NameKey
  return out;
}

bool Store::IsEffectiveMember(const std::string& group, const std::string& user_key,
                              bool nested) {
  const Group* g = FindGroup(group);
  return g && MembersOf(*g, nested).count(user_key) > 0;
}

std::set<std::string> Store::MembersOf(const Group& group, bool nested) const {
  std::set<std::string> members = group.member_keys;
  if (!nested) return members;
  std::set<std::string> seen = {NameKey(group.name)};
  std::vector<std::string> pending(group.child_groups.begin(), group.child_groups.end());
  while (!pending.empty()) {
    std::string key = pending.back();
    pending.pop_back();
    if (!seen.insert(key).second) continue;
    auto it = groups.find(key);
    if (it == groups.end()) continue;
    members.insert(it->second.member_keys.begin(), it->second.member_keys.end());
    pending.insert(pending.end(), it->second.child_groups.begin(), it->second.child_groups.end());
  }
  return members;
}

bool Store::Nest(const std::string& child, const std::string& parent, std::string* error) {
  Group* c = FindGroup(child);
  Group* p = FindGroup(parent);
  if (!c || !p) {
    *error = "no such group '" + (c ? parent : child) + "'";
    return false;
  }
  if (c == p) {
    *error = "a group cannot be a member of itself";
    return false;
  }
  // A cycle would appear if `parent` is already below `child`.
  std::set<std::string> seen;
  std::vector<std::string> pending(c->child_groups.begin(), c->child_groups.end());
  while (!pending.empty()) {
    std::string key = pending.back();
    pending.pop_back();
    if (key == NameKey(p->name)) {
      *error = "'" + p->name + "' is already a member of '" + c->name + "'";
      return false;
    }
    if (!seen.insert(key).second) continue;
    auto it = groups.find(key);
    if (it != groups.end()) {
      pending.insert(pending.end(), it->second.child_groups.begin(), it->second.child_groups.end());
    }
  }
  p->child_groups.insert(NameKey(c->name));
  return true;
}

Project* Store::FindProject(const std::string& id_or_key) {
  if (!id_or_key.empty() &&
      std::all_of(id_or_key.begin(), id_or_key.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    if (id_or_key.size() > 18) return nullptr;
    auto it = projects.find(std::stoll(id_or_key));
    return it == projects.end() ? nullptr : &it->second;
  }
  for (auto& [id, p] : projects) {
    if (EqualsIgnoreCase(p.key, id_or_key)) return &p;
  }
  return nullptr;
}

nlohmann::json Store::ToJson() const {
  using nlohmann::json;
  json j;
  j["format"] = 1;
  j["next_user_id"] = next_user_id;
  j["next_id"] = next_id;
  json& ju = j["users"] = json::array();
  for (const auto& [key, u] : users) {
    ju.push_back({{"key", u.key}, {"name", u.name}, {"email", u.email},
                  {"display_name", u.display_name}, {"password", u.password},
                  {"active", u.active},
                  {"language", u.language ? LocaleOf(*u.language) : ""},
                  {"reported", u.reported_issues}, {"assigned", u.assigned_issues},
                  {"comments", u.comments}});
  }
  json& jg = j["groups"] = json::array();
  for (const auto& [lower, g] : groups) {
    jg.push_back({{"name", g.name}, {"members", g.member_keys}, {"children", g.child_groups},
                  {"restricted", g.restricted_items}});
  }
  json& js = j["schemes"] = json::array();
  for (const auto& [id, sc] : schemes) {
    json grants = json::array();
    for (const auto& g : sc.grants) {
      json jgr = {{"id", g.id}, {"permission", g.permission}, {"type", g.holder_type}};
      if (g.holder_parameter) jgr["parameter"] = *g.holder_parameter;
      grants.push_back(jgr);
    }
    js.push_back({{"id", sc.id}, {"name", sc.name}, {"description", sc.description},
                  {"grants", grants}});
  }
  json& jr = j["roles"] = json::array();
  for (const auto& [id, r] : roles) {
    jr.push_back({{"id", r.id}, {"name", r.name}, {"description", r.description}});
  }
  json& jp = j["projects"] = json::array();
  for (const auto& [id, p] : projects) {
    jp.push_back({{"id", p.id}, {"key", p.key}, {"name", p.name}, {"lead", p.lead_key},
                  {"scheme", p.scheme_id}, {"type", p.type_key}, {"category", p.category_id},
                  {"description", p.description}});
  }
  json& jc = j["categories"] = json::array();
  for (const auto& [id, c] : categories) {
    jc.push_back({{"id", c.id}, {"name", c.name}, {"description", c.description}});
  }
  j["failed_logins"] = failed_logins;
  return j;
}

Store Store::FromJson(const nlohmann::json& j) {
  Store s;
  s.next_user_id = j.at("next_user_id").get<int64_t>();
  s.next_id = j.at("next_id").get<int64_t>();
  for (const auto& ju : j.at("users")) {
    User u;
    u.key = ju.at("key").get<std::string>();
    u.name = ju.at("name").get<std::string>();
    u.email = ju.at("email").get<std::string>();
    u.display_name = ju.at("display_name").get<std::string>();
    u.password = ju.at("password").get<std::string>();
    u.active = ju.at("active").get<bool>();
    if (Language lang; ParseLanguage(ju.value("language", ""), &lang)) u.language = lang;
    u.reported_issues = ju.value("reported", int64_t{0});
    u.assigned_issues = ju.value("assigned", int64_t{0});
    u.comments = ju.value("comments", int64_t{0});
    s.user_index[NameKey(u.name)] = u.key;
    s.users[u.key] = u;
  }
  for (const auto& jg : j.at("groups")) {
    Group& g = s.AddGroup(jg.at("name").get<std::string>());
    g.member_keys = jg.at("members").get<std::set<std::string>>();
    g.child_groups = jg.value("children", std::set<std::string>{});
    g.restricted_items = jg.value("restricted", int64_t{0});
  }
  for (const auto& js : j.at("schemes")) {
    Scheme sc;
    sc.id = js.at("id").get<int64_t>();
    sc.name = js.at("name").get<std::string>();
    sc.description = js.at("description").get<std::string>();
    for (const auto& jgr : js.at("grants")) {
      Grant g;
      g.id = jgr.at("id").get<int64_t>();
      g.permission = jgr.at("permission").get<std::string>();
      g.holder_type = jgr.at("type").get<std::string>();
      if (jgr.contains("parameter")) g.holder_parameter = jgr["parameter"].get<std::string>();
      sc.grants.push_back(g);
    }
    s.schemes[sc.id] = sc;
  }
  for (const auto& jr : j.at("roles")) {
    ProjectRole r{jr.at("id").get<int64_t>(), jr.at("name").get<std::string>(),
                  jr.at("description").get<std::string>()};
    s.roles[r.id] = r;
  }
  for (const auto& jp : j.at("projects")) {
    Project p{jp.at("id").get<int64_t>(), jp.at("key").get<std::string>(),
              jp.at("name").get<std::string>(), jp.at("lead").get<std::string>(),
              jp.at("scheme").get<int64_t>(), "software", 0, ""};
    // Older state files have no type, category or description.
    p.type_key = jp.value("type", std::string("software"));
    p.category_id = jp.value("category", int64_t{0});
    p.description = jp.value("description", std::string());
    s.projects[p.id] = p;
  }
  for (const auto& jc : j.value("categories", nlohmann::json::array())) {
    ProjectCategory c{jc.at("id").get<int64_t>(), jc.at("name").get<std::string>(),
                      jc.value("description", std::string())};
    s.categories[c.id] = c;
  }
  s.failed_logins = j.at("failed_logins").get<std::map<std::string, int>>();
  return s;
}

}  // namespace emulator
