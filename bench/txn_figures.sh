#!/usr/bin/env bash
# Reproduces the transaction figures of docs/benchmarks.md ("Transactions
# (issue #4)"): transactions per second through the sans-I/O layer alone
# (Google Benchmark medians of R repetitions, CPU time), instructions per
# transaction under callgrind, and heap bytes per live transaction with N
# alive.
#   bench/txn_figures.sh [repetitions=10] [transactions=100000]
set -euo pipefail
cd "$(dirname "$0")/.."
reps="${1:-10}"
n="${2:-100000}"
cmake --preset release >/dev/null
cmake --build --preset release --target bench_txn txn_count txn_memory >/dev/null
echo "== transactions per second, steady state (live = about the last argument), ${reps} repetitions, medians"
build/release/bench/bench_txn --benchmark_repetitions="$reps" \
  --benchmark_report_aggregates_only=true 2>/dev/null | grep -E '_median'

echo "== callgrind: instructions per transaction (1000 live, 10000 transactions each)"
for kind in server_non_invite server_non_invite_built server_non_invite_parsed \
  server_invite server_invite_parsed client_non_invite client_non_invite_parsed; do
  out=$(mktemp)
  valgrind --tool=callgrind --callgrind-out-file="$out" \
    --toggle-collect='*measured_transactions*' build/release/bench/txn_count "$kind" 1000 10000 \
    >/dev/null 2>&1
  total=$(callgrind_annotate "$out" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  rm -f "$out"
  printf '%-26s %6d instructions\n' "$kind" $((total / 10000))
done

echo "== heap per live transaction, ${n} alive, message buffers aside"
build/release/bench/txn_memory "$n"
