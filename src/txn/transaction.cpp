// Names of kinds and states, and the "sipua.txn" error category.
#include "sipua/txn/transaction.hpp"

#include <string>

namespace sipua {

std::string_view to_string(transaction_kind k) noexcept {
  switch (k) {
    case transaction_kind::client_invite: return "client INVITE";
    case transaction_kind::client_non_invite: return "client non-INVITE";
    case transaction_kind::server_invite: return "server INVITE";
    case transaction_kind::server_non_invite: return "server non-INVITE";
  }
  return "?";
}

std::string_view to_string(transaction_state s) noexcept {
  switch (s) {
    case transaction_state::calling: return "calling";
    case transaction_state::trying: return "trying";
    case transaction_state::proceeding: return "proceeding";
    case transaction_state::completed: return "completed";
    case transaction_state::confirmed: return "confirmed";
    case transaction_state::accepted: return "accepted";
    case transaction_state::terminated: return "terminated";
  }
  return "?";
}

namespace {

class txn_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "sipua.txn"; }
  std::string message(int ev) const override {
    switch (static_cast<txn_errc>(ev)) {
      case txn_errc::ok: return "ok";
      case txn_errc::bad_message: return "message does not parse or lacks a required field";
      case txn_errc::not_a_request: return "not a request that starts a transaction";
      case txn_errc::not_a_response: return "not a response";
      case txn_errc::no_branch: return "top Via has no RFC 3261 branch";
      case txn_errc::duplicate_branch: return "a transaction with that branch exists";
      case txn_errc::unknown_transaction: return "no such transaction";
      case txn_errc::wrong_kind: return "wrong kind of transaction";
      case txn_errc::wrong_state: return "not allowed in the transaction's state";
      case txn_errc::too_many_transactions: return "too many transactions";
    }
    return "unknown transaction error";
  }
};

}  // namespace

const std::error_category& txn_category() noexcept {
  static const txn_category_impl category;
  return category;
}

}  // namespace sipua
