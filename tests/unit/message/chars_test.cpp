#include "sipua/message/detail/chars.hpp"

#include <gtest/gtest.h>

#include <string>

#include "support/split.hpp"

#include "sipua/message/header_id.hpp"

namespace sipua {
namespace {

TEST(chars, all_visible_agrees_with_the_byte_rule_for_every_byte_at_every_position) {
  for (std::size_t len = 1; len < 20; ++len)
    for (std::size_t pos = 0; pos < len; ++pos)
      for (int c = 0; c < 256; ++c) {
        std::string s(len, 'a');
        s[pos] = static_cast<char>(c);
        const bool expected = c >= 0x21 && c <= 0x7e;
        ASSERT_EQ(detail::all_visible(s), expected)
            << "len " << len << " pos " << pos << " byte " << c;
      }
  EXPECT_TRUE(detail::all_visible(""));
}

TEST(header_id, every_canonical_name_and_its_case_variants_map_back_to_its_id) {
  for (std::size_t i = 1; i < header_id_count; ++i) {
    const auto id = static_cast<header_id>(i);
    const std::string_view name = header_name(id);
    ASSERT_FALSE(name.empty());
    EXPECT_EQ(lookup_header(name), id) << name;
    std::string upper(name), lower(name);
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(lookup_header(upper), id) << upper;
    EXPECT_EQ(lookup_header(lower), id) << lower;
    // One character off is another (unknown) name.
    std::string off(name);
    off.back() = off.back() == 'x' ? 'y' : 'x';
    EXPECT_NE(lookup_header(off), id) << off;
  }
}

TEST(header_id, compact_forms) {
  EXPECT_EQ(lookup_header("v"), header_id::via);
  EXPECT_EQ(lookup_header("I"), header_id::call_id);
  EXPECT_EQ(lookup_header("l"), header_id::content_length);
  EXPECT_EQ(lookup_header("o"), header_id::event);
  EXPECT_EQ(lookup_header("x"), header_id::session_expires);
  EXPECT_EQ(lookup_header("q"), header_id::unknown);
  EXPECT_EQ(compact_form(header_id::contact), 'm');
  EXPECT_EQ(compact_form(header_id::cseq), '\0');
}

TEST(header_id, names_that_only_look_alike_are_unknown) {
  EXPECT_EQ(lookup_header("C%6Fntact"), header_id::unknown);  // RFC 4475 esc02
  EXPECT_EQ(lookup_header("Contacts"), header_id::unknown);
  EXPECT_EQ(lookup_header("Via-Foo"), header_id::unknown);
  EXPECT_EQ(lookup_header(""), header_id::unknown);
  EXPECT_EQ(lookup_header(std::string(40, 'a')), header_id::unknown);
}

}  // namespace
}  // namespace sipua

namespace sipua {
namespace {

// The SSE2 (>= 16 bytes), word (8..15) and byte (< 8) paths of
// all_visible_except must agree with the plain rule at every length.
TEST(chars, all_visible_except_agrees_with_the_byte_rule_at_every_length) {
  for (std::size_t len = 1; len < 40; ++len)
    for (std::size_t pos = 0; pos < len; ++pos)
      for (int c = 0; c < 256; ++c) {
        std::string s(len, 'a');
        s[pos] = static_cast<char>(c);
        const bool expected = c >= 0x21 && c <= 0x7e && c != '<' && c != '>' && c != '"';
        ASSERT_EQ(detail::all_visible_except(s, '<', '>', '"'), expected)
            << "len " << len << " pos " << pos << " byte " << c;
      }
}

}  // namespace
}  // namespace sipua

namespace sipua {
namespace {

TEST(chars, skip_quoted_follows_the_quoted_string_grammar_at_every_length) {
  // Plain text of every length (the SSE2 and byte paths), then each kind of
  // special byte at every position.
  for (std::size_t len = 0; len < 40; ++len) {
    std::string q = "\"" + std::string(len, 'x') + "\"";
    EXPECT_EQ(detail::skip_quoted(q, 0), q.size()) << len;
    for (std::size_t pos = 1; pos <= len; ++pos) {
      std::string t = q;
      t[pos] = '\x01';  // a control character is not qdtext
      std::size_t bad = 0;
      EXPECT_EQ(detail::skip_quoted(t, 0, &bad), detail::npos);
      EXPECT_EQ(bad, pos);
      t[pos] = '\t';  // LWS is
      EXPECT_EQ(detail::skip_quoted(t, 0), t.size());
      t[pos] = '\xc3';  // so is UTF8-NONASCII
      EXPECT_EQ(detail::skip_quoted(t, 0), t.size());
      t[pos] = '"';  // an inner quote ends it early
      EXPECT_EQ(detail::skip_quoted(t, 0), pos + 1);
    }
  }
  EXPECT_EQ(detail::skip_quoted(std::string_view("\"a\\\"b\""), 0), 6u);  // escaped quote
  EXPECT_EQ(detail::skip_quoted(std::string_view("\"a\\\0b\"", 6), 0),
            6u);  // escaped NUL (RFC 4475 intmeth)
  std::size_t bad = 0;
  EXPECT_EQ(detail::skip_quoted(std::string_view("\"a\\\r\""), 0, &bad),
            detail::npos);  // CR cannot be escaped
  EXPECT_EQ(bad, 3u);
  EXPECT_EQ(detail::skip_quoted(std::string_view("\"abc"), 0, &bad), detail::npos);  // unterminated
  EXPECT_EQ(bad, 0u);
  EXPECT_EQ(detail::skip_quoted(std::string_view("\"abc\\"), 0, &bad), detail::npos);
}

}  // namespace
}  // namespace sipua

namespace sipua {
namespace {

TEST(chars, token_equals_folds_case_and_nothing_else) {
  EXPECT_TRUE(detail::token_equals("branch", "branch"));
  EXPECT_TRUE(detail::token_equals("BrAnCh", "branch"));
  EXPECT_TRUE(detail::token_equals("TAG", "tag"));
  EXPECT_TRUE(detail::token_equals("Received", "received"));
  EXPECT_TRUE(detail::token_equals("session-expires", "session-expires"));
  EXPECT_FALSE(detail::token_equals("branc", "branch"));
  EXPECT_FALSE(detail::token_equals("branchx", "branch"));
  EXPECT_FALSE(detail::token_equals("bran_h", "branch"));
  EXPECT_FALSE(detail::token_equals("ta", "tag"));
  // Every token character other than the letter itself and its upper case
  // differs from it after folding.
  for (int c = 0; c < 256; ++c) {
    if (!detail::is(static_cast<char>(c), detail::cc_token)) continue;
    std::string s = "xtag";
    s[1] = static_cast<char>(c);
    const bool same = c == 't' || c == 'T';
    EXPECT_EQ(detail::token_equals(std::string_view(s).substr(1), "tag"), same) << c;
  }
}

}  // namespace
}  // namespace sipua

#include "sipua/message/method.hpp"

namespace sipua {
namespace {

TEST(method, every_known_token_round_trips_and_case_matters) {
  for (int i = 1; i <= static_cast<int>(method::publish); ++i) {
    const auto m = static_cast<method>(i);
    EXPECT_EQ(to_method(to_string(m)), m) << to_string(m);
    std::string lower(to_string(m));
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    EXPECT_EQ(to_method(lower), method::extension) << lower;  // RFC 3261 §7.1: case-sensitive
  }
  EXPECT_EQ(to_method("NEWMETHOD"), method::extension);
  EXPECT_EQ(to_method("RE%47IST%45R"), method::extension);  // RFC 4475 esc02
  EXPECT_EQ(to_method(""), method::extension);
  EXPECT_EQ(to_method("INVITEX"), method::extension);
}

}  // namespace
}  // namespace sipua

namespace sipua {
namespace {

// The 32-byte, 16-byte and byte-wise paths of find_lf agree with a plain
// search for every length and position, and never look past the end.
TEST(chars, find_lf_finds_the_first_line_feed_at_every_length_and_position) {
  for (std::size_t len = 0; len < 80; ++len) {
    test::exact_buffer none{std::string(len, 'a')};
    const std::string_view v = none.view();
    EXPECT_EQ(detail::find_lf(v.data(), v.data() + v.size()), nullptr) << len;
    for (std::size_t pos = 0; pos < len; ++pos) {
      std::string s(len, 'a');
      s[pos] = '\n';
      if (pos + 3 < len) s[pos + 3] = '\n';  // a later one must not win
      test::exact_buffer b{s};
      const std::string_view w = b.view();
      EXPECT_EQ(detail::find_lf(w.data(), w.data() + w.size()), w.data() + pos)
          << len << " " << pos;
    }
  }
}

}  // namespace
}  // namespace sipua

namespace sipua {
namespace {

// digits8 (SWAR) against a byte loop: every run length 0..8, every byte
// value as the terminator, digits that vary by position.
TEST(chars, digits8_reads_the_leading_digit_run) {
  for (std::size_t k = 0; k <= 8; ++k)
    for (int stop = 0; stop < 256; ++stop) {
      char b[8];
      std::uint64_t expected = 0;
      for (std::size_t j = 0; j < 8; ++j) b[j] = static_cast<char>('0' + (j * 7 + k + 3) % 10);
      for (std::size_t j = 0; j < k; ++j)
        expected = expected * 10 + static_cast<std::uint64_t>(b[j] - '0');
      if (k < 8) b[k] = static_cast<char>(stop);
      const bool stop_is_digit = stop >= '0' && stop <= '9';
      std::uint64_t v = 12345;
      const std::size_t got = detail::digits8(b, v);
      if (k == 8 || (stop_is_digit && k == 7)) {
        EXPECT_EQ(got, 8u);
        continue;
      }
      if (stop_is_digit) continue;  // the run is longer than k
      ASSERT_EQ(got, k) << "k " << k << " stop " << stop;
      if (k > 0) {
        EXPECT_EQ(v, expected) << "k " << k << " stop " << stop;
      }
    }
}

}  // namespace
}  // namespace sipua
