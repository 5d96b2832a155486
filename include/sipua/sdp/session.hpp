// The SDP session description (RFC 8866, RFC 4566): an owning value type,
// its parser and its writer.
//
// The model owns its strings (std::string), so a description can be kept,
// copied and modified after the body it came from is gone. Every attribute is
// kept verbatim and in order; typed helpers (rtpmap, fmtp, ptime, direction)
// read and write those attributes rather than a second copy, so building a
// parsed description gives back the same attributes in the same order.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sipua/sdp/error.hpp"

namespace sipua::sdp {

/// o= (RFC 8866 §5.2).
struct origin {
  std::string username = "-";
  std::uint64_t sess_id = 0;
  std::uint64_t sess_version = 0;
  std::string nettype = "IN";
  std::string addrtype = "IP4";
  std::string address;
  friend bool operator==(const origin&, const origin&) = default;
};

/// c= (§5.7). `address` is the connection-address as written, including any
/// multicast "/ttl/count" suffix; addrtype is typically "IP4" or "IP6".
struct connection {
  std::string nettype = "IN";
  std::string addrtype = "IP4";
  std::string address;
  friend bool operator==(const connection&, const connection&) = default;
};

/// b= (§5.8).
struct bandwidth {
  std::string type;  ///< bwtype, e.g. "AS", "CT", "TIAS"
  std::uint64_t value = 0;
  friend bool operator==(const bandwidth&, const bandwidth&) = default;
};

/// t= and its r= lines (§5.9, §5.10); r= values kept verbatim.
struct timing {
  std::uint64_t start = 0;
  std::uint64_t stop = 0;
  std::vector<std::string> repeats;
  friend bool operator==(const timing&, const timing&) = default;
};

/// a= (§5.13): "name" or "name:value". `value` is everything after the
/// first ':' (may be empty when has_value is true: "a=x:").
struct attribute {
  std::string name;
  std::string value;
  bool has_value = false;
  friend bool operator==(const attribute&, const attribute&) = default;
};

/// The media direction attributes (§6.7); sendrecv is the default.
enum class direction { sendrecv, sendonly, recvonly, inactive };

std::string_view to_string(direction d) noexcept;

/// a=rtpmap:<payload type> <encoding name>/<clock rate>[/<channels>] (§6.6).
struct rtpmap {
  unsigned payload_type = 0;  ///< 0..127
  std::string encoding;
  std::uint32_t clock_rate = 0;
  unsigned channels = 1;  ///< 1 when the parameter is absent
  friend bool operator==(const rtpmap&, const rtpmap&) = default;
};

/// Parses an rtpmap attribute value ("97 iLBC/8000"). Errors: bad_rtpmap,
/// offset into `value`.
sdp_result<rtpmap> parse_rtpmap(std::string_view value);

/// An fmtp attribute value split: "<format> <parameters>" (§6.15).
struct fmtp {
  std::string format;
  std::string parameters;
  friend bool operator==(const fmtp&, const fmtp&) = default;
};

/// Parses an fmtp attribute value ("101 0-15"). Errors: bad_fmtp.
sdp_result<fmtp> parse_fmtp(std::string_view value);

/// One media description (§5.14): m= and the lines under it.
struct media_description {
  std::string media;  ///< "audio", "video", ...
  std::uint16_t port = 0;
  std::optional<std::uint32_t> port_count;  ///< the "/<number of ports>" suffix
  std::string proto;                        ///< "RTP/AVP", "RTP/SAVP", "udp" ...
  std::vector<std::string> formats;         ///< at least one when built or parsed
  std::optional<std::string> information;   ///< i=
  std::vector<connection> connections;      ///< c= lines (usually 0 or 1)
  std::vector<bandwidth> bandwidths;
  std::optional<std::string> key;  ///< k= (obsolete, kept verbatim)
  std::vector<attribute> attributes;

  friend bool operator==(const media_description&, const media_description&) = default;

  /// First attribute named `name` (case-sensitive, as §5.13 names are), or null.
  [[nodiscard]] const attribute* find_attribute(std::string_view name) const noexcept;
  /// The direction attribute of this media description, if any.
  [[nodiscard]] std::optional<direction> explicit_direction() const noexcept;
  /// Replaces every direction attribute by one `d` (where the first was, or
  /// at the end).
  void set_direction(direction d);
  /// The rtpmap for payload type `pt`: from its a=rtpmap, else the static
  /// RTP/AVP table (RFC 3551 §6) for pt < 96. Malformed rtpmaps are skipped.
  [[nodiscard]] std::optional<rtpmap> rtpmap_for(std::string_view format) const;
  /// The fmtp parameters for `format`, if an a=fmtp names it.
  [[nodiscard]] std::optional<std::string> fmtp_for(std::string_view format) const;
  /// a=ptime in milliseconds, if present and a number.
  [[nodiscard]] std::optional<std::uint32_t> ptime() const noexcept;
};

/// A whole session description (§5).
struct session_description {
  unsigned version = 0;  ///< v=, always 0
  sdp::origin origin;
  std::string name = "-";                  ///< s= (may be empty when parsed, RFC 4317 style)
  std::optional<std::string> information;  ///< i=
  std::optional<std::string> uri;          ///< u=
  std::vector<std::string> emails;         ///< e=
  std::vector<std::string> phones;         ///< p=
  std::optional<sdp::connection> connection;
  std::vector<bandwidth> bandwidths;
  std::vector<timing> timings{timing{}};  ///< at least one t= when built
  std::optional<std::string> zone;        ///< z= verbatim
  std::optional<std::string> key;         ///< k= verbatim
  std::vector<attribute> attributes;
  std::vector<media_description> media;

  friend bool operator==(const session_description&, const session_description&) = default;

  [[nodiscard]] const attribute* find_attribute(std::string_view name) const noexcept;
  /// The session-level direction: its attribute, or sendrecv (§6.7).
  [[nodiscard]] direction session_direction() const noexcept;
  /// The direction that applies to media `m`: its own attribute, else the
  /// session-level one, else sendrecv (§6.7).
  [[nodiscard]] direction effective_direction(const media_description& m) const noexcept;
  /// The c= that applies to `m`: its first own, else the session's; null if none.
  [[nodiscard]] const sdp::connection* effective_connection(
      const media_description& m) const noexcept;
};

/// Limits on what parse_session accepts; each has its own error code.
struct sdp_limits {
  std::size_t max_size = 65536;  ///< too_large
  std::size_t max_lines = 2048;  ///< too_many_lines
  std::size_t max_media = 64;    ///< too_many_media
  /// too_many_formats; bounds the format × attribute work of the helpers.
  std::size_t max_formats = 256;
};

/// Parses an SDP body (RFC 8866 §5, §9).
///
/// Lines end in CRLF or a bare LF (§5 allows parsers to accept LF); the last
/// line may lack its line end; empty lines are accepted only at the end.
/// Leniencies beyond the grammar: an empty s= (RFC 4317 writes "s="), c=
/// missing for a media description (the answerer decides what to do), and
/// any type letter of RFC 4566/8866 (v o s i u e p c b t r z k a m).
/// Errors (offset = start of the offending line, or of the field within it
/// where one is named): empty, too_large (offset max_size),
/// too_many_lines, too_many_media, too_many_formats, bad_line, unknown_type, unexpected_line,
/// missing_version, missing_origin, missing_name, missing_timing,
/// bad_version, bad_origin, bad_connection, bad_bandwidth, bad_timing,
/// bad_media, bad_attribute. The result owns its strings: `body` may go
/// away after the call.
sdp_result<session_description> parse_session(std::string_view body, const sdp_limits& limits = {});

/// Writes `sd` as an SDP body, every line ending in CRLF, in the §5 order.
/// Errors: bad_field (offset 0) when a field holds CR, LF or NUL, a
/// token-like field is empty or holds a space, a media description has no
/// format, or there is no t= line. A written body parses back equal.
sdp_result<std::string> build_session(const session_description& sd);

}  // namespace sipua::sdp
