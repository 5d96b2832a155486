#!/usr/bin/env bash
# sipdial's commands against each other on 127.0.0.1 (ctest: examples.sipdial.<case>).
#
#   sipdial_test.sh SIPDIAL CASE
#
# Each case starts `sipdial listen` on an OS-chosen port, runs another
# command against it and checks both exit statuses and what they printed.
set -uo pipefail
sipdial=$1
case_name=$2
work=$(mktemp -d "${TMPDIR:-/tmp}/sipdial-test.XXXXXX")
listener=
cleanup() {
  [ -n "$listener" ] && kill "$listener" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

fail() {
  echo "FAIL: $*"
  for f in "$work"/*.out; do
    [ -f "$f" ] && { echo "--- $f"; cat "$f"; }
  done
  exit 1
}

# listen ARGS...: starts `sipdial listen --local 127.0.0.1:0 ARGS` in the
# background and sets $address to the HOST:PORT it listens on.
listen() {
  "$sipdial" listen --local 127.0.0.1:0 "$@" >"$work/listen.out" 2>&1 &
  listener=$!
  for _ in $(seq 100); do
    address=$(sed -n -e 's/^listening on [a-z]* \(.*\)$/\1/p' \
      -e 's/.*"event":"listening".*"address":"\([^"]*\)".*/\1/p' "$work/listen.out" | head -n 1)
    [ -n "$address" ] && return 0
    kill -0 "$listener" 2>/dev/null || fail "listen exited early"
    sleep 0.05
  done
  fail "listen did not say where it listens"
}

# expect_exit WANT CMD...: runs CMD (output to $work/cmd.out) and checks its status.
expect_exit() {
  local want=$1 got
  shift
  "$@" >"$work/cmd.out" 2>&1
  got=$?
  [ "$got" -eq "$want" ] || fail "$* exited $got, expected $want"
}

# listener_exit WANT: waits (at most 10 s) for the listener and checks its status.
listener_exit() {
  local want=$1 got
  for _ in $(seq 200); do
    kill -0 "$listener" 2>/dev/null || break
    sleep 0.05
  done
  wait "$listener"
  got=$?
  listener=
  [ "$got" -eq "$want" ] || fail "listen exited $got, expected $want"
}

expect_output() {
  grep -q -- "$2" "$work/$1.out" || fail "$1 did not print: $2"
}

case $case_name in
  call_udp | call_tcp)
    transport=${case_name#call_}
    listen --transport "$transport" --calls 1 --answer-after 0.2
    expect_exit 0 "$sipdial" call "sip:bob@$address" --transport "$transport" --hangup-after 0.2
    expect_output cmd "answered after"
    expect_output cmd "ended: local hangup"
    expect_output cmd "BYE"
    listener_exit 0
    expect_output listen "ended: remote hangup"
    ;;
  far_end_hangs_up)
    listen --calls 1 --hangup-after 0.2
    expect_exit 0 "$sipdial" call "sip:bob@$address"
    expect_output cmd "ended: remote hangup"
    listener_exit 0
    ;;
  rejected)
    for code in 486 503 603; do
      listen --calls 1 --reject "$code"
      expect_exit $((code / 100)) "$sipdial" call "sip:bob@$address"
      expect_output cmd "($code"
      listener_exit 0
    done
    ;;
  ring_timeout)
    listen --calls 1 --answer-after 30
    expect_exit 1 "$sipdial" call "sip:bob@$address" --ring-timeout 0.3
    expect_output cmd "no answer: cancelling"
    expect_output cmd "CANCEL"
    expect_output cmd "487"
    listener_exit 0
    expect_output listen "ended: cancelled"
    ;;
  nobody_there)
    # A TCP port nothing listens on: the connection is refused at once.
    listen --transport tcp --calls 1
    kill "$listener"
    wait "$listener" 2>/dev/null
    listener=
    expect_exit 1 "$sipdial" call "sip:bob@$address" --transport tcp
    expect_output cmd "transport error"
    ;;
  message_options)
    listen
    expect_exit 0 "$sipdial" message "sip:bob@$address" "hello there"
    expect_output cmd "final status 200"
    expect_exit 0 "$sipdial" options "sip:bob@$address"
    expect_output cmd "final status 200"
    ;;
  json)
    listen --calls 1 --json
    expect_exit 0 "$sipdial" call "sip:bob@$address" --hangup-after 0.1 --json
    listener_exit 0
    # Every line is one JSON object with "t" and "event"; the last says exit 0.
    python3 - "$work/cmd.out" "$work/listen.out" <<'PY' || fail "bad JSON output"
import json, sys
for path in sys.argv[1:]:
    lines = [json.loads(l) for l in open(path) if l.strip()]
    assert all("t" in l and "event" in l for l in lines), path
    assert lines[-1]["event"] == "result" and lines[-1]["exit"] == 0, lines[-1]
    events = [l["event"] for l in lines]
    assert "ended" in events, events
PY
    ;;
  tls)
    # A throw-away certificate for 127.0.0.1; the caller trusts it as its CA.
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 \
      -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
      -keyout "$work/key.pem" -out "$work/cert.pem" >/dev/null 2>&1 || fail "openssl req failed"
    listen --transport tls --tls-cert "$work/cert.pem" --tls-key "$work/key.pem" --calls 1
    # Without the CA the server is not trusted: no call.
    expect_exit 1 "$sipdial" call "sip:bob@$address" --transport tls
    expect_output cmd "transport error"
    expect_exit 0 "$sipdial" call "sip:bob@$address" --transport tls --tls-ca "$work/cert.pem" \
      --hangup-after 0.1
    expect_output cmd "answered after"
    listener_exit 0
    ;;
  register_refused)
    # A registrar that does not take REGISTER (sipdial listen: 405): the
    # command ends with the status class; --register stops a call first.
    listen
    expect_exit 4 "$sipdial" register "sip:$address" --for 1
    expect_output cmd "registration failed: 405"
    expect_exit 4 "$sipdial" call "sip:bob@$address" --register "sip:$address"
    expect_output cmd "registration failed: 405"
    if grep -q "INVITE" "$work/cmd.out"; then fail "called although the registration failed"; fi
    ;;
  usage)
    expect_exit 2 "$sipdial" call
    expect_exit 2 "$sipdial" call sip:bob@127.0.0.1 --transport sctp
    expect_exit 2 "$sipdial" listen --reject 200
    expect_exit 2 "$sipdial" frobnicate
    expect_exit 0 "$sipdial" --help
    expect_output cmd "usage: sipdial"
    ;;
  *) fail "unknown case $case_name" ;;
esac
echo "ok: $case_name"
