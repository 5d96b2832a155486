// Timer values in virtual time (RFC 3261 §17 and Table 4, RFC 6026 §8.4,
// §8.7, §8.11): every retransmission and every end observed at the exact
// instant it happens, with the RFC defaults and again with T1, T2 and T4
// changed (nothing may be a constant), then over TCP (no retransmission,
// D/I/J/K zero), with each timer overridden, and for a UDP request too
// large for UDP (§18.1.1).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness.hpp"

namespace sipua {
namespace {

using namespace test;

/// "<t>ms <what>" for each time of `times`.
lines at_each(const std::vector<ms>& times, std::string_view what) {
  lines out;
  for (ms t : times) out.push_back(at(t, what));
  return out;
}

request_spec over_tcp(request_spec r) {
  r.transport = "TCP";
  return r;
}

/// Timer B, F or H: the timeout, then the end.
lines timed_out_at(ms t) { return {at(t, "timeout"), at(t, "terminated")}; }

lines operator+(lines a, const lines& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// ---- the RFC numbers, written out -----------------------------------------------

TEST(TimerDefaults, InviteRetransmitsAt05_1_2_4_8_16SecondIntervalsAndTimesOutAt32) {
  // §17.1.1.2: Timer A starts at T1 and doubles, not capped; Timer B 64*T1.
  harness h;
  start_client(h, outgoing("INVITE"));
  EXPECT_EQ(describe(h.run_out()),
            (lines{"500ms send_request INVITE retx", "1500ms send_request INVITE retx",
                   "3500ms send_request INVITE retx", "7500ms send_request INVITE retx",
                   "15500ms send_request INVITE retx", "31500ms send_request INVITE retx",
                   "32000ms timeout", "32000ms terminated"}));
}

TEST(TimerDefaults, NonInviteRetransmitsDoublingUpToT2ThenEvery4Seconds) {
  // §17.1.2.2: Timer E doubles up to T2 = 4 s; Timer F 64*T1.
  harness h;
  start_client(h, outgoing("OPTIONS"));
  EXPECT_EQ(describe(h.run_out()),
            (lines{"500ms send_request OPTIONS retx", "1500ms send_request OPTIONS retx",
                   "3500ms send_request OPTIONS retx", "7500ms send_request OPTIONS retx",
                   "11500ms send_request OPTIONS retx", "15500ms send_request OPTIONS retx",
                   "19500ms send_request OPTIONS retx", "23500ms send_request OPTIONS retx",
                   "27500ms send_request OPTIONS retx", "31500ms send_request OPTIONS retx",
                   "32000ms timeout", "32000ms terminated"}));
}

TEST(TimerDefaults, InviteFinalResponseRetransmitsPerTimerGCappedAtT2AndTimerHAt32) {
  // §17.2.1.
  harness h;
  auto s = start_server(h, incoming("INVITE"));
  h.respond(s.txn, response_to(s.request, 486, "u"));
  h.drain();
  EXPECT_EQ(describe(h.run_out()),
            (lines{"500ms send_response 486 retx", "1500ms send_response 486 retx",
                   "3500ms send_response 486 retx", "7500ms send_response 486 retx",
                   "11500ms send_response 486 retx", "15500ms send_response 486 retx",
                   "19500ms send_response 486 retx", "23500ms send_response 486 retx",
                   "27500ms send_response 486 retx", "31500ms send_response 486 retx",
                   "32000ms timeout", "32000ms terminated"}));
}

TEST(TimerDefaults, TimerDIsAtLeast32SecondsAnd64T1Beyond) {
  // Table 4 / RFC 6026 §8.4: "at least 32 seconds" whatever T1 is; with
  // T1 = 1 s, 64*T1 is longer (timers.hpp: never shorter than Timer H).
  for (auto [t1, expected] :
       {std::pair{100ms, 32000ms}, std::pair{500ms, 32000ms}, std::pair{1000ms, 64000ms}}) {
    transaction_config cfg;
    cfg.timers.t1 = t1;
    cfg.timers.t2 = 8 * t1;
    harness h{cfg};
    auto c = start_client(h, outgoing("INVITE"));
    h.receive(response_to(c.sent, 486, "t"));
    h.drain();
    EXPECT_EQ(describe(h.run_out()), lines{at(expected, "terminated")}) << t1.count();
  }
}

// ---- the one runtime timer ---------------------------------------------------------

TEST(RuntimeTimer, HandleTimeoutBeforeTheDeadlineDoesNothing) {
  harness h;
  start_client(h, outgoing("INVITE"));
  h.layer.handle_timeout(h.now);
  h.layer.handle_timeout(h.now + 499ms);
  EXPECT_FALSE(h.layer.has_action());
  EXPECT_EQ(*h.layer.next_deadline(), h.start + 500ms);
}

TEST(RuntimeTimer, NextDeadlineIsTheEarliestOfAllDurations) {
  transaction_config cfg;
  cfg.timers.a = 200ms;  // Timer E stays T1 = 500 ms
  harness h{cfg};
  start_client(h, outgoing("OPTIONS", "z9hG4bK-o"));  // E due at 500 ms
  h.run_until(100ms);
  start_client(h, outgoing("INVITE", "z9hG4bK-i"));  // A due at 300 ms
  ASSERT_TRUE(h.layer.next_deadline());
  EXPECT_EQ(*h.layer.next_deadline(), h.start + 300ms);
  EXPECT_EQ(describe(h.run_until(800ms)),
            (lines{"300ms send_request INVITE retx", "500ms send_request OPTIONS retx",
                   "700ms send_request INVITE retx"}));
}

TEST(RuntimeTimer, ManyTransactionsEachEndAtTheirOwnTime) {
  // 1,000 OPTIONS started 7 ms apart over TCP (no retransmission): each
  // times out exactly 64*T1 after its start, in order, and none is left.
  harness h;
  std::vector<transaction_id> ids;
  for (int i = 0; i < 1000; ++i) {
    h.run_until(ms{7 * i});
    auto spec = over_tcp(outgoing("OPTIONS", "z9hG4bK-many-" + std::to_string(i)));
    ids.push_back(h.send(request_text(spec), tp::tcp));
    h.drain();
  }
  EXPECT_EQ(h.layer.size(), 1000u);
  std::size_t n = 0;
  for (const auto& a : h.run_out()) {
    if (!std::holds_alternative<timeout_event>(a.action)) continue;
    ASSERT_LT(n, ids.size());
    EXPECT_EQ(txn_of(a.action), ids[n]) << n;
    EXPECT_EQ(a.at, ms{7 * static_cast<int>(n)} + 32000ms) << n;
    ++n;
  }
  EXPECT_EQ(n, 1000u);
  EXPECT_EQ(h.layer.size(), 0u);
  EXPECT_EQ(h.layer.next_deadline(), std::nullopt);
}

// ---- every timer, with the defaults and with T1/T2/T4 changed -----------------------

struct Timers : ::testing::TestWithParam<timer_case> {
  const timer_config t = GetParam().timers;
  harness h{config()};

  [[nodiscard]] transaction_config config() const {
    transaction_config c;
    c.timers = GetParam().timers;
    return c;
  }
  [[nodiscard]] ms t64() const { return 64 * t.t1; }
};

INSTANTIATE_TEST_SUITE_P(
    DefaultsAndChanged, Timers,
    ::testing::Values(timer_case{"rfc_defaults", timer_config{}},
                      timer_case{"t1_100ms_t2_800ms_t4_1500ms", fast_timers()}),
    [](const ::testing::TestParamInfo<timer_case>& i) { return std::string{i.param.name}; });

TEST_P(Timers, ClientInviteTimerAThenTimerB) {
  start_client(h, outgoing("INVITE"));
  ASSERT_TRUE(h.layer.next_deadline());
  EXPECT_EQ(*h.layer.next_deadline(), h.start + t.t1);
  EXPECT_EQ(describe(h.run_out()),
            at_each(doubling_schedule(t.t1, std::nullopt, t64()), "send_request INVITE retx") +
                timed_out_at(t64()));
}

TEST_P(Timers, ClientNonInviteTimerEThenTimerF) {
  start_client(h, outgoing("OPTIONS"));
  EXPECT_EQ(describe(h.run_out()),
            at_each(doubling_schedule(t.t1, t.t2, t64()), "send_request OPTIONS retx") +
                timed_out_at(t64()));
}

TEST_P(Timers, ClientNonInviteProceedingRetransmitsEveryT2) {
  // §17.1.2.2: the running Timer E fires (at T1), then is reset to T2.
  auto c = start_client(h, outgoing("OPTIONS"));
  h.receive(response_to(c.sent, 100));
  h.drain();
  std::vector<ms> expected;
  for (ms x = t.t1; x < t64(); x += t.t2) expected.push_back(x);
  EXPECT_EQ(describe(h.run_out()),
            at_each(expected, "send_request OPTIONS retx") + timed_out_at(t64()));
}

TEST_P(Timers, ClientNonInviteProceedingAfterARetransmission) {
  // 1xx between the first (T1) and second (3*T1) Timer E: the second
  // fires as scheduled, then every T2.
  auto c = start_client(h, outgoing("OPTIONS"));
  const ms when = t.t1 + t.t1 / 5;
  auto got = h.run_until(when);
  h.receive(response_to(c.sent, 100));
  h.drain();
  for (auto& a : h.run_out()) got.push_back(std::move(a));
  std::vector<ms> expected{t.t1};
  for (ms x = 3 * t.t1; x < t64(); x += t.t2) expected.push_back(x);
  EXPECT_EQ(describe(got), at_each(expected, "send_request OPTIONS retx") + timed_out_at(t64()));
}

TEST_P(Timers, ServerInviteTimerGThenTimerH) {
  auto s = start_server(h, incoming("INVITE"));
  h.respond(s.txn, response_to(s.request, 486, "u"));
  h.drain();
  EXPECT_EQ(describe(h.run_out()),
            at_each(doubling_schedule(t.t1, t.t2, t64()), "send_response 486 retx") +
                timed_out_at(t64()));
}

TEST_P(Timers, ServerInviteTimerIIsT4AfterTheAck) {
  const auto spec = incoming("INVITE");
  auto s = start_server(h, spec);
  h.respond(s.txn, response_to(s.request, 486, "u"));
  h.drain();
  auto got = h.run_until(4 * t.t1);  // G at T1 and 3*T1
  h.receive(request_text(ack_for(spec, "u")));
  EXPECT_EQ(describe(h.drain()), lines{});
  for (auto& a : h.run_out()) got.push_back(std::move(a));
  EXPECT_EQ(describe(got),
            (lines{at(t.t1, "send_response 486 retx"), at(3 * t.t1, "send_response 486 retx"),
                   at(4 * t.t1 + t.t4, "terminated")}));
}

TEST_P(Timers, ServerNonInviteTimerJ) {
  auto s = start_server(h, incoming("OPTIONS"));
  h.respond(s.txn, response_to(s.request, 200, "u"));
  h.drain();
  EXPECT_EQ(describe(h.run_out()), lines{at(t64(), "terminated")});
}

TEST_P(Timers, ClientNonInviteTimerK) {
  auto c = start_client(h, outgoing("OPTIONS"));
  h.receive(response_to(c.sent, 200));
  h.drain();
  EXPECT_EQ(describe(h.run_out()), lines{at(t.t4, "terminated")});
}

TEST_P(Timers, ClientInviteTimerD) {
  auto c = start_client(h, outgoing("INVITE"));
  h.receive(response_to(c.sent, 486));
  h.drain();
  EXPECT_EQ(describe(h.run_out()), lines{at(std::max(ms{32000}, t64()), "terminated")});
}

TEST_P(Timers, ServerInviteTimerL) {
  auto s = start_server(h, incoming("INVITE"));
  h.respond(s.txn, response_to(s.request, 200, "u"));
  h.drain();
  EXPECT_EQ(describe(h.run_out()), lines{at(t64(), "terminated")});
}

TEST_P(Timers, ClientInviteTimerM) {
  auto c = start_client(h, outgoing("INVITE"));
  h.receive(response_to(c.sent, 200));
  h.drain();
  EXPECT_EQ(describe(h.run_out()), lines{at(t64(), "terminated")});
}

// ---- over TCP: no retransmissions, D/I/J/K zero, B/F/H/L/M unchanged ------------------

TEST_P(Timers, TcpClientInviteOnlyTimerB) {
  start_client(h, over_tcp(outgoing("INVITE")), tp::tcp);
  EXPECT_EQ(describe(h.run_out()), (timed_out_at(t64())));
}

TEST_P(Timers, TcpClientNonInviteOnlyTimerF) {
  start_client(h, over_tcp(outgoing("OPTIONS")), tp::tcp);
  EXPECT_EQ(describe(h.run_out()), (timed_out_at(t64())));
}

TEST_P(Timers, TcpServerInviteNoTimerGButTimerH) {
  auto s = start_server(h, over_tcp(incoming("INVITE")), tp::tcp);
  h.respond(s.txn, response_to(s.request, 486, "u"));
  h.drain();
  EXPECT_EQ(describe(h.run_out()), (timed_out_at(t64())));
}

TEST_P(Timers, TcpTimerIIsZero) {
  const auto spec = over_tcp(incoming("INVITE"));
  auto s = start_server(h, spec, tp::tcp);
  h.respond(s.txn, response_to(s.request, 486, "u"));
  h.drain();
  h.run_until(t.t1);
  h.receive(request_text(ack_for(spec, "u")), tp::tcp);
  EXPECT_EQ(describe(h.drain()), lines{"terminated"});
  EXPECT_EQ(h.layer.next_deadline(), std::nullopt);
}

TEST_P(Timers, TcpTimerJIsZero) {
  auto s = start_server(h, over_tcp(incoming("OPTIONS")), tp::tcp);
  EXPECT_EQ(h.respond(s.txn, response_to(s.request, 200, "u")), std::error_code{});
  EXPECT_EQ(describe(h.drain()), (lines{"send_response 200", "terminated"}));
}

TEST_P(Timers, TcpTimerKIsZero) {
  auto c = start_client(h, over_tcp(outgoing("OPTIONS")), tp::tcp);
  h.receive(response_to(c.sent, 200), tp::tcp);
  EXPECT_EQ(describe(h.drain()), (lines{"response 200", "terminated"}));
}

TEST_P(Timers, TcpTimerDIsZero) {
  auto c = start_client(h, over_tcp(outgoing("INVITE")), tp::tcp);
  h.receive(response_to(c.sent, 486), tp::tcp);
  const auto d = describe(h.drain());
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d.back(), "terminated");
}

TEST_P(Timers, TcpTimersLAndMAre64T1) {
  auto s = start_server(h, over_tcp(incoming("INVITE")), tp::tcp);
  h.respond(s.txn, response_to(s.request, 200, "u"));
  auto c = start_client(h, over_tcp(outgoing("INVITE")), tp::tcp);
  h.receive(response_to(c.sent, 200), tp::tcp);
  h.drain();
  EXPECT_EQ(describe(h.run_out()), (lines{at(t64(), "terminated"), at(t64(), "terminated")}));
}

// ---- every timer overridden -------------------------------------------------------------

timer_config overridden() {
  timer_config t;  // T1 500 ms, T2 4 s, T4 5 s
  t.a = 200ms;
  t.b = 10s;
  t.d = 4s;
  t.e = 300ms;
  t.f = 12s;
  t.g = 400ms;
  t.h = 14s;
  t.i = 1s;
  t.j = 2s;
  t.k = 3s;
  t.l = 5s;
  t.m = 6s;
  return t;
}

struct TimerOverrides : ::testing::Test {
  harness h{[] {
    transaction_config c;
    c.timers = overridden();
    return c;
  }()};
};

TEST_F(TimerOverrides, AAndB) {
  start_client(h, outgoing("INVITE"));
  EXPECT_EQ(describe(h.run_out()),
            at_each(doubling_schedule(200ms, std::nullopt, 10s), "send_request INVITE retx") +
                timed_out_at(10s));
}

TEST_F(TimerOverrides, EAndF) {
  start_client(h, outgoing("OPTIONS"));
  EXPECT_EQ(describe(h.run_out()),
            at_each(doubling_schedule(300ms, 4000ms, 12s), "send_request OPTIONS retx") +
                timed_out_at(12s));
}

TEST_F(TimerOverrides, GAndH) {
  auto s = start_server(h, incoming("INVITE"));
  h.respond(s.txn, response_to(s.request, 486, "u"));
  h.drain();
  EXPECT_EQ(
      describe(h.run_out()),
      at_each(doubling_schedule(400ms, 4000ms, 14s), "send_response 486 retx") + timed_out_at(14s));
}

TEST_F(TimerOverrides, TimerCFromTheLast1xxOverUdpAndTcp) {
  for (tp protocol : {tp::udp, tp::tcp}) {
    transaction_config cfg;
    cfg.timers.c = 20s;
    harness hh{cfg};
    auto spec = outgoing("INVITE");
    if (protocol == tp::tcp) spec = over_tcp(spec);
    auto c = start_client(hh, spec, protocol);
    hh.run_until(1000ms);
    hh.receive(response_to(c.sent, 180), protocol);
    hh.drain();
    hh.run_until(6000ms);
    hh.receive(response_to(c.sent, 180), protocol);
    hh.drain();
    EXPECT_EQ(without(describe(hh.run_out()), "send_request"), timed_out_at(26s));
  }
}

TEST_F(TimerOverrides, DIJKLM) {
  const auto inv = incoming("INVITE", "z9hG4bK-i");
  auto si = start_server(h, inv);  // I
  h.respond(si.txn, response_to(si.request, 486, "u"));
  h.receive(request_text(ack_for(inv, "u")));
  auto opt = incoming("OPTIONS", "z9hG4bK-j");
  opt.call_id = "call-j";
  auto sj = start_server(h, opt);  // J
  h.respond(sj.txn, response_to(sj.request, 200, "u"));
  auto ck = start_client(h, outgoing("OPTIONS", "z9hG4bK-k"));  // K
  h.receive(response_to(ck.sent, 200));
  auto cd = start_client(h, outgoing("INVITE", "z9hG4bK-d"));  // D
  h.receive(response_to(cd.sent, 486));
  auto inv2 = incoming("INVITE", "z9hG4bK-l");
  inv2.call_id = "call-l";
  auto sl = start_server(h, inv2);  // L
  h.respond(sl.txn, response_to(sl.request, 200, "u"));
  auto cm = start_client(h, outgoing("INVITE", "z9hG4bK-m"));  // M
  h.receive(response_to(cm.sent, 200));
  h.drain();
  const auto got = h.run_out();
  lines only_ends;
  for (const auto& a : got) {
    if (!std::holds_alternative<terminated_event>(a.action)) continue;
    const transaction_id id = txn_of(a.action);
    const char* which = id == si.txn   ? "I"
                        : id == sj.txn ? "J"
                        : id == ck.txn ? "K"
                        : id == cd.txn ? "D"
                        : id == sl.txn ? "L"
                        : id == cm.txn ? "M"
                                       : "?";
    only_ends.push_back(stamp(a.at) + " " + which);
  }
  EXPECT_EQ(only_ends,
            (lines{"1000ms I", "2000ms J", "3000ms K", "4000ms D", "5000ms L", "6000ms M"}));
}

TEST_F(TimerOverrides, ReliableTransportsStillZeroDIJK) {
  auto c = start_client(h, over_tcp(outgoing("OPTIONS")), tp::tcp);
  h.receive(response_to(c.sent, 200), tp::tcp);
  EXPECT_EQ(describe(h.drain()), (lines{"response 200", "terminated"}));
  auto d = start_client(h, over_tcp(outgoing("INVITE", "z9hG4bK-d")), tp::tcp);
  h.receive(response_to(d.sent, 486), tp::tcp);
  EXPECT_EQ(describe(h.drain()).back(), "terminated");
}

// ---- a UDP request over 1300 bytes goes over TCP (§18.1.1) ------------------------------

/// An `method` request of exactly `size` bytes, padded with an X-Pad field.
std::string request_of_size(const std::string& method, std::size_t size) {
  auto spec = outgoing(method, "z9hG4bK-big");
  spec.headers = {"X-Pad: x"};
  const std::size_t base = request_text(spec).size();
  EXPECT_LE(base, size);
  spec.headers = {"X-Pad: " + std::string(size - base + 1, 'x')};
  std::string text = request_text(spec);
  EXPECT_EQ(text.size(), size);
  return text;
}

TEST(LargeRequests, A1301ByteUdpInviteGoesOverTcpAndIsNotRetransmitted) {
  harness h;
  const std::string text = request_of_size("INVITE", 1301);
  const transaction_id id = h.send(text, tp::udp);
  const auto got = h.drain();
  ASSERT_EQ(describe(got), lines{"send_request INVITE"});
  const auto& s = std::get<send_request_action>(got[0]);
  EXPECT_EQ(s.protocol, tp::tcp);
  EXPECT_EQ(s.address, peer_address());
  const message m = parse_owned(s.bytes);
  auto v = m.top_via();
  ASSERT_TRUE(v);
  EXPECT_EQ(v->transport, "TCP");  // §18.1.1: the top Via MUST be changed
  EXPECT_EQ(v->branch, "z9hG4bK-big");
  EXPECT_EQ(v->host, "192.0.2.1");
  // Nothing else changes.
  std::string expected = text;
  expected.replace(expected.find("SIP/2.0/UDP"), 11, "SIP/2.0/TCP");
  EXPECT_EQ(*s.bytes, expected);
  // Reliable now: no Timer A, Timer B as ever; its ACK goes over TCP too,
  // and Timer D is zero.
  EXPECT_EQ(describe(h.run_until(32s)), (lines{"32000ms timeout", "32000ms terminated"}));
  EXPECT_EQ(h.state(id), std::nullopt);
}

TEST(LargeRequests, TheAckOfALargeInviteFollowsItOverTcp) {
  harness h;
  const transaction_id id = h.send(request_of_size("INVITE", 1400), tp::udp);
  const message sent = parse_owned(std::get<send_request_action>(h.drain().at(0)).bytes);
  h.receive(response_to(sent, 486), tp::tcp);
  const auto got = h.drain();
  const auto* ack = first_of<send_request_action>(got);
  ASSERT_NE(ack, nullptr);
  EXPECT_EQ(ack->protocol, tp::tcp);
  EXPECT_EQ(describe(got).back(), "terminated");  // D = 0 over TCP
  EXPECT_EQ(h.state(id), std::nullopt);
}

TEST(LargeRequests, A1301ByteNonInviteGoesOverTcpAndIsNotRetransmitted) {
  harness h;
  h.send(request_of_size("MESSAGE", 1301), tp::udp);
  const auto got = h.drain();
  ASSERT_EQ(describe(got), lines{"send_request MESSAGE"});
  EXPECT_EQ(std::get<send_request_action>(got[0]).protocol, tp::tcp);
  EXPECT_EQ(describe(h.run_out()), (lines{"32000ms timeout", "32000ms terminated"}));
}

TEST(LargeRequests, A1300ByteRequestStaysOnUdp) {
  harness h;
  const std::string text = request_of_size("OPTIONS", 1300);
  h.send(text, tp::udp);
  const auto got = h.drain();
  ASSERT_EQ(describe(got), lines{"send_request OPTIONS"});
  EXPECT_EQ(std::get<send_request_action>(got[0]).protocol, tp::udp);
  EXPECT_EQ(*std::get<send_request_action>(got[0]).bytes, text);
  EXPECT_EQ(only(describe(h.run_until(600ms)), "retx"), lines{"500ms send_request OPTIONS retx"});
}

}  // namespace
}  // namespace sipua
