// Whole calls per second (issue #6): INVITE / 100 / 180 / 200 (SDP answer)
// / ACK / BYE / 200, alice calling bob, `in_flight` calls at a time: each
// call that ends starts the next. One iteration is a batch of calls; the
// benchmark reports calls per wall second (items_per_second) and the
// process's CPU time per call (getrusage, every thread: cpu_us_per_call,
// split into user_us_per_call and sys_us_per_call, the kernel's share).
//
// - ua_calls: two UserAgents (include/sipua/ua/user_agent.hpp) on one
//   io_context, one thread, UDP on 127.0.0.1 with ports chosen by the OS:
//   everything a real call costs, sockets and epoll included.
// - core_calls: the same flow through two sans-I/O UA cores wired back to
//   back in memory (bench/core_pair.hpp): the protocol's cost alone (each
//   message is still built, parsed and matched; no socket, no event loop).
//
// Both use the default timers (T1 = 500 ms) and the real clock, so ended
// calls and their transactions stay alive 32 s (Timer J, L, M) and the
// state grows during a run, as it would on a real UA.
//
//   cmake --preset release && cmake --build build/release -j2 --target bench_calls
//   build/release/bench/bench_calls --benchmark_repetitions=5
#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstddef>

#include "core_pair.hpp"
#include "ua_pair.hpp"

namespace sipua::bench {
namespace {

constexpr std::size_t batch = 2000;  // calls per iteration
// Fixed, so that every repetition does the same work from the same state:
// 10,000 calls after a warm-up batch (the state grows as calls end and
// wait for their transactions, see above).
constexpr benchmark::IterationCount iterations = 5;

/// Counts calls started and ended; each end starts the next call until
/// `target` calls have started.
struct call_counter {
  std::size_t started = 0;
  std::size_t ended = 0;
  std::size_t failed = 0;  // ended otherwise than by our BYE, or did not start
  std::size_t target = 0;
};

void report(benchmark::State& state, std::size_t calls, const cpu_times& begin,
            const call_counter& n) {
  const cpu_times end = process_cpu();
  const auto per_call = [&](double us) { return us / static_cast<double>(calls); };
  state.SetItemsProcessed(static_cast<std::int64_t>(calls));
  state.counters["cpu_us_per_call"] = per_call(end.total() - begin.total());
  state.counters["user_us_per_call"] = per_call(end.user - begin.user);
  state.counters["sys_us_per_call"] = per_call(end.system - begin.system);
  state.counters["in_flight"] = static_cast<double>(state.range(0));
  if (n.failed != 0) state.SkipWithError("calls failed");
}

/// One warm-up batch (sockets, allocator, first tags), then one batch per
/// iteration, reported per call.
template <class RunBatch>
void measure(benchmark::State& state, RunBatch& run_batch, const call_counter& n) {
  if (!run_batch()) {
    state.SkipWithError("warm-up failed");
    return;
  }
  const std::size_t first = n.ended;
  const cpu_times cpu0 = process_cpu();
  for (auto _ : state) {
    if (!run_batch()) {
      state.SkipWithError("a batch did not complete");
      break;
    }
  }
  report(state, n.ended - first, cpu0, n);
}

void ua_calls(benchmark::State& state) {
  const auto in_flight = static_cast<std::size_t>(state.range(0));
  ua_pair pair;
  call_counter n;
  const auto start_one = [&] {
    if (pair.place_call()) {
      ++n.started;
    } else {
      ++n.failed;
    }
  };
  pair.on_ended = [&](const CallEnd& e) {
    ++n.ended;
    if (e.reason != end_reason::local_hangup) ++n.failed;
    if (n.started < n.target) start_one();
  };
  if (pair.start()) {
    state.SkipWithError("start failed");
    return;
  }
  const auto run_batch = [&] {
    n.target += batch;
    while (n.started < n.target && n.started - n.ended < in_flight) start_one();
    return pair.run_until([&] { return n.ended >= n.target || n.failed != 0; },
                          std::chrono::seconds{60}) &&
           n.failed == 0;
  };
  measure(state, run_batch, n);
}
BENCHMARK(ua_calls)
    ->Arg(1)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(iterations)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

void core_calls(benchmark::State& state) {
  using clock = std::chrono::steady_clock;
  const auto in_flight = static_cast<std::size_t>(state.range(0));
  core_pair pair;
  call_counter n;
  clock::time_point now = clock::now();
  const auto start_one = [&] {
    if (pair.place_call(now)) {
      ++n.started;
    } else {
      ++n.failed;
    }
  };
  pair.on_ended = [&](const call_ended_event& e) {
    ++n.ended;
    if (e.reason != end_reason::local_hangup) ++n.failed;
    if (n.started < n.target) start_one();
  };
  // In memory every message is delivered within run(): one run completes
  // the batch (each ending call starts the next). The timers due by then
  // fire before the next batch.
  const auto run_batch = [&] {
    now = clock::now();
    pair.handle_timeouts(now);
    n.target += batch;
    while (n.started < n.target && n.started - n.ended < in_flight) start_one();
    pair.run(now);
    return n.ended >= n.target && n.failed == 0 && pair.lost == 0;
  };
  measure(state, run_batch, n);
}
BENCHMARK(core_calls)
    ->Arg(1)
    ->Arg(64)
    ->Unit(benchmark::kMillisecond)
    ->Iterations(iterations)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace
}  // namespace sipua::bench
