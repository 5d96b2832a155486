// Ready-made local capabilities for the common case (offer_answer.hpp).
#include <utility>

#include "sipua/sdp/offer_answer.hpp"

namespace sipua::sdp {

local_capabilities audio_capabilities(std::string address, std::uint16_t port,
                                      std::uint64_t session_id) {
  const bool v6 = address.find(':') != std::string::npos;
  local_capabilities caps;
  caps.origin.sess_id = session_id;
  caps.origin.sess_version = 1;
  caps.origin.addrtype = v6 ? "IP6" : "IP4";
  caps.origin.address = address;
  caps.connection.addrtype = caps.origin.addrtype;
  caps.connection.address = std::move(address);
  media_capability audio;
  audio.port = port;
  audio.codecs.push_back(codec{"PCMU", 8000, 1, {}, 0U});
  audio.codecs.push_back(codec{"PCMA", 8000, 1, {}, 8U});
  audio.codecs.push_back(codec{"telephone-event", 8000, 1, "0-16", 101U});
  caps.media.push_back(std::move(audio));
  return caps;
}

}  // namespace sipua::sdp
