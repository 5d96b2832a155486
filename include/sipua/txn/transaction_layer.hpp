// The transaction layer (RFC 3261 §17 with RFC 6026), sans-I/O: no socket,
// no clock, no globals. Every entry point takes `now`; next_deadline() and
// handle_timeout(now) drive one runtime timer; the effects of each call are
// queued actions (actions.hpp) the runtime drains with next_action().
//
//   client   send_request() → send_request_action; responses come in with
//            receive() and go up as response_event; Timer B/F → timeout_event
//   server   receive(request) → request_event (or cancel_event / ack_event);
//            send_response() → send_response_action, retransmitted as
//            §17.2 says
//
// Timers: all per endpoint (timer_config). Live timers sit in one FIFO per
// distinct duration (every timer of a given duration expires in the order
// it was started), so starting, stopping and firing one is O(1) and the
// earliest deadline is the smallest of a handful of list heads: 100,000
// transactions cost the runtime one timer.
//
// Threading: single-threaded; use one layer from one thread (the UA's
// event loop). Nothing is re-entrant: call next_action() after each call.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>

#include "sipua/result.hpp"
#include "sipua/transport/transport.hpp"
#include "sipua/txn/actions.hpp"
#include "sipua/txn/timers.hpp"
#include "sipua/txn/transaction.hpp"

namespace sipua {

struct transaction_config {
  timer_config timers;
  /// RFC 3261 §17.2.1: a server INVITE transaction answers 100 Trying at
  /// once (the TU may take longer than 200 ms to answer).
  bool send_100_trying = true;
  /// RFC 3261 §8.2.2.2: a request without To tag whose From tag, Call-ID
  /// and CSeq equal those of a live server transaction it does not match
  /// is answered 482 (Loop Detected) by the layer (a forked copy).
  bool answer_merged_requests = true;
  /// Most live transactions; past it a new request is answered 503 with
  /// Retry-After (no transaction) and send_request() fails.
  std::size_t max_transactions = 1'000'000;
  /// Randomness for the To tags of the responses the layer writes itself
  /// (482, 503; RFC 3261 §8.2.6.2, §19.3). Inject a CSPRNG; when empty
  /// the layer uses a deterministic sequence (fine for tests, and those
  /// responses create no dialog).
  std::function<std::uint64_t()> random;
};

class transaction_layer {
 public:
  using clock = std::chrono::steady_clock;
  using time_point = clock::time_point;

  explicit transaction_layer(transaction_config config = {});
  ~transaction_layer();
  transaction_layer(const transaction_layer&) = delete;
  transaction_layer& operator=(const transaction_layer&) = delete;

  // ---- client side -------------------------------------------------------

  /// Starts a client transaction for `request` (a whole message whose top
  /// Via carries an RFC 3261 branch "z9hG4bK..."; INVITE gives a client
  /// INVITE transaction, anything but ACK a non-INVITE one) and queues its
  /// first transmission to `target` over `protocol`. A UDP request over
  /// 1300 bytes goes over TCP (RFC 3261 §18.1.1; the top Via is rewritten)
  /// and is then reliable: no retransmissions.
  /// Errors: bad_message, not_a_request (a response or an ACK: the ACK of
  /// a 2xx is the TU's, sent without a transaction), no_branch,
  /// duplicate_branch, too_many_transactions.
  result<transaction_id, std::error_code> send_request(time_point now, std::string request,
                                                       const send_target& target,
                                                       transport_protocol protocol);

  /// Cancels the INVITE of client transaction `invite` (RFC 3261 §9.1): a
  /// CANCEL built from it starts its own client non-INVITE transaction,
  /// sent at once when a provisional response was received, else as soon
  /// as one arrives (§9.1: never before). When the INVITE ends before a
  /// provisional response, the CANCEL ends unsent (terminated_event only).
  /// Errors: unknown_transaction, wrong_kind (not a client INVITE),
  /// wrong_state (already cancelled, or a final response came).
  result<transaction_id, std::error_code> send_cancel(time_point now, transaction_id invite);

  // ---- server side -------------------------------------------------------

  /// Sends `response` (a whole message, e.g. build_response() of the
  /// request_event's request) on server transaction `txn`.
  /// Errors: bad_message, not_a_response, unknown_transaction, wrong_kind
  /// (a client transaction), wrong_state (after the final response; a 1xx
  /// or non-2xx in the INVITE accepted state, where only 2xx may be
  /// retransmitted, RFC 6026 §8.6).
  std::error_code send_response(time_point now, transaction_id txn, std::string response);

  // ---- from the transports -----------------------------------------------

  /// A message arrived: matched to a transaction (§17.1.3, §17.2.3) or
  /// starting one, or passed up as ack_event / stray_response_event, or
  /// dropped (a stray non-2xx response, §18.1.2).
  void receive(time_point now, inbound_message message);

  /// A transport reported an error for `e.peer` (RFC 3261 §17.1.4,
  /// §17.2.4): every transaction sending to that address over that
  /// protocol ends with transport_failure_event.
  void transport_error(time_point now, const transport_error_event& e);

  // ---- time --------------------------------------------------------------

  /// The earliest timer, or none.
  [[nodiscard]] std::optional<time_point> next_deadline() const noexcept;
  /// Fires every timer due at `now`, in deadline order.
  void handle_timeout(time_point now);

  // ---- output ------------------------------------------------------------

  /// The next queued action, oldest first; none when the queue is empty.
  std::optional<txn_action> next_action();
  [[nodiscard]] bool has_action() const noexcept;

  // ---- introspection -----------------------------------------------------

  [[nodiscard]] std::size_t size() const noexcept;  ///< live transactions
  /// The transaction records held (live or free). After a burst, once the
  /// live transactions fall far below it (or to none), the layer gives the
  /// unused ones back, keeping a small reserve.
  [[nodiscard]] std::size_t capacity() const noexcept;
  [[nodiscard]] std::optional<transaction_state> state(transaction_id txn) const noexcept;
  [[nodiscard]] std::optional<transaction_kind> kind(transaction_id txn) const noexcept;
  [[nodiscard]] const transaction_config& config() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace sipua
