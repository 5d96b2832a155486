// Lets GoogleTest print SDP values as their text in failure messages.
#pragma once

#include <ostream>

#include "sipua/sdp/session.hpp"

namespace sipua::sdp {

inline void PrintTo(const session_description& sd, std::ostream* os) {
  const auto text = build_session(sd);
  *os << (text.has_value() ? *text : std::string("<unbuildable session_description>"));
}

inline void PrintTo(sdp_errc e, std::ostream* os) {
  *os << "sdp_errc(" << static_cast<int>(e) << ": " << make_error_code(e).message() << ")";
}

}  // namespace sipua::sdp
