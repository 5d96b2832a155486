// The routing rules of RFC 3261 §18 and RFC 3581 (routing.hpp): every
// branch of each rule, with the RFCs' own examples where they give one.
#include "sipua/transport/routing.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>

#include "support/split.hpp"

#include "sipua/message/builder.hpp"
#include "sipua/message/header_id.hpp"

namespace sipua {
namespace {

using tp = transport_protocol;

socket_address addr(std::string_view text) {
  auto a = socket_address::parse(text);
  EXPECT_TRUE(a) << text;
  return a ? *a : socket_address{};
}

transport_origin origin(tp protocol, std::string_view local, std::string_view peer) {
  return transport_origin{protocol, addr(local), addr(peer), nullptr};
}

/// A via parsed from an exact-size copy of `text`, which it keeps alive
/// (the via's views point into it).
class held_via {
 public:
  explicit held_via(std::string_view text) : buf_(text) {
    auto r = parse_via(buf_.view());
    EXPECT_TRUE(r) << text;
    if (r) v_ = *r;
  }
  const via& operator*() const noexcept { return v_; }
  const via* operator->() const noexcept { return &v_; }

 private:
  test::exact_buffer buf_;
  via v_;
};

/// top_via_for_response on an exact-size copy of `value`.
std::string rewritten(std::string_view value, const transport_origin& o) {
  std::string out;
  test::for_each_exact(value, [&](std::string_view v) {
    auto r = top_via_for_response(v, o);
    EXPECT_TRUE(r) << value;
    if (r) out = *r;
  });
  return out;
}

// ---- choose_transport (RFC 3261 §18.1.1) --------------------------------

TEST(ChooseTransport, UdpUpTo1300BytesStaysUdp) {
  EXPECT_EQ(choose_transport(tp::udp, 0), tp::udp);
  EXPECT_EQ(choose_transport(tp::udp, 500), tp::udp);
  EXPECT_EQ(choose_transport(tp::udp, 1300), tp::udp);
}

TEST(ChooseTransport, UdpOver1300BytesGoesOverTcp) {
  EXPECT_EQ(choose_transport(tp::udp, 1301), tp::tcp);
  EXPECT_EQ(choose_transport(tp::udp, 65000), tp::tcp);
}

TEST(ChooseTransport, WithinTwoHundredBytesOfASmallerPathMtuGoesOverTcp) {
  // IPv6 minimum MTU 1280: the bound is 1080.
  EXPECT_EQ(choose_transport(tp::udp, 1080, 1280), tp::udp);
  EXPECT_EQ(choose_transport(tp::udp, 1081, 1280), tp::tcp);
  // An MTU of 200 or less leaves no room at all.
  EXPECT_EQ(choose_transport(tp::udp, 1, 200), tp::tcp);
  EXPECT_EQ(choose_transport(tp::udp, 0, 100), tp::tcp);
  EXPECT_EQ(choose_transport(tp::udp, 1, 201), tp::udp);
  EXPECT_EQ(choose_transport(tp::udp, 2, 201), tp::tcp);
}

TEST(ChooseTransport, LargerPathMtuDoesNotRaiseThe1300ByteBound) {
  EXPECT_EQ(choose_transport(tp::udp, 1300, 9000), tp::udp);
  EXPECT_EQ(choose_transport(tp::udp, 1301, 9000), tp::tcp);
}

TEST(ChooseTransport, StayOnUdpKeepsUdpAtAnySize) {
  EXPECT_EQ(choose_transport(tp::udp, 1301, 1500, udp_size_policy::stay_on_udp), tp::udp);
  EXPECT_EQ(choose_transport(tp::udp, 60000, 100, udp_size_policy::stay_on_udp), tp::udp);
}

TEST(ChooseTransport, OtherTransportsAreKept) {
  for (tp p : {tp::tcp, tp::tls, tp::ws, tp::wss}) {
    EXPECT_EQ(choose_transport(p, 100), p);
    EXPECT_EQ(choose_transport(p, 5000), p);  // sips / TLS stays TLS
    EXPECT_EQ(choose_transport(p, 5000, 576, udp_size_policy::stay_on_udp), p);
  }
}

// ---- top_via_value (RFC 3261 §18.1.1, §20.42, RFC 3581 §3) --------------

TEST(TopViaValue, WritesSentByFromAnIpv4Address) {
  auto v = top_via_value(tp::udp, addr("192.0.2.1:5060"), "z9hG4bK776asdhds", false);
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK776asdhds");
  held_via p{*v};
  EXPECT_EQ(p->transport, "UDP");
  EXPECT_EQ(p->host, "192.0.2.1");
  EXPECT_EQ(p->host_kind, host_type::ipv4);
  EXPECT_EQ(p->port, 5060);
  EXPECT_EQ(p->branch, "z9hG4bK776asdhds");
  EXPECT_FALSE(p->has_rport);
}

TEST(TopViaValue, WritesIpv6InBracketsAndAsksForRport) {
  auto v = top_via_value(tp::tcp, addr("[2001:DB8:0::1]:5070"), "z9hG4bKa1", true);
  ASSERT_TRUE(v);
  EXPECT_EQ(*v, "SIP/2.0/TCP [2001:db8::1]:5070;branch=z9hG4bKa1;rport");
  held_via p{*v};
  EXPECT_EQ(p->host, "[2001:db8::1]");
  EXPECT_EQ(p->host_kind, host_type::ipv6);
  EXPECT_EQ(p->port, 5070);
  EXPECT_TRUE(p->has_rport);
  EXPECT_FALSE(p->rport);
}

TEST(TopViaValue, WritesEveryTransportToken) {
  const std::pair<tp, std::string_view> cases[] = {
      {tp::udp, "UDP"}, {tp::tcp, "TCP"}, {tp::tls, "TLS"}, {tp::ws, "WS"}, {tp::wss, "WSS"}};
  for (const auto& [p, token] : cases) {
    auto v = top_via_value(p, addr("192.0.2.1:5061"), "z9hG4bKt", false);
    ASSERT_TRUE(v);
    EXPECT_EQ(*v, "SIP/2.0/" + std::string(token) + " 192.0.2.1:5061;branch=z9hG4bKt");
    held_via parsed{*v};
    EXPECT_EQ(parsed->transport, token);
    EXPECT_EQ(*parse_transport_token(parsed->transport), p);
  }
}

TEST(TopViaValue, IsWhatTheBuilderWrites) {
  auto v = top_via_value(tp::udp, addr("192.0.2.1:5060"), "z9hG4bK1", true);
  ASSERT_TRUE(v);
  request_builder a{method::options, "sip:bob@example.com"};
  a.via({.transport = "UDP", .sent_by = "192.0.2.1:5060", .branch = "z9hG4bK1", .rport = true});
  request_builder b{method::options, "sip:bob@example.com"};
  b.header(header_id::via, *v);
  EXPECT_EQ(a.view(), b.view());
  EXPECT_NE(a.view().find("Via: " + *v + "\r\n"), std::string_view::npos);
}

TEST(TopViaValue, RefusesAWildcardAddressOrPortZero) {
  for (const char* local : {"0.0.0.0:5060", "[::]:5060", "192.0.2.1:0"}) {
    auto v = top_via_value(tp::udp, addr(local), "z9hG4bK1", false);
    ASSERT_FALSE(v) << local;
    EXPECT_EQ(v.error().code, parse_errc::bad_header_value);
    EXPECT_EQ(v.error().offset, 0U);
    EXPECT_EQ(v.error().header, "Via");
  }
}

TEST(TopViaValue, RefusesABranchThatIsNotAToken) {
  auto empty = top_via_value(tp::udp, addr("192.0.2.1:5060"), "", false);
  ASSERT_FALSE(empty);
  EXPECT_EQ(empty.error().code, parse_errc::bad_param);
  EXPECT_EQ(empty.error().offset, 0U);
  auto spaced = top_via_value(tp::udp, "example.com", std::nullopt, "z9hG4bK a", false);
  ASSERT_FALSE(spaced);
  EXPECT_EQ(spaced.error().code, parse_errc::bad_param);
  EXPECT_EQ(spaced.error().offset, 7U);
}

TEST(TopViaValue, WritesAnAdvertisedHostAndPort) {
  auto name = top_via_value(tp::udp, "pc33.atlanta.com", std::nullopt, "z9hG4bK776asdhds", false);
  ASSERT_TRUE(name);
  EXPECT_EQ(*name, "SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK776asdhds");  // RFC 3261 §24.2
  held_via p{*name};
  EXPECT_EQ(p->host_kind, host_type::name);
  EXPECT_FALSE(p->port);

  auto v4 = top_via_value(tp::tls, "203.0.113.7", 5061, "z9hG4bK2", true);
  ASSERT_TRUE(v4);
  EXPECT_EQ(*v4, "SIP/2.0/TLS 203.0.113.7:5061;branch=z9hG4bK2;rport");

  // IPv6 with or without brackets: always written as an IPv6reference.
  for (std::string_view host : {"2001:db8::9", "[2001:db8::9]"}) {
    auto v6 = top_via_value(tp::udp, host, 5060, "z9hG4bK3", false);
    ASSERT_TRUE(v6) << host;
    EXPECT_EQ(*v6, "SIP/2.0/UDP [2001:db8::9]:5060;branch=z9hG4bK3");
    held_via parsed{*v6};
    EXPECT_EQ(parsed->host_kind, host_type::ipv6);
  }
}

TEST(TopViaValue, RefusesAnAdvertisedHostThatIsNotAHost) {
  for (std::string_view host : {"", "bad host", "example.com:5060", "[192.0.2.1]", "a\r\nb"}) {
    auto v = top_via_value(tp::udp, host, 5060, "z9hG4bK1", false);
    ASSERT_FALSE(v) << host;
    EXPECT_EQ(v.error().code, parse_errc::bad_header_value);
    EXPECT_EQ(v.error().offset, 0U);
  }
}

// ---- via_additions_for (RFC 3261 §18.2.1, RFC 3581 §4) ------------------

TEST(ViaAdditions, DomainNameGetsReceived) {
  held_via v{"SIP/2.0/UDP bobspc.biloxi.com:5060;branch=z9hG4bKnashds7"};
  auto a = via_additions_for(*v, origin(tp::udp, "192.0.2.2:5060", "192.0.2.4:5060"));
  EXPECT_EQ(a.received, "192.0.2.4");
  EXPECT_FALSE(a.rport);
  EXPECT_FALSE(a.empty());
}

TEST(ViaAdditions, SameAddressGetsNothingWhateverThePort) {
  held_via v{"SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bK1"};
  EXPECT_TRUE(via_additions_for(*v, origin(tp::udp, "192.0.2.2:5060", "192.0.2.4:5060")).empty());
  // received is about the address; the port is rport's business.
  EXPECT_TRUE(via_additions_for(*v, origin(tp::udp, "192.0.2.2:5060", "192.0.2.4:40000")).empty());
  // Over TCP too (§18.2.1 does not depend on the transport).
  held_via t{"SIP/2.0/TCP 192.0.2.4;branch=z9hG4bK1"};
  EXPECT_TRUE(via_additions_for(*t, origin(tp::tcp, "192.0.2.2:5060", "192.0.2.4:40000")).empty());
}

TEST(ViaAdditions, OtherAddressGetsReceived) {
  held_via v{"SIP/2.0/UDP 10.1.1.1:4540;branch=z9hG4bK1"};
  auto a = via_additions_for(*v, origin(tp::udp, "192.0.2.2:5060", "192.0.2.1:9988"));
  EXPECT_EQ(a.received, "192.0.2.1");
  EXPECT_FALSE(a.rport);
}

TEST(ViaAdditions, Ipv6ComparesAsAnAddressAndReceivedHasNoBrackets) {
  held_via same{"SIP/2.0/UDP [2001:DB8:0:0::1]:5060;branch=z9hG4bK1"};
  EXPECT_TRUE(via_additions_for(*same, origin(tp::udp, "[2001:db8::2]:5060", "[2001:db8::1]:5060"))
                  .empty());
  held_via other{"SIP/2.0/UDP [2001:db8::9]:5060;branch=z9hG4bK1"};
  auto a = via_additions_for(*other, origin(tp::udp, "[2001:db8::2]:5060", "[2001:db8::1]:5060"));
  EXPECT_EQ(a.received, "2001:db8::1");  // RFC 5118 §4.5: no "[" "]"
}

TEST(ViaAdditions, EmptyRportGetsTheSourcePortAndReceivedEvenWhenIdentical) {
  // RFC 3581 §4: "even if it is identical to the value of the sent-by".
  held_via v{"SIP/2.0/UDP 192.0.2.1:5060;rport;branch=z9hG4bK1"};
  auto a = via_additions_for(*v, origin(tp::udp, "192.0.2.2:5060", "192.0.2.1:5060"));
  EXPECT_EQ(a.received, "192.0.2.1");
  EXPECT_EQ(a.rport, 5060);
  // "independent of the transport protocol"
  held_via t{"SIP/2.0/TCP 192.0.2.1;rport;branch=z9hG4bK1"};
  auto b = via_additions_for(*t, origin(tp::tcp, "192.0.2.2:5060", "192.0.2.1:40001"));
  EXPECT_EQ(b.received, "192.0.2.1");
  EXPECT_EQ(b.rport, 40001);
}

TEST(ViaAdditions, RportWithAValueIsLeftAlone) {
  held_via v{"SIP/2.0/UDP 10.1.1.1:4540;rport=1111;branch=z9hG4bK1"};
  auto a = via_additions_for(*v, origin(tp::udp, "192.0.2.2:5060", "192.0.2.1:9988"));
  EXPECT_EQ(a.received, "192.0.2.1");
  EXPECT_FALSE(a.rport);
}

// ---- top_via_for_response -------------------------------------------------

TEST(TopViaForResponse, Rfc3581Section6Example) {
  const auto o = origin(tp::udp, "192.0.2.2:5060", "192.0.2.1:9988");
  const std::string out = rewritten("SIP/2.0/UDP 10.1.1.1:4540;rport;branch=z9hG4bKkjshdyff", o);
  EXPECT_EQ(out, "SIP/2.0/UDP 10.1.1.1:4540;received=192.0.2.1;rport=9988;branch=z9hG4bKkjshdyff");
  held_via p{out};
  EXPECT_EQ(p->received, "192.0.2.1");
  EXPECT_EQ(p->rport, 9988);
  EXPECT_EQ(p->branch, "z9hG4bKkjshdyff");
  EXPECT_EQ(p->port, 4540);
  // A Via already rewritten needs nothing more but received's own value.
  EXPECT_EQ(rewritten(out, o), out);
}

TEST(TopViaForResponse, ReceivedGoesAtTheEndWithoutRport) {
  // RFC 3261 §24.2 F2-style: received after the branch.
  const auto o = origin(tp::udp, "192.0.2.4:5060", "192.0.2.2:5060");
  EXPECT_EQ(
      rewritten("SIP/2.0/UDP bigbox3.site3.atlanta.com;branch=z9hG4bK77ef4c2312983.1", o),
      "SIP/2.0/UDP bigbox3.site3.atlanta.com;branch=z9hG4bK77ef4c2312983.1;received=192.0.2.2");
  // No parameter at all: right after sent-by.
  EXPECT_EQ(rewritten("SIP/2.0/UDP host.example.com:5070", o),
            "SIP/2.0/UDP host.example.com:5070;received=192.0.2.2");
}

TEST(TopViaForResponse, NothingToAddKeepsTheValue) {
  const auto o = origin(tp::udp, "192.0.2.2:5060", "192.0.2.4:5060");
  const std::string_view v = "SIP/2.0/UDP 192.0.2.4:5060 ;branch=z9hG4bK1;x=\"y\"";
  EXPECT_EQ(rewritten(v, o), v);
}

TEST(TopViaForResponse, OnlyTheFirstViaParmChanges) {
  const auto o = origin(tp::udp, "192.0.2.4:5060", "192.0.2.2:5060");
  const std::string out = rewritten(
      "SIP/2.0/UDP a.example.com;branch=z9hG4bK1 ,\r\n SIP/2.0/UDP b.example.com;branch=z9hG4bK2",
      o);
  EXPECT_EQ(out,
            "SIP/2.0/UDP a.example.com;branch=z9hG4bK1;received=192.0.2.2 ,\r\n SIP/2.0/UDP "
            "b.example.com;branch=z9hG4bK2");
  auto n = validate_via_list(out);
  ASSERT_TRUE(n);
  EXPECT_EQ(*n, 2U);
}

TEST(TopViaForResponse, RportLastOrWithLwsOrInUpperCase) {
  const auto o = origin(tp::udp, "192.0.2.2:5060", "192.0.2.1:9988");
  EXPECT_EQ(rewritten("SIP/2.0/UDP 10.1.1.1:4540;branch=z9hG4bKx;rport", o),
            "SIP/2.0/UDP 10.1.1.1:4540;branch=z9hG4bKx;received=192.0.2.1;rport=9988");
  const std::string lws = rewritten("SIP/2.0/UDP 10.1.1.1:4540 ; rport ; branch=z9hG4bKx", o);
  EXPECT_EQ(lws, "SIP/2.0/UDP 10.1.1.1:4540 ;received=192.0.2.1; rport=9988 ; branch=z9hG4bKx");
  held_via p{lws};
  EXPECT_EQ(p->received, "192.0.2.1");
  EXPECT_EQ(p->rport, 9988);
  EXPECT_EQ(rewritten("SIP/2.0/UDP 10.1.1.1;RPORT;branch=z9hG4bKx", o),
            "SIP/2.0/UDP 10.1.1.1;received=192.0.2.1;RPORT=9988;branch=z9hG4bKx");
}

TEST(TopViaForResponse, ReceivedAlreadyThereIsReplaced) {
  const auto o = origin(tp::udp, "192.0.2.2:5060", "192.0.2.1:5060");
  EXPECT_EQ(rewritten("SIP/2.0/UDP 10.1.1.1;received=10.9.9.9;branch=z9hG4bKx", o),
            "SIP/2.0/UDP 10.1.1.1;received=192.0.2.1;branch=z9hG4bKx");
  EXPECT_EQ(rewritten("SIP/2.0/UDP 10.1.1.1;received=10.9.9.9;rport;branch=z9hG4bKx", o),
            "SIP/2.0/UDP 10.1.1.1;received=192.0.2.1;rport=5060;branch=z9hG4bKx");
}

TEST(TopViaForResponse, Ipv6SourceAndSentBy) {
  const auto o = origin(tp::udp, "[2001:db8::2]:5060", "[2001:db8::1]:40000");
  const std::string out = rewritten("SIP/2.0/UDP [2001:db8::9]:5060;rport;branch=z9hG4bKx", o);
  EXPECT_EQ(out, "SIP/2.0/UDP [2001:db8::9]:5060;received=2001:db8::1;rport=40000;branch=z9hG4bKx");
  held_via p{out};
  EXPECT_EQ(p->received, "2001:db8::1");
  EXPECT_EQ(p->host, "[2001:db8::9]");
  EXPECT_EQ(p->rport, 40000);
}

TEST(TopViaForResponse, MalformedFirstViaParmIsAnError) {
  const auto o = origin(tp::udp, "192.0.2.2:5060", "192.0.2.1:5060");
  for (std::string_view bad : {"", "SIP/2.0/UDP", "SIP/2.0/UDP 10.1.1.1;;branch=z9hG4bKx",
                               "SIP/2.0/UDP 10.1.1.1;branch=\"x", "SIP/2.0/UDP 10.1.1.1 junk"}) {
    test::for_each_exact(bad, [&](std::string_view v) {
      auto r = top_via_for_response(v, o);
      ASSERT_FALSE(r) << bad;
      EXPECT_NE(r.error().code, parse_errc::ok);
    });
  }
  auto r = top_via_for_response("SIP/2.0/UDP 10.1.1.1;;branch=z9hG4bKx", o);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().code, parse_errc::bad_param);
}

// ---- response_destination (RFC 3261 §18.2.2, RFC 3581 §4) ---------------

TEST(ResponseDestination, ReliableOpenConnectionIsReused) {
  for (tp p : {tp::tcp, tp::tls, tp::ws, tp::wss}) {
    held_via v{"SIP/2.0/TCP client.example.com:5060;rport;maddr=239.1.1.1;branch=z9hG4bK1"};
    auto t = response_destination(*v, origin(p, "192.0.2.2:5060", "192.0.2.1:50000"), true);
    EXPECT_EQ(t.protocol, p);
    EXPECT_TRUE(t.use_existing_connection);
    EXPECT_EQ(t.address, addr("192.0.2.1:50000"));
    EXPECT_EQ(t.port, 50000);
    EXPECT_FALSE(t.multicast_ttl);
  }
}

TEST(ResponseDestination, ReliableClosedGoesToReceivedWithTheSentByPort) {
  const auto o = origin(tp::tls, "192.0.2.2:5061", "192.0.2.1:50000");
  held_via with_port{"SIP/2.0/TLS client.example.com:5071;branch=z9hG4bK1"};
  auto t = response_destination(*with_port, o, false);
  EXPECT_EQ(t.protocol, tp::tls);
  EXPECT_FALSE(t.use_existing_connection);
  EXPECT_EQ(t.address, addr("192.0.2.1:5071"));
  EXPECT_TRUE(t.port_explicit);
  EXPECT_TRUE(t.host.empty());
  // No port: the transport's default (5061 for TLS).
  held_via no_port{"SIP/2.0/TLS client.example.com;branch=z9hG4bK1"};
  auto d = response_destination(*no_port, o, false);
  EXPECT_EQ(d.address, addr("192.0.2.1:5061"));
  EXPECT_FALSE(d.port_explicit);
  // rport does not apply to a reliable transport: the sent-by port.
  held_via rport{"SIP/2.0/TCP 10.1.1.1:5070;rport;branch=z9hG4bK1"};
  auto r =
      response_destination(*rport, origin(tp::tcp, "192.0.2.2:5060", "192.0.2.1:50000"), false);
  EXPECT_EQ(r.address, addr("192.0.2.1:5070"));
  EXPECT_FALSE(r.source);
}

TEST(ResponseDestination, ReliableClosedWithoutReceivedGoesToSentBy) {
  held_via v{"SIP/2.0/TCP 192.0.2.1:5070;branch=z9hG4bK1"};
  auto t = response_destination(*v, origin(tp::tcp, "192.0.2.2:5060", "192.0.2.1:50000"), false);
  EXPECT_EQ(t.address, addr("192.0.2.1:5070"));  // not the source port
  held_via d{"SIP/2.0/TCP 192.0.2.1;branch=z9hG4bK1"};
  auto u = response_destination(*d, origin(tp::tcp, "192.0.2.2:5060", "192.0.2.1:50000"), false);
  EXPECT_EQ(u.address, addr("192.0.2.1:5060"));
  EXPECT_FALSE(u.port_explicit);
}

TEST(ResponseDestination, MaddrWithTtlForMulticast) {
  const auto o = origin(tp::udp, "192.0.2.2:5060", "192.0.2.1:9988");
  held_via ttl{"SIP/2.0/UDP 10.1.1.1:5062;maddr=239.255.255.1;ttl=16;rport;branch=z9hG4bK1"};
  auto t = response_destination(*ttl, o, false);
  EXPECT_EQ(t.protocol, tp::udp);
  EXPECT_EQ(t.address, addr("239.255.255.1:5062"));
  EXPECT_EQ(t.multicast_ttl, 16);
  EXPECT_FALSE(t.source);  // maddr comes before rport
  held_via no_ttl{"SIP/2.0/UDP 10.1.1.1;maddr=224.0.1.75;branch=z9hG4bK1"};
  auto d = response_destination(*no_ttl, o, false);
  EXPECT_EQ(d.address, addr("224.0.1.75:5060"));
  EXPECT_EQ(d.multicast_ttl, 1);
  held_via v6{"SIP/2.0/UDP [2001:db8::9];maddr=[ff02::1];branch=z9hG4bK1"};
  auto m6 = response_destination(*v6, o, false);
  EXPECT_EQ(m6.address, addr("[ff02::1]:5060"));
  EXPECT_EQ(m6.multicast_ttl, 1);
}

TEST(ResponseDestination, MaddrUnicastOrName) {
  const auto o = origin(tp::udp, "192.0.2.2:5060", "192.0.2.1:9988");
  held_via uni{"SIP/2.0/UDP 10.1.1.1:5062;maddr=192.0.2.9;ttl=3;branch=z9hG4bK1"};
  auto t = response_destination(*uni, o, false);
  EXPECT_EQ(t.address, addr("192.0.2.9:5062"));
  EXPECT_FALSE(t.multicast_ttl);
  held_via name{"SIP/2.0/UDP 10.1.1.1;maddr=proxy.example.com;branch=z9hG4bK1"};
  auto n = response_destination(*name, o, false);
  EXPECT_FALSE(n.address);
  EXPECT_EQ(n.host, "proxy.example.com");
  EXPECT_EQ(n.port, 5060);
  EXPECT_FALSE(n.port_explicit);
  EXPECT_FALSE(n.multicast_ttl);
}

TEST(ResponseDestination, Rfc3581Section6ReceivedAndRport) {
  const auto o = origin(tp::udp, "192.0.2.2:5060", "192.0.2.1:9988");
  // The request as received, and its Via as rewritten for the response.
  for (std::string_view text : {"SIP/2.0/UDP 10.1.1.1:4540;rport;branch=z9hG4bKkjshdyff",
                                "SIP/2.0/UDP 10.1.1.1:4540;received=192.0.2.1;rport=9988"
                                ";branch=z9hG4bKkjshdyff"}) {
    held_via v{text};
    auto t = response_destination(*v, o, false);
    EXPECT_EQ(t.protocol, tp::udp) << text;
    EXPECT_FALSE(t.use_existing_connection);
    EXPECT_EQ(t.address, addr("192.0.2.1:9988")) << text;
    EXPECT_TRUE(t.port_explicit);
    EXPECT_EQ(t.source, addr("192.0.2.2:5060")) << text;  // "from port 5060 on 192.0.2.2"
  }
}

TEST(ResponseDestination, Ipv6Rport) {
  const auto o = origin(tp::udp, "[2001:db8::2]:5060", "[2001:db8::1]:40000");
  held_via v{"SIP/2.0/UDP [2001:db8::9]:5060;rport;branch=z9hG4bKx"};
  auto t = response_destination(*v, o, false);
  EXPECT_EQ(t.address, addr("[2001:db8::1]:40000"));
  EXPECT_EQ(t.source, addr("[2001:db8::2]:5060"));
  // Through the rewritten text: the same answer.
  held_via r{rewritten("SIP/2.0/UDP [2001:db8::9]:5060;rport;branch=z9hG4bKx", o)};
  auto u = response_destination(*r, o, false);
  EXPECT_EQ(u.address, t.address);
  EXPECT_EQ(u.source, t.source);
}

TEST(ResponseDestination, ReceivedWithTheSentByPort) {
  const auto o = origin(tp::udp, "192.0.2.2:5060", "192.0.2.1:9988");
  held_via v{"SIP/2.0/UDP 10.1.1.1:4540;branch=z9hG4bK1"};
  auto t = response_destination(*v, o, false);
  EXPECT_EQ(t.address, addr("192.0.2.1:4540"));  // not the source port: no rport
  EXPECT_TRUE(t.port_explicit);
  EXPECT_FALSE(t.source);
  held_via name{"SIP/2.0/UDP pc33.atlanta.com;branch=z9hG4bK1"};
  auto n = response_destination(*name, o, false);
  EXPECT_EQ(n.address, addr("192.0.2.1:5060"));
  EXPECT_FALSE(n.port_explicit);
  EXPECT_TRUE(n.host.empty());
  // Received written by a rewrite (IPv6 without brackets) is used as is.
  held_via w{"SIP/2.0/UDP [2001:db8::9]:5070;received=2001:db8::1;branch=z9hG4bK1"};
  auto r = response_destination(*w, o, false);
  EXPECT_EQ(r.address, addr("[2001:db8::1]:5070"));
}

TEST(ResponseDestination, SentByWhenNotReceiverTagged) {
  const auto o = origin(tp::udp, "192.0.2.2:5060", "192.0.2.1:40000");
  held_via v{"SIP/2.0/UDP 192.0.2.1:5062;branch=z9hG4bK1"};
  auto t = response_destination(*v, o, false);
  EXPECT_EQ(t.address, addr("192.0.2.1:5062"));
  EXPECT_TRUE(t.port_explicit);
  EXPECT_FALSE(t.source);
  held_via d{"SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1"};
  auto u = response_destination(*d, o, false);
  EXPECT_EQ(u.address, addr("192.0.2.1:5060"));
  EXPECT_FALSE(u.port_explicit);
  // connection_still_open means nothing over UDP.
  auto w = response_destination(*d, o, true);
  EXPECT_FALSE(w.use_existing_connection);
  EXPECT_EQ(w.address, addr("192.0.2.1:5060"));
}

}  // namespace
}  // namespace sipua
