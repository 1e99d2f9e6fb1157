#include "acceptance_tests/emulator/http_message.h"

#include <gtest/gtest.h>

#include "acceptance_tests/emulator/test_util.h"

namespace emulator {
namespace {

TEST(HttpMessage, QueryParsingDecodesAndKeepsRepeats) {
  Query q = Query::Parse("groupname=Dev%20Ops+Team&exclude=a&exclude=b%26c&flag&empty=");
  ASSERT_NE(q.Get("groupname"), nullptr);
  EXPECT_EQ(*q.Get("groupname"), "Dev Ops Team");
  EXPECT_EQ(q.GetAll("exclude"), (std::vector<std::string>{"a", "b&c"}));
  EXPECT_TRUE(q.Has("flag"));
  EXPECT_EQ(*q.Get("empty"), "");
  EXPECT_EQ(q.Get("missing"), nullptr);
}

TEST(HttpMessage, UrlDecodeLeavesMalformedEscapesAlone) {
  EXPECT_EQ(UrlDecode("%zz%4", false), "%zz%4");
  EXPECT_EQ(UrlDecode("a+b%2Bc", false), "a+b+c");
  EXPECT_EQ(UrlDecode("a+b", true), "a b");
}

TEST(HttpMessage, UrlEncodeRoundTrips) {
  std::string s = "a b/c&d=é";
  EXPECT_EQ(UrlEncode("a b/c"), "a%20b%2Fc");
  EXPECT_EQ(UrlDecode(UrlEncode(s), false), s);
}

TEST(HttpMessage, Base64DecodeAcceptsValidAndRejectsGarbage) {
  std::string out;
  ASSERT_TRUE(Base64Decode(testing::Base64Encode("admin:pa:ss"), &out));
  EXPECT_EQ(out, "admin:pa:ss");
  EXPECT_FALSE(Base64Decode("a*b", &out));
  EXPECT_FALSE(Base64Decode("YQ==YQ", &out));
}

TEST(HttpMessage, HeadersAreCaseInsensitive) {
  HeaderMap h;
  h["Content-Type"] = "x";
  EXPECT_EQ(h.count("content-type"), 1u);
  Response r;
  r.SetHeader("X-A", "1");
  r.SetHeader("x-a", "2");
  EXPECT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(*r.Header("X-A"), "2");
}

}  // namespace
}  // namespace emulator
