// A validated comma-separated header value whose elements are parsed on
// iteration: Accept (media ranges), Reason, Warning ... Nothing allocates:
// the list keeps a view of the value and re-parses each element (already
// validated, so it cannot fail) as the iterator reaches it.
#pragma once

#include <cstddef>
#include <string_view>

#include "sipua/message/detail/chars.hpp"
#include "sipua/message/detail/text_iterator.hpp"
#include "sipua/message/params.hpp"
#include "sipua/message/parse_result.hpp"

namespace sipua {

namespace detail {
/// element_list's Step (see text_iterator): comma_list's element (cur_),
/// parsed into a T. Ends where comma_list does, at pos_ == size() + 1.
/// Inherits offset() (and balanced(), always true on a validated list).
template <class T, parse_result<T> (*Parse)(std::string_view) noexcept>
class element_step : public comma_step {
 public:
  using value_type = T;

 protected:
  [[nodiscard]] const T& current() const noexcept { return element_; }
  void load() noexcept {
    if (pos_ > raw_.size()) return;
    comma_step::load();
    auto r = Parse(cur_);
    if (r) element_ = *r;  // always true: the list was validated
  }

 private:
  T element_{};
};
}  // namespace detail

/// `Parse` parses one element (the text between two top-level commas,
/// trimmed of LWS) into a T.
template <class T, parse_result<T> (*Parse)(std::string_view) noexcept>
class element_list {
 public:
  element_list() = default;

  /// Validates `value` as `element *(COMMA element)` (COMMA = SWS "," SWS).
  /// When `allow_empty` is set, a value that is empty or only LWS is a list
  /// of no elements (Accept, RFC 3261 §20.1). Errors: bad_header_value at
  /// an empty element (",," or a leading/trailing comma), or at
  /// value.size() for an empty value that is not allowed; otherwise the
  /// element's own
  /// error, its offset moved to be relative to `value`.
  static parse_result<element_list> parse(std::string_view value, bool allow_empty) noexcept {
    element_list out;
    out.raw_ = detail::trim_lws(value);
    if (out.raw_.empty()) {
      if (allow_empty) return out;
      return parse_failure(parse_errc::bad_header_value, value.size());
    }
    const comma_list list{value};
    for (auto it = list.begin(); it != list.end(); ++it) {
      if (it->empty()) return parse_failure(parse_errc::bad_header_value, it.offset());
      auto r = Parse(*it);
      if (!r) {
        parse_error e = r.error();
        return parse_failure(e.code, it.offset() + e.offset);
      }
      ++out.size_;
    }
    return out;
  }

  /// Yields each element, parsed, by value. Besides the forward-iterator
  /// operations it has offset(): of the current element within raw().
  using iterator = detail::text_iterator<detail::element_step<T, Parse>>;

  [[nodiscard]] iterator begin() const noexcept { return {raw_, raw_.empty() ? end_pos() : 0}; }
  [[nodiscard]] iterator end() const noexcept { return {raw_, end_pos()}; }
  /// Number of elements.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  /// The value trimmed of LWS; views the parsed text.
  [[nodiscard]] std::string_view raw() const noexcept { return raw_; }

 private:
  // Where comma_list ends (size() + 1); begin() starts there when raw_ is
  // empty, where comma_list would give one empty element.
  [[nodiscard]] std::size_t end_pos() const noexcept { return raw_.size() + 1; }

  std::string_view raw_;
  std::size_t size_ = 0;
};

}  // namespace sipua
