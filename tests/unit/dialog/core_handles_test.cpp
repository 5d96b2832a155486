// Call handles (ua_core.hpp, core_events.hpp): generation-checked, safe to
// keep after the call is gone (core_errc::unknown_call), and commands the
// call's state does not allow (core_errc::wrong_state).
#include <gtest/gtest.h>

#include "core_harness.hpp"

namespace sipua::test {
namespace {

class core_handles : public ::testing::Test {
 protected:
  core_net net;
  ua_node& alice = net.add("alice", "192.0.2.1");
  ua_node& bob = net.add("bob", "192.0.2.2");

  result<call_handle, std::error_code> call_bob() {
    return try_call(net, alice, "sip:bob@192.0.2.2");
  }

  /// Every command of the core on `h`, by name, with its outcome.
  std::vector<std::pair<std::string, std::error_code>> every_command(ua_node& n, call_handle h) {
    ua_core& c = *n.core;
    const auto t = net.now;
    std::vector<std::pair<std::string, std::error_code>> out;
    out.emplace_back("ring", c.ring(t, h));
    out.emplace_back("progress", c.progress(t, h, {}));
    out.emplace_back("answer", c.answer(t, h, {}));
    out.emplace_back("reject", c.reject(t, h, 486, {}));
    out.emplace_back("redirect", c.redirect(t, h, {"sip:carol@192.0.2.3"}));
    out.emplace_back("hangup", c.hangup(t, h));
    out.emplace_back("hold", c.hold(t, h));
    out.emplace_back("unhold", c.unhold(t, h));
    out.emplace_back("reinvite", c.reinvite(t, h, audio("192.0.2.1", 49172, 1001)));
    const auto info = c.send_info(t, h, "text/plain", "x");
    out.emplace_back("send_info", info ? std::error_code{} : info.error());
    net.run();
    return out;
  }

  static std::vector<std::pair<std::string, std::error_code>> all_unknown() {
    std::vector<std::pair<std::string, std::error_code>> out;
    for (const char* name : {"ring", "progress", "answer", "reject", "redirect", "hangup", "hold",
                             "unhold", "reinvite", "send_info"}) {
      out.emplace_back(name, make_error_code(core_errc::unknown_call));
    }
    return out;
  }
};

TEST_F(core_handles, every_command_on_a_stale_handle_is_unknown_call) {
  const auto a = call_bob();
  ASSERT_TRUE(a);
  const call_handle b = *bob.last_incoming;
  ASSERT_EQ(bob.core->answer(net.now, b, {audio("192.0.2.2", 3456, 2002), {}}), std::error_code{});
  net.run();
  ASSERT_EQ(alice.core->hangup(net.now, *a), std::error_code{});
  net.run();
  net.advance(40s);  // the transactions drain, the calls are freed
  ASSERT_EQ(alice.core->calls(), 0U);
  ASSERT_EQ(bob.core->calls(), 0U);
  net.take_wire();
  const std::size_t alice_events = alice.events.size();
  const std::size_t bob_events = bob.events.size();
  EXPECT_EQ(every_command(alice, *a), all_unknown());
  EXPECT_EQ(every_command(bob, b), all_unknown());
  EXPECT_EQ(alice.core->state(*a), std::nullopt);
  EXPECT_EQ(bob.core->state(b), std::nullopt);
  // Nothing went out, nothing was reported.
  EXPECT_EQ(net.take_wire(), lines{});
  EXPECT_EQ(alice.events.size(), alice_events);
  EXPECT_EQ(bob.events.size(), bob_events);

  // The slot is reused with a new generation: the old handle stays stale.
  const auto a2 = call_bob();
  ASSERT_TRUE(a2);
  EXPECT_EQ(a2->slot, a->slot);
  EXPECT_NE(a2->generation, a->generation);
  EXPECT_EQ(alice.core->hangup(net.now, *a), make_error_code(core_errc::unknown_call));
  EXPECT_EQ(alice.core->state(*a2), call_state::calling);
  EXPECT_EQ(alice.core->hangup(net.now, *a2), std::error_code{});
}

TEST_F(core_handles, no_call_and_made_up_handles_are_unknown_call) {
  EXPECT_EQ(every_command(alice, call_handle{}), all_unknown());
  EXPECT_EQ(every_command(alice, call_handle{7, 1}), all_unknown());
  const auto a = call_bob();
  ASSERT_TRUE(a);
  EXPECT_EQ(every_command(alice, call_handle{a->slot, a->generation + 1}), all_unknown());
  EXPECT_EQ(alice.core->state(*a), call_state::calling);
}

TEST_F(core_handles, answer_twice_is_wrong_state) {
  call_bob();
  const call_handle b = *bob.last_incoming;
  ASSERT_EQ(bob.core->answer(net.now, b, {audio("192.0.2.2", 3456, 2002), {}}), std::error_code{});
  // Before the ACK (answering) and after it (confirmed).
  EXPECT_EQ(bob.core->answer(net.now, b, {}), make_error_code(core_errc::wrong_state));
  net.run();
  ASSERT_EQ(bob.core->state(b), call_state::confirmed);
  EXPECT_EQ(bob.core->answer(net.now, b, {}), make_error_code(core_errc::wrong_state));
  EXPECT_EQ(bob.core->ring(net.now, b), make_error_code(core_errc::wrong_state));
  EXPECT_EQ(bob.core->progress(net.now, b, {}), make_error_code(core_errc::wrong_state));
  EXPECT_EQ(bob.core->reject(net.now, b, 486, {}), make_error_code(core_errc::wrong_state));
  EXPECT_EQ(bob.core->redirect(net.now, b, {"sip:carol@192.0.2.3"}),
            make_error_code(core_errc::wrong_state));
  // Exactly one 200 to the INVITE went out.
  EXPECT_EQ(net.seen_labelled("200").size(), 1U);
  EXPECT_EQ(bob.events, lines({"incoming (offer)", "answered"}));
}

TEST_F(core_handles, hold_before_answer_is_wrong_state) {
  const auto a = call_bob();
  ASSERT_TRUE(a);
  const call_handle b = *bob.last_incoming;
  // The callee before answering (early), the caller while calling.
  EXPECT_EQ(bob.core->hold(net.now, b), make_error_code(core_errc::wrong_state));
  EXPECT_EQ(bob.core->unhold(net.now, b), make_error_code(core_errc::wrong_state));
  EXPECT_EQ(alice.core->hold(net.now, *a), make_error_code(core_errc::wrong_state));
  EXPECT_EQ(alice.core->reinvite(net.now, *a, audio("192.0.2.1", 49172, 1001)),
            make_error_code(core_errc::wrong_state));
  EXPECT_FALSE(alice.core->send_info(net.now, *a, "text/plain", "x"));
  // The caller in early (after the 180).
  ASSERT_EQ(bob.core->ring(net.now, b), std::error_code{});
  net.run();
  ASSERT_EQ(alice.core->state(*a), call_state::early);
  EXPECT_EQ(alice.core->hold(net.now, *a), make_error_code(core_errc::wrong_state));
  // The callee after its 200, before the ACK (answering).
  ASSERT_EQ(bob.core->answer(net.now, b, {audio("192.0.2.2", 3456, 2002), {}}), std::error_code{});
  ASSERT_EQ(bob.core->state(b), call_state::answering);
  EXPECT_EQ(bob.core->hold(net.now, b), make_error_code(core_errc::wrong_state));
  net.run();
  // None of it reached the wire: INVITE, 100, 180, 200, ACK only.
  EXPECT_EQ(net.take_wire(), lines({"alice->bob INVITE", "bob->alice 100", "bob->alice 180",
                                    "bob->alice 200", "alice->bob ACK"}));
  // Up now: hold works.
  EXPECT_EQ(alice.core->hold(net.now, *a), std::error_code{});
}

TEST_F(core_handles, caller_commands_on_a_callee_call_and_back) {
  const auto a = call_bob();
  ASSERT_TRUE(a);
  const call_handle b = *bob.last_incoming;
  // ring/answer/reject/redirect are the callee's.
  EXPECT_EQ(alice.core->ring(net.now, *a), make_error_code(core_errc::wrong_state));
  EXPECT_EQ(alice.core->answer(net.now, *a, {}), make_error_code(core_errc::wrong_state));
  EXPECT_EQ(alice.core->reject(net.now, *a, 486, {}), make_error_code(core_errc::wrong_state));
  EXPECT_EQ(alice.core->redirect(net.now, *a, {"sip:carol@192.0.2.3"}),
            make_error_code(core_errc::wrong_state));
  // A reject status that is no final non-2xx.
  EXPECT_EQ(bob.core->reject(net.now, b, 200, {}), make_error_code(core_errc::wrong_state));
  EXPECT_EQ(bob.core->reject(net.now, b, 700, {}), make_error_code(core_errc::wrong_state));
  EXPECT_EQ(bob.core->state(b), call_state::early);
  // Hangup twice: the second is wrong_state while the call drains.
  ASSERT_EQ(bob.core->hangup(net.now, b), std::error_code{});
  net.run();
  EXPECT_EQ(bob.core->hangup(net.now, b), make_error_code(core_errc::wrong_state));
  EXPECT_EQ(bob.events.back(), "ended local hangup 603");
  EXPECT_EQ(alice.events.back(), "ended rejected 603");
}

}  // namespace
}  // namespace sipua::test
