// `sipdial demo`: an answering UA and a calling UA in one process on
// 127.0.0.1 (ports chosen by the OS). The caller calls, the callee rings
// and answers with SDP, the caller holds the call for 2 s and hangs up.
// The ladder shows every message as it goes; a summary follows.
#include <cstdio>
#include <string>

#include "commands.hpp"
#include "ladder.hpp"
#include <asio/steady_timer.hpp>

#include "sipua/ua/user_agent.hpp"

namespace sipdial {

namespace {
using namespace std::chrono_literals;
using sipua::transport_protocol;

sipua::UserAgent::Config party(const std::string& name, std::uint16_t rtp, ladder& lad, bool full) {
  sipua::UserAgent::Config c;
  c.identity = "sip:" + name + "@127.0.0.1";
  c.contact_user = name;
  c.user_agent = "sipdial";
  c.listen = {{transport_protocol::udp, {sipua::ip_address::loopback_v4(), 0}}};
  c.media = sipua::sdp::audio_capabilities("127.0.0.1", rtp, rtp);
  c.trace = [&lad, full](const sipua::trace_event& e) {
    if (e.dir == sipua::trace_event::direction::sent) lad.sent(e, full);
  };
  return c;
}
}  // namespace

int run_demo(const options& o) {
  ladder lad{stdout};
  sipua::UserAgent bob{party("bob", 40002, lad, o.trace)};
  sipua::UserAgent alice{bob.context(), party("alice", 40000, lad, o.trace)};
  if (auto e = bob.start(); e || (e = alice.start())) {
    std::fprintf(stderr, "sipdial: cannot listen on 127.0.0.1: %s\n", e.message().c_str());
    return 1;
  }
  const auto bob_address = bob.local_addresses().front().address;
  lad.name(alice.local_addresses().front().address, "alice");
  lad.name(bob_address, "bob");

  asio::steady_timer answer_timer{bob.context()};
  asio::steady_timer hold_timer{bob.context()};
  bool held = false;
  std::optional<sipua::CallEnd> alice_end, bob_end;
  bob.on_incoming_call([&](sipua::IncomingCall& in) {
    sipua::CallHandlers h;
    h.on_ended = [&](const sipua::CallEnd& e) { bob_end = e; };
    in.call.set_handlers(std::move(h));
    in.call.ring();
    answer_timer.expires_after(500ms);
    answer_timer.async_wait([call = in.call](std::error_code) mutable { call.answer(); });
  });

  const auto t0 = std::chrono::steady_clock::now();
  double setup_ms = 0;
  sipua::Call call;
  sipua::CallHandlers h;
  h.on_answered = [&](const sipua::MediaInfo&) {
    setup_ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
    lad.note("answered; alice puts bob on hold");
    call.hold();
  };
  h.on_media_updated = [&](const sipua::MediaInfo& m) {
    if (!m.ok || !m.local || m.local->media.empty()) return;
    const auto dir = m.local->effective_direction(m.local->media.front());
    if (dir != sipua::sdp::direction::sendonly) return;
    held = true;
    lad.note("on hold (alice sendonly, bob recvonly) for 2 s");
    hold_timer.expires_after(2s);
    hold_timer.async_wait([&](std::error_code) { call.hangup(); });
  };
  h.on_ended = [&](const sipua::CallEnd& e) { alice_end = e; };
  sipua::CallOptions options;
  options.media = sipua::sdp::audio_capabilities("127.0.0.1", 40000, 40000);
  auto c = alice.call("sip:bob@" + bob_address.to_string(), std::move(options), std::move(h));
  if (!c) {
    std::fprintf(stderr, "sipdial: %s\n", c.error().message().c_str());
    return 1;
  }
  call = *c;
  bob.run_until([&] { return alice_end && bob_end; }, 30s);

  const bool ok = setup_ms > 0 && held && alice_end &&
                  alice_end->reason == sipua::end_reason::local_hangup && bob_end &&
                  bob_end->reason == sipua::end_reason::remote_hangup;
  std::printf("\nsetup time %.1f ms, %zu messages, %.1f s in all\n", setup_ms, lad.messages(),
              lad.seconds());
  std::printf("result: %s\n", ok          ? "answered, held, hung up: ok"
                              : alice_end ? std::string{sipua::to_string(alice_end->reason)}.c_str()
                                          : "did not finish");
  return ok ? 0 : 1;
}

}  // namespace sipdial
