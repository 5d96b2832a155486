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
  // response routed elsewhere the runtime reports what it knows), from the
  // peer's list.
  std::vector<std::uint32_t> hit;
  auto it = s.peer_lists.find(impl::peer_key{e.protocol, *e.peer});
  for (std::uint32_t slot = it == s.peer_lists.end() ? no_slot : it->second; slot != no_slot;
       slot = s.slots[slot].peer_next) {
    if (!s.slots[slot].cancel_held) hit.push_back(slot);
  }
  for (std::uint32_t slot : hit) {
    const transaction& t = s.slots[slot];
    if (!t.live) continue;  // a held CANCEL ended with its INVITE
    s.tell_tu(slot, transport_failure_event{s.id_of(slot), e.error});
    // A client transaction ends (§17.1.4, Figures 5 and 6); a server one
    // stays in its state (RFC 6026 §8.8, replacing §17.2.4), so that a
    // retransmitted request is still recognised and not served twice.
    const bool client =
        t.kind == transaction_kind::client_invite || t.kind == transaction_kind::client_non_invite;
    if (client) s.terminate(slot);
  }
}

}  // namespace sipua
