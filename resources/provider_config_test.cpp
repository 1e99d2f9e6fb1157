#include "resources/provider_config.h"

#include <gtest/gtest.h>

#include <map>

namespace tfjira {
namespace {

using tf::Value;

EnvLookup Env(std::map<std::string, std::string> vars) {
  return [vars](const char* name) -> std::optional<std::string> {
    auto it = vars.find(name);
    if (it == vars.end()) return std::nullopt;
    return it->second;
  };
}

Value Config(std::map<std::string, Value> attrs) {
  return Value::ObjectOf(ProviderSchema().ImpliedType(), std::move(attrs));
}

std::string PathsOf(const tf::Diagnostics& d) {
  std::string out;
  for (const auto& x : d) out += (x.path ? x.path->ToString() : "-") + ";";
  return out;
}

TEST(ProviderConfigTest, SchemaIsValidForTerraform) {
  tf::Diagnostics d;
  tf::ValidateSchema(ProviderSchema(), "provider", d);
  EXPECT_FALSE(d.HasError()) << d.ToString();
  const tf::Schema schema = ProviderSchema();
  for (const char* secret : {"password", "token"}) {
    const tf::Attribute* attr = schema.block.FindAttribute(secret);
    ASSERT_NE(attr, nullptr) << secret;
    EXPECT_TRUE(attr->sensitive) << secret;
  }
}

TEST(ProviderConfigTest, EnvironmentFillsUnsetAttributes) {
  tf::Diagnostics d;
  auto c = ResolveClientConfig(
      Config({}),
      Env({{"JIRA_URL", "https://jira.example.com/jira/"}, {"JIRA_USER", "bob"},
           {"JIRA_PASSWORD", "pw"}, {"JIRA_CA_FILE", "/ca.pem"}}),
      d);
  ASSERT_TRUE(c) << d.ToString();
  EXPECT_EQ(c->base_url, "https://jira.example.com/jira");
  EXPECT_EQ(c->username, "bob");
  EXPECT_EQ(c->password, "pw");
  EXPECT_EQ(c->ca_file, "/ca.pem");
}

TEST(ProviderConfigTest, JiraUsernameBeatsJiraUser) {
  tf::Diagnostics d;
  auto c = ResolveClientConfig(Config({}),
                               Env({{"JIRA_URL", "http://h"}, {"JIRA_USERNAME", "first"},
                                    {"JIRA_USER", "second"}, {"JIRA_PASSWORD", "pw"}}),
                               d);
  ASSERT_TRUE(c) << d.ToString();
  EXPECT_EQ(c->username, "first");
}

TEST(ProviderConfigTest, ExplicitAttributesWin) {
  tf::Diagnostics d;
  auto c = ResolveClientConfig(
      Config({{"url", Value::String("https://explicit")},
              {"username", Value::String("alice")},
              {"password", Value::String("secret")}}),
      Env({{"JIRA_URL", "https://env"}, {"JIRA_USERNAME", "bob"}, {"JIRA_PASSWORD", "pw"},
           {"JIRA_TOKEN", "tok"}}),
      d);
  ASSERT_TRUE(c) << d.ToString();
  EXPECT_EQ(c->base_url, "https://explicit");
  EXPECT_EQ(c->username, "alice");
  EXPECT_EQ(c->password, "secret");
  EXPECT_EQ(c->token, "");  // explicit basic auth: JIRA_TOKEN does not apply
}

TEST(ProviderConfigTest, ExplicitTokenIgnoresBasicAuthEnvironment) {
  tf::Diagnostics d;
  auto c = ResolveClientConfig(Config({{"url", Value::String("https://h")},
                                       {"token", Value::String("pat")}}),
                               Env({{"JIRA_USERNAME", "bob"}, {"JIRA_PASSWORD", "pw"}}), d);
  ASSERT_TRUE(c) << d.ToString();
  EXPECT_EQ(c->token, "pat");
  EXPECT_EQ(c->username, "");
}

TEST(ProviderConfigTest, TokenConflictsWithUsername) {
  tf::Diagnostics d;
  ValidateProviderConfig(Config({{"url", Value::String("https://h")},
                                 {"username", Value::String("u")},
                                 {"token", Value::String("t")}}),
                         d);
  ASSERT_TRUE(d.HasError());
  EXPECT_EQ(PathsOf(d), "token;");
}

TEST(ProviderConfigTest, TokenAndPasswordFromEnvironmentConflict) {
  tf::Diagnostics d;
  auto c = ResolveClientConfig(Config({}),
                               Env({{"JIRA_URL", "https://h"}, {"JIRA_TOKEN", "t"},
                                    {"JIRA_USERNAME", "u"}, {"JIRA_PASSWORD", "p"}}),
                               d);
  EXPECT_FALSE(c);
  EXPECT_NE(d.ToString().find("Conflicting credentials"), std::string::npos) << d.ToString();
}

TEST(ProviderConfigTest, UsernameRequiresPassword) {
  tf::Diagnostics d;
  auto c = ResolveClientConfig(Config({{"url", Value::String("https://h")},
                                       {"username", Value::String("u")}}),
                               Env({}), d);
  EXPECT_FALSE(c);
  EXPECT_EQ(PathsOf(d), "password;");
}

TEST(ProviderConfigTest, UrlMustBeHttp) {
  for (const char* bad : {"ftp://h", "jira.example.com", "https://", "http:///x"}) {
    tf::Diagnostics d;
    ValidateProviderConfig(Config({{"url", Value::String(bad)}}), d);
    EXPECT_EQ(PathsOf(d), "url;") << bad;
  }
  tf::Diagnostics d;
  auto c = ResolveClientConfig(Config({}), Env({{"JIRA_URL", "ftp://h"}, {"JIRA_TOKEN", "t"}}), d);
  EXPECT_FALSE(c);
  EXPECT_EQ(PathsOf(d), "url;");
}

TEST(ProviderConfigTest, MissingUrlAndCredentials) {
  tf::Diagnostics d;
  EXPECT_FALSE(ResolveClientConfig(Config({}), Env({}), d));
  EXPECT_NE(d.ToString().find("Missing Jira URL"), std::string::npos);
  EXPECT_NE(d.ToString().find("Missing Jira credentials"), std::string::npos);
}

TEST(ProviderConfigTest, DurationSyntax) {
  EXPECT_EQ(ParseDuration("30s"), std::chrono::milliseconds(30000));
  EXPECT_EQ(ParseDuration("1m30s"), std::chrono::milliseconds(90000));
  EXPECT_EQ(ParseDuration("500ms"), std::chrono::milliseconds(500));
  EXPECT_EQ(ParseDuration("1.5h"), std::chrono::milliseconds(5400000));
  EXPECT_FALSE(ParseDuration("30"));
  EXPECT_FALSE(ParseDuration("s"));
  EXPECT_FALSE(ParseDuration("-1s"));
  EXPECT_FALSE(ParseDuration("10 years"));
  tf::Diagnostics d;
  ValidateProviderConfig(Config({{"request_timeout", Value::String("soon")}}), d);
  EXPECT_EQ(PathsOf(d), "request_timeout;");
}

TEST(ProviderConfigTest, TimeoutRetriesAndInsecureWarning) {
  tf::Diagnostics d;
  auto c = ResolveClientConfig(Config({{"url", Value::String("https://h")},
                                       {"token", Value::String("t")},
                                       {"request_timeout", Value::String("1m")},
                                       {"max_retries", Value::Int(2)},
                                       {"insecure_skip_verify", Value::Bool(true)}}),
                               Env({}), d);
  ASSERT_TRUE(c) << d.ToString();
  EXPECT_EQ(c->request_timeout, std::chrono::milliseconds(60000));
  EXPECT_EQ(c->max_retries, 2);
  EXPECT_TRUE(c->insecure_skip_verify);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d.items()[0].severity, tf::Severity::kWarning);
  EXPECT_EQ(PathsOf(d), "insecure_skip_verify;");

  tf::Diagnostics bad;
  ValidateProviderConfig(Config({{"max_retries", Value::Int(-1)}}), bad);
  EXPECT_EQ(PathsOf(bad), "max_retries;");
}

TEST(ProviderConfigTest, TimeoutRetriesAndInsecureFromEnvironment) {
  tf::Diagnostics d;
  auto c = ResolveClientConfig(Config({{"url", Value::String("https://h")}, {"token", Value::String("t")}}),
                               Env({{"JIRA_REQUEST_TIMEOUT", "1m30s"},
                                    {"JIRA_MAX_RETRIES", "0"},
                                    {"JIRA_INSECURE_SKIP_VERIFY", "true"}}),
                               d);
  ASSERT_TRUE(c) << d.ToString();
  EXPECT_EQ(c->request_timeout, std::chrono::milliseconds(90000));
  EXPECT_EQ(c->max_retries, 0);
  EXPECT_TRUE(c->insecure_skip_verify);
  EXPECT_EQ(PathsOf(d), "insecure_skip_verify;");  // the warning, as for the attribute

  // An attribute set in the block wins over the environment, as for every other setting.
  tf::Diagnostics d2;
  auto c2 = ResolveClientConfig(Config({{"url", Value::String("https://h")},
                                        {"token", Value::String("t")},
                                        {"request_timeout", Value::String("5s")},
                                        {"max_retries", Value::Int(3)},
                                        {"insecure_skip_verify", Value::Bool(false)}}),
                                Env({{"JIRA_REQUEST_TIMEOUT", "1m"},
                                     {"JIRA_MAX_RETRIES", "9"},
                                     {"JIRA_INSECURE_SKIP_VERIFY", "true"}}),
                                d2);
  ASSERT_TRUE(c2) << d2.ToString();
  EXPECT_EQ(c2->request_timeout, std::chrono::milliseconds(5000));
  EXPECT_EQ(c2->max_retries, 3);
  EXPECT_FALSE(c2->insecure_skip_verify);
  EXPECT_TRUE(d2.empty()) << d2.ToString();
}

TEST(ProviderConfigTest, BadEnvironmentValuesAreErrorsOnTheAttribute) {
  tf::Diagnostics d;
  auto c = ResolveClientConfig(Config({{"url", Value::String("https://h")}, {"token", Value::String("t")}}),
                               Env({{"JIRA_REQUEST_TIMEOUT", "soon"},
                                    {"JIRA_MAX_RETRIES", "-1"},
                                    {"JIRA_INSECURE_SKIP_VERIFY", "yes please"}}),
                               d);
  EXPECT_FALSE(c);
  EXPECT_EQ(PathsOf(d), "insecure_skip_verify;request_timeout;max_retries;");
  EXPECT_NE(d.ToString().find("JIRA_MAX_RETRIES must be a whole number"), std::string::npos) << d.ToString();
  for (const char* bad : {"2x", "", " 3", "101", "1.5"}) {
    tf::Diagnostics e;
    auto r = ResolveClientConfig(Config({{"url", Value::String("https://h")}, {"token", Value::String("t")}}),
                                 Env({{"JIRA_MAX_RETRIES", bad}}), e);
    // An empty variable counts as unset, like every other JIRA_* variable.
    EXPECT_EQ(r.has_value(), std::string(bad).empty()) << "\"" << bad << "\": " << e.ToString();
  }
}

TEST(ProviderConfigTest, UnknownValuesLeaveNoClientAndNoError) {
  tf::Diagnostics d;
  auto c = ResolveClientConfig(Config({{"url", Value::Unknown(tf::Type::String())},
                                       {"token", Value::String("t")}}),
                               Env({}), d);
  EXPECT_FALSE(c);
  EXPECT_FALSE(d.HasError()) << d.ToString();
}

}  // namespace
}  // namespace tfjira
