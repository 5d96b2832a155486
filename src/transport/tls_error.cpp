// The "sipua.tls" error category.
#include "sipua/transport/tls_error.hpp"

#include <string>

namespace sipua {
namespace {

class tls_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "sipua.tls"; }
  std::string message(int ev) const override {
    switch (static_cast<tls_errc>(ev)) {
      case tls_errc::ok: return "ok";
      case tls_errc::untrusted: return "certificate not trusted";
      case tls_errc::expired: return "certificate expired";
      case tls_errc::not_yet_valid: return "certificate not yet valid";
      case tls_errc::wrong_host: return "certificate does not name the host";
      case tls_errc::bad_certificate: return "certificate rejected";
      case tls_errc::no_certificate: return "peer sent no certificate";
      case tls_errc::no_shared_cipher: return "no shared cipher";
      case tls_errc::protocol_version: return "no shared TLS version";
      case tls_errc::peer_rejected_certificate: return "peer rejected our certificate";
      case tls_errc::handshake_timeout: return "TLS handshake timed out";
      case tls_errc::handshake_failed: return "TLS handshake failed";
      case tls_errc::name_not_covered:
        return "open connection's certificate does not cover the name";
      case tls_errc::certificate_load_failed: return "certificate chain does not load";
      case tls_errc::private_key_load_failed: return "private key does not load";
      case tls_errc::key_mismatch: return "private key does not match the certificate";
      case tls_errc::ca_load_failed: return "trusted CAs do not load";
      case tls_errc::missing_certificate: return "a TLS server needs a certificate and key";
      case tls_errc::bad_cipher_list: return "cipher list selects no cipher";
    }
    return "unknown TLS error";
  }
};

}  // namespace

const std::error_category& tls_category() noexcept {
  static const tls_category_impl category;
  return category;
}

}  // namespace sipua
