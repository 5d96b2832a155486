#include "sipua/message/host.hpp"

#include <gtest/gtest.h>

#include <string_view>

#include "support/split.hpp"

namespace sipua {
namespace {

bool ipv4(std::string_view s) {
  bool r = false;
  test::for_each_exact(s, [&](std::string_view d) { r = is_ipv4_address(d); });
  return r;
}
bool ipv6(std::string_view s) {
  bool r = false;
  test::for_each_exact(s, [&](std::string_view d) { r = is_ipv6_address(d); });
  return r;
}
std::optional<host_type> host(std::string_view s) {
  std::optional<host_type> r;
  test::for_each_exact(s, [&](std::string_view d) { r = classify_host(d); });
  return r;
}

TEST(host, ipv4_dotted_quads) {
  for (auto s : {"192.0.2.1", "0.0.0.0", "255.255.255.255", "10.0.0.01"}) EXPECT_TRUE(ipv4(s)) << s;
  for (auto s :
       {"256.0.0.1", "1.2.3", "1.2.3.4.5", "1..2.3", "1.2.3.4.", "1.2.3.1000", "a.b.c.d", ""})
    EXPECT_FALSE(ipv4(s)) << s;
}

TEST(host, ipv6_addresses_rfc3261_abnf_and_rfc5118) {
  for (auto s : {"2001:db8::10", "::1", "::", "2001:db8:0:0:0:0:0:1", "fe80::1:2:3:4",
                 "2001:db8::192.0.2.1", "::ffff:192.0.2.128", "1:2:3:4:5:6:192.0.2.1"})
    EXPECT_TRUE(ipv6(s)) << s;
  // RFC 5118 §4.10: the extra colon the RFC 3261 ABNF allows before an IPv4
  // part is tolerated ...
  EXPECT_TRUE(ipv6("2001:db8:::192.0.2.1"));
  // ... but nowhere else.
  for (auto s :
       {"2001:db8:::1:2", "2001:::1", "1:2:3:4:5:6:7", "1:2:3:4:5:6:7:8:9", "2001:db8::10::1",
        "12345::1", "2001:db8:", ":1", "g::1", "1:2:3:4:5:6:7:192.0.2.1"})
    EXPECT_FALSE(ipv6(s)) << s;
}

TEST(host, classify) {
  EXPECT_EQ(host("atlanta.example.com"), host_type::name);
  EXPECT_EQ(host("example.com."), host_type::name);  // trailing dot of a FQDN
  EXPECT_EQ(host("a-b.c"), host_type::name);
  EXPECT_EQ(host("192.0.2.4"), host_type::ipv4);
  EXPECT_EQ(host("[2001:db8::10]"), host_type::ipv6);
  EXPECT_EQ(host("[2001:db8:::192.0.2.1]"), host_type::ipv6);  // RFC 5118 §4.10
  for (auto s : {"2001:db8::10", "[2001:db8::10", "-a.com", "a-.com", "a..com", "1.2.3.256",
                 "example.123", "", "[]", "host_name"})
    EXPECT_FALSE(host(s).has_value()) << s;
}

TEST(host, split_host_port) {
  std::string_view h;
  std::optional<std::uint16_t> port;
  ASSERT_TRUE(split_host_port("[2001:db8::10]:5070", h, port));  // RFC 5118 §4.4
  EXPECT_EQ(h, "[2001:db8::10]");
  EXPECT_EQ(port, 5070);
  ASSERT_TRUE(split_host_port("[2001:db8::10:5070]", h, port));  // RFC 5118 §4.3: no port
  EXPECT_EQ(port, std::nullopt);
  ASSERT_TRUE(split_host_port("example.com:0", h, port));
  EXPECT_EQ(port, 0);
  EXPECT_FALSE(split_host_port("example.com:65536", h, port));
  EXPECT_FALSE(split_host_port("example.com:", h, port));
  EXPECT_FALSE(split_host_port(":5060", h, port));
  EXPECT_FALSE(split_host_port("[::1]x", h, port));
}

}  // namespace
}  // namespace sipua
