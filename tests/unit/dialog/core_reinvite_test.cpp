// re-INVITE races (RFC 3261 §14): glare on both sides with the §14.1
// back-off on the manual clock, and a BYE while our re-INVITE is pending.
#include <gtest/gtest.h>

#include <algorithm>

#include "core_harness.hpp"

namespace sipua::test {
namespace {

/// The randomness of a node: splitmix64 from `seed`.
std::function<std::uint64_t()> seeded(std::uint64_t seed) {
  return [state = seed]() mutable {
    state += 0x9e3779b97f4a7c15ULL;
    std::uint64_t z = state;
    z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31U);
  };
}

/// Milliseconds after `t0` of every timed line that is exactly `what`.
std::vector<long long> times_of(const std::vector<std::pair<core_net::time_point, std::string>>& t,
                                core_net::time_point t0, std::string_view what) {
  std::vector<long long> out;
  for (const auto& [at, line] : t) {
    if (line == what) {
      out.push_back(std::chrono::duration_cast<std::chrono::milliseconds>(at - t0).count());
    }
  }
  return out;
}

class core_glare : public ::testing::TestWithParam<std::uint64_t> {
 protected:
  core_net net;
  const std::uint64_t seed = GetParam();
  ua_node& alice =
      net.add("alice", "192.0.2.1", 5060, [this](ua_core_config& c) { c.random = seeded(seed); });
  ua_node& bob = net.add("bob", "192.0.2.2", 5060,
                         [this](ua_core_config& c) { c.random = seeded(seed * 7919 + 1); });

  /// Alice calls Bob, Bob answers; logs and events start empty.
  std::pair<call_handle, call_handle> established() {
    const auto [a, b] = answered_call(net, alice, bob);
    EXPECT_EQ(alice.core->state(a), call_state::confirmed);
    net.take_wire();
    net.timed.clear();
    alice.events.clear();
    bob.events.clear();
    return {a, b};
  }
};

// Both sides put the call on hold at the same instant: each INVITE meets
// the other's pending one and gets 491 (§14.2). The caller owns the
// Call-ID and retries after 2.1–4 s, the callee after 0–2 s, both in
// 10 ms units (§14.1). The callee's hold goes through first; the caller's
// retry then offers hold from its new state. Both end on the same media.
TEST_P(core_glare, both_hold_at_once_491_and_back_off) {
  const auto [a, b] = established();
  const auto t0 = net.now;
  ASSERT_EQ(alice.core->hold(net.now, a), std::error_code{});
  ASSERT_EQ(bob.core->hold(net.now, b), std::error_code{});
  net.run();
  lines first = net.take_wire();
  std::sort(first.begin(), first.end());
  EXPECT_EQ(first,
            lines({"alice->bob 100", "alice->bob 491", "alice->bob ACK", "alice->bob INVITE",
                   "bob->alice 100", "bob->alice 491", "bob->alice ACK", "bob->alice INVITE"}))
      << "seed " << seed;
  // A 491 is no media outcome yet: the retry is pending.
  EXPECT_EQ(alice.events, lines{});
  EXPECT_EQ(bob.events, lines{});
  EXPECT_EQ(alice.core->hold(net.now, a), make_error_code(core_errc::request_pending));

  net.advance(5s);
  const auto alice_invites = times_of(net.timed, t0, "alice->bob INVITE");
  const auto bob_invites = times_of(net.timed, t0, "bob->alice INVITE");
  ASSERT_EQ(alice_invites.size(), 2U) << "seed " << seed;
  ASSERT_EQ(bob_invites.size(), 2U) << "seed " << seed;
  EXPECT_EQ(alice_invites[0], 0);
  EXPECT_EQ(bob_invites[0], 0);
  // §14.1: the owner of the Call-ID (the caller) 2.1–4 s, the other 0–2 s.
  EXPECT_GE(alice_invites[1], 2100) << "seed " << seed;
  EXPECT_LE(alice_invites[1], 4000) << "seed " << seed;
  EXPECT_EQ(alice_invites[1] % 10, 0) << "seed " << seed;
  EXPECT_GE(bob_invites[1], 0) << "seed " << seed;
  EXPECT_LE(bob_invites[1], 2000) << "seed " << seed;
  EXPECT_EQ(bob_invites[1] % 10, 0) << "seed " << seed;

  // Bob's hold (sendonly) answered recvonly by Alice; Alice's hold then
  // offers inactive from recvonly (RFC 3264 §8.4), answered inactive.
  EXPECT_EQ(bob.events, lines({"media ok sendonly", "media ok inactive"})) << "seed " << seed;
  EXPECT_EQ(alice.events, lines({"media ok recvonly", "media ok inactive"})) << "seed " << seed;
  const auto& am = std::get<call_media_event>(alice.raw.back());
  const auto& bm = std::get<call_media_event>(bob.raw.back());
  EXPECT_EQ(direction_of(am.local_sdp), "inactive");
  EXPECT_EQ(direction_of(am.remote_sdp), "inactive");
  EXPECT_EQ(direction_of(bm.local_sdp), "inactive");
  EXPECT_EQ(direction_of(bm.remote_sdp), "inactive");
  EXPECT_EQ(alice.core->state(a), call_state::confirmed);
  EXPECT_EQ(bob.core->state(b), call_state::confirmed);

  // Unhold from each side in turn (RFC 3264 §8.4): Alice offers recvonly
  // (from inactive), Bob then sendrecv (from sendonly): the call is back.
  ASSERT_EQ(alice.core->unhold(net.now, a), std::error_code{});
  net.run();
  ASSERT_EQ(bob.core->unhold(net.now, b), std::error_code{});
  net.run();
  EXPECT_EQ(alice.events.back(), "media ok sendrecv");
  EXPECT_EQ(bob.events.back(), "media ok sendrecv");
}

INSTANTIATE_TEST_SUITE_P(seeds, core_glare, ::testing::Values(1U, 2U, 3U, 42U, 1000U, 65537U));

// Our re-INVITE gets 491; when the retry is due the peer's own re-INVITE
// still waits for its ACK, so the retry cannot go (§14.1 retries, §14.2
// forbids overlapping offers). The application must still learn the
// outcome of its hold: a failed media event, not silence.
TEST(core_glare_retry, retry_that_cannot_go_is_reported) {
  core_net net;
  ua_node& alice = net.add("alice", "192.0.2.1");
  net.add_peer("peer", "192.0.2.9");
  const peer_call started = call_peer(net, alice, "peer");
  const std::optional<call_handle> a = started.call;
  const message& invite = started.invite;
  net.inject("192.0.2.9:5060", alice,
             reply(invite, 200, "OK", "314159", {"Contact: <sip:bob@192.0.2.9>"},
                   sdp_text("192.0.2.9", 3456, 77, 1)));
  ASSERT_EQ(alice.core->hold(net.now, *a), std::error_code{});
  net.run();
  const message reinvite = net.inbox("peer").back().msg;
  net.inject("192.0.2.9:5060", alice, reply(reinvite, 491, "Request Pending"));
  EXPECT_EQ(alice.events, lines({"answered"}));
  // The peer's re-INVITE at 1 s, answered at once; its ACK only at 5 s.
  net.advance(1s);
  net.inject("192.0.2.9:5060", alice,
             sip_text({"INVITE sip:alice@192.0.2.1:5060 SIP/2.0",
                       "Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bKpre1", "Max-Forwards: 70",
                       "From: <sip:bob@192.0.2.9>;tag=314159",
                       "To: <sip:alice@example.com>;tag=" + from_tag(invite),
                       "Call-ID: " + std::string{invite.call_id()}, "CSeq: 7 INVITE",
                       "Contact: <sip:bob@192.0.2.9>"},
                      sdp_text("192.0.2.9", 3456, 77, 2)));
  EXPECT_EQ(net.inbox("peer").back().msg.status_code(), 200);
  EXPECT_EQ(alice.events, lines({"answered", "media ok sendrecv"}));
  net.advance(4s);
  net.inject("192.0.2.9:5060", alice,
             sip_text({"ACK sip:alice@192.0.2.1:5060 SIP/2.0",
                       "Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bKpre2", "Max-Forwards: 70",
                       "From: <sip:bob@192.0.2.9>;tag=314159",
                       "To: <sip:alice@example.com>;tag=" + from_tag(invite),
                       "Call-ID: " + std::string{invite.call_id()}, "CSeq: 7 ACK"}));
  net.advance(10s);
  // No third INVITE; the hold's outcome: 491, reported when the retry
  // was due (2.1–4 s after the 491: the caller owns the Call-ID).
  std::size_t invites = 0;
  for (const peer_message& p : net.inbox("peer")) {
    if (p.msg.is_request() && p.msg.method() == method::invite) ++invites;
  }
  EXPECT_EQ(invites, 2U);
  EXPECT_EQ(alice.events, lines({"answered", "media ok sendrecv", "media failed 491"}));
  EXPECT_EQ(alice.core->state(*a), call_state::confirmed);
}

// ---- BYE while our re-INVITE is pending -------------------------------------------

class core_bye_during_reinvite : public ::testing::Test {
 protected:
  core_net net;
  ua_node& alice = net.add("alice", "192.0.2.1");
  call_handle call;
  message invite;
  message reinvite;

  void SetUp() override {
    net.add_peer("peer", "192.0.2.9");
    call_options o;
    o.target = "sip:bob@192.0.2.9";
    o.media = audio("192.0.2.1", 49170, 1001);
    auto h = alice.core->call(net.now, std::move(o));
    ASSERT_TRUE(h);
    call = *h;
    net.run();
    invite = net.inbox("peer").back().msg;
    net.inject("192.0.2.9:5060", alice,
               reply(invite, 200, "OK", "314159", {"Contact: <sip:bob@192.0.2.9>"},
                     sdp_text("192.0.2.9", 3456, 77, 1)));
    ASSERT_EQ(alice.events, lines({"answered"}));
    ASSERT_EQ(alice.core->hold(net.now, call), std::error_code{});
    net.run();
    reinvite = net.inbox("peer").back().msg;
    ASSERT_EQ(reinvite.method(), method::invite);
    EXPECT_EQ(cseq_of(reinvite), "2 INVITE");
    // The peer hangs up instead of answering.
    net.inject("192.0.2.9:5060", alice,
               sip_text({"BYE sip:alice@192.0.2.1:5060 SIP/2.0",
                         "Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bKbye1", "Max-Forwards: 70",
                         "From: <sip:bob@192.0.2.9>;tag=314159",
                         "To: <sip:alice@example.com>;tag=" + from_tag(invite),
                         "Call-ID: " + std::string{invite.call_id()}, "CSeq: 1 BYE"}));
    const message ok = net.inbox("peer").back().msg;
    EXPECT_EQ(ok.status_code(), 200);
    EXPECT_EQ(cseq_of(ok), "1 BYE");
    ASSERT_EQ(alice.events, lines({"answered", "ended remote hangup 0"}));
    EXPECT_EQ(alice.core->state(call), call_state::ended);
    net.take_wire();
  }
};

// The re-INVITE's late 2xx is still ACKed (§13.2.2.4: every 2xx), with
// nothing more reported: the call is over.
TEST_F(core_bye_during_reinvite, late_2xx_is_acked_and_harmless) {
  net.inject("192.0.2.9:5060", alice,
             reply(reinvite, 200, "OK", {}, {"Contact: <sip:bob@192.0.2.9>"},
                   sdp_text("192.0.2.9", 3456, 77, 2, "recvonly")));
  EXPECT_EQ(net.take_wire(), lines({"peer->alice 200", "alice->peer ACK"}));
  const message ack = net.inbox("peer").back().msg;
  EXPECT_EQ(cseq_of(ack), "2 ACK");
  EXPECT_EQ(to_tag(ack), "314159");
  EXPECT_EQ(alice.events, lines({"answered", "ended remote hangup 0"}));
  net.advance(40s);
  EXPECT_EQ(alice.core->calls(), 0U);
  EXPECT_EQ(alice.core->next_deadline(), std::nullopt);
}

// Or the peer answers it 487 (§15.1.2): ACKed by the transaction, nothing
// reported.
TEST_F(core_bye_during_reinvite, late_487_is_harmless) {
  net.inject("192.0.2.9:5060", alice, reply(reinvite, 487, "Request Terminated"));
  EXPECT_EQ(net.take_wire(), lines({"peer->alice 487", "alice->peer ACK"}));
  EXPECT_EQ(alice.events, lines({"answered", "ended remote hangup 0"}));
  net.advance(40s);
  EXPECT_EQ(alice.core->calls(), 0U);
}

// Or never answers it: Timer B ends the transaction; still nothing more.
TEST_F(core_bye_during_reinvite, unanswered_reinvite_times_out_quietly) {
  net.advance(40s);
  EXPECT_EQ(alice.events, lines({"answered", "ended remote hangup 0"}));
  EXPECT_EQ(alice.core->calls(), 0U);
}

}  // namespace
}  // namespace sipua::test
