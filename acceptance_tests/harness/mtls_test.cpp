#include "acceptance_tests/harness/mtls.h"

#include <gtest/gtest.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace tfj::harness {
namespace {

TEST(MtlsTest, ClientCertificateLooksLikeGoPlugins) {
  std::string error;
  auto cert = GenerateClientCertificate(&error);
  ASSERT_TRUE(cert) << error;
  BIO* bio = BIO_new_mem_buf(cert->cert_pem.data(), static_cast<int>(cert->cert_pem.size()));
  X509* x = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
  BIO_free(bio);
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(X509_check_host(x, "localhost", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_ca(x), 1);
  EXPECT_TRUE(X509_get_extended_key_usage(x) & XKU_SSL_CLIENT);
  EXPECT_TRUE(X509_get_extended_key_usage(x) & XKU_SSL_SERVER);
  EVP_PKEY* key = X509_get0_pubkey(x);
  EXPECT_EQ(EVP_PKEY_get_bits(key), 521);
  EXPECT_EQ(X509_get_signature_nid(x), NID_ecdsa_with_SHA512);
  X509_free(x);
  EXPECT_NE(cert->key_pem.find("PRIVATE KEY"), std::string::npos);
}

TEST(MtlsTest, Base64WithoutPaddingDecodesEveryLengthModThree) {
  EXPECT_EQ(DecodeBase64NoPad("QUJD"), "ABC");
  EXPECT_EQ(DecodeBase64NoPad("QUJDRA"), "ABCD");
  EXPECT_EQ(DecodeBase64NoPad("QUJDREU"), "ABCDE");
  EXPECT_EQ(DecodeBase64NoPad(""), "");
}

TEST(MtlsTest, Base64WithPaddingIsRefusedLikeGo) {
  EXPECT_FALSE(DecodeBase64NoPad("QUJDRA=="));
  EXPECT_FALSE(DecodeBase64NoPad("Q"));
  EXPECT_FALSE(DecodeBase64NoPad("QU*D"));
}

TEST(MtlsTest, DerToPemRejectsGarbage) { EXPECT_EQ(DerCertificateToPem("not a certificate"), ""); }

}  // namespace
}  // namespace tfj::harness
