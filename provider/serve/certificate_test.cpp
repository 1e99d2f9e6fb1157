#include "provider/serve/certificate.h"

#include <gtest/gtest.h>

#include <memory>

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace tfj::serve {
namespace {

struct X509Free {
  void operator()(X509* x) const { X509_free(x); }
};

std::unique_ptr<X509, X509Free> ParseDer(const std::string& der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  return std::unique_ptr<X509, X509Free>(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
}

class CertificateTest : public ::testing::TestWithParam<CurveChoice> {};

TEST_P(CertificateTest, ParsesBackLikeGoPluginsTemplate) {
  const Certificate c = GenerateSelfSignedCertificate(GetParam());
  auto cert = ParseDer(c.cert_der);
  ASSERT_TRUE(cert);

  // SAN DNS:localhost (Go ignores CN for hostname checks) and CN localhost.
  EXPECT_EQ(X509_check_host(cert.get(), "localhost", 0, 0, nullptr), 1);
  EXPECT_NE(X509_check_host(cert.get(), "example.com", 0, 0, nullptr), 1);
  char cn[64] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert.get()), NID_commonName, cn, sizeof cn);
  EXPECT_STREQ(cn, "localhost");

  EXPECT_EQ(X509_check_ca(cert.get()), 1);
  const uint32_t eku = X509_get_extended_key_usage(cert.get());
  EXPECT_TRUE(eku & XKU_SSL_SERVER);
  EXPECT_TRUE(eku & XKU_SSL_CLIENT);

  // Self-signed: verifies with its own key, and the key matches the PEM private key.
  EVP_PKEY* pub = X509_get0_pubkey(cert.get());
  ASSERT_NE(pub, nullptr);
  EXPECT_EQ(X509_verify(cert.get(), pub), 1);
  EXPECT_EQ(EVP_PKEY_get_base_id(pub), EVP_PKEY_EC);
  EXPECT_EQ(EVP_PKEY_get_bits(pub), GetParam() == CurveChoice::kP521 ? 521 : 256);

  // Valid now.
  EXPECT_LT(X509_cmp_current_time(X509_get0_notBefore(cert.get())), 0);
  EXPECT_GT(X509_cmp_current_time(X509_get0_notAfter(cert.get())), 0);

  // PEM and DER agree, both ways.
  EXPECT_EQ(PemCertificateToDer(c.cert_pem), c.cert_der);
  EXPECT_EQ(DerCertificateToPem(c.cert_der), c.cert_pem);
  EXPECT_NE(c.key_pem.find("PRIVATE KEY"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Curves, CertificateTest,
                         ::testing::Values(CurveChoice::kP521, CurveChoice::kP256));

TEST(Certificate, EveryCallIsFresh) {
  EXPECT_NE(GenerateSelfSignedCertificate().cert_der, GenerateSelfSignedCertificate().cert_der);
}

TEST(Certificate, GarbageDoesNotParse) {
  EXPECT_FALSE(PemCertificateToDer("not a certificate"));
  EXPECT_EQ(DerCertificateToPem("\x30\x03\x02\x01"), "");
}

TEST(Certificate, PemToDerWantsACertificateBlock) {
  const Certificate c = GenerateSelfSignedCertificate();
  EXPECT_FALSE(PemCertificateToDer(c.key_pem));  // a PRIVATE KEY block
  EXPECT_EQ(PemCertificateToDer("text before the block\n" + c.cert_pem), c.cert_der);
  // Armour around bytes that are not a DER SEQUENCE.
  EXPECT_FALSE(PemCertificateToDer("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n"));
  // The plugin gets no key PEM, but the objects a TLS context needs.
  const Certificate lean = GenerateSelfSignedCertificate(CurveChoice::kP521, Pem::kSkip);
  EXPECT_TRUE(lean.key_pem.empty());
  EXPECT_TRUE(lean.cert_pem.empty());
  EXPECT_TRUE(lean.key && lean.cert);
  EXPECT_FALSE(lean.cert_der.empty());
}

}  // namespace
}  // namespace tfj::serve

namespace tfj::serve {
namespace {

TEST(Certificate, IssuedCertificateChainsToItsIssuer) {
  const Certificate ca = GenerateSelfSignedCertificate();
  const Certificate leaf = IssueCertificate(ca);
  auto leaf_x = ParseDer(leaf.cert_der);
  auto ca_x = ParseDer(ca.cert_der);
  ASSERT_TRUE(leaf_x && ca_x);
  EXPECT_EQ(X509_verify(leaf_x.get(), X509_get0_pubkey(ca_x.get())), 1);
  EXPECT_EQ(X509_check_issued(ca_x.get(), leaf_x.get()), X509_V_OK);
  EXPECT_NE(X509_check_ca(leaf_x.get()), 1);
}

}  // namespace
}  // namespace tfj::serve
