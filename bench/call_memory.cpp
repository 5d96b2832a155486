// Memory per established, idle call (issue #6 target: at most 2 KB per
// dialog on top of the OS's socket costs).
//
//   call_memory [calls=100000] [ua|core]
//
// ua: two UserAgents in this process (bench/ua_pair.hpp: UDP on
// 127.0.0.1, one io_context, one thread); alice places `calls` calls to
// bob, 100 at a time, bob answers each (180, 200 with SDP), alice ACKs and
// keeps it up. T1 is 50 ms here (T2, T4 default) so that the INVITE
// transactions' accepted states (Timer L at bob, M at alice: 64*T1) end
// 3.2 s after the last answer; the program then runs the loop 64*T1 + 1 s
// more, idle, and measures.
//
// core: the same with two sans-I/O UA cores back to back in memory
// (bench/core_pair.hpp), T1 = 50 ms too, on a manual clock: one call per
// virtual millisecond, then 64*T1 + 1 s more; it checks that no
// transaction is left. The difference between
// the two is what the UserAgent runtime adds per call.
//
// Heap = bytes malloc has handed out (mallinfo2: uordblks + hblkhd, whole
// chunks with their headers); RSS = resident pages (/proc/self/statm).
// Both are measured after start() and once every call is up and idle; RSS
// once more after malloc_trim(0), which hands the pages malloc holds free
// (left by the set-up's peak: transactions, messages) back to the OS.
// Every call has two dialogs, one in each UA: per dialog = growth / (2 ×
// calls).
#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

#include "core_pair.hpp"
#include "ua_pair.hpp"

namespace sipua::bench {
namespace {

struct usage {
  std::size_t heap = 0;
  std::size_t rss = 0;
};

usage measure() {
  const struct mallinfo2 mi = mallinfo2();
  std::size_t pages = 0;
  std::size_t resident = 0;
  std::ifstream{"/proc/self/statm"} >> pages >> resident;
  return usage{mi.uordblks + mi.hblkhd, resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE))};
}

void print(const char* what, std::size_t calls, const usage& before, const usage& after) {
  const double dialogs = 2.0 * static_cast<double>(calls);
  const double heap = static_cast<double>(after.heap - before.heap);
  const double rss = static_cast<double>(after.rss) - static_cast<double>(before.rss);
  std::printf(
      "%s: %zu calls up, %.0f dialogs: heap +%.1f MB = %.0f bytes per dialog; "
      "RSS +%.1f MB = %.0f bytes per dialog\n",
      what, calls, dialogs, heap / 1e6, heap / dialogs, rss / 1e6, rss / dialogs);
  malloc_trim(0);
  const double trimmed = static_cast<double>(measure().rss) - static_cast<double>(before.rss);
  std::printf("%s: RSS after malloc_trim(0) +%.1f MB = %.0f bytes per dialog\n", what,
              trimmed / 1e6, trimmed / dialogs);
}

int run_ua(std::size_t calls) {
  timer_config timers;
  timers.t1 = std::chrono::milliseconds{50};
  ua_pair pair{timers};
  pair.hang_up = false;
  std::size_t started = 0;
  std::size_t up = 0;
  std::size_t ended = 0;
  constexpr std::size_t in_flight = 100;
  pair.on_answered = [&] {
    ++up;
    if (started < calls && pair.place_call()) ++started;
  };
  pair.on_ended = [&](const CallEnd&) { ++ended; };
  if (pair.start()) return std::fprintf(stderr, "start failed\n"), 1;
  const usage before = measure();
  const auto t0 = std::chrono::steady_clock::now();
  while (started < in_flight && started < calls && pair.place_call()) ++started;
  pair.run_until([&] { return up >= calls || ended != 0; }, std::chrono::minutes{10});
  const auto t1 = std::chrono::steady_clock::now();
  pair.run_for(64 * timers.t1 + std::chrono::seconds{1});
  const usage after = measure();
  std::printf("ua: %zu answered in %.1f s, %zu ended; active calls: alice %zu, bob %zu\n", up,
              std::chrono::duration<double>(t1 - t0).count(), ended, pair.alice().active_calls(),
              pair.bob().active_calls());
  if (up != calls || ended != 0) return std::fprintf(stderr, "not every call is up\n"), 1;
  print("ua", calls, before, after);
  std::fflush(stdout);
  std::_Exit(0);  // skip hanging up 100,000 calls
}

int run_core(std::size_t calls) {
  using namespace std::chrono_literals;
  timer_config timers;
  timers.t1 = 50ms;
  core_pair pair{timers};
  pair.hang_up = false;
  std::size_t up = 0;
  std::size_t ended = 0;
  pair.on_answered = [&] { ++up; };
  pair.on_ended = [&](const call_ended_event&) { ++ended; };
  ua_core::time_point now{std::chrono::hours{1}};
  const usage before = measure();
  // One call per virtual millisecond, timers fired as they fall due: the
  // transactions end spread out, as on the wire (all at one instant, the
  // layer's reused action queue would keep a burst's capacity).
  for (std::size_t i = 0; i < calls; ++i) {
    if (!pair.place_call(now)) return std::fprintf(stderr, "call %zu did not start\n", i), 1;
    pair.run(now);
    now += 1ms;
    pair.handle_timeouts(now);
  }
  for (const auto end = now + 64 * timers.t1 + 1s; now < end; now += 1ms) pair.handle_timeouts(now);
  const usage after = measure();
  std::printf("core: %zu answered, %zu ended, %zu lost; transactions left: alice %zu, bob %zu\n",
              up, ended, pair.lost, pair.alice().transactions().size(),
              pair.bob().transactions().size());
  if (up != calls || ended != 0 || pair.lost != 0) return std::fprintf(stderr, "failed\n"), 1;
  print("core", calls, before, after);
  std::fflush(stdout);
  std::_Exit(0);
}

}  // namespace
}  // namespace sipua::bench

int main(int argc, char** argv) {
  const std::size_t calls = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100'000;
  const std::string mode = argc > 2 ? argv[2] : "ua";
  if (calls == 0 || (mode != "ua" && mode != "core")) {
    return std::fprintf(stderr, "usage: call_memory [calls] [ua|core]\n"), 2;
  }
  return mode == "ua" ? sipua::bench::run_ua(calls) : sipua::bench::run_core(calls);
}
