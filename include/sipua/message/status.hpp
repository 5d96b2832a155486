// SIP status codes: the reason phrases of RFC 3261 §21 and extensions.
#pragma once

#include <string_view>

namespace sipua {

/// The reason phrase RFC 3261 §21 gives for `status` (and a few extension
/// codes: 202, 422, 429, 430, 439, 440, 469, 489); empty for other codes.
/// The view is static.
std::string_view default_reason(int status) noexcept;

}  // namespace sipua
