// Failures that retrying cannot fix (untrusted certificate, http:// to an https server,
// https:// to an http server) end at once and name the fix; local set-up errors are
// configuration errors on the setting at fault, never "Jira answered 0".
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "acceptance_tests/emulator/server.h"
#include "provider/jira/beast_client.h"
#include "provider/jira/test_cert.h"

namespace jira {
namespace {

using std::chrono::milliseconds;

constexpr char kPassword[] = "Tr4nsport-Secret-Pw";

class TransportErrorsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ =
        (std::filesystem::temp_directory_path() / "jira-transport-test-XXXXXX").string();
    ASSERT_NE(mkdtemp(templ.data()), nullptr);
    dir_ = templ;
  }
  void TearDown() override {
    if (server_) server_->Stop();
    std::filesystem::remove_all(dir_);
  }
  void Start(bool tls, std::vector<std::string> dns = {"localhost"},
             std::vector<std::string> ips = {"127.0.0.1"}) {
    emulator::Options o;
    o.admin_password = kPassword;
    if (tls) {
      cert_ = testing::MakeSelfSignedCert(dir_, dns, ips);
      o.tls_cert_file = cert_.cert_file;
      o.tls_key_file = cert_.key_file;
    }
    server_ = std::make_unique<emulator::Server>(std::move(o));
    server_->Start();
  }
  ClientConfig Config(const std::string& url) {
    ClientConfig c;
    c.base_url = url;
    c.username = "admin";
    c.password = kPassword;
    c.max_retries = 5;
    c.retry_base_delay = milliseconds(200);
    c.retry_max_delay = milliseconds(2000);
    c.request_timeout = milliseconds(5000);
    c.on_backoff = [this](milliseconds) { ++backoffs_; };
    return c;
  }
  Error Fails(const ClientConfig& cfg) {
    auto c = NewBeastClient(cfg);
    EXPECT_TRUE(c.ok());
    if (!c.ok()) return c.error();
    auto r = (*c)->GetServerInfo();
    EXPECT_FALSE(r.ok());
    if (r.ok()) return Error{};
    EXPECT_EQ(r.error().Message().find(kPassword), std::string::npos);
    return r.error();
  }

  std::string dir_;
  testing::TestCert cert_;
  std::unique_ptr<emulator::Server> server_;
  int backoffs_ = 0;
};

TEST_F(TransportErrorsTest, UntrustedCertificateIsNotRetriedAndNamesCaFile) {
  Start(/*tls=*/true);
  Error e = Fails(Config(server_->url()));
  EXPECT_EQ(e.kind, ErrorKind::kTransport);
  EXPECT_TRUE(e.permanent);
  EXPECT_EQ(backoffs_, 0);
  EXPECT_NE(e.Message().find("ca_file"), std::string::npos) << e.Message();
  EXPECT_EQ(e.Message().find("attempts"), std::string::npos) << e.Message();
}

TEST_F(TransportErrorsTest, CertificateForAnotherHostIsNotRetried) {
  Start(/*tls=*/true, {"jira.invalid"}, {});
  ClientConfig cfg = Config(server_->url());
  cfg.ca_file = cert_.cert_file;  // trusted, but issued for jira.invalid only
  Error e = Fails(cfg);
  EXPECT_TRUE(e.permanent) << e.Message();
  EXPECT_EQ(backoffs_, 0);
  EXPECT_NE(e.Message().find("not issued for 127.0.0.1"), std::string::npos) << e.Message();
}

TEST_F(TransportErrorsTest, HttpUrlToAnHttpsServerSuggestsHttps) {
  Start(/*tls=*/true);
  ClientConfig cfg = Config("http://127.0.0.1:" + std::to_string(server_->port()));
  Error e = Fails(cfg);
  EXPECT_EQ(e.kind, ErrorKind::kTransport);
  EXPECT_TRUE(e.permanent) << e.Message();
  EXPECT_EQ(backoffs_, 0);
  EXPECT_NE(e.Message().find("use https://"), std::string::npos) << e.Message();
}

TEST_F(TransportErrorsTest, HttpsUrlToAnHttpServerSuggestsHttp) {
  Start(/*tls=*/false);
  ClientConfig cfg = Config("https://127.0.0.1:" + std::to_string(server_->port()));
  Error e = Fails(cfg);
  EXPECT_EQ(e.kind, ErrorKind::kTransport);
  EXPECT_TRUE(e.permanent) << e.Message();
  EXPECT_EQ(backoffs_, 0);
  EXPECT_NE(e.Message().find("use http://"), std::string::npos) << e.Message();
}

TEST_F(TransportErrorsTest, AServerThatIsDownIsStillRetried) {
  Start(/*tls=*/false);
  const std::string url = server_->url();
  server_->Stop();
  server_.reset();
  ClientConfig cfg = Config(url);
  cfg.max_retries = 2;
  cfg.retry_base_delay = milliseconds(1);
  Error e = Fails(cfg);
  EXPECT_FALSE(e.permanent);
  EXPECT_EQ(backoffs_, 2);
}

TEST_F(TransportErrorsTest, UnreadableCaFileIsAConfigErrorOnCaFile) {
  ClientConfig cfg = Config("https://jira.example.com");
  cfg.ca_file = dir_ + "/missing.pem";
  auto c = NewBeastClient(cfg);
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().kind, ErrorKind::kConfig);
  EXPECT_EQ(c.error().attribute, "ca_file");
  EXPECT_EQ(c.error().Message().find("Jira answered"), std::string::npos) << c.error().Message();
  EXPECT_NE(c.error().Message().find("missing.pem"), std::string::npos);

  std::ofstream(dir_ + "/garbage.pem") << "not a certificate\n";
  cfg.ca_file = dir_ + "/garbage.pem";
  auto g = NewBeastClient(cfg);
  ASSERT_FALSE(g.ok());
  EXPECT_EQ(g.error().attribute, "ca_file");
  EXPECT_NE(g.error().Message().find("PEM"), std::string::npos) << g.error().Message();
}

TEST_F(TransportErrorsTest, UrlWithQueryOrFragmentIsAConfigErrorOnUrl) {
  for (const char* url : {"https://jira.example.com/?x=1", "https://jira.example.com/#top"}) {
    ClientConfig cfg = Config(url);
    auto c = NewBeastClient(cfg);
    ASSERT_FALSE(c.ok()) << url;
    EXPECT_EQ(c.error().kind, ErrorKind::kConfig);
    EXPECT_EQ(c.error().attribute, "url");
    EXPECT_EQ(c.error().Message().find("Jira answered"), std::string::npos) << c.error().Message();
    EXPECT_NE(c.error().Message().find("query"), std::string::npos) << c.error().Message();
  }
}

}  // namespace
}  // namespace jira
