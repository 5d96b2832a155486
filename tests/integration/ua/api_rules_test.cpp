// The API rules of issue #5 (item 5), on one thread: stale handles report
// unknown_call (also once the UserAgent is gone), a UserAgent destroyed
// with calls up ends them (the peer sees BYE), callbacks that call back
// into the API, shutdown() with calls up, and a UserAgent on an
// io_context the application runs itself. The rules about other threads
// are in threads_test.cpp.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "integration/ua/ua_test_support.hpp"
#include <asio/io_context.hpp>

namespace sipua {
namespace {

using ua_test::answer_every_call;
using ua_test::audio;
using ua_test::ended;
using ua_test::event_log;
using ua_test::expect_stale;
using ua_test::logging;
using ua_test::of;
using ua_test::unknown_call;
using ua_test::uri_of;
using ua_test::with_audio;

TEST(ua_api, empty_handle_is_stale) {
  const Call c;
  EXPECT_FALSE(static_cast<bool>(c));
  EXPECT_EQ(c.id(), 0U);
  expect_stale(c);
}

TEST(ua_api, handle_of_an_ended_call_reports_unknown_call) {
  event_log log;
  UserAgent bob{ua_test::config_for("sip:bob@127.0.0.1")};
  UserAgent alice{bob.context(), ua_test::config_for("sip:alice@127.0.0.1")};
  Call bobs;
  bob.on_incoming_call([&](IncomingCall& in) {
    bobs = in.call;
    EXPECT_EQ(in.call.set_handlers(logging(log, "bob")), std::error_code{});
    EXPECT_EQ(in.call.reject(486), std::error_code{});
  });
  ASSERT_EQ(bob.start(), std::error_code{});
  ASSERT_EQ(alice.start(), std::error_code{});
  auto c = alice.call(uri_of(bob, transport_protocol::udp), with_audio(), logging(log, "alice"));
  ASSERT_TRUE(c);
  EXPECT_TRUE(c->active());
  ASSERT_TRUE(
      bob.run_until([&] { return log.has("alice: ended rejected 486"); }, ua_test::timeout));
  expect_stale(*c);
  expect_stale(bobs);
  EXPECT_NE(*c, bobs);
}

TEST(ua_api, handles_outlive_the_user_agent) {
  event_log log;
  Call ended_call;
  Call live_call;
  Call bobs;
  {
    UserAgent bob{ua_test::config_for("sip:bob@127.0.0.1")};
    UserAgent alice{bob.context(), ua_test::config_for("sip:alice@127.0.0.1")};
    bob.on_incoming_call([&](IncomingCall& in) {
      bobs = in.call;
      EXPECT_EQ(in.call.set_handlers(logging(log, "bob")), std::error_code{});
      EXPECT_EQ(in.call.answer(audio(4002, 2)), std::error_code{});
    });
    ASSERT_EQ(bob.start(), std::error_code{});
    ASSERT_EQ(alice.start(), std::error_code{});
    auto first =
        alice.call(uri_of(bob, transport_protocol::udp), with_audio(), logging(log, "alice"));
    ASSERT_TRUE(first);
    ended_call = *first;
    ASSERT_TRUE(bob.run_until([&] { return log.has("alice: answered"); }, ua_test::timeout));
    EXPECT_EQ(ended_call.hangup(), std::error_code{});
    ASSERT_TRUE(
        bob.run_until([&] { return log.has("bob: ended remote hangup 0"); }, ua_test::timeout));
    auto second =
        alice.call(uri_of(bob, transport_protocol::udp), with_audio(), logging(log, "alice"));
    ASSERT_TRUE(second);
    live_call = *second;
    ASSERT_TRUE(bob.run_until(
        [&] { return of(log.lines(), "alice: answered").size() == 2 && bobs.active(); },
        ua_test::timeout));
    EXPECT_TRUE(live_call.active());
    // alice (borrowed loop) then bob (owns it) go with the call up.
  }
  expect_stale(ended_call);
  expect_stale(live_call);
  expect_stale(bobs);
}

/// A UserAgent destroyed with a call up: the peer gets the BYE.
class destroyed_with_calls_up : public ::testing::TestWithParam<transport_protocol> {};

TEST_P(destroyed_with_calls_up, peer_sees_bye) {
  asio::io_context io;
  event_log log;
  UserAgent bob{io, ua_test::config_for("sip:bob@127.0.0.1")};
  auto alice = std::make_unique<UserAgent>(io, ua_test::config_for("sip:alice@127.0.0.1"));
  answer_every_call(bob, log);
  ASSERT_EQ(bob.start(), std::error_code{});
  ASSERT_EQ(alice->start(), std::error_code{});
  auto c = alice->call(uri_of(bob, GetParam()), with_audio(), logging(log, "alice"));
  ASSERT_TRUE(c);
  ASSERT_TRUE(bob.run_until([&] { return log.has("bob: answered"); }, ua_test::timeout));
  ASSERT_TRUE(bob.run_until([&] { return log.has("alice: answered"); }, ua_test::timeout));
  const Call kept = *c;
  alice.reset();
  expect_stale(kept);
  ASSERT_TRUE(
      bob.run_until([&] { return log.has("bob: ended remote hangup 0"); }, ua_test::timeout))
      << testing::PrintToString(log.lines());
  EXPECT_EQ(bob.active_calls(), 0U);
}

INSTANTIATE_TEST_SUITE_P(over, destroyed_with_calls_up,
                         ::testing::Values(transport_protocol::udp, transport_protocol::tcp),
                         ua_test::protocol_name);

TEST(ua_api, callbacks_reenter_the_api) {
  // bob rejects the first call and answers the second from inside
  // on_incoming_call; alice places the second call from inside the first
  // one's on_ended and hangs it up from inside its on_answered.
  event_log log;
  UserAgent bob{ua_test::config_for("sip:bob@127.0.0.1")};
  UserAgent alice{bob.context(), ua_test::config_for("sip:alice@127.0.0.1")};
  int incoming = 0;
  bob.on_incoming_call([&](IncomingCall& in) {
    ++incoming;
    EXPECT_EQ(in.call.set_handlers(logging(log, "bob " + std::to_string(incoming))),
              std::error_code{});
    if (incoming == 1) {
      EXPECT_EQ(in.call.reject(486), std::error_code{});
    } else {
      EXPECT_EQ(in.call.answer(audio(4002, 2)), std::error_code{});
    }
  });
  ASSERT_EQ(bob.start(), std::error_code{});
  ASSERT_EQ(alice.start(), std::error_code{});
  const std::string target = uri_of(bob, transport_protocol::udp);
  Call second;
  CallHandlers h2;
  h2.on_answered = [&](const MediaInfo& m) {
    log.add("alice 2: answered");
    EXPECT_TRUE(m.remote.has_value());
    EXPECT_EQ(second.hangup(), std::error_code{});  // on the loop: done at once
  };
  h2.on_ended = [&](const CallEnd& e) { log.add(ended("alice 2", e)); };
  CallHandlers h1;
  h1.on_ended = [&](const CallEnd& e) {
    log.add(ended("alice 1", e));
    auto c = alice.call(target, with_audio(), std::move(h2));
    ASSERT_TRUE(c);
    second = *c;
  };
  ASSERT_TRUE(alice.call(target, with_audio(), std::move(h1)));
  ASSERT_TRUE(
      bob.run_until([&] { return log.has("bob 2: ended remote hangup 0"); }, ua_test::timeout));
  EXPECT_EQ(of(log.lines(), "alice"),
            (std::vector<std::string>{"alice 1: ended rejected 486", "alice 2: answered",
                                      "alice 2: ended local hangup 0"}));
  EXPECT_EQ(of(log.lines(), "bob"),
            (std::vector<std::string>{"bob 1: ended local hangup 486", "bob 2: answered",
                                      "bob 2: ended remote hangup 0"}));
}

TEST(ua_api, handlers_replaced_from_inside_themselves) {
  // on_incoming_call / on_message run at once on the loop: a handler that
  // replaces itself must not be destroyed while it runs (ASan catches the
  // use of its captures after the replacement).
  event_log log;
  UserAgent bob{ua_test::config_for("sip:bob@127.0.0.1")};
  UserAgent alice{bob.context(), ua_test::config_for("sip:alice@127.0.0.1")};
  const std::string big(100, 'x');  // too big for std::function's small buffer
  const std::function<void(IncomingCall&)> second_call = [&log](IncomingCall& in) {
    log.add("second handler");
    EXPECT_EQ(in.call.reject(486), std::error_code{});
  };
  bob.on_incoming_call([&bob, &log, second_call, big](IncomingCall& in) {
    bob.on_incoming_call(second_call);
    log.add("first handler " + std::to_string(big.size()));
    EXPECT_EQ(in.call.reject(486), std::error_code{});
  });
  const std::function<void(const IncomingMessage&)> second_message =
      [&log](const IncomingMessage& m) { log.add("second message handler " + m.body); };
  bob.on_message([&bob, &log, second_message, big](const IncomingMessage& m) {
    bob.on_message(second_message);
    log.add("first message handler " + m.body + " " + std::to_string(big.size()));
  });
  ASSERT_EQ(bob.start(), std::error_code{});
  ASSERT_EQ(alice.start(), std::error_code{});
  const std::string target = uri_of(bob, transport_protocol::udp);
  for (int i = 1; i <= 2; ++i) {
    const std::string n = " #" + std::to_string(i);
    CallHandlers h;
    h.on_ended = [&log, n](const CallEnd& e) { log.add(ended("alice", e) + n); };
    ASSERT_TRUE(alice.call(target, with_audio(), std::move(h)));
    ASSERT_TRUE(
        bob.run_until([&] { return log.has("alice: ended rejected 486" + n); }, ua_test::timeout));
    ASSERT_EQ(alice.send_message(target, "text/plain", "m" + std::to_string(i)), std::error_code{});
    ASSERT_TRUE(bob.run_until([&] { return log.size() == static_cast<std::size_t>(3 * i); },
                              ua_test::timeout));
  }
  EXPECT_EQ(log.lines(),
            (std::vector<std::string>{
                "first handler 100", "alice: ended rejected 486 #1", "first message handler m1 100",
                "second handler", "alice: ended rejected 486 #2", "second message handler m2"}));
}

TEST(ua_api, shutdown_ends_the_calls_then_runs_drained) {
  // Two calls up at alice: one answered (ends with BYE), one ringing
  // (ends with CANCEL).
  event_log log;
  UserAgent bob{ua_test::config_for("sip:bob@127.0.0.1")};
  UserAgent alice{bob.context(), ua_test::config_for("sip:alice@127.0.0.1")};
  bob.on_incoming_call([&](IncomingCall& in) {
    const bool answer = in.request_uri.rfind("sip:answer@", 0) == 0;
    EXPECT_EQ(in.call.set_handlers(logging(log, answer ? "bob answered" : "bob ringing")),
              std::error_code{});
    EXPECT_EQ(answer ? in.call.answer(audio(4002, 2)) : in.call.ring(), std::error_code{});
    log.add(answer ? "bob: took answered" : "bob: took ringing");
  });
  ASSERT_EQ(bob.start(), std::error_code{});
  ASSERT_EQ(alice.start(), std::error_code{});
  auto up = alice.call(uri_of(bob, transport_protocol::udp, "answer"), with_audio(),
                       logging(log, "alice answered"));
  auto ringing = alice.call(uri_of(bob, transport_protocol::udp, "ring"), with_audio(),
                            logging(log, "alice ringing"));
  ASSERT_TRUE(up);
  ASSERT_TRUE(ringing);
  ASSERT_TRUE(bob.run_until(
      [&] { return log.has("alice answered: answered") && log.has("bob: took ringing"); },
      ua_test::timeout));
  EXPECT_EQ(alice.active_calls(), 2U);
  alice.shutdown([&] { log.add("alice: drained"); });
  ASSERT_TRUE(bob.run_until([&] { return log.has("alice: drained"); }, ua_test::timeout));
  ASSERT_TRUE(bob.run_until(
      [&] {
        return log.has("bob answered: ended remote hangup 0") &&
               log.has("bob ringing: ended cancelled 487");
      },
      ua_test::timeout))
      << testing::PrintToString(log.lines());
  // drained comes after both calls ended.
  const auto lines = of(log.lines(), "alice");
  ASSERT_EQ(lines.size(), 4U) << testing::PrintToString(lines);
  EXPECT_EQ(lines.back(), "alice: drained");
  // end_reason::shutdown, with the status behind it (the 487 to our CANCEL).
  EXPECT_TRUE(log.has("alice answered: ended shutdown 0")) << testing::PrintToString(lines);
  EXPECT_TRUE(log.has("alice ringing: ended shutdown 487")) << testing::PrintToString(lines);
  EXPECT_EQ(alice.active_calls(), 0U);
  expect_stale(*up);
  expect_stale(*ringing);
  // Refuses new work at once.
  auto late = alice.call(uri_of(bob, transport_protocol::udp), with_audio(), CallHandlers{});
  ASSERT_FALSE(late);
  EXPECT_EQ(late.error(), make_error_code(core_errc::shut_down));
  EXPECT_EQ(alice.send_message(uri_of(bob, transport_protocol::udp), "text/plain", "x"),
            make_error_code(core_errc::shut_down));
  EXPECT_EQ(alice.send_options(uri_of(bob, transport_protocol::udp)),
            make_error_code(core_errc::shut_down));
}

TEST(ua_api, shutdown_without_calls_runs_drained) {
  UserAgent ua{UserAgent::Config{}};
  ASSERT_EQ(ua.start(), std::error_code{});
  bool drained = false;
  ua.shutdown([&] { drained = true; });
  EXPECT_TRUE(ua.run_until([&] { return drained; }, ua_test::timeout));
}

TEST(ua_api, borrowed_io_context_run_by_the_application) {
  asio::io_context io;  // outlives both UserAgents
  event_log log;
  UserAgent bob{io, ua_test::config_for("sip:bob@127.0.0.1")};
  UserAgent alice{io, ua_test::config_for("sip:alice@127.0.0.1")};
  EXPECT_EQ(&bob.context(), &io);
  EXPECT_EQ(&alice.context(), &io);
  answer_every_call(bob, log);
  ASSERT_EQ(bob.start(), std::error_code{});
  ASSERT_EQ(alice.start(), std::error_code{});
  Call call;
  CallHandlers h = logging(log, "alice");
  h.on_answered = [&](const MediaInfo&) {
    log.add("alice: answered");
    EXPECT_EQ(call.hangup(), std::error_code{});
  };
  auto c = alice.call(uri_of(bob, transport_protocol::tcp), with_audio(), std::move(h));
  ASSERT_TRUE(c);
  call = *c;
  // The application's own loop: one handler at a time.
  const auto deadline = std::chrono::steady_clock::now() + ua_test::timeout;
  while (!log.has("bob: ended remote hangup 0") && std::chrono::steady_clock::now() < deadline) {
    io.run_one_for(std::chrono::milliseconds{100});
  }
  EXPECT_EQ(of(log.lines(), "alice"),
            (std::vector<std::string>{"alice: answered", "alice: ended local hangup 0"}));
  EXPECT_EQ(of(log.lines(), "bob"),
            (std::vector<std::string>{"bob: answered", "bob: ended remote hangup 0"}));
}

}  // namespace
}  // namespace sipua
