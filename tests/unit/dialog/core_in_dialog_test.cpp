// Inside a call's dialog, against a scripted peer (RFC 3261 §12.2, §13.3.1.4,
// §14, §15): the callee's BYE waits for the ACK, a BYE in the early dialog,
// offerless re-INVITEs, the 2xx of a re-INVITE re-sent until its ACK,
// in-dialog OPTIONS, and what 481 / 408 to our requests do to the call.
#include <gtest/gtest.h>

#include <algorithm>

#include "core_harness.hpp"

namespace sipua::test {
namespace {

constexpr const char* peer = "192.0.2.9:5060";
constexpr const char* call_id = "dlg-1@192.0.2.9";

class core_in_dialog : public ::testing::Test {
 protected:
  core_net net;
  ua_node& alice = net.add("alice", "192.0.2.1");
  std::string alice_tag;  ///< Alice's tag in the peer's call (she is the callee)
  int branches = 0;

  core_in_dialog() { net.add_peer("peer", "192.0.2.9"); }

  /// A request of the peer in its call to Alice (From tag "peertag").
  std::string peer_request(std::string_view method_name, std::uint32_t cseq,
                           const std::vector<std::string>& extra = {}, std::string_view body = {},
                           std::string_view content_type = "application/sdp") {
    std::vector<std::string> head{
        std::string{method_name} + " sip:alice@192.0.2.1:5060 SIP/2.0",
        "Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bKp" + std::to_string(++branches),
        "Max-Forwards: 70",
        "From: <sip:peer@192.0.2.9>;tag=peertag",
        "To: <sip:alice@example.com>" + (alice_tag.empty() ? std::string{} : ";tag=" + alice_tag),
        std::string{"Call-ID: "} + call_id,
        "CSeq: " + std::to_string(cseq) + " " + std::string{method_name}};
    for (const std::string& x : extra) head.push_back(x);
    return sip_text(head, body, content_type);
  }

  message last_at_peer() { return net.inbox("peer").back().msg; }

  /// The peer calls Alice (CSeq 1, with an offer); she rings.
  call_handle incoming() {
    net.inject(peer, alice,
               peer_request("INVITE", 1, {"Contact: <sip:peer@192.0.2.9>"},
                            sdp_text("192.0.2.9", 6000, 9, 1)));
    EXPECT_TRUE(alice.last_incoming);
    const call_handle a = alice.last_incoming ? *alice.last_incoming : call_handle{};
    EXPECT_EQ(alice.core->ring(net.now, a), std::error_code{});
    net.run();
    alice_tag = to_tag(last_at_peer());
    return a;
  }

  /// ... and answers; the peer ACKs.
  call_handle established() {
    const call_handle a = incoming();
    EXPECT_EQ(alice.core->answer(net.now, a, {audio("192.0.2.1", 49170, 1001), {}}),
              std::error_code{});
    net.run();
    net.inject(peer, alice, peer_request("ACK", 1));
    EXPECT_EQ(alice.core->state(a), call_state::confirmed);
    net.take_wire();
    net.timed.clear();
    return a;
  }
};

// §9.2: a CANCEL of an INVITE refused before any dialog existed (400: no
// Contact) still matches its transaction: 200 with the 400's To tag, and
// nothing is left once the transaction ends (found by fuzz_ua_core: the
// tag was read from the dialog, which was never made, and the 200 could
// not be built).
TEST_F(core_in_dialog, cancel_of_an_invite_refused_before_a_dialog) {
  const std::string invite = peer_request("INVITE", 1);  // no Contact
  net.inject(peer, alice, invite);
  const message refused = last_at_peer();
  ASSERT_EQ(refused.status_code(), 400);
  const std::string tag = to_tag(refused);
  ASSERT_FALSE(tag.empty());
  std::string cancel = invite;
  cancel.replace(0, 6, "CANCEL");
  const auto cseq = cancel.find("CSeq: 1 INVITE");
  ASSERT_NE(cseq, std::string::npos);
  cancel.replace(cseq, 14, "CSeq: 1 CANCEL");
  net.inject(peer, alice, cancel);
  const message ok = last_at_peer();
  EXPECT_EQ(ok.status_code(), 200);
  EXPECT_EQ(cseq_of(ok), "1 CANCEL");
  EXPECT_EQ(to_tag(ok), tag);
  net.advance(std::chrono::seconds{64});
  EXPECT_EQ(alice.core->transactions().size(), 0U);
  EXPECT_EQ(alice.core->calls(), 0U);
}

// §15: the callee hangs up after its 2xx and before the ACK: the BYE waits
// for the ACK.
TEST_F(core_in_dialog, callee_bye_waits_for_the_ack) {
  const call_handle a = incoming();
  ASSERT_EQ(alice.core->answer(net.now, a, {audio("192.0.2.1", 49170, 1001), {}}),
            std::error_code{});
  net.run();
  ASSERT_EQ(alice.core->hangup(net.now, a), std::error_code{});
  net.run();
  EXPECT_EQ(alice.core->state(a), call_state::terminating);
  EXPECT_EQ(last_at_peer().status_code(), 200);
  net.take_wire();
  net.inject(peer, alice, peer_request("ACK", 1));
  EXPECT_EQ(net.take_wire(), lines({"peer->alice ACK", "alice->peer BYE"}));
  const message bye = last_at_peer();
  EXPECT_EQ(bye.request_uri(), "sip:peer@192.0.2.9");
  EXPECT_EQ(cseq_of(bye), "1 BYE");  // the callee's first request in the dialog
  EXPECT_EQ(from_tag(bye), alice_tag);
  EXPECT_EQ(to_tag(bye), "peertag");
  EXPECT_EQ(alice.events.back(), "ended local hangup 0");
}

// ... and when the ACK never comes, the BYE goes when Alice gives up on it
// (64·T1, §13.3.1.4), still a local hangup.
TEST_F(core_in_dialog, callee_bye_without_ack_after_64_t1) {
  const auto start = net.now;
  const call_handle a = incoming();
  ASSERT_EQ(alice.core->answer(net.now, a, {audio("192.0.2.1", 49170, 1001), {}}),
            std::error_code{});
  net.run();
  ASSERT_EQ(alice.core->hangup(net.now, a), std::error_code{});
  net.run();
  net.advance(31999ms);
  EXPECT_EQ(last_at_peer().status_code(), 200);
  net.advance(1ms);
  EXPECT_EQ(last_at_peer().method(), method::bye);
  EXPECT_EQ(alice.events.back(), "ended local hangup 0");
  // The 2xx was re-sent at T1 doubling up to T2 meanwhile (by the core
  // through the transaction, not marked as a retransmission on the wire).
  lines sent;
  for (const std::string& l : net.take_timed(start)) {
    if (l.find("alice->peer 200") != std::string::npos) sent.push_back(l);
  }
  EXPECT_EQ(sent,
            lines({"0ms alice->peer 200", "500ms alice->peer 200", "1500ms alice->peer 200",
                   "3500ms alice->peer 200", "7500ms alice->peer 200", "11500ms alice->peer 200",
                   "15500ms alice->peer 200", "19500ms alice->peer 200", "23500ms alice->peer 200",
                   "27500ms alice->peer 200", "31500ms alice->peer 200"}));
}

// The caller may send BYE before its ACK (§15): 200, the 2xx is no longer
// re-sent, the call ends.
TEST_F(core_in_dialog, bye_before_the_ack) {
  const call_handle a = incoming();
  ASSERT_EQ(alice.core->answer(net.now, a, {audio("192.0.2.1", 49170, 1001), {}}),
            std::error_code{});
  net.run();
  net.take_wire();
  net.inject(peer, alice, peer_request("BYE", 2));
  EXPECT_EQ(net.take_wire(), lines({"peer->alice BYE", "alice->peer 200"}));
  EXPECT_EQ(alice.events.back(), "ended remote hangup 0");
  net.advance(40s);
  EXPECT_EQ(net.take_wire(), lines{});
  EXPECT_EQ(alice.core->calls(), 0U);
}

// §14.2: a second INVITE in the dialog before we sent the final response
// to the first: 500 with Retry-After between 0 and 10 seconds.
TEST_F(core_in_dialog, reinvite_before_our_final_response_is_500) {
  const call_handle a = incoming();
  net.inject(peer, alice,
             peer_request("INVITE", 2, {"Contact: <sip:peer@192.0.2.9>"},
                          sdp_text("192.0.2.9", 6000, 9, 2)));
  const message r = last_at_peer();
  EXPECT_EQ(r.status_code(), 500);
  EXPECT_EQ(cseq_of(r), "2 INVITE");
  const std::string retry{r.value(header_id::retry_after)};
  ASSERT_FALSE(retry.empty());
  EXPECT_LE(std::stoi(retry), 10);
  EXPECT_GE(std::stoi(retry), 0);
  EXPECT_EQ(alice.core->state(a), call_state::early);
  EXPECT_EQ(alice.events, lines({"incoming (offer)"}));
}

// §14.2 from the caller's side: the callee sends an INVITE in the early
// dialog while our INVITE is still in progress: 491.
TEST(core_in_early_dialog, invite_from_the_callee_while_ours_is_pending_is_491) {
  core_net net;
  ua_node& alice = net.add("alice", "192.0.2.1");
  net.add_peer("peer", "192.0.2.9");
  const peer_call started = call_peer(net, alice, "peer");
  const std::optional<call_handle> a = started.call;
  const message& invite = started.invite;
  net.inject(peer, alice,
             reply(invite, 180, "Ringing", "early1", {"Contact: <sip:bob@192.0.2.9>"}));
  net.inject(peer, alice,
             sip_text({"INVITE sip:alice@192.0.2.1:5060 SIP/2.0",
                       "Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bKe1", "Max-Forwards: 70",
                       "From: <sip:bob@192.0.2.9>;tag=early1",
                       "To: <sip:alice@example.com>;tag=" + std::string{invite.from()->tag()},
                       "Call-ID: " + std::string{invite.call_id()}, "CSeq: 1 INVITE",
                       "Contact: <sip:bob@192.0.2.9>"},
                      sdp_text("192.0.2.9", 6000, 9, 1)));
  EXPECT_EQ(net.inbox("peer").back().msg.status_code(), 491);
  EXPECT_EQ(alice.core->state(*a), call_state::early);
  EXPECT_EQ(alice.events, lines({"progress 180"}));
}

// §15.1.2: a BYE in the early dialog (before we answered): 200 to the
// BYE, 487 to the INVITE.
TEST_F(core_in_dialog, bye_in_the_early_dialog) {
  const call_handle a = incoming();
  net.take_wire();
  net.inject(peer, alice, peer_request("BYE", 2));
  EXPECT_EQ(net.take_wire(), lines({"peer->alice BYE", "alice->peer 200", "alice->peer 487"}));
  EXPECT_EQ(cseq_of(last_at_peer()), "1 INVITE");
  EXPECT_EQ(to_tag(last_at_peer()), alice_tag);
  EXPECT_EQ(alice.events, lines({"incoming (offer)", "ended remote hangup 0"}));
  EXPECT_EQ(alice.core->answer(net.now, a, {}), make_error_code(core_errc::wrong_state));
}

// §14.2 with §13.3.1.1: a re-INVITE without SDP gets our offer in the 2xx;
// the answer comes in the ACK: one media outcome, at the ACK.
TEST_F(core_in_dialog, offerless_reinvite_answer_in_ack) {
  const call_handle a = established();
  net.inject(peer, alice, peer_request("INVITE", 2, {"Contact: <sip:peer@192.0.2.9>"}));
  const message ok = last_at_peer();
  ASSERT_EQ(ok.status_code(), 200);
  EXPECT_EQ(ok.value(header_id::content_type), "application/sdp");
  // RFC 3264 §8: the o= version grows by one with each new offer.
  EXPECT_NE(ok.body().find("o=- 1001 2 IN IP4 192.0.2.1"), std::string_view::npos) << ok.body();
  EXPECT_EQ(alice.events.back(), "answered");  // nothing yet
  net.inject(peer, alice, peer_request("ACK", 2, {}, sdp_text("192.0.2.9", 6002, 9, 2)));
  EXPECT_EQ(alice.events.back(), "media ok sendrecv");
  const auto& m = std::get<call_media_event>(alice.raw.back());
  ASSERT_TRUE(m.remote_sdp);
  EXPECT_EQ(m.remote_sdp->media.at(0).port, 6002);
  EXPECT_EQ(alice.core->state(a), call_state::confirmed);
}

// §13.3.1.4 applies to the 2xx of a re-INVITE too: re-sent until the ACK.
TEST_F(core_in_dialog, reinvite_2xx_resent_until_ack) {
  established();
  const auto start = net.now;
  net.inject(peer, alice,
             peer_request("INVITE", 2, {"Contact: <sip:peer@192.0.2.9>"},
                          sdp_text("192.0.2.9", 6000, 9, 2, "sendonly")));
  EXPECT_EQ(alice.events.back(), "media ok recvonly");
  net.advance(2s);
  net.inject(peer, alice, peer_request("ACK", 2));
  net.advance(10s);
  EXPECT_EQ(net.take_timed(start),
            lines({"0ms peer->alice INVITE", "0ms alice->peer 100", "0ms alice->peer 200",
                   "500ms alice->peer 200", "1500ms alice->peer 200", "2000ms peer->alice ACK"}));
  EXPECT_EQ(alice.events.back(), "media ok recvonly");
}

// An OPTIONS inside the dialog is answered there: one To tag, Alice's.
TEST_F(core_in_dialog, options_in_the_dialog_keeps_the_to_tag) {
  established();
  net.inject(peer, alice, peer_request("OPTIONS", 2));
  const message ok = last_at_peer();
  EXPECT_EQ(ok.status_code(), 200);
  EXPECT_EQ(to_tag(ok), alice_tag);
  const std::string to{ok.value(header_id::to)};
  EXPECT_EQ(to.find("tag="), to.rfind("tag=")) << to;
}

// §12.2.1.2 / §14.1: a 481 to our re-INVITE ends the dialog.
TEST_F(core_in_dialog, reinvite_481_ends_the_call) {
  const call_handle a = established();
  ASSERT_EQ(alice.core->hold(net.now, a), std::error_code{});
  net.run();
  const message reinvite = last_at_peer();
  ASSERT_EQ(reinvite.method(), method::invite);
  EXPECT_EQ(cseq_of(reinvite), "1 INVITE");  // the callee's first request
  EXPECT_EQ(to_tag(reinvite), "peertag");
  net.inject(peer, alice, reply(reinvite, 481, "Call/Transaction Does Not Exist"));
  EXPECT_EQ(alice.events,
            lines({"incoming (offer)", "answered", "media failed 481", "ended dialog gone 481"}));
  EXPECT_EQ(last_at_peer().method(), method::ack);
}

// A re-INVITE nobody answers: Timer B, then the dialog is ended (§12.2.1.2).
TEST_F(core_in_dialog, reinvite_timeout_ends_the_call) {
  const call_handle a = established();
  ASSERT_EQ(alice.core->hold(net.now, a), std::error_code{});
  net.run();
  net.advance(31999ms);
  EXPECT_EQ(alice.events.back(), "answered");
  net.advance(1ms);
  EXPECT_EQ(alice.events,
            lines({"incoming (offer)", "answered", "media failed 408", "ended timeout 408"}));
}

// A 481 to our INFO ends the dialog too.
TEST_F(core_in_dialog, info_481_ends_the_call) {
  const call_handle a = established();
  const auto h = alice.core->send_info(net.now, a, "text/plain", "x");
  ASSERT_TRUE(h);
  net.run();
  const message info = last_at_peer();
  ASSERT_EQ(info.method(), method::info);
  net.inject(peer, alice, reply(info, 481, "Call/Transaction Does Not Exist"));
  EXPECT_EQ(alice.events,
            lines({"incoming (offer)", "answered", "result 481", "ended dialog gone 481"}));
}

}  // namespace
}  // namespace sipua::test

namespace sipua::test {
namespace {

// §15.1.1: both sides hang up at once; each BYE crosses the other. Each is
// answered 200 (not 481: the dialog ends either way) and each side ends
// with its own hangup.
TEST(core_crossing_bye, both_byes_are_answered_200) {
  core_net net;
  ua_node& alice = net.add("alice", "192.0.2.1");
  ua_node& bob = net.add("bob", "192.0.2.2");
  const auto [a, b] = answered_call(net, alice, bob);
  net.take_wire();
  ASSERT_EQ(alice.core->hangup(net.now, a), std::error_code{});
  ASSERT_EQ(bob.core->hangup(net.now, b), std::error_code{});
  net.run();
  lines wire = net.take_wire();
  std::sort(wire.begin(), wire.end());
  EXPECT_EQ(wire, (lines{"alice->bob 200", "alice->bob BYE", "bob->alice 200", "bob->alice BYE"}));
  EXPECT_EQ(alice.events.back(), "ended local hangup 0");
  EXPECT_EQ(bob.events.back(), "ended local hangup 0");
}

}  // namespace
}  // namespace sipua::test
