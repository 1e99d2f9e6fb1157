// Routing tests for /permissionscheme and project scheme assignment (no sockets).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "acceptance_tests/emulator/test_util.h"

namespace emulator {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::BasicAuth;
using testing::Json;

nlohmann::json G(const std::string& permission, const std::string& type,
                 const nlohmann::json& parameter = nullptr) {
  nlohmann::json holder = {{"type", type}};
  if (!parameter.is_null()) holder["parameter"] = parameter;
  return {{"holder", holder}, {"permission", permission}};
}

class SchemeTest : public testing::RouterFixture {
 protected:
  int64_t CreateScheme(const std::string& name, nlohmann::json grants = nlohmann::json::array()) {
    Response r = Call("POST", "/rest/api/2/permissionscheme",
                      {{"name", name}, {"description", "d"}, {"permissions", grants}});
    EXPECT_EQ(r.status, 201) << r.body;
    return Json(r).value("id", int64_t{-1});
  }
  std::string Path(int64_t id) { return "/rest/api/2/permissionscheme/" + std::to_string(id); }
};

TEST_F(SchemeTest, DefaultSchemeHasIdZeroAndCannotBeDeleted) {
  auto j = Json(Get("/rest/api/2/permissionscheme/0?expand=permissions"));
  EXPECT_EQ(j["name"], "Default Permission Scheme");
  EXPECT_FALSE(j["permissions"].empty());
  Response r = Call("DELETE", "/rest/api/2/permissionscheme/0");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Get("/rest/api/2/permissionscheme/0").status, 200);
}

TEST_F(SchemeTest, ListWithoutExpandHasNoPermissionsAndAnyExpandAddsThem) {
  CreateScheme("S1", {G("BROWSE_PROJECTS", "anyone")});
  auto plain = Json(Get("/rest/api/2/permissionscheme"))["permissionSchemes"];
  ASSERT_EQ(plain.size(), 2u);
  EXPECT_FALSE(plain[1].contains("permissions"));
  EXPECT_EQ(plain[1]["expand"], "permissions,user,group,projectRole,field,all");
  auto expanded = Json(Get("/rest/api/2/permissionscheme?expand=group"))["permissionSchemes"];
  EXPECT_EQ(expanded[1]["permissions"].size(), 1u);
  Response anon = Call("GET", "/rest/api/2/permissionscheme", nullptr, "");
  EXPECT_EQ(anon.status, 401);
  EXPECT_EQ(Json(anon)["message"], "Client must be authenticated to access this resource.");
  EXPECT_EQ(Call("GET", "/rest/api/2/permissionscheme", nullptr, BasicAuth("bob", "bobpw")).status,
            403);
}

TEST_F(SchemeTest, CreateWithGrantsAssignsNewIdsFromGlobalCounter) {
  Response r = Call("POST", "/rest/api/2/permissionscheme?expand=all",
                    {{"name", "Mine"},
                     {"description", "desc"},
                     {"permissions",
                      {G("BROWSE_PROJECTS", "group", "jira-software-users"),
                       G("ADMINISTER_PROJECTS", "projectRole", 10002),
                       G("CREATE_ISSUES", "user", "JIRAUSER10001"),
                       G("EDIT_ISSUES", "applicationRole"), G("ADD_COMMENTS", "reporter")}}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = Json(r);
  EXPECT_GE(j["id"].get<int64_t>(), 10000);
  EXPECT_EQ(*r.Header("Location"), j["self"]);
  auto perms = j["permissions"];
  ASSERT_EQ(perms.size(), 5u);
  EXPECT_GT(perms[0]["id"].get<int64_t>(), j["id"].get<int64_t>());
  EXPECT_EQ(perms[0]["holder"]["group"]["name"], "jira-software-users");
  EXPECT_EQ(perms[1]["holder"]["parameter"], "10002");  // numbers are coerced to strings
  EXPECT_EQ(perms[1]["holder"]["projectRole"]["name"], "Administrators");
  EXPECT_EQ(perms[2]["holder"]["user"]["name"], "bob");
  EXPECT_FALSE(perms[3]["holder"].contains("parameter"));
  EXPECT_EQ(perms[4]["holder"]["type"], "reporter");
}

TEST_F(SchemeTest, NamesAreUniqueCaseInsensitively) {
  CreateScheme("Alpha");
  Response r = Call("POST", "/rest/api/2/permissionscheme", {{"name", "ALPHA"}});
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(Messages(r), ElementsAre("A Scheme with this name already exists."));
  EXPECT_EQ(Call("POST", "/rest/api/2/permissionscheme", {{"name", ""}}).status, 400);
  int64_t beta = CreateScheme("Beta");
  EXPECT_EQ(Call("PUT", Path(beta), {{"name", "alpha"}, {"description", ""}}).status, 400);
  EXPECT_EQ(Call("PUT", Path(beta), {{"name", "BETA"}, {"description", ""}}).status, 200);
}

TEST_F(SchemeTest, GrantValidation) {
  auto create = [&](nlohmann::json grant) {
    return Call("POST", "/rest/api/2/permissionscheme",
                {{"name", "V"}, {"permissions", nlohmann::json::array({grant})}});
  };
  EXPECT_THAT(Messages(create(G("ADMINISTER", "anyone")))[0], HasSubstr("ADMINISTER"));
  EXPECT_THAT(Messages(create(G("BROWSE", "anyone")))[0], HasSubstr("BROWSE"));
  EXPECT_THAT(Messages(create(G("BROWSE_PROJECTS", "wizard"))),
              ElementsAre("Permission type does not exist or is invalid."));
  EXPECT_THAT(Messages(create(G("BROWSE_PROJECTS", "group", "ghosts"))),
              ElementsAre("Group ghosts does not exist"));
  EXPECT_THAT(Messages(create(G("BROWSE_PROJECTS", "user", "bob"))),  // a name, not a key
              ElementsAre("Please select a valid user."));
  EXPECT_THAT(Messages(create(G("BROWSE_PROJECTS", "projectRole", "99999"))),
              ElementsAre("Please select a valid project role."));
  EXPECT_THAT(Messages(create(G("EDIT_ISSUES", "reporterWithCreatePermission"))),
              ElementsAre("Selected Permission 'EDIT_ISSUES' is not valid for "
                          "'reporterWithCreatePermission'."));
  EXPECT_EQ(create(G("BROWSE_PROJECTS", "reporterWithCreatePermission")).status, 201);
  EXPECT_EQ(create(G("BROWSE_PROJECTS", "group", "x")).status, 400);
  // Nothing invalid was stored.
  EXPECT_EQ(Json(Get("/rest/api/2/permissionscheme"))["permissionSchemes"].size(), 2u);
}

TEST_F(SchemeTest, GetUnknownOrMalformedId) {
  Response r = Get("/rest/api/2/permissionscheme/424242");
  EXPECT_EQ(r.status, 404);
  EXPECT_FALSE(Messages(r).empty());
  Response bad = Get("/rest/api/2/permissionscheme/abc");
  EXPECT_EQ(bad.status, 404);
  EXPECT_THAT(Json(bad)["message"].get<std::string>(), HasSubstr("null for uri"));
}

TEST_F(SchemeTest, PutWithoutPermissionsKeepsGrantsAndWithPermissionsReplacesThem) {
  int64_t id = CreateScheme("P", {G("BROWSE_PROJECTS", "anyone")});
  auto before = Json(Get(Path(id) + "?expand=permissions"))["permissions"];
  Response r = Call("PUT", Path(id) + "?expand=permissions", {{"name", "P2"}, {"description", "new"}});
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(Json(r)["name"], "P2");
  EXPECT_EQ(Json(r)["description"], "new");
  EXPECT_EQ(Json(r)["permissions"], before);

  r = Call("PUT", Path(id) + "?expand=permissions",
           {{"name", "P2"},
            {"description", "new"},
            {"permissions", {G("BROWSE_PROJECTS", "anyone"), G("EDIT_ISSUES", "projectLead")}}});
  ASSERT_EQ(r.status, 200);
  auto after = Json(r)["permissions"];
  ASSERT_EQ(after.size(), 2u);
  EXPECT_NE(after[0]["id"], before[0]["id"]);  // recreated with new ids
  EXPECT_EQ(Get(Path(id) + "/permission/" + std::to_string(before[0]["id"].get<int64_t>())).status,
            404);

  r = Call("PUT", Path(id) + "?expand=permissions",
           {{"name", "P2"}, {"description", "new"}, {"permissions", nlohmann::json::array()}});
  EXPECT_TRUE(Json(r)["permissions"].empty());
  EXPECT_EQ(Call("PUT", Path(999999), {{"name", "x"}}).status, 404);
  // Invalid grants on PUT change nothing.
  EXPECT_EQ(Call("PUT", Path(id), {{"name", "P3"}, {"permissions", {G("NOPE", "anyone")}}}).status,
            400);
  EXPECT_EQ(Json(Get(Path(id)))["name"], "P2");
}

TEST_F(SchemeTest, DeleteSchemeAnd404Afterwards) {
  options_.scheme_delete_moves_projects = true;
  Restart();
  int64_t id = CreateScheme("D");
  ASSERT_EQ(Call("PUT", "/rest/api/2/project/GL/permissionscheme", {{"id", id}}).status, 200);
  Response r = Call("DELETE", Path(id));
  EXPECT_EQ(r.status, 204);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(Get(Path(id)).status, 404);
  EXPECT_EQ(Call("DELETE", Path(id)).status, 404);
  // The project falls back to the default scheme.
  EXPECT_EQ(Json(Get("/rest/api/2/project/GL/permissionscheme"))["id"], 0);
}

TEST_F(SchemeTest, GrantEndpoints) {
  int64_t id = CreateScheme("G");
  Response add = Call("POST", Path(id) + "/permission",
                      G("BROWSE_PROJECTS", "group", "jira-software-users"));
  ASSERT_EQ(add.status, 201) << add.body;
  auto grant = Json(add);
  int64_t gid = grant["id"];
  EXPECT_EQ(grant["self"], "http://jira.test" + Path(id) + "/permission/" + std::to_string(gid));
  EXPECT_EQ(grant["holder"]["expand"], "group");
  EXPECT_EQ(grant["permission"], "BROWSE_PROJECTS");

  auto list = Json(Get(Path(id) + "/permission"));
  EXPECT_EQ(list["expand"], "user,group,projectRole,field,all");
  ASSERT_EQ(list["permissions"].size(), 1u);
  EXPECT_FALSE(list["permissions"][0]["holder"].contains("group"));  // not expanded
  auto one = Json(Get(Path(id) + "/permission/" + std::to_string(gid) + "?expand=group"));
  EXPECT_EQ(one["holder"]["group"]["name"], "jira-software-users");

  EXPECT_EQ(Call("POST", Path(id) + "/permission", G("SYSTEM_ADMIN", "anyone")).status, 400);
  EXPECT_EQ(Call("POST", Path(424242) + "/permission", G("BROWSE_PROJECTS", "anyone")).status, 404);
  EXPECT_EQ(Get(Path(id) + "/permission/1").status, 404);
  EXPECT_EQ(Call("DELETE", Path(id) + "/permission/" + std::to_string(gid)).status, 204);
  EXPECT_EQ(Call("DELETE", Path(id) + "/permission/" + std::to_string(gid)).status, 404);
  EXPECT_TRUE(Json(Get(Path(id) + "/permission"))["permissions"].empty());
}

TEST_F(SchemeTest, ProjectSchemeAssignment) {
  int64_t id = CreateScheme("Proj");
  Response r = Call("PUT", "/rest/api/2/project/gl/permissionscheme", {{"id", id}});
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Json(r)["id"], id);
  EXPECT_EQ(Json(Get("/rest/api/2/project/10000/permissionscheme"))["id"], id);
  EXPECT_EQ(Json(Get("/rest/api/2/project/GL/permissionscheme"))["name"], "Proj");
  Response no_project = Call("PUT", "/rest/api/2/project/NOPE/permissionscheme", {{"id", id}});
  EXPECT_EQ(no_project.status, 404);
  EXPECT_EQ(Call("PUT", "/rest/api/2/project/GL/permissionscheme", {{"id", 777777}}).status, 404);
  EXPECT_EQ(Get("/rest/api/2/project/NOPE/permissionscheme").status, 404);
  EXPECT_EQ(Call("PUT", "/rest/api/2/project/GL/permissionscheme", {{"id", 0}},
                 BasicAuth("bob", "bobpw")).status, 403);
}

}  // namespace
}  // namespace emulator
