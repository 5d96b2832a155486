// A virtual network for simulations: no socket, no sleep. Every packet is
// a delivery at a virtual time in one priority queue; per direction a link
// drops, duplicates, delays and reorders packets with a seeded
// std::mt19937_64, so a run is a pure function of its seed.
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <queue>
#include <random>
#include <string>
#include <vector>

#include "sipua/transport/address.hpp"
#include "sipua/transport/transport.hpp"

namespace sipua::sim {

using sim_clock = std::chrono::steady_clock;
using sim_time = sim_clock::time_point;
using sim_duration = std::chrono::milliseconds;

/// One direction of the network. Probabilities are per packet.
struct link_config {
  double loss = 0.0;       ///< the packet is dropped
  double duplicate = 0.0;  ///< a second copy is sent, with its own delay
  double reorder = 0.0;    ///< the packet is held back by up to reorder_hold
  sim_duration min_delay{5};
  sim_duration max_delay{60};
  sim_duration reorder_hold{1000};  ///< extra delay of a reordered packet
  /// Drop every final response (a peer whose answers never arrive).
  bool drop_finals = false;
};

/// A packet in flight.
struct packet {
  sim_time at{};
  std::uint64_t sequence = 0;  ///< FIFO among packets due at the same time
  int to = 0;                  ///< endpoint index
  transport_origin origin;     ///< as the receiver sees it
  std::shared_ptr<const std::string> bytes;
};

/// Counters per direction.
struct link_stats {
  std::size_t sent = 0;
  std::size_t lost = 0;
  std::size_t duplicated = 0;
  std::size_t reordered = 0;
};

class network {
 public:
  /// Two endpoints, 0 and 1, at `address[i]`; links[i] carries i -> 1-i.
  network(std::uint64_t seed, std::array<socket_address, 2> address,
          std::array<link_config, 2> links)
      : rng_(seed), address_(address), links_(links) {}

  /// Sends `bytes` from endpoint `from` to the other one over `protocol`.
  void send(sim_time now, int from, transport_protocol protocol,
            std::shared_ptr<const std::string> bytes) {
    const link_config& l = links_[from];
    link_stats& s = stats_[from];
    ++s.sent;
    if (chance(l.loss) || (l.drop_finals && is_final_response(*bytes))) {
      ++s.lost;
      return;
    }
    const int copies = chance(l.duplicate) ? 2 : 1;
    if (copies == 2) ++s.duplicated;
    for (int c = 0; c < copies; ++c) {
      sim_duration delay = uniform(l.min_delay, l.max_delay);
      if (chance(l.reorder)) {
        ++s.reordered;
        delay += uniform(sim_duration{0}, l.reorder_hold);
      }
      packet p;
      p.at = now + delay;
      p.sequence = next_sequence_++;
      p.to = 1 - from;
      p.origin.protocol = protocol;
      p.origin.local = address_[1 - from];
      p.origin.peer = address_[from];
      p.bytes = bytes;
      queue_.push(std::move(p));
    }
  }

  [[nodiscard]] std::optional<sim_time> next_delivery() const {
    if (queue_.empty()) return std::nullopt;
    return queue_.top().at;
  }
  /// The earliest packet when it is due at `now`.
  std::optional<packet> pop_due(sim_time now) {
    if (queue_.empty() || queue_.top().at > now) return std::nullopt;
    packet p = queue_.top();
    queue_.pop();
    return p;
  }

  [[nodiscard]] const socket_address& address(int endpoint) const { return address_[endpoint]; }
  [[nodiscard]] const link_stats& stats(int from) const { return stats_[from]; }
  std::mt19937_64& rng() { return rng_; }

 private:
  struct later {
    bool operator()(const packet& a, const packet& b) const {
      return a.at != b.at ? a.at > b.at : a.sequence > b.sequence;
    }
  };

  static bool is_final_response(const std::string& b) {
    return b.starts_with("SIP/2.0 ") && b.size() > 8 && b[8] != '1';
  }
  bool chance(double p) {
    if (p <= 0.0) return false;
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng_) < p;
  }
  sim_duration uniform(sim_duration lo, sim_duration hi) {
    if (hi <= lo) return lo;
    return sim_duration{
        std::uniform_int_distribution<sim_duration::rep>(lo.count(), hi.count())(rng_)};
  }

  std::mt19937_64 rng_;
  std::array<socket_address, 2> address_;
  std::array<link_config, 2> links_;
  std::array<link_stats, 2> stats_{};
  std::priority_queue<packet, std::vector<packet>, later> queue_;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace sipua::sim
