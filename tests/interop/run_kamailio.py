#!/usr/bin/env python3
"""One interop case of sipdial with Kamailio (and baresip), on 127.0.0.1 only
(ctest label `interop`, tests/interop/CMakeLists.txt).

    run_kamailio.py --sipdial PATH --case NAME [--kamailio PATH]
                    [--kamcmd PATH] [--baresip PATH] [--openssl PATH]
    run_kamailio.py --list            the cases

Each case starts its own Kamailio (kamailio/kamailio.cfg) in the foreground
on free loopback ports, with its runtime directory, control socket, TLS
files and certificates (a throw-away CA made with the openssl CLI) in a
temporary directory, then runs sipdial (and baresip, profile in baresip/,
with HOME in the same directory) against it. A case passes only if every
sipdial exits with the expected code and what Kamailio's location table and
baresip's log show agrees. On failure every side's output is printed.
Every process this starts is killed on every path, including when the
runner itself is killed: PR_SET_PDEATHSIG for the processes it starts, and
a watchdog process for Kamailio's children, which outlive their parent.
"""
import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from run_sipp import HOST, _listening, free_port, kill_all, show, start, wait, wait_for_first_line
import run_sipp

HERE = Path(__file__).resolve().parent
KAMAILIO_CFG = HERE / "kamailio" / "kamailio.cfg"
BARESIP_PROFILE = HERE / "baresip"
# The static users of kamailio.cfg (its htable:mod-init must say the same).
USERS = {"alice": "wonderland", "bob": "builder", "carol": "christmas"}
REGISTERED_WAIT_S = 5  # how long a registration may take to show up
CALL_WAIT_S = 15  # how long a sipdial call or listen may take at most
PACKAGES = {
    "kamailio": "kamailio",
    "kamcmd": "kamailio",
    "baresip": "baresip-core",
    "openssl": "openssl",
}


@dataclass
class Case:
    run: object  # function(ctx): runs the case, appends to ctx.problems
    tools: tuple = ("kamailio", "kamcmd")
    tls: bool = False


# ---------------------------------------------------------------- helpers


def free_port_both():
    """A port on 127.0.0.1 free for UDP and TCP alike."""
    for _ in range(100):
        port = free_port(socket.SOCK_DGRAM)
        if not run_sipp._port_taken(port, socket.SOCK_STREAM):
            return port
    raise RuntimeError("no loopback port free for both UDP and TCP")


def _guard_process_group(pgid):
    """Forks a watchdog that SIGKILLs process group PGID when this runner
    dies (Kamailio's children survive their parent's death). Returns its
    pid; kill it with SIGKILL once the group is gone."""
    parent = os.getpid()
    pid = os.fork()
    if pid:
        return pid
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)

        def fire(*_):
            try:
                os.killpg(pgid, signal.SIGKILL)
            finally:
                os._exit(0)

        signal.signal(signal.SIGTERM, fire)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        if os.getppid() != parent:
            fire()
        while True:
            signal.pause()
    finally:
        os._exit(0)


_guards = []  # watchdog pids
_groups = []  # process groups whose members may outlive their leader


def stop(p, seconds=3):
    """Ends P (its whole process group) politely, then for good."""
    if p is None or p.poll() is not None:
        return
    try:
        os.killpg(p.pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    if wait(p, seconds) is None:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()


def kill_everything():
    for p in run_sipp._children:
        if p.poll() is None:
            try:
                os.killpg(p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
    # Kamailio's children are in its group but not ours to wait for: they
    # may outlive it (when it crashed), so the group gets a SIGKILL of its own.
    for pgid in _groups:
        try:
            os.killpg(pgid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
    _groups.clear()
    kill_all()
    for g in _guards:
        try:
            os.kill(g, signal.SIGKILL)
            os.waitpid(g, 0)
        except (ProcessLookupError, ChildProcessError):
            pass
    _guards.clear()


def _on_signal(signum, _frame):
    kill_everything()
    sys.exit(128 + signum)


def run_tool(argv, cwd):
    r = subprocess.run(argv, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=20)
    if r.returncode != 0:
        raise RuntimeError(f"{' '.join(argv)} failed ({r.returncode}):\n"
                           + r.stdout.decode(errors="replace"))


def make_certificates(openssl, work):
    """A CA and a server certificate for 127.0.0.1 (RFC 5922: the address is
    in subjectAltName), made with the openssl CLI."""
    ca_key, ca = work / "ca.key", work / "ca.pem"
    key, csr, cert = work / "server.key", work / "server.csr", work / "server.pem"
    ext = work / "server.ext"
    ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    run_tool([openssl, "req", "-x509", *ec, "-keyout", ca_key, "-out", ca, "-days", "2",
              "-subj", "/CN=sipua interop test CA",
              "-addext", "basicConstraints=critical,CA:TRUE",
              "-addext", "keyUsage=critical,keyCertSign,cRLSign"], work)
    run_tool([openssl, "req", *ec, "-keyout", key, "-out", csr, "-subj", "/CN=127.0.0.1"], work)
    ext.write_text("basicConstraints=CA:FALSE\nsubjectAltName=IP:127.0.0.1\n"
                   "extendedKeyUsage=serverAuth\nkeyUsage=digitalSignature\n")
    run_tool([openssl, "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key, "-set_serial",
              "2", "-days", "2", "-extfile", ext, "-out", cert], work)
    return ca, cert, key


# ---------------------------------------------------------------- Kamailio


class Kamailio:
    def __init__(self, ctx, tls):
        self.ctx = ctx
        self.port = free_port_both()  # UDP and TCP
        self.tls_port = free_port(socket.SOCK_STREAM) if tls else None
        run = ctx.work / "kamailio"
        run.mkdir()
        self.ctl = f"unix:{run / 'kamailio_ctl'}"
        argv = [ctx.tools["kamailio"], "-f", str(KAMAILIO_CFG), "-DD", "-E", "-a", "no",
                "-Y", str(run), "-P", str(run / "kamailio.pid"), "-w", str(run),
                "-m", "32", "-M", "4",
                "-l", f"udp:{HOST}:{self.port}", "-l", f"tcp:{HOST}:{self.port}",
                "-A", f'CTL_SOCKET="{self.ctl}"']
        if tls:
            ca, cert, key = make_certificates(ctx.tools["openssl"], ctx.work)
            self.ca = ca
            tls_cfg = run / "tls.cfg"
            tls_cfg.write_text(
                "[server:default]\nmethod = TLSv1.2+\nverify_certificate = no\n"
                f"require_certificate = no\ncertificate = {cert}\nprivate_key = {key}\n\n"
                "[client:default]\nmethod = TLSv1.2+\nverify_certificate = no\n"
                "require_certificate = no\n")
            argv += ["-l", f"tls:{HOST}:{self.tls_port}",
                     "-A", "WITH_TLS", "-A", f'TLS_CONFIG="{tls_cfg}"']
        ctx.notes.append("kamailio: " + " ".join(argv))
        self.p = start(argv, ctx.work / "kamailio.out", run)
        _groups.append(self.p.pid)
        _guards.append(_guard_process_group(self.p.pid))
        ctx.outputs.append(("Kamailio log", ctx.work / "kamailio.out", 20000))

    def wait_ready(self, seconds=10):
        """True once Kamailio holds all its sockets and its control socket."""
        deadline = time.monotonic() + seconds
        sock = Path(self.ctl.split(":", 1)[1])
        while time.monotonic() < deadline:
            if self.p.poll() is not None:
                self.ctx.notes.append(f"Kamailio exited with {self.p.returncode} while starting")
                return False
            ready = (_listening(self.port, "udp") and _listening(self.port, "tcp")
                     and (self.tls_port is None or _listening(self.tls_port, "tcp"))
                     and sock.exists())
            if ready and self.rpc("core.version") is not None:
                return True
            time.sleep(0.1)
        self.ctx.notes.append(f"Kamailio not ready after {seconds} s")
        return False

    def rpc(self, *command):
        try:
            r = subprocess.run([self.ctx.tools["kamcmd"], "-s", self.ctl, *command],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=5)
        except subprocess.TimeoutExpired:
            return None
        return r.stdout.decode(errors="replace") if r.returncode == 0 else None

    def contacts(self, user):
        """The contact addresses Kamailio holds for USER ([] for none)."""
        out = self.rpc("ul.lookup", "location", user) or ""
        return re.findall(r"Address: (\S+)", out)

    def wait_for_contact(self, user, pattern, seconds=REGISTERED_WAIT_S, present=True):
        """True once a contact of USER matches PATTERN (or, with PRESENT
        false, once none does)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            found = any(re.search(pattern, c) for c in self.contacts(user))
            if found == present:
                return True
            time.sleep(0.1)
        return False

    def uri(self, user=None, tls=False):
        port = self.tls_port if tls else self.port
        return f"sip:{user + '@' if user else ''}{HOST}:{port}"


# ---------------------------------------------------------------- baresip


class Baresip:
    """baresip as USER, registered at Kamailio, answering every call; with
    DIAL, it calls that URI as soon as it runs."""

    def __init__(self, ctx, kam, user, dial=None):
        self.ctx = ctx
        home = ctx.work / "home"
        conf = home / ".baresip"
        conf.mkdir(parents=True)
        self.port = free_port_both()
        values = {"SIP_LISTEN": f"{HOST}:{self.port}", "USER": user,
                  "PASSWORD": USERS[user], "PROXY_PORT": str(kam.port)}
        for name in ("config", "accounts"):
            text = (BARESIP_PROFILE / name).read_text()
            for k, v in values.items():
                text = text.replace(f"@{k}@", v)
            (conf / name).write_text(text)
        (conf / "contacts").write_text("")
        # -s: SIP trace in the log; -t: quits on its own at the latest then.
        argv = [ctx.tools["baresip"], "-f", str(conf), "-s", "-t", "40"]
        if dial:
            argv += ["-e", f"/dial {dial}"]
        env = dict(os.environ, HOME=str(home))
        stdbuf = shutil.which("stdbuf")  # line-buffered, whatever happens
        argv = ([stdbuf, "-oL", "-eL"] if stdbuf else []) + argv
        ctx.notes.append("baresip: " + " ".join(argv))
        self.log = ctx.work / "baresip.out"
        out = open(self.log, "wb")
        self.p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out,
                                  stderr=subprocess.STDOUT, cwd=home, env=env,
                                  preexec_fn=run_sipp._die_with_parent)
        out.close()
        run_sipp._children.append(self.p)
        ctx.outputs.append(("baresip log", self.log, 30000))

    def text(self):
        raw = self.log.read_text(errors="replace") if self.log.exists() else ""
        return re.sub(r"\x1b\[[0-9;]*m", "", raw)


# ---------------------------------------------------------------- sipdial


def sipdial(ctx, name, args, transport="udp"):
    """Starts `sipdial ARGS` with its own local port; output in NAME.out."""
    local = f"{HOST}:{free_port_both()}"
    argv = [ctx.tools["sipdial"], *args, "--local", local, "--transport", transport, "--trace"]
    ctx.notes.append(f"{name}: " + " ".join(argv))
    path = ctx.work / f"{name}.out"
    ctx.outputs.insert(0, (f"{name} output", path, 30000))
    return start(argv, path, ctx.work), local


def expect_exit(ctx, name, p, code, seconds=CALL_WAIT_S):
    rc = wait(p, seconds)
    if rc is None:
        ctx.problems.append(f"{name} still ran after {seconds} s")
        stop(p, 1)
    elif rc != code:
        ctx.problems.append(f"{name} exit code {rc}, expected {code}")
    return rc


def start_listen(ctx, kam, user, hangup_after=None):
    """`sipdial listen` registered at Kamailio as USER for one call (hanging
    up HANGUP_AFTER s after answering, or waiting for the caller's BYE);
    returns it once Kamailio knows its contact."""
    args = ["listen", "--register", kam.uri(), "--user", user, "--password", USERS[user],
            "--calls", "1"]
    if hangup_after is not None:
        args += ["--hangup-after", str(hangup_after)]
    p, local = sipdial(ctx, "sipdial-listen", args)
    expected = f"listening on udp {local}"
    line = wait_for_first_line(ctx.work / "sipdial-listen.out", p)
    if line != expected:
        ctx.problems.append(f"sipdial listen's first line is {line!r}, expected {expected!r}")
        return None
    if not kam.wait_for_contact(user, re.escape(local)):
        ctx.problems.append(f"Kamailio has no contact at {local} for {user} after "
                            f"{REGISTERED_WAIT_S} s: {kam.contacts(user)}")
        return None
    return p


# ---------------------------------------------------------------- cases


def register_case(transport, password, code):
    def run(ctx):
        kam = ctx.kamailio
        args = ["register", kam.uri(tls=transport == "tls"), "--user", "alice",
                "--password", password, "--for", "2"]
        if transport == "tls":
            args += ["--tls-ca", str(kam.ca)]
        p, local = sipdial(ctx, "sipdial", args, transport)
        if code == 0:
            # While registered, Kamailio holds a contact of ours for alice:
            # over UDP and TCP the address sipdial listens on (not a TCP
            # connection's ephemeral port); over TLS sipdial only connects
            # out (no certificate), so any port.
            where = re.escape(local) if transport != "tls" else r"127\.0\.0\.1:\d+"
            want = r"^sip:sipdial@" + where + (f";transport={transport}"
                                               if transport != "udp" else "")
            if not kam.wait_for_contact("alice", want):
                ctx.problems.append(f"Kamailio has no contact matching {want!r} for alice "
                                    f"while registered: {kam.contacts('alice')}")
        expect_exit(ctx, "sipdial", p, code)
        left = kam.contacts("alice")
        if left:
            ctx.problems.append(f"Kamailio still has contacts for alice at the end: {left}")
    return run


def call_baresip(ctx):
    """sipdial (alice) calls baresip (bob) through Kamailio, hangs up."""
    kam = ctx.kamailio
    bs = Baresip(ctx, kam, "bob")
    if not kam.wait_for_contact("bob", rf"@{re.escape(HOST)}:{bs.port}\b", seconds=10):
        ctx.problems.append(f"baresip did not register as bob: {kam.contacts('bob')}")
        return
    p, _ = sipdial(ctx, "sipdial", ["call", kam.uri("bob"), "--proxy", kam.uri(), "--user",
                                    "alice", "--password", USERS["alice"],
                                    "--hangup-after", "1"])
    expect_exit(ctx, "sipdial", p, 0)
    stop(bs.p)
    log = bs.text()
    for want in ("Call established: sip:alice@", "Call with sip:alice@"):
        if want not in log:
            ctx.problems.append(f"baresip's log lacks {want!r}")
    if not re.search(r"Proxy-Authorization: Digest username=\"alice\"",
                     ctx.read("sipdial.out")):
        ctx.problems.append("sipdial's INVITE never carried alice's Proxy-Authorization")


def baresip_calls_sipua(ctx):
    """baresip (bob) calls sipdial listen (registered as carol)."""
    kam = ctx.kamailio
    listen = start_listen(ctx, kam, "carol", hangup_after=1)
    if listen is None:
        return
    bs = Baresip(ctx, kam, "bob", dial=kam.uri("carol"))
    expect_exit(ctx, "sipdial listen", listen, 0)
    stop(bs.p)
    log = bs.text()
    if "Call established: sip:carol@" not in log:
        ctx.problems.append("baresip's log lacks 'Call established: sip:carol@'")
    # sipdial hung up: baresip got that BYE (its SIP trace shows the 200 it
    # sent for it).
    if not re.search(r"^SIP/2\.0 200 OK\r?\n(?:[^\r\n]+\r?\n)*?CSeq: \d+ BYE", log, re.M):
        ctx.problems.append("baresip's SIP trace shows no 200 OK to a BYE")


def sipua_calls_sipua(ctx):
    """sipdial call (alice, registered first with --register) calls sipdial
    listen (carol) through Kamailio; the caller hangs up, the callee waits
    for that BYE."""
    kam = ctx.kamailio
    listen = start_listen(ctx, kam, "carol")
    if listen is None:
        return
    call, _ = sipdial(ctx, "sipdial-call", ["call", kam.uri("carol"), "--proxy", kam.uri(),
                                            "--register", kam.uri(),
                                            "--user", "alice", "--password", USERS["alice"],
                                            "--hangup-after", "1"])
    expect_exit(ctx, "sipdial call", call, 0)
    expect_exit(ctx, "sipdial listen", listen, 0, seconds=5)
    if "ended: remote hangup" not in ctx.read("sipdial-listen.out"):
        ctx.problems.append("sipdial listen did not see the caller hang up")
    caller = ctx.read("sipdial-call.out")
    for want in ("registered sip:", "unregistered (200)"):
        if want not in caller:
            ctx.problems.append(f"sipdial call (--register) did not print {want!r}")


def both_hang_up(ctx):
    """Both sipdials hang up 1 s after the answer: their BYEs may cross
    (RFC 3261 15.1.1). Each BYE must still get its 200 and both exit 0."""
    kam = ctx.kamailio
    listen = start_listen(ctx, kam, "carol", hangup_after=1)
    if listen is None:
        return
    call, _ = sipdial(ctx, "sipdial-call", ["call", kam.uri("carol"), "--proxy", kam.uri(),
                                            "--user", "alice", "--password", USERS["alice"],
                                            "--hangup-after", "1"])
    expect_exit(ctx, "sipdial call", call, 0)
    expect_exit(ctx, "sipdial listen", listen, 0, seconds=5)


WITH_BARESIP = ("kamailio", "kamcmd", "baresip")
CASES = {
    "register_udp": Case(register_case("udp", USERS["alice"], 0)),
    "register_tcp": Case(register_case("tcp", USERS["alice"], 0)),
    "register_tls": Case(register_case("tls", USERS["alice"], 0),
                         ("kamailio", "kamcmd", "openssl"), tls=True),
    # Kamailio challenges the wrong answer again: a final 401, exit code 4.
    "wrong_password": Case(register_case("udp", "looking-glass", 4)),
    "call_baresip": Case(call_baresip, WITH_BARESIP),
    "baresip_calls_sipua": Case(baresip_calls_sipua, WITH_BARESIP),
    "sipua_calls_sipua": Case(sipua_calls_sipua),
    "both_hang_up": Case(both_hang_up),
}


# ---------------------------------------------------------------- one case


class Context:
    def __init__(self, tools, work):
        self.tools = tools
        self.work = work
        self.notes = []
        self.problems = []
        self.outputs = []  # (title, path, tail)
        self.kamailio = None

    def read(self, name):
        path = self.work / name
        return path.read_text(errors="replace") if path.exists() else ""


def check(name, case, tools):
    with tempfile.TemporaryDirectory(prefix="sipua-kamailio-") as tmp:
        ctx = Context(tools, Path(tmp))
        try:
            ctx.kamailio = Kamailio(ctx, case.tls)
            if ctx.kamailio.wait_ready():
                case.run(ctx)
            else:
                ctx.problems.append("Kamailio did not start" + (
                    " (its tls module is in the Debian package kamailio-tls-modules)"
                    if case.tls else ""))
        except (RuntimeError, OSError, subprocess.SubprocessError) as e:
            ctx.problems.append(f"{type(e).__name__}: {e}")
        finally:
            for p in run_sipp._children[1:]:
                stop(p, 2)
            if ctx.kamailio is not None:
                stop(ctx.kamailio.p)
            kill_everything()
        if not ctx.problems:
            print(f"{name}: ok")
            return 0
        print(f"{name}: FAILED")
        for line in ctx.notes + ctx.problems:
            print("  " + line)
        for title, path, tail in ctx.outputs:
            if path.exists():
                path.write_text(re.sub(r"\x1b\[[0-9;]*m", "", path.read_text(errors="replace")))
            show(title, path, tail)
        return 1


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sipdial")
    ap.add_argument("--kamailio", default=shutil.which("kamailio") or "/usr/sbin/kamailio")
    ap.add_argument("--kamcmd", default=shutil.which("kamcmd") or "/usr/sbin/kamcmd")
    ap.add_argument("--baresip", default=shutil.which("baresip") or "/usr/bin/baresip")
    ap.add_argument("--openssl", default=shutil.which("openssl") or "/usr/bin/openssl")
    ap.add_argument("--case", choices=sorted(CASES))
    ap.add_argument("--list", action="store_true", help="print the cases")
    args = ap.parse_args()
    if args.list:
        print("\n".join(CASES))
        return 0
    if not (args.sipdial and args.case):
        ap.error("--sipdial and --case are needed")
    case = CASES[args.case]
    tools = {"sipdial": os.path.abspath(args.sipdial)}
    for tool in case.tools:
        path = getattr(args, tool)
        if not path or not os.access(path, os.X_OK):
            print(f"{tool} not found ({path}): install the Debian package {PACKAGES[tool]} "
                  "(scripts/setup.sh does) and configure again")
            return 1
        tools[tool] = os.path.abspath(path)
    if not os.access(args.sipdial, os.X_OK):
        print(f"sipdial not built ({args.sipdial}): build the sipdial target")
        return 1
    signal.signal(signal.SIGTERM, _on_signal)
    signal.signal(signal.SIGINT, _on_signal)
    try:
        return check(args.case, case, tools)
    finally:
        kill_everything()


if __name__ == "__main__":
    sys.exit(main())
