// Hold and resume re-offers (RFC 3264 §8.4, RFC 6337 §5.3).
#include "sipua/sdp/offer_answer.hpp"

namespace sipua::sdp {
namespace {

bool is_direction(const attribute& a) noexcept {
  return !a.has_value && (a.name == "sendrecv" || a.name == "sendonly" || a.name == "recvonly" ||
                          a.name == "inactive");
}

// Moves the session-level direction onto every media line so each stream
// can then be changed on its own.
session_description explicit_directions(const session_description& current) {
  session_description sd = current;
  for (media_description& m : sd.media)
    if (m.port != 0 && !m.explicit_direction()) m.set_direction(current.session_direction());
  std::erase_if(sd.attributes, is_direction);
  return sd;
}

template <class Map>
session_description remap(const session_description& current, stream_selector which, Map map) {
  session_description sd = explicit_directions(current);
  for (std::size_t i = 0; i < sd.media.size(); ++i) {
    media_description& m = sd.media[i];
    if (m.port == 0 || (which && *which != i)) continue;
    m.set_direction(map(*m.explicit_direction()));
  }
  return sd;
}

}  // namespace

session_description make_hold_offer(const session_description& current, stream_selector which) {
  // §5.3: hold stops our receiving; what we send (music on hold) is kept.
  return remap(current, which, [](direction d) {
    if (d == direction::sendrecv) return direction::sendonly;
    if (d == direction::recvonly) return direction::inactive;
    return d;
  });
}

session_description make_unhold_offer(const session_description& current, stream_selector which) {
  return remap(current, which, [](direction d) {
    if (d == direction::sendonly) return direction::sendrecv;
    if (d == direction::inactive) return direction::recvonly;
    return d;
  });
}

}  // namespace sipua::sdp
