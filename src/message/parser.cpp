// The datagram parser: start line, header index, Content-Length framing.
// RFC 3261 §7 (message format), §7.3.1 (folding), §7.5 (leading CRLF),
// §18.3 (framing), §25.1 (grammar).
//
// One pass over the header section: memchr finds each line end, the name is
// scanned against the token table and mapped to an id by one hash probe.
// Values are not looked at here except Content-Length, which framing needs.
#include <cstring>

#include "sipua/message/detail/chars.hpp"
#include "sipua/message/message.hpp"

namespace sipua {

using detail::cc_digit;
using detail::cc_token;
using detail::is;

class message_parser {
 public:
  message_parser(std::string_view data, message& m, const parse_options& o) noexcept
      : base_(data.data()), end_(data.data() + data.size()), m_(m), o_(o) {}

  parse_error run() noexcept;

 private:
  parse_error fail(parse_errc code, const char* at, std::string_view header = {}) const noexcept {
    const int status = m_.is_request_ ? default_status(code) : 0;
    return parse_error{code, static_cast<std::size_t>(at - base_), header, status};
  }
  /// Finds the end of the line starting at p: returns the '\n' and sets
  /// content_end to the first byte of the line terminator.
  const char* line_end(const char* p, const char*& content_end, parse_error& err) const noexcept;
  parse_error start_line(const char* b, const char* e) noexcept;
  parse_error request_line(const char* b, const char* e) noexcept;
  parse_error status_line(const char* b, const char* e) noexcept;
  parse_error header_section(const char*& p) noexcept;
  parse_error add_field(header_id id, std::string_view name, std::string_view value) noexcept;
  parse_error content_length(std::string_view name, std::string_view value) noexcept;
  parse_error body(const char* p) noexcept;

  const char* base_;
  const char* end_;
  message& m_;
  const parse_options& o_;
};

const char* message_parser::line_end(const char* p, const char*& content_end,
                                     parse_error& err) const noexcept {
  const auto* nl = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end_ - p)));
  if (nl == nullptr) {
    err = fail(parse_errc::incomplete_headers, end_);
    return nullptr;
  }
  if (nl > p && nl[-1] == '\r') {
    content_end = nl - 1;
  } else if (o_.allow_bare_lf) {
    content_end = nl;
  } else {
    err = fail(parse_errc::bare_lf, nl);
    return nullptr;
  }
  return nl;
}

namespace {

// SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT   ("SIP" case-insensitive, §7.1)
bool valid_version(std::string_view v) noexcept {
  if (v.size() < 7 || !detail::iequals(v.substr(0, 4), "SIP/")) return false;
  std::size_t i = 4;
  const std::size_t major = detail::scan(v, i, cc_digit);
  if (major == i || major >= v.size() || v[major] != '.') return false;
  const std::size_t minor = detail::scan(v, major + 1, cc_digit);
  return minor > major + 1 && minor == v.size();
}

bool visible(char c) noexcept { return static_cast<unsigned char>(c) > 0x20 && c != 0x7f; }

}  // namespace

parse_error message_parser::request_line(const char* b, const char* e) noexcept {
  // Request-Line = Method SP Request-URI SP SIP-Version CRLF
  const char* p = b;
  while (p < e && is(*p, cc_token)) ++p;
  if (p == b) return fail(parse_errc::bad_method, b);
  if (p == e || *p != ' ') return fail(parse_errc::bad_request_line, p);
  m_.method_name_ = {b, static_cast<std::size_t>(p - b)};
  m_.method_ = to_method(m_.method_name_);

  const char* u = ++p;
  while (p < e && visible(*p)) ++p;
  const std::string_view uri{u, static_cast<std::size_t>(p - u)};
  if (uri.empty()) return fail(parse_errc::bad_request_line, u);
  // Request-URI = SIP-URI / SIPS-URI / absoluteURI: all begin with a scheme
  // followed by ':' (§25.1). This rejects "<sip:...>" (RFC 4475 §3.1.2.7).
  std::size_t i = 0;
  if (!is(uri[0], detail::cc_alpha)) return fail(parse_errc::bad_request_uri, u);
  i = detail::scan(uri, 1, detail::cc_scheme);
  if (i >= uri.size() || uri[i] != ':' || i + 1 == uri.size())
    return fail(parse_errc::bad_request_uri, u);
  m_.request_uri_ = uri;

  if (p == e || *p != ' ') return fail(parse_errc::bad_request_line, p);
  const char* v = ++p;
  const std::string_view version{v, static_cast<std::size_t>(e - v)};
  if (!valid_version(version)) {
    // "sip:a@b; lr SIP/2.0" (RFC 4475 §3.1.2.8): LWS inside the URI shows as
    // a third field that ends in a version.
    const std::size_t last_sp = version.rfind(' ');
    if (last_sp != std::string_view::npos && valid_version(version.substr(last_sp + 1)))
      return fail(parse_errc::bad_request_uri, u);
    return fail(parse_errc::bad_version, v);
  }
  m_.version_ = version;
  return {};
}

parse_error message_parser::status_line(const char* b, const char* e) noexcept {
  // Status-Line = SIP-Version SP Status-Code SP Reason-Phrase CRLF
  const char* p = b;
  while (p < e && *p != ' ') ++p;
  const std::string_view version{b, static_cast<std::size_t>(p - b)};
  if (!valid_version(version)) return fail(parse_errc::bad_version, b);
  m_.version_ = version;
  if (p == e) return fail(parse_errc::bad_status_line, p);
  const char* c = ++p;
  while (p < e && is(*p, cc_digit)) ++p;
  if (p - c != 3 || c[0] < '1' || c[0] > '6') return fail(parse_errc::bad_status_code, c);
  m_.status_ = (c[0] - '0') * 100 + (c[1] - '0') * 10 + (c[2] - '0');
  if (p == e || *p != ' ') return fail(parse_errc::bad_status_line, p);
  ++p;
  // Reason-Phrase = *(reserved / unreserved / escaped / UTF8-NONASCII /
  // UTF8-CONT / SP / HTAB): any text without control characters.
  for (const char* r = p; r < e; ++r)
    if (static_cast<unsigned char>(*r) < 0x20 && *r != '\t') return fail(parse_errc::bad_status_line, r);
  m_.reason_ = {p, static_cast<std::size_t>(e - p)};
  return {};
}

parse_error message_parser::start_line(const char* b, const char* e) noexcept {
  m_.start_line_ = {b, static_cast<std::size_t>(e - b)};
  if (static_cast<std::size_t>(e - b) > o_.limits.max_line_length)
    return fail(parse_errc::line_too_long, b);
  // A Status-Line starts with "SIP/"; no method token contains '/'.
  if (e - b >= 4 && detail::iequals({b, 4}, "SIP/")) {
    m_.is_request_ = false;
    return status_line(b, e);
  }
  m_.is_request_ = true;
  return request_line(b, e);
}

parse_error message_parser::content_length(std::string_view name, std::string_view value) noexcept {
  // Content-Length = ( "Content-Length" / "l" ) HCOLON 1*DIGIT   (§20.14)
  std::uint64_t v = 0;
  if (!detail::parse_uint(value, 0xffffffffULL, v))
    return fail(parse_errc::bad_content_length, value.data(), name);
  // Two different values leave the framing unknown (RFC 4475 §3.3.9).
  if (m_.has_content_length_ && m_.content_length_ != v)
    return fail(parse_errc::conflicting_content_length, value.data(), name);
  m_.has_content_length_ = true;
  m_.content_length_ = static_cast<std::uint32_t>(v);
  return {};
}

parse_error message_parser::add_field(header_id id, std::string_view name,
                                      std::string_view value) noexcept {
  const std::size_t max_headers = std::min<std::size_t>(o_.limits.max_headers, message::k_none - 1);
  if (m_.count_ >= max_headers) return fail(parse_errc::too_many_headers, name.data(), name);
  const std::uint32_t index = m_.count_++;
  if (index < message::k_inline) {
    m_.inline_[index] = header_field{id, name, value};
  } else {
    if (!m_.spilled_) {
      m_.spill_.assign(m_.inline_.begin(), m_.inline_.end());
      m_.spilled_ = true;
    }
    m_.spill_.push_back(header_field{id, name, value});
  }
  auto& first = m_.first_[static_cast<std::size_t>(id)];
  if (first == message::k_none) first = static_cast<std::uint16_t>(index);
  if (id == header_id::content_length) return content_length(name, value);
  return {};
}

parse_error message_parser::header_section(const char*& p) noexcept {
  for (;;) {
    if (p >= end_) {
      if (o_.allow_unterminated_headers) return {};
      return fail(parse_errc::incomplete_headers, end_);
    }
    // The empty line that ends the header section.
    if (*p == '\r') {
      if (p + 1 < end_ && p[1] == '\n') {
        p += 2;
        return {};
      }
      return fail(parse_errc::bad_header_name, p);
    }
    if (*p == '\n') {
      if (!o_.allow_bare_lf) return fail(parse_errc::bare_lf, p);
      ++p;
      return {};
    }
    if (*p == ' ' || *p == '\t') return fail(parse_errc::bad_continuation, p);

    // field-name HCOLON, HCOLON = *( SP / HTAB ) ":" SWS
    const char* name_begin = p;
    while (p < end_ && is(*p, cc_token)) ++p;
    const std::string_view name{name_begin, static_cast<std::size_t>(p - name_begin)};
    if (name.empty()) return fail(parse_errc::bad_header_name, name_begin);
    while (p < end_ && (*p == ' ' || *p == '\t')) ++p;
    if (p == end_ || *p != ':') return fail(parse_errc::missing_colon, p, name);
    ++p;

    // The value runs to the CRLF not followed by SP/HTAB (§7.3.1 folding).
    const char* content_end = nullptr;
    parse_error err;
    const char* nl = line_end(p, content_end, err);
    if (nl == nullptr) return err.header.empty() ? (err.header = name, err) : err;
    while (nl + 1 < end_ && (nl[1] == ' ' || nl[1] == '\t')) {
      nl = line_end(nl + 1, content_end, err);
      if (nl == nullptr) return (err.header = name, err);
    }
    if (static_cast<std::size_t>(content_end - name_begin) > o_.limits.max_line_length)
      return fail(parse_errc::line_too_long, name_begin, name);

    const char* vb = p;
    const char* ve = content_end;
    while (vb < ve && is(*vb, detail::cc_lws)) ++vb;
    while (ve > vb && is(ve[-1], detail::cc_lws)) --ve;
    const header_id id = lookup_header(name);
    if (auto e = add_field(id, name, {vb, static_cast<std::size_t>(ve - vb)})) return e;
    p = nl + 1;
  }
}

parse_error message_parser::body(const char* p) noexcept {
  const auto available = static_cast<std::size_t>(end_ - p);
  std::size_t size = available;  // §18.3: no Content-Length on UDP: to the end
  if (m_.has_content_length_) {
    size = m_.content_length_;
    if (size > o_.limits.max_body_size) return fail(parse_errc::body_too_large, p);
    if (size > available) {
      if (!o_.allow_short_body) return fail(parse_errc::body_truncated, end_);
      size = available;
      m_.body_truncated_ = true;
    }
  } else if (size > o_.limits.max_body_size) {
    return fail(parse_errc::body_too_large, p);
  }
  m_.body_ = {p, size};
  m_.bytes_ = {m_.start_line_.data(), static_cast<std::size_t>(p + size - m_.start_line_.data())};
  return {};
}

parse_error message_parser::run() noexcept {
  m_.base_ = base_;
  m_.count_ = 0;
  m_.spilled_ = false;
  m_.spill_.clear();
  m_.has_content_length_ = false;
  m_.content_length_ = 0;
  m_.body_truncated_ = false;
  m_.status_ = 0;
  m_.method_ = method::extension;
  m_.method_name_ = m_.request_uri_ = m_.reason_ = m_.body_ = m_.bytes_ = {};
  m_.is_request_ = true;
  m_.first_.fill(message::k_none);

  if (static_cast<std::size_t>(end_ - base_) > o_.limits.max_message_size)
    return fail(parse_errc::message_too_large, base_ + o_.limits.max_message_size);
  const char* p = base_;
  // §7.5: ignore CRLFs before the start line.
  while (p < end_ && (*p == '\r' || *p == '\n')) ++p;
  if (p == end_) return fail(parse_errc::empty_message, p);

  const char* content_end = nullptr;
  parse_error err;
  const char* nl = line_end(p, content_end, err);
  if (nl == nullptr) {
    // No line end at all: still say whether it was a request or response.
    m_.is_request_ = !(end_ - p >= 4 && detail::iequals({p, 4}, "SIP/"));
    return fail(err.code, base_ + err.offset);
  }
  if (auto e = start_line(p, content_end)) return e;
  p = nl + 1;
  if (auto e = header_section(p)) return e;
  return body(p);
}

parse_error parse_datagram(std::string_view data, message& out, const parse_options& options) noexcept {
  return message_parser{data, out, options}.run();
}

parse_result<message> parse_datagram(std::string_view data, const parse_options& options) {
  message m;
  if (auto e = parse_datagram(data, m, options)) return unexpected{e};
  return m;
}

}  // namespace sipua
