// The threading rules of issue #5 (item 5): Call and UserAgent methods
// called from threads that do not run the loop while it runs in another,
// a UserAgent destroyed on its own thread while its peer's loop runs in
// another, and handles used from another thread once the UserAgent is
// gone. The tests synchronise only through the callbacks (the event log
// they write); no sleeps.
//
// Every suite here is named ua_threads* so that a ThreadSanitizer build
// can run just these: `ctest -R ua_threads` or
// `integration_ua --gtest_filter='ua_threads*'`.
#include <gtest/gtest.h>

#include <atomic>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "integration/ua/ua_test_support.hpp"
#include <asio/io_context.hpp>
#include <asio/post.hpp>

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

/// Runs `ua`'s own io_context on a thread of its own until stop() (or the
/// destructor): the test's thread is then "another thread".
class loop_thread {
 public:
  explicit loop_thread(UserAgent& ua)
      : ua_{ua}, thread_{[this] {
          (void)ua_.run_until([this] { return quit_.load(); }, std::chrono::seconds{120});
        }} {}
  ~loop_thread() { stop(); }
  loop_thread(const loop_thread&) = delete;
  loop_thread& operator=(const loop_thread&) = delete;
  void stop() {
    if (!thread_.joinable()) return;
    quit_ = true;
    asio::post(ua_.context(), [] {});  // wakes the loop to see quit_
    thread_.join();
  }

 private:
  UserAgent& ua_;
  std::atomic<bool> quit_{false};
  std::thread thread_;
};

TEST(ua_threads, call_hangup_and_requests_from_a_thread_off_the_loop) {
  event_log log;
  UserAgent bob{ua_test::config_for("sip:bob@127.0.0.1")};
  UserAgent alice{bob.context(), ua_test::config_for("sip:alice@127.0.0.1")};
  answer_every_call(bob, log);
  bob.on_message([&](const IncomingMessage& m) { log.add("bob: message [" + m.body + "]"); });
  ASSERT_EQ(bob.start(), std::error_code{});
  ASSERT_EQ(alice.start(), std::error_code{});
  const std::string target = uri_of(bob, transport_protocol::udp);
  Call call;
  {
    loop_thread loop{bob};
    auto c = alice.call(target, with_audio(), logging(log, "alice", true));
    ASSERT_TRUE(c);
    call = *c;
    EXPECT_TRUE(call.active());
    ASSERT_TRUE(log.wait_for("alice: answered"));
    ASSERT_TRUE(log.wait_for("bob: answered"));
    EXPECT_EQ(call.hangup(), std::error_code{});  // posted: says only that it was live
    ASSERT_TRUE(log.wait_for("alice: ended local hangup 0"));
    ASSERT_TRUE(log.wait_for("bob: ended remote hangup 0"));
    EXPECT_EQ(call.hangup(), unknown_call);
    EXPECT_EQ(alice.send_message(target, "text/plain", "from main",
                                 [&](int s) { log.add("alice: message " + std::to_string(s)); }),
              std::error_code{});
    ASSERT_TRUE(log.wait_for("alice: message 200"));
    ASSERT_TRUE(log.wait_for("bob: message [from main]"));
    EXPECT_EQ(
        alice.send_options(target, [&](int s) { log.add("alice: options " + std::to_string(s)); }),
        std::error_code{});
    ASSERT_TRUE(log.wait_for("alice: options 200"));
    EXPECT_EQ(alice.active_calls(), 0U);
  }
  EXPECT_EQ(of(log.lines(), "alice"),
            (std::vector<std::string>{"alice: answered", "alice: ended local hangup 0",
                                      "alice: message 200", "alice: options 200"}));
  expect_stale(call);
}

TEST(ua_threads, hangup_posted_right_after_the_call) {
  // Both are posted in order: the INVITE goes first, then the CANCEL
  // (once a provisional response came, RFC 3261 §9.1).
  event_log log;
  UserAgent bob{ua_test::config_for("sip:bob@127.0.0.1")};
  UserAgent alice{bob.context(), ua_test::config_for("sip:alice@127.0.0.1")};
  bob.on_incoming_call([&](IncomingCall& in) {
    EXPECT_EQ(in.call.set_handlers(logging(log, "bob")), std::error_code{});
    EXPECT_EQ(in.call.ring(), std::error_code{});
  });
  ASSERT_EQ(bob.start(), std::error_code{});
  ASSERT_EQ(alice.start(), std::error_code{});
  loop_thread loop{bob};
  auto c =
      alice.call(uri_of(bob, transport_protocol::udp), with_audio(), logging(log, "alice", true));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->hangup(), std::error_code{});
  ASSERT_TRUE(log.wait_for("alice: ended cancelled 487"));
  ASSERT_TRUE(log.wait_for("bob: ended cancelled 487"));
  loop.stop();
  EXPECT_EQ(of(log.lines(), "bob"), (std::vector<std::string>{"bob: ended cancelled 487"}));
  expect_stale(*c);
}

TEST(ua_threads, two_threads_place_and_end_calls_concurrently) {
  constexpr int calls_per_thread = 5;
  event_log log;
  UserAgent bob{ua_test::config_for("sip:bob@127.0.0.1")};
  UserAgent alice{bob.context(), ua_test::config_for("sip:alice@127.0.0.1")};
  answer_every_call(bob, log);
  bob.on_message([&](const IncomingMessage& m) { log.add("bob: message [" + m.body + "]"); });
  ASSERT_EQ(bob.start(), std::error_code{});
  ASSERT_EQ(alice.start(), std::error_code{});
  const std::string target = uri_of(bob, transport_protocol::tcp);
  loop_thread loop{bob};
  const auto worker = [&](int t) {
    for (int i = 0; i < calls_per_thread; ++i) {
      const std::string tag = "alice " + std::to_string(t) + "." + std::to_string(i);
      auto c = alice.call(target, with_audio(), logging(log, tag));
      EXPECT_TRUE(c);
      if (!c) return;
      EXPECT_TRUE(log.wait_for(tag + ": answered"));
      EXPECT_EQ(c->hangup(), std::error_code{});
      EXPECT_TRUE(log.wait_for(tag + ": ended local hangup 0"));
      EXPECT_EQ(c->hangup(), unknown_call);
      EXPECT_EQ(alice.send_message(
                    target, "text/plain", tag,
                    [&log, tag](int s) { log.add(tag + " message " + std::to_string(s)); }),
                std::error_code{});
      EXPECT_TRUE(log.wait_for(tag + " message 200"));
    }
  };
  std::thread one{worker, 1};
  std::thread two{worker, 2};
  one.join();
  two.join();
  const auto everything_ended = [&] {
    const auto lines = log.lines();
    return std::count(lines.begin(), lines.end(), "bob: ended remote hangup 0") ==
           2 * calls_per_thread;
  };
  for (int i = 0; i < 2 * calls_per_thread && !everything_ended(); ++i) {
    (void)log.wait_for("bob: ended remote hangup 0");  // the last BYEs may still be on the way
  }
  loop.stop();
  const auto lines = log.lines();
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "bob: answered"), 2 * calls_per_thread);
  EXPECT_EQ(std::count(lines.begin(), lines.end(), "bob: ended remote hangup 0"),
            2 * calls_per_thread);
  EXPECT_EQ(of(lines, "bob: message").size(), static_cast<std::size_t>(2 * calls_per_thread));
  EXPECT_EQ(alice.active_calls(), 0U);
  EXPECT_EQ(bob.active_calls(), 0U);
}

/// alice owns her loop and is destroyed on her thread with a call up while
/// bob's loop runs on another thread: her destructor sends the BYE and
/// waits for it; bob sees the call end.
class ua_threads_destroyed : public ::testing::TestWithParam<transport_protocol> {};

TEST_P(ua_threads_destroyed, owner_thread_destroys_with_a_call_up) {
  event_log log;
  UserAgent bob{ua_test::config_for("sip:bob@127.0.0.1")};
  answer_every_call(bob, log);
  ASSERT_EQ(bob.start(), std::error_code{});
  loop_thread loop{bob};
  auto alice = std::make_unique<UserAgent>(ua_test::config_for("sip:alice@127.0.0.1"));
  ASSERT_EQ(alice->start(), std::error_code{});
  auto c = alice->call(uri_of(bob, GetParam()), with_audio(), logging(log, "alice", true));
  ASSERT_TRUE(c);
  ASSERT_TRUE(alice->run_until([&] { return log.has("alice: answered"); }, ua_test::timeout));
  ASSERT_TRUE(log.wait_for("bob: answered"));
  alice.reset();
  ASSERT_TRUE(log.wait_for("bob: ended remote hangup 0")) << testing::PrintToString(log.lines());
  loop.stop();
  expect_stale(*c);
  // Used from yet another thread once the UserAgent is gone.
  std::thread other{[kept = *c] { expect_stale(kept); }};
  other.join();
}

INSTANTIATE_TEST_SUITE_P(over, ua_threads_destroyed,
                         ::testing::Values(transport_protocol::udp, transport_protocol::tcp),
                         ua_test::protocol_name);

TEST(ua_threads, handle_used_while_its_user_agent_is_destroyed) {
  // A thread keeps using a live call's handle while the owner thread
  // destroys the UserAgent: every result is success (posted) or
  // unknown_call, and once unknown_call it stays so. (Which one a given
  // call sees depends on the interleaving; the end does not.)
  event_log log;
  UserAgent bob{ua_test::config_for("sip:bob@127.0.0.1")};
  auto alice =
      std::make_unique<UserAgent>(bob.context(), ua_test::config_for("sip:alice@127.0.0.1"));
  answer_every_call(bob, log);
  ASSERT_EQ(bob.start(), std::error_code{});
  ASSERT_EQ(alice->start(), std::error_code{});
  auto c =
      alice->call(uri_of(bob, transport_protocol::udp), with_audio(), logging(log, "alice", true));
  ASSERT_TRUE(c);
  ASSERT_TRUE(bob.run_until([&] { return log.has("bob: answered"); }, ua_test::timeout));
  std::atomic<bool> started{false};
  std::atomic<int> bad{0};
  std::thread user{[kept = *c, &started, &bad]() mutable {
    bool stale = false;
    for (;;) {
      const std::error_code e = kept.set_handlers(CallHandlers{});
      started = true;
      if (e == unknown_call) {
        if (stale) break;  // twice in a row: it stays stale
        stale = true;
      } else if (e || stale) {
        ++bad;
        break;
      }
    }
  }};
  while (!started) std::this_thread::yield();
  alice.reset();
  user.join();
  EXPECT_EQ(bad.load(), 0);
  ASSERT_TRUE(
      bob.run_until([&] { return log.has("bob: ended remote hangup 0"); }, ua_test::timeout));
}

}  // namespace
}  // namespace sipua
