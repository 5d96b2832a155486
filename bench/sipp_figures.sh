#!/usr/bin/env bash
# SIPp as caller against sipua as callee (docs/benchmarks.md "Calls"):
# bench/call_uas (a UserAgent answering every call with 180, then 200 +
# SDP) on a UDP port of 127.0.0.1 chosen by the OS, and SIPp's built-in
# "uac" scenario (INVITE, 100, 180, 200, ACK, BYE, 200; no pause) at each
# rate for SECONDS seconds. Loopback only.
#
#   bench/sipp_figures.sh [seconds=10] [runs=3] [rates...=100 200 400 800 1600 3200 6400]
#
# Every run starts a fresh call_uas (so each starts with no call state).
# Per run: the calls SIPp placed, completed and failed and its
# retransmissions (from its -trace_stat file), the rate at which it
# started calls (CallRate(C): below the rate asked when SIPp itself cannot
# keep up), and the UAS's CPU time per call (getrusage of the UAS, user +
# system, read before and after the run through its SIGUSR1 report). Per
# rate, a line of medians over the runs. Last lines: the highest rate at
# which every run completed every call with none failed, and the highest
# at which there was no retransmission either.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-10}"
runs="${2:-3}"
shift 2 || shift $# || true
rates=("$@")
[[ ${#rates[@]} -gt 0 ]] || rates=(100 200 400 800 1600 3200 6400)

cmake --preset release >/dev/null
cmake --build --preset release --target call_uas >/dev/null

work=$(mktemp -d)
uas=""
stop_uas() {
  if [[ -n "$uas" ]]; then
    kill -TERM "$uas" 2>/dev/null || true
    wait "$uas" 2>/dev/null || true
    uas=""
  fi
}
trap 'stop_uas; rm -rf "$work"' EXIT

# Starts a fresh call_uas; sets `uas` (its pid) and `addr`.
uas_runs=0
start_uas() {
  # A new file each time: the shell truncates it in the child, after this
  # function may already have read the last run's "listening on".
  uas_runs=$((uas_runs + 1))
  uas_out="$work/uas.$uas_runs.out"
  build/release/bench/call_uas 0 >"$uas_out" 2>&1 &
  uas=$!
  reports=0
  for _ in $(seq 200); do
    grep -q "^listening on" "$uas_out" 2>/dev/null && break
    sleep 0.1
  done
  addr=$(awk '/^listening on/ {print $3}' "$uas_out")
  if [[ "$addr" != 127.0.0.1:* ]]; then
    echo "call_uas did not start (pid $uas):" >&2
    cat "$uas_out" >&2
    ps -o pid,stat,etime,comm -p "$uas" >&2 || true
    exit 1
  fi
}

# Asks the UAS for a report; sets `incoming` and `cpu_us` from it.
uas_report() {
  reports=$((reports + 1))
  kill -USR1 "$uas"
  local line=""
  for _ in $(seq 100); do
    line=$(grep "^report $reports " "$uas_out" || true)
    [[ -n "$line" ]] && break
    sleep 0.05
  done
  [[ -n "$line" ]] || { echo "call_uas did not report" >&2; exit 1; }
  incoming=$(awk '{for (i = 1; i < NF; i++) if ($i == "incoming") print $(i + 1)}' <<<"$line")
  cpu_us=$(awk '{for (i = 1; i < NF; i++) if ($i == "cpu_us") print $(i + 1)}' <<<"$line")
}

# The value of column $2 of the last row of SIPp's statistics file $1.
stat_field() {
  awk -F';' -v name="$2" 'NR == 1 {for (i = 1; i <= NF; i++) if ($i == name) c = i}
    END {print $c}' "$1"
}

median() { printf '%s\n' "$@" | sort -g | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

echo "== SIPp uac -> sipua call_uas, ${secs} s per run, ${runs} runs per rate; load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-7s %6s %8s %8s %7s %7s %10s %12s\n' '' rate placed ok failed retrans 'calls/s' 'UAS µs/call'
best=0
best_no_failure=0
for rate in "${rates[@]}"; do
  n=$((rate * secs))
  all_clean=1
  none_failed=1
  achieved_runs=() per_call_runs=() failed_runs=() retrans_runs=() ok_runs=() placed_runs=()
  for run in $(seq "$runs"); do
    start_uas
    uas_report
    inc0=$incoming cpu0=$cpu_us
    stf="$work/stat.csv"
    rm -f "$stf"
    code=0
    sipp -sn uac "$addr" -i 127.0.0.1 -r "$rate" -m "$n" -nostdin \
      -timeout "$((secs * 3 + 30))s" -trace_stat -stf "$stf" -fd 1 >/dev/null 2>"$work/sipp.err" ||
      code=$?
    uas_report
    inc1=$incoming cpu1=$cpu_us
    stop_uas
    ok=$(stat_field "$stf" 'SuccessfulCall(C)')
    failed=$(stat_field "$stf" 'FailedCall(C)')
    placed=$(stat_field "$stf" 'OutgoingCall(C)')
    retrans=$(stat_field "$stf" 'Retransmissions(C)')
    achieved=$(stat_field "$stf" 'CallRate(C)')
    per_call=$(awk -v a="$cpu0" -v b="$cpu1" -v x="$inc0" -v y="$inc1" \
      'BEGIN {printf "%.1f", (y > x ? (b - a) / (y - x) : 0)}')
    printf '%-7s %6d %8d %8d %7d %7d %10.0f %12s%s\n' "run $run" "$rate" "$placed" "$ok" "$failed" \
      "$retrans" "$achieved" "$per_call" "$([[ $code -ne 0 ]] && echo "  (sipp exit $code)")"
    [[ "$failed" -eq 0 && "$retrans" -eq 0 && "$ok" -eq "$n" ]] || all_clean=0
    [[ "$failed" -eq 0 && "$ok" -eq "$n" ]] || none_failed=0
    achieved_runs+=("$achieved") per_call_runs+=("$per_call") failed_runs+=("$failed")
    retrans_runs+=("$retrans") ok_runs+=("$ok") placed_runs+=("$placed")
  done
  printf '%-7s %6d %8d %8d %7d %7d %10.0f %12s\n' median "$rate" "$(median "${placed_runs[@]}")" \
    "$(median "${ok_runs[@]}")" "$(median "${failed_runs[@]}")" "$(median "${retrans_runs[@]}")" \
    "$(median "${achieved_runs[@]}")" "$(median "${per_call_runs[@]}")"
  if [[ $all_clean -eq 1 ]]; then best=$rate; fi
  if [[ $none_failed -eq 1 ]]; then best_no_failure=$rate; fi
done
echo "highest rate with every call of every run completed, none failed: $best_no_failure calls/s"
echo "highest rate with every call of every run completed, none failed, no retransmission: $best calls/s"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
