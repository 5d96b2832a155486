#!/usr/bin/env bash
# Reproduces the transport figures of docs/benchmarks.md ("Transports"):
# round trips per second over UDP, TCP and TLS on 127.0.0.1 and TLS
# handshakes per second (Google Benchmark medians of R repetitions), and the
# memory per idle TCP and TLS connection with N open (median of R runs of
# bench/idle_memory each).
#   bench/transport_figures.sh [repetitions=10] [connections=10000]
set -euo pipefail
cd "$(dirname "$0")/.."
reps="${1:-10}"
conns="${2:-10000}"
cmake --preset release >/dev/null
cmake --build --preset release --target bench_transport idle_memory >/dev/null
echo "== round trips on 127.0.0.1, one io_context, one thread; ${reps} repetitions, medians"
build/release/bench/bench_transport --benchmark_repetitions="$reps" \
  --benchmark_report_aggregates_only=true 2>/dev/null | grep -E '_median'

echo "== memory per idle connection, ${conns} connections, ${reps} runs, medians"
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for kind in tcp tls; do
  echo "-- ${kind}"
  for i in $(seq "$reps"); do
    build/release/bench/idle_memory "$conns" "$kind" >"$out/$kind.$i"
  done
  head -n 1 "$out/$kind.1"
  for key in rss_bytes_per_connection heap_bytes_per_connection \
    kernel_slab_bytes_per_connection_pair; do
    values=$(awk -v k="$key" '$1 == k && $2 ~ /^-?[0-9]+$/ { print $2 }' "$out/$kind".*)
    if [ -z "$values" ]; then
      printf '%-40s unknown\n' "$key"
    else
      printf '%-40s %s  (runs: %s)\n' "$key" "$(median <<<"$values")" "$(tr '\n' ' ' <<<"$values")"
    fi
  done
done
echo "(kernel_slab: system-wide, both ends of each connection, not counted in the figures above)"
