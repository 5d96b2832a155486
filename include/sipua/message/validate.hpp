// Message validation after parse_datagram(): the typed syntax of every header
// field the stack relies on (validate_syntax), then the checks a UAS makes on
// a request in RFC 3261 §8.2 order (uas_check) and those a UAC makes on a
// response (uac_check). Pure functions of the message and a policy: no I/O,
// no clock, no state. Merged-request detection (§8.2.2.2) needs the
// transaction table and is the transaction layer's, not here.
//
//   sipua::message m;
//   if (auto e = sipua::parse_datagram(datagram, m)) return reject(e);      // framing, start line
//   if (auto e = sipua::validate_syntax(m)) return reject(e);               // 400, or drop a
//   response const sipua::uas_verdict v = sipua::receive_check(m, policy);          // 505, 400,
//   483, 501 ... if (!v.accepted()) return v.action == sipua::verdict_action::drop ? drop() :
//   answer(v);
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sipua/message/error.hpp"
#include "sipua/message/message.hpp"

namespace sipua {

// ---- syntax -------------------------------------------------------------

/// Named leniencies of validate_syntax(). Strict by default.
struct validate_options {
  /// Accept a Date value that is not an RFC 1123 date in GMT
  /// (RFC 3261 §20.17; RFC 4475 §3.1.2.12 baddate: an element that does not
  /// use the Date value may ignore it, and §16.3 says a proxy would not
  /// reject a request for a malformed Date).
  bool allow_malformed_date = false;
};

/// Runs the typed parser of every header field whose grammar the stack
/// relies on, on every occurrence and every comma-separated element, in
/// arrival order, and the Request-URI through parse_uri:
///
/// - Request-URI: parse_uri; a sip/sips Request-URI may not carry headers
///   ("?...": RFC 3261 §19.1.1 Table 1, RFC 4475 §3.1.2.11 escruri).
/// - Via (every via-parm), From, To (tag = token), Call-ID, CSeq,
///   Max-Forwards, Expires, Min-Expires, Contact (every element, or "*"
///   as the only Contact value of the message),
///   Route, Record-Route, Path, Service-Route (every element a name-addr),
///   Reply-To, Refer-To, Referred-By, P-Asserted-Identity,
///   P-Preferred-Identity, Content-Type, Date, and each header that has a
///   typed parser in include/sipua/message/ (token lists, auth, numeric).
/// - Header fields without a typed view (unknown names, Subject, User-Agent
///   ...) are not looked at (§8.2.2: ignore what is not understood).
///
/// Returns the first error in the message (ok when none) with:
/// - code: what the typed parser reported (bad_uri, bad_header_value,
///   bad_param, bad_number, bad_quoted_string), or bad_request_uri for a
///   Request-URI that is not a URI or carries headers;
/// - header: the field name as written in the message (empty for the
///   Request-URI); a view into the message buffer;
/// - offset: from the start of the buffer given to parse_datagram();
/// - status: 400 for a request, 0 for a response (responses are dropped,
///   RFC 3261 §18.1.2 / §16.7).
/// `m` must have been filled by a successful parse_datagram().
parse_error validate_syntax(const message& m, const validate_options& options = {}) noexcept;

// ---- semantic checks ----------------------------------------------------

/// The role the receiving element plays; it decides which checks apply.
enum class uas_role : std::uint8_t {
  endpoint,   ///< a UA (UAS for requests, UAC for responses): RFC 3261 §8.2, §8.1.3
  proxy,      ///< §16.3 request validation; §16.7 response processing
  registrar,  ///< a UAS for REGISTER: §8.2 and §10.3
};

/// What the receiving element supports. Names compare as RFC 3261 says:
/// methods case-sensitively (§7.1), option tags, URI schemes and media
/// types case-insensitively (§19.2, §19.1.1, RFC 2045 §5.1).
struct uas_policy {
  uas_role role = uas_role::endpoint;
  /// Methods this element implements (§8.2.1). A request whose method is
  /// not here gets 405 if the method is one of RFC 3261 or an extension
  /// sipua knows (sipua::method is not extension), else 501.
  std::vector<std::string> allowed_methods{"INVITE", "ACK", "BYE", "CANCEL", "OPTIONS"};
  /// Option tags understood, checked against Require (endpoint, registrar;
  /// §8.2.2.3) or Proxy-Require (proxy; §16.3 step 5).
  std::vector<std::string> supported_option_tags;
  /// Request-URI schemes accepted (§8.2.2.1, §16.3 step 2), else 416.
  std::vector<std::string> uri_schemes{"sip", "sips"};
  /// "type/subtype" of the bodies understood (§8.2.3), else 415.
  std::vector<std::string> accepted_body_types{"application/sdp"};
  /// Content-Encoding content-codings understood (§8.2.3, §20.12), else 415.
  std::vector<std::string> accepted_encodings;
  /// "type/subtype" this element puts in the body of its response to an
  /// INVITE (and to an UPDATE or PRACK that carries an offer): checked
  /// against Accept (§20.1), else 406.
  std::vector<std::string> response_body_types{"application/sdp"};
};

enum class verdict_action : std::uint8_t {
  accept,   ///< go on processing (method-specific processing, §8.2.5)
  respond,  ///< answer with uas_verdict::status and do nothing else
  drop,     ///< discard silently (a response, or a request not worth an answer)
};

/// The outcome of uas_check / uac_check. Views point either into the message
/// buffer (header, unsupported) or to static text (reason, rule).
struct uas_verdict {
  verdict_action action = verdict_action::accept;
  /// respond: the status code (400, 405, 406, 415, 416, 420, 483, 501, 505);
  /// else 0.
  int status = 0;
  /// respond: the reason phrase RFC 3261 §21 gives `status` (static).
  std::string_view reason;
  /// The header field at fault, as written in the message ("CSeq",
  /// "Require" ...), or its canonical name when it is missing; empty when
  /// the start line is at fault or the request was accepted.
  std::string_view header;
  /// Which rule decided, with its RFC section ("RFC 3261 §8.2.2.3: ...").
  std::string_view rule;
  /// 420: the option tags to list in the Unsupported header field of the
  /// response, in request order, each once.
  std::vector<std::string_view> unsupported;

  [[nodiscard]] bool accepted() const noexcept { return action == verdict_action::accept; }
};

/// The checks a UAS (or proxy, or registrar, by policy.role) makes on a
/// request that passed validate_syntax(), in this order; the first that
/// fails decides:
///
///  1. SIP-Version other than SIP/2.0 -> 505 (RFC 3261 §21.5.6;
///     RFC 4475 §3.1.2.16 badvers).
///  2. Via, To, From, Call-ID, CSeq missing, or To, From, Call-ID, CSeq,
///     Max-Forwards given more than once -> 400 (§8.1.1, §20; RFC 4475
///     §3.3.1 insuf, §3.3.8 multi01). A missing Max-Forwards is accepted
///     (§16.3 step 3; RFC 4475 §3.4.1 inv2543 is RFC 2543 style).
///  3. Method (endpoint, registrar; §8.2.1): not in allowed_methods -> 405
///     when sipua knows the method, else 501. A proxy forwards any method
///     (§16.3 step 1).
///  4. CSeq method differs from the request method (§8.1.1.5, §20.16) ->
///     400 (RFC 4475 §3.1.2.17 mismatch01). ACK and CANCEL are no exception:
///     their CSeq method is ACK and CANCEL (§17.1.1.3, §9.1); what they share
///     with the INVITE is the CSeq number, which only the transaction layer
///     can check. A proxy answers 501 when the
///     request's method is unknown to it (§3.1.2.18 mismatch02 prefers 501;
///     at an endpoint step 3 already answered 501).
///  5. Request-URI scheme not in uri_schemes -> 416 (§8.2.2.1, §16.3 step 2;
///     RFC 4475 §3.3.2 unkscm, §3.3.3 novelsc).
///  6. Proxy only: Max-Forwards 0 -> 483 (§16.3 step 3; RFC 4475 §3.3.11
///     zeromf). An endpoint processes the request normally.
///  7. Option tags (§8.2.2.3, §16.3 step 5; RFC 4475 §3.3.5 bext01): Require
///     (endpoint, registrar; ignored in ACK and CANCEL) or Proxy-Require
///     (proxy) lists a tag not in supported_option_tags -> 420, with the
///     tags in `unsupported`.
///  8. Registrar, REGISTER: the To URI (the address-of-record) is not sip
///     or sips -> 400 (§10.2, §10.3 step 5; RFC 4475 §3.3.4 unksm2); a
///     Contact "*" with other Contact values, or without Expires: 0 -> 400
///     (§10.3 step 6). Non-SIP Contact URIs are bindings like any other
///     (§10.2.1) and non-SIP From URIs are not checked.
///  9. Endpoint, registrar: a non-empty body with no Content-Type -> 400
///     (§7.4.1, §20.15); a body of a type not in accepted_body_types, or
///     with a Content-Encoding not in accepted_encodings, unless
///     Content-Disposition says handling=optional -> 415 (§8.2.3; RFC 4475
///     §3.3.6 invut). A proxy forwards any body.
/// 10. Endpoint, registrar: INVITE (or UPDATE/PRACK with a body) whose
///     Accept (an absent Accept means application/sdp, §20.1) admits none of
///     response_body_types -> 406 (§21.4.7; RFC 4475 §3.3.15 sdp01).
///
/// A response given to uas_check is handed to uac_check.
/// Fields whose typed parse fails here (validate_syntax was skipped) make
/// the verdict 400.
uas_verdict uas_check(const message& request, const uas_policy& policy);

/// The checks on a response that passed validate_syntax(), made before it
/// reaches a client transaction; the verdict is accept or drop:
///  1. SIP-Version other than SIP/2.0 -> drop.
///  2. Via, To, From, Call-ID, CSeq missing or (To, From, Call-ID, CSeq)
///     duplicated -> drop (§8.1.1 lists them; a response cannot be matched
///     without them, §17.1.3).
///  3. A Via sent-by of 255.255.255.255 -> drop (RFC 4475 §3.3.10 bcast:
///     a proxy would forward the response to the broadcast address).
///  4. Endpoint: more than one via-parm -> drop (§8.1.3.3).
uas_verdict uac_check(const message& response, const uas_policy& policy);

/// uas_check for a request, uac_check for a response.
uas_verdict receive_check(const message& m, const uas_policy& policy);

}  // namespace sipua
