// Where a UAC goes after a 3xx (RFC 3261 §8.1.3.4, §13.2.2.2): the "target
// set" of §8.1.3.4 and §16.5, which starts with the Request-URI of the
// original request, grows with the Contact URIs of each redirection, never
// holds a URI twice (that is the loop check), and is tried in decreasing
// q-value order (§16.6 step 1, §20.10). No I/O, no clock.
//
//   sipua::redirect_targets targets{"sip:bob@example.com"};
//   // ... the INVITE to the current target got a 3xx:
//   targets.add_response(response_3xx);
//   if (auto uri = targets.next()) send_new_invite(*uri);   // §8.1.3.4
//   else end_call(targets.reason());                         // no_targets, loop, limit_reached
//   // ... a 4xx-6xx from a target: next() again (§8.1.3.4 "try the next").
//
// Threading: a plain value; use one per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sipua/message/message.hpp"

namespace sipua {

/// Why next() has nothing more to give.
enum class redirect_end : std::uint8_t {
  not_exhausted,  ///< next() has a target
  /// No 3xx gave a usable target: no Contact, "*", unparsable, a scheme
  /// other than sip/sips, a non-SIPS URI after a SIPS one (see
  /// redirect_limits::allow_sips_to_sip), or a 305/380 (not followed).
  no_targets,
  /// Every Contact offered was already in the target set (§8.1.3.4:
  /// "Placing any given URI in the target set only once prevents infinite
  /// redirection loops"). The UA may end the call as a 482 (Loop Detected).
  loop,
  /// More 3xx responses than redirect_limits::max_redirects, or Contacts
  /// dropped because the set held max_targets URIs.
  limit_reached,
};

/// Bounds on what one original request may fan out into.
struct redirect_limits {
  /// 3xx responses acted on. The next one ends the redirection (next()
  /// gives nothing more, reason() is limit_reached): a peer that keeps
  /// redirecting with fresh URIs is either broken or hostile.
  std::size_t max_redirects = 5;
  /// URIs taken from 3xx responses into the target set (the original
  /// Request-URI not counted); further Contacts are dropped.
  std::size_t max_targets = 16;
  /// §8.1.3.4: after a SIPS Request-URI "the client MAY choose to recurse
  /// to a non-SIPS URI, but SHOULD inform the user". Off by default: a sip
  /// Contact in the answer to a sips request is dropped.
  bool allow_sips_to_sip = false;
};

/// The target set of one original request, with owned URI strings.
///
/// Which responses are followed: 300, 301, 302 and unknown 3xx codes (a
/// UAC treats an unknown 3xx as 300, §8.1.3.2). Not followed:
///   - 305 (Use Proxy, §21.3.4): its Contact names a proxy to send this one
///     request through, not a new target; following it lets any UAS steer
///     the UA's requests (and credentials) through a proxy of its choice,
///     so sipua refuses it, as many stacks do. It adds nothing.
///   - 380 (Alternative Service, §21.3.5): the alternatives are in the
///     body, not in Contact.
///
/// Which Contacts become targets: each element of each Contact field, in
/// order, unless it is "*", does not parse (parse_contact, then parse_uri),
/// has a scheme other than sip or sips (a tel URI needs a gateway, which is
/// the application's choice, RFC 3261 §19.1.6), is a non-SIPS URI after a
/// SIPS original (see allow_sips_to_sip), or is equivalent (§19.1.4,
/// sipua::equivalent) to a URI already in the set: the original
/// Request-URI, a target tried, or one waiting (§8.1.3.4 "MUST NOT add any
/// given URI to the target set more than once").
///
/// Order: decreasing q (§8.1.3.4 "A common mechanism is to order the set by
/// the q parameter"; §16.6). A Contact without q counts as q=1.0, the
/// highest: RFC 3261 gives no default, RFC 3841 §7.2.3 uses 1.0 for a
/// contact without one, as HTTP does for accept-params. Equal q keep the
/// order they arrived in (response order, then order within the response;
/// targets from an earlier 3xx come before those of a later one).
class redirect_targets {
 public:
  /// The target set holding `original_request_uri` (already tried).
  explicit redirect_targets(std::string_view original_request_uri, redirect_limits limits = {});

  /// Takes the Contacts of `response` into the target set (see the class
  /// comment) and counts one redirection. Returns how many targets were
  /// added. A response that is not a 3xx, a 305 or a 380 adds nothing and
  /// is not counted. After the limit was reached it adds nothing.
  std::size_t add_response(const message& response);

  /// The next URI to try (the Contact's URI as written, without angle
  /// brackets; the caller copies it into the Request-URI, leaving out the
  /// method parameter and headers, §8.1.3.4, §19.1.5), or none when the set
  /// is exhausted or the redirect limit was reached. The URI stays in the
  /// set, so that a later 3xx naming it again is a loop.
  std::optional<std::string> next();

  /// Why next() gives nothing (not_exhausted while it has a target). With
  /// several causes, limit_reached wins over loop, loop over no_targets.
  [[nodiscard]] redirect_end reason() const noexcept;

  /// 3xx responses acted on (counted by add_response).
  [[nodiscard]] std::size_t redirects_followed() const noexcept { return redirects_; }
  /// Targets waiting for next().
  [[nodiscard]] std::size_t pending() const noexcept { return pending_.size(); }
  /// Every URI in the set: the original first, then each target in the
  /// order it was added (tried or not).
  [[nodiscard]] const std::vector<std::string>& target_set() const noexcept { return set_; }

 private:
  struct target {
    std::string uri;
    std::uint16_t q = 1000;  ///< thousandths
  };
  /// Adds one Contact element; false when it is not a new usable target.
  bool add_contact(std::string_view element);
  [[nodiscard]] bool in_set(std::string_view uri) const;
  void insert_pending(target t);

  redirect_limits limits_;
  bool original_sips_ = false;
  std::vector<std::string> set_;
  std::deque<target> pending_;
  std::size_t redirects_ = 0;
  std::size_t added_ = 0;
  bool redirect_limit_hit_ = false;  ///< a 3xx past max_redirects came
  bool cap_hit_ = false;             ///< a Contact was dropped: max_targets
  bool loop_seen_ = false;
};

}  // namespace sipua
