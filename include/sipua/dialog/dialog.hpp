// Dialog state (RFC 3261 §12) as a value type with pure functions: creating
// a dialog on either side (§12.1.1 UAS, §12.1.2 UAC), confirming an early
// one with the 2xx (§13.2.2.4), routing a request inside it (§12.2.1.1,
// loose and strict routing), and checking a request received inside it
// (§12.2.2: CSeq order, target refresh). No I/O, no clock, no randomness:
// tags come in as arguments.
//
//   auto d = dialog_from_response(invite, response_180, false);  // UAC, early
//   confirm_dialog(*d, response_200);                            // route set recomputed
//   const auto hop = route_request(*d);                         // where BYE goes
//   std::string via = ...;                                       // after resolving hop.next_hop
//   auto b = start_in_dialog_request(*d, "BYE", next_local_cseq(*d), hop, via);
//   b.finish();
//
// Threading: plain values; one dialog is used from one thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "sipua/message/builder.hpp"
#include "sipua/message/message.hpp"
#include "sipua/result.hpp"

namespace sipua {

/// §12: "A dialog is identified ... by a Call-ID, a local tag and a remote
/// tag". Owned strings; compare with ==.
struct dialog_id {
  std::string call_id;
  std::string local_tag;
  std::string remote_tag;  ///< empty for an RFC 2543 peer that sent no tag (§12.1.2)
  friend bool operator==(const dialog_id&, const dialog_id&) = default;
};

/// The same as views, for look-ups without copying (views into a message).
struct dialog_id_view {
  std::string_view call_id;
  std::string_view local_tag;
  std::string_view remote_tag;
  [[nodiscard]] bool matches(const dialog_id& id) const noexcept {
    return call_id == id.call_id && local_tag == id.local_tag && remote_tag == id.remote_tag;
  }
};

/// The id of the dialog a RECEIVED request belongs to (§12.2.2: local tag
/// = To tag, remote tag = From tag), or none when it lacks Call-ID, From
/// or To, or they do not parse. A request without To tag belongs to no
/// dialog (local_tag empty).
std::optional<dialog_id_view> received_request_dialog(const message& request) noexcept;
/// The id of the dialog a RECEIVED response belongs to (local tag = From
/// tag, remote tag = To tag), or none as above.
std::optional<dialog_id_view> received_response_dialog(const message& response) noexcept;

enum class dialog_state : std::uint8_t {
  early,      ///< created by a 1xx with a To tag (§12.1)
  confirmed,  ///< created or confirmed by a 2xx
};

/// One end of the dialog: a display name (as written, quotes kept, may be
/// empty) and a URI, both owned.
struct dialog_party {
  std::string display_name;
  std::string uri;
};

struct dialog {
  dialog_id id;
  dialog_state state = dialog_state::early;
  dialog_party local;   ///< §12.1.1 "local URI": our From (UAC) / the request's To (UAS)
  dialog_party remote;  ///< §12.1.1 "remote URI"
  /// The last CSeq number we sent in this dialog (§12.1.1: a UAS starts
  /// with none; next_local_cseq() then starts at 1). For the UAC, the
  /// initial request's CSeq.
  std::optional<std::uint32_t> local_seq;
  /// The highest CSeq number the peer used in this dialog, none before it
  /// sent a request in it (§12.1.2: "empty").
  std::optional<std::uint32_t> remote_seq;
  /// The URI of the peer's Contact (§12.1.1, §12.1.2), parameters kept.
  std::string remote_target;
  /// The Route values, in the order they go into a request, each one
  /// element as written ("<sip:p1.example.com;lr>", header parameters
  /// kept).
  std::vector<std::string> route_set;
  /// §12.1.1/§12.1.2: the request went (came) over TLS and its
  /// Request-URI is a sips URI.
  bool secure = false;
};

/// Values are stable.
enum class dialog_errc {
  ok = 0,
  missing_header = 1,    ///< no Call-ID, From, To or CSeq, or they do not parse
  missing_tag = 2,       ///< the tag that creates the dialog is missing
  missing_contact = 3,   ///< a dialog-creating message without a (usable) Contact
  bad_contact = 4,       ///< Contact is "*", or several, or its URI does not parse
  bad_record_route = 5,  ///< a Record-Route element does not parse
  not_in_dialog = 6,     ///< the message's dialog id is not this dialog's
  out_of_order = 7,      ///< §12.2.2: CSeq lower than the remote sequence number (500)
  /// confirm_dialog() with something other than a 2xx; dialog_from_response()
  /// with a response that creates no dialog (100, 3xx-6xx: §12.1)
  not_a_final_2xx = 8,
};

const std::error_category& dialog_category() noexcept;

inline std::error_code make_error_code(dialog_errc e) noexcept {
  return {static_cast<int>(e), dialog_category()};
}

// ---- creating ------------------------------------------------------------

/// UAS side, §12.1.1: the dialog a 1xx/2xx to `request` (a dialog-creating
/// request: INVITE, SUBSCRIBE, REFER ... received outside any dialog)
/// creates. `local_tag` is the To tag our response carries. Route set = the
/// request's Record-Route elements in order (every field, every element);
/// remote target = the request's Contact URI; remote_seq = its CSeq;
/// local_seq empty; remote = From, local = To (without tags); secure =
/// `over_tls` and a sips Request-URI. State: early (the caller confirms it
/// when it sends a 2xx: d.state = dialog_state::confirmed).
/// Errors: missing_header, missing_tag (From has no tag: §12.1.1 allows an
/// RFC 2543 peer, but sipua needs both tags to tell dialogs apart, so the
/// caller answers such a request outside a dialog), missing_contact,
/// bad_contact, bad_record_route.
result<dialog, std::error_code> dialog_from_request(const message& request,
                                                    std::string_view local_tag, bool over_tls);

/// UAC side, §12.1.2: the dialog `response` (a 1xx with a To tag or a 2xx,
/// to our `request`) creates. Route set = the response's Record-Route
/// elements in REVERSE order; remote target = its Contact URI (a 1xx
/// without Contact: the request's Request-URI until a later response or
/// target refresh gives one; a 2xx without one: missing_contact);
/// local_seq = the request's CSeq; remote_seq empty; local = From, remote =
/// To (without tags); secure = `over_tls` and a sips Request-URI. State:
/// early for 1xx, confirmed for 2xx.
/// Errors: missing_header, not_a_final_2xx (neither 101-199 nor 2xx),
/// missing_tag (a 1xx without To tag creates no dialog; a 2xx without one
/// gets an empty remote tag, §12.1.2, and no error), missing_contact,
/// bad_contact, bad_record_route.
result<dialog, std::error_code> dialog_from_response(const message& request,
                                                     const message& response, bool over_tls);

/// §13.2.2.4: a 2xx for an early dialog: state confirmed, route set
/// recomputed from the 2xx's Record-Route (reversed), remote target from
/// its Contact. Errors: not_a_final_2xx, missing_header (no Call-ID, or a
/// From or To that does not parse: no dialog id), not_in_dialog (its
/// dialog id is another), missing_contact, bad_contact, bad_record_route
/// (the dialog is unchanged on error).
std::error_code confirm_dialog(dialog& d, const message& response_2xx);

// ---- sending inside a dialog (§12.2.1) -----------------------------------

/// Where a request in the dialog goes and what its Request-URI and Route
/// fields are (§12.2.1.1). A URI placed in the Request-URI or a Route loses
/// what §19.1.1 Table 1 does not allow there: the method parameter and the
/// "?headers" part (a Contact URI, hence the remote target, may have both).
/// - empty route set: Request-URI = remote target, no Route;
/// - first route has `lr` (loose): Request-URI = remote target, Route =
///   the route set;
/// - otherwise (a strict router, RFC 2543): Request-URI = the first
///   route's URI, Route = the rest of the route set followed by the remote
///   target as a name-addr ("<" remote target ">").
/// `next_hop` is the URI to resolve (§8.1.2): for a strict router the
/// Request-URI (that router: "the procedures MUST be applied to the
/// Request-URI"), otherwise the first Route's URI (without the brackets and
/// header parameters) when there is a Route, else the Request-URI.
struct dialog_route {
  std::string request_uri;
  std::vector<std::string> routes;
  std::string next_hop;
};
dialog_route route_request(const dialog& d);

/// `uri` (a Contact or Route URI) made fit for a Request-URI: §12.2.1.1
/// "stripping any parameters that are not allowed in a Request-URI";
/// §19.1.1 Table 1 allows neither the method parameter nor "?headers"
/// there. Everything else is kept as written; a URI that is not sip/sips
/// is returned as it is.
std::string as_request_uri(std::string_view uri);

/// Increments and returns the local sequence number (§12.2.1.1: a UAS
/// without one starts at 1, RFC 3261 allows any value < 2**31).
std::uint32_t next_local_cseq(dialog& d) noexcept;

/// Starts a request inside the dialog: request line (method, route's
/// Request-URI), Via (`via_value`, the whole top Via value), Max-Forwards
/// 70, From (local party + local tag), To (remote party + remote tag, no
/// tag parameter when the remote tag is empty), Call-ID, CSeq (`cseq`,
/// `method`), then one Route field per route element. The caller adds
/// Contact, Content-Type ... and calls finish(). The builder records an
/// error the usual way when something does not build.
request_builder start_in_dialog_request(const dialog& d, std::string_view method,
                                        std::uint32_t cseq, const dialog_route& route,
                                        std::string_view via_value);

// ---- receiving inside a dialog (§12.2.2) ---------------------------------

/// True for the methods that refresh the remote target (§12.2, RFC 3311,
/// RFC 6665, RFC 3515): INVITE (re-INVITE), UPDATE, SUBSCRIBE, NOTIFY,
/// REFER.
bool is_target_refresh(std::string_view method) noexcept;

/// A request received in the dialog (its dialog id is the dialog's; ACK and
/// CANCEL are not passed here):
/// - its CSeq lower than remote_seq -> out_of_order, nothing changes (the
///   caller answers 500, §12.2.2);
/// - else remote_seq = its CSeq; for a target refresh request with a
///   Contact, the remote target becomes that Contact's URI (a Contact that
///   does not parse -> bad_contact, nothing changes).
/// Errors: missing_header, not_in_dialog, out_of_order, bad_contact.
std::error_code receive_in_dialog_request(dialog& d, const message& request);

/// A 2xx to a target refresh request we sent in the dialog: the remote
/// target becomes the response's Contact URI when it has one (§12.2.1.2).
/// Errors: bad_contact (nothing changes).
std::error_code refresh_target_from_response(dialog& d, const message& response_2xx);

}  // namespace sipua

template <>
struct std::is_error_code_enum<sipua::dialog_errc> : std::true_type {};
