// The stream framer. RFC 3261 §7.5 and §18.3 (framing on a stream), §7.3.1
// (folding), §20.14 (Content-Length); RFC 5626 §3.5.1, §4.4.1 (CRLF
// keep-alive).
//
// Between messages the framer only counts CRLFs. Inside a header section it
// walks whole lines (memchr for LF) from the last complete line it saw and
// remembers how far it searched, so each byte is looked at a fixed number
// of times however the stream is split; of the fields it reads only
// Content-Length. The scan never looks past the header-size
// window, and nothing is buffered past it. A message that lies whole in one
// put() is handed out as a view of the caller's bytes; only a message that
// spans calls is copied, into one buffer sized exactly once its
// Content-Length is known.
#include "sipua/message/framer.hpp"

#include <algorithm>
#include <cstring>

#include "sipua/message/detail/chars.hpp"

namespace sipua {

namespace {

// A buffer larger than this is given back to the heap once its message has
// been handed out; a small one is kept for the next message.
constexpr std::size_t k_keep_capacity = 4096;

constexpr std::string_view k_content_length = "Content-Length";
constexpr std::string_view k_compact_l = "l";

constexpr bool is_wsp(char c) noexcept { return c == ' ' || c == '\t'; }

}  // namespace

framer_result stream_framer::put(std::string_view bytes) {
  if (failed()) return failure();
  if (release_) {
    // The last message viewed buf_; its view dies now (documented).
    release_ = false;
    if (buf_.capacity() > k_keep_capacity) {
      std::string{}.swap(buf_);
    } else {
      buf_.clear();
    }
  }
  framer_result r;
  switch (state_) {
    case state::idle: r = put_idle(bytes); break;
    case state::header: r = put_header(bytes); break;
    case state::body: r = fill_body(bytes, 0); break;
  }
  stream_offset_ += r.consumed;
  return r;
}

void stream_framer::reset() noexcept {
  const framer_limits limits = limits_;
  std::string buf = std::move(buf_);
  buf.clear();
  *this = stream_framer{limits};
  buf_ = std::move(buf);
}

framer_result stream_framer::put_idle(std::string_view bytes) {
  if (bytes.empty()) return {};
  // RFC 3261 §7.5: CRLFs before a start line are not message data; RFC 5626
  // §4.4.1 gives them meaning as keep-alives. Only CRLF is allowed here.
  if (cr_pending_) {
    if (bytes[0] != '\n') return fail_at(parse_errc::bare_cr, stream_offset_ - 1);
    cr_pending_ = false;
    return keepalive(1);
  }
  switch (bytes[0]) {
    case '\r':
      if (bytes.size() == 1) {
        cr_pending_ = true;
        return {1, framer_event::need_more, {}, {}};
      }
      if (bytes[1] != '\n') return fail_at(parse_errc::bare_cr, stream_offset_);
      return keepalive(2);
    case '\n': return fail_at(parse_errc::bare_lf, stream_offset_);
    default: start_message(); return put_first(bytes);
  }
}

framer_result stream_framer::keepalive(std::size_t consumed) noexcept {
  // RFC 5626 §4.4.1: ping = double-CRLF, pong = CRLF. The first CRLF after a
  // message is reported at once as a pong; the one that completes the pair
  // is the ping.
  odd_crlf_ = !odd_crlf_;
  return {consumed, odd_crlf_ ? framer_event::pong : framer_event::ping, {}, {}};
}

void stream_framer::start_message() noexcept {
  message_offset_ = stream_offset_;
  scan_pos_ = searched_ = header_end_ = total_ = 0;
  content_length_ = 0;
  first_line_ = true;
  in_cl_field_ = has_cl_ = kind_known_ = is_response_ = false;
  odd_crlf_ = false;
}

std::size_t stream_framer::header_window() const noexcept {
  return std::min(limits_.max_header_size, limits_.max_buffered);
}

parse_errc stream_framer::window_error() const noexcept {
  return limits_.max_header_size <= limits_.max_buffered ? parse_errc::header_section_too_large
                                                         : parse_errc::framer_overflow;
}

framer_result stream_framer::put_first(std::string_view bytes) {
  // The message starts at bytes[0] and nothing is buffered: scan in place.
  const std::size_t window = header_window();
  const std::size_t avail = std::min(bytes.size(), window);
  switch (scan_headers(bytes.data(), avail)) {
    case scan::error: return failure();
    case scan::need_more:
      // A header section that has not ended within the window never will.
      if (avail == window) return fail(window_error(), window);
      append(bytes.data(), bytes.size(), window);
      state_ = state::header;
      return {bytes.size(), framer_event::need_more, {}, {}};
    case scan::done: break;
  }
  if (!check_framing()) return failure();
  if (bytes.size() >= total_) {
    // Zero-copy: the whole message is in the caller's bytes.
    state_ = state::idle;
    return {total_, framer_event::message, bytes.substr(0, total_), {}};
  }
  buf_.reserve(total_);
  buf_.assign(bytes);
  state_ = state::body;
  return {bytes.size(), framer_event::need_more, {}, {}};
}

framer_result stream_framer::put_header(std::string_view bytes) {
  // buf_ holds the start of a header section; append no more than the
  // window allows, then scan the lines completed by the new bytes.
  const std::size_t window = header_window();
  const std::size_t old = buf_.size();
  const std::size_t take = std::min(bytes.size(), window - old);
  append(bytes.data(), take, window);
  switch (scan_headers(buf_.data(), buf_.size())) {
    case scan::error: return failure();
    case scan::need_more:
      if (buf_.size() == window) return fail(window_error(), window);
      return {take, framer_event::need_more, {}, {}};
    case scan::done: break;
  }
  if (!check_framing()) return failure();
  if (buf_.size() >= total_) {
    // The bytes past this message belong to the next one: hand them back.
    buf_.resize(total_);
    return deliver(total_ - old);
  }
  state_ = state::body;
  return fill_body(bytes, take);
}

framer_result stream_framer::fill_body(std::string_view bytes, std::size_t from) {
  if (buf_.capacity() < total_) buf_.reserve(total_);
  const std::size_t n = std::min(total_ - buf_.size(), bytes.size() - from);
  buf_.append(bytes.data() + from, n);
  if (buf_.size() < total_) return {from + n, framer_event::need_more, {}, {}};
  return deliver(from + n);
}

framer_result stream_framer::deliver(std::size_t consumed) noexcept {
  state_ = state::idle;
  release_ = true;
  return {consumed, framer_event::message, std::string_view{buf_}, {}};
}

void stream_framer::append(const char* p, std::size_t n, std::size_t cap) {
  // Grow geometrically but never past `cap`, so the memory held stays
  // within the limit the caller checked.
  const std::size_t need = buf_.size() + n;
  if (need > buf_.capacity()) buf_.reserve(std::min(cap, std::max(need, 2 * buf_.capacity())));
  buf_.append(p, n);
}

bool stream_framer::check_framing() noexcept {
  // RFC 3261 §18.3: "The Content-Length header field MUST be used with
  // stream oriented transports"; without it the end of the body is unknown.
  if (!has_cl_) {
    fail(parse_errc::missing_content_length, header_end_ - 2);
    return false;
  }
  if (content_length_ > limits_.max_body_size) {
    fail(parse_errc::body_too_large, cl_offset_, cl_name_);
    return false;
  }
  // header_end_ <= header_window() <= max_buffered: no underflow.
  if (content_length_ > limits_.max_buffered - header_end_) {
    fail(parse_errc::framer_overflow, cl_offset_, cl_name_);
    return false;
  }
  total_ = header_end_ + content_length_;
  return true;
}

framer_result stream_framer::fail(parse_errc code, std::size_t message_offset,
                                  std::string_view header) noexcept {
  // Responses are dropped, never answered (RFC 3261 §18.1.2): status 0.
  const int status = is_response_ ? 0 : default_status(code);
  error_ = parse_error{code, message_offset_ + message_offset, header, status};
  return failure();
}

framer_result stream_framer::fail_at(parse_errc code, std::size_t stream_offset) noexcept {
  error_ = parse_error{code, stream_offset, {}, default_status(code)};
  return failure();
}

// ---- header-section scan ---------------------------------------------------

stream_framer::scan stream_framer::scan_headers(const char* msg, std::size_t avail) noexcept {
  if (!kind_known_ && avail >= 4) {
    // A Status-Line starts with "SIP/" (§7.2); no method contains '/'.
    kind_known_ = true;
    is_response_ = detail::iequals({msg, 4}, "SIP/");
  }
  while (scan_pos_ < avail) {
    const char* b = msg + scan_pos_;
    // Bytes of this line searched by an earlier call hold no LF: skip them.
    const std::size_t from = std::max(scan_pos_, searched_);
    const auto* nl = static_cast<const char*>(std::memchr(msg + from, '\n', avail - from));
    if (nl == nullptr) {
      searched_ = avail;
      return scan::need_more;
    }
    // RFC 3261 §7: every line ends in CRLF (strict, like parse_datagram).
    if (nl == b || nl[-1] != '\r') {
      fail(parse_errc::bare_lf, static_cast<std::size_t>(nl - msg));
      return scan::error;
    }
    const std::size_t line_offset = scan_pos_;
    const std::string_view line{b, static_cast<std::size_t>(nl - 1 - b)};
    scan_pos_ = static_cast<std::size_t>(nl + 1 - msg);
    if (first_line_) {  // the start line: parse_datagram judges it
      first_line_ = false;
      continue;
    }
    // §7.3.1: a line that starts with SP or HTAB continues the field above.
    if (!line.empty() && is_wsp(line[0])) {
      if (in_cl_field_) feed_content_length(line);
      continue;
    }
    if (!end_field()) return scan::error;
    if (line.empty()) {  // §7: the empty line ends the header section
      header_end_ = scan_pos_;
      return scan::done;
    }
    begin_field(line, line_offset);
  }
  return scan::need_more;
}

void stream_framer::begin_field(std::string_view line, std::size_t line_offset) noexcept {
  // message-header = field-name HCOLON field-value; HCOLON = *( SP / HTAB )
  // ":" SWS (§25.1). A line that is not a field is parse_datagram's to reject.
  std::size_t i = detail::scan(line, 0, detail::cc_token);
  const std::string_view name = line.substr(0, i);
  while (i < line.size() && is_wsp(line[i])) ++i;
  if (name.empty() || i == line.size() || line[i] != ':') return;
  // Content-Length = ( "Content-Length" / "l" ) HCOLON 1*DIGIT (§20.14),
  // names case-insensitive (§7.3.1).
  if (detail::iequals(name, k_content_length)) {
    cl_name_ = k_content_length;
  } else if (detail::iequals(name, k_compact_l)) {
    cl_name_ = k_compact_l;
  } else {
    return;
  }
  ++i;
  while (i < line.size() && is_wsp(line[i])) ++i;
  in_cl_field_ = true;
  cl_ = cl_state::before_digits;
  cl_value_ = 0;
  cl_offset_ = line_offset + i;
  feed_content_length(line.substr(i));
}

void stream_framer::feed_content_length(std::string_view chars) noexcept {
  // 1*DIGIT with LWS around it (folding included) but not inside it, at
  // most 2^32-1: the same value parse_datagram will read.
  for (const char c : chars) {
    if (cl_ == cl_state::bad) return;
    if (detail::is(c, detail::cc_lws)) {
      if (cl_ == cl_state::in_digits) cl_ = cl_state::after_digits;
    } else if (c >= '0' && c <= '9' && cl_ != cl_state::after_digits) {
      cl_value_ = cl_value_ * 10 + static_cast<std::uint64_t>(c - '0');
      cl_ = cl_value_ > 0xffffffffULL ? cl_state::bad : cl_state::in_digits;
    } else {
      cl_ = cl_state::bad;  // '-', '+', letters ...
    }
  }
}

bool stream_framer::end_field() noexcept {
  if (!in_cl_field_) return true;
  in_cl_field_ = false;
  if (cl_ != cl_state::in_digits && cl_ != cl_state::after_digits) {
    fail(parse_errc::bad_content_length, cl_offset_, cl_name_);
    return false;
  }
  const auto value = static_cast<std::uint32_t>(cl_value_);
  // Two different values leave the end of the message unknown (RFC 4475
  // §3.3.9 shows why): the stream cannot be resynchronised.
  if (has_cl_ && content_length_ != value) {
    fail(parse_errc::conflicting_content_length, cl_offset_, cl_name_);
    return false;
  }
  has_cl_ = true;
  content_length_ = value;
  return true;
}

}  // namespace sipua
