// Forking (RFC 3261 §12.1.2, §13.2.2.4, §19.3; RFC 6026 §7.2): a scripted
// peer acts as a forking proxy that Record-Routes. Several early dialogs,
// each with its own early media; the first 2xx wins, every 2xx is ACKed in
// its own dialog, the others get a BYE; retransmitted 2xx are ACKed again.
#include <gtest/gtest.h>

#include "core_harness.hpp"

namespace sipua::test {
namespace {

constexpr const char* proxy = "192.0.2.9:5060";
constexpr const char* record_route = "Record-Route: <sip:192.0.2.9;lr>";

std::string fork_tag(int i) { return "fork" + std::to_string(i); }
std::string fork_contact(int i) { return "sip:bob@192.0.2." + std::to_string(10 + i); }
std::uint16_t fork_port(int i) { return static_cast<std::uint16_t>(4000 + 2 * i); }

class core_forking : public ::testing::TestWithParam<int> {
 protected:
  core_net net;
  ua_node& alice = net.add("alice", "192.0.2.1");
  call_handle call;
  message invite;

  core_forking() {
    net.add_peer("proxy", "192.0.2.9");
    const peer_call started = call_peer(net, alice, "proxy");
    call = started.call;
    invite = started.invite;
  }

  /// Fork `i`'s response to the INVITE, with its tag, Contact and SDP.
  std::string fork_response(int i, int status, std::string_view reason) {
    return reply(invite, status, reason, fork_tag(i),
                 {record_route, "Contact: <" + fork_contact(i) + ">"},
                 sdp_text("192.0.2." + std::to_string(10 + i), fork_port(i),
                          static_cast<std::uint64_t>(500 + i), 1));
  }

  /// The last request of `kind` the proxy got.
  message last(method kind) {
    const auto& in = net.inbox("proxy");
    for (auto it = in.rbegin(); it != in.rend(); ++it) {
      if (it->msg.method() == kind) return it->msg;
    }
    ADD_FAILURE() << "no such request at the proxy";
    return message{};
  }
  void ring_all() {
    for (int i = 1; i <= GetParam(); ++i) {
      net.inject(proxy, alice, fork_response(i, 180, "Ringing"));
    }
  }
  /// Every fork rings; fork 2 answers, then fork 1.
  void two_answers() {
    ring_all();
    net.inject(proxy, alice, fork_response(2, 200, "OK"));
    net.inject(proxy, alice, fork_response(1, 200, "OK"));
  }
  std::size_t answered_events() const {
    std::size_t n = 0;
    for (const std::string& e : alice.events) n += e == "answered" ? 1U : 0U;
    return n;
  }
  std::vector<message> all(method kind) {
    std::vector<message> out;
    for (const peer_message& p : net.inbox("proxy")) {
      if (p.msg.is_request() && p.msg.method() == kind) out.push_back(p.msg);
    }
    return out;
  }
};

// Every fork rings with early media: one early dialog each, each with the
// answer of its own 180 (RFC 3264 per early dialog).
TEST_P(core_forking, one_early_dialog_per_fork_with_its_own_media) {
  const int forks = GetParam();
  ring_all();
  ASSERT_EQ(alice.events.size(), static_cast<std::size_t>(forks));
  for (int i = 1; i <= forks; ++i) {
    EXPECT_EQ(alice.events[static_cast<std::size_t>(i - 1)], "progress 180 (sdp)");
    const auto& p = std::get<call_progress_event>(alice.raw[static_cast<std::size_t>(i - 1)]);
    ASSERT_TRUE(p.remote_sdp);
    EXPECT_EQ(p.remote_sdp->media.at(0).port, fork_port(i)) << "fork " << i;
  }
  EXPECT_EQ(alice.core->state(call), call_state::early);
}

// Fork 2 answers first, then fork 1: one answer (fork 2's), both 2xx ACKed
// in their own dialogs, fork 1's dialog ended with BYE.
TEST_P(core_forking, first_2xx_wins_each_2xx_acked_the_other_byed) {
  two_answers();
  // What followed the INVITE and the 180s on the wire, with To tags.
  lines tail;
  for (const peer_message& p : net.seen) {
    if (p.msg.is_response() && p.msg.status_code() == 180) continue;
    if (p.msg.is_request() && p.msg.method() == method::invite) continue;
    tail.push_back(p.from + " " +
                   (p.msg.is_request() ? std::string{p.msg.method_name()}
                                       : std::to_string(p.msg.status_code())) +
                   " " + to_tag(p.msg));
  }
  EXPECT_EQ(tail, lines({"proxy 200 fork2", "alice ACK fork2", "proxy 200 fork1", "alice ACK fork1",
                         "alice BYE fork1"}));
  EXPECT_EQ(answered_events(), 1U);
  const auto& a = std::get<call_answered_event>(alice.raw.back());
  ASSERT_TRUE(a.remote_sdp);
  EXPECT_EQ(a.remote_sdp->media.at(0).port, fork_port(2));
  EXPECT_EQ(alice.core->state(call), call_state::confirmed);

  // Each ACK: Request-URI = that fork's Contact, its To tag, the INVITE's
  // CSeq number, the Record-Route as Route (§13.2.2.4, §12.2.1.1).
  const auto acks = all(method::ack);
  ASSERT_EQ(acks.size(), 2U);
  EXPECT_EQ(acks[0].request_uri(), fork_contact(2));
  EXPECT_EQ(to_tag(acks[0]), "fork2");
  EXPECT_EQ(acks[1].request_uri(), fork_contact(1));
  EXPECT_EQ(to_tag(acks[1]), "fork1");
  for (const message& ack : acks) {
    EXPECT_EQ(cseq_of(ack), "1 ACK");
    EXPECT_EQ(values(ack, header_id::route), std::vector<std::string>{"<sip:192.0.2.9;lr>"});
    EXPECT_EQ(ack.call_id(), invite.call_id());
    EXPECT_TRUE(ack.body().empty());
  }
  // The losing dialog's BYE: its target, its tag, through the proxy.
  const message bye = last(method::bye);
  EXPECT_EQ(bye.request_uri(), fork_contact(1));
  EXPECT_EQ(to_tag(bye), "fork1");
  EXPECT_EQ(cseq_of(bye), "2 BYE");
  EXPECT_EQ(values(bye, header_id::route), std::vector<std::string>{"<sip:192.0.2.9;lr>"});
}

// Retransmitted 2xx (RFC 6026 §7.2: each reaches the TU) of the winner and
// of the loser: each ACKed again with the same bytes; no second BYE, no
// second answer. Then the winner's dialog ends normally.
TEST_P(core_forking, retransmitted_2xx_acked_again_with_the_same_bytes) {
  two_answers();
  net.inject(proxy, alice, reply(last(method::bye), 200, "OK"));
  net.take_wire();
  net.inject(proxy, alice, fork_response(2, 200, "OK"));
  net.inject(proxy, alice, fork_response(1, 200, "OK"));
  EXPECT_EQ(net.take_wire(), lines({"proxy->alice 200", "alice->proxy ACK (retx)",
                                    "proxy->alice 200", "alice->proxy ACK (retx)"}));
  const auto acks = all(method::ack);
  ASSERT_EQ(acks.size(), 4U);
  EXPECT_EQ(acks[2].bytes(), acks[0].bytes());
  EXPECT_EQ(acks[3].bytes(), acks[1].bytes());
  EXPECT_EQ(all(method::bye).size(), 1U);
  EXPECT_EQ(answered_events(), 1U);

  ASSERT_EQ(alice.core->hangup(net.now, call), std::error_code{});
  net.run();
  const message bye = last(method::bye);
  EXPECT_EQ(bye.request_uri(), fork_contact(2));
  EXPECT_EQ(to_tag(bye), "fork2");
  EXPECT_EQ(cseq_of(bye), "2 BYE");
  EXPECT_EQ(alice.events.back(), "ended local hangup 0");
}

// The losing fork's BYE never answered (Timer F): the call it does not
// belong to stays up.
TEST_P(core_forking, unanswered_fork_bye_leaves_the_call_up) {
  two_answers();
  net.advance(40s);
  EXPECT_EQ(alice.core->state(call), call_state::confirmed);
  EXPECT_EQ(alice.events.back(), "answered");
  EXPECT_EQ(all(method::bye).size(), 11U);  // the BYE and its 10 retransmissions
}

INSTANTIATE_TEST_SUITE_P(forks, core_forking, ::testing::Values(2, 3, 5));

// A 2xx from a fork that never sent a 1xx (a new dialog, §13.2.2.4) after
// the call was answered by another: ACKed and ended with BYE.
TEST_P(core_forking, late_2xx_from_an_unknown_fork) {
  const int forks = GetParam();
  for (int i = 1; i <= forks; ++i) net.inject(proxy, alice, fork_response(i, 180, "Ringing"));
  net.inject(proxy, alice, fork_response(1, 200, "OK"));
  net.take_wire();
  net.inject(proxy, alice, fork_response(forks + 1, 200, "OK"));
  EXPECT_EQ(net.take_wire(), lines({"proxy->alice 200", "alice->proxy ACK", "alice->proxy BYE"}));
  EXPECT_EQ(last(method::ack).request_uri(), fork_contact(forks + 1));
  EXPECT_EQ(to_tag(last(method::bye)), fork_tag(forks + 1));
  EXPECT_EQ(alice.events.back(), "answered");
  EXPECT_EQ(alice.core->state(call), call_state::confirmed);
}

// Provisional responses of one fork repeated (or a 183 after a 180) do not
// make a second early dialog or a second early answer.
TEST_P(core_forking, repeated_provisional_keeps_one_early_dialog) {
  const int forks = GetParam();
  for (int i = 1; i <= forks; ++i) net.inject(proxy, alice, fork_response(i, 180, "Ringing"));
  net.inject(proxy, alice, fork_response(1, 183, "Session Progress"));
  // The 183 repeats fork 1's answer: an answer was already received in
  // that early dialog, so no new early media.
  EXPECT_EQ(alice.events.back(), "progress 183");
  net.inject(proxy, alice, fork_response(1, 200, "OK"));
  EXPECT_EQ(alice.events.back(), "answered");
  EXPECT_EQ(net.inbox("proxy").back().msg.method(), method::ack);
  EXPECT_TRUE(net.inbox("proxy").back().msg.body().empty());
}

// Without Record-Route each fork's dialog goes straight to its Contact. A
// losing fork whose Contact does not resolve cannot be ACKed or BYEd, but
// that is no reason to end the call the winning fork answered.
TEST(core_forking_direct, unresolvable_losing_fork_leaves_the_call_up) {
  core_net net;
  ua_node& alice = net.add("alice", "192.0.2.1");
  net.add_peer("proxy", "192.0.2.9");
  net.add_peer("fork1", "192.0.2.11");
  const peer_call started = call_peer(net, alice, "proxy");
  const std::optional<call_handle> a = started.call;
  const message& invite = started.invite;
  net.inject(proxy, alice,
             reply(invite, 200, "OK", "fork1", {"Contact: <sip:bob@192.0.2.11>"},
                   sdp_text("192.0.2.11", 4002, 501, 1)));
  EXPECT_EQ(net.inbox("fork1").back().msg.method(), method::ack);
  net.inject(proxy, alice,
             reply(invite, 200, "OK", "fork2", {"Contact: <sip:bob@fork2.invalid>"},
                   sdp_text("192.0.2.12", 4004, 502, 1)));
  EXPECT_EQ(alice.events, lines({"answered"}));
  EXPECT_EQ(alice.core->state(*a), call_state::confirmed);
  // The call still works: BYE to fork 1.
  ASSERT_EQ(alice.core->hangup(net.now, *a), std::error_code{});
  net.run();
  EXPECT_EQ(net.inbox("fork1").back().msg.method(), method::bye);
  EXPECT_EQ(alice.events.back(), "ended local hangup 0");
}

}  // namespace
}  // namespace sipua::test
