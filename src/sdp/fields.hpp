// Parsers for the value of one SDP line each (RFC 8866 §5.x), shared by the
// body parser. Each takes the value as a view into the body and reports
// errors at the offset of the offending field inside `body`.
#pragma once

#include <string_view>

#include "sipua/sdp/session.hpp"

namespace sipua::sdp::detail {

/// Offset of view `v` (which lies inside `body`) from the start of `body`.
inline std::size_t offset_in(std::string_view body, std::string_view v) noexcept {
  return static_cast<std::size_t>(v.data() - body.data());
}

sdp_result<origin> parse_origin_value(std::string_view body, std::string_view value);
sdp_result<connection> parse_connection_value(std::string_view body, std::string_view value);
sdp_result<bandwidth> parse_bandwidth_value(std::string_view body, std::string_view value);
sdp_result<timing> parse_timing_value(std::string_view body, std::string_view value);
sdp_result<attribute> parse_attribute_value(std::string_view body, std::string_view value);
sdp_result<media_description> parse_media_value(std::string_view body, std::string_view value,
                                                std::size_t max_formats);

}  // namespace sipua::sdp::detail
