// Names of the UA core's enums and its "sipua.core" error category.
#include <string>

#include "sipua/dialog/ua_core.hpp"

namespace sipua {

std::string_view to_string(end_reason r) noexcept {
  switch (r) {
    case end_reason::local_hangup: return "local hangup";
    case end_reason::remote_hangup: return "remote hangup";
    case end_reason::rejected: return "rejected";
    case end_reason::cancelled: return "cancelled";
    case end_reason::timeout: return "timeout";
    case end_reason::transport_error: return "transport error";
    case end_reason::dialog_gone: return "dialog gone";
    case end_reason::redirect_failed: return "redirect failed";
    case end_reason::shutdown: return "shutdown";
    case end_reason::failed: return "failed";
  }
  return "?";
}

std::string_view to_string(call_state s) noexcept {
  switch (s) {
    case call_state::calling: return "calling";
    case call_state::early: return "early";
    case call_state::answering: return "answering";
    case call_state::confirmed: return "confirmed";
    case call_state::terminating: return "terminating";
    case call_state::ended: return "ended";
  }
  return "?";
}

namespace {

class core_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "sipua.core"; }
  std::string message(int ev) const override {
    switch (static_cast<core_errc>(ev)) {
      case core_errc::ok: return "ok";
      case core_errc::unknown_call: return "no such call";
      case core_errc::wrong_state: return "not allowed in the call's state";
      case core_errc::request_pending: return "an offer/answer exchange is under way";
      case core_errc::bad_target: return "target is not a usable sip or sips URI";
      case core_errc::no_media: return "no media capabilities to answer with";
      case core_errc::bad_sdp: return "SDP could not be made or read";
      case core_errc::too_many_calls: return "too many calls";
      case core_errc::no_transport: return "no local endpoint for the transport";
      case core_errc::build_failed: return "message does not build";
      case core_errc::shut_down: return "the UA is shut down";
      case core_errc::unknown_registration: return "no such registration";
    }
    return "unknown core error";
  }
};

}  // namespace

const std::error_category& core_category() noexcept {
  static const core_category_impl category;
  return category;
}

}  // namespace sipua
