#include "sipua/message/validate.hpp"

#include <gtest/gtest.h>

#include <string>

#include "support/split.hpp"

#include "sipua/message/message.hpp"

namespace sipua {
namespace {

// A valid OPTIONS; `extra` goes in just before Content-Length.
std::string options_with(std::string_view extra, std::string_view ruri = "sip:bob@example.com") {
  std::string s = "OPTIONS ";
  s += ruri;
  s += " SIP/2.0\r\n"
       "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds\r\n"
       "Max-Forwards: 70\r\n"
       "To: Bob <sip:bob@example.com>\r\n"
       "From: Alice <sip:alice@example.com>;tag=1928301774\r\n"
       "Call-ID: a84b4c76e66710@pc33.example.com\r\n"
       "CSeq: 314159 OPTIONS\r\n";
  s += extra;
  s += "Content-Length: 0\r\n\r\n";
  return s;
}

// Parses `text` (which must parse) from an exact-size buffer and runs
// validate_syntax; `check` sees the error and the buffer.
template <class F>
void validate(const std::string& text, F&& check, const validate_options& o = {}) {
  test::for_each_exact(text, [&](std::string_view b) {
    message m;
    const parse_error pe = parse_datagram(b, m);
    ASSERT_FALSE(pe) << pe.error_code().message() << " at " << pe.offset;
    check(validate_syntax(m, o), b);
  });
}

void expect_valid(const std::string& text) {
  validate(text, [](const parse_error& e, std::string_view) {
    EXPECT_FALSE(e) << e.error_code().message() << " at " << e.offset << " in " << e.header;
  });
}

// The error is `code` in `header`, at the first occurrence of `at` in the
// message.
void expect_error(const std::string& text, parse_errc code, std::string_view header,
                  std::string_view at) {
  validate(text, [&](const parse_error& e, std::string_view b) {
    EXPECT_EQ(e.code, code) << e.error_code().message();
    EXPECT_EQ(e.header, header);
    EXPECT_EQ(e.offset, b.find(at)) << "at " << b.substr(e.offset, 20);
    EXPECT_EQ(e.status, b.starts_with("SIP/") ? 0 : 400);
  });
}

TEST(validate_syntax, accepts_a_plain_request) { expect_valid(options_with("")); }

TEST(validate_syntax, request_uri_with_headers_is_rejected_at_the_question_mark) {
  // RFC 3261 §19.1.1 Table 1; RFC 4475 §3.1.2.11.
  expect_error(options_with("", "sip:bob@example.com?Subject=hi"), parse_errc::bad_request_uri, "",
               "?Subject");
}

TEST(validate_syntax, request_uri_must_parse) {
  // RFC 5118 §4.2: an IPv6 address needs brackets; "2001" reads as the host.
  expect_error(options_with("", "sip:2001:db8::10"), parse_errc::bad_request_uri, "",
               "2001:db8::10");
  // Other schemes are opaque: their grammar is theirs (RFC 4475 §3.3.2).
  expect_valid(options_with("", "nobodyKnowsThisScheme:totallyopaquecontent"));
  expect_valid(options_with("", "tel:+1-201-555-0123"));
}

TEST(validate_syntax, the_first_bad_field_in_message_order_wins) {
  expect_error(options_with("Expires: soon\r\nContact: <sip:a@b\r\n"), parse_errc::bad_number,
               "Expires", "soon");
}

TEST(validate_syntax, every_via_parm_of_every_via_is_checked) {
  expect_error(options_with("Via: SIP/2.0/UDP a.example.com, SIP/2.0/UDP b.example.com;;\r\n"),
               parse_errc::bad_param, "Via", ";\r\n");
  expect_error(options_with("v: SIP/2.0/UDP a.example.com,,SIP/2.0/UDP b.example.com\r\n"),
               parse_errc::bad_header_value, "v", ",SIP/2.0/UDP b");
}

TEST(validate_syntax, from_and_to_tags_must_be_tokens) {
  expect_error(
      options_with("").replace(options_with("").find("tag=1928301774"), 14, "tag=\"quoted\""),
      parse_errc::bad_param, "From", "\"quoted\"");
}

TEST(validate_syntax, every_contact_element_is_checked) {
  expect_valid(
      options_with("Contact: <sip:a@example.com>;q=0.5, \"B\" <sip:b@example.com>\r\nContact: "
                   "<sip:c@example.com>\r\n"));
  expect_error(options_with("m: <sip:a@example.com>, <sip:b@example.com>;q=2\r\n"),
               parse_errc::bad_param, "m", "2\r\n");
  // An empty element after a trailing comma: reported where it would start.
  expect_error(options_with("Contact: <sip:a@example.com>,\r\n"), parse_errc::bad_header_value,
               "Contact", "\r\nContent-Length");
}

TEST(validate_syntax, contact_star_is_the_whole_value) {
  // §20.10: Contact = ( STAR / (contact-param *(COMMA contact-param)) ).
  expect_valid(options_with("Contact:  * \r\n"));
  expect_error(options_with("Contact: *, <sip:a@example.com>\r\n"), parse_errc::bad_header_value,
               "Contact", "<sip:a@example.com>\r\n");
  expect_error(options_with("Contact: <sip:a@example.com>, *\r\n"), parse_errc::bad_header_value,
               "Contact", "*\r\n");
  // Combined with another Contact field it is the same list (§7.3.1).
  expect_error(options_with("Contact: <sip:a@example.com>\r\nm: *\r\n"),
               parse_errc::bad_header_value, "m", "*\r\n");
}

TEST(validate_syntax, route_elements_must_be_bracketed) {
  expect_valid(options_with("Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>\r\n"));
  expect_error(options_with("Record-Route: <sip:p1.example.com;lr>, sip:p2.example.com\r\n"),
               parse_errc::bad_header_value, "Record-Route", "sip:p2");
}

TEST(validate_syntax, numeric_fields) {
  expect_error(
      options_with("").replace(options_with("").find("Max-Forwards: 70"), 16, "Max-Forwards: 300"),
      parse_errc::bad_number, "Max-Forwards", "300");
  expect_error(options_with("").replace(options_with("").find("314159"), 6, "36893488147419103232"),
               parse_errc::bad_number, "CSeq", "36893488147419103232");
  expect_valid(
      options_with("Expires: 99999999999999999999\r\n"));  // saturates (RFC 3261 §10.2.1.1)
}

TEST(validate_syntax, token_lists_media_types_and_auth) {
  expect_valid(
      options_with("Require: 100rel, timer\r\nSupported:\r\nAllow: INVITE, ACK\r\n"
                   "Accept: application/sdp;q=0.8, */*\r\nContent-Type: application/sdp\r\n"
                   "Authorization: NoOneKnowsThisScheme opaque-data=here\r\n"));
  expect_error(options_with("Proxy-Require: a,,b\r\n"), parse_errc::bad_header_value,
               "Proxy-Require", ",b");
  expect_error(options_with("c: application\r\n"), parse_errc::bad_header_value, "c",
               "\r\nContent-Length");
  expect_error(options_with("Content-Encoding: gzip,\r\n"), parse_errc::bad_header_value,
               "Content-Encoding", "\r\nContent-Length");
  expect_error(options_with("Event: a..b\r\n"), parse_errc::bad_header_value, "Event", "a..b");
}

TEST(validate_syntax, date_must_be_rfc1123_in_gmt) {
  expect_valid(options_with("Date: Sat, 13 Nov 2010 23:29:00 GMT\r\n"));
  expect_valid(options_with("Date: sat, 13 nov 2010 23:29:00 gmt\r\n"));  // ABNF strings: any case
  expect_error(options_with("Date: Fri, 01 Jan 2010 16:00:00 EST\r\n"),
               parse_errc::bad_header_value, "Date", "EST");
  expect_error(options_with("Date: Fri, 1 Jan 2010 16:00:00 GMT\r\n"), parse_errc::bad_header_value,
               "Date", " Jan 2010 16");
  expect_error(options_with("Date: Fri, 01 Jan 2010 16:00:00 GMT+1\r\n"),
               parse_errc::bad_header_value, "Date", "+1");
  expect_error(options_with("Date: Fry, 01 Jan 2010 16:00:00 GMT\r\n"),
               parse_errc::bad_header_value, "Date", "Fry");
  expect_error(options_with("Date: \r\n"), parse_errc::bad_header_value, "Date",
               "\r\nContent-Length");
}

TEST(validate_syntax, allow_malformed_date_skips_the_date) {
  validate_options o;
  o.allow_malformed_date = true;
  validate(
      options_with("Date: yesterday\r\n"),
      [](const parse_error& e, std::string_view) { EXPECT_FALSE(e); }, o);
}

TEST(validate_syntax, unknown_and_untyped_headers_are_not_looked_at) {
  expect_valid(options_with("X-Anything: ;;,,<\"\r\nSubject:\r\nUser-Agent: (((\r\n"));
}

TEST(validate_syntax, offsets_count_from_the_buffer_start_past_leading_crlfs) {
  // RFC 3261 §7.5: CRLFs before the start line are skipped, but offsets are
  // still from the start of the buffer given to parse_datagram.
  expect_error("\r\n\r\n" + options_with("Expires: x\r\n"), parse_errc::bad_number, "Expires",
               "x\r\n");
}

TEST(validate_syntax, a_bad_response_is_dropped_not_answered) {
  const std::string response =
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h.example.com;branch=z9hG4bK1\r\nTo: "
      "<sip:a@example.com>;tag=9\r\n"
      "From: <sip:b@example.com>;tag=1\r\nCall-ID: x@y\r\nCSeq: 99999999999 "
      "INVITE\r\nContent-Length: 0\r\n\r\n";
  expect_error(response, parse_errc::bad_number, "CSeq", "99999999999");
}

}  // namespace
}  // namespace sipua
