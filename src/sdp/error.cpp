#include "sipua/sdp/error.hpp"

#include <string>

namespace sipua::sdp {
namespace {

const char* describe(sdp_errc e) noexcept {
  switch (e) {
    case sdp_errc::ok: return "success";
    case sdp_errc::empty: return "empty session description";
    case sdp_errc::too_large: return "session description larger than the configured limit";
    case sdp_errc::too_many_lines: return "more lines than the configured limit";
    case sdp_errc::too_many_media: return "more media descriptions than the configured limit";
    case sdp_errc::too_many_formats: return "more formats on an m= line than the configured limit";
    case sdp_errc::bad_line: return "line is not <type>=<value>";
    case sdp_errc::unknown_type: return "unknown SDP line type";
    case sdp_errc::unexpected_line: return "line out of order or repeated";
    case sdp_errc::missing_version: return "first line is not v=";
    case sdp_errc::missing_origin: return "o= line missing";
    case sdp_errc::missing_name: return "s= line missing";
    case sdp_errc::missing_timing: return "t= line missing";
    case sdp_errc::bad_version: return "v= is not 0";
    case sdp_errc::bad_origin: return "malformed o= line";
    case sdp_errc::bad_connection: return "malformed c= line";
    case sdp_errc::bad_bandwidth: return "malformed b= line";
    case sdp_errc::bad_timing: return "malformed t= line";
    case sdp_errc::bad_media: return "malformed m= line";
    case sdp_errc::bad_attribute: return "malformed a= line";
    case sdp_errc::bad_rtpmap: return "malformed rtpmap attribute";
    case sdp_errc::bad_fmtp: return "malformed fmtp attribute";
    case sdp_errc::bad_ptime: return "malformed ptime attribute";
    case sdp_errc::bad_field: return "field cannot be written as SDP";
    case sdp_errc::glare: return "offer received while a local offer is pending (491)";
    case sdp_errc::offer_pending:
      return "offer received while a remote offer is unanswered (500 with Retry-After)";
    case sdp_errc::local_offer_pending: return "a local offer is already pending";
    case sdp_errc::remote_offer_unanswered: return "a remote offer awaits an answer";
    case sdp_errc::no_offer: return "answer without an outstanding offer";
    case sdp_errc::media_count_mismatch: return "answer has a different number of m= lines";
    case sdp_errc::media_removed: return "offer has fewer m= lines than the session";
    case sdp_errc::origin_changed: return "o= line changed other than its version";
    case sdp_errc::version_not_incremented: return "session changed without a new o= version";
  }
  return nullptr;
}

class sdp_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "sipua.sdp"; }
  std::string message(int ev) const override {
    const char* s = describe(static_cast<sdp_errc>(ev));
    return s ? s : "unknown sipua.sdp error";
  }
};

}  // namespace

const std::error_category& sdp_category() noexcept {
  static const sdp_category_impl c;
  return c;
}

}  // namespace sipua::sdp
