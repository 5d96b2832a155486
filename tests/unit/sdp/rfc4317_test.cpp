// RFC 4317 offer/answer examples.
//
// 1. make_answer: for each [Offer]/[Answer] pair (and each second pair), the
//    answerer's capabilities are those the RFC's answer reveals (per
//    accepted m= line: its port, its media-level c=, its codecs from the
//    rtpmaps, its direction as what the answerer wants); make_answer on the
//    RFC's offer must give an answer EQUIVALENT to the RFC's, meaning:
//      - the same number of m= lines, each with the same media and proto;
//      - port 0 exactly where the RFC's answer has port 0, otherwise the
//        same port (RFC 3264 §6: formats of a rejected stream are ignored);
//      - on accepted streams, the same codecs (encoding name, clock rate,
//        channels) in the same order, each under the payload type the OFFER
//        used for it (RFC 3264 §6.1; RFC 4317 §2.3 renumbers iLBC 97 → 99,
//        sipua keeps 97);
//      - the same effective direction (RFC 8866 §6.7 defaults applied);
//      - the same effective connection address on accepted streams;
//      - t= lines equal to the offer's, o= the answerer's.
//    RFC 4317 §3.2's second answer breaks RFC 3264 §6.1 (sendrecv and an
//    unoffered codec in answer to a sendonly offer of 97): checked apart.
// 2. offer_answer: each example runs through two machines (one per UA); every
//    step is accepted, and the o= versions the machines stamp equal the RFC's
//    (incremented for a changed description, unchanged for an identical one,
//    as §2.5 and §5.3 show). §3.2 is left out: its second answer is
//    "identical SDP to the initial offer" yet increments the version; sipua
//    keeps it (RFC 3264 §8 requires the increment only for a change).
#include "unit/sdp/rfc4317.hpp"

#include <gtest/gtest.h>

#include <string>

#include "unit/sdp/print.hpp"

#include "sipua/sdp/offer_answer.hpp"

namespace sipua::sdp {
namespace {

session_description parsed(std::string_view text) {
  auto r = parse_session(text);
  EXPECT_TRUE(r.has_value()) << text;
  return r.has_value() ? std::move(*r) : session_description{};
}

// The capabilities an answer reveals (see the file comment).
local_capabilities capabilities_of(const session_description& answer) {
  local_capabilities local;
  local.origin = answer.origin;
  local.connection = answer.connection.value_or(connection{});
  local.name = answer.name;
  for (const media_description& m : answer.media) {
    if (m.port == 0) continue;
    media_capability cap;
    cap.media = m.media;
    cap.proto = m.proto;
    cap.port = m.port;
    if (!m.connections.empty()) cap.connection = m.connections.front();
    cap.dir = answer.effective_direction(m);
    for (const std::string& f : m.formats) {
      const auto r = m.rtpmap_for(f);
      EXPECT_TRUE(r.has_value());
      if (r) cap.codecs.push_back({r->encoding, r->clock_rate, r->channels, {}, {}});
    }
    local.media.push_back(std::move(cap));
  }
  return local;
}

std::string codec_key(const media_description& m, const std::string& f) {
  const auto r = m.rtpmap_for(f);
  return r ? r->encoding + "/" + std::to_string(r->clock_rate) + "/" + std::to_string(r->channels)
           : "?" + f;
}

void expect_equivalent(const session_description& offer, const session_description& ours,
                       const session_description& rfc) {
  EXPECT_EQ(ours.origin, rfc.origin);
  EXPECT_EQ(ours.timings, offer.timings);
  ASSERT_EQ(ours.media.size(), rfc.media.size());
  for (std::size_t i = 0; i < ours.media.size(); ++i) {
    SCOPED_TRACE(::testing::Message() << "m-line " << i);
    const media_description &a = ours.media[i], &b = rfc.media[i], &o = offer.media[i];
    EXPECT_EQ(a.media, b.media);
    EXPECT_EQ(a.proto, b.proto);
    EXPECT_EQ(a.port, b.port);
    if (b.port == 0) continue;
    ASSERT_EQ(a.formats.size(), b.formats.size());
    for (std::size_t k = 0; k < a.formats.size(); ++k) {
      EXPECT_EQ(codec_key(a, a.formats[k]), codec_key(b, b.formats[k]));
      // The offerer's number for this codec.
      bool offered = false;
      for (const std::string& f : o.formats)
        offered = offered || (f == a.formats[k] && codec_key(o, f) == codec_key(a, a.formats[k]));
      EXPECT_TRUE(offered) << a.formats[k];
    }
    EXPECT_EQ(ours.effective_direction(a), rfc.effective_direction(b));
    ASSERT_NE(ours.effective_connection(a), nullptr);
    EXPECT_EQ(ours.effective_connection(a)->address, rfc.effective_connection(b)->address);
  }
}

void check_answer(std::string_view offer_text, std::string_view answer_text) {
  const auto offer = parsed(offer_text);
  const auto rfc = parsed(answer_text);
  const auto ours = make_answer(offer, capabilities_of(rfc));
  expect_equivalent(offer, ours, rfc);
  // What we produce is valid SDP that reads back the same.
  const auto text = build_session(ours);
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(parsed(*text), ours);
}

using namespace rfc4317;

TEST(rfc4317_answer, s2_1_one_codec_each) { check_answer(s2_1_offer, s2_1_answer); }
TEST(rfc4317_answer, s2_2_video_rejected) {
  check_answer(s2_2_offer, s2_2_answer);
  check_answer(s2_2_second_offer, s2_2_second_answer);
}
TEST(rfc4317_answer, s2_3_offerer_payload_type_kept) {
  check_answer(s2_3_offer, s2_3_answer);
  const auto ours = make_answer(parsed(s2_3_offer), capabilities_of(parsed(s2_3_answer)));
  EXPECT_EQ(ours.media[0].formats, std::vector<std::string>{"97"});  // RFC 4317 answers 99
}
TEST(rfc4317_answer, s2_4_two_audio_streams_sendonly_to_recvonly) {
  check_answer(s2_4_offer, s2_4_answer);
}
TEST(rfc4317_answer, s2_5) {
  check_answer(s2_5_offer, s2_5_answer);
  check_answer(s2_5_second_offer, s2_5_second_answer);
}
TEST(rfc4317_answer, s2_6_first_stream_rejected) { check_answer(s2_6_offer, s2_6_answer); }
TEST(rfc4317_answer, s2_7) {
  check_answer(s2_7_offer, s2_7_answer);
  check_answer(s2_7_second_offer, s2_7_second_answer);
}
TEST(rfc4317_answer, s2_8_media_level_connection) { check_answer(s2_8_offer, s2_8_answer); }
TEST(rfc4317_answer, s3_1_hold_by_answerer) {
  check_answer(s3_1_offer, s3_1_answer);
  check_answer(s3_1_second_offer, s3_1_second_answer);
}
TEST(rfc4317_answer, s3_2_first_exchange) { check_answer(s3_2_offer, s3_2_answer); }
TEST(rfc4317_answer, s3_2_second_answer_follows_rfc3264_not_rfc4317) {
  // Alice (sendrecv audio PCMU+iLBC, sendonly tones) answers Bob's hold.
  const auto offer = parsed(s3_2_second_offer);
  const auto ours = make_answer(offer, capabilities_of(parsed(s3_2_second_answer)));
  ASSERT_EQ(ours.media.size(), 2u);
  EXPECT_EQ(ours.media[0].port, 49170);
  EXPECT_EQ(ours.media[0].formats, std::vector<std::string>{"97"});  // 0 was not offered
  EXPECT_EQ(ours.effective_direction(ours.media[0]), direction::recvonly);
  EXPECT_EQ(ours.media[1].formats, std::vector<std::string>{"98"});
  EXPECT_EQ(ours.effective_direction(ours.media[1]), direction::sendonly);
}
TEST(rfc4317_answer, s4_1_stream_added) {
  check_answer(s4_1_offer, s4_1_answer);
  check_answer(s4_1_second_offer, s4_1_second_answer);
}
TEST(rfc4317_answer, s4_2_video_added) {
  check_answer(s4_2_offer, s4_2_answer);
  check_answer(s4_2_second_offer, s4_2_second_answer);
}
TEST(rfc4317_answer, s4_3_video_deleted) {
  check_answer(s4_3_offer, s4_3_answer);
  check_answer(s4_3_second_offer, s4_3_second_answer);
}
TEST(rfc4317_answer, s5_third_party_call_control) {
  check_answer(s5_1_offer, s5_1_answer);
  check_answer(s5_1_second_offer, s5_1_second_answer);
  check_answer(s5_2_offer, s5_2_answer);
  check_answer(s5_2_second_offer, s5_2_second_answer);
  check_answer(s5_3_offer, s5_3_answer);
  check_answer(s5_3_second_offer, s5_3_second_answer);
}

// One offer/answer exchange between the two machines, checking that the
// stamped SDP equals the RFC's text (o= version included).
void exchange(offer_answer& offerer, offer_answer& answerer, std::string_view offer_text,
              std::string_view answer_text) {
  const auto offer = parsed(offer_text);
  const auto sent = offerer.send_offer(offer);
  ASSERT_TRUE(sent.has_value());
  EXPECT_EQ(*sent, offer);
  ASSERT_FALSE(answerer.receive_offer(*sent));
  const auto answer = parsed(answer_text);
  const auto reply = answerer.send_answer(answer);
  ASSERT_TRUE(reply.has_value());
  EXPECT_EQ(*reply, answer);
  ASSERT_FALSE(offerer.receive_answer(*reply));
  EXPECT_EQ(offerer.state(), oa_state::stable);
  EXPECT_EQ(answerer.state(), oa_state::stable);
}

struct flow {
  const char* name;
  std::string_view offer, answer, second_offer, second_answer;
  bool second_from_answerer;  // who makes the second offer
};

TEST(rfc4317_machine, versions_match_the_rfc) {
  const flow flows[] = {
      {"2.2", s2_2_offer, s2_2_answer, s2_2_second_offer, s2_2_second_answer, false},
      {"2.5", s2_5_offer, s2_5_answer, s2_5_second_offer, s2_5_second_answer, true},
      {"2.7", s2_7_offer, s2_7_answer, s2_7_second_offer, s2_7_second_answer, false},
      {"3.1", s3_1_offer, s3_1_answer, s3_1_second_offer, s3_1_second_answer, true},
      {"4.1", s4_1_offer, s4_1_answer, s4_1_second_offer, s4_1_second_answer, true},
      {"4.2", s4_2_offer, s4_2_answer, s4_2_second_offer, s4_2_second_answer, false},
      {"4.3", s4_3_offer, s4_3_answer, s4_3_second_offer, s4_3_second_answer, true},
      {"5.1", s5_1_offer, s5_1_answer, s5_1_second_offer, s5_1_second_answer, false},
      {"5.2", s5_2_offer, s5_2_answer, s5_2_second_offer, s5_2_second_answer, false},
      {"5.3", s5_3_offer, s5_3_answer, s5_3_second_offer, s5_3_second_answer, true},
  };
  for (const flow& f : flows) {
    SCOPED_TRACE(f.name);
    offer_answer alice, bob;
    exchange(alice, bob, f.offer, f.answer);
    if (f.second_from_answerer)
      exchange(bob, alice, f.second_offer, f.second_answer);
    else
      exchange(alice, bob, f.second_offer, f.second_answer);
    EXPECT_EQ(*alice.local_description(), *bob.remote_description());
    EXPECT_EQ(*bob.local_description(), *alice.remote_description());
  }
}

}  // namespace
}  // namespace sipua::sdp
