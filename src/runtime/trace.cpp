// format_trace(): the readable block for a trace_event.
#include "sipua/runtime/trace.hpp"

#include <string>

namespace sipua {

std::string format_trace(const trace_event& e) {
  const bool received = e.dir == trace_event::direction::received;
  std::string out = received ? "recv " : "send ";
  out += std::to_string(e.bytes.size());
  out += received ? " bytes from " : " bytes to ";
  out += e.peer.to_string();
  out += " over ";
  out += via_token(e.protocol);
  out += received ? " at " : " from ";
  out += e.local.to_string();
  if (e.retransmission) out += " (retransmission)";
  out += '\n';
  out += e.bytes;
  if (!e.bytes.empty() && e.bytes.back() != '\n') out += '\n';
  return out;
}

}  // namespace sipua
