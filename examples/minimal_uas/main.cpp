// minimal_uas: answers calls on 127.0.0.1:argv[1]; "--once": exit after one.
#include <cstdio>
#include <cstdlib>
#include <string>

#include <sipua/ua/user_agent.hpp>

int main(int argc, char** argv) {
  const auto port = static_cast<std::uint16_t>(argc > 1 ? std::atoi(argv[1]) : 5070);
  const bool once = argc > 2 && std::string{argv[2]} == "--once";
  sipua::UserAgent::Config config;
  config.listen = {{sipua::transport_protocol::udp, {sipua::ip_address::loopback_v4(), port}}};
  config.identity = "sip:bob@127.0.0.1";
  config.media = sipua::sdp::audio_capabilities("127.0.0.1", 40002, 2);
  sipua::UserAgent ua{config};
  bool done = false;
  ua.on_incoming_call([&](sipua::IncomingCall& in) {
    std::printf("call from %s\n", in.from.c_str());
    sipua::CallHandlers h;
    h.on_ended = [&](const sipua::CallEnd& e) {
      std::printf("ended: %s\n", std::string{sipua::to_string(e.reason)}.c_str());
      done = once;
    };
    in.call.set_handlers(std::move(h));
    in.call.answer();
  });
  if (auto e = ua.start()) return std::fprintf(stderr, "start: %s\n", e.message().c_str()), 1;
  std::printf("listening on %s\n", ua.local_addresses().front().address.to_string().c_str());
  std::fflush(stdout);
  ua.run_until([&] { return done; }, std::chrono::hours{24});
}
