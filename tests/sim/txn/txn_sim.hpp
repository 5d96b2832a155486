// The transaction-layer simulator: a client endpoint and a server endpoint,
// each a transaction_layer and a small transaction user (TU), over the
// virtual network of sim_network.hpp. Virtual time jumps to the earliest of
// the next delivery, the next TU timer and both layers' next_deadline().
//
//   client TU  starts transactions at a fixed spacing (INVITE or OPTIONS,
//              unique branch and Call-ID "sim-<n>@..."), acks every 2xx
//              itself straight over the network (RFC 3261 §13.2.2.4: that
//              ACK is not a transaction)
//   server TU  answers each request_event: an INVITE with 180 at once and a
//              final after a random delay (486/603/404/500, every n-th 200);
//              a non-INVITE with 200 after a random delay. It retransmits
//              its 2xx (§13.3.1.4: T1 doubling to T2) until the ACK arrives
//              or 64*T1 passed.
//
// check() then holds every transaction to RFC 3261 §17 / RFC 6026: it ended,
// with the expected final response delivered once, or with timeout_event at
// exactly start + 64*T1; every timer that ended it (D, H, I, J, K, L, M) at
// its exact value; both layers empty afterwards, every handle stale.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <queue>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/txn/sim_network.hpp"

#include "sipua/txn/transaction_layer.hpp"

namespace sipua::sim {

struct sim_config {
  std::uint64_t seed = 1;
  timer_config timers;
  transport_protocol protocol = transport_protocol::udp;
  /// [0]: client -> server, [1]: server -> client.
  std::array<link_config, 2> links{};
  std::size_t invites = 0;
  std::size_t non_invites = 0;
  sim_duration spacing{2};              ///< between two transaction starts
  unsigned two_xx_every = 5;            ///< every n-th INVITE gets 200, the others a non-2xx final
  sim_duration max_answer_delay{1500};  ///< server TU: 0..this before the final response
  /// The client TU cancels an INVITE still without a final response this
  /// long after it started (§9.1); zero: 128*T1, after every retransmission
  /// of the server's final response has stopped.
  sim_duration cancel_after{0};
};

/// One transaction as both ends saw it (n: its number, in the Call-ID).
struct txn_record {
  bool invite = false;
  int expected_status = 0;
  sim_time start{};
  // The client side.
  transaction_id client;
  int provisionals = 0;
  std::optional<sim_time> last_provisional_at;  ///< Timer C restarts here
  int finals = 0;                               ///< final response_events, 2xx included
  int final_status = 0;
  std::optional<sim_time> final_at;  ///< the first final response_event
  int strays = 0;                    ///< stray_response_events (2xx after Timer M)
  std::optional<sim_time> timeout_at;
  std::optional<sim_time> terminated_at;
  int transport_failures = 0;
  std::shared_ptr<const std::string> ack;  ///< the client TU's ACK for the 2xx
  transaction_id cancel;                   ///< its CANCEL, when the TU sent one
  std::optional<sim_time> cancelled_at;
  std::optional<sim_time> cancel_terminated_at;
  // The server side.
  transaction_id server;
  int request_events = 0;
  std::optional<message> request;  ///< owns its bytes
  std::optional<sim_time> server_final_at;
  std::shared_ptr<const std::string> two_xx;  ///< the server TU's 2xx
  std::optional<sim_time> confirmed_at;       ///< the ACK for a non-2xx was absorbed
  int ack_events = 0;                         ///< ACKs for the 2xx (TU)
  int cancel_events = 0;
  std::optional<sim_time> server_timeout_at;  ///< Timer H
  std::optional<sim_time> server_terminated_at;
  std::size_t request_sends = 0;       ///< send_request_actions of the request (not the ACK)
  std::size_t server_final_sends = 0;  ///< final responses the server layer sent
  /// ACKs for a non-2xx that reached the TU after the INVITE server
  /// transaction ended (late copies: §17.2.3 passes them up).
  int stray_acks = 0;
};

/// A copy of a request that arrived after its server transaction ended (a
/// packet held in the network longer than Timer J / I / L / H): a new
/// server transaction, which the TU answers 482 at once (it knows the
/// request, §8.2.2.2) and which must end too.
struct late_request {
  std::size_t n = 0;
  transaction_id server;
  bool while_live = false;  ///< the first server transaction still lived: a matching bug
  std::optional<sim_time> terminated_at;
};

struct sim_stats {
  std::size_t completed = 0;                 ///< client transactions ended by a final response
  std::size_t timed_out = 0;                 ///< client transactions ended by Timer B / F
  std::size_t server_timed_out = 0;          ///< Timer H
  std::size_t request_retransmissions = 0;   ///< client layer, retransmission = true
  std::size_t response_retransmissions = 0;  ///< server layer, retransmission = true
  std::size_t tu_2xx_retransmissions = 0;    ///< server TU, §13.3.1.4
  std::size_t deliveries = 0;
  std::size_t unexpected = 0;  ///< events a TU should never see here
  std::size_t late_requests = 0;
  sim_duration virtual_time{};
};

class txn_sim {
 public:
  explicit txn_sim(sim_config config);
  txn_sim(const txn_sim&) = delete;
  txn_sim& operator=(const txn_sim&) = delete;

  /// Runs until no delivery, TU timer or transaction timer is left (or a
  /// virtual-time bound, reported by check()).
  void run();
  /// Every broken RFC rule, one line each (empty: all held).
  [[nodiscard]] std::vector<std::string> check() const;

  [[nodiscard]] const sim_stats& stats() const { return stats_; }
  [[nodiscard]] const std::vector<txn_record>& records() const { return records_; }
  [[nodiscard]] const network& net() const { return net_; }
  [[nodiscard]] sim_time start_time() const { return t0_; }

 private:
  enum class tu_kind : std::uint8_t { start, answer, retransmit_2xx, cancel };
  struct tu_timer {
    sim_time at{};
    std::uint64_t sequence = 0;
    tu_kind kind = tu_kind::start;
    std::size_t n = 0;
    sim_duration interval{};
  };
  struct later {
    bool operator()(const tu_timer& a, const tu_timer& b) const {
      return a.at != b.at ? a.at > b.at : a.sequence > b.sequence;
    }
  };

  void schedule(sim_time at, tu_kind kind, std::size_t n, sim_duration interval = {});
  void drain();
  void deliver(const packet& p);
  void on_tu_timer(const tu_timer& t);
  // client TU
  void start_transaction(std::size_t n);
  void client_action(txn_action& a);
  /// Handles the actions of the TU's CANCEL transactions; false for others.
  bool cancel_action(txn_action& a);
  void client_final(std::size_t n, const message& response);
  void send_2xx_ack(std::size_t n, const message& response);
  void cancel_if_stalled(std::size_t n);
  // server TU
  void server_action(txn_action& a);
  void server_request(const request_event& e);
  void server_cancel(const cancel_event& e);
  void answer(std::size_t n);
  void retransmit_2xx(std::size_t n, sim_duration interval);

  [[nodiscard]] std::optional<std::size_t> record_of(const message& m) const;
  [[nodiscard]] bool reliable() const { return is_reliable(config_.protocol); }

  sim_config config_;
  network net_;
  std::array<std::unique_ptr<transaction_layer>, 2> layer_;
  std::vector<txn_record> records_;
  std::unordered_map<transaction_id, std::size_t> client_ids_;
  std::unordered_map<transaction_id, std::size_t> cancel_ids_;
  std::unordered_map<transaction_id, std::size_t> server_ids_;
  std::vector<late_request> late_;
  /// The server's CANCEL transactions and when each ended.
  std::unordered_map<transaction_id, std::optional<sim_time>> server_cancels_;
  std::unordered_map<transaction_id, std::size_t> late_ids_;
  std::priority_queue<tu_timer, std::vector<tu_timer>, later> tu_;
  std::uint64_t tu_sequence_ = 0;
  sim_time t0_{};
  sim_time now_{};
  bool overran_ = false;
  sim_stats stats_;
};

/// The seed: SIPUA_SIM_SEED from the environment when set, else `fallback`.
std::uint64_t sim_seed(std::uint64_t fallback);

}  // namespace sipua::sim
