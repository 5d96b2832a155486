// The simulator's event loop and its two transaction users (see txn_sim.hpp).
#include "sim/txn/txn_sim.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <numeric>
#include <random>
#include <string_view>
#include <utility>

#include "sipua/message/builder.hpp"
#include "sipua/message/message.hpp"

namespace sipua::sim {
namespace {

constexpr int client_ep = 0;
constexpr int server_ep = 1;
constexpr std::string_view server_uri = "sip:bob@198.51.100.2";
/// Virtual time cannot run away: a run that passes this did not end.
constexpr std::chrono::hours max_virtual_time{6};

/// The non-2xx finals the server TU picks from (§17.2.1 Timer G/H and the
/// ACK built inside the client transaction get exercised by these).
constexpr std::array<int, 4> non_2xx = {486, 603, 404, 500};

template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;

std::string numbered(std::string_view prefix, std::size_t n, std::string_view suffix = {}) {
  std::string s(prefix);
  s += std::to_string(n);
  s += suffix;
  return s;
}

}  // namespace

std::uint64_t sim_seed(std::uint64_t fallback) {
  const char* env = std::getenv("SIPUA_SIM_SEED");
  if (env == nullptr || *env == '\0') return fallback;
  return std::strtoull(env, nullptr, 0);
}

txn_sim::txn_sim(sim_config config)
    : config_(std::move(config)),
      net_(config_.seed,
           {socket_address(ip_address::v4({192, 0, 2, 1}), 5060),
            socket_address(ip_address::v4({198, 51, 100, 2}), 5060)},
           config_.links) {
  for (auto& l : layer_) {
    transaction_config tc;
    tc.timers = config_.timers;
    l = std::make_unique<transaction_layer>(std::move(tc));
  }
  // Start well away from the clock's epoch; only differences matter.
  t0_ = now_ = sim_time{} + std::chrono::hours(1);
  const std::size_t total = config_.invites + config_.non_invites;
  records_.resize(total);
  // INVITE and non-INVITE interleaved in a seeded order.
  std::vector<std::size_t> order(total);
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::shuffle(order.begin(), order.end(), net_.rng());
  std::size_t invites = 0;
  for (std::size_t i = 0; i < total; ++i) {
    txn_record& r = records_[order[i]];
    r.invite = i < config_.invites;
    if (r.invite) {
      r.expected_status =
          (++invites % config_.two_xx_every == 0) ? 200 : non_2xx[invites % non_2xx.size()];
    } else {
      r.expected_status = 200;
    }
  }
  for (std::size_t n = 0; n < total; ++n) {
    schedule(t0_ + config_.spacing * static_cast<int>(n), tu_kind::start, n);
  }
}

void txn_sim::schedule(sim_time at, tu_kind kind, std::size_t n, sim_duration interval) {
  tu_.push(tu_timer{at, tu_sequence_++, kind, n, interval});
}

// --- the loop -------------------------------------------------------------------

void txn_sim::run() {
  for (;;) {
    drain();
    std::optional<sim_time> next = net_.next_delivery();
    auto earliest = [&next](std::optional<sim_time> t) {
      if (t && (!next || *t < *next)) next = t;
    };
    if (!tu_.empty()) earliest(tu_.top().at);
    for (auto& l : layer_) earliest(l->next_deadline());
    if (!next) break;
    if (*next - t0_ > max_virtual_time) {
      overran_ = true;
      break;
    }
    now_ = std::max(now_, *next);  // the clock never goes back
    // Timers first, then one TU timer or one delivery; then look again.
    bool fired = false;
    for (auto& l : layer_) {
      if (auto d = l->next_deadline(); d && *d <= now_) {
        l->handle_timeout(now_);
        fired = true;
      }
    }
    if (fired) continue;
    if (!tu_.empty() && tu_.top().at <= now_) {
      const tu_timer t = tu_.top();
      tu_.pop();
      on_tu_timer(t);
      continue;
    }
    if (auto p = net_.pop_due(now_)) deliver(*p);
  }
  stats_.virtual_time = std::chrono::duration_cast<sim_duration>(now_ - t0_);
  for (const txn_record& r : records_) {
    if (r.final_at) ++stats_.completed;
    if (r.timeout_at) ++stats_.timed_out;
    if (r.server_timeout_at) ++stats_.server_timed_out;
  }
}

void txn_sim::drain() {
  bool any = true;
  while (any) {
    any = false;
    while (auto a = layer_[client_ep]->next_action()) {
      any = true;
      client_action(*a);
    }
    while (auto a = layer_[server_ep]->next_action()) {
      any = true;
      server_action(*a);
    }
  }
}

void txn_sim::deliver(const packet& p) {
  ++stats_.deliveries;
  message m;
  if (parse_datagram(*p.bytes, m)) {
    ++stats_.unexpected;  // everything sent here is well formed
    return;
  }
  m.set_owner(p.bytes);
  // An ACK for a non-2xx leaves no event: watch its INVITE transaction's
  // state to see when it was absorbed (completed -> confirmed, §17.2.1; or
  // terminated at once when Timer I is zero).
  std::optional<std::size_t> watched;
  if (p.to == server_ep && m.is_request() && m.method() == sipua::method::ack) {
    if (auto n = record_of(m);
        n && layer_[server_ep]->state(records_[*n].server) == transaction_state::completed) {
      watched = n;
    }
  }
  layer_[p.to]->receive(now_, inbound_message{p.origin, std::move(m)});
  if (watched) {
    txn_record& r = records_[*watched];
    const auto s = layer_[server_ep]->state(r.server);
    if (!r.confirmed_at && (s == transaction_state::confirmed || !s)) r.confirmed_at = now_;
  }
}

void txn_sim::on_tu_timer(const tu_timer& t) {
  switch (t.kind) {
    case tu_kind::start: start_transaction(t.n); return;
    case tu_kind::answer: answer(t.n); return;
    case tu_kind::retransmit_2xx: retransmit_2xx(t.n, t.interval); return;
    case tu_kind::cancel: cancel_if_stalled(t.n); return;
  }
}

std::optional<std::size_t> txn_sim::record_of(const message& m) const {
  std::string_view id = m.call_id();
  if (!id.starts_with("sim-")) return std::nullopt;
  id.remove_prefix(4);
  std::size_t n = 0;
  auto [end, ec] = std::from_chars(id.data(), id.data() + id.size(), n);
  if (ec != std::errc{} || n >= records_.size()) return std::nullopt;
  return n;
}

// --- the client TU --------------------------------------------------------------

void txn_sim::start_transaction(std::size_t n) {
  txn_record& r = records_[n];
  const sipua::method method = r.invite ? sipua::method::invite : sipua::method::options;
  const std::string branch = numbered("z9hG4bK-sim-", n);
  const std::string tag = numbered("a", n);
  const std::string call_id = numbered("sim-", n, "@192.0.2.1");
  request_builder b(method, server_uri);
  b.via({.transport = via_token(config_.protocol), .sent_by = "192.0.2.1:5060", .branch = branch})
      .max_forwards(70)
      .to({.uri = server_uri})
      .from({.uri = "sip:alice@192.0.2.1", .tag = tag})
      .call_id(call_id)
      .cseq(1, method);
  auto bytes = b.build();
  r.start = now_;
  if (!bytes) {
    ++stats_.unexpected;
    return;
  }
  auto id = layer_[client_ep]->send_request(
      now_, std::move(*bytes), send_target{net_.address(server_ep), {}}, config_.protocol);
  if (!id) {
    ++stats_.unexpected;
    return;
  }
  r.client = *id;
  client_ids_.emplace(*id, n);
  if (r.invite) {
    const sim_duration after =
        config_.cancel_after.count() > 0 ? config_.cancel_after : 128 * config_.timers.t1;
    schedule(now_ + after, tu_kind::cancel, n);
  }
}

void txn_sim::cancel_if_stalled(std::size_t n) {
  txn_record& r = records_[n];
  const auto state = layer_[client_ep]->state(r.client);
  if (r.final_at ||
      (state != transaction_state::calling && state != transaction_state::proceeding)) {
    return;
  }
  // RFC 3261 §9.1: the UAC gives up on an INVITE that got no final
  // response; 64*T1 after the CANCEL the INVITE transaction should be gone.
  auto id = layer_[client_ep]->send_cancel(now_, r.client);
  if (!id) {
    ++stats_.unexpected;
    return;
  }
  r.cancel = *id;
  r.cancelled_at = now_;
  cancel_ids_.emplace(*id, n);
}

void txn_sim::client_action(txn_action& action) {
  if (cancel_action(action)) return;
  auto find = [this](transaction_id id) -> txn_record* {
    auto it = client_ids_.find(id);
    return it == client_ids_.end() ? nullptr : &records_[it->second];
  };
  std::visit(overloaded{
                 [&](send_request_action& a) {
                   txn_record* r = find(a.txn);
                   if (a.retransmission) ++stats_.request_retransmissions;
                   if (r == nullptr || a.address != net_.address(server_ep)) ++stats_.unexpected;
                   // The request itself (not the ACK the transaction builds).
                   if (r != nullptr && a.bytes->starts_with(r->invite ? "INVITE " : "OPTIONS ")) {
                     ++r->request_sends;
                   }
                   net_.send(now_, client_ep, a.protocol, a.bytes);
                 },
                 [&](response_event& e) {
                   auto it = client_ids_.find(e.txn);
                   if (it == client_ids_.end()) {
                     ++stats_.unexpected;
                     return;
                   }
                   const message& m = e.response.message;
                   if (m.status_code() < 200) {
                     ++records_[it->second].provisionals;
                     records_[it->second].last_provisional_at = now_;
                   } else {
                     client_final(it->second, m);
                   }
                 },
                 [&](stray_response_event& e) {
                   // RFC 6026 §7.2: a 2xx after Timer M; the TU acks it (§13.2.2.4).
                   auto n = record_of(e.response.message);
                   if (!n) {
                     ++stats_.unexpected;
                     return;
                   }
                   ++records_[*n].strays;
                   send_2xx_ack(*n, e.response.message);
                 },
                 [&](timeout_event& e) {
                   if (txn_record* r = find(e.txn)) {
                     r->timeout_at = now_;
                   } else {
                     ++stats_.unexpected;
                   }
                 },
                 [&](transport_failure_event& e) {
                   if (txn_record* r = find(e.txn)) ++r->transport_failures;
                 },
                 [&](terminated_event& e) {
                   if (txn_record* r = find(e.txn)) {
                     r->terminated_at = now_;
                   } else {
                     ++stats_.unexpected;
                   }
                 },
                 [&](auto&) { ++stats_.unexpected; },  // server-side events
             },
             action);
}

bool txn_sim::cancel_action(txn_action& action) {
  const transaction_id id = std::visit(
      [](const auto& a) -> transaction_id {
        if constexpr (requires { a.txn; }) {
          return a.txn;
        } else {
          return {};
        }
      },
      action);
  auto it = cancel_ids_.find(id);
  if (!id.valid() || it == cancel_ids_.end()) return false;
  txn_record& r = records_[it->second];
  if (auto* a = std::get_if<send_request_action>(&action)) {
    net_.send(now_, client_ep, a->protocol, a->bytes);
  } else if (std::holds_alternative<terminated_event>(action)) {
    r.cancel_terminated_at = now_;
  }
  return true;  // its responses and its Timer F need nothing from the TU
}

void txn_sim::client_final(std::size_t n, const message& response) {
  txn_record& r = records_[n];
  const int status = response.status_code();
  ++r.finals;
  if (!r.final_at) {
    r.final_at = now_;
    r.final_status = status;
  }
  // §13.2.2.4: the UAC core acks every 2xx the transaction passes up.
  if (r.invite && status < 300) send_2xx_ack(n, response);
}

void txn_sim::send_2xx_ack(std::size_t n, const message& response) {
  txn_record& r = records_[n];
  if (!r.ack) {
    // §13.2.2.4: CSeq number of the INVITE, method ACK; To with the
    // response's tag; its own branch (§8.1.1.7: only the ACK for a non-2xx
    // shares the INVITE's).
    request_builder b(sipua::method::ack, server_uri);
    const std::string branch = numbered("z9hG4bK-ack-", n);
    b.via({.transport = via_token(config_.protocol), .sent_by = "192.0.2.1:5060", .branch = branch})
        .max_forwards(70)
        .header(header_id::to, response.value(header_id::to))
        .header(header_id::from, response.value(header_id::from))
        .call_id(response.call_id())
        .cseq(1, sipua::method::ack);
    auto bytes = b.build();
    if (!bytes) {
      ++stats_.unexpected;
      return;
    }
    r.ack = std::make_shared<const std::string>(std::move(*bytes));
  }
  net_.send(now_, client_ep, config_.protocol, r.ack);
}

// --- the server TU --------------------------------------------------------------

void txn_sim::server_action(txn_action& action) {
  // The record's own server transaction, or a late copy's.
  auto terminated_at = [this](transaction_id id) -> std::optional<sim_time>* {
    if (auto it = server_ids_.find(id); it != server_ids_.end()) {
      return &records_[it->second].server_terminated_at;
    }
    if (auto it = late_ids_.find(id); it != late_ids_.end())
      return &late_[it->second].terminated_at;
    return nullptr;
  };
  std::visit(
      overloaded{
          [&](send_response_action& a) {
            if (a.retransmission) ++stats_.response_retransmissions;
            if (a.origin.peer != net_.address(client_ep) || a.origin.protocol != config_.protocol) {
              ++stats_.unexpected;
            }
            if (auto it = server_ids_.find(a.txn);
                it != server_ids_.end() && !a.bytes->starts_with("SIP/2.0 1")) {
              ++records_[it->second].server_final_sends;
            }
            net_.send(now_, server_ep, a.origin.protocol, a.bytes);
          },
          [&](request_event& e) { server_request(e); }, [&](cancel_event& e) { server_cancel(e); },
          [&](ack_event& e) {
            auto n = record_of(e.ack.message);
            if (!n) {
              ++stats_.unexpected;
              return;
            }
            txn_record& r = records_[*n];
            if (r.expected_status < 300) {
              ++r.ack_events;  // §13.3.1.4: ends the 2xx retransmissions
            } else if (r.server_terminated_at) {
              ++r.stray_acks;  // an ACK for our non-2xx, after Timer H or I
            } else {
              ++stats_.unexpected;  // the live transaction should have absorbed it
            }
          },
          [&](timeout_event& e) {
            if (auto it = server_ids_.find(e.txn); it != server_ids_.end()) {
              records_[it->second].server_timeout_at = now_;
            } else if (!late_ids_.contains(e.txn)) {
              ++stats_.unexpected;
            }
          },
          [&](terminated_event& e) {
            if (auto it = server_cancels_.find(e.txn); it != server_cancels_.end()) {
              it->second = now_;
            } else if (auto* at = terminated_at(e.txn)) {
              *at = now_;
            } else {
              ++stats_.unexpected;
            }
          },
          [&](auto&) { ++stats_.unexpected; },  // client-side events, CANCEL
      },
      action);
}

void txn_sim::server_request(const request_event& e) {
  auto n = record_of(e.request.message);
  if (!n) {
    ++stats_.unexpected;
    return;
  }
  txn_record& r = records_[*n];
  ++r.request_events;
  if (r.request_events > 1) {
    ++stats_.late_requests;
    late_ids_.emplace(e.txn, late_.size());
    late_.push_back(late_request{*n, e.txn, !r.server_terminated_at, std::nullopt});
    auto bytes = build_response(e.request.message, 482, {}, numbered("b", *n)).build();
    if (!bytes || layer_[server_ep]->send_response(now_, e.txn, std::move(*bytes))) {
      ++stats_.unexpected;
    }
    return;
  }
  r.server = e.txn;
  r.request = e.request.message;
  server_ids_.emplace(e.txn, *n);
  if (r.invite) {
    auto ringing = build_response(*r.request, 180, {}, numbered("b", *n)).build();
    if (!ringing || layer_[server_ep]->send_response(now_, r.server, std::move(*ringing))) {
      ++stats_.unexpected;
    }
  }
  const auto delay = std::uniform_int_distribution<sim_duration::rep>(
      0, config_.max_answer_delay.count())(net_.rng());
  schedule(now_ + sim_duration{delay}, tu_kind::answer, *n);
}

void txn_sim::server_cancel(const cancel_event& e) {
  // §9.2: 200 for a CANCEL that matches a transaction, else 481; a live
  // INVITE not answered yet is answered 487.
  server_cancels_.emplace(e.txn, std::nullopt);
  auto n = record_of(e.cancel.message);
  if (!n) {
    ++stats_.unexpected;
    return;
  }
  txn_record& r = records_[*n];
  ++r.cancel_events;
  const int status = e.invite.valid() ? 200 : 481;
  auto ok = build_response(e.cancel.message, status, {}, numbered("b", *n)).build();
  if (!ok || layer_[server_ep]->send_response(now_, e.txn, std::move(*ok))) ++stats_.unexpected;
  if (e.invite.valid() && e.invite == r.server && !r.server_final_at) {
    r.expected_status = 487;
    answer(*n);
  }
}

void txn_sim::answer(std::size_t n) {
  txn_record& r = records_[n];
  if (r.server_final_at) return;  // answered 487 after a CANCEL
  auto bytes = build_response(*r.request, r.expected_status, {}, numbered("b", n)).build();
  if (!bytes) {
    ++stats_.unexpected;
    return;
  }
  auto shared = std::make_shared<const std::string>(*bytes);
  if (layer_[server_ep]->send_response(now_, r.server, std::move(*bytes))) {
    ++stats_.unexpected;
    return;
  }
  r.server_final_at = now_;
  if (r.invite && r.expected_status < 300) {
    // §13.3.1.4: the TU retransmits its 2xx, T1 doubling up to T2.
    r.two_xx = std::move(shared);
    schedule(now_ + config_.timers.t1, tu_kind::retransmit_2xx, n, config_.timers.t1);
  }
}

void txn_sim::retransmit_2xx(std::size_t n, sim_duration interval) {
  txn_record& r = records_[n];
  // §13.3.1.4: until the ACK arrives, for at most 64*T1.
  if (r.ack_events > 0 || now_ - *r.server_final_at >= 64 * config_.timers.t1) return;
  if (layer_[server_ep]->send_response(now_, r.server, *r.two_xx)) {
    ++stats_.unexpected;
    return;
  }
  ++stats_.tu_2xx_retransmissions;
  const sim_duration next = std::min(2 * interval, config_.timers.t2);
  schedule(now_ + next, tu_kind::retransmit_2xx, n, next);
}

}  // namespace sipua::sim
