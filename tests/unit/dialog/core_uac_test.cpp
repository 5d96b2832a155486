// The calling side against a scripted callee (RFC 3261 §13.2.2): responses
// that are not what a well-behaved UAS sends, and provisional responses
// without a tag.
#include <gtest/gtest.h>

#include "core_harness.hpp"

namespace sipua::test {
namespace {

constexpr const char* peer = "192.0.2.9:5060";

class core_uac : public ::testing::Test {
 protected:
  core_net net;
  ua_node& alice = net.add("alice", "192.0.2.1");
  call_handle call;
  message invite;

  core_uac() {
    net.add_peer("peer", "192.0.2.9");
    const peer_call started = call_peer(net, alice, "peer");
    call = started.call;
    invite = started.invite;
  }
};

// A 1xx without a To tag creates no early dialog (§12.1.2) but is still
// progress; the state stays calling.
TEST_F(core_uac, provisional_without_tag) {
  net.inject(peer, alice, reply(invite, 180, "Ringing"));
  EXPECT_EQ(alice.events, lines({"progress 180"}));
  EXPECT_EQ(alice.core->state(call), call_state::calling);
  net.inject(peer, alice, reply(invite, 100, "Trying"));
  EXPECT_EQ(alice.events, lines({"progress 180"}));  // 100 is not reported
}

// A 2xx with no SDP although the INVITE offered and no 1xx answered: the
// call cannot have media; it is ACKed and ended with BYE (§13.2.2.4, §15).
TEST_F(core_uac, answer_without_sdp_is_acked_and_ended) {
  net.inject(peer, alice, reply(invite, 200, "OK", "t1", {"Contact: <sip:bob@192.0.2.9>"}));
  EXPECT_EQ(net.take_wire(),
            lines({"alice->peer INVITE", "peer->alice 200", "alice->peer ACK", "alice->peer BYE"}));
  // Our offer got no answer: the call failed (not a hangup of ours).
  EXPECT_EQ(alice.events, lines({"ended failed 0"}));
  EXPECT_EQ(alice.core->state(call), call_state::ended);
}

// A 2xx without Contact (which §13.3.1.4 requires) cannot give a dialog a
// remote target; the call must not hang: it ends, at the latest when the
// INVITE transaction is gone.
TEST_F(core_uac, answer_without_contact_does_not_hang) {
  net.inject(peer, alice, reply(invite, 200, "OK", "t1", {}, sdp_text("192.0.2.9", 3456, 77, 1)));
  EXPECT_EQ(alice.events, lines({"ended failed 200"}));
  net.advance(40s);
  EXPECT_EQ(alice.core->calls(), 0U);
}

// The same after an early dialog: the 2xx cannot confirm it.
TEST_F(core_uac, answer_without_contact_after_early_dialog) {
  net.inject(peer, alice, reply(invite, 180, "Ringing", "t1", {"Contact: <sip:bob@192.0.2.9>"}));
  EXPECT_EQ(alice.core->state(call), call_state::early);
  net.inject(peer, alice, reply(invite, 200, "OK", "t1", {}, sdp_text("192.0.2.9", 3456, 77, 1)));
  EXPECT_EQ(alice.events, lines({"progress 180", "ended failed 200"}));
  // Its retransmission changes nothing.
  net.inject(peer, alice, reply(invite, 200, "OK", "t1", {}, sdp_text("192.0.2.9", 3456, 77, 1)));
  EXPECT_EQ(alice.events, lines({"progress 180", "ended failed 200"}));
  net.advance(40s);
  EXPECT_EQ(alice.core->calls(), 0U);
}

// A 1xx of another fork after the call was answered: no new early dialog
// and no progress after "answered".
TEST_F(core_uac, provisional_after_answer_is_not_progress) {
  net.inject(peer, alice,
             reply(invite, 200, "OK", "t1", {"Contact: <sip:bob@192.0.2.9>"},
                   sdp_text("192.0.2.9", 3456, 77, 1)));
  net.inject(peer, alice,
             reply(invite, 180, "Ringing", "t2", {"Contact: <sip:bob@192.0.2.19>"},
                   sdp_text("192.0.2.19", 3458, 78, 1)));
  EXPECT_EQ(alice.events, lines({"answered"}));
  EXPECT_EQ(alice.core->state(call), call_state::confirmed);
}

// §13.2.2.4: a retransmission of the INVITE's 2xx gets the ACK of that 2xx
// (CSeq 1), even after a re-INVITE got its own ACK (CSeq 2) since.
TEST_F(core_uac, retransmitted_2xx_after_a_reinvite_gets_its_own_ack) {
  const std::string ok = reply(invite, 200, "OK", "t1", {"Contact: <sip:bob@192.0.2.9>"},
                               sdp_text("192.0.2.9", 3456, 77, 1));
  net.inject(peer, alice, ok);
  const message first_ack = net.inbox("peer").back().msg;
  ASSERT_EQ(first_ack.method(), method::ack);
  ASSERT_EQ(alice.core->hold(net.now, call), std::error_code{});
  net.run();
  const message reinvite = net.inbox("peer").back().msg;
  ASSERT_EQ(reinvite.method(), method::invite);
  const std::string reinvite_ok = reply(reinvite, 200, "OK", {}, {"Contact: <sip:bob@192.0.2.9>"},
                                        sdp_text("192.0.2.9", 3456, 77, 2, "recvonly"));
  net.inject(peer, alice, reinvite_ok);
  const message second_ack = net.inbox("peer").back().msg;
  ASSERT_EQ(second_ack.method(), method::ack);
  EXPECT_EQ(std::string{second_ack.value(header_id::cseq)}, "2 ACK");
  // The INVITE's 2xx again: its own ACK, byte for byte.
  net.inject(peer, alice, ok);
  const message again = net.inbox("peer").back().msg;
  ASSERT_EQ(again.method(), method::ack);
  EXPECT_EQ(std::string{again.value(header_id::cseq)}, "1 ACK");
  EXPECT_EQ(again.bytes(), first_ack.bytes());
  // The re-INVITE's 2xx again: its ACK, byte for byte.
  net.inject(peer, alice, reinvite_ok);
  EXPECT_EQ(net.inbox("peer").back().msg.bytes(), second_ack.bytes());
  EXPECT_EQ(alice.events, lines({"answered", "media ok sendonly"}));
}

// A re-INVITE the peer refuses (488): the media stays as it was (§14.1),
// the call stays up, and the next re-INVITE offers from the old state.
TEST_F(core_uac, refused_reinvite_keeps_the_media) {
  net.inject(peer, alice,
             reply(invite, 200, "OK", "t1", {"Contact: <sip:bob@192.0.2.9>"},
                   sdp_text("192.0.2.9", 3456, 77, 1)));
  ASSERT_EQ(alice.core->hold(net.now, call), std::error_code{});
  net.run();
  const message first = net.inbox("peer").back().msg;
  net.inject(peer, alice, reply(first, 488, "Not Acceptable Here"));
  EXPECT_EQ(alice.events, lines({"answered", "media failed 488"}));
  const auto& failed = std::get<call_media_event>(alice.raw.back());
  EXPECT_EQ(direction_of(failed.local_sdp), "sendrecv");
  EXPECT_EQ(alice.core->state(call), call_state::confirmed);
  ASSERT_EQ(alice.core->hold(net.now, call), std::error_code{});
  net.run();
  const message second = net.inbox("peer").back().msg;
  ASSERT_EQ(second.method(), method::invite);
  EXPECT_EQ(std::string{second.value(header_id::cseq)}, "3 INVITE");
  EXPECT_NE(second.body().find("a=sendonly"), std::string_view::npos) << second.body();
  // RFC 3264 §8: one version more than the last SDP that was accepted.
  EXPECT_NE(second.body().find("o=- 1001 2 IN IP4"), std::string_view::npos) << second.body();
}

// A target known by name: the runtime resolves it (resolve_action); a
// failed resolution ends the call like a transport error (503, §8.1.3.1).
TEST(core_uac_resolve, unresolvable_target_ends_the_call) {
  core_net net;
  ua_node& alice = net.add("alice", "192.0.2.1");
  call_options o;
  o.target = "sip:bob@nowhere.example.com";
  o.media = audio("192.0.2.1", 49170, 1001);
  const auto a = alice.core->call(net.now, std::move(o));
  ASSERT_TRUE(a);
  net.run();
  EXPECT_EQ(net.take_wire(), lines{});
  EXPECT_EQ(alice.events, lines({"ended transport error 503"}));
  EXPECT_EQ(alice.core->calls(), 0U);
}

// A strict router in the Record-Route (no lr, RFC 2543): requests in the
// dialog go to it with its URI as Request-URI and the remote target as the
// last Route (§12.2.1.1).
TEST_F(core_uac, strict_router_in_the_route_set) {
  net.inject(peer, alice,
             reply(invite, 200, "OK", "t1",
                   {"Record-Route: <sip:192.0.2.9>", "Contact: <sip:bob@192.0.2.19>"},
                   sdp_text("192.0.2.9", 3456, 77, 1)));
  const message ack = net.inbox("peer").back().msg;
  ASSERT_EQ(ack.method(), method::ack);
  EXPECT_EQ(ack.request_uri(), "sip:192.0.2.9");
  EXPECT_EQ(values(ack, header_id::route), std::vector<std::string>{"<sip:bob@192.0.2.19>"});
  ASSERT_EQ(alice.core->hangup(net.now, call), std::error_code{});
  net.run();
  const message bye = net.inbox("peer").back().msg;
  ASSERT_EQ(bye.method(), method::bye);
  EXPECT_EQ(bye.request_uri(), "sip:192.0.2.9");
  EXPECT_EQ(values(bye, header_id::route), std::vector<std::string>{"<sip:bob@192.0.2.19>"});
}

// Early media from a core: 183 with the answer, then 200 repeating it
// (RFC 6337 §3.1.1); the ACK carries no SDP; one dialog throughout.
TEST(core_uac_early_media, progress_then_answer_between_cores) {
  core_net net;
  ua_node& alice = net.add("alice", "192.0.2.1");
  ua_node& bob = net.add("bob", "192.0.2.2");
  place_call(net, alice, "sip:bob@192.0.2.2");
  ASSERT_TRUE(bob.last_incoming);
  const call_handle b = *bob.last_incoming;
  ASSERT_EQ(bob.core->progress(net.now, b, {audio("192.0.2.2", 3456, 2002), {}}),
            std::error_code{});
  net.run();
  EXPECT_EQ(alice.events, lines({"progress 183 (sdp)"}));
  ASSERT_EQ(bob.core->answer(net.now, b, {}), std::error_code{});
  net.run();
  EXPECT_EQ(net.take_wire(), lines({"alice->bob INVITE", "bob->alice 100", "bob->alice 183",
                                    "bob->alice 200", "alice->bob ACK"}));
  const message p = net.seen_labelled("183").at(0);
  const message ok = net.seen_labelled("200").at(0);
  EXPECT_EQ(ok.body(), p.body());
  EXPECT_EQ(ok.to()->tag(), p.to()->tag());
  EXPECT_TRUE(net.seen_labelled("ACK").at(0).body().empty());
  EXPECT_EQ(alice.events, lines({"progress 183 (sdp)", "answered"}));
  EXPECT_EQ(bob.events, lines({"incoming (offer)", "answered"}));
  const auto& answered = std::get<call_answered_event>(alice.raw.back());
  ASSERT_TRUE(answered.remote_sdp);
  EXPECT_EQ(answered.remote_sdp->media.at(0).port, 3456);
}

}  // namespace
}  // namespace sipua::test
