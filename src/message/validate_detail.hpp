// Internals shared by validate.cpp and uas_check.cpp.
#pragma once

#include <cstddef>
#include <string_view>

#include "sipua/message/message.hpp"

namespace sipua::detail {

/// Checks a Date value against SIP-date (RFC 3261 §20.17, §25.1):
///   rfc1123-date = wkday "," SP date1 SP time SP "GMT"
///   date1 = 2DIGIT SP month SP 4DIGIT, time = 2DIGIT ":" 2DIGIT ":" 2DIGIT
/// Day and month names match case-insensitively (RFC 2234 §2.3: ABNF
/// strings are case-insensitive). Returns npos when it matches, else the
/// offset of the first character that does not fit (RFC 4475 §3.1.2.12
/// baddate: the "EST" of "... 16:00:00 EST").
std::size_t check_sip_date(std::string_view value) noexcept;

}  // namespace sipua::detail
