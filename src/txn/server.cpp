// The server transactions: INVITE (RFC 3261 §17.2.1 with RFC 6026 §7.1:
// proceeding, completed, confirmed, accepted, terminated) and non-INVITE
// (§17.2.2: trying, proceeding, completed, terminated).
#include "layer_impl.hpp"

#include "sipua/message/params.hpp"

namespace sipua {

using detail::no_slot;
using detail::transaction;
using state = transaction_state;

void transaction_layer::impl::transmit_response(std::uint32_t slot,
                                                std::shared_ptr<const std::string> bytes,
                                                bool retransmission) {
  const transaction& t = slots[slot];
  auto top = parse_via(t.top_via_text);
  if (!top) return;
  actions.emplace_back(
      send_response_action{id_of(slot), t.origin, *top, t.owner, std::move(bytes), retransmission});
}

// --- a new server transaction ---------------------------------------------------

void transaction_layer::impl::new_server(time_point now, inbound_message&& m,
                                         const detail::request_info& info) {
  (void)now;
  const message& request = m.message;
  if (live >= config.max_transactions) {
    // Full: answer 503 without a transaction rather than grow.
    auto bytes = detail::build_layer_response(request, 503, next_random());
    if (bytes) {
      actions.emplace_back(
          send_response_action{{}, m.origin, info.top, request.owner(), std::move(bytes), false});
    }
    return;
  }
  const std::uint32_t slot = allocate();
  transaction& t = slots[slot];
  const bool invite = request.method() == sipua::method::invite;
  t.kind = invite ? transaction_kind::server_invite : transaction_kind::server_non_invite;
  t.state = invite ? state::proceeding : state::trying;
  t.owner = request.owner();
  t.text = request.bytes();
  t.origin = m.origin;
  t.reliable = is_reliable(m.origin.protocol);
  {
    const comma_list vias{request.value(header_id::via)};
    auto first = vias.begin();
    if (first != vias.end()) t.top_via_text = *first;
  }
  const std::uint32_t merged = match_merged(info);
  index_server(slot, request, info);
  list_peer(slot);
  const transaction_id id = id_of(slot);
  if (merged != no_slot) {
    // §8.2.2.2: the same request reached us by another path: 482. The
    // layer answers it; the TU hears nothing of this transaction.
    t.silent = true;
    (void)server_response(slot, now, detail::build_layer_response(request, 482, next_random()),
                          482);
    return;
  }
  if (request.method() == sipua::method::cancel) {
    // §9.2: the INVITE it cancels has the same branch and sent-by.
    const detail::method_key as_invite{sipua::method::invite, {}};
    const std::uint32_t inv = match_request(request, info, &as_invite);
    const transaction_id invite_id = inv == no_slot ? transaction_id{} : id_of(inv);
    actions.emplace_back(cancel_event{id, invite_id, std::move(m)});
    return;
  }
  if (invite && config.send_100_trying) {
    // §17.2.1: 100 Trying at once; kept as the last provisional so a
    // retransmitted INVITE gets it again.
    auto trying = detail::build_layer_response(request, 100, 0);
    if (trying) {
      t.response = trying;
      transmit_response(slot, std::move(trying), false);
    }
  }
  actions.emplace_back(request_event{id, std::move(m)});
}

// --- requests on a server transaction ----------------------------------------------

void transaction_layer::impl::server_request(std::uint32_t slot, time_point now,
                                             inbound_message&& m) {
  transaction& t = slots[slot];
  const bool ack = m.message.method() == sipua::method::ack;
  auto resend = [&] {
    if (t.response) transmit_response(slot, t.response, true);
  };
  if (t.kind == transaction_kind::server_non_invite) {
    // §17.2.2: trying absorbs; proceeding and completed resend the last
    // response.
    if (!ack && t.state != state::trying) resend();
    return;
  }
  switch (t.state) {
    case state::proceeding:
      if (!ack) resend();  // the last provisional (§17.2.1)
      return;
    case state::completed:
      if (!ack) {
        resend();  // the final response again
        return;
      }
      // §17.2.1: the ACK for our non-2xx: confirmed, Timer I.
      t.state = state::confirmed;
      timers.stop(t.retransmit);
      timers.stop(t.end);
      if (const txn_duration i = config.timers.timer_i(t.reliable); i.count() == 0) {
        terminate(slot);
      } else {
        timers.start(t.end, now, i);
      }
      return;
    case state::accepted:
      // RFC 6026 §7.1: INVITE retransmissions are absorbed; an ACK that
      // matches (RFC 2543 rules) goes to the TU.
      if (ack) actions.emplace_back(ack_event{std::move(m)});
      return;
    default: return;  // confirmed: absorbed
  }
}

// --- responses from the TU ------------------------------------------------------------

std::error_code transaction_layer::impl::server_response(std::uint32_t slot, time_point now,
                                                         std::shared_ptr<const std::string> bytes,
                                                         int status) {
  transaction& t = slots[slot];
  const timer_config& tc = config.timers;
  if (t.kind == transaction_kind::server_non_invite) {
    if (t.state == state::completed) return txn_errc::wrong_state;
    t.response = bytes;
    transmit_response(slot, std::move(bytes), false);
    if (status < 200) {
      t.state = state::proceeding;
      return {};
    }
    // §17.2.2: completed, Timer J.
    t.state = state::completed;
    if (const txn_duration j = tc.timer_j(t.reliable); j.count() == 0) {
      terminate(slot);
    } else {
      timers.start(t.end, now, j);
    }
    return {};
  }
  if (t.state == state::accepted) {
    // RFC 6026 §8.6: the TU's 2xx retransmissions pass through.
    if (status < 200 || status >= 300) return txn_errc::wrong_state;
    transmit_response(slot, std::move(bytes), false);
    return {};
  }
  if (t.state != state::proceeding) return txn_errc::wrong_state;
  if (status >= 200 && t.rfc2543) {
    // RFC 2543 matching of the ACK needs our final response's To tag.
    if (auto original = parse_datagram(bytes ? std::string_view(*bytes) : std::string_view{})) {
      t.more().response_to_tag = std::string(detail::to_tag_of(*original));
    }
  }
  t.response = bytes;
  transmit_response(slot, std::move(bytes), false);
  if (status < 200) return {};
  if (status < 300) {
    // RFC 6026 §7.1: accepted, Timer L; the 2xx retransmissions are the TU's.
    t.state = state::accepted;
    t.response.reset();
    timers.start(t.end, now, tc.timer_l());
    return {};
  }
  // §17.2.1: completed; Timer G (unreliable only) and Timer H.
  t.state = state::completed;
  t.interval = tc.timer_g();
  if (!t.reliable) timers.start(t.retransmit, now, t.interval);
  timers.start(t.end, now, tc.timer_h());
  return {};
}

std::error_code transaction_layer::send_response(time_point now, transaction_id txn,
                                                 std::string response) {
  impl& s = *impl_;
  transaction* t = s.find(txn);
  if (t == nullptr) return txn_errc::unknown_transaction;
  if (t->kind == transaction_kind::client_invite ||
      t->kind == transaction_kind::client_non_invite) {
    return txn_errc::wrong_kind;
  }
  // The TU built the response: read its status line only (the layer needs
  // the code), not every header. Anything else gets the full parser, for
  // an exact error.
  const int status = detail::status_of(response);
  if (status == 0) {
    message m;
    if (parse_datagram(response, m)) return txn_errc::bad_message;
    return m.is_response() ? txn_errc::bad_message : txn_errc::not_a_response;
  }
  return s.server_response(txn.slot, now, std::make_shared<const std::string>(std::move(response)),
                           status);
}

// --- timers ---------------------------------------------------------------------------

void transaction_layer::impl::server_timer(std::uint32_t slot, detail::timer_node& n,
                                           time_point now) {
  transaction& t = slots[slot];
  if (&n == &t.retransmit) {
    // Timer G (§17.2.1): the final response again, doubling up to T2.
    if (t.response) transmit_response(slot, t.response, true);
    t.interval = std::min(2 * t.interval, config.timers.t2);
    timers.start(t.retransmit, now, t.interval);
    return;
  }
  // Timer H: the ACK never came (§17.2.1, "transaction failure"); I, J, L:
  // the wait for retransmissions is over.
  if (t.kind == transaction_kind::server_invite && t.state == state::completed) {
    tell_tu(slot, timeout_event{id_of(slot)});
  }
  terminate(slot);
}

}  // namespace sipua
