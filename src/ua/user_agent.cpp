// UserAgent and Call: the public API over the engine (engine.hpp).
#include "sipua/ua/user_agent.hpp"

#include <utility>

#include "engine.hpp"
#include <asio/post.hpp>

#include "sipua/message/uri.hpp"

namespace sipua {

using ua_detail::clock;
using ua_detail::engine;

namespace {
std::shared_ptr<engine> make_engine(std::unique_ptr<io_runtime> rt, UserAgent::Config c) {
  auto e = std::make_shared<engine>(std::move(rt), std::move(c));
  e->shared->owner = e;
  return e;
}

bool sip_target(std::string_view target) {
  const auto u = parse_uri(target);
  return u && (u->scheme == uri_scheme::sip || u->scheme == uri_scheme::sips);
}
}  // namespace

UserAgent::UserAgent(Config config)
    : engine_(make_engine(std::make_unique<io_runtime>(), std::move(config))) {}

UserAgent::UserAgent(asio::io_context& io, Config config)
    : engine_(make_engine(std::make_unique<io_runtime>(io), std::move(config))) {}

UserAgent::~UserAgent() {
  engine& e = *engine_;
  e.shared->closed = true;
  {
    const std::lock_guard lock{e.shared->mutex};
    e.shared->live.clear();  // every handle is stale from here on
  }
  if (e.core) {
    // BYE / CANCEL / 603 for what is up; UDP sends leave at once. With an
    // owned loop, give the peers a moment to answer (at most 2 s).
    e.shutting_down = true;
    e.core->shutdown(clock::now());
    e.drain();
    // A call ends (on_ended) as its BYE leaves. A datagram is out by then,
    // but bytes for a stream are still being written on the loop, and
    // closing the transport would lose them: run the loop until the peer
    // answered what went over TCP too.
    // Registrations are removed the same way (REGISTER with Expires: 0).
    // And whatever is still queued on a connection (the final response
    // to a call that just ended) is written out, the ACK of a final
    // non-2xx we sent is let in and our BYEs get their answer, before the
    // transports close (a peer whose connection is torn down before its
    // ACK sees an error; a BYE crossing ours would go unanswered).
    const auto done = [&e] {
      return e.calls == 0 && e.core->registrations() == 0 && !e.stream_sends_pending() &&
             !e.stream_output_pending() && !e.peers_pending();
    };
    if (e.runtime->owns_context() && !done()) e.runtime->run_until(done, std::chrono::seconds{2});
  }
  e.by_slot.clear();
  e.calls = 0;
  e.incoming = nullptr;
  e.message_handler = nullptr;
  e.requests.clear();
  e.drained = nullptr;
}

std::error_code UserAgent::start() { return engine_->start(); }

std::vector<UserAgent::Listen> UserAgent::local_addresses() const {
  std::vector<Listen> out;
  for (const transport* t : engine_->all_transports()) {
    for (const socket_address& a : t->local_addresses()) out.push_back({t->protocol(), a});
  }
  return out;
}

void UserAgent::on_incoming_call(std::function<void(IncomingCall&)> handler) {
  engine_->run_on_loop([h = std::move(handler)](engine& e) mutable { e.incoming = std::move(h); });
}

void UserAgent::on_call_event(std::function<void(const Call&, const CallEvent&)> observer) {
  engine_->run_on_loop(
      [o = std::move(observer)](engine& e) mutable { e.call_observer = std::move(o); });
}

void UserAgent::on_message(std::function<void(const IncomingMessage&)> handler) {
  engine_->run_on_loop(
      [h = std::move(handler)](engine& e) mutable { e.message_handler = std::move(h); });
}

result<Call, std::error_code> UserAgent::call(std::string target, CallOptions options,
                                              CallHandlers handlers) {
  if (!sip_target(target)) return unexpected{make_error_code(core_errc::bad_target)};
  if (engine_->shared->closed) return unexpected{make_error_code(core_errc::shut_down)};
  const auto shared = engine_->shared;
  const std::uint64_t id = ua_detail::next_call_id++;
  shared->add(id);
  engine_->run_on_loop([id, target = std::move(target), options = std::move(options),
                        handlers = std::move(handlers)](engine& e) mutable {
    if (!e.shared->is_live(id)) return;  // hung up before it started
    std::error_code err = make_error_code(core_errc::shut_down);
    if (e.core && !e.shutting_down) {
      call_options o;
      o.target = std::move(target);
      o.target_display_name = std::move(options.display_name);
      o.media = std::move(options.media);
      o.headers = std::move(options.headers);
      o.follow_redirects = options.follow_redirects;
      o.delayed_offer = options.delayed_offer;
      auto h = e.core->call(clock::now(), std::move(o));
      if (h) {
        (void)e.add_call(id, *h, std::move(handlers));
        e.drain();
        return;
      }
      err = h.error();
    }
    // Could not start: report it as the call's end, from the loop.
    e.shared->remove(id);
    asio::post(e.io, [f = std::move(handlers.on_ended), err] {
      if (f) f(CallEnd{end_reason::failed, 0, err.message()});
    });
  });
  return Call{shared, id};
}

namespace {
std::error_code out_of_dialog(engine& eng, bool message, std::string target,
                              std::string content_type, std::string body,
                              std::function<void(int)> done) {
  if (!sip_target(target)) return make_error_code(core_errc::bad_target);
  if (eng.shared->closed) return make_error_code(core_errc::shut_down);
  eng.run_on_loop([message, target = std::move(target), content_type = std::move(content_type),
                   body = std::move(body), done = std::move(done)](engine& e) mutable {
    if (!e.core || e.shutting_down) {
      if (done) asio::post(e.io, [done] { done(503); });
      return;
    }
    auto r = message ? e.core->send_message(clock::now(), std::move(target),
                                            std::move(content_type), std::move(body))
                     : e.core->send_options(clock::now(), std::move(target));
    if (r) {
      e.requests.emplace(r->id, std::move(done));
    } else if (done) {
      asio::post(e.io, [done] { done(400); });
    }
    e.drain();
  });
  return {};
}
}  // namespace

std::error_code UserAgent::send_message(std::string target, std::string content_type,
                                        std::string body, std::function<void(int)> done) {
  return out_of_dialog(*engine_, true, std::move(target), std::move(content_type), std::move(body),
                       std::move(done));
}

std::error_code UserAgent::send_options(std::string target, std::function<void(int)> done) {
  return out_of_dialog(*engine_, false, std::move(target), {}, {}, std::move(done));
}

result<std::uint64_t, std::error_code> UserAgent::register_at(
    Registration registration, std::function<void(const registration_event&)> on_state) {
  if (!sip_target(registration.registrar))
    return unexpected{make_error_code(core_errc::bad_target)};
  if (engine_->shared->closed) return unexpected{make_error_code(core_errc::shut_down)};
  const std::uint64_t id = engine_->next_registration_id++;
  engine_->run_on_loop([id, r = std::move(registration),
                        f = std::move(on_state)](engine& e) mutable {
    registration_options o;
    o.registrar = std::move(r.registrar);
    o.aor = std::move(r.aor);
    o.expires = r.expires;
    auto h = e.core && !e.shutting_down ? e.core->register_binding(clock::now(), std::move(o))
                                        : result<registration_handle, std::error_code>{
                                              unexpected{make_error_code(core_errc::shut_down)}};
    if (!h) {
      registration_event failed;
      failed.state = registration_state::unregistered;
      failed.phrase = h.error().message();
      asio::post(e.io, [f = std::move(f), failed] {
        if (f) f(failed);
      });
      return;
    }
    e.registrations.emplace(id, engine::registration_entry{*h, std::move(f)});
    e.by_core_registration.emplace(h->id, id);
    e.drain();
  });
  return id;
}

std::error_code UserAgent::unregister(std::uint64_t registration) {
  std::error_code result = make_error_code(core_errc::unknown_registration);
  const bool on_loop = engine_->on_loop_thread();
  engine_->run_on_loop([registration, &result, on_loop](engine& e) {
    const auto it = e.registrations.find(registration);
    std::error_code r = make_error_code(core_errc::unknown_registration);
    if (it != e.registrations.end() && e.core) {
      r = e.core->unregister(clock::now(), it->second.core);
      e.drain();
    }
    if (on_loop) result = r;
  });
  return on_loop ? result : std::error_code{};
}

void UserAgent::shutdown(std::function<void()> drained) {
  engine_->shared->closed = true;  // refused at once from here on (call(), send_*())
  engine_->run_on_loop([drained = std::move(drained)](engine& e) mutable {
    e.shutting_down = true;
    e.drained = std::move(drained);
    if (e.core) e.core->shutdown(clock::now());
    e.drain();
    e.maybe_drained();
  });
}

std::size_t UserAgent::active_calls() const {
  const std::lock_guard lock{engine_->shared->mutex};
  return engine_->shared->live.size();
}

asio::io_context& UserAgent::context() noexcept { return engine_->io; }
std::size_t UserAgent::run() { return engine_->runtime->run(); }
std::size_t UserAgent::run_for(std::chrono::steady_clock::duration d) {
  return engine_->runtime->run_for(d);
}
bool UserAgent::run_until(const std::function<bool()>& done,
                          std::chrono::steady_clock::duration timeout) {
  return engine_->runtime->run_until(done, timeout);
}
void UserAgent::stop() { engine_->runtime->stop(); }

// ---- Call ----------------------------------------------------------------------------

namespace {
using op = ua_detail::shared_state::call_op;
std::error_code invoke(const std::shared_ptr<ua_detail::shared_state>& s, std::uint64_t id, op f) {
  if (!s) return make_error_code(core_errc::unknown_call);
  return s->invoke(id, std::move(f));
}
}  // namespace

bool Call::active() const { return shared_ && shared_->is_live(id_); }

std::error_code Call::set_handlers(CallHandlers handlers) {
  return invoke(shared_, id_, [h = std::move(handlers)](engine& e, call_handle call) {
    if (ua_detail::call_entry* c = e.find_call(call)) {
      c->handlers = ua_detail::handler_pack::make(CallHandlers{h});
    }
    return std::error_code{};
  });
}

std::error_code Call::ring() {
  return invoke(shared_, id_,
                [](engine& e, call_handle h) { return e.core->ring(clock::now(), h); });
}

std::error_code Call::progress(std::optional<sdp::local_capabilities> media) {
  return invoke(shared_, id_, [m = std::move(media)](engine& e, call_handle h) {
    answer_options o;
    o.media = m ? m : e.config.media;
    return e.core->progress(clock::now(), h, std::move(o));
  });
}

std::error_code Call::answer(std::optional<sdp::local_capabilities> media) {
  return invoke(shared_, id_, [m = std::move(media)](engine& e, call_handle h) {
    answer_options o;
    o.media = m ? m : e.config.media;
    return e.core->answer(clock::now(), h, std::move(o));
  });
}

std::error_code Call::reject(int status, std::string reason) {
  return invoke(shared_, id_, [status, r = std::move(reason)](engine& e, call_handle h) {
    return e.core->reject(clock::now(), h, status, r);
  });
}

std::error_code Call::redirect(std::vector<std::string> contacts) {
  return invoke(shared_, id_, [c = std::move(contacts)](engine& e, call_handle h) {
    return e.core->redirect(clock::now(), h, c);
  });
}

std::error_code Call::hangup() {
  return invoke(shared_, id_,
                [](engine& e, call_handle h) { return e.core->hangup(clock::now(), h); });
}

std::error_code Call::hold() {
  return invoke(shared_, id_,
                [](engine& e, call_handle h) { return e.core->hold(clock::now(), h); });
}

std::error_code Call::unhold() {
  return invoke(shared_, id_,
                [](engine& e, call_handle h) { return e.core->unhold(clock::now(), h); });
}

std::error_code Call::reinvite(sdp::local_capabilities media) {
  return invoke(shared_, id_, [m = std::move(media)](engine& e, call_handle h) {
    return e.core->reinvite(clock::now(), h, m);
  });
}

std::error_code Call::send_info(std::string content_type, std::string body) {
  return invoke(shared_, id_,
                [ct = std::move(content_type), b = std::move(body)](engine& e, call_handle h) {
                  auto r = e.core->send_info(clock::now(), h, ct, b);
                  return r ? std::error_code{} : r.error();
                });
}

}  // namespace sipua
