// digest_client against digest_server on a manual clock: every algorithm
// and qop, the strongest of several challenges, stale nonces, a wrong
// password that must not loop, nc replay, expired and tampered nonces,
// userhash, RFC 2069 clients, precomputed HA1, proxy and WWW realms.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sipua/auth/digest.hpp"
#include "sipua/auth/digest_client.hpp"
#include "sipua/auth/digest_server.hpp"
#include "sipua/message/message.hpp"

namespace sipua::auth {
namespace {

using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;

constexpr std::string_view realm = "sip.example.com";

std::function<std::uint64_t()> counter_random(std::uint64_t seed) {
  return [x = seed]() mutable {  // splitmix64
    x += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = x;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
}

std::vector<challenge_field> fields(const std::vector<std::string>& values, bool proxy = false) {
  std::vector<challenge_field> out;
  for (const auto& v : values) out.push_back(challenge_field{proxy, v});
  return out;
}

std::vector<std::string_view> views(const std::vector<authorization>& a) {
  std::vector<std::string_view> out;
  for (const auto& x : a) out.push_back(x.value);
  return out;
}

struct harness {
  clock_type::time_point now = clock_type::time_point{} + 10h;
  credential_store store;
  digest_server_options server_options;
  std::optional<digest_server> server;
  std::optional<digest_client> client;
  std::string server_password = "s3cret";

  explicit harness(std::vector<digest_algorithm> algorithms = {digest_algorithm::sha_256},
                   bool offer_auth_int = true, bool prefer_auth_int = false) {
    store.set(std::string(realm), credential::with_password("alice", "s3cret"));
    server_options.realm = realm;
    server_options.algorithms = std::move(algorithms);
    server_options.offer_auth_int = offer_auth_int;
    server_options.random = counter_random(1);
    make_server();
    digest_client_options co;
    co.random = counter_random(2);
    co.prefer_auth_int = prefer_auth_int;
    client.emplace(store, co);
  }
  void make_server() {
    server.emplace(server_options, "0123456789abcdef0123456789abcdef",
                   [this](std::string_view user, std::string_view r,
                          hash_algorithm) -> std::optional<user_secret> {
                     if (user != "alice" || r != realm) return std::nullopt;
                     user_secret s;
                     s.password = server_password;
                     return s;
                   });
  }
  static request_info invite(std::span<const std::string_view> sent = {}) {
    request_info r;
    r.method = "INVITE";
    r.request_uri = "sip:bob@example.com";
    r.body = "v=0\r\n";
    r.sent_authorizations = sent;
    return r;
  }
  static server_request as_server(const request_info& r) {
    server_request s;
    s.method = r.method;
    s.request_uri = r.request_uri;
    s.body = r.body;
    return s;
  }
  verdict check(const std::vector<authorization>& a, const request_info& r = invite()) {
    const auto v = views(a);
    return server->verify(as_server(r), v, now);
  }
  // 401 → Authorization, as the UA core would do it.
  std::vector<authorization> answer_first_challenge() {
    const verdict v = server->verify(as_server(invite()), {}, now);
    EXPECT_EQ(v.kind, verdict_kind::challenge);
    EXPECT_FALSE(v.reason);
    auto a = client->respond(fields(v.challenges), invite());
    EXPECT_TRUE(a.has_value()) << (a ? "" : a.error().message());
    return a ? *a : std::vector<authorization>{};
  }
};

struct combo {
  digest_algorithm algorithm;
  bool auth_int;
};

class every_algorithm : public ::testing::TestWithParam<combo> {};

TEST_P(every_algorithm, client_and_server_agree) {
  const combo c = GetParam();
  harness h({c.algorithm}, c.auth_int, c.auth_int);
  const auto a = h.answer_first_challenge();
  ASSERT_EQ(a.size(), 1U);
  EXPECT_FALSE(a[0].proxy);
  EXPECT_EQ(a[0].name(), "Authorization");
  const std::string_view v = a[0].value;
  EXPECT_NE(v.find(std::string("algorithm=") + std::string(algorithm_name(c.algorithm))),
            std::string_view::npos);
  EXPECT_NE(v.find(c.auth_int ? "qop=auth-int" : "qop=auth,"), std::string_view::npos) << v;
  EXPECT_NE(v.find("nc=00000001"), std::string_view::npos);
  const verdict ok = h.check(a);
  EXPECT_EQ(ok.kind, verdict_kind::ok) << ok.reason.message();
  EXPECT_EQ(ok.user, "alice");
  EXPECT_EQ(ok.uri, "sip:bob@example.com");
  // A changed body breaks auth-int only.
  request_info other = harness::invite();
  other.body = "v=1\r\n";
  auto again = h.client->authorize(other);
  ASSERT_TRUE(again.has_value());
  request_info tampered = other;
  tampered.body = "v=2\r\n";
  EXPECT_EQ(h.check(*again, tampered).kind,
            c.auth_int ? verdict_kind::forbidden : verdict_kind::ok);
}

INSTANTIATE_TEST_SUITE_P(auth, every_algorithm,
                         ::testing::Values(combo{digest_algorithm::md5, false},
                                           combo{digest_algorithm::md5, true},
                                           combo{digest_algorithm::md5_sess, false},
                                           combo{digest_algorithm::md5_sess, true},
                                           combo{digest_algorithm::sha_256, false},
                                           combo{digest_algorithm::sha_256, true},
                                           combo{digest_algorithm::sha_256_sess, false},
                                           combo{digest_algorithm::sha_256_sess, true},
                                           combo{digest_algorithm::sha_512_256, false},
                                           combo{digest_algorithm::sha_512_256, true},
                                           combo{digest_algorithm::sha_512_256_sess, false},
                                           combo{digest_algorithm::sha_512_256_sess, true}));

TEST(digest_server, challenges_in_option_order_one_per_algorithm) {
  harness h({digest_algorithm::sha_512_256, digest_algorithm::sha_256, digest_algorithm::md5});
  const auto c = h.server->challenges(h.now);
  ASSERT_EQ(c.size(), 3U);
  EXPECT_NE(c[0].find("algorithm=SHA-512-256,"), std::string::npos) << c[0];
  EXPECT_NE(c[1].find("algorithm=SHA-256,"), std::string::npos);
  EXPECT_NE(c[2].find("algorithm=MD5,"), std::string::npos);
  for (const auto& v : c) {
    auto p = parse_challenge(v);
    ASSERT_TRUE(p.has_value()) << v;
    EXPECT_EQ(p->realm, realm);
    EXPECT_TRUE(p->qop_auth && p->qop_auth_int);
    EXPECT_FALSE(p->stale.has_value());
  }
  // Successive challenges carry different nonces.
  EXPECT_NE(*parse_challenge(c[0])->nonce, *parse_challenge(h.server->challenges(h.now)[0])->nonce);
  // A repeated or unknown algorithm in the options gives no challenge.
  h.server_options.algorithms = {digest_algorithm::md5, digest_algorithm::other,
                                 digest_algorithm::md5, digest_algorithm::sha_256};
  h.make_server();
  EXPECT_EQ(h.server->challenges(h.now).size(), 2U);
}

TEST(digest_client, picks_the_strongest_challenge) {
  harness h({digest_algorithm::md5, digest_algorithm::sha_256, digest_algorithm::sha_512_256});
  std::vector<std::string> c = h.server->challenges(h.now);
  // Unknown algorithms and other schemes are ignored (RFC 7616 §3.3).
  c.insert(c.begin(), "Digest realm=\"sip.example.com\", nonce=\"x\", algorithm=SHA-1024");
  c.insert(c.begin(), "Bearer realm=\"sip.example.com\"");
  const auto a = h.client->respond(fields(c), harness::invite());
  ASSERT_TRUE(a.has_value()) << a.error().message();
  ASSERT_EQ(a->size(), 1U);
  EXPECT_NE((*a)[0].value.find("algorithm=SHA-512-256,"), std::string::npos);
  EXPECT_EQ(h.check(*a).kind, verdict_kind::ok);
}

TEST(digest_client, equal_strength_keeps_the_topmost) {
  harness h({digest_algorithm::sha_256_sess, digest_algorithm::sha_256});
  const auto a = h.client->respond(fields(h.server->challenges(h.now)), harness::invite());
  ASSERT_TRUE(a.has_value());
  EXPECT_NE((*a)[0].value.find("algorithm=SHA-256-sess"), std::string::npos);
}

TEST(digest_client, nothing_supported) {
  harness h;
  const auto a = h.client->respond(
      fields({"Bearer realm=\"x\"", "Digest realm=\"x\", nonce=\"n\", algorithm=SHA-1"}),
      harness::invite());
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error(), auth_errc::no_supported_challenge);
  const auto b = h.client->respond(fields({"Digest nonce=\"n\", qop=\"auth\""}), harness::invite());
  ASSERT_FALSE(b.has_value());
  EXPECT_EQ(b.error(), auth_errc::bad_challenge);
  const auto c = h.client->respond({}, harness::invite());
  EXPECT_EQ(c.error(), auth_errc::no_challenge);
}

TEST(digest_client, unknown_realm_has_no_credentials) {
  harness h;
  const auto a = h.client->respond(
      fields({"Digest realm=\"elsewhere\", nonce=\"n\", qop=\"auth\""}), harness::invite());
  ASSERT_FALSE(a.has_value());
  EXPECT_EQ(a.error(), auth_errc::no_credentials);
  // A default credential answers any realm.
  h.store.set_default(credential::with_password("anon", ""));
  EXPECT_TRUE(h.client
                  ->respond(fields({"Digest realm=\"elsewhere\", nonce=\"n\", qop=\"auth\""}),
                            harness::invite())
                  .has_value());
}

TEST(digest_client, sessions_are_bounded) {
  harness h;
  h.store.set_default(credential::with_password("anon", ""));
  std::vector<std::string> many;
  for (int i = 0; i < 20; ++i)
    many.push_back("Digest realm=\"r" + std::to_string(i) + "\", nonce=\"n\", qop=\"auth\"");
  const auto a = h.client->respond(fields(many), harness::invite());
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->size(), 8U);
  EXPECT_EQ(h.client->session_count(), 8U);
  EXPECT_NE(a->back().value.find("realm=\"r19\""), std::string::npos);  // the newest kept
}

TEST(digest_client, preemptive_reuse_counts_nc) {
  harness h;
  const auto first = h.answer_first_challenge();
  ASSERT_EQ(h.check(first).kind, verdict_kind::ok);
  for (int i = 2; i <= 4; ++i) {
    auto next = h.client->authorize(harness::invite());
    ASSERT_TRUE(next.has_value());
    ASSERT_EQ(next->size(), 1U);
    char nc[16];
    std::snprintf(nc, sizeof nc, "nc=%08x", i);
    EXPECT_NE((*next)[0].value.find(nc), std::string::npos) << (*next)[0].value;
    EXPECT_EQ(h.check(*next).kind, verdict_kind::ok);
  }
}

TEST(digest_server, nc_replay_is_stale) {
  harness h;
  const auto first = h.answer_first_challenge();
  ASSERT_EQ(h.check(first).kind, verdict_kind::ok);
  const verdict replay = h.check(first);
  EXPECT_EQ(replay.kind, verdict_kind::stale);
  EXPECT_EQ(replay.reason, auth_errc::nonce_replayed);
  ASSERT_FALSE(replay.challenges.empty());
  EXPECT_NE(replay.challenges[0].find("stale=true"), std::string::npos);
}

// Found by fuzz_digest: with a time-based eviction floor, a burst of more
// nonces than the replay cache holds within one clock tick refused every
// fresh nonce of that tick. The floor is the issue serial now.
TEST(digest_server, burst_beyond_replay_capacity_in_one_tick) {
  harness h;
  h.server_options.replay_capacity = 2;
  h.make_server();
  for (int i = 0; i < 6; ++i) {
    h.client->reset();
    const auto a = h.answer_first_challenge();
    const verdict v = h.check(a);
    EXPECT_EQ(v.kind, verdict_kind::ok) << i << ": " << v.reason.message();
    EXPECT_LE(h.server->remembered_nonces(), 2U);
  }
}

TEST(digest_flow, stale_nonce_retried_without_the_application) {
  harness h;
  const auto first = h.answer_first_challenge();
  ASSERT_EQ(h.check(first).kind, verdict_kind::ok);
  h.now += h.server_options.nonce_lifetime + 1ms;
  const auto later = h.client->authorize(harness::invite());
  ASSERT_TRUE(later.has_value());
  const verdict v = h.check(*later);
  ASSERT_EQ(v.kind, verdict_kind::stale);
  EXPECT_EQ(v.reason, auth_errc::nonce_expired);
  // The request that drew the stale challenge carried `later`.
  const auto sent = views(*later);
  const auto retry = h.client->respond(fields(v.challenges), harness::invite(sent));
  ASSERT_TRUE(retry.has_value()) << retry.error().message();
  EXPECT_NE((*retry)[0].value.find("nc=00000001"), std::string::npos);
  EXPECT_EQ(h.check(*retry).kind, verdict_kind::ok);
}

TEST(digest_flow, nonce_just_inside_lifetime_is_good) {
  harness h;
  const auto first = h.answer_first_challenge();
  h.now += h.server_options.nonce_lifetime;
  EXPECT_EQ(h.check(first).kind, verdict_kind::ok);
}

TEST(digest_flow, stale_with_the_same_nonce_gives_up) {
  harness h;
  const auto first = h.answer_first_challenge();
  const auto sent = views(first);
  const std::string nonce(*parse_credentials(first[0].value)->nonce);
  const std::string stale = "Digest realm=\"sip.example.com\", nonce=\"" + nonce +
                            "\", algorithm=SHA-256, qop=\"auth\", stale=true";
  const auto r = h.client->respond(fields({stale}), harness::invite(sent));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error(), auth_errc::stale_loop);
}

TEST(digest_flow, wrong_password_does_not_loop) {
  harness h;
  h.server_password = "other";
  h.make_server();
  const auto first = h.answer_first_challenge();
  const verdict v = h.check(first);
  ASSERT_EQ(v.kind, verdict_kind::forbidden);
  EXPECT_EQ(v.reason, auth_errc::bad_response);
  // The server re-challenges (401 rather than 403); the client gives up.
  const auto sent = views(first);
  const auto r = h.client->respond(fields(v.challenges), harness::invite(sent));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error(), auth_errc::credentials_rejected);
  EXPECT_EQ(h.client->session_count(), 0U);
  const auto none = h.client->authorize(harness::invite());
  ASSERT_TRUE(none.has_value());
  EXPECT_TRUE(none->empty());
}

TEST(digest_flow, rejected_preemptive_reuse_gets_one_fresh_try) {
  harness h;
  const auto first = h.answer_first_challenge();
  ASSERT_EQ(h.check(first).kind, verdict_kind::ok);
  const auto reuse = h.client->authorize(harness::invite());  // nc=2
  ASSERT_TRUE(reuse.has_value());
  // A server that forgot the nonce and re-challenges without stale=true.
  h.make_server();
  const auto challenge = h.server->challenges(h.now);
  const auto sent = views(*reuse);
  const auto fresh = h.client->respond(fields(challenge), harness::invite(sent));
  ASSERT_TRUE(fresh.has_value());
  EXPECT_NE((*fresh)[0].value.find("nc=00000001"), std::string::npos);
  // Refused again: now it is the credentials.
  const auto sent2 = views(*fresh);
  const auto r = h.client->respond(fields(challenge), harness::invite(sent2));
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error(), auth_errc::credentials_rejected);
}

std::string replace_nonce(std::string value, std::string_view from, std::string_view to) {
  const auto at = value.find(from);
  value.replace(at, from.size(), to);
  return value;
}

TEST(digest_server, tampered_nonce_is_rejected) {
  harness h;
  auto a = h.answer_first_challenge();
  const std::string nonce(*parse_credentials(a[0].value)->nonce);
  std::string forged = nonce;
  forged[3] = forged[3] == '0' ? '1' : '0';  // a different issue time
  // The legitimate digest no longer matches the forged nonce.
  a[0].value = replace_nonce(a[0].value, nonce, forged);
  const verdict v = h.check(a);
  EXPECT_EQ(v.kind, verdict_kind::forbidden);
  EXPECT_EQ(v.reason, auth_errc::bad_response);
  // A client that knows the password and answers a forged nonce: the MAC
  // fails, the digest is right, so stale (RFC 2617 §3.2.1).
  const std::string challenge =
      "Digest realm=\"sip.example.com\", nonce=\"" + forged + "\", algorithm=SHA-256, qop=\"auth\"";
  h.client->reset();
  const auto b = h.client->respond(fields({challenge}), harness::invite());
  ASSERT_TRUE(b.has_value());
  const verdict w = h.check(*b);
  EXPECT_EQ(w.kind, verdict_kind::stale);
  EXPECT_EQ(w.reason, auth_errc::bad_nonce);
}

TEST(digest_server, nonce_of_another_secret_or_realm_is_not_ours) {
  harness h;
  const auto a = h.answer_first_challenge();
  digest_server other(h.server_options, "another secret, 32 bytes long!!!",
                      [](std::string_view, std::string_view, hash_algorithm) {
                        user_secret s;
                        s.password = "s3cret";
                        return std::optional<user_secret>(s);
                      });
  const auto v = views(a);
  const verdict r = other.verify(harness::as_server(harness::invite()), v, h.now);
  EXPECT_EQ(r.kind, verdict_kind::stale);
  EXPECT_EQ(r.reason, auth_errc::bad_nonce);
}

TEST(digest_flow, userhash) {
  harness h;
  h.server_options.userhash = true;
  h.server_options.resolve_userhash = [](std::string_view hash, std::string_view r,
                                         hash_algorithm) -> std::optional<std::string> {
    if (hash == compute_userhash(digest_algorithm::sha_256, "alice", r)) return "alice";
    return std::nullopt;
  };
  h.make_server();
  const auto a = h.answer_first_challenge();
  ASSERT_EQ(a.size(), 1U);
  auto p = parse_credentials(a[0].value);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->userhash, true);
  EXPECT_EQ(*p->username, compute_userhash(digest_algorithm::sha_256, "alice", realm));
  const verdict v = h.check(a);
  EXPECT_EQ(v.kind, verdict_kind::ok) << v.reason.message();
  EXPECT_EQ(v.user, "alice");
  // A client that does not hash is accepted too (RFC 7616 §3.4.4: "MAY reject").
  digest_client_options co;
  co.random = counter_random(9);
  co.userhash = false;
  digest_client plain(h.store, co);
  const auto b = plain.respond(fields(h.server->challenges(h.now)), harness::invite());
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(parse_credentials((*b)[0].value)->username, "alice");
  EXPECT_EQ(h.check(*b).kind, verdict_kind::ok);
}

TEST(digest_flow, rfc2069_client_once_per_nonce) {
  harness h({digest_algorithm::md5});
  std::string c = h.server->challenges(h.now)[0];
  c = replace_nonce(c, ", qop=\"auth,auth-int\"", "");
  const auto a = h.client->respond(fields({c}), harness::invite());
  ASSERT_TRUE(a.has_value());
  const std::string& v = (*a)[0].value;
  EXPECT_EQ(v.find("qop="), std::string::npos) << v;
  EXPECT_EQ(v.find("cnonce="), std::string::npos);
  EXPECT_EQ(v.find("nc="), std::string::npos);
  EXPECT_EQ(h.check(*a).kind, verdict_kind::ok);
  const auto again = h.client->authorize(harness::invite());
  EXPECT_EQ(h.check(*again).reason, auth_errc::nonce_replayed);
  h.server_options.accept_rfc2069 = false;
  h.make_server();
  EXPECT_EQ(h.check(*a).kind, verdict_kind::bad_request);
}

TEST(digest_flow, precomputed_ha1_on_both_sides) {
  harness h({digest_algorithm::sha_512_256});
  credential c;
  c.user = "alice";
  c.with_ha1(hash_algorithm::sha_512_256,
             compute_ha1(digest_algorithm::sha_512_256, "alice", realm, "s3cret"));
  h.store.set(std::string(realm), c);
  h.server.emplace(h.server_options, "0123456789abcdef",
                   [](std::string_view user, std::string_view r, hash_algorithm alg) {
                     user_secret s;
                     EXPECT_EQ(alg, hash_algorithm::sha_512_256);
                     s.ha1 = compute_ha1(digest_algorithm::sha_512_256, user, r, "s3cret");
                     return std::optional<user_secret>(s);
                   });
  const auto a = h.answer_first_challenge();
  EXPECT_EQ(h.check(a).kind, verdict_kind::ok);
  // Only an MD5 challenge: this credential has no MD5 HA1 and no password.
  h.client->reset();
  const auto md5 = h.client->respond(
      fields({"Digest realm=\"sip.example.com\", nonce=\"n\", qop=\"auth\""}), harness::invite());
  EXPECT_EQ(md5.error(), auth_errc::no_credentials);
}

TEST(digest_flow, proxy_and_www_realms_travel_together) {
  harness h;
  const auto www = h.answer_first_challenge();
  ASSERT_EQ(www.size(), 1U);
  // Now a proxy in realm "proxy.example.net" asks too (407).
  h.store.set("proxy.example.net", credential::with_password("alice-p", "pw"));
  digest_server_options po = h.server_options;
  po.realm = "proxy.example.net";
  digest_server proxy(po, "proxy secret, sixteen+ bytes",
                      [](std::string_view user, std::string_view, hash_algorithm) {
                        user_secret s;
                        if (user == "alice-p") s.password = "pw";
                        return std::optional<user_secret>(s);
                      });
  const auto sent = views(www);
  const auto r = h.client->respond(fields(proxy.challenges(h.now), true), harness::invite(sent));
  ASSERT_TRUE(r.has_value()) << r.error().message();
  ASSERT_EQ(r->size(), 2U);
  std::vector<std::string_view> auths;
  std::vector<std::string_view> proxy_auths;
  for (const auto& a : *r) (a.proxy ? proxy_auths : auths).push_back(a.value);
  ASSERT_EQ(auths.size(), 1U);
  ASSERT_EQ(proxy_auths.size(), 1U);
  EXPECT_EQ((*r)[1].name(), "Proxy-Authorization");
  const auto req = harness::as_server(harness::invite());
  EXPECT_EQ(proxy.verify(req, proxy_auths, h.now).kind, verdict_kind::ok);
  const verdict w = h.server->verify(req, auths, h.now);
  EXPECT_EQ(w.kind, verdict_kind::ok) << w.reason.message();
  // Each server ignores the other's realm.
  EXPECT_EQ(proxy.verify(req, auths, h.now).kind, verdict_kind::challenge);
}

TEST(digest_server, refuses_bad_credentials) {
  harness h;
  const auto a = h.answer_first_challenge();
  const std::string good = a[0].value;
  auto verdict_of = [&](const std::string& v) {
    const std::vector<std::string_view> one{v};
    return h.server->verify(harness::as_server(harness::invite()), one, h.now);
  };
  EXPECT_EQ(verdict_of("Digest realm=\"sip.example.com\", username=").kind,
            verdict_kind::bad_request);
  EXPECT_EQ(
      verdict_of("Digest realm=\"sip.example.com\", username=\"alice\", algorithm=SHA-256").reason,
      auth_errc::missing_parameter);
  EXPECT_EQ(verdict_of(replace_nonce(good, "algorithm=SHA-256", "algorithm=MD5")).reason,
            auth_errc::unsupported_algorithm);
  EXPECT_EQ(verdict_of(replace_nonce(good, "qop=auth", "qop=auth-conf")).reason,
            auth_errc::unsupported_qop);
  EXPECT_EQ(verdict_of(replace_nonce(good, "username=\"alice\"", "username=\"mallory\"")).reason,
            auth_errc::unknown_user);
  EXPECT_EQ(verdict_of("Basic YWxpY2U6czNjcmV0").kind, verdict_kind::challenge);
  // The uri is what the response covers; with require_uri_match it must
  // also be the Request-URI.
  request_info moved = harness::invite();
  moved.request_uri = "sip:bob@10.0.0.1";
  const auto v = views(a);
  EXPECT_EQ(h.server->verify(harness::as_server(moved), v, h.now).kind, verdict_kind::ok);
  h.server_options.require_uri_match = true;
  h.make_server();
  auto again = h.client->authorize(harness::invite());
  const auto v2 = views(*again);
  EXPECT_EQ(h.server->verify(harness::as_server(moved), v2, h.now).reason, auth_errc::uri_mismatch);
  EXPECT_EQ(h.server->verify(harness::as_server(harness::invite()), v2, h.now).kind,
            verdict_kind::ok);
}

// RFC 7616 §3.4: username* in RFC 5987 form names the user too.
TEST(digest_server, username_star) {
  harness h;
  const auto a = h.answer_first_challenge();
  auto verdict_of = [&](const std::string& v) {
    const std::vector<std::string_view> one{v};
    return h.server->verify(harness::as_server(harness::invite()), one, h.now);
  };
  const std::string star =
      replace_nonce(a[0].value, "username=\"alice\"", "username*=UTF-8''%61lice");
  const verdict ok = verdict_of(star);
  EXPECT_EQ(ok.kind, verdict_kind::ok) << ok.reason.message();
  EXPECT_EQ(ok.user, "alice");
  EXPECT_EQ(
      verdict_of(replace_nonce(a[0].value, "username=\"alice\"", "username*=UTF-8''bob")).reason,
      auth_errc::unknown_user);
}

TEST(digest_client, needs_a_random_source) {
  credential_store store;
  digest_client c(store, digest_client_options{});
  const auto r =
      c.respond(fields({"Digest realm=\"r\", nonce=\"n\", qop=\"auth\""}), harness::invite());
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error(), auth_errc::no_random);
}

message parse(const std::string& text) {
  message m;
  EXPECT_FALSE(parse_datagram(text, m)) << text;
  return m;
}

TEST(digest_flow, from_messages) {
  harness h;
  const std::string request_text =
      "REGISTER sip:example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
      "From: <sip:alice@example.com>;tag=1\r\nTo: <sip:alice@example.com>\r\n"
      "Call-ID: c1\r\nCSeq: 1 REGISTER\r\nMax-Forwards: 70\r\nContent-Length: 0\r\n\r\n";
  const message request = parse(request_text);
  const verdict v = h.server->verify(request, false, h.now);
  ASSERT_EQ(v.kind, verdict_kind::challenge);
  std::string response_text =
      "SIP/2.0 401 Unauthorized\r\n"
      "Via: SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1\r\n"
      "From: <sip:alice@example.com>;tag=1\r\nTo: <sip:alice@example.com>;tag=2\r\n"
      "Call-ID: c1\r\nCSeq: 1 REGISTER\r\n";
  for (const auto& c : v.challenges) response_text += "WWW-Authenticate: " + c + "\r\n";
  response_text += "Content-Length: 0\r\n\r\n";
  const message response = parse(response_text);
  const auto a = h.client->respond(response, request);
  ASSERT_TRUE(a.has_value()) << a.error().message();
  std::string retry_text = request_text;
  retry_text.insert(retry_text.find("Content-Length"),
                    std::string((*a)[0].name()) + ": " + (*a)[0].value + "\r\n");
  const message retry = parse(retry_text);
  const verdict ok = h.server->verify(retry, false, h.now);
  EXPECT_EQ(ok.kind, verdict_kind::ok) << ok.reason.message();
  // The server refuses again: the retry carried credentials, so give up.
  h.server_password = "changed";
  h.make_server();
  const verdict no = h.server->verify(retry, false, h.now);
  ASSERT_EQ(no.kind, verdict_kind::forbidden);
  EXPECT_EQ(h.client->respond(response, retry).error(), auth_errc::credentials_rejected);
  EXPECT_EQ(h.client->respond(request, request).error(), auth_errc::no_challenge);
}

}  // namespace
}  // namespace sipua::auth
