// Text users read: schema descriptions (docs/ is generated from them) that enumerate
// accepted values must list all of them, and plan-time errors say what to do instead.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <optional>

#include "resources/grants.h"
#include "resources/scheme_grants.h"
#include "resources/validators.h"

namespace tfjira {
namespace {

TEST(SchemaTextTest, HolderTypeDescriptionListsEveryAcceptedValueOnItsOwnLine) {
  const std::string text = HolderTypeDescription();
  EXPECT_THAT(text, ::testing::Not(::testing::HasSubstr("...")));
  std::vector<std::string> lines;
  for (size_t start = 0;;) {
    size_t end = text.find("<br>", start);
    lines.push_back(text.substr(start, end == std::string::npos ? std::string::npos : end - start));
    if (end == std::string::npos) break;
    start = end + 4;
  }
  const auto names = HolderTypeNames();
  ASSERT_EQ(lines.size(), names.size() + 1) << text;  // an introduction, then one per value
  for (const auto& name : names) {
    int found = 0;
    for (const auto& line : lines) found += line.rfind("`" + name + "`:", 0) == 0;
    EXPECT_EQ(found, 1) << name << " needs exactly one line in: " << text;
  }
}

TEST(SchemaTextTest, BlankAndSurroundingSpaceNamesAreRejectedOnTheAttribute) {
  const tf::Path path = tf::Path().AtName("name");
  for (const char* bad : {"  ", "\t", " qa", "qa ", "qa\n"}) {
    tf::Diagnostics d;
    TrimmedNameValidator()(tf::Value::String(bad), path, d);
    ASSERT_EQ(d.size(), 1u) << "\"" << bad << "\"";
    EXPECT_EQ(d.items()[0].path->ToString(), "name");
  }
  for (const char* good : {"qa", "QA/Testers", "team a", "gitlab-developers", ""}) {
    tf::Diagnostics d;
    TrimmedNameValidator()(tf::Value::String(good), path, d);
    EXPECT_TRUE(d.empty()) << "\"" << good << "\": " << d.ToString();
  }
}

tf::Value Grant(const std::string& permission, const std::string& type, std::optional<std::string> parameter) {
  return tf::Value::Object({{"permission", tf::Value::String(permission)},
                            {"holder_type", tf::Value::String(type)},
                            {"holder_parameter", parameter ? tf::Value::String(*parameter)
                                                           : tf::Value::Null(tf::Type::String())}});
}

TEST(GrantMessagesTest, NearestPermissionKey) {
  auto known = BuiltInProjectPermissions();
  EXPECT_EQ(NearestPermissionKey("CREATE_ISSUE", known), "CREATE_ISSUES");
  EXPECT_EQ(NearestPermissionKey("browse_projects", known), "BROWSE_PROJECTS");
  EXPECT_EQ(NearestPermissionKey("ADMINSTER_PROJECTS", known), "ADMINISTER_PROJECTS");
  EXPECT_EQ(NearestPermissionKey("SOMETHING_ELSE_ENTIRELY", known), std::nullopt);
}

TEST(GrantMessagesTest, ErrorsNameTheGrantAndWhatToUse) {
  const tf::Path path = tf::Path().AtName("grant");
  tf::Diagnostics lower;
  ValidateGrant(Grant("create_issues", "group", "devs"), path, lower);
  ASSERT_EQ(lower.size(), 1u);
  EXPECT_EQ(lower.items()[0].path->ToString(), "grant");
  EXPECT_THAT(lower.ToString(), ::testing::HasSubstr("grant create_issues to group \"devs\""));
  EXPECT_THAT(lower.ToString(), ::testing::HasSubstr("use \"CREATE_ISSUES\""));

  tf::Diagnostics role;
  ValidateGrant(Grant("BROWSE_PROJECTS", "projectRole", "Developers"), path, role);
  ASSERT_EQ(role.size(), 1u);
  EXPECT_THAT(role.ToString(), ::testing::HasSubstr("needs the role's numeric id"));
  EXPECT_THAT(role.ToString(), ::testing::HasSubstr("10001 (Developers)"));
  // A default role's name, in any letter case, gets the id to write.
  tf::Diagnostics admins;
  ValidateGrant(Grant("BROWSE_PROJECTS", "projectRole", "administrators"), path, admins);
  EXPECT_THAT(admins.ToString(),
              ::testing::HasSubstr("\"Administrators\" is holder_parameter = \"10002\""));
  tf::Diagnostics role_ok;
  ValidateGrant(Grant("BROWSE_PROJECTS", "projectRole", "10001"), path, role_ok);
  EXPECT_TRUE(role_ok.empty()) << role_ok.ToString();

  tf::Diagnostics missing;
  ValidateGrant(Grant("BROWSE_PROJECTS", "group", std::nullopt), path, missing);
  EXPECT_THAT(missing.ToString(), ::testing::HasSubstr("In grant BROWSE_PROJECTS to group:"));
}

}  // namespace
}  // namespace tfjira
