// jira_permission_scheme handlers against the in-memory fake.
#include <gtest/gtest.h>

#include "resources/all.h"
#include "resources/scheme_grants.h"
#include "resources/testing/resource_testing.h"

namespace tfjira {
namespace {

using namespace tfjira::testing;  // NOLINT

tf::Value Grant(const char* perm, const char* type, std::optional<std::string> param) {
  return tf::Value::Object({{"permission", S(perm)}, {"holder_type", S(type)},
                            {"holder_parameter", tf::StringOrNull(param)}});
}
tf::Value Grants(std::vector<tf::Value> items) { return tf::Value::Set(GrantType(), std::move(items)); }

class PermissionSchemeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tf::Diagnostics d;
    r_->Configure(DataFor(fake_), d);
    fake_->groups["gitlab-developers"] = {};
    fake_->users["JIRAUSER10500"] = {{"JIRAUSER10500", "gitlab", "g@example.com", "GitLab", true, {}}, ""};
  }
  tf::Value Plan(std::vector<tf::Value> grants, std::string description = "For GitLab") {
    return Obj(schema_, {{"name", S("GitLab integration")},
                         {"description", S(description)},
                         {"grant", Grants(std::move(grants))}});
  }
  tf::CreateResponse Create(const tf::Value& plan) {
    tf::CreateRequest req{plan, plan, "", {}};
    tf::CreateResponse resp{plan, "", {}};
    r_->Create(req, resp);
    return resp;
  }
  tf::UpdateResponse Update(const tf::Value& prior, const tf::Value& plan) {
    tf::UpdateRequest req{plan, prior, plan, "", {}};
    tf::UpdateResponse resp{plan, "", {}};
    r_->Update(req, resp);
    return resp;
  }
  tf::ReadResponse Read(const tf::Value& state) {
    tf::ReadRequest req{state, "", {}};
    tf::ReadResponse resp{state, "", {}};
    r_->Read(req, resp);
    return resp;
  }
  jira::PermissionScheme& Stored(const tf::Value& state) {
    return fake_->schemes[std::stoll(tf::GetString(state, "id").value())];
  }

  std::shared_ptr<FakeJira> fake_ = std::make_shared<FakeJira>();
  std::unique_ptr<tf::Resource> r_ = NewPermissionSchemeResource();
  tf::Schema schema_ = r_->GetSchema();
};

TEST_F(PermissionSchemeTest, CreateTranslatesUsernamesToKeysAndBack) {
  auto plan = Plan({Grant("ADMINISTER_PROJECTS", "group", "gitlab-developers"),
                    Grant("BROWSE_PROJECTS", "user", "gitlab"),
                    Grant("BROWSE_PROJECTS", "projectLead", std::nullopt)});
  auto resp = Create(plan);
  ASSERT_FALSE(resp.diagnostics.HasError()) << resp.diagnostics.ToString();
  EXPECT_EQ(resp.state.attr("grant"), plan.attr("grant"));
  bool has_key = false;
  for (const auto& g : Stored(resp.state).grants) {
    has_key |= g.holder.type == "user" && g.holder.parameter == "JIRAUSER10500";
  }
  EXPECT_TRUE(has_key);
  EXPECT_EQ(Read(resp.state).state, resp.state);
}

TEST_F(PermissionSchemeTest, UpdateTouchesOnlyDifferingGrants) {
  auto prior = Create(Plan({Grant("ADMINISTER_PROJECTS", "group", "gitlab-developers"),
                            Grant("BROWSE_PROJECTS", "anyone", std::nullopt)})).state;
  int64_t kept_id = 0;
  for (const auto& g : Stored(prior).grants) {
    if (g.permission == "ADMINISTER_PROJECTS") kept_id = g.id;
  }
  auto plan = Plan({Grant("ADMINISTER_PROJECTS", "group", "gitlab-developers"),
                    Grant("EDIT_ISSUES", "reporter", std::nullopt)}, "Changed")
                  .WithAttr("id", prior.attr("id"));
  auto resp = Update(prior, plan);
  ASSERT_FALSE(resp.diagnostics.HasError()) << resp.diagnostics.ToString();
  EXPECT_EQ(resp.state, plan);
  const auto& stored = Stored(prior);
  EXPECT_EQ(stored.description, "Changed");
  ASSERT_EQ(stored.grants.size(), 2u);
  bool kept = false;
  for (const auto& g : stored.grants) kept |= g.id == kept_id;
  EXPECT_TRUE(kept) << "the unchanged grant must keep its id";
  EXPECT_EQ(fake_->Calls("UpdatePermissionScheme"), 1);
  EXPECT_EQ(fake_->Calls("DeleteGrant"), 1);
  EXPECT_EQ(fake_->Calls("AddGrant"), 1);
}

TEST_F(PermissionSchemeTest, GrantAddedByHandShowsUpInReadAndIsRemovedByUpdate) {
  auto state = Create(Plan({Grant("ADMINISTER_PROJECTS", "group", "gitlab-developers")})).state;
  Stored(state).grants.push_back({999, "DELETE_ISSUES", {"anyone", ""}});
  auto read = Read(state);
  EXPECT_EQ(read.state.attr("grant").items().size(), 2u);
  auto resp = Update(read.state, state);
  ASSERT_FALSE(resp.diagnostics.HasError()) << resp.diagnostics.ToString();
  EXPECT_EQ(Stored(state).grants.size(), 1u);
}

TEST_F(PermissionSchemeTest, GroupCaseOnlyDifferenceKeepsPriorSpelling) {
  auto state = Create(Plan({Grant("ADMINISTER_PROJECTS", "group", "GitLab-Developers")})).state;
  Stored(state).grants[0].holder.parameter = "gitlab-developers";
  EXPECT_EQ(Read(state).state, state);
  // Configuration changed to another case only: plan keeps the state's spelling.
  auto config = Plan({Grant("ADMINISTER_PROJECTS", "group", "gitlab-developers")});
  tf::ModifyPlanRequest req{config, state, config.WithAttr("id", state.attr("id")), "", {}};
  tf::ModifyPlanResponse resp{req.proposed_new_state, {}, "", {}};
  r_->ModifyPlan(req, resp);
  EXPECT_EQ(resp.planned_state, state);
}

TEST_F(PermissionSchemeTest, LostGrantAnswersDoNotDuplicate) {
  auto prior = Create(Plan({})).state;
  fake_->FailNext("AddGrant", FakeJira::Transport(), 1, /*apply_first=*/true);
  auto plan = Plan({Grant("ADMINISTER_PROJECTS", "group", "gitlab-developers")})
                  .WithAttr("id", prior.attr("id"));
  auto resp = Update(prior, plan);
  ASSERT_FALSE(resp.diagnostics.HasError()) << resp.diagnostics.ToString();
  EXPECT_EQ(Stored(prior).grants.size(), 1u);
}

TEST_F(PermissionSchemeTest, FailedGrantLeavesStateDescribingJira) {
  auto prior = Create(Plan({})).state;
  auto plan = Plan({Grant("ADMINISTER_PROJECTS", "group", "no-such-group")})
                  .WithAttr("id", prior.attr("id"));
  auto resp = Update(prior, plan);
  ASSERT_TRUE(resp.diagnostics.HasError());
  EXPECT_NE(resp.diagnostics.ToString().find("no group \"no-such-group\""), std::string::npos)
      << resp.diagnostics.ToString();
  EXPECT_EQ(resp.state.attr("grant").items().size(), 0u);
}

TEST_F(PermissionSchemeTest, UnknownUserInGrantIsAnErrorAtGrant) {
  auto resp = Create(Plan({Grant("BROWSE_PROJECTS", "user", "nobody")}));
  ASSERT_TRUE(resp.diagnostics.HasError());
  EXPECT_EQ(resp.diagnostics.items()[0].path->ToString(), "grant");
  EXPECT_TRUE(fake_->schemes.empty());
}

TEST_F(PermissionSchemeTest, PermissionKeysOutsideTheBuiltInListAreCheckedWithJira) {
  auto config = Plan({Grant("APP_PERMISSION", "anyone", std::nullopt),
                      Grant("NOT_A_PERMISSION", "anyone", std::nullopt)});
  tf::ModifyPlanRequest req{config, tf::Value::Null(schema_.ImpliedType()), config, "", {}};
  tf::ModifyPlanResponse resp{config, {}, "", {}};
  r_->ModifyPlan(req, resp);
  ASSERT_EQ(resp.diagnostics.size(), 1u) << resp.diagnostics.ToString();
  EXPECT_NE(resp.diagnostics.items()[0].detail.find("NOT_A_PERMISSION"), std::string::npos);
  EXPECT_EQ(resp.diagnostics.items()[0].path->ToString(), "grant");
}

TEST_F(PermissionSchemeTest, PlanReportsEveryUnknownHolderAtOnce) {
  // A user, a group and a role Jira lacks, and a role given by its name: one plan names them
  // all, each with its grant. Users and groups may be created by another resource of the
  // same apply (warnings); roles cannot (errors).
  auto config = Plan({Grant("BROWSE_PROJECTS", "user", "nobody"),
                      Grant("BROWSE_PROJECTS", "group", "no-such-group"),
                      Grant("ADMINISTER_PROJECTS", "projectRole", "10999"),
                      Grant("EDIT_ISSUES", "projectRole", "10001"),
                      Grant("CREATE_ISSUES", "user", "gitlab"),
                      Grant("CREATE_ISSUES", "group", "gitlab-developers")});
  tf::ModifyPlanRequest req{config, tf::Value::Null(schema_.ImpliedType()), config, "", {}};
  tf::ModifyPlanResponse resp{config, {}, "", {}};
  r_->ModifyPlan(req, resp);
  std::vector<std::string> warnings, errors;
  for (const auto& d : resp.diagnostics.items()) {
    ASSERT_TRUE(d.path.has_value());
    EXPECT_EQ(d.path->ToString(), "grant");
    (d.severity == tf::Severity::kError ? errors : warnings).push_back(d.detail);
  }
  ASSERT_EQ(warnings.size(), 2u) << resp.diagnostics.ToString();
  const std::string both = warnings[0] + "\n" + warnings[1];
  EXPECT_NE(both.find("grant BROWSE_PROJECTS to user \"nobody\""), std::string::npos) << both;
  EXPECT_NE(both.find("grant BROWSE_PROJECTS to group \"no-such-group\""), std::string::npos) << both;
  ASSERT_EQ(errors.size(), 1u) << resp.diagnostics.ToString();
  EXPECT_NE(errors[0].find("grant ADMINISTER_PROJECTS to projectRole \"10999\""), std::string::npos);
  EXPECT_NE(errors[0].find("Developers (10001)"), std::string::npos) << errors[0];
}

TEST_F(PermissionSchemeTest, UnchangedGrantsAreNotCheckedAgainAtPlan) {
  auto created = Create(Plan({Grant("BROWSE_PROJECTS", "user", "gitlab")}));
  ASSERT_FALSE(created.diagnostics.HasError()) << created.diagnostics.ToString();
  int before = fake_->Calls("GetUserByName");
  auto config = Plan({Grant("BROWSE_PROJECTS", "user", "gitlab")});
  tf::ModifyPlanRequest req{config, created.state, config, "", {}};
  tf::ModifyPlanResponse resp{config, {}, "", {}};
  r_->ModifyPlan(req, resp);
  EXPECT_FALSE(resp.diagnostics.HasError()) << resp.diagnostics.ToString();
  EXPECT_EQ(fake_->Calls("GetUserByName"), before);
}

TEST_F(PermissionSchemeTest, RoleGivenByNameNamesTheRolesIdFromJira) {
  fake_->roles.push_back({10300, "GitLab bots", ""});
  auto config = Plan({Grant("BROWSE_PROJECTS", "projectRole", "gitlab BOTS")});
  tf::ModifyPlanRequest req{config, tf::Value::Null(schema_.ImpliedType()), config, "", {}};
  tf::ModifyPlanResponse resp{config, {}, "", {}};
  r_->ModifyPlan(req, resp);
  ASSERT_TRUE(resp.diagnostics.HasError());
  EXPECT_NE(resp.diagnostics.ToString().find("has id 10300"), std::string::npos)
      << resp.diagnostics.ToString();
}

TEST_F(PermissionSchemeTest, ApplyReportsMissingUsersGroupsAndRolesTogetherBeforeWriting) {
  auto resp = Create(Plan({Grant("BROWSE_PROJECTS", "user", "nobody"),
                           Grant("BROWSE_PROJECTS", "group", "no-such-group"),
                           Grant("BROWSE_PROJECTS", "projectRole", "10999")}));
  ASSERT_TRUE(resp.diagnostics.HasError());
  int errors = 0;
  for (const auto& d : resp.diagnostics.items()) {
    if (d.severity == tf::Severity::kError) ++errors;
  }
  EXPECT_EQ(errors, 3) << resp.diagnostics.ToString();
  EXPECT_TRUE(fake_->schemes.empty());  // nothing written
}

TEST_F(PermissionSchemeTest, ValidateConfigChecksHolderTypes) {
  tf::ValidateResourceRequest req{Plan({Grant("BROWSE_PROJECTS", "group", std::nullopt)})};
  tf::ValidateResourceResponse resp;
  r_->ValidateConfig(req, resp);
  ASSERT_TRUE(resp.diagnostics.HasError());
  EXPECT_EQ(resp.diagnostics.items()[0].summary, "Missing holder_parameter");
}

TEST_F(PermissionSchemeTest, ImportNeedsANumericIdAndReadsGrants) {
  auto created = Create(Plan({Grant("ADMINISTER_PROJECTS", "group", "gitlab-developers")})).state;
  tf::ImportResponse bad{Obj(schema_, {}), "", {}};
  r_->ImportState({"GitLab integration", {}}, bad);
  EXPECT_TRUE(bad.diagnostics.HasError());
  tf::ImportResponse ok{Obj(schema_, {}), "", {}};
  r_->ImportState({tf::GetString(created, "id").value(), {}}, ok);
  ASSERT_FALSE(ok.diagnostics.HasError());
  EXPECT_EQ(Read(ok.state).state, created);
}

TEST_F(PermissionSchemeTest, ReadOfDeletedSchemeRemovesIt) {
  auto state = Create(Plan({})).state;
  fake_->schemes.clear();
  auto read = Read(state);
  EXPECT_FALSE(read.diagnostics.HasError());
  EXPECT_TRUE(read.state.is_null());
}

}  // namespace
}  // namespace tfjira
