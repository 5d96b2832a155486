// The offer/answer machine (RFC 3264 §4, §8; RFC 6337 §4): every transition
// from every state, glare, versions; hold/unhold re-offers (RFC 6337 §5.3);
// make_answer's codec and direction rules beyond RFC 4317.
#include "sipua/sdp/offer_answer.hpp"

#include <gtest/gtest.h>

#include "unit/sdp/print.hpp"

namespace sipua::sdp {
namespace {

codec pcmu() { return {"PCMU", 8000, 1, {}, 0}; }
codec ilbc() { return {"iLBC", 8000, 1, "mode=30", {}}; }
codec dtmf() { return {"telephone-event", 8000, 1, "0-15", {}}; }

local_capabilities endpoint(const char* user, std::uint64_t id, const char* address) {
  local_capabilities l;
  l.origin = {user, id, id, "IN", "IP4", address};
  l.connection = {"IN", "IP4", address};
  media_capability audio;
  audio.port = 49170;
  audio.codecs = {pcmu(), ilbc(), dtmf()};
  l.media.push_back(audio);
  return l;
}

session_description alice_offer() { return make_offer(endpoint("alice", 100, "192.0.2.1")); }

TEST(make_offer, payload_types_rtpmaps_fmtp) {
  const auto o = alice_offer();
  ASSERT_EQ(o.media.size(), 1u);
  EXPECT_EQ(o.media[0].formats, (std::vector<std::string>{"0", "96", "97"}));
  EXPECT_EQ(o.media[0].rtpmap_for("96"), (rtpmap{96, "iLBC", 8000, 1}));
  EXPECT_EQ(o.media[0].fmtp_for("97"), "0-15");
  EXPECT_FALSE(o.media[0].explicit_direction());
  EXPECT_TRUE(build_session(o).has_value());
}

TEST(make_answer, dynamic_types_match_by_name_case_insensitively_and_keep_offer_numbers) {
  auto offer = parse_session(
      "v=0\r\no=a 1 1 IN IP4 a\r\ns=-\r\nc=IN IP4 192.0.2.1\r\nt=0 0\r\n"
      "m=audio 4000 RTP/AVP 111 8 0 18 101\r\na=rtpmap:111 ILBC/8000\r\n"
      "a=rtpmap:101 TELEPHONE-EVENT/8000\r\na=fmtp:101 0-16\r\na=sendonly\r\n"
      "m=video 4002 RTP/AVP 31\r\n"
      "m=audio 4004 RTP/AVP 0\r\n");
  ASSERT_TRUE(offer.has_value());
  auto local = endpoint("bob", 7, "192.0.2.2");
  local.media[0].ptime = 20;
  const auto a = make_answer(*offer, local);
  ASSERT_EQ(a.media.size(), 3u);
  // Offer order, offerer's numbers, our fmtp; PCMA (8) and G729 (18) dropped.
  EXPECT_EQ(a.media[0].formats, (std::vector<std::string>{"111", "0", "101"}));
  EXPECT_EQ(a.media[0].rtpmap_for("111"), (rtpmap{111, "ILBC", 8000, 1}));
  EXPECT_EQ(a.media[0].fmtp_for("111"), "mode=30");
  EXPECT_EQ(a.media[0].fmtp_for("101"), "0-15");
  EXPECT_EQ(a.media[0].ptime(), 20u);
  EXPECT_EQ(a.effective_direction(a.media[0]), direction::recvonly);
  EXPECT_EQ(a.media[0].port, 49170);
  // No video capability; the one audio capability is used up.
  EXPECT_EQ(a.media[1].port, 0);
  EXPECT_EQ(a.media[1].formats, std::vector<std::string>{"31"});
  EXPECT_EQ(a.media[2].port, 0);
  EXPECT_EQ(a.origin.username, "bob");
  EXPECT_EQ(a.timings, offer->timings);
}

TEST(make_answer, direction_table) {
  // RFC 3264 §6.1, offered × wanted → answered.
  const direction all[] = {direction::sendrecv, direction::sendonly, direction::recvonly,
                           direction::inactive};
  const direction expected[4][4] = {
      // wanted: sendrecv, sendonly, recvonly, inactive
      {direction::sendrecv, direction::sendonly, direction::recvonly, direction::inactive},
      {direction::recvonly, direction::inactive, direction::recvonly, direction::inactive},
      {direction::sendonly, direction::sendonly, direction::inactive, direction::inactive},
      {direction::inactive, direction::inactive, direction::inactive, direction::inactive},
  };
  for (int o = 0; o < 4; ++o) {
    for (int w = 0; w < 4; ++w) {
      auto offer = alice_offer();
      offer.attributes.push_back({std::string(to_string(all[o])), {}, false});  // session level
      auto local = endpoint("bob", 7, "192.0.2.2");
      local.media[0].dir = all[w];
      const auto a = make_answer(offer, local);
      EXPECT_EQ(a.effective_direction(a.media[0]), expected[o][w]) << o << " " << w;
      // sendrecv is left implicit.
      EXPECT_EQ(a.media[0].explicit_direction().has_value(), expected[o][w] != direction::sendrecv);
    }
  }
}

TEST(make_answer, port_zero_proto_mismatch_and_no_common_codec_reject) {
  auto offer = alice_offer();
  auto local = endpoint("bob", 7, "192.0.2.2");
  auto rejected = offer;
  rejected.media[0].port = 0;
  EXPECT_EQ(make_answer(rejected, local).media[0].port, 0);
  auto savp = offer;
  savp.media[0].proto = "RTP/SAVP";
  EXPECT_EQ(make_answer(savp, local).media[0].port, 0);
  local.media[0].codecs = {{"opus", 48000, 2, {}, {}}};
  const auto a = make_answer(offer, local);
  EXPECT_EQ(a.media[0].port, 0);
  EXPECT_EQ(a.media[0].formats, std::vector<std::string>{"0"});
  EXPECT_TRUE(build_session(a).has_value());
}

// --- The state machine -------------------------------------------------

struct machine_test : ::testing::Test {
  offer_answer m;
  session_description offer = alice_offer();
  session_description answer = make_answer(offer, endpoint("bob", 7, "192.0.2.2"));
};

TEST_F(machine_test, stable_refuses_answers_and_rollback_is_a_no_op) {
  EXPECT_EQ(m.state(), oa_state::stable);
  EXPECT_EQ(m.receive_answer(answer).code, sdp_errc::no_offer);
  EXPECT_EQ(m.send_answer(answer).error().code, sdp_errc::no_offer);
  m.rollback();
  EXPECT_EQ(m.state(), oa_state::stable);
  EXPECT_EQ(m.local_description(), nullptr);
  EXPECT_EQ(m.remote_description(), nullptr);
  EXPECT_EQ(m.pending_offer(), nullptr);
}

TEST_F(machine_test, local_offer_then_remote_answer) {
  const auto sent = m.send_offer(offer);
  ASSERT_TRUE(sent.has_value());
  EXPECT_EQ(*sent, offer);  // the first description keeps its o= as given
  EXPECT_EQ(m.state(), oa_state::local_offer_pending);
  EXPECT_EQ(*m.pending_offer(), offer);
  // Every other event in local_offer_pending.
  EXPECT_EQ(m.send_offer(offer).error().code, sdp_errc::local_offer_pending);
  EXPECT_EQ(m.send_answer(answer).error().code, sdp_errc::no_offer);
  EXPECT_EQ(m.receive_offer(answer).code, sdp_errc::glare);
  EXPECT_EQ(reject_status(sdp_errc::glare), 491);
  auto short_answer = answer;
  short_answer.media.clear();
  EXPECT_EQ(m.receive_answer(short_answer).code, sdp_errc::media_count_mismatch);
  EXPECT_EQ(m.state(), oa_state::local_offer_pending);
  EXPECT_FALSE(m.receive_answer(answer));
  EXPECT_EQ(m.state(), oa_state::stable);
  EXPECT_EQ(*m.local_description(), offer);
  EXPECT_EQ(*m.remote_description(), answer);
  EXPECT_EQ(m.pending_offer(), nullptr);
}

TEST_F(machine_test, remote_offer_then_local_answer) {
  ASSERT_FALSE(m.receive_offer(offer));
  EXPECT_EQ(m.state(), oa_state::remote_offer_pending);
  EXPECT_FALSE(m.remote_offer_unchanged());
  // Every other event in remote_offer_pending.
  EXPECT_EQ(m.receive_offer(offer).code, sdp_errc::offer_pending);
  EXPECT_EQ(reject_status(sdp_errc::offer_pending), 500);
  EXPECT_EQ(m.send_offer(answer).error().code, sdp_errc::remote_offer_unanswered);
  EXPECT_EQ(m.receive_answer(answer).code, sdp_errc::no_offer);
  auto short_answer = answer;
  short_answer.media.clear();
  EXPECT_EQ(m.send_answer(short_answer).error().code, sdp_errc::media_count_mismatch);
  EXPECT_EQ(m.state(), oa_state::remote_offer_pending);
  const auto sent = m.send_answer(answer);
  ASSERT_TRUE(sent.has_value());
  EXPECT_EQ(*sent, answer);
  EXPECT_EQ(m.state(), oa_state::stable);
  EXPECT_EQ(*m.local_description(), answer);
  EXPECT_EQ(*m.remote_description(), offer);
}

TEST_F(machine_test, rollback_of_a_local_offer_keeps_the_old_session_and_never_reuses_a_version) {
  ASSERT_TRUE(m.send_offer(offer).has_value());
  ASSERT_FALSE(m.receive_answer(answer));
  auto held = make_hold_offer(offer);
  const auto v1 = m.send_offer(held);
  ASSERT_TRUE(v1.has_value());
  EXPECT_EQ(v1->origin.sess_version, offer.origin.sess_version + 1);
  m.rollback();  // e.g. the re-INVITE got 491 or 488 (RFC 6337 §3.4)
  EXPECT_EQ(m.state(), oa_state::stable);
  EXPECT_EQ(*m.local_description(), offer);
  EXPECT_EQ(*m.remote_description(), answer);
  // The same offer again keeps its version; a different one takes a new one.
  EXPECT_EQ(m.send_offer(held)->origin.sess_version, offer.origin.sess_version + 1);
  m.rollback();
  EXPECT_EQ(m.send_offer(offer)->origin.sess_version, offer.origin.sess_version + 2);
}

TEST_F(machine_test, rollback_of_a_remote_offer) {
  ASSERT_FALSE(m.receive_offer(offer));
  m.rollback();  // we rejected it (e.g. 488)
  EXPECT_EQ(m.state(), oa_state::stable);
  EXPECT_EQ(m.remote_description(), nullptr);
  EXPECT_FALSE(m.receive_offer(offer));
}

TEST_F(machine_test, local_versions_stamped_and_origin_kept) {
  ASSERT_TRUE(m.send_offer(offer).has_value());
  ASSERT_FALSE(m.receive_answer(answer));
  // Unchanged re-offer (a session refresh): same version.
  auto same = offer;
  same.origin.sess_version = 12345;  // ignored: the machine stamps
  EXPECT_EQ(*m.send_offer(same), offer);
  ASSERT_FALSE(m.receive_answer(answer));
  // Changed: +1, and the o= identity is the first one's.
  auto changed = offer;
  changed.media[0].port = 5000;
  changed.origin.username = "someone-else";
  const auto sent = m.send_offer(changed);
  EXPECT_EQ(sent->origin.username, "alice");
  EXPECT_EQ(sent->origin.sess_version, offer.origin.sess_version + 1);
}

TEST_F(machine_test, remote_version_rules) {
  ASSERT_TRUE(m.send_offer(offer).has_value());
  ASSERT_FALSE(m.receive_answer(answer));
  // Same version, same content: accepted as unchanged (RFC 3264 §8).
  ASSERT_FALSE(m.receive_offer(answer));
  EXPECT_TRUE(m.remote_offer_unchanged());
  m.rollback();
  // Changed without an increment, or with a lower version.
  auto changed = answer;
  changed.media[0].port = 6000;
  EXPECT_EQ(m.receive_offer(changed).code, sdp_errc::version_not_incremented);
  auto lower = answer;
  lower.origin.sess_version -= 1;
  EXPECT_EQ(m.receive_offer(lower).code, sdp_errc::version_not_incremented);
  // Another o= identity.
  auto other = answer;
  other.origin.sess_id += 1;
  other.origin.sess_version += 1;
  EXPECT_EQ(m.receive_offer(other).code, sdp_errc::origin_changed);
  // Fewer m= lines (RFC 3264 §8: streams are never removed, only zeroed).
  auto fewer = answer;
  fewer.origin.sess_version += 1;
  fewer.media.clear();
  EXPECT_EQ(m.receive_offer(fewer).code, sdp_errc::media_removed);
  EXPECT_EQ(reject_status(sdp_errc::media_removed), 488);
  EXPECT_EQ(m.state(), oa_state::stable);
  changed.origin.sess_version += 1;
  EXPECT_FALSE(m.receive_offer(changed));
  EXPECT_FALSE(m.remote_offer_unchanged());
}

TEST(offer_answer_glare, both_sides_offer_both_refuse_with_491_then_one_retries) {
  offer_answer a, b;
  const auto alice = endpoint("alice", 1, "192.0.2.1");
  const auto bob = endpoint("bob", 2, "192.0.2.2");
  // Established session first.
  const auto o1 = a.send_offer(make_offer(alice));
  ASSERT_FALSE(b.receive_offer(*o1));
  ASSERT_FALSE(a.receive_answer(*b.send_answer(make_answer(*o1, bob))));
  // Both put the other on hold at once: the offers cross.
  const auto from_a = a.send_offer(make_hold_offer(*a.local_description()));
  const auto from_b = b.send_offer(make_hold_offer(*b.local_description()));
  ASSERT_TRUE(from_a.has_value() && from_b.has_value());
  EXPECT_EQ(b.receive_offer(*from_a).code, sdp_errc::glare);
  EXPECT_EQ(a.receive_offer(*from_b).code, sdp_errc::glare);
  // Each gets a 491 and rolls back (RFC 3261 §14.1: retry after a back-off).
  a.rollback();
  b.rollback();
  const auto retry = a.send_offer(make_hold_offer(*a.local_description()));
  ASSERT_FALSE(b.receive_offer(*retry));
  auto bob_held = bob;
  const auto reply = b.send_answer(make_answer(*retry, bob_held));
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(reply->effective_direction(reply->media[0]), direction::recvonly);
  ASSERT_FALSE(a.receive_answer(*reply));
  // Bob's answer differs from the last SDP he sent (his rolled-back offer,
  // version 3), so it takes 4: a version the peer may have seen is never
  // reused for other content.
  EXPECT_EQ(reply->origin.sess_version, 4u);
}

TEST(reject_status, mapping) {
  EXPECT_EQ(reject_status(sdp_errc::ok), 0);
  EXPECT_EQ(reject_status(sdp_errc::bad_media), 400);
  EXPECT_EQ(reject_status(sdp_errc::version_not_incremented), 488);
  EXPECT_EQ(reject_status(sdp_errc::local_offer_pending), 500);
}

// --- Hold and unhold (RFC 6337 §5.3) -----------------------------------

TEST(hold, sendrecv_to_sendonly_recvonly_to_inactive_and_back) {
  auto sd = alice_offer();
  sd.media.push_back(sd.media[0]);
  sd.media.push_back(sd.media[0]);
  sd.media[1].set_direction(direction::recvonly);
  sd.media[2].port = 0;  // rejected streams are left alone
  const auto held = make_hold_offer(sd);
  EXPECT_EQ(held.effective_direction(held.media[0]), direction::sendonly);
  EXPECT_EQ(held.effective_direction(held.media[1]), direction::inactive);
  EXPECT_FALSE(held.media[2].explicit_direction());
  const auto again = make_hold_offer(held);  // idempotent
  EXPECT_EQ(again, held);
  const auto resumed = make_unhold_offer(held);
  EXPECT_EQ(resumed.effective_direction(resumed.media[0]), direction::sendrecv);
  EXPECT_EQ(resumed.effective_direction(resumed.media[1]), direction::recvonly);
}

TEST(hold, session_level_direction_moves_to_media_and_one_stream_only) {
  auto sd = alice_offer();
  sd.media.push_back(sd.media[0]);
  sd.attributes.push_back({"sendrecv", {}, false});
  const auto held = make_hold_offer(sd, 1);
  EXPECT_TRUE(held.attributes.empty());
  EXPECT_EQ(held.media[0].explicit_direction(), direction::sendrecv);
  EXPECT_EQ(held.media[1].explicit_direction(), direction::sendonly);
}

}  // namespace
}  // namespace sipua::sdp

namespace sipua::sdp {
namespace {

TEST(audio_capabilities, offer_lists_pcmu_pcma_and_telephone_event) {
  const auto text = build_session(make_offer(audio_capabilities("192.0.2.5", 40000, 7)));
  ASSERT_TRUE(text);
  EXPECT_EQ(*text,
            "v=0\r\no=- 7 1 IN IP4 192.0.2.5\r\ns=-\r\nc=IN IP4 192.0.2.5\r\nt=0 0\r\n"
            "m=audio 40000 RTP/AVP 0 8 101\r\na=rtpmap:0 PCMU/8000\r\na=rtpmap:8 PCMA/8000\r\n"
            "a=rtpmap:101 telephone-event/8000\r\na=fmtp:101 0-16\r\n");
}

TEST(audio_capabilities, ipv6_address_gives_ip6) {
  const auto caps = audio_capabilities("2001:db8::5", 40000, 7);
  EXPECT_EQ(caps.origin.addrtype, "IP6");
  EXPECT_EQ(caps.connection.addrtype, "IP6");
  EXPECT_EQ(caps.connection.address, "2001:db8::5");
}

}  // namespace
}  // namespace sipua::sdp
