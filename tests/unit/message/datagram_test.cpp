#include <gtest/gtest.h>

#include <string>

#include "support/split.hpp"

#include "sipua/message/message.hpp"

namespace sipua {
namespace {

constexpr std::string_view k_invite =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@biloxi.example.com>\r\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 4\r\n"
    "\r\n"
    "v=0\n";

TEST(datagram, parses_request_line_and_headers_in_order) {
  test::for_each_exact(k_invite, [](std::string_view data) {
    message m;
    ASSERT_FALSE(parse_datagram(data, m));
    EXPECT_TRUE(m.is_request());
    EXPECT_EQ(m.method(), method::invite);
    EXPECT_EQ(m.method_name(), "INVITE");
    EXPECT_EQ(m.request_uri(), "sip:bob@biloxi.example.com");
    EXPECT_EQ(m.version(), "SIP/2.0");
    ASSERT_EQ(m.headers().size(), 9u);
    EXPECT_EQ(m.headers()[0].id, header_id::via);
    EXPECT_EQ(m.headers()[4].name, "Call-ID");
    EXPECT_EQ(m.call_id(), "a84b4c76e66710@pc33.atlanta.example.com");
    EXPECT_EQ(m.value(header_id::max_forwards), "70");
    EXPECT_EQ(m.content_length(), 4u);
    EXPECT_EQ(m.body(), "v=0\n");
    // Views point into the input buffer: nothing was copied.
    EXPECT_GE(m.call_id().data(), data.data());
    EXPECT_LT(m.call_id().data(), data.data() + data.size());
  });
}

TEST(datagram, status_line_and_empty_reason) {
  message m;
  ASSERT_FALSE(parse_datagram("SIP/2.0 100 \r\nContent-Length: 0\r\n\r\n", m));
  EXPECT_TRUE(m.is_response());
  EXPECT_EQ(m.status_code(), 100);
  EXPECT_EQ(m.reason_phrase(), "");
}

TEST(datagram, compact_forms_map_to_ids_and_unknown_headers_stay_verbatim) {
  constexpr std::string_view msg =
      "OPTIONS sip:x@y SIP/2.0\r\nv: SIP/2.0/UDP h\r\ni: abc\r\nX-Odd-Thing :  some value \r\n"
      "l: 0\r\n\r\n";
  message m;
  ASSERT_FALSE(parse_datagram(msg, m));
  EXPECT_EQ(m.headers()[0].id, header_id::via);
  EXPECT_EQ(m.call_id(), "abc");
  ASSERT_NE(m.find("x-odd-thing"), nullptr);
  EXPECT_EQ(m.find("x-odd-thing")->name, "X-Odd-Thing");
  EXPECT_EQ(m.find("x-odd-thing")->value, "some value");
  EXPECT_EQ(m.find("Call-ID"), m.find(header_id::call_id));
}

TEST(datagram, folded_value_keeps_the_fold_and_unfolds_on_request) {
  constexpr std::string_view msg =
      "OPTIONS sip:x@y SIP/2.0\r\nSubject: first\r\n   second\r\n\tthird\r\nl: 0\r\n\r\n";
  message m;
  ASSERT_FALSE(parse_datagram(msg, m));
  EXPECT_EQ(m.value(header_id::subject), "first\r\n   second\r\n\tthird");
  EXPECT_EQ(unfold(m.value(header_id::subject)), "first second third");
}

TEST(datagram, errors_name_code_offset_header_and_status) {
  message m;
  auto e = parse_datagram("INVITE sip:a@b SIP/2.0\r\nVia SIP/2.0/UDP h\r\n\r\n", m);
  EXPECT_EQ(e.code, parse_errc::missing_colon);
  EXPECT_EQ(e.offset, 28u);  // where the colon should stand
  EXPECT_EQ(e.header, "Via");
  EXPECT_EQ(e.status, 400);

  e = parse_datagram("SIP/2.0 4294967301 big\r\n\r\n", m);
  EXPECT_EQ(e.code, parse_errc::bad_status_code);
  EXPECT_EQ(e.status, 0);  // responses are dropped, never answered
}

TEST(datagram, limits_each_have_their_own_error) {
  parse_options o;
  o.limits.max_message_size = 20;
  message m;
  EXPECT_EQ(parse_datagram(k_invite, m, o).code, parse_errc::message_too_large);
  EXPECT_EQ(parse_datagram(k_invite, m, o).status, 513);
  o = {};
  o.limits.max_headers = 3;
  EXPECT_EQ(parse_datagram(k_invite, m, o).code, parse_errc::too_many_headers);
  o = {};
  o.limits.max_line_length = 40;
  EXPECT_EQ(parse_datagram(k_invite, m, o).code, parse_errc::line_too_long);
  o = {};
  o.limits.max_body_size = 3;
  EXPECT_EQ(parse_datagram(k_invite, m, o).code, parse_errc::body_too_large);
  EXPECT_EQ(parse_datagram(k_invite, m, o).status, 413);
}

TEST(datagram, many_headers_spill_past_the_inline_capacity) {
  std::string msg = "OPTIONS sip:x@y SIP/2.0\r\n";
  for (int i = 0; i < 100; ++i) msg += "Via: SIP/2.0/UDP h" + std::to_string(i) + "\r\n";
  msg += "Content-Length: 0\r\n\r\n";
  test::for_each_exact(msg, [](std::string_view data) {
    message m;
    ASSERT_FALSE(parse_datagram(data, m));
    EXPECT_EQ(m.count(header_id::via), 100u);
    EXPECT_EQ(m.headers()[99].value, "SIP/2.0/UDP h99");
    EXPECT_EQ(m.content_length(), 0u);
  });
}

}  // namespace
}  // namespace sipua

namespace sipua {
namespace {

// Every known name in canonical, upper and lower case, with and without
// whitespace before the colon, lands on the same id (the parser's fast path
// for canonical spellings and its general path must agree).
TEST(datagram, fast_and_general_name_paths_agree) {
  for (std::size_t i = 1; i < header_id_count; ++i) {
    const auto id = static_cast<header_id>(i);
    std::string name(header_name(id));
    std::string upper = name;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    // The tail decides how many bytes follow the name: none to speak of (the
    // byte-wise matcher), or plenty (the 16-byte matcher).
    for (const std::string& n : {name, upper, name + " ", name + "\t "})
      for (const std::string tail : {"\r\n\r\n", "\r\nX-Padding: 0123456789abcdef\r\n\r\n"}) {
        const std::string msg = "OPTIONS sip:x@y SIP/2.0\r\n" + n + ":0" + tail;
        test::for_each_exact(msg, [&](std::string_view data) {
          message m;
          ASSERT_FALSE(parse_datagram(data, m)) << n;
          EXPECT_EQ(m.headers()[0].id, id) << n;
          EXPECT_EQ(m.headers()[0].name, std::string_view(n).substr(0, name.size()));
          EXPECT_EQ(m.headers()[0].value, "0");
        });
      }
  }
}

// A name followed by another name's colon within 16 bytes, or a colon in
// the next line, must not be taken for a canonical name.
TEST(datagram, the_first_colon_must_end_a_canonical_name) {
  for (std::string_view head :
       {"Via\r\nTo: x", "Via x: y", "Call-ID\r\n:", "Via-Extra: 1", "Contact2: 1"}) {
    std::string msg = "OPTIONS sip:x@y SIP/2.0\r\n";
    msg += head;
    msg += "\r\nX-Padding: 0123456789abcdef\r\n\r\n";
    test::for_each_exact(msg, [&](std::string_view data) {
      message m;
      const parse_error e = parse_datagram(data, m);
      if (!e) {
        EXPECT_EQ(m.headers()[0].id, header_id::unknown) << head;
      }
    });
  }
  message m;
  EXPECT_EQ(parse_datagram("OPTIONS sip:x@y SIP/2.0\r\nVia\r\nTo: x\r\n\r\n", m).code,
            parse_errc::missing_colon);
}

TEST(datagram, a_name_at_the_very_end_of_the_buffer_is_not_over_read) {
  for (std::string_view tail : {"Via", "V", "Content-Length", "Content-Lengt", "To:", "T"}) {
    std::string msg = "OPTIONS sip:x@y SIP/2.0\r\n";
    msg += tail;
    test::for_each_exact(msg, [](std::string_view data) {
      message m;
      EXPECT_TRUE(parse_datagram(data, m));
    });
  }
}

TEST(datagram, request_uri_with_control_or_non_ascii_bytes_is_rejected) {
  for (char c : {'\t', '\x01', '\x7f', '\x80'}) {
    std::string msg = "OPTIONS sip:x@y";
    msg += c;
    msg += "z SIP/2.0\r\nl: 0\r\n\r\n";
    message m;
    EXPECT_EQ(parse_datagram(msg, m).code, parse_errc::bad_request_uri) << int(c);
  }
}

}  // namespace
}  // namespace sipua

namespace sipua {
namespace {

// Continuation lines (RFC 3261 §7.3.1) in every position the parser treats
// on its own path: an empty first line, Content-Length, a field past the
// inline capacity, the line-length limit, and no field before them.
TEST(datagram, continuation_lines_extend_the_field_before_them) {
  message m;
  std::string msg =
      "OPTIONS sip:x@y SIP/2.0\r\nSubject:\r\n   folded\r\nContent-Length:\r\n 4\r\n\r\nbody";
  test::for_each_exact(msg, [&](std::string_view data) {
    ASSERT_FALSE(parse_datagram(data, m));
    EXPECT_EQ(m.value(header_id::subject), "folded");
    EXPECT_EQ(m.value(header_id::content_length), "4");
    EXPECT_EQ(m.content_length(), 4u);
    EXPECT_EQ(m.body(), "body");
  });

  std::string many = "OPTIONS sip:x@y SIP/2.0\r\n";
  for (int i = 0; i < 30; ++i) many += "X-H" + std::to_string(i) + ": v\r\n";
  many += "X-Last: a\r\n\tb\r\n c\r\nl: 0\r\n\r\n";
  test::for_each_exact(many, [&](std::string_view data) {
    ASSERT_FALSE(parse_datagram(data, m));
    ASSERT_EQ(m.headers().size(), 32u);
    EXPECT_EQ(m.headers()[30].value, "a\r\n\tb\r\n c");
    EXPECT_EQ(unfold(m.headers()[30].value), "a b c");
  });

  parse_options o;
  o.limits.max_line_length = 30;
  const parse_error e = parse_datagram(
      "OPTIONS sip:x@y SIP/2.0\r\nSubject: short\r\n and then a good deal longer\r\n\r\n", m, o);
  EXPECT_EQ(e.code, parse_errc::line_too_long);
  EXPECT_EQ(e.header, "Subject");

  EXPECT_EQ(parse_datagram("OPTIONS sip:x@y SIP/2.0\r\n continued\r\n\r\n", m).code,
            parse_errc::bad_continuation);
  EXPECT_EQ(
      parse_datagram("OPTIONS sip:x@y SIP/2.0\r\nContent-Length: 4\r\n x\r\n\r\nbody", m).code,
      parse_errc::bad_content_length);
}

}  // namespace
}  // namespace sipua
