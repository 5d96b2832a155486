// The per-session offer/answer machine (RFC 3264 §4, §8; RFC 6337 §4).
#include "sipua/sdp/offer_answer.hpp"

namespace sipua::sdp {
namespace {

// Equal apart from sess-version (RFC 3264 §8 "changed" test).
bool same_but_version(const session_description& a, const session_description& b) {
  if (a.origin.sess_version == b.origin.sess_version) return a == b;
  session_description copy = b;
  copy.origin.sess_version = a.origin.sess_version;
  return a == copy;
}

bool same_origin_identity(const origin& a, const origin& b) noexcept {
  return a.username == b.username && a.sess_id == b.sess_id && a.nettype == b.nettype &&
         a.addrtype == b.addrtype && a.address == b.address;
}

}  // namespace

void offer_answer::stamp(session_description& sd) {
  if (!last_sent_) {
    last_sent_ = sd;
    return;
  }
  // RFC 3264 §8: the o= line stays the same except the version, which goes
  // up when (and only when) the description changes.
  const origin& prev = last_sent_->origin;
  const std::uint64_t version = sd.origin.sess_version;
  sd.origin = prev;
  sd.origin.sess_version = version;
  if (!same_but_version(*last_sent_, sd))
    sd.origin.sess_version = prev.sess_version + 1;
  else
    sd.origin.sess_version = prev.sess_version;
  last_sent_ = sd;
}

sdp_error offer_answer::check_remote_version(const session_description& sd) const {
  // Against the last description the peer sent in this session (agreed).
  if (!remote_) return {};
  if (!same_origin_identity(remote_->origin, sd.origin)) return {sdp_errc::origin_changed, 0};
  if (sd.origin.sess_version > remote_->origin.sess_version) return {};
  if (sd.origin.sess_version == remote_->origin.sess_version && *remote_ == sd) return {};
  return {sdp_errc::version_not_incremented, 0};
}

sdp_result<session_description> offer_answer::send_offer(session_description offer) {
  if (state_ == oa_state::local_offer_pending) return sdp_failure(sdp_errc::local_offer_pending);
  if (state_ == oa_state::remote_offer_pending)
    return sdp_failure(sdp_errc::remote_offer_unanswered);
  stamp(offer);
  pending_ = offer;
  state_ = oa_state::local_offer_pending;
  return offer;
}

sdp_error offer_answer::receive_answer(const session_description& answer) {
  if (state_ != oa_state::local_offer_pending) return {sdp_errc::no_offer, 0};
  if (answer.media.size() != pending_->media.size()) return {sdp_errc::media_count_mismatch, 0};
  if (auto e = check_remote_version(answer)) return e;
  local_ = std::move(pending_);
  pending_.reset();
  remote_ = answer;
  state_ = oa_state::stable;
  return {};
}

sdp_error offer_answer::receive_offer(const session_description& offer) {
  // RFC 6337 §4.2: an offer crossing ours is glare (491); §4.3: a second
  // offer before we answered the first is refused with 500 + Retry-After.
  if (state_ == oa_state::local_offer_pending) return {sdp_errc::glare, 0};
  if (state_ == oa_state::remote_offer_pending) return {sdp_errc::offer_pending, 0};
  if (remote_ && offer.media.size() < remote_->media.size()) return {sdp_errc::media_removed, 0};
  if (local_ && offer.media.size() < local_->media.size()) return {sdp_errc::media_removed, 0};
  if (auto e = check_remote_version(offer)) return e;
  unchanged_ = remote_ && *remote_ == offer;
  pending_ = offer;
  state_ = oa_state::remote_offer_pending;
  return {};
}

sdp_result<session_description> offer_answer::send_answer(session_description answer) {
  if (state_ != oa_state::remote_offer_pending) return sdp_failure(sdp_errc::no_offer);
  if (answer.media.size() != pending_->media.size())
    return sdp_failure(sdp_errc::media_count_mismatch);
  stamp(answer);
  remote_ = std::move(pending_);
  pending_.reset();
  local_ = answer;
  state_ = oa_state::stable;
  return answer;
}

void offer_answer::rollback() noexcept {
  pending_.reset();
  unchanged_ = false;
  state_ = oa_state::stable;
}

const session_description* offer_answer::local_description() const noexcept {
  return local_ ? &*local_ : nullptr;
}
const session_description* offer_answer::remote_description() const noexcept {
  return remote_ ? &*remote_ : nullptr;
}
const session_description* offer_answer::pending_offer() const noexcept {
  return pending_ ? &*pending_ : nullptr;
}

int reject_status(sdp_errc e) noexcept {
  switch (e) {
    case sdp_errc::glare: return 491;
    case sdp_errc::offer_pending: return 500;
    case sdp_errc::media_removed:
    case sdp_errc::origin_changed:
    case sdp_errc::version_not_incremented:
    case sdp_errc::media_count_mismatch: return 488;
    case sdp_errc::ok: return 0;
    default: break;
  }
  return e < sdp_errc::bad_field ? 400 : 500;
}

}  // namespace sipua::sdp
