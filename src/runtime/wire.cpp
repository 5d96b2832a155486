// The runtimes' shared send, trace and log path (wire.hpp).
#include "wire.hpp"

#include <string>

namespace sipua::runtime_detail {

namespace {

/// The local address a send over `t` to `peer` most likely left from: the
/// transport's first address of the peer's family (set_trace() documents
/// the guess); unspecified when there is none.
socket_address local_for(const transport* t, const socket_address& peer) {
  if (t != nullptr) {
    for (const socket_address& a : t->local_addresses()) {
      if (a.family() == peer.family()) return a;
    }
  }
  return {};
}

/// The start line, for log lines ("INVITE sip:bob@example.com SIP/2.0").
std::string_view start_line(std::string_view bytes) {
  return bytes.substr(0, bytes.find_first_of("\r\n"));
}

}  // namespace

std::optional<transport_error_event> wire::send(const send_request_action& a) const {
  // The layer already applied §18.1.1's size rule and wrote the Via, so
  // the request goes over exactly the protocol it names.
  transport* t = transports.find(a.protocol);
  std::error_code ec = transport_errc::no_transport_for_protocol;
  if (t != nullptr) ec = t->send(send_target{a.address, a.server_name}, *a.bytes);
  if (ec) return refused(a.protocol, a.address, ec, *a.bytes);
  if (trace) {
    trace(trace_event{trace_event::direction::sent, a.protocol, local_for(t, a.address), a.address,
                      *a.bytes, a.retransmission});
  }
  return std::nullopt;
}

std::optional<transport_error_event> wire::send(const send_response_action& a) const {
  // §18.2.2 / RFC 3581 §4: the same connection, received/rport, sent-by.
  const response_send_result r = transports.send_response(*a.bytes, a.origin, a.top_via);
  if (!r) return refused(a.origin.protocol, a.origin.peer, r.error, *a.bytes);
  if (trace) {
    const socket_address peer = r.target.address.value_or(a.origin.peer);
    const socket_address local = a.origin.local.address().is_unspecified()
                                     ? local_for(transports.find(a.origin.protocol), peer)
                                     : a.origin.local;
    trace(trace_event{trace_event::direction::sent, a.origin.protocol, local, peer, *a.bytes,
                      a.retransmission});
  }
  return std::nullopt;
}

transport_error_event wire::refused(transport_protocol protocol, const socket_address& peer,
                                    std::error_code ec, std::string_view bytes) const {
  if (logs(log_level::warning)) {
    log->write(log_level::warning, component,
               "send to " + peer.to_string() + " over " + std::string(via_token(protocol)) +
                   " refused: " + ec.message() + " (" + std::string(start_line(bytes)) + ")");
  }
  return transport_error_event{protocol, {}, peer, ec, {}};
}

void wire::received(const inbound_message& m) const {
  if (!trace) return;
  trace(trace_event{trace_event::direction::received, m.origin.protocol, m.origin.local,
                    m.origin.peer, m.message.bytes(), false});
}

void wire::parse_failed(const inbound_parse_failure& f) const {
  const std::string_view bytes = f.bytes ? std::string_view(*f.bytes) : std::string_view();
  if (trace) {
    trace(trace_event{trace_event::direction::received, f.origin.protocol, f.origin.local,
                      f.origin.peer, bytes, false});
  }
  if (logs(log_level::debug)) {
    std::string text =
        "dropped " + std::to_string(bytes.size()) + " bytes from " + f.origin.peer.to_string() +
        " over " + std::string(via_token(f.origin.protocol)) + ": " +
        f.error.error_code().message() + " at offset " + std::to_string(f.error.offset);
    if (!f.error.header.empty()) text += " in " + std::string(f.error.header);
    log->write(log_level::debug, component, text);
  }
}

void wire::transport_failed(const transport_error_event& e) const {
  if (!logs(log_level::debug)) return;
  std::string text = std::string(via_token(e.protocol)) + " transport error";
  if (e.peer) text += " for " + e.peer->to_string();
  text += ": " + e.error.message();
  if (!e.detail.empty()) text += " (" + e.detail + ")";
  log->write(log_level::debug, component, text);
}

}  // namespace sipua::runtime_detail
