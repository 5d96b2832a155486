// call_uas: the UAS SIPp calls in bench/sipp_figures.sh. One UserAgent on
// UDP 127.0.0.1:PORT (one thread, its own io_context) that answers every
// call at once: 180 Ringing, then 200 OK with an SDP answer (PCMU on
// 127.0.0.1:40002). Default timers. On SIGTERM or SIGINT it prints the
// calls it saw and the process's CPU time (getrusage) and exits.
//
//   build/release/bench/call_uas 5099
#include <sys/resource.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "sipua/ua/user_agent.hpp"

namespace {

volatile std::sig_atomic_t stop_requested = 0;

extern "C" void on_signal(int) { stop_requested = 1; }

double seconds(const timeval& t) {
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
}

}  // namespace

int main(int argc, char** argv) {
  const int port = argc > 1 ? std::atoi(argv[1]) : 5099;
  if (port <= 0 || port > 65535) return std::fprintf(stderr, "usage: call_uas PORT\n"), 2;
  sipua::UserAgent::Config config;
  config.listen = {{sipua::transport_protocol::udp,
                    {sipua::ip_address::loopback_v4(), static_cast<std::uint16_t>(port)}}};
  config.identity = "sip:bob@127.0.0.1";
  config.media = sipua::sdp::audio_capabilities("127.0.0.1", 40002, 2);
  // Ended calls count until their transactions end (32 s with the default
  // T1): at 3,125 calls/s the default 100,000 would refuse new calls.
  config.max_calls = 10'000'000;
  sipua::UserAgent ua{config};
  std::size_t incoming = 0;
  std::size_t answer_errors = 0;
  ua.on_incoming_call([&](sipua::IncomingCall& in) {
    ++incoming;
    if (in.call.ring() || in.call.answer()) ++answer_errors;
  });
  if (auto e = ua.start()) return std::fprintf(stderr, "start: %s\n", e.message().c_str()), 1;
  std::signal(SIGTERM, on_signal);
  std::signal(SIGINT, on_signal);
  std::printf("listening on %s\n", ua.local_addresses().front().address.to_string().c_str());
  std::fflush(stdout);
  while (stop_requested == 0) ua.run_for(std::chrono::milliseconds{50});
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  std::printf("incoming %zu answer_errors %zu active %zu user_s %.3f system_s %.3f\n", incoming,
              answer_errors, ua.active_calls(), seconds(u.ru_utime), seconds(u.ru_stime));
  std::fflush(stdout);
  std::_Exit(0);  // skip the destructor's BYEs to calls SIPp may still hold
}
