// The runtime adapter of the transaction layer: it feeds a
// transaction_layer what the transports deliver, hands its send actions to
// a transport_set, drives its timers with ONE asio::steady_timer, and passes
// its TU events to the application's handler. Issue #4 item 6.
//
//   transports --on_message/on_transport_error--> transaction_runtime
//        ^                                           | receive(now, ...)
//        |                                           v
//   transport_set <--send_*_action-- drain() <-- transaction_layer
//                                        |
//                                        +--TU events--> handler
//
// The layer keeps the sans-I/O contract; this class is where `now` comes
// from (std::chrono::steady_clock) and where the actions meet sockets.
//
// Threading: everything on the io_context's thread. The handler may call
// send_request() / send_response() / send_cancel() from inside: the calls
// queue actions that the drain already running picks up (no re-entrance
// into the layer).
//
// Observability: set_trace() installs a hook that sees every message the
// runtime receives and sends (trace.hpp); set_logger() a logger for what
// goes wrong (log.hpp). Neither is set by default: the runtime prints
// nothing.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <system_error>

#include "sipua/result.hpp"
#include "sipua/runtime/log.hpp"
#include "sipua/runtime/trace.hpp"
#include "sipua/transport/transport.hpp"
#include "sipua/transport/transport_set.hpp"
#include "sipua/txn/transaction_layer.hpp"

namespace asio {
class io_context;
}

namespace sipua {

class transaction_runtime final : public transport_user {
 public:
  /// Every TU event (response_event, request_event, cancel_event,
  /// ack_event, stray_response_event, timeout_event,
  /// transport_failure_event, terminated_event); send actions never reach
  /// it.
  using tu_handler = std::function<void(txn_action&&)>;

  /// `io`, `layer` and `transports` must outlive the runtime. Start the
  /// transports with this runtime as their transport_user.
  transaction_runtime(asio::io_context& io, transaction_layer& layer, transport_set& transports,
                      tu_handler handler);
  ~transaction_runtime() override;
  transaction_runtime(const transaction_runtime&) = delete;
  transaction_runtime& operator=(const transaction_runtime&) = delete;

  /// transaction_layer's calls with `now` read from the clock, followed by
  /// a drain of the actions they queued. Errors as the layer's.
  result<transaction_id, std::error_code> send_request(std::string request,
                                                       const send_target& target,
                                                       transport_protocol protocol);
  result<transaction_id, std::error_code> send_cancel(transaction_id invite);
  std::error_code send_response(transaction_id txn, std::string response);

  /// Requests a parse failure could not start: counted (RFC 3261 §18.3
  /// lets a server answer 400 only when it can read the Via, which this
  /// layer cannot for unparsable bytes).
  [[nodiscard]] std::size_t parse_failures() const noexcept;
  /// Send actions a transport refused at once (also fed back to the layer
  /// as transport errors).
  [[nodiscard]] std::size_t send_failures() const noexcept;

  /// Installs (or, with an empty function, removes) the message trace.
  /// The hook sees:
  /// - received: every message a transport delivers (on_message), before
  ///   the layer sees it, and the bytes of every parse failure
  ///   (on_parse_failure); protocol, local and peer are the origin's
  ///   (local as bound, possibly a wildcard); retransmission is false;
  /// - sent: every send action a transport accepted (a refused send is
  ///   logged instead, see set_logger()), with its retransmission flag.
  ///   A request: the action's protocol and destination. A response: the
  ///   request origin's protocol and the destination transport_set::
  ///   send_response() chose (RFC 3261 §18.2.2). The local address is a
  ///   best guess, since the transports do not report the one a send
  ///   used: for a response the address the request arrived on, unless
  ///   that is a wildcard; otherwise the transport's first
  ///   local_addresses() entry of the destination's family (a wildcard
  ///   if it is bound to one; over TCP/TLS a new connection's ephemeral
  ///   port is not known); an unspecified 0.0.0.0:0 when none matches.
  /// Called synchronously from inside the runtime (see trace_hook).
  void set_trace(trace_hook hook);

  /// Logs through `log` (null: no logging, the default), component
  /// "runtime": a send a transport refused at once at warning, a parse
  /// failure and a transport error at debug (they come from the network,
  /// so a peer cannot flood warnings). `*log` is not copied: it must
  /// outlive the runtime or be replaced first.
  void set_logger(const logger* log) noexcept;

  // transport_user
  void on_message(inbound_message&& m) override;
  void on_parse_failure(inbound_parse_failure&& f) override;
  void on_transport_error(const transport_error_event& e) override;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace sipua
