#include "vector_extras.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "sipua/message/auth.hpp"
#include "sipua/message/contact.hpp"
#include "sipua/message/numeric.hpp"
#include "sipua/message/token_list.hpp"
#include "sipua/message/uri.hpp"
#include "sipua/message/via.hpp"

namespace sipua::conformance::extras {
namespace {

// Every via-parm of every Via field, in order.
std::vector<via> all_vias(const message& m) {
  std::vector<via> out;
  for (const header_field& f : m.headers()) {
    if (f.id != header_id::via) continue;
    const comma_list list{f.value};
    for (auto it = list.begin(); it != list.end(); ++it) {
      auto v = parse_via(*it);
      EXPECT_TRUE(v) << "via-parm: " << *it;
      if (v) out.push_back(*v);
    }
  }
  return out;
}

// Every Contact element of every Contact field, in order.
std::vector<contact> all_contacts(const message& m) {
  std::vector<contact> out;
  for (const header_field& f : m.headers()) {
    if (f.id != header_id::contact) continue;
    const comma_list list{f.value};
    for (auto it = list.begin(); it != list.end(); ++it) {
      auto c = parse_contact(*it);
      EXPECT_TRUE(c) << "contact: " << *it;
      if (c) out.push_back(*c);
    }
  }
  return out;
}

uri must_parse_uri(std::string_view text) {
  auto u = parse_uri(text);
  EXPECT_TRUE(u) << "URI: " << text;
  return u ? *u : uri{};
}

sip_uri request_uri(const message& m) { return must_parse_uri(m.request_uri()).sip; }

}  // namespace

void wsinv(const message& m) {
  // RFC 4475 §3.1.1.1: folded Via with LWS around '/', a second Via field
  // carrying two via-parms.
  const auto vias = all_vias(m);
  ASSERT_EQ(vias.size(), 3u);
  EXPECT_EQ(vias[0].transport, "UDP");
  EXPECT_EQ(vias[1].transport, "TCP");
  EXPECT_EQ(vias[1].host, "spindle.example.com");
  EXPECT_EQ(vias[1].branch, "z9hG4bK9ikj8");
  EXPECT_EQ(vias[2].host, "192.168.255.111");
  EXPECT_EQ(vias[2].branch, "z9hG4bK30239");
  EXPECT_EQ(parse_max_forwards(m.value(header_id::max_forwards)).value(), 68);  // "0068"
  const auto from = m.from();
  ASSERT_TRUE(from);
  EXPECT_EQ(from->display_name, R"("J Rosenberg \\\"")");
  const auto contacts = all_contacts(m);
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_EQ(contacts[0].addr.display_name, R"("Quoted string \"\"")");
  EXPECT_EQ(contacts[0].q, 330);
  EXPECT_TRUE(contacts[0].addr.params.contains("newparam"));
  EXPECT_TRUE(contacts[0].addr.params.contains("secondparam"));
  const header_field* nf = m.find("NewFangledHeader");
  ASSERT_NE(nf, nullptr);
  EXPECT_EQ(unfold(nf->value), "newfangled value continued newfangled value");
  EXPECT_EQ(m.value(header_id::subject), "");  // "s :" with an empty value
  EXPECT_EQ(m.find("UnknownHeaderWithUnusualValue")->value, ";;,,;;,;");
}

void intmeth(const message& m) {
  // §3.1.1.2: an extension method; escaped NUL, BEL and DEL in a quoted
  // display name; UTF-8 in a header parameter value.
  EXPECT_EQ(m.method(), method::extension);
  const auto to = m.to();
  ASSERT_TRUE(to);
  EXPECT_EQ(to->display_name, std::string_view("\"BEL:\\\x07 NUL:\\\0 DEL:\\\x7f\"", 22));
  const auto from = m.from();
  ASSERT_TRUE(from);
  EXPECT_EQ(from->display_name, "token1~` token2'+_ token3*%!.-");
  const auto p = from->params.find("fromParam''~+*_!.-%");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->unquoted(),
            "\xd1\x80\xd0\xb0\xd0\xb1\xd0\xbe\xd1\x82\xd0\xb0\xd1\x8e\xd1\x89\xd0\xb8\xd0\xb9");
  EXPECT_EQ(parse_max_forwards(m.value(header_id::max_forwards)).value(), 255);
  const sip_uri u = request_uri(m);
  EXPECT_EQ(u.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
  EXPECT_EQ(u.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
  EXPECT_EQ(u.host, "example.com");
}

void esc01(const message& m) {
  // §3.1.1.3: the escapes decode to the characters they stand for.
  EXPECT_EQ(unescape(request_uri(m).user), "sips:user@example.com");
  EXPECT_EQ(unescape(must_parse_uri(m.to()->uri).sip.user), "user");
  EXPECT_EQ(unescape(must_parse_uri(m.from()->uri).sip.user), "I have spaces");
  const auto contacts = all_contacts(m);
  ASSERT_EQ(contacts.size(), 1u);
  const sip_uri c = must_parse_uri(contacts[0].addr.uri).sip;
  EXPECT_EQ(unescape(c.user), "caller");
  EXPECT_EQ(c.params.raw(), ";%6C%72;n%61me=v%61lue%25%34%31");
}

void escnull(const message& m) {
  // §3.1.1.4: %00 decodes to a NUL that does not truncate anything.
  EXPECT_EQ(unescape(must_parse_uri(m.to()->uri).sip.user), std::string("null-\0-null", 11));
  const auto contacts = all_contacts(m);
  ASSERT_EQ(contacts.size(), 2u);
  EXPECT_EQ(unescape(must_parse_uri(contacts[0].addr.uri).sip.user), std::string(1, '\0'));
  EXPECT_EQ(unescape(must_parse_uri(contacts[1].addr.uri).sip.user), std::string(2, '\0'));
}

void esc02(const message& m) {
  // §3.1.1.5: RE%47IST%45R is not REGISTER; C%6Fntact is not Contact.
  EXPECT_EQ(m.method(), method::extension);
  EXPECT_EQ(m.count(header_id::contact), 2u);
  const header_field* odd = m.find("C%6Fntact");
  ASSERT_NE(odd, nullptr);
  EXPECT_EQ(odd->id, header_id::unknown);
  EXPECT_EQ(m.from()->display_name, "\"%Z%45\"");
}

void lwsdisp(const message& m) { EXPECT_EQ(m.from()->display_name, "caller"); }

void longreq(const message& m) {
  // §3.1.1.7: 34 via-parms in mixed spellings of Via and v.
  const auto vias = all_vias(m);
  ASSERT_EQ(vias.size(), 34u);
  EXPECT_EQ(vias[33].host, "host.example.com");
  EXPECT_EQ(vias[33].received, "192.0.2.5");
  EXPECT_EQ(vias[33].branch.size(), 4 + 4 * 50 + 11u);  // "very" "long"*50 "branchvalue"
  EXPECT_EQ(m.count(header_id::via), 34u);
  EXPECT_EQ(m.to()->display_name.size(), 105u);  // quotes included
  EXPECT_EQ(must_parse_uri(m.to()->uri).sip.port, 6000);
}

void dblreq(const message& m) {
  // §3.1.1.8: the bytes after the Content-Length 0 body are not part of it.
  EXPECT_TRUE(m.body().empty());
  EXPECT_TRUE(m.bytes().ends_with("Content-Length: 0\r\n\r\n"));
  EXPECT_EQ(m.bytes().find("INVITE"), std::string_view::npos);
}

void semiuri(const message& m) {
  // §3.1.1.9: the ';' belongs to the user part; there are no uri-parameters.
  const sip_uri u = request_uri(m);
  EXPECT_EQ(u.user, "user;par=u%40example.net");
  EXPECT_EQ(u.host, "example.com");
  EXPECT_TRUE(u.params.empty());
  const auto accept = parse_accept(m.value(header_id::accept));
  ASSERT_TRUE(accept);
  EXPECT_EQ(accept->size(), 6u);  // folded over three lines
}

void transports(const message& m) {
  const auto vias = all_vias(m);
  ASSERT_EQ(vias.size(), 5u);
  const char* expected[] = {"UDP", "SCTP", "TLS", "UNKNOWN", "TCP"};
  for (std::size_t i = 0; i < 5; ++i) EXPECT_EQ(vias[i].transport, expected[i]);
}

void mpart01(const message& m) {
  // §3.1.1.11: the binary part holds NULs and bare LFs; framing is by
  // Content-Length alone.
  const auto ct = parse_media_type(m.value(header_id::content_type));
  ASSERT_TRUE(ct);
  EXPECT_TRUE(ct->is("multipart", "mixed"));
  EXPECT_EQ(ct->params.find("boundary")->value, "7a9cbec02ceef655");
  EXPECT_NE(m.body().find('\0'), std::string_view::npos);
  EXPECT_TRUE(m.body().ends_with("--7a9cbec02ceef655--\r\n"));
}

void unreason(const message& m) {
  // §3.1.1.12: '=' '*' and UTF-8 in the reason phrase.
  EXPECT_TRUE(m.reason_phrase().starts_with("= 2**3 * 5**2 \xd0\xbd\xd0\xbe "));
  EXPECT_TRUE(
      m.reason_phrase().ends_with("\xd0\xbf\xd1\x80\xd0\xbe\xd1\x81\xd1\x82\xd0\xbe\xd0\xb5"));
}

void noreason(const message& m) { EXPECT_EQ(m.reason_phrase(), ""); }

void regaut01(const message& m) {
  // §3.3.7: an unknown scheme parses as opaque credentials.
  const auto c = parse_credentials(m.value(header_id::authorization));
  ASSERT_TRUE(c);
  EXPECT_EQ(c->scheme, "NoOneKnowsThisScheme");
  EXPECT_FALSE(c->is_digest);
}

void cparam01(const message& m) {
  // §3.3.12: unknownparam is a contact-param, not a uri-parameter.
  const auto contacts = all_contacts(m);
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_FALSE(contacts[0].addr.bracketed);
  EXPECT_EQ(contacts[0].addr.uri, "sip:+19725552222@gw1.example.net");
  EXPECT_TRUE(contacts[0].addr.params.contains("unknownparam"));
  EXPECT_TRUE(must_parse_uri(contacts[0].addr.uri).sip.params.empty());
}

void cparam02(const message& m) {
  // §3.3.13: inside '<>' it is a uri-parameter.
  const auto contacts = all_contacts(m);
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_TRUE(contacts[0].addr.params.empty());
  EXPECT_TRUE(must_parse_uri(contacts[0].addr.uri).sip.params.contains("unknownparam"));
}

void regescrt(const message& m) {
  // §3.3.14: the escaped Route header stays in the Contact URI.
  const auto contacts = all_contacts(m);
  ASSERT_EQ(contacts.size(), 1u);
  EXPECT_EQ(must_parse_uri(contacts[0].addr.uri).sip.headers, "Route=%3Csip:sip.example.com%3E");
}

void inv2543(const message& m) {
  // §3.4.1: no branch, no From tag, no Max-Forwards, no Content-Length (the
  // body runs to the end of the datagram).
  EXPECT_EQ(m.find(header_id::max_forwards), nullptr);
  EXPECT_TRUE(m.top_via()->branch.empty());
  // The To URI is an addr-spec: user=phone is a header parameter there, a
  // uri-parameter in the bracketed From.
  EXPECT_EQ(m.to()->params.find("user")->value, "phone");
  EXPECT_EQ(must_parse_uri(m.from()->uri).sip.user_param(), "phone");
  EXPECT_TRUE(m.body().starts_with("v=0\r\n"));
  EXPECT_TRUE(m.body().ends_with("m=audio 49217 RTP/AVP 0\r\n"));
}

void ipv6_good(const message& m) {
  const sip_uri u = request_uri(m);
  EXPECT_EQ(u.host, "[2001:db8::10]");
  EXPECT_EQ(u.host_kind, host_type::ipv6);
  EXPECT_FALSE(u.port);
  EXPECT_EQ(m.top_via()->host_kind, host_type::ipv6);
  EXPECT_EQ(must_parse_uri(all_contacts(m).at(0).addr.uri).sip.host, "[2001:db8::1]");
}

void port_ambiguous(const message& m) {
  // RFC 5118 §4.3: the 5070 is inside the brackets: part of the address.
  const sip_uri u = request_uri(m);
  EXPECT_EQ(u.host, "[2001:db8::10:5070]");
  EXPECT_FALSE(u.port);
}

void port_unambiguous(const message& m) {
  const sip_uri u = request_uri(m);
  EXPECT_EQ(u.host, "[2001:db8::10]");
  EXPECT_EQ(u.port, 5070);
}

void received_with_delim(const message& m) {
  EXPECT_EQ(m.top_via()->received, "[2001:db8::9:255]");
}

void received_no_delim(const message& m) { EXPECT_EQ(m.top_via()->received, "2001:db8::9:255"); }

void ipv6_in_sdp(const message& m) {
  EXPECT_TRUE(m.body().starts_with("v=0"));
  EXPECT_NE(m.body().find("c=IN IP6 2001:db8::20"), std::string_view::npos);
}

void mult_ip_in_header(const message& m) {
  const auto vias = all_vias(m);
  ASSERT_EQ(vias.size(), 3u);
  EXPECT_EQ(vias[0].host, "[2001:db8::9:1]");
  EXPECT_EQ(vias[0].port, 6050);
  EXPECT_EQ(vias[1].host, "192.0.2.1");
  EXPECT_EQ(vias[1].host_kind, host_type::ipv4);
  EXPECT_EQ(vias[2].host, "[2001:db8::9:255]");
  EXPECT_EQ(vias[2].received, "192.0.2.200");
}

void mult_ip_in_sdp(const message& m) {
  EXPECT_NE(m.body().find("c=IN IP4 192.0.2.1"), std::string_view::npos);
  EXPECT_NE(m.body().find("c=IN IP6 2001:db8::1"), std::string_view::npos);
}

void ipv4_mapped_ipv6(const message& m) {
  const auto vias = all_vias(m);
  ASSERT_EQ(vias.size(), 2u);
  EXPECT_EQ(vias[0].port, 19823);  // the port is outside the ']'
  EXPECT_EQ(vias[1].host, "[::ffff:192.0.2.2]");
  EXPECT_EQ(must_parse_uri(all_contacts(m).at(0).addr.uri).sip.host, "[::ffff:192.0.2.2]");
}

}  // namespace sipua::conformance::extras
