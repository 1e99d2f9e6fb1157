// The launcher against a real plugin binary: Terraform's environment, AutoMTLS, unix and
// tcp listeners, negotiation, health, debug/reattach attach and go-plugin style teardown.
#include <gtest/gtest.h>

#include "acceptance_tests/harness/driver.h"
#include "acceptance_tests/harness/launcher.h"
#include "acceptance_tests/harness/testing.h"

namespace tfj::harness {
namespace {

class LaunchTest : public ProtocolTest {
 protected:
  LaunchOptions Base() const {
    LaunchOptions o;
    o.binary = TestProviderBinary();
    o.protocol_versions = std::to_string(protocol());
    return o;
  }
  void ExpectSchemaOverDriver(ProviderProcess& p) {
    auto driver = Driver::Create(p.protocol(), p.channel());
    const ProviderSchemas& s = driver->Schemas();
    EXPECT_FALSE(s.diagnostics.HasError()) << s.diagnostics.ToString();
    EXPECT_EQ(s.resources.count("tfjtest_thing"), 1u);
    EXPECT_EQ(s.data_sources.count("tfjtest_thing"), 1u);
  }
};

TEST_P(LaunchTest, UnixSocketWithAutoMtls) {
  Status status;
  auto p = ProviderProcess::Launch(Base(), &status);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(p->protocol(), protocol());
  EXPECT_EQ(p->handshake().network, "unix");
  EXPECT_FALSE(p->handshake().server_cert_der.empty());
  TFJ_EXPECT_OK(p->CheckHealth());
  ExpectSchemaOverDriver(*p);
  TFJ_EXPECT_OK(p->Shutdown());  // exits 0 well within go-plugin's 2 s
  EXPECT_FALSE(p->running());
}

TEST_P(LaunchTest, TcpOnLoopback) {
  LaunchOptions o = Base();
  o.tcp = true;
  Status status;
  auto p = ProviderProcess::Launch(o, &status);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(p->handshake().network, "tcp");
  EXPECT_EQ(p->handshake().address.rfind("127.0.0.1:", 0), 0u) << p->handshake().address;
  ExpectSchemaOverDriver(*p);
  TFJ_EXPECT_OK(p->Shutdown());
}

TEST_P(LaunchTest, PlaintextWhenTlsIsDisabled) {
  LaunchOptions o = Base();
  o.automtls = false;  // what TF_DISABLE_PLUGIN_TLS does
  Status status;
  auto p = ProviderProcess::Launch(o, &status);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_TRUE(p->handshake().server_cert_der.empty());
  ExpectSchemaOverDriver(*p);
}

TEST_P(LaunchTest, DebugModeCanBeAttached) {
  Status status;
  auto p = ProviderProcess::LaunchDebug(TestProviderBinary(), protocol(), {}, &status);
  ASSERT_TRUE(status.ok()) << status;
  ASSERT_TRUE(p->reattach());
  EXPECT_EQ(p->reattach()->protocol, protocol());
  EXPECT_TRUE(p->reattach()->test);
  EXPECT_EQ(p->reattach()->source_address, "registry.terraform.io/tfjira/tfjtest");
  EXPECT_EQ(p->reattach()->pid, p->pid());
  ExpectSchemaOverDriver(*p);
  TFJ_EXPECT_OK(p->Shutdown());
}

TFJ_INSTANTIATE_PROTOCOLS(LaunchTest);

TEST(NegotiationTest, BothOfferedPicksSix) {
  LaunchOptions o;
  o.binary = TestProviderBinary();
  o.protocol_versions = "5,6";
  Status status;
  auto p = ProviderProcess::Launch(o, &status);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(p->protocol(), 6);
}

TEST(NegotiationTest, StopProviderAnswers) {
  LaunchOptions o;
  o.binary = TestProviderBinary();
  Status status;
  auto p = ProviderProcess::Launch(o, &status);
  ASSERT_TRUE(status.ok()) << status;
  EXPECT_EQ(Driver::Create(6, p->channel())->Stop(), "");
}

}  // namespace
}  // namespace tfj::harness
