// The UA core (RFC 3261 §8, §12–§15): INVITE sessions on both sides,
// dialogs, CANCEL, BYE, re-INVITE, and the non-INVITE requests a UA
// answers or sends, over a transaction_layer it owns. Sans-I/O like the
// transaction layer: every entry point takes `now`; next_deadline() and
// handle_timeout(now) drive one runtime timer; effects are queued actions
// (core_events.hpp) drained with next_action():
//
//   send_request_action / send_response_action   to the transports
//   resolve_action                               to the resolver, answered
//                                                with resolved()
//   core_event                                   to the application
//
// Threading: single-threaded, not re-entrant; the runtime (ua/) calls it
// from the UA's event loop only.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "sipua/auth/credentials.hpp"
#include "sipua/dialog/core_events.hpp"
#include "sipua/message/validate.hpp"
#include "sipua/result.hpp"
#include "sipua/transport/address.hpp"
#include "sipua/transport/transport.hpp"
#include "sipua/txn/transaction_layer.hpp"

namespace sipua {

/// Where we can be reached over one transport: the Via sent-by and the
/// Contact host:port (RFC 3261 §18.1.1, §8.1.1.8).
struct local_endpoint {
  transport_protocol protocol = transport_protocol::udp;
  std::string host;  ///< an IP address (IPv6 without brackets) or a domain name
  std::uint16_t port = 5060;
};

struct ua_core_config {
  transaction_config txn;
  /// Our address of record, the From of our requests (RFC 3261 §8.1.1.3).
  std::string identity = "sip:anonymous@anonymous.invalid";
  std::string display_name;
  /// The user part of our Contact ("sip:<user>@host:port").
  std::string contact_user = "sipua";
  /// One per transport we listen on; the first matching the protocol a
  /// request leaves over writes its Via and Contact.
  std::vector<local_endpoint> endpoints;
  /// Every request outside a dialog goes there first (a pre-loaded Route
  /// with lr, RFC 3261 §8.1.2), e.g. "sip:proxy.example.com;lr".
  std::optional<std::string> outbound_proxy;
  /// What we answer for: methods, option tags, body types (RFC 3261 §8.2).
  uas_policy policy{uas_role::endpoint,
                    {"INVITE", "ACK", "BYE", "CANCEL", "OPTIONS", "MESSAGE", "INFO"},
                    {},
                    {"sip", "sips"},
                    {"application/sdp", "text/plain"},
                    {},
                    {"application/sdp"}};
  /// Randomness for tags, branches and Call-IDs (RFC 3261 §19.3 wants 32
  /// bits of it in a tag) and the glare back-off (§14.1). Inject a CSPRNG;
  /// empty: a deterministic sequence (tests).
  std::function<std::uint64_t()> random;
  unsigned max_redirects = 5;
  /// Most calls not ended (any state but call_state::ended): past it
  /// call() fails with too_many_calls and a new INVITE is answered 503
  /// with Retry-After. An ended call whose transactions still run (up to
  /// 64·T1 = 32 s with the default timers) does not count: its record is
  /// freed when they end, so ended calls are bounded by
  /// transaction_config::max_transactions (each holds at least one
  /// transaction, or waits for a resolve_action's answer).
  std::size_t max_calls = 100'000;
  /// Digest credentials (RFC 3261 §22): with them, a 401/407 to any request
  /// we send (INVITE, REGISTER, BYE, MESSAGE, re-INVITE ...) is answered
  /// once per challenge by the same request with a new CSeq and
  /// Authorization / Proxy-Authorization (auth/digest_client.hpp); without
  /// them the 401/407 is the request's outcome.
  std::optional<auth::credential_store> credentials;
  /// The User-Agent / Server header value; empty: none.
  std::string user_agent;
};

/// The state of a call as the application sees it.
enum class call_state : std::uint8_t {
  calling,      ///< UAC: INVITE sent, no provisional response with a tag yet
  early,        ///< UAC: an early dialog exists; UAS: the INVITE arrived, not answered
  answering,    ///< UAS: 2xx sent, waiting for the ACK
  confirmed,    ///< the call is up
  terminating,  ///< BYE or CANCEL sent, waiting for it to complete
  ended,        ///< kept until its transactions are gone; then the handle is stale
};
std::string_view to_string(call_state s) noexcept;

class ua_core {
 public:
  using clock = std::chrono::steady_clock;
  using time_point = clock::time_point;

  explicit ua_core(ua_core_config config);
  ~ua_core();
  ua_core(const ua_core&) = delete;
  ua_core& operator=(const ua_core&) = delete;

  // ---- calls we place (UAC) --------------------------------------------------

  /// Starts a call: INVITE to options.target (through the outbound proxy
  /// when configured). Errors: bad_target, bad_sdp, too_many_calls,
  /// shut_down. Later failures end the call (call_ended_event).
  result<call_handle, std::error_code> call(time_point now, call_options options);

  // ---- calls we receive (UAS) -----------------------------------------------

  /// 180 Ringing.
  std::error_code ring(time_point now, call_handle call);
  /// 183 Session Progress with our SDP answer (early media).
  std::error_code progress(time_point now, call_handle call, answer_options options = {});
  /// 200 OK with our answer (or offer); retransmitted until the ACK.
  std::error_code answer(time_point now, call_handle call, answer_options options = {});
  /// A final non-2xx (400..699, default 486 Busy Here).
  std::error_code reject(time_point now, call_handle call, int status = 486,
                         std::string reason = {});
  /// 302 with these Contacts (RFC 3261 §21.3.3).
  std::error_code redirect(time_point now, call_handle call, std::vector<std::string> contacts);

  // ---- either side -------------------------------------------------------------

  /// Ends the call however its state needs: CANCEL (UAC before the
  /// answer), 603 Decline (UAS before answering), BYE (after).
  std::error_code hangup(time_point now, call_handle call);
  /// re-INVITE putting every stream on hold (RFC 3264 §8.4) / back.
  std::error_code hold(time_point now, call_handle call);
  std::error_code unhold(time_point now, call_handle call);
  /// re-INVITE with a new offer from `media`.
  std::error_code reinvite(time_point now, call_handle call, sdp::local_capabilities media);
  /// INFO (RFC 6086) in the call.
  result<request_handle, std::error_code> send_info(time_point now, call_handle call,
                                                    std::string content_type, std::string body);

  // ---- outside dialogs -------------------------------------------------------

  /// MESSAGE (RFC 3428) to `target`.
  result<request_handle, std::error_code> send_message(time_point now, std::string target,
                                                       std::string content_type, std::string body);
  /// OPTIONS (RFC 3261 §11) to `target`.
  result<request_handle, std::error_code> send_options(time_point now, std::string target);

  // ---- registration (RFC 3261 §10.2, registration.hpp) ------------------------

  /// Registers our Contact (for the transport the registrar is reached
  /// over) at options.registrar and keeps it refreshed; registration_event
  /// reports each outcome. Errors at once: bad_target, shut_down.
  result<registration_handle, std::error_code> register_binding(time_point now,
                                                                registration_options options);
  /// Removes the binding (Expires: 0); registration_event `unregistered`
  /// follows. Error: unknown_registration.
  std::error_code unregister(time_point now, registration_handle registration);
  /// Registrations not yet unregistered (removals under way included).
  [[nodiscard]] std::size_t registrations() const noexcept;

  /// Ends every call (CANCEL / 603 / BYE), removes every registration and
  /// refuses new calls (new INVITEs get 503). The core is drained when
  /// calls() and registrations() are 0 and next_deadline() none.
  void shutdown(time_point now);

  // ---- from the runtime --------------------------------------------------------

  void receive(time_point now, inbound_message message);
  void transport_error(time_point now, const transport_error_event& e);
  /// The answer to a resolve_action.
  void resolved(time_point now, std::uint64_t token, std::error_code error,
                const std::vector<std::pair<socket_address, transport_protocol>>& targets);

  [[nodiscard]] std::optional<time_point> next_deadline() const noexcept;
  void handle_timeout(time_point now);

  std::optional<core_action> next_action();
  [[nodiscard]] bool has_action() const noexcept;

  // ---- introspection -----------------------------------------------------------

  [[nodiscard]] std::size_t calls() const noexcept;  ///< live calls, ended ones draining included
  [[nodiscard]] std::optional<call_state> state(call_handle call) const noexcept;
  [[nodiscard]] const transaction_layer& transactions() const noexcept;
  [[nodiscard]] const ua_core_config& config() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace sipua
