// The datagram parser: start line, header index, Content-Length framing.
// RFC 3261 §7 (message format), §7.3.1 (folding), §7.5 (leading CRLF),
// §18.3 (framing), §25.1 (grammar).
//
// One pass over the header section: an inline 32/16-byte search finds each
// line end; a name in its canonical spelling is recognised by its colon and
// one perfect-hash probe, any other is scanned against the token table and
// looked up case-insensitively. Values are not looked at here except
// Content-Length, which framing needs. Steps return false on error and leave the reason in err_, so
// the success path carries no error record.
#include <algorithm>
#include <cstring>

#include "header_table.hpp"

#include "sipua/message/detail/chars.hpp"
#include "sipua/message/message.hpp"

namespace sipua {

using detail::cc_digit;
using detail::cc_lws;
using detail::cc_token;
using detail::is;

class message_parser {
 public:
  message_parser(std::string_view data, message& m, const parse_options& o) noexcept
      : base_(data.data()), end_(data.data() + data.size()), m_(m), o_(o) {}

  parse_error run() noexcept;

 private:
  [[gnu::cold]] bool fail(parse_errc code, const char* at, std::string_view header = {}) noexcept {
    const int status = m_.is_request_ ? default_status(code) : 0;
    err_ = parse_error{code, static_cast<std::size_t>(at - base_), header, status};
    return false;
  }
  const char* line_end(const char* p, const char*& content_end) noexcept;
  bool start_line(const char* b, const char* e) noexcept;
  bool request_line(const char* b, const char* e) noexcept;
  bool status_line(const char* b, const char* e) noexcept;
  bool header_section(const char*& p) noexcept;
  bool section_end(const char*& p) noexcept;
  bool continuation(const char*& p) noexcept;
  bool content_lengths() noexcept;
  bool spill(header_id id, std::string_view name, std::string_view value) noexcept;
  bool content_length(std::string_view name, std::string_view value) noexcept;
  bool body(const char* p) noexcept;

  const char* base_;
  const char* end_;
  message& m_;
  const parse_options& o_;
  parse_error err_;
};

const char* message_parser::line_end(const char* p, const char*& content_end) noexcept {
  const char* nl = detail::find_lf(p, end_);
  if (nl == nullptr) {
    fail(parse_errc::incomplete_headers, end_);
    return nullptr;
  }
  if (nl > p && nl[-1] == '\r') {
    content_end = nl - 1;
  } else if (o_.allow_bare_lf) {
    content_end = nl;
  } else {
    fail(parse_errc::bare_lf, nl);
    return nullptr;
  }
  return nl;
}

namespace {

// SIP-Version = "SIP" "/" 1*DIGIT "." 1*DIGIT   ("SIP" case-insensitive, §7.1)
bool valid_version(std::string_view v) noexcept {
  if (v == "SIP/2.0") return true;
  if (v.size() < 7 || !detail::iequals(v.substr(0, 4), "SIP/")) return false;
  const std::size_t major = detail::scan(v, 4, cc_digit);
  if (major == 4 || major >= v.size() || v[major] != '.') return false;
  const std::size_t minor = detail::scan(v, major + 1, cc_digit);
  return minor > major + 1 && minor == v.size();
}

}  // namespace

bool message_parser::request_line(const char* b, const char* e) noexcept {
  // Request-Line = Method SP Request-URI SP SIP-Version CRLF
  const char* p = b;
  while (p < e && is(*p, cc_token)) ++p;
  if (p == b) return fail(parse_errc::bad_method, b);
  if (p == e || *p != ' ') return fail(parse_errc::bad_request_line, p);
  m_.method_name_ = {b, static_cast<std::size_t>(p - b)};
  m_.method_ = to_method(m_.method_name_);

  const char* u = ++p;
  const char* sp = detail::find_char(u, e, ' ');
  p = sp ? sp : e;
  const std::string_view uri{u, static_cast<std::size_t>(p - u)};
  if (uri.empty()) return fail(parse_errc::bad_request_line, u);
  // No control characters, DEL or LWS inside the URI (RFC 4475 §3.1.2.8).
  if (!detail::all_visible(uri)) return fail(parse_errc::bad_request_uri, u);
  // Request-URI = SIP-URI / SIPS-URI / absoluteURI: all begin with a scheme
  // followed by ':' (§25.1). This rejects "<sip:...>" (RFC 4475 §3.1.2.7).
  if (!is(uri[0], detail::cc_alpha)) return fail(parse_errc::bad_request_uri, u);
  const std::size_t colon = detail::scan(uri, 1, detail::cc_scheme);
  if (colon >= uri.size() || uri[colon] != ':' || colon + 1 == uri.size())
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
  return true;
}

bool message_parser::status_line(const char* b, const char* e) noexcept {
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
    if (static_cast<unsigned char>(*r) < 0x20 && *r != '\t')
      return fail(parse_errc::bad_status_line, r);
  m_.reason_ = {p, static_cast<std::size_t>(e - p)};
  return true;
}

bool message_parser::start_line(const char* b, const char* e) noexcept {
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

bool message_parser::content_length(std::string_view name, std::string_view value) noexcept {
  // Content-Length = ( "Content-Length" / "l" ) HCOLON 1*DIGIT   (§20.14)
  std::uint64_t v = 0;
  if (!detail::parse_uint(value, 0xffffffffULL, v))
    return fail(parse_errc::bad_content_length, value.data(), name);
  // Two different values leave the framing unknown (RFC 4475 §3.3.9).
  if (m_.has_content_length_ && m_.content_length_ != v)
    return fail(parse_errc::conflicting_content_length, value.data(), name);
  m_.has_content_length_ = true;
  m_.content_length_ = static_cast<std::uint32_t>(v);
  return true;
}

// Past the inline capacity: move to the heap vector (once), within limits.
bool message_parser::spill(header_id id, std::string_view name, std::string_view value) noexcept {
  const std::size_t max_headers = std::min<std::size_t>(o_.limits.max_headers, message::k_none - 1);
  if (m_.count_ >= max_headers) return fail(parse_errc::too_many_headers, name.data(), name);
  if (!m_.spilled_) {
    m_.spill_.assign(m_.inline_.begin(), m_.inline_.begin() + m_.count_);
    m_.spilled_ = true;
  }
  m_.spill_.push_back(header_field{id, name, value});
  return true;
}

// The first byte of a header line is not a token character: the empty line
// that ends the section, or an error.
bool message_parser::section_end(const char*& p) noexcept {
  if (p >= end_) {
    if (o_.allow_unterminated_headers) return true;
    return fail(parse_errc::incomplete_headers, end_);
  }
  if (*p == '\r') {
    if (p + 1 < end_ && p[1] == '\n') {
      p += 2;
      return true;
    }
    return fail(parse_errc::bad_header_name, p);
  }
  if (*p == '\n') {
    if (!o_.allow_bare_lf) return fail(parse_errc::bare_lf, p);
    ++p;
    return true;
  }
  if (*p == ' ' || *p == '\t') return fail(parse_errc::bad_continuation, p);
  return fail(parse_errc::bad_header_name, p);
}

// A line starting with SP/HTAB continues the field before it (RFC 3261
// §7.3.1): the field's value grows to the end of this line, still trimmed.
// Handled here, off the hot path, so that the loop never looks ahead.
bool message_parser::continuation(const char*& p) noexcept {
  header_field& f = m_.spilled_ ? m_.spill_.back() : m_.inline_[m_.count_ - 1];
  const char* content_end = nullptr;
  const char* nl = line_end(p, content_end);
  if (nl == nullptr) {
    err_.header = f.name;
    return false;
  }
  if (static_cast<std::size_t>(content_end - f.name.data()) > o_.limits.max_line_length)
    return fail(parse_errc::line_too_long, f.name.data(), f.name);
  // An empty value still points at its line's end, so the range below is
  // the whole folded text; trimming drops the line breaks at its edges.
  f.value =
      detail::trim_lws({f.value.data(), static_cast<std::size_t>(content_end - f.value.data())});
  p = nl + 1;
  return true;
}

// Content-Length is read once every field is complete (a folded value is
// only whole at the end of the section).
bool message_parser::content_lengths() noexcept {
  const std::uint16_t first = m_.first_[static_cast<std::size_t>(header_id::content_length)];
  if (first == message::k_none) return true;
  for (const header_field& f : m_.headers().subspan(first))
    if (f.id == header_id::content_length && !content_length(f.name, f.value)) return false;
  return true;
}

bool message_parser::header_section(const char*& p) noexcept {
  // Loop invariants in locals: the stores into the message below would
  // otherwise make the compiler reload them for every field.
  const std::size_t inline_limit = std::min<std::size_t>(message::k_inline, o_.limits.max_headers);
  const std::size_t max_line = o_.limits.max_line_length;
  const bool allow_bare_lf = o_.allow_bare_lf;
  const char* const end = end_;
  header_field* const fields = m_.inline_.data();
  for (;;) {
    if (p >= end || !is(*p, cc_token)) [[unlikely]] {
      if (p < end && (*p == ' ' || *p == '\t') && m_.count_ > 0) {
        if (!continuation(p)) return false;
        continue;
      }
      return section_end(p) && content_lengths();
    }
    // Find the line end first: '\n' is not a token character, so the name
    // scan below needs no bounds check.
    const char* nl = detail::find_lf(p, end);
    if (nl == nullptr) [[unlikely]]
      return fail(parse_errc::incomplete_headers, end_);

    // field-name HCOLON, HCOLON = *( SP / HTAB ) ":" SWS
    const char* name_begin = p;
    header_id id;
    std::string_view name;
    const char* colon = nullptr;
    if (p[1] == ':') {
      // A compact form (RFC 3261 §7.3.3) or any one-letter name.
      id = detail::k_compact_table[static_cast<unsigned char>(p[0])];
      name = {p, 1};
      p += 2;
    } else if (const detail::name_entry* e = detail::match_canonical(p, nl, end, colon)) {
      id = e->id;
      name = {p, e->size};
      p = colon + 1;
    } else {
      do ++p;
      while (is(*p, cc_token));
      name = {name_begin, static_cast<std::size_t>(p - name_begin)};
      if (*p != ':') {
        while (*p == ' ' || *p == '\t') ++p;
        if (*p != ':') return fail(parse_errc::missing_colon, p, name);
      }
      ++p;
      id = detail::lookup_header_fast(name);
    }

    // The value runs to the line end; continuation lines (§7.3.1) extend it
    // when the loop meets them.
    const char* content_end = nl;
    if (nl[-1] == '\r') [[likely]] {
      --content_end;
    } else if (!allow_bare_lf) {
      return fail(parse_errc::bare_lf, nl, name);
    }
    if (static_cast<std::size_t>(content_end - name_begin) > max_line) [[unlikely]]
      return fail(parse_errc::line_too_long, name_begin, name);

    const char* vb = p;
    const char* ve = content_end;
    // One SP after the colon and nothing at the end is what nearly all send.
    if (vb < ve && *vb == ' ' && !is(vb[1], cc_lws)) {
      ++vb;
    } else {
      while (vb < ve && is(*vb, cc_lws)) ++vb;
    }
    while (ve > vb && is(ve[-1], cc_lws)) --ve;
    const std::string_view value{vb, static_cast<std::size_t>(ve - vb)};

    const std::uint32_t index = m_.count_;
    if (index < inline_limit) [[likely]] {
      fields[index] = header_field{id, name, value};
    } else if (!spill(id, name, value)) {
      return false;
    }
    m_.count_ = index + 1;
    auto& first = m_.first_[static_cast<std::size_t>(id)];
    if (first == message::k_none) first = static_cast<std::uint16_t>(index);
    p = nl + 1;
  }
}

bool message_parser::body(const char* p) noexcept {
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
  return true;
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

  if (static_cast<std::size_t>(end_ - base_) > o_.limits.max_message_size) {
    fail(parse_errc::message_too_large, base_ + o_.limits.max_message_size);
    return err_;
  }
  const char* p = base_;
  // §7.5: ignore CRLFs before the start line.
  while (p < end_ && (*p == '\r' || *p == '\n')) ++p;
  if (p == end_) {
    fail(parse_errc::empty_message, p);
    return err_;
  }
  // Whether it is a request or a response decides the error status.
  m_.is_request_ = !(end_ - p >= 4 && detail::iequals({p, 4}, "SIP/"));
  const char* content_end = nullptr;
  const char* nl = line_end(p, content_end);
  if (nl == nullptr || !start_line(p, content_end)) return err_;
  p = nl + 1;
  if (!header_section(p) || !body(p)) return err_;
  return {};
}

parse_error parse_datagram(std::string_view data, message& out,
                           const parse_options& options) noexcept {
  return message_parser{data, out, options}.run();
}

parse_result<message> parse_datagram(std::string_view data, const parse_options& options) {
  message m;
  if (auto e = parse_datagram(data, m, options)) return unexpected{e};
  return m;
}

}  // namespace sipua
