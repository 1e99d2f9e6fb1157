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

}  // namespace
}  // namespace emulator
