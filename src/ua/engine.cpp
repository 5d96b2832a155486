// The UserAgent's engine: the UA core on an io_context, fed by the
// transports, answered by the resolver, timed by one steady_timer, and
// reporting to the application's callbacks.
#include "engine.hpp"

#include <openssl/rand.h>

#include <random>
#include <utility>
#include <variant>

#include <asio/post.hpp>

namespace sipua::ua_detail {

engine::engine(std::unique_ptr<io_runtime> rt, UserAgent::Config c)
    : runtime(std::move(rt)),
      io(runtime->context()),
      config(std::move(c)),
      log(config.log, config.log_level),
      resolver(io),
      timer(io, [this] {
        if (!core) return;
        core->handle_timeout(clock::now());
        drain();
      }) {
  out.trace = config.trace;
  out.log = &log;
}

engine::~engine() {
  resolver.cancel();
  if (udp) udp->close();
  if (tcp) tcp->close();
  if (tls) tls->close();
}

std::vector<const transport*> engine::all_transports() const {
  std::vector<const transport*> found;
  for (const transport* t :
       {static_cast<const transport*>(udp.get()), static_cast<const transport*>(tcp.get()),
        static_cast<const transport*>(tls.get())}) {
    if (t != nullptr) found.push_back(t);
  }
  return found;
}

std::error_code engine::start() {
  if (core) return make_error_code(core_errc::wrong_state);
  udp_config uc;
  tcp_config tc;
  tls_config sc = config.tls.value_or(tls_config{});
  sc.stream.listen.clear();
  for (const UserAgent::Listen& l : config.listen) {
    if (l.protocol == transport_protocol::udp) uc.listen.push_back(l.address);
    if (l.protocol == transport_protocol::tcp) tc.listen.push_back(l.address);
    if (l.protocol == transport_protocol::tls) sc.stream.listen.push_back(l.address);
  }
  const bool client_only_tls = sc.stream.listen.empty();
  if (!uc.listen.empty()) {
    udp = std::make_unique<udp_transport>(io, std::move(uc));
    if (auto e = udp->start(*this)) return e;
    if (auto e = transports.add(*udp)) return e;
  }
  if (!tc.listen.empty()) {
    tcp = std::make_unique<tcp_transport>(io, std::move(tc));
    if (auto e = tcp->start(*this)) return e;
    if (auto e = transports.add(*tcp)) return e;
  }
  if (config.tls || !sc.stream.listen.empty()) {
    tls = std::make_unique<tls_transport>(io, std::move(sc));
    if (auto e = tls->start(*this)) return e;
    if (auto e = transports.add(*tls)) return e;
  }
  ua_core_config cc;
  cc.txn.timers = config.timers;
  cc.identity = config.identity;
  cc.display_name = config.display_name;
  cc.contact_user = config.contact_user;
  cc.outbound_proxy = config.outbound_proxy;
  cc.user_agent = config.user_agent;
  cc.max_redirects = config.max_redirects;
  cc.max_calls = config.max_calls;
  cc.credentials = config.credentials;
  // Tags, branches, Call-IDs, cnonces and the glare back-off need values
  // nobody can guess or repeat (RFC 3261 §19.3, RFC 7616 §3.4): OpenSSL's
  // CSPRNG, not the core's deterministic test sequence.
  cc.random = [] {
    std::uint64_t v = 0;
    if (RAND_bytes(reinterpret_cast<unsigned char*>(&v), sizeof v) != 1) {
      // Not expected once OpenSSL is seeded; fall back on the OS's source.
      std::random_device rd;
      v = (static_cast<std::uint64_t>(rd()) << 32U) ^ rd();
    }
    return v;
  };
  for (const std::string& type : config.accept) cc.policy.accepted_body_types.push_back(type);
  const auto add_endpoints = [&cc](const transport* t) {
    if (t == nullptr) return;
    for (const socket_address& a : t->local_addresses()) {
      // A wildcard bind advertises loopback: sipua's tests and demo stay
      // on this host (set Config::listen to a routable address otherwise).
      ip_address ip = a.address();
      if (ip.is_unspecified())
        ip = ip.is_v4() ? ip_address::loopback_v4() : ip_address::loopback_v6();
      cc.endpoints.push_back(local_endpoint{t->protocol(), ip.to_string(), a.port()});
    }
  };
  for (const transport* t : all_transports()) add_endpoints(t);
  // A TLS transport that only connects out still needs a Via sent-by and a
  // Contact (RFC 3261 §18.1.1, §8.1.1.8): our host and the TLS default
  // port (see Config::tls for what that means for the peer's requests).
  if (tls && client_only_tls && !cc.endpoints.empty()) {
    cc.endpoints.push_back(local_endpoint{transport_protocol::tls, cc.endpoints.front().host,
                                          default_port(transport_protocol::tls)});
  }
  core = std::make_unique<ua_core>(std::move(cc));
  return {};
}

bool engine::on_loop_thread() const { return io.get_executor().running_in_this_thread(); }

void engine::run_on_loop(std::function<void(engine&)> f) {
  if (on_loop_thread()) {
    f(*this);
    return;
  }
  asio::post(io, [weak = weak_from_this(), f = std::move(f)] {
    if (auto self = weak.lock()) f(*self);
  });
}

// ---- the drain ------------------------------------------------------------------

void engine::drain() {
  if (draining || !core) return;  // the outer loop sees what was queued
  draining = true;
  while (auto a = core->next_action()) {
    if (auto* s = std::get_if<send_request_action>(&*a)) {
      note_shutdown_send(s->protocol, s->txn);
      refused(out.send(*s));
      if (s->bytes && s->bytes->rfind("BYE ", 0) == 0) note_awaiting_peer(s->txn);
    } else if (auto* r = std::get_if<send_response_action>(&*a)) {
      note_shutdown_send(r->origin.protocol, r->txn);
      refused(out.send(*r));
      note_awaiting_peer(r->txn);
    } else if (auto* q = std::get_if<resolve_action>(&*a)) {
      perform(*q);
    } else if (auto* e = std::get_if<core_event>(&*a)) {
      deliver(*e);
    }
  }
  draining = false;
  timer.arm(core->next_deadline());
  maybe_drained();
}

/// What went over a stream transport after shutdown began: the
/// destructor waits for those transactions (stream_sends_pending()).
void engine::note_shutdown_send(transport_protocol protocol, transaction_id txn) {
  if (shutting_down && protocol != transport_protocol::udp && txn.valid()) {
    shutdown_stream_txns.push_back(txn);
  }
}

/// A send refused at once: a transport error for the transactions that
/// send there (RFC 3261 §17.1.4), fed back through the core.
void engine::refused(const std::optional<transport_error_event>& e) {
  if (e) core->transport_error(clock::now(), *e);
}

void engine::perform(const resolve_action& a) {
  resolve_query q{a.host, a.port, a.protocol, a.secure};
  resolver.resolve(q, [weak = weak_from_this(), token = a.token](
                          std::error_code ec, std::vector<resolved_target> targets) {
    auto self = weak.lock();
    if (!self || !self->core) return;
    std::vector<std::pair<socket_address, transport_protocol>> found;
    found.reserve(targets.size());
    for (const resolved_target& t : targets) found.emplace_back(t.address, t.protocol);
    self->core->resolved(clock::now(), token, ec, found);
    self->drain();
  });
}

// ---- events to the application ------------------------------------------------------

namespace {
std::string text(std::string_view v) { return std::string{v}; }
}  // namespace

void engine::deliver(core_event& ev) {
  if (auto* in = std::get_if<incoming_call_event>(&ev)) {
    const std::uint64_t id = next_call_id++;
    shared->add(id);
    (void)add_call(id, in->call, {});
    if (!incoming) {  // nobody takes calls: §21.4.18 480 Temporarily Unavailable
      (void)core->reject(clock::now(), in->call, 480);
      return;
    }
    const message& m = in->invite.message;
    IncomingCall call{Call{shared, id}, {}, {}, {}, text(m.request_uri()), std::move(in->offer)};
    if (auto f = m.from()) {
      call.from = text(f->uri);
      call.from_display = text(f->display_name);
    }
    log.log(log_level::info, "ua",
            [&] { return "call " + std::to_string(id) + ": incoming from " + call.from; });
    if (auto t = m.to()) call.to = text(t->uri);
    // A copy: the callback may replace the handler (on_incoming_call runs
    // at once on the loop), which would destroy the one running.
    const auto handler = incoming;
    handler(call);
    return;
  }
  if (auto* msg = std::get_if<message_received_event>(&ev)) {
    if (!message_handler) return;
    const message& m = msg->request.message;
    IncomingMessage im{{}, text(m.value(header_id::content_type)), text(m.body())};
    if (auto f = m.from()) im.from = text(f->uri);
    const auto handler = message_handler;  // a copy, as for incoming calls
    handler(im);
    return;
  }
  if (auto* r = std::get_if<request_result_event>(&ev)) {
    const auto it = requests.find(r->request.id);
    if (it == requests.end()) return;
    auto done = std::move(it->second);
    requests.erase(it);
    if (done) done(r->status);
    return;
  }
  if (auto* e = std::get_if<call_ended_event>(&ev)) {
    on_ended(*e);
    return;
  }
  if (auto* r = std::get_if<registration_event>(&ev)) {
    on_registration(*r);
    return;
  }
  // The per-call events: look the call up each time (a callback may have
  // ended it, or replaced the handlers); the per-call handler first, then
  // the UA-wide observer.
  // (The handler is copied before it runs: it may replace the handlers.)
  if (auto* p = std::get_if<call_progress_event>(&ev)) {
    call_entry* c = find_call(p->call);
    if (c == nullptr) return;
    const std::uint64_t id = c->id;
    const auto early = c->handler<handler_pack::early_media>();
    if (const auto f = c->handler<handler_pack::progress>()) f(p->status, p->reason);
    if (p->remote_sdp && early) early(*p->remote_sdp);
    CallEvent e;
    e.what = CallEvent::kind::progress;
    e.status = p->status;
    e.reason = p->reason;
    if (p->remote_sdp) e.early_media = &*p->remote_sdp;
    observe(id, e);
  } else if (auto* a = std::get_if<call_answered_event>(&ev)) {
    call_entry* c = find_call(a->call);
    if (c == nullptr) return;
    const std::uint64_t id = c->id;
    const MediaInfo info{true, 200, std::move(a->local_sdp), std::move(a->remote_sdp)};
    if (const auto f = c->handler<handler_pack::answered>()) f(info);
    CallEvent e;
    e.what = CallEvent::kind::answered;
    e.status = 200;
    e.media = &info;
    observe(id, e);
  } else if (auto* m = std::get_if<call_media_event>(&ev)) {
    call_entry* c = find_call(m->call);
    if (c == nullptr) return;
    const std::uint64_t id = c->id;
    const MediaInfo info{m->ok, m->status, std::move(m->local_sdp), std::move(m->remote_sdp)};
    if (const auto f = c->handler<handler_pack::media_updated>()) f(info);
    CallEvent e;
    e.what = CallEvent::kind::media_updated;
    e.status = m->status;
    e.media = &info;
    observe(id, e);
  } else if (auto* i = std::get_if<call_info_event>(&ev)) {
    call_entry* c = find_call(i->call);
    if (c == nullptr) return;
    const std::uint64_t id = c->id;
    const std::string_view type = i->request.message.value(header_id::content_type);
    const std::string_view body = i->request.message.body();
    if (const auto f = c->handler<handler_pack::info>()) f(type, body);
    CallEvent e;
    e.what = CallEvent::kind::info;
    e.content_type = type;
    e.body = body;
    observe(id, e);
  }
}

void engine::observe(std::uint64_t id, const CallEvent& e) {
  if (!call_observer) return;
  const auto f = call_observer;  // a copy: it may replace itself
  f(Call{shared, id}, e);
}

void engine::on_registration(const registration_event& e) {
  const auto it = by_core_registration.find(e.registration.id);
  if (it == by_core_registration.end()) return;
  const std::uint64_t id = it->second;
  const auto entry = registrations.find(id);
  if (entry == registrations.end()) return;
  auto f = entry->second.on_state;  // a copy: the callback may unregister
  if (e.state == registration_state::unregistered) {
    registrations.erase(entry);
    by_core_registration.erase(it);
  }
  log.log(log_level::info, "ua", [&] {
    return "registration " + std::to_string(id) + ": " + std::string{to_string(e.state)} + " " +
           std::to_string(e.status);
  });
  if (f) f(e);
}

bool engine::add_call(std::uint64_t id, call_handle h, CallHandlers handlers) {
  if (h.slot >= by_slot.size()) by_slot.resize(std::size_t{h.slot} + 1);
  call_entry& c = by_slot[h.slot];
  if (c.id != 0) return false;  // not expected: the core reuses a slot once its call ended
  c.id = id;
  c.core = h;
  c.handlers = handler_pack::make(std::move(handlers));
  ++calls;
  return shared->started(id, h);
}

call_entry* engine::find_call(call_handle h) noexcept {
  if (!h.valid() || h.slot >= by_slot.size()) return nullptr;
  call_entry& c = by_slot[h.slot];
  return c.id != 0 && c.core == h ? &c : nullptr;
}

call_entry* engine::find_call(std::uint64_t id) {
  const auto slot = shared->slot_of(id);
  if (!slot || *slot >= by_slot.size()) return nullptr;
  call_entry& c = by_slot[*slot];
  return c.id == id ? &c : nullptr;
}

void engine::on_ended(const call_ended_event& e) {
  call_entry* c = find_call(e.call);
  if (c == nullptr) return;
  const std::uint64_t id = c->id;
  std::function<void(const CallEnd&)> handler;
  if (auto* f = c->handlers ? c->handlers->get<handler_pack::ended>() : nullptr) {
    handler = std::move(*f);
  }
  *c = call_entry{};
  --calls;
  if (calls == 0) {
    by_slot = std::vector<call_entry>{};  // none up: give the memory back
  } else {
    while (!by_slot.empty() && by_slot.back().id == 0) by_slot.pop_back();
  }
  shared->remove(id);  // the handle reports unknown_call from now on
  log.log(log_level::info, "ua", [&] {
    return "call " + std::to_string(id) + ": ended, " + std::string{to_string(e.reason)} +
           (e.status != 0 ? " " + std::to_string(e.status) : std::string{});
  });
  const CallEnd end{e.reason, e.status, e.phrase};
  if (handler) handler(end);
  CallEvent ev;
  ev.what = CallEvent::kind::ended;
  ev.status = e.status;
  ev.reason = end.phrase;
  ev.end = &end;
  observe(id, ev);
}

void engine::maybe_drained() {
  if (!shutting_down || !drained || calls != 0 || !registrations.empty()) return;
  auto f = std::move(drained);
  drained = nullptr;
  f();
}

namespace {
/// Whether `txn` still waits for the peer (see engine::awaiting_peer).
bool waits_for_peer(const transaction_layer& txns, transaction_id txn) {
  const auto kind = txns.kind(txn);
  const auto state = txns.state(txn);
  if (!kind || !state) return false;
  if (*kind == transaction_kind::server_invite) return *state == transaction_state::completed;
  if (*kind == transaction_kind::client_non_invite) {
    return *state == transaction_state::trying || *state == transaction_state::proceeding;
  }
  return false;
}
}  // namespace

void engine::note_awaiting_peer(transaction_id txn) {
  if (!txn.valid() || !core || !waits_for_peer(core->transactions(), txn)) return;
  if (awaiting_peer.size() >= 64) {
    std::erase_if(awaiting_peer,
                  [this](transaction_id t) { return !waits_for_peer(core->transactions(), t); });
  }
  awaiting_peer.push_back(txn);
}

bool engine::peers_pending() const {
  if (!core) return false;
  for (const transaction_id t : awaiting_peer) {
    if (waits_for_peer(core->transactions(), t)) return true;
  }
  return false;
}

bool engine::stream_output_pending() const {
  return (tcp && tcp->output_pending()) || (tls && tls->output_pending());
}

bool engine::stream_sends_pending() const {
  if (!core) return false;
  const transaction_layer& txns = core->transactions();
  for (const transaction_id t : shutdown_stream_txns) {
    const auto state = txns.state(t);
    if (!state) continue;  // gone: done
    switch (*state) {
      case transaction_state::calling:
      case transaction_state::trying:
      case transaction_state::proceeding: return true;
      case transaction_state::completed:
        if (txns.kind(t) == transaction_kind::server_invite) return true;  // no ACK yet
        break;
      default: break;
    }
  }
  return false;
}

// ---- from the transports ---------------------------------------------------------

void engine::on_message(inbound_message&& m) {
  if (!core) return;
  out.received(m);
  core->receive(clock::now(), std::move(m));
  drain();
}

void engine::on_parse_failure(inbound_parse_failure&& f) { out.parse_failed(f); }

void engine::on_transport_error(const transport_error_event& e) {
  out.transport_failed(e);
  if (!core) return;
  core->transport_error(clock::now(), e);
  drain();
}

// ---- shared_state --------------------------------------------------------------------

std::error_code shared_state::invoke(std::uint64_t id, call_op op) {
  std::shared_ptr<engine> eng;
  {
    // Off the loop, the post happens and our engine reference goes while
    // we hold the mutex. ~UserAgent empties `live` under it first, so it
    // cannot finish (and free the io_context we post to) meanwhile, and
    // the last reference to the engine is never ours: the engine goes on
    // the owner's thread.
    const std::lock_guard lock{mutex};
    if (!live.contains(id)) return make_error_code(core_errc::unknown_call);
    eng = owner.lock();
    if (!eng) return make_error_code(core_errc::unknown_call);
    if (!eng->on_loop_thread()) {
      eng->run_on_loop([id, op = std::move(op)](engine& self) {
        const call_entry* c = self.find_call(id);
        if (c == nullptr) return;
        (void)op(self, c->core);
        self.drain();
      });
      eng.reset();
      return {};
    }
  }
  // On the loop: at once, with no lock held (op may run callbacks).
  const call_entry* c = eng->find_call(id);
  if (c == nullptr) return make_error_code(core_errc::unknown_call);
  const std::error_code e = op(*eng, c->core);
  eng->drain();
  return e;
}

}  // namespace sipua::ua_detail
