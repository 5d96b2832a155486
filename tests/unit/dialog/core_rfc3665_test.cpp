// RFC 3665 call flows that fit a user agent without proxies, on the manual
// clock, with the messages on the wire and the header values that matter
// (ACK Request-URI / CSeq / To tag, CANCEL branch, BYE target), and the
// RFC 3261 §8.1.3.4 redirect rules (3xx followed, loop, limit).
#include <gtest/gtest.h>

#include "core_harness.hpp"

#include "sipua/sdp/session.hpp"

namespace sipua::test {
namespace {

class core_rfc3665 : public ::testing::Test {
 protected:
  core_net net;
  ua_node& alice = net.add("alice", "192.0.2.1");
  ua_node& bob = net.add("bob", "192.0.2.2");

  core_rfc3665() { net.add_peer("peer", "192.0.2.9"); }

  call_handle call(std::string target, bool with_media = true) {
    call_options o;
    o.target = std::move(target);
    if (with_media) o.media = audio("192.0.2.1", 49170, 1001);
    auto h = alice.core->call(net.now, std::move(o));
    EXPECT_TRUE(h) << h.error().message();
    net.run();
    return h ? *h : call_handle{};
  }

  /// The last INVITE the scripted peer received.
  message last_invite() {
    const auto& in = net.inbox("peer");
    for (auto it = in.rbegin(); it != in.rend(); ++it) {
      if (it->msg.method() == method::invite) return it->msg;
    }
    ADD_FAILURE() << "the peer got no INVITE";
    return message{};
  }
};

// RFC 3665 §3.1 (without the proxies): INVITE / 180 / 200 / ACK, BYE / 200.
TEST_F(core_rfc3665, s3_1_successful_session_establishment) {
  const call_handle a = call("sip:bob@192.0.2.2");
  const call_handle b = *bob.last_incoming;
  ASSERT_EQ(bob.core->ring(net.now, b), std::error_code{});
  net.run();
  ASSERT_EQ(bob.core->answer(net.now, b, {audio("192.0.2.2", 3456, 2002), {}}), std::error_code{});
  net.run();
  ASSERT_EQ(bob.core->hangup(net.now, b), std::error_code{});
  net.run();
  EXPECT_EQ(net.take_wire(),
            lines({"alice->bob INVITE", "bob->alice 100", "bob->alice 180", "bob->alice 200",
                   "alice->bob ACK", "bob->alice BYE", "alice->bob 200"}));
  EXPECT_EQ(alice.events, lines({"progress 180", "answered", "ended remote hangup 0"}));
  EXPECT_EQ(bob.events, lines({"incoming (offer)", "answered", "ended local hangup 0"}));

  const message invite = net.seen_labelled("INVITE").at(0);
  EXPECT_EQ(invite.request_uri(), "sip:bob@192.0.2.2");
  EXPECT_EQ(cseq_of(invite), "1 INVITE");
  EXPECT_EQ(invite.value(header_id::max_forwards), "70");
  EXPECT_EQ(invite.value(header_id::contact), "<sip:alice@192.0.2.1:5060>");
  EXPECT_EQ(invite.value(header_id::content_type), "application/sdp");
  EXPECT_EQ(to_tag(invite), "");
  const message ringing = net.seen_labelled("180").at(0);
  const message ok = net.seen_labelled("200").at(0);
  EXPECT_FALSE(to_tag(ringing).empty());
  EXPECT_EQ(to_tag(ok), to_tag(ringing));  // one dialog (§12.1.1)
  EXPECT_EQ(ok.value(header_id::contact), "<sip:bob@192.0.2.2:5060>");
  EXPECT_EQ(ok.value(header_id::content_type), "application/sdp");

  // §13.2.2.4: the ACK of the 2xx goes to the remote target, with the
  // INVITE's CSeq number, the dialog's tags and a branch of its own.
  const message ack = net.seen_labelled("ACK").at(0);
  EXPECT_EQ(ack.request_uri(), "sip:bob@192.0.2.2:5060");
  EXPECT_EQ(cseq_of(ack), "1 ACK");
  EXPECT_EQ(to_tag(ack), to_tag(ok));
  EXPECT_EQ(from_tag(ack), from_tag(invite));
  EXPECT_EQ(ack.call_id(), invite.call_id());
  EXPECT_NE(branch_of(ack), branch_of(invite));
  EXPECT_TRUE(ack.body().empty());

  // Bob's BYE: to Alice's Contact, Bob's first CSeq, the tags swapped.
  const message bye = net.seen_labelled("BYE").at(0);
  EXPECT_EQ(bye.request_uri(), "sip:alice@192.0.2.1:5060");
  EXPECT_EQ(bye.count(header_id::route), 0U);
  EXPECT_EQ(from_tag(bye), to_tag(ok));
  EXPECT_EQ(to_tag(bye), from_tag(invite));
  EXPECT_EQ(bye.call_id(), invite.call_id());
  EXPECT_EQ(cseq_of(bye), "1 BYE");
  net.advance(40s);
  EXPECT_EQ(alice.core->calls(), 0U);
  EXPECT_EQ(bob.core->calls(), 0U);
  EXPECT_EQ(alice.core->state(a), std::nullopt);
}

// RFC 3665 §3.6 (the redirect part; the proxy is left out): 302 from a
// redirect server, ACK, a new INVITE to the Contact (here with the offer:
// the API has no way to send an offerless INVITE and answer in the ACK).
TEST_F(core_rfc3665, s3_6_redirect_then_session) {
  const call_handle a = call("sip:bob@192.0.2.9");
  const message first = last_invite();
  net.inject("192.0.2.9:5060", alice,
             reply(first, 302, "Moved Temporarily", "53fHlqlQ2",
                   {"Contact: <sip:bob@192.0.2.2;transport=tcp>"}));
  EXPECT_EQ(net.take_wire(), lines({"alice->peer INVITE", "peer->alice 302", "alice->peer ACK",
                                    "alice->bob INVITE", "bob->alice 100"}));
  // The ACK of the 302 (§17.1.1.3): the INVITE's branch and Request-URI.
  const message ack = net.inbox("peer").back().msg;
  EXPECT_EQ(ack.request_uri(), "sip:bob@192.0.2.9");
  EXPECT_EQ(branch_of(ack), branch_of(first));
  EXPECT_EQ(cseq_of(ack), "1 ACK");
  EXPECT_EQ(to_tag(ack), "53fHlqlQ2");
  // §8.1.3.4: the new INVITE: the Contact as Request-URI, over TCP, the
  // same Call-ID, From and To, CSeq incremented.
  const message second = net.seen_labelled("INVITE").at(1);
  EXPECT_EQ(second.request_uri(), "sip:bob@192.0.2.2;transport=tcp");
  EXPECT_EQ(cseq_of(second), "2 INVITE");
  EXPECT_EQ(second.call_id(), first.call_id());
  EXPECT_EQ(from_tag(second), from_tag(first));
  EXPECT_EQ(second.value(header_id::to), first.value(header_id::to));
  EXPECT_EQ(second.top_via()->transport, "TCP");
  EXPECT_EQ(second.value(header_id::contact), "<sip:alice@192.0.2.1:5060;transport=tcp>");

  const call_handle b = *bob.last_incoming;
  ASSERT_EQ(bob.core->ring(net.now, b), std::error_code{});
  ASSERT_EQ(bob.core->answer(net.now, b, {audio("192.0.2.2", 3456, 2002), {}}), std::error_code{});
  net.run();
  ASSERT_EQ(bob.core->hangup(net.now, b), std::error_code{});
  net.run();
  EXPECT_EQ(net.take_wire(), lines({"bob->alice 180", "bob->alice 200", "alice->bob ACK",
                                    "bob->alice BYE", "alice->bob 200"}));
  EXPECT_EQ(cseq_of(net.seen_labelled("ACK").back()), "2 ACK");
  EXPECT_EQ(alice.events, lines({"progress 180", "answered", "ended remote hangup 0"}));
  EXPECT_EQ(alice.core->state(a), call_state::ended);
}

// RFC 3665 §3.6 from Bob's side: an INVITE without SDP, the offer in our
// 200, the answer in the ACK (RFC 3261 §13.3.1.1).
TEST_F(core_rfc3665, s3_6_sdp_in_ack) {
  const std::string invite = sip_text(
      {"INVITE sip:bob@192.0.2.2 SIP/2.0", "Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK74bf9",
       "Max-Forwards: 70", "From: Alice <sip:alice@example.com>;tag=9fxced76sl",
       "To: Bob <sip:bob@example.com>", "Call-ID: 2xTb9vxSit55XU7p8@192.0.2.9", "CSeq: 2 INVITE",
       "Contact: <sip:alice@192.0.2.9>"});
  net.inject("192.0.2.9:5060", bob, invite);
  ASSERT_TRUE(bob.last_incoming);
  const call_handle b = *bob.last_incoming;
  EXPECT_EQ(bob.events, lines({"incoming"}));
  ASSERT_EQ(bob.core->answer(net.now, b, {audio("192.0.2.2", 3456, 2002), {}}), std::error_code{});
  net.run();
  const message ok = net.inbox("peer").back().msg;
  ASSERT_EQ(ok.status_code(), 200);
  EXPECT_EQ(ok.value(header_id::content_type), "application/sdp");
  EXPECT_NE(ok.body().find("m=audio 3456 RTP/AVP"), std::string_view::npos);
  const std::string ack = sip_text(
      {"ACK sip:bob@192.0.2.2:5060 SIP/2.0", "Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bKack1",
       "Max-Forwards: 70", "From: Alice <sip:alice@example.com>;tag=9fxced76sl",
       "To: Bob <sip:bob@example.com>;tag=" + to_tag(ok), "Call-ID: 2xTb9vxSit55XU7p8@192.0.2.9",
       "CSeq: 2 ACK"},
      sdp_text("192.0.2.9", 6000, 77, 1));
  net.inject("192.0.2.9:5060", bob, ack);
  EXPECT_EQ(bob.events, lines({"incoming", "answered"}));
  const auto& answered = std::get<call_answered_event>(bob.raw.back());
  ASSERT_TRUE(answered.remote_sdp);
  EXPECT_EQ(answered.remote_sdp->media.at(0).port, 6000);
  EXPECT_EQ(bob.core->state(b), call_state::confirmed);
  // No 2xx retransmission after the ACK.
  net.take_wire();
  net.advance(5s);
  EXPECT_EQ(net.take_wire(), lines{});
}

// RFC 3665 §3.7: the peer changes its address with a re-INVITE carrying a
// new Contact and SDP; our BYE then goes to the new Contact (§12.2.2
// target refresh). Unlike the RFC 3665 figure (F9 changes the o= address
// too), the o= line stays as RFC 3264 §8 requires: only its version grows.
TEST_F(core_rfc3665, s3_7_reinvite_ip_address_change) {
  net.add_peer("peer2", "192.0.2.19");
  const call_handle a = call("sip:bob@192.0.2.9");
  const message invite = last_invite();
  net.inject("192.0.2.9:5060", alice,
             reply(invite, 200, "OK", "314159", {"Contact: <sip:bob@192.0.2.9>"},
                   sdp_text("192.0.2.9", 3456, 2890844527, 1)));
  EXPECT_EQ(alice.events, lines({"answered"}));
  const std::string reinvite =
      sip_text({"INVITE sip:alice@192.0.2.1:5060 SIP/2.0",
                "Via: SIP/2.0/UDP 192.0.2.19:5060;branch=z9hG4bKnew1", "Max-Forwards: 70",
                "From: <sip:bob@192.0.2.9>;tag=314159",
                "To: <sip:alice@example.com>;tag=" + from_tag(invite),
                "Call-ID: " + std::string{invite.call_id()}, "CSeq: 14 INVITE",
                "Contact: <sip:bob@192.0.2.19>"},
               sdp_text("192.0.2.19", 3456, 2890844527, 2, {}, "192.0.2.9"));
  net.inject("192.0.2.19:5060", alice, reinvite);
  const message ok = net.inbox("peer2").back().msg;
  ASSERT_EQ(ok.status_code(), 200);
  EXPECT_EQ(cseq_of(ok), "14 INVITE");
  EXPECT_NE(ok.body().find("m=audio 49170"), std::string_view::npos);
  net.inject("192.0.2.19:5060", alice,
             sip_text({"ACK sip:alice@192.0.2.1:5060 SIP/2.0",
                       "Via: SIP/2.0/UDP 192.0.2.19:5060;branch=z9hG4bKnew2", "Max-Forwards: 70",
                       "From: <sip:bob@192.0.2.9>;tag=314159",
                       "To: <sip:alice@example.com>;tag=" + from_tag(invite),
                       "Call-ID: " + std::string{invite.call_id()}, "CSeq: 14 ACK"}));
  EXPECT_EQ(alice.events, lines({"answered", "media ok sendrecv"}));
  const auto& media = std::get<call_media_event>(alice.raw.back());
  ASSERT_TRUE(media.remote_sdp && media.remote_sdp->connection);
  EXPECT_EQ(media.remote_sdp->connection->address, "192.0.2.19");
  ASSERT_EQ(alice.core->hangup(net.now, a), std::error_code{});
  net.run();
  const message bye = net.inbox("peer2").back().msg;
  ASSERT_EQ(bye.method(), method::bye);
  EXPECT_EQ(bye.request_uri(), "sip:bob@192.0.2.19");
  EXPECT_EQ(cseq_of(bye), "2 BYE");
  EXPECT_EQ(to_tag(bye), "314159");
  EXPECT_EQ(net.take_wire(), lines({"alice->peer INVITE", "peer->alice 200", "alice->peer ACK",
                                    "peer2->alice INVITE", "alice->peer2 100", "alice->peer2 200",
                                    "peer2->alice ACK", "alice->peer2 BYE"}));
}

// RFC 3264 §8: a re-offer whose o= line changed other than its version is
// refused (488), and the session stays as it was.
TEST_F(core_rfc3665, reoffer_with_changed_origin_is_488) {
  call("sip:bob@192.0.2.9");
  const message invite = last_invite();
  net.inject("192.0.2.9:5060", alice,
             reply(invite, 200, "OK", "314159", {"Contact: <sip:bob@192.0.2.9>"},
                   sdp_text("192.0.2.9", 3456, 2890844527, 1)));
  net.inject("192.0.2.9:5060", alice,
             sip_text({"INVITE sip:alice@192.0.2.1:5060 SIP/2.0",
                       "Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bKnew1", "Max-Forwards: 70",
                       "From: <sip:bob@192.0.2.9>;tag=314159",
                       "To: <sip:alice@example.com>;tag=" + from_tag(invite),
                       "Call-ID: " + std::string{invite.call_id()}, "CSeq: 14 INVITE",
                       "Contact: <sip:bob@192.0.2.19>"},
                      sdp_text("192.0.2.19", 3456, 2890844527, 2)));
  EXPECT_EQ(net.inbox("peer").back().msg.status_code(), 488);
  EXPECT_EQ(alice.events, lines({"answered"}));
}

// RFC 3665 §3.8 (without the proxies): 180, CANCEL, 200 (CANCEL), 487,
// ACK; the CANCEL is the INVITE's (§9.1), the ACK of the 487 too (§17.1.1.3).
TEST_F(core_rfc3665, s3_8_unsuccessful_no_answer) {
  const call_handle a = call("sip:bob@192.0.2.9");
  const message invite = last_invite();
  net.inject("192.0.2.9:5060", alice, reply(invite, 180, "Ringing", "314159"));
  ASSERT_EQ(alice.core->hangup(net.now, a), std::error_code{});
  net.run();
  EXPECT_EQ(alice.core->state(a), call_state::terminating);
  const message cancel = net.inbox("peer").back().msg;
  ASSERT_EQ(cancel.method(), method::cancel);
  EXPECT_EQ(cancel.request_uri(), invite.request_uri());
  EXPECT_EQ(branch_of(cancel), branch_of(invite));
  EXPECT_EQ(cseq_of(cancel), "1 CANCEL");
  EXPECT_EQ(cancel.call_id(), invite.call_id());
  EXPECT_EQ(from_tag(cancel), from_tag(invite));
  EXPECT_EQ(cancel.value(header_id::to), invite.value(header_id::to));
  net.inject("192.0.2.9:5060", alice, reply(cancel, 200, "OK", "314159"));
  net.inject("192.0.2.9:5060", alice, reply(invite, 487, "Request Terminated", "314159"));
  const message ack = net.inbox("peer").back().msg;
  ASSERT_EQ(ack.method(), method::ack);
  EXPECT_EQ(ack.request_uri(), invite.request_uri());
  EXPECT_EQ(branch_of(ack), branch_of(invite));
  EXPECT_EQ(cseq_of(ack), "1 ACK");
  EXPECT_EQ(to_tag(ack), "314159");
  EXPECT_EQ(net.take_wire(), lines({"alice->peer INVITE", "peer->alice 180", "alice->peer CANCEL",
                                    "peer->alice 200", "peer->alice 487", "alice->peer ACK"}));
  EXPECT_EQ(alice.events, lines({"progress 180", "ended cancelled 487"}));
}

// RFC 3665 §3.9: 486 Busy Here, ACKed by the transaction.
TEST_F(core_rfc3665, s3_9_unsuccessful_busy) {
  const call_handle a = call("sip:bob@192.0.2.9");
  const message invite = last_invite();
  net.inject("192.0.2.9:5060", alice, reply(invite, 486, "Busy Here", "314159"));
  const message ack = net.inbox("peer").back().msg;
  ASSERT_EQ(ack.method(), method::ack);
  EXPECT_EQ(ack.request_uri(), invite.request_uri());
  EXPECT_EQ(branch_of(ack), branch_of(invite));
  EXPECT_EQ(cseq_of(ack), "1 ACK");
  EXPECT_EQ(to_tag(ack), "314159");
  EXPECT_EQ(net.take_wire(), lines({"alice->peer INVITE", "peer->alice 486", "alice->peer ACK"}));
  EXPECT_EQ(alice.events, lines({"ended rejected 486"}));
  EXPECT_EQ(alice.core->state(a), call_state::ended);
  // The retransmitted 486 is ACKed again (Timer D keeps the transaction).
  net.inject("192.0.2.9:5060", alice, reply(invite, 486, "Busy Here", "314159"));
  EXPECT_EQ(net.take_wire(), lines({"peer->alice 486", "alice->peer ACK (retx)"}));
  EXPECT_EQ(alice.events, lines({"ended rejected 486"}));
}

// RFC 3665 §3.10 as the UA sees it with no proxy: nobody answers. Timer A
// re-sends the INVITE after 0.5, 1, 2, 4, 8 and 16 s (at 0.5, 1.5, 3.5,
// 7.5, 15.5, 31.5 s) and Timer B (64·T1) ends the call with 408 at 32 s.
TEST_F(core_rfc3665, s3_10_unsuccessful_no_response_timer_b) {
  const auto start = net.now;
  const call_handle a = call("sip:bob@192.0.2.9");
  net.advance(31999ms);
  EXPECT_EQ(alice.core->state(a), call_state::calling);
  EXPECT_EQ(alice.events, lines{});
  net.advance(1ms);
  EXPECT_EQ(net.take_timed(start),
            lines({"0ms alice->peer INVITE", "500ms alice->peer INVITE (retx)",
                   "1500ms alice->peer INVITE (retx)", "3500ms alice->peer INVITE (retx)",
                   "7500ms alice->peer INVITE (retx)", "15500ms alice->peer INVITE (retx)",
                   "31500ms alice->peer INVITE (retx)"}));
  EXPECT_EQ(alice.events, lines({"ended timeout 408"}));
  // Nothing else holds the call: the handle is stale at once.
  EXPECT_EQ(alice.core->calls(), 0U);
  EXPECT_EQ(alice.core->hangup(net.now, a), make_error_code(core_errc::unknown_call));
  EXPECT_EQ(alice.core->next_deadline(), std::nullopt);
}

// RFC 3665 §3.11: 180, then 480 Temporarily Unavailable.
TEST_F(core_rfc3665, s3_11_unsuccessful_temporarily_unavailable) {
  const call_handle a = call("sip:bob@192.0.2.9");
  const message invite = last_invite();
  net.inject("192.0.2.9:5060", alice, reply(invite, 180, "Ringing", "314159"));
  EXPECT_EQ(alice.core->state(a), call_state::early);
  net.inject("192.0.2.9:5060", alice, reply(invite, 480, "Temporarily Unavailable", "314159"));
  EXPECT_EQ(net.take_wire(),
            lines({"alice->peer INVITE", "peer->alice 180", "peer->alice 480", "alice->peer ACK"}));
  EXPECT_EQ(to_tag(net.inbox("peer").back().msg), "314159");
  EXPECT_EQ(alice.events, lines({"progress 180", "ended rejected 480"}));
}

// ---- RFC 3261 §8.1.3.4: 3xx --------------------------------------------------------

// The redirect loop: the 302 names a URI already tried.
TEST_F(core_rfc3665, redirect_loop_ends_the_call) {
  const call_handle a = call("sip:bob@192.0.2.9");
  net.inject(
      "192.0.2.9:5060", alice,
      reply(last_invite(), 302, "Moved Temporarily", "r1", {"Contact: <sip:carol@192.0.2.9>"}));
  const message second = last_invite();
  EXPECT_EQ(second.request_uri(), "sip:carol@192.0.2.9");
  EXPECT_EQ(cseq_of(second), "2 INVITE");
  net.inject("192.0.2.9:5060", alice,
             reply(second, 302, "Moved Temporarily", "r2", {"Contact: <sip:bob@192.0.2.9>"}));
  EXPECT_EQ(net.take_wire(), lines({"alice->peer INVITE", "peer->alice 302", "alice->peer ACK",
                                    "alice->peer INVITE", "peer->alice 302", "alice->peer ACK"}));
  EXPECT_EQ(alice.events, lines({"ended redirect failed 302"}));
  EXPECT_EQ(alice.core->state(a), call_state::ended);
}

// Several Contacts in two fields: the highest q is tried first (§8.1.3.4).
TEST_F(core_rfc3665, redirect_follows_q_order) {
  call("sip:bob@192.0.2.9");
  net.inject("192.0.2.9:5060", alice,
             reply(last_invite(), 302, "Moved Temporarily", "r1",
                   {"Contact: <sip:low@192.0.2.9>;q=0.1, <sip:high@192.0.2.9>;q=0.9",
                    "Contact: <sip:mid@192.0.2.9>;q=0.5"}));
  EXPECT_EQ(last_invite().request_uri(), "sip:high@192.0.2.9");
}

// A 302 after an early dialog with the first target: that early dialog is
// gone (a request in it gets 481); the new target's dialog is the call's.
TEST_F(core_rfc3665, redirect_after_an_early_dialog) {
  const call_handle a = call("sip:bob@192.0.2.9");
  const message first = last_invite();
  net.inject("192.0.2.9:5060", alice,
             reply(first, 180, "Ringing", "early1", {"Contact: <sip:bob@192.0.2.9>"}));
  EXPECT_EQ(alice.core->state(a), call_state::early);
  net.inject("192.0.2.9:5060", alice,
             reply(first, 302, "Moved Temporarily", "early1", {"Contact: <sip:bob@192.0.2.2>"}));
  EXPECT_EQ(alice.core->state(a), call_state::calling);
  // The old early dialog is forgotten.
  net.inject("192.0.2.9:5060", alice,
             sip_text({"INFO sip:alice@192.0.2.1:5060 SIP/2.0",
                       "Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bKold1", "Max-Forwards: 70",
                       "From: <sip:bob@192.0.2.9>;tag=early1",
                       "To: <sip:alice@example.com>;tag=" + from_tag(first),
                       "Call-ID: " + std::string{first.call_id()}, "CSeq: 1 INFO"}));
  EXPECT_EQ(net.inbox("peer").back().msg.status_code(), 481);
  const call_handle b = *bob.last_incoming;
  ASSERT_EQ(bob.core->answer(net.now, b, {audio("192.0.2.2", 3456, 2002), {}}), std::error_code{});
  net.run();
  EXPECT_EQ(alice.events, lines({"progress 180", "answered"}));
  EXPECT_EQ(alice.core->state(a), call_state::confirmed);
  EXPECT_EQ(cseq_of(net.seen_labelled("ACK").back()), "2 ACK");
}

// ua_core_config::max_redirects: after that many, the next 3xx ends the call.
TEST(core_redirect, limit_ends_the_call_with_redirect_failed) {
  core_net net;
  ua_node& alice =
      net.add("alice", "192.0.2.1", 5060, [](ua_core_config& c) { c.max_redirects = 2; });
  net.add_peer("peer", "192.0.2.9");
  call_options o;
  o.target = "sip:u0@192.0.2.9";
  o.media = audio("192.0.2.1", 49170, 1001);
  const auto a = alice.core->call(net.now, std::move(o));
  ASSERT_TRUE(a);
  net.run();
  for (int i = 1; i <= 3; ++i) {
    const message invite = net.inbox("peer").back().msg;
    ASSERT_EQ(invite.method(), method::invite) << i;
    EXPECT_EQ(cseq_of(invite), std::to_string(i) + " INVITE");
    net.inject("192.0.2.9:5060", alice,
               reply(invite, 302, "Moved Temporarily", "r" + std::to_string(i),
                     {"Contact: <sip:u" + std::to_string(i) + "@192.0.2.9>"}));
    if (i < 3) {
      ASSERT_EQ(net.inbox("peer").back().msg.method(), method::invite);
    }
  }
  EXPECT_EQ(net.seen_labelled("INVITE").size(), 3U);
  EXPECT_EQ(net.inbox("peer").back().msg.method(), method::ack);
  EXPECT_EQ(alice.events, lines({"ended redirect failed 302"}));
}

// A 3xx with no usable Contact (none, or not sip/sips) ends the call.
TEST_F(core_rfc3665, redirect_without_usable_contact) {
  call("sip:bob@192.0.2.9");
  net.inject("192.0.2.9:5060", alice,
             reply(last_invite(), 302, "Moved Temporarily", "r1", {"Contact: <tel:+15551234>"}));
  EXPECT_EQ(alice.events, lines({"ended redirect failed 302"}));
  EXPECT_EQ(net.seen_labelled("INVITE").size(), 1U);
}

}  // namespace
}  // namespace sipua::test
