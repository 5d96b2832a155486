#pragma once

#include "sipua/message/error.hpp"
#include "sipua/result.hpp"

namespace sipua {
/// What every typed parser returns: the view, or where and why it failed.
/// Offsets in the error are relative to the text the parser was given.
template <class T>
using parse_result = result<T, parse_error>;

/// Shorthand for building an error record.
inline parse_error make_parse_error(parse_errc code, std::size_t offset) noexcept {
  return parse_error{code, offset, {}, default_status(code)};
}

/// Shorthand for building an error result.
inline unexpected<parse_error> parse_failure(parse_errc code, std::size_t offset) noexcept {
  return unexpected<parse_error>{parse_error{code, offset, {}, default_status(code)}};
}
}  // namespace sipua
