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
  bool star = false;  ///< "Contact: *" (only with Expires: 0, §10.2.2)
  name_addr addr;     ///< when !star
  std::optional<std::uint32_t>
      expires;                     ///< expires contact-param (delta-seconds, saturating at 2**32-1)
  std::optional<std::uint16_t> q;  ///< q contact-param in thousandths (0..1000)
};

/// Parses one element of a Contact value (split with comma_list), or "*"
/// (STAR = SWS "*" SWS; a '*' followed by more text is a token display name).
/// q = qvalue ("0" [ "." 0*3DIGIT ] / "1" [ "." 0*3("0") ]) in thousandths;
/// expires = delta-seconds, saturating at 2**32-1 (RFC 3261 §10.2.1.1,
/// RFC 4475 scalar02). When q or expires appears twice, both are checked and
/// the first fills the field. Errors as parse_name_addr, plus bad_param
/// (offset of the value, or of the name if it has none) for q or expires
/// without a value or out of their grammar. Views point into `text`.
parse_result<contact> parse_contact(std::string_view text) noexcept;

}  // namespace sipua
