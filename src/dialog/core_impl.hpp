// The UA core's private state (ua_core.hpp): the call table, who owns which
// transaction, the dialog index, pending resolutions and the core's own
// timers (2xx retransmission, RFC 3261 §13.3.1.4; the glare back-off,
// §14.1). Split by concern across src/dialog/core_*.cpp.
#pragma once

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "call_index.hpp"
#include "chunked_table.hpp"
#include "held_media.hpp"

#include "sipua/auth/digest_client.hpp"
#include "sipua/dialog/dialog.hpp"
#include "sipua/dialog/redirect.hpp"
#include "sipua/dialog/ua_core.hpp"
#include "sipua/message/message.hpp"
#include "sipua/sdp/offer_answer.hpp"
#include "sipua/txn/transaction_layer.hpp"

namespace sipua {

/// Where a request goes: a resolved next hop.
struct core_hop {
  socket_address address;
  transport_protocol protocol = transport_protocol::udp;
  std::string server_name;  ///< the host name it was resolved from (TLS SNI), or empty
  [[nodiscard]] send_target target() const { return send_target{address, server_name}; }
};
using hop_result = result<core_hop, std::error_code>;
using hop_continuation = std::function<void(ua_core::time_point, hop_result)>;

/// One dialog of a call with its own offer/answer state: a UAC's early
/// dialogs each get the answer their 1xx carried (RFC 3261 §13.2.2.4 /
/// RFC 3264: one answer per early dialog).
struct call_leg {
  sipua::dialog dlg;
  sdp::offer_answer oa;
  std::string ack;  ///< UAC: the ACK of this dialog's 2xx (re-sent for each retransmission)
  core_hop hop;     ///< where in-dialog requests (and the ACK) go
  bool hop_known = false;
  /// UAC: the ACK of the 2xx to our latest re-INVITE and its CSeq number;
  /// `ack` stays the initial INVITE's (§13.2.2.4: a retransmitted 2xx gets
  /// the ACK of its own INVITE).
  std::string reinvite_ack;
  std::uint32_t reinvite_ack_cseq = 0;
};

/// Which dialog of a call: the confirmed one, or a fork kept only to end it.
struct leg_ref {
  bool fork = false;
  std::size_t index = 0;  ///< into call_record::forks
};

/// What a transaction is for.
enum class txn_purpose : std::uint8_t {
  invite,            ///< our initial INVITE (UAC)
  cancel,            ///< our CANCEL
  bye,               ///< our BYE
  fork_bye,          ///< BYE for a forked 2xx we do not keep
  reinvite,          ///< our re-INVITE
  info,              ///< our INFO
  out_of_dialog,     ///< our MESSAGE / OPTIONS
  register_binding,  ///< our REGISTER (request.id: the registration)
  server_invite,     ///< an INVITE we answer (initial)
  server_reinvite,   ///< a re-INVITE we answer
  server_other,      ///< any other request we answer (answered at once)
};

struct txn_owner {
  txn_owner() = default;
  txn_owner(call_handle c, txn_purpose p, request_handle r) : call(c), purpose(p), request(r) {}

  call_handle call;
  txn_purpose purpose = txn_purpose::server_other;
  request_handle request;
  /// With credentials configured: the request as sent and where it went,
  /// to send it again with credentials after a 401/407 (core_auth.cpp).
  std::shared_ptr<const std::string> sent;
  core_hop hop;
  /// An INVITE we answer: our To tag in its responses (a CANCEL's 200
  /// repeats it, §9.2, also when the INVITE was refused before a dialog
  /// existed).
  std::string tag;
};

/// What the core's own timers do.
enum class core_timer : std::uint8_t {
  retransmit_2xx,  ///< UAS: re-send the 2xx (T1 doubling to T2), give up at 64·T1
  glare_retry,     ///< re-send the re-INVITE that got 491 (§14.1)
  registration,    ///< refresh a registration, or retry it after a failure
};

/// One registration (core_register.cpp).
struct registration_record {
  registration_handle handle;
  registration_options options;
  std::string aor;
  std::string call_id;  ///< the same for every REGISTER of this registration (§10.2.4)
  std::string from_tag;
  std::uint32_t cseq = 0;
  std::chrono::seconds asking{3600};  ///< the expiration we ask for (raised by 423)
  std::string contact;                ///< our Contact URI as registered
  transport_protocol protocol = transport_protocol::udp;
  /// A Contact we moved away from (NAT): removed in the next REGISTER.
  std::string stale_contact;
  unsigned nat_updates = 0;
  transaction_id txn;  ///< the REGISTER in flight
  bool in_flight = false;
  bool want_unregister = false;  ///< unregister() / shutdown() asked
  bool sent_unregister = false;  ///< the REGISTER in flight has Expires: 0
  unsigned failures = 0;         ///< consecutive
  bool bound = false;            ///< a 2xx bound our Contact at some point
  ua_core::time_point due{};     ///< the next refresh or retry
};

/// A queued change of media to retry after glare, or do once possible.
enum class reoffer_kind : std::uint8_t { none, hold, unhold, media };

/// The caller's INVITE and what only its transaction needs (RFC 3261
/// §13.2): out of the record so that an established call does not carry
/// it. Freed (release_setup) once the call is confirmed or ended, the
/// INVITE transaction is gone (Timer M / D: no 2xx, retransmitted or
/// forked, can arrive through it any more, RFC 6026 §7.2) and no
/// resolution under way can still build an ACK from it.
struct uac_setup {
  /// The INVITE's Call-ID and From tag: the dialog's once confirmed.
  std::string call_id;
  std::string local_tag;
  dialog_party local;
  dialog_party remote;
  std::vector<extra_header> headers;
  std::string request_uri;
  /// The §8.1.3.4 target set, made at the first 3xx.
  std::optional<redirect_targets> targets;
  message invite;                ///< owns its bytes
  sdp::offer_answer initial_oa;  ///< after our INVITE's offer, before any answer
  std::vector<call_leg> early;   ///< early dialogs (forking: several)
  std::string invite_body;       ///< our INVITE's body (re-sent after a redirect)
};

/// UAS: our 2xx to an INVITE or re-INVITE, re-sent until its ACK (RFC 3261
/// §13.3.1.4); allocated only while the ACK is awaited.
struct awaited_ack {
  std::string response;  ///< the 2xx as sent
  transaction_id txn;    ///< its server transaction
  ua_core::time_point retransmit_at{};
  ua_core::time_point give_up_at{};
  std::chrono::milliseconds interval{0};
  bool for_reinvite = false;  ///< the ACK of a re-INVITE's 2xx
};

/// Frees a container's or string's storage (clear() keeps the capacity).
template <class T>
void release(T& v) noexcept {
  T empty;
  v.swap(empty);
}

struct call_record {
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;
  bool live = false;
  bool uac = true;
  call_state state = call_state::calling;
  /// Our media (call_options / answer_options / reinvite()), packed while
  /// the call is idle; empty: none.
  held_media media;

  // UAC: the INVITE as sent and what came of it.
  bool follow_redirects = true;
  transaction_id invite_txn;
  std::uint32_t invite_cseq = 0;
  std::unique_ptr<uac_setup> setup;  ///< null for a UAS, and once released
  bool cancel_wanted = false;
  bool cancel_sent = false;

  // The dialog once confirmed (both sides), with its offer/answer state.
  std::optional<call_leg> leg;
  /// UAC: dialogs of forked 2xx responses we ACK and then BYE (§13.2.2.4);
  /// allocated at the first one (a deque: references stay valid as it grows).
  std::unique_ptr<std::deque<call_leg>> forks;

  // UAS: the INVITE we answer, kept until it has its final response.
  transaction_id server_txn;
  std::unique_ptr<inbound_message> request;
  /// The transport the INVITE came over (2xx retransmissions: UDP only).
  transport_protocol request_protocol = transport_protocol::udp;
  /// Our 2xx (initial INVITE or re-INVITE) while it waits for its ACK.
  std::unique_ptr<awaited_ack> awaiting;

  // re-INVITEs.
  transaction_id reinvite_txn;         ///< ours, pending
  transaction_id server_reinvite_txn;  ///< theirs, not yet answered with a final
  std::uint32_t reinvite_cseq = 0;
  reoffer_kind retry = reoffer_kind::none;
  std::unique_ptr<sdp::local_capabilities> retry_media;
  ua_core::time_point glare_at{};
  bool glare_pending = false;

  /// UAS: hangup() while our 2xx waits for its ACK: §15 lets the BYE go
  /// only after the ACK (or when we give up waiting).
  bool bye_after_ack = false;

  end_reason reason = end_reason::failed;
  /// shutdown() is ending the call: its own hangup and what follows from
  /// it (487 after our CANCEL, the BYE after a 2xx that crossed it) are
  /// reported as end_reason::shutdown.
  bool shutting_down = false;
  int end_status = 0;
  std::size_t transactions = 0;  ///< live transactions owned by the call
  std::size_t holds = 0;         ///< resolutions under way for the call
};

/// The call's Call-ID and our tag: its confirmed dialog's (a callee's from
/// the INVITE on), else (a caller before the 2xx) its INVITE's; empty once
/// neither is kept.
inline std::string_view call_id_of(const call_record& c) noexcept {
  if (c.leg) return c.leg->dlg.id.call_id;
  return c.setup ? std::string_view{c.setup->call_id} : std::string_view{};
}
inline std::string_view local_tag_of(const call_record& c) noexcept {
  if (c.leg) return c.leg->dlg.id.local_tag;
  return c.setup ? std::string_view{c.setup->local_tag} : std::string_view{};
}

struct ua_core::impl {
  explicit impl(ua_core_config c);

  ua_core_config config;
  transaction_layer txn;
  /// Answers 401/407 when config.credentials is set (core_auth.cpp).
  std::optional<auth::digest_client> digest;
  std::deque<core_action> out;
  /// By slot; references stay valid as it grows.
  chunked_table<call_record> calls;
  std::vector<std::uint32_t> free_slots;
  std::size_t live_calls = 0;    ///< records in use, ended calls draining included
  std::size_t active_calls = 0;  ///< calls not ended: what config.max_calls bounds
  std::unordered_map<transaction_id, txn_owner> owners;
  /// The calls by their dialogs' identifiers (confirmed and early).
  call_index dialogs;
  /// Our INVITEs by Call-ID + From tag (a stray 2xx, §13.2.2.4).
  call_index uac_calls;
  std::unordered_map<std::uint64_t, hop_continuation> resolving;
  std::uint64_t next_token = 1;
  std::uint64_t next_request = 1;
  std::map<std::uint64_t, registration_record> registrations;
  std::uint64_t next_registration = 1;
  std::uint64_t sequence = 0;  ///< the deterministic random sequence
  bool shut_down = false;

  struct timer_entry {
    time_point at;
    call_handle call;
    core_timer kind = core_timer::retransmit_2xx;
    std::uint64_t registration = 0;  ///< core_timer::registration: whose
    friend bool operator>(const timer_entry& a, const timer_entry& b) { return a.at > b.at; }
  };
  std::priority_queue<timer_entry, std::vector<timer_entry>, std::greater<>> timers;

  // ---- ua_core.cpp: the table, the pump, timers ------------------------------
  call_record* find(call_handle h) noexcept;
  const call_record* find(call_handle h) const noexcept;
  result<call_handle, std::error_code> new_call();
  call_handle handle_of(const call_record& c) const noexcept;
  /// Marks the call ended (reports call_ended_event once) and frees it when
  /// nothing refers to it any more.
  void end_call(call_record& c, end_reason why, int status, std::string phrase = {});
  void maybe_free(call_record& c);
  /// state = ended; the call no longer counts against config.max_calls.
  void set_ended(call_record& c) noexcept;
  /// Frees what only the call's setup needed once nothing can use it
  /// again: the caller's uac_setup and its 2xx's ACK text (see uac_setup).
  void release_setup(call_record& c);
  void emit(core_event e) { out.emplace_back(std::move(e)); }
  /// Drains the transaction layer: sends go out, TU events are handled.
  void pump(time_point now);
  void on_txn_event(time_point now, txn_action&& a);
  void schedule(call_record& c, core_timer kind, time_point at);
  /// Runs `f` on the live call `h` (unknown_call when there is none), then pumps.
  template <class F>
  std::error_code with_call(time_point now, call_handle h, F&& f) {
    call_record* c = find(h);
    if (c == nullptr) return make_error_code(core_errc::unknown_call);
    const std::error_code e = f(*c);
    pump(now);
    return e;
  }
  void fire(time_point now, const timer_entry& t);

  // ---- core_build.cpp: randomness, identities, hops, writing messages ----------
  std::uint64_t random();
  std::string hex_token();  ///< 16 hex digits
  std::string branch() { return "z9hG4bK" + hex_token(); }
  const local_endpoint* endpoint_for(transport_protocol p) const noexcept;
  std::string via_for(transport_protocol p);
  std::string contact_for(transport_protocol p) const;
  /// Resolves `uri` (sip/sips) to a next hop: at once for an IP literal,
  /// else through a resolve_action; `then` runs with the outcome.
  void with_hop(time_point now, std::string_view uri, hop_continuation then);
  /// Starts a client transaction owned by `owner`.
  result<transaction_id, std::error_code> start_client(time_point now, const core_hop& hop,
                                                       std::string bytes, txn_owner owner);
  /// Queues a request sent without a transaction (the ACK of a 2xx).
  void send_direct(const core_hop& hop, std::string bytes, bool retransmission);
  /// A response on server transaction `txn`, with our tag and, when asked,
  /// our Contact; the body and its type when given.
  std::error_code respond(time_point now, transaction_id txn, const inbound_message& request,
                          int status, std::string_view reason, std::string_view tag,
                          bool with_contact, std::string_view content_type = {},
                          std::string_view body = {}, const std::vector<extra_header>& extra = {},
                          std::string* kept = nullptr);
  /// A request in the call's dialog: `method` with a new CSeq (or `cseq`
  /// when given: ACK), our Contact for target refreshes, and the body.
  /// `credentials_of`: copy its Authorization and Proxy-Authorization
  /// (the ACK of a 2xx carries the INVITE's, RFC 3261 §22.1).
  result<std::string, std::error_code> in_dialog_request(call_leg& leg, std::string_view method,
                                                         std::optional<std::uint32_t> cseq,
                                                         std::string_view content_type,
                                                         std::string_view body, bool with_contact,
                                                         const message* credentials_of = nullptr);
  /// Runs `then` with the leg once its next hop is known (resolving it
  /// first when it is a name); a failed resolution ends the call.
  void with_leg_hop(time_point now, call_handle call, leg_ref which,
                    std::function<void(time_point, call_record&, call_leg&)> then);
  /// Sends a request in the leg's dialog as a client transaction.
  void send_in_dialog(time_point now, call_handle call, leg_ref which, std::string method,
                      std::string content_type, std::string body, txn_purpose purpose,
                      request_handle req);

  // ---- core_uac.cpp -------------------------------------------------------------
  result<call_handle, std::error_code> start_call(time_point now, call_options options);
  void send_invite(time_point now, call_handle h);
  void on_invite_response(time_point now, call_record& c, inbound_message&& r);
  void on_stray_2xx(time_point now, inbound_message&& r);
  void ack_and_bye_fork(time_point now, call_record& c, const message& r);
  bool follow_redirect(time_point now, call_record& c, const message& r);
  std::error_code cancel(time_point now, call_record& c);

  // ---- core_uas.cpp -------------------------------------------------------------
  void on_request(time_point now, transaction_id txn, inbound_message&& r);
  void on_invite(time_point now, transaction_id txn, inbound_message&& r);
  std::error_code answer_call(time_point now, call_record& c, int status, answer_options o);
  void on_ack(time_point now, inbound_message&& ack);
  void on_cancel(time_point now, transaction_id txn, transaction_id invite, inbound_message&& r);
  /// Keeps our 2xx (sent on `txn_id`) and re-sends it until its ACK.
  void await_ack(time_point now, call_record& c, transaction_id txn_id, std::string response,
                 bool for_reinvite);
  /// The call is idle (stable offer/answer, nothing pending): keeps its
  /// confirmed dialog's SDP and its media compactly.
  void compact_idle(call_record& c);
  void retransmit_2xx(time_point now, call_record& c);

  // ---- core_dialog.cpp -----------------------------------------------------------
  void on_in_dialog_request(time_point now, transaction_id txn, call_record& c,
                            inbound_message&& r);
  void on_in_dialog_response(time_point now, call_record& c, const txn_owner& o, transaction_id id,
                             inbound_message&& r);
  std::error_code send_bye(time_point now, call_record& c,
                           end_reason why = end_reason::local_hangup);
  std::error_code start_reoffer(time_point now, call_record& c, reoffer_kind kind,
                                std::optional<sdp::local_capabilities> media);
  void on_reinvite(time_point now, transaction_id txn, call_record& c, inbound_message&& r);
  void register_dialog(const sipua::dialog& d, call_handle h);
  void unregister_dialog(const sipua::dialog& d, call_handle h);
  /// The call one of whose dialogs (confirmed or early) is `id`, or null.
  call_record* find_dialog(const dialog_id_view& id);
  /// Our call whose INVITE had this Call-ID and From tag, or null.
  call_record* find_uac_call(std::string_view call_id, std::string_view from_tag);

  // ---- core_requests.cpp ----------------------------------------------------------
  result<request_handle, std::error_code> send_out_of_dialog(time_point now, std::string method,
                                                             std::string target,
                                                             std::string content_type,
                                                             std::string body);
  void on_out_of_dialog_request(time_point now, transaction_id txn, inbound_message&& r);
  void finish_request(const txn_owner& o, int status, std::optional<inbound_message> response);

  // ---- core_auth.cpp ------------------------------------------------------------------
  /// A 401/407 to our request `old`: sends it again with credentials and
  /// a new CSeq (RFC 3261 §22.2, §8.1.3.5). False when it cannot (no
  /// credentials, rejected ones, nothing sent to repeat): the response is
  /// then the request's outcome.
  bool authenticate(time_point now, transaction_id old, const txn_owner& o,
                    const inbound_message& response);
  /// Pre-emptive credentials for a new request in realms we already
  /// answered (§22.2 "attempt to re-use"), as header fields.
  std::vector<extra_header> reuse_credentials(std::string_view method, std::string_view uri);

  // ---- core_register.cpp ------------------------------------------------------------
  registration_record* find_registration(std::uint64_t id) noexcept;
  result<registration_handle, std::error_code> start_registration(time_point now,
                                                                  registration_options o);
  void send_register(time_point now, std::uint64_t id);
  void on_register_response(time_point now, std::uint64_t id, transaction_id which, int status,
                            std::optional<inbound_message> response);
  void register_succeeded(time_point now, registration_record& r, const inbound_message& response);
  void register_failed(time_point now, registration_record& r, int status, std::string phrase,
                       const std::optional<inbound_message>& response);
  void schedule_registration(registration_record& r, time_point at);
  void fire_registration(time_point now, const timer_entry& t);
  std::error_code stop_registration(time_point now, std::uint64_t id);
};

/// The SDP body of `m` when its Content-Type is application/sdp (none when
/// there is no body); an error when it does not parse.
result<std::optional<sdp::session_description>, std::error_code> sdp_body(const message& m);

/// make_offer / make_answer of `media` through `oa`, as body text.
result<std::string, std::error_code> offer_body(sdp::offer_answer& oa,
                                                const sdp::local_capabilities& media);
result<std::string, std::error_code> answer_body(sdp::offer_answer& oa,
                                                 const sdp::local_capabilities& media);

/// Parses bytes we wrote into a message that owns them.
result<message, std::error_code> own_message(std::string bytes);

}  // namespace sipua
