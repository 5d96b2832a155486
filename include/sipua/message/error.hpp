// Errors of the message layer: the error codes, their category
// ("sipua.parse"), and the parse_error record that says what went wrong,
// where, and which status a UAS should answer with.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <system_error>

namespace sipua {

/// Every way the message layer can reject its input. Values are stable.
enum class parse_errc {
  ok = 0,
  // Framing and size limits (each limit has its own code).
  empty_message = 1,       ///< no start line at all
  message_too_large,       ///< over limits::max_message_size (513)
  too_many_headers,        ///< over limits::max_headers (513)
  line_too_long,           ///< a start line or header field over limits::max_line_length (513)
  body_too_large,          ///< Content-Length over limits::max_body_size (413)
  incomplete_headers,      ///< no empty line ends the header section
  bare_lf,                 ///< a line ends in LF without CR (allow_bare_lf not set)
  body_truncated,          ///< Content-Length larger than the bytes present (RFC 3261 §18.3)
  missing_content_length,  ///< stream transports require Content-Length (§18.3)
  // Start line.
  bad_request_line,  ///< Request-Line does not match §25.1 (method SP URI SP version)
  bad_method,        ///< method is not a token
  bad_request_uri,   ///< Request-URI is empty, has LWS, or is not an absolute URI
  bad_version,       ///< SIP-Version is not "SIP/" 1*DIGIT "." 1*DIGIT
  bad_status_line,   ///< Status-Line does not match §25.1
  bad_status_code,   ///< Status-Code is not 3 digits in 100..699
  // Header section.
  bad_header_name,             ///< field name is not a token
  missing_colon,               ///< a header line without ':'
  bad_continuation,            ///< a folded line with no header before it
  bad_header_value,            ///< a typed header value does not match its grammar
  bad_content_length,          ///< Content-Length not a non-negative 32-bit number
  conflicting_content_length,  ///< Content-Length given twice with different values
  // Typed values.
  bad_uri,            ///< URI grammar (§19.1, RFC 3966)
  bad_number,         ///< a numeric field is not digits or overflows its range
  bad_quoted_string,  ///< unterminated quoted string or bad quoted-pair
  bad_param,          ///< a ;name=value parameter does not match its grammar
  missing_header,     ///< a required header is absent
  // Stream framer.
  framer_overflow,           ///< header section + body over framer_limits::max_buffered (513)
  header_section_too_large,  ///< header section over framer_limits::max_header_size (513)
  bare_cr,                   ///< a CR not followed by LF between stream messages (RFC 3261 §7.5)
};

const std::error_category& parse_category() noexcept;

inline std::error_code make_error_code(parse_errc e) noexcept {
  return {static_cast<int>(e), parse_category()};
}

/// What went wrong, where, and what to answer.
struct parse_error {
  parse_errc code = parse_errc::ok;
  /// Byte offset from the start of the input the failing function was given
  /// (the datagram, the stream, or the header value for typed parsers).
  std::size_t offset = 0;
  /// The header field's name as it appears in the message; empty for the
  /// start line, framing and limits. Views the input buffer.
  std::string_view header;
  /// Status a UAS should answer a request with (400, 413, 505, 513 ...).
  /// For a response the message is dropped instead (RFC 3261 §18.1.2).
  int status = 400;

  [[nodiscard]] std::error_code error_code() const noexcept { return make_error_code(code); }
  explicit operator bool() const noexcept { return code != parse_errc::ok; }
};

/// The usual status for each code (400 unless a more specific one applies).
int default_status(parse_errc e) noexcept;

}  // namespace sipua

template <>
struct std::is_error_code_enum<sipua::parse_errc> : std::true_type {};
