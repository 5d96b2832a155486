// Errors of the SDP layer: the codes, their category ("sipua.sdp"), and the
// sdp_error record saying what went wrong and where.
#pragma once

#include <cstddef>
#include <string_view>
#include <system_error>

#include "sipua/result.hpp"

namespace sipua::sdp {

/// Every way the SDP layer can reject its input or a request. Values are stable.
enum class sdp_errc {
  ok = 0,
  // Framing and limits (RFC 8866 §5).
  empty = 1,         ///< no line at all
  too_large,         ///< body over sdp_limits::max_size
  too_many_lines,    ///< over sdp_limits::max_lines
  too_many_media,    ///< over sdp_limits::max_media
  too_many_formats,  ///< an m= line with more formats than sdp_limits::max_formats
  bad_line,          ///< not "<letter>=<value>", an empty line, or a NUL / lone CR
  unknown_type,      ///< a type letter RFC 8866 does not define (§5: reject)
  unexpected_line,   ///< a line out of the §5 order, or repeated where only one is allowed
  // Required lines (§5).
  missing_version,  ///< the first line is not v=
  missing_origin,   ///< no o= after v=
  missing_name,     ///< no s= after o=
  missing_timing,   ///< no t= line in the session section
  // Field grammar (§5.x, §9).
  bad_version,     ///< v= is not 0
  bad_origin,      ///< o= is not six fields, or sess-id / sess-version not 64-bit numbers
  bad_connection,  ///< c= is not "nettype SP addrtype SP address"
  bad_bandwidth,   ///< b= is not "bwtype:number"
  bad_timing,      ///< t= is not two 64-bit numbers
  bad_media,       ///< m= does not match media SP port[/n] SP proto 1*(SP fmt)
  bad_attribute,   ///< a= name is not a token
  // Typed attribute helpers.
  bad_rtpmap,  ///< a=rtpmap value does not match RFC 8866 §6.6
  bad_fmtp,    ///< a=fmtp value does not match §6.15
  bad_ptime,   ///< a=ptime value is not a number
  // Building.
  bad_field,  ///< a model field cannot be written (CR, LF, NUL, space in a token, empty token)
  // Offer/answer (RFC 3264, RFC 6337).
  glare,                ///< remote offer while our offer is pending: answer 491 (RFC 3261 §14.2)
  offer_pending,        ///< remote offer while theirs is unanswered: 500 + Retry-After
  local_offer_pending,  ///< local offer while ours is pending (misuse)
  remote_offer_unanswered,  ///< local offer while a remote offer awaits our answer (misuse)
  no_offer,                 ///< an answer with no offer outstanding
  media_count_mismatch,     ///< answer m-line count differs from the offer (RFC 3264 §6)
  media_removed,            ///< a new offer has fewer m-lines than before (RFC 3264 §8)
  origin_changed,           ///< o= fields other than sess-version changed (RFC 3264 §8)
  version_not_incremented,  ///< changed session with the same or lower version (RFC 3264 §8)
};

const std::error_category& sdp_category() noexcept;

inline std::error_code make_error_code(sdp_errc e) noexcept {
  return {static_cast<int>(e), sdp_category()};
}

/// What went wrong and where.
struct sdp_error {
  sdp_errc code = sdp_errc::ok;
  /// Byte offset from the start of the text the failing function was given
  /// (the body for parse_session, the attribute value for the typed
  /// helpers); 0 for errors that concern no byte (offer/answer, building).
  std::size_t offset = 0;

  [[nodiscard]] std::error_code error_code() const noexcept { return make_error_code(code); }
  explicit operator bool() const noexcept { return code != sdp_errc::ok; }
  friend bool operator==(const sdp_error&, const sdp_error&) = default;
};

template <class T>
using sdp_result = result<T, sdp_error>;

inline unexpected<sdp_error> sdp_failure(sdp_errc code, std::size_t offset = 0) noexcept {
  return unexpected<sdp_error>{sdp_error{code, offset}};
}

}  // namespace sipua::sdp

template <>
struct std::is_error_code_enum<sipua::sdp::sdp_errc> : std::true_type {};
