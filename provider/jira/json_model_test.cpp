#include "provider/jira/json_model.h"

#include <gtest/gtest.h>

namespace jira {
namespace {

using nlohmann::json;

TEST(JsonModelTest, UserBeanWithGroups) {
  auto j = json::parse(R"({
    "self":"https://jira/rest/api/2/user?username=jsmith","key":"JIRAUSER10100","name":"JSmith",
    "emailAddress":"jsmith@example.com","avatarUrls":{"48x48":"x"},"displayName":"John Smith",
    "active":false,"deleted":false,"timeZone":"Europe/Berlin",
    "groups":{"size":2,"items":[{"name":"devs","self":"x"},{"name":"jira-software-users"}]},
    "applicationRoles":{"size":1,"items":[]},"expand":"groups,applicationRoles"})");
  User u = UserFromJson(j);
  EXPECT_EQ(u.key, "JIRAUSER10100");
  EXPECT_EQ(u.name, "JSmith");
  EXPECT_EQ(u.email, "jsmith@example.com");
  EXPECT_EQ(u.display_name, "John Smith");
  EXPECT_FALSE(u.active);
  EXPECT_EQ(u.groups, (std::vector<std::string>{"devs", "jira-software-users"}));
}

TEST(JsonModelTest, ApplicationsAreKnownOnlyWhenEveryItemIsListed) {
  // Without expand=applicationRoles Jira fills `size` alone: the keys are unknown, not none.
  User unexpanded = UserFromJson(json::parse(
      R"({"key":"k","name":"n","applicationRoles":{"size":1,"items":[]}})"));
  EXPECT_FALSE(unexpanded.applications.has_value());
  User expanded = UserFromJson(json::parse(R"({"key":"k","name":"n","applicationRoles":{"size":2,
      "items":[{"key":"jira-servicedesk","name":"Jira Service Management"},
               {"key":"jira-software","name":"Jira Software"}]}})"));
  ASSERT_TRUE(expanded.applications.has_value());
  EXPECT_EQ(*expanded.applications, (std::vector<std::string>{"jira-servicedesk", "jira-software"}));
  User none = UserFromJson(json::parse(R"({"key":"k","name":"n","applicationRoles":{"size":0,"items":[]}})"));
  ASSERT_TRUE(none.applications.has_value());
  EXPECT_TRUE(none.applications->empty());
}

TEST(JsonModelTest, NewUserSendsApplicationKeysOnlyWhenSet) {
  NewUser u{"bob", "b@x", "Bob", std::nullopt, false};
  EXPECT_FALSE(NewUserToJson(u).contains("applicationKeys"));
  u.application_keys = std::vector<std::string>{"jira-software"};
  EXPECT_EQ(NewUserToJson(u)["applicationKeys"], json::array({"jira-software"}));
}

TEST(JsonModelTest, ProjectAndApplicationRoles) {
  auto roles = ProjectRolesFromJson(json::parse(R"([
    {"self":"x","name":"Developers","id":10001,"description":"d","actors":[]},
    {"self":"x","name":"Administrators","id":10002}])"));
  ASSERT_EQ(roles.size(), 2u);
  EXPECT_EQ(roles[0].id, 10001);
  EXPECT_EQ(roles[1].name, "Administrators");
  auto apps = ApplicationRolesFromJson(json::parse(R"([
    {"key":"jira-software","name":"Jira Software","defaultGroups":["jira-software-users"],
     "numberOfSeats":10,"remainingSeats":0,"hasUnlimitedSeats":false},
    {"key":"jira-core","name":"Jira Core","numberOfSeats":-1,"remainingSeats":-1,
     "hasUnlimitedSeats":true}])"));
  ASSERT_EQ(apps.size(), 2u);
  EXPECT_EQ(apps[0].remaining_seats, 0);
  EXPECT_EQ(apps[0].default_groups, std::vector<std::string>{"jira-software-users"});
  EXPECT_TRUE(apps[1].unlimited_seats);
}

TEST(JsonModelTest, MidUserWithoutOptionalFields) {
  User u = UserFromJson(json::parse(R"({"key":"k","name":"n"})"));
  EXPECT_TRUE(u.active);
  EXPECT_TRUE(u.email.empty());
  EXPECT_TRUE(u.groups.empty());
}

// Found by fuzz/jira_response_fuzzer: a float out of int's range was converted with
// undefined behaviour; now it is a shape mismatch the client reports.
TEST(JsonModelTest, NumbersOutOfRangeAreTypeErrors) {
  EXPECT_THROW(ServerInfoFromJson(json::parse(R"({"versionNumbers":[9.2e89,1,2]})")),
               json::type_error);
  EXPECT_THROW(ServerInfoFromJson(json::parse(R"({"versionNumbers":[4294967296,1,2]})")),
               json::type_error);
  EXPECT_THROW(SchemeFromJson(json::parse(R"({"id":1e300,"name":"s"})")), json::type_error);
  EXPECT_THROW(SchemeFromJson(json::parse(R"({"id":"x1","name":"s"})")), json::type_error);
  EXPECT_EQ(SchemeFromJson(json::parse(R"({"id":"10100","name":"s"})")).id, 10100);
  EXPECT_EQ(ServerInfoFromJson(json::parse(R"({"versionNumbers":[9,12,2]})")).version_numbers,
            (std::vector<int>{9, 12, 2}));
}

// Found by fuzz/jira_response_fuzzer as well: the counts read with a default (a member
// page's startAt, maxResults and total, a list wrapper's size, an application role's seats)
// went through nlohmann's value(), which converts a float out of range with undefined
// behaviour.
TEST(JsonModelTest, CountsOutOfRangeAreTypeErrors) {
  for (const char* key : {"startAt", "maxResults", "total"}) {
    const std::string body = std::string(R"({"values":[],")") + key + R"(":5.5e82})";
    EXPECT_THROW(MembersPageFromJson(json::parse(body)), json::type_error) << body;
    const std::string big = std::string(R"({"values":[],")") + key + R"(":9223372036854775808})";
    EXPECT_THROW(MembersPageFromJson(json::parse(big)), json::type_error) << big;
  }
  EXPECT_THROW(UserFromJson(json::parse(
                   R"({"name":"a","applicationRoles":{"size":1e300,"items":[]}})")),
               json::type_error);
  EXPECT_THROW(ApplicationRolesFromJson(json::parse(R"([{"key":"k","numberOfSeats":-1e300}])")),
               json::type_error);
  // Absent or null: the defaults, as before.
  const MembersPage p = MembersPageFromJson(json::parse(R"({"values":[{"name":"a"}],"total":null})"));
  EXPECT_EQ(p.start_at, 0);
  EXPECT_EQ(p.max_results, 0);
  EXPECT_EQ(p.total, 1);
  const auto roles = ApplicationRolesFromJson(json::parse(R"([{"key":"k"}])"));
  ASSERT_EQ(roles.size(), 1u);
  EXPECT_EQ(roles[0].number_of_seats, -1);
  EXPECT_EQ(roles[0].remaining_seats, -1);
}

TEST(JsonModelTest, WrongTypeThrows) {
  EXPECT_THROW(UserFromJson(json::parse(R"({"name":42})")), json::exception);
}

TEST(JsonModelTest, MembersPage) {
  MembersPage p = MembersPageFromJson(json::parse(R"({"maxResults":50,"startAt":50,"total":123,
    "isLast":false,"values":[{"key":"a","name":"a"},{"key":"b","name":"b","active":false}]})"));
  EXPECT_EQ(p.start_at, 50);
  EXPECT_EQ(p.max_results, 50);
  EXPECT_EQ(p.total, 123);
  EXPECT_FALSE(p.is_last);
  ASSERT_EQ(p.values.size(), 2u);
  EXPECT_FALSE(p.values[1].active);
}

TEST(JsonModelTest, SchemeWithGrantsAndHolderParameterCoercion) {
  PermissionScheme s = SchemeFromJson(json::parse(R"({"expand":"permissions","id":10000,
    "self":"x","name":"Default software scheme","description":"d","permissions":[
      {"id":10200,"holder":{"type":"group","parameter":"jira-software-users","expand":"group"},"permission":"BROWSE_PROJECTS"},
      {"id":10201,"holder":{"type":"projectRole","parameter":10002},"permission":"ADMINISTER_PROJECTS"},
      {"id":"10202","holder":{"type":"anyone"},"permission":"CREATE_ISSUES"}]})"));
  EXPECT_EQ(s.id, 10000);
  EXPECT_EQ(s.name, "Default software scheme");
  ASSERT_EQ(s.grants.size(), 3u);
  EXPECT_EQ(s.grants[0].id, 10200);
  EXPECT_EQ(s.grants[0].holder.type, "group");
  EXPECT_EQ(s.grants[0].holder.parameter, "jira-software-users");
  EXPECT_EQ(s.grants[1].holder.parameter, "10002");
  EXPECT_EQ(s.grants[2].id, 10202);
  EXPECT_EQ(s.grants[2].holder.parameter, "");
}

TEST(JsonModelTest, PermissionsAndServerInfoAndPicker) {
  auto perms = PermissionsFromJson(json::parse(R"({"permissions":{
    "BROWSE_PROJECTS":{"key":"BROWSE_PROJECTS","name":"Browse Projects","type":"PROJECT"},
    "ADMINISTER":{"key":"ADMINISTER","name":"Jira Administrators","type":"GLOBAL"}}})"));
  ASSERT_EQ(perms.size(), 2u);
  EXPECT_EQ(perms[0].key, "ADMINISTER");
  EXPECT_EQ(perms[0].type, "GLOBAL");
  ServerInfo info = ServerInfoFromJson(json::parse(R"({"baseUrl":"http://x","version":"9.12.2",
    "versionNumbers":[9,12,2],"deploymentType":"Server","serverTitle":"Jira"})"));
  EXPECT_EQ(info.version_numbers, (std::vector<int>{9, 12, 2}));
  EXPECT_EQ(info.deployment_type, "Server");
  auto groups = PickedGroupsFromJson(json::parse(
      R"({"header":"Showing 2 of 2 matching groups","total":2,"groups":[{"name":"devs","html":"<b>dev</b>s"},{"name":"Dev-Ops"}]})"));
  EXPECT_EQ(groups, (std::vector<std::string>{"devs", "Dev-Ops"}));
}

TEST(JsonModelTest, WriteBodies) {
  NewUser nu{"bob", "bob@example.com", "Bob", std::nullopt, false};
  json j = NewUserToJson(nu);
  EXPECT_EQ(j["name"], "bob");
  EXPECT_EQ(j["notification"], "false");  // a string in Jira's bean
  EXPECT_FALSE(j.contains("password"));
  nu.password = "pw";
  nu.notify = true;
  EXPECT_EQ(NewUserToJson(nu)["password"], "pw");
  EXPECT_EQ(NewUserToJson(nu)["notification"], "true");

  UserChanges c;
  c.active = false;
  EXPECT_EQ(UserChangesToJson(c), json::parse(R"({"active":false})"));
  c.name = "robert";
  EXPECT_EQ(UserChangesToJson(c), json::parse(R"({"active":false,"name":"robert"})"));

  PermissionGrant anyone{0, "BROWSE_PROJECTS", {"anyone", ""}};
  EXPECT_EQ(GrantToJson(anyone), json::parse(R"({"holder":{"type":"anyone"},"permission":"BROWSE_PROJECTS"})"));
  std::vector<PermissionGrant> grants = {{0, "ADMINISTER_PROJECTS", {"user", "JIRAUSER10100"}}};
  json s = SchemeToJson("S", "D", &grants);
  EXPECT_EQ(s["permissions"][0]["holder"]["parameter"], "JIRAUSER10100");
  EXPECT_FALSE(SchemeToJson("S", "D", nullptr).contains("permissions"));
  EXPECT_EQ(SchemeToJson("S", "D", nullptr)["description"], "D");
}

}  // namespace
}  // namespace jira
