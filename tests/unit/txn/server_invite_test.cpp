// The INVITE server transaction (RFC 3261 §17.2.1 with RFC 6026 §7.1,
// §8.5-§8.8, figure 7): every (state, event) pair, CANCEL (§9.2), and the
// errors of send_response() on it.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "harness.hpp"

#include "sipua/message/header_id.hpp"

namespace sipua {
namespace {

using namespace test;

struct ServerInvite : ::testing::Test {
  harness h;
  request_spec spec = incoming("INVITE", "z9hG4bK-inv-1");
  server_start s;

  void start(tp protocol = tp::udp) {
    if (protocol != tp::udp) spec.transport = "TCP";
    s = start_server(h, spec, protocol);
  }
  /// The TU answers `status` on the INVITE; the actions that follow.
  std::vector<txn_action> answer(int status, std::string_view tag = "uas-1") {
    EXPECT_EQ(h.respond(s.txn, response_to(s.request, status, tag)), std::error_code{}) << status;
    return h.drain();
  }
  /// The peer sends `r` again (or anew).
  std::vector<txn_action> peer(const request_spec& r, tp protocol = tp::udp) {
    h.receive(request_text(r), protocol);
    return h.drain();
  }
  std::error_code try_answer(int status, std::string_view tag = "uas-1") {
    return h.respond(s.txn, response_to(s.request, status, tag));
  }
};

// ---- a new INVITE -------------------------------------------------------------

TEST_F(ServerInvite, ANewInviteIsAnswered100AndPassedUp) {
  start();
  // transaction_layer.hpp: the 100 Trying has been sent when the TU hears
  // of the INVITE (§17.2.1).
  ASSERT_EQ(describe(s.actions), (lines{"send_response 100", "request INVITE"}));
  const auto& r = std::get<send_response_action>(s.actions[0]);
  const auto& e = std::get<request_event>(s.actions[1]);
  EXPECT_EQ(r.txn, e.txn);
  EXPECT_TRUE(e.txn.valid());
  EXPECT_FALSE(r.retransmission);
  EXPECT_EQ(r.origin.peer, peer_address());
  EXPECT_EQ(r.origin.local, local_address());
  EXPECT_EQ(r.origin.protocol, tp::udp);
  EXPECT_EQ(r.top_via.branch, "z9hG4bK-inv-1");
  EXPECT_EQ(r.top_via.host, "192.0.2.2");
  ASSERT_TRUE(r.request);
  // The 100 per §8.2.6, without a To tag (§17.2.1: SHOULD NOT).
  const message trying = parse_owned(r.bytes);
  EXPECT_EQ(trying.status_code(), 100);
  EXPECT_EQ(trying.value(header_id::via), s.request.value(header_id::via));
  EXPECT_EQ(trying.value(header_id::from), s.request.value(header_id::from));
  EXPECT_EQ(trying.call_id(), s.request.call_id());
  EXPECT_EQ(trying.value(header_id::cseq), s.request.value(header_id::cseq));
  auto to = trying.to();
  ASSERT_TRUE(to);
  EXPECT_EQ(to->tag(), "");
  EXPECT_EQ(e.request.origin.peer, peer_address());
  EXPECT_EQ(e.request.message.method(), method::invite);
  EXPECT_EQ(h.layer.kind(s.txn), transaction_kind::server_invite);
  EXPECT_EQ(h.state(s.txn), transaction_state::proceeding);
  EXPECT_EQ(h.layer.size(), 1u);
}

TEST_F(ServerInvite, Without100TryingOnlyTheRequestGoesUp) {
  transaction_config cfg;
  cfg.send_100_trying = false;
  harness quiet{cfg};
  auto st = start_server(quiet, spec);
  EXPECT_EQ(describe(st.actions), lines{"request INVITE"});
}

// ---- proceeding -------------------------------------------------------------------

TEST_F(ServerInvite, ProceedingRetransmissionResendsThe100) {
  start();
  const auto first = std::get<send_response_action>(s.actions.at(0)).bytes;
  const auto got = peer(spec);
  ASSERT_EQ(describe(got), lines{"send_response 100 retx"});
  const auto& r = std::get<send_response_action>(got[0]);
  EXPECT_EQ(r.txn, s.txn);
  EXPECT_EQ(*r.bytes, *first);
  EXPECT_EQ(h.state(s.txn), transaction_state::proceeding);
}

TEST_F(ServerInvite, ProceedingRetransmissionResendsTheLatestProvisional) {
  start();
  EXPECT_EQ(describe(answer(180)), lines{"send_response 180"});
  const auto p183 = answer(183);
  ASSERT_EQ(describe(p183), lines{"send_response 183"});
  const auto got = peer(spec);
  ASSERT_EQ(describe(got), lines{"send_response 183 retx"});
  EXPECT_EQ(*std::get<send_response_action>(got[0]).bytes,
            *std::get<send_response_action>(p183[0]).bytes);
  EXPECT_EQ(h.state(s.txn), transaction_state::proceeding);
}

TEST_F(ServerInvite, ProceedingSendsProvisionalsUnreliablyAndHasNoTimer) {
  start();
  const auto got = answer(180);
  ASSERT_EQ(describe(got), lines{"send_response 180"});
  const auto& r = std::get<send_response_action>(got[0]);
  EXPECT_EQ(r.txn, s.txn);
  EXPECT_EQ(r.origin.peer, peer_address());
  EXPECT_EQ(r.top_via.branch, "z9hG4bK-inv-1");
  // §17.2.1: provisionals are not retransmitted by the transaction; it
  // waits for the TU as long as the TU likes.
  EXPECT_EQ(describe(h.run_until(600s)), lines{});
  EXPECT_EQ(h.state(s.txn), transaction_state::proceeding);
}

TEST_F(ServerInvite, Proceeding2xxGoesToAccepted) {
  start();
  EXPECT_EQ(describe(answer(200)), lines{"send_response 200"});
  EXPECT_EQ(h.state(s.txn), transaction_state::accepted);
}

TEST_F(ServerInvite, Proceeding300To699GoesToCompleted) {
  for (int status : {300, 404, 486, 487, 500, 603}) {
    harness hh;
    auto st = start_server(hh, spec);
    EXPECT_EQ(hh.respond(st.txn, response_to(st.request, status, "u")), std::error_code{});
    EXPECT_EQ(describe(hh.drain()), lines{"send_response " + std::to_string(status)});
    EXPECT_EQ(hh.state(st.txn), transaction_state::completed) << status;
  }
}

TEST_F(ServerInvite, ProceedingAckIsAbsorbed) {
  // An ACK matching the INVITE before any final response: figure 7 has no
  // arc for it; it is neither a new request nor an ACK for a 2xx.
  start();
  EXPECT_EQ(describe(peer(ack_for(spec, "uas-1"))), lines{});
  EXPECT_EQ(h.state(s.txn), transaction_state::proceeding);
}

TEST_F(ServerInvite, ProceedingTransportErrorInformsTheTuAndKeepsTheState) {
  // RFC 6026 §7.1, §8.8: "MUST remain in the current state".
  start();
  h.transport_error();
  const auto got = h.drain();
  ASSERT_EQ(describe(got), lines{"transport_failure"});
  EXPECT_EQ(txn_of(got[0]), s.txn);
  EXPECT_EQ(h.state(s.txn), transaction_state::proceeding);
  // Retransmissions are still absorbed, not new requests.
  EXPECT_EQ(describe(peer(spec)), lines{"send_response 100 retx"});
}

// ---- completed ---------------------------------------------------------------------

TEST_F(ServerInvite, CompletedRetransmissionResendsTheFinal) {
  start();
  const auto final_response = answer(486);
  const auto got = peer(spec);
  ASSERT_EQ(describe(got), lines{"send_response 486 retx"});
  EXPECT_EQ(*std::get<send_response_action>(got[0]).bytes,
            *std::get<send_response_action>(final_response.at(0)).bytes);
  EXPECT_EQ(h.state(s.txn), transaction_state::completed);
}

TEST_F(ServerInvite, CompletedTimerGRetransmitsTheFinal) {
  start();
  const auto final_response = answer(486);
  std::vector<timed_action> got;
  ASSERT_TRUE(h.advance_to_next_deadline(&got));
  ASSERT_EQ(describe(got), lines{"500ms send_response 486 retx"});
  const auto& r = std::get<send_response_action>(got[0].action);
  EXPECT_EQ(r.txn, s.txn);
  EXPECT_EQ(*r.bytes, *std::get<send_response_action>(final_response.at(0)).bytes);
  EXPECT_EQ(r.origin.peer, peer_address());
}

TEST_F(ServerInvite, CompletedAckGoesToConfirmedAndStopsTimerG) {
  start();
  answer(486);
  h.run_until(1000ms);                                         // G at 500 ms
  EXPECT_EQ(describe(peer(ack_for(spec, "uas-1"))), lines{});  // absorbed, not to the TU
  EXPECT_EQ(h.state(s.txn), transaction_state::confirmed);
  // No more G, no H: Timer I (T4) ends it.
  EXPECT_EQ(describe(h.run_out()), lines{"6000ms terminated"});
  EXPECT_EQ(h.layer.size(), 0u);
}

TEST_F(ServerInvite, CompletedTimerHTimesOut) {
  start();
  answer(486);
  const auto got = h.run_out();
  const auto d = describe(got);
  ASSERT_GE(d.size(), 2u);
  EXPECT_EQ(d[d.size() - 2], "32000ms timeout");
  EXPECT_EQ(d.back(), "32000ms terminated");
  EXPECT_EQ(txn_of(got[got.size() - 2].action), s.txn);
  EXPECT_EQ(h.layer.size(), 0u);
}

TEST_F(ServerInvite, CompletedRejectsEveryResponseFromTheTu) {
  start();
  answer(486);
  for (int status : {180, 200, 486, 500})
    EXPECT_EQ(try_answer(status), make_error_code(txn_errc::wrong_state)) << status;
  EXPECT_EQ(describe(h.drain()), lines{});
  EXPECT_EQ(h.state(s.txn), transaction_state::completed);
}

TEST_F(ServerInvite, CompletedTransportErrorInformsTheTuAndKeepsTheState) {
  // RFC 6026 §8.8; Timer H still ends it.
  start();
  answer(486);
  h.transport_error();
  EXPECT_EQ(describe(h.drain()), lines{"transport_failure"});
  EXPECT_EQ(h.state(s.txn), transaction_state::completed);
  EXPECT_EQ(describe(peer(spec)), lines{"send_response 486 retx"});
}

// ---- confirmed -----------------------------------------------------------------------

TEST_F(ServerInvite, ConfirmedAbsorbsInviteAndAckRetransmissions) {
  start();
  answer(486);
  peer(ack_for(spec, "uas-1"));
  EXPECT_EQ(describe(peer(ack_for(spec, "uas-1"))), lines{});
  EXPECT_EQ(describe(peer(spec)), lines{});
  EXPECT_EQ(h.state(s.txn), transaction_state::confirmed);
}

TEST_F(ServerInvite, ConfirmedTimerITerminatesAtT4) {
  start();
  answer(486);
  peer(ack_for(spec, "uas-1"));
  EXPECT_EQ(describe(h.run_out()), lines{"5000ms terminated"});
  EXPECT_EQ(h.state(s.txn), std::nullopt);
}

TEST_F(ServerInvite, ConfirmedRejectsResponsesFromTheTu) {
  start();
  answer(486);
  peer(ack_for(spec, "uas-1"));
  EXPECT_EQ(try_answer(200), make_error_code(txn_errc::wrong_state));
  EXPECT_EQ(try_answer(486), make_error_code(txn_errc::wrong_state));
  EXPECT_EQ(describe(h.drain()), lines{});
}

// ---- accepted (RFC 6026) ----------------------------------------------------------------

TEST_F(ServerInvite, AcceptedAbsorbsInviteRetransmissions) {
  // RFC 6026 §7.1: absorbed, not passed up, and no 2xx resent by the
  // transaction (the TU retransmits its 2xx).
  start();
  answer(200);
  EXPECT_EQ(describe(peer(spec)), lines{});
  EXPECT_EQ(describe(peer(spec)), lines{});
  EXPECT_EQ(h.state(s.txn), transaction_state::accepted);
}

TEST_F(ServerInvite, AcceptedPassesTheAckUp) {
  // RFC 6026 §7.1: "Any ACKs received ... MUST be passed directly to the
  // TU and not absorbed." The ACK of a 2xx has its own branch (§13.2.2.4).
  start();
  answer(200);
  auto ack = ack_for(spec, "uas-1");
  ack.branch = "z9hG4bK-ack-2xx";
  const auto got = peer(ack);
  ASSERT_EQ(describe(got), lines{"ack"});
  EXPECT_EQ(std::get<ack_event>(got[0]).ack.message.method(), method::ack);
  EXPECT_EQ(std::get<ack_event>(got[0]).ack.origin.peer, peer_address());
  EXPECT_EQ(h.state(s.txn), transaction_state::accepted);
  // Each one.
  EXPECT_EQ(describe(peer(ack)), lines{"ack"});
}

TEST_F(ServerInvite, AcceptedPassesUpEvenAnAckWithTheInvitesBranch) {
  start();
  answer(200);
  EXPECT_EQ(describe(peer(ack_for(spec, "uas-1"))), lines{"ack"});
  EXPECT_EQ(h.state(s.txn), transaction_state::accepted);
}

TEST_F(ServerInvite, AcceptedSendsEvery2xxTheTuPasses) {
  start();
  answer(200);
  for (int i = 0; i < 3; ++i) {
    const auto got = answer(200);
    ASSERT_EQ(got.size(), 1u);
    const auto* r = std::get_if<send_response_action>(&got[0]);
    ASSERT_NE(r, nullptr);
    EXPECT_EQ(first_word(*r->bytes, true), "200");
    EXPECT_EQ(r->txn, s.txn);
  }
  EXPECT_EQ(h.state(s.txn), transaction_state::accepted);
}

TEST_F(ServerInvite, AcceptedRejects1xxAndNon2xx) {
  // RFC 6026 §8.6 (transaction_layer.hpp: wrong_state).
  start();
  answer(200);
  EXPECT_EQ(try_answer(180), make_error_code(txn_errc::wrong_state));
  EXPECT_EQ(try_answer(486), make_error_code(txn_errc::wrong_state));
  EXPECT_EQ(describe(h.drain()), lines{});
  EXPECT_EQ(h.state(s.txn), transaction_state::accepted);
}

TEST_F(ServerInvite, AcceptedTimerLTerminatesWithoutRetransmitting) {
  start();
  answer(200);
  EXPECT_EQ(describe(h.run_out()), lines{"32000ms terminated"});
  EXPECT_EQ(h.layer.size(), 0u);
}

TEST_F(ServerInvite, AcceptedTransportErrorInformsTheTuAndKeepsTheState) {
  start();
  answer(200);
  h.transport_error();
  EXPECT_EQ(describe(h.drain()), lines{"transport_failure"});
  EXPECT_EQ(h.state(s.txn), transaction_state::accepted);
  EXPECT_EQ(describe(peer(spec)), lines{});  // still absorbing retransmissions
}

TEST_F(ServerInvite, AnInviteAfterTimerLIsANewTransaction) {
  start();
  answer(200);
  h.run_out();
  h.receive(request_text(spec));
  const auto got = h.drain();
  ASSERT_EQ(describe(got), (lines{"send_response 100", "request INVITE"}));
  EXPECT_NE(txn_of(got[1]), s.txn);
}

// ---- over TCP ------------------------------------------------------------------------------

TEST_F(ServerInvite, OverTcpNoTimerGAndTimerHStill32Seconds) {
  start(tp::tcp);
  const auto got = answer(486);
  ASSERT_EQ(describe(got), lines{"send_response 486"});
  EXPECT_EQ(std::get<send_response_action>(got[0]).origin.protocol, tp::tcp);
  EXPECT_EQ(describe(h.run_out()), (lines{"32000ms timeout", "32000ms terminated"}));
}

TEST_F(ServerInvite, OverTcpTheAckTerminatesAtOnce) {
  start(tp::tcp);
  answer(486);
  h.run_until(1000ms);
  EXPECT_EQ(describe(peer(ack_for(spec, "uas-1"), tp::tcp)), lines{"terminated"});  // I = 0
  EXPECT_EQ(h.layer.size(), 0u);
}

TEST_F(ServerInvite, OverTcpTimerLStill32Seconds) {
  // RFC 6026 §8.7: "64*T1 for all transports".
  start(tp::tcp);
  answer(200);
  EXPECT_EQ(describe(h.run_out()), lines{"32000ms terminated"});
}

// ---- CANCEL (§9.2) ---------------------------------------------------------------------

TEST_F(ServerInvite, CancelBeforeTheFinalNamesTheInvite) {
  start();
  answer(180);
  h.receive(request_text(cancel_for(spec)));
  const auto got = h.drain();
  ASSERT_EQ(describe(got), lines{"cancel invite"});
  const auto& c = std::get<cancel_event>(got[0]);
  EXPECT_EQ(c.invite, s.txn);
  EXPECT_TRUE(c.txn.valid());
  EXPECT_NE(c.txn, s.txn);
  EXPECT_EQ(c.cancel.message.method(), method::cancel);
  EXPECT_EQ(h.layer.kind(c.txn), transaction_kind::server_non_invite);
  EXPECT_EQ(h.state(c.txn), transaction_state::trying);
  // The TU: 200 to the CANCEL, 487 to the INVITE; both go out.
  EXPECT_EQ(h.respond(c.txn, response_to(c.cancel.message, 200, "uas-1")), std::error_code{});
  EXPECT_EQ(describe(h.drain()), lines{"send_response 200"});
  EXPECT_EQ(describe(answer(487)), lines{"send_response 487"});
  EXPECT_EQ(h.state(s.txn), transaction_state::completed);
  EXPECT_EQ(describe(peer(ack_for(spec, "uas-1"))), lines{});
  EXPECT_EQ(h.state(s.txn), transaction_state::confirmed);
}

TEST_F(ServerInvite, CancelRetransmissionsAreItsOwnTransactionsRetransmissions) {
  start();
  h.receive(request_text(cancel_for(spec)));
  const auto c = std::get<cancel_event>(h.drain().at(0));
  EXPECT_EQ(describe(peer(cancel_for(spec))), lines{});  // Trying: absorbed
  h.respond(c.txn, response_to(c.cancel.message, 200, "uas-1"));
  h.drain();
  EXPECT_EQ(describe(peer(cancel_for(spec))), lines{"send_response 200 retx"});
}

TEST_F(ServerInvite, CancelAfterANon2xxFinalStillNamesTheInvite) {
  // §9.2: the transaction still exists (Completed): the TU answers the
  // CANCEL 200, and the CANCEL has no effect on the INVITE.
  start();
  answer(486);
  h.receive(request_text(cancel_for(spec)));
  const auto got = h.drain();
  ASSERT_EQ(describe(got), lines{"cancel invite"});
  EXPECT_EQ(std::get<cancel_event>(got[0]).invite, s.txn);
  EXPECT_EQ(try_answer(487), make_error_code(txn_errc::wrong_state));
  EXPECT_EQ(h.state(s.txn), transaction_state::completed);
}

TEST_F(ServerInvite, CancelAfterA2xxStillNamesTheInvite) {
  start();
  answer(200);
  h.receive(request_text(cancel_for(spec)));
  const auto got = h.drain();
  ASSERT_EQ(describe(got), lines{"cancel invite"});
  EXPECT_EQ(std::get<cancel_event>(got[0]).invite, s.txn);
  EXPECT_EQ(try_answer(487), make_error_code(txn_errc::wrong_state));
  EXPECT_EQ(h.state(s.txn), transaction_state::accepted);
}

TEST_F(ServerInvite, CancelOfNothingHasNoInvite) {
  // §9.2: the TU answers it 481.
  h.receive(request_text(cancel_for(spec)));
  const auto got = h.drain();
  ASSERT_EQ(describe(got), lines{"cancel no-invite"});
  const auto& c = std::get<cancel_event>(got[0]);
  EXPECT_TRUE(c.txn.valid());
  EXPECT_FALSE(c.invite.valid());
  EXPECT_EQ(h.respond(c.txn, response_to(c.cancel.message, 481, "uas-1")), std::error_code{});
  EXPECT_EQ(describe(h.drain()), lines{"send_response 481"});
}

TEST_F(ServerInvite, CancelAfterTheInviteTerminatedHasNoInvite) {
  start(tp::tcp);
  answer(486);
  peer(ack_for(spec, "uas-1"), tp::tcp);  // Timer I = 0 over TCP
  ASSERT_EQ(h.state(s.txn), std::nullopt);
  h.receive(request_text(cancel_for(spec)), tp::tcp);
  EXPECT_EQ(describe(h.drain()), lines{"cancel no-invite"});
}

TEST_F(ServerInvite, CancelFromAnotherSentByDoesNotMatch) {
  // §17.2.3 rule 2 (applied to CANCEL by §9.2).
  start();
  auto c = cancel_for(spec);
  c.sent_by = "192.0.2.3:5060";
  h.receive(request_text(c), tp::udp, other_peer_address());
  EXPECT_EQ(describe(h.drain()), lines{"cancel no-invite"});
}

// ---- send_response errors -----------------------------------------------------------

TEST_F(ServerInvite, SendResponseErrors) {
  start();
  EXPECT_EQ(h.respond(s.txn, ""), make_error_code(txn_errc::bad_message));
  EXPECT_EQ(h.respond(s.txn, "SIP/2.0 200\r\n\r\n"), make_error_code(txn_errc::bad_message));
  EXPECT_EQ(h.respond(s.txn, request_text(spec)), make_error_code(txn_errc::not_a_response));
  EXPECT_EQ(h.respond(transaction_id{}, response_to(s.request, 200)),
            make_error_code(txn_errc::unknown_transaction));
  auto c = start_client(h, outgoing("OPTIONS", "z9hG4bK-c-1"));
  EXPECT_EQ(h.respond(c.txn, response_to(s.request, 200)), make_error_code(txn_errc::wrong_kind));
  EXPECT_EQ(describe(h.drain()), lines{});
  EXPECT_EQ(h.state(s.txn), transaction_state::proceeding);
}

TEST_F(ServerInvite, AStaleHandleIsUnknown) {
  start(tp::tcp);
  answer(486);
  peer(ack_for(spec, "uas-1"), tp::tcp);
  ASSERT_EQ(h.state(s.txn), std::nullopt);
  EXPECT_EQ(h.layer.kind(s.txn), std::nullopt);
  EXPECT_EQ(try_answer(200), make_error_code(txn_errc::unknown_transaction));
  // A new transaction may reuse the slot, never the handle.
  auto again = start_server(h, incoming("INVITE", "z9hG4bK-inv-2"), tp::tcp);
  EXPECT_NE(again.txn, s.txn);
  EXPECT_EQ(try_answer(200), make_error_code(txn_errc::unknown_transaction));
  EXPECT_EQ(h.state(again.txn), transaction_state::proceeding);
}

}  // namespace
}  // namespace sipua
