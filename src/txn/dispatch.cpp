// Where an arriving message goes (RFC 3261 §17.1.3, §17.2.3, §9.2,
// RFC 6026 §7.1/§7.2), and transport errors (§17.1.4, §17.2.4).
#include "layer_impl.hpp"

namespace sipua {

using detail::no_slot;
using detail::transaction;

void transaction_layer::receive(time_point now, inbound_message m) {
  impl& s = *impl_;
  const message& msg = m.message;
  if (msg.is_response()) {
    const std::uint32_t slot = s.match_response(msg);
    if (slot != no_slot) {
      s.client_response(slot, now, std::move(m));
      return;
    }
    // RFC 6026 §7.2 (replacing §17.1.1.2's drop): a 2xx to an INVITE with
    // no transaction goes to the TU (a forked answer, a retransmission
    // after Timer M); any other stray response is dropped (§18.1.2).
    auto cs = msg.cseq();
    if (cs && cs->method == sipua::method::invite && msg.status_code() >= 200 &&
        msg.status_code() < 300) {
      s.actions.emplace_back(stray_response_event{std::move(m)});
    }
    return;
  }
  const auto info = detail::read_request(msg);
  if (!info) return;  // not a request this layer can answer: validation is the caller's (§8.2)
  const std::uint32_t slot = s.match_request(msg, *info);
  if (slot != no_slot) {
    s.server_request(slot, now, std::move(m));
    return;
  }
  if (msg.method() == sipua::method::ack) {
    // No INVITE transaction: the ACK of a 2xx, for the TU (§17.2.3).
    s.actions.emplace_back(ack_event{std::move(m)});
    return;
  }
  s.new_server(now, std::move(m), *info);
}

void transaction_layer::transport_error(time_point now, const transport_error_event& e) {
  (void)now;
  impl& s = *impl_;
  if (!e.peer) return;
  // Every transaction that sends to that peer over that protocol: a client
  // to its destination, a server to the request's source (§17.2.4; for a
  // response routed elsewhere the runtime reports what it knows). Errors
  // are rare; this scans the live records.
  std::vector<std::uint32_t> hit;
  for (std::uint32_t slot = 0; slot < s.slots.size(); ++slot) {
    const transaction& t = s.slots[slot];
    if (!t.live || t.cancel_held) continue;
    const bool client =
        t.kind == transaction_kind::client_invite || t.kind == transaction_kind::client_non_invite;
    const bool same = client ? (t.protocol == e.protocol && t.address == *e.peer)
                             : (t.origin.protocol == e.protocol && t.origin.peer == *e.peer);
    if (same) hit.push_back(slot);
  }
  for (std::uint32_t slot : hit) {
    if (!s.slots[slot].live) continue;  // a held CANCEL ended with its INVITE
    s.actions.emplace_back(transport_failure_event{s.id_of(slot), e.error});
    s.terminate(slot);
  }
}

}  // namespace sipua
