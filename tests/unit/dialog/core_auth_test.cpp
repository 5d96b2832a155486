// Digest challenges to the UA core's requests (RFC 3261 §22.2, §22.3,
// §8.1.3.5): a scripted peer challenges with a real auth::digest_server and
// verifies what comes back. The core sends the request again once, with a
// new CSeq and the credentials; a wrong password ends it after one try;
// the ACK of a 2xx repeats the INVITE's credentials (§22.1); REGISTER
// refreshes carry them pre-emptively (§22.2); without credentials the
// 401/407 is the outcome.
#include <gtest/gtest.h>

#include "core_harness.hpp"

#include "sipua/auth/digest_server.hpp"

namespace sipua::test {
namespace {

constexpr const char* peer_at = "192.0.2.9:5060";

auth::digest_server make_server(std::string password) {
  auth::digest_server_options o;
  o.realm = "example.com";
  return auth::digest_server{o, "0123456789abcdef0123456789abcdef",
                             [password](std::string_view user, std::string_view,
                                        auth::hash_algorithm) -> std::optional<auth::user_secret> {
                               if (user != "alice") return std::nullopt;
                               auth::user_secret s;
                               s.password = password;
                               return s;
                             }};
}

class core_auth : public ::testing::Test {
 protected:
  core_net net;
  ua_node& alice = net.add("alice", "192.0.2.1", 5060, [](ua_core_config& c) {
    auth::credential_store store;
    store.set("example.com", auth::credential::with_password("alice", "secret"));
    c.credentials = store;
  });
  auth::digest_server server = make_server("secret");

  core_auth() { net.add_peer("peer", "192.0.2.9"); }

  /// The requests the peer got (ACKs included), and forgets them.
  std::vector<message> take() {
    std::vector<message> out;
    for (const peer_message& p : net.inbox("peer")) {
      if (p.msg.is_request()) out.push_back(p.msg);
    }
    net.inbox("peer").clear();
    return out;
  }

  /// The challenge as a 401 (WWW-Authenticate) or 407 (Proxy-Authenticate).
  void challenge(const message& req, int status, bool stale = false) {
    std::vector<std::string> extra;
    const char* name = status == 407 ? "Proxy-Authenticate: " : "WWW-Authenticate: ";
    for (const std::string& c : server.challenges(net.now, stale)) extra.push_back(name + c);
    net.inject(peer_at, alice,
               reply(req, status, status == 407 ? "Proxy Authentication Required" : "Unauthorized",
                     "peertag", extra));
  }

  auth::verdict_kind verify(const message& req, bool proxy) {
    const auth::verdict v = server.verify(req, proxy, net.now);
    if (v.kind != auth::verdict_kind::ok) last_reason = v.reason.message();
    return v.kind;
  }
  std::string last_reason;
};

TEST_F(core_auth, invite_challenged_by_407_is_sent_again_with_proxy_authorization) {
  place_call(net, alice, "sip:bob@192.0.2.9");
  auto first = take();
  ASSERT_EQ(first.size(), 1U);
  EXPECT_EQ(verify(first[0], true), auth::verdict_kind::challenge);
  challenge(first[0], 407);
  const auto next = take();
  ASSERT_EQ(next.size(), 2U);
  EXPECT_EQ(next[0].method_name(), "ACK");  // the 407's, by the transaction (§17.1.1.3)
  EXPECT_EQ(cseq_of(next[0]), "1 ACK");
  const message& again = next[1];
  EXPECT_EQ(again.method_name(), "INVITE");
  EXPECT_EQ(cseq_of(again), "2 INVITE");
  EXPECT_EQ(again.value(header_id::call_id), first[0].value(header_id::call_id));
  EXPECT_EQ(from_tag(again), from_tag(first[0]));
  EXPECT_NE(branch_of(again), branch_of(first[0]));
  EXPECT_EQ(again.body(), first[0].body());
  EXPECT_EQ(verify(again, true), auth::verdict_kind::ok);
  EXPECT_EQ(alice.events, lines{}) << "the 407 is not the call's outcome";

  net.inject(peer_at, alice,
             reply(again, 200, "OK", "peertag", {"Contact: <sip:bob@192.0.2.9>"},
                   sdp_text("192.0.2.9", 3456, 7, 1)));
  EXPECT_EQ(alice.events, lines{"answered"});
  const auto ack = take();
  ASSERT_EQ(ack.size(), 1U);
  EXPECT_EQ(ack[0].method_name(), "ACK");
  EXPECT_EQ(cseq_of(ack[0]), "2 ACK");
  EXPECT_EQ(values(ack[0], header_id::proxy_authorization),
            values(again, header_id::proxy_authorization));
}

TEST_F(core_auth, cancel_follows_the_invite_with_credentials) {
  const call_handle h = place_call(net, alice, "sip:bob@192.0.2.9");
  challenge(take()[0], 407);
  const message again = take().back();
  net.inject(peer_at, alice, reply(again, 180, "Ringing", "peertag"));
  ASSERT_EQ(alice.core->hangup(net.now, h), std::error_code{});
  net.run();
  const auto cancel = take();
  ASSERT_EQ(cancel.size(), 1U);
  EXPECT_EQ(cancel[0].method_name(), "CANCEL");
  EXPECT_EQ(cseq_of(cancel[0]), "2 CANCEL");  // §9.1: the INVITE being cancelled
  EXPECT_EQ(branch_of(cancel[0]), branch_of(again));
}

TEST_F(core_auth, a_wrong_password_is_tried_once) {
  server = make_server("not-the-one-alice-has");
  place_call(net, alice, "sip:bob@192.0.2.9");
  challenge(take()[0], 401);
  const message again = take().back();
  EXPECT_EQ(verify(again, false), auth::verdict_kind::forbidden);
  challenge(again, 401);
  const auto after = take();
  ASSERT_EQ(after.size(), 1U) << "only the ACK: no third INVITE";
  EXPECT_EQ(after[0].method_name(), "ACK");
  EXPECT_EQ(alice.events, lines{"ended rejected 401"});
}

TEST_F(core_auth, stale_nonce_is_answered_again_without_the_application) {
  place_call(net, alice, "sip:bob@192.0.2.9");
  challenge(take()[0], 401);
  const message second = take().back();
  challenge(second, 401, true);  // stale=true: the password was right
  const message third = take().back();
  EXPECT_EQ(cseq_of(third), "3 INVITE");
  EXPECT_EQ(verify(third, false), auth::verdict_kind::ok);
  EXPECT_EQ(alice.events, lines{});
}

TEST_F(core_auth, message_and_bye_are_authenticated_too) {
  ASSERT_TRUE(alice.core->send_message(net.now, "sip:bob@192.0.2.9", "text/plain", "hi"));
  net.run();
  challenge(take()[0], 407);
  const message again = take().back();
  EXPECT_EQ(again.method_name(), "MESSAGE");
  EXPECT_EQ(cseq_of(again), "2 MESSAGE");
  EXPECT_EQ(again.body(), "hi");
  EXPECT_EQ(verify(again, true), auth::verdict_kind::ok);
  net.inject(peer_at, alice, reply(again, 200, "OK", "peertag"));
  EXPECT_EQ(alice.events, lines{"result 200"});

  const call_handle h = place_call(net, alice, "sip:bob@192.0.2.9");
  const message invite = take().back();
  net.inject(peer_at, alice,
             reply(invite, 200, "OK", "calltag", {"Contact: <sip:bob@192.0.2.9>"},
                   sdp_text("192.0.2.9", 3456, 7, 1)));
  take();  // the ACK
  ASSERT_EQ(alice.core->hangup(net.now, h), std::error_code{});
  net.run();
  const message bye = take().back();
  EXPECT_EQ(cseq_of(bye), "2 BYE");
  challenge(bye, 401);
  const message bye2 = take().back();
  EXPECT_EQ(bye2.method_name(), "BYE");
  EXPECT_EQ(cseq_of(bye2), "3 BYE");  // the dialog's next number (§12.2.1.1)
  EXPECT_EQ(verify(bye2, false), auth::verdict_kind::ok);
}

TEST_F(core_auth, register_is_authenticated_and_refreshes_reuse_the_credentials) {
  registration_options o;
  o.registrar = "sip:192.0.2.9";
  ASSERT_TRUE(alice.core->register_binding(net.now, o));
  net.run();
  challenge(take()[0], 401);
  const message again = take().back();
  EXPECT_EQ(cseq_of(again), "2 REGISTER");
  EXPECT_EQ(verify(again, false), auth::verdict_kind::ok);
  const auto ok = [&](const message& m, int expires) {
    net.inject(peer_at, alice,
               reply(m, 200, "OK", "regtag",
                     {"Contact: <sip:alice@192.0.2.1:5060>;expires=" + std::to_string(expires)}));
  };
  ok(again, 120);
  net.advance(std::chrono::seconds{60});
  const message refresh = take().back();
  EXPECT_EQ(cseq_of(refresh), "3 REGISTER");
  ASSERT_EQ(values(refresh, header_id::authorization).size(), 1U);
  EXPECT_NE(values(refresh, header_id::authorization)[0].find("nc=00000002"), std::string::npos);
  EXPECT_EQ(verify(refresh, false), auth::verdict_kind::ok) << last_reason;
  ok(refresh, 600);
  // 536 s later the server's nonce (5 min) has expired: it says stale and
  // the core answers the new nonce without a failure reported.
  net.advance(std::chrono::seconds{536});
  const message late = take().back();
  EXPECT_EQ(verify(late, false), auth::verdict_kind::stale);
  challenge(late, 401, true);
  const message renewed = take().back();
  EXPECT_EQ(cseq_of(renewed), "5 REGISTER");
  EXPECT_EQ(verify(renewed, false), auth::verdict_kind::ok) << last_reason;
  ok(renewed, 600);
  EXPECT_EQ(alice.events, (lines{"registered 200 expires 120", "registered 200 expires 600",
                                 "registered 200 expires 600"}));
}

TEST_F(core_auth, over_tcp_the_challenged_request_is_repeated_too) {
  // Over a reliable transport the non-INVITE transaction ends with its
  // final response (Timer K = 0, RFC 3261 §17.1.2.2): the request to
  // repeat must not be looked up in it.
  registration_options o;
  o.registrar = "sip:192.0.2.9;transport=tcp";
  ASSERT_TRUE(alice.core->register_binding(net.now, o));
  net.run();
  const message first = take()[0];
  std::vector<std::string> extra;
  for (const std::string& c : server.challenges(net.now)) extra.push_back("WWW-Authenticate: " + c);
  net.inject(peer_at, alice, reply(first, 401, "Unauthorized", "peertag", extra), tp::tcp);
  const auto again = take();
  ASSERT_EQ(again.size(), 1U);
  EXPECT_EQ(cseq_of(again[0]), "2 REGISTER");
  EXPECT_EQ(verify(again[0], false), auth::verdict_kind::ok);
}

TEST(core_auth_off, without_credentials_the_challenge_is_the_outcome) {
  core_net net;
  ua_node& alice = net.add("alice", "192.0.2.1");
  net.add_peer("peer", "192.0.2.9");
  auth::digest_server server = make_server("secret");
  place_call(net, alice, "sip:bob@192.0.2.9");
  const message invite = net.inbox("peer").back().msg;
  std::vector<std::string> extra;
  for (const std::string& c : server.challenges(net.now)) extra.push_back("WWW-Authenticate: " + c);
  net.inject(peer_at, alice, reply(invite, 401, "Unauthorized", "peertag", extra));
  EXPECT_EQ(alice.events, lines{"ended rejected 401"});
}

}  // namespace
}  // namespace sipua::test
