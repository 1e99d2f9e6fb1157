#include "provider/serve/certificate.h"

#include <memory>
#include <stdexcept>

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace tfj::serve {
namespace {

template <typename T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using PKey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Bio = std::unique_ptr<BIO, Deleter<BIO, BIO_free_all>>;
using Ext = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;

[[noreturn]] void Fail(const char* what) {
  throw std::runtime_error(std::string("certificate generation failed: ") + what);
}

std::string BioToString(BIO* bio) {
  char* data = nullptr;
  const long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

void AddExtension(X509* cert, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  Ext ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) Fail("extension");
}

}  // namespace

namespace {

struct Issuer {
  EVP_PKEY* key;
  X509* cert;
};

Certificate MakeCertificate(CurveChoice curve, const Issuer* issuer, Pem pem) {
  // ECDSA P-521 with SHA-512 as go-plugin's mtls.go; P-256/SHA-256 as a faster option.
  const bool p521 = curve == CurveChoice::kP521;
  PKey key(EVP_EC_gen(p521 ? "P-521" : "P-256"));
  if (!key) Fail("key generation");

  Cert cert(X509_new());
  if (!cert) Fail("X509_new");
  X509_set_version(cert.get(), 2);  // v3

  // A random 128-bit positive serial, like Go's crypto/rand serials.
  unsigned char serial_bytes[16];
  if (RAND_bytes(serial_bytes, sizeof serial_bytes) != 1) Fail("serial");
  serial_bytes[0] &= 0x7f;
  std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>> bn(
      BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr));
  if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get()))) Fail("serial");

  // Valid from 30 s ago (clock skew) for 30 years, as go-plugin does.
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -30);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 30L * 365 * 24 * 3600);

  X509_NAME* name = X509_get_subject_name(cert.get());
  // A leaf needs a subject distinct from its issuer's, or chain building takes it for
  // a self-signed certificate.
  const char* organisation = issuer ? "tfj issued leaf" : "HashiCorp";
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(organisation), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>("localhost"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), issuer ? X509_get_subject_name(issuer->cert) : name);
  if (X509_set_pubkey(cert.get(), key.get()) != 1) Fail("public key");

  AddExtension(cert.get(), NID_basic_constraints, issuer ? "critical,CA:FALSE" : "critical,CA:TRUE");
  AddExtension(cert.get(), NID_key_usage,
               "critical,digitalSignature,keyEncipherment,keyAgreement,keyCertSign");
  AddExtension(cert.get(), NID_ext_key_usage, "serverAuth,clientAuth");
  AddExtension(cert.get(), NID_subject_alt_name, "DNS:localhost");

  EVP_PKEY* signer = issuer ? issuer->key : key.get();
  if (X509_sign(cert.get(), signer, p521 ? EVP_sha512() : EVP_sha256()) <= 0) Fail("sign");

  Certificate out;
  if (pem == Pem::kInclude) {
    Bio key_bio(BIO_new(BIO_s_mem()));
    if (!key_bio || PEM_write_bio_PrivateKey(key_bio.get(), key.get(), nullptr, nullptr, 0,
                                             nullptr, nullptr) != 1) {
      Fail("key PEM");
    }
    out.key_pem = BioToString(key_bio.get());
    Bio cert_bio(BIO_new(BIO_s_mem()));
    if (!cert_bio || PEM_write_bio_X509(cert_bio.get(), cert.get()) != 1) Fail("certificate PEM");
    out.cert_pem = BioToString(cert_bio.get());
  }
  unsigned char* der = nullptr;
  const int der_len = i2d_X509(cert.get(), &der);
  if (der_len <= 0) Fail("certificate DER");
  out.cert_der.assign(reinterpret_cast<const char*>(der), static_cast<size_t>(der_len));
  OPENSSL_free(der);
  out.key.reset(key.release(), EVP_PKEY_free);
  out.cert.reset(cert.release(), X509_free);
  return out;
}

}  // namespace

Certificate GenerateSelfSignedCertificate(CurveChoice curve, Pem pem) {
  return MakeCertificate(curve, nullptr, pem);
}

Certificate IssueCertificate(const Certificate& issuer) {
  Bio key_bio(BIO_new_mem_buf(issuer.key_pem.data(), static_cast<int>(issuer.key_pem.size())));
  PKey key(key_bio ? PEM_read_bio_PrivateKey(key_bio.get(), nullptr, nullptr, nullptr) : nullptr);
  Bio cert_bio(BIO_new_mem_buf(issuer.cert_pem.data(), static_cast<int>(issuer.cert_pem.size())));
  Cert cert(cert_bio ? PEM_read_bio_X509(cert_bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!key || !cert) Fail("issuer does not parse");
  const Issuer i{key.get(), cert.get()};
  return MakeCertificate(CurveChoice::kP256, &i, Pem::kInclude);
}

std::optional<std::string> PemCertificateToDer(std::string_view pem) {
  // Only the PEM armour is undone: parsing the certificate would decode its public key
  // through OpenSSL 3's decoder framework, which cost more than a millisecond of the
  // plugin's start-up. The TLS handshake checks the client's bytes against these anyway.
  Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return std::nullopt;
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* data = nullptr;
  long len = 0;
  if (PEM_read_bio(bio.get(), &name, &header, &data, &len) != 1) return std::nullopt;
  std::optional<std::string> der;
  // A certificate is a DER SEQUENCE (0x30).
  if (std::string_view(name) == PEM_STRING_X509 && len > 0 && data[0] == 0x30) {
    der.emplace(reinterpret_cast<const char*>(data), static_cast<size_t>(len));
  }
  OPENSSL_free(name);
  OPENSSL_free(header);
  OPENSSL_free(data);
  return der;
}

std::string DerCertificateToPem(std::string_view der) {
  const auto* p = reinterpret_cast<const unsigned char*>(der.data());
  Cert cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) return {};
  Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert.get()) != 1) return {};
  return BioToString(bio.get());
}

}  // namespace tfj::serve
