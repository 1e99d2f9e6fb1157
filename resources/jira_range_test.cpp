// The resources against the range of real Jira Server/Data Center instances: error texts in
// other languages, names beyond ASCII, masked or hidden e-mail, versions 8.0 to 10.x, groups
// and users Jira refuses to delete, import by name, nested groups.
#include <gtest/gtest.h>

#include "provider/core/schema.h"
#include "resources/all.h"
#include "resources/provider.h"
#include "resources/testing/resource_testing.h"

namespace tfjira {
namespace {

using namespace tfjira::testing;  // NOLINT

// Provider data as Configure builds it: the client and what serverInfo said.
std::any DataFor(std::shared_ptr<FakeJira> fake, std::vector<int> version) {
  auto data = std::make_shared<ProviderData>();
  data->server.version_numbers = std::move(version);
  data->server.deployment_type = "Server";
  data->client = std::move(fake);
  return std::shared_ptr<const ProviderData>(std::move(data));
}

class JiraRangeTest : public ::testing::Test {
 protected:
  void SetUp() override { Configure({9, 12, 2}); }
  void Configure(std::vector<int> version) {
    tf::Diagnostics d;
    for (auto* r : {user_.get(), group_.get(), member_.get()}) r->Configure(DataFor(fake_, version), d);
    ASSERT_FALSE(d.HasError()) << d.ToString();
  }
  void AddGitlab() {
    fake_->users["JIRAUSER10500"] = {
        {"JIRAUSER10500", "gitlab", "gitlab@example.com", "GitLab", true, {}}, ""};
  }

  tf::CreateResponse Create(tf::Resource& r, const tf::Value& plan) {
    tf::CreateResponse resp{plan, "", {}};
    r.Create({plan, plan, "", {}}, resp);
    return resp;
  }
  tf::ReadResponse Read(tf::Resource& r, const tf::Value& state) {
    tf::ReadResponse resp{state, "", {}};
    r.Read({state, "", {}}, resp);
    return resp;
  }
  tf::UpdateResponse Update(tf::Resource& r, const tf::Value& prior, const tf::Value& plan) {
    tf::UpdateResponse resp{plan, "", {}};
    r.Update({plan, prior, plan, "", {}}, resp);
    return resp;
  }
  tf::DeleteResponse Delete(tf::Resource& r, const tf::Value& state) {
    tf::DeleteResponse resp;
    r.Delete({state, "", {}}, resp);
    return resp;
  }
  tf::ModifyPlanResponse ModifyPlan(tf::Resource& r, const tf::Value& prior, const tf::Value& plan) {
    tf::ModifyPlanResponse resp{plan, {}, "", {}};
    r.ModifyPlan({plan, prior, plan, "", {}}, resp);
    return resp;
  }
  tf::Value ImportAndRead(tf::Resource& r, const std::string& id) {
    tf::ImportResponse imp{Obj(r.GetSchema(), {}), "", {}};
    r.ImportState({id, {}}, imp);
    EXPECT_FALSE(imp.diagnostics.HasError()) << imp.diagnostics.ToString();
    auto read = Read(r, imp.state);
    EXPECT_FALSE(read.diagnostics.HasError()) << read.diagnostics.ToString();
    return read.state;
  }
  tf::Value UserPlan(const std::string& name, const std::string& email,
                     const std::string& display) {
    return Obj(user_->GetSchema(), {{"name", S(name)},
                                    {"email", S(email)},
                                    {"display_name", S(display)},
                                    {"active", B(true)},
                                    {"notify", B(false)}});
  }
  tf::Value Membership(const std::string& group, const std::string& user) {
    return Obj(member_->GetSchema(), {{"group", S(group)}, {"username", S(user)}});
  }
  tf::Value Group(const std::string& name) {
    return Obj(group_->GetSchema(), {{"name", S(name)}});
  }
  static bool HasPath(const tf::Diagnostics& d, const std::string& path) {
    for (const auto& item : d.items()) {
      if (item.path && item.path->ToString() == path) return true;
    }
    return false;
  }

  std::shared_ptr<FakeJira> fake_ = std::make_shared<FakeJira>();
  std::unique_ptr<tf::Resource> user_ = NewUserResource();
  std::unique_ptr<tf::Resource> group_ = NewGroupResource();
  std::unique_ptr<tf::Resource> member_ = NewGroupMembershipResource();
};

// ---------------------------------------------------------------- decided by Jira's state

class AnyLanguageTest : public JiraRangeTest, public ::testing::WithParamInterface<const char*> {
 protected:
  void SetUp() override {
    JiraRangeTest::SetUp();
    fake_->language = GetParam();
    AddGitlab();
  }
};

TEST_P(AnyLanguageTest, AddingAnExistingMembershipSucceeds) {
  fake_->groups["gitlab-developers"] = {"JIRAUSER10500"};
  auto resp = Create(*member_, Membership("gitlab-developers", "gitlab"));
  EXPECT_FALSE(resp.diagnostics.HasError()) << resp.diagnostics.ToString();
  EXPECT_EQ(tf::GetString(resp.state, "id"), "gitlab-developers/gitlab");
}

TEST_P(AnyLanguageTest, RemovingAMembershipAlreadyGoneSucceeds) {
  fake_->groups["gitlab-developers"] = {"JIRAUSER10500"};
  auto state = Create(*member_, Membership("gitlab-developers", "gitlab")).state;
  fake_->groups["gitlab-developers"].clear();  // removed by hand, or by a lost earlier answer
  auto resp = Delete(*member_, state);
  EXPECT_FALSE(resp.diagnostics.HasError()) << resp.diagnostics.ToString();
}

TEST_P(AnyLanguageTest, LostRemoveAnswerThenRefusalIsSuccess) {
  // destroy with a lost answer: the removal happened, the retry is refused in Jira's words.
  fake_->groups["gitlab-developers"] = {"JIRAUSER10500"};
  auto state = Create(*member_, Membership("gitlab-developers", "gitlab")).state;
  fake_->FailNext("RemoveUserFromGroup", FakeJira::Transport(), 1, /*apply_first=*/true);
  EXPECT_FALSE(Delete(*member_, state).diagnostics.HasError());
  EXPECT_TRUE(fake_->groups["gitlab-developers"].empty());
}

TEST_P(AnyLanguageTest, ARealRefusalStillFailsWithJirasWords) {
  // The user is still a member after a 400: that is an error, and Jira's text is shown.
  fake_->groups["gitlab-developers"] = {"JIRAUSER10500"};
  auto state = Create(*member_, Membership("gitlab-developers", "gitlab")).state;
  fake_->FailNext("RemoveUserFromGroup", FakeJira::Invalid(fake_->Text("not_member", "gitlab", "x")));
  auto resp = Delete(*member_, state);
  ASSERT_TRUE(resp.diagnostics.HasError());
  EXPECT_NE(resp.diagnostics.ToString().find(fake_->Text("not_member", "gitlab", "x")),
            std::string::npos);
}

TEST_P(AnyLanguageTest, DuplicateUserIsReportedOnNameWithImportAdvice) {
  auto resp = Create(*user_, UserPlan("GITLAB", "other@example.com", "Other"));
  ASSERT_TRUE(resp.diagnostics.HasError());
  EXPECT_TRUE(resp.state.is_null());
  EXPECT_NE(resp.diagnostics.ToString().find("terraform import"), std::string::npos)
      << resp.diagnostics.ToString();
  EXPECT_NE(resp.diagnostics.ToString().find(fake_->Text("user_exists", "GITLAB")), std::string::npos);
}

TEST_P(AnyLanguageTest, DuplicateGroupIsReportedOnNameWithImportAdvice) {
  fake_->groups["gitlab-developers"] = {};
  auto resp = Create(*group_, Group("GitLab-Developers"));
  ASSERT_TRUE(resp.diagnostics.HasError());
  EXPECT_TRUE(HasPath(resp.diagnostics, "name")) << resp.diagnostics.ToString();
  EXPECT_NE(resp.diagnostics.ToString().find("terraform import"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Languages, AnyLanguageTest, ::testing::Values("en", "de", "qq"));

// ---------------------------------------------------------------- names beyond ASCII

TEST_F(JiraRangeTest, CaseOnlyDifferenceInAnyLetterNeverReplaces) {
  const auto& group_schema = group_->GetSchema();
  const auto& name = *std::find_if(group_schema.block.attributes.begin(),
                                   group_schema.block.attributes.end(),
                                   [](const tf::Attribute& a) { return a.name == "name"; });
  ASSERT_TRUE(name.requires_replace);
  ASSERT_TRUE(name.semantic_equal);
  EXPECT_TRUE(name.semantic_equal(S("équipe"), S("Équipe")));
  EXPECT_TRUE(name.semantic_equal(S("ÄRZTE-GRUPPE"), S("ärzte-gruppe")));

  // Jira stores "Équipe"; the configuration says "équipe": reads keep the configured case.
  fake_->groups["Équipe"] = {};
  auto read = Read(*group_, Obj(group_schema, {{"id", S("Équipe")}, {"name", S("équipe")}}));
  EXPECT_EQ(tf::GetString(read.state, "name"), "équipe");
}

TEST_F(JiraRangeTest, MembershipInAGroupNamedWithOtherCaseIsFound) {
  AddGitlab();
  fake_->groups["Équipe"] = {"JIRAUSER10500"};
  auto state = Create(*member_, Membership("équipe", "gitlab")).state;
  ASSERT_FALSE(state.is_null());
  auto read = Read(*member_, state);
  EXPECT_FALSE(read.state.is_null()) << "a case-only difference must not lose the membership";
  EXPECT_EQ(tf::GetString(read.state, "group"), "équipe");
}

// ---------------------------------------------------------------- e-mail visibility

class EmailVisibilityTest : public JiraRangeTest,
                            public ::testing::WithParamInterface<const char*> {};

TEST_P(EmailVisibilityTest, ApplyIsConsistentAndPlansStayEmpty) {
  fake_->email_visibility = GetParam();
  auto plan = UserPlan("gitlab", "GitLab@Example.com", "GitLab");
  auto created = Create(*user_, plan);
  ASSERT_FALSE(created.diagnostics.HasError()) << created.diagnostics.ToString();
  EXPECT_EQ(tf::GetString(created.state, "email"), "GitLab@Example.com");

  // Changing display_name: the result keeps the planned e-mail (no inconsistent result).
  // (Computed attributes left unset keep their prior values, as ModifyPlan plans them.)
  auto renamed = plan.WithAttr("display_name", S("GitLab Bot"))
                     .WithAttr("id", created.state.attr("id"))
                     .WithAttr("key", created.state.attr("key"))
                     .WithAttr("application_keys", created.state.attr("application_keys"));
  auto updated = Update(*user_, created.state, renamed);
  ASSERT_FALSE(updated.diagnostics.HasError()) << updated.diagnostics.ToString();
  EXPECT_EQ(updated.state, renamed);

  // A refresh keeps it too: no perpetual diff.
  EXPECT_EQ(Read(*user_, updated.state).state, updated.state);
}

TEST_P(EmailVisibilityTest, ImportComparesWhatJiraShows) {
  fake_->email_visibility = GetParam();
  AddGitlab();
  auto state = ImportAndRead(*user_, "gitlab");
  ASSERT_FALSE(state.is_null());
  const std::string shown = tf::GetString(state, "email").value_or("<null>");
  const std::map<std::string, std::string> expected = {{"public", "gitlab@example.com"},
                                                       {"masked", "gitlab at example dot com"},
                                                       {"hidden", ""}};
  EXPECT_EQ(shown, expected.at(GetParam()));
  const auto& schema = user_->GetSchema();
  const auto& email = *std::find_if(schema.block.attributes.begin(), schema.block.attributes.end(),
                                    [](const tf::Attribute& a) { return a.name == "email"; });
  ASSERT_TRUE(email.semantic_equal);
  // A different configured address is a change on every setting.
  EXPECT_FALSE(email.semantic_equal(S("someone@example.com"), state.attr("email")));
  if (std::string(GetParam()) == "hidden") {
    // Nothing to compare with: the configured address is planned (once) and sent, so that
    // state holds it and a later change in configuration is sent too.
    EXPECT_FALSE(email.semantic_equal(S("GitLab@example.com"), state.attr("email")));
  } else {
    EXPECT_TRUE(email.semantic_equal(S("GitLab@example.com"), state.attr("email")));
  }
}

INSTANTIATE_TEST_SUITE_P(Visibility, EmailVisibilityTest,
                         ::testing::Values("public", "masked", "hidden"));

TEST_F(JiraRangeTest, LostCreateAnswerAdoptsTheUserWhenEmailIsMasked) {
  fake_->email_visibility = "masked";
  fake_->FailNext("CreateUser", FakeJira::Transport(), 1, /*apply_first=*/true);
  auto resp = Create(*user_, UserPlan("gitlab", "gitlab@example.com", "GitLab"));
  ASSERT_FALSE(resp.diagnostics.HasError()) << resp.diagnostics.ToString();
  EXPECT_EQ(tf::GetString(resp.state, "email"), "gitlab@example.com");
  EXPECT_EQ(fake_->users.size(), 2u);  // admin + gitlab, no duplicate
}

// ---------------------------------------------------------------- versions

TEST_F(JiraRangeTest, ActiveCannotChangeBefore83AtPlanAndApply) {
  Configure({8, 2, 0});
  AddGitlab();
  auto prior = Read(*user_, Obj(user_->GetSchema(), {{"id", S("JIRAUSER10500")},
                                                     {"name", S("gitlab")},
                                                     {"email", S("gitlab@example.com")},
                                                     {"active", B(true)},
                                                     {"notify", B(false)}}))
                   .state;
  auto plan = prior.WithAttr("active", B(false));
  auto planned = ModifyPlan(*user_, prior, plan);
  ASSERT_TRUE(planned.diagnostics.HasError());
  EXPECT_TRUE(HasPath(planned.diagnostics, "active"));
  EXPECT_NE(planned.diagnostics.ToString().find("8.2.0"), std::string::npos);
  auto applied = Update(*user_, prior, plan);
  ASSERT_TRUE(applied.diagnostics.HasError());
  EXPECT_TRUE(HasPath(applied.diagnostics, "active"));
  EXPECT_TRUE(fake_->users["JIRAUSER10500"].user.active);  // nothing silently half-done
  EXPECT_EQ(applied.state, prior);

  // A create with active = false is refused at plan time too; the default is fine.
  auto create = UserPlan("new", "new@example.com", "New").WithAttr("active", B(false));
  EXPECT_TRUE(ModifyPlan(*user_, tf::Value::Null(create.type()), create).diagnostics.HasError());
  auto ok = UserPlan("new", "new@example.com", "New");
  EXPECT_FALSE(ModifyPlan(*user_, tf::Value::Null(ok.type()), ok).diagnostics.HasError());

  Configure({8, 3, 0});
  EXPECT_FALSE(ModifyPlan(*user_, prior, plan).diagnostics.HasError());
}

TEST_F(JiraRangeTest, ProviderRefusesJiraBefore8AndKeepsTheServerInfo) {
  auto configure = [&] {
    auto p = NewProviderWith(
        [this](const jira::ClientConfig&) -> jira::Result<std::shared_ptr<jira::Client>> {
          return std::shared_ptr<jira::Client>(fake_);
        },
        [](const char*) -> std::optional<std::string> { return std::nullopt; });
    tf::ConfigureProviderRequest req;
    req.config = tf::Value::ObjectOf(p->GetSchema().ImpliedType(),
                                     {{"url", S("https://jira.example.com")},
                                      {"username", S("admin")},
                                      {"password", S("hunter2")}});
    tf::ConfigureProviderResponse resp;
    p->Configure(req, resp);
    return resp;
  };
  fake_->version_numbers = {7, 13, 8};
  auto old = configure();
  ASSERT_TRUE(old.diagnostics.HasError());
  EXPECT_TRUE(HasPath(old.diagnostics, "url"));
  EXPECT_NE(old.diagnostics.ToString().find("7.13.8"), std::string::npos);
  EXPECT_NE(old.diagnostics.ToString().find("8.0 to 10.x"), std::string::npos);
  EXPECT_FALSE(old.provider_data.has_value());

  fake_->version_numbers = {10, 3, 1};
  auto ok = configure();
  ASSERT_FALSE(ok.diagnostics.HasError()) << ok.diagnostics.ToString();
  auto data = std::any_cast<std::shared_ptr<const ProviderData>>(ok.provider_data);
  EXPECT_EQ(data->server.version_numbers, (std::vector<int>{10, 3, 1}));
}

TEST_F(JiraRangeTest, RedirectIsReportedOnUrlWithTheLocation) {
  jira::Error moved;
  moved.kind = jira::ErrorKind::kInvalid;
  moved.http_status = 301;
  moved.location = "https://jira.example.com/jira/rest/api/2/serverInfo";
  fake_->FailNext("GetServerInfo", moved);
  auto p = NewProviderWith(
      [this](const jira::ClientConfig&) -> jira::Result<std::shared_ptr<jira::Client>> {
        return std::shared_ptr<jira::Client>(fake_);
      },
      [](const char*) -> std::optional<std::string> { return std::nullopt; });
  tf::ConfigureProviderRequest req;
  req.config = tf::Value::ObjectOf(p->GetSchema().ImpliedType(),
                                   {{"url", S("http://jira.example.com")},
                                    {"username", S("admin")},
                                    {"password", S("hunter2")}});
  tf::ConfigureProviderResponse resp;
  p->Configure(req, resp);
  ASSERT_TRUE(resp.diagnostics.HasError());
  EXPECT_TRUE(HasPath(resp.diagnostics, "url"));
  EXPECT_NE(resp.diagnostics.ToString().find(moved.location), std::string::npos);
  EXPECT_EQ(resp.diagnostics.ToString().find("hunter2"), std::string::npos);
}

// ---------------------------------------------------------------- refused deletes

TEST_F(JiraRangeTest, RestrictedGroupNeedsDeleteSwapGroup) {
  fake_->language = "de";
  fake_->groups["restricted"] = {};
  fake_->groups["archive"] = {};
  fake_->restricted_groups.insert("restricted");
  auto state = Create(*group_, Group("restricted-new")).state;  // created normally
  ASSERT_FALSE(state.is_null());
  auto restricted = Read(*group_, Obj(group_->GetSchema(), {{"id", S("restricted")},
                                                            {"name", S("restricted")}}))
                        .state;
  auto refused = Delete(*group_, restricted);
  ASSERT_TRUE(refused.diagnostics.HasError());
  EXPECT_TRUE(HasPath(refused.diagnostics, "delete_swap_group")) << refused.diagnostics.ToString();
  EXPECT_FALSE(fake_->FindGroup("restricted").empty());

  auto with_swap = restricted.WithAttr("delete_swap_group", S("archive"));
  EXPECT_EQ(Read(*group_, with_swap).state, with_swap);  // kept through refreshes
  auto deleted = Delete(*group_, with_swap);
  EXPECT_FALSE(deleted.diagnostics.HasError()) << deleted.diagnostics.ToString();
  EXPECT_EQ(fake_->last_swap_group, "archive");
  EXPECT_TRUE(fake_->FindGroup("restricted").empty());
}

TEST_F(JiraRangeTest, UserWithContentCannotBeDeletedAndTheErrorSuggestsDeactivating) {
  fake_->language = "qq";
  AddGitlab();
  fake_->users_with_content.insert("JIRAUSER10500");
  auto state = ImportAndRead(*user_, "gitlab");
  auto resp = Delete(*user_, state);
  ASSERT_TRUE(resp.diagnostics.HasError());
  const std::string text = resp.diagnostics.ToString();
  EXPECT_NE(text.find("active = false"), std::string::npos) << text;
  EXPECT_NE(text.find(fake_->Text("user_content", "gitlab")), std::string::npos) << text;
  EXPECT_EQ(fake_->users.count("JIRAUSER10500"), 1u);
}

// ---------------------------------------------------------------- import by name

TEST_F(JiraRangeTest, ImportLooksTheNameUpBeforeTheKey) {
  // Legacy keys (before Jira 8.4): "bob" was renamed to "robert" and kept the key "bob";
  // a new user then took the name "bob".
  fake_->users["bob"] = {{"bob", "robert", "robert@example.com", "Robert", true, {}}, ""};
  fake_->users["ID10100"] = {{"ID10100", "bob", "bob@example.com", "Bob", true, {}}, ""};
  auto state = ImportAndRead(*user_, "bob");
  EXPECT_EQ(tf::GetString(state, "key"), "ID10100");
  EXPECT_EQ(tf::GetString(state, "name"), "bob");
  // No user has the name: the key is the fallback.
  fake_->users["JIRAUSER10700"] = {{"JIRAUSER10700", "carol", "c@example.com", "Carol", true, {}}, ""};
  EXPECT_EQ(tf::GetString(ImportAndRead(*user_, "JIRAUSER10700"), "name"), "carol");
}

// ---------------------------------------------------------------- nested groups

TEST_F(JiraRangeTest, NestedMembershipIsWhatJiraReportsAndStaysDocumented) {
  // Jira's REST API v2 lists inherited groups in expand=groups and cannot tell a direct
  // membership apart; the resource says so in its description.
  AddGitlab();
  fake_->groups["parent"] = {};
  fake_->groups["child"] = {"JIRAUSER10500"};
  fake_->subgroups["parent"] = {"child"};
  auto state = Read(*member_, Obj(member_->GetSchema(), {{"id", S("parent/gitlab")},
                                                          {"group", S("parent")},
                                                          {"username", S("gitlab")}}))
                   .state;
  EXPECT_FALSE(state.is_null());
  EXPECT_NE(member_->GetSchema().block.description.find("nested groups"), std::string::npos);
}

}  // namespace
}  // namespace tfjira
