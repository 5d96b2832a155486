#include "sipua/transport/address.hpp"

#include <gtest/gtest.h>

#include <string>
#include <unordered_set>

namespace sipua {
namespace {

TEST(IpAddress, ParsesAndFormatsV4) {
  auto a = ip_address::parse("192.0.2.1");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->is_v4());
  EXPECT_EQ(a->bytes()[0], 192);
  EXPECT_EQ(a->bytes()[3], 1);
  EXPECT_EQ(a->to_string(), "192.0.2.1");
  EXPECT_EQ(a->to_uri_string(), "192.0.2.1");
  EXPECT_TRUE(ip_address::parse("127.0.0.1")->is_loopback());
  EXPECT_EQ(*ip_address::parse("127.0.0.1"), ip_address::loopback_v4());
  EXPECT_TRUE(ip_address::parse("0.0.0.0")->is_unspecified());
}

TEST(IpAddress, ParsesAndFormatsV6InCanonicalForm) {
  auto a = ip_address::parse("2001:DB8:0:0:0:0:0:1");
  ASSERT_TRUE(a);
  EXPECT_TRUE(a->is_v6());
  EXPECT_EQ(a->to_string(), "2001:db8::1");  // RFC 5952
  EXPECT_EQ(a->to_uri_string(), "[2001:db8::1]");
  auto b = ip_address::parse("[::1]");
  ASSERT_TRUE(b);
  EXPECT_EQ(*b, ip_address::loopback_v6());
  EXPECT_TRUE(b->is_loopback());
  EXPECT_EQ(ip_address::parse("::ffff:192.0.2.1")->to_string(), "::ffff:192.0.2.1");
  EXPECT_TRUE(ip_address::parse("::")->is_unspecified());
}

TEST(IpAddress, RejectsWhatIsNotALiteral) {
  for (const char* bad :
       {"", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ", "example.com", "[1.2.3.4]",
        "[::1", "::1]", ":::", "1::2::3", "12345::1", "fe80::1%eth0", "[]"}) {
    auto a = ip_address::parse(bad);
    ASSERT_FALSE(a) << bad;
    EXPECT_EQ(a.error(), transport_errc::bad_address) << bad;
  }
  const std::string long_text(100, '1');
  EXPECT_FALSE(ip_address::parse(long_text));
}

TEST(IpAddress, V4AndV6OfTheSameBytesDiffer) {
  std::array<std::uint8_t, 16> b{};
  EXPECT_NE(ip_address::v6(b), ip_address::v4({0, 0, 0, 0}));
}

TEST(SocketAddress, RoundTrips) {
  for (const char* text : {"127.0.0.1:5060", "[::1]:5060", "192.0.2.200:0", "[2001:db8::7]:65535",
                           "10.1.2.3:5061", "[::ffff:192.0.2.1]:1"}) {
    auto a = socket_address::parse(text);
    ASSERT_TRUE(a) << text;
    EXPECT_EQ(a->to_string(), text);
    auto again = socket_address::parse(a->to_string());
    ASSERT_TRUE(again);
    EXPECT_EQ(*again, *a);
  }
  auto a = socket_address::parse("[::1]:5080");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->port(), 5080);
  EXPECT_EQ(a->address(), ip_address::loopback_v6());
  EXPECT_EQ(a->family(), ip_family::v6);
}

TEST(SocketAddress, ReportsBadAddressAndBadPort) {
  struct bad_case {
    const char* text;
    transport_errc error;
  };
  for (const auto& c :
       {bad_case{"127.0.0.1", transport_errc::bad_port},
        bad_case{"127.0.0.1:", transport_errc::bad_port},
        bad_case{"127.0.0.1:65536", transport_errc::bad_port},
        bad_case{"127.0.0.1:123456", transport_errc::bad_port},
        bad_case{"127.0.0.1:50a0", transport_errc::bad_port},
        bad_case{"127.0.0.1:-1", transport_errc::bad_port},
        bad_case{"127.0.0.1:+5", transport_errc::bad_port},
        bad_case{"[::1]", transport_errc::bad_port},
        bad_case{"[::1]5060", transport_errc::bad_port},
        bad_case{"::1:5060", transport_errc::bad_address},
        bad_case{"[::1:5060", transport_errc::bad_address},
        bad_case{"host.example:5060", transport_errc::bad_address},
        bad_case{":5060", transport_errc::bad_address}, bad_case{"", transport_errc::bad_port},
        bad_case{"[1.2.3.4]:5060", transport_errc::bad_address}}) {
    auto a = socket_address::parse(c.text);
    ASSERT_FALSE(a) << c.text;
    EXPECT_EQ(a.error(), c.error) << c.text;
  }
}

TEST(SocketAddress, EqualityAndHashing) {
  const auto a = *socket_address::parse("127.0.0.1:5060");
  const auto b = *socket_address::parse("127.0.0.1:5061");
  const auto c = *socket_address::parse("[::1]:5060");
  const auto d = *socket_address::parse("[::ffff:127.0.0.1]:5060");
  EXPECT_EQ(a, *socket_address::parse("127.0.0.1:5060"));
  EXPECT_NE(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a, d);  // a v4-mapped v6 address is a different socket address
  std::unordered_set<socket_address> set{a, b, c, d, a};
  EXPECT_EQ(set.size(), 4u);
  EXPECT_EQ(std::hash<socket_address>{}(a),
            std::hash<socket_address>{}(*socket_address::parse("127.0.0.1:5060")));
}

TEST(TransportProtocol, ViaTokensReliabilityAndPorts) {
  EXPECT_EQ(via_token(transport_protocol::udp), "UDP");
  EXPECT_EQ(via_token(transport_protocol::tcp), "TCP");
  EXPECT_EQ(via_token(transport_protocol::tls), "TLS");
  EXPECT_EQ(via_token(transport_protocol::ws), "WS");
  EXPECT_EQ(via_token(transport_protocol::wss), "WSS");
  EXPECT_FALSE(is_reliable(transport_protocol::udp));
  EXPECT_TRUE(is_reliable(transport_protocol::tcp));
  EXPECT_TRUE(is_reliable(transport_protocol::tls));
  EXPECT_TRUE(is_reliable(transport_protocol::wss));
  EXPECT_TRUE(is_secure(transport_protocol::tls));
  EXPECT_FALSE(is_secure(transport_protocol::tcp));
  EXPECT_EQ(default_port(transport_protocol::udp), 5060);
  EXPECT_EQ(default_port(transport_protocol::tls), 5061);
  EXPECT_EQ(*parse_transport_token("udp"), transport_protocol::udp);
  EXPECT_EQ(*parse_transport_token("Tls"), transport_protocol::tls);
  EXPECT_EQ(*parse_transport_token("WSS"), transport_protocol::wss);
  EXPECT_FALSE(parse_transport_token("SCTP"));
  EXPECT_FALSE(parse_transport_token(""));
  EXPECT_FALSE(parse_transport_token("UDPX"));
}

TEST(TransportErrors, HaveTheirCategoryAndMessages) {
  const std::error_code ec = transport_errc::message_too_large;
  EXPECT_STREQ(ec.category().name(), "sipua.transport");
  EXPECT_FALSE(ec.message().empty());
  EXPECT_NE(std::error_code(transport_errc::bad_port), transport_errc::bad_address);
  EXPECT_EQ(std::error_code(transport_errc::too_many_connections).message(),
            "too many connections");
}

}  // namespace
}  // namespace sipua
