// The non-INVITE client transaction (RFC 3261 §17.1.2, figure 6): every
// (state, event) pair, and the errors of send_request().
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness.hpp"

namespace sipua {
namespace {

using namespace test;

struct ClientNonInvite : ::testing::Test {
  harness h;
  request_spec spec = outgoing("OPTIONS", "z9hG4bK-opt-1");

  client_start start(tp protocol = tp::udp) {
    if (protocol != tp::udp) spec.transport = "TCP";
    return start_client(h, spec, protocol);
  }
  std::vector<txn_action> peer(const message& sent, int status, tp protocol = tp::udp) {
    h.receive(response_to(sent, status, "callee-1"), protocol);
    return h.drain();
  }
};

// ---- trying -------------------------------------------------------------------

TEST_F(ClientNonInvite, SendRequestSendsTheRequestAndEntersTrying) {
  const std::string text = request_text(spec);
  const transaction_id id = h.send(text);
  const auto got = h.drain();
  ASSERT_EQ(describe(got), lines{"send_request OPTIONS"});
  const auto& s = std::get<send_request_action>(got[0]);
  EXPECT_EQ(s.txn, id);
  EXPECT_EQ(*s.bytes, text);
  EXPECT_EQ(s.address, peer_address());
  EXPECT_EQ(s.protocol, tp::udp);
  EXPECT_FALSE(s.retransmission);
  EXPECT_EQ(h.layer.kind(id), transaction_kind::client_non_invite);
  EXPECT_EQ(h.state(id), transaction_state::trying);
  ASSERT_TRUE(h.layer.next_deadline());
  EXPECT_EQ(*h.layer.next_deadline(), h.start + 500ms);  // Timer E = T1
}

TEST_F(ClientNonInvite, EveryMethodButInviteAndAckMakesANonInviteTransaction) {
  int n = 0;
  for (const char* m : {"OPTIONS", "BYE", "REGISTER", "INFO", "MESSAGE", "CANCEL", "FOO"}) {
    auto s = outgoing(m, "z9hG4bK-m-" + std::to_string(++n));
    const transaction_id id = h.send(request_text(s));
    EXPECT_EQ(h.layer.kind(id), transaction_kind::client_non_invite) << m;
    EXPECT_EQ(describe(h.drain()), lines{"send_request " + std::string{m}}) << m;
  }
}

TEST_F(ClientNonInvite, TryingTimerERetransmits) {
  auto c = start();
  const auto first = std::get<send_request_action>(c.actions.at(0)).bytes;
  std::vector<timed_action> got;
  ASSERT_TRUE(h.advance_to_next_deadline(&got));
  ASSERT_EQ(describe(got), lines{"500ms send_request OPTIONS retx"});
  const auto& s = std::get<send_request_action>(got[0].action);
  EXPECT_EQ(s.txn, c.txn);
  EXPECT_EQ(*s.bytes, *first);
  EXPECT_EQ(h.state(c.txn), transaction_state::trying);
}

TEST_F(ClientNonInvite, TryingTimerFTimesOut) {
  auto c = start();
  const auto got = h.run_out();
  const auto d = describe(got);
  ASSERT_GE(d.size(), 2u);
  EXPECT_EQ(d[d.size() - 2], "32000ms timeout");
  EXPECT_EQ(d.back(), "32000ms terminated");
  EXPECT_EQ(txn_of(got[got.size() - 2].action), c.txn);
  EXPECT_EQ(h.state(c.txn), std::nullopt);
  EXPECT_EQ(h.layer.size(), 0u);
}

TEST_F(ClientNonInvite, Trying1xxGoesToProceeding) {
  auto c = start();
  const auto got = peer(c.sent, 100);
  ASSERT_EQ(describe(got), lines{"response 100"});
  EXPECT_EQ(txn_of(got[0]), c.txn);
  EXPECT_EQ(h.state(c.txn), transaction_state::proceeding);
}

TEST_F(ClientNonInvite, TryingFinalGoesToCompleted) {
  for (int status : {200, 202, 302, 404, 486, 500, 603}) {
    harness hh;
    auto c = start_client(hh, spec);
    hh.receive(response_to(c.sent, status, "t"));
    const auto got = hh.drain();
    ASSERT_EQ(describe(got), lines{"response " + std::to_string(status)}) << status;
    EXPECT_EQ(txn_of(got[0]), c.txn);
    EXPECT_EQ(hh.state(c.txn), transaction_state::completed) << status;
  }
}

TEST_F(ClientNonInvite, TryingTransportErrorInformsTheTuAndTerminates) {
  auto c = start();
  h.transport_error(tp::udp, peer_address(), std::make_error_code(std::errc::host_unreachable));
  const auto got = h.drain();
  ASSERT_EQ(describe(got), (lines{"transport_failure", "terminated"}));
  const auto& f = std::get<transport_failure_event>(got[0]);
  EXPECT_EQ(f.txn, c.txn);
  EXPECT_EQ(f.error, std::make_error_code(std::errc::host_unreachable));
  EXPECT_EQ(h.layer.size(), 0u);
  EXPECT_EQ(describe(h.run_out()), lines{});
}

// ---- proceeding ---------------------------------------------------------------

TEST_F(ClientNonInvite, ProceedingPassesEvery1xxUp) {
  auto c = start();
  peer(c.sent, 100);
  EXPECT_EQ(describe(peer(c.sent, 100)), lines{"response 100"});
  EXPECT_EQ(describe(peer(c.sent, 180)), lines{"response 180"});
  EXPECT_EQ(h.state(c.txn), transaction_state::proceeding);
}

TEST_F(ClientNonInvite, ProceedingTimerERetransmitsEveryT2) {
  // §17.1.2.2: Timer E fires in Proceeding: retransmit, reset to T2.
  auto c = start();
  peer(c.sent, 100);
  const auto got = only(describe(h.run_until(13000ms)), "send_request");
  EXPECT_EQ(got, (lines{"500ms send_request OPTIONS retx", "4500ms send_request OPTIONS retx",
                        "8500ms send_request OPTIONS retx", "12500ms send_request OPTIONS retx"}));
  EXPECT_EQ(h.state(c.txn), transaction_state::proceeding);
}

TEST_F(ClientNonInvite, ProceedingTimerFTimesOut) {
  auto c = start();
  peer(c.sent, 100);
  const auto d = describe(h.run_out());
  ASSERT_GE(d.size(), 2u);
  EXPECT_EQ(d[d.size() - 2], "32000ms timeout");
  EXPECT_EQ(d.back(), "32000ms terminated");
  EXPECT_EQ(h.layer.size(), 0u);
}

TEST_F(ClientNonInvite, ProceedingFinalGoesToCompleted) {
  auto c = start();
  peer(c.sent, 100);
  EXPECT_EQ(describe(peer(c.sent, 200)), lines{"response 200"});
  EXPECT_EQ(h.state(c.txn), transaction_state::completed);
}

TEST_F(ClientNonInvite, ProceedingTransportErrorInformsTheTuAndTerminates) {
  auto c = start();
  peer(c.sent, 100);
  h.transport_error();
  EXPECT_EQ(describe(h.drain()), (lines{"transport_failure", "terminated"}));
  EXPECT_EQ(h.state(c.txn), std::nullopt);
}

// ---- completed ----------------------------------------------------------------

TEST_F(ClientNonInvite, CompletedAbsorbsEveryResponse) {
  auto c = start();
  peer(c.sent, 200);
  EXPECT_EQ(describe(peer(c.sent, 200)), lines{});  // a retransmission
  EXPECT_EQ(describe(peer(c.sent, 100)), lines{});  // a late 1xx
  EXPECT_EQ(describe(peer(c.sent, 500)), lines{});  // another final
  EXPECT_EQ(h.state(c.txn), transaction_state::completed);
}

TEST_F(ClientNonInvite, CompletedStopsRetransmittingAndTimerKTerminatesAtT4) {
  auto c = start();
  h.run_until(600ms);  // one retransmission at 500 ms
  peer(c.sent, 200);
  // Timer K = T4 from the response, no more E, no F.
  EXPECT_EQ(describe(h.run_out()), lines{"5600ms terminated"});
  EXPECT_EQ(h.state(c.txn), std::nullopt);
  EXPECT_EQ(h.layer.size(), 0u);
}

TEST_F(ClientNonInvite, CompletedTransportErrorNeitherTimesOutNorOutlivesTimerK) {
  // Figure 6 has no transport-error arc out of Completed (nothing is sent
  // there); the TU has its response, so no timeout may follow.
  auto c = start();
  peer(c.sent, 200);
  h.transport_error();
  auto got = describe(h.drain());
  for (const auto& l : h.run_out()) got.push_back(describe(l.action));
  EXPECT_EQ(only(got, "timeout"), lines{});
  EXPECT_EQ(only(got, "response"), lines{});
  EXPECT_EQ(h.state(c.txn), std::nullopt);
}

TEST_F(ClientNonInvite, AResponseAfterTerminationIsDropped) {
  // §18.1.2 / RFC 6026 §8.9: no match, not a 2xx to INVITE: dropped.
  auto c = start();
  peer(c.sent, 200);
  h.run_out();
  EXPECT_EQ(describe(peer(c.sent, 200)), lines{});
  EXPECT_EQ(describe(peer(c.sent, 404)), lines{});
}

// ---- over TCP -------------------------------------------------------------------

TEST_F(ClientNonInvite, OverTcpNothingIsRetransmittedAndTimerFStill32Seconds) {
  auto c = start(tp::tcp);
  ASSERT_EQ(describe(c.actions), lines{"send_request OPTIONS"});
  EXPECT_EQ(std::get<send_request_action>(c.actions[0]).protocol, tp::tcp);
  EXPECT_EQ(describe(h.run_out()), (lines{"32000ms timeout", "32000ms terminated"}));
}

TEST_F(ClientNonInvite, OverTcpAFinalTerminatesAtOnce) {
  auto c = start(tp::tcp);
  EXPECT_EQ(describe(peer(c.sent, 200, tp::tcp)), (lines{"response 200", "terminated"}));
  EXPECT_EQ(h.layer.size(), 0u);
}

// ---- send_request errors --------------------------------------------------------

struct SendRequestErrors : ::testing::Test {
  harness h;
  void expect_error(std::string text, txn_errc e) {
    const std::size_t before = h.layer.size();
    auto r = h.try_send(std::move(text));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), make_error_code(e)) << r.error().message();
    EXPECT_EQ(describe(h.drain()), lines{});
    EXPECT_EQ(h.layer.size(), before);
  }
};

TEST_F(SendRequestErrors, BadMessage) {
  expect_error("", txn_errc::bad_message);
  expect_error("this is not SIP\r\n\r\n", txn_errc::bad_message);
  // Parses, but without Via or CSeq there is no transaction to make.
  std::string no_via = request_text(outgoing("OPTIONS"));
  no_via.erase(no_via.find("Via:"), no_via.find("Max-Forwards:") - no_via.find("Via:"));
  expect_error(no_via, txn_errc::bad_message);
  std::string no_cseq = request_text(outgoing("OPTIONS"));
  no_cseq.erase(no_cseq.find("CSeq:"), no_cseq.find("Content-Length:") - no_cseq.find("CSeq:"));
  expect_error(no_cseq, txn_errc::bad_message);
}

TEST_F(SendRequestErrors, NotARequest) {
  const message sent = parse_owned(request_text(outgoing("OPTIONS")));
  expect_error(response_to(sent, 200), txn_errc::not_a_request);
  // The ACK of a 2xx is the TU's, sent without a transaction.
  auto ack = outgoing("ACK", "z9hG4bK-ack-1");
  ack.to_tag = "callee-1";
  expect_error(request_text(ack), txn_errc::not_a_request);
}

TEST_F(SendRequestErrors, NoBranch) {
  expect_error(request_text(outgoing("OPTIONS", "")), txn_errc::no_branch);
  expect_error(request_text(outgoing("INVITE", "")), txn_errc::no_branch);
  // A branch without the RFC 3261 magic cookie (§8.1.1.7).
  expect_error(request_text(outgoing("OPTIONS", "abc123")), txn_errc::no_branch);
  expect_error(request_text(outgoing("OPTIONS", "z9hG4b")), txn_errc::no_branch);
}

TEST_F(SendRequestErrors, DuplicateBranch) {
  h.send(request_text(outgoing("INVITE", "z9hG4bK-dup")));
  h.drain();
  expect_error(request_text(outgoing("INVITE", "z9hG4bK-dup")), txn_errc::duplicate_branch);
  h.send(request_text(outgoing("OPTIONS", "z9hG4bK-o")));
  h.drain();
  expect_error(request_text(outgoing("OPTIONS", "z9hG4bK-o")), txn_errc::duplicate_branch);
  // The same branch with another method is another transaction (§17.1.3).
  auto bye = outgoing("BYE", "z9hG4bK-dup");
  bye.cseq = 2;
  auto r = h.try_send(request_text(bye));
  EXPECT_TRUE(r);
}

TEST_F(SendRequestErrors, ABranchIsFreeAgainOnceItsTransactionIsGone) {
  const transaction_id a = h.send(request_text(outgoing("OPTIONS", "z9hG4bK-again")));
  h.transport_error();  // terminates it
  h.drain();
  ASSERT_EQ(h.state(a), std::nullopt);
  auto r = h.try_send(request_text(outgoing("OPTIONS", "z9hG4bK-again")));
  ASSERT_TRUE(r);
  EXPECT_NE(*r, a);  // a new generation: the old handle stays stale
  EXPECT_EQ(h.state(a), std::nullopt);
}

TEST_F(SendRequestErrors, TooManyTransactions) {
  transaction_config cfg;
  cfg.max_transactions = 2;
  harness small{cfg};
  ASSERT_TRUE(small.try_send(request_text(outgoing("OPTIONS", "z9hG4bK-1"))));
  ASSERT_TRUE(small.try_send(request_text(outgoing("INVITE", "z9hG4bK-2"))));
  small.drain();
  auto r = small.try_send(request_text(outgoing("OPTIONS", "z9hG4bK-3")));
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), make_error_code(txn_errc::too_many_transactions));
  EXPECT_EQ(describe(small.drain()), lines{});
  EXPECT_EQ(small.layer.size(), 2u);
}

}  // namespace
}  // namespace sipua
