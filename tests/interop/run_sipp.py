#!/usr/bin/env python3
"""One SIPp interop case against sipdial, on 127.0.0.1 only (ctest label
`interop`, tests/interop/CMakeLists.txt).

    run_sipp.py --sipp PATH --sipdial PATH --case NAME --transport udp|tcp
    run_sipp.py --list            the cases and their transports

A `uas_*` case starts SIPp as the callee (a scenario from sipp/) and runs
`sipdial call` against it; a `uac_*` case starts `sipdial listen` and runs
SIPp as the caller. Each side gets free loopback ports, SIPp places or takes
exactly one call (-m 1) under a global timeout, and the case passes only if
sipdial exits with the expected code AND SIPp exits 0 with its statistics
saying one successful call and no failed one. On failure both sides' output,
SIPp's statistics, errors and message log are printed. Every process this
starts is killed on every path, including when the runner itself is killed
(PR_SET_PDEATHSIG) or times out.
"""
import argparse
import csv
import ctypes
import errno
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCENARIOS = HERE / "sipp"
HOST = "127.0.0.1"
SIPP_TIMEOUT_S = 12  # SIPp's -timeout: the whole call, whatever happens
RECV_TIMEOUT_MS = 10000  # SIPp's -recv_timeout: one expected message
WAIT_S = 14  # how long the runner waits for either side at most
GRACE_S = 5  # how long the second side may take once the first has ended


@dataclass
class Case:
    scenario: str
    sipdial_args: list  # after `call <uri>` or `listen`
    exit_code: int  # sipdial's expected exit code
    transports: tuple = ("udp", "tcp")
    sipp_args: list = field(default_factory=list)
    command: str = "call"  # the sipdial command a uas_* case runs
    # False: SIPp is meant to refuse (its scenario stops on a bad request):
    # it must not count the call successful; sipdial's exit code says why.
    sipp_ok: bool = True

    @property
    def sipp_is_callee(self):
        return self.scenario.startswith("uas_")


CASES = {
    # SIPp answers; sipdial hangs up 1 s after the answer.
    "uas_answer": Case("uas_answer.xml", ["--hangup-after", "1"], 0),
    # SIPp answers and hangs up 1 s later; sipdial waits for that BYE.
    "uas_answer_hangup": Case("uas_answer_hangup.xml", [], 0),
    # 486 Busy Here: exit code 4 (the final status class).
    "uas_busy": Case("uas_busy.xml", [], 4),
    # 183 with SDP, 200 a second later; sipdial hangs up.
    "uas_early_media": Case("uas_early_media.xml", ["--hangup-after", "1"], 0),
    # 180 and no answer: sipdial CANCELs after 2 s, gets 487: exit code 1.
    "uas_ring_no_answer": Case("uas_ring_no_answer.xml", ["--ring-timeout", "2"], 1),
    # The first INVITE is lost: sipdial must retransmit it. UDP only: over
    # TCP there is no retransmission (RFC 3261 17.1.1.2). -nr: see the scenario.
    "uas_drop_first_invite": Case(
        "uas_drop_first_invite.xml", ["--hangup-after", "1"], 0, ("udp",), ["-nr"]
    ),
    # SIPp is a registrar: `sipdial register` registers, holds it 1 s, removes it.
    "uas_registrar": Case("uas_registrar.xml", ["--for", "1"], 0, command="register"),
    # The same registrar challenging with 401; sipdial answers with digest.
    "uas_registrar_auth": Case(
        "uas_registrar_auth.xml",
        ["--for", "1", "--user", "alice", "--password", "wonderland"],
        0,
        command="register",
    ),
    # ... and with a wrong password: one answer, then 403: exit code 4.
    "uas_registrar_bad_password": Case(
        "uas_registrar_auth.xml",
        ["--for", "1", "--user", "alice", "--password", "looking-glass"],
        4,
        command="register",
        sipp_ok=False,
    ),
    # SIPp calls `sipdial listen`, which answers; SIPp hangs up.
    "uac_call": Case("uac_call.xml", ["--calls", "1"], 0),
    # SIPp cancels while sipdial rings (it would answer after 10 s).
    "uac_cancel": Case("uac_cancel.xml", ["--calls", "1", "--answer-after", "10"], 0),
    # sipdial rejects with 486.
    "uac_rejected": Case("uac_rejected.xml", ["--calls", "1", "--reject", "486"], 0),
}


# ---------------------------------------------------------------- ports


def _kind(transport):
    return socket.SOCK_DGRAM if transport == "udp" else socket.SOCK_STREAM


def _port_taken(port, kind):
    """True if PORT on 127.0.0.1 is bound by someone (no SO_REUSEADDR)."""
    with socket.socket(socket.AF_INET, kind) as s:
        try:
            s.bind((HOST, port))
        except OSError as e:
            if e.errno == errno.EADDRINUSE:
                return True
            raise
    return False


def free_port(kind, also_free=()):
    """A port on 127.0.0.1 the system calls free, with port+d free too for
    each d in ALSO_FREE (SIPp's media takes -mp and -mp + 2)."""
    for _ in range(100):
        with socket.socket(socket.AF_INET, kind) as s:
            s.bind((HOST, 0))
            port = s.getsockname()[1]
        if port + max(also_free, default=0) > 65535:
            continue
        if not any(_port_taken(port + d, kind) for d in also_free):
            return port
    raise RuntimeError("no free loopback port found")


# ---------------------------------------------------------------- processes

_children = []


def _die_with_parent():
    # Linux prctl(PR_SET_PDEATHSIG, SIGKILL): the child is killed if this
    # runner dies, even by SIGKILL (ctest's timeout).
    ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGKILL)
    os.setpgrp()


def start(argv, out_path, cwd):
    out = open(out_path, "wb")
    p = subprocess.Popen(
        argv,
        stdin=subprocess.DEVNULL,
        stdout=out,
        stderr=subprocess.STDOUT,
        cwd=cwd,
        preexec_fn=_die_with_parent,
    )
    out.close()
    _children.append(p)
    return p


def kill_all():
    for p in _children:
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            p.wait()


def wait(p, seconds):
    """P's exit code, or None if it still runs after SECONDS."""
    try:
        return p.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        return None


def _on_signal(signum, _frame):
    kill_all()
    sys.exit(128 + signum)


# ---------------------------------------------------------------- SIPp


def sipp_argv(sipp, case, transport, ports, work, remote=None):
    argv = [sipp] + ([remote] if remote else [])
    argv += ["-sf", str(SCENARIOS / case.scenario), "-s", "sipdial"]
    # Loopback only: SIP, media and the control socket.
    argv += ["-i", HOST, "-bind_local", "-p", str(ports["sipp"])]
    argv += ["-mi", HOST, "-mp", str(ports["media"])]
    argv += ["-ci", HOST, "-cp", str(ports["control"])]
    argv += ["-t", "u1" if transport == "udp" else "t1", "-m", "1", "-nostdin"]
    argv += ["-timeout", f"{SIPP_TIMEOUT_S}s", "-timeout_error"]
    argv += ["-recv_timeout", str(RECV_TIMEOUT_MS)]
    argv += ["-trace_stat", "-stf", str(work / "sipp_stats.csv")]
    argv += ["-trace_err", "-error_file", str(work / "sipp_errors.log")]
    argv += ["-trace_msg", "-message_file", str(work / "sipp_messages.log")]
    return argv + case.sipp_args


def sipp_stats(work):
    """The last row of SIPp's statistics file as a dict, or {}."""
    path = work / "sipp_stats.csv"
    if not path.exists():
        return {}
    with open(path, newline="") as f:
        rows = [r for r in csv.reader(f, delimiter=";") if r]
    if len(rows) < 2:
        return {}
    return dict(zip(rows[0], rows[-1]))


def _listening(port, transport):
    """True if a socket is bound to 127.0.0.1:PORT (UDP) or listens there
    (TCP), read from /proc/net: probing by binding could steal the port
    from SIPp while it starts."""
    want = f"0100007F:{port:04X}"
    with open(f"/proc/net/{transport}") as f:
        for line in f.readlines()[1:]:
            fields = line.split()
            if fields[1] == want and (transport == "udp" or fields[3] == "0A"):
                return True
    return False


def wait_until_bound(p, port, transport, seconds=5):
    """Waits until SIPp (P) holds PORT; False if it exited or never did."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if p.poll() is not None:
            return False
        if _listening(port, transport):
            return True
        time.sleep(0.05)
    return False


def wait_for_first_line(path, p, seconds=5):
    """The first line P writes to file PATH, or None if none comes."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        text = path.read_text(errors="replace") if path.exists() else ""
        if "\n" in text:
            return text.split("\n", 1)[0]
        if p.poll() is not None:
            return text or None
        time.sleep(0.05)
    return None


# ---------------------------------------------------------------- one case


def run_case(args, case, transport, work):
    """Returns (sipdial exit code, SIPp exit code, notes). A side that had
    to be killed shows -9; one never started, None."""
    kind = _kind(transport)
    ports = {
        "sipp": free_port(kind),
        "media": free_port(socket.SOCK_DGRAM, (0, 1, 2, 3)),
        "control": free_port(socket.SOCK_DGRAM),
        "sipdial": free_port(kind),
    }
    local = f"{HOST}:{ports['sipdial']}"
    common = ["--local", local, "--transport", transport, "--trace"]
    notes = []
    if case.sipp_is_callee:
        sipp = start(sipp_argv(args.sipp, case, transport, ports, work), work / "sipp.out", work)
        if not wait_until_bound(sipp, ports["sipp"], transport):
            notes.append(f"SIPp did not bind {transport} {HOST}:{ports['sipp']}")
            return None, wait(sipp, GRACE_S), notes
        uri = f"sip:sipp@{HOST}:{ports['sipp']}"
        dial = [args.sipdial, case.command, uri] + common + case.sipdial_args
        notes.append("sipdial: " + " ".join(dial))
        sipdial = start(dial, work / "sipdial.out", work)
        first, second = sipdial, sipp
    else:
        listen = [args.sipdial, "listen"] + common + case.sipdial_args
        notes.append("sipdial: " + " ".join(listen))
        sipdial = start(listen, work / "sipdial.out", work)
        expected = f"listening on {transport} {local}"
        line = wait_for_first_line(work / "sipdial.out", sipdial)
        if line != expected:
            notes.append(f"sipdial listen's first line is {line!r}, expected {expected!r}")
            return wait(sipdial, GRACE_S), None, notes
        remote = f"{HOST}:{ports['sipdial']}"
        sipp = start(sipp_argv(args.sipp, case, transport, ports, work, remote),
                     work / "sipp.out", work)
        first, second = sipp, sipdial
    notes.append("sipp: " + " ".join(sipp.args))
    if wait(first, WAIT_S) is None:
        notes.append(f"{'sipdial' if first is sipdial else 'SIPp'} still ran after {WAIT_S} s")
    if wait(second, GRACE_S) is None:
        notes.append(f"{'sipdial' if second is sipdial else 'SIPp'} still ran {GRACE_S} s "
                     "after the other side ended")
    kill_all()
    return sipdial.poll(), sipp.poll(), notes


def show(title, path, tail=12000):
    print(f"----- {title} ({path.name})")
    if not path.exists():
        print("(none)")
        return
    text = path.read_text(errors="replace")
    print(text[-tail:] if len(text) > tail else text)


def check(args, case, transport):
    with tempfile.TemporaryDirectory(prefix="sipua-sipp-") as tmp:
        work = Path(tmp)
        try:
            sipdial_rc, sipp_rc, notes = run_case(args, case, transport, work)
        finally:
            kill_all()
        stats = sipp_stats(work)
        ok_calls = stats.get("SuccessfulCall(C)")
        failed_calls = stats.get("FailedCall(C)")
        problems = []
        if sipdial_rc != case.exit_code:
            problems.append(f"sipdial exit code {sipdial_rc}, expected {case.exit_code}")
        if not case.sipp_ok:
            if ok_calls == "1":
                problems.append("SIPp counted the call successful; it should have refused it")
        else:
            if sipp_rc != 0:
                problems.append(f"SIPp exit code {sipp_rc}, expected 0 (all calls successful)")
            if ok_calls != "1" or failed_calls != "0":
                problems.append(f"SIPp statistics: SuccessfulCall(C)={ok_calls} "
                                f"FailedCall(C)={failed_calls}, expected 1 and 0")
        name = f"{args.case}.{transport}"
        if not problems:
            print(f"{name}: ok (sipdial exit {sipdial_rc}, SIPp exit {sipp_rc}, "
                  f"SuccessfulCall(C)={ok_calls}, FailedCall(C)={failed_calls})")
            return 0
        print(f"{name}: FAILED")
        for line in notes + problems:
            print("  " + line)
        nonzero = {k: v for k, v in stats.items() if v not in ("0", "") and "Time" not in k}
        print("----- SIPp statistics (non-zero counters of the last row)")
        print(nonzero or "(no statistics file)")
        show("sipdial output", work / "sipdial.out")
        show("SIPp errors", work / "sipp_errors.log")
        show("SIPp screen", work / "sipp.out", 4000)
        show("SIPp messages", work / "sipp_messages.log")
        return 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sipp")
    ap.add_argument("--sipdial")
    ap.add_argument("--case", choices=sorted(CASES))
    ap.add_argument("--transport", choices=("udp", "tcp"))
    ap.add_argument("--list", action="store_true", help="print each case and its transports")
    args = ap.parse_args()
    if args.list:
        for name, case in CASES.items():
            print(name, " ".join(case.transports))
        return 0
    if not (args.sipp and args.sipdial and args.case and args.transport):
        ap.error("--sipp, --sipdial, --case and --transport are needed")
    case = CASES[args.case]
    if args.transport not in case.transports:
        print(f"{args.case} does not run over {args.transport}: only {case.transports}")
        return 1
    if not os.access(args.sipp, os.X_OK):
        print(f"sipp not found ({args.sipp}): install the Debian package sip-tester "
              "(scripts/setup.sh does) and configure again")
        return 1
    if not os.access(args.sipdial, os.X_OK):
        print(f"sipdial not built ({args.sipdial}): build the sipdial target")
        return 1
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    try:
        return check(args, case, args.transport)
    finally:
        kill_all()


if __name__ == "__main__":
    sys.exit(main())
