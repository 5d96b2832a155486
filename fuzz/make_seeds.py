#!/usr/bin/env python3
"""Writes the seed corpora of the stateful dialog targets:

  fuzz/corpus/dialog/   flags byte, then "A\\0B\\0C" (see fuzz_dialog.cpp)
  fuzz/corpus/ua_core/  byte programs for fuzz_ua_core.cpp (the encoder below
                        mirrors the harness' reading order: keep them in step)
  fuzz/corpus/registrar/ config byte, then [advance][origin]REGISTER\0 ...
                        records (see fuzz_registrar.cpp)

Run from anywhere: python3 fuzz/make_seeds.py. It rewrites those folders.
"""
import os
import shutil

ROOT = os.path.dirname(os.path.abspath(__file__))


def crlf(text):
    return text.strip("\n").replace("\n", "\r\n").encode() + b"\r\n\r\n"


def sip(start, headers, body=""):
    """A SIP message: start line, header lines, Content-Length, body."""
    lines = [start] + headers + ["Content-Length: %d" % len(body.encode())]
    return ("\r\n".join(lines) + "\r\n\r\n" + body).encode()


SDP = ("v=0\r\no=- 1 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\n"
       "m=audio 4000 RTP/AVP 0\r\n")

VIA = "Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bK74bf9"


def invite(extra=None, from_tag=";tag=9fxced76sl", ruri="sip:bob@biloxi.example.com",
           cseq="314159 INVITE", contact="<sip:alice@192.0.2.9>", method="INVITE", body=SDP):
    h = [VIA, "Max-Forwards: 70",
         "From: Alice <sip:alice@atlanta.example.com>" + from_tag,
         "To: Bob <sip:bob@biloxi.example.com>",
         "Call-ID: 3848276298220188511@atlanta.example.com",
         "CSeq: " + cseq]
    if contact is not None:
        h.append("Contact: " + contact)
    h += extra or []
    if body:
        h.append("Content-Type: application/sdp")
    return sip("%s %s SIP/2.0" % (method, ruri), h, body)


def response(status, to_tag=";tag=8321234356", contact="<sip:bob@192.0.2.4>", extra=None,
             cseq="314159 INVITE", body=""):
    h = [VIA, "From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl",
         "To: Bob <sip:bob@biloxi.example.com>" + to_tag,
         "Call-ID: 3848276298220188511@atlanta.example.com",
         "CSeq: " + cseq]
    if contact is not None:
        h.append("Contact: " + contact)
    h += extra or []
    if body:
        h.append("Content-Type: application/sdp")
    return sip("SIP/2.0 %d X" % status, h, body)


def in_dialog(method, cseq, to_tag=";tag=ua5tag", contact=None, extra=None, body=""):
    """A request from the peer inside the UAS dialog made from invite()."""
    h = ["Via: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bKnew1", "Max-Forwards: 70",
         "From: Alice <sip:alice@atlanta.example.com>;tag=9fxced76sl",
         "To: Bob <sip:bob@biloxi.example.com>" + to_tag,
         "Call-ID: 3848276298220188511@atlanta.example.com",
         "CSeq: %d %s" % (cseq, method)]
    if contact is not None:
        h.append("Contact: " + contact)
    h += extra or []
    if body:
        h.append("Content-Type: application/sdp")
    return sip("%s sip:bob@192.0.2.4 SIP/2.0" % method, h, body)


RR = ["Record-Route: <sip:p1.example.com;lr>, <sip:p2.example.com;lr>",
      "Record-Route: <sip:p3.example.com;lr;foo=bar>;x=y"]
STRICT = ["Record-Route: <sip:p4.example.com;method=INVITE?X=1>, <sip:p5.example.com;lr>"]


def dialog_seeds():
    s = {}
    s["uas_invite_bye"] = [invite(RR), response(180), in_dialog("BYE", 314160)]
    s["uac_180_then_200"] = [invite(RR), response(180, extra=RR), response(200, extra=RR)]
    s["uac_200_reinvite_new_contact"] = [
        invite(), response(200), in_dialog("INVITE", 314161, contact="<sip:alice@192.0.2.77>",
                                           body=SDP)]
    s["uas_out_of_order"] = [invite(), response(200), in_dialog("INFO", 3)]
    s["uas_strict_router"] = [invite(STRICT), response(200, extra=STRICT), in_dialog("BYE", 1)]
    s["uas_no_from_tag"] = [invite(from_tag=""), response(200)]
    s["uac_2xx_no_contact"] = [invite(), response(200, contact=None)]
    s["uac_2xx_no_to_tag"] = [invite(), response(200, to_tag="")]
    s["uac_180_no_tag"] = [invite(), response(180, to_tag="", contact=None)]
    s["uac_183_no_contact"] = [invite(), response(183, contact=None), response(200)]
    s["contact_star"] = [invite(contact="*"), response(200, contact="*")]
    s["contact_two"] = [invite(contact="<sip:a@x>, <sip:b@y>"),
                        response(200, contact='"a, b" <sip:b@y>')]
    s["bad_record_route"] = [invite(["Record-Route: sip:p1.example.com;lr"]), response(200)]
    s["contact_with_headers"] = [
        invite(contact="<sip:alice@192.0.2.9;method=REGISTER?Subject=hi>"),
        response(200, contact="<sip:bob@192.0.2.4;method=BYE?Subject=x&Priority=urgent>"),
        in_dialog("BYE", 314160)]
    s["contact_with_headers_strict_route"] = [
        invite(STRICT, contact="<sip:alice@192.0.2.9?Subject=hi>"),
        response(200, extra=STRICT, contact="<sip:bob@192.0.2.4?Subject=x>")]
    s["sips_tls"] = [invite(ruri="sips:bob@biloxi.example.com"), response(200)]
    s["redirect_302_q"] = [
        invite(), response(302, contact="<sip:b1@x>;q=0.5, <sip:b2@x>;q=0.9, <sip:b1@x>, "
                           "<sips:b3@x>, <tel:+15551234>, *"),
        response(301, contact="<sip:B2@X>;q=1, <sip:b4@x;transport=tcp>;q=0.1")]
    s["redirect_loop"] = [invite(), response(302, contact="<sip:bob@biloxi.example.com>"),
                          response(302, contact="<sip:bob@BILOXI.example.com:5060>")]
    s["redirect_305_380"] = [invite(), response(305, contact="<sip:proxy@x>"),
                             response(380, contact="<sip:alt@x>")]
    s["redirect_from_sips"] = [invite(ruri="sips:bob@biloxi.example.com"),
                               response(302, contact="<sip:b@x>, <sips:c@x>")]
    s["options"] = [invite(method="OPTIONS", cseq="1 OPTIONS", body="",
                           extra=["Accept: application/sdp"])]
    s["options_require"] = [invite(method="OPTIONS", cseq="1 OPTIONS", body="",
                                   extra=["Require: foo, 100rel"])]
    s["unknown_method"] = [invite(method="FOO", cseq="1 FOO", body="")]
    s["bad_content_type"] = [sip("MESSAGE sip:bob@b SIP/2.0",
                                 [VIA, "Max-Forwards: 70", "From: <sip:a@a>;tag=1", "To: <sip:b@b>",
                                  "Call-ID: m1", "CSeq: 1 MESSAGE", "Content-Type: image/png",
                                  "Content-Encoding: gzip"], "xx")]
    s["folded_headers"] = [crlf("""
INVITE sip:bob@b SIP/2.0
Via: SIP/2.0/UDP 192.0.2.9
 ;branch=z9hG4bKf
Max-Forwards: 70
From: "Alice
 Smith" <sip:a@a>;tag=f1
To: <sip:b@b>
Call-ID: fold@x
CSeq: 7
 INVITE
Contact: <sip:a@192.0.2.9>
Record-Route: <sip:p1;lr>,
 <sip:p2;lr>
Content-Length: 0
"""), response(200)]
    s["cseq_max"] = [invite(cseq="4294967295 INVITE"), response(200, cseq="4294967295 INVITE"),
                     in_dialog("BYE", 4294967295)]
    s["compact_forms"] = [crlf("""
INVITE sip:bob@b SIP/2.0
v: SIP/2.0/UDP 192.0.2.9;branch=z9hG4bKc
Max-Forwards: 70
f: <sip:a@a>;tag=c1
t: <sip:b@b>
i: compact@x
CSeq: 1 INVITE
m: sip:a@192.0.2.9
l: 0
"""), response(180), in_dialog("UPDATE", 2, contact="<sip:new@192.0.2.9>")]
    out = {}
    for name, parts in s.items():
        flags = 1 if "tls" in name else 0x5a if "options" in name else 0
        out[name] = bytes([flags]) + b"\0".join(parts)
    out["uas_invite_bye_flags"] = bytes([0xff]) + out["uas_invite_bye"][1:]
    out["garbage"] = b"\x03INVITE\0SIP/2.0 200\0\0\0"
    return out


# ---- fuzz_ua_core programs ---------------------------------------------------
# Step opcodes (byte % 12) and their operands, in the harness' reading order.

def cfg(a=0, b=0):
    return [a, b]


def peer_request(node, method, call_id, from_tag, to_tag, b, cs, contact, rr, body, tcp=0):
    return [0, node, method, call_id, from_tag, to_tag, b, cs, contact, rr, body, tcp]


def peer_response(node, status_pick, b, to_tag, contact, rr, body):
    # status selector byte 1 (not %4 == 0), then the pick; then the stray
    # fields (from tag, call id, cseq, method), read whatever is used.
    return [3, node, 1, status_pick, b, to_tag, contact, rr, body, 0, 0, 0, 0]


def command(node, op, *operands):
    return [6, node, op] + list(operands)


def call(node, target, b):
    return command(node, 0, target, b)


def on_call(node, op, handle=0, b=0):
    return command(node, op, handle, b)


def wait(byte):
    return [10, byte]


def next_deadline():
    return [11]


def resolution(node, b):
    return [8, node, 1, b]


def transport_error(node, b):
    return [8, node, 0, b]


def lose(n):
    return [9, n]


def raw(node, data):
    return [5, node, len(data)] + list(data)


# Indices into the harness' tables.
M = {"INVITE": 0, "ACK": 1, "BYE": 2, "CANCEL": 3, "INFO": 5, "OPTIONS": 6, "MESSAGE": 7,
     "UPDATE": 8, "PRACK": 9, "FOO": 10}
ST = {100: 0, 180: 1, 183: 2, 200: 4, 302: 9, 305: 10, 486: 15, 487: 16, 491: 17, 503: 18,
      603: 19}
MADE_UP_P1 = 4   # observed_tag: "p1"
FROM_SEEN = 2    # observed_tag: the From tag of the first message seen
TO_SEEN = 9    # observed_tag: the To tag of the third message seen (our 180)
SEEN_CALL = 1    # observed_call_id: the Call-ID of the first message seen
HOSTILE = 0      # observed_call_id: "hostile-0"
RING, PROGRESS, ANSWER, REJECT, REDIRECT, HANGUP, HOLD, UNHOLD, REINVITE, INFO = range(1, 11)
MESSAGE_OP, OPTIONS_OP, SHUTDOWN = 11, 12, 13
ALICE, BOB = 0, 1
SDP_OFFER, SDP_HOLD, SDP_BAD = 1, 2, 5


def ua_core_seeds():
    s = {}
    s["alice_calls_bob"] = cfg() + call(ALICE, 0, 1) + on_call(BOB, RING) + \
        on_call(BOB, ANSWER, 0, 1) + wait(50) + on_call(ALICE, HOLD) + wait(50) + \
        on_call(ALICE, UNHOLD) + on_call(BOB, INFO, 0, 12) + on_call(BOB, HANGUP) + \
        next_deadline() * 3
    s["alice_calls_bob_no_offer"] = cfg(1, 1) + call(ALICE, 0, 0) + \
        on_call(BOB, ANSWER, 0, 1) + on_call(ALICE, REINVITE, 0, 1) + on_call(ALICE, HANGUP)
    s["bob_rejects"] = cfg() + call(ALICE, 0, 1) + on_call(BOB, REJECT, 0, 0) + \
        next_deadline() * 4
    s["bob_redirects"] = cfg() + call(ALICE, 0, 1) + on_call(BOB, REDIRECT, 0, 4 | 8) + \
        next_deadline() * 2
    s["alice_cancels"] = cfg() + call(ALICE, 0, 1) + on_call(BOB, RING) + \
        on_call(ALICE, HANGUP) + next_deadline() * 4
    s["glare"] = cfg() + call(ALICE, 0, 1) + on_call(BOB, ANSWER, 0, 1) + \
        on_call(ALICE, HOLD) + on_call(BOB, HOLD) + next_deadline() * 6
    s["lost_ack"] = cfg() + call(ALICE, 0, 1) + lose(2) + on_call(BOB, ANSWER, 0, 1) + \
        next_deadline() * 8 + on_call(ALICE, HANGUP)
    s["lost_bye"] = cfg() + call(ALICE, 0, 1) + on_call(BOB, ANSWER, 0, 1) + lose(1) + \
        on_call(ALICE, HANGUP) + next_deadline() * 12
    # alice calls the peer; the peer answers from what it saw.
    to_peer = cfg() + call(ALICE, 1, 1)
    s["peer_answers"] = to_peer + \
        peer_response(ALICE, ST[180], 0, MADE_UP_P1, 0, 0, 0) + \
        peer_response(ALICE, ST[200], 0, MADE_UP_P1, 0, 1, SDP_OFFER) + \
        peer_request(ALICE, M["BYE"], SEEN_CALL, MADE_UP_P1, FROM_SEEN, 0, 1, 0, 0, 0)
    s["peer_forks"] = to_peer + \
        peer_response(ALICE, ST[180], 0, MADE_UP_P1, 0, 0, SDP_OFFER) + \
        peer_response(ALICE, ST[183], 0, 8, 1, 0, SDP_OFFER) + \
        peer_response(ALICE, ST[200], 0, 12, 0, 0, SDP_OFFER) + \
        peer_response(ALICE, ST[200], 0, MADE_UP_P1, 0, 2, SDP_OFFER) + next_deadline() * 3
    s["peer_busy"] = to_peer + peer_response(ALICE, ST[486], 0, MADE_UP_P1, 2, 0, 0) + \
        next_deadline() * 3
    s["peer_redirects"] = to_peer + \
        peer_response(ALICE, ST[302], 0, MADE_UP_P1, 7, 0, 0) + \
        peer_response(ALICE, ST[302], 0, MADE_UP_P1, 5, 0, 0) + next_deadline() * 3
    # A Contact with a method parameter and headers (allowed there, not in a
    # Request-URI: §19.1.1 Table 1).
    s["peer_redirect_contact_with_headers"] = to_peer + \
        peer_response(ALICE, ST[302], 0, MADE_UP_P1, 8, 0, 0) + next_deadline() * 2
    s["peer_contact_with_headers_then_bye"] = to_peer + \
        peer_response(ALICE, ST[200], 0, MADE_UP_P1, 8, 0, SDP_OFFER) + on_call(ALICE, HANGUP)
    s["peer_bad_sdp_answer"] = to_peer + \
        peer_response(ALICE, ST[200], 0, MADE_UP_P1, 0, 0, SDP_BAD) + next_deadline() * 2
    s["reinvite_times_out_after_bye"] = to_peer + \
        peer_response(ALICE, ST[200], 0, MADE_UP_P1, 0, 0, SDP_OFFER) + \
        on_call(ALICE, HOLD) + on_call(ALICE, HANGUP) + next_deadline() * 12
    # seen: our INVITE, the peer's 200, our ACK, our re-INVITE (index 3).
    s["peer_491_reinvite"] = to_peer + \
        peer_response(ALICE, ST[200], 0, MADE_UP_P1, 0, 0, SDP_OFFER) + \
        on_call(ALICE, HOLD) + peer_response(ALICE, ST[491], 3, MADE_UP_P1, 0, 0, 0) + \
        next_deadline() * 4
    s["cancel_race_200"] = to_peer + \
        peer_response(ALICE, ST[180], 0, MADE_UP_P1, 0, 0, 0) + on_call(ALICE, HANGUP) + \
        peer_response(ALICE, ST[200], 0, MADE_UP_P1, 0, 0, SDP_OFFER) + \
        peer_response(ALICE, ST[487], 0, MADE_UP_P1, 0, 0, 0) + next_deadline() * 3
    s["call_by_name"] = cfg() + call(ALICE, 2, 1) + resolution(ALICE, 1) + \
        peer_response(ALICE, ST[200], 0, MADE_UP_P1, 4, 0, SDP_OFFER) + \
        resolution(ALICE, 0) + next_deadline() * 3
    s["call_by_name_fails"] = cfg() + call(ALICE, 2, 1) + resolution(ALICE, 0)
    s["bad_target"] = cfg() + call(ALICE, 4, 1) + call(ALICE, 3, 1) + call(ALICE, 6, 1)
    # The peer calls alice.
    peer_calls = cfg() + peer_request(ALICE, M["INVITE"], HOSTILE, MADE_UP_P1, 0, 0, 1, 0, 0,
                                      SDP_OFFER)
    s["peer_calls"] = peer_calls + on_call(ALICE, RING) + on_call(ALICE, ANSWER, 0, 1) + \
        peer_request(ALICE, M["ACK"], HOSTILE, MADE_UP_P1, TO_SEEN, 2, 0, 0, 0, 0) + \
        peer_request(ALICE, M["INVITE"], HOSTILE, MADE_UP_P1, TO_SEEN, 4, 1, 0, 0, SDP_HOLD) + \
        peer_request(ALICE, M["ACK"], HOSTILE, MADE_UP_P1, TO_SEEN, 4, 0, 0, 0, 0) + \
        peer_request(ALICE, M["INFO"], HOSTILE, MADE_UP_P1, TO_SEEN, 6, 1, 0, 0, 0) + \
        peer_request(ALICE, M["BYE"], HOSTILE, MADE_UP_P1, TO_SEEN, 8, 1, 0, 0, 0)
    s["peer_calls_no_ack"] = peer_calls + on_call(ALICE, ANSWER, 0, 1) + \
        on_call(ALICE, HANGUP) + next_deadline() * 12
    s["peer_cancels"] = peer_calls + on_call(ALICE, RING) + \
        peer_request(ALICE, M["CANCEL"], HOSTILE, MADE_UP_P1, 0, 0, 0, 2, 0, 0) + \
        next_deadline() * 3
    s["peer_calls_alice_redirects"] = peer_calls + on_call(ALICE, REDIRECT, 0, 4 | 16) + \
        next_deadline() * 3
    s["peer_calls_alice_progress"] = peer_calls + on_call(ALICE, PROGRESS, 0, 1) + \
        on_call(ALICE, REJECT, 0, 4) + next_deadline() * 3
    s["peer_bye_out_of_order"] = peer_calls + on_call(ALICE, ANSWER, 0, 1) + \
        peer_request(ALICE, M["BYE"], HOSTILE, MADE_UP_P1, TO_SEEN, 0, 2, 0, 0, 0)
    s["peer_bad_offer"] = cfg() + peer_request(ALICE, M["INVITE"], HOSTILE, MADE_UP_P1, 0, 0, 1,
                                               0, 0, SDP_BAD) + on_call(ALICE, ANSWER, 0, 1)
    s["peer_requests"] = cfg() + \
        peer_request(ALICE, M["OPTIONS"], HOSTILE, MADE_UP_P1, 0, 0, 1, 0, 0, 0) + \
        peer_request(ALICE, M["MESSAGE"], HOSTILE, MADE_UP_P1, 0, 0, 1, 0, 0, 1) + \
        peer_request(ALICE, M["FOO"], HOSTILE, MADE_UP_P1, 0, 0, 1, 0, 0, 0) + \
        peer_request(ALICE, M["BYE"], HOSTILE, MADE_UP_P1, 4, 0, 1, 0, 0, 0) + \
        peer_request(ALICE, M["INVITE"], HOSTILE, MADE_UP_P1, 0, 0x20, 1, 0, 0, 1) + \
        peer_request(ALICE, M["INVITE"], HOSTILE, MADE_UP_P1, 0, 0x40, 1, 0, 0, 1)
    s["messages_out"] = cfg() + command(ALICE, MESSAGE_OP, 1) + command(ALICE, OPTIONS_OP, 0) + \
        command(ALICE, MESSAGE_OP, 2) + resolution(ALICE, 3) + \
        peer_response(ALICE, ST[200], 0, MADE_UP_P1, 0, 0, 0) + next_deadline() * 6
    s["transport_errors"] = cfg() + call(ALICE, 1, 1) + transport_error(ALICE, 6) + \
        call(ALICE, 0, 1) + transport_error(ALICE, 10) + transport_error(BOB, 0)
    s["shutdown"] = cfg() + call(ALICE, 0, 1) + on_call(BOB, ANSWER, 0, 1) + \
        peer_request(ALICE, M["INVITE"], HOSTILE, MADE_UP_P1, 0, 0, 1, 0, 0, 1) + \
        command(ALICE, SHUTDOWN, 0x5a) + call(ALICE, 0, 1) + next_deadline() * 6
    s["stale_handles"] = cfg() + call(ALICE, 0, 1) + on_call(BOB, REJECT) + \
        next_deadline() * 8 + wait(0xff) + on_call(ALICE, HANGUP) + on_call(ALICE, HOLD) + \
        on_call(BOB, ANSWER, 0xf3, 0) + on_call(BOB, INFO, 0xf1, 0)
    s["too_many_calls"] = cfg(4, 4) + call(ALICE, 0, 1) * 3 + on_call(BOB, ANSWER, 0, 1)
    s["raw_bytes"] = cfg() + raw(ALICE, b"INVITE sip:a@b SIP/2.0\r\n\r\n") + \
        raw(BOB, b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP x\r\n\r\n") + raw(ALICE, b"\x00\xff")
    s["outbound_proxy"] = cfg(2, 0) + call(ALICE, 0, 1) + \
        peer_response(ALICE, ST[200], 0, MADE_UP_P1, 0, 1, SDP_OFFER) + on_call(ALICE, HANGUP)
    return {name: bytes(prog) for name, prog in s.items()}


def register(contacts=None, cseq=1, call_id="reg-1@bobspc", to="sip:bob@biloxi.example.com",
             ruri="sip:biloxi.example.com", extra=None, method="REGISTER"):
    """A REGISTER from Bob's UA; `contacts` are whole Contact values."""
    h = ["Via: SIP/2.0/UDP bobspc.biloxi.example.com:5060;branch=z9hG4bKnashds%d" % cseq,
         "Max-Forwards: 70", "To: <%s>" % to, "From: <%s>;tag=456248" % to,
         "Call-ID: " + call_id, "CSeq: %d %s" % (cseq, method)]
    h += extra or []
    h += ["Contact: " + c for c in (contacts or [])]
    return sip("%s %s SIP/2.0" % (method, ruri), h)


def rec(message, advance=0, origin=0):
    """One record of fuzz_registrar: advance byte (x32 s, bit 7 purges), origin byte."""
    return bytes([advance, origin]) + message + b"\0"


def registrar_seeds():
    A = "<sip:bob@192.0.2.4>"
    B = "<sip:bob@192.0.2.5;transport=tcp>"
    s = {}
    # config bytes: bits 0-1 max AORs - 1, 2-3 max bindings - 1, 4 domains,
    # 5 path, 6 min_expires 60, 7 max_expires 7200
    full = 0x10 | 0x40 | 0x80 | 0x0f
    s["register_refresh_remove"] = bytes([full]) + rec(register([A])) + \
        rec(register([A + ";expires=600"], cseq=2), advance=3) + \
        rec(register([A + ";expires=0"], cseq=3), advance=1)
    s["several_q"] = bytes([full]) + rec(register([A + ";q=0.1", B + ";q=0.9",
                                                   "<sip:bob@192.0.2.6>"])) + \
        rec(register(cseq=2), advance=5)
    s["star"] = bytes([full]) + rec(register([A, B])) + \
        rec(register(["*"], cseq=2, extra=["Expires: 0"]), advance=2) + \
        rec(register(["*"], cseq=3)) + rec(register(["*", A], cseq=4, extra=["Expires: 0"]))
    s["out_of_order"] = bytes([full]) + rec(register([A], cseq=5)) + \
        rec(register([A], cseq=5)) + rec(register([A, B], cseq=4)) + \
        rec(register([A], cseq=1, call_id="other@x"))
    s["interval_too_brief"] = bytes([full]) + rec(register([A], extra=["Expires: 20"])) + \
        rec(register([A], cseq=2, extra=["Expires: 60"])) + \
        rec(register([A + ";expires=100000"], cseq=3))
    s["expiry"] = bytes([full]) + rec(register([A + ";expires=64"])) + \
        rec(register(cseq=2), advance=1) + rec(register(cseq=3), advance=0x81) + \
        rec(register([A], cseq=1), advance=0x7f)
    s["bounds"] = bytes([0x10]) + rec(register([A, B])) + \
        rec(register([A], to="sip:carol@biloxi.example.com")) + \
        rec(register([B], call_id="ua2@x"))
    s["foreign_and_aor"] = bytes([full]) + rec(register([A], ruri="sip:atlanta.example.com")) + \
        rec(register([A], to="sip:bob@atlanta.example.com")) + \
        rec(register([A], to="sip:B%6Fb@BILOXI.example.com;user=phone")) + \
        rec(register([A], to="tel:+12015550123"))
    s["require_path"] = bytes([full | 0x20]) + \
        rec(register([A], extra=["Require: path", "Path: <sip:p1.example.com;lr>"])) + \
        rec(register([A], cseq=2, extra=["Require: gruu"]))
    s["not_register"] = bytes([0]) + rec(register([A], method="OPTIONS")) + \
        rec(b"SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nTo: <sip:b@h>\r\n"
            b"From: <sip:b@h>;tag=1\r\nCall-ID: x\r\nCSeq: 1 REGISTER\r\n"
            b"Content-Length: 0\r\n\r\n") + rec(b"REGISTER sip:h SIP/2.0\r\n\r\n")
    s["malformed"] = bytes([full]) + rec(register(["<sip:bob@192.0.2.4>;expires=x"])) + \
        rec(register([A], extra=["Expires: soon"])) + rec(register(["<not a uri>"]))
    s["any_domain_origins"] = bytes([0x0f]) + \
        rec(register([A], to="sip:alice@atlanta.example.com", ruri="sip:atlanta.example.com"),
            origin=1) + rec(register([B], cseq=2), origin=6)
    return s


def write(folder, seeds):
    path = os.path.join(ROOT, "corpus", folder)
    shutil.rmtree(path, ignore_errors=True)
    os.makedirs(path)
    for name, data in sorted(seeds.items()):
        with open(os.path.join(path, name), "wb") as f:
            f.write(data)
    print("%s: %d seeds" % (path, len(seeds)))


if __name__ == "__main__":
    write("dialog", dialog_seeds())
    write("ua_core", ua_core_seeds())
    write("registrar", registrar_seeds())
