// minimal_uac: calls argv[1], hangs up one second after the answer.
#include <cstdio>

#include <asio/steady_timer.hpp>

#include <sipua/ua/user_agent.hpp>

int main(int argc, char** argv) {
  sipua::UserAgent::Config config;
  config.identity = "sip:alice@127.0.0.1";
  sipua::UserAgent ua{config};
  if (auto e = ua.start()) return std::fprintf(stderr, "start: %s\n", e.message().c_str()), 1;
  asio::steady_timer timer{ua.context()};
  sipua::Call call;
  bool answered = false, ended = false;
  sipua::CallHandlers h;
  h.on_answered = [&](const sipua::MediaInfo&) {
    std::printf("answered\n");
    answered = true;
    timer.expires_after(std::chrono::seconds{1});
    timer.async_wait([&](std::error_code) { call.hangup(); });
  };
  h.on_ended = [&](const sipua::CallEnd& e) {
    std::printf("ended: %s %d\n", std::string{sipua::to_string(e.reason)}.c_str(), e.status);
    ended = true;
  };
  sipua::CallOptions options;
  options.media = sipua::sdp::audio_capabilities("127.0.0.1", 40000, 1);
  auto c = ua.call(argc > 1 ? argv[1] : "sip:bob@127.0.0.1:5070", options, std::move(h));
  if (!c) return std::fprintf(stderr, "call: %s\n", c.error().message().c_str()), 1;
  call = *c;
  ua.run_until([&] { return ended; }, std::chrono::seconds{60});
  return answered ? 0 : 1;
}
