// Test helpers for the typed header parsers: run a parser on an exact-size
// copy of its input and check the error code and offset, or that a view
// lies inside the input buffer.
#pragma once

#include <gtest/gtest.h>

#include <ostream>
#include <string_view>

#include "support/split.hpp"

#include "sipua/message/error.hpp"

namespace sipua {

// Lets GoogleTest print a parse_errc by name-ish value in failure messages.
inline void PrintTo(parse_errc e, std::ostream* os) {
  *os << "parse_errc(" << static_cast<int>(e) << ": " << make_error_code(e).message() << ")";
}

namespace test {

/// True if `v` lies inside `buf` (a zero-copy view of it).
inline bool within(std::string_view buf, std::string_view v) {
  return v.data() >= buf.data() && v.data() + v.size() <= buf.data() + buf.size();
}

/// Runs `parse` on an exact-size copy of `text`; expects failure with `code`
/// at `offset`.
template <class Parse>
void expect_error(Parse&& parse, std::string_view text, parse_errc code, std::size_t offset) {
  SCOPED_TRACE(::testing::Message() << "input: \"" << text << "\"");
  for_each_exact(text, [&](std::string_view in) {
    const auto r = parse(in);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, code);
    EXPECT_EQ(r.error().offset, offset);
  });
}

/// Runs `parse` on an exact-size copy of `text`; expects success and calls
/// check(value, buffer) while the buffer is alive.
template <class Parse, class Check>
void expect_ok(Parse&& parse, std::string_view text, Check&& check) {
  SCOPED_TRACE(::testing::Message() << "input: \"" << text << "\"");
  for_each_exact(text, [&](std::string_view in) {
    const auto r = parse(in);
    ASSERT_TRUE(r.has_value()) << "error " << static_cast<int>(r.error().code) << " at "
                               << r.error().offset;
    check(*r, in);
  });
}

}  // namespace test
}  // namespace sipua
