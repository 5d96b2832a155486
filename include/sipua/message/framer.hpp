// The stream framer: cuts a TCP/TLS byte stream into whole SIP messages and
// CRLF keep-alives. Sans-I/O: the transport hands in whatever bytes a read
// returned, in any split, and gets events back; the framer never touches a
// socket, a clock or the heap beyond its one bounded buffer.
//
// RFC 3261 §18.3: on a stream the header section ends at the first empty
// line and the body is exactly Content-Length bytes, which is mandatory;
// the next message follows at once. §7.5: CRLFs before a start line are not
// message data. RFC 5626 §3.5.1 / §4.4.1: a double CRLF between messages is
// a keep-alive "ping" (answer "\r\n"), a single CRLF is its "pong".
//
// The contract follows Boost.Beast's parser: put(bytes) reports how many
// bytes it consumed and at most one event; the caller calls again with the
// bytes that were not consumed.
//
//   sipua::stream_framer framer;
//   void on_read(std::string_view bytes) {
//     while (true) {
//       const sipua::framer_result r = framer.put(bytes);
//       bytes.remove_prefix(r.consumed);
//       switch (r.event) {
//         case sipua::framer_event::message: deliver(r.message); break;  // parse_datagram
//         case sipua::framer_event::ping: send("\r\n"); break;
//         case sipua::framer_event::pong: flow_alive(); break;
//         case sipua::framer_event::need_more: return;                   // bytes is empty
//         case sipua::framer_event::error: close_connection(r.error); return;
//       }
//     }
//   }
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sipua/message/error.hpp"

namespace sipua {

/// Size limits of the stream framer. Each one is checked before memory is
/// spent on the bytes it bounds, and each has its own error code.
struct framer_limits {
  /// Largest header section: start line, header fields and the empty line
  /// that ends them. A stream whose header section has not ended within this
  /// many bytes fails with header_section_too_large (513) as soon as that
  /// many bytes have arrived; no more than this is ever buffered for it.
  std::size_t max_header_size = 16384;
  /// Largest Content-Length accepted: body_too_large (413), reported when
  /// the header section ends, before any body byte is buffered.
  std::size_t max_body_size = 65535;
  /// Most bytes the framer buffers: header section + Content-Length of one
  /// message. Checked on every message (framer_overflow, 513), whether or
  /// not it actually spans calls, so that the outcome never depends on how
  /// the stream was split. It also caps the header section when smaller
  /// than max_header_size (framer_overflow then). The default matches
  /// parse_limits::max_message_size, so whatever is framed fits the parser.
  std::size_t max_buffered = 65535;
};

/// What one call to stream_framer::put() produced.
enum class framer_event {
  /// All given bytes were consumed (buffered or counted) and no event is
  /// complete yet: call put() again when more bytes arrive.
  need_more,
  /// One whole message: framer_result::message.
  message,
  /// RFC 5626 §4.4.1: a CRLF between messages completed a double CRLF (the
  /// client's "ping"). The transport answers with one CRLF ("\r\n") at once
  /// (RFC 5626 §5.4).
  ping,
  /// RFC 5626 §4.4.1: a single CRLF between messages (the server's "pong").
  /// It is reported as soon as its LF arrives, because a client waiting for
  /// a pong must not wait for bytes that may never come. A ping therefore
  /// shows as pong (its first CRLF) then ping (its second): a server ignores
  /// pong events, a client answers ping events. CRLFs pair up from the last
  /// message: pong, ping, pong, ping ...
  pong,
  /// The stream is not SIP or breaks a limit: framer_result::error. The
  /// framer is dead from now on (every later put() returns the same error
  /// and consumes nothing); the transport closes the connection.
  error,
};

struct framer_result {
  /// Bytes of the input consumed by this call (0 on error). The caller
  /// passes the rest to the next call.
  std::size_t consumed = 0;
  framer_event event = framer_event::need_more;
  /// event == message: the message, from its start line to the last body
  /// byte (leading CRLFs are not part of it), ready for parse_datagram().
  /// It views either the bytes given to this call (zero-copy, when the whole
  /// message came in one call) or the framer's internal buffer (when it
  /// spanned calls). Valid until the next put() or reset() on this framer,
  /// or until the caller's bytes go away, whichever is first: copy it (or
  /// parse it and copy the buffer) to keep it.
  std::string_view message;
  /// event == error: the code, the offset from the first byte ever given to
  /// this framer (since construction or reset()), and the status to answer a
  /// request with (0 when the message was a response). `header` is
  /// "Content-Length" or "l" (static text) for Content-Length errors, else
  /// empty.
  parse_error error;
};

/// Frames one stream (one TCP or TLS connection). Single-threaded; one
/// framer per connection. Not copyable: it owns a buffer views point into.
///
/// The framer looks at the header section only to find where it ends and
/// to read Content-Length (long name or compact "l", any case, folded or
/// not, RFC 3261 §7.3.1 / §20.14); the other fields are left to
/// parse_datagram(). Strict: lines must end in CRLF.
///
/// Errors (framer_result::error.code):
/// - missing_content_length: a header section without Content-Length (§18.3)
/// - bad_content_length: a Content-Length value that is not 1*DIGIT, or
///   over 2^32-1 (negative, overflowing, empty, or LWS inside the digits)
/// - conflicting_content_length: two Content-Length fields that differ
/// - header_section_too_large: over framer_limits::max_header_size (513)
/// - body_too_large: Content-Length over framer_limits::max_body_size (413)
/// - framer_overflow: header section + body over framer_limits::max_buffered (513)
/// - bare_lf: a LF not preceded by CR, between messages or in the header section
/// - bare_cr: a CR not followed by LF between messages
class stream_framer {
 public:
  stream_framer() = default;
  explicit stream_framer(const framer_limits& limits) noexcept : limits_(limits) {}
  stream_framer(const stream_framer&) = delete;
  stream_framer& operator=(const stream_framer&) = delete;
  stream_framer(stream_framer&&) = default;
  stream_framer& operator=(stream_framer&&) = default;

  /// Consumes a prefix of `bytes` and reports at most one event (see
  /// framer_event). `bytes` may be empty. Bytes of a message that is not
  /// complete yet are copied into the internal buffer (no more than the
  /// limits allow); a message that lies whole in `bytes` is not copied.
  framer_result put(std::string_view bytes);

  /// Forgets everything (the buffer, a pending CR, an error) and starts a
  /// new stream at offset 0. Invalidates the view of the last message.
  void reset() noexcept;

  /// Bytes held in the internal buffer (a message that spans calls, or the
  /// last message handed out from it). Never more than
  /// min(max_header_size, max_buffered) while a header section is pending,
  /// nor more than max_buffered in all.
  [[nodiscard]] std::size_t buffered() const noexcept { return buf_.size(); }
  /// True between the first byte of a message and its last: a connection
  /// that closes now closed in the middle of a message.
  [[nodiscard]] bool in_message() const noexcept { return state_ != state::idle; }
  /// True after an error.
  [[nodiscard]] bool failed() const noexcept { return error_.code != parse_errc::ok; }
  [[nodiscard]] const framer_limits& limits() const noexcept { return limits_; }

 private:
  enum class state : std::uint8_t { idle, header, body };
  enum class scan : std::uint8_t { need_more, done, error };
  enum class cl_state : std::uint8_t { before_digits, in_digits, after_digits, bad };

  framer_result put_idle(std::string_view bytes);
  framer_result put_first(std::string_view bytes);
  framer_result put_header(std::string_view bytes);
  framer_result fill_body(std::string_view bytes, std::size_t from);
  framer_result keepalive(std::size_t consumed) noexcept;
  framer_result deliver(std::size_t consumed) noexcept;
  [[nodiscard]] framer_result failure() const noexcept {
    return {0, framer_event::error, {}, error_};
  }
  framer_result fail(parse_errc code, std::size_t message_offset,
                     std::string_view header = {}) noexcept;
  framer_result fail_at(parse_errc code, std::size_t stream_offset) noexcept;
  [[nodiscard]] std::size_t header_window() const noexcept;
  [[nodiscard]] parse_errc window_error() const noexcept;
  void append(const char* p, std::size_t n, std::size_t cap);
  void start_message() noexcept;
  bool check_framing() noexcept;

  // Header-section scan over the message's first `avail` bytes at `msg`,
  // resumed at the line that starts at message offset scan_pos_.
  scan scan_headers(const char* msg, std::size_t avail) noexcept;
  bool end_field() noexcept;
  void begin_field(std::string_view line, std::size_t line_offset) noexcept;
  void feed_content_length(std::string_view chars) noexcept;

  framer_limits limits_;
  std::string buf_;
  parse_error error_;
  std::size_t stream_offset_ = 0;     // stream offset of the next byte put() sees
  std::size_t message_offset_ = 0;    // stream offset of the current message
  std::size_t scan_pos_ = 0;          // message offset of the next line to scan
  std::size_t searched_ = 0;          // message offset up to which no LF follows scan_pos_
  std::size_t header_end_ = 0;        // message offset of the first body byte
  std::size_t total_ = 0;             // header section + Content-Length
  std::uint64_t cl_value_ = 0;        // the field being read
  std::uint32_t content_length_ = 0;  // the value agreed so far
  std::size_t cl_offset_ = 0;         // message offset of its value
  std::string_view cl_name_;          // "Content-Length" or "l" (static)
  state state_ = state::idle;
  cl_state cl_ = cl_state::before_digits;
  bool cr_pending_ = false;   // idle: a CR, its LF not seen yet
  bool odd_crlf_ = false;     // idle: the last CRLF was a pong
  bool release_ = false;      // the last message viewed buf_
  bool first_line_ = true;    // the start line is not complete yet
  bool in_cl_field_ = false;  // the field being scanned is Content-Length
  bool has_cl_ = false;
  bool kind_known_ = false;
  bool is_response_ = false;
};

}  // namespace sipua
