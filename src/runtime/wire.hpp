// Where sans-I/O actions meet the transports, shared by the runtimes
// (transaction_runtime, the UserAgent's engine): sending the send actions
// (§18.1.1 already applied by the layer; §18.2.2 / RFC 3581 §4 for
// responses), and tracing and logging what goes out and comes in.
#pragma once

#include <optional>
#include <string_view>

#include "sipua/runtime/log.hpp"
#include "sipua/runtime/trace.hpp"
#include "sipua/transport/transport.hpp"
#include "sipua/transport/transport_set.hpp"
#include "sipua/txn/actions.hpp"

namespace sipua::runtime_detail {

struct wire {
  explicit wire(transport_set& t) : transports(t) {}

  transport_set& transports;
  trace_hook trace;
  const logger* log = nullptr;
  std::string_view component = "runtime";

  /// Sends; a send refused at once is logged and returned as the transport
  /// error to feed back to the layer (RFC 3261 §17.1.4, §17.2.4).
  std::optional<transport_error_event> send(const send_request_action& a) const;
  std::optional<transport_error_event> send(const send_response_action& a) const;
  /// Traces a message that arrived.
  void received(const inbound_message& m) const;
  /// Traces and logs (debug) bytes that did not parse.
  void parse_failed(const inbound_parse_failure& f) const;
  /// Logs (debug) a transport's error report.
  void transport_failed(const transport_error_event& e) const;

 private:
  [[nodiscard]] bool logs(log_level level) const noexcept {
    return log != nullptr && log->enabled(level);
  }
  transport_error_event refused(transport_protocol protocol, const socket_address& peer,
                                std::error_code ec, std::string_view bytes) const;
};

}  // namespace sipua::runtime_detail
