// `sipdial listen`: answers (after --answer-after seconds, ringing until
// then) or rejects (--reject CODE) every incoming call, hangs up answered
// calls after --hangup-after seconds if given; exits 0 once --calls calls
// have ended (each however it ended), or at Ctrl-C. Exit 1 when it cannot
// listen.
#include <chrono>
#include <cstdio>
#include <memory>
#include <string>

#include "agent.hpp"
#include "commands.hpp"
#include "registration.hpp"
#include "report.hpp"
#include <asio/steady_timer.hpp>

#include "sipua/ua/user_agent.hpp"

namespace sipdial {

namespace {
std::chrono::milliseconds ms(double seconds) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::duration<double>(seconds));
}
}  // namespace

int run_listen(const options& o) {
  if (!o.positional.empty()) {
    std::fprintf(stderr, "sipdial listen: unexpected argument %s\n", o.positional.front().c_str());
    return exit_usage;
  }
  if (o.reject && (*o.reject < 300 || *o.reject > 699)) {
    std::fprintf(stderr, "sipdial listen: --reject needs a status from 300 to 699\n");
    return exit_usage;
  }
  reporter r{stdout, o.json, o.trace};
  auto config = agent_config(o, {}, "127.0.0.1:5060", r);
  if (!config) return usage_error(config.error());
  const std::string local_host = config->listen.front().address.address().to_string();
  config->media = sipua::sdp::audio_capabilities(local_host, 40002, 2);
  // What the callbacks count lives longer than the UA: its destructor ends
  // the calls still up, and their on_ended runs then.
  unsigned ended = 0;
  bool stopping = false;
  sipua::UserAgent ua{std::move(*config)};
  if (auto e = ua.start()) {
    std::fprintf(stderr, "sipdial: cannot listen on %s: %s\n",
                 o.local.empty() ? "127.0.0.1:5060" : o.local.c_str(), e.message().c_str());
    return exit_failure;
  }
  report_listening(ua, r);
  auto held = register_if_asked(ua, o, r);
  if (!held) return held.error();

  // One timer per pending answer or hang-up, owned by its own handler.
  const auto after = [&ua](double seconds, std::function<void()> f) {
    auto t = std::make_shared<asio::steady_timer>(ua.context(), ms(seconds));
    t->async_wait([t, f = std::move(f)](std::error_code e) {
      if (!e) f();
    });
  };
  ua.on_incoming_call([&](sipua::IncomingCall& in) {
    r.event("incoming", "incoming call from " + in.from,
            {{"from", in.from}, {"to", in.to}, {"sdp", in.offer.has_value()}});
    sipua::CallHandlers h;
    h.on_answered = [&, call = in.call](const sipua::MediaInfo&) {
      r.event("answered", "answered", {});
      if (o.hangup_after) after(*o.hangup_after, [call]() mutable { call.hangup(); });
    };
    h.on_ended = [&](const sipua::CallEnd& e) {
      ++ended;
      const std::string reason{sipua::to_string(e.reason)};
      std::string text = "ended: " + reason;
      if (e.status != 0) text += " (" + std::to_string(e.status) + ")";
      r.event("ended", text, {{"reason", reason}, {"status", static_cast<long long>(e.status)}});
    };
    in.call.set_handlers(std::move(h));
    if (o.reject) {
      in.call.reject(*o.reject);
      return;
    }
    in.call.ring();
    after(o.answer_after, [call = in.call]() mutable { call.answer(); });
  });
  interrupts ctrl_c{ua, [&] {
                      r.event("interrupted", "interrupted: ending the calls", {});
                      stopping = true;
                      ua.shutdown();
                    }};
  ua.run_until(
      [&] {
        if (stopping) return ua.active_calls() == 0;
        return o.calls && ended >= *o.calls;
      },
      std::chrono::hours{24 * 365});
  const int status = *held ? (*held)->finish(ua) : exit_ok;
  r.event("result", {},
          {{"calls", static_cast<long long>(ended)}, {"exit", static_cast<long long>(status)}});
  return status;
}

}  // namespace sipdial
