// Routing tests for /project (no sockets).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "acceptance_tests/emulator/cli.h"
#include "acceptance_tests/emulator/test_util.h"

namespace emulator {
namespace {

using ::testing::HasSubstr;
using testing::BasicAuth;
using testing::Json;

class ProjectTest : public testing::RouterFixture {
 protected:
  Response Create(const std::string& key, const std::string& name,
                  const std::string& type = "software", const std::string& lead = "admin") {
    return Call("POST", "/rest/api/2/project",
                {{"key", key}, {"name", name}, {"projectTypeKey", type}, {"lead", lead}});
  }
};

TEST_F(ProjectTest, CreateAnswers201AndNewProjectIsOnTheDefaultScheme) {
  Response r = Create("ABC", "Alpha");
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = Json(r);
  EXPECT_EQ(j["key"], "ABC");
  EXPECT_TRUE(j["id"].is_number_integer());
  EXPECT_THAT(*r.Header("Location"), HasSubstr("/rest/api/2/project/"));
  auto got = Json(Get("/rest/api/2/project/abc"));
  EXPECT_EQ(got["key"], "ABC");
  EXPECT_EQ(got["name"], "Alpha");
  EXPECT_EQ(got["projectTypeKey"], "software");
  EXPECT_EQ(got["lead"]["name"], "admin");
  EXPECT_EQ(got["id"], std::to_string(j["id"].get<int64_t>()));
  EXPECT_EQ(Json(Get("/rest/api/2/project/ABC/permissionscheme"))["id"], 0);
}

TEST_F(ProjectTest, CreateWithPermissionSchemeUsesIt) {
  Response s = Call("POST", "/rest/api/2/permissionscheme", {{"name", "S"}});
  ASSERT_EQ(s.status, 201);
  int64_t sid = Json(s)["id"];
  Response r = Call("POST", "/rest/api/2/project",
                    {{"key", "SCH"}, {"name", "With scheme"}, {"projectTypeKey", "business"},
                     {"lead", "bob"}, {"permissionScheme", sid}});
  ASSERT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(Json(Get("/rest/api/2/project/SCH/permissionscheme"))["id"], sid);
}

TEST_F(ProjectTest, KeyValidation) {
  auto key_error = [&](const std::string& key) {
    Response r = Create(key, "Name " + key);
    EXPECT_EQ(r.status, 400) << key;
    return FieldError(r, "projectKey");
  };
  EXPECT_THAT(key_error(""), HasSubstr("at least 2 characters"));
  EXPECT_THAT(key_error("A"), HasSubstr("must start with an uppercase letter"));
  EXPECT_THAT(key_error("abc"), HasSubstr("must start with an uppercase letter"));
  EXPECT_THAT(key_error("1AB"), HasSubstr("must start with an uppercase letter"));
  EXPECT_THAT(key_error("AB-C"), HasSubstr("must start with an uppercase letter"));
  EXPECT_THAT(key_error("ABCDEFGHIJK"), HasSubstr("must not exceed 10 characters"));
  EXPECT_THAT(key_error("CON"), HasSubstr("reserved word"));
  EXPECT_THAT(key_error("GL"), HasSubstr("Project 'GitLab Integration' uses this project key."));
  EXPECT_EQ(Create("A_1", "Underscore and digit").status, 201);
  EXPECT_EQ(Create("ABCDEFGHIJ", "Ten characters").status, 201);
}

TEST_F(ProjectTest, NameTypeAndLeadValidation) {
  Response dup = Create("DUP", "gitlab INTEGRATION");
  EXPECT_EQ(dup.status, 400);
  EXPECT_EQ(FieldError(dup, "projectName"), "A project with that name already exists.");
  Response all = Call("POST", "/rest/api/2/project", {{"key", "x"}});
  EXPECT_EQ(all.status, 400);
  EXPECT_FALSE(FieldError(all, "projectKey").empty());
  EXPECT_FALSE(FieldError(all, "projectName").empty());
  EXPECT_FALSE(FieldError(all, "projectType").empty());
  EXPECT_FALSE(FieldError(all, "projectLead").empty());
  EXPECT_EQ(FieldError(Create("LD", "Lead", "software", "nobody"), "projectLead"),
            "The user you have specified as project lead does not exist.");
  EXPECT_FALSE(FieldError(Create("TY", "Type", "weird"), "projectType").empty());
  // Nothing was created by the failed calls.
  EXPECT_EQ(Json(Get("/rest/api/2/project")).size(), 1u);
}

TEST_F(ProjectTest, CreateAndDeleteNeedAnAdministrator) {
  Response r = Call("POST", "/rest/api/2/project",
                    {{"key", "BOB"}, {"name", "Bob"}, {"projectTypeKey", "software"},
                     {"lead", "bob"}},
                    BasicAuth("bob", "bobpw"));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Call("DELETE", "/rest/api/2/project/GL", nullptr, BasicAuth("bob", "bobpw")).status,
            403);
  EXPECT_EQ(Call("POST", "/rest/api/2/project", {{"key", "ANON"}}, "").status, 401);
}

TEST_F(ProjectTest, ListIsUnpagedSortedByKeyAndFilteredByBrowsePermission) {
  ASSERT_EQ(Create("ZED", "Zed").status, 201);
  ASSERT_EQ(Create("ALP", "Alp").status, 201);
  auto all = Json(Get("/rest/api/2/project"));
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0]["key"], "ALP");
  EXPECT_EQ(all[1]["key"], "GL");
  EXPECT_EQ(all[2]["key"], "ZED");
  EXPECT_FALSE(all[0].contains("lead"));
  EXPECT_EQ(Json(Get("/rest/api/2/project?expand=lead"))[0]["lead"]["name"], "admin");

  // A scheme with no BROWSE_PROJECTS grant hides ZED from everyone, even administrators.
  Response s = Call("POST", "/rest/api/2/permissionscheme", {{"name", "Closed"}});
  int64_t closed = Json(s)["id"];
  ASSERT_EQ(Call("PUT", "/rest/api/2/project/ZED/permissionscheme", {{"id", closed}}).status, 200);
  EXPECT_EQ(Json(Get("/rest/api/2/project")).size(), 2u);
  EXPECT_EQ(Get("/rest/api/2/project/ZED").status, 404);

  // Anonymous callers see only projects granted to "anyone".
  EXPECT_EQ(Json(Call("GET", "/rest/api/2/project", nullptr, "")).size(), 0u);
  ASSERT_EQ(Call("POST", "/rest/api/2/permissionscheme/" + std::to_string(closed) + "/permission",
                 {{"holder", {{"type", "anyone"}}}, {"permission", "BROWSE_PROJECTS"}})
                .status,
            201);
  auto anon = Json(Call("GET", "/rest/api/2/project", nullptr, ""));
  ASSERT_EQ(anon.size(), 1u);
  EXPECT_EQ(anon[0]["key"], "ZED");
}

TEST_F(ProjectTest, CategoryAppearsOnProjectsAndUnknownCategoryIsRefused) {
  router_->WithStore([](Store& s) { s.categories[10500] = {10500, "Platform", "infra"}; });
  Response r = Call("POST", "/rest/api/2/project",
                    {{"key", "CAT"}, {"name", "Cat"}, {"projectTypeKey", "software"},
                     {"lead", "admin"}, {"categoryId", 10500}});
  ASSERT_EQ(r.status, 201) << r.body;
  auto got = Json(Get("/rest/api/2/project/CAT"));
  EXPECT_EQ(got["projectCategory"]["name"], "Platform");
  EXPECT_EQ(got["projectCategory"]["id"], "10500");
  Response bad = Call("POST", "/rest/api/2/project",
                      {{"key", "CAU"}, {"name", "Cau"}, {"projectTypeKey", "software"},
                       {"lead", "admin"}, {"categoryId", 99}});
  EXPECT_EQ(bad.status, 400);
}

TEST_F(ProjectTest, DeleteByKeyOrIdThen404) {
  Response r = Create("DEL", "Delete me");
  ASSERT_EQ(r.status, 201);
  std::string id = std::to_string(Json(r)["id"].get<int64_t>());
  EXPECT_EQ(Get("/rest/api/2/project/" + id).status, 200);
  EXPECT_EQ(Call("DELETE", "/rest/api/2/project/" + id).status, 204);
  EXPECT_EQ(Get("/rest/api/2/project/DEL").status, 404);
  EXPECT_EQ(Call("DELETE", "/rest/api/2/project/DEL").status, 404);
  EXPECT_EQ(Get("/rest/api/2/project/DEL/permissionscheme").status, 404);
  // The key is free again.
  EXPECT_EQ(Create("DEL", "Delete me").status, 201);
}

TEST_F(ProjectTest, SchemeInUseCannotBeDeletedAndNothingMoves) {
  Response s = Call("POST", "/rest/api/2/permissionscheme", {{"name", "Used"}});
  int64_t id = Json(s)["id"];
  std::string path = "/rest/api/2/permissionscheme/" + std::to_string(id);
  ASSERT_EQ(Call("PUT", "/rest/api/2/project/GL/permissionscheme", {{"id", id}}).status, 200);
  Response del = Call("DELETE", path);
  EXPECT_EQ(del.status, 400);
  EXPECT_EQ(Get(path).status, 200);
  EXPECT_EQ(Json(Get("/rest/api/2/project/GL/permissionscheme"))["id"], id);
  // Once no project uses it, it goes.
  ASSERT_EQ(Call("PUT", "/rest/api/2/project/GL/permissionscheme", {{"id", 0}}).status, 200);
  EXPECT_EQ(Call("DELETE", path).status, 204);
}

TEST_F(ProjectTest, SeededProjectsFromOptionsAndCommandLine) {
  Options o;
  std::string error;
  ASSERT_EQ(ParseCommandLine({"--project", "DEMO=Demo project", "--project=OPS=Operations"}, &o,
                             &error),
            CliResult::kRun)
      << error;
  EXPECT_EQ(ParseCommandLine({"--project", "NONAME"}, &o, &error), CliResult::kError);
  options_.projects = {{"DEMO", "Demo project"}, {"OPS", "Operations"}};
  Restart();
  auto list = Json(Get("/rest/api/2/project"));
  ASSERT_EQ(list.size(), 3u);
  EXPECT_EQ(list[0]["key"], "DEMO");
  EXPECT_EQ(list[0]["name"], "Demo project");
  EXPECT_EQ(Json(Get("/rest/api/2/project/OPS/permissionscheme"))["id"], 0);
}

TEST_F(ProjectTest, StateFileRoundTripKeepsTypeAndCategory) {
  router_->WithStore([](Store& s) { s.categories[7] = {7, "C", ""}; });
  ASSERT_EQ(Call("POST", "/rest/api/2/project",
                 {{"key", "RT"}, {"name", "Round trip"}, {"projectTypeKey", "business"},
                  {"lead", "admin"}, {"categoryId", "7"}})
                .status,
            201);
  Store copy;
  router_->WithStore([&](Store& s) { copy = Store::FromJson(s.ToJson()); });
  const Project* p = copy.FindProject("rt");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->type_key, "business");
  EXPECT_EQ(p->category_id, 7);
  EXPECT_EQ(copy.categories.at(7).name, "C");
}

}  // namespace
}  // namespace emulator
