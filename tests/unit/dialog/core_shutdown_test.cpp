// ua_core::shutdown(): every call ends (CANCEL / 603 / BYE) with
// end_reason::shutdown, new INVITEs get 503, new requests are refused, and
// the core drains (ua_core.hpp); plus a CANCEL whose INVITE never gets its
// final response (RFC 3261 §9.1).
#include <gtest/gtest.h>

#include <algorithm>

#include "core_harness.hpp"

namespace sipua::test {
namespace {

class core_shutdown : public ::testing::Test {
 protected:
  core_net net;
  ua_node& alice = net.add("alice", "192.0.2.1");
  ua_node& bob = net.add("bob", "192.0.2.2");

  call_handle call_bob() { return place_call(net, alice, "sip:bob@192.0.2.2"); }
};

TEST_F(core_shutdown, ends_every_call_with_reason_shutdown) {
  // One confirmed call, one ringing at Bob, one Bob has not touched.
  const call_handle up = call_bob();
  ASSERT_EQ(bob.core->answer(net.now, *bob.last_incoming, {audio("192.0.2.2", 3456, 2002), {}}),
            std::error_code{});
  net.run();
  const call_handle ringing = call_bob();
  ASSERT_EQ(bob.core->ring(net.now, *bob.last_incoming), std::error_code{});
  net.run();
  const call_handle early = call_bob();
  net.take_wire();
  alice.events.clear();
  alice.core->shutdown(net.now);
  net.run();
  lines wire = net.take_wire();
  std::sort(wire.begin(), wire.end());
  EXPECT_EQ(wire, lines({"alice->bob ACK", "alice->bob ACK", "alice->bob BYE", "alice->bob CANCEL",
                         "alice->bob CANCEL", "bob->alice 200", "bob->alice 200", "bob->alice 200",
                         "bob->alice 487", "bob->alice 487"}));
  lines ended = alice.events;
  std::sort(ended.begin(), ended.end());
  EXPECT_EQ(ended, lines({"ended shutdown 0", "ended shutdown 487", "ended shutdown 487"}));
  EXPECT_EQ(alice.core->state(up), call_state::ended);
  EXPECT_EQ(alice.core->state(ringing), call_state::ended);
  EXPECT_EQ(alice.core->state(early), call_state::ended);
  // Refused from now on.
  call_options o;
  o.target = "sip:bob@192.0.2.2";
  EXPECT_EQ(alice.core->call(net.now, o).error(), make_error_code(core_errc::shut_down));
  EXPECT_EQ(alice.core->send_message(net.now, "sip:bob@192.0.2.2", "text/plain", "x").error(),
            make_error_code(core_errc::shut_down));
  // An INVITE for us: 503 with Retry-After (§21.5.4).
  call_options back;
  back.target = "sip:alice@192.0.2.1";
  back.media = audio("192.0.2.2", 3456, 2002);
  ASSERT_TRUE(bob.core->call(net.now, back));
  net.run();
  EXPECT_EQ(net.seen_labelled("503").size(), 1U);
  EXPECT_EQ(net.seen_labelled("503").at(0).value(header_id::retry_after), "5");
  EXPECT_EQ(bob.events.back(), "ended rejected 503");
  net.advance(40s);
  EXPECT_EQ(alice.core->calls(), 0U);
  EXPECT_EQ(alice.core->next_deadline(), std::nullopt);
}

TEST_F(core_shutdown, callee_side_calls_get_603) {
  call_options o;
  o.target = "sip:alice@192.0.2.1";
  o.media = audio("192.0.2.2", 3456, 2002);
  ASSERT_TRUE(bob.core->call(net.now, o));
  net.run();
  ASSERT_TRUE(alice.last_incoming);
  alice.core->shutdown(net.now);
  net.run();
  EXPECT_EQ(alice.events.back(), "ended shutdown 603");
  EXPECT_EQ(bob.events.back(), "ended rejected 603");
}

// §9.1: a CANCEL answered 200, and the INVITE never gets its 487: after
// 64·T1 the INVITE transaction is given up and the call ends.
TEST(core_cancel_no_487, invite_given_up_after_64_t1) {
  core_net net;
  ua_node& alice = net.add("alice", "192.0.2.1");
  net.add_peer("peer", "192.0.2.9");
  const peer_call started = call_peer(net, alice, "peer");
  const std::optional<call_handle> a = started.call;
  const message& invite = started.invite;
  net.inject("192.0.2.9:5060", alice, reply(invite, 180, "Ringing", "t1"));
  ASSERT_EQ(alice.core->hangup(net.now, *a), std::error_code{});
  net.run();
  const message cancel = net.inbox("peer").back().msg;
  net.inject("192.0.2.9:5060", alice, reply(cancel, 200, "OK", "t1"));
  net.advance(33s);
  ASSERT_FALSE(alice.events.empty());
  EXPECT_EQ(alice.events.back().rfind("ended ", 0), 0U) << alice.events.back();
  net.advance(40s);
  EXPECT_EQ(alice.core->calls(), 0U);
}

}  // namespace
}  // namespace sipua::test
