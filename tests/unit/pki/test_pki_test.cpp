// Tests of the in-memory test PKI (tests/support/test_pki.hpp): what it makes
// must pass or fail OpenSSL's own checks exactly as the TLS tests will rely on.
#include "support/test_pki.hpp"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <chrono>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace sipua::test {
namespace {

struct ossl_free {
  void operator()(X509* p) const noexcept { X509_free(p); }
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
  void operator()(BIO* p) const noexcept { BIO_free(p); }
  void operator()(X509_STORE* p) const noexcept { X509_STORE_free(p); }
  void operator()(X509_STORE_CTX* p) const noexcept { X509_STORE_CTX_free(p); }
  void operator()(GENERAL_NAMES* p) const noexcept { GENERAL_NAMES_free(p); }
};
using x509_ptr = std::unique_ptr<X509, ossl_free>;
using pkey_ptr = std::unique_ptr<EVP_PKEY, ossl_free>;

x509_ptr cert_of(const std::string& pem) {
  std::unique_ptr<BIO, ossl_free> bio{BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))};
  x509_ptr cert{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)};
  if (!cert) throw std::runtime_error("unparsable certificate PEM");
  return cert;
}

pkey_ptr key_of(const std::string& pem) {
  std::unique_ptr<BIO, ossl_free> bio{BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))};
  pkey_ptr key{PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)};
  if (!key) throw std::runtime_error("unparsable key PEM");
  return key;
}

/// Verifies `leaf_pem` against a store trusting only `trusted_ca_pem`, at the
/// current time; returns X509_V_OK or the X509_V_ERR_* code. With `purpose`
/// (X509_PURPOSE_SSL_SERVER / _CLIENT) the extendedKeyUsage is checked too;
/// `flags` are X509_V_FLAG_* verification flags.
int verify(const std::string& trusted_ca_pem, const std::string& leaf_pem, int purpose = 0,
           unsigned long flags = 0) {
  std::unique_ptr<X509_STORE, ossl_free> store{X509_STORE_new()};
  auto ca = cert_of(trusted_ca_pem);
  if (X509_STORE_add_cert(store.get(), ca.get()) != 1) throw std::runtime_error("add_cert");
  auto leaf = cert_of(leaf_pem);
  std::unique_ptr<X509_STORE_CTX, ossl_free> ctx{X509_STORE_CTX_new()};
  if (X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), nullptr) != 1) {
    throw std::runtime_error("X509_STORE_CTX_init");
  }
  if (purpose != 0) X509_STORE_CTX_set_purpose(ctx.get(), purpose);
  if (flags != 0) X509_STORE_CTX_set_flags(ctx.get(), flags);
  const int ok = X509_verify_cert(ctx.get());
  const int error = X509_STORE_CTX_get_error(ctx.get());
  EXPECT_EQ(ok == 1, error == X509_V_OK) << X509_verify_cert_error_string(error);
  ERR_clear_error();
  return error;
}

struct alt_names {
  std::vector<std::string> dns, uri;
  std::vector<std::vector<unsigned char>> ip;
};

/// The subjectAltName entries of `cert`, by type, in certificate order.
alt_names alt_names_of(X509* cert) {
  alt_names out;
  std::unique_ptr<GENERAL_NAMES, ossl_free> names{
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr))};
  if (!names) return out;
  for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names.get(), i);
    int type = 0;
    const auto* value = static_cast<const ASN1_STRING*>(GENERAL_NAME_get0_value(name, &type));
    const auto* bytes = ASN1_STRING_get0_data(value);
    const auto size = static_cast<std::size_t>(ASN1_STRING_length(value));
    if (type == GEN_DNS) out.dns.emplace_back(reinterpret_cast<const char*>(bytes), size);
    if (type == GEN_URI) out.uri.emplace_back(reinterpret_cast<const char*>(bytes), size);
    if (type == GEN_IPADD) out.ip.emplace_back(bytes, bytes + size);
  }
  return out;
}

std::string subject_cn(X509* cert) {
  char cn[256] = {};
  if (X509_NAME_get_text_by_NID(X509_get_subject_name(cert), NID_commonName, cn, sizeof cn) < 0) {
    return {};
  }
  return cn;
}

leaf_options server_options() {
  leaf_options o;
  o.common_name = "sip.example.com";
  o.dns_names = {"sip.example.com", "example.com"};
  o.uris = {"sip:example.com"};
  o.ips = {"127.0.0.1", "::1"};
  return o;
}

class test_pki : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ca_ = new test_ca{make_ca("sipua test CA")}; }
  static void TearDownTestSuite() {
    delete ca_;
    ca_ = nullptr;
  }
  static const test_ca& ca() { return *ca_; }

 private:
  static inline test_ca* ca_ = nullptr;
};

TEST_F(test_pki, ca_is_a_self_signed_p256_sha256_ca) {
  EXPECT_EQ(ca().common_name, "sipua test CA");
  EXPECT_EQ(ca().cert_pem.rfind("-----BEGIN CERTIFICATE-----\n", 0), 0u);
  EXPECT_EQ(ca().key_pem.rfind("-----BEGIN PRIVATE KEY-----\n", 0), 0u);
  auto cert = cert_of(ca().cert_pem);
  auto key = key_of(ca().key_pem);
  EXPECT_EQ(subject_cn(cert.get()), "sipua test CA");
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(cert.get()), X509_get_issuer_name(cert.get())), 0);
  EXPECT_EQ(X509_check_ca(cert.get()), 1);  // basicConstraints CA:TRUE
  EXPECT_EQ(X509_get_signature_nid(cert.get()), NID_ecdsa_with_SHA256);
  char group[64] = {};
  ASSERT_EQ(EVP_PKEY_get_group_name(key.get(), group, sizeof group, nullptr), 1);
  EXPECT_STREQ(group, "prime256v1");
  EXPECT_EQ(X509_check_private_key(cert.get(), key.get()), 1);
  EXPECT_EQ(verify(ca().cert_pem, ca().cert_pem), X509_V_OK);
}

// (a) and (g)
TEST_F(test_pki, leaf_from_the_ca_verifies_and_matches_its_key) {
  const auto leaf = issue(ca(), server_options());
  EXPECT_EQ(leaf.issuer_cert_pem, ca().cert_pem);
  EXPECT_EQ(verify(ca().cert_pem, leaf.cert_pem), X509_V_OK);
  EXPECT_EQ(verify(ca().cert_pem, leaf.cert_pem, X509_PURPOSE_SSL_SERVER), X509_V_OK);
  auto cert = cert_of(leaf.cert_pem);
  EXPECT_EQ(subject_cn(cert.get()), "sip.example.com");
  EXPECT_EQ(X509_check_ca(cert.get()), 0);
  EXPECT_EQ(X509_get_signature_nid(cert.get()), NID_ecdsa_with_SHA256);
  EXPECT_EQ(X509_check_private_key(cert.get(), key_of(leaf.key_pem).get()), 1);
  // Another leaf's key does not match.
  const auto other = issue(ca(), server_options());
  EXPECT_EQ(X509_check_private_key(cert.get(), key_of(other.key_pem).get()), 0);
  ERR_clear_error();
  EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(cert.get()),
                             X509_get0_serialNumber(cert_of(other.cert_pem).get())),
            0);
}

// What a TLS test may turn on: RFC 5280 strictness (key identifiers present,
// extensions well formed) and a check of the CA's own validity and purpose.
TEST_F(test_pki, leaf_verifies_under_x509_strict) {
  const auto leaf = issue(ca(), server_options());
  EXPECT_EQ(verify(ca().cert_pem, leaf.cert_pem, X509_PURPOSE_SSL_SERVER,
                   X509_V_FLAG_X509_STRICT | X509_V_FLAG_CHECK_SS_SIGNATURE),
            X509_V_OK);
  auto options = server_options();
  options.common_name.clear();
  options.usage = leaf_usage::both;
  EXPECT_EQ(verify(ca().cert_pem, issue(ca(), options).cert_pem, X509_PURPOSE_SSL_CLIENT,
                   X509_V_FLAG_X509_STRICT),
            X509_V_OK);
}

// (b), both ways: issued by another CA, and by the per-call untrusted CA.
TEST_F(test_pki, leaf_from_another_ca_is_rejected) {
  const auto other_ca = make_ca("other CA");
  const auto leaf = issue(other_ca, server_options());
  EXPECT_EQ(verify(ca().cert_pem, leaf.cert_pem), X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
  EXPECT_EQ(verify(other_ca.cert_pem, leaf.cert_pem), X509_V_OK);

  auto options = server_options();
  options.signed_by_untrusted_ca = true;
  const auto untrusted = issue(ca(), options);
  EXPECT_EQ(verify(ca().cert_pem, untrusted.cert_pem),
            X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
  ASSERT_NE(untrusted.issuer_cert_pem, ca().cert_pem);
  EXPECT_EQ(subject_cn(cert_of(untrusted.issuer_cert_pem).get()), "sipua test CA untrusted");
  // A proper chain all the same: it verifies against its own issuer.
  EXPECT_EQ(verify(untrusted.issuer_cert_pem, untrusted.cert_pem), X509_V_OK);
}

// (c) and its mirror image.
TEST_F(test_pki, validity_window_is_relative_to_now) {
  auto options = server_options();
  options.not_before_offset = -2 * 24 * 3600;
  options.not_after_offset = -24 * 3600;
  EXPECT_EQ(verify(ca().cert_pem, issue(ca(), options).cert_pem), X509_V_ERR_CERT_HAS_EXPIRED);
  options.not_before_offset = 24 * 3600;
  options.not_after_offset = 2 * 24 * 3600;
  EXPECT_EQ(verify(ca().cert_pem, issue(ca(), options).cert_pem), X509_V_ERR_CERT_NOT_YET_VALID);
}

// (d)
TEST_F(test_pki, host_check_uses_the_san_dns_names) {
  auto options = server_options();
  options.common_name = "cn-only.example.com";
  auto cert = cert_of(issue(ca(), options).cert_pem);
  EXPECT_EQ(X509_check_host(cert.get(), "sip.example.com", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(cert.get(), "EXAMPLE.com", 0, 0, nullptr), 1);
  EXPECT_EQ(X509_check_host(cert.get(), "evil.example.com", 0, 0, nullptr), 0);
  // RFC 5922 §7.1 step 2: the CN counts only when there is no subjectAltName.
  EXPECT_EQ(X509_check_host(cert.get(), "cn-only.example.com", 0, 0, nullptr), 0);

  leaf_options cn_only;
  cn_only.common_name = "cn-only.example.com";
  auto legacy = cert_of(issue(ca(), cn_only).cert_pem);
  EXPECT_EQ(X509_get_ext_by_NID(legacy.get(), NID_subject_alt_name, -1), -1);
  EXPECT_EQ(X509_check_host(legacy.get(), "cn-only.example.com", 0, 0, nullptr), 1);
}

// (e)
TEST_F(test_pki, san_entries_are_written_in_order) {
  auto options = server_options();
  options.uris = {"sip:example.com", "sips:alice@example.com"};
  auto cert = cert_of(issue(ca(), options).cert_pem);
  const auto names = alt_names_of(cert.get());
  EXPECT_EQ(names.dns, (std::vector<std::string>{"sip.example.com", "example.com"}));
  EXPECT_EQ(names.uri, (std::vector<std::string>{"sip:example.com", "sips:alice@example.com"}));
  const std::vector<unsigned char> v4{127, 0, 0, 1};
  std::vector<unsigned char> v6(16, 0);
  v6[15] = 1;
  EXPECT_EQ(names.ip, (std::vector<std::vector<unsigned char>>{v4, v6}));
  // With a subject CN the SAN is not critical; without one it must be
  // (RFC 5280 §4.2.1.6).
  const int at = X509_get_ext_by_NID(cert.get(), NID_subject_alt_name, -1);
  ASSERT_GE(at, 0);
  EXPECT_EQ(X509_EXTENSION_get_critical(X509_get_ext(cert.get(), at)), 0);
  options.common_name.clear();
  auto anonymous = cert_of(issue(ca(), options).cert_pem);
  EXPECT_EQ(subject_cn(anonymous.get()), "");
  const int at2 = X509_get_ext_by_NID(anonymous.get(), NID_subject_alt_name, -1);
  ASSERT_GE(at2, 0);
  EXPECT_EQ(X509_EXTENSION_get_critical(X509_get_ext(anonymous.get(), at2)), 1);
  EXPECT_EQ(verify(ca().cert_pem, issue(ca(), options).cert_pem), X509_V_OK);
}

// (f)
TEST_F(test_pki, ip_check_matches_the_san_addresses) {
  auto cert = cert_of(issue(ca(), server_options()).cert_pem);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "127.0.0.1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "::1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "0:0:0:0:0:0:0:1", 0), 1);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "127.0.0.2", 0), 0);
  EXPECT_EQ(X509_check_ip_asc(cert.get(), "::2", 0), 0);
}

TEST_F(test_pki, usage_sets_the_extended_key_usage) {
  auto options = server_options();
  const auto server = cert_of(issue(ca(), options).cert_pem);
  EXPECT_EQ(X509_check_purpose(server.get(), X509_PURPOSE_SSL_SERVER, 0), 1);
  EXPECT_EQ(X509_check_purpose(server.get(), X509_PURPOSE_SSL_CLIENT, 0), 0);

  options.usage = leaf_usage::client;
  const auto client = issue(ca(), options);
  EXPECT_EQ(X509_check_purpose(cert_of(client.cert_pem).get(), X509_PURPOSE_SSL_CLIENT, 0), 1);
  EXPECT_EQ(verify(ca().cert_pem, client.cert_pem, X509_PURPOSE_SSL_CLIENT), X509_V_OK);
  EXPECT_EQ(verify(ca().cert_pem, client.cert_pem, X509_PURPOSE_SSL_SERVER),
            X509_V_ERR_INVALID_PURPOSE);

  options.usage = leaf_usage::both;
  const auto both = issue(ca(), options);
  EXPECT_EQ(verify(ca().cert_pem, both.cert_pem, X509_PURPOSE_SSL_CLIENT), X509_V_OK);
  EXPECT_EQ(verify(ca().cert_pem, both.cert_pem, X509_PURPOSE_SSL_SERVER), X509_V_OK);
}

std::string error_of(const test_ca& ca, const leaf_options& options) {
  try {
    (void)issue(ca, options);
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "(no exception)";
}

TEST_F(test_pki, errors_throw_with_the_openssl_reason) {
  auto options = server_options();
  options.ips = {"127.0.0.1", "localhost"};
  EXPECT_NE(error_of(ca(), options).find("test_pki: not an IP address: \"localhost\""),
            std::string::npos);

  test_ca broken = ca();
  broken.cert_pem = "not a certificate";
  const auto unparsable = error_of(broken, server_options());
  EXPECT_NE(unparsable.find("test_pki: CA certificate PEM: error:"), std::string::npos)
      << unparsable;
  EXPECT_NE(unparsable.find("no start line"), std::string::npos) << unparsable;

  test_ca mismatched = ca();
  mismatched.key_pem = make_ca("other").key_pem;
  const auto mismatch = error_of(mismatched, server_options());
  EXPECT_NE(mismatch.find("test_pki: CA key does not match CA cert: error:"), std::string::npos)
      << mismatch;
  // A failure leaves nothing behind in OpenSSL's error queue.
  EXPECT_EQ(ERR_peek_error(), 0u);
}

// Not a test of speed (no assertion): prints how long a CA and three leaves
// take, which every TLS test fixture will pay.
TEST(test_pki_timing, ca_and_three_leaves) {
  const auto start = std::chrono::steady_clock::now();
  const auto ca = make_ca("timing CA");
  auto options = server_options();
  const auto server = issue(ca, options);
  options.usage = leaf_usage::client;
  const auto client = issue(ca, options);
  options.signed_by_untrusted_ca = true;
  const auto untrusted = issue(ca, options);
  const std::chrono::duration<double, std::milli> took = std::chrono::steady_clock::now() - start;
  std::printf("[ timing   ] make_ca + 3 leaves (one with its own untrusted CA): %.2f ms\n",
              took.count());
  EXPECT_EQ(verify(ca.cert_pem, server.cert_pem), X509_V_OK);
  EXPECT_EQ(verify(ca.cert_pem, client.cert_pem), X509_V_OK);
  EXPECT_EQ(verify(ca.cert_pem, untrusted.cert_pem), X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY);
}

}  // namespace
}  // namespace sipua::test
