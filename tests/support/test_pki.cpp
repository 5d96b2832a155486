// In-memory test PKI with OpenSSL 3; see test_pki.hpp.
#include "support/test_pki.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <climits>
#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <utility>

#include <openssl/asn1.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace sipua::test {
namespace {

struct openssl_deleter {
  void operator()(X509* p) const noexcept { X509_free(p); }
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
  void operator()(BIO* p) const noexcept { BIO_free(p); }
  void operator()(BIGNUM* p) const noexcept { BN_free(p); }
  void operator()(ASN1_STRING* p) const noexcept { ASN1_STRING_free(p); }
  void operator()(GENERAL_NAME* p) const noexcept { GENERAL_NAME_free(p); }
  void operator()(GENERAL_NAMES* p) const noexcept { GENERAL_NAMES_free(p); }
  void operator()(X509_EXTENSION* p) const noexcept { X509_EXTENSION_free(p); }
};
template <class T>
using ossl_ptr = std::unique_ptr<T, openssl_deleter>;

constexpr std::int64_t ca_not_before_offset = -3600;
constexpr std::int64_t ca_not_after_offset = 10LL * 365 * 24 * 3600;

/// Throws std::runtime_error with `what` followed by every entry of OpenSSL's
/// error queue (which it empties).
[[noreturn]] void fail(std::string_view what) {
  std::string message{"test_pki: "};
  message += what;
  while (const unsigned long code = ERR_get_error()) {
    char text[256];
    ERR_error_string_n(code, text, sizeof text);
    message += ": ";
    message += text;
  }
  throw std::runtime_error(message);
}

template <class T>
T* check(T* p, std::string_view what) {
  if (p == nullptr) fail(what);
  return p;
}

// OpenSSL returns 1 (or a positive size) on success, 0 or -1 on failure.
void check(long status, std::string_view what) {
  if (status <= 0) fail(what);
}

ossl_ptr<EVP_PKEY> generate_key() {
  return ossl_ptr<EVP_PKEY>{check(EVP_EC_gen("P-256"), "EC P-256 key generation")};
}

std::string read_bio(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  if (size <= 0 || data == nullptr) fail("reading PEM from a memory BIO");
  return std::string(data, static_cast<std::size_t>(size));
}

std::string to_pem(X509* cert) {
  ossl_ptr<BIO> bio{check(BIO_new(BIO_s_mem()), "BIO_new")};
  check(PEM_write_bio_X509(bio.get(), cert), "PEM_write_bio_X509");
  return read_bio(bio.get());
}

std::string to_pem(EVP_PKEY* key) {
  ossl_ptr<BIO> bio{check(BIO_new(BIO_s_mem()), "BIO_new")};
  check(PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr),
        "PEM_write_bio_PrivateKey");
  return read_bio(bio.get());
}

ossl_ptr<BIO> memory_bio(const std::string& pem) {
  if (pem.size() > static_cast<std::size_t>(INT_MAX)) fail("PEM text too large");
  return ossl_ptr<BIO>{
      check(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), "BIO_new_mem_buf")};
}

// Never prompts for a passphrase: an encrypted key is an error here.
int no_password(char*, int, int, void*) { return 0; }

ossl_ptr<X509> load_cert(const std::string& pem) {
  auto bio = memory_bio(pem);
  return ossl_ptr<X509>{
      check(PEM_read_bio_X509(bio.get(), nullptr, no_password, nullptr), "CA certificate PEM")};
}

ossl_ptr<EVP_PKEY> load_key(const std::string& pem) {
  auto bio = memory_bio(pem);
  return ossl_ptr<EVP_PKEY>{
      check(PEM_read_bio_PrivateKey(bio.get(), nullptr, no_password, nullptr), "CA key PEM")};
}

/// A random positive 63-bit serial (RFC 5280 §4.1.2.2: positive, unique per
/// CA, at most 20 octets).
void set_random_serial(X509* cert) {
  ossl_ptr<BIGNUM> serial{check(BN_new(), "BN_new")};
  check(BN_rand(serial.get(), 63, BN_RAND_TOP_ONE, BN_RAND_BOTTOM_ANY), "BN_rand");
  check(BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert)), "BN_to_ASN1_INTEGER");
}

void set_validity(X509* cert, std::int64_t not_before_offset, std::int64_t not_after_offset) {
  check(
      X509_time_adj_ex(X509_getm_notBefore(cert), 0, static_cast<long>(not_before_offset), nullptr),
      "setting notBefore");
  check(X509_time_adj_ex(X509_getm_notAfter(cert), 0, static_cast<long>(not_after_offset), nullptr),
        "setting notAfter");
}

/// A v3 certificate for `key` with subject CN `common_name` (none if empty),
/// a random serial and the given validity; no issuer, extensions or
/// signature yet.
ossl_ptr<X509> new_cert(std::string_view common_name, EVP_PKEY* key, std::int64_t not_before,
                        std::int64_t not_after) {
  ossl_ptr<X509> cert{check(X509_new(), "X509_new")};
  check(X509_set_version(cert.get(), X509_VERSION_3), "X509_set_version");
  set_random_serial(cert.get());
  set_validity(cert.get(), not_before, not_after);
  if (!common_name.empty()) {
    if (common_name.size() > static_cast<std::size_t>(INT_MAX)) fail("CN too long");
    check(X509_NAME_add_entry_by_txt(X509_get_subject_name(cert.get()), "CN", MBSTRING_UTF8,
                                     reinterpret_cast<const unsigned char*>(common_name.data()),
                                     static_cast<int>(common_name.size()), -1, 0),
          "subject CN");
  }
  check(X509_set_pubkey(cert.get(), key), "X509_set_pubkey");
  return cert;
}

/// Adds the extension `nid` written in openssl.cnf syntax (e.g.
/// "critical,CA:TRUE"), in the context of `issuer` signing `subject`.
void add_ext(X509* issuer, X509* subject, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, issuer, subject, nullptr, nullptr, 0);
  ossl_ptr<X509_EXTENSION> ext{X509V3_EXT_nconf_nid(nullptr, &ctx, nid, value)};
  if (!ext) fail(std::string{"extension "} + OBJ_nid2sn(nid) + " = " + value);
  check(X509_add_ext(subject, ext.get(), -1), "X509_add_ext");
}

/// Appends a GENERAL_NAME of `type` holding `value` (whose ownership it takes).
void push_name(GENERAL_NAMES* names, int type, ossl_ptr<ASN1_STRING> value) {
  ossl_ptr<GENERAL_NAME> name{check(GENERAL_NAME_new(), "GENERAL_NAME_new")};
  GENERAL_NAME_set0_value(name.get(), type, value.release());
  check(sk_GENERAL_NAME_push(names, name.get()), "sk_GENERAL_NAME_push");
  name.release();  // now owned by `names`
}

ossl_ptr<ASN1_STRING> ia5(const std::string& text) {
  ossl_ptr<ASN1_STRING> s{check(ASN1_IA5STRING_new(), "ASN1_IA5STRING_new")};
  if (text.size() > static_cast<std::size_t>(INT_MAX)) fail("SAN entry too long");
  check(ASN1_STRING_set(s.get(), text.data(), static_cast<int>(text.size())), "ASN1_STRING_set");
  return s;
}

/// The subjectAltName, built from typed entries rather than a config string
/// so that names with ',' or ':' need no escaping. RFC 5280 §4.2.1.6: critical
/// when the subject name is empty.
void add_subject_alt_name(X509* cert, const leaf_options& options) {
  if (options.dns_names.empty() && options.uris.empty() && options.ips.empty()) return;
  ossl_ptr<GENERAL_NAMES> names{check(sk_GENERAL_NAME_new_null(), "GENERAL_NAMES")};
  for (const auto& dns : options.dns_names) push_name(names.get(), GEN_DNS, ia5(dns));
  for (const auto& uri : options.uris) push_name(names.get(), GEN_URI, ia5(uri));
  for (const auto& ip : options.ips) {
    ossl_ptr<ASN1_STRING> octets{a2i_IPADDRESS(ip.c_str())};
    if (!octets) fail("not an IP address: \"" + ip + "\"");
    push_name(names.get(), GEN_IPADD, std::move(octets));
  }
  const int critical = options.common_name.empty() ? 1 : 0;
  check(X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), critical, X509V3_ADD_DEFAULT),
        "subjectAltName");
}

const char* extended_key_usage(leaf_usage usage) {
  switch (usage) {
    case leaf_usage::server: return "serverAuth";
    case leaf_usage::client: return "clientAuth";
    case leaf_usage::both: return "serverAuth,clientAuth";
  }
  fail("unknown leaf_usage");
}

}  // namespace

test_ca make_ca(std::string_view common_name) {
  ERR_clear_error();
  auto key = generate_key();
  auto cert = new_cert(common_name, key.get(), ca_not_before_offset, ca_not_after_offset);
  // Self-signed: the issuer is the subject.
  check(X509_set_issuer_name(cert.get(), X509_get_subject_name(cert.get())),
        "X509_set_issuer_name");
  add_ext(cert.get(), cert.get(), NID_basic_constraints, "critical,CA:TRUE");
  add_ext(cert.get(), cert.get(), NID_key_usage, "critical,keyCertSign,cRLSign");
  add_ext(cert.get(), cert.get(), NID_subject_key_identifier, "hash");
  check(X509_sign(cert.get(), key.get(), EVP_sha256()), "signing the CA certificate");
  return test_ca{std::string{common_name}, to_pem(cert.get()), to_pem(key.get())};
}

test_leaf issue(const test_ca& ca, const leaf_options& options) {
  ERR_clear_error();
  const test_ca signer =
      options.signed_by_untrusted_ca ? make_ca(ca.common_name + " untrusted") : ca;
  auto ca_cert = load_cert(signer.cert_pem);
  auto ca_key = load_key(signer.key_pem);
  check(X509_check_private_key(ca_cert.get(), ca_key.get()), "CA key does not match CA cert");

  auto key = generate_key();
  auto cert =
      new_cert(options.common_name, key.get(), options.not_before_offset, options.not_after_offset);
  check(X509_set_issuer_name(cert.get(), X509_get_subject_name(ca_cert.get())),
        "X509_set_issuer_name");
  add_ext(ca_cert.get(), cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  add_ext(ca_cert.get(), cert.get(), NID_key_usage, "critical,digitalSignature,keyAgreement");
  add_ext(ca_cert.get(), cert.get(), NID_ext_key_usage, extended_key_usage(options.usage));
  add_ext(ca_cert.get(), cert.get(), NID_subject_key_identifier, "hash");
  add_ext(ca_cert.get(), cert.get(), NID_authority_key_identifier, "keyid:always");
  add_subject_alt_name(cert.get(), options);
  check(X509_sign(cert.get(), ca_key.get(), EVP_sha256()), "signing the leaf certificate");
  return test_leaf{to_pem(cert.get()), to_pem(key.get()), signer.cert_pem};
}

}  // namespace sipua::test
