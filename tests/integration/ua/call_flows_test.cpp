// Two UserAgents on loopback, end to end over real sockets, UDP and TCP
// (issue #5): answer, reject, cancel, hold/unhold, hang up from either
// side, early media, INFO, MESSAGE and OPTIONS, and the 480 a UA without
// an incoming-call handler answers.
//
// bob owns the io_context and alice borrows it, so one run_until drives
// both. Each test logs what the callbacks report and compares it whole.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "integration/ua/ua_test_support.hpp"

namespace sipua {
namespace {

using ua_test::audio;
using ua_test::ended;
using ua_test::event_log;
using ua_test::first_direction;
using ua_test::of;

std::string ports(const MediaInfo& m) {
  const auto port = [](const std::optional<sdp::session_description>& d) {
    return d && !d->media.empty() ? std::to_string(d->media.front().port) : std::string{"-"};
  };
  return "local " + port(m.local) + " remote " + port(m.remote);
}

std::string media_line(std::string_view who, const MediaInfo& m) {
  return std::string{who} + ": media " + (m.ok ? "ok " : "failed ") + std::to_string(m.status) +
         " " + first_direction(m.local) + "/" + first_direction(m.remote);
}

class call_flows : public ::testing::TestWithParam<transport_protocol> {
 protected:
  void SetUp() override {
    ASSERT_EQ(bob.start(), std::error_code{});
    ASSERT_EQ(alice.start(), std::error_code{});
  }
  std::string bob_uri() const { return ua_test::uri_of(bob, GetParam(), "bob"); }
  std::string alice_uri() const { return ua_test::uri_of(alice, GetParam(), "alice"); }
  bool wait_for(std::string_view line) {
    return bob.run_until([&] { return log.has(line); }, ua_test::timeout);
  }

  /// `holder`'s side (`who`) holds the call, unholds it and hangs up,
  /// waiting for both sides' reports of each step.
  void hold_unhold_hangup(Call& holder, const std::string& who, const std::string& other) {
    EXPECT_EQ(holder.hold(), std::error_code{});
    ASSERT_TRUE(wait_for(who + ": media ok 200 sendonly/recvonly"));
    ASSERT_TRUE(wait_for(other + ": media ok 200 recvonly/sendonly"));
    EXPECT_EQ(holder.unhold(), std::error_code{});
    ASSERT_TRUE(wait_for(who + ": media ok 200 sendrecv/sendrecv"));
    ASSERT_TRUE(wait_for(other + ": media ok 200 sendrecv/sendrecv"));
    EXPECT_EQ(holder.hangup(), std::error_code{});
    ASSERT_TRUE(wait_for(other + ": ended remote hangup 0"));
  }

  /// alice's handlers that log everything as "alice: ...".
  CallHandlers alice_handlers() {
    CallHandlers h;
    h.on_progress = [this](int s, std::string_view r) {
      log.add("alice: progress " + std::to_string(s) + " " + std::string{r});
    };
    h.on_early_media = [this](const sdp::session_description& d) {
      log.add("alice: early media port " +
              (d.media.empty() ? std::string{"-"} : std::to_string(d.media.front().port)));
    };
    h.on_answered = [this](const MediaInfo& m) { log.add("alice: answered " + ports(m)); };
    h.on_media_updated = [this](const MediaInfo& m) { log.add(media_line("alice", m)); };
    h.on_info = [this](std::string_view type, std::string_view body) {
      log.add("alice: info " + std::string{type} + " [" + std::string{body} + "]");
    };
    h.on_ended = [this](const CallEnd& e) { log.add(ended("alice", e)); };
    return h;
  }
  /// The same for bob's side of an incoming call.
  CallHandlers bob_handlers() {
    CallHandlers h;
    h.on_answered = [this](const MediaInfo& m) { log.add("bob: answered " + ports(m)); };
    h.on_media_updated = [this](const MediaInfo& m) { log.add(media_line("bob", m)); };
    h.on_info = [this](std::string_view type, std::string_view body) {
      log.add("bob: info " + std::string{type} + " [" + std::string{body} + "]");
    };
    h.on_ended = [this](const CallEnd& e) { log.add(ended("bob", e)); };
    return h;
  }
  /// bob takes every call: handlers set, then `then` (answer, ring ...).
  void bob_takes_calls(std::function<void(Call&)> then) {
    bob.on_incoming_call([this, then = std::move(then)](IncomingCall& in) {
      log.add("bob: incoming from " + in.from);
      bob_call = in.call;
      EXPECT_EQ(in.call.set_handlers(bob_handlers()), std::error_code{});
      then(in.call);
    });
  }
  Call place_call() {
    CallOptions o;
    o.media = audio(4000, 1);
    auto c = alice.call(bob_uri(), std::move(o), alice_handlers());
    EXPECT_TRUE(c) << c.error().message();
    return c ? *c : Call{};
  }
  /// A call answered by bob, up on both sides.
  void establish() {
    bob_takes_calls([](Call& c) { EXPECT_EQ(c.answer(audio(4002, 2)), std::error_code{}); });
    alice_call = place_call();
    ASSERT_TRUE(wait_for("bob: answered local 4002 remote 4000"));
    ASSERT_TRUE(wait_for("alice: answered local 4000 remote 4002"));
  }

  // Declared before the UAs: callbacks may still run while they go.
  event_log log;
  Call alice_call;
  Call bob_call;
  UserAgent bob{ua_test::config_for("sip:bob@127.0.0.1")};
  UserAgent alice{bob.context(), ua_test::config_for("sip:alice@127.0.0.1")};
};

TEST_P(call_flows, answered_then_hung_up_by_the_callee) {
  establish();
  EXPECT_EQ(bob_call.hangup(), std::error_code{});
  ASSERT_TRUE(wait_for("alice: ended remote hangup 0"));
  ASSERT_TRUE(wait_for("bob: ended local hangup 0"));
  const auto lines = log.lines();
  EXPECT_EQ(of(lines, "alice"), (std::vector<std::string>{"alice: answered local 4000 remote 4002",
                                                          "alice: ended remote hangup 0"}));
  EXPECT_EQ(of(lines, "bob"), (std::vector<std::string>{"bob: incoming from sip:alice@127.0.0.1",
                                                        "bob: answered local 4002 remote 4000",
                                                        "bob: ended local hangup 0"}));
  EXPECT_FALSE(alice_call.active());
  EXPECT_FALSE(bob_call.active());
  EXPECT_EQ(alice.active_calls(), 0U);
  EXPECT_EQ(bob.active_calls(), 0U);
}

TEST_P(call_flows, answered_then_hung_up_by_the_caller) {
  establish();
  EXPECT_EQ(alice_call.hangup(), std::error_code{});
  ASSERT_TRUE(wait_for("bob: ended remote hangup 0"));
  ASSERT_TRUE(wait_for("alice: ended local hangup 0"));
  EXPECT_EQ(of(log.lines(), "alice"),
            (std::vector<std::string>{"alice: answered local 4000 remote 4002",
                                      "alice: ended local hangup 0"}));
}

TEST_P(call_flows, busy_callee_rejects_486) {
  bob_takes_calls([](Call& c) { EXPECT_EQ(c.reject(486), std::error_code{}); });
  alice_call = place_call();
  ASSERT_TRUE(wait_for("alice: ended rejected 486"));
  ASSERT_TRUE(wait_for("bob: ended local hangup 486"));
  EXPECT_EQ(of(log.lines(), "alice"), (std::vector<std::string>{"alice: ended rejected 486"}));
  EXPECT_EQ(of(log.lines(), "bob"),
            (std::vector<std::string>{"bob: incoming from sip:alice@127.0.0.1",
                                      "bob: ended local hangup 486"}));
}

TEST_P(call_flows, callee_hangs_up_while_ringing_declines_603) {
  bob_takes_calls([](Call& c) { EXPECT_EQ(c.ring(), std::error_code{}); });
  alice_call = place_call();
  ASSERT_TRUE(wait_for("alice: progress 180 Ringing"));
  EXPECT_EQ(bob_call.hangup(), std::error_code{});
  ASSERT_TRUE(wait_for("alice: ended rejected 603"));
  ASSERT_TRUE(wait_for("bob: ended local hangup 603"));
}

TEST_P(call_flows, caller_cancels_while_ringing) {
  bob_takes_calls([](Call& c) { EXPECT_EQ(c.ring(), std::error_code{}); });
  alice_call = place_call();
  ASSERT_TRUE(wait_for("alice: progress 180 Ringing"));
  EXPECT_EQ(alice_call.hangup(), std::error_code{});
  ASSERT_TRUE(wait_for("alice: ended cancelled 487"));
  ASSERT_TRUE(wait_for("bob: ended cancelled 487"));
  EXPECT_EQ(of(log.lines(), "alice"), (std::vector<std::string>{"alice: progress 180 Ringing",
                                                                "alice: ended cancelled 487"}));
  EXPECT_EQ(of(log.lines(), "bob"),
            (std::vector<std::string>{"bob: incoming from sip:alice@127.0.0.1",
                                      "bob: ended cancelled 487"}));
  EXPECT_FALSE(alice_call.active());
  EXPECT_FALSE(bob_call.active());
}

// Hold and unhold from either side (RFC 3264 §8.4: sendonly offered,
// recvonly answered). Each side reports each exchange once: the sender of
// the re-INVITE when the 2xx comes, the receiver when it answers (not again
// at the ACK).
TEST_P(call_flows, caller_holds_and_unholds) {
  establish();
  hold_unhold_hangup(alice_call, "alice", "bob");
  EXPECT_EQ(of(log.lines(), "alice"), (std::vector<std::string>{
                                          "alice: answered local 4000 remote 4002",
                                          "alice: media ok 200 sendonly/recvonly",
                                          "alice: media ok 200 sendrecv/sendrecv",
                                          "alice: ended local hangup 0",
                                      }));
  EXPECT_EQ(of(log.lines(), "bob"), (std::vector<std::string>{
                                        "bob: incoming from sip:alice@127.0.0.1",
                                        "bob: answered local 4002 remote 4000",
                                        "bob: media ok 200 recvonly/sendonly",
                                        "bob: media ok 200 sendrecv/sendrecv",
                                        "bob: ended remote hangup 0",
                                    }));
}

TEST_P(call_flows, callee_holds_and_unholds) {
  establish();
  hold_unhold_hangup(bob_call, "bob", "alice");
  EXPECT_EQ(of(log.lines(), "bob"), (std::vector<std::string>{
                                        "bob: incoming from sip:alice@127.0.0.1",
                                        "bob: answered local 4002 remote 4000",
                                        "bob: media ok 200 sendonly/recvonly",
                                        "bob: media ok 200 sendrecv/sendrecv",
                                        "bob: ended local hangup 0",
                                    }));
  EXPECT_EQ(of(log.lines(), "alice"), (std::vector<std::string>{
                                          "alice: answered local 4000 remote 4002",
                                          "alice: media ok 200 recvonly/sendonly",
                                          "alice: media ok 200 sendrecv/sendrecv",
                                          "alice: ended remote hangup 0",
                                      }));
}

TEST_P(call_flows, early_media_then_answer) {
  bob_takes_calls([](Call& c) { EXPECT_EQ(c.progress(audio(4002, 2)), std::error_code{}); });
  alice_call = place_call();
  ASSERT_TRUE(wait_for("alice: early media port 4002"));
  EXPECT_EQ(bob_call.answer(), std::error_code{});
  ASSERT_TRUE(wait_for("alice: answered local 4000 remote 4002"));
  ASSERT_TRUE(wait_for("bob: answered local 4002 remote 4000"));
  EXPECT_EQ(alice_call.hangup(), std::error_code{});
  ASSERT_TRUE(wait_for("bob: ended remote hangup 0"));
  EXPECT_EQ(of(log.lines(), "alice"), (std::vector<std::string>{
                                          "alice: progress 183 Session Progress",
                                          "alice: early media port 4002",
                                          "alice: answered local 4000 remote 4002",
                                          "alice: ended local hangup 0",
                                      }));
}

TEST_P(call_flows, info_both_ways_in_a_call) {
  // text/plain is accepted by default (Config::accept adds other types).
  establish();
  EXPECT_EQ(alice_call.send_info("text/plain", "Signal=5\r\nDuration=160\r\n"), std::error_code{});
  ASSERT_TRUE(wait_for("bob: info text/plain [Signal=5\r\nDuration=160\r\n]"));
  EXPECT_EQ(bob_call.send_info("text/plain", "from bob"), std::error_code{});
  ASSERT_TRUE(wait_for("alice: info text/plain [from bob]"));
  // The call is still up after both.
  EXPECT_TRUE(alice_call.active());
  EXPECT_TRUE(bob_call.active());
  EXPECT_EQ(alice_call.hangup(), std::error_code{});
  ASSERT_TRUE(wait_for("bob: ended remote hangup 0"));
  EXPECT_EQ(
      of(log.lines(), "bob"),
      (std::vector<std::string>{
          "bob: incoming from sip:alice@127.0.0.1", "bob: answered local 4002 remote 4000",
          "bob: info text/plain [Signal=5\r\nDuration=160\r\n]", "bob: ended remote hangup 0"}));
}

TEST_P(call_flows, message_and_options_between_the_uas) {
  bob.on_message([this](const IncomingMessage& m) {
    log.add("bob: message from " + m.from + " " + m.content_type + " [" + m.body + "]");
  });
  EXPECT_EQ(
      alice.send_message(bob_uri(), "text/plain", "hello bob",
                         [this](int s) { log.add("alice: message done " + std::to_string(s)); }),
      std::error_code{});
  ASSERT_TRUE(wait_for("bob: message from sip:alice@127.0.0.1 text/plain [hello bob]"));
  ASSERT_TRUE(wait_for("alice: message done 200"));
  EXPECT_EQ(alice.send_options(
                bob_uri(), [this](int s) { log.add("alice: options done " + std::to_string(s)); }),
            std::error_code{});
  ASSERT_TRUE(wait_for("alice: options done 200"));
  EXPECT_EQ(bob.send_options(alice_uri(),
                             [this](int s) { log.add("bob: options done " + std::to_string(s)); }),
            std::error_code{});
  ASSERT_TRUE(wait_for("bob: options done 200"));
  EXPECT_EQ(log.size(), 4U);
  EXPECT_EQ(alice.send_message("tel:+15551234", "text/plain", "x"),
            make_error_code(core_errc::bad_target));
}

TEST_P(call_flows, no_incoming_call_handler_answers_480) {
  alice_call = place_call();
  ASSERT_TRUE(wait_for("alice: ended rejected 480"));
  EXPECT_EQ(log.lines(), (std::vector<std::string>{"alice: ended rejected 480"}));
  EXPECT_TRUE(bob.run_until([&] { return bob.active_calls() == 0; }, ua_test::timeout));
}

INSTANTIATE_TEST_SUITE_P(over, call_flows,
                         ::testing::Values(transport_protocol::udp, transport_protocol::tcp),
                         ua_test::protocol_name);

}  // namespace
}  // namespace sipua

namespace sipua {
namespace {

// UserAgent::Config::accept adds body types: an INFO carrying
// application/dtmf-relay (RFC 6086 usage) reaches the callee's on_info.
TEST(ua_config, accept_lets_info_packages_through) {
  UserAgent::Config bc = ua_test::config_for("sip:bob@127.0.0.1");
  bc.accept = {"application/dtmf-relay"};
  bc.media = sdp::audio_capabilities("127.0.0.1", 4002, 2);
  UserAgent bob{bc};
  UserAgent alice{bob.context(), ua_test::config_for("sip:alice@127.0.0.1")};
  std::vector<std::string> got;
  bool up = false;
  bob.on_incoming_call([&](IncomingCall& in) {
    CallHandlers h;
    h.on_info = [&](std::string_view type, std::string_view body) {
      got.push_back(std::string{type} + " " + std::string{body});
    };
    EXPECT_EQ(in.call.set_handlers(std::move(h)), std::error_code{});
    EXPECT_EQ(in.call.answer(), std::error_code{});
  });
  ASSERT_EQ(bob.start(), std::error_code{});
  ASSERT_EQ(alice.start(), std::error_code{});
  CallHandlers h;
  h.on_answered = [&](const MediaInfo&) { up = true; };
  CallOptions o;
  o.media = sdp::audio_capabilities("127.0.0.1", 4000, 1);
  auto call =
      alice.call(ua_test::uri_of(bob, transport_protocol::udp, "bob"), std::move(o), std::move(h));
  ASSERT_TRUE(call);
  ASSERT_TRUE(bob.run_until([&] { return up; }, ua_test::timeout));
  EXPECT_EQ(call->send_info("application/dtmf-relay", "Signal=1\r\nDuration=100\r\n"),
            std::error_code{});
  ASSERT_TRUE(bob.run_until([&] { return !got.empty(); }, ua_test::timeout));
  EXPECT_EQ(got, (std::vector<std::string>{"application/dtmf-relay Signal=1\r\nDuration=100\r\n"}));
}

}  // namespace
}  // namespace sipua

namespace sipua {
namespace {

// UserAgent::on_call_event sees every call's events in one place, after
// the call's own handlers: here the caller's progress, answer, hold and
// end, and the callee's answer, media update and end.
TEST(ua_events, the_ua_wide_observer_sees_every_call) {
  UserAgent::Config bc = ua_test::config_for("sip:bob@127.0.0.1");
  bc.media = sdp::audio_capabilities("127.0.0.1", 4002, 2);
  UserAgent bob{bc};
  UserAgent alice{bob.context(), ua_test::config_for("sip:alice@127.0.0.1")};
  std::vector<std::string> seen;
  const auto observer = [&seen](std::string who) {
    return [&seen, who](const Call& call, const CallEvent& e) {
      static constexpr const char* names[] = {"progress", "answered", "media_updated", "info",
                                              "ended"};
      std::string line =
          who + " " + names[static_cast<int>(e.what)] + " " + std::to_string(e.status);
      if (e.what == CallEvent::kind::ended && e.end != nullptr) {
        line += " " + std::string{to_string(e.end->reason)};
        line += call.active() ? " (active?)" : "";
      }
      if (e.media != nullptr && e.media->local && !e.media->local->media.empty()) {
        line += " " + std::string{to_string(
                          e.media->local->effective_direction(e.media->local->media.front()))};
      }
      seen.push_back(line);
    };
  };
  alice.on_call_event(observer("alice"));
  bob.on_call_event(observer("bob"));
  bob.on_incoming_call([](IncomingCall& in) {
    EXPECT_EQ(in.call.ring(), std::error_code{});
    EXPECT_EQ(in.call.answer(), std::error_code{});
  });
  ASSERT_EQ(bob.start(), std::error_code{});
  ASSERT_EQ(alice.start(), std::error_code{});
  Call call;
  CallHandlers h;
  h.on_answered = [&](const MediaInfo&) { EXPECT_EQ(call.hold(), std::error_code{}); };
  h.on_media_updated = [&](const MediaInfo&) { EXPECT_EQ(call.hangup(), std::error_code{}); };
  CallOptions o;
  o.media = sdp::audio_capabilities("127.0.0.1", 4000, 1);
  auto c =
      alice.call(ua_test::uri_of(bob, transport_protocol::udp, "bob"), std::move(o), std::move(h));
  ASSERT_TRUE(c);
  call = *c;
  ASSERT_TRUE(bob.run_until([&] { return seen.size() >= 7; }, ua_test::timeout));
  EXPECT_EQ(seen, (std::vector<std::string>{
                      "alice progress 180",
                      "alice answered 200 sendrecv",  // the ACK leaves, then bob hears it
                      "bob answered 200 sendrecv",
                      "bob media_updated 200 recvonly",
                      "alice media_updated 200 sendonly",
                      "alice ended 0 local hangup",
                      "bob ended 0 remote hangup",
                  }));
}

}  // namespace
}  // namespace sipua
