// The vocabulary of the UA core (ua_core.hpp): handles, the options of the
// application's commands, what the core asks of the runtime (send, resolve)
// and what it tells the application (call and request events).
//
// Lifetimes: every event owns what it carries (inbound messages own their
// bytes, SDP is by value).
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <system_error>
#include <utility>
#include <variant>
#include <vector>

#include "sipua/dialog/registration.hpp"
#include "sipua/sdp/offer_answer.hpp"
#include "sipua/sdp/session.hpp"
#include "sipua/transport/transport.hpp"
#include "sipua/txn/actions.hpp"

namespace sipua {

/// A generation-checked handle of a call (an INVITE session, either side):
/// safe to keep after the call ended (the core's calls then fail with
/// core_errc::unknown_call).
struct call_handle {
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;  ///< 0: no call
  [[nodiscard]] bool valid() const noexcept { return generation != 0; }
  friend bool operator==(const call_handle&, const call_handle&) noexcept = default;
};

/// A non-INVITE request the application sent (MESSAGE, OPTIONS, INFO):
/// its final outcome arrives as request_result_event.
struct request_handle {
  std::uint64_t id = 0;  ///< 0: none; never reused
  [[nodiscard]] bool valid() const noexcept { return id != 0; }
  friend bool operator==(const request_handle&, const request_handle&) noexcept = default;
};

/// An extra header field for an outgoing request or response.
struct extra_header {
  std::string name;
  std::string value;
};

struct call_options {
  /// The Request-URI and To URI: "sip:bob@192.0.2.2", "sips:bob@example.com".
  std::string target;
  /// The To display name (may be empty).
  std::string target_display_name;
  /// Our media: the INVITE carries make_offer(*media); without it the
  /// INVITE has no body and the 2xx's offer is answered in the ACK
  /// (RFC 3261 §13.2.1), or the call fails when there is nothing to answer
  /// with.
  std::optional<sdp::local_capabilities> media;
  std::vector<extra_header> headers;
  /// Follow 3xx responses (RFC 3261 §8.1.3.4) up to ua_core_config::
  /// max_redirects.
  bool follow_redirects = true;
  /// Send the INVITE without an offer (RFC 3261 §13.2.1 "delayed offer"):
  /// the callee offers in its 2xx and the ACK carries our answer, made
  /// from `media`.
  bool delayed_offer = false;
};

struct answer_options {
  /// Our media for the answer (or for the offer when the INVITE had none).
  /// Without it, the call's capabilities (from call_options or the last
  /// answer) are used; an INVITE with an offer and no capabilities anywhere
  /// cannot be answered (core_errc::no_media).
  std::optional<sdp::local_capabilities> media;
  std::vector<extra_header> headers;
};

/// Why a call ended.
enum class end_reason : std::uint8_t {
  local_hangup,     ///< we sent BYE (or CANCEL, or rejected)
  remote_hangup,    ///< the peer sent BYE
  rejected,         ///< a final non-2xx to our INVITE (status says which)
  cancelled,        ///< the caller cancelled before we answered (UAS) / our CANCEL took (UAC)
  timeout,          ///< no final response (Timer B/C: 408), or no ACK for our 2xx
  transport_error,  ///< the transport failed (503, RFC 3261 §8.1.3.1)
  dialog_gone,      ///< an in-dialog request got 481 or 408 (RFC 3261 §12.2.1.2)
  redirect_failed,  ///< 3xx with no usable target, a loop, or too many redirects
  shutdown,         ///< the UA shut down
  failed,           ///< something else (a request that could not be built ...)
};
std::string_view to_string(end_reason r) noexcept;

// ---- what the core asks of the runtime -------------------------------------

/// Resolve a next hop known by name (RFC 3263: what the runtime's
/// resolver takes as a resolve_query) and call ua_core::resolved(token,
/// ...) with the outcome.
struct resolve_action {
  std::uint64_t token = 0;
  std::string host;  ///< a domain name
  std::optional<std::uint16_t> port;
  std::optional<transport_protocol> protocol;  ///< from a transport= parameter
  bool secure = false;                         ///< a sips URI: TLS only
};

// ---- what the core tells the application -----------------------------------

/// A new INVITE (outside any dialog). The call is ringing on our side once
/// the application calls ring() / answer() / reject(); the core already
/// sent 100 Trying.
struct incoming_call_event {
  call_handle call;
  inbound_message invite;
  std::optional<sdp::session_description> offer;  ///< the INVITE's SDP, if any
};

/// A provisional response to our INVITE (not 100).
struct call_progress_event {
  call_handle call;
  int status = 0;
  std::string reason;
  /// Early media: the SDP answer of this early dialog, if it carried one.
  std::optional<sdp::session_description> remote_sdp;
};

/// The call is up: our INVITE got its 2xx (UAC, after sending the ACK), or
/// our 2xx got its ACK (UAS).
struct call_answered_event {
  call_handle call;
  std::optional<sdp::session_description> local_sdp;
  std::optional<sdp::session_description> remote_sdp;
};

/// An offer/answer exchange inside the call completed (re-INVITE from
/// either side: hold, unhold, media change), or ours failed (`status` is
/// the final response; the previous media stays).
struct call_media_event {
  call_handle call;
  bool ok = true;
  int status = 200;
  std::optional<sdp::session_description> local_sdp;
  std::optional<sdp::session_description> remote_sdp;
};

/// An INFO request (RFC 6086) received in the call; the core answered 200.
struct call_info_event {
  call_handle call;
  inbound_message request;
};

struct call_ended_event {
  call_handle call;
  end_reason reason = end_reason::failed;
  /// The SIP status behind it when there is one (486, 487, 408, 503 ...),
  /// else 0.
  int status = 0;
  std::string phrase;
};

/// A MESSAGE (RFC 3428) received outside a dialog; the core answered 200.
struct message_received_event {
  inbound_message request;
};

/// The final outcome of send_message / send_options / send_info: the
/// response's status, or 408 (timeout) / 503 (transport failure) made up
/// locally (RFC 3261 §8.1.3.1) with `response` empty.
struct request_result_event {
  request_handle request;
  int status = 0;
  std::optional<inbound_message> response;
};

using core_event = std::variant<incoming_call_event, call_progress_event, call_answered_event,
                                call_media_event, call_info_event, call_ended_event,
                                message_received_event, request_result_event, registration_event>;

/// Everything ua_core::next_action() yields. send_request_action has an
/// invalid txn for the ACK of a 2xx (sent by the core, without a
/// transaction, RFC 3261 §13.2.2.4).
using core_action =
    std::variant<send_request_action, send_response_action, resolve_action, core_event>;

/// Values are stable.
enum class core_errc {
  ok = 0,
  unknown_call = 1,     ///< the handle names no live call
  wrong_state = 2,      ///< not allowed in the call's state (answer twice, hold before answer ...)
  request_pending = 3,  ///< an offer/answer exchange is already under way (RFC 3261 §14.1)
  bad_target = 4,       ///< the target is not a sip/sips URI we can send to
  no_media = 5,         ///< an offer to answer and no media capabilities to answer with
  bad_sdp = 6,          ///< the SDP could not be made or read
  too_many_calls = 7,   ///< ua_core_config::max_calls reached
  no_transport = 8,     ///< no local endpoint for the transport the target needs
  build_failed = 9,     ///< a message did not build (a header value the builder refused)
  shut_down = 10,       ///< shutdown() was called
  unknown_registration = 11,  ///< the handle names no live registration
};
const std::error_category& core_category() noexcept;
inline std::error_code make_error_code(core_errc e) noexcept {
  return {static_cast<int>(e), core_category()};
}

}  // namespace sipua

template <>
struct std::is_error_code_enum<sipua::core_errc> : std::true_type {};

template <>
struct std::hash<sipua::call_handle> {
  std::size_t operator()(const sipua::call_handle& c) const noexcept {
    return (static_cast<std::size_t>(c.slot) << 32) ^ c.generation;
  }
};
