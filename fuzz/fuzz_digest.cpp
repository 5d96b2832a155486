// Fuzz target for digest authentication (include/sipua/auth/): arbitrary
// WWW-Authenticate / Proxy-Authenticate values into digest_client::respond
// and arbitrary Authorization values into digest_server::verify.
//
// Input: one flags byte, then up to three parts separated by NUL bytes:
//   challenges  (one value per '\n'-separated line) for the client,
//   credentials (one value per line) for the server, and as the
//               credentials the client's request carried (stale/reject logic),
//   body        the request body (auth-int).
// Flags: bit 0 the challenges come in a 407 (Proxy-Authenticate); bit 1
// the client prefers auth-int; bit 2 the server offers userhash; bit 3 the
// server refuses RFC 2069 credentials; bit 4 the server offers auth only;
// bits 5-7 how far the server's clock moves before verifying (in halves of
// the nonce lifetime).
//
// Beyond "no crash, no sanitizer report" it checks: every header value the
// client writes parses as credentials, every challenge the server writes
// parses as a challenge, a verdict other than ok carries challenges, an ok
// names the one user the lookup knows, the client answering the server's
// own challenges is accepted, and the replay cache of a server that lives
// across inputs never grows past its capacity (bounded memory).
//
// Seeds: fuzz/corpus/digest/ (challenges of RFC 7616 §3.9, RFC 3261 §22.2,
// several algorithms, stale, userhash, no qop; credentials of RFC 2617
// §3.5 and RFC 7616 §3.9, username*, malformed ones).
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sipua/auth/digest_client.hpp"
#include "sipua/auth/digest_server.hpp"
#include "sipua/message/auth.hpp"

namespace sipua::fuzz {
namespace {

using namespace sipua::auth;
using clock_type = std::chrono::steady_clock;

void require(bool ok) {
  if (!ok) __builtin_trap();
}

std::vector<std::string_view> split(std::string_view s, char sep, std::size_t max) {
  std::vector<std::string_view> out;
  while (out.size() + 1 < max) {
    const auto at = s.find(sep);
    if (at == std::string_view::npos) break;
    out.push_back(s.substr(0, at));
    s.remove_prefix(at + 1);
  }
  out.push_back(s);
  return out;
}

std::function<std::uint64_t()> counter() {
  return [x = std::uint64_t{7}]() mutable { return x = x * 6364136223846793005ULL + 1; };
}

std::optional<user_secret> lookup(std::string_view user, std::string_view, hash_algorithm) {
  if (user != "alice") return std::nullopt;
  user_secret s;
  s.password = "Circle of Life";
  return s;
}

digest_server_options server_options(std::uint8_t flags) {
  digest_server_options o;
  o.realm = "http-auth@example.org";
  o.algorithms = {digest_algorithm::sha_512_256, digest_algorithm::sha_256_sess,
                  digest_algorithm::sha_256, digest_algorithm::md5_sess, digest_algorithm::md5};
  o.userhash = (flags & 4) != 0;
  o.resolve_userhash = [](std::string_view h, std::string_view, hash_algorithm) {
    return h.size() >= 32 ? std::optional<std::string>("alice") : std::nullopt;
  };
  o.accept_rfc2069 = (flags & 8) == 0;
  o.offer_auth_int = (flags & 16) == 0;
  o.replay_capacity = 16;
  o.random = counter();
  return o;
}

void check_verdict(const verdict& v) {
  if (v.kind == verdict_kind::ok) {
    require(v.user == "alice");
    return;
  }
  require(!v.challenges.empty());
  for (const std::string& c : v.challenges) require(parse_challenge(c).has_value());
}

void check_written(const std::vector<authorization>& out) {
  for (const authorization& a : out) require(parse_credentials(a.value).has_value());
}

// The client answers the server's own challenges: always accepted.
void round_trip(digest_server& server, digest_client& client, request_info req,
                clock_type::time_point now) {
  req.sent_authorizations = {};  // a first answer: nothing was sent before
  req.sent_proxy_authorizations = {};
  const auto challenges = server.challenges(now);
  std::vector<challenge_field> fields;
  for (const auto& c : challenges) fields.push_back(challenge_field{false, c});
  client.reset();
  const auto a = client.respond(fields, req);
  require(a.has_value() && a->size() == 1);
  check_written(*a);
  const std::vector<std::string_view> values{(*a)[0].value};
  server_request sr;
  sr.method = req.method;
  sr.request_uri = req.request_uri;
  sr.body = req.body;
  require(server.verify(sr, values, now).kind == verdict_kind::ok);
}

}  // namespace
}  // namespace sipua::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sipua::fuzz;
  if (size == 0 || size > 16384) return 0;
  const std::uint8_t flags = data[0];
  const std::string_view input(reinterpret_cast<const char*>(data + 1), size - 1);
  const auto parts = split(input, '\0', 3);
  const auto challenge_lines = split(parts[0], '\n', 64);
  const auto credential_lines =
      parts.size() > 1 ? split(parts[1], '\n', 64) : std::vector<std::string_view>{};
  const std::string_view body = parts.size() > 2 ? parts[2] : std::string_view{};

  credential_store store;
  store.set("http-auth@example.org", credential::with_password("alice", "Circle of Life"));
  store.set_default(credential::with_password("Mufasa", "Circle Of Life"));
  digest_client_options co;
  co.random = counter();
  co.prefer_auth_int = (flags & 2) != 0;
  digest_client client(store, co);

  request_info req;
  req.method = "INVITE";
  req.request_uri = "sip:bob@example.org";
  req.body = body;
  const bool proxy = (flags & 1) != 0;
  (proxy ? req.sent_proxy_authorizations : req.sent_authorizations) = credential_lines;

  // Client: arbitrary challenges.
  std::vector<challenge_field> fields;
  for (std::string_view line : challenge_lines) fields.push_back(challenge_field{proxy, line});
  if (auto a = client.respond(fields, req)) check_written(*a);
  if (auto again = client.authorize(req)) check_written(*again);

  // Server: arbitrary credentials, on a server fresh per input and on one
  // that lives across inputs (its replay cache must stay bounded).
  static digest_server shared(server_options(0), "fuzz secret, sixteen bytes+", lookup);
  digest_server server(server_options(flags), "fuzz secret, sixteen bytes+", lookup);
  const auto start = clock_type::time_point{} + std::chrono::hours(1);
  const auto now = start + (flags >> 5) * (server.options().nonce_lifetime / 2);
  server_request sr;
  sr.method = req.method;
  sr.request_uri = req.request_uri;
  sr.body = body;
  check_verdict(server.verify(sr, credential_lines, now));
  check_verdict(shared.verify(sr, credential_lines, now));
  round_trip(shared, client, req, now);
  require(shared.remembered_nonces() <= shared.options().replay_capacity);
  round_trip(server, client, req, now);
  return 0;
}
