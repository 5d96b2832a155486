// Two UserAgents on loopback completing calls end to end over real
// sockets (issue #5): answer and hang up, over UDP and TCP.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "ua_test_support.hpp"

#include "sipua/ua/user_agent.hpp"

namespace sipua {
namespace {

using ua_test::audio;

class two_uas : public ::testing::TestWithParam<transport_protocol> {};

TEST_P(two_uas, call_answered_and_hung_up_by_the_caller) {
  UserAgent bob{UserAgent::Config{}};
  UserAgent::Config ac;
  ac.identity = "sip:alice@127.0.0.1";
  UserAgent alice{bob.context(), ac};
  std::vector<std::string> log;
  bob.on_incoming_call([&](IncomingCall& in) {
    log.push_back("bob: incoming from " + in.from);
    CallHandlers h;
    h.on_ended = [&](const CallEnd& e) {
      log.push_back("bob: ended " + std::string{to_string(e.reason)});
    };
    EXPECT_EQ(in.call.set_handlers(std::move(h)), std::error_code{});
    EXPECT_EQ(in.call.ring(), std::error_code{});
    EXPECT_EQ(in.call.answer(audio(4002, 2)), std::error_code{});
  });
  ASSERT_EQ(bob.start(), std::error_code{});
  ASSERT_EQ(alice.start(), std::error_code{});
  Call call;
  CallHandlers h;
  h.on_progress = [&](int s, std::string_view) {
    log.push_back("alice: progress " + std::to_string(s));
  };
  h.on_answered = [&](const MediaInfo& m) {
    log.push_back(std::string{"alice: answered"} + (m.remote ? " with sdp" : ""));
    EXPECT_EQ(call.hangup(), std::error_code{});
  };
  h.on_ended = [&](const CallEnd& e) {
    log.push_back("alice: ended " + std::string{to_string(e.reason)});
  };
  CallOptions o;
  o.media = audio(4000, 1);
  auto c = alice.call(ua_test::uri_of(bob, GetParam(), "bob"), std::move(o), std::move(h));
  ASSERT_TRUE(c) << c.error().message();
  call = *c;
  EXPECT_TRUE(bob.run_until([&] { return log.size() >= 5; }, std::chrono::seconds{5}));
  EXPECT_EQ(log,
            (std::vector<std::string>{"bob: incoming from sip:alice@127.0.0.1",
                                      "alice: progress 180", "alice: answered with sdp",
                                      "alice: ended local hangup", "bob: ended remote hangup"}))
      << log.size();
  EXPECT_FALSE(call.active());
  EXPECT_EQ(call.hangup(), make_error_code(core_errc::unknown_call));
}

INSTANTIATE_TEST_SUITE_P(over, two_uas,
                         ::testing::Values(transport_protocol::udp, transport_protocol::tcp),
                         ua_test::protocol_name);

}  // namespace
}  // namespace sipua
