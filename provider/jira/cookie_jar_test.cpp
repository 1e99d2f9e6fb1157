#include "provider/jira/cookie_jar.h"

#include <gtest/gtest.h>

namespace jira {
namespace {

using SysClock = std::chrono::system_clock;

SysClock::time_point At(int64_t unix_seconds) {
  return SysClock::time_point(std::chrono::seconds(unix_seconds));
}

TEST(CookieDateTest, ParsesTheFormatsServersSend) {
  // 1994-11-06 08:49:37 UTC = 784111777
  EXPECT_EQ(ParseCookieDate("Sun, 06 Nov 1994 08:49:37 GMT"), At(784111777));  // RFC 1123
  EXPECT_EQ(ParseCookieDate("Sunday, 06-Nov-94 08:49:37 GMT"), At(784111777));  // RFC 850
  EXPECT_EQ(ParseCookieDate("Sun Nov  6 08:49:37 1994"), At(784111777));        // asctime
  EXPECT_EQ(ParseCookieDate("Thu, 01 Jan 1970 00:00:00 GMT"), At(0));
  EXPECT_EQ(ParseCookieDate("Wed, 09 Jun 2021 10:18:14 GMT"), At(1623233894));
}

TEST(CookieDateTest, RejectsImpossibleDates) {
  EXPECT_FALSE(ParseCookieDate(""));
  EXPECT_FALSE(ParseCookieDate("tomorrow"));
  EXPECT_FALSE(ParseCookieDate("Sun, 06 Nov 1994"));            // no time
  EXPECT_FALSE(ParseCookieDate("Sun, 32 Nov 1994 08:49:37"));   // day
  EXPECT_FALSE(ParseCookieDate("Sun, 30 Feb 1994 08:49:37"));   // not in February
  EXPECT_FALSE(ParseCookieDate("Sun, 06 Nov 1994 24:00:00"));   // hour
  EXPECT_FALSE(ParseCookieDate("Sun, 06 Foo 1994 08:49:37"));   // month
  EXPECT_FALSE(ParseCookieDate("Sun, 06 Nov 1500 08:49:37"));   // before 1601
}

TEST(SetCookieTest, ParsesNameValueAndAttributes) {
  const auto now = At(1000000000);
  auto c = ParseSetCookie("JSESSIONID=ABC123; Path=/jira; Secure; HttpOnly", "jira.example.com",
                          "/jira/rest/api/2/myself", now);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->name, "JSESSIONID");
  EXPECT_EQ(c->value, "ABC123");
  EXPECT_EQ(c->path, "/jira");
  EXPECT_TRUE(c->secure);
  EXPECT_TRUE(c->http_only);
  EXPECT_TRUE(c->host_only);
  EXPECT_EQ(c->domain, "jira.example.com");
  EXPECT_FALSE(c->expires);  // a session cookie

  auto d = ParseSetCookie(" AWSALB = x/y==z ; max-age=60; expires=Thu, 01 Jan 1970 00:00:00 GMT",
                          "Jira.Example.com", "/rest/api/2/user", now);
  ASSERT_TRUE(d);
  EXPECT_EQ(d->name, "AWSALB");
  EXPECT_EQ(d->value, "x/y==z");
  EXPECT_EQ(d->path, "/rest/api/2");  // the default path
  EXPECT_EQ(d->expires, now + std::chrono::seconds(60));  // Max-Age beats Expires
}

TEST(SetCookieTest, IgnoresWhatRfc6265SaysToIgnore) {
  const auto now = At(1000000000);
  EXPECT_FALSE(ParseSetCookie("novalue", "h", "/", now));
  EXPECT_FALSE(ParseSetCookie("=v", "h", "/", now));
  EXPECT_FALSE(ParseSetCookie("a=b; Domain=other.com", "jira.example.com", "/", now));
  EXPECT_FALSE(ParseSetCookie("a=b; Domain=ample.com", "jira.example.com", "/", now));
  EXPECT_FALSE(ParseSetCookie("a=b; Domain=0.0.1", "10.0.0.1", "/", now));
  auto parent = ParseSetCookie("a=b; Domain=.Example.com", "jira.example.com", "/", now);
  ASSERT_TRUE(parent);
  EXPECT_FALSE(parent->host_only);
  EXPECT_EQ(parent->domain, "example.com");
  // Bad attribute values are ignored, not the cookie.
  auto odd = ParseSetCookie("a=b; Max-Age=soon; Expires=never; Path=relative", "h", "/x/y", now);
  ASSERT_TRUE(odd);
  EXPECT_FALSE(odd->expires);
  EXPECT_EQ(odd->path, "/x");
}

class JarTest : public ::testing::Test {
 protected:
  SysClock::time_point now_ = At(1700000000);
  CookieJar Make(bool secure) {
    return CookieJar("jira.example.com", secure, [this] { return now_; });
  }
};

TEST_F(JarTest, SendsBackWhatFitsThePath) {
  CookieJar jar = Make(true);
  jar.Store({"JSESSIONID=s1; Path=/jira", "ROUTEID=.node1; Path=/", "other=x; Path=/jira/secure"},
            "/jira/rest/api/2/serverInfo");
  EXPECT_EQ(jar.HeaderFor("/jira/rest/api/2/user"), "JSESSIONID=s1; ROUTEID=.node1");
  EXPECT_EQ(jar.HeaderFor("/jira/secure/x"), "other=x; JSESSIONID=s1; ROUTEID=.node1");
  EXPECT_EQ(jar.HeaderFor("/jiraextra"), "ROUTEID=.node1");  // /jira does not match /jiraextra
}

TEST_F(JarTest, SecureCookiesStayOffPlainHttp) {
  CookieJar jar = Make(false);
  jar.Store({"a=1; Secure", "b=2"}, "/");
  EXPECT_EQ(jar.HeaderFor("/rest"), "b=2");
}

TEST_F(JarTest, ExpiryAndReplacement) {
  CookieJar jar = Make(true);
  jar.Store({"a=1; Max-Age=10", "b=2"}, "/");
  jar.Store({"b=3"}, "/");  // replaces, keeps its place
  EXPECT_EQ(jar.HeaderFor("/"), "a=1; b=3");
  now_ += std::chrono::seconds(11);
  EXPECT_EQ(jar.HeaderFor("/"), "b=3");
  jar.Store({"b=gone; Max-Age=0"}, "/");  // an expired cookie deletes
  EXPECT_EQ(jar.HeaderFor("/"), "");
  EXPECT_EQ(jar.size(), 0u);
}

TEST_F(JarTest, BoundedInSize) {
  CookieJar jar = Make(true);
  std::vector<std::string> many;
  for (int i = 0; i < 500; ++i) many.push_back("c" + std::to_string(i) + "=v");
  jar.Store(many, "/");
  EXPECT_EQ(jar.size(), 50u);
  jar.Store({"big=" + std::string(5000, 'x')}, "/");
  EXPECT_EQ(jar.HeaderFor("/").find("big="), std::string::npos);
}

TEST(SharedJarTest, OneJarPerKey) {
  auto a = CookieJar::Shared("https://j:443#u1", "j", true);
  auto b = CookieJar::Shared("https://j:443#u1", "j", true);
  auto c = CookieJar::Shared("https://other:443#u1", "other", true);
  EXPECT_EQ(a.get(), b.get());
  EXPECT_NE(a.get(), c.get());
}

}  // namespace
}  // namespace jira
