// Zero-copy parameter lists (";name=value;flag" as in RFC 3261 §25.1
// generic-param and uri-parameter) and comma-separated header values.
//
// Both types only view text that a typed parser has already validated; they
// never allocate. Views stay valid as long as the message buffer does.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "sipua/message/detail/text_iterator.hpp"

namespace sipua {

struct param {
  std::string_view name;   ///< as written (compare case-insensitively)
  std::string_view value;  ///< as written, quotes included if quoted; empty if none
  bool has_value = false;  ///< "name=" was present

  /// value without surrounding quotes (escapes are left as written).
  [[nodiscard]] std::string_view unquoted() const noexcept {
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      return value.substr(1, value.size() - 2);
    return value;
  }
};

namespace detail {
/// param_list's Step (see text_iterator): one ";name[=value]".
class param_step : public text_cursor<param> {
 protected:
  void load() noexcept;
};
}  // namespace detail

/// A validated run of parameters, starting at its first ';' (or empty).
class param_list {
 public:
  param_list() = default;
  /// `raw` must be validated parameter text beginning with ';' (LWS may sit
  /// around ';' and '=' in header parameters, never in URI parameters).
  explicit param_list(std::string_view raw) noexcept : raw_(raw) {}

  /// Yields each parameter by value (a `param` viewing the text).
  using iterator = detail::text_iterator<detail::param_step>;

  [[nodiscard]] iterator begin() const noexcept { return {raw_, 0}; }
  [[nodiscard]] iterator end() const noexcept { return {raw_, raw_.size()}; }
  [[nodiscard]] bool empty() const noexcept { return raw_.empty(); }
  [[nodiscard]] std::string_view raw() const noexcept { return raw_; }

  /// The first parameter named `name` (case-insensitive), if any.
  [[nodiscard]] std::optional<param> find(std::string_view name) const noexcept;
  [[nodiscard]] bool contains(std::string_view name) const noexcept {
    return find(name).has_value();
  }

 private:
  std::string_view raw_;
};

namespace detail {
/// Validates generic-params (RFC 3261 §25.1: *( SEMI generic-param ),
/// generic-param = token [ EQUAL gen-value ], gen-value = token / host /
/// quoted-string) starting at s[i]. Stops at the first character that cannot
/// continue the list (',' or end, for instance) and returns its index, or
/// npos on a malformed parameter.
std::size_t scan_generic_params(std::string_view s, std::size_t i) noexcept;

/// Index of the next ',' at top level (outside quotes and <...>) at or after
/// i, or s.size(). npos if a quote or '<' is left open.
std::size_t find_list_comma(std::string_view s, std::size_t i) noexcept;

/// comma_list's Step (see text_iterator): one element up to the next
/// top-level comma, trimmed of LWS. The list ends at pos == size() + 1, so
/// that an empty or trailing element is still an element.
class comma_step : public text_cursor<std::string_view> {
 public:
  /// Offset of the current element within the header value.
  [[nodiscard]] std::size_t offset() const noexcept { return off_; }
  /// False when a quote or '<' was left open: the element runs to the end.
  [[nodiscard]] bool balanced() const noexcept { return balanced_; }

 protected:
  void load() noexcept;

 private:
  std::size_t off_ = 0;
  bool balanced_ = true;
};
}  // namespace detail

/// Iterates the comma-separated elements of a header value (Via, Contact,
/// Route, Allow ...), trimmed of LWS, ignoring commas inside quoted strings
/// and <...>. Empty elements are returned as empty views; the typed parsers
/// reject them where the grammar does.
class comma_list {
 public:
  explicit comma_list(std::string_view value) noexcept : v_(value) {}

  /// Yields each element by value (a view of the text). Besides the
  /// forward-iterator operations it has offset() (of the current element
  /// within the header value) and balanced() (false when a quote or '<' was
  /// left open: the element runs to the end); see detail::comma_step.
  using iterator = detail::text_iterator<detail::comma_step>;

  [[nodiscard]] iterator begin() const noexcept { return {v_, 0}; }
  [[nodiscard]] iterator end() const noexcept { return {v_, v_.size() + 1}; }

 private:
  std::string_view v_;
};

}  // namespace sipua
