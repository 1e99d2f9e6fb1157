#include "acceptance_tests/harness/launcher.h"

#include <gtest/gtest.h>

namespace tfj::harness {
namespace {

TEST(HandshakeTest, ParsesUnixLineWithoutCertificate) {
  std::string error;
  auto h = ParseHandshake("1|6|unix|/tmp/plugin1/sock|grpc|\n", &error);
  ASSERT_TRUE(h) << error;
  EXPECT_EQ(h->protocol, 6);
  EXPECT_EQ(h->network, "unix");
  EXPECT_EQ(h->address, "/tmp/plugin1/sock");
  EXPECT_TRUE(h->server_cert_der.empty());
}

TEST(HandshakeTest, ShortSixthFieldIsNotACertificate) {
  std::string error;
  auto h = ParseHandshake("1|5|tcp|127.0.0.1:1234|grpc|QUJD", &error);
  ASSERT_TRUE(h) << error;
  EXPECT_EQ(h->protocol, 5);
  EXPECT_TRUE(h->server_cert_der.empty());
}

TEST(HandshakeTest, PaddedCertificateIsRefusedAsGoDoes) {
  std::string error;
  std::string cert(60, 'A');
  cert += "==";
  EXPECT_FALSE(ParseHandshake("1|6|unix|/s|grpc|" + cert, &error));
  EXPECT_NE(error.find("error parsing server cert"), std::string::npos);
}

TEST(HandshakeTest, RejectsLogLinesAndWrongVersions) {
  std::string error;
  EXPECT_FALSE(ParseHandshake("{\"@level\":\"info\"}", &error));
  EXPECT_NE(error.find("Unrecognized remote plugin message"), std::string::npos);
  EXPECT_FALSE(ParseHandshake("2|6|unix|/s|grpc|", &error));
  EXPECT_NE(error.find("Incompatible core API version"), std::string::npos);
  EXPECT_FALSE(ParseHandshake("1|6|unix|/s|netrpc|", &error));
  EXPECT_FALSE(ParseHandshake("1|6|pipe|/s|grpc|", &error));
}

TEST(ReattachTest, ParsesTheDebugLine) {
  std::string error;
  auto r = ParseReattach(
      "TF_REATTACH_PROVIDERS='{\"registry.terraform.io/tfjira/jira\":{\"Protocol\":\"grpc\","
      "\"ProtocolVersion\":5,\"Pid\":42,\"Test\":true,\"Addr\":{\"Network\":\"unix\",\"String\":\"/tmp/x\"}}}'",
      &error);
  ASSERT_TRUE(r) << error;
  EXPECT_EQ(r->source_address, "registry.terraform.io/tfjira/jira");
  EXPECT_EQ(r->protocol, 5);
  EXPECT_EQ(r->pid, 42);
  EXPECT_TRUE(r->test);
  EXPECT_EQ(r->address, "/tmp/x");
  EXPECT_EQ(r->json.front(), '{');
}

TEST(ReattachTest, RejectsMalformedValues) {
  std::string error;
  EXPECT_FALSE(ParseReattach("TF_REATTACH_PROVIDERS='{'", &error));
  EXPECT_FALSE(ParseReattach("{\"a\":{\"Protocol\":\"grpc\"}}", &error));
}

TEST(LauncherTest, MissingBinaryIsAClearError) {
  LaunchOptions o;
  o.binary = "/nonexistent/terraform-provider-nothing";
  Status status;
  EXPECT_EQ(ProviderProcess::Launch(o, &status), nullptr);
  EXPECT_NE(status.message().find("cannot execute"), std::string::npos) << status;
}

TEST(LauncherTest, AProgramThatPrintsNoHandshakeFails) {
  LaunchOptions o;
  o.binary = "/bin/true";
  Status status;
  EXPECT_EQ(ProviderProcess::Launch(o, &status), nullptr);
  EXPECT_NE(status.message().find("handshake"), std::string::npos) << status;
}

}  // namespace
}  // namespace tfj::harness
