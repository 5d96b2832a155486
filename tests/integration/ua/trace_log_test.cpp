// The UserAgent's trace hook and log sink (issue #5 item 6): the hook sees
// every message in and out with its transport and addresses; log lines go
// to the sink at the level asked; nothing by default.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sipua/ua/user_agent.hpp"

namespace sipua {
namespace {

std::string first_line(std::string_view bytes) {
  return std::string{bytes.substr(0, bytes.find("\r\n"))};
}

TEST(ua_trace, sees_every_message_both_ways_and_logs_calls) {
  std::vector<std::string> trace;
  std::vector<std::string> logs;
  UserAgent::Config bc;
  bc.media = sdp::audio_capabilities("127.0.0.1", 4002, 2);
  bc.listen = {{transport_protocol::udp, socket_address{ip_address::loopback_v4(), 0}}};
  UserAgent bob{bc};
  UserAgent::Config ac;
  ac.listen = {{transport_protocol::udp, socket_address{ip_address::loopback_v4(), 0}}};
  ac.trace = [&](const trace_event& e) {
    trace.push_back(std::string{e.dir == trace_event::direction::sent ? "send " : "recv "} +
                    first_line(e.bytes) + " " + e.local.to_string() + " " + e.peer.to_string());
  };
  ac.log = [&](const log_record& r) {
    logs.push_back(std::string{to_string(r.level)} + " " + std::string{r.component} + ": " +
                   std::string{r.text});
  };
  ac.log_level = log_level::info;
  UserAgent alice{bob.context(), ac};
  bob.on_incoming_call([](IncomingCall& in) { EXPECT_EQ(in.call.reject(486), std::error_code{}); });
  ASSERT_EQ(bob.start(), std::error_code{});
  ASSERT_EQ(alice.start(), std::error_code{});
  const std::string a = alice.local_addresses().front().address.to_string();
  const std::string b = bob.local_addresses().front().address.to_string();
  bool ended = false;
  CallHandlers h;
  h.on_ended = [&](const CallEnd&) { ended = true; };
  ASSERT_TRUE(alice.call("sip:bob@" + b, CallOptions{}, std::move(h)));
  ASSERT_TRUE(bob.run_until([&] { return ended && trace.size() >= 4; }, std::chrono::seconds{5}));
  EXPECT_EQ(trace, (std::vector<std::string>{
                       "send INVITE sip:bob@" + b + " SIP/2.0 " + a + " " + b,
                       "recv SIP/2.0 100 Trying " + a + " " + b,
                       "recv SIP/2.0 486 Busy Here " + a + " " + b,
                       "send ACK sip:bob@" + b + " SIP/2.0 " + a + " " + b,
                   }));
  ASSERT_EQ(logs.size(), 1U);
  // Call ids are unique in the process: "call <id>: ended, rejected 486".
  EXPECT_EQ(logs[0].rfind("info ua: call ", 0), 0U) << logs[0];
  EXPECT_TRUE(logs[0].ends_with(": ended, rejected 486")) << logs[0];
}

}  // namespace
}  // namespace sipua
