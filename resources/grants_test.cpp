#include "resources/grants.h"

#include <gtest/gtest.h>

namespace tfjira {
namespace {

jira::PermissionGrant G(int64_t id, std::string perm, std::string type, std::string param = "") {
  return {id, std::move(perm), {std::move(type), std::move(param)}};
}

tf::Value Grant(const char* perm, const char* type, std::optional<std::string> param) {
  return tf::Value::Object({{"permission", tf::Value::String(perm)},
                            {"holder_type", tf::Value::String(type)},
                            {"holder_parameter", tf::StringOrNull(param)}});
}

std::string Summaries(const tf::Diagnostics& d) {
  std::string out;
  for (const auto& x : d) {
    out += x.summary + "@" + (x.path ? x.path->ToString() : "-") + ";";
  }
  return out;
}

TEST(GrantDiffTest, UnchangedGrantsAreLeftAlone) {
  std::vector<jira::PermissionGrant> current = {G(1, "ADMINISTER_PROJECTS", "group", "devs"),
                                                G(2, "BROWSE_PROJECTS", "anyone")};
  std::vector<jira::PermissionGrant> desired = {G(0, "BROWSE_PROJECTS", "anyone"),
                                                G(0, "ADMINISTER_PROJECTS", "group", "DEVS"),
                                                G(0, "EDIT_ISSUES", "projectLead")};
  GrantDiff diff = DiffGrants(current, desired);
  EXPECT_TRUE(diff.to_delete.empty());
  ASSERT_EQ(diff.to_add.size(), 1u);
  EXPECT_EQ(diff.to_add[0].permission, "EDIT_ISSUES");
}

TEST(GrantDiffTest, ExtraAndDuplicateGrantsAreDeleted) {
  std::vector<jira::PermissionGrant> current = {G(1, "ADMINISTER_PROJECTS", "group", "devs"),
                                                G(2, "ADMINISTER_PROJECTS", "group", "devs"),
                                                G(3, "BROWSE_PROJECTS", "anyone")};
  GrantDiff diff = DiffGrants(current, {G(0, "ADMINISTER_PROJECTS", "group", "devs")});
  ASSERT_EQ(diff.to_delete.size(), 2u);
  EXPECT_EQ(diff.to_delete[0].id, 2);
  EXPECT_EQ(diff.to_delete[1].id, 3);
  EXPECT_TRUE(diff.to_add.empty());
}

TEST(GrantDiffTest, RoleIdsCompareExactlyAndDesiredDuplicatesCollapse) {
  GrantDiff diff = DiffGrants({G(1, "EDIT_ISSUES", "projectRole", "10002")},
                              {G(0, "EDIT_ISSUES", "projectRole", "10003"),
                               G(0, "EDIT_ISSUES", "projectRole", "10003")});
  EXPECT_EQ(diff.to_delete.size(), 1u);
  EXPECT_EQ(diff.to_add.size(), 1u);
}

TEST(ValidateGrantTest, AcceptsWellFormedGrants) {
  tf::Diagnostics d;
  ValidateGrant(Grant("ADMINISTER_PROJECTS", "group", "devs"), tf::Path().AtName("grant"), d);
  ValidateGrant(Grant("BROWSE_PROJECTS", "projectLead", std::nullopt), tf::Path().AtName("grant"), d);
  ValidateGrant(Grant("BROWSE_PROJECTS", "applicationRole", std::nullopt), tf::Path().AtName("grant"), d);
  ValidateGrant(Grant("BROWSE_PROJECTS", "applicationRole", "jira-software"), tf::Path().AtName("grant"), d);
  EXPECT_TRUE(d.empty()) << d.ToString();
}

TEST(ValidateGrantTest, ReportsEachProblemAtGrant) {
  tf::Path path = tf::Path().AtName("grant");
  tf::Diagnostics d;
  ValidateGrant(Grant("BROWSE_PROJECTS", "wizard", "x"), path, d);
  ValidateGrant(Grant("BROWSE_PROJECTS", "group", std::nullopt), path, d);
  ValidateGrant(Grant("BROWSE_PROJECTS", "anyone", "x"), path, d);
  ValidateGrant(Grant("ADMINISTER", "anyone", std::nullopt), path, d);
  EXPECT_EQ(Summaries(d),
            "Unknown holder_type@grant;Missing holder_parameter@grant;"
            "Unexpected holder_parameter@grant;Global permission in a permission scheme@grant;");
}

TEST(ValidateGrantTest, UnknownValuesAreNotErrors) {
  tf::Diagnostics d;
  tf::Value g = tf::Value::Object({{"permission", tf::Value::Unknown(tf::Type::String())},
                                   {"holder_type", tf::Value::String("group")},
                                   {"holder_parameter", tf::Value::Unknown(tf::Type::String())}});
  ValidateGrant(g, tf::Path().AtName("grant"), d);
  EXPECT_TRUE(d.empty()) << d.ToString();
}

}  // namespace
}  // namespace tfjira
