#include "provider/jira/url.h"

#include <gtest/gtest.h>

namespace jira {
namespace {

TEST(PercentEncodeTest, KeepsUnreservedAndEncodesEverythingElse) {
  EXPECT_EQ(PercentEncode("abcXYZ019-._~"), "abcXYZ019-._~");
  EXPECT_EQ(PercentEncode("jira users"), "jira%20users");
  EXPECT_EQ(PercentEncode("a&b=c?d/e#f+g%h"), "a%26b%3Dc%3Fd%2Fe%23f%2Bg%25h");
  EXPECT_EQ(PercentEncode("o'brien:x"), "o%27brien%3Ax");
  EXPECT_EQ(PercentEncode("Ünïcødé"), "%C3%9Cn%C3%AFc%C3%B8d%C3%A9");
  EXPECT_EQ(PercentEncode(""), "");
}

TEST(QueryTest, EncodesKeysAndValuesInOrder) {
  Query q;
  q.Add("groupname", "dev & ops").Add("startAt", int64_t{50}).Add("includeInactiveUsers", true);
  EXPECT_EQ(q.str(), "?groupname=dev%20%26%20ops&startAt=50&includeInactiveUsers=true");
  EXPECT_EQ(Query().str(), "");
}

TEST(QueryTest, StringLiteralIsNotTakenForBool) {
  EXPECT_EQ(Query().Add("expand", "groups").str(), "?expand=groups");
}

TEST(BaseUrlTest, ParsesSchemeHostPortAndContextPath) {
  auto u = BaseUrl::Parse("https://jira.example.com:8443/jira/");
  ASSERT_TRUE(u.ok()) << u.error().Message();
  EXPECT_TRUE(u->tls);
  EXPECT_EQ(u->host, "jira.example.com");
  EXPECT_EQ(u->port, 8443);
  EXPECT_EQ(u->context_path, "/jira");
  EXPECT_EQ(u->HostHeader(), "jira.example.com:8443");
  EXPECT_FALSE(u->HostIsIpAddress());
}

TEST(BaseUrlTest, DefaultsPortsAndEmptyContext) {
  auto h = BaseUrl::Parse("http://127.0.0.1");
  ASSERT_TRUE(h.ok());
  EXPECT_FALSE(h->tls);
  EXPECT_EQ(h->port, 80);
  EXPECT_EQ(h->context_path, "");
  EXPECT_EQ(h->HostHeader(), "127.0.0.1");
  EXPECT_TRUE(h->HostIsIpAddress());
  auto s = BaseUrl::Parse("https://jira.example.com");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->port, 443);
  EXPECT_EQ(s->HostHeader(), "jira.example.com");
}

TEST(BaseUrlTest, NestedContextPathIsKept) {
  auto u = BaseUrl::Parse("http://127.0.0.1:8080/a/b");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->context_path, "/a/b");
  EXPECT_EQ(u->HostHeader(), "127.0.0.1:8080");
}

TEST(BaseUrlTest, Ipv6Literal) {
  auto u = BaseUrl::Parse("http://[::1]:9000/jira");
  ASSERT_TRUE(u.ok());
  EXPECT_EQ(u->host, "::1");
  EXPECT_EQ(u->port, 9000);
  EXPECT_TRUE(u->HostIsIpAddress());
  EXPECT_EQ(u->HostHeader(), "[::1]:9000");
}

TEST(BaseUrlTest, RejectsBadUrlsWithReasons) {
  for (const char* bad : {"ftp://x", "jira.example.com", "http://", "http://host:0",
                          "http://host:99999", "http://host:12ab", "http://host/x?y=1",
                          "http://[::1"}) {
    auto u = BaseUrl::Parse(bad);
    EXPECT_FALSE(u.ok()) << bad;
    if (!u.ok()) {
      EXPECT_FALSE(u.error().Message().empty());
    }
  }
}

TEST(BaseUrlTest, RejectsEmbeddedCredentialsWithoutEchoingThem) {
  auto u = BaseUrl::Parse("https://admin:s3cretPW@jira.example.com");
  ASSERT_FALSE(u.ok());
  EXPECT_EQ(u.error().Message().find("s3cretPW"), std::string::npos);
}

}  // namespace
}  // namespace jira
