// RFC 5922 §7.1 identity extraction and §7.2 matching
// (sipua/transport/tls_identity.hpp), on certificates from the test PKI.
#include "sipua/transport/tls_identity.hpp"

#include <gtest/gtest.h>
#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "support/test_pki.hpp"
#include <openssl/x509.h>

namespace sipua {
namespace {

using strings = std::vector<std::string>;

/// What a test leaf carries (the rest of test::leaf_options keeps its
/// defaults: a valid server certificate from ca()).
struct cert_names {
  std::string cn{};  // subject CN; none if empty
  strings dns{};     // subjectAltName dNSName
  strings uris{};    // subjectAltName URI
  strings ips{};     // subjectAltName iPAddress; no subjectAltName if all are empty
};

struct ossl_free {
  void operator()(X509* p) const noexcept { X509_free(p); }
  void operator()(BIO* p) const noexcept { BIO_free(p); }
  void operator()(ASN1_OCTET_STRING* p) const noexcept { ASN1_OCTET_STRING_free(p); }
  void operator()(X509_EXTENSION* p) const noexcept { X509_EXTENSION_free(p); }
  void operator()(EVP_PKEY* p) const noexcept { EVP_PKEY_free(p); }
};

std::vector<std::uint8_t> der_of(const std::string& pem) {
  std::unique_ptr<BIO, ossl_free> bio{BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()))};
  std::unique_ptr<X509, ossl_free> cert{PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)};
  if (!cert) throw std::runtime_error("unparsable certificate PEM");
  const int length = i2d_X509(cert.get(), nullptr);
  if (length <= 0) throw std::runtime_error("i2d_X509");
  std::vector<std::uint8_t> der(static_cast<std::size_t>(length));
  unsigned char* out = der.data();
  if (i2d_X509(cert.get(), &out) != length) throw std::runtime_error("i2d_X509");
  return der;
}

const test::test_ca& ca() {
  static const test::test_ca ca = test::make_ca("sipua tls_identity test CA");
  return ca;
}

/// The DER of a leaf carrying `names`.
std::vector<std::uint8_t> leaf_der(const cert_names& names) {
  test::leaf_options options;
  options.common_name = names.cn;
  options.dns_names = names.dns;
  options.uris = names.uris;
  options.ips = names.ips;
  return der_of(test::issue(ca(), options).cert_pem);
}

/// The identities of a leaf carrying `names`; throws (failing the test) if
/// the certificate does not parse.
certificate_identities identities(const cert_names& names, bool allow_common_name = false) {
  const auto der = leaf_der(names);
  auto ids = certificate_identities_from_der(der, allow_common_name);
  if (!ids) throw std::runtime_error("certificate_identities_from_der: " + ids.error().message());
  return std::move(ids).value();
}

/// The DER of a leaf carrying `names` plus one more subjectAltName
/// extension whose value is the bytes `raw_value`, to build what the test PKI
/// refuses to: a duplicate or undecodable subjectAltName. The signature
/// is the CA's again, but the certificate breaks RFC 5280, which does not
/// matter: identities are read from any certificate that parses.
std::vector<std::uint8_t> leaf_der_with_extra_san(const cert_names& names,
                                                  const std::string& raw_value) {
  const auto der = leaf_der(names);
  const unsigned char* p = der.data();
  std::unique_ptr<X509, ossl_free> cert{d2i_X509(nullptr, &p, static_cast<long>(der.size()))};
  std::unique_ptr<ASN1_OCTET_STRING, ossl_free> value{ASN1_OCTET_STRING_new()};
  if (!cert || !value ||
      ASN1_OCTET_STRING_set(value.get(), reinterpret_cast<const unsigned char*>(raw_value.data()),
                            static_cast<int>(raw_value.size())) != 1)
    throw std::runtime_error("extra subjectAltName");
  std::unique_ptr<X509_EXTENSION, ossl_free> extension{
      X509_EXTENSION_create_by_NID(nullptr, NID_subject_alt_name, 0, value.get())};
  if (!extension || X509_add_ext(cert.get(), extension.get(), -1) != 1)
    throw std::runtime_error("extra subjectAltName");
  // Re-signing makes i2d_X509 encode the changed fields instead of the
  // cached original encoding.
  std::unique_ptr<BIO, ossl_free> bio{
      BIO_new_mem_buf(ca().key_pem.data(), static_cast<int>(ca().key_pem.size()))};
  std::unique_ptr<EVP_PKEY, ossl_free> key{
      PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr)};
  if (!key || X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0)
    throw std::runtime_error("X509_sign");
  const int length = i2d_X509(cert.get(), nullptr);
  if (length <= 0) throw std::runtime_error("i2d_X509");
  std::vector<std::uint8_t> out(static_cast<std::size_t>(length));
  unsigned char* q = out.data();
  if (i2d_X509(cert.get(), &q) != length) throw std::runtime_error("i2d_X509");
  return out;
}

ip_address address(const char* text) { return *ip_address::parse(text); }

// --- RFC 5922 §7.1 step 1: URIs ------------------------------------------

TEST(TlsIdentity, SipUriPreferredOverDnsName) {
  const auto ids = identities(
      {.cn = "cn.example.com", .dns = {"dns.example.com"}, .uris = {"sip:uri.example.com"}}, true);
  EXPECT_EQ(ids.sip_domains, strings{"uri.example.com"});
  EXPECT_FALSE(ids.from_common_name);
  EXPECT_TRUE(matches_domain(ids, "uri.example.com"));
  EXPECT_FALSE(matches_domain(ids, "dns.example.com"));
  EXPECT_FALSE(matches_domain(ids, "cn.example.com"));
}

TEST(TlsIdentity, SipUriHostPartOnlyInCertificateOrder) {
  const auto ids = identities({.uris = {"sip:example.com:5061;transport=tls",
                                        "SIP:Second.Example.NET?subject=x", "sip:example.org."}});
  EXPECT_EQ(ids.sip_domains, (strings{"example.com", "Second.Example.NET", "example.org."}));
  EXPECT_TRUE(matches_domain(ids, "example.com"));
  EXPECT_TRUE(matches_domain(ids, "second.example.net"));
  EXPECT_TRUE(matches_domain(ids, "example.org"));
}

TEST(TlsIdentity, SipUriWithUserinfoIgnoredThenDnsNameUsed) {
  const auto ids = identities({.dns = {"dns.example.com"},
                               .uris = {"sip:alice@example.com", "sip:bob:secret@example.com"}});
  EXPECT_EQ(ids.sip_domains, strings{"dns.example.com"});
  EXPECT_FALSE(matches_domain(ids, "example.com"));
  EXPECT_TRUE(matches_domain(ids, "dns.example.com"));
}

TEST(TlsIdentity, SipsAndOtherSchemesIgnored) {
  const auto ids = identities({.dns = {"dns.example.com"},
                               .uris = {"sips:example.com", "SIPS:example.net", "tel:+15551234567",
                                        "https://example.org/", "sipx:example.com"}});
  EXPECT_EQ(ids.sip_domains, strings{"dns.example.com"});
  EXPECT_FALSE(matches_domain(ids, "example.com"));
  EXPECT_FALSE(matches_domain(ids, "example.net"));
}

TEST(TlsIdentity, UnparsableSipUriIgnored) {
  const auto ids = identities({.dns = {"dns.example.com"},
                               .uris = {"sip:", "sip:exa mple.com", "sip:-bad.example.com",
                                        std::string("sip:good.example.com\0.evil.com", 30)}});
  EXPECT_EQ(ids.sip_domains, strings{"dns.example.com"});
}

TEST(TlsIdentity, SipUriWithAddressHostKeptCanonicalWithoutBrackets) {
  const auto ids = identities({.uris = {"sip:[2001:DB8:0::1]:5061", "sip:192.0.2.7"}});
  EXPECT_EQ(ids.sip_domains, (strings{"2001:db8::1", "192.0.2.7"}));
  // Not an iPAddress entry: matches_address looks at those only.
  EXPECT_TRUE(ids.ip_addresses.empty());
  EXPECT_FALSE(matches_address(ids, address("2001:db8::1")));
}

// --- RFC 5922 §7.1 step 1: dNSName ---------------------------------------

TEST(TlsIdentity, DnsNamesOnly) {
  const auto ids = identities({.dns = {"a.example.com", "B.Example.com"}});
  EXPECT_EQ(ids.sip_domains, (strings{"a.example.com", "B.Example.com"}));
  EXPECT_FALSE(ids.from_common_name);
  EXPECT_TRUE(matches_domain(ids, "a.example.com"));
  EXPECT_TRUE(matches_domain(ids, "b.example.com"));
  EXPECT_FALSE(matches_domain(ids, "c.example.com"));
}

TEST(TlsIdentity, DnsNameWithNulOrNonAsciiIgnored) {
  const auto ids = identities({.dns = {std::string("good.example.com\0.evil.com", 26),
                                       "b\xc3\xa4r.example", "", "ok.example"}});
  EXPECT_EQ(ids.sip_domains, strings{"ok.example"});
  EXPECT_FALSE(matches_domain(ids, "good.example.com"));
}

// --- RFC 5922 §7.1 step 2: the subject CN --------------------------------

TEST(TlsIdentity, CommonNameUsedOnlyWithoutSanAndWhenAllowed) {
  const cert_names options{.cn = "cn.example.com"};
  const auto allowed = identities(options, true);
  EXPECT_EQ(allowed.sip_domains, strings{"cn.example.com"});
  EXPECT_TRUE(allowed.from_common_name);
  EXPECT_TRUE(matches_domain(allowed, "CN.example.com"));

  const auto refused = identities(options, false);
  EXPECT_TRUE(refused.sip_domains.empty());
  EXPECT_FALSE(refused.from_common_name);
  EXPECT_FALSE(matches_domain(refused, "cn.example.com"));
}

TEST(TlsIdentity, CommonNameNotUsedWhenSanHasOnlyAddresses) {
  const auto ids = identities({.cn = "cn.example.com", .ips = {"192.0.2.1"}}, true);
  EXPECT_TRUE(ids.sip_domains.empty());
  EXPECT_FALSE(ids.from_common_name);
  EXPECT_FALSE(matches_domain(ids, "cn.example.com"));
  EXPECT_TRUE(matches_address(ids, address("192.0.2.1")));
}

TEST(TlsIdentity, CommonNameNotUsedWhenSanHasOnlyRejectedUris) {
  const auto ids = identities({.cn = "cn.example.com", .uris = {"sips:cn.example.com"}}, true);
  EXPECT_TRUE(ids.sip_domains.empty());
  EXPECT_FALSE(matches_domain(ids, "cn.example.com"));
}

TEST(TlsIdentity, CommonNameNotUsedWhenSanDoesNotDecode) {
  // A subjectAltName extension is present, so §7.1 step 2 does not apply,
  // even though its value is not GeneralNames.
  const auto der = leaf_der_with_extra_san({.cn = "cn.example.com"}, "\x01\x02\x03");
  const auto ids = certificate_identities_from_der(der, true);
  ASSERT_TRUE(ids);
  EXPECT_TRUE(ids->sip_domains.empty());
  EXPECT_FALSE(ids->from_common_name);
}

TEST(TlsIdentity, DuplicateSanGivesNoIdentities) {
  // RFC 5280 §4.2: an extension appears at most once. Which copy counts is
  // undefined, so neither does, and the CN does not either.
  const std::string other_san(
      "\x30\x0b\x82\x09"
      "a.example",
      13);  // GeneralNames{dNSName}
  const auto der = leaf_der_with_extra_san(
      {.cn = "cn.example.com", .dns = {"example.com"}, .ips = {"192.0.2.1"}}, other_san);
  const auto ids = certificate_identities_from_der(der, true);
  ASSERT_TRUE(ids);
  EXPECT_TRUE(ids->sip_domains.empty());
  EXPECT_TRUE(ids->ip_addresses.empty());
  // The same extra value as the only subjectAltName is read normally.
  const auto alone = certificate_identities_from_der(leaf_der_with_extra_san({}, other_san));
  ASSERT_TRUE(alone);
  EXPECT_EQ(alone->sip_domains, strings{"a.example"});
}

TEST(TlsIdentity, CommonNameThatIsNoDnsNameIgnored) {
  for (const char* cn : {"Example Server", "192.0.2.1", "-x.example.com", "a..example.com",
                         "*.example.com", "under_score.example.com"}) {
    const auto ids = identities({.cn = cn}, true);
    EXPECT_TRUE(ids.sip_domains.empty()) << cn;
    EXPECT_FALSE(ids.from_common_name) << cn;
  }
  const auto root = identities({.cn = "cn.example.com."}, true);
  EXPECT_EQ(root.sip_domains, strings{"cn.example.com."});
  EXPECT_TRUE(matches_domain(root, "cn.example.com"));
}

// --- RFC 5922 §7.2 ---------------------------------------------------------

TEST(TlsIdentity, MatchIsCaseInsensitive) {
  const auto ids = identities({.uris = {"sip:Example.COM"}});
  EXPECT_TRUE(matches_domain(ids, "example.com"));
  EXPECT_TRUE(matches_domain(ids, "EXAMPLE.com"));
  EXPECT_FALSE(matches_domain(ids, "exampIe.com"));
}

TEST(TlsIdentity, NoSuffixMatch) {
  const auto ids = identities({.dns = {"example.com"}});
  EXPECT_FALSE(matches_domain(ids, "foo.example.com"));
  EXPECT_FALSE(matches_domain(ids, "xample.com"));
  EXPECT_FALSE(matches_domain(ids, "example.co"));
  const auto sub = identities({.dns = {"foo.example.com"}});
  EXPECT_FALSE(matches_domain(sub, "example.com"));
}

TEST(TlsIdentity, WildcardMatchesOnlyItselfLiterally) {
  const auto ids = identities({.dns = {"*.example.com", ".example.net"}});
  EXPECT_FALSE(matches_domain(ids, "foo.example.com"));
  EXPECT_FALSE(matches_domain(ids, "example.com"));
  EXPECT_TRUE(matches_domain(ids, "*.example.com"));
  EXPECT_TRUE(matches_domain(ids, "*.EXAMPLE.com"));
  EXPECT_FALSE(matches_domain(ids, "foo.example.net"));
  EXPECT_TRUE(matches_domain(ids, ".example.net"));
}

TEST(TlsIdentity, OneTrailingDotIgnoredOnEitherSide) {
  const auto plain = identities({.dns = {"example.com"}});
  EXPECT_TRUE(matches_domain(plain, "example.com."));
  EXPECT_FALSE(matches_domain(plain, "example.com.."));
  const auto rooted = identities({.dns = {"example.com."}});
  EXPECT_TRUE(matches_domain(rooted, "example.com"));
  EXPECT_TRUE(matches_domain(rooted, "example.com."));
}

TEST(TlsIdentity, EmptyDomainNeverMatches) {
  const auto ids = identities({.dns = {"example.com", "."}});
  EXPECT_FALSE(matches_domain(ids, ""));
  EXPECT_FALSE(matches_domain(ids, "."));
  EXPECT_FALSE(matches_domain(certificate_identities{}, ""));
  EXPECT_FALSE(matches_domain(certificate_identities{}, "example.com"));
}

// --- iPAddress -------------------------------------------------------------

TEST(TlsIdentity, AddressesMatchByValue) {
  const auto ids = identities(
      {.dns = {"example.com"}, .ips = {"192.0.2.1", "2001:db8::1", "::ffff:198.51.100.2"}});
  EXPECT_EQ(ids.ip_addresses.size(), 3U);
  EXPECT_TRUE(matches_address(ids, address("192.0.2.1")));
  EXPECT_TRUE(matches_address(ids, address("2001:DB8:0:0:0:0:0:1")));
  EXPECT_TRUE(matches_address(ids, address("::ffff:198.51.100.2")));
  EXPECT_FALSE(matches_address(ids, address("192.0.2.2")));
  EXPECT_FALSE(matches_address(ids, address("2001:db8::2")));
  EXPECT_FALSE(matches_address(ids, address("198.51.100.2")));  // mapped is not v4
  EXPECT_FALSE(matches_address(ids, address("::ffff:192.0.2.1")));
  // An address is not a DNS name identity, and a name not an address.
  EXPECT_FALSE(matches_domain(ids, "192.0.2.1"));
  EXPECT_EQ(ids.sip_domains, strings{"example.com"});
}

// --- DER -------------------------------------------------------------------

TEST(TlsIdentity, GarbageDerIsBadCertificate) {
  const auto good = leaf_der({.dns = {"example.com"}});
  std::vector<std::vector<std::uint8_t>> bad = {
      {},
      {0x00},
      {0x30, 0x03, 0x02, 0x01, 0x01},
      std::vector<std::uint8_t>(good.begin(), good.end() - 1),  // truncated
  };
  auto trailing = good;
  trailing.push_back(0x00);
  bad.push_back(trailing);
  auto corrupt = good;
  corrupt[1] ^= 0x01;  // the outer length
  bad.push_back(corrupt);
  for (const auto& der : bad) {
    // Exact-size copy so that ASan catches any read past the end.
    const std::unique_ptr<std::uint8_t[]> buffer{
        new std::uint8_t[der.size() + (der.empty() ? 1 : 0)]};
    std::copy(der.begin(), der.end(), buffer.get());
    const auto ids = certificate_identities_from_der({buffer.get(), der.size()});
    ASSERT_FALSE(ids) << der.size();
    EXPECT_EQ(ids.error(), transport_errc::bad_certificate);
    EXPECT_EQ(ids.error().message(), "certificate does not parse");
  }
  ASSERT_TRUE(certificate_identities_from_der(good));
}

}  // namespace
}  // namespace sipua
