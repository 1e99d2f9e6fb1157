// Routing tests for /group, /group/member, /group/user and /groups/picker (no sockets).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "acceptance_tests/emulator/test_util.h"

namespace emulator {
namespace {

using ::testing::ElementsAre;
using testing::BasicAuth;
using testing::Json;
using GroupTest = testing::RouterFixture;

TEST_F(GroupTest, CreateGroupAnswers201WithGroupBean) {
  Response r = Call("POST", "/rest/api/2/group", {{"name", "Dev Ops"}});
  ASSERT_EQ(r.status, 201);
  auto j = Json(r);
  EXPECT_EQ(j["name"], "Dev Ops");
  EXPECT_EQ(j["self"], "http://jira.test/rest/api/2/group?groupname=Dev%20Ops");
  EXPECT_EQ(j["users"]["size"], 0);
  EXPECT_EQ(j["users"]["max-results"], 50);
  EXPECT_EQ(j["expand"], "users");
  EXPECT_EQ(*r.Header("Location"), j["self"]);
}

TEST_F(GroupTest, DuplicateGroupInAnyCaseAndEmptyNameAre400) {
  CreateGroup("devs");
  Response dup = Call("POST", "/rest/api/2/group", {{"name", "DEVS"}});
  EXPECT_EQ(dup.status, 400);
  EXPECT_THAT(Messages(dup), ElementsAre("A group or user with this name already exists."));
  EXPECT_EQ(Json(dup)["errors"], nlohmann::json::object());
  EXPECT_EQ(Call("POST", "/rest/api/2/group", {{"name", ""}}).status, 400);
  CreateGroup("bob");  // a user of that name does not block a group
  EXPECT_EQ(Call("POST", "/rest/api/2/group", {{"name", "x"}}, BasicAuth("bob", "bobpw")).status,
            403);
  Response anon = Call("POST", "/rest/api/2/group", {{"name", "x"}}, "");
  EXPECT_EQ(anon.status, 401);
  EXPECT_EQ(Json(anon)["status-code"], 401);
  EXPECT_EQ(Json(anon)["message"], "Client must be authenticated to access this resource.");
}

TEST_F(GroupTest, DeleteGroupIs200EmptyAndCascadesToMembershipsAndGrants) {
  CreateGroup("Devs");
  AddMember("Devs", "bob");
  Response s = Call("POST", "/rest/api/2/permissionscheme",
                    {{"name", "S"},
                     {"permissions",
                      {{{"holder", {{"type", "group"}, {"parameter", "Devs"}}},
                        {"permission", "BROWSE_PROJECTS"}},
                       {{"holder", {{"type", "group"}, {"parameter", "jira-software-users"}}},
                        {"permission", "BROWSE_PROJECTS"}}}}});
  ASSERT_EQ(s.status, 201) << s.body;
  std::string id = std::to_string(Json(s)["id"].get<int64_t>());

  Response r = Call("DELETE", "/rest/api/2/group?groupname=devs");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
  auto grants = Json(Get("/rest/api/2/permissionscheme/" + id + "/permission"))["permissions"];
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_EQ(grants[0]["holder"]["parameter"], "jira-software-users");
  auto bob = Json(Get("/rest/api/2/user?username=bob&expand=groups"));
  EXPECT_EQ(bob["groups"]["size"], 1);
  // Re-creating the group does not resurrect old members.
  CreateGroup("devs");
  EXPECT_EQ(Json(Get("/rest/api/2/group/member?groupname=devs"))["total"], 0);

  Response missing = Call("DELETE", "/rest/api/2/group?groupname=nope");
  EXPECT_EQ(missing.status, 404);
  EXPECT_THAT(Messages(missing), ElementsAre("The group named 'nope' does not exist"));
}

TEST_F(GroupTest, DeleteGroupSwapGroupRules) {
  CreateGroup("a");
  Response self = Call("DELETE", "/rest/api/2/group?groupname=a&swapGroup=A");
  EXPECT_EQ(self.status, 400);
  EXPECT_THAT(Messages(self),
              ElementsAre("You cannot swap comments/worklogs to the group you are deleting."));
  Response bad = Call("DELETE", "/rest/api/2/group?groupname=a&swapGroup=zzz");
  EXPECT_THAT(Messages(bad),
              ElementsAre("The swap group you have specified is not a valid group."));
  EXPECT_EQ(Call("DELETE", "/rest/api/2/group?groupname=a&swapGroup=jira-software-users").status,
            200);
  Response admin = Call("DELETE", "/rest/api/2/group?groupname=jira-administrators");
  EXPECT_EQ(admin.status, 400);
  EXPECT_THAT(Messages(admin)[0], ::testing::HasSubstr("grants you administration privileges"));
}

TEST_F(GroupTest, MembersArePagedBy50SortedWithNextPage) {
  CreateGroup("big");
  router_->WithStore([](Store& s) {
    for (int i = 119; i >= 0; --i) {  // inserted in reverse to prove sorting
      User u;
      char name[16];
      std::snprintf(name, sizeof name, "M%03d", i);
      u.name = name;
      u.email = u.name + "@e.com";
      u.display_name = u.name;
      u.active = i != 7;
      s.FindGroup("big")->member_keys.insert(s.AddUser(u, KeyStyle::kJiraUser).key);
    }
  });
  auto p0 = Json(Get("/rest/api/2/group/member?groupname=BIG&maxResults=100"));
  EXPECT_EQ(p0["maxResults"], 50);
  EXPECT_EQ(p0["startAt"], 0);
  EXPECT_EQ(p0["total"], 119);  // one inactive hidden
  EXPECT_EQ(p0["isLast"], false);
  ASSERT_EQ(p0["values"].size(), 50u);
  EXPECT_EQ(p0["values"][0]["name"], "M000");
  EXPECT_EQ(p0["values"][7]["name"], "M008");
  EXPECT_EQ(p0["nextPage"],
            "http://jira.test/rest/api/2/group/member?groupname=big&includeInactiveUsers=false"
            "&startAt=50&maxResults=50");
  auto p2 = Json(Get("/rest/api/2/group/member?groupname=big&startAt=100"));
  EXPECT_EQ(p2["isLast"], true);
  EXPECT_FALSE(p2.contains("nextPage"));
  EXPECT_EQ(p2["values"].size(), 19u);
  auto all = Json(Get("/rest/api/2/group/member?groupname=big&includeInactiveUsers=true"));
  EXPECT_EQ(all["total"], 120);
  EXPECT_EQ(all["values"][7]["name"], "M007");
  auto huge = Json(Get("/rest/api/2/group/member?groupname=big&startAt=99999999999999999999"));
  EXPECT_EQ(huge["isLast"], true);
  EXPECT_TRUE(huge["values"].empty());
  EXPECT_EQ(Json(Get("/rest/api/2/group/member?groupname=big&maxResults=-5"))["maxResults"], 1);
  EXPECT_EQ(Get("/rest/api/2/group/member?groupname=none").status, 404);
  EXPECT_EQ(Get("/rest/api/2/group/member").status, 400);
  EXPECT_EQ(Call("GET", "/rest/api/2/group/member?groupname=big", nullptr,
                 BasicAuth("bob", "bobpw")).status, 403);
}

TEST_F(GroupTest, PickerMatchesSubstringsWithHeaderAndExclude) {
  CreateGroup("team-alpha");
  CreateGroup("Team-Beta");
  CreateGroup("other");
  auto j = Json(Get("/rest/api/2/groups/picker?query=TEAM&exclude=team-alpha"));
  EXPECT_EQ(j["total"], 1);
  EXPECT_EQ(j["header"], "Showing 1 of 1 matching groups");
  EXPECT_EQ(j["groups"][0]["name"], "Team-Beta");
  EXPECT_EQ(j["groups"][0]["html"], "<b>Team</b>-Beta");
  auto capped = Json(Get("/rest/api/2/groups/picker?query=e&maxResults=2"));
  EXPECT_EQ(capped["groups"].size(), 2u);
  // jira-administrators, jira-software-users, jira-core-users, team-alpha, Team-Beta, other:
  // five contain an "e".
  EXPECT_EQ(capped["header"], "Showing 2 of 5 matching groups");
}

TEST_F(GroupTest, AddAndRemoveMembershipWithExactMessages) {
  CreateGroup("devs");
  Response add = Call("POST", "/rest/api/2/group/user?groupname=DEVS", {{"name", "BOB"}});
  ASSERT_EQ(add.status, 201);
  EXPECT_EQ(Json(add)["name"], "devs");
  EXPECT_EQ(Json(add)["users"]["size"], 1);
  Response again = Call("POST", "/rest/api/2/group/user?groupname=devs", {{"name", "bob"}});
  EXPECT_EQ(again.status, 400);
  EXPECT_THAT(Messages(again),
              ElementsAre("Cannot add user 'bob', user is already a member of 'devs'"));
  Response ghost = Call("POST", "/rest/api/2/group/user?groupname=devs", {{"name", "ghost"}});
  EXPECT_EQ(ghost.status, 400);
  EXPECT_THAT(Messages(ghost), ElementsAre("Cannot add user. 'ghost' does not exist"));
  EXPECT_EQ(Call("POST", "/rest/api/2/group/user?groupname=nope", {{"name", "bob"}}).status, 404);

  Response rm = Call("DELETE", "/rest/api/2/group/user?groupname=devs&username=Bob");
  EXPECT_EQ(rm.status, 200);
  EXPECT_TRUE(rm.body.empty());
  Response not_member = Call("DELETE", "/rest/api/2/group/user?groupname=devs&username=bob");
  EXPECT_EQ(not_member.status, 400);
  EXPECT_THAT(Messages(not_member),
              ElementsAre("Cannot remove user 'bob' from group 'devs' since user is not a "
                          "member of 'devs'"));
  Response no_user = Call("DELETE", "/rest/api/2/group/user?groupname=nope&username=ghost");
  EXPECT_EQ(no_user.status, 404);
  EXPECT_THAT(Messages(no_user), ElementsAre("The user named 'ghost' does not exist"));
  EXPECT_EQ(Call("DELETE", "/rest/api/2/group/user?groupname=nope&username=bob").status, 404);
  EXPECT_EQ(Call("DELETE", "/rest/api/2/group/user?groupname=devs&username=bob", nullptr,
                 BasicAuth("bob", "bobpw")).status, 403);
}

TEST_F(GroupTest, GroupNamesWithSpacesAndSlashesAreEncodedInLinks) {
  CreateGroup("a/b c&d");
  auto j = Json(Get("/rest/api/2/group/member?groupname=" + UrlEncode("A/B C&D")));
  EXPECT_EQ(j["total"], 0);
  EXPECT_EQ(j["self"],
            "http://jira.test/rest/api/2/group/member?groupname=a%2Fb%20c%26d"
            "&includeInactiveUsers=false&startAt=0&maxResults=50");
}

TEST_F(GroupTest, DeprecatedGetGroupListsActiveUsersAndIsGoneIn10) {
  CreateGroup("devs");
  AddMember("devs", "bob");
  auto j = Json(Get("/rest/api/2/group?groupname=%20devs%20&expand=users"));
  EXPECT_EQ(j["users"]["size"], 1);
  EXPECT_EQ(j["users"]["items"][0]["name"], "bob");
  options_.version = "10.0.1";
  Restart();
  Response gone = Get("/rest/api/2/group?groupname=jira-administrators");
  EXPECT_EQ(gone.status, 404);
  EXPECT_NE(Json(gone)["message"].get<std::string>().find("null for uri"), std::string::npos);
}

}  // namespace
}  // namespace emulator
