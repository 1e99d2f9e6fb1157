// Tests of the emulator's Jira profiles: Unicode name identity, languages, e-mail visibility,
// nested groups, version profiles, restricted groups, the group picker limit, the redirect
// front and application access (no sockets).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "acceptance_tests/emulator/test_util.h"

namespace emulator {
namespace {

using ::testing::ElementsAre;
using testing::BasicAuth;
using testing::Json;
using ProfileTest = testing::RouterFixture;

// ---- Unicode names

TEST_F(ProfileTest, GroupNamesFoldCaseBeyondAscii) {
  CreateGroup("Équipe");
  Response dup = Call("POST", "/rest/api/2/group", {{"name", "équipe"}});
  EXPECT_EQ(dup.status, 400);
  EXPECT_THAT(Messages(dup), ElementsAre("A group or user with this name already exists."));
  AddMember("ÉQUIPE", "bob");
  auto members = Json(Get("/rest/api/2/group/member?groupname=%C3%A9quipe"));
  ASSERT_EQ(members["values"].size(), 1u);
  EXPECT_EQ(members["self"].get<std::string>().find("groupname=%C3%89quipe") != std::string::npos,
            true);
  auto picker = Json(Get("/rest/api/2/groups/picker?query=%C3%A9QUI"));
  ASSERT_EQ(picker["groups"].size(), 1u);
  EXPECT_EQ(picker["groups"][0]["name"], "Équipe");
  EXPECT_EQ(picker["groups"][0]["html"], "<b>Équi</b>pe");
  EXPECT_EQ(Call("DELETE", "/rest/api/2/group?groupname=%C3%A9quipe").status, 200);
  EXPECT_EQ(Get("/rest/api/2/group/member?groupname=%C3%89quipe").status, 404);
}

TEST_F(ProfileTest, UserNamesFoldCaseBeyondAsciiButNotSharpS) {
  CreateUser("Jürgen");
  Response dup = Call("POST", "/rest/api/2/user",
                      {{"name", "JÜRGEN"}, {"emailAddress", "j@example.com"},
                       {"displayName", "J"}});
  EXPECT_EQ(dup.status, 400);
  EXPECT_EQ(FieldError(dup, "username"), "A user with that username already exists.");
  EXPECT_EQ(Json(Get("/rest/api/2/user?username=j%C3%BCrgen"))["name"], "Jürgen");
  // Lower-casing never maps a letter to "ss": Straße and STRASSE are two users.
  CreateUser("Straße");
  CreateUser("STRASSE");
  EXPECT_EQ(Json(Get("/rest/api/2/user?username=stra%C3%9Fe"))["name"], "Straße");
  EXPECT_EQ(Json(Get("/rest/api/2/user?username=strasse"))["name"], "STRASSE");
}

TEST_F(ProfileTest, SchemeNamesFoldCaseBeyondAscii) {
  Response a = Call("POST", "/rest/api/2/permissionscheme", {{"name", "Équipe scheme"}});
  ASSERT_EQ(a.status, 201) << a.body;
  Response b = Call("POST", "/rest/api/2/permissionscheme", {{"name", "équipe SCHEME"}});
  EXPECT_EQ(b.status, 400);
  EXPECT_THAT(Messages(b), ElementsAre("A Scheme with this name already exists."));
}


// ---- languages

// The same failures in English and German: same status, same `errors` keys, other words.
TEST_F(ProfileTest, GermanInstanceAnswersGermanWithSameStatusAndKeys) {
  auto failures = [&]() {
    std::vector<Response> out;
    CreateGroup("devs");
    out.push_back(Call("POST", "/rest/api/2/group", {{"name", "DEVS"}}));
    out.push_back(Call("DELETE", "/rest/api/2/group/user?groupname=devs&username=bob"));
    AddMember("devs", "bob");
    out.push_back(Call("POST", "/rest/api/2/group/user?groupname=devs", {{"name", "bob"}}));
    out.push_back(Call("POST", "/rest/api/2/user",
                       {{"name", "bob"}, {"emailAddress", "x"}, {"displayName", ""}}));
    out.push_back(Get("/rest/api/2/user?username=nobody"));
    out.push_back(Call("POST", "/rest/api/2/group", {{"name", "x"}}, BasicAuth("bob", "bobpw")));
    out.push_back(Call("GET", "/rest/api/2/myself", nullptr, ""));
    return out;
  };
  std::vector<Response> en = failures();
  options_.language = Language::kGerman;
  Restart();
  std::vector<Response> de = failures();
  ASSERT_EQ(en.size(), de.size());
  for (size_t i = 0; i < en.size(); ++i) {
    SCOPED_TRACE(de[i].body);
    EXPECT_EQ(en[i].status, de[i].status);
    auto je = Json(en[i]), jd = Json(de[i]);
    EXPECT_EQ(je["errorMessages"].size(), jd["errorMessages"].size());
    std::vector<std::string> keys_en, keys_de;
    for (auto& [k, v] : je["errors"].items()) keys_en.push_back(k);
    for (auto& [k, v] : jd["errors"].items()) keys_de.push_back(k);
    EXPECT_EQ(keys_en, keys_de);
    EXPECT_NE(en[i].body, de[i].body);
  }
  EXPECT_THAT(Messages(de[0]),
              ElementsAre("Eine Gruppe oder ein Benutzer mit diesem Namen existiert bereits."));
  EXPECT_THAT(Messages(de[1]),
              ElementsAre("Der Benutzer 'bob' kann nicht aus der Gruppe 'devs' entfernt werden, "
                          "da er kein Mitglied von 'devs' ist"));
  EXPECT_THAT(Messages(de[2]), ElementsAre("Der Benutzer 'bob' kann nicht hinzugefügt werden, da "
                                           "er bereits Mitglied von 'devs' ist"));
  EXPECT_EQ(FieldError(de[3], "username"),
            "Ein Benutzer mit diesem Benutzernamen existiert bereits.");
  EXPECT_EQ(FieldError(de[3], "email"), "Sie müssen eine gültige E-Mail-Adresse angeben.");
  EXPECT_EQ(FieldError(de[3], "fullname"), "Sie müssen einen vollständigen Namen angeben.");
  EXPECT_THAT(Messages(de[4]), ElementsAre("Der Benutzer 'nobody' existiert nicht"));
  EXPECT_EQ(Json(Get("/rest/api/2/myself"))["locale"], "de_DE");
}

TEST_F(ProfileTest, AccountLanguageOverridesTheInstanceDefault) {
  options_.user_languages["bob"] = Language::kGerman;
  Restart();
  Response bob = Call("GET", "/rest/api/2/group/member?groupname=x", nullptr,
                      BasicAuth("bob", "bobpw"));
  EXPECT_EQ(bob.status, 403);
  EXPECT_THAT(Messages(bob), ElementsAre("Sie sind nicht berechtigt, diesen Vorgang auszuführen. "
                                         "Jira-Administratorrechte sind erforderlich."));
  EXPECT_EQ(Json(Get("/rest/api/2/user?username=bob"))["locale"], "de_DE");
  // The administrator still gets English until their profile says otherwise.
  Response admin = Get("/rest/api/2/group/member?groupname=x");
  EXPECT_EQ(admin.status, 404);
  EXPECT_THAT(Messages(admin), ElementsAre("The group named 'x' does not exist"));
  Response set = router_->Handle(testing::MakeRequest(
      "POST", "/_emulator/user-language", R"({"username":"ADMIN","language":"de"})", ""));
  EXPECT_EQ(set.status, 204) << set.body;
  admin = Get("/rest/api/2/group/member?groupname=x");
  EXPECT_EQ(admin.status, 404);
  EXPECT_THAT(Messages(admin), ElementsAre("Die Gruppe 'x' existiert nicht"));
  EXPECT_EQ(router_->Handle(testing::MakeRequest("POST", "/_emulator/user-language",
                                                 R"({"username":"admin","language":"fr"})", ""))
                .status,
            400);
  EXPECT_EQ(router_->Handle(testing::MakeRequest("POST", "/_emulator/user-language",
                                                 R"({"username":"nobody","language":null})", ""))
                .status,
            404);
  router_->Handle(testing::MakeRequest("POST", "/_emulator/user-language",
                                       R"({"username":"admin","language":null})", ""));
  EXPECT_THAT(Messages(Get("/rest/api/2/group/member?groupname=x")),
              ElementsAre("The group named 'x' does not exist"));
}

TEST_F(ProfileTest, SchemeErrorsAreTranslatedToo) {
  options_.language = Language::kGerman;
  Restart();
  Response r = Call("POST", "/rest/api/2/permissionscheme",
                    {{"name", "S"},
                     {"permissions",
                      {{{"holder", {{"type", "group"}, {"parameter", "nope"}}},
                        {"permission", "ADMINISTER"}}}}});
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(Messages(r),
              ElementsAre("Die globale Berechtigung 'ADMINISTER' kann nicht in einem "
                          "Berechtigungsschema vergeben werden.",
                          "Die Gruppe nope existiert nicht"));
  EXPECT_THAT(Messages(Get("/rest/api/2/permissionscheme/999")),
              ElementsAre("Das Berechtigungsschema mit der ID '999' existiert nicht."));
}


// ---- e-mail visibility

// Collects every user representation of bob the REST API gives.
std::vector<nlohmann::json> BobEverywhere(Router& router) {
  auto get = [&](const std::string& target) {
    return Json(router.Handle(testing::MakeRequest("GET", target)));
  };
  std::vector<nlohmann::json> out;
  out.push_back(get("/rest/api/2/user?username=bob"));
  out.push_back(get("/rest/api/2/user/search?username=bob")[0]);
  out.push_back(get("/rest/api/2/group/member?groupname=jira-software-users")["values"][1]);
  out.push_back(Json(router.Handle(testing::MakeRequest("GET", "/rest/api/2/myself", "",
                                                        BasicAuth("bob", "bobpw")))));
  return out;
}

TEST_F(ProfileTest, EmailVisibilityPublicMaskedHidden) {
  for (const auto& j : BobEverywhere(*router_)) {
    EXPECT_EQ(j["name"], "bob");
    EXPECT_EQ(j["emailAddress"], "bob@example.com");
  }
  options_.users[0].email = "bob.builder@mail.example.com";
  options_.email_visibility = EmailVisibility::kMasked;
  Restart();
  for (const auto& j : BobEverywhere(*router_)) {
    EXPECT_EQ(j["name"], "bob");
    EXPECT_EQ(j["emailAddress"], "bob dot builder at mail dot example dot com");
  }
  options_.email_visibility = EmailVisibility::kHidden;
  Restart();
  for (const auto& j : BobEverywhere(*router_)) {
    EXPECT_EQ(j["name"], "bob");
    EXPECT_FALSE(j.contains("emailAddress")) << j.dump();
  }
  // Writes still take the real address; only what is shown changes.
  Response created = Call("POST", "/rest/api/2/user",
                          {{"name", "carol"}, {"emailAddress", "carol@example.com"},
                           {"displayName", "Carol"}});
  ASSERT_EQ(created.status, 201);
  EXPECT_FALSE(Json(created).contains("emailAddress"));
  router_->WithStore([](Store& s) { EXPECT_EQ(s.FindUserByName("carol")->email, "carol@example.com"); });
}

TEST_F(ProfileTest, AdministratorsSeeAddressesOnlyWhenSwitchedOn) {
  options_.email_visibility = EmailVisibility::kMasked;
  options_.admins_see_email = true;
  Restart();
  EXPECT_EQ(Json(Get("/rest/api/2/user?username=bob"))["emailAddress"], "bob@example.com");
  Response as_bob = Call("GET", "/rest/api/2/user?username=admin", nullptr, BasicAuth("bob", "bobpw"));
  EXPECT_EQ(Json(as_bob)["emailAddress"], "admin at example dot com");
}


// ---- nested groups

std::vector<std::string> GroupNames(const nlohmann::json& user) {
  std::vector<std::string> out;
  for (const auto& g : user["groups"]["items"]) out.push_back(g["name"].get<std::string>());
  return out;
}

TEST_F(ProfileTest, NestedGroupsAreInheritedWhereJiraListsEffectiveMembership) {
  options_.nested_groups = true;
  options_.nests = {{"devs", "staff"}, {"staff", "everyone"}};
  Restart();
  AddMember("devs", "bob");
  auto bob = Json(Get("/rest/api/2/user?username=bob&expand=groups"));
  EXPECT_THAT(GroupNames(bob), ElementsAre("devs", "everyone", "jira-software-users", "staff"));
  EXPECT_EQ(bob["groups"]["size"], 4);
  // /group/member includes members of subgroups at any depth.
  auto everyone = Json(Get("/rest/api/2/group/member?groupname=everyone"));
  ASSERT_EQ(everyone["values"].size(), 1u);
  EXPECT_EQ(everyone["values"][0]["name"], "bob");
  // Adding a direct membership on top of an inherited one is refused as "already a member";
  // removing a membership that is only inherited is refused as "not a member".
  Response add = Call("POST", "/rest/api/2/group/user?groupname=staff", {{"name", "bob"}});
  EXPECT_EQ(add.status, 400);
  EXPECT_THAT(Messages(add), ElementsAre("Cannot add user 'bob', user is already a member of 'staff'"));
  Response remove = Call("DELETE", "/rest/api/2/group/user?groupname=staff&username=bob");
  EXPECT_EQ(remove.status, 400);
  // Removing the direct membership drops the inherited ones with it.
  EXPECT_EQ(Call("DELETE", "/rest/api/2/group/user?groupname=devs&username=bob").status, 200);
  EXPECT_THAT(GroupNames(Json(Get("/rest/api/2/user?username=bob&expand=groups"))),
              ElementsAre("jira-software-users"));
  EXPECT_EQ(Json(Get("/rest/api/2/group/member?groupname=everyone"))["total"], 0);
}

TEST_F(ProfileTest, NestedAdministratorGroupGrantsAdministration) {
  options_.nested_groups = true;
  options_.nests = {{"admins-ldap", "jira-administrators"}};
  Restart();
  AddMember("admins-ldap", "bob");
  EXPECT_EQ(Call("GET", "/rest/api/2/group/member?groupname=admins-ldap", nullptr,
                 BasicAuth("bob", "bobpw")).status,
            200);
  // The same links without nested groups: kept, but without effect.
  options_.nested_groups = false;
  Restart();
  AddMember("admins-ldap", "bob");
  EXPECT_EQ(Call("GET", "/rest/api/2/group/member?groupname=admins-ldap", nullptr,
                 BasicAuth("bob", "bobpw")).status,
            403);
  EXPECT_THAT(GroupNames(Json(Get("/rest/api/2/user?username=bob&expand=groups"))),
              ElementsAre("admins-ldap", "jira-software-users"));
}

TEST_F(ProfileTest, NestingThroughTheEmulatorEndpointRefusesCycles) {
  options_.nested_groups = true;
  Restart();
  CreateGroup("a");
  CreateGroup("b");
  auto nest = [&](const std::string& path, const std::string& child, const std::string& parent) {
    return router_->Handle(testing::MakeRequest(
        "POST", path, nlohmann::json{{"child", child}, {"parent", parent}}.dump(), ""));
  };
  EXPECT_EQ(nest("/_emulator/nest", "a", "B").status, 204);
  EXPECT_EQ(nest("/_emulator/nest", "b", "a").status, 400);
  EXPECT_EQ(nest("/_emulator/nest", "a", "a").status, 400);
  EXPECT_EQ(nest("/_emulator/nest", "a", "nope").status, 400);
  AddMember("a", "bob");
  EXPECT_EQ(Json(Get("/rest/api/2/group/member?groupname=b"))["total"], 1);
  EXPECT_EQ(nest("/_emulator/unnest", "A", "b").status, 204);
  EXPECT_EQ(nest("/_emulator/unnest", "a", "b").status, 404);
  EXPECT_EQ(Json(Get("/rest/api/2/group/member?groupname=b"))["total"], 0);
  // Deleting a child group removes its link too.
  EXPECT_EQ(nest("/_emulator/nest", "a", "b").status, 204);
  EXPECT_EQ(Call("DELETE", "/rest/api/2/group?groupname=a").status, 200);
  router_->WithStore([](Store& s) { EXPECT_TRUE(s.FindGroup("b")->child_groups.empty()); });
  options_.nests = {{"x", "y"}, {"y", "x"}};
  EXPECT_THROW(Restart(), std::invalid_argument);
}


// ---- version profiles

TEST_F(ProfileTest, EveryVersionProfileSwitchesItsBehaviours) {
  struct Profile {
    const char* version;
    bool legacy_keys, active_over_rest, tokens, group_resource;
    size_t search_cap;
  };
  const Profile profiles[] = {
      {"8.0.0", true, false, false, true, 1000},   {"8.3.0", true, true, false, true, 1000},
      {"8.4.0", false, true, false, true, 1000},   {"8.5.3", false, true, false, true, 1000},
      {"8.20.10", false, true, true, true, 1000},  {"9.4.0", false, true, true, true, 1000},
      {"9.12.2", false, true, true, true, 1000},   {"10.3.1", false, true, true, false, 100},
  };
  for (const Profile& p : profiles) {
    SCOPED_TRACE(p.version);
    options_.version = p.version;
    Restart();
    EXPECT_EQ(Json(Get("/rest/api/2/serverInfo"))["version"], p.version);
    auto zed = CreateUser("Zed");
    if (p.legacy_keys) {
      EXPECT_EQ(zed["key"], "zed");
    } else {
      EXPECT_EQ(zed["key"].get<std::string>().rfind("JIRAUSER", 0), 0u) << zed["key"];
    }
    Response off = Call("PUT", "/rest/api/2/user?username=zed", {{"active", false}});
    if (p.active_over_rest) {
      EXPECT_EQ(off.status, 200);
      EXPECT_EQ(Json(off)["active"], false);
    } else {
      EXPECT_EQ(off.status, 400);
      EXPECT_THAT(Messages(off), ElementsAre("error.no.value.found.to.be.changed"));
      Response mixed = Call("PUT", "/rest/api/2/user?username=zed",
                            {{"active", false}, {"displayName", "Zed Z"}});
      EXPECT_EQ(mixed.status, 200);
      EXPECT_EQ(Json(mixed)["active"], true);  // silently ignored
    }
    EXPECT_EQ(Call("GET", "/rest/api/2/myself", nullptr, "Bearer pat-admin").status,
              p.tokens ? 200 : 401);
    EXPECT_EQ(Get("/rest/api/2/group?groupname=jira-administrators").status,
              p.group_resource ? 200 : 404);
    router_->WithStore([](Store& s) {
      for (int i = 0; i < 120; ++i) {
        User u;
        u.name = "bulk" + std::to_string(100 + i);
        u.email = u.name + "@e.com";
        u.display_name = u.name;
        s.AddUser(u, KeyStyle::kJiraUser);
      }
    });
    EXPECT_EQ(Json(Get("/rest/api/2/user/search?username=bulk&maxResults=1000")).size(),
              std::min<size_t>(p.search_cap, 120));
  }
}

TEST_F(ProfileTest, LegacyKeysSurviveRenamesSoANewUserCanTakeTheOldName) {
  options_.version = "8.3.0";
  Restart();
  EXPECT_EQ(CreateUser("dora")["key"], "dora");
  Response renamed = Call("PUT", "/rest/api/2/user?username=dora", {{"name", "dora.old"}});
  ASSERT_EQ(renamed.status, 200);
  EXPECT_EQ(Json(renamed)["key"], "dora");
  auto fresh = CreateUser("Dora");
  EXPECT_NE(fresh["key"], "dora");
  EXPECT_EQ(fresh["key"].get<std::string>().rfind("ID", 0), 0u) << fresh["key"];
  EXPECT_EQ(Json(Get("/rest/api/2/user?key=dora"))["name"], "dora.old");
  EXPECT_EQ(Json(Get("/rest/api/2/user?username=dora"))["key"], fresh["key"]);
  // An explicit key style wins over the version.
  options_.key_style = KeyStyle::kJiraUser;
  Restart();
  EXPECT_EQ(CreateUser("eve")["key"].get<std::string>().rfind("JIRAUSER", 0), 0u);
}


// ---- restricted groups and users with content

TEST_F(ProfileTest, RestrictedGroupNeedsAValidSwapGroupInBothLanguages) {
  options_.restricted_groups = {"support"};
  Restart();
  CreateGroup("helpdesk");
  Response plain = Call("DELETE", "/rest/api/2/group?groupname=SUPPORT");
  EXPECT_EQ(plain.status, 400);
  EXPECT_THAT(Messages(plain),
              ElementsAre("You must specify a group to move comments/worklogs to."));
  EXPECT_EQ(Call("DELETE", "/rest/api/2/group?groupname=support&swapGroup=support").status, 400);
  EXPECT_EQ(Call("DELETE", "/rest/api/2/group?groupname=support&swapGroup=nope").status, 400);
  EXPECT_EQ(Get("/rest/api/2/group/member?groupname=support").status, 200);  // still there
  router_->Handle(testing::MakeRequest("POST", "/_emulator/user-language",
                                       R"({"username":"admin","language":"de"})", ""));
  Response german = Call("DELETE", "/rest/api/2/group?groupname=support");
  EXPECT_EQ(german.status, 400);
  EXPECT_THAT(Messages(german), ElementsAre("Sie müssen eine Gruppe angeben, in die "
                                            "Kommentare/Arbeitsprotokolle verschoben werden."));
  EXPECT_EQ(Call("DELETE", "/rest/api/2/group?groupname=support&swapGroup=helpdesk").status, 200);
  EXPECT_EQ(Get("/rest/api/2/group/member?groupname=support").status, 404);
  // The restriction moved with the content.
  EXPECT_EQ(Call("DELETE", "/rest/api/2/group?groupname=helpdesk").status, 400);
  // Through the emulator endpoint: lift it, then the plain delete works.
  Response lift = router_->Handle(testing::MakeRequest(
      "POST", "/_emulator/restricted-group", R"({"group":"helpdesk","items":0})", ""));
  EXPECT_EQ(lift.status, 204);
  EXPECT_EQ(Call("DELETE", "/rest/api/2/group?groupname=helpdesk").status, 200);
  EXPECT_EQ(router_->Handle(testing::MakeRequest("POST", "/_emulator/restricted-group",
                                                 R"({"group":"nope"})", ""))
                .status,
            404);
}

TEST_F(ProfileTest, UserWithContentCannotBeDeleted) {
  options_.users_with_content = {"bob"};
  Restart();
  Response r = Call("DELETE", "/rest/api/2/user?username=bob");
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(Messages(r),
              ElementsAre("Cannot delete user 'bob' because 1 issues have been reported by this user",
                          "Cannot delete user 'bob' because 1 issues are assigned to this user",
                          "Cannot delete user 'bob' because they have made 1 comments"));
  EXPECT_EQ(Json(r)["errors"], nlohmann::json::object());
  EXPECT_EQ(Get("/rest/api/2/user?username=bob").status, 200);
  // Deactivating stays possible, which is what a client can offer instead.
  EXPECT_EQ(Call("PUT", "/rest/api/2/user?username=bob", {{"active", false}}).status, 200);
  CreateUser("carl");
  Response set = router_->Handle(testing::MakeRequest(
      "POST", "/_emulator/user-content", R"({"username":"carl","comments":3})", ""));
  EXPECT_EQ(set.status, 204);
  Response carl = Call("DELETE", "/rest/api/2/user?username=carl");
  EXPECT_EQ(carl.status, 400);
  EXPECT_THAT(Messages(carl), ElementsAre("Cannot delete user 'carl' because they have made 3 comments"));
  router_->Handle(testing::MakeRequest("POST", "/_emulator/user-content",
                                       R"({"username":"carl","comments":0})", ""));
  EXPECT_EQ(Call("DELETE", "/rest/api/2/user?username=carl").status, 204);
}


// ---- group picker limit

TEST_F(ProfileTest, GroupPickerNeverReturnsMoreThanTheLimit) {
  router_->WithStore([](Store& s) {
    for (int i = 0; i < 30; ++i) s.AddGroup("team-" + std::to_string(100 + i));
  });
  auto j = Json(Get("/rest/api/2/groups/picker?query=team&maxResults=1000"));
  EXPECT_EQ(j["groups"].size(), 20u);
  EXPECT_EQ(j["total"], 30);
  EXPECT_EQ(j["header"], "Showing 20 of 30 matching groups");
  EXPECT_EQ(Json(Get("/rest/api/2/groups/picker?query=team&maxResults=5"))["groups"].size(), 5u);
  options_.group_picker_limit = 7;
  Restart();
  router_->WithStore([](Store& s) {
    for (int i = 0; i < 30; ++i) s.AddGroup("team-" + std::to_string(100 + i));
  });
  EXPECT_EQ(Json(Get("/rest/api/2/groups/picker?query=team"))["groups"].size(), 7u);
  EXPECT_EQ(Json(Get("/rest/api/2/groups/picker?query=team&maxResults=50"))["groups"].size(), 7u);
  options_.group_picker_honours_max_results = true;
  Restart();
  router_->WithStore([](Store& s) {
    for (int i = 0; i < 30; ++i) s.AddGroup("team-" + std::to_string(100 + i));
  });
  EXPECT_EQ(Json(Get("/rest/api/2/groups/picker?query=team"))["groups"].size(), 7u);
  EXPECT_EQ(Json(Get("/rest/api/2/groups/picker?query=team&maxResults=25"))["groups"].size(), 25u);
}


// ---- redirecting proxy

TEST_F(ProfileTest, RedirectAnswersEveryApiRequestWithLocation) {
  options_.redirect_url = "https://jira.example.com";
  Restart();
  Response r = Get("/rest/api/2/user?username=bob&expand=groups");
  EXPECT_EQ(r.status, 302);
  EXPECT_EQ(*r.Header("Location"), "https://jira.example.com/rest/api/2/user?username=bob&expand=groups");
  EXPECT_FALSE(r.Header("X-AUSERNAME"));  // the proxy answered, not Jira
  EXPECT_EQ(Call("POST", "/rest/api/2/group", {{"name", "x"}}).status, 302);
  router_->WithStore([](Store& s) { EXPECT_EQ(s.FindGroup("x"), nullptr); });
  // The control endpoints stay reachable.
  EXPECT_EQ(router_->Handle(testing::MakeRequest("GET", "/_emulator/stats", "", "")).status, 200);
  options_.redirect_status = 301;
  Restart();
  EXPECT_EQ(Get("/rest/api/2/serverInfo").status, 301);
}

TEST_F(ProfileTest, RedirectToTheContextPathServesRequestsInsideIt) {
  options_.context_path = "/jira";
  options_.redirect_url = "http://jira.test/jira";
  Restart();
  Response outside = Get("/rest/api/2/myself");
  EXPECT_EQ(outside.status, 302);
  EXPECT_EQ(*outside.Header("Location"), "http://jira.test/jira/rest/api/2/myself");
  Response inside = Get("/jira/rest/api/2/myself");
  EXPECT_EQ(inside.status, 200);
  EXPECT_EQ(Json(inside)["name"], "admin");
  EXPECT_EQ(router_->Handle(testing::MakeRequest("GET", "/jira/_emulator/stats", "", "")).status, 200);
}


// ---- application access

std::vector<std::string> RoleKeys(const nlohmann::json& user) {
  std::vector<std::string> out;
  for (const auto& r : user["applicationRoles"]["items"]) out.push_back(r["key"].get<std::string>());
  return out;
}

TEST_F(ProfileTest, ApplicationKeysOnCreateAreReadBackWithExpand) {
  Response r = Call("POST", "/rest/api/2/user",
                    {{"name", "gitlab"}, {"emailAddress", "gitlab@example.com"},
                     {"displayName", "GitLab"}, {"applicationKeys", {"jira-core", "jira-software"}}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Json(r)["applicationRoles"]["size"], 2);
  auto plain = Json(Get("/rest/api/2/user?username=gitlab"));
  EXPECT_EQ(plain["applicationRoles"]["size"], 2);
  EXPECT_TRUE(plain["applicationRoles"]["items"].empty());
  auto expanded = Json(Get("/rest/api/2/user?username=gitlab&expand=applicationRoles"));
  EXPECT_THAT(RoleKeys(expanded), ElementsAre("jira-core", "jira-software"));
  EXPECT_EQ(expanded["applicationRoles"]["items"][1]["name"], "Jira Software");
  // Default access is Jira Software only; an unknown key is refused.
  CreateUser("dev");
  EXPECT_THAT(RoleKeys(Json(Get("/rest/api/2/user?username=dev&expand=applicationRoles"))),
              ElementsAre("jira-software"));
  Response unknown = Call("POST", "/rest/api/2/user",
                          {{"name", "x"}, {"emailAddress", "x@example.com"}, {"displayName", "X"},
                           {"applicationKeys", {"jira-servicedesk"}}});
  EXPECT_EQ(unknown.status, 400);
  EXPECT_THAT(Messages(unknown), ElementsAre("The application with key 'jira-servicedesk' does not exist."));
}

TEST_F(ProfileTest, UserApplicationEndpointsGrantAndRevokeAccess) {
  CreateUser("dev");
  Response add = Call("POST", "/rest/api/2/user/application?username=dev&applicationKey=jira-core");
  EXPECT_EQ(add.status, 200) << add.body;
  EXPECT_THAT(RoleKeys(Json(Get("/rest/api/2/user?username=dev&expand=applicationRoles"))),
              ElementsAre("jira-core", "jira-software"));
  EXPECT_EQ(Call("POST", "/rest/api/2/user/application?username=dev&applicationKey=jira-core").status,
            200);  // already there
  Response del =
      Call("DELETE", "/rest/api/2/user/application?username=dev&applicationKey=jira-software");
  EXPECT_EQ(del.status, 204);
  auto dev = Json(Get("/rest/api/2/user?username=dev&expand=applicationRoles,groups"));
  EXPECT_THAT(RoleKeys(dev), ElementsAre("jira-core"));
  EXPECT_THAT(GroupNames(dev), ElementsAre("jira-core-users"));
  EXPECT_EQ(Call("POST", "/rest/api/2/user/application?username=nobody&applicationKey=jira-core")
                .status,
            400);
  EXPECT_EQ(Call("POST", "/rest/api/2/user/application?username=dev&applicationKey=nope").status,
            400);
  EXPECT_EQ(Call("POST", "/rest/api/2/user/application?username=dev&applicationKey=jira-core",
                 nullptr, BasicAuth("bob", "bobpw"))
                .status,
            403);
  // Group membership grants access too, and drifts are visible the same way.
  AddMember("jira-software-users", "dev");
  EXPECT_THAT(RoleKeys(Json(Get("/rest/api/2/user?username=dev&expand=applicationRoles"))),
              ElementsAre("jira-core", "jira-software"));
}

TEST_F(ProfileTest, SeatLimitRefusesNewAccessInBothLanguages) {
  options_.seats["jira-software"] = 3;  // admin and bob hold two
  Restart();
  auto role = Json(Get("/rest/api/2/applicationrole/jira-software"));
  EXPECT_EQ(role["numberOfSeats"], 3);
  EXPECT_EQ(role["remainingSeats"], 1);
  EXPECT_EQ(role["userCount"], 2);
  EXPECT_EQ(role["hasUnlimitedSeats"], false);
  EXPECT_EQ(Json(Get("/rest/api/2/applicationrole/jira-core"))["hasUnlimitedSeats"], true);
  EXPECT_EQ(Get("/rest/api/2/applicationrole/nope").status, 404);
  EXPECT_EQ(Json(Get("/rest/api/2/applicationrole")).size(), 2u);
  CreateUser("third");
  Response full = Call("POST", "/rest/api/2/user",
                       {{"name", "fourth"}, {"emailAddress", "f@example.com"},
                        {"displayName", "F"}, {"applicationKeys", {"jira-software"}}});
  EXPECT_EQ(full.status, 400);
  EXPECT_THAT(Messages(full), ElementsAre("The license for 'Jira Software' allows 3 users and "
                                          "they are all in use. Adding the user would exceed the "
                                          "license limit."));
  EXPECT_EQ(Get("/rest/api/2/user?username=fourth").status, 404);
  // Without applicationKeys the user is created without the access that no longer fits.
  auto plain = CreateUser("fifth");
  EXPECT_EQ(plain["applicationRoles"]["size"], 0);
  EXPECT_EQ(Call("POST", "/rest/api/2/user/application?username=fifth&applicationKey=jira-software")
                .status,
            400);
  Response group = Call("POST", "/rest/api/2/group/user?groupname=jira-software-users",
                        {{"name", "fifth"}});
  EXPECT_EQ(group.status, 400);
  router_->Handle(testing::MakeRequest("POST", "/_emulator/user-language",
                                       R"({"username":"admin","language":"de"})", ""));
  Response german = Call("POST", "/rest/api/2/user/application?username=fifth&applicationKey=jira-software");
  EXPECT_EQ(german.status, 400);
  EXPECT_THAT(Messages(german)[0], ::testing::StartsWith("Die Lizenz für 'Jira Software' erlaubt 3"));
  // Deactivating a user frees a seat; raising the seats through the emulator endpoint too.
  EXPECT_EQ(Call("PUT", "/rest/api/2/user?username=third", {{"active", false}}).status, 200);
  EXPECT_EQ(Call("POST", "/rest/api/2/user/application?username=fifth&applicationKey=jira-software")
                .status,
            200);
  EXPECT_EQ(router_->Handle(testing::MakeRequest("POST", "/_emulator/seats",
                                                 R"({"application":"jira-software","seats":null})", ""))
                .status,
            204);
  EXPECT_EQ(Json(Get("/rest/api/2/applicationrole/jira-software"))["hasUnlimitedSeats"], true);
}

}  // namespace
}  // namespace emulator
