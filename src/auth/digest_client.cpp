// RFC 3261 §22.2-§22.4, RFC 7616 §3.3-§3.6, RFC 8760 §2.4: answering
// challenges and re-using the authentication session.
#include "sipua/auth/digest_client.hpp"

#include <algorithm>
#include <cstdio>
#include <optional>

#include "sipua/auth/digest.hpp"
#include "sipua/auth/hash.hpp"

namespace sipua::auth {
namespace {

using session = digest_client::session;

// RFC 7616 §3.7 lists SHA-256, SHA-512/256, MD5 by preference of the
// server; the client's local policy (RFC 8760 §2.4) ranks by strength.
int strength(digest_algorithm a) noexcept {
  hash_algorithm h{};
  if (!hash_of(a, h)) return 0;
  switch (h) {
    case hash_algorithm::md5: return 1;
    case hash_algorithm::sha_256: return 2;
    case hash_algorithm::sha_512_256: return 3;
  }
  return 0;
}

// Why a realm's challenge could not be answered; the worst decides the
// error when no realm can.
enum class skip : std::uint8_t { none, unsupported, bad, no_credentials };

struct candidate {
  bool proxy = false;
  challenge c;
  std::string realm;  // unq(realm)
  std::string qop;    // chosen: auth, auth-int, or empty (RFC 2069)
};

bool has_control(std::string_view s) noexcept {
  return std::any_of(s.begin(), s.end(),
                     [](char ch) { return ch == '\r' || ch == '\n' || ch == '\0'; });
}

// The qop to answer with, or nullopt when none offered is known (RFC 7616
// §3.3: "Unrecognized options MUST be ignored").
std::optional<std::string> choose_qop(const challenge& c, bool prefer_auth_int) {
  if (!c.qop) return std::string{};  // RFC 2617 §3.2.2.1: the RFC 2069 form
  if (c.qop_auth_int && (prefer_auth_int || !c.qop_auth)) return std::string{"auth-int"};
  if (c.qop_auth) return std::string{"auth"};
  return std::nullopt;
}

// Parses one field and says whether it is a challenge we can answer.
skip classify(const challenge_field& f, bool prefer_auth_int, candidate& out) {
  auth_parse_options opts;
  opts.relaxed_digest_values = true;  // be liberal in what we accept from servers
  auto parsed = parse_challenge(f.value, opts);
  if (!parsed || !parsed->is_digest) return skip::unsupported;
  const challenge& c = *parsed;
  const digest_algorithm a = c.algorithm.value_or(digest_algorithm::md5);
  if (strength(a) == 0) return skip::unsupported;  // RFC 7616 §3.3: ignore it
  if (!c.realm || !c.nonce) return skip::bad;
  auto qop = choose_qop(c, prefer_auth_int);
  if (!qop) return skip::unsupported;
  // RFC 3261 §22.4 item 8: -sess depends on the cnonce, which needs qop.
  if (qop->empty() && is_session_variant(a)) return skip::bad;
  out.proxy = f.proxy;
  out.c = c;
  out.realm = unescape_quoted(*c.realm);
  out.qop = std::move(*qop);
  return skip::none;
}

// The credentials for `realm` among those the request carried, if any.
std::optional<credentials> sent_for(std::span<const std::string_view> sent,
                                    std::string_view realm) {
  auth_parse_options opts;
  opts.relaxed_digest_values = true;
  for (std::string_view v : sent) {
    auto parsed = parse_credentials(v, opts);
    if (parsed && parsed->is_digest && parsed->realm && unescape_quoted(*parsed->realm) == realm)
      return *parsed;
  }
  return std::nullopt;
}

std::string make_cnonce(const std::function<std::uint64_t()>& random) {
  std::array<std::uint8_t, 16> bytes{};
  for (int half = 0; half < 2; ++half) {
    std::uint64_t r = random();
    for (int i = 0; i < 8; ++i) bytes[half * 8 + i] = static_cast<std::uint8_t>(r >> (8 * i));
  }
  return to_hex(bytes.data(), bytes.size());
}

std::string nc_text(std::uint32_t nc) {
  char buf[9];
  std::snprintf(buf, sizeof buf, "%08x", nc);
  return buf;
}

// One header value from a session, nc already incremented.
result<authorization, std::error_code> build(const session& s, const request_info& r) {
  const std::string nonce = unescape_quoted(s.nonce);
  const std::string nc = nc_text(s.nc);
  digest_input in;
  in.algorithm = s.algorithm;
  in.ha1 = s.ha1;
  in.nonce = nonce;
  in.cnonce = s.cnonce;
  in.nc = nc;
  in.qop = s.qop;
  in.method = r.method;
  in.uri = r.request_uri;
  in.body = r.body;
  const std::string response = compute_response(in);
  // RFC 7616 §3.4.4: the username is hashed "after any other hash calculation".
  const std::string user = s.userhash ? compute_userhash(s.algorithm, s.user, s.realm) : s.user;
  if (response.empty() || (s.userhash && user.empty()))
    return unexpected{make_error_code(auth_errc::hash_failed)};
  authorization out;
  out.proxy = s.proxy;
  std::string& v = out.value;
  // RFC 7616 §3.4: quoted username, realm, nonce, uri, response, cnonce,
  // opaque; bare algorithm, qop, nc.
  v = "Digest username=" + quote(user) + ", realm=\"" + s.realm_q + "\", nonce=\"" + s.nonce +
      "\", uri=" + quote(r.request_uri) + ", response=\"" + response + "\"";
  if (!s.algorithm_name.empty()) v += ", algorithm=" + s.algorithm_name;
  if (!s.qop.empty()) v += ", cnonce=\"" + s.cnonce + "\"";
  if (s.has_opaque) v += ", opaque=\"" + s.opaque + "\"";
  if (!s.qop.empty()) v += ", qop=" + s.qop + ", nc=" + nc;
  if (s.userhash) v += ", userhash=true";
  return out;
}

// The strongest supported challenge per (header kind, realm), in order of
// first appearance; `worst` collects why others were skipped.
std::vector<candidate> best_per_realm(std::span<const challenge_field> fields, bool prefer_auth_int,
                                      skip& worst) {
  std::vector<candidate> best;
  for (const challenge_field& f : fields) {
    candidate c;
    const skip why = classify(f, prefer_auth_int, c);
    if (why != skip::none) {
      worst = std::max(worst, why);
      continue;
    }
    auto same = std::find_if(best.begin(), best.end(), [&](const candidate& b) {
      return b.proxy == c.proxy && b.realm == c.realm;
    });
    const digest_algorithm a = c.c.algorithm.value_or(digest_algorithm::md5);
    if (same == best.end()) {
      best.push_back(std::move(c));
    } else if (strength(a) > strength(same->c.algorithm.value_or(digest_algorithm::md5))) {
      *same = std::move(c);  // stronger; among equals the topmost stays (RFC 8760 §2.4)
    }
  }
  return best;
}

// A new session for a challenge, or why not.
std::optional<session> start_session(const candidate& k, const credential* cred,
                                     const digest_client_options& o, skip& worst) {
  const digest_algorithm a = k.c.algorithm.value_or(digest_algorithm::md5);
  hash_algorithm h{};
  hash_of(a, h);
  if (cred == nullptr || !cred->supports(h) || has_control(cred->user)) {
    worst = std::max(worst, skip::no_credentials);
    return std::nullopt;
  }
  session s;
  s.proxy = k.proxy;
  s.realm = k.realm;
  s.realm_q = std::string(*k.c.realm);
  s.algorithm = a;
  s.algorithm_name = std::string(k.c.algorithm_name);
  s.nonce = std::string(*k.c.nonce);
  s.has_opaque = k.c.opaque.has_value();
  s.opaque = std::string(k.c.opaque.value_or(""));
  s.qop = k.qop;
  s.userhash = o.userhash && k.c.userhash.value_or(false);
  s.user = cred->user;
  const auto& pre = cred->ha1[static_cast<std::size_t>(h)];
  s.ha1 = pre ? *pre : compute_ha1(a, cred->user, k.realm, *cred->password);
  if (!s.qop.empty()) s.cnonce = make_cnonce(o.random);
  return s;
}

}  // namespace

digest_client::digest_client(const credential_store& store, digest_client_options options)
    : store_(&store), options_(std::move(options)) {}

result<std::vector<authorization>, std::error_code> digest_client::respond(
    std::span<const challenge_field> challenges, const request_info& request) {
  if (!options_.random) return unexpected{make_error_code(auth_errc::no_random)};
  if (challenges.empty()) return unexpected{make_error_code(auth_errc::no_challenge)};
  skip worst = skip::none;
  std::vector<candidate> best = best_per_realm(challenges, options_.prefer_auth_int, worst);
  std::optional<auth_errc> give_up;
  bool answered = false;
  for (const candidate& k : best) {
    auto& sent_list = k.proxy ? request.sent_proxy_authorizations : request.sent_authorizations;
    if (auto sent = sent_for(sent_list, k.realm)) {
      const bool stale = k.c.stale.value_or(false);
      std::optional<auth_errc> why;
      if (stale && sent->nonce && *sent->nonce == *k.c.nonce) {
        why = auth_errc::stale_loop;  // the server keeps calling this nonce stale
      } else if (!stale && sent->nc.value_or(1) <= 1) {
        // A first answer to a challenge was refused without stale=true:
        // the credentials are wrong (RFC 7616 §3.3, RFC 3261 §22.1).
        why = auth_errc::credentials_rejected;
      }
      if (why) {
        give_up = why;
        std::erase_if(sessions_,
                      [&](const session& s) { return s.proxy == k.proxy && s.realm == k.realm; });
        continue;
      }
    }
    auto s = start_session(k, store_->find(k.realm), options_, worst);
    if (!s) continue;
    if (s->ha1.empty()) return unexpected{make_error_code(auth_errc::hash_failed)};
    std::erase_if(sessions_,
                  [&](const session& o) { return o.proxy == s->proxy && o.realm == s->realm; });
    sessions_.push_back(std::move(*s));
    if (sessions_.size() > std::max<std::size_t>(options_.max_sessions, 1))
      sessions_.erase(sessions_.begin());  // the oldest
    answered = true;
  }
  if (give_up) return unexpected{make_error_code(*give_up)};
  if (!answered) {
    const auth_errc e = worst == skip::no_credentials ? auth_errc::no_credentials
                        : worst == skip::bad          ? auth_errc::bad_challenge
                                                      : auth_errc::no_supported_challenge;
    return unexpected{make_error_code(e)};
  }
  return authorize(request);
}

result<std::vector<authorization>, std::error_code> digest_client::respond(const message& response,
                                                                           const message& request) {
  const int status = response.status_code();
  if (!response.is_response() || (status != 401 && status != 407))
    return unexpected{make_error_code(auth_errc::no_challenge)};
  std::vector<challenge_field> fields;
  for (const header_field& h : response.headers()) {
    if (h.id == header_id::www_authenticate || h.id == header_id::proxy_authenticate)
      fields.push_back(challenge_field{h.id == header_id::proxy_authenticate, h.value});
  }
  std::vector<std::string_view> sent;
  std::vector<std::string_view> sent_proxy;
  for (const header_field& h : request.headers()) {
    if (h.id == header_id::authorization) sent.push_back(h.value);
    if (h.id == header_id::proxy_authorization) sent_proxy.push_back(h.value);
  }
  request_info r;
  r.method = request.method_name();
  r.request_uri = request.request_uri();
  r.body = request.body();
  r.sent_authorizations = sent;
  r.sent_proxy_authorizations = sent_proxy;
  return respond(fields, r);
}

result<std::vector<authorization>, std::error_code> digest_client::authorize(
    const request_info& request) {
  std::vector<authorization> out;
  out.reserve(sessions_.size());
  for (session& s : sessions_) {
    // RFC 7616 §3.4: nc counts the requests sent with this nonce. Without
    // qop (RFC 2069) there is no count.
    if (!s.qop.empty()) ++s.nc;
    auto a = build(s, request);
    if (!a) return unexpected{a.error()};
    out.push_back(std::move(*a));
  }
  return out;
}

}  // namespace sipua::auth
