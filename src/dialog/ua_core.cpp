// The UA core's entry points, its call table and the pump that turns the
// transaction layer's TU events into call events (ua_core.hpp).
#include "sipua/dialog/ua_core.hpp"

#include <type_traits>
#include <utility>
#include <variant>

#include "core_impl.hpp"

namespace sipua {

namespace {
// The dialog indexes' hash seed: from the configured random source when
// there is one (a UserAgent's CSPRNG), without touching the deterministic
// sequence tests and fuzzing rely on.
std::uint64_t index_seed(const ua_core_config& c) { return c.random ? c.random() : 0; }
}  // namespace

ua_core::impl::impl(ua_core_config c)
    : config(std::move(c)),
      txn(config.txn),
      dialogs(index_seed(config)),
      uac_calls(index_seed(config)) {
  if (config.credentials) {
    auth::digest_client_options o;
    o.random = [this] { return random(); };
    digest.emplace(*config.credentials, std::move(o));
  }
}

// ---- the call table -----------------------------------------------------------

call_record* ua_core::impl::find(call_handle h) noexcept {
  if (!h.valid() || h.slot >= calls.size()) return nullptr;
  call_record& c = calls[h.slot];
  return c.live && c.generation == h.generation ? &c : nullptr;
}

const call_record* ua_core::impl::find(call_handle h) const noexcept {
  return const_cast<impl*>(this)->find(h);
}

call_handle ua_core::impl::handle_of(const call_record& c) const noexcept {
  return call_handle{c.slot, c.generation};
}

result<call_handle, std::error_code> ua_core::impl::new_call() {
  if (shut_down) return unexpected{make_error_code(core_errc::shut_down)};
  // max_calls bounds the calls not ended (ua_core.hpp); an ended call's
  // record waits only for its transactions, which max_transactions bounds.
  if (active_calls >= config.max_calls) {
    return unexpected{make_error_code(core_errc::too_many_calls)};
  }
  std::uint32_t slot = 0;
  std::uint32_t generation = 1;
  if (!free_slots.empty()) {
    slot = free_slots.back();
    free_slots.pop_back();
    generation = calls[slot].generation + 1;
    if (generation == 0) generation = 1;
    calls[slot] = call_record{};
  } else {
    slot = static_cast<std::uint32_t>(calls.size());
    calls.emplace_back();
  }
  call_record& c = calls[slot];
  c.slot = slot;
  c.generation = generation;
  c.live = true;
  ++live_calls;
  ++active_calls;
  return call_handle{slot, generation};
}

void ua_core::impl::end_call(call_record& c, end_reason why, int status, std::string phrase) {
  if (c.state != call_state::ended) {
    if (c.shutting_down && (why == end_reason::local_hangup || why == end_reason::cancelled)) {
      why = end_reason::shutdown;
    }
    set_ended(c);
    c.reason = why;
    c.end_status = status;
    c.awaiting.reset();
    c.request.reset();
    c.glare_pending = false;
    // The confirmed dialog stays findable until the record is freed: a
    // BYE crossing ours still gets its 200 (maybe_free unregisters it).
    if (c.setup) {
      for (const call_leg& l : c.setup->early) unregister_dialog(l.dlg, handle_of(c));
      release(c.setup->early);
    }
    if (c.uac) uac_calls.remove(uac_calls.key(call_id_of(c), local_tag_of(c), {}), handle_of(c));
    emit(call_ended_event{handle_of(c), why, status, std::move(phrase)});
  }
  maybe_free(c);
}

void ua_core::impl::set_ended(call_record& c) noexcept {
  if (c.state == call_state::ended) return;
  c.state = call_state::ended;
  --active_calls;
}

void ua_core::impl::release_setup(call_record& c) {
  // RFC 6026 §7.2: past the INVITE transaction (Timer M, or D after a
  // non-2xx) no 2xx reaches the call through it; the ACK of ours was
  // re-sent for each retransmission until then (§13.2.2.4).
  if (c.setup == nullptr || c.invite_txn.valid() || c.holds != 0) return;
  if (c.state != call_state::confirmed && c.state != call_state::ended) return;
  c.setup.reset();
  if (c.leg) release(c.leg->ack);
}

void ua_core::impl::compact_idle(call_record& c) {
  if (c.leg) c.leg->oa.compact();
  c.media.compact();
}

void ua_core::impl::maybe_free(call_record& c) {
  if (!c.live) return;
  release_setup(c);
  if (c.state != call_state::ended || c.transactions != 0 || c.holds != 0) return;
  const call_handle h = handle_of(c);
  c.live = false;
  c.request.reset();
  if (c.leg) unregister_dialog(c.leg->dlg, h);
  c.leg.reset();
  c.setup.reset();
  c.forks.reset();
  c.media.reset();
  c.retry_media.reset();
  free_slots.push_back(h.slot);
  --live_calls;
}

// ---- timers -------------------------------------------------------------------

void ua_core::impl::schedule(call_record& c, core_timer kind, time_point at) {
  timer_entry t;
  t.at = at;
  t.call = handle_of(c);
  t.kind = kind;
  timers.push(t);
}

void ua_core::impl::fire(time_point now, const timer_entry& t) {
  if (t.kind == core_timer::registration) return fire_registration(now, t);
  call_record* c = find(t.call);
  if (c == nullptr) return;
  switch (t.kind) {
    case core_timer::retransmit_2xx:
      if (c->awaiting && c->awaiting->retransmit_at == t.at) retransmit_2xx(now, *c);
      break;
    case core_timer::glare_retry:
      if (c->glare_pending && c->glare_at == t.at) {
        c->glare_pending = false;
        const reoffer_kind kind = std::exchange(c->retry, reoffer_kind::none);
        std::optional<sdp::local_capabilities> media;
        if (c->retry_media) media = std::move(*c->retry_media);
        c->retry_media.reset();
        if (c->state != call_state::confirmed || !c->leg) break;
        // §14.1: the retry goes after T; when another offer/answer is
        // still under way then (§14.2 forbids overlapping ones), the
        // 491 stands and the application learns it.
        if (start_reoffer(now, *c, kind, std::move(media))) {
          const auto* local = c->leg->oa.local_description();
          const auto* remote = c->leg->oa.remote_description();
          emit(call_media_event{t.call, false, 491, local ? std::optional{*local} : std::nullopt,
                                remote ? std::optional{*remote} : std::nullopt});
          compact_idle(*c);
        }
      }
      break;
    case core_timer::registration: break;  // handled above
  }
}

// ---- the pump -----------------------------------------------------------------

void ua_core::impl::pump(time_point now) {
  while (auto a = txn.next_action()) {
    if (std::holds_alternative<send_request_action>(*a)) {
      out.emplace_back(std::get<send_request_action>(std::move(*a)));
    } else if (std::holds_alternative<send_response_action>(*a)) {
      out.emplace_back(std::get<send_response_action>(std::move(*a)));
    } else {
      on_txn_event(now, std::move(*a));
    }
  }
  // A registration's timer entries outlive it (a priority queue cannot
  // drop them): pop those at the top so next_deadline() names no timer
  // that would do nothing (a retry can be 30 min away).
  while (!timers.empty() && timers.top().kind == core_timer::registration) {
    const registration_record* r = find_registration(timers.top().registration);
    if (r != nullptr && r->due == timers.top().at) break;
    timers.pop();
  }
}

namespace {
template <class... F>
struct overloaded : F... {
  using F::operator()...;
};
template <class... F>
overloaded(F...) -> overloaded<F...>;
}  // namespace

void ua_core::impl::on_txn_event(time_point now, txn_action&& a) {
  // A client transaction that ended without a response: RFC 3261 §8.1.3.1
  // makes it a 408 (timeout) or a 503 (transport).
  const auto no_response = [&](transaction_id id, int status) {
    const auto it = owners.find(id);
    if (it == owners.end()) return;
    const txn_owner o = it->second;
    call_record* c = find(o.call);
    switch (o.purpose) {
      case txn_purpose::invite:
        if (c != nullptr && c->state != call_state::ended) {
          end_call(*c, status == 408 ? end_reason::timeout : end_reason::transport_error, status);
        }
        break;
      case txn_purpose::reinvite:
      case txn_purpose::info:
        if (c != nullptr) {
          if (o.purpose == txn_purpose::reinvite && c->leg) {
            c->leg->oa.rollback();
            c->reinvite_txn = {};
            // RFC 3261 §15: a call ended by BYE has no session to report on.
            if (c->state != call_state::ended) {
              emit(call_media_event{o.call, false, status, std::nullopt, std::nullopt});
            }
          }
          if (o.purpose == txn_purpose::info) finish_request(o, status, std::nullopt);
          // §12.2.1.2: a 408 (or no answer at all) ends the dialog.
          if (c->state != call_state::ended) {
            end_call(*c, status == 408 ? end_reason::timeout : end_reason::transport_error, status);
          }
        }
        break;
      case txn_purpose::out_of_dialog: finish_request(o, status, std::nullopt); break;
      case txn_purpose::register_binding:
        on_register_response(now, o.request.id, id, status, std::nullopt);
        break;
      default: break;
    }
  };
  std::visit(
      overloaded{
          [&](response_event& e) {
            const auto it = owners.find(e.txn);
            if (it == owners.end()) return;
            const txn_owner o = it->second;
            const int status = e.response.message.status_code();
            if ((status == 401 || status == 407) && authenticate(now, e.txn, o, e.response)) {
              return;  // sent again with credentials
            }
            if (o.purpose == txn_purpose::out_of_dialog) {
              if (status >= 200) finish_request(o, status, std::move(e.response));
              return;
            }
            if (o.purpose == txn_purpose::register_binding) {
              if (status >= 200) {
                on_register_response(now, o.request.id, e.txn, status, std::move(e.response));
              }
              return;
            }
            call_record* c = find(o.call);
            if (c == nullptr) return;
            switch (o.purpose) {
              case txn_purpose::invite: on_invite_response(now, *c, std::move(e.response)); break;
              case txn_purpose::reinvite:
              case txn_purpose::info:
                on_in_dialog_response(now, *c, o, e.txn, std::move(e.response));
                break;
              default: break;  // CANCEL, BYE: nothing more to do (§15.1.1)
            }
          },
          [&](request_event& e) { on_request(now, e.txn, std::move(e.request)); },
          [&](cancel_event& e) { on_cancel(now, e.txn, e.invite, std::move(e.cancel)); },
          [&](ack_event& e) { on_ack(now, std::move(e.ack)); },
          [&](stray_response_event& e) { on_stray_2xx(now, std::move(e.response)); },
          [&](timeout_event& e) { no_response(e.txn, 408); },
          [&](transport_failure_event& e) { no_response(e.txn, 503); },
          [&](terminated_event& e) {
            const auto it = owners.find(e.txn);
            if (it == owners.end()) return;
            const call_handle h = it->second.call;
            owners.erase(it);
            if (call_record* c = find(h)) {
              if (c->transactions > 0) --c->transactions;
              if (c->invite_txn == e.txn) c->invite_txn = {};
              if (c->server_txn == e.txn) c->server_txn = {};
              if (c->reinvite_txn == e.txn) c->reinvite_txn = {};
              if (c->server_reinvite_txn == e.txn) c->server_reinvite_txn = {};
              maybe_free(*c);
            }
          },
          [&](auto&) {},
      },
      a);
}

// ---- ua_core ------------------------------------------------------------------

ua_core::ua_core(ua_core_config config) : impl_(std::make_unique<impl>(std::move(config))) {}
ua_core::~ua_core() = default;

result<call_handle, std::error_code> ua_core::call(time_point now, call_options options) {
  auto r = impl_->start_call(now, std::move(options));
  impl_->pump(now);
  return r;
}

std::error_code ua_core::ring(time_point now, call_handle call) {
  return impl_->with_call(now, call,
                          [&](call_record& c) { return impl_->answer_call(now, c, 180, {}); });
}

std::error_code ua_core::progress(time_point now, call_handle call, answer_options options) {
  return impl_->with_call(now, call, [&](call_record& c) {
    return impl_->answer_call(now, c, 183, std::move(options));
  });
}

std::error_code ua_core::answer(time_point now, call_handle call, answer_options options) {
  return impl_->with_call(now, call, [&](call_record& c) {
    return impl_->answer_call(now, c, 200, std::move(options));
  });
}

std::error_code ua_core::reject(time_point now, call_handle call, int status, std::string reason) {
  return impl_->with_call(now, call, [&](call_record& c) -> std::error_code {
    // A stale handle is unknown_call whatever the status (checked first).
    if (status < 300 || status > 699 || c.uac || c.state != call_state::early || !c.request) {
      return make_error_code(core_errc::wrong_state);
    }
    if (auto e =
            impl_->respond(now, c.server_txn, *c.request, status, reason, local_tag_of(c), false)) {
      return e;
    }
    impl_->end_call(c, end_reason::local_hangup, status);
    return {};
  });
}

std::error_code ua_core::redirect(time_point now, call_handle call,
                                  std::vector<std::string> contacts) {
  return impl_->with_call(now, call, [&](call_record& c) -> std::error_code {
    if (c.uac || c.state != call_state::early || !c.request || contacts.empty()) {
      return make_error_code(core_errc::wrong_state);
    }
    std::vector<extra_header> extra;
    extra.reserve(contacts.size());
    for (auto& uri : contacts) extra.push_back(extra_header{"Contact", "<" + uri + ">"});
    if (auto e = impl_->respond(now, c.server_txn, *c.request, 302, {}, local_tag_of(c), false, {},
                                {}, extra)) {
      return e;
    }
    impl_->end_call(c, end_reason::local_hangup, 302);
    return {};
  });
}

std::error_code ua_core::hangup(time_point now, call_handle call) {
  return impl_->with_call(now, call, [&](call_record& c) -> std::error_code {
    switch (c.state) {
      case call_state::calling:
      case call_state::early:
        if (c.uac) return impl_->cancel(now, c);
        if (auto e =
                impl_->respond(now, c.server_txn, *c.request, 603, {}, local_tag_of(c), false)) {
          return e;
        }
        impl_->end_call(c, end_reason::local_hangup, 603);
        return {};
      case call_state::answering:
      case call_state::confirmed: return impl_->send_bye(now, c);
      case call_state::terminating:
      case call_state::ended: return make_error_code(core_errc::wrong_state);
    }
    return {};
  });
}

std::error_code ua_core::hold(time_point now, call_handle call) {
  return impl_->with_call(now, call, [&](call_record& c) {
    return impl_->start_reoffer(now, c, reoffer_kind::hold, std::nullopt);
  });
}

std::error_code ua_core::unhold(time_point now, call_handle call) {
  return impl_->with_call(now, call, [&](call_record& c) {
    return impl_->start_reoffer(now, c, reoffer_kind::unhold, std::nullopt);
  });
}

std::error_code ua_core::reinvite(time_point now, call_handle call, sdp::local_capabilities media) {
  return impl_->with_call(now, call, [&](call_record& c) {
    return impl_->start_reoffer(now, c, reoffer_kind::media, std::move(media));
  });
}

result<request_handle, std::error_code> ua_core::send_info(time_point now, call_handle call,
                                                           std::string content_type,
                                                           std::string body) {
  call_record* c = impl_->find(call);
  if (c == nullptr) return unexpected{make_error_code(core_errc::unknown_call)};
  if (c->state != call_state::confirmed || !c->leg) {
    return unexpected{make_error_code(core_errc::wrong_state)};
  }
  const request_handle req{impl_->next_request++};
  impl_->send_in_dialog(now, call, leg_ref{false, 0}, "INFO", std::move(content_type),
                        std::move(body), txn_purpose::info, req);
  impl_->pump(now);
  return req;
}

result<request_handle, std::error_code> ua_core::send_message(time_point now, std::string target,
                                                              std::string content_type,
                                                              std::string body) {
  auto r = impl_->send_out_of_dialog(now, "MESSAGE", std::move(target), std::move(content_type),
                                     std::move(body));
  impl_->pump(now);
  return r;
}

result<request_handle, std::error_code> ua_core::send_options(time_point now, std::string target) {
  auto r = impl_->send_out_of_dialog(now, "OPTIONS", std::move(target), {}, {});
  impl_->pump(now);
  return r;
}

void ua_core::shutdown(time_point now) {
  impl_->shut_down = true;
  // §10.2.2: remove our bindings.
  std::vector<std::uint64_t> ids;
  for (const auto& [id, r] : impl_->registrations) ids.push_back(id);
  for (const std::uint64_t id : ids) (void)impl_->stop_registration(now, id);
  for (std::uint32_t i = 0; i < impl_->calls.size(); ++i) {
    call_record& c = impl_->calls[i];
    if (!c.live || c.state == call_state::ended || c.state == call_state::terminating) continue;
    c.shutting_down = true;
    (void)hangup(now, call_handle{i, c.generation});
  }
  impl_->pump(now);
}

result<registration_handle, std::error_code> ua_core::register_binding(time_point now,
                                                                       registration_options o) {
  auto r = impl_->start_registration(now, std::move(o));
  impl_->pump(now);
  return r;
}

std::error_code ua_core::unregister(time_point now, registration_handle r) {
  const std::error_code e = impl_->stop_registration(now, r.id);
  impl_->pump(now);
  return e;
}

std::size_t ua_core::registrations() const noexcept { return impl_->registrations.size(); }

void ua_core::receive(time_point now, inbound_message message) {
  impl_->txn.receive(now, std::move(message));
  impl_->pump(now);
}

void ua_core::transport_error(time_point now, const transport_error_event& e) {
  impl_->txn.transport_error(now, e);
  impl_->pump(now);
}

void ua_core::resolved(time_point now, std::uint64_t token, std::error_code error,
                       const std::vector<std::pair<socket_address, transport_protocol>>& targets) {
  const auto it = impl_->resolving.find(token);
  if (it == impl_->resolving.end()) return;
  hop_continuation then = std::move(it->second);
  impl_->resolving.erase(it);
  if (!error && targets.empty()) error = make_error_code(core_errc::bad_target);
  if (error) {
    then(now, unexpected{error});
  } else {
    then(now, core_hop{targets.front().first, targets.front().second, {}});
  }
  impl_->pump(now);
}

std::optional<ua_core::time_point> ua_core::next_deadline() const noexcept {
  auto d = impl_->txn.next_deadline();
  if (!impl_->timers.empty()) {
    const time_point t = impl_->timers.top().at;
    if (!d || t < *d) d = t;
  }
  return d;
}

void ua_core::handle_timeout(time_point now) {
  impl_->txn.handle_timeout(now);
  impl_->pump(now);
  while (!impl_->timers.empty() && impl_->timers.top().at <= now) {
    const impl::timer_entry t = impl_->timers.top();
    impl_->timers.pop();
    impl_->fire(now, t);
    impl_->pump(now);
  }
}

std::optional<core_action> ua_core::next_action() {
  if (impl_->out.empty()) return std::nullopt;
  core_action a = std::move(impl_->out.front());
  impl_->out.pop_front();
  return a;
}

bool ua_core::has_action() const noexcept { return !impl_->out.empty(); }
std::size_t ua_core::calls() const noexcept { return impl_->live_calls; }

std::optional<call_state> ua_core::state(call_handle call) const noexcept {
  const call_record* c = impl_->find(call);
  if (c == nullptr) return std::nullopt;
  return c->state;
}

const transaction_layer& ua_core::transactions() const noexcept { return impl_->txn; }
const ua_core_config& ua_core::config() const noexcept { return impl_->config; }

}  // namespace sipua
