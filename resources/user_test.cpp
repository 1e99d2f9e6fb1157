// jira_user handlers against the in-memory fake.
#include <gtest/gtest.h>

#include "resources/all.h"
#include "resources/testing/resource_testing.h"

namespace tfjira {
namespace {

using namespace tfjira::testing;  // NOLINT

class UserTest : public ::testing::Test {
 protected:
  void SetUp() override {
    tf::Diagnostics d;
    r_->Configure(DataFor(fake_), d);
    ASSERT_FALSE(d.HasError());
  }
  tf::Value Plan(std::map<std::string, tf::Value> attrs) {
    attrs.try_emplace("active", B(true));
    attrs.try_emplace("notify", B(false));
    return Obj(schema_, attrs);
  }
  tf::CreateResponse Create(const tf::Value& plan) {
    tf::CreateRequest req{plan, plan, "", {}};
    tf::CreateResponse resp{plan, "", {}};
    r_->Create(req, resp);
    return resp;
  }
  tf::ReadResponse Read(const tf::Value& state) {
    tf::ReadRequest req{state, "", {}};
    tf::ReadResponse resp{state, "", {}};
    r_->Read(req, resp);
    return resp;
  }
  tf::UpdateResponse Update(const tf::Value& prior, const tf::Value& plan) {
    tf::UpdateRequest req{plan, prior, plan, "", {}};
    tf::UpdateResponse resp{plan, "", {}};
    r_->Update(req, resp);
    return resp;
  }
  tf::Value Gitlab() {
    return Plan({{"name", S("gitlab")}, {"email", S("gitlab@example.com")},
                 {"display_name", S("GitLab")}, {"password", S("s3cret-pw")}});
  }

  std::shared_ptr<FakeJira> fake_ = std::make_shared<FakeJira>();
  std::unique_ptr<tf::Resource> r_ = NewUserResource();
  tf::Schema schema_ = r_->GetSchema();
};

TEST_F(UserTest, CreateStoresKeyAndKeepsPassword) {
  auto resp = Create(Gitlab());
  ASSERT_FALSE(resp.diagnostics.HasError()) << resp.diagnostics.ToString();
  std::string key = tf::GetString(resp.state, "key").value();
  EXPECT_EQ(key.rfind("JIRAUSER", 0), 0u);
  EXPECT_EQ(tf::GetString(resp.state, "id"), key);
  EXPECT_EQ(tf::GetString(resp.state, "password"), "s3cret-pw");
  EXPECT_EQ(fake_->users[key].password, "s3cret-pw");
  EXPECT_EQ(fake_->users[key].user.display_name, "GitLab");
}

TEST_F(UserTest, InactiveOnCreateIsSetAfterwards) {
  auto plan = Gitlab().WithAttr("active", B(false));
  auto resp = Create(plan);
  ASSERT_FALSE(resp.diagnostics.HasError()) << resp.diagnostics.ToString();
  EXPECT_EQ(tf::GetBool(resp.state, "active"), false);
  EXPECT_FALSE(fake_->FindUserByName("gitlab")->user.active);
}

TEST_F(UserTest, LostCreateAnswerAdoptsTheUserInsteadOfFailing) {
  fake_->FailNext("CreateUser", FakeJira::Transport(), 1, /*apply_first=*/true);
  auto resp = Create(Gitlab());
  ASSERT_FALSE(resp.diagnostics.HasError()) << resp.diagnostics.ToString();
  EXPECT_FALSE(resp.state.is_null());
  EXPECT_EQ(fake_->users.size(), 2u);  // admin + gitlab, no duplicate
}

TEST_F(UserTest, DuplicateNameIsReportedOnName) {
  ASSERT_FALSE(Create(Gitlab()).diagnostics.HasError());
  auto resp = Create(Gitlab().WithAttr("name", S("GITLAB")));
  ASSERT_TRUE(resp.diagnostics.HasError());
  bool on_name = false;
  for (const auto& d : resp.diagnostics) on_name |= d.path && d.path->ToString() == "name";
  EXPECT_TRUE(on_name) << resp.diagnostics.ToString();
  EXPECT_EQ(resp.diagnostics.size(), 1u) << "one error for one problem: " << resp.diagnostics.ToString();
  EXPECT_EQ(resp.diagnostics.ToString().find("Jira: Jira"), std::string::npos) << resp.diagnostics.ToString();
  EXPECT_TRUE(resp.state.is_null());
}

TEST_F(UserTest, ReadKeepsConfiguredCaseAndRemovesDeletedUser) {
  auto state = Create(Gitlab().WithAttr("name", S("GitLab"))).state;
  fake_->FindUserByName("gitlab")->user.name = "gitlab";  // Jira shows another case
  auto read = Read(state);
  EXPECT_EQ(tf::GetString(read.state, "name"), "GitLab");
  fake_->FindUserByName("gitlab")->user.display_name = "Changed by hand";
  EXPECT_EQ(tf::GetString(Read(state).state, "display_name"), "Changed by hand");
  fake_->users.erase(tf::GetString(state, "key").value());
  auto gone = Read(state);
  EXPECT_FALSE(gone.diagnostics.HasError());
  EXPECT_TRUE(gone.state.is_null());
}

TEST_F(UserTest, RenameIsInPlaceAndPasswordChangeCallsSetPassword) {
  auto prior = Create(Gitlab()).state;
  auto plan = prior.WithAttr("name", S("gitlab-bot")).WithAttr("password", S("new-pw"));
  auto resp = Update(prior, plan);
  ASSERT_FALSE(resp.diagnostics.HasError()) << resp.diagnostics.ToString();
  EXPECT_EQ(resp.state, plan);
  EXPECT_EQ(fake_->users[tf::GetString(prior, "key").value()].user.name, "gitlab-bot");
  EXPECT_EQ(fake_->last_password, "new-pw");
}

TEST_F(UserTest, FailedPasswordChangeKeepsPriorPasswordInState) {
  auto prior = Create(Gitlab()).state;
  fake_->FailNext("SetPassword",
                  FakeJira::Invalid("", {{"password", "changepassword.new.password.rejected"}}));
  auto plan = prior.WithAttr("password", S("x")).WithAttr("email", S("new@example.com"));
  auto resp = Update(prior, plan);
  ASSERT_TRUE(resp.diagnostics.HasError());
  EXPECT_EQ(resp.diagnostics.items()[0].path->ToString(), "password");
  EXPECT_EQ(tf::GetString(resp.state, "password"), "s3cret-pw");
  EXPECT_EQ(tf::GetString(resp.state, "email"), "new@example.com");  // that step did happen
}

TEST_F(UserTest, JiraFieldErrorsGetAttributePaths) {
  auto prior = Create(Gitlab()).state;
  fake_->FailNext("UpdateUser",
                  FakeJira::Invalid("", {{"email", "You must specify a valid email address."}}));
  auto resp = Update(prior, prior.WithAttr("email", S("a@b")));
  ASSERT_TRUE(resp.diagnostics.HasError());
  EXPECT_EQ(resp.diagnostics.items()[0].path->ToString(), "email");
  EXPECT_NE(resp.diagnostics.items()[0].detail.find("valid email"), std::string::npos);
  EXPECT_EQ(tf::GetString(resp.state, "email"), "gitlab@example.com");
}

TEST_F(UserTest, ImportByNameOrKeyLeavesPasswordNull) {
  auto created = Create(Gitlab()).state;
  for (std::string id : {std::string("GitLab"), tf::GetString(created, "key").value()}) {
    tf::ImportRequest req{id, {}};
    tf::ImportResponse resp{Obj(schema_, {}), "", {}};
    r_->ImportState(req, resp);
    ASSERT_FALSE(resp.diagnostics.HasError());
    auto read = Read(resp.state);
    ASSERT_FALSE(read.diagnostics.HasError()) << read.diagnostics.ToString();
    EXPECT_EQ(tf::GetString(read.state, "id"), tf::GetString(created, "key"));
    EXPECT_EQ(tf::GetString(read.state, "name"), "gitlab");
    EXPECT_TRUE(read.state.attr("password").is_null());
    EXPECT_EQ(tf::GetBool(read.state, "notify"), false);
  }
}

TEST_F(UserTest, DisplayNameDefaultsToNameAndFollowsARename) {
  auto config = Obj(schema_, {{"name", S("gitlab")}, {"email", S("g@example.com")}});
  tf::ModifyPlanRequest req{config, tf::Value::Null(schema_.ImpliedType()), Plan({{"name", S("gitlab")}, {"email", S("g@example.com")}}), "", {}};
  tf::ModifyPlanResponse resp{req.proposed_new_state, {}, "", {}};
  r_->ModifyPlan(req, resp);
  EXPECT_EQ(tf::GetString(resp.planned_state, "display_name"), "gitlab");

  auto prior = Create(resp.planned_state).state;
  auto renamed_config = config.WithAttr("name", S("gitlab2"));
  tf::ModifyPlanRequest req2{renamed_config, prior, prior.WithAttr("name", S("gitlab2")), "", {}};
  tf::ModifyPlanResponse resp2{req2.proposed_new_state, {}, "", {}};
  r_->ModifyPlan(req2, resp2);
  EXPECT_EQ(tf::GetString(resp2.planned_state, "display_name"), "gitlab2");
  EXPECT_EQ(resp2.planned_state.attr("id"), prior.attr("id"));
}

TEST_F(UserTest, DeleteToleratesAnAlreadyDeletedUser) {
  auto state = Create(Gitlab()).state;
  fake_->users.erase(tf::GetString(state, "key").value());
  tf::DeleteRequest req{state, "", {}};
  tf::DeleteResponse resp;
  r_->Delete(req, resp);
  EXPECT_FALSE(resp.diagnostics.HasError()) << resp.diagnostics.ToString();
}

TEST_F(UserTest, EmailIsValidatedAtPlanTime) {
  const tf::Attribute* email = schema_.block.FindAttribute("email");
  ASSERT_NE(email, nullptr);
  tf::Diagnostics d;
  for (const auto& v : email->validators) v(S("not an email"), tf::Path().AtName("email"), d);
  ASSERT_TRUE(d.HasError());
  EXPECT_EQ(d.items()[0].path->ToString(), "email");
  tf::Diagnostics ok;
  for (const auto& v : email->validators) v(S("gitlab@example.com"), tf::Path().AtName("email"), ok);
  EXPECT_TRUE(ok.empty());
}

tf::Value Apps(std::vector<std::string> keys) {
  std::vector<tf::Value> items;
  for (auto& k : keys) items.push_back(S(k));
  return tf::Value::Set(tf::Type::String(), std::move(items));
}

TEST_F(UserTest, ApplicationKeysAreSentOnCreateAndReadBack) {
  auto resp = Create(Gitlab().WithAttr("application_keys", Apps({"jira-core"})));
  ASSERT_FALSE(resp.diagnostics.HasError()) << resp.diagnostics.ToString();
  std::string key = tf::GetString(resp.state, "key").value();
  EXPECT_EQ(resp.state.attr("application_keys"), Apps({"jira-core"}));
  EXPECT_TRUE(fake_->application_users["jira-core"].count(key));
  EXPECT_FALSE(fake_->application_users["jira-software"].count(key));  // not the default
}

TEST_F(UserTest, UnsetApplicationKeysAreWhatJiraGaveAndNeverPlanned) {
  auto config = Gitlab();
  tf::Value proposed = config.WithAttr("application_keys", tf::Value::Null(tf::Type::Set(tf::Type::String())));
  tf::ModifyPlanRequest req{config, tf::Value::Null(schema_.ImpliedType()), proposed, "", {}};
  tf::ModifyPlanResponse resp{proposed, {}, "", {}};
  r_->ModifyPlan(req, resp);
  EXPECT_TRUE(resp.planned_state.attr("application_keys").is_unknown());

  auto created = Create(resp.planned_state);
  ASSERT_FALSE(created.diagnostics.HasError()) << created.diagnostics.ToString();
  EXPECT_EQ(created.state.attr("application_keys"), Apps({"jira-software"}));

  // Changed in Jira: read shows it, and the plan keeps state's value (no diff).
  std::string key = tf::GetString(created.state, "key").value();
  fake_->application_users["jira-core"].insert(key);
  auto read = Read(created.state);
  EXPECT_EQ(read.state.attr("application_keys"), Apps({"jira-core", "jira-software"}));
  tf::ModifyPlanRequest again{config, read.state, read.state, "", {}};
  tf::ModifyPlanResponse planned{read.state, {}, "", {}};
  r_->ModifyPlan(again, planned);
  EXPECT_EQ(planned.planned_state, read.state);
}

TEST_F(UserTest, ApplicationKeysChangeInPlaceAndDriftIsRepaired) {
  auto created = Create(Gitlab().WithAttr("application_keys", Apps({"jira-software"})));
  ASSERT_FALSE(created.diagnostics.HasError()) << created.diagnostics.ToString();
  std::string key = tf::GetString(created.state, "key").value();

  auto plan = created.state.WithAttr("application_keys", Apps({"jira-core"}));
  auto updated = Update(created.state, plan);
  ASSERT_FALSE(updated.diagnostics.HasError()) << updated.diagnostics.ToString();
  EXPECT_EQ(updated.state.attr("application_keys"), Apps({"jira-core"}));
  EXPECT_TRUE(fake_->application_users["jira-core"].count(key));
  EXPECT_FALSE(fake_->application_users["jira-software"].count(key));
  EXPECT_EQ(fake_->Calls("UpdateUser"), 0);  // nothing else changed

  // Removed by hand: read sees it, the update puts it back.
  fake_->application_users["jira-core"].erase(key);
  auto read = Read(updated.state);
  EXPECT_EQ(read.state.attr("application_keys"), Apps({}));
  auto repaired = Update(read.state, plan);
  ASSERT_FALSE(repaired.diagnostics.HasError()) << repaired.diagnostics.ToString();
  EXPECT_TRUE(fake_->application_users["jira-core"].count(key));
  EXPECT_EQ(repaired.state.attr("application_keys"), Apps({"jira-core"}));
}

TEST_F(UserTest, NoSeatLeftIsReportedOnApplicationKeys) {
  fake_->seats["jira-software"] = 1;
  fake_->application_users["jira-software"] = {"admin"};
  auto resp = Create(Gitlab().WithAttr("application_keys", Apps({"jira-software"})));
  ASSERT_TRUE(resp.diagnostics.HasError());
  ASSERT_EQ(resp.diagnostics.size(), 1u) << resp.diagnostics.ToString();
  EXPECT_EQ(resp.diagnostics.items()[0].path->ToString(), "application_keys");
  EXPECT_NE(resp.diagnostics.items()[0].summary.find("No licence seat left for Jira Software"),
            std::string::npos) << resp.diagnostics.ToString();
  EXPECT_TRUE(resp.state.is_null());

  // The same on an update that adds the application.
  auto created = Create(Gitlab().WithAttr("application_keys", Apps({"jira-core"})));
  ASSERT_FALSE(created.diagnostics.HasError()) << created.diagnostics.ToString();
  auto updated = Update(created.state, created.state.WithAttr("application_keys", Apps({"jira-core", "jira-software"})));
  ASSERT_TRUE(updated.diagnostics.HasError());
  EXPECT_EQ(updated.diagnostics.items()[0].path->ToString(), "application_keys");
  EXPECT_EQ(updated.state.attr("application_keys"), Apps({"jira-core"}));  // what Jira has
}

TEST_F(UserTest, UnknownApplicationIsFoundAtPlanTime) {
  auto config = Gitlab().WithAttr("application_keys", Apps({"jira-sofware"}));
  tf::ModifyPlanRequest req{config, tf::Value::Null(schema_.ImpliedType()), config, "", {}};
  tf::ModifyPlanResponse resp{config, {}, "", {}};
  r_->ModifyPlan(req, resp);
  ASSERT_TRUE(resp.diagnostics.HasError());
  EXPECT_EQ(resp.diagnostics.items()[0].path->ToString(), "application_keys");
  EXPECT_NE(resp.diagnostics.items()[0].detail.find("\"jira-software\""), std::string::npos)
      << resp.diagnostics.ToString();
}

TEST_F(UserTest, ApplicationKeysOnJiraBefore7AreAPlanError) {
  auto data = std::make_shared<ProviderData>();
  data->client = fake_;
  data->server.version_numbers = {6, 4, 14};
  data->server.version = "6.4.14";
  tf::Diagnostics d;
  r_->Configure(std::shared_ptr<const ProviderData>(data), d);
  auto config = Gitlab().WithAttr("application_keys", Apps({"jira-software"}));
  tf::ModifyPlanRequest req{config, tf::Value::Null(schema_.ImpliedType()), config, "", {}};
  tf::ModifyPlanResponse resp{config, {}, "", {}};
  r_->ModifyPlan(req, resp);
  ASSERT_TRUE(resp.diagnostics.HasError());
  EXPECT_EQ(resp.diagnostics.items()[0].path->ToString(), "application_keys");
}

}  // namespace
}  // namespace tfjira
