// Routing tests for serverInfo, myself, permissions and /user (no sockets).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "acceptance_tests/emulator/test_util.h"

namespace emulator {
namespace {

using ::testing::ElementsAre;
using testing::BasicAuth;
using testing::Json;
using UserTest = testing::RouterFixture;

TEST_F(UserTest, ServerInfoIsAnonymousAndReportsVersion) {
  Response r = Call("GET", "/rest/api/2/serverInfo", nullptr, "");
  ASSERT_EQ(r.status, 200);
  auto j = Json(r);
  EXPECT_EQ(j["version"], "9.12.2");
  EXPECT_EQ(j["versionNumbers"], nlohmann::json({9, 12, 2}));
  EXPECT_EQ(j["deploymentType"], "Server");
  EXPECT_EQ(j["baseUrl"], "http://jira.test");
  EXPECT_EQ(*r.Header("X-AUSERNAME"), "anonymous");
}

TEST_F(UserTest, ServerInfoCanClaimCloud) {
  options_.deployment_type = "Cloud";
  options_.version = "1001.0.0";
  Restart();
  auto j = Json(Get("/rest/api/2/serverInfo"));
  EXPECT_EQ(j["deploymentType"], "Cloud");
  EXPECT_EQ(j["versionNumbers"][0], 1001);
}

TEST_F(UserTest, LatestIsAnAliasOfVersion2) {
  EXPECT_EQ(Get("/rest/api/latest/myself").status, 200);
}

TEST_F(UserTest, MyselfNeedsAuthenticationWithErrorCollection) {
  Response r = Call("GET", "/rest/api/2/myself", nullptr, "");
  EXPECT_EQ(r.status, 401);
  EXPECT_THAT(Messages(r), ElementsAre("You are not authenticated. Authentication required to "
                                       "perform this operation."));
  auto me = Json(Get("/rest/api/2/myself?expand=groups"));
  EXPECT_EQ(me["name"], "admin");
  EXPECT_EQ(me["groups"]["items"][0]["name"], "jira-administrators");
}

TEST_F(UserTest, PermissionsListsProjectAndGlobalKeysForAdminsOnly) {
  Response r = Get("/rest/api/2/permissions");
  ASSERT_EQ(r.status, 200);
  auto p = Json(r)["permissions"];
  EXPECT_EQ(p["BROWSE_PROJECTS"]["type"], "PROJECT");
  EXPECT_EQ(p["BROWSE_PROJECTS"]["name"], "Browse Projects");
  EXPECT_EQ(p["ADMINISTER"]["type"], "GLOBAL");
  EXPECT_EQ(Call("GET", "/rest/api/2/permissions", nullptr, BasicAuth("bob", "bobpw")).status, 403);
  Response anon = Call("GET", "/rest/api/2/permissions", nullptr, "");
  EXPECT_EQ(anon.status, 401);
  EXPECT_EQ(Json(anon)["message"], "Client must be authenticated to access this resource.");
}

TEST_F(UserTest, CreateUserAnswers201WithLocationKeyAndDefaultGroup) {
  Response r = Call("POST", "/rest/api/2/user",
                    {{"name", "JSmith"}, {"emailAddress", "js@example.com"},
                     {"displayName", "John Smith"}, {"password", "pw"}, {"unknown", 1}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = Json(r);
  EXPECT_EQ(j["name"], "JSmith");
  EXPECT_EQ(j["key"], "JIRAUSER10002");  // admin 10000, bob 10001
  EXPECT_EQ(j["emailAddress"], "js@example.com");
  EXPECT_EQ(j["displayName"], "John Smith");
  EXPECT_EQ(j["active"], true);
  EXPECT_EQ(j["self"], "http://jira.test/rest/api/2/user?username=JSmith");
  EXPECT_EQ(*r.Header("Location"), j["self"]);
  EXPECT_EQ(j["groups"]["size"], 1);
  auto g = Json(Get("/rest/api/2/user?username=jsmith&expand=groups"));
  EXPECT_EQ(g["groups"]["items"][0]["name"], "jira-software-users");
  // The new user can log in with the password given.
  EXPECT_EQ(Call("GET", "/rest/api/2/myself", nullptr, BasicAuth("jsmith", "pw")).status, 200);
}

TEST_F(UserTest, CreateUserWithoutApplicationsJoinsNoGroup) {
  Response r = Call("POST", "/rest/api/2/user",
                    {{"name", "x"}, {"emailAddress", "x@e.com"}, {"displayName", "X"},
                     {"applicationKeys", nlohmann::json::array()}});
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(Json(r)["groups"]["size"], 0);
}

TEST_F(UserTest, LegacyKeyStyleUsesLowerCasedName) {
  options_.key_style = KeyStyle::kLegacy;
  Restart();
  EXPECT_EQ(CreateUser("Alice")["key"], "alice");
}

TEST_F(UserTest, DuplicateUserInAnyCaseIs400OnUsername) {
  CreateUser("carol");
  Response r = Call("POST", "/rest/api/2/user",
                    {{"name", "CAROL"}, {"emailAddress", "c@e.com"}, {"displayName", "C"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(FieldError(r, "username"), "A user with that username already exists.");
  EXPECT_TRUE(Messages(r).empty());
}

TEST_F(UserTest, CreateUserValidationMessages) {
  Response r = Call("POST", "/rest/api/2/user", nlohmann::json::object());
  ASSERT_EQ(r.status, 400);
  EXPECT_EQ(FieldError(r, "username"), "You must specify a username.");
  EXPECT_EQ(FieldError(r, "email"), "You must specify an email address.");
  EXPECT_EQ(FieldError(r, "fullname"), "You must specify a full name.");

  r = Call("POST", "/rest/api/2/user",
           {{"name", "a<b"}, {"emailAddress", "not-an-email"}, {"displayName", std::string(256, 'd')}});
  EXPECT_EQ(FieldError(r, "username"), "The username must not contain '<', '>' or '&'.");
  EXPECT_EQ(FieldError(r, "email"), "You must specify a valid email address.");
  EXPECT_EQ(FieldError(r, "fullname"), "The full name must not exceed 255 characters in length.");

  r = Call("POST", "/rest/api/2/user",
           {{"name", std::string(256, 'n')}, {"emailAddress", std::string(250, 'e') + "@x.org"},
            {"displayName", "D"}});
  EXPECT_EQ(FieldError(r, "username"), "The username must not exceed 255 characters in length.");
  EXPECT_EQ(FieldError(r, "email"), "The email address must not exceed 255 characters in length.");
}

TEST_F(UserTest, CreateUserNeedsAdmin) {
  Response r = Call("POST", "/rest/api/2/user",
                    {{"name", "z"}, {"emailAddress", "z@e.com"}, {"displayName", "Z"}},
                    BasicAuth("bob", "bobpw"));
  EXPECT_EQ(r.status, 403);
  EXPECT_THAT(Messages(r), ElementsAre("You do not have permission to create a user."));
  r = Call("POST", "/rest/api/2/user", {{"name", "z"}}, "");
  EXPECT_EQ(r.status, 401);
  EXPECT_EQ(Json(r)["errors"], nlohmann::json::object());
}

TEST_F(UserTest, GetUserIsCaseInsensitiveAndCasePreserving) {
  auto created = CreateUser("MixedCase");
  auto j = Json(Get("/rest/api/2/user?username=MIXEDCASE"));
  EXPECT_EQ(j["name"], "MixedCase");
  EXPECT_EQ(j["key"], created["key"]);
  auto by_key = Json(Get("/rest/api/2/user?key=" + created["key"].get<std::string>()));
  EXPECT_EQ(by_key["name"], "MixedCase");
  EXPECT_EQ(by_key["groups"]["items"], nlohmann::json::array());  // items only with expand
}

TEST_F(UserTest, GetUserParameterErrors) {
  Response both = Get("/rest/api/2/user?username=bob&key=JIRAUSER10001");
  EXPECT_EQ(both.status, 400);
  EXPECT_EQ(Get("/rest/api/2/user").status, 404);
  Response missing = Get("/rest/api/2/user?username=nobody");
  EXPECT_EQ(missing.status, 404);
  EXPECT_THAT(Messages(missing), ElementsAre("The user named 'nobody' does not exist"));
  EXPECT_EQ(Json(missing)["errors"], nlohmann::json::object());
  EXPECT_EQ(Get("/rest/api/2/user?key=JIRAUSER99").status, 404);
  Response anon = Call("GET", "/rest/api/2/user?username=bob", nullptr, "");
  EXPECT_EQ(anon.status, 401);
  EXPECT_THAT(Messages(anon), ElementsAre("You are not authenticated. Authentication required "
                                          "to perform this operation."));
}

TEST_F(UserTest, UsernameWithSpecialCharactersRoundTrips) {
  CreateUser("o'brien+x.y");
  auto j = Json(Get("/rest/api/2/user?username=" + UrlEncode("O'Brien+X.Y")));
  EXPECT_EQ(j["name"], "o'brien+x.y");
  EXPECT_EQ(j["self"], "http://jira.test/rest/api/2/user?username=o%27brien%2Bx.y");
}

TEST_F(UserTest, RenameKeepsKeyAndMembershipsAndFreesOldName) {
  auto u = CreateUser("dave");
  CreateGroup("devs");
  AddMember("devs", "dave");
  Response r = Call("PUT", "/rest/api/2/user?username=dave",
                    {{"name", "david"}, {"displayName", "David"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r)["name"], "david");
  EXPECT_EQ(Json(r)["key"], u["key"]);
  EXPECT_EQ(Json(r)["displayName"], "David");
  EXPECT_EQ(Get("/rest/api/2/user?username=dave").status, 404);
  auto g = Json(Get("/rest/api/2/user?username=david&expand=groups"));
  EXPECT_EQ(g["groups"]["size"], 2);
  auto members = Json(Get("/rest/api/2/group/member?groupname=devs"));
  EXPECT_EQ(members["values"][0]["name"], "david");
}

TEST_F(UserTest, CaseOnlyRenameChangesDisplayedCase) {
  CreateUser("erin");
  CreateUser("frank");
  Response r = Call("PUT", "/rest/api/2/user?username=erin", {{"name", "Erin"}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(Get("/rest/api/2/user?username=ERIN"))["name"], "Erin");
  Response dup = Call("PUT", "/rest/api/2/user?username=erin", {{"name", "FRANK"}});
  EXPECT_EQ(dup.status, 400);
  EXPECT_EQ(FieldError(dup, "username"), "A user with that username already exists.");
}

TEST_F(UserTest, UpdateUserFieldsAndActive) {
  CreateUser("gina");
  Response r = Call("PUT", "/rest/api/2/user?username=gina",
                    {{"emailAddress", "new@example.com"}, {"active", false}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Json(r)["emailAddress"], "new@example.com");
  EXPECT_EQ(Json(r)["active"], false);
  // An inactive user cannot log in.
  EXPECT_EQ(Call("GET", "/rest/api/2/myself", nullptr, BasicAuth("gina", "pw-gina")).status, 401);
  EXPECT_EQ(FieldError(Call("PUT", "/rest/api/2/user?username=gina", {{"emailAddress", "bad"}}),
                       "email"),
            "You must specify a valid email address.");
  EXPECT_EQ(Call("PUT", "/rest/api/2/user?username=nobody", {{"displayName", "N"}}).status, 404);
  Response empty = Call("PUT", "/rest/api/2/user?username=gina", nlohmann::json::object());
  EXPECT_EQ(empty.status, 400);
  EXPECT_THAT(Messages(empty), ElementsAre("error.no.value.found.to.be.changed"));
  Response self = Call("PUT", "/rest/api/2/user?username=admin", {{"active", false}});
  EXPECT_EQ(self.status, 400);
  EXPECT_FALSE(FieldError(self, "active").empty());
}

TEST_F(UserTest, ActiveIsIgnoredBefore83) {
  options_.version = "8.2.0";
  Restart();
  CreateUser("hank");
  Response r = Call("PUT", "/rest/api/2/user?username=hank", {{"active", false}});
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(Messages(r), ElementsAre("error.no.value.found.to.be.changed"));
}

TEST_F(UserTest, ChangePassword) {
  CreateUser("ivy");
  Response r = Call("PUT", "/rest/api/2/user/password?username=ivy", {{"password", "s3cret"}});
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(Call("GET", "/rest/api/2/myself", nullptr, BasicAuth("ivy", "s3cret")).status, 200);
  EXPECT_EQ(Call("GET", "/rest/api/2/myself", nullptr, BasicAuth("ivy", "pw-ivy")).status, 401);
  Response empty = Call("PUT", "/rest/api/2/user/password?username=ivy", {{"password", ""}});
  EXPECT_EQ(empty.status, 400);
  EXPECT_NE(empty.body.find("error.password.cannot.be.empty"), std::string::npos);
  EXPECT_EQ(Call("PUT", "/rest/api/2/user/password?username=nope", {{"password", "x"}}).status, 404);
  EXPECT_EQ(Call("PUT", "/rest/api/2/user/password?username=ivy", {{"password", "x"}},
                 BasicAuth("bob", "bobpw")).status, 403);
}

TEST_F(UserTest, DeleteUserRemovesMembershipsAndUserGrants) {
  auto u = CreateUser("jack");
  CreateGroup("devs");
  AddMember("devs", "jack");
  std::string key = u["key"];
  Response s = Call("POST", "/rest/api/2/permissionscheme",
                    {{"name", "S"},
                     {"permissions", {{{"holder", {{"type", "user"}, {"parameter", key}}},
                                       {"permission", "BROWSE_PROJECTS"}}}}});
  ASSERT_EQ(s.status, 201) << s.body;
  Response r = Call("DELETE", "/rest/api/2/user?key=" + key);
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(Get("/rest/api/2/user?username=jack").status, 404);
  EXPECT_EQ(Json(Get("/rest/api/2/group/member?groupname=devs"))["total"], 0);
  auto scheme = Json(Get("/rest/api/2/permissionscheme/" +
                         std::to_string(Json(s)["id"].get<int64_t>()) + "?expand=permissions"));
  EXPECT_TRUE(scheme["permissions"].empty());
  Response again = Call("DELETE", "/rest/api/2/user?username=jack");
  EXPECT_EQ(again.status, 404);
  EXPECT_THAT(Messages(again), ElementsAre("The user named 'jack' does not exist"));
}

TEST_F(UserTest, DeleteUserRefusesSelfAndProjectLead) {
  Response self = Call("DELETE", "/rest/api/2/user?username=admin");
  EXPECT_EQ(self.status, 400);
  EXPECT_THAT(Messages(self), ElementsAre("You cannot delete the currently logged in user."));
  options_.users.push_back({"root", "rootpw", "Root", "root@e.com", true, true});
  Restart();
  Response lead = Call("DELETE", "/rest/api/2/user?username=admin", nullptr,
                       BasicAuth("root", "rootpw"));
  EXPECT_EQ(lead.status, 400);
  EXPECT_THAT(Messages(lead), ElementsAre("Cannot delete user 'admin' because they are "
                                          "currently the project lead on 1 projects"));
  EXPECT_EQ(Call("DELETE", "/rest/api/2/user?username=admin", nullptr,
                 BasicAuth("bob", "bobpw")).status, 403);
}

TEST_F(UserTest, SearchReturnsBareArrayWithPagingAndInactiveFilter) {
  for (int i = 0; i < 5; ++i) CreateUser("search" + std::to_string(i));
  Call("PUT", "/rest/api/2/user?username=search4", {{"active", false}});
  auto all = Json(Get("/rest/api/2/user/search?username=search"));
  ASSERT_TRUE(all.is_array());
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0]["name"], "search0");
  EXPECT_FALSE(all[0].contains("groups"));  // mid representation
  auto page = Json(Get("/rest/api/2/user/search?username=search&startAt=2&maxResults=1"));
  ASSERT_EQ(page.size(), 1u);
  EXPECT_EQ(page[0]["name"], "search2");
  auto inactive =
      Json(Get("/rest/api/2/user/search?username=SEARCH&includeInactive=true&includeActive=false"));
  ASSERT_EQ(inactive.size(), 1u);
  EXPECT_EQ(inactive[0]["name"], "search4");
  EXPECT_EQ(Json(Get("/rest/api/2/user/search?username=."))[0]["name"], "admin");
  EXPECT_EQ(Get("/rest/api/2/user/search").status, 400);
}

TEST_F(UserTest, SearchIsCappedAt100OnJira10) {
  options_.version = "10.3.0";
  Restart();
  router_->WithStore([](Store& s) {
    for (int i = 0; i < 150; ++i) {
      User u;
      u.name = "bulk" + std::to_string(1000 + i);
      u.email = u.name + "@e.com";
      u.display_name = u.name;
      s.AddUser(u, KeyStyle::kJiraUser);
    }
  });
  EXPECT_EQ(Json(Get("/rest/api/2/user/search?username=bulk&maxResults=1000")).size(), 100u);
  EXPECT_EQ(Json(Get("/rest/api/2/user/search?username=bulk&startAt=90&maxResults=50")).size(), 10u);
}

}  // namespace
}  // namespace emulator
