#include "sipua/auth/error.hpp"

#include <string>

namespace sipua::auth {
namespace {

const char* describe(auth_errc e) noexcept {
  switch (e) {
    case auth_errc::ok: return "success";
    case auth_errc::no_challenge: return "no authentication challenge in the response";
    case auth_errc::no_supported_challenge: return "no supported Digest challenge";
    case auth_errc::no_credentials: return "no credentials for the challenged realm";
    case auth_errc::credentials_rejected: return "credentials rejected (wrong user or password)";
    case auth_errc::stale_loop: return "stale challenge repeats the nonce just answered";
    case auth_errc::bad_challenge: return "malformed Digest challenge";
    case auth_errc::hash_failed: return "hash algorithm unavailable";
    case auth_errc::no_random: return "no random source configured";
    case auth_errc::malformed_credentials: return "malformed Digest credentials";
    case auth_errc::missing_parameter: return "Digest credentials lack a required parameter";
    case auth_errc::unsupported_algorithm: return "algorithm not offered";
    case auth_errc::unsupported_qop: return "qop not offered";
    case auth_errc::bad_nonce: return "nonce not issued by this server";
    case auth_errc::nonce_expired: return "nonce expired";
    case auth_errc::nonce_replayed: return "nonce count replayed";
    case auth_errc::unknown_user: return "unknown user";
    case auth_errc::bad_response: return "response digest mismatch";
    case auth_errc::uri_mismatch: return "digest uri differs from the Request-URI";
  }
  return "unknown auth error";
}

class category final : public std::error_category {
 public:
  const char* name() const noexcept override { return "sipua.auth"; }
  std::string message(int v) const override { return describe(static_cast<auth_errc>(v)); }
};

}  // namespace

const std::error_category& auth_category() noexcept {
  static const category c;
  return c;
}

}  // namespace sipua::auth
