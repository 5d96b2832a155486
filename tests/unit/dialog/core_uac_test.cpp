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
    call_options o;
    o.target = "sip:bob@192.0.2.9";
    o.media = audio("192.0.2.1", 49170, 1001);
    auto h = alice.core->call(net.now, std::move(o));
    EXPECT_TRUE(h);
    net.run();
    call = h ? *h : call_handle{};
    invite = net.inbox("peer").back().msg;
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
  ASSERT_FALSE(alice.events.empty());
  EXPECT_EQ(alice.events.back().rfind("ended ", 0), 0U) << alice.events.back();
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

}  // namespace
}  // namespace sipua::test
