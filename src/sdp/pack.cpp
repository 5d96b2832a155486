// pack_capabilities / unpack_capabilities (offer_answer.hpp): local
// capabilities in one compact string, for calls that are idle.
//
// Layout (private; stable only within one build):
//   format byte (kFormat)
//   origin:     str username, uint sess_id, uint sess_version,
//               str nettype, str addrtype, str address
//   connection: str nettype, str addrtype, str address
//   str name, uint media count, then per media:
//     str media, str proto, uint port, opt connection (3 str),
//     uint codec count, per codec: str encoding, uint clock_rate,
//     uint channels, str fmtp, opt uint payload_type;
//     direction byte, opt uint ptime
// uint: LEB128 varint. opt: presence byte (0 or 1) then the value.
// str: varint v; even v: v/2 literal bytes follow; odd v: entry v/2 of a
// fixed table of common words ("IN", "IP4", "audio", "PCMU", ...).
#include <cstddef>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "sipua/sdp/offer_answer.hpp"

namespace sipua::sdp {
namespace {

constexpr char kFormat = 1;

// Words written as one byte. Append only within a format; changing the
// table means changing kFormat.
constexpr std::string_view kWords[] = {
    "-",        "IN",   "IP4",  "IP6",       "audio", "video", "RTP/AVP",
    "RTP/SAVP", "PCMU", "PCMA", "G722",      "G729",  "iLBC",  "telephone-event",
    "0-15",     "0-16", "H261", "H263-1998", "H264",  "opus",  "VP8",
};
constexpr std::size_t kWordCount = sizeof(kWords) / sizeof(kWords[0]);

// The fewest bytes each item can take: a bound for counts.
constexpr std::size_t kMinCodecBytes = 5;  // encoding, rate, channels, fmtp, presence
constexpr std::size_t kMinMediaBytes = 7;  // media, proto, port, presence, count, dir, presence

class writer {
 public:
  void byte(std::uint8_t b) { out_.push_back(static_cast<char>(b)); }
  void uint(std::uint64_t v) {
    while (v >= 0x80) {
      byte(static_cast<std::uint8_t>((v & 0x7f) | 0x80));
      v >>= 7;
    }
    byte(static_cast<std::uint8_t>(v));
  }
  void str(std::string_view s) {
    for (std::size_t i = 0; i < kWordCount; ++i) {
      if (kWords[i] == s) {
        uint(2 * i + 1);
        return;
      }
    }
    uint(2 * static_cast<std::uint64_t>(s.size()));
    out_.append(s);
  }
  void conn(const connection& c) {
    str(c.nettype);
    str(c.addrtype);
    str(c.address);
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_;
};

// Reads the layout; every read checks the remaining input and fails
// (false / nullopt) rather than running past it.
class reader {
 public:
  explicit reader(std::string_view in) : in_(in) {}

  [[nodiscard]] std::size_t left() const noexcept { return in_.size() - pos_; }

  std::optional<std::uint8_t> byte() {
    if (pos_ >= in_.size()) return std::nullopt;
    return static_cast<std::uint8_t>(in_[pos_++]);
  }

  // A varint no larger than `max`.
  std::optional<std::uint64_t> uint(std::uint64_t max = std::numeric_limits<std::uint64_t>::max()) {
    std::uint64_t v = 0;
    for (unsigned shift = 0; shift < 64; shift += 7) {
      const auto b = byte();
      if (!b) return std::nullopt;
      const std::uint64_t part = *b & 0x7fU;
      // The tenth byte holds only the top bit of a 64-bit value.
      if (shift == 63 && part > 1) return std::nullopt;
      v |= part << shift;
      if ((*b & 0x80U) == 0) {
        if (v > max) return std::nullopt;
        return v;
      }
    }
    return std::nullopt;  // more than ten bytes
  }

  bool str(std::string& s) {
    const auto v = uint();
    if (!v) return false;
    if ((*v & 1U) != 0) {
      const std::uint64_t index = *v >> 1;
      if (index >= kWordCount) return false;
      s.assign(kWords[index]);
      return true;
    }
    const std::uint64_t n = *v >> 1;
    if (n > left()) return false;
    s.assign(in_.substr(pos_, static_cast<std::size_t>(n)));
    pos_ += static_cast<std::size_t>(n);
    return true;
  }

  std::optional<bool> present() {
    const auto b = byte();
    if (!b || *b > 1) return std::nullopt;
    return *b == 1;
  }

  bool conn(connection& c) { return str(c.nettype) && str(c.addrtype) && str(c.address); }

  // A count of items of at least `min_bytes` each that the rest can hold.
  std::optional<std::size_t> count(std::size_t min_bytes) {
    const auto n = uint();
    if (!n || *n > left() / min_bytes) return std::nullopt;
    return static_cast<std::size_t>(*n);
  }

 private:
  std::string_view in_;
  std::size_t pos_ = 0;
};

template <typename T>
bool read_uint(reader& r, T& out) {
  const auto v = r.uint(std::numeric_limits<T>::max());
  if (!v) return false;
  out = static_cast<T>(*v);
  return true;
}

template <typename T>
bool read_optional_uint(reader& r, std::optional<T>& out) {
  const auto has = r.present();
  if (!has) return false;
  if (!*has) {
    out.reset();
    return true;
  }
  T v{};
  if (!read_uint(r, v)) return false;
  out = v;
  return true;
}

bool read_codec(reader& r, codec& c) {
  return r.str(c.encoding) && read_uint(r, c.clock_rate) && read_uint(r, c.channels) &&
         r.str(c.fmtp) && read_optional_uint(r, c.payload_type);
}

bool read_media(reader& r, media_capability& m) {
  if (!r.str(m.media) || !r.str(m.proto) || !read_uint(r, m.port)) return false;
  const auto has_conn = r.present();
  if (!has_conn) return false;
  if (*has_conn) {
    connection c;
    if (!r.conn(c)) return false;
    m.connection = std::move(c);
  }
  const auto codecs = r.count(kMinCodecBytes);
  if (!codecs) return false;
  m.codecs.reserve(*codecs);
  for (std::size_t i = 0; i < *codecs; ++i) {
    codec c;
    if (!read_codec(r, c)) return false;
    m.codecs.push_back(std::move(c));
  }
  const auto dir = r.byte();
  if (!dir || *dir > static_cast<std::uint8_t>(direction::inactive)) return false;
  m.dir = static_cast<direction>(*dir);
  return read_optional_uint(r, m.ptime);
}

}  // namespace

std::string pack_capabilities(const local_capabilities& local) {
  writer w;
  w.byte(static_cast<std::uint8_t>(kFormat));
  w.str(local.origin.username);
  w.uint(local.origin.sess_id);
  w.uint(local.origin.sess_version);
  w.str(local.origin.nettype);
  w.str(local.origin.addrtype);
  w.str(local.origin.address);
  w.conn(local.connection);
  w.str(local.name);
  w.uint(local.media.size());
  for (const media_capability& m : local.media) {
    w.str(m.media);
    w.str(m.proto);
    w.uint(m.port);
    w.byte(m.connection ? 1 : 0);
    if (m.connection) w.conn(*m.connection);
    w.uint(m.codecs.size());
    for (const codec& c : m.codecs) {
      w.str(c.encoding);
      w.uint(c.clock_rate);
      w.uint(c.channels);
      w.str(c.fmtp);
      w.byte(c.payload_type ? 1 : 0);
      if (c.payload_type) w.uint(*c.payload_type);
    }
    w.byte(static_cast<std::uint8_t>(m.dir));
    w.byte(m.ptime ? 1 : 0);
    if (m.ptime) w.uint(*m.ptime);
  }
  return w.take();
}

std::optional<local_capabilities> unpack_capabilities(std::string_view packed) {
  reader r(packed);
  const auto format = r.byte();
  if (!format || *format != static_cast<std::uint8_t>(kFormat)) return std::nullopt;
  local_capabilities local;
  origin& o = local.origin;
  if (!r.str(o.username) || !read_uint(r, o.sess_id) || !read_uint(r, o.sess_version) ||
      !r.str(o.nettype) || !r.str(o.addrtype) || !r.str(o.address) || !r.conn(local.connection) ||
      !r.str(local.name))
    return std::nullopt;
  const auto media = r.count(kMinMediaBytes);
  if (!media) return std::nullopt;
  local.media.reserve(*media);
  for (std::size_t i = 0; i < *media; ++i) {
    media_capability m;
    if (!read_media(r, m)) return std::nullopt;
    local.media.push_back(std::move(m));
  }
  if (r.left() != 0) return std::nullopt;  // trailing bytes
  return local;
}

}  // namespace sipua::sdp
