// The client transactions: INVITE (RFC 3261 §17.1.1 with RFC 6026 §7.2:
// calling, proceeding, completed, accepted, terminated) and non-INVITE
// (§17.1.2: trying, proceeding, completed, terminated), with CANCEL (§9.1).
#include "layer_impl.hpp"

#include "sipua/transport/routing.hpp"

namespace sipua {

using detail::no_slot;
using detail::transaction;
using state = transaction_state;

namespace {

std::shared_ptr<const std::string> request_bytes(const transaction& t) {
  return std::static_pointer_cast<const std::string>(t.owner);
}

}  // namespace

// --- starting -------------------------------------------------------------------

result<transaction_id, std::error_code> transaction_layer::send_request(
    time_point now, std::string request, const send_target& target, transport_protocol protocol) {
  impl& s = *impl_;
  // §18.1.1: over 1300 bytes (or near the MTU) a UDP request goes over TCP,
  // and the top Via must say so.
  const transport_protocol chosen = choose_transport(protocol, request.size());
  if (chosen != protocol && !replace_top_via_transport(request, via_token(chosen))) {
    return unexpected{make_error_code(txn_errc::bad_message)};
  }
  auto owned = std::make_shared<const std::string>(std::move(request));
  message m;
  if (parse_datagram(*owned, m)) return unexpected{make_error_code(txn_errc::bad_message)};
  if (!m.is_request() || m.method() == sipua::method::ack) {
    return unexpected{make_error_code(txn_errc::not_a_request)};
  }
  const auto info = detail::read_request(m);
  if (!info) return unexpected{make_error_code(txn_errc::bad_message)};
  const via* top = &info->top;
  // §8.1.1.7: our branch starts with the magic cookie, so responses match
  // by branch alone (§17.1.3).
  if (top->branch.size() <= 7 || top->branch.substr(0, 7) != "z9hG4bK") {
    return unexpected{make_error_code(txn_errc::no_branch)};
  }
  if (s.find_client(detail::make_client_key(top->branch, detail::method_of(m))) != no_slot) {
    return unexpected{make_error_code(txn_errc::duplicate_branch)};
  }
  if (s.live >= s.config.max_transactions) {
    return unexpected{make_error_code(txn_errc::too_many_transactions)};
  }
  const std::uint32_t slot = s.allocate();
  transaction& t = s.slots[slot];
  const bool invite = m.method() == sipua::method::invite;
  t.kind = invite ? transaction_kind::client_invite : transaction_kind::client_non_invite;
  t.state = invite ? state::calling : state::trying;
  t.owner = owned;
  t.text = *owned;
  t.protocol = chosen;
  t.reliable = is_reliable(chosen);
  t.address = target.address;
  if (!target.server_name.empty()) t.more().server_name = std::string(target.server_name);
  s.index_client(slot, *info);
  s.list_peer(slot);
  s.transmit_request(slot, false);
  const timer_config& tc = s.config.timers;
  // §17.1.1.2 Timer A and B; §17.1.2.2 Timer E and F. No retransmission
  // over a reliable transport.
  t.interval = invite ? tc.timer_a() : tc.timer_e();
  if (!t.reliable) s.timers.start(t.retransmit, now, t.interval);
  s.timers.start(t.end, now, invite ? tc.timer_b() : tc.timer_f());
  return s.id_of(slot);
}

result<transaction_id, std::error_code> transaction_layer::send_cancel(time_point now,
                                                                       transaction_id invite) {
  impl& s = *impl_;
  transaction* inv = s.find(invite);
  if (inv == nullptr) return unexpected{make_error_code(txn_errc::unknown_transaction)};
  if (inv->kind != transaction_kind::client_invite) {
    return unexpected{make_error_code(txn_errc::wrong_kind)};
  }
  if (inv->cancelled || (inv->state != state::calling && inv->state != state::proceeding)) {
    return unexpected{make_error_code(txn_errc::wrong_state)};
  }
  auto m = parse_datagram(inv->text);
  if (!m) return unexpected{make_error_code(txn_errc::bad_message)};
  auto cancel = detail::build_cancel(*m);
  if (!cancel) return unexpected{make_error_code(txn_errc::bad_message)};
  if (s.live >= s.config.max_transactions) {
    return unexpected{make_error_code(txn_errc::too_many_transactions)};
  }
  message cm;
  if (parse_datagram(*cancel, cm)) return unexpected{make_error_code(txn_errc::bad_message)};
  const auto info = detail::read_request(cm);
  if (!info) return unexpected{make_error_code(txn_errc::bad_message)};
  const std::uint32_t invite_slot = invite.slot;
  const std::uint32_t slot = s.allocate();  // may grow the deque: re-take references
  transaction& t = s.slots[slot];
  transaction& i = s.slots[invite_slot];
  t.kind = transaction_kind::client_non_invite;
  t.state = state::trying;
  t.owner = cancel;
  t.text = *cancel;
  // §9.1: the CANCEL goes where the INVITE went.
  t.protocol = i.protocol;
  t.reliable = i.reliable;
  t.address = i.address;
  if (i.extra && !i.extra->server_name.empty()) t.more().server_name = i.extra->server_name;
  t.related = invite_slot;
  i.related = slot;
  i.cancelled = true;
  s.index_client(slot, *info);
  s.list_peer(slot);
  if (i.state == state::proceeding) {
    s.release_cancel(invite_slot, now);
  } else {
    t.cancel_held = true;  // §9.1: not before a provisional response
    i.cancel_pending = true;
  }
  return s.id_of(slot);
}

void transaction_layer::impl::release_cancel(std::uint32_t invite_slot, time_point now) {
  transaction& i = slots[invite_slot];
  i.cancel_pending = false;
  if (i.related == no_slot) return;
  transaction& t = slots[i.related];
  t.cancel_held = false;
  transmit_request(i.related, false);
  // §9.1: with no final response 64*T1 after the CANCEL, the INVITE is
  // considered cancelled and its transaction destroyed (the TU hears a
  // timeout): this replaces Timer C.
  timers.start(i.end, now, config.timers.timer_b());
  t.interval = config.timers.timer_e();
  if (!t.reliable) timers.start(t.retransmit, now, t.interval);
  timers.start(t.end, now, config.timers.timer_f());
}

void transaction_layer::impl::transmit_request(std::uint32_t slot, bool retransmission) {
  const transaction& t = slots[slot];
  actions.emplace_back(send_request_action{id_of(slot), t.protocol, t.address,
                                           std::string(t.server_name()), request_bytes(t),
                                           retransmission});
}

// --- responses --------------------------------------------------------------------

void transaction_layer::impl::client_response(std::uint32_t slot, time_point now,
                                              inbound_message&& m) {
  transaction& t = slots[slot];
  if (t.cancel_held) return;  // nothing was sent: a response cannot be ours
  const int status = m.message.status_code();
  const timer_config& tc = config.timers;
  const transaction_id id = id_of(slot);
  if (t.kind == transaction_kind::client_non_invite) {
    // §17.1.2.2
    if (t.state == state::completed) return;  // retransmitted final: absorbed
    if (status < 200) {
      t.state = state::proceeding;
      actions.emplace_back(response_event{id, std::move(m)});
      return;
    }
    t.state = state::completed;
    timers.stop(t.retransmit);
    timers.stop(t.end);
    actions.emplace_back(response_event{id, std::move(m)});
    const txn_duration k = tc.timer_k(t.reliable);
    if (k.count() == 0) {
      terminate(slot);
    } else {
      timers.start(t.end, now, k);
    }
    return;
  }
  // Client INVITE, §17.1.1.2 and RFC 6026 §7.2.
  switch (t.state) {
    case state::calling:
    case state::proceeding:
      if (status < 200) {
        const bool first = t.state == state::calling;
        t.state = state::proceeding;
        // "SHOULD NOT retransmit the request any longer" and Timer B only
        // runs in calling (Figure 5); Timer C (re)starts with each 1xx
        // (timer_config::c, sipua's bound on the wait).
        timers.stop(t.retransmit);
        if (!t.cancelled || t.cancel_pending) timers.start(t.end, now, tc.timer_c());
        actions.emplace_back(response_event{id, std::move(m)});
        if (first && t.cancel_pending) release_cancel(slot, now);
        return;
      }
      timers.stop(t.retransmit);
      timers.stop(t.end);
      // A CANCEL still waiting for a 1xx is moot: it ends unsent (§9.1).
      if (t.cancel_pending) {
        t.cancel_pending = false;
        if (t.related != no_slot) terminate(t.related);
      }
      if (status < 300) {
        t.state = state::accepted;  // RFC 6026 §7.2: Timer M
        actions.emplace_back(response_event{id, std::move(m)});
        timers.start(t.end, now, tc.timer_m());
        return;
      }
      t.state = state::completed;
      if (auto request = parse_datagram(t.text))
        t.response = detail::build_ack(*request, m.message);
      if (t.response) {
        actions.emplace_back(send_request_action{id, t.protocol, t.address,
                                                 std::string(t.server_name()), t.response, false});
      }
      actions.emplace_back(response_event{id, std::move(m)});
      if (const txn_duration d = tc.timer_d(t.reliable); d.count() == 0) {
        terminate(slot);
      } else {
        timers.start(t.end, now, d);
      }
      return;
    case state::completed:
      // §17.1.1.2: a retransmitted final response gets the ACK again.
      if (status >= 300 && t.response) {
        actions.emplace_back(send_request_action{id, t.protocol, t.address,
                                                 std::string(t.server_name()), t.response, true});
      }
      return;
    case state::accepted:
      // RFC 6026 §7.2: every 2xx goes up (retransmissions, other forks).
      if (status >= 200 && status < 300) actions.emplace_back(response_event{id, std::move(m)});
      return;
    default: return;
  }
}

// --- timers -----------------------------------------------------------------------

void transaction_layer::impl::client_timer(std::uint32_t slot, detail::timer_node& n,
                                           time_point now) {
  transaction& t = slots[slot];
  const timer_config& tc = config.timers;
  if (&n == &t.retransmit) {
    // Timer A (§17.1.1.2: doubles, uncapped) or E (§17.1.2.2: doubles up
    // to T2 in trying; T2 in proceeding).
    transmit_request(slot, true);
    if (t.kind == transaction_kind::client_invite) {
      t.interval *= 2;
    } else {
      t.interval = t.state == state::proceeding ? tc.t2 : std::min(2 * t.interval, tc.t2);
    }
    timers.start(t.retransmit, now, t.interval);
    return;
  }
  // Timer B / C / F: the request timed out (the TU reports 408, §8.1.3.1).
  // Timer D / K / M: the wait for retransmissions is over.
  // Timer C (client INVITE in proceeding) is a timeout too.
  const bool timed_out =
      t.state == state::calling || t.state == state::trying || t.state == state::proceeding;
  if (timed_out) actions.emplace_back(timeout_event{id_of(slot)});
  terminate(slot);
}

}  // namespace sipua
