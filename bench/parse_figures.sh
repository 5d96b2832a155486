#!/usr/bin/env bash
# Reproduces the parse figures of docs/benchmarks.md: Google Benchmark
# medians (wall and CPU ns) and callgrind instruction counts per parse, for
# every message kind of bench/messages.hpp.
#   bench/parse_figures.sh [repetitions]
set -euo pipefail
cd "$(dirname "$0")/.."
reps="${1:-20}"
cmake --preset release >/dev/null
cmake --build --preset release --target bench_parse parse_count >/dev/null
echo "== Google Benchmark, ${reps} repetitions, medians"
build/release/bench/bench_parse --benchmark_repetitions="$reps" \
  --benchmark_report_aggregates_only=true 2>/dev/null | grep -E '_median'
echo "== callgrind: instructions per parse + read of the key fields (1000 parses each)"
for kind in invite 200 180 ack bye register 401 options; do
  out=$(mktemp)
  valgrind --tool=callgrind --callgrind-out-file="$out" \
    --toggle-collect='sipua::bench::measured*' build/release/bench/parse_count "$kind" 1000 >/dev/null 2>&1
  total=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  rm -f "$out"
  printf '%-10s %6d instructions\n' "$kind" $((total / 1000))
done
