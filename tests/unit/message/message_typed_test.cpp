// The typed accessors of message: views into the datagram buffer, and errors
// placed in the datagram (header name, offset from the buffer start, status).
#include <gtest/gtest.h>

#include <string>

#include "support/parse_check.hpp"

#include "sipua/message/message.hpp"

namespace sipua {
namespace {

using test::within;

constexpr std::string_view k_invite =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds, SIP/2.0/TCP "
    "p.example.com\r\n"
    "Via: SIP/2.0/UDP second.example.com;branch=z9hG4bKother\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@biloxi.example.com>\r\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

TEST(message_typed, accessors_return_views_into_the_datagram) {
  test::for_each_exact(k_invite, [](std::string_view data) {
    message m;
    ASSERT_FALSE(parse_datagram(data, m));

    auto v = m.top_via();
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->host, "pc33.atlanta.example.com");
    EXPECT_EQ(v->branch, "z9hG4bK776asdhds");
    EXPECT_EQ(v->transport, "UDP");
    EXPECT_TRUE(within(data, v->host));
    EXPECT_TRUE(within(data, v->branch));

    auto f = m.from();
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(f->display_name, "Alice");
    EXPECT_EQ(f->uri, "sip:alice@atlanta.example.com");
    EXPECT_EQ(f->tag(), "1928301774");
    EXPECT_TRUE(within(data, f->uri));
    EXPECT_TRUE(within(data, f->tag()));

    auto t = m.to();
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->uri, "sip:bob@biloxi.example.com");
    EXPECT_TRUE(t->tag().empty());
    EXPECT_TRUE(within(data, t->display_name));

    auto c = m.cseq();
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->number, 314159u);
    EXPECT_EQ(c->method, method::invite);
    EXPECT_TRUE(within(data, c->method_name));
  });
}

TEST(message_typed, rfc4475_wsinv_typed_values) {
  // RFC 4475 §3.1.1.1, the header section (body dropped, Content-Length 0).
  constexpr std::string_view wsinv =
      "INVITE sip:vivekg@chair-dnrc.example.com;unknownparam SIP/2.0\r\n"
      "TO :\r\n"
      " sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n\r\n"
      "from   : \"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n"
      "  ;\r\n"
      "  tag = 98asjd8\r\n"
      "MaX-fOrWaRdS: 0068\r\n"
      "Call-ID: wsinv.ndaksdj@192.0.2.1\r\n"
      "Content-Length   : 0\r\n"
      "cseq: 0009\r\n"
      "  INVITE\r\n"
      "Via  : SIP  /   2.0\r\n"
      " /UDP\r\n"
      "    192.0.2.2;branch=390skdjuw\r\n"
      "s :\r\n"
      "NewFangledHeader:   newfangled value\r\n"
      " continued newfangled value\r\n"
      "UnknownHeaderWithUnusualValue: ;;,,;;,;\r\n"
      "Content-Type: application/sdp\r\n"
      "Route:\r\n"
      " <sip:services.example.com;lr;unknownwith=value;unknown-no-value>\r\n"
      "v:  SIP  / 2.0  / TCP     spindle.example.com   ;\r\n"
      "  branch  =   z9hG4bK9ikj8  ,\r\n"
      " SIP  /    2.0   / UDP  192.168.255.111   ; branch=\r\n"
      " z9hG4bK30239\r\n"
      "m:\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\r\n"
      "      newvalue ;\r\n"
      "  secondparam ; q = 0.33\r\n"
      "\r\n";
  test::for_each_exact(wsinv, [](std::string_view data) {
    message m;
    ASSERT_FALSE(parse_datagram(data, m));
    auto v = m.top_via();
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->host, "192.0.2.2");
    EXPECT_EQ(v->branch, "390skdjuw");
    EXPECT_EQ(v->transport, "UDP");
    auto f = m.from();
    ASSERT_TRUE(f.has_value());
    EXPECT_EQ(f->tag(), "98asjd8");
    EXPECT_EQ(f->uri, "sip:jdrosen@example.com");
    auto t = m.to();
    ASSERT_TRUE(t.has_value());
    EXPECT_EQ(t->tag(), "1918181833n");
    auto c = m.cseq();
    ASSERT_TRUE(c.has_value());
    EXPECT_EQ(c->number, 9u);
    EXPECT_EQ(c->method, method::invite);
  });
}

TEST(message_typed, error_offset_is_from_the_start_of_the_datagram) {
  // Leading CRLFs (RFC 3261 §7.5) are part of the buffer: the offset counts them.
  constexpr std::string_view msg =
      "\r\n\r\nREGISTER sip:example.com SIP/2.0\r\n"
      "Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bK342sdfoi3\r\n"
      "To: <sip:user@example.com>\r\n"
      "From: <sip:user@example.com>;tag=239232jh3\r\n"
      "CSeq: 36893488147419103232 REGISTER\r\n"
      "Call-ID: scalar02.23o0pd9vanlq3wnrlnewofjas9ui32\r\n"
      "Max-Forwards: 300\r\n"
      "Content-Length: 0\r\n"
      "\r\n";
  test::for_each_exact(msg, [&](std::string_view data) {
    message m;
    ASSERT_FALSE(parse_datagram(data, m));
    auto c = m.cseq();
    ASSERT_FALSE(c.has_value());
    EXPECT_EQ(c.error().code, parse_errc::bad_number);
    EXPECT_EQ(c.error().offset, msg.find("36893488147419103232"));
    EXPECT_EQ(c.error().header, "CSeq");
    EXPECT_TRUE(within(data, c.error().header));
    EXPECT_EQ(c.error().status, 400);
    EXPECT_TRUE(m.top_via().has_value());
  });
}

TEST(message_typed, rfc4475_badinv01_via_error_in_the_datagram) {
  constexpr std::string_view msg =
      "INVITE sip:user@example.com SIP/2.0\r\n"
      "To: sip:j.user@example.com\r\n"
      "From: sip:caller@example.net;tag=134161461246\r\n"
      "Max-Forwards: 7\r\n"
      "Call-ID: badinv01.0ha0isndaksdjasdf3234nas\r\n"
      "CSeq: 8 INVITE\r\n"
      "Via: SIP/2.0/UDP 192.0.2.15;;,;,,\r\n"
      "Contact: \"Joe\" <sip:joe@example.org>;;;;\r\n"
      "Content-Length: 0\r\n"
      "\r\n";
  test::for_each_exact(msg, [&](std::string_view data) {
    message m;
    ASSERT_FALSE(parse_datagram(data, m));
    auto v = m.top_via();
    ASSERT_FALSE(v.has_value());
    EXPECT_EQ(v.error().code, parse_errc::bad_param);
    EXPECT_EQ(v.error().offset, msg.find(";;,") + 1);
    EXPECT_EQ(v.error().header, "Via");
    // The whole field is checked the same way.
    auto all = validate_via_list(m.value(header_id::via));
    ASSERT_FALSE(all.has_value());
    EXPECT_EQ(all.error().offset, 23u);
    EXPECT_TRUE(m.from().has_value());
    EXPECT_TRUE(m.to().has_value());
  });
}

TEST(message_typed, empty_first_via_element_and_compact_name) {
  constexpr std::string_view msg =
      "OPTIONS sip:a@b SIP/2.0\r\n"
      "v:   , SIP/2.0/UDP h\r\n"
      "l: 0\r\n"
      "\r\n";
  test::for_each_exact(msg, [&](std::string_view data) {
    message m;
    ASSERT_FALSE(parse_datagram(data, m));
    auto v = m.top_via();
    ASSERT_FALSE(v.has_value());
    EXPECT_EQ(v.error().code, parse_errc::bad_header_value);
    EXPECT_EQ(v.error().offset, msg.find(", SIP"));
    EXPECT_EQ(v.error().header, "v");
  });
}

TEST(message_typed, from_and_to_tag_must_be_a_token) {
  constexpr std::string_view msg =
      "OPTIONS sip:a@b SIP/2.0\r\n"
      "From: <sip:a@b>;tag=\"quoted\"\r\n"
      "To: <sip:c@d>;tag\r\n"
      "l: 0\r\n"
      "\r\n";
  test::for_each_exact(msg, [&](std::string_view data) {
    message m;
    ASSERT_FALSE(parse_datagram(data, m));
    auto f = m.from();
    ASSERT_FALSE(f.has_value());
    EXPECT_EQ(f.error().code, parse_errc::bad_param);
    EXPECT_EQ(f.error().offset, msg.find("\"quoted\""));
    auto t = m.to();
    ASSERT_FALSE(t.has_value());
    EXPECT_EQ(t.error().code, parse_errc::bad_param);
    EXPECT_EQ(t.error().offset, msg.find("tag\r\n"));
  });
}

TEST(message_typed, rfc4475_baddn_and_quotbal_in_context) {
  constexpr std::string_view msg =
      "OPTIONS sip:t.watson@example.org SIP/2.0\r\n"
      "Via:     SIP/2.0/UDP c.example.com:5060;branch=z9hG4bKkdjuw\r\n"
      "From:    Bell, Alexander <sip:a.g.bell@example.com>;tag=43\r\n"
      "To: \"Mr. J. User <sip:j.user@example.com>\r\n"
      "l: 0\r\n"
      "\r\n";
  test::for_each_exact(msg, [&](std::string_view data) {
    message m;
    ASSERT_FALSE(parse_datagram(data, m));
    auto f = m.from();
    ASSERT_FALSE(f.has_value());
    EXPECT_EQ(f.error().code, parse_errc::bad_header_value);
    EXPECT_EQ(f.error().offset, msg.find(", Alexander"));
    auto t = m.to();
    ASSERT_FALSE(t.has_value());
    EXPECT_EQ(t.error().code, parse_errc::bad_quoted_string);
    EXPECT_EQ(t.error().offset, msg.find("\"Mr."));
    auto v = m.top_via();
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->port, 5060);
  });
}

TEST(message_typed, missing_headers) {
  // RFC 4475 §3.3.1 insuf: no Call-ID, From, To.
  constexpr std::string_view msg =
      "INVITE sip:user@example.com SIP/2.0\r\n"
      "CSeq: 193942 INVITE\r\n"
      "Via: SIP/2.0/UDP 192.0.2.95;branch=z9hG4bKkdj.insuf\r\n"
      "Content-Length: 0\r\n"
      "\r\n";
  test::for_each_exact(msg, [](std::string_view data) {
    message m;
    ASSERT_FALSE(parse_datagram(data, m));
    auto f = m.from();
    ASSERT_FALSE(f.has_value());
    EXPECT_EQ(f.error().code, parse_errc::missing_header);
    EXPECT_EQ(f.error().header, "From");
    EXPECT_EQ(f.error().offset, 0u);
    EXPECT_EQ(f.error().status, 400);
    auto t = m.to();
    ASSERT_FALSE(t.has_value());
    EXPECT_EQ(t.error().header, "To");
    EXPECT_TRUE(m.top_via().has_value());
    EXPECT_TRUE(m.cseq().has_value());
  });
  const message empty;
  EXPECT_EQ(empty.find(header_id::via), nullptr);
  auto v = empty.top_via();
  ASSERT_FALSE(v.has_value());
  EXPECT_EQ(v.error().code, parse_errc::missing_header);
  EXPECT_EQ(v.error().header, "Via");
}

TEST(message_typed, rfc4475_scalarlg_response_errors_carry_status_0) {
  // RFC 4475 §3.1.2.5: a response is dropped, never answered.
  constexpr std::string_view msg =
      "SIP/2.0 503 Service Unavailable\r\n"
      "Via: SIP/2.0/TCP host129.example.com;branch=z9hG4bKzzxdiwo34sw;received=192.0.2.129\r\n"
      "To: <sip:user@example.com>\r\n"
      "From: <sip:other@example.net>;tag=2easdjfejw\r\n"
      "CSeq: 9292394834772304023312 OPTIONS\r\n"
      "Call-ID: scalarlg.noase0of0234hn2qofoaf0232aewf2394r\r\n"
      "Retry-After: 949302838503028349304023988\r\n"
      "Warning: 1812 overture \"In Progress\"\r\n"
      "Content-Length: 0\r\n"
      "\r\n";
  test::for_each_exact(msg, [&](std::string_view data) {
    message m;
    ASSERT_FALSE(parse_datagram(data, m));
    auto c = m.cseq();
    ASSERT_FALSE(c.has_value());
    EXPECT_EQ(c.error().code, parse_errc::bad_number);
    EXPECT_EQ(c.error().status, 0);
    EXPECT_EQ(c.error().offset, msg.find("9292394834772304023312"));
    auto v = m.top_via();
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->received, "192.0.2.129");
    EXPECT_FALSE(m.top_via().has_value() && m.cseq().has_value());
  });
}

TEST(message_typed, copies_keep_offsets_from_the_original_buffer) {
  constexpr std::string_view msg =
      "\r\nOPTIONS sip:a@b SIP/2.0\r\n"
      "CSeq: x OPTIONS\r\n"
      "l: 0\r\n"
      "\r\n";
  test::for_each_exact(msg, [&](std::string_view data) {
    auto parsed = parse_datagram(data);
    ASSERT_TRUE(parsed.has_value());
    const message copy = *parsed;
    auto c = copy.cseq();
    ASSERT_FALSE(c.has_value());
    EXPECT_EQ(c.error().offset, msg.find("x OPTIONS"));
  });
}

}  // namespace
}  // namespace sipua
