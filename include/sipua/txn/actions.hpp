// What the transaction layer asks of the world (transmit) and tells the
// transaction user (TU: the UA core, the dialog layer). The runtime drains
// them with transaction_layer::next_action() after every call into the
// layer; the layer never calls out itself.
//
// Lifetimes: every action owns what it carries (shared byte buffers,
// messages that own their bytes); views inside a `via` stay valid as long as
// the action's `request` buffer.
#pragma once

#include <memory>
#include <string>
#include <system_error>
#include <variant>

#include "sipua/message/via.hpp"
#include "sipua/transport/address.hpp"
#include "sipua/transport/transport.hpp"
#include "sipua/txn/transaction.hpp"

namespace sipua {

/// Send a request (a first transmission or a retransmission) to `address`
/// over `protocol`; `server_name` is the target's host name for TLS (SNI,
/// RFC 5922), empty for a numeric target.
struct send_request_action {
  transaction_id txn;
  transport_protocol protocol = transport_protocol::udp;
  socket_address address;
  std::string server_name;
  std::shared_ptr<const std::string> bytes;
  bool retransmission = false;
};

/// Send a response to the request that arrived as `origin`, routed as
/// RFC 3261 §18.2.2 / RFC 3581 say from `top_via` (the request's first
/// via-parm; its views point into the request's buffer, which `request`
/// keeps alive), e.g. with
/// transport_set::send_response(). `txn` is invalid for a response the
/// layer sends without a transaction (503 when full).
struct send_response_action {
  transaction_id txn;
  transport_origin origin;
  via top_via;
  std::shared_ptr<const void> request;
  std::shared_ptr<const std::string> bytes;
  bool retransmission = false;
};

/// A response for a client transaction: provisional and final ones, and in
/// the INVITE accepted state every further 2xx (RFC 6026 §7.2: the TU acks
/// each). Retransmitted non-2xx finals are absorbed, not passed up.
struct response_event {
  transaction_id txn;
  inbound_message response;
};

/// A request that created a server transaction. For an INVITE the layer
/// has already sent 100 Trying (transaction_config::send_100_trying).
struct request_event {
  transaction_id txn;
  inbound_message request;
};

/// A CANCEL (its own server non-INVITE transaction, `txn`) and the server
/// INVITE transaction it cancels (RFC 3261 §9.2), invalid when none
/// matches: the TU answers the CANCEL (200, or 481 when there is none) and,
/// for a live INVITE, answers that with 487.
struct cancel_event {
  transaction_id txn;
  transaction_id invite;
  inbound_message cancel;
};

/// An ACK that belongs to no transaction: the ACK for a 2xx (RFC 3261
/// §17.2.3 / RFC 6026 §8.5: for the TU, which matches it to its dialog).
struct ack_event {
  inbound_message ack;
};

/// A response that matches no client transaction. Only 2xx responses to
/// INVITE come up (RFC 6026 §7.2: a forked 2xx after the transaction ended
/// must reach the TU, which acks it or ends that dialog); others are
/// dropped (§18.1.2).
struct stray_response_event {
  inbound_message response;
};

/// Timer B or F fired on a client transaction (the TU reports 408,
/// §8.1.3.1), or Timer H on a server INVITE transaction (the ACK never came).
struct timeout_event {
  transaction_id txn;
};

/// The transport failed for this transaction (RFC 3261 §17.1.4, §17.2.4):
/// the TU reports 503 for a client transaction (§8.1.3.1).
struct transport_failure_event {
  transaction_id txn;
  std::error_code error;
};

/// The transaction is gone; its handle is stale from now on.
struct terminated_event {
  transaction_id txn;
};

using txn_action = std::variant<send_request_action, send_response_action, response_event,
                                request_event, cancel_event, ack_event, stray_response_event,
                                timeout_event, transport_failure_event, terminated_event>;

}  // namespace sipua
