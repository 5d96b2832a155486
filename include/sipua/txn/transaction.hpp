// Transaction vocabulary: handles, the four kinds of RFC 3261 §17, their
// states as the RFC (and RFC 6026 for "accepted") names them, and the
// layer's error codes (category "sipua.txn").
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <system_error>

namespace sipua {

/// A generation-checked handle: it stays safe to use after the transaction
/// is gone (calls then fail with txn_errc::unknown_transaction).
struct transaction_id {
  std::uint32_t slot = 0;
  std::uint32_t generation = 0;  ///< 0: no transaction

  [[nodiscard]] bool valid() const noexcept { return generation != 0; }
  friend bool operator==(const transaction_id&, const transaction_id&) noexcept = default;
};

enum class transaction_kind : std::uint8_t {
  client_invite,      ///< RFC 3261 §17.1.1, RFC 6026 §7.2
  client_non_invite,  ///< §17.1.2
  server_invite,      ///< §17.2.1, RFC 6026 §7.1
  server_non_invite,  ///< §17.2.2
};

enum class transaction_state : std::uint8_t {
  calling,     ///< client INVITE: request sent, nothing heard
  trying,      ///< non-INVITE: client sent / server received the request
  proceeding,  ///< a provisional response was received / sent
  completed,   ///< a final response (non-2xx for INVITE) was received / sent
  confirmed,   ///< server INVITE: the ACK for a non-2xx arrived
  accepted,    ///< INVITE: a 2xx was received / sent (RFC 6026)
  terminated,
};

[[nodiscard]] std::string_view to_string(transaction_kind k) noexcept;
[[nodiscard]] std::string_view to_string(transaction_state s) noexcept;

/// Values are stable.
enum class txn_errc {
  ok = 0,
  bad_message = 1,          ///< the bytes given do not parse (or lack Via, CSeq ...)
  not_a_request = 2,        ///< send_request() with a response, or an ACK (no transaction)
  not_a_response = 3,       ///< send_response() with a request
  no_branch = 4,            ///< our request's top Via has no RFC 3261 branch (z9hG4bK...)
  duplicate_branch = 5,     ///< a client transaction with that branch and method exists
  unknown_transaction = 6,  ///< the handle names no live transaction
  wrong_kind = 7,           ///< e.g. a response on a client transaction, CANCEL of a non-INVITE
  wrong_state = 8,          ///< e.g. a response after the final one, a 1xx on an ACKed transaction
  too_many_transactions = 9,  ///< transaction_config::max_transactions reached
};

const std::error_category& txn_category() noexcept;

inline std::error_code make_error_code(txn_errc e) noexcept {
  return {static_cast<int>(e), txn_category()};
}

}  // namespace sipua

template <>
struct std::is_error_code_enum<sipua::txn_errc> : std::true_type {};

template <>
struct std::hash<sipua::transaction_id> {
  std::size_t operator()(const sipua::transaction_id& t) const noexcept {
    return (static_cast<std::size_t>(t.slot) << 32) ^ t.generation;
  }
};
