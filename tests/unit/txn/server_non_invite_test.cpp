// The non-INVITE server transaction (RFC 3261 §17.2.2, figure 8; RFC 6026
// §8.8 for transport errors): every (state, event) pair, and the errors of
// send_response() on it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness.hpp"

namespace sipua {
namespace {

using namespace test;

struct ServerNonInvite : ::testing::Test {
  harness h;
  request_spec spec = incoming("OPTIONS", "z9hG4bK-opt-1");
  server_start s;

  void start(tp protocol = tp::udp) {
    if (protocol != tp::udp) spec.transport = "TCP";
    s = start_server(h, spec, protocol);
  }
  std::vector<txn_action> answer(int status) {
    EXPECT_EQ(h.respond(s.txn, response_to(s.request, status, "uas-1")), std::error_code{})
        << status;
    return h.drain();
  }
  std::vector<txn_action> peer(const request_spec& r, tp protocol = tp::udp) {
    h.receive(request_text(r), protocol);
    return h.drain();
  }
};

// ---- trying ---------------------------------------------------------------------

TEST_F(ServerNonInvite, ANewRequestIsPassedUpWithout100) {
  start();
  ASSERT_EQ(describe(s.actions), lines{"request OPTIONS"});
  const auto& e = std::get<request_event>(s.actions[0]);
  EXPECT_TRUE(e.txn.valid());
  EXPECT_EQ(e.request.origin.peer, peer_address());
  EXPECT_EQ(e.request.origin.protocol, tp::udp);
  EXPECT_EQ(h.layer.kind(s.txn), transaction_kind::server_non_invite);
  EXPECT_EQ(h.state(s.txn), transaction_state::trying);
}

TEST_F(ServerNonInvite, EveryMethodButInviteAckAndCancelIsARequestEvent) {
  int n = 0;
  for (const char* m : {"OPTIONS", "BYE", "REGISTER", "INFO", "MESSAGE", "SUBSCRIBE", "FOO"}) {
    auto r = incoming(m, "z9hG4bK-m-" + std::to_string(++n));
    r.call_id = "call-" + std::to_string(n);
    auto st = start_server(h, r);
    EXPECT_EQ(describe(st.actions), lines{"request " + std::string{m}}) << m;
    EXPECT_EQ(h.layer.kind(st.txn), transaction_kind::server_non_invite) << m;
  }
}

TEST_F(ServerNonInvite, TryingAbsorbsRetransmissions) {
  start();
  EXPECT_EQ(describe(peer(spec)), lines{});
  EXPECT_EQ(describe(peer(spec)), lines{});
  EXPECT_EQ(h.state(s.txn), transaction_state::trying);
}

TEST_F(ServerNonInvite, TryingHasNoTimer) {
  start();
  EXPECT_EQ(describe(h.run_until(600s)), lines{});
  EXPECT_EQ(h.state(s.txn), transaction_state::trying);
}

TEST_F(ServerNonInvite, Trying1xxGoesToProceeding) {
  start();
  const auto got = answer(100);
  ASSERT_EQ(describe(got), lines{"send_response 100"});
  const auto& r = std::get<send_response_action>(got[0]);
  EXPECT_EQ(r.txn, s.txn);
  EXPECT_EQ(r.origin.peer, peer_address());
  EXPECT_EQ(r.top_via.branch, "z9hG4bK-opt-1");
  EXPECT_FALSE(r.retransmission);
  EXPECT_EQ(h.state(s.txn), transaction_state::proceeding);
}

TEST_F(ServerNonInvite, TryingFinalGoesToCompleted) {
  for (int status : {200, 202, 302, 404, 500, 603}) {
    harness hh;
    auto st = start_server(hh, spec);
    EXPECT_EQ(hh.respond(st.txn, response_to(st.request, status, "u")), std::error_code{});
    EXPECT_EQ(describe(hh.drain()), lines{"send_response " + std::to_string(status)});
    EXPECT_EQ(hh.state(st.txn), transaction_state::completed) << status;
  }
}

TEST_F(ServerNonInvite, TryingTransportErrorInformsTheTuAndKeepsTheState) {
  // RFC 6026 §8.8 replaces §17.2.4: "MUST remain in the current state".
  start();
  h.transport_error();
  const auto got = h.drain();
  ASSERT_EQ(describe(got), lines{"transport_failure"});
  EXPECT_EQ(txn_of(got[0]), s.txn);
  EXPECT_EQ(h.state(s.txn), transaction_state::trying);
}

// ---- proceeding -----------------------------------------------------------------

TEST_F(ServerNonInvite, ProceedingRetransmissionResendsTheLatestProvisional) {
  start();
  answer(100);
  const auto p = answer(180);
  ASSERT_EQ(describe(p), lines{"send_response 180"});
  const auto got = peer(spec);
  ASSERT_EQ(describe(got), lines{"send_response 180 retx"});
  EXPECT_EQ(*std::get<send_response_action>(got[0]).bytes,
            *std::get<send_response_action>(p[0]).bytes);
  EXPECT_EQ(h.state(s.txn), transaction_state::proceeding);
}

TEST_F(ServerNonInvite, Proceeding1xxIsSentAndHasNoTimer) {
  start();
  answer(100);
  EXPECT_EQ(describe(answer(100)), lines{"send_response 100"});
  EXPECT_EQ(describe(h.run_until(600s)), lines{});
  EXPECT_EQ(h.state(s.txn), transaction_state::proceeding);
}

TEST_F(ServerNonInvite, ProceedingFinalGoesToCompleted) {
  start();
  answer(100);
  EXPECT_EQ(describe(answer(200)), lines{"send_response 200"});
  EXPECT_EQ(h.state(s.txn), transaction_state::completed);
}

TEST_F(ServerNonInvite, ProceedingTransportErrorInformsTheTuAndKeepsTheState) {
  start();
  answer(100);
  h.transport_error();
  EXPECT_EQ(describe(h.drain()), lines{"transport_failure"});
  EXPECT_EQ(h.state(s.txn), transaction_state::proceeding);
}

// ---- completed --------------------------------------------------------------------

TEST_F(ServerNonInvite, CompletedRetransmissionResendsTheFinal) {
  start();
  const auto f = answer(200);
  const auto got = peer(spec);
  ASSERT_EQ(describe(got), lines{"send_response 200 retx"});
  EXPECT_EQ(*std::get<send_response_action>(got[0]).bytes,
            *std::get<send_response_action>(f.at(0)).bytes);
  EXPECT_EQ(describe(peer(spec)), lines{"send_response 200 retx"});
  EXPECT_EQ(h.state(s.txn), transaction_state::completed);
}

TEST_F(ServerNonInvite, CompletedRejectsEveryResponseFromTheTu) {
  start();
  answer(200);
  for (int status : {100, 200, 404}) {
    EXPECT_EQ(h.respond(s.txn, response_to(s.request, status, "uas-1")),
              make_error_code(txn_errc::wrong_state))
        << status;
  }
  EXPECT_EQ(describe(h.drain()), lines{});
}

TEST_F(ServerNonInvite, CompletedNeverRetransmitsOnItsOwnAndTimerJTerminates) {
  start();
  answer(200);
  EXPECT_EQ(describe(h.run_out()), lines{"32000ms terminated"});
  EXPECT_EQ(h.state(s.txn), std::nullopt);
  EXPECT_EQ(h.layer.size(), 0u);
}

TEST_F(ServerNonInvite, CompletedTransportErrorInformsTheTuAndKeepsTheState) {
  start();
  answer(200);
  h.transport_error();
  EXPECT_EQ(describe(h.drain()), lines{"transport_failure"});
  EXPECT_EQ(h.state(s.txn), transaction_state::completed);
  EXPECT_EQ(describe(peer(spec)), lines{"send_response 200 retx"});
}

TEST_F(ServerNonInvite, ARetransmissionAfterTimerJIsANewRequest) {
  start();
  answer(200);
  h.run_out();
  const auto got = peer(spec);
  ASSERT_EQ(describe(got), lines{"request OPTIONS"});
  EXPECT_NE(txn_of(got[0]), s.txn);
}

// ---- over TCP -----------------------------------------------------------------------

TEST_F(ServerNonInvite, OverTcpTheFinalTerminatesAtOnce) {
  start(tp::tcp);
  const auto got = answer(200);
  ASSERT_EQ(describe(got), (lines{"send_response 200", "terminated"}));  // Timer J = 0
  EXPECT_EQ(std::get<send_response_action>(got[0]).origin.protocol, tp::tcp);
  EXPECT_EQ(h.layer.size(), 0u);
}

// ---- send_response errors ---------------------------------------------------------

TEST_F(ServerNonInvite, SendResponseErrors) {
  start();
  EXPECT_EQ(h.respond(s.txn, "garbage"), make_error_code(txn_errc::bad_message));
  EXPECT_EQ(h.respond(s.txn, request_text(spec)), make_error_code(txn_errc::not_a_response));
  EXPECT_EQ(h.respond(transaction_id{7, 7}, response_to(s.request, 200)),
            make_error_code(txn_errc::unknown_transaction));
  auto c = start_client(h, outgoing("INVITE", "z9hG4bK-c-1"));
  EXPECT_EQ(h.respond(c.txn, response_to(s.request, 200)), make_error_code(txn_errc::wrong_kind));
  EXPECT_EQ(describe(h.drain()), lines{});
  EXPECT_EQ(h.state(s.txn), transaction_state::trying);
}

TEST_F(ServerNonInvite, AStaleHandleIsUnknown) {
  start(tp::tcp);
  answer(200);
  ASSERT_EQ(h.state(s.txn), std::nullopt);
  EXPECT_EQ(h.respond(s.txn, response_to(s.request, 200)),
            make_error_code(txn_errc::unknown_transaction));
}

}  // namespace
}  // namespace sipua
