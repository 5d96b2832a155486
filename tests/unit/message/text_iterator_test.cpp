// The iterator contract shared by every list view (detail::text_iterator):
// param_list, comma_list, auth_params, uri_words, token_list and
// element_list (accept_list, reason_list).
#include "sipua/message/detail/text_iterator.hpp"

#include <gtest/gtest.h>

#include <iterator>
#include <string>
#include <type_traits>
#include <vector>

#include "support/split.hpp"

#include "sipua/message/auth.hpp"
#include "sipua/message/params.hpp"
#include "sipua/message/reason.hpp"
#include "sipua/message/token_list.hpp"

namespace sipua {
namespace {

// Every iterator is a C++20 forward iterator whose operator* returns the
// element by value (nothing can refer into a temporary iterator).
template <class It>
constexpr bool by_value_forward =
    std::forward_iterator<It>&& std::is_same_v<std::iter_reference_t<It>, std::iter_value_t<It>>;

static_assert(by_value_forward<param_list::iterator>);
static_assert(by_value_forward<comma_list::iterator>);
static_assert(by_value_forward<auth_params::iterator>);
static_assert(by_value_forward<uri_words::iterator>);
static_assert(by_value_forward<token_list::iterator>);
static_assert(by_value_forward<accept_list::iterator>);
static_assert(by_value_forward<reason_list::iterator>);

// A Step without state is an empty base: the iterator is no bigger than
// text, pos, next and the current element.
template <class Value>
constexpr std::size_t plain_size = sizeof(std::string_view) + 2 * sizeof(std::size_t) +
                                   sizeof(Value);
static_assert(sizeof(param_list::iterator) == plain_size<param>);
static_assert(sizeof(auth_params::iterator) == plain_size<param>);
static_assert(sizeof(uri_words::iterator) == plain_size<std::string_view>);
static_assert(sizeof(token_list::iterator) == plain_size<std::string_view>);

std::string show(const param& p) {
  std::string s{p.name};
  if (p.has_value) s.append("=").append(p.value);
  return s;
}
std::string show(std::string_view v) { return std::string{v}; }
std::string show(const media_range& m) { return std::string{m.type}.append("/").append(m.subtype); }
std::string show(const reason& r) { return std::string{r.protocol}; }

using strings = std::vector<std::string>;

// Checks `list` yields `expected` through range-for, prefix ++ and postfix
// ++, that copies of an iterator advance independently, and that every
// element views `text`.
template <class List>
void check_walk(const List& list, std::string_view text, const strings& expected) {
  strings got;
  for (const auto& e : list) got.push_back(show(e));
  EXPECT_EQ(got, expected) << text;
  EXPECT_EQ(std::distance(list.begin(), list.end()), static_cast<std::ptrdiff_t>(expected.size()));

  got.clear();
  for (auto it = list.begin(); it != list.end();) {
    auto old = it++;  // postfix: yields the old position, moves this one
    got.push_back(show(*old));
    EXPECT_NE(old, it);
    auto again = old;
    EXPECT_EQ(++again, it);  // prefix from the same place lands there too
  }
  EXPECT_EQ(got, expected) << text;

  if (expected.size() < 2) return;
  auto a = list.begin();
  const auto b = a;  // a copy ...
  ++a;
  EXPECT_EQ(show(*b), expected[0]);  // ... stays where it was
  EXPECT_EQ(show(*a), expected[1]);
  EXPECT_NE(a, b);
  auto c = b;
  EXPECT_EQ(++c, a);
}

bool inside(std::string_view part, std::string_view text) {
  return part.empty() ||
         (part.data() >= text.data() && part.data() + part.size() <= text.data() + text.size());
}

// A copy of `v`, as a prvalue: iterating it iterates a temporary view.
template <class T>
T temporary(const T& v) {
  return v;
}

TEST(text_iterator, param_list) {
  test::for_each_exact(";transport=tcp;lr;x=\"a;b\"", [](std::string_view v) {
    check_walk(param_list{v}, v, strings{"transport=tcp", "lr", "x=\"a;b\""});
    for (const param& p : temporary(param_list{v})) {
      EXPECT_TRUE(inside(p.name, v));
      EXPECT_TRUE(inside(p.value, v));
    }
    // Bound to the element itself, not to a reference into the temporary
    // iterator (ASan reports stack-use-after-scope if that ever comes back).
    const param& first = *param_list{v}.begin();
    EXPECT_EQ(first.name, "transport");
    EXPECT_EQ(first.value, "tcp");
    EXPECT_EQ(param_list{v}.begin()->name, "transport");
  });
  test::for_each_exact(
      "", [](std::string_view v) { EXPECT_EQ(param_list{v}.begin(), param_list{v}.end()); });
  EXPECT_EQ(param_list{}.begin(), param_list{}.end());
}

TEST(text_iterator, comma_list) {
  test::for_each_exact("<sip:a@b>;q=1 , \"x, y\" <sip:c@d>,,e", [](std::string_view v) {
    check_walk(comma_list{v}, v, strings{"<sip:a@b>;q=1", "\"x, y\" <sip:c@d>", "", "e"});
    std::vector<std::size_t> offsets;
    const comma_list list{v};
    for (auto it = list.begin(); it != list.end(); ++it) {
      EXPECT_TRUE(it.balanced());
      offsets.push_back(it.offset());
    }
    EXPECT_EQ(offsets, (std::vector<std::size_t>{0, 16, 33, 34}));
    for (std::string_view e : temporary(comma_list{v})) EXPECT_TRUE(inside(e, v));
    const std::string_view& first = *comma_list{v}.begin();
    EXPECT_EQ(first, "<sip:a@b>;q=1");
  });
  // An empty value is one empty element (the typed parsers reject it).
  test::for_each_exact("", [](std::string_view v) {
    const comma_list list{v};
    auto it = list.begin();
    ASSERT_NE(it, list.end());
    EXPECT_EQ(*it, "");
    EXPECT_EQ(++it, list.end());
  });
  // An open quote runs to the end and says so.
  test::for_each_exact("a, \"b,c", [](std::string_view v) {
    const comma_list list{v};
    auto it = list.begin();
    EXPECT_TRUE(it.balanced());
    ++it;
    EXPECT_FALSE(it.balanced());
    EXPECT_EQ(*it, "\"b,c");
    EXPECT_EQ(it.offset(), 3u);
    EXPECT_EQ(++it, list.end());
  });
}

TEST(text_iterator, auth_params) {
  test::for_each_exact("Digest realm=\"a.com\", nonce=\"n\",algorithm=MD5", [](std::string_view v) {
    auto r = parse_challenge(v);
    ASSERT_TRUE(r);
    check_walk(r->params, v, strings{"realm=\"a.com\"", "nonce=\"n\"", "algorithm=MD5"});
    for (const param& p : temporary(r->params)) EXPECT_TRUE(inside(p.value, v));
    const param& first = *temporary(r->params).begin();
    EXPECT_EQ(first.name, "realm");
  });
  EXPECT_EQ(auth_params{}.begin(), auth_params{}.end());
}

TEST(text_iterator, uri_words) {
  test::for_each_exact(" sip:a.com  sips:b.com sip:c ", [](std::string_view v) {
    check_walk(uri_words{v}, v, strings{"sip:a.com", "sips:b.com", "sip:c"});
    for (std::string_view w : temporary(uri_words{v})) EXPECT_TRUE(inside(w, v));
  });
  test::for_each_exact(
      "", [](std::string_view v) { EXPECT_EQ(uri_words{v}.begin(), uri_words{v}.end()); });
  test::for_each_exact(
      "   ", [](std::string_view v) { EXPECT_EQ(uri_words{v}.begin(), uri_words{v}.end()); });
}

TEST(text_iterator, token_list) {
  test::for_each_exact(" 100rel , timer,path ", [](std::string_view v) {
    auto r = parse_supported(v);
    ASSERT_TRUE(r);
    check_walk(*r, v, strings{"100rel", "timer", "path"});
    for (std::string_view t : temporary(*r)) EXPECT_TRUE(inside(t, v));
    const std::string_view& first = *temporary(*r).begin();
    EXPECT_EQ(first, "100rel");
  });
  test::for_each_exact(" ", [](std::string_view v) {
    auto r = parse_supported(v);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->begin(), r->end());
  });
  EXPECT_EQ(token_list{}.begin(), token_list{}.end());
}

TEST(text_iterator, element_list) {
  test::for_each_exact("application/sdp;level=1 , text/*;q=0.5,*/*", [](std::string_view v) {
    auto r = parse_accept(v);
    ASSERT_TRUE(r);
    check_walk(*r, v, strings{"application/sdp", "text/*", "*/*"});
    std::vector<std::size_t> offsets;
    for (auto it = r->begin(); it != r->end(); ++it) offsets.push_back(it.offset());
    EXPECT_EQ(offsets, (std::vector<std::size_t>{0, 26, 39}));
    for (const media_range& m : temporary(*r)) {
      EXPECT_TRUE(inside(m.subtype, v));
      for (const param& p : m.params) EXPECT_TRUE(inside(p.value, v));
    }
    const media_range& first = *temporary(*r).begin();
    EXPECT_EQ(first.subtype, "sdp");
  });
  test::for_each_exact("  ", [](std::string_view v) {
    auto r = parse_accept(v);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->begin(), r->end());
  });
  EXPECT_EQ(accept_list{}.begin(), accept_list{}.end());
  test::for_each_exact("SIP;cause=200, Q.850;cause=16", [](std::string_view v) {
    auto r = parse_reasons(v);
    ASSERT_TRUE(r);
    check_walk(*r, v, strings{"SIP", "Q.850"});
  });
}

TEST(text_iterator, value_initialized_iterators_compare_equal) {
  EXPECT_EQ(param_list::iterator{}, param_list::iterator{});
  EXPECT_EQ(comma_list::iterator{}, comma_list::iterator{});
  EXPECT_EQ(auth_params::iterator{}, auth_params::iterator{});
  EXPECT_EQ(uri_words::iterator{}, uri_words::iterator{});
  EXPECT_EQ(token_list::iterator{}, token_list::iterator{});
  EXPECT_EQ(accept_list::iterator{}, accept_list::iterator{});
}

}  // namespace
}  // namespace sipua
