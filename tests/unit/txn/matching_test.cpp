// Matching (RFC 3261 §17.1.3, §17.2.3 with its RFC 2543 fallback, §9.2,
// §8.2.2.2; RFC 6026 §7.2, §8.9): which transaction a message belongs to,
// what goes up when none does, merged requests, the transaction limit, and
// which transactions a transport error reaches.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness.hpp"

#include "sipua/message/header_id.hpp"

namespace sipua {
namespace {

using namespace test;

// ---- responses to client transactions (§17.1.3) ----------------------------------

TEST(MatchResponses, ByBranchAndCSeqMethod) {
  // An INVITE and its CANCEL share the branch (§9.1); the CSeq method
  // tells their responses apart.
  harness h;
  auto inv = start_client(h, outgoing("INVITE", "z9hG4bK-shared"));
  h.receive(response_to(inv.sent, 180, "callee-1"));
  h.drain();
  const transaction_id cancel = *h.layer.send_cancel(h.now, inv.txn);
  const message cancel_msg = parse_owned(std::get<send_request_action>(h.drain().at(0)).bytes);
  h.receive(response_to(cancel_msg, 200, "callee-1"));
  auto got = h.drain();
  ASSERT_EQ(describe(got), lines{"response 200"});
  EXPECT_EQ(txn_of(got[0]), cancel);
  h.receive(response_to(inv.sent, 487, "callee-1"));
  got = h.drain();
  EXPECT_EQ(sorted(describe(got)), sorted({"response 487", "send_request ACK"}));
  for (const auto& a : got) EXPECT_EQ(txn_of(a), inv.txn);
}

TEST(MatchResponses, TwoTransactionsGetTheirOwnResponses) {
  harness h;
  auto a = start_client(h, outgoing("OPTIONS", "z9hG4bK-a"));
  auto b = start_client(h, outgoing("OPTIONS", "z9hG4bK-b"));
  h.receive(response_to(b.sent, 404, "t"));
  auto got = h.drain();
  ASSERT_EQ(describe(got), lines{"response 404"});
  EXPECT_EQ(txn_of(got[0]), b.txn);
  EXPECT_EQ(h.state(a.txn), transaction_state::trying);
  EXPECT_EQ(h.state(b.txn), transaction_state::completed);
}

TEST(MatchResponses, SameBranchOtherMethodDoesNotMatch) {
  harness h;
  auto inv = start_client(h, outgoing("INVITE", "z9hG4bK-x"));
  // A response naming the branch but CSeq OPTIONS: no OPTIONS transaction.
  auto other = outgoing("OPTIONS", "z9hG4bK-x");
  h.receive(response_to(parse_owned(request_text(other)), 404, "t"));
  EXPECT_EQ(describe(h.drain()), lines{});
  EXPECT_EQ(h.state(inv.txn), transaction_state::calling);
}

TEST(MatchResponses, AStrayNon2xxIsDropped) {
  harness h;
  const message never_sent = parse_owned(request_text(outgoing("INVITE", "z9hG4bK-never")));
  for (int status : {100, 180, 404, 486, 500}) {
    h.receive(response_to(never_sent, status, "t"));
    EXPECT_EQ(describe(h.drain()), lines{}) << status;
  }
}

TEST(MatchResponses, AStray2xxToInviteIsPassedUp) {
  // RFC 6026 §7.2: a forked 2xx after the transaction ended must reach
  // the TU (it acks it, then ends that dialog).
  harness h;
  const message never_sent = parse_owned(request_text(outgoing("INVITE", "z9hG4bK-never")));
  for (int status : {200, 202}) {
    h.receive(response_to(never_sent, status, "fork-2"));
    const auto got = h.drain();
    ASSERT_EQ(describe(got), lines{"stray " + std::to_string(status)});
    const auto& e = std::get<stray_response_event>(got[0]);
    EXPECT_EQ(e.response.origin.peer, peer_address());
    auto to = e.response.message.to();
    ASSERT_TRUE(to);
    EXPECT_EQ(to->tag(), "fork-2");
  }
  EXPECT_EQ(h.layer.size(), 0u);  // no transaction for it
}

TEST(MatchResponses, AStray2xxToNonInviteIsDropped) {
  harness h;
  const message never_sent = parse_owned(request_text(outgoing("BYE", "z9hG4bK-never")));
  h.receive(response_to(never_sent, 200, "t"));
  EXPECT_EQ(describe(h.drain()), lines{});
}

// ---- requests to server transactions (§17.2.3) -------------------------------------

TEST(MatchRequests, SameBranchFromAnotherSentByIsANewTransaction) {
  harness h;
  auto a = start_server(h, incoming("OPTIONS", "z9hG4bK-same"));
  auto r = incoming("OPTIONS", "z9hG4bK-same");
  r.sent_by = "192.0.2.3:5060";
  r.call_id = "call-2@192.0.2.3";
  h.receive(request_text(r), tp::udp, other_peer_address());
  const auto got = h.drain();
  ASSERT_EQ(describe(got), lines{"request OPTIONS"});
  EXPECT_NE(txn_of(got[0]), a.txn);
  EXPECT_EQ(h.layer.size(), 2u);
}

TEST(MatchRequests, SameBranchOtherMethodIsANewTransaction) {
  harness h;
  auto a = start_server(h, incoming("INVITE", "z9hG4bK-same"));
  auto r = incoming("OPTIONS", "z9hG4bK-same");
  r.cseq = 2;
  h.receive(request_text(r));
  const auto got = h.drain();
  ASSERT_EQ(describe(got), lines{"request OPTIONS"});
  EXPECT_NE(txn_of(got[0]), a.txn);
}

TEST(MatchRequests, TheSameRequestFromTheSameSentByIsARetransmission) {
  harness h;
  auto a = start_server(h, incoming("OPTIONS", "z9hG4bK-same"));
  h.receive(request_text(incoming("OPTIONS", "z9hG4bK-same")));
  EXPECT_EQ(describe(h.drain()), lines{});
  EXPECT_EQ(h.layer.size(), 1u);
}

TEST(MatchRequests, AnAckWithAnUnknownBranchIsForTheTu) {
  // The ACK of a 2xx is its own transaction-less request (§17.2.3 does not
  // match it; RFC 6026 §8.5).
  harness h;
  auto ack = incoming("ACK", "z9hG4bK-ack-1");
  ack.to_tag = "uas-1";
  h.receive(request_text(ack));
  const auto got = h.drain();
  ASSERT_EQ(describe(got), lines{"ack"});
  const auto& e = std::get<ack_event>(got[0]);
  EXPECT_EQ(e.ack.message.method(), method::ack);
  EXPECT_EQ(e.ack.origin.peer, peer_address());
  EXPECT_EQ(h.layer.size(), 0u);  // an ACK makes no transaction
}

TEST(MatchRequests, AnAckForANon2xxIsAbsorbedByItsInviteTransaction) {
  harness h;
  const auto spec = incoming("INVITE", "z9hG4bK-inv");
  auto s = start_server(h, spec);
  h.respond(s.txn, response_to(s.request, 486, "uas-1"));
  h.drain();
  h.receive(request_text(ack_for(spec, "uas-1")));
  EXPECT_EQ(describe(h.drain()), lines{});
  EXPECT_EQ(h.state(s.txn), transaction_state::confirmed);
}

// ---- merged requests (§8.2.2.2) ---------------------------------------------------

struct MergedRequests : ::testing::Test {
  harness h;
  request_spec first = incoming("INVITE", "z9hG4bK-path-1");
  request_spec second = incoming("INVITE", "z9hG4bK-path-2");  // same From tag, Call-ID, CSeq
};

TEST_F(MergedRequests, ASecondCopyByAnotherPathIsAnswered482) {
  auto s = start_server(h, first);
  h.receive(request_text(second));
  const auto got = h.drain();
  ASSERT_EQ(describe(got), lines{"send_response 482"});
  const auto& r = std::get<send_response_action>(got[0]);
  EXPECT_NE(r.txn, s.txn);
  EXPECT_EQ(r.top_via.branch, "z9hG4bK-path-2");
  EXPECT_EQ(r.origin.peer, peer_address());
  const message m = parse_owned(r.bytes);
  auto v = m.top_via();
  ASSERT_TRUE(v);
  EXPECT_EQ(v->branch, "z9hG4bK-path-2");
  EXPECT_EQ(m.call_id(), "call-1@192.0.2.2");
  EXPECT_EQ(m.value(header_id::cseq), "1 INVITE");
  // The first transaction is untouched.
  EXPECT_EQ(h.state(s.txn), transaction_state::proceeding);
  // The copy's retransmission is answered 482 again, never passed up.
  h.receive(request_text(second));
  const auto again = describe(h.drain());
  ASSERT_EQ(again.size(), 1u);
  EXPECT_EQ(again[0].rfind("send_response 482", 0), 0u) << again[0];
}

TEST_F(MergedRequests, TheTuNeverHearsOfAMergedInvite) {
  // The layer answered it; whatever its 482 does until it ends (Timer G
  // retransmissions over UDP), the TU gets no request and no timeout for
  // a request it never saw.
  start_server(h, first);
  h.receive(request_text(second));
  const auto got = h.drain();
  ASSERT_EQ(describe(got), lines{"send_response 482"});
  const transaction_id merged = txn_of(got[0]);
  for (const auto& a : h.run_out()) {
    if (merged.valid() && txn_of(a.action) != merged) continue;
    EXPECT_FALSE(std::holds_alternative<timeout_event>(a.action)) << stamp(a.at);
    EXPECT_FALSE(std::holds_alternative<request_event>(a.action)) << stamp(a.at);
  }
}

TEST_F(MergedRequests, NonInviteToo) {
  first.method = second.method = "MESSAGE";
  start_server(h, first);
  h.receive(request_text(second));
  EXPECT_EQ(describe(h.drain()), lines{"send_response 482"});
}

TEST_F(MergedRequests, AnotherSentByWithTheSameBranchIsMergedToo) {
  start_server(h, first);
  auto copy = first;
  copy.sent_by = "192.0.2.3:5060";
  h.receive(request_text(copy), tp::udp, other_peer_address());
  EXPECT_EQ(describe(h.drain()), lines{"send_response 482"});
}

TEST_F(MergedRequests, ARequestWithAToTagIsNotChecked) {
  // §8.2.2.2 only applies to requests without a To tag.
  first.to_tag = second.to_tag = "dialog-1";
  start_server(h, first);
  h.receive(request_text(second));
  EXPECT_EQ(describe(h.drain()), (lines{"send_response 100", "request INVITE"}));
}

TEST_F(MergedRequests, OtherFromTagCallIdOrCSeqIsNotMerged) {
  start_server(h, first);
  auto a = second;
  a.from_tag = "from-2";
  auto b = second;
  b.branch = "z9hG4bK-path-3";
  b.call_id = "call-2@192.0.2.2";
  auto c = second;
  c.branch = "z9hG4bK-path-4";
  c.cseq = 2;
  for (const auto& r : {a, b, c}) {
    h.receive(request_text(r));
    EXPECT_EQ(describe(h.drain()), (lines{"send_response 100", "request INVITE"})) << r.branch;
  }
}

TEST_F(MergedRequests, CancelIsNotAMergedInvite) {
  // Same From tag, Call-ID and CSeq number, but CSeq method CANCEL.
  start_server(h, first);
  h.receive(request_text(cancel_for(first)));
  EXPECT_EQ(describe(h.drain()), lines{"cancel invite"});
}

TEST_F(MergedRequests, NotCheckedOnceTheFirstTransactionIsGone) {
  auto s = start_server(h, first, tp::tcp);
  h.respond(s.txn, response_to(s.request, 486, "uas-1"));
  h.receive(request_text(ack_for(first, "uas-1")), tp::tcp);  // Timer I = 0
  h.drain();
  ASSERT_EQ(h.state(s.txn), std::nullopt);
  h.receive(request_text(second));
  EXPECT_EQ(describe(h.drain()), (lines{"send_response 100", "request INVITE"}));
}

TEST_F(MergedRequests, OffWhenConfiguredOff) {
  transaction_config cfg;
  cfg.answer_merged_requests = false;
  harness off{cfg};
  start_server(off, first);
  off.receive(request_text(second));
  EXPECT_EQ(describe(off.drain()), (lines{"send_response 100", "request INVITE"}));
}

// ---- the RFC 2543 fallback (§17.2.3) --------------------------------------------

struct Rfc2543 : ::testing::Test {
  harness h;
  request_spec invite = incoming("INVITE", "");  // no branch at all

  server_start start() { return start_server(h, invite); }
  std::vector<txn_action> peer(const request_spec& r) {
    h.receive(request_text(r));
    return h.drain();
  }
};

TEST_F(Rfc2543, AnIdenticalInviteIsARetransmission) {
  auto s = start();
  ASSERT_EQ(describe(s.actions), (lines{"send_response 100", "request INVITE"}));
  EXPECT_EQ(describe(peer(invite)), lines{"send_response 100 retx"});
  EXPECT_EQ(h.layer.size(), 1u);
}

TEST_F(Rfc2543, ABranchWithoutTheMagicCookieUsesTheFallbackToo) {
  invite.branch = "1234abcd";
  auto s = start();
  EXPECT_EQ(describe(peer(invite)), lines{"send_response 100 retx"});
  // Changing only that non-RFC 3261 branch changes the top Via: no match.
  auto other = invite;
  other.branch = "5678";
  EXPECT_EQ(describe(peer(other)), lines{"send_response 482"});
}

TEST_F(Rfc2543, EachKeyFieldTakesPartInTheMatch) {
  auto s = start();
  // Request-URI or top Via differs, From tag / Call-ID / CSeq the same: not
  // a retransmission, so a merged request (§8.2.2.2): 482.
  auto uri = invite;
  uri.uri = "sip:bob@192.0.2.1;x=1";
  EXPECT_EQ(describe(peer(uri)), lines{"send_response 482"});
  auto via = invite;
  via.sent_by = "192.0.2.2:5070";
  EXPECT_EQ(describe(peer(via)), lines{"send_response 482"});
  // From tag, Call-ID or CSeq differs: a new request.
  auto from = invite;
  from.from_tag = "from-2";
  EXPECT_EQ(describe(peer(from)), (lines{"send_response 100", "request INVITE"}));
  auto call = invite;
  call.call_id = "call-2@192.0.2.2";
  EXPECT_EQ(describe(peer(call)), (lines{"send_response 100", "request INVITE"}));
  auto cseq = invite;
  cseq.cseq = 2;
  EXPECT_EQ(describe(peer(cseq)), (lines{"send_response 100", "request INVITE"}));
  EXPECT_GE(h.layer.size(), 4u);  // a 482 may have a transaction of its own
}

TEST_F(Rfc2543, WithoutMergeDetectionADifferentRequestUriIsANewTransaction) {
  transaction_config cfg;
  cfg.answer_merged_requests = false;
  harness off{cfg};
  start_server(off, invite);
  auto uri = invite;
  uri.uri = "sip:bob@192.0.2.1;x=1";
  off.receive(request_text(uri));
  EXPECT_EQ(describe(off.drain()), (lines{"send_response 100", "request INVITE"}));
}

TEST_F(Rfc2543, TheToTagTakesPartInTheMatch) {
  // A re-INVITE in a dialog: a copy with another To tag is another request.
  invite.to_tag = "dialog-1";
  start();
  EXPECT_EQ(describe(peer(invite)), lines{"send_response 100 retx"});
  auto other = invite;
  other.to_tag = "dialog-2";
  EXPECT_EQ(describe(peer(other)), (lines{"send_response 100", "request INVITE"}));
}

TEST_F(Rfc2543, TheAckMatchesByTheToTagOfTheResponse) {
  auto s = start();
  h.respond(s.txn, response_to(s.request, 486, "uas-486"));
  h.drain();
  // Another To tag: not this transaction's response, so the TU's.
  EXPECT_EQ(describe(peer(ack_for(invite, "someone-else"))), lines{"ack"});
  EXPECT_EQ(h.state(s.txn), transaction_state::completed);
  // The To tag of our 486: the ACK of the transaction.
  EXPECT_EQ(describe(peer(ack_for(invite, "uas-486"))), lines{});
  EXPECT_EQ(h.state(s.txn), transaction_state::confirmed);
  // Its retransmission is absorbed.
  EXPECT_EQ(describe(peer(ack_for(invite, "uas-486"))), lines{});
}

TEST_F(Rfc2543, ANonInviteRetransmissionIsMatchedWithItsMethod) {
  auto opt = incoming("OPTIONS", "");
  auto s = start_server(h, opt);
  EXPECT_EQ(describe(peer(opt)), lines{});  // Trying: absorbed
  h.respond(s.txn, response_to(s.request, 200, "uas-1"));
  h.drain();
  EXPECT_EQ(describe(peer(opt)), lines{"send_response 200 retx"});
}

TEST_F(Rfc2543, CancelMatchesTheInvite) {
  auto s = start();
  const auto got = peer(cancel_for(invite));
  ASSERT_EQ(describe(got), lines{"cancel invite"});
  EXPECT_EQ(std::get<cancel_event>(got[0]).invite, s.txn);
}

// ---- the transaction limit --------------------------------------------------------

TEST(MaxTransactions, ANewRequestPastTheLimitIsAnswered503Statelessly) {
  transaction_config cfg;
  cfg.max_transactions = 1;
  harness h{cfg};
  auto s = start_server(h, incoming("OPTIONS", "z9hG4bK-1"));
  auto r = incoming("INVITE", "z9hG4bK-2");
  r.call_id = "call-2@192.0.2.2";
  h.receive(request_text(r));
  const auto got = h.drain();
  ASSERT_EQ(describe(got), lines{"send_response 503"});
  const auto& a = std::get<send_response_action>(got[0]);
  EXPECT_FALSE(a.txn.valid());
  EXPECT_FALSE(a.retransmission);
  EXPECT_EQ(a.origin.peer, peer_address());
  EXPECT_EQ(a.top_via.branch, "z9hG4bK-2");
  const message m = parse_owned(a.bytes);
  EXPECT_NE(m.find(header_id::retry_after), nullptr);
  EXPECT_EQ(m.call_id(), "call-2@192.0.2.2");
  EXPECT_EQ(h.layer.size(), 1u);
  // A retransmission of the live one still matches it.
  h.receive(request_text(incoming("OPTIONS", "z9hG4bK-1")));
  EXPECT_EQ(describe(h.drain()), lines{});
  // Our own requests fail the same way.
  auto c = h.try_send(request_text(outgoing("OPTIONS")));
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error(), make_error_code(txn_errc::too_many_transactions));
  // Room again once it is gone.
  h.respond(s.txn, response_to(s.request, 200, "u"));
  h.run_out();
  h.receive(request_text(r));
  EXPECT_EQ(describe(h.drain()), (lines{"send_response 100", "request INVITE"}));
}

TEST(MaxTransactions, AnAckNeedsNoRoom) {
  transaction_config cfg;
  cfg.max_transactions = 1;
  harness h{cfg};
  start_server(h, incoming("OPTIONS", "z9hG4bK-1"));
  auto ack = incoming("ACK", "z9hG4bK-ack");
  ack.to_tag = "uas-1";
  ack.call_id = "call-2@192.0.2.2";
  h.receive(request_text(ack));
  EXPECT_EQ(describe(h.drain()), lines{"ack"});
}

// ---- transport errors reach the transactions of that peer and protocol -------------

TEST(TransportErrors, OnlyTheTransactionsSendingToThatPeerOverThatProtocol) {
  harness h;
  auto a = start_client(h, outgoing("OPTIONS", "z9hG4bK-a"));
  auto b = start_client(h, outgoing("INVITE", "z9hG4bK-b"));
  auto other_spec = outgoing("OPTIONS", "z9hG4bK-c");
  const transaction_id c = h.send(request_text(other_spec), tp::udp, other_peer_address());
  auto tcp_spec = outgoing("OPTIONS", "z9hG4bK-d");
  tcp_spec.transport = "TCP";
  const transaction_id d = h.send(request_text(tcp_spec), tp::tcp);
  h.drain();

  h.transport_error(tp::udp, peer_address());
  const auto got = h.drain();
  EXPECT_EQ(sorted(describe(got)),
            sorted({"transport_failure", "transport_failure", "terminated", "terminated"}));
  for (const auto& x : got) {
    EXPECT_TRUE(txn_of(x) == a.txn || txn_of(x) == b.txn) << describe(x);
    if (const auto* f = std::get_if<transport_failure_event>(&x)) {
      EXPECT_EQ(f->error, std::make_error_code(std::errc::connection_refused));
    }
  }
  EXPECT_EQ(h.state(c), transaction_state::trying);
  EXPECT_EQ(h.state(d), transaction_state::trying);

  // A TCP error for the same peer reaches the TCP one only.
  h.transport_error(tp::tcp, peer_address());
  const auto got2 = h.drain();
  ASSERT_EQ(describe(got2), (lines{"transport_failure", "terminated"}));
  EXPECT_EQ(txn_of(got2[0]), d);
  EXPECT_EQ(h.state(c), transaction_state::trying);
}

TEST(TransportErrors, ReachServerTransactionsAnsweringThatPeer) {
  harness h;
  auto s = start_server(h, incoming("OPTIONS", "z9hG4bK-s"));
  auto r = incoming("OPTIONS", "z9hG4bK-t");
  r.sent_by = "192.0.2.3:5060";
  r.call_id = "call-3";
  h.receive(request_text(r), tp::udp, other_peer_address());
  h.drain();
  h.transport_error(tp::udp, peer_address());
  // Whether the server transaction then ends is server_*_test's business
  // (RFC 6026 §8.8); here: the failure reaches that one only.
  const auto got = h.drain();
  const auto* f = first_of<transport_failure_event>(got);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->txn, s.txn);
  EXPECT_EQ(only(describe(got), "transport_failure"), lines{"transport_failure"});
}

TEST(TransportErrors, AnErrorForNoTransactionDoesNothing) {
  harness h;
  h.transport_error(tp::udp, other_peer_address());
  EXPECT_EQ(describe(h.drain()), lines{});
}

}  // namespace
}  // namespace sipua
