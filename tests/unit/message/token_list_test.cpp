#include "sipua/message/token_list.hpp"

#include <gtest/gtest.h>

#include <iterator>
#include <string>
#include <vector>

#include "support/split.hpp"

namespace sipua {
namespace {

using parse_fn = parse_result<token_list> (*)(std::string_view) noexcept;

std::vector<std::string> tokens(parse_fn parse, std::string_view text) {
  std::vector<std::string> out;
  test::for_each_exact(text, [&](std::string_view v) {
    auto r = parse(v);
    EXPECT_TRUE(r) << text;
    if (!r) return;
    for (std::string_view t : *r) {
      EXPECT_GE(t.data(), v.data());  // views into the buffer
      out.emplace_back(t);
    }
    EXPECT_EQ(r->size(), out.size());
  });
  return out;
}

void expect_error(parse_fn parse, std::string_view text, std::size_t offset) {
  test::for_each_exact(text, [&](std::string_view v) {
    auto r = parse(v);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, parse_errc::bad_header_value) << text;
    EXPECT_EQ(r.error().offset, offset) << text;
  });
}

using strings = std::vector<std::string>;

TEST(token_list, require_and_friends_hold_one_or_more_option_tags) {
  EXPECT_EQ(tokens(parse_option_tags, "100rel"), strings{"100rel"});
  EXPECT_EQ(tokens(parse_option_tags, "100rel, precondition,timer"),
            (strings{"100rel", "precondition", "timer"}));
  // Folded over lines (the framer keeps CRLF + SP inside the value).
  EXPECT_EQ(tokens(parse_option_tags, "foo\r\n ,\r\n\tbar  ,baz"), (strings{"foo", "bar", "baz"}));
  //                           0123456789
  expect_error(parse_option_tags, "", 0);
  expect_error(parse_option_tags, "  ", 2);
  expect_error(parse_option_tags, "a,,b", 2);
  expect_error(parse_option_tags, "a, ,b", 3);
  expect_error(parse_option_tags, ",a", 0);
  expect_error(parse_option_tags, "a,", 2);
  expect_error(parse_option_tags, "a b", 2);
  expect_error(parse_option_tags, "a;b", 1);
  expect_error(parse_option_tags, "a,\"b\"", 2);
  expect_error(parse_option_tags, "a/b", 1);
}

TEST(token_list, option_tags_compare_case_insensitively) {
  // RFC 3261 §19.2 option-tag = token; §7.3.1 "Tokens are always
  // case-insensitive".
  test::for_each_exact("100rel, Timer", [](std::string_view v) {
    auto r = parse_option_tags(v);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->match(), token_match::case_insensitive);
    EXPECT_TRUE(r->contains("100REL"));
    EXPECT_TRUE(r->contains("timer"));
    EXPECT_FALSE(r->contains("time"));
    EXPECT_FALSE(r->contains(""));
  });
}

TEST(token_list, supported_may_be_empty) {
  // RFC 3261 §25.1 Supported = ( "Supported" / "k" ) HCOLON [option-tag *(COMMA option-tag)]
  EXPECT_TRUE(tokens(parse_supported, "").empty());
  EXPECT_TRUE(tokens(parse_supported, " \r\n ").empty());
  EXPECT_EQ(tokens(parse_supported, "replaces, outbound, gruu"),
            (strings{"replaces", "outbound", "gruu"}));
  expect_error(parse_supported, " ,", 1);
  auto r = parse_supported("");
  ASSERT_TRUE(r);
  EXPECT_TRUE(r->empty());
  EXPECT_EQ(r->begin(), r->end());
  EXPECT_FALSE(r->contains("x"));
}

TEST(token_list, allow_lists_methods_case_sensitively) {
  // RFC 3261 §20.5 example.
  constexpr std::string_view text = "INVITE, ACK, OPTIONS, CANCEL, BYE";
  EXPECT_EQ(tokens(parse_allow, text), (strings{"INVITE", "ACK", "OPTIONS", "CANCEL", "BYE"}));
  test::for_each_exact(text, [](std::string_view v) {
    auto r = parse_allow(v);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->match(), token_match::case_sensitive);
    EXPECT_TRUE(r->contains("BYE"));
    EXPECT_FALSE(r->contains("bye"));  // RFC 3261 §7.1: methods are case-sensitive
    EXPECT_FALSE(r->contains("REFER"));
  });
  EXPECT_TRUE(tokens(parse_allow, "").empty());
  expect_error(parse_allow, "INVITE,, BYE", 7);
}

TEST(token_list, allow_events_are_event_types) {
  EXPECT_EQ(tokens(parse_allow_events, "presence, presence.winfo, dialog"),
            (strings{"presence", "presence.winfo", "dialog"}));
  expect_error(parse_allow_events, "", 0);
  expect_error(parse_allow_events, "presence, .winfo", 10);
  expect_error(parse_allow_events, "presence..winfo", 0);
  expect_error(parse_allow_events, "presence.", 0);
  test::for_each_exact("Presence", [](std::string_view v) {
    auto r = parse_allow_events(v);
    ASSERT_TRUE(r);
    EXPECT_FALSE(r->contains("presence"));  // RFC 6665 §8.2.1: byte by byte
  });
}

// Iterators return by value, so nothing can dangle, and still model
// C++20 forward iterators.
static_assert(std::forward_iterator<token_list::iterator>);
static_assert(std::forward_iterator<accept_list::iterator>);

TEST(token_list, iteration_is_forward_and_repeatable) {
  auto r = parse_option_tags("a,b");
  ASSERT_TRUE(r);
  auto it = r->begin();
  EXPECT_EQ(*it, "a");
  auto copy = it++;
  EXPECT_EQ(*copy, "a");
  EXPECT_EQ(*it, "b");
  EXPECT_EQ(it->size(), 1u);
  ++it;
  EXPECT_EQ(it, r->end());
  EXPECT_EQ(std::distance(r->begin(), r->end()), 2);
}

// ---- Accept ---------------------------------------------------------------

struct range_view {
  std::string type, subtype;
  std::optional<std::uint16_t> q;
  std::vector<std::string> params;
  bool operator==(const range_view&) const = default;
};

std::vector<range_view> ranges(std::string_view text) {
  std::vector<range_view> out;
  test::for_each_exact(text, [&](std::string_view v) {
    auto r = parse_accept(v);
    ASSERT_TRUE(r) << text << " @" << r.error().offset;
    for (const media_range& m : *r) {
      range_view rv{std::string(m.type), std::string(m.subtype), m.q, {}};
      for (const param& p : m.params)
        rv.params.emplace_back(std::string(p.name) + "=" + std::string(p.value));
      out.push_back(rv);
    }
    EXPECT_EQ(r->size(), out.size());
  });
  return out;
}

void expect_accept_error(std::string_view text, parse_errc code, std::size_t offset) {
  test::for_each_exact(text, [&](std::string_view v) {
    auto r = parse_accept(v);
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, code) << text;
    EXPECT_EQ(r.error().offset, offset) << text;
  });
}

TEST(accept, rfc3261_example_and_wildcards) {
  // RFC 3261 §20.1: Accept: application/sdp;level=1, application/x-private, text/html
  EXPECT_EQ(ranges("application/sdp;level=1, application/x-private, text/html"),
            (std::vector<range_view>{{"application", "sdp", {}, {"level=1"}},
                                     {"application", "x-private", {}, {}},
                                     {"text", "html", {}, {}}}));
  EXPECT_EQ(ranges("*/*;q=0.1, text/* ; q = 0.5 ;x=\"a,b\"\r\n , application/sdp;q=1.000"),
            (std::vector<range_view>{{"*", "*", 100, {"q=0.1"}},
                                     {"text", "*", 500, {"q=0.5", "x=\"a,b\""}},
                                     {"application", "sdp", 1000, {"q=1.000"}}}));
  EXPECT_EQ(ranges("text / plain"), (std::vector<range_view>{{"text", "plain", {}, {}}}));
}

TEST(accept, empty_accept_means_nothing_is_acceptable) {
  EXPECT_TRUE(ranges("").empty());
  EXPECT_TRUE(ranges("  ").empty());
  auto r = parse_accept("");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->begin(), r->end());
}

TEST(accept, matches_honours_wildcards_and_case) {
  auto all = parse_media_range("*/*");
  auto text = parse_media_range("Text/*");
  auto sdp = parse_media_range("application/SDP");
  ASSERT_TRUE(all && text && sdp);
  EXPECT_TRUE(all->matches("application", "sdp"));
  EXPECT_TRUE(text->matches("text", "html"));
  EXPECT_FALSE(text->matches("application", "text"));
  EXPECT_TRUE(sdp->matches("APPLICATION", "sdp"));
  EXPECT_FALSE(sdp->matches("application", "sdpx"));
}

TEST(accept, qvalue_grammar) {
  for (std::string_view ok : {"0", "0.", "0.5", "0.123", "1", "1.", "1.0", "1.000"}) {
    const std::string text = "a/b;q=" + std::string(ok);
    test::for_each_exact(text,
                         [&](std::string_view v) { EXPECT_TRUE(parse_media_range(v)) << text; });
  }
  for (std::string_view bad : {"2", "0.1234", "1.001", "1.5", ".5", "0.5x", "\"0.5\"", "-0"}) {
    const std::string text = "a/b;q=" + std::string(bad);
    test::for_each_exact(text, [&](std::string_view v) {
      auto r = parse_media_range(v);
      ASSERT_FALSE(r) << text;
      EXPECT_EQ(r.error().offset, 6u) << text;
    });
  }
  auto r = parse_media_range("a/b;q=0.25");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->q, 250);
}

TEST(accept, malformed_ranges_with_offsets) {
  //                   0123456789012345678901
  expect_accept_error("text", parse_errc::bad_header_value, 4);
  expect_accept_error("text/", parse_errc::bad_header_value, 5);
  expect_accept_error("/html", parse_errc::bad_header_value, 0);
  expect_accept_error("*/html", parse_errc::bad_header_value, 2);
  expect_accept_error("text/html x", parse_errc::bad_header_value, 10);
  expect_accept_error("text/html, ,a/b", parse_errc::bad_header_value, 11);
  expect_accept_error("a/b,", parse_errc::bad_header_value, 4);
  expect_accept_error("a/b, c/d;q", parse_errc::bad_param, 9);
  expect_accept_error("a/b, c/d;q=1;Q=1", parse_errc::bad_param, 13);
  expect_accept_error("a/b;x=\"open", parse_errc::bad_quoted_string, 6);
  expect_accept_error("a/b;=1", parse_errc::bad_param, 4);
  expect_accept_error("a/b;x=", parse_errc::bad_param, 6);
}

}  // namespace
}  // namespace sipua
