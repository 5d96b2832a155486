// The message builder: start line, header fields in call order, then
// Content-Length and the body (RFC 3261 §7, §8.1.1, §8.2.6, §25.1).
//
// Every value is checked before anything of its field is written; the first
// error truncates the output back to where this message started, so a
// malformed or half-written message is never left behind.
#include "sipua/message/builder.hpp"

#include <fmt/format.h>

#include <iterator>
#include <limits>

#include "typed_util.hpp"

#include "sipua/message/detail/chars.hpp"
#include "sipua/message/host.hpp"
#include "sipua/message/message.hpp"
#include "sipua/message/numeric.hpp"
#include "sipua/message/params.hpp"

namespace sipua {
namespace {

using detail::cc_alpha;
using detail::cc_scheme;
using detail::cc_token;
using detail::cc_word;
using detail::is;
using detail::npos;

/// Index of the first CR or LF, or npos: either would end the field early
/// (or fold it) and let the value inject header fields.
std::size_t find_line_break(std::string_view v) noexcept { return v.find_first_of("\r\n"); }

/// npos if `s` is a token (RFC 3261 §25.1), else the offset of the first
/// character that is not (0 for an empty string).
std::size_t check_token(std::string_view s) noexcept {
  const std::size_t e = detail::scan(s, 0, cc_token);
  return !s.empty() && e == s.size() ? npos : e;
}

/// npos when `r` parsed, else the offset of its error.
template <class R>
std::size_t error_offset(const R& r) noexcept {
  return r ? npos : r.error().offset;
}

/// npos if `s` is word [ "@" word ] (callid, §25.1) on one line, else the
/// bad offset: the parser's own check.
std::size_t check_call_id(std::string_view s) noexcept {
  if (const std::size_t i = find_line_break(s); i != npos) return i;
  return error_offset(parse_call_id(s));
}

/// npos if `p` is empty or *( SEMI generic-param ) with nothing after it,
/// else the bad offset.
std::size_t check_params(std::string_view p) noexcept {
  if (p.empty()) return npos;
  if (const std::size_t i = find_line_break(p); i != npos) return i;
  if (p[0] != ';') return 0;
  const std::size_t end = detail::scan_generic_params(p, 0);
  if (end == npos) return 0;
  return end == p.size() ? npos : end;
}

/// npos if `m` is m-type "/" m-subtype *( SEMI m-parameter ) (§20.15,
/// §25.1 media-type) on one line, else the bad offset: the parser's own check.
std::size_t check_media_type(std::string_view m) noexcept {
  if (const std::size_t i = find_line_break(m); i != npos) return i;
  return error_offset(parse_media_type(m));
}

/// display-name = *(token LWS) / quoted-string: true when the name can be
/// written bare, as tokens separated by single spaces.
bool is_token_run(std::string_view s) noexcept {
  if (s.empty() || s.front() == ' ' || s.back() == ' ') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == ' ') {
      if (s[i - 1] == ' ') return false;
    } else if (!is(s[i], cc_token)) {
      return false;
    }
  }
  return true;
}

/// Writes a display name and the SP before "<". A quoted-string carries
/// qdtext as is and everything else as a quoted-pair: '"', '\' and the
/// control characters other than HTAB (%x00-08, %x0B-0C, %x0E-1F, %x7F;
/// CR and LF were rejected before). Bytes over 0x7F are UTF8-NONASCII
/// qdtext and stay as they are (RFC 3261 §25.1).
void append_display_name(std::string& out, std::string_view d) {
  if (d.empty()) return;
  if (is_token_run(d)) {
    out.append(d).push_back(' ');
    return;
  }
  out.push_back('"');
  for (const char c : d) {
    const auto u = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\' || (u < 0x20 && c != '\t') || u == 0x7f) out.push_back('\\');
    out.push_back(c);
  }
  out.append("\" ");
}

/// Appends a value from a parsed message with every line break and the
/// whitespace around it replaced by one SP (RFC 3261 §7.3.1: a folded value
/// is equivalent to the unfolded one). A stray CR the parser let through
/// becomes a SP too, so a copied value can never break the framing.
void append_unfolded(std::string& out, std::string_view v) {
  std::size_t i = 0;
  while (i < v.size()) {
    const std::size_t brk = v.find_first_of("\r\n", i);
    if (brk == npos) {
      out.append(v.substr(i));
      return;
    }
    std::size_t e = brk;
    while (e > i && (v[e - 1] == ' ' || v[e - 1] == '\t')) --e;
    out.append(v.substr(i, e - i));
    i = detail::skip_lws(v, brk);
    if (i < v.size()) out.push_back(' ');
  }
}

}  // namespace

// ---- message_builder --------------------------------------------------------

message_builder::message_builder(std::string* out, std::size_t size_hint) : out_(out) {
  std::string& b = buf();
  start_ = b.size();
  // One reservation; a no-op when a reused string already has the room.
  b.reserve(start_ + size_hint);
}

void message_builder::fail(parse_errc code, std::size_t offset, std::string_view header) {
  if (error_) return;
  error_ = parse_error{code, offset, header, 0};
  buf().resize(start_);
}

std::string_view message_builder::view() const noexcept {
  const std::string_view all{buf()};
  return start_ <= all.size() ? all.substr(start_) : std::string_view{};
}

void message_builder::request_line(std::string_view method, std::string_view request_uri) {
  // Request-Line = Method SP Request-URI SP SIP-Version CRLF  (§7.1)
  if (const std::size_t i = check_token(method); i != npos) return fail(parse_errc::bad_method, i);
  if (const std::size_t i = detail::uri_shape_error(request_uri, false); i != npos)
    return fail(parse_errc::bad_request_uri, i);
  fmt::format_to(std::back_inserter(buf()), "{} {} SIP/2.0\r\n", method, request_uri);
}

void message_builder::status_line(int status, std::string_view reason) {
  // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF  (§7.2)
  if (status < 100 || status > 699) return fail(parse_errc::bad_status_code, 0);
  if (reason.empty()) reason = default_reason(status);
  for (std::size_t i = 0; i < reason.size(); ++i) {
    const auto u = static_cast<unsigned char>(reason[i]);
    if ((u < 0x20 && u != '\t') || u == 0x7f) return fail(parse_errc::bad_status_line, i);
  }
  fmt::format_to(std::back_inserter(buf()), "SIP/2.0 {} {}\r\n", status, reason);
}

void message_builder::write_field(std::string_view name, std::string_view value) {
  if (const std::size_t i = find_line_break(value); i != npos)
    return fail(parse_errc::bad_header_value, i, name);
  fmt::format_to(std::back_inserter(buf()), "{}: {}\r\n", name, value);
}

void message_builder::write_copied(std::string_view name, std::string_view value,
                                   std::string_view tag) {
  std::string& b = buf();
  b.append(name).append(": ");
  append_unfolded(b, value);
  if (!tag.empty()) b.append(";tag=").append(tag);
  b.append("\r\n");
}

message_builder& message_builder::header(header_id id, std::string_view value) {
  if (!active()) return *this;
  const std::string_view name = header_name(id);
  if (name.empty()) {
    fail(parse_errc::bad_header_name, 0);
  } else if (id == header_id::content_length) {
    fail(parse_errc::conflicting_content_length, 0, name);
  } else {
    write_field(name, value);
  }
  return *this;
}

message_builder& message_builder::header(std::string_view name, std::string_view value) {
  if (!active()) return *this;
  if (const std::size_t i = check_token(name); i != npos) {
    fail(parse_errc::bad_header_name, i, name);
  } else if (lookup_header(name) == header_id::content_length) {
    fail(parse_errc::conflicting_content_length, 0, name);
  } else {
    write_field(name, value);
  }
  return *this;
}

message_builder& message_builder::copy(const message& m, header_id id) {
  if (!active()) return *this;
  const std::string_view name = header_name(id);
  if (name.empty()) {
    fail(parse_errc::bad_header_name, 0);
  } else if (id == header_id::content_length) {
    fail(parse_errc::conflicting_content_length, 0, name);
  } else {
    for (const header_field& f : m.headers())
      if (f.id == id) write_copied(name, f.value);
  }
  return *this;
}

message_builder& message_builder::via(const via_spec& v) {
  if (active()) write_via(v);
  return *this;
}

parse_error append_via_parm(std::string& out, const via_spec& v) {
  // via-parm = sent-protocol LWS sent-by *( SEMI via-params )  (§20.42, §25.1)
  constexpr std::string_view name = "Via";
  std::string_view host;
  std::optional<std::uint16_t> port;
  if (const std::size_t i = check_token(v.transport); i != npos)
    return parse_error{parse_errc::bad_header_value, i, name, 0};
  if (!split_host_port(v.sent_by, host, port) || !classify_host(host))
    return parse_error{parse_errc::bad_header_value, 0, name, 0};
  if (const std::size_t i = check_token(v.branch); i != npos)
    return parse_error{parse_errc::bad_param, i, name, 0};
  if (const std::size_t i = check_params(v.params); i != npos)
    return parse_error{parse_errc::bad_param, i, name, 0};
  fmt::format_to(std::back_inserter(out), "SIP/2.0/{} {};branch={}{}{}", v.transport, v.sent_by,
                 v.branch, v.rport ? ";rport" : "", v.params);
  return parse_error{parse_errc::ok, 0, {}, 0};
}

void message_builder::write_via(const via_spec& v) {
  std::string& b = buf();
  b.append("Via: ");
  if (parse_error e = append_via_parm(b, v)) return fail(e.code, e.offset, e.header);
  b.append("\r\n");
}

void message_builder::write_name_addr(std::string_view name, const name_addr_spec& a) {
  // name-addr = [ display-name ] LAQUOT addr-spec RAQUOT, then params (§25.1)
  if (const std::size_t i = find_line_break(a.display_name); i != npos)
    return fail(parse_errc::bad_header_value, i, name);
  if (const std::size_t i = detail::uri_shape_error(a.uri, false); i != npos)
    return fail(parse_errc::bad_uri, i, name);
  if (!a.tag.empty())
    if (const std::size_t i = check_token(a.tag); i != npos)
      return fail(parse_errc::bad_param, i, name);
  if (const std::size_t i = check_params(a.params); i != npos)
    return fail(parse_errc::bad_param, i, name);
  std::string& b = buf();
  b.append(name).append(": ");
  append_display_name(b, a.display_name);
  b.append("<").append(a.uri).append(">");
  if (!a.tag.empty()) b.append(";tag=").append(a.tag);
  b.append(a.params).append("\r\n");
}

message_builder& message_builder::from(const name_addr_spec& a) {
  if (active()) write_name_addr("From", a);
  return *this;
}

message_builder& message_builder::to(const name_addr_spec& a) {
  if (active()) write_name_addr("To", a);
  return *this;
}

message_builder& message_builder::contact(const name_addr_spec& a) {
  if (active()) write_name_addr("Contact", a);
  return *this;
}

message_builder& message_builder::call_id(std::string_view id) {
  if (!active()) return *this;
  if (const std::size_t i = check_call_id(id); i != npos)
    fail(parse_errc::bad_header_value, i, "Call-ID");
  else
    write_field("Call-ID", id);
  return *this;
}

message_builder& message_builder::cseq(std::uint32_t number, sipua::method m) {
  return cseq(number, to_string(m));
}

message_builder& message_builder::cseq(std::uint32_t number, std::string_view method_token) {
  // CSeq = "CSeq" HCOLON 1*DIGIT LWS Method  (§20.16)
  if (!active()) return *this;
  if (const std::size_t i = check_token(method_token); i != npos)
    fail(parse_errc::bad_method, i, "CSeq");
  else
    fmt::format_to(std::back_inserter(buf()), "CSeq: {} {}\r\n", number, method_token);
  return *this;
}

message_builder& message_builder::max_forwards(unsigned hops) {
  // §20.22: "an integer in the range 0-255".
  if (!active()) return *this;
  if (hops > 255)
    fail(parse_errc::bad_number, 0, "Max-Forwards");
  else
    fmt::format_to(std::back_inserter(buf()), "Max-Forwards: {}\r\n", hops);
  return *this;
}

message_builder& message_builder::content_type(std::string_view media_type) {
  if (!active()) return *this;
  if (const std::size_t i = check_media_type(media_type); i != npos)
    fail(parse_errc::bad_header_value, i, "Content-Type");
  else
    write_field("Content-Type", media_type);
  return *this;
}

parse_error message_builder::finish(std::string_view body) {
  if (finished_ || error_) {
    finished_ = true;
    return error_;
  }
  finished_ = true;
  // Content-Length = 1*DIGIT; the parser reads it as 32 bits.
  if (body.size() > std::numeric_limits<std::uint32_t>::max()) {
    fail(parse_errc::bad_content_length, 0, "Content-Length");
    return error_;
  }
  // §20.14 / §18.3: always written, so stream transports can frame it.
  std::string& b = buf();
  fmt::format_to(std::back_inserter(b), "Content-Length: {}\r\n\r\n", body.size());
  b.append(body);
  return error_;
}

std::string message_builder::take() noexcept {
  std::string s = std::move(own_);
  own_.clear();
  return s;
}

parse_result<std::string> message_builder::build(std::string_view body) {
  if (parse_error e = finish(body)) return unexpected{e};
  return take();
}

// ---- request_builder, response_builder ----------------------------------------

request_builder::request_builder(sipua::method m, std::string_view request_uri,
                                 std::size_t size_hint)
    : message_builder(nullptr, size_hint) {
  request_line(to_string(m), request_uri);
}

request_builder::request_builder(std::string_view method_token, std::string_view request_uri,
                                 std::size_t size_hint)
    : message_builder(nullptr, size_hint) {
  request_line(method_token, request_uri);
}

request_builder::request_builder(std::string& out, sipua::method m, std::string_view request_uri,
                                 std::size_t size_hint)
    : message_builder(&out, size_hint) {
  request_line(to_string(m), request_uri);
}

request_builder::request_builder(std::string& out, std::string_view method_token,
                                 std::string_view request_uri, std::size_t size_hint)
    : message_builder(&out, size_hint) {
  request_line(method_token, request_uri);
}

response_builder::response_builder(int status, std::string_view reason, std::size_t size_hint)
    : message_builder(nullptr, size_hint) {
  status_line(status, reason);
}

response_builder::response_builder(std::string& out, int status, std::string_view reason,
                                   std::size_t size_hint)
    : message_builder(&out, size_hint) {
  status_line(status, reason);
}

}  // namespace sipua
