// The INVITE client transaction (RFC 3261 §17.1.1 with RFC 6026 §7.2,
// §8.4): every (state, event) pair of its figure 5, the ACK it builds for a
// non-2xx final response (§17.1.1.3), and the CANCEL of §9.1
// (send_cancel).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness.hpp"

#include "sipua/message/header_id.hpp"

namespace sipua {
namespace {

using namespace test;

struct ClientInvite : ::testing::Test {
  harness h;
  request_spec spec = outgoing("INVITE", "z9hG4bK-inv-1");

  client_start start(tp protocol = tp::udp) {
    if (protocol != tp::udp) spec.transport = "TCP";
    return start_client(h, spec, protocol);
  }
  /// The peer answers the request we sent; the actions that follow.
  std::vector<txn_action> peer(const message& sent, int status, std::string_view tag = "callee-1",
                               tp protocol = tp::udp) {
    h.receive(response_to(sent, status, tag), protocol);
    return h.drain();
  }
};

// ---- calling ----------------------------------------------------------------

TEST_F(ClientInvite, SendRequestSendsTheRequestAsGivenAndEntersCalling) {
  const std::string text = request_text(spec);
  auto r =
      h.layer.send_request(h.now, text, send_target{peer_address(), "bob.example.com"}, tp::udp);
  ASSERT_TRUE(r);
  const auto actions = h.drain();
  ASSERT_EQ(describe(actions), lines{"send_request INVITE"});
  const auto& s = std::get<send_request_action>(actions[0]);
  EXPECT_EQ(s.txn, *r);
  EXPECT_EQ(s.protocol, tp::udp);
  EXPECT_EQ(s.address, peer_address());
  EXPECT_EQ(s.server_name, "bob.example.com");
  ASSERT_TRUE(s.bytes);
  EXPECT_EQ(*s.bytes, text);
  EXPECT_FALSE(s.retransmission);
  EXPECT_EQ(h.layer.kind(*r), transaction_kind::client_invite);
  EXPECT_EQ(h.state(*r), transaction_state::calling);
  EXPECT_EQ(h.layer.size(), 1u);
  // §17.1.1.2: Timer A = T1 over an unreliable transport.
  ASSERT_TRUE(h.layer.next_deadline());
  EXPECT_EQ(*h.layer.next_deadline(), h.start + 500ms);
}

TEST_F(ClientInvite, CallingTimerARetransmitsTheSameBytes) {
  auto c = start();
  const auto first = std::get<send_request_action>(c.actions.at(0)).bytes;
  std::vector<timed_action> got;
  ASSERT_TRUE(h.advance_to_next_deadline(&got));
  ASSERT_EQ(describe(got), lines{"500ms send_request INVITE retx"});
  const auto& s = std::get<send_request_action>(got[0].action);
  EXPECT_EQ(s.txn, c.txn);
  EXPECT_EQ(*s.bytes, *first);
  EXPECT_EQ(s.address, peer_address());
  EXPECT_EQ(s.protocol, tp::udp);
  EXPECT_EQ(h.state(c.txn), transaction_state::calling);
}

TEST_F(ClientInvite, CallingTimerBTimesOutAndTerminates) {
  auto c = start();
  const auto got = h.run_until(32s);
  const auto d = describe(got);
  ASSERT_GE(d.size(), 2u);
  EXPECT_EQ(d[d.size() - 2], "32000ms timeout");
  EXPECT_EQ(d.back(), "32000ms terminated");
  EXPECT_EQ(txn_of(got[got.size() - 2].action), c.txn);
  EXPECT_EQ(txn_of(got.back().action), c.txn);
  EXPECT_EQ(h.state(c.txn), std::nullopt);
  EXPECT_EQ(h.layer.size(), 0u);
  EXPECT_EQ(h.layer.next_deadline(), std::nullopt);
}

TEST_F(ClientInvite, Calling1xxGoesToProceedingAndIsPassedUp) {
  auto c = start();
  const auto got = peer(c.sent, 180);
  ASSERT_EQ(describe(got), lines{"response 180"});
  const auto& e = std::get<response_event>(got[0]);
  EXPECT_EQ(e.txn, c.txn);
  EXPECT_EQ(e.response.message.status_code(), 180);
  EXPECT_EQ(e.response.origin.peer, peer_address());
  EXPECT_EQ(h.state(c.txn), transaction_state::proceeding);
}

TEST_F(ClientInvite, Calling100TryingIsPassedUpToo) {
  auto c = start();
  EXPECT_EQ(describe(peer(c.sent, 100)), lines{"response 100"});
  EXPECT_EQ(h.state(c.txn), transaction_state::proceeding);
}

TEST_F(ClientInvite, ProceedingStopsRetransmittingAndTimerB) {
  // §17.1.1.2: no retransmission in Proceeding; Timer B only acts in
  // Calling (figure 5). sipua's Timer C (timers.hpp, 181 s after the last
  // provisional) is then the only bound.
  auto c = start();
  peer(c.sent, 180);
  EXPECT_EQ(describe(h.run_until(180999ms)), lines{});
  EXPECT_EQ(h.state(c.txn), transaction_state::proceeding);
  EXPECT_EQ(describe(h.run_out()), (lines{"181000ms timeout", "181000ms terminated"}));
}

TEST_F(ClientInvite, ProceedingEach1xxRestartsTimerC) {
  auto c = start();
  peer(c.sent, 180);
  h.run_until(100s);
  EXPECT_EQ(describe(peer(c.sent, 183)), lines{"response 183"});
  EXPECT_EQ(describe(h.run_out()), (lines{"281000ms timeout", "281000ms terminated"}));
}

TEST_F(ClientInvite, Calling2xxGoesToAcceptedWithoutAck) {
  auto c = start();
  const auto got = peer(c.sent, 200);
  // RFC 6026 §8.4: the 2xx goes up; the TU, not the transaction, acks it.
  ASSERT_EQ(describe(got), lines{"response 200"});
  EXPECT_EQ(txn_of(got[0]), c.txn);
  EXPECT_EQ(h.state(c.txn), transaction_state::accepted);
}

TEST_F(ClientInvite, Calling486GoesToCompletedPassesUpAndAcks) {
  auto c = start();
  const auto got = peer(c.sent, 486);
  // RFC 6026 §8.4: response to the TU and an ACK (the RFC names no order).
  EXPECT_EQ(sorted(describe(got)), sorted({"response 486", "send_request ACK"}));
  for (const auto& a : got) EXPECT_EQ(txn_of(a), c.txn);
  const auto* ack = first_of<send_request_action>(got);
  ASSERT_NE(ack, nullptr);
  // §17.1.1.2: "to the same address, port, and transport".
  EXPECT_EQ(ack->address, peer_address());
  EXPECT_EQ(ack->protocol, tp::udp);
  EXPECT_FALSE(ack->retransmission);
  EXPECT_EQ(h.state(c.txn), transaction_state::completed);
}

TEST_F(ClientInvite, EveryFinalFrom300To699Completes) {
  for (int status : {300, 302, 404, 487, 500, 503, 600, 603, 699}) {
    harness hh;
    auto c = start_client(hh, spec);
    hh.receive(response_to(c.sent, status, "t"));
    EXPECT_EQ(sorted(describe(hh.drain())),
              sorted({"response " + std::to_string(status), "send_request ACK"}))
        << status;
    EXPECT_EQ(hh.state(c.txn), transaction_state::completed) << status;
  }
}

TEST_F(ClientInvite, CallingTransportErrorInformsTheTuAndTerminates) {
  auto c = start();
  h.transport_error();
  const auto got = h.drain();
  ASSERT_EQ(describe(got), (lines{"transport_failure", "terminated"}));
  const auto& f = std::get<transport_failure_event>(got[0]);
  EXPECT_EQ(f.txn, c.txn);
  EXPECT_EQ(f.error, std::make_error_code(std::errc::connection_refused));
  EXPECT_EQ(txn_of(got[1]), c.txn);
  EXPECT_EQ(h.layer.size(), 0u);
  EXPECT_EQ(describe(h.run_out()), lines{});  // no timer left behind
}

// ---- proceeding ---------------------------------------------------------------

TEST_F(ClientInvite, ProceedingPassesEvery1xxUp) {
  auto c = start();
  peer(c.sent, 100);
  EXPECT_EQ(describe(peer(c.sent, 180)), lines{"response 180"});
  EXPECT_EQ(describe(peer(c.sent, 180)), lines{"response 180"});  // retransmitted: still up
  EXPECT_EQ(describe(peer(c.sent, 183)), lines{"response 183"});
  EXPECT_EQ(h.state(c.txn), transaction_state::proceeding);
}

TEST_F(ClientInvite, Proceeding2xxGoesToAccepted) {
  auto c = start();
  peer(c.sent, 180);
  EXPECT_EQ(describe(peer(c.sent, 200)), lines{"response 200"});
  EXPECT_EQ(h.state(c.txn), transaction_state::accepted);
}

TEST_F(ClientInvite, Proceeding486GoesToCompletedAndAcks) {
  auto c = start();
  peer(c.sent, 180);
  EXPECT_EQ(sorted(describe(peer(c.sent, 486))), sorted({"response 486", "send_request ACK"}));
  EXPECT_EQ(h.state(c.txn), transaction_state::completed);
}

TEST_F(ClientInvite, ProceedingTransportErrorInformsTheTuAndTerminates) {
  // §17.1.4.
  auto c = start();
  peer(c.sent, 180);
  h.transport_error();
  EXPECT_EQ(describe(h.drain()), (lines{"transport_failure", "terminated"}));
  EXPECT_EQ(h.state(c.txn), std::nullopt);
}

// ---- completed ----------------------------------------------------------------

TEST_F(ClientInvite, CompletedRetransmitted486ResendsTheAckOnly) {
  auto c = start();
  const auto first = peer(c.sent, 486);
  const auto* ack1 = first_of<send_request_action>(first);
  ASSERT_NE(ack1, nullptr);
  // RFC 6026 §8.4: the ACK goes out again; the response is not passed up.
  const auto again = peer(c.sent, 486);
  ASSERT_EQ(describe(again), lines{"send_request ACK retx"});
  const auto& ack2 = std::get<send_request_action>(again[0]);
  EXPECT_EQ(*ack2.bytes, *ack1->bytes);
  EXPECT_EQ(ack2.txn, c.txn);
  EXPECT_EQ(ack2.address, peer_address());
  EXPECT_EQ(h.state(c.txn), transaction_state::completed);
}

TEST_F(ClientInvite, CompletedAnyMatchingNon2xxFinalIsARetransmission) {
  // RFC 6026 §8.4: "any response that would match the same client
  // transaction" is a retransmission.
  auto c = start();
  peer(c.sent, 486);
  EXPECT_EQ(describe(peer(c.sent, 500)), lines{"send_request ACK retx"});
  EXPECT_EQ(h.state(c.txn), transaction_state::completed);
}

TEST_F(ClientInvite, Completed1xxIsAbsorbed) {
  auto c = start();
  peer(c.sent, 486);
  EXPECT_EQ(describe(peer(c.sent, 180)), lines{});
  EXPECT_EQ(h.state(c.txn), transaction_state::completed);
}

TEST_F(ClientInvite, Completed2xxIsNotAckedByTheTransaction) {
  // Figure 5 has no 2xx arc out of Completed; whatever the layer does, the
  // transaction never acks a 2xx (RFC 6026 §8.4) and stays Completed.
  auto c = start();
  peer(c.sent, 486);
  const auto got = describe(peer(c.sent, 200, "other-fork"));
  for (const auto& l : got) EXPECT_EQ(l.find("send_request"), std::string::npos) << l;
  EXPECT_EQ(h.state(c.txn), transaction_state::completed);
}

TEST_F(ClientInvite, CompletedTimerDTerminatesAt32Seconds) {
  auto c = start();
  peer(c.sent, 486);
  EXPECT_EQ(describe(h.run_out()), lines{"32000ms terminated"});
  EXPECT_EQ(h.state(c.txn), std::nullopt);
  EXPECT_EQ(h.layer.size(), 0u);
}

TEST_F(ClientInvite, CompletedTransportErrorInformsTheTuAndTerminates) {
  // RFC 6026 figure 5: Completed --Transport Err./Inform TU--> Terminated.
  auto c = start();
  peer(c.sent, 486);
  h.transport_error();
  EXPECT_EQ(describe(h.drain()), (lines{"transport_failure", "terminated"}));
  EXPECT_EQ(h.state(c.txn), std::nullopt);
}

// ---- accepted (RFC 6026) -----------------------------------------------------

TEST_F(ClientInvite, AcceptedPassesEvery2xxUp) {
  auto c = start();
  peer(c.sent, 200);
  // Retransmissions of the 2xx, and a 2xx from another branch of a fork.
  EXPECT_EQ(describe(peer(c.sent, 200)), lines{"response 200"});
  EXPECT_EQ(describe(peer(c.sent, 200)), lines{"response 200"});
  const auto fork = peer(c.sent, 200, "callee-2");
  ASSERT_EQ(describe(fork), lines{"response 200"});
  const auto& e = std::get<response_event>(fork[0]);
  EXPECT_EQ(e.txn, c.txn);
  auto to = e.response.message.to();
  ASSERT_TRUE(to);
  EXPECT_EQ(to->tag(), "callee-2");
  EXPECT_EQ(h.state(c.txn), transaction_state::accepted);
}

TEST_F(ClientInvite, AcceptedAbsorbs1xxAndNon2xx) {
  auto c = start();
  peer(c.sent, 200);
  EXPECT_EQ(describe(peer(c.sent, 180)), lines{});
  EXPECT_EQ(describe(peer(c.sent, 486)), lines{});
  EXPECT_EQ(h.state(c.txn), transaction_state::accepted);
}

TEST_F(ClientInvite, AcceptedTimerMTerminatesWithoutRetransmittingOrTimingOut) {
  auto c = start();
  peer(c.sent, 200);
  EXPECT_EQ(describe(h.run_out()), lines{"32000ms terminated"});
  EXPECT_EQ(h.state(c.txn), std::nullopt);
  EXPECT_EQ(h.layer.size(), 0u);
}

TEST_F(ClientInvite, A2xxAfterTimerMIsAStrayResponse) {
  auto c = start();
  peer(c.sent, 200);
  h.run_out();
  const auto got = peer(c.sent, 200);
  ASSERT_EQ(describe(got), lines{"stray 200"});
  EXPECT_EQ(std::get<stray_response_event>(got[0]).response.message.status_code(), 200);
}

TEST_F(ClientInvite, AcceptedTransportErrorIsReported) {
  // §17.1.4 (RFC 6026 §7.2: keeping the state is not needed either way).
  auto c = start();
  peer(c.sent, 200);
  h.transport_error();
  const auto got = describe(h.drain());
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(got[0], "transport_failure");
}

// ---- over TCP (§17.1.1.2: no Timer A; Timer D zero) -------------------------

TEST_F(ClientInvite, OverTcpNothingIsRetransmittedAndTimerBStill32Seconds) {
  auto c = start(tp::tcp);
  ASSERT_EQ(describe(c.actions), lines{"send_request INVITE"});
  EXPECT_EQ(std::get<send_request_action>(c.actions[0]).protocol, tp::tcp);
  EXPECT_EQ(describe(h.run_out()), (lines{"32000ms timeout", "32000ms terminated"}));
}

TEST_F(ClientInvite, OverTcp486AcksAndTerminatesAtOnce) {
  auto c = start(tp::tcp);
  const auto got = peer(c.sent, 486, "t", tp::tcp);
  const auto d = describe(got);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(sorted({d[0], d[1]}), sorted({"response 486", "send_request ACK"}));
  EXPECT_EQ(d[2], "terminated");  // Timer D = 0
  const auto* ack = first_of<send_request_action>(got);
  ASSERT_NE(ack, nullptr);
  EXPECT_EQ(ack->protocol, tp::tcp);
  EXPECT_EQ(h.layer.size(), 0u);
}

TEST_F(ClientInvite, OverTcpAcceptedStillWaitsTimerM) {
  // RFC 6026 §8.11: Timer M is 64*T1 whatever the transport.
  auto c = start(tp::tcp);
  peer(c.sent, 200, "t", tp::tcp);
  EXPECT_EQ(describe(h.run_out()), lines{"32000ms terminated"});
}

// ---- the ACK for a non-2xx (§17.1.1.3) ---------------------------------------

TEST_F(ClientInvite, AckForNon2xxIsBuiltAsSection17_1_1_3Says) {
  spec.uri = "sip:bob@biloxi.example.com;transport=udp";
  spec.headers = {"Route: <sip:p1.example.com;lr>",
                  "Route: <sip:p2.example.com;lr>",
                  "Contact: <sip:alice@192.0.2.1>",
                  "Require: 100rel",
                  "Proxy-Require: foo",
                  "Content-Type: application/sdp"};
  spec.body = "v=0\r\no=- 1 1 IN IP4 192.0.2.1\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n";
  spec.cseq = 986759;
  auto c = start();
  const std::string response = response_to(c.sent, 486, "99sa0xk");
  const message resp = parse_owned(response);
  h.receive(response);
  const auto got = h.drain();
  const auto* a = first_of<send_request_action>(got);
  ASSERT_NE(a, nullptr);
  const message ack = parse_owned(a->bytes);

  EXPECT_EQ(ack.method(), method::ack);
  EXPECT_EQ(ack.method_name(), "ACK");
  EXPECT_EQ(ack.request_uri(), c.sent.request_uri());
  EXPECT_EQ(ack.call_id(), c.sent.call_id());
  EXPECT_EQ(ack.value(header_id::from), c.sent.value(header_id::from));
  // The To of the response being acknowledged, tag included.
  EXPECT_EQ(ack.value(header_id::to), resp.value(header_id::to));
  auto to = ack.to();
  ASSERT_TRUE(to);
  EXPECT_EQ(to->tag(), "99sa0xk");
  // A single Via, equal to the top Via of the original request.
  EXPECT_EQ(field_values(ack, header_id::via), field_values(c.sent, header_id::via));
  EXPECT_EQ(ack.count(header_id::via), 1u);
  auto v = ack.top_via();
  ASSERT_TRUE(v);
  EXPECT_EQ(v->branch, "z9hG4bK-inv-1");
  // Same CSeq number, method ACK.
  auto cs = ack.cseq();
  ASSERT_TRUE(cs);
  EXPECT_EQ(cs->number, 986759u);
  EXPECT_EQ(cs->method, method::ack);
  EXPECT_EQ(cs->method_name, "ACK");
  // The INVITE's Route fields, in order.
  EXPECT_EQ(field_values(ack, header_id::route),
            (std::vector<std::string>{"<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"}));
  // §8.1.1.6: every request carries Max-Forwards (the §17.1.1.3 example has 70).
  EXPECT_NE(ack.find(header_id::max_forwards), nullptr);
  // §8.2.2.3: no Require / Proxy-Require in an ACK for a non-2xx;
  // §17.1.1.3: a body is NOT RECOMMENDED.
  EXPECT_EQ(ack.find(header_id::require), nullptr);
  EXPECT_EQ(ack.find(header_id::proxy_require), nullptr);
  EXPECT_TRUE(ack.body().empty());
}

}  // namespace
}  // namespace sipua
