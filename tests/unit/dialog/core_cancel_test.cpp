// CANCEL and its race with the 2xx (RFC 3261 §9.1, §9.2, §15): the caller
// cancels while the callee's 200 is on its way; the CANCEL comes too late,
// so the caller ACKs the 200 and ends the call with BYE.
#include <gtest/gtest.h>

#include "core_harness.hpp"

namespace sipua::test {
namespace {

// A scripted callee: its 200 crosses our CANCEL; the CANCEL gets 200 too
// (§9.2: the INVITE already had its final response, no 487).
TEST(core_cancel, cancel_crosses_the_200_scripted_peer) {
  core_net net;
  ua_node& alice = net.add("alice", "192.0.2.1");
  net.add_peer("peer", "192.0.2.9");
  const peer_call started = call_peer(net, alice, "peer");
  const std::optional<call_handle> a = started.call;
  const message& invite = started.invite;
  net.inject("192.0.2.9:5060", alice, reply(invite, 180, "Ringing", "314159"));
  ASSERT_EQ(alice.core->hangup(net.now, *a), std::error_code{});
  // A second hangup while the CANCEL is under way is refused.
  EXPECT_EQ(alice.core->hangup(net.now, *a), make_error_code(core_errc::wrong_state));
  net.run();
  const message cancel = net.inbox("peer").back().msg;
  ASSERT_EQ(cancel.method(), method::cancel);
  EXPECT_EQ(branch_of(cancel), branch_of(invite));
  // The 200 to the INVITE was already on its way.
  net.inject("192.0.2.9:5060", alice,
             reply(invite, 200, "OK", "314159", {"Contact: <sip:bob@192.0.2.9>"},
                   sdp_text("192.0.2.9", 3456, 77, 1)));
  net.inject("192.0.2.9:5060", alice, reply(cancel, 200, "OK", "314159"));
  EXPECT_EQ(net.take_wire(),
            lines({"alice->peer INVITE", "peer->alice 180", "alice->peer CANCEL", "peer->alice 200",
                   "alice->peer ACK", "alice->peer BYE", "peer->alice 200"}));
  const auto& in = net.inbox("peer");
  ASSERT_GE(in.size(), 4U);
  const message ack = in[in.size() - 2].msg;
  const message bye = in[in.size() - 1].msg;
  ASSERT_EQ(ack.method(), method::ack);
  ASSERT_EQ(bye.method(), method::bye);
  // §13.2.2.4: the ACK in the dialog of the 2xx; then the BYE (§15).
  EXPECT_EQ(ack.request_uri(), "sip:bob@192.0.2.9");
  EXPECT_EQ(cseq_of(ack), "1 ACK");
  EXPECT_EQ(to_tag(ack), "314159");
  EXPECT_NE(branch_of(ack), branch_of(invite));
  EXPECT_EQ(bye.request_uri(), "sip:bob@192.0.2.9");
  EXPECT_EQ(cseq_of(bye), "2 BYE");
  EXPECT_EQ(to_tag(bye), "314159");
  EXPECT_EQ(alice.events, lines({"progress 180", "ended local hangup 0"}));
  net.inject("192.0.2.9:5060", alice, reply(bye, 200, "OK"));
  // A retransmitted 200 is ACKed again, nothing else.
  net.take_wire();
  net.inject("192.0.2.9:5060", alice,
             reply(invite, 200, "OK", "314159", {"Contact: <sip:bob@192.0.2.9>"},
                   sdp_text("192.0.2.9", 3456, 77, 1)));
  EXPECT_EQ(net.take_wire(), lines({"peer->alice 200", "alice->peer ACK (retx)"}));
  EXPECT_EQ(alice.events, lines({"progress 180", "ended local hangup 0"}));
  net.advance(40s);
  EXPECT_EQ(alice.core->calls(), 0U);
}

// The same race between two cores: Bob answers in the instant Alice
// cancels. The CANCEL reaches Bob after his 200 (§9.2: 200 to it, no
// 487); the 200 reaches Alice after her CANCEL left: ACK, then BYE.
TEST(core_cancel, cancel_crosses_the_200_two_cores) {
  core_net net;
  ua_node& alice = net.add("alice", "192.0.2.1");
  ua_node& bob = net.add("bob", "192.0.2.2");
  const std::optional<call_handle> a = place_call(net, alice, "sip:bob@192.0.2.2");
  ASSERT_TRUE(bob.last_incoming);
  const call_handle b = *bob.last_incoming;
  ASSERT_EQ(bob.core->ring(net.now, b), std::error_code{});
  net.run();
  net.take_wire();
  ASSERT_EQ(alice.core->hangup(net.now, *a), std::error_code{});
  ASSERT_EQ(bob.core->answer(net.now, b, {audio("192.0.2.2", 3456, 2002), {}}), std::error_code{});
  net.run();
  // Both sent in the same instant: Bob's 200 leaves before the CANCEL
  // arrives, so the CANCEL's 200 comes after Alice's ACK and BYE.
  EXPECT_EQ(net.take_wire(), lines({"alice->bob CANCEL", "bob->alice 200", "alice->bob ACK",
                                    "alice->bob BYE", "bob->alice 200", "bob->alice 200"}));
  const auto oks = net.seen_labelled("200");
  ASSERT_EQ(oks.size(), 3U);
  EXPECT_EQ(cseq_of(oks[0]), "1 INVITE");
  EXPECT_EQ(cseq_of(oks[1]), "1 CANCEL");
  EXPECT_EQ(cseq_of(oks[2]), "2 BYE");
  EXPECT_TRUE(net.seen_labelled("487").empty());
  EXPECT_EQ(alice.events, lines({"progress 180", "ended local hangup 0"}));
  EXPECT_EQ(bob.events, lines({"incoming (offer)", "answered", "ended remote hangup 0"}));
  net.advance(40s);
  EXPECT_EQ(alice.core->calls(), 0U);
  EXPECT_EQ(bob.core->calls(), 0U);
}

// CANCEL before any provisional response: §9.1 holds it until one comes.
TEST(core_cancel, cancel_waits_for_a_provisional_response) {
  core_net net;
  ua_node& alice = net.add("alice", "192.0.2.1");
  net.add_peer("peer", "192.0.2.9");
  const peer_call started = call_peer(net, alice, "peer");
  const std::optional<call_handle> a = started.call;
  const message& invite = started.invite;
  ASSERT_EQ(alice.core->hangup(net.now, *a), std::error_code{});
  net.run();
  EXPECT_EQ(net.take_wire(), lines({"alice->peer INVITE"}));
  net.inject("192.0.2.9:5060", alice, reply(invite, 100, "Trying"));
  EXPECT_EQ(net.take_wire(), lines({"peer->alice 100", "alice->peer CANCEL"}));
  const message cancel = net.inbox("peer").back().msg;
  EXPECT_EQ(branch_of(cancel), branch_of(invite));
  EXPECT_EQ(cseq_of(cancel), "1 CANCEL");
  net.inject("192.0.2.9:5060", alice, reply(cancel, 200, "OK", "t1"));
  net.inject("192.0.2.9:5060", alice, reply(invite, 487, "Request Terminated", "t1"));
  EXPECT_EQ(alice.events, lines({"ended cancelled 487"}));
}

}  // namespace
}  // namespace sipua::test
