// Building SIP messages: requests and responses written straight into one
// output buffer (RFC 3261 §7, §8.1.1, §8.2.6, §25.1).
//
// A builder writes the start line when it is made, then one header field per
// call, in call order, and finish() writes Content-Length (computed from the
// body) and the body last. Every input that would break the framing of the
// message (CR or LF in a value, a method or header name that is not a token,
// a URI with spaces ...) is rejected: the builder records the first error,
// ignores every later call, and removes what it wrote, so a malformed message
// is never left in the output.
//
//   std::string wire;                           // reused between messages
//   sipua::request_builder b{wire, sipua::method::invite, "sip:bob@biloxi.com"};
//   b.via({.transport = "UDP", .sent_by = "pc33.atlanta.com", .branch = "z9hG4bK776asdhds"})
//       .max_forwards(70)
//       .to({.display_name = "Bob", .uri = "sip:bob@biloxi.com"})
//       .from({.display_name = "Alice", .uri = "sip:alice@atlanta.com", .tag = "1928301774"})
//       .call_id("a84b4c76e66710@pc33.atlanta.com")
//       .cseq(314159, sipua::method::invite)
//       .contact({.uri = "sip:alice@pc33.atlanta.com"})
//       .content_type("application/sdp");
//   if (auto e = b.finish(sdp)) { /* e.code, e.offset, e.header */ }
//
// Output: a builder either owns its string (constructors without a
// std::string&; take the result with take() or build()) or appends to a
// caller's string, which must outlive the builder and which the caller
// leaves alone until finish() (the builder remembers where its message
// starts, and truncates back to there on error). Either way it reserves
// once, size_hint bytes past what the string already holds (nothing is
// allocated when the string's capacity is already enough, so a string reused
// across messages stops allocating); a message larger than the hint still
// builds, with the string's usual geometric growth.
//
// Threading: a builder is a plain value; use one per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sipua/message/error.hpp"
#include "sipua/message/header_id.hpp"
#include "sipua/message/method.hpp"
#include "sipua/message/parse_result.hpp"
#include "sipua/message/status.hpp"

namespace sipua {

class message;

/// A Via value: "SIP/2.0/<transport> <sent_by>;branch=<branch>[;rport]<params>".
struct via_spec {
  std::string_view transport = "UDP";  ///< a token: UDP, TCP, TLS, SCTP, WS, WSS ...
  std::string_view sent_by{};          ///< host[:port]; IPv6 as a reference "[...]"
  /// A token. RFC 3261 §8.1.1.7 wants it to start with the "z9hG4bK" cookie
  /// and be unique per transaction: that is the caller's job.
  std::string_view branch{};
  bool rport = false;  ///< add an empty rport parameter (RFC 3581 §3)
  /// More via-params as written, starting with ';' (or empty).
  std::string_view params{};
};

/// Appends the via-parm text of `v` to `out`, without "Via: " and CRLF:
/// "SIP/2.0/<transport> <sent_by>;branch=<branch>[;rport]<params>" (what
/// message_builder::via() writes as the field value; the transport layer
/// uses it for the top Via of requests it routes). Errors, as for
/// message_builder::via() (header "Via", status 0): bad_header_value when
/// the transport is not a token (offset into it) or sent_by is not
/// host[:port] (offset 0); bad_param when the branch is not a token or the
/// params are not generic-params (offset into that argument). On error
/// `out` is left unchanged.
parse_error append_via_parm(std::string& out, const via_spec& v);

/// A name-addr (From, To, Contact ...): [display-name] "<" URI ">" *(;param).
struct name_addr_spec {
  /// Shown as is when it is a run of tokens separated by single spaces,
  /// otherwise as a quoted-string with '"', '\\' and control characters
  /// escaped (RFC 3261 §25.1 quoted-string, quoted-pair). Empty: no display name.
  std::string_view display_name{};
  std::string_view uri{};     ///< scheme ":" ...; written inside "<" ">"
  std::string_view tag{};     ///< a token written as ";tag=<tag>" when not empty
  std::string_view params{};  ///< more generic-params as written, starting with ';' (or empty)
};

/// Writes one SIP message. Made through request_builder, response_builder or
/// build_response(). Calls return *this so they chain. Errors (all
/// parse_errc, recorded once, returned by error() and finish()):
///   - bad_method: a method (start line or CSeq) that is not a token;
///   - bad_request_uri: Request-URI not "scheme:" followed by visible
///     characters other than '<' and '>';
///   - bad_status_code: status outside 100..699; bad_status_line: a control
///     character (other than HTAB) in the reason phrase;
///   - bad_header_name: a header name that is not a token, or header_id::unknown;
///   - bad_header_value: CR or LF in a value, or a Via/Call-ID/CSeq/
///     Content-Type value that does not match its grammar;
///   - bad_uri: a name-addr URI that is not "scheme:" followed by visible
///     characters other than '<' and '>';
///   - bad_param: a tag or branch that is not a token, params that are not
///     generic-params, a missing To tag in build_response();
///   - bad_number: Max-Forwards over 255 (RFC 3261 §20.22);
///   - conflicting_content_length: a Content-Length header given by the
///     caller (finish() writes it);
///   - bad_content_length: a body of 2**32 bytes or more;
///   - missing_header: build_response() on a request without Via, From, To,
///     Call-ID or CSeq; bad_request_line: build_response() on a response.
/// The error's offset is into the argument that was rejected (0 for
/// missing_header and bad_request_line); its header is the field's name (a
/// static view, or the caller's name argument); its status is 0 (there is
/// no received request to answer).
///
/// Every argument is copied into the output during the call; the builder
/// keeps no view of it (except error().header, which may view the name the
/// caller passed to header()).
class message_builder {
 public:
  static constexpr std::size_t default_size_hint = 1024;

  message_builder(message_builder&&) noexcept = default;
  message_builder& operator=(message_builder&&) noexcept = default;
  message_builder(const message_builder&) = delete;
  message_builder& operator=(const message_builder&) = delete;
  ~message_builder() = default;

  // ---- header fields, written in call order -----------------------------
  /// "<canonical name>: value". `id` may not be unknown or content_length.
  message_builder& header(header_id id, std::string_view value);
  /// "name: value" with the name as given (a token; any known or unknown
  /// name except Content-Length / "l").
  message_builder& header(std::string_view name, std::string_view value);
  /// Copies every field with `id` from `m`, in order, under the canonical
  /// name; folded values are written on one line (RFC 3261 §7.3.1). Copies
  /// nothing when `m` has no such field. Use it for Record-Route into a
  /// dialog-creating response (§12.1.1), or to answer a broken request.
  message_builder& copy(const message& m, header_id id);
  message_builder& via(const via_spec& v);
  message_builder& from(const name_addr_spec& a);
  message_builder& to(const name_addr_spec& a);
  /// callid = word [ "@" word ]  (RFC 3261 §25.1)
  message_builder& call_id(std::string_view id);
  /// "CSeq: <number> <method>"; method::extension is rejected (bad_method):
  /// pass the token instead.
  message_builder& cseq(std::uint32_t number, sipua::method m);
  message_builder& cseq(std::uint32_t number, std::string_view method_token);
  /// 0..255 (RFC 3261 §20.22).
  message_builder& max_forwards(unsigned hops);
  /// One Contact name-addr (the "*" form: header(header_id::contact, "*")).
  message_builder& contact(const name_addr_spec& a);
  /// media-type = m-type "/" m-subtype *( ";" m-parameter ), e.g. "application/sdp".
  message_builder& content_type(std::string_view media_type);

  // ---- completion -------------------------------------------------------
  /// Writes "Content-Length: <body.size()>", the empty line and the body.
  /// Returns the first error of the builder (ok on success). On error the
  /// output holds nothing of this message (an owned string is empty, a
  /// caller's string has its old size). After finish() the builder is
  /// spent: later calls do nothing and finish() returns the same result.
  parse_error finish(std::string_view body = {});
  /// The owned string (empty for a builder that appends to a caller's
  /// string). Call it after finish() returned ok.
  [[nodiscard]] std::string take() noexcept;
  /// finish(body), then take(): the whole message, or the error.
  [[nodiscard]] parse_result<std::string> build(std::string_view body = {});

  /// The first error so far (ok if none).
  [[nodiscard]] const parse_error& error() const noexcept { return error_; }
  /// The bytes of this message written so far. Valid until the next call.
  [[nodiscard]] std::string_view view() const noexcept;

 protected:
  /// Appends to *out, or to an owned string when out is null.
  message_builder(std::string* out, std::size_t size_hint);
  void request_line(std::string_view method, std::string_view request_uri);
  void status_line(int status, std::string_view reason);
  /// The status line and the §8.2.6 fields of the response to `request`;
  /// `first_via`, when not null, replaces the value of the first Via field.
  void answer(const message& request, int status, std::string_view reason, std::string_view to_tag,
              const std::string_view* first_via = nullptr);

 private:
  std::string& buf() noexcept { return out_ != nullptr ? *out_ : own_; }
  [[nodiscard]] const std::string& buf() const noexcept { return out_ != nullptr ? *out_ : own_; }
  [[nodiscard]] bool active() const noexcept { return !error_ && !finished_; }
  /// Records the first error and removes this message from the output.
  void fail(parse_errc code, std::size_t offset, std::string_view header = {});
  void write_field(std::string_view name, std::string_view value);
  /// Writes a value taken from a parsed message, unfolded onto one line,
  /// then ";tag=<tag>" when `tag` is not empty.
  void write_copied(std::string_view name, std::string_view value, std::string_view tag = {});
  void write_via(const via_spec& v);
  void write_name_addr(std::string_view name, const name_addr_spec& a);
  void write_response_to(std::string_view to_value, int status, std::string_view to_tag);
  /// The request's Via fields with the first one's value replaced.
  void write_vias(const message& request, std::string_view first_via);

  std::string own_;
  std::string* out_ = nullptr;
  std::size_t start_ = 0;  ///< where this message starts in the output
  parse_error error_;
  bool finished_ = false;
};

/// A request: "Method SP Request-URI SP SIP/2.0 CRLF", then the caller's
/// header fields. Nothing is added implicitly except Content-Length: the
/// caller writes Via, Max-Forwards, To, From, Call-ID and CSeq (§8.1.1).
class request_builder : public message_builder {
 public:
  /// A known method (method::extension is rejected with bad_method: use the
  /// token form). The builder owns its output.
  request_builder(sipua::method m, std::string_view request_uri,
                  std::size_t size_hint = default_size_hint);
  /// Any method token (case-sensitive, RFC 3261 §7.1).
  request_builder(std::string_view method_token, std::string_view request_uri,
                  std::size_t size_hint = default_size_hint);
  /// The same, appending to `out`, which must outlive the builder.
  request_builder(std::string& out, sipua::method m, std::string_view request_uri,
                  std::size_t size_hint = default_size_hint);
  request_builder(std::string& out, std::string_view method_token, std::string_view request_uri,
                  std::size_t size_hint = default_size_hint);
};

/// The value the response's first Via field carries instead of the
/// request's: the request's first Via value with the received and rport
/// parameters a server adds (RFC 3261 §18.2.1, RFC 3581 §4), as
/// top_via_for_response() (sipua/transport/routing.hpp) writes it. A named
/// type, so that it cannot be mistaken for a reason phrase or a tag.
struct response_top_via {
  /// One or more comma-separated via-parms (the whole first field value;
  /// folded LWS is unfolded when written). Viewed during the call only.
  std::string_view value;
};

/// A response: "SIP/2.0 SP Status-Code SP Reason-Phrase CRLF", then the
/// caller's header fields. An empty reason uses default_reason(status).
/// To answer a request use build_response(), which copies the §8.2.6 fields.
class response_builder : public message_builder {
 public:
  explicit response_builder(int status, std::string_view reason = {},
                            std::size_t size_hint = default_size_hint);
  /// The same, appending to `out`, which must outlive the builder.
  response_builder(std::string& out, int status, std::string_view reason = {},
                   std::size_t size_hint = default_size_hint);
  /// The response to `request`: see build_response().
  response_builder(const message& request, int status, std::string_view reason,
                   std::string_view to_tag);
  response_builder(std::string& out, const message& request, int status, std::string_view reason,
                   std::string_view to_tag);
  /// The response to `request` with its first Via value replaced: see
  /// build_response(const message&, response_top_via, ...).
  response_builder(const message& request, response_top_via top_via, int status,
                   std::string_view reason, std::string_view to_tag);
  response_builder(std::string& out, const message& request, response_top_via top_via, int status,
                   std::string_view reason, std::string_view to_tag);
};

/// Starts the response to `request` per RFC 3261 §8.2.6 and returns the
/// builder to add more fields (Contact, Record-Route, Allow ...) and finish:
///   - every Via field, in order, each copied as is (several via-parms in
///     one field stay in one field) (§8.2.6.2);
///   - the request's (first) From, Call-ID and CSeq fields copied;
///   - its (first) To copied; when that To has no tag and status > 100,
///     ";tag=<to_tag>" is added (a 100 Trying never gets one). `to_tag` is
///     ignored when the request's To already has a tag or status is 100,
///     and must be a non-empty token otherwise (bad_param). A To value too
///     malformed to find its parameters (an unclosed quote or '<') is
///     copied as is, without a tag;
///   - for a 100, the request's Timestamp field, if any (§8.2.6.1; no delay
///     is added: the message layer has no clock).
/// Copied values are written under their canonical names, unfolded onto one
/// line. An empty reason uses default_reason(status). `request` is only read
/// during the call. Errors: as message_builder, plus bad_request_line if
/// `request` is a response and missing_header if it lacks Via, From, To,
/// Call-ID or CSeq.
response_builder build_response(const message& request, int status, std::string_view reason = {},
                                std::string_view to_tag = {});
/// The same, appending to `out`, which must outlive the builder.
response_builder build_response(std::string& out, const message& request, int status,
                                std::string_view reason = {}, std::string_view to_tag = {});

/// build_response() with the value of the response's first Via field taken
/// from `top_via` instead of copied from the request's first Via field; the
/// request's other Via fields are copied as they are, after it (§8.2.6.2
/// keeps their order). Use it to send the received / rport parameters back
/// (RFC 3261 §18.2.1, RFC 3581 §4):
///
///   auto top = top_via_for_response(request.value(header_id::via), origin);
///   if (!top) { /* malformed top Via */ }
///   auto b = build_response(request, response_top_via{*top}, 200, {}, tag);
///
/// Errors: as build_response(), plus (header "Via", offset into
/// `top_via.value`) what validate_via_list() reports on `top_via.value`:
/// bad_header_value or bad_param (an empty value fails with
/// bad_header_value at 0). missing_header is reported first when the
/// request has no Via at all (there is then no field to replace).
response_builder build_response(const message& request, response_top_via top_via, int status,
                                std::string_view reason = {}, std::string_view to_tag = {});
/// The same, appending to `out`, which must outlive the builder.
response_builder build_response(std::string& out, const message& request, response_top_via top_via,
                                int status, std::string_view reason = {},
                                std::string_view to_tag = {});

}  // namespace sipua
