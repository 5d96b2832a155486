// A parsed SIP message: one immutable byte buffer and an index of its header
// fields in arrival order. Nothing is copied: every view points into the
// buffer the message was parsed from, so that buffer must outlive the
// message and every view taken from it (or be handed to set_owner()).
//
// Typed values are parsed on use, not at parse time: top_via(), from(),
// to(), cseq() ... parse the field they need each time they are called and
// return views into the buffer.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "sipua/message/cseq.hpp"
#include "sipua/message/header_id.hpp"
#include "sipua/message/method.hpp"
#include "sipua/message/name_addr.hpp"
#include "sipua/message/parse_result.hpp"
#include "sipua/message/via.hpp"

namespace sipua {

/// One header field as it arrived. `value` is trimmed of leading and
/// trailing whitespace; a folded value keeps its CRLF + whitespace inside
/// (typed parsers treat it as LWS; unfold() copies it into one line).
struct header_field {
  header_id id = header_id::unknown;
  std::string_view name;
  std::string_view value;
};

/// Limits on what the parser accepts. Each has its own error code.
struct parse_limits {
  std::size_t max_message_size = 65535;  ///< message_too_large (513)
  std::size_t max_headers = 256;         ///< too_many_headers (513)
  std::size_t max_line_length = 8192;    ///< line_too_long (513): start line or one header field
  std::size_t max_body_size = 65535;     ///< body_too_large (413)
};

/// Parser options. Strict by default; every leniency is a named opt-in.
struct parse_options {
  parse_limits limits;
  /// Accept lines ending in a bare LF (RFC 3261 §7 requires CRLF; the
  /// RFC 5118 archive files use LF).
  bool allow_bare_lf = false;
  /// Accept a datagram whose header section is not closed by an empty line
  /// (treated as headers with no body).
  bool allow_unterminated_headers = false;
  /// Accept a datagram whose body is shorter than its Content-Length: the
  /// body is what is there and message::body_truncated() is true
  /// (RFC 3261 §18.3 says reject with 400, which is the default).
  bool allow_short_body = false;
};

class message {
 public:
  message() = default;

  // ---- start line -------------------------------------------------------
  [[nodiscard]] bool is_request() const noexcept { return is_request_; }
  [[nodiscard]] bool is_response() const noexcept { return !is_request_; }
  /// Request method token as written (requests only, else empty).
  [[nodiscard]] std::string_view method_name() const noexcept { return method_name_; }
  [[nodiscard]] sipua::method method() const noexcept { return method_; }
  /// Request-URI text as written (requests only). Parse it with parse_uri.
  [[nodiscard]] std::string_view request_uri() const noexcept { return request_uri_; }
  /// "SIP/2.0" as written (case as the sender used).
  [[nodiscard]] std::string_view version() const noexcept { return version_; }
  /// Status code, 100..699 (responses only, else 0).
  [[nodiscard]] int status_code() const noexcept { return status_; }
  [[nodiscard]] std::string_view reason_phrase() const noexcept { return reason_; }
  [[nodiscard]] std::string_view start_line() const noexcept { return start_line_; }

  // ---- header fields ----------------------------------------------------
  /// All fields in arrival order.
  [[nodiscard]] std::span<const header_field> headers() const noexcept {
    return {fields_data(), count_};
  }
  /// The first field with this id, or nullptr.
  [[nodiscard]] const header_field* find(header_id id) const noexcept {
    const std::uint16_t i = first_[static_cast<std::size_t>(id)];
    return i == k_none ? nullptr : fields_data() + i;
  }
  /// The first field with this name (case-insensitive; compact forms of
  /// known names match too), or nullptr.
  [[nodiscard]] const header_field* find(std::string_view name) const noexcept;
  /// Value of the first field with this id, or empty.
  [[nodiscard]] std::string_view value(header_id id) const noexcept {
    const header_field* f = find(id);
    return f ? f->value : std::string_view{};
  }
  /// How many fields carry this id.
  [[nodiscard]] std::size_t count(header_id id) const noexcept;

  // ---- framing ----------------------------------------------------------
  /// Content-Length as declared, if the header was present.
  [[nodiscard]] std::optional<std::uint32_t> content_length() const noexcept {
    return has_content_length_ ? std::optional<std::uint32_t>{content_length_} : std::nullopt;
  }
  [[nodiscard]] std::string_view body() const noexcept { return body_; }
  /// Only with parse_options::allow_short_body: the body was cut short.
  [[nodiscard]] bool body_truncated() const noexcept { return body_truncated_; }
  /// The bytes of this message (start line to end of body); trailing bytes of
  /// the datagram after the body are not included (RFC 3261 §18.3).
  [[nodiscard]] std::string_view bytes() const noexcept { return bytes_; }
  /// Offset of `p` (a pointer into one of this message's views) from the
  /// start of the buffer given to parse_datagram: how error offsets are
  /// counted (validate_syntax uses it).
  [[nodiscard]] std::size_t offset_of(const char* p) const noexcept {
    return static_cast<std::size_t>(p - (base_ != nullptr ? base_ : bytes_.data()));
  }

  // ---- typed values (parsed on use) -------------------------------------
  /// Call-ID value, or empty.
  [[nodiscard]] std::string_view call_id() const noexcept { return value(header_id::call_id); }
  //
  // Each accessor takes the first field with its id, parses it and returns
  // views into the message buffer (valid as long as that buffer). Nothing is
  // cached or allocated. On error the parse_error carries:
  // - code: what the typed parser reported (see parse_via, parse_name_addr,
  //   parse_cseq), or missing_header when there is no such field;
  // - header: the field name as written in the message, or the canonical
  //   name (a static view) for missing_header;
  // - offset: from the start of the buffer given to parse_datagram (0 for
  //   missing_header);
  // - status: 400 for a request, 0 for a response (responses are dropped,
  //   RFC 3261 §18.1.2).
  /// The first via-parm of the first Via field (RFC 3261 §18.2.1, §18.1.2
  /// read the top Via).
  [[nodiscard]] parse_result<via> top_via() const noexcept;
  /// The first From field. Beyond parse_name_addr, a tag parameter must be
  /// a token (tag-param = "tag" EQUAL token), else bad_param.
  [[nodiscard]] parse_result<name_addr> from() const noexcept;
  /// The first To field; the tag rule is the same as for from().
  [[nodiscard]] parse_result<name_addr> to() const noexcept;
  [[nodiscard]] parse_result<sipua::cseq> cseq() const noexcept;

  /// Keeps `owner` alive as long as this message (or a copy) lives: hand
  /// over whatever holds the buffer.
  void set_owner(std::shared_ptr<const void> owner) noexcept { owner_ = std::move(owner); }
  /// What set_owner() was given (null when the caller keeps the buffer).
  [[nodiscard]] const std::shared_ptr<const void>& owner() const noexcept { return owner_; }

 private:
  friend class message_parser;

  static constexpr std::uint16_t k_none = 0xffff;
  static constexpr std::size_t k_inline = 24;

  /// "No field with this id" for every id: a default message finds nothing.
  static constexpr std::array<std::uint16_t, header_id_count> no_fields() noexcept {
    std::array<std::uint16_t, header_id_count> a{};
    a.fill(k_none);
    return a;
  }
  [[nodiscard]] const header_field* fields_data() const noexcept {
    return spilled_ ? spill_.data() : inline_.data();
  }
  /// Typed-parse the first field with `id`; errors carry the header name and
  /// an offset from the start of the buffer given to parse_datagram.
  template <class T, class F>
  parse_result<T> typed_first(header_id id, F&& parse) const noexcept;

  const char* base_ = nullptr;  ///< start of the buffer given to parse_datagram
  std::string_view bytes_;
  std::string_view start_line_;
  std::string_view method_name_;
  std::string_view request_uri_;
  std::string_view version_;
  std::string_view reason_;
  std::string_view body_;
  std::shared_ptr<const void> owner_;
  std::vector<header_field> spill_;
  std::uint32_t count_ = 0;
  std::uint32_t content_length_ = 0;
  int status_ = 0;
  sipua::method method_ = sipua::method::extension;
  bool is_request_ = false;
  bool has_content_length_ = false;
  bool body_truncated_ = false;
  bool spilled_ = false;
  std::array<std::uint16_t, header_id_count> first_ = no_fields();
  std::array<header_field, k_inline> inline_;
};

/// Parses one datagram (RFC 3261 §7, §18.3) into `out`, which views `data`.
/// CRLFs before the start line are skipped (§7.5); bytes after the body
/// that Content-Length announces are ignored; without Content-Length the
/// body runs to the end of the datagram. On error `out` is left in an
/// unspecified but valid state; the error's offset is from the start of
/// `data`, and its status is 0 when the message is a response (responses
/// are dropped, never answered).
parse_error parse_datagram(std::string_view data, message& out,
                           const parse_options& options = {}) noexcept;

/// The same, returning the message by value.
parse_result<message> parse_datagram(std::string_view data, const parse_options& options = {});

/// Copies a folded value into one line: each CRLF and the whitespace around
/// it become a single SP (RFC 3261 §7.3.1).
std::string unfold(std::string_view value);

}  // namespace sipua
