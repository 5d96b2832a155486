// RFC 3264 §6: building an answer; §5: building an initial offer.
#include <vector>

#include "text.hpp"

#include "sipua/sdp/offer_answer.hpp"

namespace sipua::sdp {
namespace {

bool sends(direction d) noexcept { return d == direction::sendrecv || d == direction::sendonly; }
bool receives(direction d) noexcept { return d == direction::sendrecv || d == direction::recvonly; }

direction from_flags(bool send, bool recv) noexcept {
  if (send && recv) return direction::sendrecv;
  if (send) return direction::sendonly;
  if (recv) return direction::recvonly;
  return direction::inactive;
}

// RFC 3264 §6.1: what we may do given what the offerer does and we want.
direction answer_direction(direction offered, direction wanted) noexcept {
  return from_flags(receives(offered) && sends(wanted), sends(offered) && receives(wanted));
}

const codec* match_codec(const media_capability& cap, const rtpmap& offered) noexcept {
  for (const codec& c : cap.codecs) {
    if (detail::iequals(c.encoding, offered.encoding) && c.clock_rate == offered.clock_rate &&
        c.channels == offered.channels)
      return &c;
  }
  return nullptr;
}

std::string rtpmap_value(const std::string& format, const rtpmap& r) {
  std::string v = format + ' ' + r.encoding + '/' + std::to_string(r.clock_rate);
  if (r.channels != 1) v += '/' + std::to_string(r.channels);
  return v;
}

// The offered formats we support, with the offerer's numbers and spelling.
media_description intersect(const media_description& offered, const media_capability& cap) {
  media_description m;
  m.media = offered.media;
  m.proto = offered.proto;
  m.port = cap.port;
  for (const std::string& f : offered.formats) {
    const auto r = offered.rtpmap_for(f);
    const codec* c = r ? match_codec(cap, *r) : nullptr;
    if (!c) continue;
    m.formats.push_back(f);
    m.attributes.push_back({"rtpmap", rtpmap_value(f, *r), true});
    if (!c->fmtp.empty()) m.attributes.push_back({"fmtp", f + ' ' + c->fmtp, true});
  }
  return m;
}

// §6: a rejected stream keeps the offered media and proto, port 0, and one
// format (ignored by the offerer, but SDP needs one).
media_description rejected(const media_description& offered) {
  media_description m;
  m.media = offered.media;
  m.proto = offered.proto;
  m.port = 0;
  m.formats.push_back(offered.formats.empty() ? std::string("0") : offered.formats.front());
  // Its rtpmap only if the offer wrote one (static types may go without).
  const std::string& f = m.formats.front();
  for (const attribute& a : offered.attributes) {
    if (a.name != "rtpmap" || !a.has_value) continue;
    const auto r = parse_rtpmap(a.value);
    if (r && std::to_string(r->payload_type) == f) {
      m.attributes.push_back({"rtpmap", rtpmap_value(f, *r), true});
      break;
    }
  }
  return m;
}

void finish_accepted(media_description& m, const media_capability& cap, direction d) {
  if (cap.connection) m.connections.push_back(*cap.connection);
  if (cap.ptime) m.attributes.push_back({"ptime", std::to_string(*cap.ptime), true});
  if (d != direction::sendrecv) m.set_direction(d);
}

session_description skeleton(const local_capabilities& local) {
  session_description sd;
  sd.origin = local.origin;
  sd.name = local.name;
  sd.connection = local.connection;
  return sd;
}

}  // namespace

session_description make_answer(const session_description& offer, const local_capabilities& local) {
  session_description answer = skeleton(local);
  answer.timings = offer.timings;  // §6: t= equals the offer's
  std::vector<bool> used(local.media.size(), false);
  for (const media_description& o : offer.media) {
    std::optional<media_description> accepted;
    for (std::size_t i = 0; i < local.media.size() && !accepted && o.port != 0; ++i) {
      const media_capability& cap = local.media[i];
      if (used[i] || !detail::iequals(cap.media, o.media) || !detail::iequals(cap.proto, o.proto))
        continue;
      media_description m = intersect(o, cap);
      if (m.formats.empty()) continue;
      used[i] = true;
      finish_accepted(m, cap, answer_direction(offer.effective_direction(o), cap.dir));
      accepted = std::move(m);
    }
    answer.media.push_back(accepted ? std::move(*accepted) : rejected(o));
  }
  return answer;
}

session_description make_offer(const local_capabilities& local) {
  session_description offer = skeleton(local);
  unsigned next_dynamic = 96;
  for (const media_capability& cap : local.media) {
    media_description m;
    m.media = cap.media;
    m.proto = cap.proto;
    m.port = cap.port;
    for (const codec& c : cap.codecs) {
      const unsigned pt = c.payload_type ? *c.payload_type : next_dynamic++;
      const std::string f = std::to_string(pt);
      m.formats.push_back(f);
      m.attributes.push_back(
          {"rtpmap", rtpmap_value(f, {pt, c.encoding, c.clock_rate, c.channels}), true});
      if (!c.fmtp.empty()) m.attributes.push_back({"fmtp", f + ' ' + c.fmtp, true});
    }
    finish_accepted(m, cap, cap.dir);
    offer.media.push_back(std::move(m));
  }
  return offer;
}

}  // namespace sipua::sdp
