// The per-session offer/answer machine (RFC 3264 §4, §8; RFC 6337 §4).
#include "sipua/sdp/offer_answer.hpp"

#include <cstdint>
#include <string_view>

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

std::unique_ptr<session_description> clone(const std::unique_ptr<session_description>& p) {
  return p ? std::make_unique<session_description>(*p) : nullptr;
}

}  // namespace

offer_answer::offer_answer(const offer_answer& other)
    : state_(other.state_),
      local_(clone(other.local_)),
      remote_(clone(other.remote_)),
      pending_(clone(other.pending_)),
      last_sent_(clone(other.last_sent_)),
      packed_(other.packed_),
      packed_split_(other.packed_split_),
      unchanged_(other.unchanged_) {}

offer_answer& offer_answer::operator=(const offer_answer& other) {
  if (this != &other) *this = offer_answer(other);
  return *this;
}

void offer_answer::compact() {
  if (state_ != oa_state::stable || last_sent_ || !local_ || !remote_ || !packed_.empty()) return;
  auto local = build_session(*local_);
  auto remote = build_session(*remote_);
  if (!local || !remote || local->size() > UINT32_MAX) return;
  // Only when the text reads back equal (RFC 3264 §8 compares against it).
  auto local_back = parse_session(*local);
  auto remote_back = parse_session(*remote);
  if (!local_back || !remote_back || *local_back != *local_ || *remote_back != *remote_) return;
  std::string packed;
  packed.reserve(local->size() + remote->size());
  packed += *local;
  packed += *remote;
  packed_split_ = static_cast<std::uint32_t>(local->size());
  packed_ = std::move(packed);
  local_.reset();
  remote_.reset();
}

void offer_answer::expand() const noexcept {
  if (packed_.empty()) return;
  const std::string_view all = packed_;
  // compact() checked that both parse back equal.
  auto local = parse_session(all.substr(0, packed_split_));
  auto remote = parse_session(all.substr(packed_split_));
  local_ = std::make_unique<session_description>(std::move(*local));
  remote_ = std::make_unique<session_description>(std::move(*remote));
  std::string{}.swap(packed_);
  packed_split_ = 0;
}

const session_description* offer_answer::last_sent() const noexcept {
  expand();
  if (last_sent_) return last_sent_.get();
  if (state_ == oa_state::local_offer_pending) return pending_.get();
  return local_.get();
}

// The caller stores `sd` as pending_ (an offer) or local_ (an answer) right
// after, and drops last_sent_: `sd` is then the last description sent.
void offer_answer::stamp(session_description& sd) {
  const session_description* last = last_sent();
  if (last == nullptr) return;
  // RFC 3264 §8: the o= line stays the same except the version, which goes
  // up when (and only when) the description changes.
  const origin& prev = last->origin;
  const std::uint64_t version = sd.origin.sess_version;
  const std::uint64_t prev_version = prev.sess_version;
  sd.origin = prev;
  sd.origin.sess_version = version;
  if (!same_but_version(*last, sd))
    sd.origin.sess_version = prev_version + 1;
  else
    sd.origin.sess_version = prev_version;
}

sdp_error offer_answer::check_remote_version(const session_description& sd) const {
  expand();
  // Against the last description the peer sent in this session (agreed).
  if (!remote_) return {};
  if (!same_origin_identity(remote_->origin, sd.origin)) return {sdp_errc::origin_changed, 0};
  if (sd.origin.sess_version > remote_->origin.sess_version) return {};
  if (sd.origin.sess_version == remote_->origin.sess_version && *remote_ == sd) return {};
  return {sdp_errc::version_not_incremented, 0};
}

sdp_result<session_description> offer_answer::send_offer(session_description offer) {
  expand();
  if (state_ == oa_state::local_offer_pending) return sdp_failure(sdp_errc::local_offer_pending);
  if (state_ == oa_state::remote_offer_pending)
    return sdp_failure(sdp_errc::remote_offer_unanswered);
  stamp(offer);
  pending_ = std::make_unique<session_description>(offer);
  last_sent_.reset();
  state_ = oa_state::local_offer_pending;
  return offer;
}

sdp_error offer_answer::receive_answer(const session_description& answer) {
  expand();
  if (state_ != oa_state::local_offer_pending) return {sdp_errc::no_offer, 0};
  if (answer.media.size() != pending_->media.size()) return {sdp_errc::media_count_mismatch, 0};
  if (auto e = check_remote_version(answer)) return e;
  local_ = std::move(pending_);
  pending_.reset();
  remote_ = std::make_unique<session_description>(answer);
  state_ = oa_state::stable;
  return {};
}

sdp_error offer_answer::receive_offer(const session_description& offer) {
  expand();
  // RFC 6337 §4.2: an offer crossing ours is glare (491); §4.3: a second
  // offer before we answered the first is refused with 500 + Retry-After.
  if (state_ == oa_state::local_offer_pending) return {sdp_errc::glare, 0};
  if (state_ == oa_state::remote_offer_pending) return {sdp_errc::offer_pending, 0};
  if (remote_ && offer.media.size() < remote_->media.size()) return {sdp_errc::media_removed, 0};
  if (local_ && offer.media.size() < local_->media.size()) return {sdp_errc::media_removed, 0};
  if (auto e = check_remote_version(offer)) return e;
  unchanged_ = remote_ && *remote_ == offer;
  pending_ = std::make_unique<session_description>(offer);
  state_ = oa_state::remote_offer_pending;
  return {};
}

sdp_result<session_description> offer_answer::send_answer(session_description answer) {
  expand();
  if (state_ != oa_state::remote_offer_pending) return sdp_failure(sdp_errc::no_offer);
  if (answer.media.size() != pending_->media.size())
    return sdp_failure(sdp_errc::media_count_mismatch);
  stamp(answer);
  remote_ = std::move(pending_);
  pending_.reset();
  local_ = std::make_unique<session_description>(answer);
  last_sent_.reset();
  state_ = oa_state::stable;
  return answer;
}

void offer_answer::rollback() noexcept {
  // Our withdrawn offer stays the last description sent (for stamping).
  if (state_ == oa_state::local_offer_pending) last_sent_ = std::move(pending_);
  pending_.reset();
  unchanged_ = false;
  state_ = oa_state::stable;
}

const session_description* offer_answer::local_description() const noexcept {
  expand();
  return local_.get();
}
const session_description* offer_answer::remote_description() const noexcept {
  expand();
  return remote_.get();
}
const session_description* offer_answer::pending_offer() const noexcept { return pending_.get(); }

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
