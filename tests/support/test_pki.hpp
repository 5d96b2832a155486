// Test support: an in-memory PKI for the TLS tests (issue #3). Generates a
// test CA and leaf certificates with OpenSSL 3 (EC P-256 keys, SHA-256
// signatures) and hands them out as PEM strings, so a test can load them into
// whatever it is testing (an SSL_CTX, an X509_STORE) without files.
//
// Not part of the library: only the test executables link it (target
// sipua_test_support). Errors throw std::runtime_error carrying OpenSSL's
// error queue, since this code only ever runs inside tests.
//
// Threading: every call is independent (no shared state of its own); OpenSSL 3
// is thread-safe for these operations.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sipua::test {

/// A certificate authority: a self-signed CA certificate and its private key.
struct test_ca {
  std::string common_name;  ///< subject and issuer CN of cert_pem
  std::string cert_pem;     ///< "-----BEGIN CERTIFICATE-----" ...
  std::string key_pem;      ///< unencrypted PKCS#8 "-----BEGIN PRIVATE KEY-----" ...
};

/// What a leaf certificate is for: the extendedKeyUsage it carries.
enum class leaf_usage {
  server,  ///< extendedKeyUsage serverAuth
  client,  ///< extendedKeyUsage clientAuth
  both,    ///< serverAuth and clientAuth (a proxy is both, RFC 5922 §7.5)
};

/// Everything issue() puts in a leaf certificate.
struct leaf_options {
  /// Subject CN; empty leaves the subject name empty.
  std::string common_name;
  /// subjectAltName dNSName entries, e.g. "example.com" (RFC 5922 §7.1).
  std::vector<std::string> dns_names;
  /// subjectAltName uniformResourceIdentifier entries, e.g. "sip:example.com"
  /// (RFC 5922 §7.1).
  std::vector<std::string> uris;
  /// subjectAltName iPAddress entries in text form: "127.0.0.1", "::1".
  std::vector<std::string> ips;
  /// Validity window, in seconds relative to the time of the call: notBefore
  /// = now + not_before_offset, notAfter = now + not_after_offset. An expired
  /// certificate has not_after_offset < 0; a not-yet-valid one
  /// not_before_offset > 0.
  std::int64_t not_before_offset = -3600;
  std::int64_t not_after_offset = 24 * 3600;
  leaf_usage usage = leaf_usage::server;
  /// When true, the leaf is signed not by the CA given to issue() but by a
  /// fresh CA made for this call (CN "<ca CN> untrusted"), so a peer that
  /// trusts only the given CA rejects it. test_leaf::issuer_cert_pem is then
  /// that other CA's certificate.
  bool signed_by_untrusted_ca = false;
};

/// A leaf certificate, its private key and the certificate of its issuer.
struct test_leaf {
  std::string cert_pem;         ///< the leaf certificate
  std::string key_pem;          ///< its unencrypted PKCS#8 private key
  std::string issuer_cert_pem;  ///< the CA certificate that signed cert_pem
};

/// Makes a CA: a fresh P-256 key and a self-signed certificate (subject =
/// issuer = CN common_name; basicConstraints critical CA:TRUE; keyUsage
/// critical keyCertSign, cRLSign; subjectKeyIdentifier), valid from one hour
/// ago to ten years from now, with a random serial.
/// Throws std::runtime_error (with OpenSSL's error string) on any failure.
[[nodiscard]] test_ca make_ca(std::string_view common_name);

/// Issues a leaf certificate signed by `ca` (or, with
/// options.signed_by_untrusted_ca, by a fresh untrusted CA): a fresh P-256
/// key; basicConstraints critical CA:FALSE; keyUsage critical
/// digitalSignature, keyAgreement; extendedKeyUsage per options.usage;
/// subjectKeyIdentifier and authorityKeyIdentifier; a subjectAltName with the
/// options' dNSName, URI and iPAddress entries (omitted if all are empty);
/// SHA-256 signature; random serial.
/// Throws std::runtime_error on any failure, including an unparsable
/// ca.cert_pem / ca.key_pem, a key that does not match the certificate, or
/// an entry of options.ips that is not an IPv4 or IPv6 address.
[[nodiscard]] test_leaf issue(const test_ca& ca, const leaf_options& options);

}  // namespace sipua::test
