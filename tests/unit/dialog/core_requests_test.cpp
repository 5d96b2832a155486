// Requests other than the INVITE session's (RFC 3261 §8.2, §11, §12.2.2;
// RFC 3428 MESSAGE; RFC 6086 INFO): how the core answers them (200, 405,
// 420, 415, 481, 500, 501) and what comes of those it sends.
#include <gtest/gtest.h>

#include "core_harness.hpp"

namespace sipua::test {
namespace {

constexpr const char* peer = "192.0.2.9:5060";

/// A request from the scripted peer to Alice: `method`, the To tag
/// `to_tag_value` (none when empty), CSeq `cseq`, `extra` lines.
std::string peer_request(std::string_view method_name, std::string_view to_tag_value,
                         std::uint32_t cseq, const std::vector<std::string>& extra = {},
                         std::string_view body = {},
                         std::string_view content_type = "application/sdp",
                         std::string_view call_id = "req-1@192.0.2.9",
                         std::string_view branch = "z9hG4bKreq1") {
  std::vector<std::string> head{
      std::string{method_name} + " sip:alice@192.0.2.1:5060 SIP/2.0",
      "Via: SIP/2.0/UDP 192.0.2.9:5060;branch=" + std::string{branch},
      "Max-Forwards: 70",
      "From: <sip:peer@192.0.2.9>;tag=peertag",
      "To: <sip:alice@example.com>" +
          (to_tag_value.empty() ? std::string{} : ";tag=" + std::string{to_tag_value}),
      "Call-ID: " + std::string{call_id},
      "CSeq: " + std::to_string(cseq) + " " + std::string{method_name}};
  for (const std::string& x : extra) head.push_back(x);
  return sip_text(head, body, content_type);
}

class core_requests : public ::testing::Test {
 protected:
  core_net net;
  ua_node& alice = net.add("alice", "192.0.2.1");
  ua_node& bob = net.add("bob", "192.0.2.2");

  core_requests() { net.add_peer("peer", "192.0.2.9"); }

  message last_at_peer() {
    const auto& in = net.inbox("peer");
    if (in.empty()) {
      ADD_FAILURE() << "the peer got nothing";
      return message{};
    }
    return in.back().msg;
  }

  /// Alice calls Bob; Bob answers.
  std::pair<call_handle, call_handle> call_up() {
    const auto [a, b] = answered_call(net, alice, bob);
    EXPECT_EQ(alice.events.back(), "answered");
    net.take_wire();
    return {a, b};
  }
};

// ---- §12.2.2: requests inside dialogs ---------------------------------------------

// The peer calls Alice with CSeq 10; a later request with a lower CSeq is
// out of order: 500, and the call goes on.
TEST_F(core_requests, out_of_order_cseq_is_500) {
  net.inject(peer, alice,
             peer_request("INVITE", {}, 10, {"Contact: <sip:peer@192.0.2.9>"},
                          sdp_text("192.0.2.9", 6000, 9, 1)));
  ASSERT_TRUE(alice.last_incoming);
  const call_handle a = *alice.last_incoming;
  ASSERT_EQ(alice.core->answer(net.now, a, {audio("192.0.2.1", 49170, 1001), {}}),
            std::error_code{});
  net.run();
  const std::string tag = to_tag(last_at_peer());
  net.inject(peer, alice, peer_request("ACK", tag, 10, {}, {}, {}, "req-1@192.0.2.9", "z9hG4bKa"));
  ASSERT_EQ(alice.core->state(a), call_state::confirmed);
  net.inject(
      peer, alice,
      peer_request("INFO", tag, 12, {}, "one", "text/plain", "req-1@192.0.2.9", "z9hG4bKi1"));
  EXPECT_EQ(last_at_peer().status_code(), 200);
  EXPECT_EQ(alice.events.back(), "info");
  net.inject(
      peer, alice,
      peer_request("INFO", tag, 11, {}, "two", "text/plain", "req-1@192.0.2.9", "z9hG4bKi2"));
  const message refused = last_at_peer();
  EXPECT_EQ(refused.status_code(), 500);
  EXPECT_EQ(cseq_of(refused), "11 INFO");
  EXPECT_EQ(alice.events.back(), "info");  // no second info event
  // The same for a BYE with an old CSeq: the call stays up.
  net.inject(peer, alice, peer_request("BYE", tag, 9, {}, {}, {}, "req-1@192.0.2.9", "z9hG4bKb1"));
  EXPECT_EQ(last_at_peer().status_code(), 500);
  EXPECT_EQ(alice.core->state(a), call_state::confirmed);
  net.inject(peer, alice, peer_request("BYE", tag, 13, {}, {}, {}, "req-1@192.0.2.9", "z9hG4bKb2"));
  EXPECT_EQ(last_at_peer().status_code(), 200);
  EXPECT_EQ(alice.events.back(), "ended remote hangup 0");
}

// Requests with a To tag no dialog of ours has: 481 (§12.2.2), the To tag
// kept as it came.
TEST_F(core_requests, unknown_dialog_is_481) {
  int n = 0;
  for (const char* m : {"BYE", "INFO", "INVITE"}) {
    ++n;
    net.inject(peer, alice,
               peer_request(m, "nobody", 5, {"Contact: <sip:peer@192.0.2.9>"},
                            std::string_view{m} == "INVITE" ? sdp_text("192.0.2.9", 6000, 9, 1)
                                                            : std::string{},
                            "application/sdp", "stray@192.0.2.9", "z9hG4bKu" + std::to_string(n)));
    const message r = last_at_peer();
    EXPECT_EQ(r.status_code(), 481) << m;
    EXPECT_EQ(to_tag(r), "nobody") << m;
    EXPECT_EQ(cseq_of(r), "5 " + std::string{m});
  }
  EXPECT_EQ(alice.events, lines{});
  EXPECT_EQ(alice.core->calls(), 0U);
}

// A CANCEL that matches no INVITE transaction: 481 (§9.2).
TEST_F(core_requests, cancel_for_no_invite_is_481) {
  net.inject(peer, alice, peer_request("CANCEL", {}, 1, {}, {}, {}, "gone@192.0.2.9", "z9hG4bKc"));
  const message r = last_at_peer();
  EXPECT_EQ(r.status_code(), 481);
  EXPECT_EQ(cseq_of(r), "1 CANCEL");
  EXPECT_EQ(alice.events, lines{});
}

// ---- §11: OPTIONS ------------------------------------------------------------------

TEST_F(core_requests, options_answered_with_allow_and_accept) {
  net.inject(peer, alice, peer_request("OPTIONS", {}, 1, {"Accept: application/sdp"}));
  const message r = last_at_peer();
  EXPECT_EQ(r.status_code(), 200);
  EXPECT_EQ(r.value(header_id::allow), "INVITE, ACK, BYE, CANCEL, OPTIONS, MESSAGE, INFO");
  EXPECT_EQ(r.value(header_id::accept), "application/sdp, text/plain");
  EXPECT_EQ(r.value(header_id::contact), "<sip:alice@192.0.2.1:5060>");
  EXPECT_EQ(r.count(header_id::supported), 0U);  // no option tags
  EXPECT_FALSE(to_tag(r).empty());
  EXPECT_EQ(cseq_of(r), "1 OPTIONS");
  EXPECT_EQ(alice.events, lines{});
}

TEST_F(core_requests, send_options_to_a_scripted_peer) {
  const auto h = alice.core->send_options(net.now, "sip:peer@192.0.2.9");
  ASSERT_TRUE(h);
  net.run();
  const message req = last_at_peer();
  EXPECT_EQ(req.method(), method::options);
  EXPECT_EQ(req.request_uri(), "sip:peer@192.0.2.9");
  EXPECT_EQ(cseq_of(req), "1 OPTIONS");
  EXPECT_EQ(req.value(header_id::max_forwards), "70");
  EXPECT_EQ(req.value(header_id::accept), "application/sdp");
  EXPECT_EQ(req.value(header_id::contact), "<sip:alice@192.0.2.1:5060>");
  EXPECT_EQ(to_tag(req), "");
  net.inject(peer, alice, reply(req, 200, "OK", "o1", {"Allow: INVITE, ACK, BYE"}));
  EXPECT_EQ(alice.events, lines({"result 200"}));
  const auto& r = std::get<request_result_event>(alice.raw.back());
  EXPECT_EQ(r.request, *h);
  ASSERT_TRUE(r.response);
  EXPECT_EQ(r.response->message.value(header_id::allow), "INVITE, ACK, BYE");
}

TEST_F(core_requests, send_options_between_cores) {
  const auto h = alice.core->send_options(net.now, "sip:bob@192.0.2.2");
  ASSERT_TRUE(h);
  net.run();
  EXPECT_EQ(net.take_wire(), lines({"alice->bob OPTIONS", "bob->alice 200"}));
  EXPECT_EQ(alice.events, lines({"result 200"}));
  EXPECT_EQ(bob.events, lines{});
}

// ---- RFC 3428: MESSAGE --------------------------------------------------------------

TEST_F(core_requests, message_both_ways) {
  const auto h1 = alice.core->send_message(net.now, "sip:bob@192.0.2.2", "text/plain", "hello");
  ASSERT_TRUE(h1);
  net.run();
  const auto h2 = bob.core->send_message(net.now, "sip:alice@192.0.2.1", "text/plain", "hi back");
  ASSERT_TRUE(h2);
  net.run();
  EXPECT_EQ(net.take_wire(), lines({"alice->bob MESSAGE", "bob->alice 200", "bob->alice MESSAGE",
                                    "alice->bob 200"}));
  EXPECT_EQ(bob.events, lines({"message hello", "result 200"}));
  EXPECT_EQ(alice.events, lines({"result 200", "message hi back"}));
  const message sent = net.seen_labelled("MESSAGE").at(0);
  EXPECT_EQ(sent.value(header_id::content_type), "text/plain");
  EXPECT_EQ(cseq_of(sent), "1 MESSAGE");
  EXPECT_EQ(std::get<request_result_event>(alice.raw.at(0)).request, *h1);
  EXPECT_EQ(std::get<request_result_event>(bob.raw.at(1)).request, *h2);
  EXPECT_NE(*h1, request_handle{});
}

// No response at all: Timer E re-sends at 0.5, 1.5, 3.5, 7.5 s, then every
// T2 (4 s); Timer F gives 408 at 64·T1 = 32 s (§17.1.2.2, §8.1.3.1).
TEST_F(core_requests, message_without_answer_is_408_at_32s) {
  const auto start = net.now;
  const auto h = alice.core->send_message(net.now, "sip:peer@192.0.2.9", "text/plain", "anyone?");
  ASSERT_TRUE(h);
  net.run();
  net.advance(31999ms);
  EXPECT_EQ(alice.events, lines{});
  net.advance(1ms);
  EXPECT_EQ(alice.events, lines({"result 408"}));
  const auto& r = std::get<request_result_event>(alice.raw.back());
  EXPECT_EQ(r.request, *h);
  EXPECT_FALSE(r.response);
  EXPECT_EQ(net.take_timed(start),
            lines({"0ms alice->peer MESSAGE", "500ms alice->peer MESSAGE (retx)",
                   "1500ms alice->peer MESSAGE (retx)", "3500ms alice->peer MESSAGE (retx)",
                   "7500ms alice->peer MESSAGE (retx)", "11500ms alice->peer MESSAGE (retx)",
                   "15500ms alice->peer MESSAGE (retx)", "19500ms alice->peer MESSAGE (retx)",
                   "23500ms alice->peer MESSAGE (retx)", "27500ms alice->peer MESSAGE (retx)",
                   "31500ms alice->peer MESSAGE (retx)"}));
}

// ---- RFC 6086: INFO in a call -------------------------------------------------------

TEST_F(core_requests, info_in_a_call) {
  const auto [a, b] = call_up();
  const auto h = alice.core->send_info(net.now, a, "text/plain", "Signal=5");
  ASSERT_TRUE(h);
  net.run();
  EXPECT_EQ(net.take_wire(), lines({"alice->bob INFO", "bob->alice 200"}));
  EXPECT_EQ(bob.events.back(), "info");
  const auto& info = std::get<call_info_event>(bob.raw.back());
  EXPECT_EQ(info.call, b);
  EXPECT_EQ(info.request.message.body(), "Signal=5");
  EXPECT_EQ(cseq_of(info.request.message), "2 INFO");
  EXPECT_EQ(alice.events.back(), "result 200");
  EXPECT_EQ(std::get<request_result_event>(alice.raw.back()).request, *h);
  // A body type Bob does not take: 415 with Accept (§8.2.3); the call
  // goes on.
  ASSERT_TRUE(alice.core->send_info(net.now, a, "application/dtmf-relay", "Signal=6"));
  net.run();
  const message r = net.seen_labelled("415").at(0);
  EXPECT_EQ(r.value(header_id::accept), "application/sdp, text/plain");
  EXPECT_EQ(alice.events.back(), "result 415");
  EXPECT_EQ(alice.core->state(a), call_state::confirmed);
  EXPECT_EQ(bob.core->state(b), call_state::confirmed);
}

// ---- §8.2: what the core does not take ---------------------------------------------

TEST_F(core_requests, unknown_method_is_501) {
  net.inject(peer, alice, peer_request("FOO", {}, 1));
  const message r = last_at_peer();
  EXPECT_EQ(r.status_code(), 501);
  EXPECT_EQ(cseq_of(r), "1 FOO");
}

TEST_F(core_requests, known_method_not_allowed_is_405_with_allow) {
  net.inject(peer, alice, peer_request("SUBSCRIBE", {}, 1, {"Event: presence"}));
  const message r = last_at_peer();
  EXPECT_EQ(r.status_code(), 405);
  EXPECT_EQ(r.value(header_id::allow), "INVITE, ACK, BYE, CANCEL, OPTIONS, MESSAGE, INFO");
}

TEST_F(core_requests, require_unknown_extension_is_420_with_unsupported) {
  net.inject(peer, alice,
             peer_request("INVITE", {}, 1, {"Contact: <sip:peer@192.0.2.9>", "Require: foo"},
                          sdp_text("192.0.2.9", 6000, 9, 1)));
  const message r = last_at_peer();
  EXPECT_EQ(r.status_code(), 420);
  EXPECT_EQ(r.value(header_id::unsupported), "foo");
  EXPECT_EQ(alice.events, lines{});
  EXPECT_EQ(alice.core->calls(), 0U);
}

}  // namespace
}  // namespace sipua::test
