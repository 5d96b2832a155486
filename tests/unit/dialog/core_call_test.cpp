// The UA core end to end between two cores on the virtual network: a call
// set up, answered and torn down from either side (RFC 3665 §3.1 without
// proxies), rejected (§3.2 busy), cancelled (§3.8 no answer).
#include <gtest/gtest.h>

#include "core_harness.hpp"

namespace sipua::test {
namespace {

class core_call : public ::testing::Test {
 protected:
  core_net net;
  ua_node& alice = net.add("alice", "192.0.2.1");
  ua_node& bob = net.add("bob", "192.0.2.2");

  call_handle call_bob() { return place_call(net, alice, "sip:bob@192.0.2.2"); }
};

TEST_F(core_call, answered_then_caller_hangs_up) {
  const call_handle a = call_bob();
  ASSERT_TRUE(bob.last_incoming);
  const call_handle b = *bob.last_incoming;
  EXPECT_EQ(bob.events, lines({"incoming (offer)"}));
  EXPECT_EQ(bob.core->ring(net.now, b), std::error_code{});
  net.run();
  EXPECT_EQ(bob.core->answer(net.now, b, {audio("192.0.2.2", 3456, 2002), {}}), std::error_code{});
  net.run();
  EXPECT_EQ(net.take_wire(), lines({"alice->bob INVITE", "bob->alice 100", "bob->alice 180",
                                    "bob->alice 200", "alice->bob ACK"}));
  EXPECT_EQ(alice.events, lines({"progress 180", "answered"}));
  EXPECT_EQ(bob.events, lines({"incoming (offer)", "answered"}));
  EXPECT_EQ(alice.core->state(a), call_state::confirmed);
  EXPECT_EQ(bob.core->state(b), call_state::confirmed);

  EXPECT_EQ(alice.core->hangup(net.now, a), std::error_code{});
  net.run();
  EXPECT_EQ(net.take_wire(), lines({"alice->bob BYE", "bob->alice 200"}));
  EXPECT_EQ(alice.events.back(), "ended local hangup 0");
  EXPECT_EQ(bob.events.back(), "ended remote hangup 0");
  net.advance(40s);
  EXPECT_EQ(alice.core->calls(), 0U);
  EXPECT_EQ(bob.core->calls(), 0U);
  EXPECT_EQ(alice.core->hangup(net.now, a), make_error_code(core_errc::unknown_call));
}

TEST_F(core_call, busy) {
  const call_handle a = call_bob();
  const call_handle b = *bob.last_incoming;
  EXPECT_EQ(bob.core->reject(net.now, b), std::error_code{});
  net.run();
  EXPECT_EQ(net.take_wire(),
            lines({"alice->bob INVITE", "bob->alice 100", "bob->alice 486", "alice->bob ACK"}));
  EXPECT_EQ(alice.events, lines({"ended rejected 486"}));
  EXPECT_EQ(bob.events, lines({"incoming (offer)", "ended local hangup 486"}));
  EXPECT_EQ(alice.core->state(a), call_state::ended);
  net.advance(40s);
  EXPECT_EQ(alice.core->calls(), 0U);
  EXPECT_EQ(bob.core->calls(), 0U);
}

TEST_F(core_call, cancelled_before_answer) {
  const call_handle a = call_bob();
  const call_handle b = *bob.last_incoming;
  ASSERT_EQ(bob.core->ring(net.now, b), std::error_code{});
  net.run();
  net.take_wire();
  EXPECT_EQ(alice.core->hangup(net.now, a), std::error_code{});
  net.run();
  EXPECT_EQ(net.take_wire(),
            lines({"alice->bob CANCEL", "bob->alice 200", "bob->alice 487", "alice->bob ACK"}));
  EXPECT_EQ(alice.events, lines({"progress 180", "ended cancelled 487"}));
  EXPECT_EQ(bob.events, lines({"incoming (offer)", "ended cancelled 487"}));
  // The call is over, its transactions drain: wrong_state, then a stale handle.
  EXPECT_EQ(bob.core->answer(net.now, b, {}), make_error_code(core_errc::wrong_state));
  net.advance(40s);
  EXPECT_EQ(bob.core->answer(net.now, b, {}), make_error_code(core_errc::unknown_call));
  EXPECT_EQ(alice.core->calls(), 0U);
  EXPECT_EQ(bob.core->calls(), 0U);
}

TEST_F(core_call, delayed_offer_is_answered_in_the_ack) {
  call_options o;
  o.target = "sip:bob@192.0.2.2";
  o.media = audio("192.0.2.1", 49170, 1001);
  o.delayed_offer = true;
  auto a = alice.core->call(net.now, std::move(o));
  ASSERT_TRUE(a);
  net.run();
  ASSERT_TRUE(bob.last_incoming);
  EXPECT_EQ(bob.events, lines({"incoming"}));  // §13.2.1: no offer in the INVITE
  ASSERT_EQ(bob.core->answer(net.now, *bob.last_incoming, {audio("192.0.2.2", 3456, 2002), {}}),
            std::error_code{});
  net.run();
  EXPECT_EQ(net.take_wire(),
            lines({"alice->bob INVITE", "bob->alice 100", "bob->alice 200", "alice->bob ACK"}));
  EXPECT_EQ(alice.events, lines({"answered"}));
  EXPECT_EQ(bob.events, lines({"incoming", "answered"}));
  // The offer went in the 200, the answer in the ACK: both sides agree.
  const auto* up = std::get_if<call_answered_event>(&alice.raw.back());
  const auto* down = std::get_if<call_answered_event>(&bob.raw.back());
  ASSERT_TRUE(up && down && up->local_sdp && up->remote_sdp && down->local_sdp && down->remote_sdp);
  EXPECT_EQ(up->remote_sdp->media[0].port, 3456);
  EXPECT_EQ(down->remote_sdp->media[0].port, 49170);
  EXPECT_EQ(up->local_sdp->media[0].formats, (std::vector<std::string>{"0", "101"}));
}

TEST_F(core_call, callee_hangs_up) {
  const call_handle a = call_bob();
  const call_handle b = *bob.last_incoming;
  ASSERT_EQ(bob.core->answer(net.now, b, {audio("192.0.2.2", 3456, 2002), {}}), std::error_code{});
  net.run();
  net.take_wire();
  ASSERT_EQ(bob.core->hangup(net.now, b), std::error_code{});
  net.run();
  EXPECT_EQ(net.take_wire(), lines({"bob->alice BYE", "alice->bob 200"}));
  EXPECT_EQ(alice.events, lines({"answered", "ended remote hangup 0"}));
  EXPECT_EQ(bob.events, lines({"incoming (offer)", "answered", "ended local hangup 0"}));
  EXPECT_EQ(alice.core->state(a), call_state::ended);
}

TEST_F(core_call, hold_and_unhold_from_the_caller) {
  const call_handle a = call_bob();
  const call_handle b = *bob.last_incoming;
  ASSERT_EQ(bob.core->answer(net.now, b, {audio("192.0.2.2", 3456, 2002), {}}), std::error_code{});
  net.run();
  net.take_wire();
  ASSERT_EQ(alice.core->hold(net.now, a), std::error_code{});
  EXPECT_EQ(alice.core->hold(net.now, a), make_error_code(core_errc::request_pending));
  net.run();
  EXPECT_EQ(net.take_wire(),
            lines({"alice->bob INVITE", "bob->alice 100", "bob->alice 200", "alice->bob ACK"}));
  // RFC 3264 §8.4: sendonly offered, recvonly answered.
  EXPECT_EQ(alice.events.back(), "media ok sendonly");
  EXPECT_EQ(bob.events.back(), "media ok recvonly");
  ASSERT_EQ(alice.core->unhold(net.now, a), std::error_code{});
  net.run();
  EXPECT_EQ(alice.events.back(), "media ok sendrecv");
  EXPECT_EQ(bob.events.back(), "media ok sendrecv");
}

TEST_F(core_call, lost_2xx_is_retransmitted_until_the_ack) {
  int lost = 0;
  net.drop = [&](const std::string& from, const message& m) {
    return from == "bob" && m.status_code() == 200 && lost++ < 2;
  };
  call_bob();
  const call_handle b = *bob.last_incoming;
  ASSERT_EQ(bob.core->answer(net.now, b, {audio("192.0.2.2", 3456, 2002), {}}), std::error_code{});
  net.run();
  net.advance(2s);
  // §13.3.1.4: T1, then 2·T1: the third copy gets through.
  EXPECT_EQ(net.take_wire(), lines({"alice->bob INVITE", "bob->alice 100", "bob->alice 200 (lost)",
                                    "bob->alice 200 (lost)", "bob->alice 200", "alice->bob ACK"}));
  EXPECT_EQ(bob.events.back(), "answered");
  EXPECT_EQ(alice.events.back(), "answered");
}

TEST_F(core_call, no_ack_ends_the_call_with_bye_after_64_t1) {
  net.drop = [&](const std::string& from, const message& m) {
    return from == "alice" && m.method() == method::ack;
  };
  call_bob();
  const call_handle b = *bob.last_incoming;
  ASSERT_EQ(bob.core->answer(net.now, b, {audio("192.0.2.2", 3456, 2002), {}}), std::error_code{});
  net.run();
  net.advance(33s);
  EXPECT_EQ(bob.events.back(), "ended timeout 0");
  EXPECT_EQ(alice.events.back(), "ended remote hangup 0");
}

}  // namespace
}  // namespace sipua::test

namespace sipua::test {
namespace {

// A UA listening on UDP only that gets an INVITE over TCP still writes a
// usable Contact (its UDP endpoint), never "<>" (found by fuzz_ua_core).
TEST(core_contact, request_over_a_transport_without_endpoint) {
  core_net net;
  ua_node& bob = net.add("bob", "192.0.2.2", 5060, [](ua_core_config& c) {
    c.endpoints = {local_endpoint{tp::udp, "192.0.2.2", 5060}};
  });
  net.add_peer("peer", "192.0.2.9");
  net.inject("192.0.2.9:5060", bob,
             sip_text({"INVITE sip:bob@192.0.2.2 SIP/2.0",
                       "Via: SIP/2.0/TCP 192.0.2.9:5060;branch=z9hG4bK-tcp-1", "Max-Forwards: 70",
                       "From: <sip:peer@192.0.2.9>;tag=p1", "To: <sip:bob@192.0.2.2>",
                       "Call-ID: tcp-1@192.0.2.9", "CSeq: 1 INVITE",
                       "Contact: <sip:peer@192.0.2.9;transport=tcp>"}),
             tp::tcp);
  ASSERT_TRUE(bob.last_incoming);
  ASSERT_EQ(bob.core->ring(net.now, *bob.last_incoming), std::error_code{});
  net.run();
  const auto& inbox = net.inbox("peer");
  ASSERT_FALSE(inbox.empty());
  const message& ringing = inbox.back().msg;
  EXPECT_EQ(ringing.status_code(), 180);
  EXPECT_EQ(values(ringing, header_id::contact),
            (std::vector<std::string>{"<sip:bob@192.0.2.2:5060>"}));
}

}  // namespace
}  // namespace sipua::test
