// A registrar (RFC 3261 §10.3): processes a REGISTER against a
// location_store and writes the response; looks an address-of-record up
// for routing a request to it (§16.5, §16.6 step 1).
//
// Sans-I/O: bytes out, no socket, no clock. `now` (steady time) decides
// expiry; the Date header's wall-clock time, when wanted, is the caller's
// argument too. The registrar answers; the caller sends the response
// through its server transaction (which also absorbs retransmissions).
//
// What the caller does before process(): parse the datagram, run its
// server transaction, and authenticate the UAC (§10.3 step 3, §22: a 401
// challenge with the digest helper), then hand the authenticated request
// here. Authorization of the user for the AOR (§10.3 step 4) is the
// `authorize` hook of registrar_config.
//
// Threading: one registrar and its store on one thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sipua/dialog/location_store.hpp"
#include "sipua/message/message.hpp"
#include "sipua/result.hpp"
#include "sipua/transport/transport.hpp"

namespace sipua {

/// The address-of-record canonical form of RFC 3261 §10.3 step 5: the
/// scheme (lower case), the user with %-escapes decoded, the host (lower
/// case) and the port when written; every URI parameter (user-param
/// included), the password and the headers removed:
/// "SIP:Bob%41@Biloxi.COM:5060;user=phone" -> "sip:BobA@biloxi.com:5060"
/// (the user stays case-sensitive). A decoded character outside
/// unreserved (alphanum and "-_.!~*'()") is escaped again as %HH in upper
/// case ("sip:a%3bb@h" and "sip:a;b@h" both give "sip:a%3Bb@h"), so the
/// result is a SIP URI and canonical_aor() of it returns it unchanged.
/// Errors: parse_errc::bad_uri when `uri_text` does not parse or is not sip
/// or sips (§10.2: an AOR is a SIP or SIPS URI).
result<std::string, std::error_code> canonical_aor(std::string_view uri_text);

/// The authorization decision of registrar_config::authorize.
enum class registrar_decision : std::uint8_t {
  allow,      ///< go on
  forbidden,  ///< 403: the user may not modify this AOR's bindings (§10.3 step 4)
  not_found,  ///< 404: the AOR is not one of this domain (§10.3 step 5)
};

struct registrar_config {
  /// Domains this registrar keeps bindings for, compared case-insensitively
  /// with the host of the Request-URI (§10.3 step 1) and of the To AOR
  /// (step 5). Empty: every domain (the caller checked).
  std::vector<std::string> domains;
  /// The expiration used when neither the Contact nor the request says
  /// (§10.3 step 7).
  std::uint32_t default_expires = 3600;
  /// Requests below this (and above 0, and below one hour) get 423 with
  /// Min-Expires (§10.3 step 7). 0: never 423.
  std::uint32_t min_expires = 60;
  /// The longest expiration granted; a longer request is shortened to it
  /// (§10.3 step 7: "MAY choose an expiration less than requested"). 0: no
  /// cap.
  std::uint32_t max_expires = 86400;
  /// Option tags this registrar supports (Require, §10.3 step 2 -> 420).
  /// With "path" (RFC 3327) the Path values are stored in the bindings and
  /// echoed in the 200.
  std::vector<std::string> supported_option_tags;
  /// Contact values one REGISTER may carry; more get 403 "Too Many
  /// Bindings" before any is looked at (bounds the work per request: each
  /// Contact is compared with every binding of the AOR).
  std::size_t max_contacts_per_request = 32;
  /// Record where each REGISTER came from in its bindings (binding::source).
  bool record_source = true;
  /// Retry-After seconds of the 503 sent when the store is full.
  std::uint32_t retry_after_when_full = 300;
  /// §10.3 step 4 (and the AOR part of step 5): may the authenticated user
  /// of `request` change the bindings of `aor` (canonical form)? Unset:
  /// everyone may.
  std::function<registrar_decision(std::string_view aor, const message& request)> authorize;
  /// Randomness for the To tag of the responses (64 bits per call). Unset:
  /// a deterministic sequence (tests only).
  std::function<std::uint64_t()> random;
  /// Server header field value; empty: none.
  std::string server;
};

/// What one REGISTER did to a binding.
struct binding_change {
  enum class kind : std::uint8_t {
    added,      ///< a new binding
    refreshed,  ///< an existing binding updated (expiry, q, Call-ID/CSeq)
    removed,    ///< removed by expires 0 or by "*"
  };
  kind what = kind::added;
  std::string contact;  ///< the URI as stored
};

/// What process() decided.
struct registrar_outcome {
  /// The status of `response`: 200, or 400, 403, 404, 405, 420, 423, 500,
  /// 503 ... (never 6xx, §10.3).
  int status = 0;
  /// The whole response to send (through the server transaction). Empty
  /// when no response can be built (a request without Via, From, To,
  /// Call-ID or CSeq): drop it then.
  std::string response;
  /// §10.3 step 1 failed: the Request-URI names a domain not served here.
  /// A registrar that is also a proxy may forward the request instead of
  /// sending `response` (a 404).
  bool foreign_domain = false;
  /// The canonical AOR, once step 5 reached it; else empty.
  std::string aor;
  /// The committed changes (empty unless status is 200).
  std::vector<binding_change> changes;
  /// The AOR's bindings after the request (those listed in a 200).
  std::vector<binding> bindings;
  /// Which rule decided, with its RFC section (static text).
  std::string_view rule;
};

class registrar {
 public:
  using clock = binding::clock;
  using time_point = binding::time_point;

  /// `store` must outlive the registrar.
  explicit registrar(location_store& store, registrar_config config = {});

  /// Processes one REGISTER request per RFC 3261 §10.3 steps 1-8 (see
  /// docs/registrar.md for the order of the checks and the status codes):
  /// on success the store holds the new bindings and the outcome a 200
  /// listing them with their expires. Every failure leaves the store as it
  /// was (§10.3: processed atomically). `date`, when given, is written as
  /// the 200's Date header (RFC 1123 form, §20.17). `in.message` is only
  /// read during the call.
  registrar_outcome process(const inbound_message& in, time_point now,
                            std::optional<std::chrono::system_clock::time_point> date = {});

  /// The active bindings of the AOR `aor_uri` (any URI form: it is
  /// canonicalised first) at `now`, highest q first (an absent q counts as
  /// 1.0), ties kept in the store's order: the targets to fork to in
  /// parallel or try in sequence (§16.6, RFC 3261 §8.1.3.4 q ordering).
  /// Empty when the URI is not sip/sips or has no bindings.
  [[nodiscard]] std::vector<binding> lookup(std::string_view aor_uri, time_point now) const;

  [[nodiscard]] const registrar_config& config() const noexcept { return config_; }

 private:
  location_store& store_;
  registrar_config config_;
  std::uint64_t sequence_ = 0;
};

/// "Sun, 22 Nov 2026 03:04:05 GMT": the SIP-date (RFC 3261 §20.17, RFC 1123
/// form, always GMT) of `t`, truncated to the second.
std::string format_sip_date(std::chrono::system_clock::time_point t);

}  // namespace sipua
