#!/usr/bin/env bash
# Runs minimal_uas --once on a free loopback port and minimal_uac against
# it; passes when the caller saw the answer and both ended the call.
set -euo pipefail
uas=$1 uac=$2
out=$(mktemp -d)
trap 'kill "$pid" 2>/dev/null || true; rm -rf "$out"' EXIT
for attempt in 1 2 3 4 5; do
  port=$((20000 + RANDOM % 20000))
  "$uas" "$port" --once >"$out/uas.log" 2>&1 &
  pid=$!
  for _ in $(seq 50); do
    grep -q "listening on" "$out/uas.log" && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  grep -q "listening on" "$out/uas.log" && break
  wait "$pid" || true  # the port was taken: try another
done
"$uac" "sip:bob@127.0.0.1:$port" | tee "$out/uac.log"
wait "$pid"
cat "$out/uas.log"
grep -q "^answered$" "$out/uac.log"
grep -q "^ended: local hangup 0$" "$out/uac.log"
grep -q "^call from sip:alice@127.0.0.1$" "$out/uas.log"
grep -q "^ended: remote hangup$" "$out/uas.log"
