#include "sipua/message/framer.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/rfc4475_mpart01.hpp"
#include "support/split.hpp"

#include "sipua/message/message.hpp"

namespace sipua {
namespace {

// One event as the tests compare them: kind, the message bytes (copied, as
// the view dies on the next put), and for errors the code and offset.
struct seen {
  framer_event kind = framer_event::need_more;
  std::string bytes;
  parse_errc code = parse_errc::ok;
  std::size_t offset = 0;
  bool operator==(const seen&) const = default;
};

std::ostream& operator<<(std::ostream& os, const seen& s) {
  static constexpr const char* names[] = {"need_more", "message", "ping", "pong", "error"};
  os << names[static_cast<int>(s.kind)];
  if (s.kind == framer_event::message) os << "(" << s.bytes.size() << " bytes)";
  if (s.kind == framer_event::error)
    os << "(" << make_error_code(s.code).message() << " @" << s.offset << ")";
  return os;
}

seen message_of(std::string_view m) { return {framer_event::message, std::string{m}}; }
seen error_of(parse_errc c, std::size_t offset) { return {framer_event::error, {}, c, offset}; }
const seen k_ping{framer_event::ping, {}};
const seen k_pong{framer_event::pong, {}};

// Puts one chunk the way a transport does: call again with what was not
// consumed until the framer wants more bytes (or fails).
void feed(stream_framer& f, std::string_view chunk, std::vector<seen>& out) {
  if (f.failed()) return;
  for (;;) {
    const framer_result r = f.put(chunk);
    ASSERT_LE(r.consumed, chunk.size());
    chunk.remove_prefix(r.consumed);
    switch (r.event) {
      case framer_event::need_more:
        ASSERT_TRUE(chunk.empty()) << "need_more with bytes left";
        return;
      case framer_event::error:
        EXPECT_EQ(r.consumed, 0u);
        out.push_back(error_of(r.error.code, r.error.offset));
        return;
      default:
        ASSERT_GT(r.consumed, 0u) << "an event must consume bytes";
        out.push_back({r.event, std::string{r.message}});
    }
  }
}

// One put() from an exact-size copy of `s`. The copy is gone on return:
// use the result's event, consumed count and error, not its message view.
framer_result put_exact(stream_framer& f, std::string_view s) {
  framer_result r;
  test::for_each_exact(s, [&](std::string_view data) { r = f.put(data); });
  r.message = {};
  return r;
}

std::vector<seen> frame_whole(std::string_view stream, const framer_limits& limits = {}) {
  stream_framer f{limits};
  std::vector<seen> out;
  test::for_each_exact(stream, [&](std::string_view data) { feed(f, data, out); });
  return out;
}

// The stream split at every offset, then byte by byte, then in chunks of
// 2..7 bytes: every way must give `expected`.
void expect_any_split(std::string_view stream, const std::vector<seen>& expected,
                      const framer_limits& limits = {}) {
  EXPECT_EQ(frame_whole(stream, limits), expected) << "whole";
  test::for_each_split(stream, [&](std::string_view a, std::string_view b) {
    stream_framer f{limits};
    std::vector<seen> out;
    feed(f, a, out);
    feed(f, b, out);
    EXPECT_EQ(out, expected) << "split at " << a.size();
  });
  for (std::size_t step = 1; step <= 7; ++step) {
    stream_framer f{limits};
    std::vector<seen> out;
    for (std::size_t i = 0; i < stream.size(); i += step) {
      test::for_each_exact(stream.substr(i, step), [&](std::string_view c) { feed(f, c, out); });
      EXPECT_LE(f.buffered(), limits.max_buffered);
    }
    EXPECT_EQ(out, expected) << "chunks of " << step;
  }
}

constexpr std::string_view k_invite =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/TCP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@biloxi.example.com>\r\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Content-Type: application/sdp\r\n"
    "Content-Length: 14\r\n"
    "\r\n"
    "v=0\r\n\r\n\r\no=x\r\n";  // CRLFs inside a body are body bytes

constexpr std::string_view k_trying =
    "SIP/2.0 100 Trying\r\n"
    "Via: SIP/2.0/TCP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
    "CSeq: 314159 INVITE\r\n"
    "l: 0\r\n"
    "\r\n";

constexpr std::string_view k_folded =
    "MESSAGE sip:bob@b SIP/2.0\r\n"
    "cONTENT-lENGTH :\r\n"
    "   \r\n"
    "\t 5 \r\n"
    "Subject: x\r\n"
    "\r\n"
    "hello";

TEST(framer, back_to_back_messages_and_keepalives_at_every_split) {
  std::string stream;
  stream.append("\r\n\r\n").append(k_invite).append(k_trying).append("\r\n").append(k_folded);
  stream.append("\r\n\r\n\r\n").append(k_invite);
  const std::vector<seen> expected = {k_pong,
                                      k_ping,
                                      message_of(k_invite),
                                      message_of(k_trying),
                                      k_pong,
                                      message_of(k_folded),
                                      k_pong,
                                      k_ping,
                                      k_pong,
                                      message_of(k_invite)};
  expect_any_split(stream, expected);

  // Every framed message is one parse_datagram accepts, body and all.
  for (const seen& s : frame_whole(stream)) {
    if (s.kind != framer_event::message) continue;
    message m;
    ASSERT_FALSE(parse_datagram(s.bytes, m)) << s.bytes;
    EXPECT_EQ(m.bytes().size(), s.bytes.size());
    EXPECT_EQ(m.body().size(), m.content_length().value());
  }
}

TEST(framer, a_message_in_one_put_is_not_copied) {
  test::for_each_exact(k_invite, [](std::string_view data) {
    stream_framer f;
    const framer_result r = f.put(data);
    ASSERT_EQ(r.event, framer_event::message);
    EXPECT_EQ(r.consumed, data.size());
    EXPECT_EQ(r.message.data(), data.data());
    EXPECT_EQ(f.buffered(), 0u);
  });
}

TEST(framer, a_message_across_puts_is_assembled_in_the_buffer) {
  stream_framer f;
  const std::string_view head = k_invite.substr(0, 100);
  const std::string next = std::string{k_invite.substr(100)} + "\r\n";
  test::for_each_exact(head, [&](std::string_view a) {
    const framer_result r = f.put(a);
    EXPECT_EQ(r.event, framer_event::need_more);
    EXPECT_EQ(r.consumed, a.size());
    EXPECT_TRUE(f.in_message());
  });
  EXPECT_EQ(f.buffered(), 100u);
  test::for_each_exact(next, [&](std::string_view b) {
    const framer_result r = f.put(b);
    ASSERT_EQ(r.event, framer_event::message);
    EXPECT_EQ(r.consumed, k_invite.size() - 100);  // the CRLF after it is left
    EXPECT_EQ(r.message, k_invite);
    EXPECT_EQ(f.buffered(), k_invite.size());
    EXPECT_FALSE(f.in_message());
    EXPECT_EQ(f.put(b.substr(r.consumed)).event, framer_event::pong);
    EXPECT_EQ(f.buffered(), 0u);  // the next put released the last message
  });
}

TEST(framer, keepalives_pair_up_from_the_last_message) {
  // RFC 5626 §4.4.1: a lone CRLF is a pong, a double CRLF a ping; the first
  // CRLF is reported at once.
  expect_any_split("\r\n", {k_pong});
  expect_any_split("\r\n\r\n", {k_pong, k_ping});
  expect_any_split("\r\n\r\n\r\n\r\n", {k_pong, k_ping, k_pong, k_ping});
  std::string s = std::string{"\r\n"} + std::string{k_trying} + "\r\n\r\n" + std::string{k_trying};
  s += "\r\n";
  expect_any_split(s, {k_pong, message_of(k_trying), k_pong, k_ping, message_of(k_trying), k_pong});

  // A CR at the end of a put is held, not buffered, until its LF comes.
  stream_framer f;
  EXPECT_EQ(put_exact(f, "\r").event, framer_event::need_more);
  EXPECT_EQ(f.buffered(), 0u);
  EXPECT_EQ(put_exact(f, "\n").event, framer_event::pong);
}

TEST(framer, only_crlf_may_stand_between_messages) {
  expect_any_split("\r\n\rX", {k_pong, error_of(parse_errc::bare_cr, 2)});
  expect_any_split("\r\n\n", {k_pong, error_of(parse_errc::bare_lf, 2)});
  const std::string s = std::string{k_trying} + "\r\r\n";
  expect_any_split(s, {message_of(k_trying), error_of(parse_errc::bare_cr, k_trying.size())});
}

TEST(framer, content_length_names_in_any_case_and_compact_form) {
  for (const std::string_view name :
       {"Content-Length", "content-length", "CONTENT-LENGTH", "l", "L"}) {
    const std::string m =
        "MESSAGE sip:a@b SIP/2.0\r\nX-l: 99\r\n" + std::string{name} + " : 2\r\n\r\nhi";
    expect_any_split(m + "\r\n", {message_of(m), k_pong});
  }
  // Names that merely look alike are other fields: no Content-Length here.
  const std::string m = "MESSAGE sip:a@b SIP/2.0\r\nContent-Lengths: 2\r\nll: 2\r\n\r\n";
  EXPECT_EQ(frame_whole(m),
            (std::vector<seen>{error_of(parse_errc::missing_content_length, m.size() - 2)}));
}

TEST(framer, folded_content_length) {
  expect_any_split(k_folded, {message_of(k_folded)});
  constexpr std::string_view m = "OPTIONS sip:a@b SIP/2.0\r\nl:\r\n\t3\r\n\r\nabc";
  expect_any_split(m, {message_of(m)});
  // LWS inside the digits is not a number (parse_datagram agrees).
  constexpr std::string_view split_digits = "OPTIONS sip:a@b SIP/2.0\r\nl: 1\r\n 2\r\n\r\n";
  expect_any_split(split_digits, {error_of(parse_errc::bad_content_length, 28)});
}

TEST(framer, missing_content_length_is_an_error_on_a_stream) {
  constexpr std::string_view m = "OPTIONS sip:a@b SIP/2.0\r\nCSeq: 1 OPTIONS\r\n\r\n";
  // Offset: the empty line that ended the header section without it.
  expect_any_split(m, {error_of(parse_errc::missing_content_length, m.size() - 2)});
  stream_framer f;
  const framer_result r = put_exact(f, m);
  EXPECT_EQ(r.error.status, 400);
  EXPECT_TRUE(r.error.header.empty());
}

TEST(framer, bad_content_length_values) {
  const std::string prefix = "OPTIONS sip:a@b SIP/2.0\r\nContent-Length: ";
  for (const std::string_view value : {"-1", "-0", "+3", "0x10", "", "4294967296",
                                       "99999999999999999999999999", "1 2", "3a", "١"}) {
    const std::string m = prefix + std::string{value} + "\r\n\r\n";
    expect_any_split(m, {error_of(parse_errc::bad_content_length, prefix.size())});
    stream_framer f;
    const framer_result r = put_exact(f, m);
    EXPECT_EQ(r.error.header, "Content-Length") << value;
  }
  // The largest value that is a number at all is over the body limit.
  const std::string big = prefix + "4294967295\r\n\r\n";
  expect_any_split(big, {error_of(parse_errc::body_too_large, prefix.size())});
}

TEST(framer, duplicate_content_length_must_agree) {
  constexpr std::string_view same =
      "MESSAGE sip:a@b SIP/2.0\r\nl: 2\r\nContent-Length: 2\r\n\r\nhi";
  expect_any_split(same, {message_of(same)});
  constexpr std::string_view differ =
      "MESSAGE sip:a@b SIP/2.0\r\nl: 2\r\nContent-Length: 3\r\n\r\nhi!";
  expect_any_split(differ, {error_of(parse_errc::conflicting_content_length, 47)});
  stream_framer f;
  EXPECT_EQ(put_exact(f, differ).error.header, "Content-Length");
}

TEST(framer, bare_lf_in_the_header_section) {
  constexpr std::string_view m = "OPTIONS sip:a@b SIP/2.0\r\nl: 0\n\r\n";
  expect_any_split(m, {error_of(parse_errc::bare_lf, 29)});
}

TEST(framer, header_section_that_never_ends_stops_at_the_limit) {
  framer_limits limits;
  limits.max_header_size = 256;
  // One endless header line, and endless complete lines: both stop once
  // 256 bytes have arrived, with no more than that buffered on the way.
  for (const std::string_view filler : {"x", "X-Pad: y\r\n"}) {
    std::string s = "INVITE sip:a@b SIP/2.0\r\nSubject: ";
    while (s.size() < 1000) s += filler;
    expect_any_split(s, {error_of(parse_errc::header_section_too_large, 256)}, limits);

    stream_framer f{limits};
    std::size_t fed = 0;
    framer_result r;
    while (fed < s.size() && r.event != framer_event::error) {
      test::for_each_exact(std::string_view{s}.substr(fed, 3), [&](std::string_view c) {
        r = f.put(c);
        fed += r.consumed;
      });
      EXPECT_LE(f.buffered(), 256u);
    }
    EXPECT_EQ(r.error.code, parse_errc::header_section_too_large);
    EXPECT_EQ(r.error.status, 513);
    EXPECT_LE(fed, 256u);
  }
  // Given all at once, nothing is buffered at all.
  stream_framer f{limits};
  EXPECT_EQ(put_exact(f, std::string(300, 'A')).error.code, parse_errc::header_section_too_large);
  EXPECT_EQ(f.buffered(), 0u);
}

TEST(framer, header_section_of_exactly_the_limit_is_accepted) {
  std::string m = "OPTIONS sip:a@b SIP/2.0\r\nl: 0\r\nX: ";
  m += std::string(64 - m.size() - 4, 'y') + "\r\n\r\n";
  ASSERT_EQ(m.size(), 64u);
  framer_limits limits;
  limits.max_header_size = 64;
  expect_any_split(m, {message_of(m)}, limits);
  limits.max_header_size = 63;
  expect_any_split(m, {error_of(parse_errc::header_section_too_large, 63)}, limits);
}

TEST(framer, oversize_body_is_refused_before_it_is_buffered) {
  framer_limits limits;
  limits.max_body_size = 10;
  const std::string head = "MESSAGE sip:a@b SIP/2.0\r\nl: 11\r\n\r\n";
  const std::string m = head + std::string(11, 'b');
  expect_any_split(m, {error_of(parse_errc::body_too_large, 28)}, limits);
  stream_framer f{limits};
  const framer_result r = put_exact(f, m);
  EXPECT_EQ(r.error.status, 413);
  EXPECT_EQ(r.error.header, "l");
  EXPECT_EQ(f.buffered(), 0u);

  const std::string ok = "MESSAGE sip:a@b SIP/2.0\r\nl: 10\r\n\r\n" + std::string(10, 'b');
  expect_any_split(ok, {message_of(ok)}, limits);
}

TEST(framer, max_buffered_bounds_header_section_plus_body) {
  const std::string m = "MESSAGE sip:a@b SIP/2.0\r\nl: 10\r\n\r\n" + std::string(10, 'b');
  framer_limits limits;
  limits.max_buffered = m.size();
  expect_any_split(m, {message_of(m)}, limits);
  limits.max_buffered = m.size() - 1;
  expect_any_split(m, {error_of(parse_errc::framer_overflow, 28)}, limits);
  // Smaller than max_header_size, it caps the header section too.
  limits.max_buffered = 20;
  expect_any_split(m, {error_of(parse_errc::framer_overflow, 20)}, limits);
}

TEST(framer, rfc4475_mpart01_binary_body_over_a_stream) {
  // RFC 4475 §3.1.1.11: the body holds NUL and bare LF bytes; only
  // Content-Length frames it.
  const std::string_view mpart = test::k_mpart01;
  ASSERT_EQ(mpart.size(), 1290u);
  ASSERT_NE(mpart.find('\0'), std::string_view::npos);
  std::string stream{mpart};
  stream.append("\r\n\r\n").append(mpart);
  expect_any_split(stream, {message_of(mpart), k_pong, k_ping, message_of(mpart)});

  const std::vector<seen> out = frame_whole(stream);
  ASSERT_EQ(out.size(), 4u);
  message m;
  ASSERT_FALSE(parse_datagram(out[0].bytes, m));
  EXPECT_EQ(m.method(), method::message);
  EXPECT_EQ(m.body().size(), test::k_mpart01_body_size);
  EXPECT_EQ(m.body(), mpart.substr(mpart.size() - test::k_mpart01_body_size));
}

TEST(framer, dead_after_an_error_until_reset) {
  stream_framer f;
  const framer_result r = put_exact(f, "OPTIONS sip:a@b SIP/2.0\r\n\r\n");
  ASSERT_EQ(r.event, framer_event::error);
  EXPECT_TRUE(f.failed());
  const framer_result again = put_exact(f, k_trying);
  EXPECT_EQ(again.event, framer_event::error);
  EXPECT_EQ(again.consumed, 0u);
  EXPECT_EQ(again.error.code, r.error.code);
  EXPECT_EQ(again.error.offset, r.error.offset);

  f.reset();
  EXPECT_FALSE(f.failed());
  EXPECT_EQ(put_exact(f, k_trying).event, framer_event::message);
  EXPECT_EQ(put_exact(f, "\rx").error.offset, k_trying.size());  // offsets restarted at 0
}

TEST(framer, errors_in_a_response_carry_status_0) {
  stream_framer f;
  const framer_result r = put_exact(f, "SIP/2.0 200 OK\r\nl: -1\r\n\r\n");
  EXPECT_EQ(r.error.code, parse_errc::bad_content_length);
  EXPECT_EQ(r.error.status, 0);
  EXPECT_EQ(r.error.offset, 19u);
}

TEST(framer, new_error_codes_have_messages_and_statuses) {
  EXPECT_EQ(make_error_code(parse_errc::header_section_too_large).message(),
            "header section larger than the configured limit");
  EXPECT_EQ(default_status(parse_errc::header_section_too_large), 513);
  EXPECT_EQ(make_error_code(parse_errc::bare_cr).message(),
            "CR not followed by LF between messages");
  EXPECT_EQ(default_status(parse_errc::bare_cr), 400);
}

}  // namespace
}  // namespace sipua
