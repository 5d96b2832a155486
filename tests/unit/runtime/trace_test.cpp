// format_trace(): the header line for each direction, retransmissions,
// IPv6 addresses, and the message bytes unchanged.
#include "sipua/runtime/trace.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sipua::test {
namespace {

socket_address addr(std::string_view text) { return *socket_address::parse(text); }

constexpr std::string_view k_options =
    "OPTIONS sip:bob@example.com SIP/2.0\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

TEST(format_trace_test, Received) {
  const trace_event e{trace_event::direction::received,
                      transport_protocol::udp,
                      addr("192.0.2.1:5060"),
                      addr("192.0.2.2:5070"),
                      k_options,
                      false};
  EXPECT_EQ(format_trace(e),
            "recv 58 bytes from 192.0.2.2:5070 over UDP at 192.0.2.1:5060\n"
            "OPTIONS sip:bob@example.com SIP/2.0\r\n"
            "Content-Length: 0\r\n"
            "\r\n");
}

TEST(format_trace_test, SentOverTcpToIpv6) {
  const trace_event e{trace_event::direction::sent,
                      transport_protocol::tcp,
                      addr("[2001:db8::1]:5060"),
                      addr("[2001:db8::2]:5061"),
                      k_options,
                      false};
  EXPECT_EQ(format_trace(e),
            "send 58 bytes to [2001:db8::2]:5061 over TCP from [2001:db8::1]:5060\n" +
                std::string(k_options));
}

TEST(format_trace_test, RetransmissionIsMarked) {
  const trace_event e{trace_event::direction::sent,
                      transport_protocol::tls,
                      addr("192.0.2.1:5061"),
                      addr("192.0.2.2:5061"),
                      k_options,
                      true};
  EXPECT_EQ(format_trace(e),
            "send 58 bytes to 192.0.2.2:5061 over TLS from 192.0.2.1:5061 (retransmission)\n" +
                std::string(k_options));
}

TEST(format_trace_test, BytesWithoutALineBreakGetOne) {
  const trace_event e{trace_event::direction::received,
                      transport_protocol::udp,
                      addr("127.0.0.1:5060"),
                      addr("127.0.0.1:40000"),
                      "junk",
                      false};
  EXPECT_EQ(format_trace(e),
            "recv 4 bytes from 127.0.0.1:40000 over UDP at 127.0.0.1:5060\njunk\n");
}

TEST(format_trace_test, Empty) {
  const trace_event e{trace_event::direction::received,
                      transport_protocol::udp,
                      addr("127.0.0.1:5060"),
                      addr("127.0.0.1:40000"),
                      "",
                      false};
  EXPECT_EQ(format_trace(e), "recv 0 bytes from 127.0.0.1:40000 over UDP at 127.0.0.1:5060\n");
}

}  // namespace
}  // namespace sipua::test
