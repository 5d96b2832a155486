// `sipdial call <uri>`: places one call, shows it as it happens, hangs up
// after --hangup-after seconds (or on Ctrl-C, or when the far end does).
//
// Exit status: 0 answered and ended cleanly; the final status class (3, 4,
// 5, 6) of a failure response; 1 for a transport error, a timeout or no
// answer within --ring-timeout (we CANCEL); 2 for a usage error.
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

#include "agent.hpp"
#include "commands.hpp"
#include "registration.hpp"
#include "report.hpp"
#include <asio/steady_timer.hpp>

#include "sipua/ua/user_agent.hpp"

namespace sipdial {

namespace {

using std::chrono::duration;
using std::chrono::duration_cast;
using std::chrono::milliseconds;

milliseconds ms(double seconds) { return duration_cast<milliseconds>(duration<double>(seconds)); }

/// The exit status for how a call ended (see the top of this file).
int exit_status(const sipua::CallEnd& e, bool answered) {
  using sipua::end_reason;
  switch (e.reason) {
    case end_reason::local_hangup:
    case end_reason::remote_hangup: return answered ? exit_ok : exit_failure;
    case end_reason::rejected:
      return e.status >= 300 && e.status < 700 ? e.status / 100 : exit_failure;
    case end_reason::redirect_failed: return 3;
    default: return exit_failure;
  }
}

}  // namespace

int run_call(const options& o) {
  if (o.positional.size() != 1) return usage_error("call: give exactly one target URI");
  const auto target_uri = target_of(o, "call");
  if (!target_uri) return usage_error(target_uri.error());
  const std::string& target = *target_uri;
  reporter r{stdout, o.json, o.trace};
  auto config = agent_config(o, target, "127.0.0.1:0", r);
  if (!config) return usage_error(config.error());
  const std::string local_host = config->listen.front().address.address().to_string();
  int bye_status = 0;  // the final response to our BYE (outlives the UA: its trace sets it)
  sipua::UserAgent ua{std::move(*config)};
  if (!start_agent(ua, r)) return exit_failure;
  auto held = register_if_asked(ua, o, r);
  if (!held) return held.error();
  r.watch([&](const sipua::trace_event& e) {
    const response_line rl = received_response(e);
    if (rl.status >= 200 && rl.method == "BYE") bye_status = rl.status;
  });

  asio::steady_timer ring_timer{ua.context()};
  asio::steady_timer hangup_timer{ua.context()};
  bool answered = false;
  bool gave_up = false;
  std::optional<sipua::CallEnd> end;
  const auto t0 = std::chrono::steady_clock::now();
  double setup_ms = 0;
  sipua::Call call;

  sipua::CallHandlers h;
  h.on_progress = [&](int status, std::string_view reason) {
    r.event("progress", std::to_string(status) + " " + std::string{reason},
            {{"status", static_cast<long long>(status)}, {"reason", reason}});
  };
  h.on_early_media = [&](const sipua::sdp::session_description&) {
    r.event("early_media", "early media", {});
  };
  h.on_answered = [&](const sipua::MediaInfo& m) {
    answered = true;
    ring_timer.cancel();
    setup_ms = duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    char text[96];
    std::snprintf(text, sizeof text, "answered after %.1f ms%s", setup_ms,
                  m.remote ? " (remote sdp)" : "");
    r.event("answered", text, {{"setup_ms", setup_ms}, {"sdp", m.remote.has_value()}});
    if (o.hangup_after) {
      hangup_timer.expires_after(ms(*o.hangup_after));
      hangup_timer.async_wait([&](std::error_code e) {
        if (!e) call.hangup();
      });
    }
  };
  h.on_ended = [&](const sipua::CallEnd& e) {
    end = e;
    ring_timer.cancel();
    hangup_timer.cancel();
    const std::string reason{sipua::to_string(e.reason)};
    std::string text = "ended: " + reason;
    if (e.status != 0) {
      text += " (" + std::to_string(e.status) + (e.phrase.empty() ? "" : " " + e.phrase) + ")";
    }
    r.event(
        "ended", text,
        {{"reason", reason}, {"status", static_cast<long long>(e.status)}, {"phrase", e.phrase}});
  };

  sipua::CallOptions co;
  co.media = sipua::sdp::audio_capabilities(local_host, 40000, 1);
  auto c = ua.call(target, std::move(co), std::move(h));
  if (!c) {
    std::fprintf(stderr, "sipdial: cannot call %s: %s\n", target.c_str(),
                 c.error().message().c_str());
    return exit_usage;
  }
  call = *c;
  r.event("calling", "calling " + target, {{"target", target}});
  ring_timer.expires_after(ms(o.ring_timeout));
  ring_timer.async_wait([&](std::error_code e) {
    if (e || answered || end) return;
    gave_up = true;
    r.event("no_answer", "no answer: cancelling", {});
    call.hangup();
  });
  interrupts ctrl_c{ua, [&] {
                      r.event("interrupted", "interrupted: hanging up", {});
                      if (!answered) gave_up = true;
                      call.hangup();
                    }};
  ua.run_until([&] { return end.has_value(); }, std::chrono::hours{24 * 365});
  // Our BYE: the call ended as it left; "ended cleanly" is its 2xx.
  if (end && end->reason == sipua::end_reason::local_hangup && answered) {
    ua.run_until([&] { return bye_status != 0; }, std::chrono::seconds{4});
    if (bye_status == 0) r.event("bye_unanswered", "the BYE was not answered", {});
  }

  if (*held) (void)(*held)->finish(ua);  // its outcome is on the ladder
  int status = end ? exit_status(*end, answered) : exit_failure;
  if (gave_up && !answered) status = exit_failure;
  if (status == exit_ok && end->reason == sipua::end_reason::local_hangup && bye_status == 0) {
    status = exit_failure;
  }
  if (!o.json) {
    std::printf("\n%zu messages, %.1f s in all\n", r.messages(), r.seconds());
  }
  r.event("result", {}, {{"exit", static_cast<long long>(status)}});
  call.set_handlers({});  // they name locals that go before the UA does
  return status;
}

}  // namespace sipdial
