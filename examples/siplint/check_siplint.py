#!/usr/bin/env python3
"""ctest driver for siplint: check_siplint.py SIPLINT DATA_DIR

Runs siplint over every vector of the conformance corpus (DATA_DIR/manifest.tsv)
and checks that:
- every output line is one JSON object naming its file;
- "valid" agrees with the manifest (valid and valid-but-semantic-error rows
  parse and validate; invalid-reject rows do not; ambiguous rows either way),
  and the exit status is 0 for a valid file and 1 for an invalid one;
- a run over all files prints one line per file;
- escaping: control characters and invalid UTF-8 come out as \\u00XX, valid
  UTF-8 unchanged;
- usage errors (unknown option, unreadable file) exit 2, --help exits 0;
- --split frames several messages from one stream (the stream framer).
The exact files of rfc5118/ use bare LF, lack the empty line or carry a wrong
Content-Length, so siplint reads them with --lenient (the three named
leniencies), as the conformance test does.
"""
import json
import os
import subprocess
import sys
import tempfile

failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what)


def run(siplint, args, stdin=None):
    p = subprocess.run([siplint] + args, input=stdin, capture_output=True, timeout=60)
    return p.returncode, p.stdout.decode("utf-8"), p.stderr.decode("utf-8", "replace")


def json_lines(out, what):
    objs = []
    for line in out.splitlines():
        try:
            obj = json.loads(line)
        except ValueError as e:
            check(False, f"{what}: not JSON ({e}): {line[:200]!r}")
            continue
        check(isinstance(obj, dict), f"{what}: not an object")
        objs.append(obj)
    return objs


def manifest_rows(data_dir):
    with open(os.path.join(data_dir, "manifest.tsv"), encoding="utf-8") as f:
        lines = f.read().splitlines()
    header = lines[0].split("\t")
    return [dict(zip(header, l.split("\t"))) for l in lines[1:] if l]


def lenient_args(rel):
    return ["--lenient"] if rel.startswith("rfc5118/") else []


def check_corpus(siplint, data_dir, rows):
    for row in rows:
        rel, expected = row["file"], row["expected"]
        path = os.path.join(data_dir, rel)
        rc, out, _ = run(siplint, lenient_args(rel) + [path])
        objs = json_lines(out, rel)
        check(len(objs) == 1, f"{rel}: {len(objs)} lines, want 1")
        if len(objs) != 1:
            continue
        o = objs[0]
        check(o.get("file") == path, f"{rel}: file member {o.get('file')!r}")
        valid = o.get("valid")
        check(rc == (0 if valid else 1), f"{rel}: exit {rc} with valid={valid}")
        if expected in ("valid", "valid-but-semantic-error"):
            check(valid is True, f"{rel}: expected valid, got {o.get('error')}")
        elif expected == "invalid-reject":
            check(valid is False, f"{rel}: expected invalid")
        if valid:
            check(o.get("error") is None and "check" in o, f"{rel}: valid without check")
            check(o.get("kind") in ("request", "response"), f"{rel}: kind")
            check(isinstance(o.get("headers"), list), f"{rel}: headers")
        else:
            err = o.get("error") or {}
            check(set(err) == {"code", "message", "offset", "header", "status"}, f"{rel}: error members")


def check_all_at_once(siplint, data_dir, rows):
    paths = [os.path.join(data_dir, r["file"]) for r in rows if not r["file"].startswith("rfc5118/")]
    rc, out, _ = run(siplint, paths)
    objs = json_lines(out, "all files")
    check(len(objs) == len(paths), f"all files: {len(objs)} lines for {len(paths)} files")
    check([o.get("file") for o in objs] == paths, "all files: order")
    check(rc == 1, f"all files: exit {rc}, want 1 (the corpus has invalid messages)")


def check_escaping(siplint, tmp):
    raw = (b"OPTIONS sip:a@example.com SIP/2.0\r\n"
           b"Via: SIP/2.0/UDP h.example.com;branch=z9hG4bK1\r\n"
           b"To: <sip:a@example.com>\r\nFrom: <sip:b@example.com>;tag=1\r\n"
           b"Call-ID: esc@h\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
           b"X-Bytes: a\x01b\x7f\"q\\ \xc3\xa9 \xff \xc3 \xed\xa0\x80 \xf0\x9f\x98\x80\r\n"
           b"Content-Length: 0\r\n\r\n")
    path = os.path.join(tmp, "bytes.sip")
    with open(path, "wb") as f:
        f.write(raw)
    rc, out, _ = run(siplint, [path])
    check(rc == 0, f"escaping: exit {rc}")
    check("\\u0001" in out and "\\u007F" in out and "\\u00FF" in out, "escaping: \\u00XX escapes")
    check("\\u00C3 " in out, "escaping: truncated sequence escaped")
    check("\\u00ED\\u00A0\\u0080" in out, "escaping: surrogate bytes escaped")
    objs = json_lines(out, "escaping")
    if objs:
        x = [h["value"] for h in objs[0]["headers"] if h["name"] == "X-Bytes"]
        check(x == ["a\x01b\x7f\"q\\ \u00e9 \u00ff \u00c3 \u00ed\u00a0\u0080 \U0001F600"], f"escaping: {x!r}")


def check_usage(siplint, data_dir):
    good = os.path.join(data_dir, "rfc4475", "wsinv.dat")
    rc, out, _ = run(siplint, ["--no-such-option", good])
    check(rc == 2 and out == "", f"unknown option: exit {rc}")
    rc, out, _ = run(siplint, [os.path.join(data_dir, "no-such-file.dat")])
    check(rc == 2, f"unreadable file: exit {rc}")
    rc, out, _ = run(siplint, ["--help"])
    check(rc == 0 and "usage:" in out, f"--help: exit {rc}")
    rc, out, _ = run(siplint, [good])
    check(rc == 0, f"valid file: exit {rc}")
    rc, out, _ = run(siplint, [os.path.join(data_dir, "rfc4475", "badinv01.dat")])
    check(rc == 1, f"invalid file: exit {rc}")
    with open(good, "rb") as f:
        rc, out, _ = run(siplint, ["-"], stdin=f.read())
    objs = json_lines(out, "stdin")
    check(rc == 0 and len(objs) == 1 and objs[0].get("file") == "<stdin>", f"stdin: exit {rc}")


def check_split(siplint, data_dir, tmp):
    names = ["rfc4475/esc01.dat", "rfc5118-crlf/ipv6-in-sdp.dat", "rfc4475/noreason.dat"]
    stream = b""
    for n in names:
        with open(os.path.join(data_dir, n), "rb") as f:
            stream += f.read() + b"\r\n\r\n"  # a keep-alive ping after each message
    path = os.path.join(tmp, "stream.sip")
    with open(path, "wb") as f:
        f.write(stream)
    rc, out, err = run(siplint, ["--split", path])
    objs = json_lines(out, "split")
    check(rc == 0 and [o.get("index") for o in objs] == [0, 1, 2], f"split: exit {rc}, {len(objs)} lines")
    check([o.get("call_id") for o in objs][:1] == ["esc01.239409asdfakjkn23onasd0-3234"], "split: call_id")
    # A stream without Content-Length cannot be framed: one error line.
    rc, out, _ = run(siplint, ["--split", os.path.join(data_dir, "rfc4475", "inv2543.dat")])
    objs = json_lines(out, "split error")
    check(rc == 1 and len(objs) == 1 and objs[0]["error"]["code"] == "missing_content_length",
          f"split error: exit {rc}, {out[:200]!r}")
    # Content-Length 9999 with a short body: the stream ends inside it.
    rc, out, _ = run(siplint, ["--split", os.path.join(data_dir, "rfc4475", "clerr.dat")])
    objs = json_lines(out, "split truncated")
    check(rc == 1 and len(objs) == 1 and objs[0]["error"]["code"] == "truncated_stream",
          f"split truncated: exit {rc}, {out[:200]!r}")


def main():
    siplint, data_dir = sys.argv[1], sys.argv[2]
    rows = manifest_rows(data_dir)
    check(len(rows) == 74, f"manifest has {len(rows)} rows")
    check_corpus(siplint, data_dir, rows)
    check_all_at_once(siplint, data_dir, rows)
    with tempfile.TemporaryDirectory() as tmp:
        check_escaping(siplint, tmp)
        check_split(siplint, data_dir, tmp)
    check_usage(siplint, data_dir)
    print(f"{len(rows)} vectors, {len(failures)} failures")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
