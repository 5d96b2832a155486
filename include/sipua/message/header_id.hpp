// Known SIP header names, their compact forms, and the lookup from a field
// name (any case) to its id. Unknown names map to header_id::unknown and the
// field is kept verbatim.
#pragma once

#include <cstdint>
#include <string_view>

namespace sipua {

enum class header_id : std::uint8_t {
  unknown = 0,
  // The headers a UA reads on almost every message come first.
  via,
  from,
  to,
  call_id,
  cseq,
  contact,
  max_forwards,
  content_length,
  content_type,
  route,
  record_route,
  expires,
  // Everything else, alphabetically.
  accept,
  accept_contact,
  accept_encoding,
  accept_language,
  alert_info,
  allow,
  allow_events,
  authentication_info,
  authorization,
  call_info,
  content_disposition,
  content_encoding,
  content_language,
  date,
  error_info,
  event,
  identity,
  in_reply_to,
  min_expires,
  min_se,
  mime_version,
  organization,
  p_asserted_identity,
  p_preferred_identity,
  path,
  priority,
  privacy,
  proxy_authenticate,
  proxy_authorization,
  proxy_require,
  rack,
  reason,
  refer_to,
  referred_by,
  reject_contact,
  replaces,
  reply_to,
  request_disposition,
  require,
  retry_after,
  rseq,
  server,
  service_route,
  session_expires,
  subject,
  subscription_state,
  supported,
  timestamp,
  unsupported,
  user_agent,
  warning,
  www_authenticate,
  count_  ///< number of ids; not a header
};

inline constexpr std::size_t header_id_count = static_cast<std::size_t>(header_id::count_);

/// Maps a field name (long or compact form, any case) to its id.
/// `name` must be a token (RFC 3261 §25.1); other input yields unknown.
header_id lookup_header(std::string_view name) noexcept;

/// The canonical long name ("Call-ID", "CSeq", "WWW-Authenticate" ...);
/// empty for unknown. The view is static.
std::string_view header_name(header_id id) noexcept;

/// The compact form (RFC 3261 §7.3.3 and the extensions' tables), or '\0'.
char compact_form(header_id id) noexcept;

}  // namespace sipua
