#include "sipua/auth/digest.hpp"

namespace sipua::auth {

std::string compute_ha1(digest_algorithm a, std::string_view user, std::string_view realm,
                        std::string_view password) {
  hash_algorithm h{};
  if (!hash_of(a, h)) return {};
  return hex_hash(h, {user, ":", realm, ":", password});
}

std::string compute_userhash(digest_algorithm a, std::string_view user, std::string_view realm) {
  hash_algorithm h{};
  if (!hash_of(a, h)) return {};
  return hex_hash(h, {user, ":", realm});
}

std::string compute_response(const digest_input& in) {
  hash_algorithm h{};
  if (!hash_of(in.algorithm, h) || in.ha1.empty()) return {};
  // RFC 7616 §3.4.2: the -sess A1 is H(user:realm:passwd) ":" nonce ":" cnonce.
  std::string session_ha1;
  std::string_view ha1 = in.ha1;
  if (is_session_variant(in.algorithm)) {
    session_ha1 = hex_hash(h, {in.ha1, ":", in.nonce, ":", in.cnonce});
    if (session_ha1.empty()) return {};
    ha1 = session_ha1;
  }
  // RFC 7616 §3.4.3; RFC 8760 §2.6 item 7: H("") for an empty body.
  std::string ha2;
  if (in.qop == "auth-int") {
    const std::string body_hash = hex_hash(h, {in.body});
    if (body_hash.empty()) return {};
    ha2 = hex_hash(h, {in.method, ":", in.uri, ":", body_hash});
  } else {
    ha2 = hex_hash(h, {in.method, ":", in.uri});
  }
  if (ha2.empty()) return {};
  if (in.qop.empty()) return hex_hash(h, {ha1, ":", in.nonce, ":", ha2});  // RFC 2069
  return hex_hash(h, {ha1, ":", in.nonce, ":", in.nc, ":", in.cnonce, ":", in.qop, ":", ha2});
}

std::string quote(std::string_view text) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back('"');
  for (char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

}  // namespace sipua::auth
