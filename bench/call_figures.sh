#!/usr/bin/env bash
# Reproduces the call figures of docs/benchmarks.md ("Calls (issue #6)")
# but SIPp's (bench/sipp_figures.sh): whole calls per second and CPU per
# call through two UserAgents on loopback UDP and through two UA cores in
# memory (Google Benchmark medians of R repetitions), and memory per
# established call with N calls up (ua and core, M runs each).
#   bench/call_figures.sh [repetitions=7] [calls=100000] [memory runs=3]
# The memory runs hold about 4 GB each (N = 100,000).
set -euo pipefail
cd "$(dirname "$0")/.."
reps="${1:-7}"
n="${2:-100000}"
mem_runs="${3:-3}"
cmake --preset release >/dev/null
cmake --build --preset release --target bench_calls call_memory >/dev/null
echo "== load: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "== calls per second, ${reps} repetitions, medians"
build/release/bench/bench_calls --benchmark_repetitions="$reps" \
  --benchmark_report_aggregates_only=true 2>/dev/null | grep -E '_median'

echo "== memory per established idle call, ${n} calls up, ${mem_runs} runs each"
for mode in ua core; do
  for _ in $(seq "$mem_runs"); do
    build/release/bench/call_memory "$n" "$mode" | grep -E 'bytes per dialog'
  done
done
echo "== load after: $(cut -d' ' -f1-3 /proc/loadavg)"
