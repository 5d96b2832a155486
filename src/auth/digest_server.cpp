// RFC 3261 §22.2-§22.4, RFC 7616 §3.3-§3.6 and §5, RFC 8760 §2.3 and §2.6:
// stateless nonces, verification, replay protection.
#include "sipua/auth/digest_server.hpp"

#include <algorithm>
#include <cstdio>

#include "sipua/auth/digest.hpp"

namespace sipua::auth {
namespace {

constexpr std::size_t time_hex = 16;
constexpr std::size_t serial_hex = 16;
constexpr std::size_t mac_bytes = 16;  // HMAC-SHA-256 truncated to 128 bits
constexpr std::size_t nonce_size = time_hex + serial_hex + 2 * mac_bytes;

std::string hex64(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

bool lower_hex(std::string_view s) noexcept {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::uint64_t parse_hex64(std::string_view s) noexcept {
  std::uint64_t v = 0;
  for (char c : s) v = (v << 4) | static_cast<std::uint64_t>(c <= '9' ? c - '0' : c - 'a' + 10);
  return v;
}

std::uint64_t to_ms(std::chrono::steady_clock::time_point t) noexcept {
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch());
  return ms.count() < 0 ? 0 : static_cast<std::uint64_t>(ms.count());
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

int hex_value(char c) noexcept {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// RFC 5987 ext-value (charset "'" [language] "'" value-chars) → the
// percent-decoded octets. parse_credentials has checked the grammar; only
// UTF-8 is meaningful (RFC 7616 §4).
std::optional<std::string> decode_ext_value(std::string_view v) {
  const auto first = v.find('\'');
  const auto second = first == std::string_view::npos ? first : v.find('\'', first + 1);
  if (second == std::string_view::npos) return std::nullopt;
  std::string out;
  for (std::size_t i = second + 1; i < v.size(); ++i) {
    if (v[i] != '%') {
      out.push_back(v[i]);
      continue;
    }
    if (i + 2 >= v.size()) return std::nullopt;
    const int hi = hex_value(v[i + 1]);
    const int lo = hex_value(v[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

// The qop the credentials used, "" for RFC 2069, or nullopt if refused.
std::optional<std::string> accepted_qop(const credentials& c, const digest_server_options& o,
                                        digest_algorithm a) {
  if (!c.qop) {
    // RFC 3261 §22.4 item 8: -sess needs the cnonce, hence qop.
    if (!o.accept_rfc2069 || is_session_variant(a)) return std::nullopt;
    return std::string{};
  }
  const qop_value q = to_qop_value(*c.qop);
  if (q == qop_value::auth) return std::string{"auth"};
  if (q == qop_value::auth_int && o.offer_auth_int) return std::string{"auth-int"};
  return std::nullopt;
}

}  // namespace

digest_server::digest_server(digest_server_options options, std::string secret,
                             credential_lookup lookup)
    : options_(std::move(options)),
      secret_(std::move(secret)),
      lookup_(std::move(lookup)),
      seen_(options_.replay_capacity) {}

std::string digest_server::make_nonce(std::uint64_t ms) {
  // The serial orders nonces for the replay cache's eviction floor. It
  // starts at a random point (below 2^62, so it never wraps) so that two
  // server instances sharing a secret rarely issue the same one.
  if (!serial_started_) {
    serial_ = options_.random ? options_.random() >> 2 : 0;
    serial_started_ = true;
  }
  std::string nonce = hex64(ms) + hex64(++serial_);
  bool ok = false;
  const auto mac = hmac_sha256(
      secret_, {"sipua-digest-nonce:", std::string_view(nonce), ":", options_.realm}, ok);
  nonce += to_hex(mac.data(), mac_bytes);
  return nonce;
}

digest_server::nonce_info digest_server::check_nonce(std::string_view nonce) const {
  nonce_info info;
  if (nonce.size() != nonce_size || !lower_hex(nonce)) return info;
  const std::string_view signed_part = nonce.substr(0, time_hex + serial_hex);
  bool ok = false;
  const auto mac =
      hmac_sha256(secret_, {"sipua-digest-nonce:", signed_part, ":", options_.realm}, ok);
  if (!ok) return info;
  info.valid = equal_constant_time(to_hex(mac.data(), mac_bytes), nonce.substr(signed_part.size()));
  info.issued = parse_hex64(nonce.substr(0, time_hex));
  info.serial = parse_hex64(nonce.substr(time_hex, serial_hex));
  return info;
}

std::vector<std::string> digest_server::challenges(std::chrono::steady_clock::time_point now,
                                                   bool stale) {
  const std::string nonce = make_nonce(to_ms(now));
  std::vector<std::string> out;
  for (auto it = options_.algorithms.begin(); it != options_.algorithms.end(); ++it) {
    const digest_algorithm a = *it;
    // RFC 8760 §2.3: each challenge of a realm uses a different algorithm.
    if (algorithm_name(a).empty() || std::find(options_.algorithms.begin(), it, a) != it) continue;
    // RFC 7616 §3.3: realm, nonce, qop quoted; algorithm and stale bare.
    std::string v = "Digest realm=" + quote(options_.realm) + ", nonce=\"" + nonce +
                    "\", algorithm=" + std::string(algorithm_name(a)) +
                    (options_.offer_auth_int ? ", qop=\"auth,auth-int\"" : ", qop=\"auth\"");
    if (stale) v += ", stale=true";
    if (options_.userhash && options_.resolve_userhash) v += ", userhash=true";
    out.push_back(std::move(v));
  }
  return out;
}

verdict digest_server::finish(verdict_kind kind, auth_errc why,
                              std::chrono::steady_clock::time_point now) {
  verdict v;
  v.kind = kind;
  if (why != auth_errc::ok) v.reason = make_error_code(why);
  v.challenges = challenges(now, kind == verdict_kind::stale);
  return v;
}

verdict digest_server::verify(const server_request& request,
                              std::span<const std::string_view> values,
                              std::chrono::steady_clock::time_point now) {
  auth_parse_options opts;
  opts.relaxed_digest_values = true;  // liberal in what we accept
  bool malformed = false;
  for (std::string_view value : values) {
    auto parsed = parse_credentials(value, opts);
    if (!parsed) {
      // Unreadable: ours or not, we cannot tell; it matters only if
      // nothing else is ours.
      malformed = malformed || (value.size() >= 6 && to_lower(value.substr(0, 6)) == "digest");
      continue;
    }
    if (!parsed->is_digest || !parsed->realm) continue;
    if (unescape_quoted(*parsed->realm) != options_.realm) continue;  // RFC 3261 §22.3
    return check(*parsed, request, now);
  }
  return malformed ? finish(verdict_kind::bad_request, auth_errc::malformed_credentials, now)
                   : finish(verdict_kind::challenge, auth_errc::ok, now);
}

verdict digest_server::verify(const message& request, bool proxy,
                              std::chrono::steady_clock::time_point now) {
  const header_id id = proxy ? header_id::proxy_authorization : header_id::authorization;
  std::vector<std::string_view> values;
  for (const header_field& h : request.headers())
    if (h.id == id) values.push_back(h.value);
  server_request r;
  r.method = request.method_name();
  r.request_uri = request.request_uri();
  r.body = request.body();
  return verify(r, values, now);
}

std::optional<std::string> digest_server::resolve_user(const credentials& c,
                                                       hash_algorithm h) const {
  if (c.userhash.value_or(false)) {
    // RFC 7616 §3.4.4: username = H(unq(username) ":" unq(realm)).
    if (!options_.resolve_userhash || !c.username) return std::nullopt;
    return options_.resolve_userhash(to_lower(*c.username), options_.realm, h);
  }
  if (c.username_star) return decode_ext_value(*c.username_star);
  if (c.username) return unescape_quoted(*c.username);
  return std::nullopt;
}

verdict digest_server::check(const credentials& c, const server_request& request,
                             std::chrono::steady_clock::time_point now) {
  using k = verdict_kind;
  const digest_algorithm a = c.algorithm.value_or(digest_algorithm::md5);
  hash_algorithm h{};
  if (!hash_of(a, h) || std::find(options_.algorithms.begin(), options_.algorithms.end(), a) ==
                            options_.algorithms.end())
    return finish(k::challenge, auth_errc::unsupported_algorithm, now);
  if (!c.nonce || !c.uri || !c.response || (!c.username && !c.username_star) ||
      (c.qop && (!c.cnonce || !c.nc)))
    return finish(k::bad_request, auth_errc::missing_parameter, now);
  const auto qop = accepted_qop(c, options_, a);
  if (!qop) return finish(k::bad_request, auth_errc::unsupported_qop, now);
  const std::string uri = unescape_quoted(*c.uri);
  if (options_.require_uri_match && uri != request.request_uri)
    return finish(k::bad_request, auth_errc::uri_mismatch, now);
  const auto user = resolve_user(c, h);
  const auto secret = user ? lookup_(*user, options_.realm, h) : std::nullopt;
  if (!secret || (!secret->ha1 && !secret->password))
    return finish(k::forbidden, auth_errc::unknown_user, now);
  const std::string ha1 = secret->ha1 ? to_lower(*secret->ha1)
                                      : compute_ha1(a, *user, options_.realm, *secret->password);
  const std::string nonce = unescape_quoted(*c.nonce);
  const std::string cnonce = unescape_quoted(c.cnonce.value_or(""));
  digest_input in;
  in.algorithm = a;
  in.ha1 = ha1;
  in.nonce = nonce;
  in.cnonce = cnonce;
  in.nc = c.nc_text;
  in.qop = *qop;
  in.method = request.method;
  in.uri = uri;
  in.body = request.body;
  const std::string expected = compute_response(in);
  if (expected.empty() || !equal_constant_time(expected, to_lower(*c.response)))
    return finish(k::forbidden, auth_errc::bad_response, now);
  // The password is right; whatever is wrong with the nonce is "stale"
  // (RFC 2617 §3.2.1: an invalid nonce "with a valid digest for that nonce").
  const nonce_info n = check_nonce(nonce);
  const std::uint64_t t = to_ms(now);
  const auto lifetime =
      std::chrono::duration_cast<std::chrono::milliseconds>(options_.nonce_lifetime).count();
  if (!n.valid || n.issued > t) return finish(k::stale, auth_errc::bad_nonce, now);
  if (t - n.issued > static_cast<std::uint64_t>(lifetime))
    return finish(k::stale, auth_errc::nonce_expired, now);
  // Without qop there is no nc: the nonce itself is good once.
  if (!seen_.accept(nonce, n.serial, c.nc.value_or(1)))
    return finish(k::stale, auth_errc::nonce_replayed, now);
  verdict v;
  v.kind = k::ok;
  v.user = *user;
  v.uri = uri;
  return v;
}

}  // namespace sipua::auth
