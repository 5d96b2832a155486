// The transaction timers: one FIFO per distinct duration. Timers of equal
// duration started in time order also expire in that order, so each list
// stays sorted by appending; starting, stopping and popping are O(1), and
// the earliest deadline is the smallest of the list heads (a handful: the
// durations of one endpoint's timer_config). Intrusive: the nodes live in
// the transactions, nothing is allocated per timer. Private to src/txn.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

namespace sipua::detail {

using txn_clock = std::chrono::steady_clock;

struct timer_node {
  timer_node* prev = nullptr;
  timer_node* next = nullptr;
  txn_clock::time_point deadline{};
  std::uint32_t owner = 0;  ///< set by the user: whose timer this is
  std::uint16_t list = 0;   ///< the list it is linked in, plus one; 0: not running
  [[nodiscard]] bool running() const noexcept { return list != 0; }
};

class timer_queues {
 public:
  /// (Re)starts `n` to fire at now + d.
  void start(timer_node& n, txn_clock::time_point now, txn_clock::duration d);
  void stop(timer_node& n) noexcept;
  [[nodiscard]] std::optional<txn_clock::time_point> next_deadline() const noexcept;
  /// Unlinks and returns the running timer with the earliest deadline when
  /// it is due at `now` (deadline <= now), else null.
  timer_node* pop_due(txn_clock::time_point now) noexcept;

 private:
  struct fifo {
    txn_clock::duration duration{};
    timer_node* head = nullptr;
    timer_node* tail = nullptr;
  };
  std::vector<fifo> lists_;
};

}  // namespace sipua::detail
