// CSeq (RFC 3261 §20.16): sequence number and method.
#pragma once

#include <cstdint>
#include <string_view>

#include "sipua/message/method.hpp"
#include "sipua/message/parse_result.hpp"

namespace sipua {

struct cseq {
  std::uint32_t number = 0;      ///< any 32-bit value (senders keep it < 2**31, RFC 3261 §8.1.1.5)
  std::string_view method_name;  ///< as written
  sipua::method method = sipua::method::extension;
};

/// Parses "1*DIGIT LWS Method". Errors: bad_number (not digits, or over
/// 2**32-1, RFC 4475 §3.1.2.4), bad_header_value (method not a token,
/// trailing text).
parse_result<cseq> parse_cseq(std::string_view text) noexcept;

}  // namespace sipua
