// gRPC message framing and grpc-message encoding.
#include "provider/rpc/wire.h"

#include <gtest/gtest.h>

namespace tfj::rpc::wire {
namespace {

TEST(RpcWire, FramesRoundTrip) {
  std::string body;
  AppendFramed("", &body);
  AppendFramed("abc", &body);
  AppendFramed(std::string(70000, 'x'), &body);
  EXPECT_EQ(body.substr(0, 5), std::string(5, '\0'));
  EXPECT_EQ(body.substr(5, 5), std::string("\0\0\0\0\x03", 5));
  EXPECT_EQ(body.substr(13, 5), std::string("\0\0\x01\x11\x70", 5));  // 70000, big-endian
  std::vector<std::string> messages;
  ASSERT_EQ(SplitFramed(body, 1 << 20, &messages), "");
  ASSERT_EQ(messages.size(), 3u);
  EXPECT_EQ(messages[0], "");
  EXPECT_EQ(messages[1], "abc");
  EXPECT_EQ(messages[2], std::string(70000, 'x'));
}

TEST(RpcWire, EmptyBodyHasNoMessages) {
  std::vector<std::string> messages;
  EXPECT_EQ(SplitFramed("", 100, &messages), "");
  EXPECT_TRUE(messages.empty());
}

TEST(RpcWire, MalformedBodiesAreNamed) {
  std::vector<std::string> m;
  EXPECT_EQ(SplitFramed(std::string("\0\0\0", 3), 100, &m), "truncated message prefix");
  EXPECT_EQ(SplitFramed(std::string("\0\0\0\0\x05" "ab", 7), 100, &m), "truncated message");
  EXPECT_EQ(SplitFramed(std::string("\x01\0\0\0\x01" "a", 6), 100, &m).rfind("compressed", 0), 0u);
  EXPECT_EQ(SplitFramed(std::string("\x02\0\0\0\x01" "a", 6), 100, &m), "invalid message flags");
  EXPECT_NE(SplitFramed(std::string("\0\0\0\0\x65", 5) + std::string(101, 'a'), 100, &m)
                .find("exceeds the limit of 100"),
            std::string::npos);
  // A length far beyond the body must not be trusted for an allocation.
  EXPECT_EQ(SplitFramed(std::string("\0\x7f\xff\xff\xff", 5), size_t{1} << 31, &m),
            "truncated message");
}

TEST(RpcWire, GrpcMessageIsPercentEncoded) {
  EXPECT_EQ(PercentEncodeMessage("plain text: ok"), "plain text: ok");
  EXPECT_EQ(PercentEncodeMessage("100% \xe2\x9c\x93\n"), "100%25 %E2%9C%93%0A");
}

TEST(RpcWire, StatusMessageIsCappedOnACharacterBoundary) {
  EXPECT_EQ(StatusMessage("short 100%", 4096), "short 100%25");
  // "é" is two bytes, six once encoded: 1000 of them cannot fit in 100 bytes.
  std::string accents;
  for (int i = 0; i < 1000; ++i) accents += "\xc3\xa9";
  const std::string capped = StatusMessage("x" + accents, 100);
  EXPECT_LE(capped.size(), 100u);
  EXPECT_EQ(capped, "x" + PercentEncodeMessage(accents.substr(0, 32)));  // 1 + 16 * 6 = 97
  // A four-byte character is kept whole or not at all.
  EXPECT_EQ(StatusMessage("ab\xf0\x9f\x98\x80", 13), "ab");
  EXPECT_EQ(StatusMessage("ab\xf0\x9f\x98\x80", 14), "ab%F0%9F%98%80");
}

TEST(RpcWire, TimeoutParsing) {
  EXPECT_EQ(ParseTimeoutNanos("100m"), 100'000'000);
  EXPECT_EQ(ParseTimeoutNanos("2S"), 2'000'000'000);
  EXPECT_EQ(ParseTimeoutNanos("1H"), 3600'000'000'000);
  EXPECT_EQ(ParseTimeoutNanos("99999999n"), 99999999);
  EXPECT_EQ(ParseTimeoutNanos("123456789S"), -1);  // nine digits
  EXPECT_EQ(ParseTimeoutNanos("10"), -1);
  EXPECT_EQ(ParseTimeoutNanos("m"), -1);
  EXPECT_EQ(ParseTimeoutNanos("-1S"), -1);
}

}  // namespace
}  // namespace tfj::rpc::wire
