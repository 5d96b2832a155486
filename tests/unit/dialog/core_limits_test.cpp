// ua_core_config::max_calls counts the calls not ended (ua_core.hpp): an
// ended call whose transactions still run (32 s with the default timers)
// does not hold a place, and its record is freed when they end. And a
// call keeps working once what only its set-up needed is released (the
// caller's INVITE after Timer M, the callee's INVITE and 2xx after the ACK).
#include <gtest/gtest.h>

#include "core_harness.hpp"

namespace sipua::test {
namespace {

constexpr std::size_t limit = 3;

class core_limits : public ::testing::Test {
 protected:
  core_net net;
  ua_node& alice =
      net.add("alice", "192.0.2.1", 5060, [](ua_core_config& c) { c.max_calls = limit; });
  ua_node& bob = net.add("bob", "192.0.2.2", 5060, [](ua_core_config& c) { c.max_calls = limit; });

  result<call_handle, std::error_code> call_bob() {
    return try_call(net, alice, "sip:bob@192.0.2.2");
  }

  /// A call alice places and bob answers; up when it returns.
  call_handle call_up() {
    const auto a = call_bob();
    EXPECT_TRUE(a);
    if (!a) return {};
    EXPECT_TRUE(bob.last_incoming);
    EXPECT_EQ(bob.core->answer(net.now, *bob.last_incoming, {audio("192.0.2.2", 3456, 2002), {}}),
              std::error_code{});
    net.run();
    EXPECT_EQ(alice.core->state(*a), call_state::confirmed);
    return *a;
  }
};

TEST_F(core_limits, ended_calls_draining_their_transactions_leave_room_for_new_ones) {
  for (std::size_t i = 0; i < limit; ++i) {
    const call_handle a = call_up();
    ASSERT_EQ(alice.core->hangup(net.now, a), std::error_code{});
    net.run();
    EXPECT_EQ(alice.core->state(a), call_state::ended);
  }
  // Every call ended; their BYE and INVITE transactions still run.
  EXPECT_EQ(alice.core->calls(), limit);
  EXPECT_EQ(bob.core->calls(), limit);

  // Room for `limit` more on both sides, at once.
  bob.events.clear();
  for (std::size_t i = 0; i < limit; ++i) {
    const auto a = call_bob();
    ASSERT_TRUE(a) << "call " << i << ": " << a.error().message();
  }
  EXPECT_EQ(bob.events, lines(limit, "incoming (offer)"));
  EXPECT_EQ(alice.core->calls(), 2 * limit);

  // Once the transactions are gone, the ended calls' records are freed.
  net.advance(40s);
  EXPECT_EQ(alice.core->calls(), limit);
  EXPECT_EQ(bob.core->calls(), limit);
}

TEST_F(core_limits, calls_not_ended_still_count) {
  for (std::size_t i = 0; i < limit; ++i) (void)call_up();
  const auto refused = call_bob();
  ASSERT_FALSE(refused);
  EXPECT_EQ(refused.error(), make_error_code(core_errc::too_many_calls));

  // An unanswered incoming call counts too: bob answers a fourth INVITE
  // 503 (RFC 3261 §21.5.4) while alice, with room, places it.
  ua_node& carol = net.add("carol", "192.0.2.3");
  call_options o;
  o.target = "sip:bob@192.0.2.2";
  o.media = audio("192.0.2.3", 49170, 3003);
  const auto c = carol.core->call(net.now, std::move(o));
  ASSERT_TRUE(c);
  net.run();
  EXPECT_EQ(carol.core->state(*c), call_state::ended);
  ASSERT_FALSE(carol.events.empty());
  EXPECT_EQ(carol.events.back(), "ended rejected 503");
}

TEST_F(core_limits, a_call_long_up_still_re_invites_and_hangs_up) {
  const call_handle a = call_up();
  const call_handle b = *bob.last_incoming;
  // Past Timer M / L: the INVITE transactions are gone, and with them the
  // caller's INVITE and the callee's copy of it.
  net.advance(40s);
  EXPECT_EQ(alice.core->transactions().size(), 0U);
  EXPECT_EQ(bob.core->transactions().size(), 0U);
  net.take_wire();
  alice.events.clear();
  bob.events.clear();

  ASSERT_EQ(alice.core->hold(net.now, a), std::error_code{});
  net.run();
  ASSERT_EQ(bob.core->hold(net.now, b), std::error_code{});
  net.run();
  EXPECT_EQ(alice.events, (lines{"media ok sendonly", "media ok inactive"}));
  EXPECT_EQ(bob.events, (lines{"media ok recvonly", "media ok inactive"}));
  ASSERT_EQ(bob.core->hangup(net.now, b), std::error_code{});
  net.run();
  EXPECT_EQ(net.take_wire(),
            (lines{"alice->bob INVITE", "bob->alice 100", "bob->alice 200", "alice->bob ACK",
                   "bob->alice INVITE", "alice->bob 100", "alice->bob 200", "bob->alice ACK",
                   "bob->alice BYE", "alice->bob 200"}));
  EXPECT_EQ(alice.events.back(), "ended remote hangup 0");
  EXPECT_EQ(bob.events.back(), "ended local hangup 0");
}

}  // namespace
}  // namespace sipua::test
