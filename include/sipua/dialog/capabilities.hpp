// What a user agent advertises, and the responses its core writes on its
// own, without asking the application: the rejections uas_check() decides
// (RFC 3261 §8.2.1 405/501, §8.2.2.1 416, §8.2.2.3 420, §8.2.3 415, ...)
// and the 200 to an OPTIONS request (§11.2). Pure functions: no I/O, no
// clock, no state; the To tag comes in as an argument.
//
//   const sipua::ua_capabilities caps;  // the UA's configuration
//   const auto policy = sipua::policy_for(caps, request.method_name());
//   const sipua::uas_verdict v = sipua::uas_check(request, policy);
//   if (v.action == sipua::verdict_action::respond) {
//     auto wire = sipua::build_rejection(request, v, caps, to_tag);  // 405 with Allow ...
//     if (wire) send(*wire);
//   } else if (v.accepted() && request.method() == sipua::method::options) {
//     auto wire = sipua::build_options_answer(request, caps, to_tag, "sip:alice@192.0.2.1");
//   }
//
// Threading: plain values and pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "sipua/message/message.hpp"
#include "sipua/message/parse_result.hpp"
#include "sipua/message/validate.hpp"

namespace sipua {

/// What a UA implements and understands. Every list is written in the
/// header fields as given (order kept); names compare as RFC 3261 says
/// (methods case-sensitively, §7.1; option tags, media types, codings and
/// languages case-insensitively, §19.2, RFC 2045 §5.1).
struct ua_capabilities {
  /// Methods the UA implements: Allow (§20.5) in a 405 and in the OPTIONS
  /// 200, and uas_policy::allowed_methods. MESSAGE is RFC 3428, INFO
  /// RFC 6086.
  std::vector<std::string> methods{"INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "MESSAGE", "INFO"};
  /// Option tags of the extensions the UA supports: Supported (§20.37) in
  /// the OPTIONS 200, and uas_policy::supported_option_tags (a Require
  /// naming anything else gets 420, §8.2.2.3). Empty: none.
  std::vector<std::string> option_tags;
  /// Session description types ("type/subtype") the UA reads in INVITE,
  /// ACK, PRACK and UPDATE bodies, and in the body of every method other
  /// than MESSAGE and INFO (§8.2.3). They are also the types it writes in
  /// its own INVITE answers (uas_policy::response_body_types, checked
  /// against the request's Accept, §20.1): sipua writes SDP, the type it
  /// reads.
  std::vector<std::string> accept{"application/sdp"};
  /// Body types accepted in MESSAGE requests. RFC 3428 §7: a UA that
  /// supports MESSAGE MUST support text/plain.
  std::vector<std::string> message_types{"text/plain"};
  /// Body types accepted in INFO requests (RFC 6086 §4.2.2: an INFO whose
  /// body the UA does not understand gets 415). Empty by default: an INFO
  /// with a body is then rejected; the application that uses INFO lists
  /// what it takes (e.g. "application/dtmf-relay" for the legacy usage).
  std::vector<std::string> info_types;
  /// Content-codings understood (§20.2, §20.12): uas_policy::accepted_encodings;
  /// Accept-Encoding in the OPTIONS 200 and in a 415. Empty: identity only
  /// (§20.2: an absent Accept-Encoding means identity).
  std::vector<std::string> accept_encodings;
  /// Languages understood (§20.3): Accept-Language in the OPTIONS 200.
  /// Empty: no restriction, and no header (§20.3: an absent
  /// Accept-Language means every language is acceptable). uas_check does
  /// not look at Content-Language.
  std::vector<std::string> accept_languages;
  /// Request-URI schemes accepted (§8.2.2.1): uas_policy::uri_schemes.
  std::vector<std::string> uri_schemes{"sip", "sips"};
  /// Product text (§20.35 Server, §20.41 User-Agent), e.g. "sipua/0.1".
  /// Written as the Server header of every response built here when not
  /// empty. Empty by default: §20.35 says revealing the software version
  /// can help attackers and that it SHOULD be configurable.
  std::string user_agent;
};

/// The body types `caps` accepts in a request with method `method_name`
/// (case-sensitive, §7.1): message_types for MESSAGE, info_types for INFO,
/// accept for every other method. The reference is into `caps`.
const std::vector<std::string>& body_types_for(const ua_capabilities& caps,
                                               std::string_view method_name) noexcept;

/// The uas_check() policy of an endpoint with capabilities `caps`, for a
/// request with method `method_name` (uas_policy has one list of body
/// types, and which list applies depends on the method: a MESSAGE carries
/// text/plain, an INVITE SDP). Maps role = endpoint, allowed_methods =
/// methods, supported_option_tags = option_tags, uri_schemes = uri_schemes,
/// accepted_body_types = body_types_for(caps, method_name),
/// accepted_encodings = accept_encodings, response_body_types = accept.
/// The UA may build the three distinct policies once (for "MESSAGE",
/// "INFO", and any other method) and pick one per request.
uas_policy policy_for(const ua_capabilities& caps, std::string_view method_name);

/// "INVITE, ACK, BYE": the items joined with ", " (§7.3.1 COMMA), as
/// Allow, Supported, Accept ... are written. Empty list: empty string.
std::string header_list(const std::vector<std::string>& items);

/// The response to `request` that `v` (from uas_check with
/// policy_for(caps, ...)) decided, as wire text: the status line with
/// v.status and v.reason (default_reason when empty), the §8.2.6 fields
/// copied by build_response() (To gets ";tag=<to_tag>" when it has none),
/// then by status:
///   - 405: Allow listing caps.methods (§8.2.1: MUST include Allow);
///   - 420: Unsupported listing v.unsupported in order (§8.2.2.3);
///   - 415: Accept listing body_types_for(caps, request's method) (§8.2.3:
///     MUST list the types understood); Accept-Encoding listing
///     caps.accept_encodings when not empty, or "identity" when it is empty
///     and v.header names Content-Encoding (§8.2.3: MUST list the encodings
///     understood when the request used one that is not);
///   - 416, 400, 406, 483, 501, 505 and any other status: nothing more;
/// then Server: caps.user_agent when not empty; no body (Content-Length: 0).
///
/// Errors (parse_error from the builder, status 0): bad_status_code when
/// v.status is outside 100..699 (e.g. a verdict that is not `respond`),
/// missing_header / bad_request_line when `request` is not a request with
/// Via, From, To, Call-ID and CSeq, bad_param when a tag is needed and
/// `to_tag` is not a non-empty token, bad_header_value when a capability
/// holds CR or LF. `request` and `v` are only read during the call.
parse_result<std::string> build_rejection(const message& request, const uas_verdict& v,
                                          const ua_capabilities& caps, std::string_view to_tag);

/// The 200 (OK) to an OPTIONS request (§11.2), as wire text: the §8.2.6
/// fields, then
///   - Contact: <contact_uri> when contact_uri is not empty (§11.2: MAY,
///     with 3xx semantics);
///   - Allow: caps.methods;
///   - Accept: the types of caps.accept, caps.message_types and
///     caps.info_types, each once (case-insensitive), in that order
///     (§11.2 and §20.1: what the UA accepts, whatever the method);
///   - Accept-Encoding: caps.accept_encodings, when not empty;
///   - Accept-Language: caps.accept_languages, when not empty;
///   - Supported: caps.option_tags, when not empty;
///   - Server: caps.user_agent, when not empty;
/// and no body (§11.2: a body MAY be sent; the media capabilities are the
/// application's, not the core's). §11.2 says Allow, Accept,
/// Accept-Encoding, Accept-Language and Supported SHOULD be present; the
/// three left out when empty mean the same absent as empty (identity only
/// §20.2, no option tags §20.37) or say no more than the truth (every
/// language, §20.3). The status is always 200: §11.2 wants the status an
/// INVITE would get, and a UA that would answer an INVITE with 486 builds
/// that response itself.
///
/// Errors: as build_rejection(), plus bad_uri when contact_uri is not a
/// URI (scheme ":" and visible characters other than '<' '>').
parse_result<std::string> build_options_answer(const message& options_request,
                                               const ua_capabilities& caps, std::string_view to_tag,
                                               std::string_view contact_uri);

}  // namespace sipua
