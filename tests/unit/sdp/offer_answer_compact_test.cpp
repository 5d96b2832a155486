// offer_answer::compact(): an idle session keeps its descriptions as SDP
// text and behaves exactly as before (RFC 3264 §8 versions and refreshes,
// RFC 6337 §4 transitions) once they are read back.
#include <gtest/gtest.h>

#include "unit/sdp/print.hpp"

#include "sipua/sdp/offer_answer.hpp"

namespace sipua::sdp {
namespace {

local_capabilities side(std::uint64_t id, const char* address) {
  return audio_capabilities(address, 49170, id);
}

// Alice offers, Bob answers; returns Alice's machine, stable.
offer_answer established(session_description& bob_answer) {
  offer_answer alice;
  EXPECT_TRUE(alice.send_offer(make_offer(side(100, "192.0.2.1"))).has_value());
  bob_answer = make_answer(*alice.pending_offer(), side(200, "192.0.2.2"));
  EXPECT_FALSE(alice.receive_answer(bob_answer));
  return alice;
}

TEST(offer_answer_compact, descriptions_read_back_equal) {
  session_description answer;
  offer_answer alice = established(answer);
  const session_description local = *alice.local_description();
  alice.compact();
  ASSERT_NE(alice.local_description(), nullptr);
  EXPECT_EQ(*alice.local_description(), local);
  ASSERT_NE(alice.remote_description(), nullptr);
  EXPECT_EQ(*alice.remote_description(), answer);
  EXPECT_EQ(alice.state(), oa_state::stable);
}

TEST(offer_answer_compact, reoffer_versions_as_without_compact) {
  session_description answer;
  offer_answer alice = established(answer);
  const session_description local = *alice.local_description();
  alice.compact();
  // Unchanged re-offer: same version (§8).
  auto same = alice.send_offer(local);
  ASSERT_TRUE(same.has_value());
  EXPECT_EQ(same->origin.sess_version, local.origin.sess_version);
  EXPECT_FALSE(alice.receive_answer(answer));
  alice.compact();
  // A hold re-offer changes the session: version + 1.
  auto hold = alice.send_offer(make_hold_offer(*alice.local_description()));
  ASSERT_TRUE(hold.has_value());
  EXPECT_EQ(hold->origin.sess_version, local.origin.sess_version + 1);
  // Rolled back, then compact() leaves it (the withdrawn offer is the last
  // one sent): the next different offer never reuses its version.
  alice.rollback();
  alice.compact();
  auto again = alice.send_offer(make_unhold_offer(make_hold_offer(local)));
  ASSERT_TRUE(again.has_value());
  EXPECT_EQ(again->origin.sess_version, local.origin.sess_version + 2);
}

TEST(offer_answer_compact, remote_refresh_and_stale_version_as_without_compact) {
  session_description answer;
  offer_answer alice = established(answer);
  alice.compact();
  // The peer's same description, same version: a refresh.
  EXPECT_FALSE(alice.receive_offer(answer));
  EXPECT_TRUE(alice.remote_offer_unchanged());
  alice.rollback();
  alice.compact();
  // Changed, same version: refused.
  EXPECT_EQ(alice.receive_offer(make_hold_offer(answer)).code, sdp_errc::version_not_incremented);
  // Fewer m= lines: refused.
  session_description none = answer;
  none.media.clear();
  none.origin.sess_version += 1;
  EXPECT_EQ(alice.receive_offer(none).code, sdp_errc::media_removed);
}

TEST(offer_answer_compact, noop_while_an_offer_is_pending_and_copies_compact) {
  session_description answer;
  offer_answer alice = established(answer);
  ASSERT_TRUE(alice.send_offer(make_hold_offer(*alice.local_description())).has_value());
  const session_description pending = *alice.pending_offer();
  alice.compact();
  ASSERT_NE(alice.pending_offer(), nullptr);
  EXPECT_EQ(*alice.pending_offer(), pending);
  EXPECT_FALSE(alice.receive_answer(answer));
  alice.compact();
  const offer_answer copy = alice;
  ASSERT_NE(copy.local_description(), nullptr);
  EXPECT_EQ(*copy.local_description(), pending);
  EXPECT_EQ(*copy.remote_description(), answer);
}

}  // namespace
}  // namespace sipua::sdp
