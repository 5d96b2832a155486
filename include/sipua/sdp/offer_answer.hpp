// The SDP offer/answer model (RFC 3264) as SIP uses it (RFC 6337):
// building an answer from an offer and the local capabilities, building an
// offer, hold/unhold re-offers, and one explicit per-session state machine.
// Pure functions and value types: no I/O, no clock, no randomness (session
// ids come in through `origin`).
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sipua/sdp/session.hpp"

namespace sipua::sdp {

/// One codec the local side can use.
struct codec {
  std::string encoding;  ///< "PCMU", "iLBC", "telephone-event" (compared case-insensitively)
  std::uint32_t clock_rate = 8000;
  unsigned channels = 1;
  std::string fmtp;  ///< our a=fmtp parameters for it; empty: no a=fmtp line
  /// Payload type used when *we* offer it: its static type (RFC 3551 §6), or
  /// nullopt to take the next free dynamic one (96..127). Ignored in answers,
  /// which keep the offerer's numbers.
  std::optional<unsigned> payload_type;
  friend bool operator==(const codec&, const codec&) = default;
};

/// What the local side supports for one stream.
struct media_capability {
  std::string media = "audio";
  std::string proto = "RTP/AVP";
  std::uint16_t port = 0;  ///< our receive port for this stream
  /// A media-level c= when this stream's address differs from the session's.
  std::optional<sdp::connection> connection;
  std::vector<codec> codecs;            ///< in order of preference
  direction dir = direction::sendrecv;  ///< what we want to do
  std::optional<std::uint32_t> ptime;   ///< a=ptime, milliseconds
  friend bool operator==(const media_capability&, const media_capability&) = default;
};

/// The local side of a session.
struct local_capabilities {
  sdp::origin origin;          ///< our o= (username, sess-id, version, address)
  sdp::connection connection;  ///< our session-level c=
  std::string name = "-";      ///< s=
  std::vector<media_capability> media;
  friend bool operator==(const local_capabilities&, const local_capabilities&) = default;
};

/// RFC 3264 §6: the answer to `offer`.
///
/// One m= line per offered m= line, in order. Each offered stream takes the
/// first local capability not yet used by an earlier stream whose media type
/// and proto match (case-insensitively) and that shares at least one codec
/// with it; otherwise (or when the offered port is 0) it is rejected: port
/// 0, the first offered format and its rtpmap (§6: formats of a rejected
/// stream are ignored but one must be present). Accepted streams list the
/// offered formats our codecs match, in the offer's order, with the
/// OFFERER's payload type numbers (§6.1), static or dynamic; a dynamic (or
/// rtpmap-described) type matches by encoding name (case-insensitive), clock
/// rate and channels, a static one without rtpmap by the RFC 3551 table.
/// Each accepted format gets an a=rtpmap (with the offer's spelling) and our
/// a=fmtp if the codec has parameters. Direction (§6.1): we send only if the
/// offerer receives and we want to send; we receive only if the offerer
/// sends and we want to receive (sendonly → recvonly, recvonly → sendonly,
/// inactive → inactive, sendrecv → our preference); written only when not
/// sendrecv. The t= lines are the offer's (§6); o=, s= and c= are ours.
session_description make_answer(const session_description& offer, const local_capabilities& local);

/// An offer with one m= line per capability: the codecs in preference
/// order, static payload types where given, dynamic ones from 96 up.
session_description make_offer(const local_capabilities& local);

/// The common case: one audio stream on `address` (an IPv4 or IPv6
/// literal) and RTP `port`, offering PCMU (0), PCMA (8) and
/// telephone-event (101, RFC 4733) in that order; o= with `session_id`
/// (RFC 8866 §5.2 suggests an NTP timestamp) and version 1.
local_capabilities audio_capabilities(std::string address, std::uint16_t port,
                                      std::uint64_t session_id);

/// Every member of `local` in one string (a private binary layout, not SDP;
/// stable only within one build): for keeping many idle calls' media
/// cheaply. About 60 bytes for audio_capabilities() with an IPv4 address.
std::string pack_capabilities(const local_capabilities& local);

/// The capabilities pack_capabilities() wrote: unpack(pack(x)) == x for
/// every x. nullopt for anything else (truncated, trailing bytes, bad
/// counts or values): never reads out of bounds, never allocates more than
/// the input can describe.
std::optional<local_capabilities> unpack_capabilities(std::string_view packed);

/// Which streams a hold/unhold helper changes: all (nullopt) or one index.
using stream_selector = std::optional<std::size_t>;

/// RFC 6337 §5.3 / RFC 3264 §8.4: `current` (our last offer or answer) made
/// into a hold re-offer: for each selected active stream (port != 0),
/// sendrecv → sendonly and recvonly → inactive; sendonly and inactive stay.
/// Session-level direction attributes are moved onto every media line.
session_description make_hold_offer(const session_description& current,
                                    stream_selector which = std::nullopt);

/// The reverse of make_hold_offer: sendonly → sendrecv, inactive → recvonly.
session_description make_unhold_offer(const session_description& current,
                                      stream_selector which = std::nullopt);

/// The offer/answer state of one session (RFC 3264 §4, RFC 6337 §2.2, §4).
enum class oa_state {
  stable,                ///< no offer outstanding
  local_offer_pending,   ///< we sent an offer, no answer yet
  remote_offer_pending,  ///< we received an offer, not yet answered
};

/// One session's offer/answer machine. The caller (the INVITE session, and
/// later PRACK/UPDATE) reports each SDP it sends or receives as an offer or
/// an answer; the machine checks the order and the o= versions and keeps
/// the current local and remote descriptions. Not thread-safe; no I/O.
///
/// Transitions (errors leave the state unchanged):
///   stable               --send_offer-->     local_offer_pending
///   local_offer_pending  --receive_answer--> stable
///   stable               --receive_offer-->  remote_offer_pending
///   remote_offer_pending --send_answer-->    stable
///   any pending          --rollback-->       stable (descriptions as before the offer)
class offer_answer {
 public:
  offer_answer() = default;
  offer_answer(const offer_answer& other);
  offer_answer& operator=(const offer_answer& other);
  offer_answer(offer_answer&&) noexcept = default;
  offer_answer& operator=(offer_answer&&) noexcept = default;
  ~offer_answer() = default;

  [[nodiscard]] oa_state state() const noexcept { return state_; }

  /// We send `offer`. Its o= is stamped: the first local description keeps
  /// its o= as given; later ones keep the username, sess-id and address of
  /// the first, and sess-version is the last one sent + 1, or unchanged when
  /// the description equals (version aside) the last one we sent (RFC 3264
  /// §8: only a changed session increments). Returns the stamped offer to
  /// send. Errors: local_offer_pending (an offer of ours is outstanding),
  /// remote_offer_unanswered (answer theirs first).
  sdp_result<session_description> send_offer(session_description offer);

  /// The peer's answer to our offer. Errors: no_offer (no offer of ours
  /// outstanding), media_count_mismatch (RFC 3264 §6: as many m= lines as
  /// the offer), origin_changed / version_not_incremented (RFC 3264 §8,
  /// against the peer's previous description). On error the offer stays
  /// pending; the caller usually calls rollback() and ends or re-offers.
  sdp_error receive_answer(const session_description& answer);

  /// The peer's offer. Errors: glare (our offer is outstanding: reject
  /// the request with 491, RFC 3261 §14.2, RFC 6337 §4.2 UAS-IcI/UcU);
  /// offer_pending (their previous offer is unanswered: reject with 500 and
  /// a Retry-After, RFC 3261 §14.2, RFC 6337 §4.3 UAS-IsI/UsU);
  /// media_removed (RFC 3264 §8: fewer m= lines than the session has);
  /// origin_changed, version_not_incremented (RFC 3264 §8).
  sdp_error receive_offer(const session_description& offer);

  /// We answer the pending remote offer. The o= is stamped as in
  /// send_offer. Errors: no_offer (no remote offer pending),
  /// media_count_mismatch.
  sdp_result<session_description> send_answer(session_description answer);

  /// The offer failed (a non-2xx to our re-INVITE, a 491, we rejected
  /// theirs, RFC 6337 §3.4): back to stable with the descriptions of before
  /// the offer. The version counter is not rewound: a later different
  /// offer never reuses a version the peer may have seen. No-op in stable.
  void rollback() noexcept;

  /// The descriptions agreed by the last completed exchange (null before).
  [[nodiscard]] const session_description* local_description() const noexcept;
  [[nodiscard]] const session_description* remote_description() const noexcept;
  /// The outstanding offer (ours or theirs), or null in stable.
  [[nodiscard]] const session_description* pending_offer() const noexcept;
  /// After receive_offer: true when the offer equals the peer's previous
  /// description with the same version (a session refresh, RFC 3264 §8).
  [[nodiscard]] bool remote_offer_unchanged() const noexcept { return unchanged_; }

  /// Makes an idle session small: in stable, the agreed descriptions are
  /// kept as their SDP text (one string) and read back by the next call
  /// that needs them (any transition or accessor; pointers got before stay
  /// valid until the next compact()). Left as they are when not stable,
  /// when a withdrawn offer is the last one sent, or when the text does not
  /// read back equal. Behaviour is the same either way.
  void compact();

 private:
  void stamp(session_description& sd);
  sdp_error check_remote_version(const session_description& sd) const;
  [[nodiscard]] const session_description* last_sent() const noexcept;
  void expand() const noexcept;

  // Each description is its own heap block, absent until there is one: an
  // idle (stable) session holds only the agreed local and remote ones.
  oa_state state_ = oa_state::stable;
  // local_ and remote_ are null while compact (packed_ holds their text).
  mutable std::unique_ptr<session_description> local_, remote_;
  std::unique_ptr<session_description> pending_;
  // The last description we sent (for stamping and "unchanged") when it is
  // neither pending_ (our outstanding offer) nor local_: only after a
  // rollback of our offer. Null otherwise (last_sent() tells which).
  std::unique_ptr<session_description> last_sent_;
  // compact(): the local then the remote description as SDP text, the
  // local one `packed_split_` characters long; empty when not compact.
  mutable std::string packed_;
  mutable std::uint32_t packed_split_ = 0;
  bool unchanged_ = false;
};

/// The status to reject a request whose offer the machine refused with `e`:
/// 491 for glare, 500 (send a Retry-After, RFC 3261 §14.2) for
/// offer_pending, 488 for media_removed / origin_changed /
/// version_not_incremented / media_count_mismatch, 400 for parse errors,
/// 500 for the rest (local misuse).
int reject_status(sdp_errc e) noexcept;

}  // namespace sipua::sdp
