// call_uas: the UAS SIPp calls in bench/sipp_figures.sh. One UserAgent on
// UDP 127.0.0.1:PORT (one thread, its own io_context) that answers every
// call at once: 180 Ringing, then 200 OK with an SDP answer (PCMU on
// 127.0.0.1:40002). Default timers. PORT 0: the OS chooses (the first line
// printed says which). On SIGUSR1 it prints one line, "report N incoming I
// cpu_us C" (the Nth report, calls seen so far, the process's user +
// system CPU time from getrusage); on SIGTERM or SIGINT the same line and
// it exits.
//
//   build/release/bench/call_uas 0
#include <sys/resource.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>

#include "sipua/ua/user_agent.hpp"

namespace {

volatile std::sig_atomic_t stop_requested = 0;
volatile std::sig_atomic_t report_requested = 0;

extern "C" void on_stop(int) { stop_requested = 1; }
extern "C" void on_report(int) { report_requested = 1; }

long long cpu_us() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto us = [](const timeval& t) { return t.tv_sec * 1'000'000LL + t.tv_usec; };
  return us(u.ru_utime) + us(u.ru_stime);
}

}  // namespace

int main(int argc, char** argv) {
  const int port = argc > 1 ? std::atoi(argv[1]) : 5099;
  if (port < 0 || port > 65535) return std::fprintf(stderr, "usage: call_uas PORT\n"), 2;
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
  std::signal(SIGTERM, on_stop);
  std::signal(SIGINT, on_stop);
  std::signal(SIGUSR1, on_report);
  std::printf("listening on %s\n", ua.local_addresses().front().address.to_string().c_str());
  std::fflush(stdout);
  unsigned reports = 0;
  const auto report = [&] {
    std::printf("report %u incoming %zu answer_errors %zu active %zu cpu_us %lld\n", ++reports,
                incoming, answer_errors, ua.active_calls(), cpu_us());
    std::fflush(stdout);
  };
  while (stop_requested == 0) {
    ua.run_for(std::chrono::milliseconds{50});
    if (report_requested != 0) {
      report_requested = 0;
      report();
    }
  }
  report();
  std::_Exit(0);  // skip the destructor's BYEs to calls SIPp may still hold
}
