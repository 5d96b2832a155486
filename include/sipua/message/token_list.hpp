// Token-list headers and Accept:
// - Require, Proxy-Require, Unsupported: option-tag *(COMMA option-tag)
//   (RFC 3261 §20.32, §20.29, §20.40, §25.1);
// - Supported / k: [option-tag *(COMMA option-tag)] (§20.37);
// - Allow: [Method *(COMMA Method)] (§20.5);
// - Allow-Events / u: event-type *(COMMA event-type) (RFC 6665 §8.4);
// - Accept: [accept-range *(COMMA accept-range)] (§20.1, §25.1).
//
// Case rules. RFC 3261 §19.2 defines option-tag = token, and §7.3.1 says
// "Tokens are always case-insensitive", so option tags compare
// case-insensitively ("100REL" is "100rel"). Methods are case-sensitive
// (§7.1 / §25.1: INVITEm is %x49.4E.56.49.54.45), and RFC 6665 §8.2.1
// compares event-types byte by byte, so Allow and Allow-Events lists
// compare exactly. Media types compare case-insensitively (RFC 2045 §5.1).
//
// Views point into the text given to the parser.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string_view>

#include "sipua/message/detail/text_iterator.hpp"
#include "sipua/message/element_list.hpp"
#include "sipua/message/params.hpp"
#include "sipua/message/parse_result.hpp"

namespace sipua {

/// How token_list::contains compares.
enum class token_match : std::uint8_t { case_insensitive, case_sensitive };

namespace detail {
/// token_list's Step (see text_iterator): one token after an optional COMMA.
class token_step : public text_cursor<std::string_view> {
 protected:
  void load() noexcept;
};
}  // namespace detail

/// A validated comma-separated list of tokens, iterated in order.
class token_list {
 public:
  token_list() = default;
  /// `raw` must be a validated `token *(COMMA token)` trimmed of LWS, or
  /// empty; `count` the number of tokens in it.
  token_list(std::string_view raw, std::size_t count, token_match match) noexcept
      : raw_(raw), size_(count), match_(match) {}

  /// Yields each token by value (a view of the text).
  using iterator = detail::text_iterator<detail::token_step>;

  [[nodiscard]] iterator begin() const noexcept { return {raw_, 0}; }
  [[nodiscard]] iterator end() const noexcept { return {raw_, raw_.size()}; }
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  /// The value trimmed of LWS.
  [[nodiscard]] std::string_view raw() const noexcept { return raw_; }
  [[nodiscard]] token_match match() const noexcept { return match_; }
  /// True when a token of the list equals `token` under match().
  [[nodiscard]] bool contains(std::string_view token) const noexcept;

 private:
  std::string_view raw_;
  std::size_t size_ = 0;
  token_match match_ = token_match::case_insensitive;
};

/// Require, Proxy-Require, Unsupported: one or more option-tags,
/// case-insensitive. Errors: bad_header_value at the first character that
/// is not a token where one is expected (empty value, empty element ",,",
/// trailing comma) or is neither LWS nor ',' after a token.
parse_result<token_list> parse_option_tags(std::string_view text) noexcept;

/// Supported / k: zero or more option-tags, case-insensitive. Errors as
/// parse_option_tags, except that an empty (or all-LWS) value is an empty
/// list.
parse_result<token_list> parse_supported(std::string_view text) noexcept;

/// Allow: zero or more methods, case-sensitive. Errors as parse_supported.
parse_result<token_list> parse_allow(std::string_view text) noexcept;

/// Allow-Events / u: one or more event-types, case-sensitive. Errors as
/// parse_option_tags, and bad_header_value at a token that is not an
/// event-type ("a..b").
parse_result<token_list> parse_allow_events(std::string_view text) noexcept;

/// One accept-range: media-range *(SEMI accept-param).
struct media_range {
  std::string_view type;     ///< m-type as written; "*" in "*/*"
  std::string_view subtype;  ///< m-subtype as written; "*" in "*/*" and "type/*"
  /// m-parameters and accept-params in order, as written, starting at the
  /// first ';' (q included; its value is also in `q`).
  param_list params;
  std::optional<std::uint16_t> q;  ///< qvalue in thousandths, 0..1000

  /// True when this range covers type/subtype (case-insensitive, with the
  /// "*" wildcards of RFC 3261 §25.1 / RFC 2616 §14.1).
  [[nodiscard]] bool matches(std::string_view type, std::string_view subtype) const noexcept;
};

/// Parses one accept-range. "*/subtype" is rejected: the grammar's
/// wildcards are "*/*" and "type/*" only. Errors: bad_header_value (type
/// or subtype not a token, missing '/', "*/x", trailing text), bad_param (a
/// malformed parameter; q not a qvalue, without a value, or given twice at
/// the second name), bad_quoted_string.
parse_result<media_range> parse_media_range(std::string_view text) noexcept;

using accept_list = element_list<media_range, parse_media_range>;

/// Accept: zero or more accept-ranges (an empty Accept means "nothing is
/// acceptable", RFC 3261 §20.1). Errors: those of element_list::parse with
/// parse_media_range, offsets relative to `text`.
parse_result<accept_list> parse_accept(std::string_view text) noexcept;

}  // namespace sipua
