// The SIP identities of a TLS peer's certificate (RFC 5922 §7.1) and how a
// target domain is compared with them (RFC 5922 §7.2). The TLS transport
// extracts them from the verified peer certificate; this header names no
// OpenSSL type so that applications (server policies of RFC 5922 §7.4) can
// use the same rules on a certificate they hold as DER.
//
// Nothing here checks the certificate's validity, chain or extendedKeyUsage
// (RFC 5922 §7.1 first paragraphs, RFC 5280): that is the TLS verification's
// job, done before these identities mean anything.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "sipua/result.hpp"
#include "sipua/transport/address.hpp"

namespace sipua {

/// The SIP identities in a certificate (RFC 5922 §7.1).
struct certificate_identities {
  /// SIP domain identities, in certificate order, as written (case kept).
  /// RFC 5922 §7.1 step 1:
  /// - the host parts of the subjectAltName uniformResourceIdentifier
  ///   entries whose scheme is "sip" (compared case-insensitively) and that
  ///   have no userinfo (no '@'). Port, parameters and headers are dropped:
  ///   "sip:example.com:5061;transport=tls" gives "example.com". "sips:",
  ///   "tel:" and other schemes are ignored, and so is a URI that does not
  ///   parse as a SIP-URI (RFC 3261 §25.1). A host that is an IP address
  ///   is kept too (§7.1 accepts "the hostpart"), in its canonical text
  ///   form without brackets: "sip:[2001:DB8:0::1]" gives "2001:db8::1",
  ///   which only matters to matches_domain (an address target is checked
  ///   with matches_address, against iPAddress entries only).
  /// - only if no such URI is found: the subjectAltName dNSName entries,
  ///   exactly as written ("*.example.com" stays literal). An entry that is
  ///   empty or has a byte outside %x21-7E (a NUL, a space, non-ASCII; an
  ///   IDN must be in its A-label form, RFC 5280 §7.2) is ignored.
  /// RFC 5922 §7.1 step 2: only when the certificate has no subjectAltName
  /// extension at all (one holding only iPAddress entries still counts as
  /// present, and so does one that does not decode) and allow_common_name
  /// was true: every subject commonName that is a valid DNS name (labels of
  /// 1-63 letters, digits and inner hyphens, at most 253 characters
  /// without the one trailing dot allowed, the last label not all digits).
  /// A certificate with two subjectAltName extensions (RFC 5280 §4.2
  /// forbids it) yields no identities at all, of either kind.
  std::vector<std::string> sip_domains;
  /// The subjectAltName iPAddress entries of 4 or 16 bytes (not RFC 5922:
  /// used when the target was a numeric address). Other sizes are ignored.
  std::vector<ip_address> ip_addresses;
  /// True when sip_domains came from the subject CN (step 2).
  bool from_common_name = false;
};

/// Extracts the identities of a DER-encoded X.509 certificate (see
/// certificate_identities for the rules). The whole of `der` must be one
/// certificate: trailing bytes are an error.
/// Error: transport_errc::bad_certificate when `der` is empty, does not
/// parse as a certificate or has bytes after it.
/// Allocates; does not keep `der`. Thread-safe (no shared state).
result<certificate_identities, std::error_code> certificate_identities_from_der(
    std::span<const std::uint8_t> der, bool allow_common_name = false);

/// RFC 5922 §7.2: true when `domain` matches any of ids.sip_domains.
/// Compares DNS names only, ASCII case-insensitively (RFC 4343), whole
/// values: no suffix match and no wildcard ("*.example.com" matches only
/// the literal "*.example.com", never "foo.example.com"). One trailing dot
/// is ignored on either side ("example.com." matches "example.com"). An
/// empty domain (or ".") never matches. `domain` must be in A-label form
/// for an IDN (RFC 5280 §7.2); no IDNA conversion is done.
bool matches_domain(const certificate_identities& ids, std::string_view domain) noexcept;

/// True when one of ids.ip_addresses equals `address` (same family and
/// bytes: an IPv4-mapped IPv6 address does not match the IPv4 entry).
bool matches_address(const certificate_identities& ids, const ip_address& address) noexcept;

}  // namespace sipua
