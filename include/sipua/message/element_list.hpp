// A validated comma-separated header value whose elements are parsed on
// iteration: Accept (media ranges), Reason, Warning ... Nothing allocates:
// the list keeps a view of the value and re-parses each element (already
// validated, so it cannot fail) as the iterator reaches it.
#pragma once

#include <cstddef>
#include <iterator>
#include <string_view>

#include "sipua/message/detail/chars.hpp"
#include "sipua/message/params.hpp"
#include "sipua/message/parse_result.hpp"

namespace sipua {

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

  class iterator {
   public:
    // operator* returns by value (no reference into the iterator can
    // dangle): a C++20 forward iterator, a legacy input iterator.
    using iterator_concept = std::forward_iterator_tag;
    using iterator_category = std::input_iterator_tag;
    using value_type = T;
    using difference_type = std::ptrdiff_t;
    using pointer = const T*;
    using reference = T;

    iterator() = default;
    iterator(comma_list::iterator it, comma_list::iterator end) noexcept : it_(it), end_(end) {
      load();
    }
    value_type operator*() const noexcept { return cur_; }
    pointer operator->() const noexcept { return &cur_; }
    iterator& operator++() noexcept {
      ++it_;
      load();
      return *this;
    }
    iterator operator++(int) noexcept {
      auto t = *this;
      ++*this;
      return t;
    }
    friend bool operator==(const iterator& a, const iterator& b) noexcept { return a.it_ == b.it_; }
    /// Offset of the current element within the list's raw() text.
    [[nodiscard]] std::size_t offset() const noexcept { return it_.offset(); }

   private:
    void load() noexcept {
      if (it_ == end_) return;
      auto r = Parse(*it_);
      if (r) cur_ = *r;  // always true: the list was validated
    }
    comma_list::iterator it_, end_;
    T cur_{};
  };

  [[nodiscard]] iterator begin() const noexcept {
    const comma_list l{raw_};
    return raw_.empty() ? iterator{l.end(), l.end()} : iterator{l.begin(), l.end()};
  }
  [[nodiscard]] iterator end() const noexcept {
    const comma_list l{raw_};
    return {l.end(), l.end()};
  }
  /// Number of elements.
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  /// The value trimmed of LWS; views the parsed text.
  [[nodiscard]] std::string_view raw() const noexcept { return raw_; }

 private:
  std::string_view raw_;
  std::size_t size_ = 0;
};

}  // namespace sipua
