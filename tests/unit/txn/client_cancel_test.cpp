// CANCEL on the client side (RFC 3261 §9.1): the request built from the
// INVITE, held until a provisional response, dropped when a final one
// comes first, and the errors of send_cancel().
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness.hpp"

#include "sipua/message/header_id.hpp"

namespace sipua {
namespace {

using namespace test;

struct ClientCancel : ::testing::Test {
  harness h;
  request_spec spec = outgoing("INVITE", "z9hG4bK-inv-1");

  client_start start() { return start_client(h, spec); }
  std::vector<txn_action> peer(const message& sent, int status, std::string_view tag = "callee-1") {
    h.receive(response_to(sent, status, tag));
    return h.drain();
  }
};

// ---- CANCEL (§9.1) -----------------------------------------------------------

TEST_F(ClientCancel, SendCancelInProceedingSendsTheCancelAtOnce) {
  spec.headers = {"Route: <sip:p1.example.com;lr>", "Require: 100rel", "Proxy-Require: foo"};
  spec.cseq = 42;
  spec.to_tag = "";
  auto c = start();
  peer(c.sent, 180);
  auto r = h.layer.send_cancel(h.now, c.txn);
  ASSERT_TRUE(r) << r.error().message();
  const transaction_id cancel = *r;
  EXPECT_NE(cancel, c.txn);
  EXPECT_EQ(h.layer.kind(cancel), transaction_kind::client_non_invite);
  const auto got = h.drain();
  ASSERT_EQ(describe(got), lines{"send_request CANCEL"});
  const auto& s = std::get<send_request_action>(got[0]);
  EXPECT_EQ(s.txn, cancel);
  // §9.1: same destination address, port and transport.
  EXPECT_EQ(s.address, peer_address());
  EXPECT_EQ(s.protocol, tp::udp);
  const message m = parse_owned(s.bytes);
  EXPECT_EQ(m.method(), method::cancel);
  EXPECT_EQ(m.request_uri(), c.sent.request_uri());
  EXPECT_EQ(m.call_id(), c.sent.call_id());
  EXPECT_EQ(m.value(header_id::to), c.sent.value(header_id::to));
  EXPECT_EQ(m.value(header_id::from), c.sent.value(header_id::from));
  EXPECT_EQ(field_values(m, header_id::via), field_values(c.sent, header_id::via));
  auto cs = m.cseq();
  ASSERT_TRUE(cs);
  EXPECT_EQ(cs->number, 42u);
  EXPECT_EQ(cs->method, method::cancel);
  EXPECT_EQ(field_values(m, header_id::route),
            (std::vector<std::string>{"<sip:p1.example.com;lr>"}));
  EXPECT_EQ(m.find(header_id::require), nullptr);
  EXPECT_EQ(m.find(header_id::proxy_require), nullptr);
  EXPECT_NE(m.find(header_id::max_forwards), nullptr);
  EXPECT_EQ(h.state(cancel), transaction_state::trying);
  EXPECT_EQ(h.state(c.txn), transaction_state::proceeding);
}

TEST_F(ClientCancel, CancelAndInviteCompleteIndependently) {
  auto c = start();
  peer(c.sent, 180);
  const transaction_id cancel = *h.layer.send_cancel(h.now, c.txn);
  const auto sent = h.drain();
  const message cancel_msg = parse_owned(std::get<send_request_action>(sent.at(0)).bytes);
  // 200 for the CANCEL, then 487 for the INVITE (§9.2).
  h.receive(response_to(cancel_msg, 200, "callee-1"));
  auto got = h.drain();
  ASSERT_EQ(describe(got), lines{"response 200"});
  EXPECT_EQ(txn_of(got[0]), cancel);
  EXPECT_EQ(h.state(cancel), transaction_state::completed);
  got = peer(c.sent, 487);
  EXPECT_EQ(sorted(describe(got)), sorted({"response 487", "send_request ACK"}));
  for (const auto& a : got) EXPECT_EQ(txn_of(a), c.txn);
  // K (5 s) for the CANCEL, D (32 s) for the INVITE.
  const auto end = h.run_out();
  ASSERT_EQ(describe(end), (lines{"5000ms terminated", "32000ms terminated"}));
  EXPECT_EQ(txn_of(end[0].action), cancel);
  EXPECT_EQ(txn_of(end[1].action), c.txn);
}

TEST_F(ClientCancel, SendCancelBeforeAny1xxIsHeldUntilOneArrives) {
  auto c = start();
  auto r = h.layer.send_cancel(h.now, c.txn);
  ASSERT_TRUE(r);
  const transaction_id cancel = *r;
  EXPECT_EQ(describe(h.drain()), lines{});  // §9.1: MUST NOT be sent yet
  // Timer A keeps retransmitting the INVITE; still no CANCEL.
  EXPECT_EQ(describe(h.run_until(2000ms)),
            (lines{"500ms send_request INVITE retx", "1500ms send_request INVITE retx"}));
  const auto got = peer(c.sent, 180);
  EXPECT_EQ(sorted(describe(got)), sorted({"response 180", "send_request CANCEL"}));
  const auto* s = first_of<send_request_action>(got);
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->txn, cancel);
  EXPECT_FALSE(s->retransmission);
}

TEST_F(ClientCancel, HeldCancelEndsUnsentWhenTheInviteGetsANon2xxFinal) {
  auto c = start();
  const transaction_id cancel = *h.layer.send_cancel(h.now, c.txn);
  h.drain();
  const auto got = peer(c.sent, 486);
  EXPECT_EQ(sorted(describe(got)), sorted({"response 486", "send_request ACK", "terminated"}));
  for (const auto& a : got) {
    if (std::holds_alternative<terminated_event>(a)) {
      EXPECT_EQ(txn_of(a), cancel);
    } else {
      EXPECT_EQ(txn_of(a), c.txn);
    }
  }
  EXPECT_EQ(h.state(cancel), std::nullopt);
  EXPECT_EQ(describe(h.run_out()), lines{"32000ms terminated"});  // the INVITE's Timer D
}

TEST_F(ClientCancel, HeldCancelEndsUnsentWhenTheInviteTimesOut) {
  auto c = start();
  const transaction_id cancel = *h.layer.send_cancel(h.now, c.txn);
  h.drain();
  const auto got = h.run_out();
  const auto tail = only(describe(got), "32000ms");
  EXPECT_EQ(sorted(tail), sorted({"32000ms timeout", "32000ms terminated", "32000ms terminated"}));
  EXPECT_EQ(only(describe(got), "CANCEL"), lines{});
  for (const auto& a : got) {
    if (std::holds_alternative<timeout_event>(a.action)) {
      EXPECT_EQ(txn_of(a.action), c.txn);
    }
  }
  EXPECT_EQ(h.state(cancel), std::nullopt);
  EXPECT_EQ(h.layer.size(), 0u);
}

TEST_F(ClientCancel, HeldCancelIsNeverSentAfterA2xx) {
  // §9.1: after a final response the CANCEL SHOULD NOT be sent.
  auto c = start();
  const transaction_id cancel = *h.layer.send_cancel(h.now, c.txn);
  h.drain();
  auto got = describe(peer(c.sent, 200));
  for (const auto& l : h.run_out()) got.push_back(describe(l.action));
  EXPECT_EQ(only(got, "CANCEL"), lines{});
  EXPECT_EQ(h.state(cancel), std::nullopt);
  EXPECT_EQ(h.layer.size(), 0u);
}

TEST_F(ClientCancel, HeldCancelEndsWithTheInviteOnATransportError) {
  auto c = start();
  const transaction_id cancel = *h.layer.send_cancel(h.now, c.txn);
  h.drain();
  h.transport_error();
  const auto got = h.drain();
  EXPECT_EQ(sorted(describe(got)), sorted({"transport_failure", "terminated", "terminated"}));
  const auto* f = first_of<transport_failure_event>(got);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->txn, c.txn);
  EXPECT_EQ(only(describe(got), "CANCEL"), lines{});
  EXPECT_EQ(h.state(cancel), std::nullopt);
  EXPECT_EQ(h.layer.size(), 0u);
}

TEST_F(ClientCancel, ACancelledInviteWithoutFinalResponseEndsAfter64T1) {
  // §9.1: "If there is no final response for the original request in
  // 64*T1 seconds ... the client SHOULD then consider the original
  // transaction cancelled and SHOULD destroy the client transaction
  // handling the original request." (sipua's Timer C, 181 s after the
  // last 1xx, bounds it too, but later than §9.1 asks: a peer that
  // ignores the CANCEL, e.g. an RFC 2543 UAS sending no 487, keeps it.)
  auto c = start();
  peer(c.sent, 180);
  h.run_until(1000ms);
  const transaction_id cancel = *h.layer.send_cancel(h.now, c.txn);
  const message cancel_msg = parse_owned(std::get<send_request_action>(h.drain().at(0)).bytes);
  h.receive(response_to(cancel_msg, 200, "callee-1"));
  h.drain();
  std::vector<std::string> ends;
  for (const auto& a : h.run_until(600s)) {
    if (std::holds_alternative<terminated_event>(a.action)) {
      ends.push_back(stamp(a.at) + (txn_of(a.action) == cancel ? " cancel" : " invite"));
    }
  }
  EXPECT_EQ(ends, (lines{"6000ms cancel", "33000ms invite"}));
  EXPECT_EQ(h.state(c.txn), std::nullopt);
  EXPECT_EQ(h.layer.size(), 0u);
}

TEST_F(ClientCancel, SendCancelAgainAfterTheFirstCancelEndedIsStillWrongState) {
  // transaction_layer.hpp: wrong_state when "already cancelled".
  auto c = start();
  peer(c.sent, 180);
  h.layer.send_cancel(h.now, c.txn);
  const message cancel_msg = parse_owned(std::get<send_request_action>(h.drain().at(0)).bytes);
  h.receive(response_to(cancel_msg, 200, "callee-1"));
  h.drain();
  h.run_until(5000ms);  // Timer K ends the CANCEL
  ASSERT_EQ(h.state(c.txn), transaction_state::proceeding);
  auto r = h.layer.send_cancel(h.now, c.txn);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), make_error_code(txn_errc::wrong_state));
  EXPECT_EQ(describe(h.drain()), lines{});
}

TEST_F(ClientCancel, SendCancelErrors) {
  auto c = start();
  // Not a live transaction.
  auto r = h.layer.send_cancel(h.now, transaction_id{});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), make_error_code(txn_errc::unknown_transaction));
  // Not a client INVITE: a client non-INVITE, a server transaction.
  auto opt = start_client(h, outgoing("OPTIONS", "z9hG4bK-opt-1"));
  r = h.layer.send_cancel(h.now, opt.txn);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), make_error_code(txn_errc::wrong_kind));
  auto srv = start_server(h, incoming("INVITE", "z9hG4bK-srv-1"));
  r = h.layer.send_cancel(h.now, srv.txn);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), make_error_code(txn_errc::wrong_kind));
  // Already cancelled.
  peer(c.sent, 180);
  ASSERT_TRUE(h.layer.send_cancel(h.now, c.txn));
  h.drain();
  r = h.layer.send_cancel(h.now, c.txn);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), make_error_code(txn_errc::wrong_state));
  EXPECT_EQ(describe(h.drain()), lines{});
}

TEST_F(ClientCancel, SendCancelAfterAFinalResponseIsWrongState) {
  for (int status : {486, 200}) {
    harness hh;
    auto c = start_client(hh, spec);
    hh.receive(response_to(c.sent, status, "t"));
    hh.drain();
    auto r = hh.layer.send_cancel(hh.now, c.txn);
    ASSERT_FALSE(r) << status;
    EXPECT_EQ(r.error(), make_error_code(txn_errc::wrong_state)) << status;
    EXPECT_EQ(describe(hh.drain()), lines{}) << status;
  }
}

TEST_F(ClientCancel, SendCancelOnATerminatedTransactionIsUnknown) {
  auto c = start();
  h.run_out();  // Timer B
  auto r = h.layer.send_cancel(h.now, c.txn);
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), make_error_code(txn_errc::unknown_transaction));
}

}  // namespace
}  // namespace sipua
