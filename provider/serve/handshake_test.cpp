#include "provider/serve/handshake.h"

#include <gtest/gtest.h>

#include <string>

#include <nlohmann/json.hpp>

namespace tfj::serve {
namespace {

TEST(MagicCookie, OnlyTerraformsExactValuePasses) {
  EXPECT_TRUE(HasMagicCookie(std::string(kMagicCookieValue).c_str()));
  EXPECT_FALSE(HasMagicCookie(nullptr));
  EXPECT_FALSE(HasMagicCookie(""));
  EXPECT_FALSE(HasMagicCookie("d602bf8f"));
  EXPECT_FALSE(HasMagicCookie((std::string(kMagicCookieValue) + " ").c_str()));
}

TEST(MagicCookie, MessageSaysThisIsATerraformPlugin) {
  const std::string msg = NotAPluginMessage("terraform-provider-jira");
  EXPECT_NE(msg.find("terraform-provider-jira is a Terraform plugin"), std::string::npos);
  EXPECT_NE(msg.find("--debug"), std::string::npos);
}

struct NegotiationCase {
  const char* env;
  int expected;  // 0 = error
};

class NegotiationTable : public ::testing::TestWithParam<NegotiationCase> {};

TEST_P(NegotiationTable, PicksNewestCommonVersion) {
  const NegotiationCase c = GetParam();
  const Negotiation n = NegotiateProtocol(c.env);
  EXPECT_EQ(n.version, c.expected) << "PLUGIN_PROTOCOL_VERSIONS=" << (c.env ? c.env : "(unset)");
  if (c.expected == 0) {
    EXPECT_NE(n.error.find("no common plugin protocol version"), std::string::npos);
  } else {
    EXPECT_TRUE(n.error.empty());
  }
}

INSTANTIATE_TEST_SUITE_P(
    GoPluginRules, NegotiationTable,
    ::testing::Values(NegotiationCase{"5", 5}, NegotiationCase{"6", 6},
                      NegotiationCase{"5,6", 6}, NegotiationCase{"6,5", 6},
                      NegotiationCase{"", 0}, NegotiationCase{nullptr, 0},
                      NegotiationCase{"7", 0}, NegotiationCase{"4,7", 0},
                      NegotiationCase{"junk", 0}, NegotiationCase{"junk,5", 5},
                      NegotiationCase{"5x,6", 6}, NegotiationCase{" 5 , 6 ", 6},
                      NegotiationCase{",,", 0}, NegotiationCase{"7,6,5,4", 6}));

// A value that lists no version at all says what was expected; one that lists only
// versions we lack does not need to.
TEST(Negotiation, MalformedValueSaysWhatWasExpected) {
  for (const char* env : {"x", "", "5;6", ",,", " "}) {
    const Negotiation n = NegotiateProtocol(env);
    EXPECT_EQ(n.version, 0);
    EXPECT_NE(n.error.find("PLUGIN_PROTOCOL_VERSIONS=\"" + std::string(env) + "\", which lists no version"),
              std::string::npos) << n.error;
    EXPECT_NE(n.error.find("expected comma-separated version numbers, such as \"5,6\""),
              std::string::npos) << n.error;
  }
  Negotiation n = NegotiateProtocol(nullptr);
  EXPECT_NE(n.error.find("PLUGIN_PROTOCOL_VERSIONS=\"\" (unset) (expected"), std::string::npos) << n.error;
  n = NegotiateProtocol("7,8");
  EXPECT_EQ(n.error.find("expected"), std::string::npos) << n.error;
  EXPECT_NE(n.error.find("this provider speaks 6, 5"), std::string::npos) << n.error;
  // Bytes that are not printable are not echoed, nor more than 64 of them.
  n = NegotiateProtocol(("\x1b[2J" + std::string(100, 'z')).c_str());
  EXPECT_EQ(n.error.find('\x1b'), std::string::npos) << n.error;
  EXPECT_NE(n.error.find("?[2J" + std::string(60, 'z') + "...\""), std::string::npos) << n.error;
}

TEST(Negotiation, RespectsWhatTheServerSupports) {
  EXPECT_EQ(NegotiateProtocol("5,6", {5}).version, 5);
  EXPECT_EQ(NegotiateProtocol("6", {5}).version, 0);
}

TEST(Base64, StandardAlphabetWithoutPaddingForEveryLengthModThree) {
  EXPECT_EQ(Base64RawStd(""), "");
  EXPECT_EQ(Base64RawStd("ABC"), "QUJD");      // len % 3 == 0
  EXPECT_EQ(Base64RawStd("ABCD"), "QUJDRA");   // len % 3 == 1: would be QUJDRA==
  EXPECT_EQ(Base64RawStd("ABCDE"), "QUJDREU");  // len % 3 == 2: would be QUJDREU=
  EXPECT_EQ(Base64RawStd(std::string("\xfb\xff\xfe", 3)), "+//+");  // '+' and '/', not URL-safe
  EXPECT_EQ(Base64RawStd(std::string("\0\0", 2)), "AAA");
}

TEST(HandshakeLine, HasSixFieldsAndNoPadding) {
  for (size_t len : {300u, 301u, 302u}) {  // DER lengths = 0, 1, 2 mod 3
    const std::string der(len, '\x30');
    const std::string line = HandshakeLine(6, "unix", "/tmp/d/plugin.sock", der);
    EXPECT_EQ(line.rfind("1|6|unix|/tmp/d/plugin.sock|grpc|", 0), 0u) << line;
    EXPECT_EQ(line.find('='), std::string::npos);
    EXPECT_EQ(line.find('\n'), std::string::npos);
    const std::string cert = line.substr(line.rfind('|') + 1);
    EXPECT_EQ(cert, Base64RawStd(der));
    EXPECT_EQ(cert.size(), (len * 4 + 2) / 3);
  }
}

TEST(HandshakeLine, PlaintextLeavesFieldSixEmpty) {
  EXPECT_EQ(HandshakeLine(5, "tcp", "127.0.0.1:10001", ""), "1|5|tcp|127.0.0.1:10001|grpc|");
}

TEST(Reattach, JsonHasTerraformsShape) {
  const std::string json = ReattachJson("registry.terraform.io/tfjira/jira", 6, 4242, "unix",
                                        "/tmp/x/plugin.sock");
  const auto j = nlohmann::json::parse(json);
  const auto& e = j.at("registry.terraform.io/tfjira/jira");
  EXPECT_EQ(e.at("Protocol"), "grpc");
  EXPECT_EQ(e.at("ProtocolVersion"), 6);
  EXPECT_EQ(e.at("Pid"), 4242);
  EXPECT_EQ(e.at("Test"), true);
  EXPECT_EQ(e.at("Addr").at("Network"), "unix");
  EXPECT_EQ(e.at("Addr").at("String"), "/tmp/x/plugin.sock");
}

}  // namespace
}  // namespace tfj::serve
