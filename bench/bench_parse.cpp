// Parse + read the key fields, per message kind (issue #2 item 7).
//   cmake --preset release && cmake --build --preset release --target bench_parse
//   ./build/release/bench/bench_parse --benchmark_repetitions=10
//   --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cstring>
#include <string>

#include "messages.hpp"
#include "read_fields.hpp"

namespace sipua::bench {
namespace {

void run(benchmark::State& state, std::string_view data) {
  message m;
  for (auto _ : state) {
    key_fields k = parse_and_read(data, m);
    benchmark::DoNotOptimize(k);
    if (!k.ok) state.SkipWithError("parse failed");
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * data.size()));
}

// A fresh message object per parse, as a transport that hands each message
// off would do.
void run_fresh(benchmark::State& state, std::string_view data) {
  for (auto _ : state) {
    message m;
    key_fields k = parse_and_read(data, m);
    benchmark::DoNotOptimize(k);
    if (!k.ok) state.SkipWithError("parse failed");
  }
}

void invite(benchmark::State& s) { run(s, bench::invite()); }
void invite_fresh_message(benchmark::State& s) { run_fresh(s, bench::invite()); }
void ok_200_two_record_routes(benchmark::State& s) { run(s, ok_200()); }
void ringing_180(benchmark::State& s) { run(s, k_ringing); }
void ack(benchmark::State& s) { run(s, k_ack); }
void bye(benchmark::State& s) { run(s, k_bye); }
void register_with_authorization(benchmark::State& s) { run(s, k_register); }
void unauthorized_401(benchmark::State& s) { run(s, k_unauthorized); }
void options(benchmark::State& s) { run(s, k_options); }

// The floor: a memchr scan for every line end of the INVITE.
void memchr_floor_invite(benchmark::State& state) {
  const std::string& d = bench::invite();
  for (auto _ : state) {
    std::size_t lines = 0;
    const char* p = d.data();
    const char* end = p + d.size();
    while (const void* nl = std::memchr(p, '\n', static_cast<std::size_t>(end - p))) {
      ++lines;
      p = static_cast<const char*>(nl) + 1;
    }
    benchmark::DoNotOptimize(lines);
  }
}

BENCHMARK(invite);
BENCHMARK(invite_fresh_message);
BENCHMARK(ok_200_two_record_routes);
BENCHMARK(ringing_180);
BENCHMARK(ack);
BENCHMARK(bye);
BENCHMARK(register_with_authorization);
BENCHMARK(unauthorized_401);
BENCHMARK(options);
BENCHMARK(memchr_floor_invite);

}  // namespace
}  // namespace sipua::bench
