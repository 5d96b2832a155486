#include "sipua/message/error.hpp"

#include <string>

namespace sipua {
namespace {

class parse_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "sipua.parse"; }
  std::string message(int ev) const override {
    switch (static_cast<parse_errc>(ev)) {
      case parse_errc::ok: return "success";
      case parse_errc::empty_message: return "empty message";
      case parse_errc::message_too_large: return "message larger than the configured limit";
      case parse_errc::too_many_headers: return "more header fields than the configured limit";
      case parse_errc::line_too_long: return "line longer than the configured limit";
      case parse_errc::body_too_large: return "body larger than the configured limit";
      case parse_errc::incomplete_headers: return "header section not terminated by an empty line";
      case parse_errc::bare_lf: return "line ends in LF without CR";
      case parse_errc::body_truncated: return "body shorter than Content-Length";
      case parse_errc::missing_content_length:
        return "Content-Length required on a stream transport";
      case parse_errc::bad_request_line: return "malformed Request-Line";
      case parse_errc::bad_method: return "method is not a token";
      case parse_errc::bad_request_uri: return "malformed Request-URI";
      case parse_errc::bad_version: return "malformed SIP-Version";
      case parse_errc::bad_status_line: return "malformed Status-Line";
      case parse_errc::bad_status_code: return "status code not in 100..699";
      case parse_errc::bad_header_name: return "header name is not a token";
      case parse_errc::missing_colon: return "header line without ':'";
      case parse_errc::bad_continuation: return "continuation line without a header";
      case parse_errc::bad_header_value: return "malformed header value";
      case parse_errc::bad_content_length: return "malformed Content-Length";
      case parse_errc::conflicting_content_length: return "conflicting Content-Length values";
      case parse_errc::bad_uri: return "malformed URI";
      case parse_errc::bad_number: return "malformed or out-of-range number";
      case parse_errc::bad_quoted_string: return "malformed quoted string";
      case parse_errc::bad_param: return "malformed parameter";
      case parse_errc::missing_header: return "required header missing";
      case parse_errc::framer_overflow: return "stream buffer over the configured limit";
      case parse_errc::header_section_too_large:
        return "header section larger than the configured limit";
      case parse_errc::bare_cr: return "CR not followed by LF between messages";
    }
    return "unknown sipua.parse error";
  }
};

}  // namespace

const std::error_category& parse_category() noexcept {
  static const parse_category_impl c;
  return c;
}

int default_status(parse_errc e) noexcept {
  switch (e) {
    case parse_errc::ok: return 0;
    // RFC 3261 §21.5.14: 513 Message Too Large.
    case parse_errc::message_too_large:
    case parse_errc::too_many_headers:
    case parse_errc::line_too_long:
    case parse_errc::framer_overflow:
    case parse_errc::header_section_too_large: return 513;
    // §21.4.14: 413 Request Entity Too Large (the body).
    case parse_errc::body_too_large: return 413;
    // §21.5.6: 505 Version Not Supported (only when the version is
    // well formed but not 2.0, decided by the UAS check, not here).
    default: return 400;
  }
}

}  // namespace sipua
