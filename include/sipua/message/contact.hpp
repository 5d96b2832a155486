// Contact (RFC 3261 §20.10): "*" or a list of name-addr/addr-spec with
// contact-params (q, expires, others).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "sipua/message/name_addr.hpp"
#include "sipua/message/parse_result.hpp"

namespace sipua {

struct contact {
  bool star = false;                   ///< "Contact: *" (only with Expires: 0, §10.2.2)
  name_addr addr;                      ///< when !star
  std::optional<std::uint32_t> expires;///< expires contact-param (delta-seconds, saturating at 2**32-1)
  std::optional<std::uint16_t> q;      ///< q contact-param in thousandths (0..1000)
};

/// Parses one element of a Contact value (split with comma_list), or "*".
/// Errors as parse_name_addr, plus bad_param for q/expires out of grammar.
parse_result<contact> parse_contact(std::string_view text) noexcept;

}  // namespace sipua
