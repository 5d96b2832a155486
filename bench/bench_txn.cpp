// Transactions per second through the sans-I/O transaction layer alone
// (issue #4), one core, in steady state: every iteration is one whole
// transaction, and a virtual clock advances by a fixed step per iteration
// so that the transactions started in the last Timer J / L / K interval
// are alive (about the benchmark's argument; the mean is reported as
// "live") and handle_timeout() reaps the older ones as they expire. The
// drivers are in txn_workload.hpp.
//   cmake --preset release && cmake --build --preset release --target bench_txn
//   build/release/bench/bench_txn --benchmark_repetitions=10
//   --benchmark_report_aggregates_only=true
//
// What one iteration does (all over UDP, default timers):
//   server_non_invite  OPTIONS in → request_event; the TU's 200 out
//                      (send_response); Timer J (32 s) reaps it later.
//   server_invite      INVITE in → the layer's 100 and request_event; the
//                      TU's 180 and 200 (with SDP) out; Timer L (32 s).
//   client_non_invite  send_request(OPTIONS) → send_request_action; the 200
//                      in → response_event; Timer K (5 s).
// Every action is drained with next_action() as a runtime would (the sends
// go nowhere). The variants say where the messages come from:
//   preparsed  the request (server) / response (client) is a copy of an
//              inbound_message parsed before the loop: the layer's own cost
//   parsed     the bytes are copied into a new buffer and parsed each
//              iteration, as a transport hands them up: adds the message
//              layer's parse (benchmarked in bench_parse)
//   prebuilt   the TU's responses are copies of strings built before the
//              loop (send_response takes the string by value)
//   built      the TU writes each response with build_response() from the
//              request_event's request
// In every variant the layer parses what it is given itself (send_request,
// send_response) and re-reads the request to route each response.
#include <benchmark/benchmark.h>

#include <cstdint>

#include "txn_workload.hpp"

namespace sipua::bench::txn {
namespace {

template <class Run>
void run(benchmark::State& state) {
  Run r(static_cast<std::size_t>(state.range(0)));
  double live_sum = 0;
  for (auto _ : state) {
    r.one();
    live_sum += static_cast<double>(r.layer.size());
  }
  const auto n = static_cast<std::uint64_t>(state.iterations());
  state.SetItemsProcessed(static_cast<std::int64_t>(n));
  state.counters["live"] = n ? live_sum / static_cast<double>(n) : 0.0;
  if (const char* wrong = check(r, n)) state.SkipWithError(wrong);
}

void live_counts(benchmark::internal::Benchmark* b) { b->Arg(1'000)->Arg(10'000)->Arg(100'000); }

BENCHMARK(run<server_non_invite_run<true, true>>)
    ->Name("server_non_invite/preparsed/prebuilt")
    ->Apply(live_counts);
BENCHMARK(run<server_non_invite_run<true, false>>)
    ->Name("server_non_invite/preparsed/built")
    ->Apply(live_counts);
BENCHMARK(run<server_non_invite_run<false, false>>)
    ->Name("server_non_invite/parsed/built")
    ->Apply(live_counts);
BENCHMARK(run<server_invite_run<true, true>>)
    ->Name("server_invite/preparsed/prebuilt")
    ->Apply(live_counts);
BENCHMARK(run<server_invite_run<false, false>>)
    ->Name("server_invite/parsed/built")
    ->Apply(live_counts);
BENCHMARK(run<client_non_invite_run<true>>)
    ->Name("client_non_invite/preparsed")
    ->Apply(live_counts);
BENCHMARK(run<client_non_invite_run<false>>)->Name("client_non_invite/parsed")->Apply(live_counts);

}  // namespace
}  // namespace sipua::bench::txn
