// SDP parser and writer (RFC 8866 §5): fields, order, errors with offsets,
// limits, IPv6, and parse → build → parse round trips.
#include "sipua/sdp/session.hpp"

#include <gtest/gtest.h>

#include <string>

#include "support/split.hpp"
#include "unit/sdp/print.hpp"

namespace sipua::sdp {
namespace {

// Parses an exact-size copy (ASan catches over-reads past the body).
sdp_result<session_description> parse(std::string_view text, const sdp_limits& limits = {}) {
  std::optional<sdp_result<session_description>> out;
  test::for_each_exact(text, [&](std::string_view in) { out.emplace(parse_session(in, limits)); });
  return std::move(*out);
}

void expect_error(std::string_view text, sdp_errc code, std::size_t offset,
                  const sdp_limits& limits = {}) {
  SCOPED_TRACE(std::string(text));
  const auto r = parse(text, limits);
  ASSERT_FALSE(r.has_value());
  EXPECT_EQ(r.error().code, code) << make_error_code(r.error().code).message();
  EXPECT_EQ(r.error().offset, offset);
}

constexpr std::string_view full =
    "v=0\r\n"
    "o=jdoe 3724394400 3724394405 IN IP4 198.51.100.1\r\n"
    "s=Call to John Smith\r\n"
    "i=SDP Offer #1\r\n"
    "u=http://www.jdoe.example.com/home.html\r\n"
    "e=Jane Doe <jane@jdoe.example.com>\r\n"
    "p=+1 617 555-6011\r\n"
    "c=IN IP4 198.51.100.1\r\n"
    "b=CT:128\r\n"
    "t=0 0\r\n"
    "r=604800 3600 0 90000\r\n"
    "z=2882844526 -1h 2898848070 0\r\n"
    "a=recvonly\r\n"
    "m=audio 49170 RTP/AVP 0 97 101\r\n"
    "a=rtpmap:97 iLBC/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-15\r\n"
    "a=ptime:20\r\n"
    "m=video 51372/2 RTP/AVP 99\r\n"
    "c=IN IP6 2001:db8::2\r\n"
    "b=AS:512\r\n"
    "a=rtpmap:99 h263-1998/90000\r\n"
    "a=sendrecv\r\n"
    "a=x-custom:a b  c\r\n"
    "a=flag\r\n";

TEST(sdp_parse, every_field) {
  const auto r = parse(full);
  ASSERT_TRUE(r.has_value()) << static_cast<int>(r.error().code) << " at " << r.error().offset;
  const session_description& sd = *r;
  EXPECT_EQ(sd.origin.username, "jdoe");
  EXPECT_EQ(sd.origin.sess_id, 3724394400u);
  EXPECT_EQ(sd.origin.sess_version, 3724394405u);
  EXPECT_EQ(sd.origin.address, "198.51.100.1");
  EXPECT_EQ(sd.name, "Call to John Smith");
  EXPECT_EQ(sd.information, "SDP Offer #1");
  EXPECT_EQ(sd.uri, "http://www.jdoe.example.com/home.html");
  ASSERT_EQ(sd.emails.size(), 1u);
  ASSERT_EQ(sd.phones.size(), 1u);
  ASSERT_TRUE(sd.connection);
  EXPECT_EQ(sd.connection->address, "198.51.100.1");
  ASSERT_EQ(sd.bandwidths.size(), 1u);
  EXPECT_EQ(sd.bandwidths[0].type, "CT");
  EXPECT_EQ(sd.bandwidths[0].value, 128u);
  ASSERT_EQ(sd.timings.size(), 1u);
  EXPECT_EQ(sd.timings[0].repeats, std::vector<std::string>{"604800 3600 0 90000"});
  EXPECT_EQ(sd.zone, "2882844526 -1h 2898848070 0");
  EXPECT_EQ(sd.session_direction(), direction::recvonly);
  ASSERT_EQ(sd.media.size(), 2u);

  const media_description& audio = sd.media[0];
  EXPECT_EQ(audio.media, "audio");
  EXPECT_EQ(audio.port, 49170);
  EXPECT_FALSE(audio.port_count);
  EXPECT_EQ(audio.proto, "RTP/AVP");
  EXPECT_EQ(audio.formats, (std::vector<std::string>{"0", "97", "101"}));
  EXPECT_EQ(audio.rtpmap_for("0"), (rtpmap{0, "PCMU", 8000, 1}));  // static table
  EXPECT_EQ(audio.rtpmap_for("97"), (rtpmap{97, "iLBC", 8000, 1}));
  EXPECT_EQ(audio.fmtp_for("101"), "0-15");
  EXPECT_FALSE(audio.fmtp_for("97"));
  EXPECT_EQ(audio.ptime(), 20u);
  // The session-level direction is inherited (RFC 8866 §6.7).
  EXPECT_FALSE(audio.explicit_direction());
  EXPECT_EQ(sd.effective_direction(audio), direction::recvonly);
  EXPECT_EQ(sd.effective_connection(audio), &*sd.connection);

  const media_description& video = sd.media[1];
  EXPECT_EQ(video.port_count, 2u);
  ASSERT_EQ(video.connections.size(), 1u);
  EXPECT_EQ(video.connections[0].addrtype, "IP6");
  EXPECT_EQ(video.connections[0].address, "2001:db8::2");
  EXPECT_EQ(sd.effective_connection(video), &video.connections[0]);
  EXPECT_EQ(sd.effective_direction(video), direction::sendrecv);
  EXPECT_EQ(video.rtpmap_for("99"), (rtpmap{99, "h263-1998", 90000, 1}));
  // Unknown attributes kept verbatim and in order.
  ASSERT_EQ(video.attributes.size(), 4u);
  EXPECT_EQ(video.attributes[2], (attribute{"x-custom", "a b  c", true}));
  EXPECT_EQ(video.attributes[3], (attribute{"flag", "", false}));
}

TEST(sdp_parse, ipv6_session_connection_and_origin) {
  const auto r = parse(
      "v=0\r\no=- 1 1 IN IP6 2001:db8::1\r\ns=-\r\nc=IN IP6 2001:db8::1\r\nt=0 0\r\n"
      "m=audio 5004 RTP/AVP 0\r\nc=IN IP6 ::ffff:192.0.2.1\r\n");
  ASSERT_TRUE(r.has_value());
  EXPECT_EQ(r->origin.addrtype, "IP6");
  EXPECT_EQ(r->connection->addrtype, "IP6");
  EXPECT_EQ(r->connection->address, "2001:db8::1");
  EXPECT_EQ(r->media[0].connections[0].address, "::ffff:192.0.2.1");
  // An IPv6 literal under IP4 is refused at the address.
  expect_error("v=0\r\no=- 1 1 IN IP4 h\r\ns=-\r\nc=IN IP4 2001:db8::1\r\nt=0 0\r\n",
               sdp_errc::bad_connection, 37);
}

TEST(sdp_parse, bare_lf_missing_final_eol_and_trailing_blank_lines) {
  for (std::string_view text :
       {"v=0\no=- 1 2 IN IP4 a\ns=\nt=0 0\nm=audio 1 RTP/AVP 0\n",
        "v=0\r\no=- 1 2 IN IP4 a\r\ns=\r\nt=0 0\r\nm=audio 1 RTP/AVP 0",
        "v=0\r\no=- 1 2 IN IP4 a\ns=\r\nt=0 0\nm=audio 1 RTP/AVP 0\r\n\r\n"}) {
    const auto r = parse(text);
    ASSERT_TRUE(r.has_value()) << text;
    EXPECT_EQ(r->name, "");  // RFC 4317 writes an empty s=
    EXPECT_EQ(r->origin.sess_version, 2u);
    ASSERT_EQ(r->media.size(), 1u);
    EXPECT_EQ(r->media[0].formats, std::vector<std::string>{"0"});
  }
}

constexpr std::string_view head = "v=0\r\no=- 1 1 IN IP4 a\r\ns=-\r\n";
constexpr std::size_t H = head.size();  // 28
constexpr std::size_t T = H + 7;        // after "t=0 0\r\n"

TEST(sdp_parse, structural_errors_with_offsets) {
  expect_error("", sdp_errc::empty, 0);
  expect_error("\r\n\r\n", sdp_errc::empty, 0);
  expect_error("o=- 1 1 IN IP4 a\r\n", sdp_errc::missing_version, 0);
  expect_error("v=0\r\ns=-\r\n", sdp_errc::missing_origin, 5);
  expect_error("v=0\r\no=- 1 1 IN IP4 a\r\n", sdp_errc::missing_name, 23);
  expect_error("v=0\r\no=- 1 1 IN IP4 a\r\nt=0 0\r\n", sdp_errc::missing_name, 23);
  expect_error(std::string(head) + "a=x\r\n", sdp_errc::missing_timing, H + 5);
  expect_error(std::string(head) + "m=audio 1 RTP/AVP 0\r\n", sdp_errc::missing_timing, H);
  expect_error("v=1\r\n", sdp_errc::bad_version, 2);
  expect_error(std::string(head) + "x=1\r\n", sdp_errc::unknown_type, H);
  expect_error(std::string(head) + "tx=1\r\n", sdp_errc::bad_line, H);
  expect_error(std::string(head) + "\r\nt=0 0\r\n", sdp_errc::bad_line, H);
  expect_error(std::string(head) + "t=0 0\rx\r\n", sdp_errc::bad_line, H + 5);
  expect_error(std::string(head) + std::string("t=0 \0\r\n", 7), sdp_errc::bad_line, H + 4);
  // Order (§5): c= after t=, a second s=, i= after c=, r= with no t= before.
  expect_error(std::string(head) + "t=0 0\r\nc=IN IP4 a\r\n", sdp_errc::unexpected_line, H + 7);
  expect_error(std::string(head) + "s=again\r\n", sdp_errc::unexpected_line, H);
  expect_error(std::string(head) + "c=IN IP4 a\r\ni=x\r\n", sdp_errc::unexpected_line, H + 12);
  expect_error(std::string(head) + "r=1 2 3\r\n", sdp_errc::unexpected_line, H);
  expect_error(std::string(head) + "t=0 0\r\nm=audio 1 RTP/AVP 0\r\na=x\r\ni=late\r\n",
               sdp_errc::unexpected_line, H + 33);
  expect_error(std::string(head) + "t=0 0\r\nm=audio 1 RTP/AVP 0\r\nt=0 0\r\n",
               sdp_errc::unexpected_line, H + 28);
}

TEST(sdp_parse, field_errors_point_at_the_field) {
  expect_error("v=0\r\no=- 1 1 IN IP4\r\n", sdp_errc::bad_origin, 7);
  expect_error("v=0\r\no=- x 1 IN IP4 a\r\n", sdp_errc::bad_origin, 9);
  expect_error("v=0\r\no=- 1 18446744073709551616 IN IP4 a\r\n", sdp_errc::bad_origin, 11);
  expect_error("v=0\r\no=- 1 1 IN IP4 a extra\r\n", sdp_errc::bad_origin, 22);
  expect_error(std::string(head) + "c=IN IP4\r\n", sdp_errc::bad_connection, H + 2);
  expect_error(std::string(head) + "b=AS\r\n", sdp_errc::bad_bandwidth, H + 2);
  expect_error(std::string(head) + "b=AS:x\r\n", sdp_errc::bad_bandwidth, H + 5);
  expect_error(std::string(head) + "t=0\r\n", sdp_errc::bad_timing, H + 2);
  expect_error(std::string(head) + "t=0 x\r\n", sdp_errc::bad_timing, H + 4);
  const std::string t = std::string(head) + "t=0 0\r\n";
  expect_error(t + "m=audio 1 RTP/AVP\r\n", sdp_errc::bad_media, T + 2);
  expect_error(t + "m=audio 65536 RTP/AVP 0\r\n", sdp_errc::bad_media, T + 8);
  expect_error(t + "m=audio 1/0 RTP/AVP 0\r\n", sdp_errc::bad_media, T + 10);
  expect_error(t + "m=audio 1 RTP//AVP 0\r\n", sdp_errc::bad_media, T + 10);
  expect_error(t + "m=audio 1 RTP/AVP 0  8\r\n", sdp_errc::bad_media, T + 20);
  expect_error(t + "a=:x\r\n", sdp_errc::bad_attribute, T + 2);
  expect_error(t + "a=a b\r\n", sdp_errc::bad_attribute, T + 2);
}

TEST(sdp_parse, limits_each_with_its_code) {
  const std::string ok =
      std::string(head) + "t=0 0\r\nm=audio 1 RTP/AVP 0\r\nm=video 2 RTP/AVP 31\r\n";
  EXPECT_TRUE(parse(ok).has_value());
  expect_error(ok, sdp_errc::too_large, 10, sdp_limits{.max_size = 10});
  expect_error(ok, sdp_errc::too_many_lines, T, sdp_limits{.max_lines = 4});
  expect_error(ok, sdp_errc::too_many_media, T + 21, sdp_limits{.max_media = 1});
  expect_error(ok + "m=audio 3 RTP/AVP 0 8 9\r\n", sdp_errc::too_many_formats, T + 21 + 22 + 22,
               sdp_limits{.max_formats = 2});
}

TEST(sdp_attributes, rtpmap_fmtp_ptime_parsers) {
  EXPECT_EQ(*parse_rtpmap("97 iLBC/8000"), (rtpmap{97, "iLBC", 8000, 1}));
  EXPECT_EQ(*parse_rtpmap("98 L16/16000/2"), (rtpmap{98, "L16", 16000, 2}));
  EXPECT_EQ(parse_rtpmap("128 x/8000").error(), (sdp_error{sdp_errc::bad_rtpmap, 0}));
  EXPECT_EQ(parse_rtpmap("97 iLBC").error(), (sdp_error{sdp_errc::bad_rtpmap, 3}));
  EXPECT_EQ(parse_rtpmap("97 iLBC/0").error(), (sdp_error{sdp_errc::bad_rtpmap, 8}));
  EXPECT_EQ(parse_rtpmap("97 iLBC/8000/x").error(), (sdp_error{sdp_errc::bad_rtpmap, 13}));
  EXPECT_EQ(*parse_fmtp("101 0-15"), (fmtp{"101", "0-15"}));
  EXPECT_EQ(parse_fmtp(" 0-15").error().code, sdp_errc::bad_fmtp);
  media_description m;
  m.attributes = {{"ptime", "x", true}};
  EXPECT_FALSE(m.ptime());
  m.attributes = {{"inactive", "", false}, {"a", "", false}, {"sendonly", "", false}};
  m.set_direction(direction::recvonly);
  EXPECT_EQ(m.attributes, (std::vector<attribute>{{"recvonly", "", false}, {"a", "", false}}));
  EXPECT_EQ(m.explicit_direction(), direction::recvonly);
}

TEST(sdp_build, round_trip_is_equal_and_crlf) {
  for (std::string_view text :
       {full, std::string_view("v=0\no=- 1 2 IN IP4 a\ns=\nt=0 0\nm=audio 0 RTP/AVP 0\n")}) {
    const auto first = parse(text);
    ASSERT_TRUE(first.has_value());
    const auto built = build_session(*first);
    ASSERT_TRUE(built.has_value());
    EXPECT_EQ(built->find("\n"), built->find("\r\n") + 1);
    EXPECT_EQ(built->find('\n', 0) != std::string::npos, true);
    const auto second = parse(*built);
    ASSERT_TRUE(second.has_value());
    EXPECT_EQ(*first, *second);
    EXPECT_EQ(*build_session(*second), *built);
  }
  // The full example comes back byte for byte (it is already canonical).
  EXPECT_EQ(*build_session(*parse(full)), full);
}

TEST(sdp_build, refuses_fields_that_cannot_be_written) {
  session_description sd;
  sd.origin.address = "a";
  media_description m;
  m.media = "audio";
  m.port = 1;
  m.proto = "RTP/AVP";
  m.formats = {"0"};
  sd.media.push_back(m);
  EXPECT_TRUE(build_session(sd).has_value());
  auto bad = sd;
  bad.name = "a\r\nb=";
  EXPECT_EQ(build_session(bad).error().code, sdp_errc::bad_field);
  bad = sd;
  bad.origin.username = "a b";
  EXPECT_EQ(build_session(bad).error().code, sdp_errc::bad_field);
  bad = sd;
  bad.media[0].formats.clear();
  EXPECT_EQ(build_session(bad).error().code, sdp_errc::bad_field);
  bad = sd;
  bad.timings.clear();
  EXPECT_EQ(build_session(bad).error().code, sdp_errc::bad_field);
  bad = sd;
  bad.media[0].attributes.push_back({"", "x", true});
  EXPECT_EQ(build_session(bad).error().code, sdp_errc::bad_field);
}

TEST(sdp_error, category_and_messages) {
  const std::error_code ec = sdp_errc::glare;
  EXPECT_STREQ(ec.category().name(), "sipua.sdp");
  EXPECT_NE(ec.message().find("491"), std::string::npos);
  EXPECT_EQ(std::error_code(static_cast<sdp_errc>(999)).message(), "unknown sipua.sdp error");
}

}  // namespace
}  // namespace sipua::sdp
