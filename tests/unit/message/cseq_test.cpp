#include "sipua/message/cseq.hpp"

#include <gtest/gtest.h>

#include "support/parse_check.hpp"

namespace sipua {
namespace {

using test::expect_error;
using test::expect_ok;

TEST(cseq, number_and_known_method) {
  expect_ok(parse_cseq, "314159 INVITE", [](const cseq& c, std::string_view in) {
    EXPECT_EQ(c.number, 314159u);
    EXPECT_EQ(c.method, method::invite);
    EXPECT_EQ(c.method_name, "INVITE");
    EXPECT_TRUE(test::within(in, c.method_name));
  });
}

TEST(cseq, rfc4475_wsinv_leading_zeros_and_folded_lws) {
  // "cseq: 0009\r\n  INVITE"
  expect_ok(parse_cseq, "0009\r\n  INVITE", [](const cseq& c, std::string_view) {
    EXPECT_EQ(c.number, 9u);
    EXPECT_EQ(c.method, method::invite);
  });
  expect_ok(parse_cseq, "00000000000000000000000001 BYE", [](const cseq& c, std::string_view) {
    EXPECT_EQ(c.number, 1u);
    EXPECT_EQ(c.method, method::bye);
  });
}

TEST(cseq, full_32_bit_range) {
  expect_ok(parse_cseq, "0 ACK", [](const cseq& c, std::string_view) { EXPECT_EQ(c.number, 0u); });
  expect_ok(parse_cseq, "4294967295 ACK",
            [](const cseq& c, std::string_view) { EXPECT_EQ(c.number, 4294967295u); });
  expect_error(parse_cseq, "4294967296 ACK", parse_errc::bad_number, 0);
}

TEST(cseq, rfc4475_scalar02_and_scalarlg_overlarge_numbers) {
  // RFC 4475 §3.1.2.4 and §3.1.2.5
  expect_error(parse_cseq, "36893488147419103232 REGISTER", parse_errc::bad_number, 0);
  expect_error(parse_cseq, "9292394834772304023312 OPTIONS", parse_errc::bad_number, 0);
}

TEST(cseq, extension_methods_are_case_sensitive_tokens) {
  // RFC 4475 esc02 and intmeth
  expect_ok(parse_cseq, "29344 RE%47IST%45R", [](const cseq& c, std::string_view) {
    EXPECT_EQ(c.method, method::extension);
    EXPECT_EQ(c.method_name, "RE%47IST%45R");
  });
  expect_ok(parse_cseq, "139122385 !interesting-Method0123456789_*+`.%indeed'~",
            [](const cseq& c, std::string_view) {
              EXPECT_EQ(c.number, 139122385u);
              EXPECT_EQ(c.method, method::extension);
              EXPECT_EQ(c.method_name, "!interesting-Method0123456789_*+`.%indeed'~");
            });
  expect_ok(parse_cseq, "1 invite",
            [](const cseq& c, std::string_view) { EXPECT_EQ(c.method, method::extension); });
  expect_ok(parse_cseq, "  8 REGISTER  ", [](const cseq& c, std::string_view) {
    EXPECT_EQ(c.method, method::register_);
    EXPECT_EQ(c.method_name, "REGISTER");
  });
}

TEST(cseq, errors_with_offsets) {
  expect_error(parse_cseq, "", parse_errc::bad_number, 0);
  expect_error(parse_cseq, "INVITE", parse_errc::bad_number, 0);
  expect_error(parse_cseq, "-1 INVITE", parse_errc::bad_number, 0);
  expect_error(parse_cseq, "  x1 INVITE", parse_errc::bad_number, 2);
  expect_error(parse_cseq, "1INVITE", parse_errc::bad_header_value, 1);
  expect_error(parse_cseq, "1", parse_errc::bad_header_value, 1);
  expect_error(parse_cseq, "1 ", parse_errc::bad_header_value, 2);
  expect_error(parse_cseq, "1 INVITE x", parse_errc::bad_header_value, 9);
  expect_error(parse_cseq, "1 INV/ITE", parse_errc::bad_header_value, 5);
  expect_error(parse_cseq, "1 <INVITE>", parse_errc::bad_header_value, 2);
}

}  // namespace
}  // namespace sipua

namespace sipua {
namespace {

// Numbers of every length, with and without eight readable bytes after the
// start (the SWAR path and the byte path), and leading zeros.
TEST(cseq, numbers_of_every_length_on_both_paths) {
  std::uint64_t value = 0;
  std::string digits;
  for (int len = 1; len <= 12; ++len) {
    digits += static_cast<char>('0' + (len * 3) % 10);
    value = value * 10 + static_cast<std::uint64_t>((len * 3) % 10);
    for (const std::string tail : {"", " INVITE", " INVITE   "}) {
      const std::string text = digits + (tail.empty() ? " BYE" : tail);
      test::exact_buffer b{text};
      auto r = parse_cseq(b.view());
      if (value > 0xffffffffULL) {
        ASSERT_FALSE(r) << text;
        EXPECT_EQ(r.error().code, parse_errc::bad_number);
      } else {
        ASSERT_TRUE(r) << text;
        EXPECT_EQ(r->number, value) << text;
      }
    }
  }
  const std::pair<std::string_view, std::uint32_t> zeros[] = {{"0000000000000000000007 ACK", 7},
                                                              {"00000001 ACK", 1},
                                                              {"0 ACK", 0},
                                                              {"4294967295 ACK", 4294967295u}};
  for (const auto& [text, number] : zeros) {
    test::exact_buffer b{text};
    auto r = parse_cseq(b.view());
    ASSERT_TRUE(r) << text;
    EXPECT_EQ(r->number, number) << text;
  }
}

}  // namespace
}  // namespace sipua
