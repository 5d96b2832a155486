// RFC 5922 §7.1 (finding SIP identities in a certificate) and §7.2
// (comparing them) on OpenSSL 3. Only the certificate's contents are read
// here; its validity is the TLS verification's business.
#include "sipua/transport/tls_identity.hpp"

#include <openssl/crypto.h>
#include <openssl/objects.h>

#include <algorithm>
#include <array>
#include <climits>
#include <cstring>
#include <memory>
#include <optional>

#include "tls_identity_x509.hpp"
#include <openssl/asn1.h>
#include <openssl/x509v3.h>

#include "sipua/message/uri.hpp"

namespace sipua {
namespace {

struct ossl_free {
  void operator()(X509* p) const noexcept { X509_free(p); }
  void operator()(GENERAL_NAMES* p) const noexcept { GENERAL_NAMES_free(p); }
  void operator()(unsigned char* p) const noexcept { OPENSSL_free(p); }
};
using x509_ptr = std::unique_ptr<X509, ossl_free>;
using general_names_ptr = std::unique_ptr<GENERAL_NAMES, ossl_free>;

std::string_view view_of(const ASN1_STRING* s) noexcept {
  if (s == nullptr || ASN1_STRING_length(s) <= 0) return {};
  return {reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
          static_cast<std::size_t>(ASN1_STRING_length(s))};
}

bool is_digit(char c) noexcept { return c >= '0' && c <= '9'; }
bool is_alnum(char c) noexcept {
  return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

char lower(char c) noexcept { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

/// A dNSName is kept as written, but only printable ASCII: an embedded NUL
/// ("good.example\0.evil") or raw UTF-8 never becomes an identity.
bool is_printable_ascii(std::string_view s) noexcept {
  return !s.empty() &&
         std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x21 && c <= 0x7e; });
}

/// "A valid DNS name" for the CN of RFC 5922 §7.1 step 2: RFC 1123 §2.1
/// labels (letters, digits, inner hyphens, 1-63 characters), at most 253
/// characters without the one trailing dot allowed, and the last label not
/// all digits so that a dotted-quad address is not taken for a name.
bool is_dns_name(std::string_view s) noexcept {
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  if (s.empty() || s.size() > 253) return false;
  bool last_all_digits = true;
  while (true) {
    const auto dot = s.find('.');
    const auto label = s.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-')
      return false;
    if (!std::all_of(label.begin(), label.end(), [](char c) { return is_alnum(c) || c == '-'; }))
      return false;
    last_all_digits = std::all_of(label.begin(), label.end(), is_digit);
    if (dot == std::string_view::npos) break;
    s.remove_prefix(dot + 1);
  }
  return !last_all_digits;
}

/// RFC 5922 §7.1 step 1, URI: the host part of a "sip" URI without
/// userinfo, or nothing. The scheme compares case-insensitively (parse_uri
/// does that); "sips" is a different scheme and is not accepted.
std::optional<std::string> sip_domain_of_uri(std::string_view text) {
  const auto parsed = parse_uri(text);
  if (!parsed || parsed->scheme != uri_scheme::sip || parsed->sip.has_user) return std::nullopt;
  const sip_uri& sip = parsed->sip;
  if (sip.host_kind == host_type::name) return std::string(sip.host);
  // An address host: canonical text without brackets (tls_identity.hpp).
  const auto address = ip_address::parse(sip.host);
  if (!address) return std::nullopt;
  return address->to_string();
}

std::optional<ip_address> address_of(const ASN1_OCTET_STRING* s) noexcept {
  const auto bytes = view_of(s);
  if (bytes.size() == 4) {
    std::array<std::uint8_t, 4> b{};
    std::memcpy(b.data(), bytes.data(), 4);
    return ip_address::v4(b);
  }
  if (bytes.size() == 16) {
    std::array<std::uint8_t, 16> b{};
    std::memcpy(b.data(), bytes.data(), 16);
    return ip_address::v6(b);
  }
  return std::nullopt;
}

/// Walks the subjectAltName entries once: sip URIs, dNSNames and addresses.
void collect_alt_names(const GENERAL_NAMES* names, certificate_identities& ids) {
  std::vector<std::string> dns_names;
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    switch (name->type) {
      case GEN_URI:
        if (auto domain = sip_domain_of_uri(view_of(name->d.uniformResourceIdentifier)))
          ids.sip_domains.push_back(std::move(*domain));
        break;
      case GEN_DNS:
        if (const auto dns = view_of(name->d.dNSName); is_printable_ascii(dns))
          dns_names.emplace_back(dns);
        break;
      case GEN_IPADD:
        if (const auto address = address_of(name->d.iPAddress))
          ids.ip_addresses.push_back(*address);
        break;
      default: break;
    }
  }
  // RFC 5922 §7.1, DNS: dNSNames count "if and only if no other identity
  // is found that matches the 'sip' URI type".
  if (ids.sip_domains.empty()) ids.sip_domains = std::move(dns_names);
}

/// RFC 5922 §7.1 step 2: the subject CNs that are valid DNS names.
void collect_common_names(const X509* cert, certificate_identities& ids) {
  const X509_NAME* subject = X509_get_subject_name(cert);
  if (subject == nullptr) return;
  for (int i = X509_NAME_get_index_by_NID(subject, NID_commonName, -1); i >= 0;
       i = X509_NAME_get_index_by_NID(subject, NID_commonName, i)) {
    const ASN1_STRING* value = X509_NAME_ENTRY_get_data(X509_NAME_get_entry(subject, i));
    unsigned char* utf8 = nullptr;  // whatever the string type, compare as UTF-8
    const int length = ASN1_STRING_to_UTF8(&utf8, value);
    if (length < 0) continue;
    const std::unique_ptr<unsigned char, ossl_free> owner{utf8};
    const std::string_view cn{reinterpret_cast<const char*>(utf8),
                              static_cast<std::size_t>(length)};
    if (is_dns_name(cn)) ids.sip_domains.emplace_back(cn);
  }
  ids.from_common_name = !ids.sip_domains.empty();
}

/// Drops one trailing dot (an absolute name equals its relative spelling).
std::string_view without_root(std::string_view s) noexcept {
  if (!s.empty() && s.back() == '.') s.remove_suffix(1);
  return s;
}

/// RFC 4343 §3: ASCII letters compare case-insensitively, nothing else.
bool equal_ignoring_ascii_case(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [](char x, char y) { return lower(x) == lower(y); });
}

}  // namespace

certificate_identities identities_of(const X509* cert, bool allow_common_name) {
  certificate_identities ids;
  if (cert == nullptr) return ids;
  // crit: -1 when the extension is absent, -2 when it occurs more than
  // once; a null result with crit >= 0 is an extension that does not decode.
  int crit = -1;
  const general_names_ptr names{
      static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, &crit, nullptr))};
  if (names) {
    collect_alt_names(names.get(), ids);
  } else if (crit == -1 && allow_common_name) {
    // RFC 5922 §7.1 step 2: the CN "if and only if the subjectAltName does
    // not appear in the certificate".
    collect_common_names(cert, ids);
  }
  return ids;
}

result<certificate_identities, std::error_code> certificate_identities_from_der(
    std::span<const std::uint8_t> der, bool allow_common_name) {
  if (der.empty() || der.size() > static_cast<std::size_t>(LONG_MAX))
    return unexpected{make_error_code(transport_errc::bad_certificate)};
  const unsigned char* p = der.data();
  const x509_ptr cert{d2i_X509(nullptr, &p, static_cast<long>(der.size()))};
  if (!cert || p != der.data() + der.size())
    return unexpected{make_error_code(transport_errc::bad_certificate)};
  return identities_of(cert.get(), allow_common_name);
}

bool matches_domain(const certificate_identities& ids, std::string_view domain) noexcept {
  // RFC 5922 §7.2: whole DNS names, case-insensitive; no suffix, no wildcard.
  domain = without_root(domain);
  if (domain.empty()) return false;
  return std::any_of(ids.sip_domains.begin(), ids.sip_domains.end(), [&](const std::string& id) {
    return equal_ignoring_ascii_case(without_root(id), domain);
  });
}

bool matches_address(const certificate_identities& ids, const ip_address& address) noexcept {
  return std::find(ids.ip_addresses.begin(), ids.ip_addresses.end(), address) !=
         ids.ip_addresses.end();
}

}  // namespace sipua
