#include "sipua/message/numeric.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "support/parse_check.hpp"

namespace sipua {
namespace {

using test::expect_error;
using test::expect_ok;

TEST(max_forwards, range_0_to_255_with_leading_zeros) {
  const std::pair<const char*, int> ok[] = {
      {"70", 70},   {"0", 0},      {"255", 255},
      {"0068", 68}, {"  70 ", 70}, {"000000000000000000000000070", 70},
  };
  for (const auto& [text, v] : ok) {
    expect_ok(parse_max_forwards, text,
              [v = v](std::uint8_t m, std::string_view) { EXPECT_EQ(m, v); });
  }
}

TEST(max_forwards, rfc4475_scalar02_over_255_is_rejected) {
  // RFC 4475 §3.1.2.4: "Max-Forwards: 300"
  expect_error(parse_max_forwards, "300", parse_errc::bad_number, 0);
  expect_error(parse_max_forwards, "256", parse_errc::bad_number, 0);
  expect_error(parse_max_forwards, " 99999999999999999999999", parse_errc::bad_number, 1);
}

TEST(max_forwards, not_digits) {
  expect_error(parse_max_forwards, "", parse_errc::bad_number, 0);
  expect_error(parse_max_forwards, "-1", parse_errc::bad_number, 0);
  expect_error(parse_max_forwards, "7a", parse_errc::bad_number, 1);
  expect_error(parse_max_forwards, "7 0", parse_errc::bad_number, 2);
  expect_error(parse_max_forwards, "+70", parse_errc::bad_number, 0);
}

TEST(delta_seconds, values_and_saturation) {
  const std::pair<const char*, std::uint32_t> ok[] = {
      {"3600", 3600u},
      {"0", 0u},
      {"4294967295", 4294967295u},
      {"4294967296", 4294967295u},
      {"0000000000000000000000000060", 60u},
      {" 60 ", 60u},
      // RFC 4475 §3.1.2.4 scalar02 Expires
      {"1000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
       "0000000000",
       4294967295u},
  };
  for (const auto& [text, v] : ok) {
    expect_ok(parse_delta_seconds, text,
              [v = v](std::uint32_t d, std::string_view) { EXPECT_EQ(d, v); });
  }
  expect_error(parse_delta_seconds, "", parse_errc::bad_number, 0);
  expect_error(parse_delta_seconds, "60s", parse_errc::bad_number, 2);
  expect_error(parse_delta_seconds, "-60", parse_errc::bad_number, 0);
  expect_error(parse_delta_seconds, "Sat, 01 Jan 2000", parse_errc::bad_number, 0);
}

TEST(rseq, range_1_to_2_pow_32_minus_1) {
  expect_ok(parse_rseq, "988789", [](std::uint32_t v, std::string_view) { EXPECT_EQ(v, 988789u); });
  expect_ok(parse_rseq, "1", [](std::uint32_t v, std::string_view) { EXPECT_EQ(v, 1u); });
  expect_ok(parse_rseq, "2147483648",
            [](std::uint32_t v, std::string_view) { EXPECT_EQ(v, 2147483648u); });
  expect_ok(parse_rseq, "4294967295",
            [](std::uint32_t v, std::string_view) { EXPECT_EQ(v, 4294967295u); });
  expect_error(parse_rseq, "0", parse_errc::bad_number, 0);
  expect_error(parse_rseq, " 000", parse_errc::bad_number, 1);
  expect_error(parse_rseq, "4294967296", parse_errc::bad_number, 0);
  expect_error(parse_rseq, "", parse_errc::bad_number, 0);
  expect_error(parse_rseq, "1 2", parse_errc::bad_number, 2);
}

TEST(rack, rfc3262_example) {
  // RFC 3262 §7.2: "RAck: 776656 1 INVITE"
  expect_ok(parse_rack, "776656 1 INVITE", [](const rack& r, std::string_view in) {
    EXPECT_EQ(r.response_num, 776656u);
    EXPECT_EQ(r.cseq_num, 1u);
    EXPECT_EQ(r.method, method::invite);
    EXPECT_EQ(r.method_name, "INVITE");
    EXPECT_TRUE(test::within(in, r.method_name));
  });
  expect_ok(parse_rack, " 4294967295\r\n 0  FOO ", [](const rack& r, std::string_view) {
    EXPECT_EQ(r.response_num, 4294967295u);
    EXPECT_EQ(r.cseq_num, 0u);
    EXPECT_EQ(r.method, method::extension);
    EXPECT_EQ(r.method_name, "FOO");
  });
}

TEST(rack, errors) {
  expect_error(parse_rack, "", parse_errc::bad_number, 0);
  expect_error(parse_rack, "0 1 INVITE", parse_errc::bad_number, 0);
  expect_error(parse_rack, "4294967296 1 INVITE", parse_errc::bad_number, 0);
  expect_error(parse_rack, "776656", parse_errc::bad_header_value, 6);
  expect_error(parse_rack, "776656x 1 INVITE", parse_errc::bad_header_value, 6);
  expect_error(parse_rack, "776656 x INVITE", parse_errc::bad_number, 7);
  expect_error(parse_rack, "776656 4294967296 INVITE", parse_errc::bad_number, 7);
  expect_error(parse_rack, "776656 1", parse_errc::bad_header_value, 8);
  expect_error(parse_rack, "776656 1INVITE", parse_errc::bad_header_value, 8);
  expect_error(parse_rack, "776656 1 INVITE x", parse_errc::bad_header_value, 16);
}

TEST(media_type, type_subtype_and_params) {
  expect_ok(parse_media_type, "application/sdp", [](const media_type& m, std::string_view in) {
    EXPECT_EQ(m.type, "application");
    EXPECT_EQ(m.subtype, "sdp");
    EXPECT_TRUE(m.is("APPLICATION", "SDP"));
    EXPECT_FALSE(m.is("application", "sdpx"));
    EXPECT_TRUE(m.params.empty());
    EXPECT_TRUE(test::within(in, m.type));
  });
  // RFC 4475 mpart01
  expect_ok(parse_media_type, "multipart/mixed;boundary=7a9cbec02ceef655",
            [](const media_type& m, std::string_view) {
              EXPECT_TRUE(m.is("multipart", "mixed"));
              ASSERT_TRUE(m.params.find("boundary").has_value());
              EXPECT_EQ(m.params.find("boundary")->value, "7a9cbec02ceef655");
            });
  // SLASH = SWS "/" SWS, SEMI and EQUAL with SWS, quoted m-value.
  expect_ok(parse_media_type, " text / plain ; charset = \"utf-8\" ;format=flowed ",
            [](const media_type& m, std::string_view) {
              EXPECT_TRUE(m.is("text", "plain"));
              EXPECT_EQ(m.params.find("charset")->unquoted(), "utf-8");
              EXPECT_EQ(m.params.find("format")->value, "flowed");
            });
  expect_ok(parse_media_type, "application/unknownformat",
            [](const media_type& m, std::string_view) { EXPECT_EQ(m.subtype, "unknownformat"); });
}

TEST(media_type, errors) {
  expect_error(parse_media_type, "", parse_errc::bad_header_value, 0);
  expect_error(parse_media_type, "application", parse_errc::bad_header_value, 11);
  expect_error(parse_media_type, "/sdp", parse_errc::bad_header_value, 0);
  expect_error(parse_media_type, "application/", parse_errc::bad_header_value, 12);
  expect_error(parse_media_type, "application/sdp x", parse_errc::bad_header_value, 16);
  expect_error(parse_media_type, "application/sdp, text/plain", parse_errc::bad_header_value, 15);
  // m-parameter needs a value, and the value is a token or quoted-string.
  expect_error(parse_media_type, "application/sdp;charset", parse_errc::bad_param, 16);
  expect_error(parse_media_type, "application/sdp;x=[::1]", parse_errc::bad_param, 18);
  expect_error(parse_media_type, "application/sdp;;", parse_errc::bad_param, 16);
  expect_error(parse_media_type, "application/sdp;x=\"a", parse_errc::bad_param, 18);
}

TEST(call_id, word_at_word) {
  const char* const ok[] = {
      "a84b4c76e66710@pc33.atlanta.example.com",
      "wsinv.ndaksdj@192.0.2.1",
      "abc",
      // RFC 4475 §3.1.1.2 intmeth
      "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{",
      "3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..",
  };
  for (std::string_view s : ok) {
    expect_ok(parse_call_id, s, [s](std::string_view id, std::string_view in) {
      EXPECT_EQ(id, s);
      EXPECT_TRUE(test::within(in, id));
    });
  }
  expect_ok(parse_call_id, "  abc@def  ",
            [](std::string_view id, std::string_view) { EXPECT_EQ(id, "abc@def"); });
}

TEST(call_id, errors) {
  expect_error(parse_call_id, "", parse_errc::bad_header_value, 0);
  expect_error(parse_call_id, "@host", parse_errc::bad_header_value, 0);
  expect_error(parse_call_id, "abc@", parse_errc::bad_header_value, 4);
  expect_error(parse_call_id, "a@b@c", parse_errc::bad_header_value, 3);
  expect_error(parse_call_id, "a b", parse_errc::bad_header_value, 2);
  expect_error(parse_call_id, "a;b", parse_errc::bad_header_value, 1);
  expect_error(parse_call_id, "a\x01", parse_errc::bad_header_value, 1);
}

}  // namespace
}  // namespace sipua
