// Typed views of the attributes a SIP UA negotiates (RFC 8866 §6) and the
// static RTP/AVP payload types (RFC 3551 §6).
#include <array>

#include "text.hpp"

#include "sipua/sdp/session.hpp"

namespace sipua::sdp {
namespace {

constexpr std::array<std::string_view, 4> direction_names = {"sendrecv", "sendonly", "recvonly",
                                                             "inactive"};

std::optional<direction> direction_of(const attribute& a) noexcept {
  if (a.has_value) return std::nullopt;
  for (std::size_t i = 0; i < direction_names.size(); ++i)
    if (a.name == direction_names[i]) return static_cast<direction>(i);
  return std::nullopt;
}

std::optional<direction> find_direction(const std::vector<attribute>& attrs) noexcept {
  for (const attribute& a : attrs)
    if (auto d = direction_of(a)) return d;
  return std::nullopt;
}

struct static_type {
  unsigned pt;
  std::string_view name;
  std::uint32_t clock;
  unsigned channels;
};

// RFC 3551 §6, Tables 4 and 5.
constexpr static_type static_types[] = {
    {0, "PCMU", 8000, 1},   {3, "GSM", 8000, 1},    {4, "G723", 8000, 1},   {5, "DVI4", 8000, 1},
    {6, "DVI4", 16000, 1},  {7, "LPC", 8000, 1},    {8, "PCMA", 8000, 1},   {9, "G722", 8000, 1},
    {10, "L16", 44100, 2},  {11, "L16", 44100, 1},  {12, "QCELP", 8000, 1}, {13, "CN", 8000, 1},
    {14, "MPA", 90000, 1},  {15, "G728", 8000, 1},  {16, "DVI4", 11025, 1}, {17, "DVI4", 22050, 1},
    {18, "G729", 8000, 1},  {25, "CelB", 90000, 1}, {26, "JPEG", 90000, 1}, {28, "nv", 90000, 1},
    {31, "H261", 90000, 1}, {32, "MPV", 90000, 1},  {33, "MP2T", 90000, 1}, {34, "H263", 90000, 1},
};

}  // namespace

std::string_view to_string(direction d) noexcept {
  return direction_names[static_cast<std::size_t>(d)];
}

// §6.6: a=rtpmap:<payload type> <encoding name>/<clock rate>[/<encoding parameters>]
sdp_result<rtpmap> parse_rtpmap(std::string_view value) {
  const auto sp = value.find(' ');
  const auto pt = detail::parse_u32(value.substr(0, sp));
  if (sp == std::string_view::npos || !pt || *pt > 127) return sdp_failure(sdp_errc::bad_rtpmap, 0);
  const auto rest = value.substr(sp + 1);
  const auto slash = rest.find('/');
  if (slash == std::string_view::npos || !detail::is_token(rest.substr(0, slash)))
    return sdp_failure(sdp_errc::bad_rtpmap, sp + 1);
  const auto after = rest.substr(slash + 1);
  const auto slash2 = after.find('/');
  const auto clock = detail::parse_u32(after.substr(0, slash2));
  const std::size_t clock_at = sp + 1 + slash + 1;
  if (!clock || *clock == 0) return sdp_failure(sdp_errc::bad_rtpmap, clock_at);
  rtpmap r{*pt, std::string(rest.substr(0, slash)), *clock, 1};
  if (slash2 != std::string_view::npos) {
    const auto ch = detail::parse_u32(after.substr(slash2 + 1));
    if (!ch || *ch == 0 || *ch > 255)
      return sdp_failure(sdp_errc::bad_rtpmap, clock_at + slash2 + 1);
    r.channels = *ch;
  }
  return r;
}

// §6.15: a=fmtp:<format> <format specific parameters>
sdp_result<fmtp> parse_fmtp(std::string_view value) {
  const auto sp = value.find(' ');
  if (!detail::is_token(value.substr(0, sp))) return sdp_failure(sdp_errc::bad_fmtp, 0);
  if (sp == std::string_view::npos) return fmtp{std::string(value), {}};
  return fmtp{std::string(value.substr(0, sp)), std::string(value.substr(sp + 1))};
}

const attribute* media_description::find_attribute(std::string_view n) const noexcept {
  for (const attribute& a : attributes)
    if (a.name == n) return &a;
  return nullptr;
}

std::optional<direction> media_description::explicit_direction() const noexcept {
  return find_direction(attributes);
}

void media_description::set_direction(direction d) {
  attribute value{std::string(to_string(d)), {}, false};
  bool placed = false;
  for (auto it = attributes.begin(); it != attributes.end();) {
    if (!direction_of(*it)) {
      ++it;
    } else if (!placed) {
      *it++ = value;
      placed = true;
    } else {
      it = attributes.erase(it);
    }
  }
  if (!placed) attributes.push_back(std::move(value));
}

std::optional<rtpmap> media_description::rtpmap_for(std::string_view format) const {
  const auto pt = detail::parse_u32(format);
  if (!pt || *pt > 127) return std::nullopt;
  for (const attribute& a : attributes) {
    if (a.name != "rtpmap" || !a.has_value) continue;
    auto r = parse_rtpmap(a.value);
    if (r && r->payload_type == *pt) return std::move(*r);
  }
  for (const static_type& s : static_types)
    if (s.pt == *pt) return rtpmap{s.pt, std::string(s.name), s.clock, s.channels};
  return std::nullopt;
}

std::optional<std::string> media_description::fmtp_for(std::string_view format) const {
  for (const attribute& a : attributes) {
    if (a.name != "fmtp" || !a.has_value) continue;
    auto f = parse_fmtp(a.value);
    if (f && f->format == format) return std::move(f->parameters);
  }
  return std::nullopt;
}

std::optional<std::uint32_t> media_description::ptime() const noexcept {
  const attribute* a = find_attribute("ptime");
  if (!a || !a->has_value) return std::nullopt;
  return detail::parse_u32(a->value);
}

const attribute* session_description::find_attribute(std::string_view n) const noexcept {
  for (const attribute& a : attributes)
    if (a.name == n) return &a;
  return nullptr;
}

direction session_description::session_direction() const noexcept {
  return find_direction(attributes).value_or(direction::sendrecv);
}

direction session_description::effective_direction(const media_description& m) const noexcept {
  return m.explicit_direction().value_or(session_direction());
}

const sdp::connection* session_description::effective_connection(
    const media_description& m) const noexcept {
  if (!m.connections.empty()) return &m.connections.front();
  return connection ? &*connection : nullptr;
}

}  // namespace sipua::sdp
