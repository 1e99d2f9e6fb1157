// Routing tests for GET /role (project roles).
#include <gtest/gtest.h>

#include "acceptance_tests/emulator/test_util.h"

namespace emulator {
namespace {

using testing::BasicAuth;
using testing::Json;
using RoleTest = testing::RouterFixture;

TEST_F(RoleTest, ListsJiraDefaultRolesWithNumericIds) {
  Response r = Get("/rest/api/2/role");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = Json(r);
  ASSERT_TRUE(j.is_array());
  std::map<std::string, int64_t> ids;
  for (const auto& role : j) {
    ASSERT_TRUE(role["id"].is_number_integer()) << role.dump();
    EXPECT_EQ(role["self"], "http://jira.test/rest/api/2/role/" + std::to_string(role["id"].get<int64_t>()));
    EXPECT_TRUE(role["actors"].is_array());
    ids[role["name"].get<std::string>()] = role["id"].get<int64_t>();
  }
  EXPECT_EQ(ids, (std::map<std::string, int64_t>{
                     {"Administrators", 10002}, {"Developers", 10001}, {"Users", 10000}}));
}

TEST_F(RoleTest, AnyLoggedInUserMayListButNotAnonymous) {
  EXPECT_EQ(Call("GET", "/rest/api/2/role", nullptr, BasicAuth("bob", "bobpw")).status, 200);
  EXPECT_EQ(Call("GET", "/rest/api/2/role", nullptr, "").status, 401);
}

}  // namespace
}  // namespace emulator
