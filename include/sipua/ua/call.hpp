// A call as the application holds it: a cheap, copyable handle, and the
// callbacks that report what happens to it (DESIGN.md "ua").
//
// Rules (issue #5):
// - Callbacks run on the UserAgent's io_context and may call back into the
//   API (answer from the incoming-call callback, hang up from on_answered).
// - Any thread may call a Call's methods. On the UA's own thread the work
//   is done at once and the result says how it went; from another thread
//   it is posted, and the result only says whether the handle was still
//   live (what happens then is reported through the callbacks).
// - A handle used after its call ended returns core_errc::unknown_call; it
//   never touches freed memory, even after the UserAgent is gone.
// - sipua never holds a lock while a callback runs.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "sipua/dialog/core_events.hpp"
#include "sipua/sdp/offer_answer.hpp"
#include "sipua/sdp/session.hpp"

namespace sipua {

namespace ua_detail {
struct shared_state;
struct engine;
}  // namespace ua_detail

/// The SDP of both sides after an offer/answer exchange.
struct MediaInfo {
  bool ok = true;  ///< false: our re-offer failed (`status` says why); the old media stays
  int status = 200;
  std::optional<sdp::session_description> local;
  std::optional<sdp::session_description> remote;
};

/// Why and how a call ended.
struct CallEnd {
  end_reason reason = end_reason::failed;
  int status = 0;  ///< the SIP status behind it (486, 487, 408 ...), else 0
  std::string phrase;
};

/// Per-call callbacks; any may be empty.
struct CallHandlers {
  /// A provisional response to our INVITE (180, 183 ...).
  std::function<void(int status, std::string_view reason)> on_progress;
  /// The early dialog's SDP answer (183 with SDP: play the early media).
  std::function<void(const sdp::session_description& remote)> on_early_media;
  /// The call is up (2xx + ACK).
  std::function<void(const MediaInfo&)> on_answered;
  /// A re-INVITE (hold, unhold, media change) from either side completed.
  std::function<void(const MediaInfo&)> on_media_updated;
  /// INFO received in the call (already answered 200).
  std::function<void(std::string_view content_type, std::string_view body)> on_info;
  /// The call is over; called once, last.
  std::function<void(const CallEnd&)> on_ended;
};

/// What a call is made with.
struct CallOptions {
  /// Our media: the INVITE offers make_offer(*media). Without it the INVITE
  /// has no body and the callee offers in its 2xx (answered from `media`
  /// of a later answer, or the call ends).
  std::optional<sdp::local_capabilities> media;
  std::string display_name;  ///< of the callee, for the To header
  std::vector<extra_header> headers;
  bool follow_redirects = true;
  /// No offer in the INVITE: the callee offers in its 2xx, we answer in
  /// the ACK from `media` (RFC 3261 §13.2.1).
  bool delayed_offer = false;
};

class Call {
 public:
  Call() = default;  ///< an empty handle: every method returns unknown_call

  /// True while the call has not ended (false for an empty handle).
  [[nodiscard]] bool active() const;
  [[nodiscard]] std::uint64_t id() const noexcept { return id_; }
  explicit operator bool() const noexcept { return id_ != 0; }
  friend bool operator==(const Call& a, const Call& b) noexcept { return a.id_ == b.id_; }

  /// Replaces the callbacks (for an incoming call: set them before or
  /// while answering).
  std::error_code set_handlers(CallHandlers handlers);

  // ---- an incoming call, before the answer ----------------------------------
  std::error_code ring();                                                       ///< 180
  std::error_code progress(std::optional<sdp::local_capabilities> media = {});  ///< 183 (+SDP)
  std::error_code answer(std::optional<sdp::local_capabilities> media = {});    ///< 200
  std::error_code reject(int status = 486, std::string reason = {});
  std::error_code redirect(std::vector<std::string> contacts);  ///< 302

  // ---- any call -----------------------------------------------------------------
  /// CANCEL, 603 or BYE, whichever the call's state needs.
  std::error_code hangup();
  std::error_code hold();
  std::error_code unhold();
  std::error_code reinvite(sdp::local_capabilities media);
  std::error_code send_info(std::string content_type, std::string body);

 private:
  friend class UserAgent;
  friend struct ua_detail::shared_state;
  friend struct ua_detail::engine;
  Call(std::shared_ptr<ua_detail::shared_state> s, std::uint64_t id) noexcept
      : shared_(std::move(s)), id_(id) {}
  std::shared_ptr<ua_detail::shared_state> shared_;
  std::uint64_t id_ = 0;
};

/// One event of one call, as the UA-wide observer sees it
/// (UserAgent::on_call_event): the same events as CallHandlers, for
/// applications that keep one place for every call (a PBX's call log, a
/// softphone's call list). Pointers and views are valid during the
/// callback only.
struct CallEvent {
  enum class kind : std::uint8_t { progress, answered, media_updated, info, ended };
  CallEvent::kind what = kind::progress;
  int status = 0;           ///< the 1xx; 200 when answered; the media or end status
  std::string_view reason;  ///< progress: the reason phrase; ended: the phrase
  const sdp::session_description* early_media = nullptr;  ///< progress with SDP
  const MediaInfo* media = nullptr;                       ///< answered, media_updated
  const CallEnd* end = nullptr;                           ///< ended
  std::string_view content_type;                          ///< info
  std::string_view body;                                  ///< info
};

/// A new call offered to the application (the incoming-call callback).
struct IncomingCall {
  Call call;
  std::string from;          ///< the caller's URI
  std::string from_display;  ///< as written, may be empty
  std::string to;            ///< the called URI (To)
  std::string request_uri;
  std::optional<sdp::session_description> offer;
};

/// A MESSAGE received (RFC 3428), already answered 200.
struct IncomingMessage {
  std::string from;
  std::string content_type;
  std::string body;
};

}  // namespace sipua
