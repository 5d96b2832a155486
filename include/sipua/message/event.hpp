// Event and Subscription-State (RFC 6665 §7.2.1, §7.2.3, §8.2.1, §8.4).
// Views point into the text given to the parser.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "sipua/message/params.hpp"
#include "sipua/message/parse_result.hpp"

namespace sipua {

/// event-type = event-package *( "." event-template ), each part a
/// token-nodot (RFC 6665 §8.4): a token with no empty part between dots.
bool is_event_type(std::string_view text) noexcept;

/// Event / o value: event-type *( SEMI event-param ).
struct event {
  std::string_view type;               ///< event-type as written ("presence.winfo")
  std::string_view package;            ///< event-package ("presence")
  std::string_view templates;          ///< the templates after the first '.' ("winfo"), or empty
  std::optional<std::string_view> id;  ///< the id parameter (a token), if present
  param_list params;                   ///< every event-param as written, id included
};

/// Parses an Event value. Errors (offsets into `text`): bad_header_value
/// (no event-type, a malformed one such as "a..b" or ".x", text after the
/// parameters), bad_param (a malformed generic-param; id given twice, at the
/// second name, or without a token value), bad_quoted_string.
parse_result<event> parse_event(std::string_view text) noexcept;

/// RFC 6665 §8.2.1: two Event values match when their event-types are equal
/// byte by byte and both have no id or equal ids (byte by byte). Other
/// parameters do not count.
bool same_event(const event& a, const event& b) noexcept;

/// substate-value (RFC 6665 §8.4), matched case-insensitively (RFC 3261
/// §7.3.1: tokens are case-insensitive).
enum class substate : std::uint8_t { active, pending, terminated, extension };

/// event-reason-value (RFC 6665 §8.4), matched case-insensitively.
enum class event_reason : std::uint8_t {
  deactivated,
  probation,
  rejected,
  timeout,
  giveup,
  noresource,
  invariant,
  extension,
};

/// Subscription-State value: substate-value *( SEMI subexp-params ).
struct subscription_state {
  sipua::substate state = sipua::substate::extension;
  std::string_view state_name;               ///< as written
  std::optional<event_reason> reason;        ///< reason parameter, if present
  std::string_view reason_name;              ///< as written; empty when absent
  std::optional<std::uint32_t> expires;      ///< delta-seconds (saturating at 2**32-1)
  std::optional<std::uint32_t> retry_after;  ///< delta-seconds (saturating at 2**32-1)
  param_list params;                         ///< every parameter as written
};

/// Parses a Subscription-State value. Errors: bad_header_value (no
/// substate token, trailing text), bad_param (reason not a token, expires
/// or retry-after not digits, any of the three given twice at the second
/// name, a malformed generic-param), bad_quoted_string. Which parameters a
/// given state requires (RFC 6665 §4.1.3) is left to the subscription layer.
parse_result<subscription_state> parse_subscription_state(std::string_view text) noexcept;

}  // namespace sipua
