#include "resources/provider.h"

#include <gtest/gtest.h>

#include <set>

#include "resources/jira_access.h"
#include "resources/testing/fake_client.h"

namespace tfjira {
namespace {

using testing::FakeJira;
using tf::Value;

class ProviderTest : public ::testing::Test {
 protected:
  std::unique_ptr<tf::Provider> Make() {
    return NewProviderWith(
        [this](const jira::ClientConfig& c) -> jira::Result<std::shared_ptr<jira::Client>> {
          seen_ = c;
          return std::shared_ptr<jira::Client>(fake_);
        },
        [](const char*) -> std::optional<std::string> { return std::nullopt; });
  }
  tf::ConfigureProviderResponse Configure(std::map<std::string, Value> attrs) {
    auto p = Make();
    tf::ConfigureProviderRequest req;
    req.config = Value::ObjectOf(p->GetSchema().ImpliedType(), std::move(attrs));
    tf::ConfigureProviderResponse resp;
    p->Configure(req, resp);
    return resp;
  }
  std::map<std::string, Value> Basic() {
    return {{"url", Value::String("https://jira.example.com")},
            {"username", Value::String("admin")},
            {"password", Value::String("hunter2")}};
  }

  std::shared_ptr<FakeJira> fake_ = std::make_shared<FakeJira>();
  jira::ClientConfig seen_;
};

TEST_F(ProviderTest, ListsEveryResourceAndDataSource) {
  auto p = Make();
  std::set<std::string> resources, data_sources;
  for (const auto& f : p->Resources()) {
    auto r = f();
    resources.insert(r->TypeName());
    tf::Diagnostics d;
    tf::ValidateSchema(r->GetSchema(), r->TypeName(), d);
    EXPECT_FALSE(d.HasError()) << r->TypeName() << ": " << d.ToString();
  }
  for (const auto& f : p->DataSources()) {
    auto ds = f();
    data_sources.insert(ds->TypeName());
    tf::Diagnostics d;
    tf::ValidateSchema(ds->GetSchema(), ds->TypeName(), d);
    EXPECT_FALSE(d.HasError()) << ds->TypeName() << ": " << d.ToString();
  }
  EXPECT_EQ(resources, (std::set<std::string>{"jira_user", "jira_group", "jira_group_membership",
                                              "jira_permission_scheme", "jira_group_members",
                                              "jira_permission_scheme_grant",
                                              "jira_project_permission_scheme"}));
  EXPECT_EQ(data_sources,
            (std::set<std::string>{"jira_user", "jira_group", "jira_permission_scheme", "jira_project",
                                   "jira_projects"}));
  EXPECT_EQ(p->TypeName(), "jira");
}

TEST_F(ProviderTest, ConfigureChecksServerAndCredentials) {
  auto resp = Configure(Basic());
  EXPECT_FALSE(resp.diagnostics.HasError()) << resp.diagnostics.ToString();
  ASSERT_TRUE(resp.provider_data.has_value());
  EXPECT_EQ(fake_->Calls("GetServerInfo"), 1);
  EXPECT_EQ(fake_->Calls("GetMyself"), 1);
  EXPECT_EQ(seen_.username, "admin");
  EXPECT_EQ(seen_.password, "hunter2");
  auto data = std::any_cast<std::shared_ptr<const ProviderData>>(resp.provider_data);
  EXPECT_EQ(data->client.get(), fake_.get());
}

TEST_F(ProviderTest, CloudIsRefused) {
  fake_->deployment_type = "Cloud";
  auto resp = Configure(Basic());
  ASSERT_TRUE(resp.diagnostics.HasError());
  EXPECT_NE(resp.diagnostics.ToString().find("Jira Cloud is not supported"), std::string::npos);
  EXPECT_FALSE(resp.provider_data.has_value());
}

TEST_F(ProviderTest, ServerInfo404SuggestsTheContextPathOnUrl) {
  // Something answers at the URL, but not Jira's REST API: typically Jira below /jira.
  fake_->FailNext("GetServerInfo", FakeJira::NotFound("GET /rest/api/2/serverInfo: Jira answered 404"));
  auto resp = Configure(Basic());
  ASSERT_EQ(resp.diagnostics.size(), 1u) << resp.diagnostics.ToString();
  const auto& d = resp.diagnostics.items()[0];
  ASSERT_TRUE(d.path.has_value());
  EXPECT_EQ(d.path->ToString(), "url");
  EXPECT_NE(d.summary.find("https://jira.example.com"), std::string::npos) << d.summary;
  EXPECT_NE(d.detail.find("context path"), std::string::npos) << d.detail;
  EXPECT_NE(d.detail.find("https://jira.example.com/jira"), std::string::npos) << d.detail;
  EXPECT_EQ(resp.diagnostics.ToString().find("hunter2"), std::string::npos);
  EXPECT_FALSE(resp.provider_data.has_value());
  EXPECT_EQ(fake_->Calls("GetMyself"), 0);  // nothing more is tried
}

TEST_F(ProviderTest, BadCredentialsGiveOneClearErrorWithoutThePassword) {
  jira::Error e;
  e.kind = jira::ErrorKind::kUnauthorized;
  e.http_status = 401;
  e.login_reason = "AUTHENTICATED_FAILED";
  fake_->myself_error = e;
  auto resp = Configure(Basic());
  ASSERT_EQ(resp.diagnostics.size(), 1u) << resp.diagnostics.ToString();
  EXPECT_EQ(resp.diagnostics.items()[0].summary, "Jira rejected the credentials");
  EXPECT_EQ(resp.diagnostics.ToString().find("hunter2"), std::string::npos);
  // The advice comes once, with the login reason Jira gave.
  const std::string& detail = resp.diagnostics.items()[0].detail;
  size_t first = detail.find("Check the username and password");
  ASSERT_NE(first, std::string::npos) << detail;
  EXPECT_EQ(detail.find("Check", first + 1), std::string::npos) << detail;
  EXPECT_NE(detail.find("AUTHENTICATED_FAILED"), std::string::npos) << detail;
}

TEST_F(ProviderTest, CaptchaLockoutInPlainWords) {
  jira::Error e;
  e.kind = jira::ErrorKind::kForbidden;
  e.http_status = 403;
  e.login_reason = "AUTHENTICATION_DENIED";
  e.denied_reason = "CAPTCHA_CHALLENGE; login-url=https://jira/login.jsp";
  fake_->myself_error = e;
  auto resp = Configure(Basic());
  ASSERT_EQ(resp.diagnostics.size(), 1u);
  const auto& d = resp.diagnostics.items()[0];
  EXPECT_NE(d.summary.find("CAPTCHA"), std::string::npos);
  EXPECT_NE(d.detail.find("CAPTCHA_CHALLENGE; login-url=https://jira/login.jsp"),
            std::string::npos);
  EXPECT_NE(d.detail.find("browser"), std::string::npos);
}

TEST_F(ProviderTest, UnknownConfigurationConfiguresNothingAndResourcesSayWhyOnUse) {
  auto attrs = Basic();
  attrs["url"] = Value::Unknown(tf::Type::String());
  auto resp = Configure(attrs);
  EXPECT_FALSE(resp.diagnostics.HasError()) << resp.diagnostics.ToString();
  EXPECT_FALSE(resp.provider_data.has_value());
  EXPECT_EQ(fake_->Calls("GetServerInfo"), 0);

  JiraAccess access;
  tf::Diagnostics d;
  access.Configure(resp.provider_data, d);
  EXPECT_FALSE(d.HasError());
  EXPECT_EQ(access.Client(tf::CancelToken(), d), nullptr);
  EXPECT_NE(d.ToString().find("not configured"), std::string::npos);
}

}  // namespace
}  // namespace tfjira
